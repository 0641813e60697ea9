package scenario

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

// Matching (推荐): for a published call, the registry's enterprises ranked
// by how well they fit it, each with its reasons in words. The candidates
// are the operating enterprises on the call's chains and the nodes under
// them, and those in the industry classes most common among them; the
// call's owner and the enterprises already in a standing bid on it are left
// out. Each candidate's score is the sum of the terms' points:
//
//   - chain: 40 on one of the call's own chain nodes, 35 on a node under
//     one, 5 more for each further chain of the call it sits on (at most 50);
//   - industry: 20 when its GB/T 4754 class is one of the classes most
//     common among the chain's enterprises (at least a tenth of them, the
//     three commonest), else 10 when its division (大类) is;
//   - tiers: the points of each tier it holds on the day (专精特新"小巨人",
//     单项冠军, 独角兽 15; 高新技术企业, 瞪羚 10; 专精特新, 上市, 研发平台 8;
//     科技型中小企业 5), at most 25;
//   - delivery: 10 for each call won (a confirmed result), 4 for each
//     other standing bid on another call, lead or partner, at most 20.
//
// Ties go to the enterprise registered first (the lower registry id), so a
// ranking repeats. The ranking reads the registry in one pass over the
// chain's candidates and one over the industry classes' (each with its
// tiers), scores every candidate in points only, and then does the dearer
// work for the few that can still reach the page: a LateTerm (past
// delivery) reads its data only for the candidates whose points plus the
// term's maximum reach the page's last score, and names and reasons in
// words are made for the suggestions shown. Never one query per
// enterprise.

// Suggestion is an enterprise suggested for a call, with its reasons.
type Suggestion struct {
	EnterpriseID int64    `json:"enterprise_id"`
	Name         string   `json:"name"`
	CreditCode   string   `json:"credit_code"`
	IndustryCode string   `json:"industry_code"`
	Tiers        []string `json:"tiers"`
	Score        int      `json:"score"`
	Reasons      []Reason `json:"reasons"`
	InvitedAt    int64    `json:"invited_at,omitempty"` // 0: not invited
}

// Reason is one term's share of a suggestion, in words.
type Reason struct {
	Term   string `json:"term"` // chain, industry, tier, delivery
	Points int    `json:"points"`
	ZH     string `json:"zh"`
	EN     string `json:"en"`
}

// Matches are the suggestions for one call.
type Matches struct {
	NeedID      int64        `json:"need_id"`
	Considered  int          `json:"considered"` // candidates scored
	Excluded    int          `json:"excluded"`   // the owner and enterprises already bidding
	Suggestions []Suggestion `json:"suggestions"`
}

// MatchInput is what the terms of one ranking read: the call, the chain
// tree, which of the call's chains each wanted node falls under, the
// industry classes and divisions common on those chains, and the
// candidates.
type MatchInput struct {
	Need       Need
	Tree       map[int64]enterprise.ChainNode
	Wanted     map[int64]int64 // node id → the call's chain node it is or lies under
	Classes    []Share         // common 4-digit classes, commonest first
	Divisions  []Share         // common 2-digit divisions, commonest first
	Candidates []enterprise.Candidate
	Day        string
}

// Share is an industry code's share of the chain's enterprises, in whole
// per cent (rounded down).
type Share struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Pct  int    `json:"pct"`
}

// MatchTerm scores one aspect of a candidate for one call: its points,
// and (for the suggestions shown) the reason in words.
type MatchTerm interface {
	Points(c *enterprise.Candidate) int
	Reason(c *enterprise.Candidate) Reason
}

// LateTerm is a term whose data is read per candidate: it is loaded only
// for the candidates that can still reach the page, and adds at most Max
// points.
type LateTerm interface {
	MatchTerm
	Max() int
	Load(ctx context.Context, ids []int64) error
}

// TermMaker prepares a term for one ranking, reading what it needs once.
type TermMaker func(ctx context.Context, s *Service, in *MatchInput) (MatchTerm, error)

// DefaultTerms are the terms used when Service.Terms is nil.
func DefaultTerms() []TermMaker {
	return []TermMaker{ChainTerm, IndustryTerm, TierTerm, DeliveryTerm}
}

