package insight

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Pipeline is the tier pipeline (梯度培育) of a year as one viewer sees it:
// the funnel from the rollups' tier cells and who moved up in the year;
// who is close to a tier's thresholds now and whose certificates end soon.
type Pipeline struct {
	Year       int               `json:"year"`           // 0: the registry now
	AsOf       string            `json:"as_of"`          // the day the certificates are counted on
	Area       string            `json:"area,omitempty"` // an office area's unit: its unit id (its own area only)
	Total      int64             `json:"total"`          // enterprises counted (operating now, or with figures of the year)
	Funnel     []FunnelStep      `json:"funnel"`
	MovedFrom  string            `json:"moved_from"` // the movers' period
	MovedTo    string            `json:"moved_to"`
	Movers     []Mover           `json:"movers"`
	Tier       string            `json:"tier,omitempty"` // the close list's tier ("" every tier)
	Close      []Candidate       `json:"close"`          // now, whatever the year: the latest figures, today's certificates
	PlanYear   int               `json:"plan_year"`      // the plan year the close list's outreach marks refer to (this year)
	Expiring   []enterprise.Tier `json:"expiring"`       // certificates current today that end within 90 days
	Years      []int             `json:"years"`          // years with rollups, newest first, then 0 (now)
	Applied    int64             `json:"applied_at"`
	SourceNote string            `json:"source"`
}

// FunnelStep is one stage of the funnel.
type FunnelStep struct {
	Stage int         `json:"stage"`
	Count int64       `json:"count"` // the last stage: the sum of its tiers (an enterprise holding two counts twice)
	Tiers []TierCount `json:"tiers"`
	// OfPrevious is the count over the stage before, in basis points (0 for
	// the first, or when the stage before is empty).
	OfPrevious int64 `json:"of_previous_bp"`
}

