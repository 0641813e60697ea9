package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// The per-mu evaluation (亩均效益评价, 亩均论英雄): the zone's enterprises
// that use land are scored per mu of land and per unit of energy, ranked,
// and sorted into classes A/B/C/D by their place in the ranking. It runs
// as an awards programme whose subject is MuSubject: the awards module's
// formula, exact fixed-point ranking with its term-by-term explanation,
// grading, public notice and objections, all through its Go API. Once the
// programme is confirmed, a supervisor writes its classes into the
// registry (ApplyMuClasses), which keeps them by data year for every
// module and the registry's list to filter on.
//
// Candidates are the enterprises with land (用地面积) above 0 in the data
// year. These are left out with the reason, never scored as zero:
//   - registered less than 3 years before the end of the data year
//     (registered after 31 December of data year − 3), or with no
//     registration date;
//   - still building: no revenue (营业收入) above 0 in the data year;
//   - utilities: 国民经济行业分类 门类 D (电力、热力、燃气及水生产和供应业);
//   - no longer operating (moved out or deregistered).
//
// A candidate missing a figure a term needs, or whose energy or
// employees are 0, is left out by the awards engine with its reason.
//
// Classes follow the engine's grading with bands 25/45/25/5: among n
// ranked enterprises, the one at place p (1 for the best) is in the first
// class k whose cumulative percent c_k (25, 70, 95, 100) satisfies
// (p − 1) × 100 < n × c_k. In words: an enterprise is in A when fewer than
// 25 % of the ranked are above it, in B when fewer than 70 %, in C when
// fewer than 95 %, else D. So with n = 4 the classes are A, B, B, C; with
// n = 20, places 1–5 A, 6–14 B, 15–19 C, 20 D; the leader is always A.

// MuSubjectCode is the subject of per-mu programmes (Rules.Subject).
const MuSubjectCode = "insight.mu"

// The subject's figures: the registry's figures of the data year, under
// codes of their own (a subject's figure codes are its module's).
const (
	MuTaxes      = "mu.taxes"
	MuLand       = "mu.land"
	MuValueAdded = "mu.value_added"
	MuEnergy     = "mu.energy"
	MuRDSpend    = "mu.rd_spend"
	MuRevenue    = "mu.revenue"
	MuEmployees  = "mu.employees"
)

// muFigures map the subject's figures to the registry's indicators.
var muFigures = []struct{ code, registry string }{
	{MuTaxes, "taxes"}, {MuLand, "land"}, {MuValueAdded, "value_added"}, {MuEnergy, "energy"},
	{MuRDSpend, "rd_spend"}, {MuRevenue, "revenue"}, {MuEmployees, "employees"},
}

// MuYoungYears is how long an enterprise must have been registered by the
// end of the data year to be evaluated.
const MuYoungYears = 3

// MuSubject is the per-mu evaluation as an awards subject; internal/app
// registers it with award.Service.RegisterSubject.
func (s *Service) MuSubject() award.Subject {
	return award.Subject{Code: MuSubjectCode, NameZH: "亩均效益评价企业", NameEN: "enterprises of the per-mu evaluation", ItemZH: "企业", ItemEN: "Enterprise",
		Figures: []enterprise.Indicator{
			{Code: MuTaxes, NameZH: "税收", NameEN: "taxes paid", Unit: "元", Scale: 2, Nonnegative: true},
			{Code: MuLand, NameZH: "用地面积", NameEN: "land area", Unit: "亩", Scale: 2, Nonnegative: true},
			{Code: MuValueAdded, NameZH: "工业增加值", NameEN: "value added", Unit: "元", Scale: 2, Nonnegative: true},
			{Code: MuEnergy, NameZH: "综合能耗", NameEN: "energy consumption", Unit: "吨标准煤", Scale: 2, Nonnegative: true},
			{Code: MuRDSpend, NameZH: "研发投入", NameEN: "R&D spending", Unit: "元", Scale: 2, Nonnegative: true},
			{Code: MuRevenue, NameZH: "营业收入", NameEN: "operating revenue", Unit: "元", Scale: 2, Nonnegative: true},
			{Code: MuEmployees, NameZH: "从业人员", NameEN: "employees", Unit: "人", Nonnegative: true},
		},
		Formula:  MuFormula(),
		Rows:     s.muRows,
		Registry: true,
		Path:     func(id int64) string { return "/enterprises/" + strconv.FormatInt(id, 10) },
	}
}