// Suggest ranks the registry's enterprises for published call id and
// returns the first limit (1–100, default 30). Staff only. Errors:
// Forbidden, NotFound, Conflict (the call is not open for bids).
func (s *Service) Suggest(ctx context.Context, v Viewer, id int64, limit int) (Matches, error) {
	if !v.Staff() {
		return Matches{}, errs.New(errs.Forbidden, "只有工作人员可以查看推荐企业", "only staff may see suggested enterprises")
	}
	if limit <= 0 {
		limit = 30
	}
	limit = min(limit, 100)
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return Matches{}, err
	}
	m, _, err := s.rank(ctx, n, limit, nil)
	if err != nil {
		return m, err
	}
	return m, s.markInvited(ctx, id, m.Suggestions)
}

// scored is a candidate with its points so far.
type scored struct {
	c     *enterprise.Candidate
	score int
}

func better(a, b scored) int {
	if a.score != b.score {
		return b.score - a.score
	}
	return cmp.Compare(a.c.ID, b.c.ID)
}

// rank scores the candidates for call n and returns the first limit,
// best first, and the suggestions for the enterprises in want (those that
// are candidates at all), whatever their place.
func (s *Service) rank(ctx context.Context, n Need, limit int, want []int64) (Matches, map[int64]Suggestion, error) {
	m := Matches{NeedID: n.ID, Suggestions: []Suggestion{}}
	if n.State != StatePublished {
		return m, nil, errs.New(errs.Conflict, "只有揭榜中的场景可以推荐企业", "suggestions are made for calls open for bids only")
	}
	in, err := s.matchInput(ctx, n)
	if err != nil {
		return m, nil, err
	}
	skip, err := s.bidding(ctx, n.ID)
	if err != nil {
		return m, nil, err
	}
	if n.OwnerKind == OwnerEnterprise {
		skip[n.OwnerEnterpriseID] = true
	}
	makers := s.Terms
	if makers == nil {
		makers = DefaultTerms()
	}
	var terms []MatchTerm
	var late []LateTerm
	lateMax := 0
	for _, mk := range makers {
		t, err := mk(ctx, s, in)
		if err != nil {
			return m, nil, err
		}
		terms = append(terms, t)
		if l, ok := t.(LateTerm); ok {
			late = append(late, l)
			lateMax += l.Max()
		}
	}
	// Points of the early terms for every candidate.
	all := make([]scored, 0, len(in.Candidates))
	for i := range in.Candidates {
		c := &in.Candidates[i]
		if skip[c.ID] {
			m.Excluded++
			continue
		}
		sc := scored{c: c}
		for _, t := range terms {
			if _, isLate := t.(LateTerm); !isLate {
				sc.score += t.Points(c)
			}
		}
		all = append(all, sc)
	}
	m.Considered = len(all)
	// The page's last score before the late terms: no candidate below it
	// by more than the late terms' maximum can reach the page.
	floor := 0
	if len(all) > limit {
		points := make([]int, len(all))
		for i, sc := range all {
			points[i] = sc.score
		}
		slices.Sort(points)
		floor = points[len(points)-limit]
	}
	wanted := map[int64]bool{}
	for _, id := range want {
		wanted[id] = true
	}
	var reach []scored
	var ids []int64
	for _, sc := range all {
		if sc.score+lateMax >= floor || wanted[sc.c.ID] {
			reach = append(reach, sc)
			ids = append(ids, sc.c.ID)
		}
	}
	for _, l := range late {
		if err := l.Load(ctx, ids); err != nil {
			return m, nil, err
		}
	}
	for i := range reach {
		for _, l := range late {
			reach[i].score += l.Points(reach[i].c)
		}
	}
	slices.SortFunc(reach, better)
	var shown []scored
	for _, sc := range reach {
		if sc.score > 0 && len(shown) < limit {
			shown = append(shown, sc)
		}
	}
	out := map[int64]Suggestion{}
	var extra []scored
	for _, sc := range reach {
		if wanted[sc.c.ID] && sc.score > 0 {
			extra = append(extra, sc)
		}
	}
	names := make([]int64, 0, len(shown)+len(extra))
	for _, sc := range append(slices.Clip(shown), extra...) {
		names = append(names, sc.c.ID)
	}
	briefs, err := s.Registry.Briefs(ctx, nil, names)
	if err != nil {
		return m, nil, err
	}
	explain := func(sc scored) Suggestion {
		b := briefs[sc.c.ID]
		sg := Suggestion{EnterpriseID: sc.c.ID, Name: b.Name, CreditCode: b.CreditCode, IndustryCode: sc.c.IndustryCode,
			Tiers: sc.c.Tiers, Score: sc.score, Reasons: []Reason{}}
		if sg.Tiers == nil {
			sg.Tiers = []string{}
		}
		for _, t := range terms {
			if t.Points(sc.c) > 0 {
				sg.Reasons = append(sg.Reasons, t.Reason(sc.c))
			}
		}
		return sg
	}
	for _, sc := range shown {
		m.Suggestions = append(m.Suggestions, explain(sc))
	}
	for _, sc := range extra {
		out[sc.c.ID] = explain(sc)
	}
	return m, out, nil
}

