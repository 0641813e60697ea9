package finance

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
)

// Matching ranks the institutions that fit a need (fit.go), and the needs
// that fit an institution, by five terms, each with its points and its
// reason in words (100 points in all):
//
//   - 阶段 stage (20): the need's stage is among the institution's; 20 when
//     it invests at two stages or fewer (a specialist), 15 at three or
//     four, 10 at more.
//   - 产业链 chain (25): 25 when it lists one of the need's own nodes, 18
//     when it lists a node above one (the broader chain), 8 when it lists
//     none (it invests in every chain).
//   - 单笔规模 ticket (20): with an upper bound, 20 when the need asks at
//     least a quarter of it, 14 at least a tenth, 8 below; 10 without an
//     upper bound.
//   - 金融工具 instrument (15): 15 when it offers two instruments or fewer,
//     10 at more.
//   - 过往案例 past deals (20): 5 for each deal it funded (到位) in the
//     need's industries (the chain nodes one level below the three
//     groups, 物联网, 新材料…), at most 20; read from the rollup that
//     funding keeps (finance_institution_deals).
//
// Ties go to more past deals, then the older institution (or the newer
// need).

// Reason is one term of a ranking with its points and words.
type Reason struct {
	Term   string `json:"term"` // stage, chain, ticket, instrument, deals
	Points int    `json:"points"`
	Max    int    `json:"max"`
	ZH     string `json:"zh"`
	EN     string `json:"en"`
}

// RankedInstitution is an institution that fits a need, scored.
type RankedInstitution struct {
	Institution Institution `json:"institution"`
	Score       int         `json:"score"`
	Reasons     []Reason    `json:"reasons"`
	Sees        bool        `json:"sees"` // the need's audience lets it in
	Deals       int         `json:"deals"`
}