// MuFormula is the proposed scoring (seed-style weights): each term the
// enterprise's share of the evaluated ranked below it (percentile), so
// that one outlier does not flatten everyone else's score.
func MuFormula() []award.Term {
	p := award.TransformPercentile
	return []award.Term{
		{Code: "tax_per_mu", NameZH: "亩均税收", NameEN: "Tax per mu", Source: award.SourceRatio, Indicator: MuTaxes, Denominator: MuLand, Transform: p, Weight: 40},
		{Code: "va_per_mu", NameZH: "亩均工业增加值", NameEN: "Value added per mu", Source: award.SourceRatio, Indicator: MuValueAdded, Denominator: MuLand, Transform: p, Weight: 20},
		{Code: "va_per_energy", NameZH: "单位能耗工业增加值", NameEN: "Value added per unit of energy", Source: award.SourceRatio, Indicator: MuValueAdded, Denominator: MuEnergy, Transform: p, Weight: 15},
		{Code: "rd_intensity", NameZH: "研发经费投入强度", NameEN: "R&D intensity", Source: award.SourceRatio, Indicator: MuRDSpend, Denominator: MuRevenue, Transform: p, Weight: 15},
		{Code: "labour_productivity", NameZH: "全员劳动生产率", NameEN: "Labour productivity", Source: award.SourceRatio, Indicator: MuValueAdded, Denominator: MuEmployees, Transform: p, Weight: 10},
	}
}

// MuProgramme is a new per-mu programme for data year: the proposed
// formula, graded A/B/C/D by the default bands, every evaluated enterprise
// listed (a prize with no money), seven days of notice.
func MuProgramme(runYear, dataYear int) award.NewProgramme {
	return award.NewProgramme{Year: runYear, NameZH: fmt.Sprintf("%d 年度亩均效益评价", dataYear), NameEN: fmt.Sprintf("Per-mu evaluation %d", dataYear),
		Kind: award.KindPrize, NoticeDays: 7,
		Rules: award.Rules{Subject: MuSubjectCode, DataYear: dataYear, Terms: MuFormula(), Grading: award.Grading{Enabled: true},
			Money: award.MoneyRule{Kind: award.MoneyNone}}}
}

// muRows reads the candidates of year through the registry's Go API,
// inside the ranking's transaction q.
func (s *Service) muRows(ctx context.Context, q db.Querier, year int) ([]award.SubjectRow, error) {
	land, err := s.Registry.EffectiveFigures(ctx, q, []int{year}, []string{"land"}, nil)
	if err != nil {
		return nil, fmt.Errorf("insight: mu candidates: %w", err)
	}
	var ids []int64
	for k, v := range land {
		if v > 0 {
			ids = append(ids, k.EnterpriseID)
		}
	}
	slices.Sort(ids)
	out := []award.SubjectRow{}
	if len(ids) == 0 {
		return out, nil
	}
	facts, err := s.Registry.Facts(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("insight: mu candidates: %w", err)
	}
	briefs, err := s.Registry.Briefs(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("insight: mu candidates: %w", err)
	}
	utilities, err := s.utilityDivisions(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range facts {
		b := briefs[f.ID]
		r := award.SubjectRow{ID: f.ID, CreditCode: b.CreditCode, Name: b.Name, Figures: map[string]int64{}}
		vals := f.Years[year]
		for _, m := range muFigures {
			if v, ok := vals[m.registry]; ok {
				r.Figures[m.code] = v
			}
		}
		r.Excluded = muExempt(f, year, utilities)
		out = append(out, r)
	}
	return out, nil
}

// utilityDivisions are the 大类 of 门类 D (44–46 in GB/T 4754-2017), read
// from the registry's classification.
func (s *Service) utilityDivisions(ctx context.Context) (map[string]bool, error) {
	codes, err := s.Registry.IndustryCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("insight: industry codes: %w", err)
	}
	out := map[string]bool{}
	for _, c := range codes {
		if c.Level == "division" && c.Parent == "D" {
			out[c.Code] = true
		}
	}
	return out, nil
}

