package award

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/money"
)

// Total is what one programme granted and paid.
type Total struct {
	Year        int    `json:"year"`
	ProgrammeID int64  `json:"programme_id"`
	NameZH      string `json:"name_zh"`
	BudgetFen   int64  `json:"budget_fen"`
	GrantedFen  int64  `json:"granted_fen"`
	PaidFen     int64  `json:"paid_fen"` // sum of ledger entries (payments less reversals)
	Winners     int    `json:"winners"`
	Kind        string `json:"kind"` // a programme's kind, or contract: a delivery contract paid through the ledger
}

// Totals sums grants and the ledger per programme, by year (0 for all).
// Paid amounts count by the programme's year; YearPaid sums by payment date.
func (s *Service) Totals(ctx context.Context, year int) ([]Total, error) {
	q := `SELECT p.year, p.id, p.name_zh, p.kind, p.budget_fen,
		COALESCE((SELECT SUM(amount_fen) FROM award_grants g WHERE g.programme_id=p.id), 0),
		COALESCE((SELECT SUM(amount_fen) FROM award_ledger l WHERE l.programme_id=p.id), 0),
		(SELECT COUNT(*) FROM award_grants g WHERE g.programme_id=p.id) + (SELECT COUNT(*) FROM award_honours h WHERE h.programme_id=p.id)
		FROM award_programmes p WHERE ($1 = 0 OR p.year = $1) AND p.state <> 'draft' ORDER BY p.year DESC, p.id LIMIT 1000`
	var out []Total
	err := eachRow(ctx, s.DB.R, q, []any{year}, func(r *sql.Rows) error {
		var t Total
		var granted, paid money.SQLSum
		if err := r.Scan(&t.Year, &t.ProgrammeID, &t.NameZH, &t.Kind, &t.BudgetFen, &granted, &paid, &t.Winners); err != nil {
			return fmt.Errorf("award: totals of programme %d: %w", t.ProgrammeID, err)
		}
		t.GrantedFen, t.PaidFen = int64(granted), int64(paid)
		out = append(out, t)
		return nil
	})
	return out, err
}

// YearPaid is what the ledger shows as paid in a calendar year (by payment
// date), across programmes.
func (s *Service) YearPaid(ctx context.Context, year int) (int64, error) {
	var v money.SQLSum
	if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_fen), 0) FROM award_ledger WHERE year=$1", year).Scan(&v); err != nil {
		return 0, fmt.Errorf("award: paid in %d: %w", year, err)
	}
	return int64(v), nil
}

// Honour is a winner of a past programme known by name only.
type Honour struct {
	Name string `json:"name"`
}

// Honours lists a programme's recorded winners.
func (s *Service) Honours(ctx context.Context, progID int64) ([]Honour, error) {
	var out []Honour
	err := eachRow(ctx, s.DB.R, "SELECT name FROM award_honours WHERE programme_id=$1 ORDER BY sort, id LIMIT 1000", []any{progID}, func(r *sql.Rows) error {
		var h Honour
		err := r.Scan(&h.Name)
		out = append(out, h)
		return err
	})
	return out, err
}

// RecordHistory stores a closed past programme with its winners' names (no
// figures, no money), as published. Errors: Invalid.
func (s *Service) RecordHistory(ctx context.Context, year int, nameZH, nameEN, kind, note string, winners []string) (Programme, error) {
	n := NewProgramme{Year: year, NameZH: nameZH, NameEN: nameEN, Kind: kind, NoticeDays: 7, Note: note}
	if err := n.check(); err != nil {
		return Programme{}, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO award_programmes (year, name_zh, name_en, kind, state, historical, note, created_at, updated_at)
			VALUES ($1,$2,$3,$4,'closed',TRUE,$5,$6,$6) RETURNING id`, year, nameZH, nameEN, kind, note, s.nowMS()).Scan(&id)
		if err != nil {
			return fmt.Errorf("award: history: %w", err)
		}
		for i, w := range winners {
			if _, err := tx.ExecContext(ctx, "INSERT INTO award_honours (programme_id, name, sort) VALUES ($1,$2,$3)", id, strings.TrimSpace(w), i); err != nil {
				return err
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.history", ObjectType: "award_programme", ObjectID: idStr(id),
			After: map[string]any{"year": year, "name": nameZH, "winners": winners}})
	})
	if err != nil {
		return Programme{}, err
	}
	return s.Programme(ctx, id)
}
