package award

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
)

// registry is what ranking reads from the enterprise registry for one
// programme, through the registry's exported reads, in a handful of
// queries however many enterprises there are.
type registry struct {
	ents    []enterprise.Brief
	tiers   map[int64][]string // tiers valid in the rules' span per enterprise
	chains  map[int64][]string // chain node codes and their ancestors' codes
	flagged map[int64]string   // first active flag kind, or "objection"
	figs    map[enterprise.FigureKey]int64
	expert  map[int64]Fixed // panel score per enterprise (applications)
	words   Words           // names of tiers and figures, for the reasons
}

// loadRegistry reads the candidates of p: accepted applicants when the
// programme requires an application, otherwise every operating enterprise.
// Every read goes through q, so that a ranking inside a transaction sees
// one snapshot of the registry and of the programme's own rows.
func (s *Service) loadRegistry(ctx context.Context, q db.Querier, p Programme) (*registry, error) {
	reg := s.Registry
	rg := &registry{expert: map[int64]Fixed{}}
	var ids []int64 // nil: every enterprise
	var err error
	if rg.words, err = s.Words(ctx); err != nil {
		return nil, err
	}
	if p.Rules.RequireApplication {
		ids = []int64{}
		if err := eachRow(ctx, q, `SELECT enterprise_id FROM award_applications WHERE programme_id=$1 AND state='accepted' ORDER BY enterprise_id`,
			[]any{p.ID}, func(r *sql.Rows) error {
				var id int64
				err := r.Scan(&id)
				ids = append(ids, id)
				return err
			}); err != nil {
			return nil, err
		}
		briefs, err := reg.Briefs(ctx, q, ids)
		if err != nil {
			return nil, fmt.Errorf("award: load candidates: %w", err)
		}
		for _, id := range ids {
			if b, ok := briefs[id]; ok {
				rg.ents = append(rg.ents, b)
			}
		}
	} else if rg.ents, err = reg.OperatingBriefs(ctx, q); err != nil {
		return nil, fmt.Errorf("award: load candidates: %w", err)
	}
	from, to := p.Rules.tierSpan()
	if rg.tiers, err = reg.TiersValidIn(ctx, q, from, to); err != nil {
		return nil, fmt.Errorf("award: load tiers: %w", err)
	}
	if rg.chains, err = reg.ChainCodes(ctx, q); err != nil {
		return nil, fmt.Errorf("award: load chains: %w", err)
	}
	if rg.flagged, err = reg.ActiveFlags(ctx, q); err != nil {
		return nil, fmt.Errorf("award: load flags: %w", err)
	}
	if rg.figs, err = reg.EffectiveFigures(ctx, q, []int{p.Rules.DataYear - 1, p.Rules.DataYear}, p.Rules.figureCodes(), ids); err != nil {
		return nil, fmt.Errorf("award: load figures: %w", err)
	}
	// Corrections from upheld objections override the registry for this programme.
	if err := eachRow(ctx, q, `SELECT enterprise_id, kind, indicator, year, value FROM award_corrections WHERE programme_id=$1 ORDER BY id`,
		[]any{p.ID}, func(r *sql.Rows) error {
			var k enterprise.FigureKey
			var kind string
			var v int64
			if err := r.Scan(&k.EnterpriseID, &kind, &k.Indicator, &k.Year, &v); err != nil {
				return err
			}
			if kind == "figure" {
				rg.figs[k] = v
			} else {
				rg.flagged[k.EnterpriseID] = "objection"
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

func eachRow(ctx context.Context, q db.Querier, query string, args []any, fn func(*sql.Rows) error) error {
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
		c := Candidate{EnterpriseID: e.ID, CreditCode: e.CreditCode, Name: e.Name, Inputs: make([]Input, len(r.Terms))}
		c.Excluded = rg.ineligible(p, e)
		for _, t := range r.Grading.ExemptTiers {
			if contains(rg.tiers[e.ID], t) {
				c.Exempt = true
			}
		}
		for j, t := range r.Terms {
			in := &c.Inputs[j]
			switch t.Source {
			case SourceFigure:
				in.Num, in.HasNum = rg.fig(e.ID, t.Indicator, r.DataYear)
			case SourceRatio:
				in.Num, in.HasNum = rg.fig(e.ID, t.Indicator, r.DataYear)
				in.Den, in.HasDen = rg.fig(e.ID, t.Denominator, r.DataYear)
			case SourceGrowth:
				in.Num, in.HasNum = rg.fig(e.ID, t.Indicator, r.DataYear)
				in.Den, in.HasDen = rg.fig(e.ID, t.Indicator, r.DataYear-1)
			case SourceExpert:
				v, ok := rg.expert[e.ID]
				in.Num, in.HasNum = int64(v), ok
			}
		}
		out = append(out, c)
	}
	return out, sc
}

func (rg *registry) fig(ent int64, code string, year int) (int64, bool) {
	v, ok := rg.figs[enterprise.FigureKey{EnterpriseID: ent, Indicator: code, Year: year}]
	return v, ok
}

// ineligible returns why e fails the eligibility rules, or nil.
func (rg *registry) ineligible(p Programme, e enterprise.Brief) *Reason {
	el := p.Rules.Eligibility
	if k, ok := rg.flagged[e.ID]; ok && (el.NoFlag || k == "objection") {
		if k == "objection" {
			return &Reason{"经异议核实后取消资格", "disqualified after an upheld objection"}
		}
		return &Reason{"存在不良记录：" + k, "has a flagged record: " + k}
	}
	if len(el.TiersAny) > 0 {
		held := false
		for _, t := range el.TiersAny {
			held = held || contains(rg.tiers[e.ID], t)
		}
		if !held {
			t := rg.words.Tiers(el.TiersAny)
			return &Reason{"不具备所需资质（" + t.ZH + "之一）", "holds none of the tiers: " + t.EN}
		}
	}
	if len(el.ChainNodes) > 0 {
		in := false
		for _, c := range el.ChainNodes {
			in = in || contains(rg.chains[e.ID], c)
		}
		if !in {
			c := rg.words.Chains(el.ChainNodes)
			return &Reason{"不属于指定产业链（" + c.ZH + "）", "not in the required chains: " + c.EN}
		}
	}
	if el.MinYearsInZone > 0 {
		limit := strconv.Itoa(p.Year-el.MinYearsInZone) + "-01-01"
		if e.RegisteredOn == "" || e.RegisteredOn > limit {
			return &Reason{"在区注册不满 " + strconv.Itoa(el.MinYearsInZone) + " 年", "registered in the zone under " + strconv.Itoa(el.MinYearsInZone) + " years"}
		}
	}
	for _, c := range el.RequiredFigures {
		if _, ok := rg.fig(e.ID, c, p.Rules.DataYear); !ok {
			zh, en := rg.words.Indicator(c)
			return &Reason{fmt.Sprintf("缺少 %d 年的%s数据", p.Rules.DataYear, zh), fmt.Sprintf("no %s figure for %d", en, p.Rules.DataYear)}
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