// matchInput reads the candidates of call n: the enterprises on its chains
// and below, then those in the industry classes common among them.
func (s *Service) matchInput(ctx context.Context, n Need) (*MatchInput, error) {
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return nil, err
	}
	in := &MatchInput{Need: n, Tree: make(map[int64]enterprise.ChainNode, len(tree)), Wanted: map[int64]int64{}, Day: s.Today()}
	for _, c := range tree {
		in.Tree[c.ID] = c
	}
	for _, c := range n.Chains {
		in.Wanted[c.ID] = c.ID
	}
	for _, c := range tree { // depth first: a parent comes before its children
		if root, ok := in.Wanted[c.ParentID]; ok && c.ParentID != 0 {
			if _, own := in.Wanted[c.ID]; !own {
				in.Wanted[c.ID] = root
			}
		}
	}
	nodes := make([]int64, 0, len(in.Wanted))
	for id := range in.Wanted {
		nodes = append(nodes, id)
	}
	slices.Sort(nodes)
	in.Candidates, err = s.Registry.Candidates(ctx, nil, enterprise.CandidateQuery{Nodes: nodes, Day: in.Day})
	if err != nil {
		return nil, err
	}
	in.Classes, in.Divisions = commonIndustries(in.Candidates)
	if len(in.Classes) > 0 {
		codes := make([]string, 0, len(in.Classes))
		for _, c := range in.Classes {
			codes = append(codes, c.Code)
		}
		seen := make(map[int64]bool, len(in.Candidates))
		for _, c := range in.Candidates {
			seen[c.ID] = true
		}
		more, err := s.Registry.Candidates(ctx, nil, enterprise.CandidateQuery{Industries: codes, Except: seen, Day: in.Day})
		if err != nil {
			return nil, err
		}
		in.Candidates = append(in.Candidates, more...)
	}
	var codes []string
	for _, l := range [][]Share{in.Classes, in.Divisions} {
		for _, c := range l {
			codes = append(codes, c.Code)
		}
	}
	names, err := s.Registry.IndustryNames(ctx, codes)
	if err != nil {
		return nil, err
	}
	for _, l := range [][]Share{in.Classes, in.Divisions} {
		for i := range l {
			l[i].Name = names[l[i].Code]
		}
	}
	return in, nil
}

