package insight

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// The reads of the chain map and the breakdowns. They read only the
// rollups (insight_cells, insight_leaders, insight_contributions) and the
// registry's catalogues (chain tree, industry codes, indicators, names of
// enterprises), never the raw figures. An office area's unit reads the
// pair cells of a dimension crossed with the area, keeping its own key.

// Source names where every figure comes from: the registry's effective
// value per enterprise, indicator and year, chosen by the sources'
// precedence.
const (
	SourceZH = "企业库有效值：统计 > 税务 > 人工 > 自报"
	SourceEN = "effective registry values: statistics > tax > staff > self-reported"
)

// MapTiers are the tiers the chain map counts, in its order.
var MapTiers = []string{"hnte", "gazelle", "srdi", "little_giant"}

// Minimum and maximum year a read accepts (0, the registry now, aside).
const (
	minYear = 2000
	maxYear = 2100
)

var (
	errNoRead = errs.New(errs.Forbidden, "无权查看产业大脑统计", "not allowed to read the industry brain's figures")
	errCross  = errs.New(errs.Forbidden, "办事处只能查看本辖区的统计：可按一个维度或该维度 × 区域查看，不能交叉两个非区域维度",
		"an office area reads its own area only: one dimension, or one crossed with the area, but not two other dimensions crossed")
)

// scope is what v may read: the whole zone, or one area's key.
func scope(v Viewer) (area string, err error) {
	if v.Zone() {
		return "", nil
	}
	if v.Role == org.UnitStaff && v.AreaOnly && v.UnitID != 0 {
		return strconv.FormatInt(v.UnitID, 10), nil
	}
	return "", errNoRead
}

// checkYear refuses a year out of range; zero is allowed only when now is.
func checkYear(year int, now bool) error {
	if (year == 0 && now) || (year >= minYear && year <= maxYear) {
		return nil
	}
	if now {
		return errs.Field("year", "年度应为 0（当前）或 2000–2100", "year must be 0 (now) or 2000–2100")
	}
	return errs.Field("year", "年度应为 2000–2100", "year must be 2000–2100")
}

// DefaultYear is the latest year with figures in the rollups, or this
// year when none has any.
func (s *Service) DefaultYear(ctx context.Context) (int, error) {
	var y sql.NullInt64
	if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT MAX(year) FROM insight_cells WHERE year <> 0").Scan(&y); err != nil {
		return 0, fmt.Errorf("insight: default year: %w", err)
	}
	if !y.Valid {
		return s.now().Year(), nil
	}
	return int(y.Int64), nil
}

// Years lists the years with figures in the rollups, newest first.
func (s *Service) Years(ctx context.Context) ([]int, error) {
	ys, err := cellYears(ctx, s.DB.Read(ctx))
	if err != nil {
		return nil, err
	}
	if len(ys) > 0 && ys[len(ys)-1] == 0 { // the registry now, not a year
		ys = ys[:len(ys)-1]
	}
	return ys[:min(len(ys), 50)], nil
}

