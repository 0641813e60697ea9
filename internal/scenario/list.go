package scenario

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Filter narrows a list of calls and needs.
type Filter struct {
	Category string // a category code
	Chain    string // a chain node code: the node and everything under it
	State    string // a call state
	BatchID  int64
	Q        string // words in the title or owner's name
	Mine     bool   // only the caller's own needs (its unit's or enterprise's)
	Limit    int    // at most 100 unless set by the service itself; 0: 20
	Offset   int
}

// Page is one page of a list with the count of all that match, counted
// up to CountCap past the page's first: past that, TotalMore is set (and
// Total is the page's offset plus CountCap).
type Page struct {
	Needs     []Need `json:"needs"`
	Total     int    `json:"total"`
	TotalMore bool   `json:"total_more,omitempty"`
}

// CountCap bounds the count of a list: a bounded count reads at most this
// many index entries (ten pages), where an exact one read every match
// (with 10,000 calls, most of a list request's time).
const CountCap = 200

// List lists the calls and needs v may know of that match f, newest first:
// everyone reads public calls; owners their own needs; staff all.
// Errors: Invalid naming an unknown category, chain or state.
func (s *Service) List(ctx context.Context, v Viewer, f Filter) (Page, error) {
	var where []string
	var args []any
	arg := func(a any) string {
		args = append(args, a)
		return "$" + strconv.Itoa(len(args))
	}
	var public []string
	for st, cs := range callStates {
		if cs.public {
			public = append(public, "'"+st+"'")
		}
	}
	slices.Sort(public) // one statement text, whatever the map's order
	visible := "n.state IN (" + strings.Join(public, ",") + ")"
	own := ""
	switch {
	case v.Role == org.UnitStaff && v.UnitID != 0:
		own = "n.owner_unit_id = " + arg(v.UnitID)
	case v.Role == org.Enterprise && v.EnterpriseID != 0:
		own = "n.owner_enterprise_id = " + arg(v.EnterpriseID)
	}
	switch {
	case f.Mine && own == "":
		return Page{}, nil
	case f.Mine:
		where = append(where, own)
	case v.Staff():
	case own != "":
		where = append(where, "("+visible+" OR "+own+")")
	default:
		where = append(where, visible)
	}
	if f.Category != "" {
		if zh, _ := CategoryLabel(f.Category); zh == f.Category {
			return Page{}, errs.Field("category", "没有这个场景类别", "unknown category")
		}
		where = append(where, "n.category = '"+f.Category+"'") // a known code: see below
	}
	if f.State != "" {
		if _, ok := callStates[f.State]; !ok {
			return Page{}, errs.Field("state", "没有这个状态", "unknown state")
		}
		where = append(where, "n.state = '"+f.State+"'") // a known code
	}
	if f.BatchID != 0 {
		where = append(where, "n.batch_id = "+arg(f.BatchID))
	}
	// The chain tree (the registry's catalogue, memoised) is read once for
	// the filter and the rows' chains.
	var tree []enterprise.ChainNode
	if f.Chain != "" {
		var err error
		if tree, err = s.Registry.ChainTree(ctx); err != nil {
			return Page{}, err
		}
		ids, broad, err := chainAndBelow(tree, f.Chain)
		if err != nil {
			return Page{}, err
		}
		if broad && (f.State != "" || f.BatchID != 0) {
			// A broad part of the tree (a group: a third of all calls)
			// within one state or batch: that state's or batch's calls
			// come newest first from their index, and a probe of each
			// one's chains finds the page and the count in a few hundred
			// probes, where the set would gather thousands of ids first.
			where = append(where, "EXISTS (SELECT 1 FROM scenario_need_chains c WHERE c.need_id = n.id AND c.node_id IN ("+ids+"))")
		} else {
			// Otherwise the chain's calls as a set read through
			// scenario_need_chains_node, rather than a probe per call
			// walked: a chain or node holds few calls, and without one
			// state the public calls are several ranges of the state
			// index that SQLite sorts whole before a probe could stop.
			where = append(where, "n.id IN (SELECT c.need_id FROM scenario_need_chains c WHERE c.node_id IN ("+ids+"))")
		}
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
		p := arg(like)
		where = append(where, "(n.title LIKE "+p+" ESCAPE '\\' OR n.owner_name LIKE "+p+" ESCAPE '\\')")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var out Page
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = 20
	case limit > 100 && limit != maxBatch:
		limit = 100
	}
	offset := max(f.Offset, 0)
	// One query of the ids from the page's first on, up to CountCap of
	// them, from the indexes alone: the page, and the count. Then the
	// page's rows whole (with their bid counts), so a filter matching
	// thousands reads index entries, not thousands of rows.
	//
	// The statement texts depend only on which filters are set, the
	// category and state codes and the chain's nodes (the other values, the
	// page, the count's bound and the page's ids are arguments), so they
	// are kept prepared in the service's own set: modernc's SQLite parses
	// and plans a statement at every Prepare, and a query with arguments
	// is a Prepare. The category and state are written into the text
	// (each a known code, checked above) because SQLite, built with STAT4,
	// plans a kept statement again at every run when an argument is
	// compared with the first column of an index that has samples: about
	// a third of such a query's time. PostgreSQL plans the ids for their
	// values each time (a category holds a quarter of all calls, a chain
	// node a handful).
	pick := s.listReader(true)
	var ids []int64
	rows, err := pick.QueryContext(ctx, "SELECT n.id FROM scenario_needs n"+cond+" ORDER BY n.id DESC LIMIT "+arg(max(limit, CountCap)+1)+" OFFSET "+arg(offset), args...)
	if err != nil {
		return out, fmt.Errorf("scenario: list: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return out, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	switch {
	case len(ids) > max(limit, CountCap):
		out.Total, out.TotalMore = offset+max(limit, CountCap), true
	case len(ids) > 0 || offset == 0:
		out.Total = offset + len(ids)
	default: // past the end: count, bounded
		args = args[:len(args)-2] // the page's bound and offset
		if err := pick.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM scenario_needs n"+cond+" LIMIT "+arg(offset+1)+") x",
			args...).Scan(&out.Total); err != nil {
			return out, fmt.Errorf("scenario: count: %w", err)
		}
	}
	ids = ids[:min(len(ids), limit)]
	if len(ids) == 0 {
		return out, nil
	}
	in, inArgs := inList(ids, nil)
	rows, err = s.listReader(false).QueryContext(ctx, needCols+" WHERE n.id IN ("+in+") ORDER BY n.id DESC", inArgs...)
	if err != nil {
		return out, fmt.Errorf("scenario: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		n, err := scanNeed(rows)
		if err != nil {
			return out, err
		}
		if v.UserID == 0 {
			n.ContactName, n.ContactPhone = "", ""
		} else if err := s.openNeed(&n); err != nil {
			return out, err
		}
		out.Needs = append(out.Needs, n)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	ps := make([]*Need, len(out.Needs))
	for i := range out.Needs {
		ps[i] = &out.Needs[i]
	}
	if tree == nil {
		if tree, err = s.Registry.ChainTree(ctx); err != nil {
			return out, err
		}
	}
	return out, fillChainsFrom(ctx, s.DB.R, ps, tree)
}

// maxListStatements bounds the list's kept statements: one per
// combination of filters, chain and viewer's scope in use (a few dozen),
// and per size of a page's id list (inList). Past it, a new text runs
// unprepared.
const maxListStatements = 128

// listReader reads through the list's own set of kept statements (plain
// reads when the service has none); perValue plans PostgreSQL's
// statement for its values each time (db.Reader).
func (s *Service) listReader(perValue bool) db.Querier {
	if s.lists == nil {
		return s.DB.R
	}
	return db.Reader{D: s.DB, PerValue: perValue, Stmts: s.lists}
}

// inList is the placeholders of ids for an IN list, numbered after args,
// and args with the ids added. The list is padded to the next power of two
// by repeating its first id (which leaves the set unchanged), so that every
// page of 17 to 32 ids shares one statement text. ids must not be empty.
func inList(ids []int64, args []any) (string, []any) {
	n := 1
	for n < len(ids) {
		n *= 2
	}
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		id := ids[0]
		if i < len(ids) {
			id = ids[i]
		}
		args = append(args, id)
		b.WriteString("$" + strconv.Itoa(len(args)))
	}
	return b.String(), args
}

// chainAndBelow is the id list of the chain node code (or Chinese name)
// and every node under it in tree, and whether those are a broad part of
// the tree (a fifth of its nodes or more). Errors: Invalid naming chain.
func chainAndBelow(tree []enterprise.ChainNode, code string) (string, bool, error) {
	var root int64
	for _, n := range tree {
		if n.Code == code || n.NameZH == code {
			root = n.ID
		}
	}
	if root == 0 {
		return "", false, errs.Field("chain", "没有这条产业链："+code, "unknown industry chain: "+code)
	}
	in := map[int64]bool{root: true}
	ids := []string{strconv.FormatInt(root, 10)}
	for _, n := range tree { // depth first: a parent comes before its children
		if n.ParentID != 0 && in[n.ParentID] && !in[n.ID] {
			in[n.ID] = true
			ids = append(ids, strconv.FormatInt(n.ID, 10))
		}
	}
	return strings.Join(ids, ","), len(ids)*5 >= len(tree), nil
}