// commonIndustries are the 4-digit classes and 2-digit divisions held by
// at least a tenth of the chain's candidates, the three commonest of each
// (ties by code).
func commonIndustries(cs []enterprise.Candidate) (classes, divisions []Share) {
	if len(cs) == 0 {
		return nil, nil
	}
	byClass, byDiv := map[string]int{}, map[string]int{}
	for _, c := range cs {
		code := c.IndustryCode
		if len(code) >= 4 && isDigits(code[:4]) {
			byClass[code[:4]]++
		}
		if len(code) >= 2 && isDigits(code[:2]) {
			byDiv[code[:2]]++
		}
	}
	top := func(counts map[string]int) []Share {
		var out []Share
		for code, k := range counts {
			if k*10 >= len(cs) {
				out = append(out, Share{Code: code, Pct: k * 100 / len(cs)})
			}
		}
		slices.SortFunc(out, func(a, b Share) int {
			if a.Pct != b.Pct {
				return b.Pct - a.Pct
			}
			return strings.Compare(a.Code, b.Code)
		})
		if len(out) > 3 {
			out = out[:3]
		}
		return out
	}
	return top(byClass), top(byDiv)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// bidding is the set of enterprises in a standing bid on call id, as lead
// or partner.
func (s *Service) bidding(ctx context.Context, id int64) (map[int64]bool, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT b.enterprise_id FROM scenario_bids b WHERE b.need_id = $1 AND b.state <> 'withdrawn'
		UNION SELECT p.enterprise_id FROM scenario_bid_partners p JOIN scenario_bids b ON b.id = p.bid_id WHERE b.need_id = $1 AND b.state <> 'withdrawn'`, id)
	if err != nil {
		return nil, fmt.Errorf("scenario: bidders of %d: %w", id, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var e int64
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out[e] = true
	}
	return out, rows.Err()
}

// markInvited stamps the suggestions already invited to call id.
func (s *Service) markInvited(ctx context.Context, id int64, ss []Suggestion) error {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT enterprise_id, invited_at FROM scenario_invitations WHERE need_id = $1 ORDER BY id LIMIT 10000", id)
	if err != nil {
		return fmt.Errorf("scenario: invitations of %d: %w", id, err)
	}
	defer rows.Close()
	at := map[int64]int64{}
	for rows.Next() {
		var e, t int64
		if err := rows.Scan(&e, &t); err != nil {
			return err
		}
		at[e] = t
	}
	for i := range ss {
		ss[i].InvitedAt = at[ss[i].EnterpriseID]
	}
	return rows.Err()
}

// term is a MatchTerm of two functions.
type term struct {
	points func(c *enterprise.Candidate) int
	reason func(c *enterprise.Candidate) Reason
}

func (t term) Points(c *enterprise.Candidate) int    { return t.points(c) }
func (t term) Reason(c *enterprise.Candidate) Reason { return t.reason(c) }

// ChainTerm scores the candidate's place on the call's chains.
func ChainTerm(_ context.Context, _ *Service, in *MatchInput) (MatchTerm, error) {
	points := func(c *enterprise.Candidate) int {
		best, roots := 0, 0
		var seen [4]int64 // the call's chains met so far (a call names few)
		for _, id := range c.Nodes {
			root, ok := in.Wanted[id]
			if !ok {
				continue
			}
			if id == root {
				best = max(best, 40)
			} else {
				best = max(best, 35)
			}
			if roots < len(seen) && !slices.Contains(seen[:roots], root) {
				seen[roots] = root
				roots++
			}
		}
		if best == 0 {
			return 0
		}
		return min(best+5*(roots-1), 50)
	}
	return term{points: points, reason: func(c *enterprise.Candidate) Reason {
		var zh, en []string
		for _, id := range c.Nodes {
			root, ok := in.Wanted[id]
			if !ok {
				continue
			}
			node, top := in.Tree[id], in.Tree[root]
			if id == root {
				zh, en = append(zh, "「"+node.NameZH+"」"), append(en, node.NameEN)
			} else {
				zh = append(zh, "「"+top.NameZH+"」下的「"+node.NameZH+"」")
				en = append(en, node.NameEN+" (under "+top.NameEN+")")
			}
		}
		return Reason{Term: "chain", Points: points(c), ZH: "属于该场景的产业链：" + strings.Join(zh, "、"),
			EN: "on the call's chains: " + strings.Join(en, ", ")}
	}}, nil
}

// IndustryTerm scores the candidate's industry code against the classes
// and divisions common on the call's chains.
func IndustryTerm(_ context.Context, _ *Service, in *MatchInput) (MatchTerm, error) {
	match := func(code string) (Share, int) {
		for _, sh := range in.Classes {
			if strings.HasPrefix(code, sh.Code) {
				return sh, 20
			}
		}
		for _, sh := range in.Divisions {
			if strings.HasPrefix(code, sh.Code) {
				return sh, 10
			}
		}
		return Share{}, 0
	}
	return term{
		points: func(c *enterprise.Candidate) int { _, p := match(c.IndustryCode); return p },
		reason: func(c *enterprise.Candidate) Reason {
			sh, p := match(c.IndustryCode)
			if p == 20 {
				return Reason{Term: "industry", Points: p,
					ZH: fmt.Sprintf("行业小类 %s%s 是该产业链企业最常见的行业之一（占 %d%%）", sh.Code, named(sh.Name), sh.Pct),
					EN: fmt.Sprintf("industry class %s is among the commonest on the call's chains (%d%% of their enterprises)", sh.Code, sh.Pct)}
			}
			return Reason{Term: "industry", Points: p,
				ZH: fmt.Sprintf("行业大类 %s%s 与该产业链企业相同（占 %d%%）", sh.Code, named(sh.Name), sh.Pct),
				EN: fmt.Sprintf("industry division %s is common on the call's chains (%d%% of their enterprises)", sh.Code, sh.Pct)}
		},
	}, nil
}

func named(name string) string {
	if name == "" {
		return ""
	}
	return "（" + name + "）"
}

// tierPoints are the points of each tier an enterprise holds on the day.
var tierPoints = map[string]int{"little_giant": 15, "champion": 15, "unicorn": 15, "hnte": 10, "gazelle": 10,
	"srdi": 8, "listed": 8, "rd_platform": 8, "tsme": 5}

// TierTerm scores the candidate's current tiers (高新技术企业, 专精特新…).
func TierTerm(_ context.Context, _ *Service, _ *MatchInput) (MatchTerm, error) {
	points := func(c *enterprise.Candidate) int {
		p := 0
		for _, t := range c.Tiers {
			p += tierPoints[t]
		}
		return min(p, 25)
	}
	return term{points: points, reason: func(c *enterprise.Candidate) Reason {
		var zh, en []string
		for _, t := range c.Tiers {
			if tierPoints[t] > 0 {
				z, e := enterprise.TierName(t)
				zh, en = append(zh, z), append(en, e)
			}
		}
		return Reason{Term: "tier", Points: points(c), ZH: "持有有效认定：" + strings.Join(zh, "、"),
			EN: "holds current recognition: " + strings.Join(en, ", ")}
	}}, nil
}

// deliveryMax bounds the delivery term's points.
const deliveryMax = 20

// delivery is the past-delivery term: what the candidate has done in other
// calls, lead or partner: the calls it won (a confirmed result, 10 points
// each) and its other standing bids (4 each), at most 20. Accepted
// deliveries belong here too once the module records them. It is a
// LateTerm: the counts are read only for the candidates that can still
// reach the page.
type delivery struct {
	s      *Service
	need   int64
	counts map[int64]int // standing bids, won ones included
	wins   map[int64]int
}

// DeliveryTerm makes the past-delivery term for one call.
func DeliveryTerm(_ context.Context, s *Service, in *MatchInput) (MatchTerm, error) {
	return &delivery{s: s, need: in.Need.ID, counts: map[int64]int{}, wins: map[int64]int{}}, nil
}

func (d *delivery) Max() int { return deliveryMax }

// Load counts the standing bids and wins of ids on other calls: for a few
// thousand ids by their lists, through scenario_bids_standing and the
// partners' index; for more, in one pass over those indexes for every
// enterprise (four queries either way, never long literal lists).
func (d *delivery) Load(ctx context.Context, ids []int64) error {
	if len(ids) > 2000 {
		return d.load(ctx, "", "")
	}
	if len(ids) == 0 {
		return nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	in := strings.Join(list, ",")
	return d.load(ctx, " AND b.enterprise_id IN ("+in+")", " AND p.enterprise_id IN ("+in+")")
}

// load runs the four counts, each narrowed by its condition ("" for all).
func (d *delivery) load(ctx context.Context, leads, partners string) error {
	for _, q := range []struct {
		into map[int64]int
		sql  string
	}{
		{d.counts, `SELECT b.enterprise_id, COUNT(*) FROM scenario_bids b WHERE b.state <> 'withdrawn' AND b.need_id <> $1` + leads + ` GROUP BY b.enterprise_id`},
		{d.counts, `SELECT p.enterprise_id, COUNT(*) FROM scenario_bid_partners p JOIN scenario_bids b ON b.id = p.bid_id
			WHERE b.state <> 'withdrawn' AND b.need_id <> $1` + partners + ` GROUP BY p.enterprise_id`},
		{d.wins, `SELECT b.enterprise_id, COUNT(*) FROM scenario_results r JOIN scenario_bids b ON b.id = r.winner_bid_id
			WHERE r.confirmed_at <> 0 AND r.need_id <> $1` + leads + ` GROUP BY b.enterprise_id`},
		{d.wins, `SELECT p.enterprise_id, COUNT(*) FROM scenario_results r JOIN scenario_bid_partners p ON p.bid_id = r.winner_bid_id
			WHERE r.confirmed_at <> 0 AND r.need_id <> $1` + partners + ` GROUP BY p.enterprise_id`},
	} {
		rows, err := d.s.DB.Read(ctx).QueryContext(ctx, q.sql, d.need)
		if err != nil {
			return fmt.Errorf("scenario: past bids: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			q.into[id] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (d *delivery) Points(c *enterprise.Candidate) int {
	won := d.wins[c.ID]
	return min(10*won+4*max(d.counts[c.ID]-won, 0), deliveryMax)
}

func (d *delivery) Reason(c *enterprise.Candidate) Reason {
	won, k := d.wins[c.ID], max(d.counts[c.ID]-d.wins[c.ID], 0)
	zh, en := fmt.Sprintf("在其他场景中有 %d 份有效揭榜（牵头或联合）", k), fmt.Sprintf("%d standing bids on other calls (as lead or partner)", k)
	if won > 0 {
		zh = fmt.Sprintf("中标 %d 个场景，", won) + zh
		en = fmt.Sprintf("won %d calls; ", won) + en
	}
	return Reason{Term: "delivery", Points: d.Points(c), ZH: zh, EN: en}
}
