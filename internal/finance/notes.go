package finance

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
)

// Note is a private note on a match: read and written only by the
// institution's accounts and staff, never by the enterprise or another
// institution.
type Note struct {
	ID        int64  `json:"id"`
	MatchID   int64  `json:"match_id"`
	Body      string `json:"body"`
	Author    string `json:"author"`
	CreatedAt int64  `json:"created_at"`
}

var errNotesPrivate = errs.New(errs.Forbidden, "对接备注仅对接机构和工作人员可见", "notes are for the institution and staff only")

// AddNote writes a note on a match: its institution or a supervisor.
// Errors: NotFound (a match v cannot read), Forbidden (the enterprise, a
// leader), Invalid (empty or too long).
func (s *Service) AddNote(ctx context.Context, v Viewer, matchID int64, body string) (Note, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > 4000 {
		return Note{}, errs.Field("body", "请填写备注（4000 字以内）", "write a note (at most 4000 characters)")
	}
	n := Note{MatchID: matchID, Body: body, Author: audit.ActorFrom(ctx).Name, CreatedAt: s.nowMS()}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, p, err := s.lockMatch(ctx, tx, v, matchID)
		if err != nil {
			return err
		}
		if !p.institution && !p.runs {
			return errNotesPrivate
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO finance_match_notes (match_id, body, author_id, author, created_at)
			VALUES ($1,$2,$3,$4,$5) RETURNING id`, matchID, body, nullID(v.UserID), n.Author, n.CreatedAt).Scan(&n.ID); err != nil {
			return fmt.Errorf("finance: note on match %d: %w", matchID, err)
		}
		// The trail names the note, not its words: they stay private.
		return s.record(ctx, tx, "finance.match.note", "finance_match", matchID, nil, map[string]any{"note": n.ID})
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// Notes lists a match's notes, oldest first: its institution and staff.
// Errors: NotFound (a match v cannot read: another institution), Forbidden
// (the enterprise).
func (s *Service) Notes(ctx context.Context, v Viewer, matchID int64) ([]Note, error) {
	m, err := s.match(ctx, s.DB.R, matchID, "")
	if err != nil {
		return nil, err
	}
	p, err := s.partyTo(ctx, s.DB.R, v, m)
	if err != nil {
		return nil, err
	}
	switch {
	case !p.reads():
		return nil, errNoMatch
	case !p.institution && !p.staff:
		return nil, errNotesPrivate
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT id, match_id, body, author, created_at FROM finance_match_notes WHERE match_id = $1 ORDER BY id LIMIT 500", matchID)
	if err != nil {
		return nil, fmt.Errorf("finance: notes of match %d: %w", matchID, err)
	}
	defer rows.Close()
	out := []Note{}
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.MatchID, &n.Body, &n.Author, &n.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