// muExempt is why f is not evaluated for year, or nil.
func muExempt(f enterprise.Fact, year int, utilities map[string]bool) *award.Reason {
	if f.Status != enterprise.Operating {
		zh, en := f.Status.Label()
		return &award.Reason{ZH: "企业状态为" + zh + "，不参评", EN: "the enterprise is " + en + "; not evaluated"}
	}
	if ic := f.IndustryCode; ic == "D" || (len(ic) >= 2 && utilities[ic[:2]]) {
		return &award.Reason{ZH: "公用事业（国民经济行业分类门类 D：电力、热力、燃气及水生产和供应业）免于评价",
			EN: "a utility (industry section D: electricity, heat, gas and water) is exempt"}
	}
	cut := fmt.Sprintf("%04d-12-31", year-MuYoungYears)
	switch {
	case len(f.RegisteredOn) < 10:
		return &award.Reason{ZH: "缺少成立日期，无法判断是否为新办企业", EN: "no registration date: cannot tell whether it is a start-up"}
	case f.RegisteredOn > cut:
		return &award.Reason{ZH: fmt.Sprintf("新办企业（%s 成立，至 %d 年底不满 %d 年）免于评价", f.RegisteredOn, year, MuYoungYears),
			EN: fmt.Sprintf("a start-up (registered %s, under %d years by the end of %d) is exempt", f.RegisteredOn, MuYoungYears, year)}
	}
	if rev, ok := f.Years[year]["revenue"]; !ok || rev <= 0 {
		return &award.Reason{ZH: fmt.Sprintf("在建企业（%d 年无营业收入）免于评价", year),
			EN: fmt.Sprintf("still building (no operating revenue in %d): exempt", year)}
	}
	return nil
}

// Mu is the per-mu evaluation's work over the awards module aw: starting
// a programme, reading the year's programmes and classes, and writing a
// confirmed programme's classes into the registry.
type Mu struct {
	s  *Service
	aw *award.Service
}

// Mu is the per-mu evaluation over the awards service aw.
func (s *Service) Mu(aw *award.Service) Mu { return Mu{s: s, aw: aw} }

var (
	errMuStart = errs.New(errs.Forbidden, "只有督查督办人员和区领导可以新建亩均效益评价", "only supervisors and leaders start a per-mu evaluation")
	errMuApply = errs.New(errs.Forbidden, "只有督查督办人员可以将评价结果写入企业库", "only supervisors record the classes in the registry")
)

// Start creates a draft programme of the evaluation for dataYear (the
// proposed formula and grading; staff may change it on the awards page
// before it opens). Errors: Forbidden, Invalid.
func (m Mu) Start(ctx context.Context, v Viewer, dataYear int) (award.Programme, error) {
	if !v.StartsMu() {
		return award.Programme{}, errMuStart
	}
	run := m.s.now().In(db.CST).Year()
	if dataYear < 2000 || dataYear > run {
		return award.Programme{}, errs.Field("data_year", "数据年度应为 2000 年至今年", "the data year must be from 2000 to this year")
	}
	return m.aw.CreateProgramme(ctx, MuProgramme(run, dataYear))
}

// MuProgrammeRow is one per-mu programme as the evaluation's page lists it.
type MuProgrammeRow struct {
	ID       int64  `json:"id"`
	NameZH   string `json:"name_zh"`
	DataYear int    `json:"data_year"`
	State    string `json:"state"`
	StateZH  string `json:"state_zh"`
	StateEN  string `json:"state_en"`
	// Final: confirmed after its notice, so its classes may be recorded.
	Final bool `json:"final"`
	// Applied: the registry's classes of its data year came from it.
	Applied bool `json:"applied"`
}

// MuYear is the evaluation of one data year: its programmes and the
// classes the registry holds for that year.
type MuYear struct {
	Year       int              `json:"year"`
	Programmes []MuProgrammeRow `json:"programmes"`
	// Counts are the registry's classes of the year: A, B, C, D.
	Counts [4]int `json:"counts"`
	// Source is the programme the year's classes came from (0: none yet).
	Source int64 `json:"source_programme_id,omitempty"`
	// Years are the data years that have programmes or classes, newest
	// first, for choosing another.
	Years []int `json:"years"`
}