// cellYears lists the years the rollups hold cells for, newest first, 0
// (the registry now) last if held. The probes walk down the cells' key,
// one index seek a year, in one statement (a recursive query) rather than
// a round trip each.
func cellYears(ctx context.Context, q db.Querier) ([]int, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE y(year, n) AS (
			SELECT (SELECT MAX(year) FROM insight_cells), 1
			UNION ALL
			SELECT (SELECT MAX(year) FROM insight_cells WHERE year < y.year), y.n + 1 FROM y
			WHERE y.year IS NOT NULL AND y.n < 100)
		SELECT year FROM y WHERE year IS NOT NULL ORDER BY year DESC`)
	if err != nil {
		return nil, fmt.Errorf("insight: years: %w", err)
	}
	defer rows.Close()
	out := []int{}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("insight: years: %w", err)
		}
		out = append(out, y)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insight: years: %w", err)
	}
	return out, nil
}

// cellRead is one row of insight_cells.
type cellRead struct {
	year int
	key  string
	sums Sums
}

// cellsOf reads every cell of dims in the years named, in one statement;
// for an area's reader (area != "") only the cells whose area part (at
// position pos of the key) is theirs, with that part dropped from the
// key.
func (s *Service) cellsOf(ctx context.Context, dims string, years []int, area string, pos int) ([]cellRead, error) {
	args := []any{dims}
	ph := make([]string, len(years))
	for i, y := range years {
		args = append(args, y)
		ph[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT year, key, n, body FROM insight_cells WHERE dims = $1 AND year IN ("+strings.Join(ph, ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("insight: cells: %w", err)
	}
	defer rows.Close()
	var out []cellRead
	for rows.Next() {
		var c cellRead
		var body string
		if err := rows.Scan(&c.year, &c.key, &c.sums.N, &body); err != nil {
			return nil, fmt.Errorf("insight: cells: %w", err)
		}
		if area != "" {
			parts := strings.Split(c.key, "|")
			if pos >= len(parts) || parts[pos] != area {
				continue
			}
			parts = slices.Delete(parts, pos, pos+1)
			c.key = strings.Join(parts, "|")
		}
		if c.sums, err = parseSums(c.sums.N, body); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Leader is one of a node's top enterprises by revenue in a year.
type Leader struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	Revenue      int64  `json:"revenue"` // fen
}

// NodeFigures are one chain node's figures: the enterprises it has now
// and in the year, sums of the year's effective values, growth on the
// year before, tier holders at the year's end, its top enterprises.
type NodeFigures struct {
	Node        enterprise.ChainNode `json:"node"`
	Now         int64                `json:"enterprises_now"`       // operating now (year 0)
	Reporting   int64                `json:"enterprises_reporting"` // with figures in the year
	Revenue     int64                `json:"revenue"`               // fen
	Taxes       int64                `json:"taxes"`                 // fen
	RDSpend     int64                `json:"rd_spend"`              // fen
	RDIntensity *float64             `json:"rd_intensity"`          // R&D spending / revenue; null without revenue
	PrevRevenue int64                `json:"prev_revenue"`          // fen, the year before
	Growth      *float64             `json:"revenue_growth"`        // on the year before; null without revenue then
	Tiers       map[string]int64     `json:"tiers"`                 // holders of MapTiers at the year's end
	Top         []Leader             `json:"top"`                   // up to 3 by revenue in the year
}

// ChainMap is the chain map of a year.
type ChainMap struct {
	Year     int           `json:"year"`
	PrevYear int           `json:"prev_year"`
	NowLabel string        `json:"now"` // the day year 0 counts
	SourceZH string        `json:"source_zh"`
	SourceEN string        `json:"source_en"`
	AreaID   int64         `json:"area_unit_id,omitempty"` // an area's reader: the area it sees
	Nodes    []NodeFigures `json:"nodes"`
}

// Node finds a node's figures by code.
func (m ChainMap) Node(code string) (NodeFigures, bool) {
	for _, n := range m.Nodes {
		if n.Node.Code == code {
			return n, true
		}
	}
	return NodeFigures{}, false
}

// Children lists the figures of the nodes directly under id.
func (m ChainMap) Children(id int64) []NodeFigures {
	var out []NodeFigures
	for _, n := range m.Nodes {
		if n.Node.ParentID == id {
			out = append(out, n)
		}
	}
	return out
}

// topN is how many leading enterprises a node shows.
const topN = 3

// ChainMap reads every chain node's figures for year (2000–2100), in
// tree order. Errors: Forbidden, Invalid (year).
func (s *Service) ChainMap(ctx context.Context, v Viewer, year int) (ChainMap, error) {
	area, err := scope(v)
	if err != nil {
		return ChainMap{}, err
	}
	if err := checkYear(year, false); err != nil {
		return ChainMap{}, err
	}
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return ChainMap{}, err
	}
	m := ChainMap{Year: year, PrevYear: year - 1, SourceZH: SourceZH, SourceEN: SourceEN}
	if err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT day FROM insight_state WHERE id = 1").Scan(&m.NowLabel); err != nil {
		return m, fmt.Errorf("insight: state: %w", err)
	}
	dims := DimChain
	if area != "" {
		dims, m.AreaID = DimChain+"|"+DimArea, v.UnitID
	}
	cells, err := s.cellsOf(ctx, dims, []int{0, year - 1, year}, area, 1)
	if err != nil {
		return m, err
	}
	byYear := map[int]map[string]*Sums{0: {}, year - 1: {}, year: {}}
	for i := range cells {
		byYear[cells[i].year][cells[i].key] = &cells[i].sums
	}
	get := func(y int, id int64) *Sums {
		if c := byYear[y][strconv.FormatInt(id, 10)]; c != nil {
			return c
		}
		return &Sums{}
	}
	tops, err := s.leaders(ctx, tree, year, area)
	if err != nil {
		return m, err
	}
	for _, n := range tree {
		now, cur, prev := get(0, n.ID), get(year, n.ID), get(year-1, n.ID)
		f := NodeFigures{Node: n, Now: now.N, Reporting: cur.N, Revenue: cur.Sum["revenue"], Taxes: cur.Sum["taxes"],
			RDSpend: cur.Sum["rd_spend"], PrevRevenue: prev.Sum["revenue"], Tiers: map[string]int64{}, Top: tops[n.ID]}
		if f.Revenue > 0 {
			r := float64(f.RDSpend) / float64(f.Revenue)
			f.RDIntensity = &r
		}
		if f.PrevRevenue > 0 {
			g := float64(f.Revenue-f.PrevRevenue) / float64(f.PrevRevenue)
			f.Growth = &g
		}
		for _, t := range MapTiers {
			f.Tiers[t] = cur.Tiers[t]
		}
		if f.Top == nil {
			f.Top = []Leader{}
		}
		m.Nodes = append(m.Nodes, f)
	}
	return m, nil
}

// leaders finds each node's top enterprises by revenue in year: each
// node's own leaders probed from insight_leaders (for an area's reader,
// paging on until enough of them are in the area, by their recorded
// contribution), then merged over each node's subtree.
func (s *Service) leaders(ctx context.Context, tree []enterprise.ChainNode, year int, area string) (map[int64][]Leader, error) {
	own := map[int64][]Leader{}
	if area == "" {
		var err error
		if own, err = s.zoneLeaders(ctx, tree, year); err != nil {
			return nil, err
		}
	} else {
		for _, n := range tree {
			l, err := s.nodeLeaders(ctx, n.ID, year, area)
			if err != nil {
				return nil, err
			}
			own[n.ID] = l
		}
	}
	kids := map[int64][]int64{}
	for _, n := range tree {
		kids[n.ParentID] = append(kids[n.ParentID], n.ID)
	}
	out := map[int64][]Leader{}
	var ids []int64
	for _, n := range tree {
		var all []Leader
		stack := []int64{n.ID}
		for len(stack) > 0 {
			at := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			all = append(all, own[at]...)
			stack = append(stack, kids[at]...)
		}
		slices.SortFunc(all, func(a, b Leader) int {
			// The probes' order: revenue, then the newer enterprise first.
			return cmp.Or(cmp.Compare(b.Revenue, a.Revenue), cmp.Compare(b.EnterpriseID, a.EnterpriseID))
		})
		all = slices.CompactFunc(all, func(a, b Leader) bool { return a.EnterpriseID == b.EnterpriseID })
		if len(all) > topN {
			all = all[:topN]
		}
		out[n.ID] = all
		for _, l := range all {
			ids = append(ids, l.EnterpriseID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	names, err := s.Registry.Briefs(ctx, nil, ids)
	if err != nil {
		return nil, err
	}
	for _, l := range out {
		for i := range l {
			l[i].Name = names[l[i].EnterpriseID].Name
		}
	}
	return out, nil
}

// zoneProbes bounds the per-node probes put in one statement (SQLite
// allows 500 terms in a compound SELECT).
const zoneProbes = 200

// zoneLeaders probes each node's own first topN leaders, as nodeLeaders
// does for a zone reader, but many nodes in one statement: a UNION ALL of
// one ordered, limited probe per node, each still a short range of the
// leaders' index, instead of a round trip per node. The rows come in no
// promised order; leaders sorts them as it merges each subtree.
func (s *Service) zoneLeaders(ctx context.Context, tree []enterprise.ChainNode, year int) (map[int64][]Leader, error) {
	own := make(map[int64][]Leader, len(tree))
	for start := 0; start < len(tree); start += zoneProbes {
		part := tree[start:min(start+zoneProbes, len(tree))]
		probes := make([]string, len(part))
		args := []any{year}
		for i, n := range part {
			args = append(args, n.ID)
			probes[i] = fmt.Sprintf(`SELECT * FROM (SELECT node_id, revenue, enterprise_id FROM insight_leaders
				WHERE year = $1 AND node_id = $%d ORDER BY revenue DESC, enterprise_id DESC LIMIT %d) p%d`, i+2, topN, i)
		}
		rows, err := s.DB.Read(ctx).QueryContext(ctx, strings.Join(probes, "\nUNION ALL\n"), args...)
		if err != nil {
			return nil, fmt.Errorf("insight: leaders: %w", err)
		}
		for rows.Next() {
			var node int64
			var l Leader
			if err := rows.Scan(&node, &l.Revenue, &l.EnterpriseID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("insight: leaders: %w", err)
			}
			own[node] = append(own[node], l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("insight: leaders: %w", err)
		}
	}
	return own, nil
}

// nodeLeaders probes one node's own leaders, best first: the first topN,
// or for an area's reader the first topN of its area.
func (s *Service) nodeLeaders(ctx context.Context, node int64, year int, area string) ([]Leader, error) {
	// A zone reader takes the first topN; an area's reader pages on.
	page := topN
	if area != "" {
		page = 50
	}
	var out []Leader
	q := "SELECT revenue, enterprise_id FROM insight_leaders WHERE year = $1 AND node_id = $2"
	order := " ORDER BY revenue DESC, enterprise_id DESC LIMIT " + strconv.Itoa(page)
	args := []any{year, node}
	for {
		rows, err := s.DB.Read(ctx).QueryContext(ctx, q+order, args...)
		if err != nil {
			return nil, fmt.Errorf("insight: leaders: %w", err)
		}
		var got []Leader
		for rows.Next() {
			var l Leader
			if err := rows.Scan(&l.Revenue, &l.EnterpriseID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("insight: leaders: %w", err)
			}
			got = append(got, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("insight: leaders: %w", err)
		}
		keep := got
		if area != "" {
			if keep, err = s.inArea(ctx, got, year, area); err != nil {
				return nil, err
			}
		}
		out = append(out, keep...)
		if len(out) >= topN || len(got) < page || area == "" {
			break
		}
		last := got[len(got)-1]
		q = "SELECT revenue, enterprise_id FROM insight_leaders WHERE year = $1 AND node_id = $2 AND (revenue < $3 OR (revenue = $3 AND enterprise_id < $4))"
		args = []any{year, node, last.Revenue, last.EnterpriseID}
	}
	if len(out) > topN {
		out = out[:topN]
	}
	return out, nil
}

// inArea keeps the leaders whose contribution to year was in area.
func (s *Service) inArea(ctx context.Context, l []Leader, year int, area string) ([]Leader, error) {
	if len(l) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(l))
	for i, x := range l {
		ids[i] = x.EnterpriseID
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT enterprise_id, body FROM insight_contributions WHERE enterprise_id IN ("+idList(ids)+")")
	if err != nil {
		return nil, fmt.Errorf("insight: facts: %w", err)
	}
	defer rows.Close()
	ok := map[int64]bool{}
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("insight: facts: %w", err)
		}
		err := parseContributions(body, func(y int, f facts) {
			if y == year && f.Area == area {
				ok[id] = true
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insight: facts: %w", err)
	}
	var out []Leader
	for _, x := range l {
		if ok[x.EnterpriseID] {
			out = append(out, x)
		}
	}
	return out, nil
}

// Label is a key of a dimension in words.
type Label struct {
	Key   string `json:"key"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
	Depth int    `json:"depth,omitempty"` // chain nodes: depth in the tree
}

