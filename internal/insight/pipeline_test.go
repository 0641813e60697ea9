package insight_test

import (
	"fmt"
	"strings"
	"testing"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
)

const wan = 10000 * 100 // 万元 in fen

// pipelineFixture: on 2023-11-20,
//   - 甲 (石佛, 科技型中小企业): revenue 4000 万 both years, R&D 168 万 (4.2 %,
//     below the 5 % of revenue under 5000 万), 100 staff of whom 12 in R&D,
//     2 patents: close to 高新 (intensity 0.8 points short) and meets every
//     tested 专精特新 criterion;
//   - 乙 (沟赵): R&D 2 % of revenue and no R&D staff share close enough:
//     on no list for 高新;
//   - 丙 (石佛): 科技型中小企业 since 2021, 高新 from 2023-05-10: moved up;
//   - 丁 (沟赵): 高新 renewed on 2023-04-01 (no gap): not a mover; its new
//     certificate ends 2024-01-15, within 90 days.
func pipelineFixture(t *testing.T) (*fixture, map[string]int64) {
	f := newFixture(t)
	ids := map[string]int64{}
	mk := func(key, area string, figs map[string][2]int64, tiers ...enterprise.Tier) {
		i := len(f.ids)
		e, err := f.reg.Create(f.ctx, f.staff, enterprise.Input{CreditCode: code(i), Name: key + "科技有限公司", RegisteredOn: "2015-03-01", Area: area})
		if err != nil {
			f.fail(err)
		}
		f.ids, f.codes = append(f.ids, e.ID), append(f.codes, code(i))
		ids[key] = e.ID
		var in []enterprise.FigureInput
		for k, v := range figs {
			in = append(in, enterprise.FigureInput{Indicator: k, Year: 2022, Value: v[0]}, enterprise.FigureInput{Indicator: k, Year: 2023, Value: v[1]})
		}
		if err := f.reg.SetFigures(f.ctx, f.staff, e.ID, in); err != nil {
			f.fail(err)
		}
		for _, tr := range tiers {
			if _, err := f.reg.AddTier(f.ctx, f.staff, e.ID, tr); err != nil {
				f.fail(err)
			}
		}
	}
	mk("甲", "sf", map[string][2]int64{"revenue": {4000 * wan, 4000 * wan}, "rd_spend": {150 * wan, 168 * wan}, "employees": {100, 100},
		"rd_staff": {12, 12}, "patents": {2, 2}}, enterprise.Tier{Tier: "tsme", ValidFrom: "2022-05-01", ValidTo: "2024-12-31"})
	mk("乙", "gz", map[string][2]int64{"revenue": {3000 * wan, 3000 * wan}, "rd_spend": {60 * wan, 60 * wan}, "employees": {80, 80},
		"rd_staff": {2, 2}, "patents": {0, 0}})
	mk("丙", "sf", map[string][2]int64{"revenue": {900 * wan, 1200 * wan}, "employees": {40, 40}},
		enterprise.Tier{Tier: "tsme", ValidFrom: "2021-03-01", ValidTo: "2024-03-01"}, enterprise.Tier{Tier: "hnte", ValidFrom: "2023-05-10", ValidTo: "2026-05-09"})
	mk("丁", "gz", map[string][2]int64{"revenue": {9000 * wan, 9000 * wan}, "employees": {300, 300}},
		enterprise.Tier{Tier: "hnte", ValidFrom: "2020-01-01", ValidTo: "2023-03-31"}, enterprise.Tier{Tier: "hnte", ValidFrom: "2023-04-01", ValidTo: "2024-01-15"})
	if _, err := f.S.Apply(f.ctx); err != nil {
		t.Fatal(err)
	}
	return f, ids
}

