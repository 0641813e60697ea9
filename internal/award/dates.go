package award

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Payment and reversal dates are calendar days in China time (db.CST). A
// date may be at most one day ahead of today there, to allow for a bank
// value date entered the evening before; it may not be before the day the
// grant was made, since nothing could be paid on a grant that did not yet
// exist; and a reversal may not be before the payment it corrects (Reverse).

// today is the current calendar day in China time, as a UTC midnight date
// comparable with the dates time.Parse gives for "2006-01-02".
func (s *Service) today() time.Time {
	y, m, d := s.Now().In(db.CST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// notFuture refuses a date more than one day after today. Errors: Invalid,
// naming field.
func (s *Service) notFuture(field, zh, en string, d time.Time) error {
	if limit := s.today().AddDate(0, 0, 1); d.After(limit) {
		return errs.Field(field, fmt.Sprintf("%s不能晚于 %s（今天之后最多一天）", zh, limit.Format("2006-01-02")),
			fmt.Sprintf("the %s cannot be after %s (at most one day after today)", en, limit.Format("2006-01-02")))
	}
	return nil
}

// notBeforeGrant refuses a date before the day grant was made, in China
// time. Errors: Invalid, naming field.
func (s *Service) notBeforeGrant(ctx context.Context, tx *sql.Tx, field, zh, en string, grant int64, d time.Time) error {
	var at int64
	if err := tx.QueryRowContext(ctx, "SELECT created_at FROM award_grants WHERE id=$1", grant).Scan(&at); err != nil {
		return fmt.Errorf("award: grant %d date: %w", grant, err)
	}
	day := time.UnixMilli(at).In(db.CST).Format("2006-01-02")
	if d.Format("2006-01-02") < day {
		return errs.Field(field, fmt.Sprintf("%s不能早于奖补核定日期 %s", zh, day),
			fmt.Sprintf("the %s cannot be before the grant was made on %s", en, day))
	}
	return nil
}