// Breakdown is a measure by one dimension, or two crossed: Values[i][j]
// is the measure of row i and column j (one column when B is "").
type Breakdown struct {
	Year      int       `json:"year"` // 0: the registry now
	A         string    `json:"a"`
	B         string    `json:"b,omitempty"`
	Measure   string    `json:"measure"`
	MeasureZH string    `json:"measure_zh"`
	MeasureEN string    `json:"measure_en"`
	Money     bool      `json:"money"` // values are fen
	SourceZH  string    `json:"source_zh"`
	SourceEN  string    `json:"source_en"`
	AreaID    int64     `json:"area_unit_id,omitempty"` // an area's reader: the area it sees
	Rows      []Label   `json:"rows"`
	Cols      []Label   `json:"cols"`
	Values    [][]int64 `json:"values"`
	Max       int64     `json:"max"`
}

// DimName is a dimension in words.
func DimName(d string) (string, string) {
	switch d {
	case DimChain:
		return "产业链", "Industry chain"
	case DimArea:
		return "办事处", "Office area"
	case DimSection:
		return "行业门类", "Industry section"
	case DimDivision:
		return "行业大类", "Industry division"
	case DimSize:
		return "企业规模", "Size band"
	case DimCohort:
		return "注册年份", "Registration year"
	case DimTier:
		return "梯队资质", "Tier"
	}
	return d, d
}

