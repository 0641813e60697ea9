package panel

import (
	"context"
	"database/sql"
	"strings"

	"gaoxin/internal/db"
)

// Party is one party of a subject that an expert must not be linked to:
// the applicant of an award, each enterprise of a (joint) bid. The caller
// reads it from the owning module.
type Party struct {
	EnterpriseID int64
	Names        []string // the current name first, then former names
	CreditCode   string
}

// Reviewer is an expert as the panel needs to know them: the account and
// the enterprise it belongs to (0 for none), from the organisation.
type Reviewer struct {
	ID           int64
	EnterpriseID int64
}

// ConflictOf says why an expert is linked to one of the parties, or "" when
// they are not: their account belongs to a party's enterprise, or one of
// their declared affiliations (one per line) is a party's credit code
// (any case), its name or a former name, or a part of at least four
// characters of one of those names.
func ConflictOf(affiliations []string, rev Reviewer, parties []Party) string {
	for _, p := range parties {
		if rev.EnterpriseID != 0 && rev.EnterpriseID == p.EnterpriseID {
			return "专家账号属于该企业 / the reviewer's account belongs to the enterprise"
		}
	}
	for _, a := range affiliations {
		for _, p := range parties {
			if declares(a, p) {
				return "专家申报关联：" + a + " / declared affiliation: " + a
			}
		}
	}
	return ""
}

func declares(a string, p Party) bool {
	if strings.EqualFold(a, p.CreditCode) {
		return true
	}
	for _, n := range p.Names {
		if n != "" && (a == n || (len([]rune(a)) >= 4 && strings.Contains(n, a))) {
			return true
		}
	}
	return false
}

// SetAffiliations records what an expert declares they are linked to, one
// enterprise name or credit code per line (SplitLines), replacing what
// they declared before. The caller checks that reviewerID is an expert.
func (p *Panel) SetAffiliations(ctx context.Context, tx *sql.Tx, reviewerID int64, lines []string) error {
	joined := strings.Join(lines, "\n")
	res, err := tx.ExecContext(ctx, "UPDATE panel_reviewers SET affiliations=$1, updated_at=$2 WHERE user_id=$3", joined, p.nowMS(), reviewerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO panel_reviewers (user_id, affiliations, updated_at) VALUES ($1,$2,$3)", reviewerID, joined, p.nowMS()); err != nil {
			return err
		}
	}
	return nil
}

// Affiliations returns an expert's declared affiliations as typed, one per
// line; "" when they declared none.
func (p *Panel) Affiliations(ctx context.Context, q db.Querier, reviewerID int64) (string, error) {
	var a string
	err := q.QueryRowContext(ctx, "SELECT affiliations FROM panel_reviewers WHERE user_id=$1", reviewerID).Scan(&a)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return a, err
}