// RankedNeed is a need that fits an institution, scored.
type RankedNeed struct {
	Need    Need     `json:"need"`
	Score   int      `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// industry is the node one level below a root that node sits in (the
// node itself for a root or such a node).
func (a ancestry) industry(node int64) int64 {
	for depth := 0; depth <= len(a); depth++ {
		p := a[node]
		if p == 0 || a[p] == 0 {
			return node
		}
		node = p
	}
	return node
}

// industries lists the distinct industries of chains.
func (a ancestry) industries(chains []ChainRef) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, c := range chains {
		if k := a.industry(c.ID); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// score rates institution i for need n, deals being i's past deals in the
// need's industries.
func score(a ancestry, i Institution, n Need, deals int) (int, []Reason) {
	var rs []Reason
	add := func(term string, pts, max int, zh, en string) {
		rs = append(rs, Reason{Term: term, Points: pts, Max: max, ZH: zh, EN: en})
	}
	stZH, stEN := StageLabel(n.Stage)
	switch k := len(i.Stages); {
	case k <= 2:
		add("stage", 20, 20, fmt.Sprintf("专注%s（投资 %d 个阶段）", stZH, k), fmt.Sprintf("focused on %s (%d stages)", stEN, k))
	case k <= 4:
		add("stage", 15, 20, fmt.Sprintf("投资阶段含%s（共 %d 个阶段）", stZH, k), fmt.Sprintf("invests at %s among %d stages", stEN, k))
	default:
		add("stage", 10, 20, fmt.Sprintf("投资阶段含%s（覆盖 %d 个阶段）", stZH, k), fmt.Sprintf("invests at %s among %d stages", stEN, k))
	}
	chain := func() (int, string, string) {
		if len(i.Chains) == 0 {
			return 8, "不限产业链", "invests in every chain"
		}
		for _, ic := range i.Chains {
			for _, nc := range n.Chains {
				if ic.ID == nc.ID {
					return 25, "专注" + ic.NameZH + "产业链", "focused on " + ic.NameEN
				}
			}
		}
		for _, ic := range i.Chains {
			for _, nc := range n.Chains {
				for _, up := range a.up(nc.ID) {
					if up == ic.ID {
						return 18, "投资" + ic.NameZH + "产业链（含" + nc.NameZH + "）", "invests in " + ic.NameEN + " (which holds " + nc.NameEN + ")"
					}
				}
			}
		}
		return 0, "产业链不符", "no chain in common"
	}
	p, zh, en := chain()
	add("chain", p, 25, zh, en)
	amt := fmtFen(n.AmountFen)
	switch {
	case i.TicketMaxFen == 0:
		add("ticket", 10, 20, "需求 "+amt+"，机构单笔不设上限", "asks "+amt+"; no ticket cap")
	case n.AmountFen >= (i.TicketMaxFen+3)/4:
		add("ticket", 20, 20, "需求 "+amt+"，处于单笔 "+fmtFen(i.TicketMinFen)+"–"+fmtFen(i.TicketMaxFen)+" 的主力区间",
			"asks "+amt+", in the heart of its "+fmtFen(i.TicketMinFen)+"–"+fmtFen(i.TicketMaxFen)+" ticket")
	case n.AmountFen >= (i.TicketMaxFen+9)/10:
		add("ticket", 14, 20, "需求 "+amt+"，在单笔 "+fmtFen(i.TicketMinFen)+"–"+fmtFen(i.TicketMaxFen)+" 之内",
			"asks "+amt+", within its "+fmtFen(i.TicketMinFen)+"–"+fmtFen(i.TicketMaxFen)+" ticket")
	default:
		add("ticket", 8, 20, "需求 "+amt+"，低于机构常规单笔规模", "asks "+amt+", below its usual ticket")
	}
	inZH, inEN := InstrumentLabel(n.Instrument)
	if len(i.Instruments) <= 2 {
		add("instrument", 15, 15, "主营"+inZH, "mainly "+inEN)
	} else {
		add("instrument", 10, 15, "提供"+inZH+"等 "+strconv.Itoa(len(i.Instruments))+" 种工具", "offers "+inEN+" among "+strconv.Itoa(len(i.Instruments)))
	}
	dp := min(5*deals, 20)
	if deals == 0 {
		add("deals", 0, 20, "该产业链尚无到位案例", "no deals funded in the chain yet")
	} else {
		add("deals", dp, 20, fmt.Sprintf("该产业链已有 %d 笔资金到位", deals), fmt.Sprintf("%d deals funded in the chain", deals))
	}
	total := 0
	for _, r := range rs {
		total += r.Points
	}
	return total, rs
}

// fmtFen words an amount in 万元 or 亿元 (truncated to two decimals).
func fmtFen(fen int64) string {
	switch {
	case fen >= 10_000_000_000:
		return fmt.Sprintf("%d.%02d 亿元", fen/10_000_000_000, fen%10_000_000_000/100_000_000)
	case fen >= 1_000_000:
		return fmt.Sprintf("%d 万元", fen/1_000_000)
	}
	return fmt.Sprintf("%d.%02d 元", fen/100, fen%100)
}

// pastDeals reads institutions' funded deals in the industries, summed.
func (s *Service) pastDeals(ctx context.Context, industries []int64, insts []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(industries) == 0 || len(insts) == 0 {
		return out, nil
	}
	q := "SELECT institution_id, SUM(deals) FROM finance_institution_deals WHERE node_id IN (" + idList(industries) + ")"
	if len(insts) <= 1000 {
		q += " AND institution_id IN (" + idList(insts) + ")"
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q+" GROUP BY institution_id")
	if err != nil {
		return nil, fmt.Errorf("finance: past deals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = int(n)
	}
	return out, rows.Err()
}

// MatchInstitutions ranks the institutions that fit a need, for its
// enterprise and staff, saying of each whether the need's audience lets
// it in. Errors: NotFound, Forbidden (an institution).
func (s *Service) MatchInstitutions(ctx context.Context, v Viewer, needID int64, limit int) ([]RankedInstitution, error) {
	n, err := s.Need(ctx, v, needID)
	if err != nil {
		return nil, err
	}
	if !v.Staff() && !(v.enterprise() && v.EnterpriseID == n.EnterpriseID) {
		return nil, errs.New(errs.Forbidden, "只有发布需求的企业和工作人员可以查看匹配机构", "only the need's enterprise and staff see the institutions it fits")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	a, err := s.ancestry(ctx)
	if err != nil {
		return nil, err
	}
	var ups []int64
	for _, c := range n.Chains {
		ups = append(ups, a.up(c.ID)...)
	}
	q := `SELECT i.id FROM finance_institutions i WHERE i.state = 'approved' AND i.ticket_min_fen <= $1
		AND (i.ticket_max_fen = 0 OR i.ticket_max_fen >= $1)
		AND EXISTS (SELECT 1 FROM finance_institution_stages x WHERE x.institution_id = i.id AND x.stage = $2)
		AND EXISTS (SELECT 1 FROM finance_institution_instruments x WHERE x.institution_id = i.id AND x.instrument = $3)
		AND (NOT EXISTS (SELECT 1 FROM finance_institution_chains c WHERE c.institution_id = i.id)`
	if len(ups) > 0 {
		q += ` OR EXISTS (SELECT 1 FROM finance_institution_chains c WHERE c.institution_id = i.id AND c.node_id IN (` + idList(ups) + `))`
	}
	q += `) ORDER BY i.id LIMIT 5000`
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q, n.AmountFen, n.Stage, n.Instrument)
	if err != nil {
		return nil, fmt.Errorf("finance: match need %d: %w", needID, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return []RankedInstitution{}, err
	}
	insts, err := s.institutionsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	listed := map[int64]bool{}
	ps, err := pairs(ctx, s.DB.R, "SELECT institution_id, '' FROM finance_need_audience WHERE need_id = $1", needID)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		listed[p.id] = true
	}
	deals, err := s.pastDeals(ctx, a.industries(n.Chains), ids)
	if err != nil {
		return nil, err
	}
	out := []RankedInstitution{}
	for _, i := range insts {
		if !fitsNeed(a, i, n) { // the SQL and the rule agree; this keeps them honest
			continue
		}
		sc, rs := score(a, i, n, deals[i.ID])
		out = append(out, RankedInstitution{Institution: i, Score: sc, Reasons: rs, Deals: deals[i.ID],
			Sees: n.State == NeedOpen && admits(n, listed[i.ID])})
	}
	sort.SliceStable(out, func(x, y int) bool {
		if out[x].Score != out[y].Score {
			return out[x].Score > out[y].Score
		}
		if out[x].Deals != out[y].Deals {
			return out[x].Deals > out[y].Deals
		}
		return out[x].Institution.ID < out[y].Institution.ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// institutionsByID reads institutions with their profiles (no contacts),
// in id order.
func (s *Service) institutionsByID(ctx context.Context, ids []int64) ([]Institution, error) {
	var out []Institution
	for len(ids) > 0 {
		k := min(len(ids), 2000)
		rows, err := s.DB.Read(ctx).QueryContext(ctx, instCols+" WHERE id IN ("+idList(ids[:k])+") ORDER BY id")
		if err != nil {
			return nil, fmt.Errorf("finance: institutions: %w", err)
		}
		page, err := scanAll(rows, scanInst)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		ids = ids[k:]
	}
	ps := make([]*Institution, len(out))
	for k := range out {
		ps[k] = &out[k]
	}
	for k := 0; k < len(ps); k += 2000 {
		if err := s.fillProfiles(ctx, s.DB.R, ps[k:min(k+2000, len(ps))], false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MatchNeeds ranks the open needs that fit an institution and let it in,
// leaving out those it already answered: an investor account for its own
// institution (id 0 or its own), staff for any. Errors: NotFound,
// Forbidden (another institution, or one not yet approved).
func (s *Service) MatchNeeds(ctx context.Context, v Viewer, instID int64, limit int) ([]RankedNeed, error) {
	mine, state, err := s.member(ctx, s.DB.R, v)
	if err != nil {
		return nil, err
	}
	switch {
	case v.Staff() && instID != 0:
	case v.investor() && mine != 0 && (instID == 0 || instID == mine):
		if state != InstApproved {
			return nil, errs.New(errs.Forbidden, "机构审核通过后才能查看融资需求", "an institution sees needs once it is approved")
		}
		instID = mine
	default:
		return nil, errNoInstitution
	}
	inst, err := s.institution(ctx, s.DB.R, instID)
	if err != nil {
		return nil, err
	}
	t, err := s.chainTree(ctx)
	if err != nil {
		return nil, err
	}
	deals, err := s.dealsByIndustry(ctx, instID)
	if err != nil {
		return nil, err
	}
	return s.rankNeeds(ctx, t, inst, deals, limit)
}

// rankNeeds ranks the open needs that fit inst (read with its profile)
// and let it in, leaving out those it already answered: MatchNeeds once
// the viewer may read them, t being the chain tree and deals the
// institution's funded deals per industry node (dealsByIndustry).
func (s *Service) rankNeeds(ctx context.Context, t chainTree, inst Institution, deals map[int64]int, limit int) ([]RankedNeed, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	instID := inst.ID
	if inst.State != InstApproved || len(inst.Instruments) == 0 || len(inst.Stages) == 0 {
		return []RankedNeed{}, nil
	}
	a := t.a
	// Band by band, best ticket first: a later band is read only while
	// fewer than limit needs are kept or its best possible score reaches
	// the last kept one (a tie there goes to the newer need, which may be
	// in the later band).
	var ids []int64
	scores := map[int64]int{}
	for _, b := range ticketBands(inst) {
		if len(ids) >= limit && b.best(inst, deals) < scores[ids[limit-1]] {
			break
		}
		q, args := fitNeedsQuery(a, inst, deals, b, limit)
		rows, err := s.DB.Read(ctx).QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("finance: match institution %d: %w", instID, err)
		}
		kept := 0
		for kept < limit && rows.Next() {
			var id int64
			var sc int
			if err := rows.Scan(&id, &sc); err != nil {
				rows.Close()
				return nil, err
			}
			if _, seen := scores[id]; seen { // a need on another covered node: its best row came first
				continue
			}
			ids = append(ids, id)
			scores[id] = sc
			kept++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		sort.Slice(ids, func(x, y int) bool {
			if scores[ids[x]] != scores[ids[y]] {
				return scores[ids[x]] > scores[ids[y]]
			}
			return ids[x] > ids[y]
		})
		ids = ids[:min(len(ids), limit)]
	}
	if len(ids) == 0 {
		return []RankedNeed{}, nil
	}
	needs, err := s.needsByID(ctx, t.nodes, ids)
	if err != nil {
		return nil, err
	}
	out := []RankedNeed{}
	for _, n := range needs {
		d := 0
		for _, k := range a.industries(n.Chains) {
			d += deals[k]
		}
		sc, rs := score(a, inst, n, d)
		// The SQL and the rule agree on fit and points; this keeps them
		// honest rather than showing a ranking the reasons contradict.
		if !fitsNeed(a, inst, n) || sc != scores[n.ID] {
			return nil, fmt.Errorf("finance: match institution %d: need %d scored %d in SQL, %d by the rule (fits: %v)",
				instID, n.ID, scores[n.ID], sc, fitsNeed(a, inst, n))
		}
		out = append(out, RankedNeed{Need: n, Score: sc, Reasons: rs})
	}
	sort.SliceStable(out, func(x, y int) bool {
		if out[x].Score != out[y].Score {
			return out[x].Score > out[y].Score
		}
		return out[x].Need.ID > out[y].Need.ID
	})
	return out, nil
}

// fitNeedsQuery is the SQL that finds the open needs fitting inst in
// ticket band b, that its audience lets in and it has not answered, and
// scores each by the terms of score (the institution's own terms, stage
// and instrument, and the band's ticket points are one constant), best
// first, newer first on a tie: the band's top limit come out of the
// database without reading every fitting need. deals is the
// institution's funded deals per node (finance_institution_deals).
//
// An institution that lists chains reads its candidates from
// finance_need_nodes (migration 0630), one row per open need and chain
// node, in the nodes it covers only: a need on several of those nodes
// comes once for each, its best row (an own node's 25 points) first in
// the order. The caller keeps each need's first row; one need takes at
// most as many rows as there are nodes covered, so a LIMIT of limit times
// that holds the first limit needs whatever the duplicates. Past deals look at every chain of the need (not only the
// row's node) through its key in finance_need_chains. An institution on
// every chain reads the fit index of finance_needs, one row per need.
//
// The institution's other sets (the needs it answered or is listed on)
// are uncorrelated subqueries: each is read once through its index and
// probed per candidate.
func fitNeedsQuery(a ancestry, inst Institution, deals map[int64]int, b ticketBand, limit int) (string, []any) {
	args := []any{inst.ID, b.lo}
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	in := func(xs []string) string {
		var ph []string
		for _, x := range xs {
			ph = append(ph, arg(x))
		}
		return strings.Join(ph, ",")
	}
	fixed := fixedPoints(inst)
	// Where the candidates come from, and how a need's deals in an
	// industry (the nodes under it) are found.
	from, id := "finance_needs n", "n.id"
	where := "n.state = 'open'"
	inIndustry := func(under []int64) string {
		return id + " IN (SELECT need_id FROM finance_need_chains WHERE node_id IN (" + idList(under) + "))"
	}
	perNeed := 1
	// Chain: every fitting need is covered, so a need on one of the
	// institution's own nodes earns 25 and any other 18; 8 to an
	// institution on every chain.
	chain := "8"
	if len(inst.Chains) > 0 {
		own := map[int64]bool{}
		var ownIDs []int64
		for _, c := range inst.Chains {
			own[c.ID] = true
			ownIDs = append(ownIDs, c.ID)
		}
		var covered []int64
		for node := range a {
			for _, up := range a.up(node) {
				if own[up] {
					covered = append(covered, node)
					break
				}
			}
		}
		for _, id := range ownIDs { // a node the tree no longer has still covers itself
			if _, ok := a[id]; !ok {
				covered = append(covered, id)
			}
		}
		sort.Slice(covered, func(x, y int) bool { return covered[x] < covered[y] })
		sort.Slice(ownIDs, func(x, y int) bool { return ownIDs[x] < ownIDs[y] })
		from, id, perNeed = "finance_need_nodes n", "n.need_id", len(covered)
		where = "n.node_id IN (" + idList(covered) + ")"
		chain = "CASE WHEN n.node_id IN (" + idList(ownIDs) + ") THEN 25 ELSE 18 END"
		inIndustry = func(under []int64) string {
			return "EXISTS (SELECT 1 FROM finance_need_chains x WHERE x.need_id = n.need_id AND x.node_id IN (" + idList(under) + "))"
		}
	}
	// Past deals: each industry the need sits in adds the institution's
	// deals there.
	var dealTerms []string
	var inds []int64
	for k, d := range deals {
		if d > 0 {
			inds = append(inds, k)
		}
	}
	sort.Slice(inds, func(x, y int) bool { return inds[x] < inds[y] })
	for _, k := range inds {
		var under []int64
		for node := range a {
			if a.industry(node) == k {
				under = append(under, node)
			}
		}
		if _, ok := a[k]; !ok && a.industry(k) == k {
			under = append(under, k)
		}
		if len(under) == 0 {
			continue
		}
		sort.Slice(under, func(x, y int) bool { return under[x] < under[y] })
		dealTerms = append(dealTerms, "CASE WHEN "+inIndustry(under)+" THEN "+strconv.Itoa(deals[k])+" ELSE 0 END")
	}
	dealSum := "0"
	if len(dealTerms) > 0 {
		dealSum = strings.Join(dealTerms, " + ")
	}
	q := `SELECT id, ` + strconv.Itoa(fixed+b.points) + ` + c + CASE WHEN d >= 4 THEN 20 ELSE 5 * d END AS score FROM (
		SELECT ` + id + ` AS id, ` + chain + ` AS c, ` + dealSum + ` AS d
		FROM ` + from + ` WHERE ` + where + ` AND n.instrument IN (` + in(inst.Instruments) + `)
		AND n.stage IN (` + in(inst.Stages) + `) AND n.amount_fen >= $2`
	if b.hi > 0 {
		q += " AND n.amount_fen <= " + arg(b.hi)
	}
	q += ` AND ((n.audience = 'fit' AND ` + id + ` NOT IN (SELECT need_id FROM finance_need_audience WHERE institution_id = $1))
		OR (n.audience = 'chosen' AND ` + id + ` IN (SELECT need_id FROM finance_need_audience WHERE institution_id = $1)))
		AND ` + id + ` NOT IN (SELECT need_id FROM finance_matches WHERE institution_id = $1)
		) f ORDER BY score DESC, id DESC LIMIT ` + arg(limit*perNeed)
	return q, args
}

// fixedPoints is what institution inst earns from every need it fits:
// its stage and instrument terms, as score words them.
func fixedPoints(inst Institution) int {
	fixed := 10
	switch k := len(inst.Stages); {
	case k <= 2:
		fixed = 20
	case k <= 4:
		fixed = 15
	}
	if len(inst.Instruments) <= 2 {
		return fixed + 15
	}
	return fixed + 10
}

// ticketBand is a range of amounts, lo to hi (0: no bound), whose needs
// earn an institution the same ticket points.
type ticketBand struct {
	lo, hi int64
	points int
}

// ticketBands splits the amounts inst takes into the bands of score's
// ticket term, best first: from a quarter of its upper bound 20 points,
// from a tenth 14, below 8; without an upper bound one band of 10.
// Empty bands are left out.
func ticketBands(inst Institution) []ticketBand {
	m := inst.TicketMaxFen
	if m == 0 {
		return []ticketBand{{lo: inst.TicketMinFen, points: 10}}
	}
	quarter, tenth := (m+3)/4, (m+9)/10
	var out []ticketBand
	for _, b := range []ticketBand{{quarter, m, 20}, {tenth, quarter - 1, 14}, {0, tenth - 1, 8}} {
		b.lo = max(b.lo, inst.TicketMinFen)
		if b.lo <= b.hi {
			out = append(out, b)
		}
	}
	return out
}

// best is the most points a need in band b can earn inst, deals being its
// past deals per industry: the chain and past-deal terms at their most
// for this institution (25 for a need on its own node, 8 when it lists no
// chain; every deal it has, as if one need sat in every industry).
func (b ticketBand) best(inst Institution, deals map[int64]int) int {
	chain, d := 8, 0
	if len(inst.Chains) > 0 {
		chain = 25
	}
	for _, k := range deals {
		d += max(k, 0)
	}
	return fixedPoints(inst) + b.points + chain + min(5*d, 20)
}

// dealsByIndustry reads one institution's funded deals per industry node.
func (s *Service) dealsByIndustry(ctx context.Context, inst int64) (map[int64]int, error) {
	ps, err := pairs(ctx, s.DB.R, "SELECT node_id, CAST(deals AS TEXT) FROM finance_institution_deals WHERE institution_id = $1", inst)
	if err != nil {
		return nil, err
	}
	out := map[int64]int{}
	for _, p := range ps {
		out[p.id], _ = strconv.Atoi(p.v)
	}
	return out, nil
}

// needsByID reads needs with their chains, newest first, nodes being the
// chain tree's: one query, each need's row once for each of its chains
// (once with node 0 when it has none), in place of a query for the needs
// and another for their chains.
func (s *Service) needsByID(ctx context.Context, nodes map[int64]ChainRef, ids []int64) ([]Need, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, needChainCols+" WHERE n.id IN ("+idList(ids)+") ORDER BY n.id DESC, c.node_id")
	if err != nil {
		return nil, fmt.Errorf("finance: needs: %w", err)
	}
	defer rows.Close()
	out := []Need{}
	var node int64
	row := nodeRow{rows, &node}
	for rows.Next() {
		n, err := scanNeed(row)
		if err != nil {
			return nil, err
		}
		if k := len(out) - 1; k < 0 || out[k].ID != n.ID {
			n.Chains = []ChainRef{}
			out = append(out, n)
		}
		if node != 0 {
			last := &out[len(out)-1]
			last.Chains = append(last.Chains, nodes[node])
		}
	}
	return out, rows.Err()
}

// needChainCols is needCols with one of the need's chain nodes last (0
// for none).
const needChainCols = `SELECT n.id, n.enterprise_id, n.enterprise_name, n.title, n.amount_fen, n.instrument, n.stage, n.use_of_funds,
	n.shared_figures, n.audience, n.state, n.synthetic, n.created_at, n.updated_at, COALESCE(c.node_id, 0)
	FROM finance_needs n LEFT JOIN finance_need_chains c ON c.need_id = n.id`

// nodeRow scans a row of needChainCols: scanNeed's columns, then the node
// into node.
type nodeRow struct {
	rows *sql.Rows
	node *int64
}

func (r nodeRow) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.node)...) }