// SizeName is a size band in words.
func SizeName(b string) (string, string) {
	switch b {
	case SizeLarge:
		return "大型", "Large"
	case SizeMedium:
		return "中型", "Medium"
	case SizeSmall:
		return "小型", "Small"
	case SizeMicro:
		return "微型", "Micro"
	}
	return "未知", "Unknown"
}

// measure checks a measure and names it: "n", an indicator code, or
// "tier:<code>".
func (s *Service) measure(ctx context.Context, m string) (zh, en string, money bool, err error) {
	if m == "" || m == "n" {
		return "企业数", "Enterprises", false, nil
	}
	if t, ok := strings.CutPrefix(m, "tier:"); ok {
		for _, k := range enterprise.Tiers {
			if k.Code == t {
				return k.NameZH + "企业数", k.NameEN + " holders", false, nil
			}
		}
		return "", "", false, errs.Field("measure", "未知的梯队资质："+t, "unknown tier: "+t)
	}
	inds, err := s.Registry.Indicators(ctx)
	if err != nil {
		return "", "", false, err
	}
	for _, i := range inds {
		if i.Code == m {
			zh, en = i.NameZH+"合计", i.NameEN+", total"
			if i.Unit != "" && !i.Money() {
				zh += "（" + i.Unit + "）"
			}
			return zh, en, i.Money(), nil
		}
	}
	return "", "", false, errs.Field("measure", "未知的统计量："+m, "unknown measure: "+m)
}

