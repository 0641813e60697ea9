package award

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// sourceRank orders figure sources as the registry does (enterprise.Source.Rank):
// statistics bureau, then tax office, then staff, then self-reported. The
// effective value of a figure is the confirmed value of the best-ranked source.
var sourceRank = map[string]int{"stats": 0, "tax": 1, "staff": 2, "self": 3}

type figKey struct {
	ent  int64
	code string
	year int
}

type figVal struct {
	val  int64
	rank int
}

// registry is what ranking reads from the enterprise registry for one
// programme, loaded in a handful of queries.
type registry struct {
	ents    []regEnt
	tiers   map[int64][]string // valid tiers per enterprise
	chains  map[int64][]string // chain node codes and their parents' codes
	flagged map[int64]string   // first active flag kind
	figs    map[figKey]figVal
	expert  map[int64]Fixed // panel score per enterprise (applications)
}

type regEnt struct {
	id                  int64
	credit, name, regOn string
	status              string
}

// loadRegistry reads the candidates of p: accepted applicants when the
// programme requires an application, otherwise every operating enterprise.
func (s *Service) loadRegistry(ctx context.Context, q querier, p Programme) (*registry, error) {
	rg := &registry{tiers: map[int64][]string{}, chains: map[int64][]string{}, flagged: map[int64]string{},
		figs: map[figKey]figVal{}, expert: map[int64]Fixed{}}
	var rows *sql.Rows
	var err error
	if p.Rules.RequireApplication {
		rows, err = q.QueryContext(ctx, `SELECT e.id, e.credit_code, e.name, e.registered_on, e.status FROM award_applications a
			JOIN enterprises e ON e.id = a.enterprise_id WHERE a.programme_id=$1 AND a.state='accepted' ORDER BY e.id`, p.ID)
	} else {
		rows, err = q.QueryContext(ctx, `SELECT id, credit_code, name, registered_on, status FROM enterprises
			WHERE status='operating' ORDER BY id`)
	}
	if err != nil {
		return nil, fmt.Errorf("award: load candidates: %w", err)
	}
	for rows.Next() {
		var e regEnt
		if err := rows.Scan(&e.id, &e.credit, &e.name, &e.regOn, &e.status); err != nil {
			rows.Close()
			return nil, err
		}
		rg.ents = append(rg.ents, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	validOn := strconv.Itoa(p.Year) + "-01-01"
	if err := eachRow(ctx, q, `SELECT enterprise_id, tier FROM enterprise_tiers WHERE valid_to='' OR valid_to >= $1 ORDER BY enterprise_id, id`,
		[]any{validOn}, func(r *sql.Rows) error {
			var id int64
			var t string
			err := r.Scan(&id, &t)
			rg.tiers[id] = append(rg.tiers[id], t)
			return err
		}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, q, `SELECT ec.enterprise_id, n.code, COALESCE(pn.code, '') FROM enterprise_chains ec
		JOIN chain_nodes n ON n.id = ec.node_id LEFT JOIN chain_nodes pn ON pn.id = n.parent_id ORDER BY ec.enterprise_id, n.id`,
		nil, func(r *sql.Rows) error {
			var id int64
			var c, pc string
			err := r.Scan(&id, &c, &pc)
			rg.chains[id] = append(rg.chains[id], c, pc)
			return err
		}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, q, `SELECT enterprise_id, kind FROM enterprise_flags WHERE active=TRUE ORDER BY enterprise_id, id`,
		nil, func(r *sql.Rows) error {
			var id int64
			var k string
			err := r.Scan(&id, &k)
			if _, ok := rg.flagged[id]; !ok {
				rg.flagged[id] = k
			}
			return err
		}); err != nil {
		return nil, err
	}
	codes := p.Rules.figureCodes()
	if len(codes) > 0 {
		args := []any{p.Rules.DataYear - 1, p.Rules.DataYear}
		var ph []string
		for _, c := range codes {
			args = append(args, c)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		if err := eachRow(ctx, q, `SELECT enterprise_id, indicator, year, source, value FROM enterprise_figures
			WHERE month=0 AND status='confirmed' AND year IN ($1,$2) AND indicator IN (`+strings.Join(ph, ",")+`)
			ORDER BY enterprise_id, indicator, year, source`, args, func(r *sql.Rows) error {
			var k figKey
			var src string
			var v int64
			if err := r.Scan(&k.ent, &k.code, &k.year, &src, &v); err != nil {
				return err
			}
			rk, ok := sourceRank[src]
			if !ok {
				return nil
			}
			if old, seen := rg.figs[k]; !seen || rk < old.rank {
				rg.figs[k] = figVal{val: v, rank: rk}
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	// Corrections from upheld objections override the registry for this programme.
	if err := eachRow(ctx, q, `SELECT enterprise_id, kind, indicator, year, value FROM award_corrections WHERE programme_id=$1 ORDER BY id`,
		[]any{p.ID}, func(r *sql.Rows) error {
			var k figKey
			var kind string
			var v int64
			if err := r.Scan(&k.ent, &kind, &k.code, &k.year, &v); err != nil {
				return err
			}
			if kind == "figure" {
				rg.figs[k] = figVal{val: v, rank: -1}
			} else {
				rg.flagged[k.ent] = "objection"
			}
			return nil
		}); err != nil {
		return nil, err
	}
	if p.Rules.RequireApplication {
		if err := s.loadPanelScores(ctx, q, p, rg.expert); err != nil {
			return nil, err
		}
	}
	return rg, nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func eachRow(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("award: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// figureCodes are the indicators the rules read.
func (r Rules) figureCodes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, t := range r.Terms {
		add(t.Indicator)
		add(t.Denominator)
	}
	for _, c := range r.Eligibility.RequiredFigures {
		add(c)
	}
	return out
}

// candidates turns the registry into ranking input, applying eligibility.
func (rg *registry) candidates(p Programme, scales map[string]int) ([]Candidate, []Scales) {
	r := p.Rules
	sc := make([]Scales, len(r.Terms))
	for j, t := range r.Terms {
		sc[j] = Scales{Num: scales[t.Indicator], Den: scales[t.Denominator]}
	}
	out := make([]Candidate, 0, len(rg.ents))
	for _, e := range rg.ents {
		c := Candidate{EnterpriseID: e.id, CreditCode: e.credit, Name: e.name, Inputs: make([]Input, len(r.Terms))}
		c.Excluded = rg.ineligible(p, e)
		for _, t := range r.Grading.ExemptTiers {
			if contains(rg.tiers[e.id], t) {
				c.Exempt = true
			}
		}
		for j, t := range r.Terms {
			in := &c.Inputs[j]
			switch t.Source {
			case SourceFigure:
				in.Num, in.HasNum = rg.fig(e.id, t.Indicator, r.DataYear)
			case SourceRatio:
				in.Num, in.HasNum = rg.fig(e.id, t.Indicator, r.DataYear)
				in.Den, in.HasDen = rg.fig(e.id, t.Denominator, r.DataYear)
			case SourceGrowth:
				in.Num, in.HasNum = rg.fig(e.id, t.Indicator, r.DataYear)
				in.Den, in.HasDen = rg.fig(e.id, t.Indicator, r.DataYear-1)
			case SourceExpert:
				v, ok := rg.expert[e.id]
				in.Num, in.HasNum = int64(v), ok
			}
		}
		out = append(out, c)
	}
	return out, sc
}

func (rg *registry) fig(ent int64, code string, year int) (int64, bool) {
	v, ok := rg.figs[figKey{ent, code, year}]
	return v.val, ok
}

// ineligible returns why e fails the eligibility rules, or nil.
func (rg *registry) ineligible(p Programme, e regEnt) *Reason {
	el := p.Rules.Eligibility
	if k, ok := rg.flagged[e.id]; ok && (el.NoFlag || k == "objection") {
		if k == "objection" {
			return &Reason{"经异议核实后取消资格", "disqualified after an upheld objection"}
		}
		return &Reason{"存在不良记录：" + k, "has a flagged record: " + k}
	}
	if len(el.TiersAny) > 0 {
		held := false
		for _, t := range el.TiersAny {
			held = held || contains(rg.tiers[e.id], t)
		}
		if !held {
			return &Reason{"不具备所需资质：" + strings.Join(el.TiersAny, "/"), "holds none of the tiers: " + strings.Join(el.TiersAny, "/")}
		}
	}
	if len(el.ChainNodes) > 0 {
		in := false
		for _, c := range el.ChainNodes {
			in = in || contains(rg.chains[e.id], c)
		}
		if !in {
			return &Reason{"不属于指定产业链节点", "not in the required chain nodes"}
		}
	}
	if el.MinYearsInZone > 0 {
		limit := strconv.Itoa(p.Year-el.MinYearsInZone) + "-01-01"
		if e.regOn == "" || e.regOn > limit {
			return &Reason{"在区注册不满 " + strconv.Itoa(el.MinYearsInZone) + " 年", "registered in the zone under " + strconv.Itoa(el.MinYearsInZone) + " years"}
		}
	}
	for _, c := range el.RequiredFigures {
		if _, ok := rg.fig(e.id, c, p.Rules.DataYear); !ok {
			return &Reason{"缺少必填指标：" + c, "required figure missing: " + c}
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