// Year is the evaluation of data year (0: the newest with a programme or
// classes, else last year) as staff see it. Errors: Forbidden.
func (m Mu) Year(ctx context.Context, v Viewer, year int) (MuYear, error) {
	if !v.Staff() {
		return MuYear{}, errs.New(errs.Forbidden, "亩均效益评价仅对工作人员开放", "the per-mu evaluation is for staff")
	}
	ps, err := m.aw.Programmes(ctx, award.ProgrammeFilter{Limit: 500})
	if err != nil {
		return MuYear{}, err
	}
	classed, err := m.s.Registry.ClassYears(ctx, nil, enterprise.ClassMu)
	if err != nil {
		return MuYear{}, err
	}
	source := map[int]int64{}
	seen := map[int]bool{}
	var years []int
	note := func(y int) {
		if !seen[y] {
			seen[y] = true
			years = append(years, y)
		}
	}
	for _, c := range classed {
		source[c.Year] = c.Source
		note(c.Year)
	}
	var mine []award.Programme
	for _, p := range ps {
		if p.Rules.Subject == MuSubjectCode {
			mine = append(mine, p)
			note(p.Rules.DataYear)
		}
	}
	slices.SortFunc(years, func(a, b int) int { return b - a })
	if year == 0 {
		year = m.s.now().In(db.CST).Year() - 1
		if len(years) > 0 {
			year = years[0]
		}
	}
	out := MuYear{Year: year, Years: years, Source: source[year], Programmes: []MuProgrammeRow{}}
	for _, p := range mine {
		if p.Rules.DataYear != year {
			continue
		}
		zh, en := award.StateLabel(p.State)
		out.Programmes = append(out.Programmes, MuProgrammeRow{ID: p.ID, NameZH: p.NameZH, DataYear: p.Rules.DataYear, State: p.State,
			StateZH: zh, StateEN: en, Final: muFinal(p), Applied: source[year] == p.ID})
	}
	classes, err := m.s.Registry.ClassesOf(ctx, nil, enterprise.ClassMu, year)
	if err != nil {
		return MuYear{}, err
	}
	for _, c := range classes {
		if i := slices.Index(enterprise.ClassLetters, c); i >= 0 {
			out.Counts[i]++
		}
	}
	return out, nil
}

func muFinal(p award.Programme) bool {
	return p.State == award.StateConfirmed || p.State == award.StateClosed
}

// MuApplied is what ApplyClasses wrote.
type MuApplied struct {
	ProgrammeID int64  `json:"programme_id"`
	Year        int    `json:"year"`
	Counts      [4]int `json:"counts"` // A, B, C, D
}

// ApplyClasses writes the classes of programme id's final ranking into
// the registry as the classes of its data year (写入企业库), replacing the
// year's earlier set: one transaction writes them, the registry's audit
// entry, the change feed and its version. Only supervisors may (they
// write the registry), and only for a per-mu programme confirmed after its
// notice. Errors: Forbidden, NotFound (no such programme, or not a per-mu
// one), Conflict (not final, or not ranked).
func (m Mu) ApplyClasses(ctx context.Context, v Viewer, id int64) (MuApplied, error) {
	if v.Role != org.Supervisor {
		return MuApplied{}, errMuApply
	}
	p, err := m.aw.Programme(ctx, id)
	if err != nil {
		return MuApplied{}, err
	}
	if p.Rules.Subject != MuSubjectCode {
		return MuApplied{}, errs.New(errs.NotFound, "该评优项目不是亩均效益评价", "this programme is not a per-mu evaluation")
	}
	if !muFinal(p) {
		zh, en := award.StateLabel(p.State)
		return MuApplied{}, errs.New(errs.Conflict, "评价结果尚未认定（当前为"+zh+"）：公示期满、异议处理完毕并认定后才能写入企业库",
			"the results are not final (the programme is "+en+"): record them once confirmed after the notice")
	}
	r, err := m.aw.LatestRound(ctx, id)
	if err != nil {
		return MuApplied{}, err
	}
	set := enterprise.ClassSet{Scheme: enterprise.ClassMu, Year: p.Rules.DataYear, Source: p.ID, Classes: map[int64]string{}}
	out := MuApplied{ProgrammeID: p.ID, Year: p.Rules.DataYear}
	for _, e := range r.Result.Entries {
		if i := slices.Index(enterprise.ClassLetters, e.Grade); i >= 0 {
			set.Classes[e.EnterpriseID] = e.Grade
			out.Counts[i]++
		}
	}
	ev := enterprise.Viewer{UserID: v.UserID, Role: v.Role, UnitID: v.UnitID, EnterpriseID: v.EnterpriseID}
	err = m.s.DB.Tx(ctx, func(tx *sql.Tx) error { return m.s.Registry.SetClasses(ctx, tx, ev, set) })
	if err != nil {
		return MuApplied{}, fmt.Errorf("insight: apply classes of programme %d: %w", id, err)
	}
	return out, nil
}
