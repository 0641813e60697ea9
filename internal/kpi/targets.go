package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Target is an indicator's goal for a year (年度目标): a growth rate in
// percent for growth indicators, an amount in the indicator's unit for
// absolute ones.
type Target struct {
	IndicatorID int64  `json:"indicator_id"`
	Code        string `json:"indicator"`
	Year        int    `json:"year"`
	Value       Value  `json:"value"`
	Note        string `json:"note"`
	UpdatedAt   int64  `json:"updated_at"`
}

// MinYear and MaxYear bound every year the module accepts.
const MinYear, MaxYear = 2000, 2100

// ParseYear parses a year field. Errors: Invalid.
func ParseYear(field, s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < MinYear || y > MaxYear {
		return 0, &errs.Error{Code: errs.Invalid, Field: field, Msg: fmt.Sprintf("年份须为 %d–%d 的整数：%s", MinYear, MaxYear, s),
			MsgEN:   fmt.Sprintf("year must be a whole number %d–%d: %s", MinYear, MaxYear, s),
			Details: []errs.Detail{{Field: field, Value: s, Reason: "年份无效", ReasonEN: "invalid year"}}}
	}
	return y, nil
}

// SetTarget creates or replaces the target of indicator code for year.
// Errors: Invalid (field named), NotFound (indicator).
func (s *Service) SetTarget(ctx context.Context, code, year, value, note string) (Target, error) {
	ind, err := s.IndicatorByCode(ctx, code)
	if err != nil {
		return Target{}, errs.Field("indicator", "指标不存在："+code, "indicator not found: "+code)
	}
	y, err := ParseYear("year", year)
	if err != nil {
		return Target{}, err
	}
	v, err := ParseValue("value", value)
	if err != nil {
		return Target{}, err
	}
	if ind.Kind == Absolute && v <= 0 {
		return Target{}, errs.Field("value", "总量目标须大于零", "an absolute target must be above zero")
	}
	t := Target{IndicatorID: ind.ID, Code: ind.Code, Year: y, Value: v, Note: strings.TrimSpace(note), UpdatedAt: db.Now()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var before *Target
		var old int64
		var oldNote string
		switch err := tx.QueryRowContext(ctx, "SELECT value, note FROM kpi_targets WHERE indicator_id = $1 AND year = $2"+s.DB.ForUpdate(), ind.ID, y).Scan(&old, &oldNote); err {
		case nil:
			before = &Target{IndicatorID: ind.ID, Code: ind.Code, Year: y, Value: Value(old), Note: oldNote}
		case sql.ErrNoRows:
		default:
			return fmt.Errorf("kpi: read target: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO kpi_targets (indicator_id, year, value, note, updated_at) VALUES ($1,$2,$3,$4,$5)
			ON CONFLICT (indicator_id, year) DO UPDATE SET value = excluded.value, note = excluded.note, updated_at = excluded.updated_at`,
			ind.ID, y, int64(v), t.Note, t.UpdatedAt)
		if err != nil {
			return fmt.Errorf("kpi: set target: %w", err)
		}
		e := audit.Entry{Action: "kpi.target.set", ObjectType: "kpi_target", ObjectID: fmt.Sprintf("%d/%d", ind.ID, y), After: t}
		if before != nil {
			e.Before = before
		}
		return s.Audit.RecordTx(ctx, tx, e)
	})
	if err != nil {
		return Target{}, err
	}
	return t, nil
}

// DeleteTarget removes a target. Errors: NotFound.
func (s *Service) DeleteTarget(ctx context.Context, indicatorID int64, year int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var old int64
		err := tx.QueryRowContext(ctx, "SELECT value FROM kpi_targets WHERE indicator_id = $1 AND year = $2"+s.DB.ForUpdate(), indicatorID, year).Scan(&old)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "目标不存在", "target not found")
		}
		if err != nil {
			return fmt.Errorf("kpi: delete target: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM kpi_targets WHERE indicator_id = $1 AND year = $2", indicatorID, year); err != nil {
			return fmt.Errorf("kpi: delete target: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "kpi.target.delete", ObjectType: "kpi_target",
			ObjectID: fmt.Sprintf("%d/%d", indicatorID, year), Before: map[string]string{"value": Value(old).String()}})
	})
}

// Targets lists the targets of a year in indicator order.
func (s *Service) Targets(ctx context.Context, year int) ([]Target, error) {
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, `SELECT t.indicator_id, i.code, t.year, t.value, t.note, t.updated_at
		FROM kpi_targets t JOIN kpi_indicators i ON i.id = t.indicator_id WHERE t.year = $1 ORDER BY i.sort, i.id LIMIT $2`, year, MaxIndicators)
	if err != nil {
		return nil, fmt.Errorf("kpi: list targets: %w", err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var t Target
		if err := rows.Scan(&t.IndicatorID, &t.Code, &t.Year, &t.Value, &t.Note, &t.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Years lists the years that have targets, newest first (memoised; the
// slice is shared and must not be modified).
func (s *Service) Years(ctx context.Context) ([]int, error) {
	return s.memo.years.Get(ctx, "years", func() ([]int, error) { return s.years(ctx) })
}

func (s *Service) years(ctx context.Context) ([]int, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT DISTINCT year FROM kpi_targets ORDER BY year DESC LIMIT 100")
	if err != nil {
		return nil, fmt.Errorf("kpi: years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// Settings are a year's reading date and status thresholds.
type Settings struct {
	Year       int        `json:"year"`
	AsOf       string     `json:"as_of"` // YYYY-MM-DD; "" reads the year at today
	Thresholds Thresholds `json:"thresholds"`
}

// Settings returns the year's settings, or the defaults.
func (s *Service) Settings(ctx context.Context, year int) (Settings, error) {
	st := Settings{Year: year, Thresholds: DefaultThresholds}
	var a, o, b, c int64
	err := db.Reader{D: s.DB}.QueryRowContext(ctx, "SELECT as_of, ahead, on_pace, behind, close_pp FROM kpi_settings WHERE year = $1", year).
		Scan(&st.AsOf, &a, &o, &b, &c)
	if err == sql.ErrNoRows {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("kpi: settings: %w", err)
	}
	st.Thresholds = Thresholds{Ahead: Value(a).Float(), OnPace: Value(o).Float(), Behind: Value(b).Float(), ClosePP: Value(c).Float()}
	return st, nil
}

// SettingsInput is the settings form: decimals as text.
type SettingsInput struct {
	AsOf, Ahead, OnPace, Behind, ClosePP string
}

// SaveSettings stores a year's settings. Errors: Invalid (fields named).
func (s *Service) SaveSettings(ctx context.Context, year int, in SettingsInput) (Settings, error) {
	var d []errs.Detail
	val := func(field, text string) Value {
		v, err := ParseValue(field, text)
		if err != nil {
			d = append(d, errs.As(err).Details...)
		} else if v <= 0 {
			d = append(d, errs.Detail{Field: field, Value: text, Reason: "须大于零", ReasonEN: "must be above zero"})
		}
		return v
	}
	a, o, b, c := val("ahead", in.Ahead), val("on_pace", in.OnPace), val("behind", in.Behind), val("close_pp", in.ClosePP)
	if len(d) == 0 && !(a >= o && o >= b) {
		d = append(d, errs.Detail{Field: "on_pace", Reason: "阈值须满足 超前 ≥ 符合 ≥ 滞后", ReasonEN: "thresholds must satisfy ahead ≥ on pace ≥ behind"})
	}
	asOf := strings.TrimSpace(in.AsOf)
	if asOf != "" {
		if t, err := time.Parse("2006-01-02", asOf); err != nil || t.Year() != year && t.Year() != year+1 {
			d = append(d, errs.Detail{Field: "as_of", Value: asOf, Reason: "数据截止日须为本年或次年的日期 YYYY-MM-DD", ReasonEN: "as-of must be a date YYYY-MM-DD in the year or the next"})
		}
	}
	if year < MinYear || year > MaxYear {
		d = append(d, errs.Detail{Field: "year", Reason: "年份无效", ReasonEN: "invalid year"})
	}
	if len(d) > 0 {
		return Settings{}, errs.List("设置有误", "the settings have errors", d)
	}
	st := Settings{Year: year, AsOf: asOf, Thresholds: Thresholds{Ahead: a.Float(), OnPace: o.Float(), Behind: b.Float(), ClosePP: c.Float()}}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.Settings(ctx, year)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO kpi_settings (year, as_of, ahead, on_pace, behind, close_pp, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
			ON CONFLICT (year) DO UPDATE SET as_of = excluded.as_of, ahead = excluded.ahead, on_pace = excluded.on_pace,
			behind = excluded.behind, close_pp = excluded.close_pp, updated_at = excluded.updated_at`,
			year, asOf, int64(a), int64(o), int64(b), int64(c), db.Now())
		if err != nil {
			return fmt.Errorf("kpi: save settings: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "kpi.settings.save", ObjectType: "kpi_settings",
			ObjectID: strconv.Itoa(year), Before: before, After: st})
	})
	if err != nil {
		return Settings{}, err
	}
	return st, nil
}

// AsOfDate is the date the year is read at: the setting, or today when unset
// or later than today.
func (s *Service) AsOfDate(st Settings) time.Time {
	now := s.Now().In(db.CST)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, db.CST)
	if t, err := time.ParseInLocation("2006-01-02", st.AsOf, db.CST); err == nil && t.Before(today) {
		return t
	}
	return today
}