// value reads a measure off a cell.
func value(s *Sums, m string) int64 {
	if m == "" || m == "n" {
		return s.N
	}
	if t, ok := strings.CutPrefix(m, "tier:"); ok {
		return s.Tiers[t]
	}
	return s.Sum[m]
}

// Breakdown reads measure by dimension a, crossed with b unless b is "",
// for year (0: the registry now). Errors: Forbidden (the reader, or an
// area's reader crossing two dimensions other than the area), Invalid
// naming a, b, measure or year.
func (s *Service) Breakdown(ctx context.Context, v Viewer, year int, a, b, measure string) (Breakdown, error) {
	area, err := scope(v)
	if err != nil {
		return Breakdown{}, err
	}
	if dimIndex(a) < 0 {
		return Breakdown{}, errs.Field("a", "未知的维度："+a, "unknown dimension: "+a)
	}
	if b != "" && dimIndex(b) < 0 {
		return Breakdown{}, errs.Field("b", "未知的维度："+b, "unknown dimension: "+b)
	}
	if a == b {
		return Breakdown{}, errs.Field("b", "两个维度不能相同", "the two dimensions must differ")
	}
	if err := checkYear(year, true); err != nil {
		return Breakdown{}, err
	}
	if measure == "" {
		measure = "n"
	}
	out := Breakdown{Year: year, A: a, B: b, Measure: measure, SourceZH: SourceZH, SourceEN: SourceEN}
	if out.MeasureZH, out.MeasureEN, out.Money, err = s.measure(ctx, measure); err != nil {
		return out, err
	}
	// Which cells: the pair's (or a alone); an area's reader the cells of
	// its dimension crossed with the area, keeping its own area.
	dims, _ := PairName(a, b)
	pos := -1
	if area != "" {
		out.AreaID = v.UnitID
		other := a
		switch {
		case a == DimArea:
			other = b
		case b == DimArea || b == "":
		default:
			return out, errCross
		}
		if other == "" {
			dims, pos = DimArea, 0
		} else {
			dims, _ = PairName(other, DimArea)
			pos = 1
			if dimIndex(other) > dimIndex(DimArea) {
				pos = 0
			}
		}
	}
	cells, err := s.cellsOf(ctx, dims, []int{year}, area, max(pos, 0))
	if err != nil {
		return out, err
	}
	val := map[[2]string]int64{}
	keysA, keysB := map[string]bool{}, map[string]bool{}
	for i := range cells {
		c := &cells[i]
		var ka, kb string
		switch {
		case area == "" && b == "":
			ka = c.key
		case area == "":
			// The pair's key is in the fixed order of the dimensions.
			k1, k2, _ := strings.Cut(c.key, "|")
			ka, kb = k1, k2
			if dimIndex(b) < dimIndex(a) {
				ka, kb = k2, k1
			}
		case a == DimArea:
			// cellsOf dropped the area part: it is the reader's.
			ka, kb = area, c.key
		case b == DimArea:
			ka, kb = c.key, area
		default:
			ka = c.key
		}
		keysA[ka] = true
		keysB[kb] = true
		val[[2]string{ka, kb}] += value(&c.sums, measure)
	}
	if out.Rows, err = s.labels(ctx, a, keysA); err != nil {
		return out, err
	}
	if b == "" {
		out.Cols = []Label{{Key: "", ZH: out.MeasureZH, EN: out.MeasureEN}}
	} else if out.Cols, err = s.labels(ctx, b, keysB); err != nil {
		return out, err
	}
	for _, r := range out.Rows {
		row := make([]int64, len(out.Cols))
		for j, c := range out.Cols {
			row[j] = val[[2]string{r.Key, c.Key}]
			out.Max = max(out.Max, row[j])
		}
		out.Values = append(out.Values, row)
	}
	return out, nil
}

