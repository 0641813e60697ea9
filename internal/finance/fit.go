package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gaoxin/internal/db"
)

// Fit: an institution's profile fits a need when all of these hold.
//   - The institution is approved.
//   - It offers the need's instrument.
//   - It invests at the need's stage.
//   - The need's amount is within its ticket: at least the lower bound
//     and, when it has one, at most the upper bound.
//   - It covers the need's chain: it lists no chain (it invests in every
//     chain), or one of its chain nodes is one of the need's nodes or an
//     ancestor of one (an institution on 物联网 covers a need on 传感器,
//     not the reverse).
//
// Whether a fitting institution sees the need is the need's audience:
// every fitting institution but the listed ones (AudienceFit), only the
// listed ones (AudienceChosen), or none (AudienceHidden). Matching
// (match.go) applies the same rules in SQL; fitsNeed is their one Go form,
// and the tests hold both to the same cases.

// Audiences of a need.
const (
	AudienceFit    = "fit"    // every fitting institution, except those listed
	AudienceChosen = "chosen" // only the listed institutions (that fit)
	AudienceHidden = "hidden" // no institution; staff still read it
)

// Audiences lists the audiences.
var Audiences = []Label{
	{AudienceFit, "所有匹配的机构（可排除部分机构）", "Every fitting institution (some may be excluded)"},
	{AudienceChosen, "仅限指定的机构", "Only the institutions chosen"},
	{AudienceHidden, "暂不公开", "Hidden"},
}

// ancestry maps each chain node to its parent, from the registry's tree.
type ancestry map[int64]int64

func (s *Service) ancestry(ctx context.Context) (ancestry, error) {
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return nil, err
	}
	a := make(ancestry, len(tree))
	for _, n := range tree {
		a[n.ID] = n.ParentID
	}
	return a, nil
}

// chainTree is the registry's chain tree read once for a page (each read
// checks the registry's version, a query): its ancestry for ranking and
// its nodes for naming.
type chainTree struct {
	a     ancestry
	nodes map[int64]ChainRef
}

func (s *Service) chainTree(ctx context.Context) (chainTree, error) {
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return chainTree{}, err
	}
	t := chainTree{a: make(ancestry, len(tree)), nodes: make(map[int64]ChainRef, len(tree))}
	for _, n := range tree {
		t.a[n.ID] = n.ParentID
		t.nodes[n.ID] = ChainRef{ID: n.ID, Code: n.Code, NameZH: n.NameZH, NameEN: n.NameEN}
	}
	return t, nil
}

// up lists node and each of its ancestors.
func (a ancestry) up(node int64) []int64 {
	var out []int64
	for depth := 0; node != 0 && depth <= len(a); depth++ {
		out = append(out, node)
		node = a[node]
	}
	return out
}

// covers reports whether institution chains ic cover need chains nc.
func (a ancestry) covers(ic, nc []ChainRef) bool {
	if len(ic) == 0 {
		return true
	}
	mine := map[int64]bool{}
	for _, c := range ic {
		mine[c.ID] = true
	}
	for _, c := range nc {
		for _, x := range a.up(c.ID) {
			if mine[x] {
				return true
			}
		}
	}
	return false
}

// fitsNeed reports whether institution i's profile fits need n.
func fitsNeed(a ancestry, i Institution, n Need) bool {
	if i.State != InstApproved {
		return false
	}
	has := func(xs []string, x string) bool {
		for _, y := range xs {
			if y == x {
				return true
			}
		}
		return false
	}
	return has(i.Instruments, n.Instrument) && has(i.Stages, n.Stage) &&
		n.AmountFen >= i.TicketMinFen && (i.TicketMaxFen == 0 || n.AmountFen <= i.TicketMaxFen) &&
		a.covers(i.Chains, n.Chains)
}

// admits reports whether n's audience lets institution id in (fit aside).
func admits(n Need, listed bool) bool {
	switch n.Audience {
	case AudienceFit:
		return !listed
	case AudienceChosen:
		return listed
	}
	return false
}

// sees reports whether institution inst reads need n: it has a match on
// it, or the need is open, the institution approved and fitting, and the
// audience lets it in.
func (s *Service) sees(ctx context.Context, q db.Querier, inst Institution, n Need) (bool, error) {
	if inst.State != InstApproved {
		return false, nil
	}
	var x int64
	err := q.QueryRowContext(ctx, "SELECT id FROM finance_matches WHERE need_id = $1 AND institution_id = $2", n.ID, inst.ID).Scan(&x)
	switch {
	case err == nil:
		return true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("finance: match of need %d: %w", n.ID, err)
	}
	if n.State != NeedOpen {
		return false, nil
	}
	listed, err := isListed(ctx, q, n.ID, inst.ID)
	if err != nil || !admits(n, listed) {
		return false, err
	}
	a, err := s.ancestry(ctx)
	if err != nil {
		return false, err
	}
	return fitsNeed(a, inst, n), nil
}

func isListed(ctx context.Context, q db.Querier, need, inst int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM finance_need_audience WHERE need_id = $1 AND institution_id = $2", need, inst).Scan(&n); err != nil {
		return false, fmt.Errorf("finance: audience of need %d: %w", need, err)
	}
	return n > 0, nil
}
