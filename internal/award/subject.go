package award

import (
	"context"
	"fmt"
	"sort"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

// A Subject is what a programme may rank other than the registry's
// enterprises: another module's records, scored on figures that module
// computes (the finance module's institutions for 十大优秀金融机构). The
// module that owns the records describes them here and internal/app
// registers it, as it registers the targets' computed indicators; the
// awards module reads them only through Rows.
//
// A subject programme is an honour: it takes no applications, pays no
// money (its money rule is "none") and its objections are about the whole
// list, unless its candidates are the registry's enterprises. An upheld
// objection re-ranks from the subject's data, which its owner corrects in
// its own module.
type Subject struct {
	Code   string // stored in Rules.Subject: "finance.institutions"
	NameZH string // what is ranked, in words: 金融机构
	NameEN string
	// ItemZH and ItemEN name one candidate in a table's heading (机构,
	// 企业); empty: 机构 / Institution.
	ItemZH, ItemEN string
	// Figures are the figures Rows gives, named and scaled as registry
	// indicators are (money in fen has scale 2), so that terms, reasons and
	// objections read them the same way.
	Figures []enterprise.Indicator
	// Rows reads every candidate with its figures of year, through q (the
	// ranking's transaction, so that a round sees one snapshot).
	Rows func(ctx context.Context, q db.Querier, year int) ([]SubjectRow, error)
	// Path is the page of one candidate, for links from the ranking.
	Path func(id int64) string
	// Formula is the scoring its owner proposes, which a new programme
	// starts from (staff may change it before the programme opens).
	Formula []Term
	// Registry: the candidates are the registry's enterprises, by their
	// ids (the per-mu evaluation's), so an objection may name one entry
	// of the notice, as it may on an enterprise programme. Otherwise an
	// objection is about the whole list.
	Registry bool
}

// SubjectRow is one candidate of a Subject: its id in the owning module,
// its credit code and name, its figures by code (a figure absent is
// missing, never zero), and why it may not be ranked, if it may not.
type SubjectRow struct {
	ID         int64
	CreditCode string
	Name       string
	Figures    map[string]int64
	Excluded   *Reason
}

// RegisterSubject makes sub available to programmes; internal/app calls it
// at start, before the service serves. A second registration of a code
// replaces the first.
func (s *Service) RegisterSubject(sub Subject) {
	if s.subjects == nil {
		s.subjects = map[string]Subject{}
	}
	s.subjects[sub.Code] = sub
}

// Subjects are the registered subjects, by code.
func (s *Service) Subjects() []Subject {
	out := make([]Subject, 0, len(s.subjects))
	for _, sub := range s.subjects {
		out = append(out, sub)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// SubjectOf is the subject programme p ranks; ok is false for the
// registry's enterprises (or a subject no longer registered).
func (s *Service) SubjectOf(p Programme) (Subject, bool) {
	if p.Rules.Subject == "" {
		return Subject{}, false
	}
	sub, ok := s.subjects[p.Rules.Subject]
	return sub, ok
}

// PerEntry reports whether an objection to p's notice may name one entry:
// on a programme of enterprises, or of a subject whose candidates are the
// registry's enterprises.
func (s *Service) PerEntry(p Programme) bool {
	if p.Rules.Subject == "" {
		return true
	}
	sub, ok := s.SubjectOf(p)
	return ok && sub.Registry
}

// subject is the subject rules r name; an Invalid error when none is
// registered under that code.
func (s *Service) subject(r Rules) (Subject, error) {
	sub, ok := s.subjects[r.Subject]
	if !ok {
		return sub, errs.Field("subject", "没有这一评选对象："+r.Subject, "no such kind of candidate: "+r.Subject)
	}
	return sub, nil
}

// known is the figure codes rules r may read, with their scales: the
// subject's, or registry's (read by the caller, as it may have to before
// its transaction).
func (s *Service) known(r Rules, registry map[string]int) (map[string]int, error) {
	if r.Subject == "" {
		return registry, nil
	}
	sub, err := s.subject(r)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(sub.Figures))
	for _, f := range sub.Figures {
		out[f.Code] = f.Scale
	}
	return out, nil
}

// subjectDetails are the problems of rules that rank a subject: what only
// enterprises have (applications, experts, growth over two years of
// registry figures, eligibility on tiers, chains, flags and figures,
// exempt tiers) and money.
func (r Rules) subjectDetails() []errs.Detail {
	if r.Subject == "" {
		return nil
	}
	var ds []errs.Detail
	if r.RequireApplication {
		ds = append(ds, bad("require_application", "评选金融机构等对象时不接受申报，请取消“须企业申报”", "this kind of candidate does not apply; clear “applications required”"))
	}
	for i, t := range r.Terms {
		if t.Source != SourceFigure && t.Source != SourceRatio {
			ds = append(ds, bad(fmt.Sprintf("terms[%d].source", i), "评选金融机构等对象时，计算方式只能是指标值或比值", "for this kind of candidate a term is a figure or a ratio"))
		}
	}
	e := r.Eligibility
	if len(e.TiersAny) > 0 || len(e.ChainNodes) > 0 || e.MinYearsInZone > 0 || len(e.RequiredFigures) > 0 || e.TiersValidOn != "" {
		ds = append(ds, bad("eligibility", "资质、产业链、在区年限和必填数据等条件只适用于企业；金融机构的资格由科技金融模块认定", "tiers, chains, years in the zone and required figures apply to enterprises only"))
	}
	if len(r.Grading.ExemptTiers) > 0 {
		ds = append(ds, bad("grading.exempt_tiers", "免评资质只适用于企业", "exempt tiers apply to enterprises only"))
	}
	if r.Money.Kind != MoneyNone {
		ds = append(ds, bad("money.kind", "评选金融机构等对象为荣誉称号，奖励方式应为“不发奖金”", "this kind of candidate is an honour; the money rule must be none"))
	}
	return ds
}

// subjectCandidates reads the candidates of a subject programme from its
// owner, as ranking input: every term's figures from the row, missing when
// the row has none.
func (s *Service) subjectCandidates(ctx context.Context, q db.Querier, p Programme) ([]Candidate, []Scales, error) {
	sub, err := s.subject(p.Rules)
	if err != nil {
		return nil, nil, err
	}
	scales, _ := s.known(p.Rules, nil)
	rows, err := sub.Rows(ctx, q, p.Rules.DataYear)
	if err != nil {
		return nil, nil, fmt.Errorf("award: read %s: %w", sub.Code, err)
	}
	r := p.Rules
	sc := make([]Scales, len(r.Terms))
	for j, t := range r.Terms {
		sc[j] = Scales{Num: scales[t.Indicator], Den: scales[t.Denominator]}
	}
	out := make([]Candidate, 0, len(rows))
	for _, row := range rows {
		c := Candidate{EnterpriseID: row.ID, CreditCode: row.CreditCode, Name: row.Name, Excluded: row.Excluded, Inputs: make([]Input, len(r.Terms))}
		for j, t := range r.Terms {
			in := &c.Inputs[j]
			in.Num, in.HasNum = row.Figures[t.Indicator]
			if t.Source == SourceRatio {
				in.Den, in.HasDen = row.Figures[t.Denominator]
			}
		}
		out = append(out, c)
	}
	return out, sc, nil
}
