package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

const instCols = `SELECT id, kind, name, credit_code, aum_fen, ticket_min_fen, ticket_max_fen, settled_on, intro, state, reason,
	COALESCE(parent_id, 0), committed_fen, paid_in_fen, synthetic, created_at, updated_at FROM finance_institutions`

func scanInst(sc interface{ Scan(...any) error }) (Institution, error) {
	var i Institution
	err := sc.Scan(&i.ID, &i.Kind, &i.Name, &i.CreditCode, &i.AUMFen, &i.TicketMinFen, &i.TicketMaxFen, &i.SettledOn, &i.Intro,
		&i.State, &i.Reason, &i.ParentID, &i.CommittedFen, &i.PaidInFen, &i.Synthetic, &i.CreatedAt, &i.UpdatedAt)
	return i, err
}

// institution reads one institution with its profile and contacts,
// whoever asks. Errors: NotFound.
func (s *Service) institution(ctx context.Context, q db.Querier, id int64) (Institution, error) {
	i, err := scanInst(q.QueryRowContext(ctx, instCols+" WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return i, errNoInstitution
	}
	if err != nil {
		return i, fmt.Errorf("finance: institution %d: %w", id, err)
	}
	is := []*Institution{&i}
	if err := s.fillProfiles(ctx, q, is, true); err != nil {
		return i, err
	}
	return i, nil
}

func idList(ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(out, ",")
}

// fillProfiles adds each institution's stages, instruments and chains
// (and contacts when asked), read in one query.
func (s *Service) fillProfiles(ctx context.Context, q db.Querier, is []*Institution, contacts bool) error {
	if len(is) == 0 {
		return nil
	}
	nodes, err := s.nodes(ctx)
	if err != nil {
		return err
	}
	return s.readProfiles(ctx, q, nodes, is, contacts, nil)
}

// readProfiles is fillProfiles with the chain tree's nodes in hand. The
// sets come in one query, a UNION ALL whose first column names the set:
// on PostgreSQL every query is a round trip with its own executor start,
// and these were three or four of the dashboard's fifteen. With deals not
// nil it also reads the institutions' funded deals per industry node
// (finance_institution_deals) into deals, summed over the institutions:
// pass one institution. Contacts' phone numbers are opened (they are
// sealed in the national cryptographic mode).
func (s *Service) readProfiles(ctx context.Context, q db.Querier, nodes map[int64]ChainRef, is []*Institution, contacts bool, deals map[int64]int) error {
	by := make(map[int64]*Institution, len(is))
	ids := make([]int64, len(is))
	for k, i := range is {
		by[i.ID], ids[k] = i, i.ID
		i.Stages, i.Instruments, i.Chains = []string{}, []string{}, []ChainRef{}
	}
	in := "institution_id IN (" + idList(ids) + ")"
	sets := `SELECT 0, institution_id, stage, '', '', '', 0 FROM finance_institution_stages WHERE ` + in + `
		UNION ALL SELECT 1, institution_id, instrument, '', '', '', 0 FROM finance_institution_instruments WHERE ` + in + `
		UNION ALL SELECT 2, institution_id, '', '', '', '', node_id FROM finance_institution_chains WHERE ` + in
	if contacts {
		sets += `
		UNION ALL SELECT 3, institution_id, name, title, phone, email, id FROM finance_contacts WHERE ` + in
	}
	if deals != nil {
		sets += `
		UNION ALL SELECT 4, institution_id, CAST(deals AS TEXT), '', '', '', node_id FROM finance_institution_deals WHERE ` + in
	}
	rows, err := q.QueryContext(ctx, sets+" ORDER BY 1, 2, 7")
	if err != nil {
		return fmt.Errorf("finance: profiles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var set int
		var id, n int64
		var a, b, c, d string
		if err := rows.Scan(&set, &id, &a, &b, &c, &d, &n); err != nil {
			return err
		}
		i := by[id]
		switch set {
		case 0:
			i.Stages = append(i.Stages, a)
		case 1:
			i.Instruments = append(i.Instruments, a)
		case 2:
			i.Chains = append(i.Chains, nodes[n])
		case 3:
			if c, err = s.DB.Crypto.Open(contactPhone.Field(), c); err != nil {
				return fmt.Errorf("finance: contact of institution %d: %w", id, err)
			}
			i.Contacts = append(i.Contacts, Contact{Name: a, Title: b, Phone: c, Email: d})
		case 4:
			k, err := strconv.Atoi(a)
			if err != nil {
				return fmt.Errorf("finance: deals of institution %d: %w", id, err)
			}
			deals[n] += k
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, i := range is {
		sortByLabels(i.Stages, Stages)
		sortByLabels(i.Instruments, Instruments)
	}
	return nil
}

// scanAll reads every row of rows with scan, then closes rows.
func scanAll[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

type pair struct {
	id int64
	v  string
}

// pairs runs a query of (id, text) rows.
func pairs(ctx context.Context, q db.Querier, query string, args ...any) ([]pair, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("finance: %w", err)
	}
	defer rows.Close()
	var out []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.id, &p.v); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// sortByLabels orders codes as ls lists them.
func sortByLabels(codes []string, ls []Label) {
	pos := func(c string) int {
		for k, l := range ls {
			if l.Code == c {
				return k
			}
		}
		return len(ls)
	}
	for a := 1; a < len(codes); a++ {
		for b := a; b > 0 && pos(codes[b]) < pos(codes[b-1]); b-- {
			codes[b], codes[b-1] = codes[b-1], codes[b]
		}
	}
}

// nodes is the registry's chain tree by node id.
func (s *Service) nodes(ctx context.Context) (map[int64]ChainRef, error) {
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]ChainRef, len(tree))
	for _, n := range tree {
		out[n.ID] = ChainRef{ID: n.ID, Code: n.Code, NameZH: n.NameZH, NameEN: n.NameEN}
	}
	return out, nil
}

// Institution reads one institution as v may see it: staff every one, an
// investor account its own, other signed-in accounts approved ones, with
// contacts only for staff, the institution itself and an enterprise that
// accepted its interest. Errors: Unauthorized (anonymous), NotFound.
func (s *Service) Institution(ctx context.Context, v Viewer, id int64) (Institution, error) {
	if v.UserID == 0 {
		return Institution{}, errSignIn
	}
	i, err := s.institution(ctx, s.DB.R, id)
	if err != nil {
		return i, err
	}
	mine, _, err := s.member(ctx, s.DB.R, v)
	if err != nil {
		return Institution{}, err
	}
	if v.Staff() || mine == id {
		return i, nil
	}
	if i.State != InstApproved {
		return Institution{}, errNoInstitution
	}
	if v.enterprise() {
		var n int
		if err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM finance_matches m JOIN finance_needs n ON n.id = m.need_id
			WHERE m.institution_id = $1 AND n.enterprise_id = $2 AND m.step <> 'interest'`, id, v.EnterpriseID).Scan(&n); err != nil {
			return Institution{}, fmt.Errorf("finance: institution %d: %w", id, err)
		}
		if n > 0 {
			return i, nil
		}
	}
	i.Contacts = nil
	return i, nil
}

// InstitutionFilter narrows a list of institutions.
type InstitutionFilter struct {
	State string // staff only; others read approved ones
	Kind  string
	Limit int   // default 200, at most 1,000
	after int64 // exports page by id: only ids above this
}

// Institutions lists institutions as v may see them, by id, without
// contacts: staff every state, other signed-in accounts approved ones.
// Errors: Unauthorized (anonymous), Invalid (a bad filter).
func (s *Service) Institutions(ctx context.Context, v Viewer, f InstitutionFilter) ([]Institution, error) {
	if v.UserID == 0 {
		return nil, errSignIn
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	var args []any
	arg := func(a any) string {
		args = append(args, a)
		return "$" + strconv.Itoa(len(args))
	}
	var conds []string
	switch {
	case !v.Staff():
		conds = append(conds, "state = "+arg(InstApproved))
	case f.State != "":
		if !known(InstStates, f.State) {
			return nil, errs.Field("state", "机构状态无效："+f.State, "unknown state: "+f.State)
		}
		conds = append(conds, "state = "+arg(f.State))
	}
	if f.Kind != "" {
		if !known(Kinds, f.Kind) {
			return nil, errs.Field("kind", "机构类型无效："+f.Kind, "unknown kind: "+f.Kind)
		}
		conds = append(conds, "kind = "+arg(f.Kind))
	}
	if f.after != 0 {
		conds = append(conds, "id > "+arg(f.after))
	}
	q := instCols
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q+" ORDER BY id LIMIT "+strconv.Itoa(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("finance: institutions: %w", err)
	}
	out, err := scanAll(rows, scanInst)
	if err != nil {
		return nil, err
	}
	ps := make([]*Institution, len(out))
	for k := range out {
		ps[k] = &out[k]
	}
	return out, s.fillProfiles(ctx, s.DB.R, ps, false)
}