// TierCount is how many enterprises hold a tier.
type TierCount struct {
	Tier   string `json:"tier"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Count  int64  `json:"count"`
}

// Mover is an enterprise that gained a certificate of a later stage than
// any it held the day before.
type Mover struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	Tier         string `json:"tier"`
	TierZH       string `json:"tier_zh"`
	TierEN       string `json:"tier_en"`
	From         string `json:"from,omitempty"` // the highest tier held before ("" none)
	FromZH       string `json:"from_zh,omitempty"`
	FromEN       string `json:"from_en,omitempty"`
	On           string `json:"on"` // the certificate's first day
	Level        string `json:"level,omitempty"`
	CertNo       string `json:"cert_no,omitempty"`
}

// PipelineQuery chooses a pipeline: the year (0 now), the close list's
// tier ("" all) and its length (1–500, default 50).
type PipelineQuery struct {
	Year  int
	Tier  string
	Limit int
}

func tierName(code string) (string, string) { return enterprise.TierName(code) }

// mayReadPipeline: staff and zone-wide units the whole zone; an office
// area's unit its own area. Errors: Forbidden.
func (v Viewer) pipelineArea() (string, error) {
	switch {
	case v.Zone():
		return "", nil
	case v.Role == org.UnitStaff && v.AreaOnly && v.UnitID != 0:
		return strconv.FormatInt(v.UnitID, 10), nil
	}
	return "", errs.New(errs.Forbidden, "您的角色无权查看企业梯度培育", "your role may not see the tier pipeline")
}

// Pipeline answers the tier pipeline of q.Year for v. Errors: Forbidden
// (enterprises, the public), Invalid (year, tier).
func (s *Service) Pipeline(ctx context.Context, v Viewer, q PipelineQuery) (Pipeline, error) {
	area, err := v.pipelineArea()
	if err != nil {
		return Pipeline{}, err
	}
	if q.Year != 0 && (q.Year < 2000 || q.Year > 2100) {
		return Pipeline{}, errs.Field("year", "年度须为 2000–2100 或 0（当前）", "the year must be 2000–2100, or 0 for now")
	}
	if _, ok := TierRuleOf(q.Tier); q.Tier != "" && !ok {
		return Pipeline{}, errs.Field("tier", "没有这个梯队的认定条件", "no thresholds for this tier")
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	today := s.today()
	p := Pipeline{Year: q.Year, Area: area, Tier: q.Tier, AsOf: today, MovedFrom: today[:4] + "-01-01", MovedTo: today, PlanYear: s.now().In(db.CST).Year(),
		SourceNote: "企业库梯队资质与年度数据，经产业大脑汇总（Registry certificates and yearly figures, through the rollups）"}
	if q.Year != 0 {
		y := strconv.Itoa(q.Year)
		p.AsOf, p.MovedFrom, p.MovedTo = y+"-12-31", y+"-01-01", min(y+"-12-31", today)
	}
	r := s.DB.R
	if p.Funnel, p.Total, err = s.funnel(ctx, r, q.Year, area); err != nil {
		return p, err
	}
	if p.Years, err = cellYears(ctx, r); err != nil {
		return p, err
	}
	if p.MovedFrom <= p.MovedTo {
		if p.Movers, err = s.movers(ctx, p.MovedFrom, p.MovedTo, area, q.Limit); err != nil {
			return p, err
		}
	}
	if p.Movers == nil {
		p.Movers = []Mover{}
	}
	if p.Close, err = s.candidates(ctx, r, q.Tier, area, q.Limit); err != nil {
		return p, err
	}
	if err := s.nameCandidates(ctx, p.Close, p.PlanYear); err != nil {
		return p, err
	}
	ev := enterprise.Viewer{UserID: v.UserID, Role: v.Role, UnitID: v.UnitID, EnterpriseID: v.EnterpriseID, ZoneWide: v.Role == org.UnitStaff && area == ""}
	if p.Expiring, err = s.Registry.Expiring(ctx, ev, q.Limit); err != nil {
		return p, err
	}
	err = r.QueryRowContext(ctx, "SELECT applied_at FROM insight_state WHERE id = 1").Scan(&p.Applied)
	if err != nil {
		return p, fmt.Errorf("insight: state: %w", err)
	}
	return p, nil
}

// funnel reads the tier cells of a year (area: the area's crossed cells).
func (s *Service) funnel(ctx context.Context, q db.Querier, year int, area string) ([]FunnelStep, int64, error) {
	counts := map[string]int64{}
	var rows *sql.Rows
	var err error
	if area == "" {
		rows, err = q.QueryContext(ctx, "SELECT key, n FROM insight_cells WHERE year = $1 AND dims = 'tier'", year)
	} else {
		rows, err = q.QueryContext(ctx, "SELECT key, n FROM insight_cells WHERE year = $1 AND dims = 'area|tier' AND key > $2 AND key < $3", year, area+"|", area+"|~")
	}
	if err != nil {
		return nil, 0, fmt.Errorf("insight: funnel: %w", err)
	}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("insight: funnel: %w", err)
		}
		if area != "" {
			k = strings.TrimPrefix(k, area+"|")
		}
		counts[k] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("insight: funnel: %w", err)
	}
	var total int64
	if area == "" {
		err = q.QueryRowContext(ctx, "SELECT COALESCE(SUM(n), 0) FROM insight_cells WHERE year = $1 AND dims = 'area'", year).Scan(&total)
	} else {
		err = q.QueryRowContext(ctx, "SELECT n FROM insight_cells WHERE year = $1 AND dims = 'area' AND key = $2", year, area).Scan(&total)
	}
	if err != nil && err != sql.ErrNoRows {
		return nil, 0, fmt.Errorf("insight: funnel total: %w", err)
	}
	steps := make([]FunnelStep, len(Stages))
	for i, st := range Stages {
		steps[i].Stage = i
		for _, t := range st {
			zh, en := tierName(t)
			steps[i].Tiers = append(steps[i].Tiers, TierCount{t, zh, en, counts[t]})
			steps[i].Count += counts[t]
		}
		if i > 0 && steps[i-1].Count > 0 {
			steps[i].OfPrevious = steps[i].Count * 10000 / steps[i-1].Count
		}
	}
	return steps, total, nil
}

// movers lists who gained a certificate of a later stage between from and
// to, newest first.
func (s *Service) movers(ctx context.Context, from, to, area string, limit int) ([]Mover, error) {
	var tiers []string
	for _, st := range Stages {
		tiers = append(tiers, st...)
	}
	var areaID int64
	if area != "" {
		areaID, _ = strconv.ParseInt(area, 10, 64)
	}
	// Twice the list: renewals among the newest certificates are dropped.
	started, err := s.Registry.TiersStarted(ctx, nil, from, to, tiers, areaID, min(2*limit, 1000))
	if err != nil || len(started) == 0 {
		return nil, err
	}
	ids := make([]int64, 0, len(started))
	for _, t := range started {
		ids = append(ids, t.EnterpriseID)
	}
	slices.Sort(ids)
	hist, err := s.Registry.TierHistory(ctx, nil, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	var out []Mover
	for _, c := range started {
		d, err := time.ParseInLocation("2006-01-02", c.ValidFrom, db.CST)
		if err != nil {
			continue
		}
		before := d.AddDate(0, 0, -1).Format("2006-01-02")
		top, from := -1, ""
		for _, t := range hist[c.EnterpriseID] {
			held := t.ID != c.ID && t.ValidFrom <= before && (t.ValidTo == "" || t.ValidTo >= before)
			if st := StageOf(t.Tier); held && st > top {
				top, from = st, t.Tier
			}
		}
		if StageOf(c.Tier) <= top {
			continue // a renewal, or a tier of a stage already reached
		}
		m := Mover{EnterpriseID: c.EnterpriseID, Name: c.Name, Tier: c.Tier, From: from, On: c.ValidFrom, Level: c.Level, CertNo: c.CertNo}
		m.TierZH, m.TierEN = tierName(c.Tier)
		if from != "" {
			m.FromZH, m.FromEN = tierName(from)
		}
		if out = append(out, m); len(out) == limit {
			break
		}
	}
	return out, nil
}

// nameCandidates fills the candidates' names and the outreach tasks made
// for them in the plan year.
func (s *Service) nameCandidates(ctx context.Context, cs []Candidate, planYear int) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.EnterpriseID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	briefs, err := s.Registry.Briefs(ctx, nil, ids)
	if err != nil {
		return err
	}
	tasks := map[string]int64{}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT enterprise_id, tier, task_id FROM insight_outreach WHERE plan_year = $1 AND enterprise_id IN ("+idList(ids)+")", planYear)
	if err != nil {
		return fmt.Errorf("insight: outreach: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, task int64
		var tier string
		if err := rows.Scan(&id, &tier, &task); err != nil {
			return fmt.Errorf("insight: outreach: %w", err)
		}
		tasks[fmt.Sprint(id, "|", tier)] = task
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insight: outreach: %w", err)
	}
	for i := range cs {
		cs[i].Name = briefs[cs[i].EnterpriseID].Name
		cs[i].TaskID = tasks[fmt.Sprint(cs[i].EnterpriseID, "|", cs[i].Tier)]
	}
	return nil
}