// labels names the keys of dimension d, in the dimension's order, "-"
// (未归属/未知) last.
func (s *Service) labels(ctx context.Context, d string, keys map[string]bool) ([]Label, error) {
	var out []Label
	none := func() Label {
		if d == DimChain || d == DimArea {
			return Label{Key: None, ZH: "未归属", EN: "Unassigned"}
		}
		if d == DimTier {
			return Label{Key: None, ZH: "无", EN: "None"}
		}
		return Label{Key: None, ZH: "未知", EN: "Unknown"}
	}
	switch d {
	case DimChain:
		tree, err := s.Registry.ChainTree(ctx)
		if err != nil {
			return nil, err
		}
		for _, n := range tree {
			if k := strconv.FormatInt(n.ID, 10); keys[k] {
				out = append(out, Label{Key: k, ZH: n.NameZH, EN: n.NameEN, Depth: n.Depth})
			}
		}
	case DimArea:
		units, err := s.Org.Units(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			if k := strconv.FormatInt(u.ID, 10); keys[k] {
				en := u.NameEN
				if en == "" {
					en = u.NameZH
				}
				out = append(out, Label{Key: k, ZH: u.NameZH, EN: en})
			}
		}
	case DimSection, DimDivision:
		codes, err := s.Registry.IndustryCodes(ctx)
		if err != nil {
			return nil, err
		}
		level := "section"
		word := "门类 "
		if d == DimDivision {
			level, word = "division", "大类 "
		}
		for _, c := range codes {
			if c.Level == level && keys[c.Code] {
				out = append(out, Label{Key: c.Code, ZH: c.Code + " " + c.NameZH, EN: strings.TrimSpace(word) + " " + c.Code + " · " + c.NameZH})
			}
		}
	case DimSize:
		for _, b := range []string{SizeLarge, SizeMedium, SizeSmall, SizeMicro} {
			if keys[b] {
				zh, en := SizeName(b)
				out = append(out, Label{Key: b, ZH: zh, EN: en})
			}
		}
	case DimCohort:
		var ys []string
		for k := range keys {
			if k != None {
				ys = append(ys, k)
			}
		}
		slices.Sort(ys)
		for _, y := range ys {
			out = append(out, Label{Key: y, ZH: y + "年", EN: y})
		}
	case DimTier:
		for _, t := range enterprise.Tiers {
			if keys[t.Code] {
				out = append(out, Label{Key: t.Code, ZH: t.NameZH, EN: t.NameEN})
			}
		}
	}
	// Keys the catalogues no longer know (a node or unit removed) keep
	// their key as their name rather than vanish from the totals.
	known := map[string]bool{None: true}
	for _, l := range out {
		known[l.Key] = true
	}
	var rest []string
	for k := range keys {
		if !known[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, Label{Key: k, ZH: k, EN: k})
	}
	if keys[None] {
		out = append(out, none())
	}
	return out, nil
}