func TestPipelineFunnelCandidatesMoversExpiring(t *testing.T) {
	f, ids := pipelineFixture(t)
	p, err := f.S.Pipeline(f.ctx, f.admin, insight.PipelineQuery{})
	if err != nil {
		f.fail(err)
	}
	// Year 0: four operating enterprises; 甲 and 丙 hold 科技型中小企业 today,
	// 丙 and 丁 高新 (丁's old certificate has ended).
	if p.Total != 4 || p.Funnel[0].Count != 2 || p.Funnel[1].Count != 2 || p.Funnel[1].OfPrevious != 10000 || p.Funnel[2].Count != 0 {
		t.Fatalf("funnel %d %+v", p.Total, p.Funnel)
	}
	if len(p.Funnel) != 6 || len(p.Funnel[5].Tiers) != 3 || p.Funnel[5].Tiers[0].NameZH != "单项冠军" {
		t.Fatalf("last stage %+v", p.Funnel[5])
	}
	// 甲 is close to 高新 (one gap: 4.2 % against 5 %) and meets 专精特新's
	// tested criteria; 乙 is too far from 高新.
	var hnte, srdi *insight.Candidate
	for i, c := range p.Close {
		if c.EnterpriseID == ids["乙"] && c.Tier == "hnte" {
			t.Errorf("乙 listed for 高新: %+v", c)
		}
		if c.EnterpriseID == ids["甲"] {
			switch c.Tier {
			case "hnte":
				hnte = &p.Close[i]
			case "srdi":
				srdi = &p.Close[i]
			}
		}
	}
	if hnte == nil || srdi == nil {
		t.Fatalf("甲 not listed for 高新 and 专精特新: %+v", p.Close)
	}
	if hnte.Unmet != 1 || hnte.FiguresYear != 2023 || len(hnte.Gaps) != 1 || hnte.Gaps[0].Criterion != "rd_intensity" ||
		hnte.Gaps[0].Value != 420 || hnte.Gaps[0].Threshold != 500 || hnte.Gaps[0].TextZH != "研发强度 4.2%，差 0.8 个百分点" || hnte.Name != "甲科技有限公司" {
		t.Fatalf("甲 for 高新: %+v", hnte)
	}
	if srdi.Unmet != 0 || len(srdi.Gaps) != 0 {
		t.Fatalf("甲 for 专精特新: %+v", srdi)
	}
	// 丙 moved up from 科技型中小企业 to 高新 this year; 丁's renewal is no move.
	if len(p.Movers) != 1 || p.Movers[0].EnterpriseID != ids["丙"] || p.Movers[0].From != "tsme" || p.Movers[0].On != "2023-05-10" {
		t.Fatalf("movers %+v", p.Movers)
	}
	if len(p.Expiring) != 1 || p.Expiring[0].EnterpriseID != ids["丁"] || p.Expiring[0].ValidTo != "2024-01-15" {
		t.Fatalf("expiring %+v", p.Expiring)
	}
	// A closer R&D figure moves 甲 to meeting 高新 on the next apply.
	if err := f.reg.SetFigures(f.ctx, f.staff, ids["甲"], []enterprise.FigureInput{{Indicator: "rd_spend", Year: 2023, Value: 210 * wan}}); err != nil {
		f.fail(err)
	}
	if _, err := f.S.Apply(f.ctx); err != nil {
		t.Fatal(err)
	}
	p, err = f.S.Pipeline(f.ctx, f.admin, insight.PipelineQuery{Tier: "hnte"})
	if err != nil {
		f.fail(err)
	}
	if len(p.Close) != 1 || p.Close[0].EnterpriseID != ids["甲"] || p.Close[0].Unmet != 0 {
		t.Fatalf("after the R&D figure: %+v", p.Close)
	}
	// Year 2023 counts the certificates held on 2023-12-31 among those with 2023 figures.
	p, err = f.S.Pipeline(f.ctx, f.admin, insight.PipelineQuery{Year: 2023})
	if err != nil {
		f.fail(err)
	}
	if p.Total != 4 || p.Funnel[1].Count != 2 || fmt.Sprint(p.Years) != "[2023 2022 0]" {
		t.Fatalf("2023: %d %+v years %v", p.Total, p.Funnel[1], p.Years)
	}
}

func TestPipelineAreaUnitSeesItsAreaAndEnterprisesNothing(t *testing.T) {
	f, ids := pipelineFixture(t)
	e, err := f.reg.Get(f.ctx, f.staff, ids["甲"])
	if err != nil {
		f.fail(err)
	}
	unit := insight.Viewer{Role: org.UnitStaff, UnitID: e.AreaUnitID, AreaOnly: true}
	p, err := f.S.Pipeline(f.ctx, unit, insight.PipelineQuery{})
	if err != nil {
		f.fail(err)
	}
	// 石佛 has 甲 and 丙: both 科技型中小企业, one 高新; no 丁 expiring.
	if p.Total != 2 || p.Funnel[0].Count != 2 || p.Funnel[1].Count != 1 || len(p.Expiring) != 0 || len(p.Movers) != 1 {
		t.Fatalf("area view: %d %+v expiring %d movers %d", p.Total, p.Funnel[:2], len(p.Expiring), len(p.Movers))
	}
	for _, c := range p.Close {
		if c.EnterpriseID != ids["甲"] && c.EnterpriseID != ids["丙"] {
			t.Errorf("another area's enterprise listed: %+v", c)
		}
	}
	for _, v := range []insight.Viewer{{Role: org.Enterprise, EnterpriseID: ids["甲"]}, {}} {
		if _, err := f.S.Pipeline(f.ctx, v, insight.PipelineQuery{}); errs.As(err) == nil || errs.As(err).Code != errs.Forbidden {
			t.Errorf("%q read the pipeline: %v", v.Role, err)
		}
	}
	if _, err := f.S.Pipeline(f.ctx, f.admin, insight.PipelineQuery{Tier: "rd_platform"}); errs.As(err) == nil || !strings.Contains(err.Error(), "tier") {
		t.Errorf("a tier without thresholds was accepted: %v", err)
	}
}
