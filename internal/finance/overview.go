package finance

import (
	"context"
	"fmt"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// The staff overview and an institution's funnel: what the pages draw
// (the funnel chart, money received by chain and month, institutions on
// a map of stages × chains), read from the rollups and a few grouped
// queries, whatever the number of events.

// The seed's targets for the plaza (科技与金融深度融合行动): 160 venture
// firms with 2,000 亿元 of capital.
const (
	TargetSettled    = 160
	TargetCapitalFen = 2_000 * 100_000_000 * 100
)

// Overview is the staff's view of a year.
type Overview struct {
	Year int `json:"year"`
	// Settled and CapitalFen are the stock at the year's end (or today):
	// approved institutions settled in the plaza, sub-funds left out;
	// the targets are the seed's.
	Settled          int   `json:"settled"`
	CapitalFen       int64 `json:"capital_fen"`
	TargetSettled    int   `json:"target_settled"`
	TargetCapitalFen int64 `json:"target_capital_fen"`
	// Funnel counts the matches that reached each step in the year, in
	// the steps' order; Closed those closed in it.
	Funnel []StepCount `json:"funnel"`
	Closed int         `json:"closed"`
	// FundedFen is the money received in the year; ByChain splits it by
	// industry (the nodes one level below the three groups) and month.
	FundedFen int64        `json:"funded_fen"`
	ByChain   []ChainMonth `json:"by_chain"`
	// Map counts approved institutions by stage and industry ("" chain:
	// they invest in every chain).
	Map []MapCell `json:"map"`
}

// StepCount is a funnel step with how many matches reached it.
type StepCount struct {
	Step   string `json:"step"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Count  int    `json:"count"`
}

// ChainMonth is the money an industry received, month by month.
type ChainMonth struct {
	Chain  ChainRef  `json:"chain"`
	Months [12]int64 `json:"months"` // fen, January first
	Total  int64     `json:"total"`
}

// MapCell is the number of institutions at a stage in an industry.
type MapCell struct {
	Stage string `json:"stage"`
	Chain string `json:"chain"` // an industry's code; "" every chain
	Count int    `json:"count"`
}

// Overview reads the year's overview for staff. Errors: Forbidden,
// Invalid (year).
func (s *Service) Overview(ctx context.Context, v Viewer, year int) (Overview, error) {
	if !v.Staff() {
		return Overview{}, errs.New(errs.Forbidden, "只有工作人员可以查看科技金融总览", "only staff read the overview")
	}
	if year < 2000 || year > 2100 {
		return Overview{}, errs.Field("year", "年份无效："+strconv.Itoa(year), "bad year: "+strconv.Itoa(year))
	}
	o := Overview{Year: year, Funnel: []StepCount{}, ByChain: []ChainMonth{}, Map: []MapCell{},
		TargetSettled: TargetSettled, TargetCapitalFen: TargetCapitalFen}
	end := fmt.Sprintf("%04d-12-31", year)
	if t := s.Today(); t < end {
		end = t
	}
	var capital money.SQLSum
	if err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(aum_fen), 0) FROM finance_institutions
		WHERE state = 'approved' AND parent_id IS NULL AND settled_on <> '' AND settled_on <= $1`, end).Scan(&o.Settled, &capital); err != nil {
		return o, fmt.Errorf("finance: overview: %w", err)
	}
	o.CapitalFen = int64(capital)
	a, err := s.ancestry(ctx)
	if err != nil {
		return o, err
	}
	nodes, err := s.nodes(ctx)
	if err != nil {
		return o, err
	}
	counts := map[string]int{}
	byChain := map[int64]*ChainMonth{}
	var order []int64
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT node_id, step, ym, n, fen FROM finance_step_months
		WHERE ym >= $1 AND ym <= $2 ORDER BY node_id, step, ym`, fmt.Sprintf("%04d-01", year), fmt.Sprintf("%04d-12", year))
	if err != nil {
		return o, fmt.Errorf("finance: overview: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var node int64
		var step, ym string
		var n int
		var fen money.SQLSum
		if err := rows.Scan(&node, &step, &ym, &n, &fen); err != nil {
			return o, err
		}
		switch {
		case node == 0:
			counts[step] += n
			if step == StepFunded {
				o.FundedFen += int64(fen)
			}
		case step == StepFunded && a.industry(node) == node && a[node] != 0:
			c := byChain[node]
			if c == nil {
				c = &ChainMonth{Chain: nodes[node]}
				byChain[node] = c
				order = append(order, node)
			}
			mo, _ := strconv.Atoi(ym[5:7])
			if mo >= 1 && mo <= 12 {
				c.Months[mo-1] += int64(fen)
				c.Total += int64(fen)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return o, err
	}
	for _, st := range Steps {
		o.Funnel = append(o.Funnel, StepCount{Step: st.Code, NameZH: st.NameZH, NameEN: st.NameEN, Count: counts[st.Code]})
	}
	o.Closed = counts[StepClosed]
	for _, id := range order {
		o.ByChain = append(o.ByChain, *byChain[id])
	}
	o.Map, err = s.stageMap(ctx, nodes)
	return o, err
}

// stageMap reads the map's rollup (stagemap.go): approved institutions
// by stage and industry, each once per cell.
func (s *Service) stageMap(ctx context.Context, nodes map[int64]ChainRef) ([]MapCell, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT stage, node_id, n FROM finance_stage_map WHERE n > 0 ORDER BY stage, node_id")
	if err != nil {
		return nil, fmt.Errorf("finance: stage map: %w", err)
	}
	defer rows.Close()
	type cell struct {
		stage string
		chain int64
	}
	count := map[cell]int{}
	for rows.Next() {
		var k cell
		var n int
		if err := rows.Scan(&k.stage, &k.chain, &n); err != nil {
			return nil, err
		}
		count[k] += n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []MapCell{}
	for _, st := range Stages {
		if c := count[cell{st.Code, 0}]; c > 0 {
			out = append(out, MapCell{Stage: st.Code, Count: c})
		}
		for id, n := range nodes {
			if c := count[cell{st.Code, id}]; c > 0 {
				out = append(out, MapCell{Stage: st.Code, Chain: n.Code, Count: c})
			}
		}
	}
	sortCells(out)
	return out, nil
}

// sortCells orders the map by stage, then chain code.
func sortCells(cs []MapCell) {
	pos := map[string]int{}
	for k, st := range Stages {
		pos[st.Code] = k
	}
	for a := 1; a < len(cs); a++ {
		for b := a; b > 0; b-- {
			x, y := cs[b-1], cs[b]
			if pos[x.Stage] < pos[y.Stage] || (x.Stage == y.Stage && x.Chain <= y.Chain) {
				break
			}
			cs[b-1], cs[b] = y, x
		}
	}
}

// InstitutionFunnel counts an institution's matches by the step they
// stand at (open ones) and the closed ones: its own accounts and staff.
// Errors: NotFound.
func (s *Service) InstitutionFunnel(ctx context.Context, v Viewer, instID int64) ([]StepCount, int, error) {
	mine, _, err := s.member(ctx, s.DB.R, v)
	if err != nil {
		return nil, 0, err
	}
	if !v.Staff() && (mine == 0 || (instID != 0 && instID != mine)) {
		return nil, 0, errNoInstitution
	}
	if instID == 0 {
		instID = mine
	}
	ps, err := pairs(ctx, s.DB.R, `SELECT COUNT(*), CASE WHEN state = 'closed' THEN 'closed' ELSE step END FROM finance_matches
		WHERE institution_id = $1 GROUP BY CASE WHEN state = 'closed' THEN 'closed' ELSE step END`, instID)
	if err != nil {
		return nil, 0, err
	}
	at := map[string]int{}
	for _, p := range ps {
		at[p.v] = int(p.id)
	}
	out := []StepCount{}
	for _, st := range Steps {
		out = append(out, StepCount{Step: st.Code, NameZH: st.NameZH, NameEN: st.NameEN, Count: at[st.Code]})
	}
	return out, at[StepClosed], nil
}
