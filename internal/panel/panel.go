// Package panel is the review panel (评审专家组): a subject — an award
// application, later a scenario bid — is assessed by experts against
// criteria. It owns who declared which affiliations, which expert was
// given which subject (or was kept off it by a conflict of interest, or
// recused), the scores per criterion, and the panel's score: the trimmed
// mean of the experts' totals.
//
// It knows nothing of programmes, calls or HTTP. The calling module checks
// who may act and in which state its own objects are, runs the panel's
// functions inside its own transaction (they take a *sql.Tx or a
// db.Querier), and writes its own audit entries with its own labels.
package panel

import (
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/fixed"
)

// Panel is the review-panel mechanism over one database.
type Panel struct {
	DB *db.DB
	// Now is the clock of the rows' times; a calling service points it at
	// its own clock.
	Now func() time.Time
}

// New returns the panel over d, on the wall clock.
func New(d *db.DB) *Panel { return &Panel{DB: d, Now: time.Now} }

func (p *Panel) nowMS() int64 { return p.Now().UnixMilli() }

// Subject is what one expert assesses: its kind (which module's object,
// such as "award_application") and id, and the contest it is ranked in
// (the programme or call whose subjects are compared with one another).
type Subject struct {
	Kind    string
	ID      int64
	Contest int64
}

// States of an assignment.
const (
	Assigned = "assigned" // given to the expert, not scored yet
	Scored   = "scored"   // scores submitted; they may be replaced
	Conflict = "conflict" // linked to a party: recorded, never scores
	Recused  = "recused"  // the expert withdrew, with a reason
)

// Criterion is one thing experts score, from 0 to Max points. Every
// criterion of a subject must be scored.
type Criterion struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en,omitempty"`
	Max    int    `json:"max"`
}

// Score is one criterion's score with the expert's comment; Value has up
// to three decimals.
type Score struct {
	Criterion string `json:"criterion"`
	Value     string `json:"value"`
	Comment   string `json:"comment"`
}

// Assignment is one subject given to one expert.
type Assignment struct {
	ID         int64
	Subject    Subject
	ReviewerID int64
	State      string
	Reason     string      // why in conflict, or why recused
	Total      fixed.Fixed // the sum of the scores, when Scored
	Scores     []Score     // filled by Get only, by criterion code
	CreatedAt  int64
	UpdatedAt  int64
}

// Live reports whether the expert still takes part (assigned or scored).
func (g Assignment) Live() bool { return g.State == Assigned || g.State == Scored }

// SplitLines splits typed text into its non-empty, trimmed lines.
func SplitLines(t string) []string {
	var out []string
	for _, l := range strings.Split(t, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// milli is a score of at most three decimals, stored in thousandths.
func milli(v int64) fixed.Fixed { return fixed.Fixed(v * 1000) }
