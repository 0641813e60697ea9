package demo

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

// awardHistory2022 are the 2022 prizes and winners named in the seed
// (names and categories only; the seed gives no per-company figures).
var awardHistory2022 = []struct {
	zh, en  string
	winners []string
}{
	{"企业研发奖", "Enterprise R&D Prize", []string{"紫光计算机科技有限公司", "郑州磨料磨具磨削研究所有限公司"}},
	{"上市之星奖", "Listing Star Prize", []string{"郑州众智科技股份有限公司", "河南秋乐种业科技股份有限公司"}},
	{"经济贡献奖", "Economic Contribution Prize", []string{"郑州中远氨纶工程技术有限公司"}},
	{"创新团队奖", "Innovation Team Prize", []string{"河南省新星科技有限公司", "郑州宇光复合材料有限公司"}},
	{"双创载体奖", "Incubator Prize", []string{"郑州亿达创新孵化有限公司"}},
	{"创新平台奖", "Innovation Platform Prize", []string{"河南广电计量检测有限公司", "郑州森鹏电子技术股份有限公司"}},
}

// demoIndicators are the registry figures the award demo uses; the registry
// module seeds the full list, so these only fill gaps.
var demoIndicators = []struct {
	code, zh, en, unit string
	scale              int
}{
	{"revenue", "营业收入", "Revenue", "元", 2}, {"taxes", "税收", "Tax", "元", 2}, {"rd_spend", "研发投入", "R&D expense", "元", 2},
	{"employees", "从业人员", "Employees", "人", 0}, {"land", "用地面积", "Land area", "亩", 2},
}

var reviewerAccounts = []org.NewUser{
	{Username: "zhuanjia1", DisplayName: "评审专家 陈（演示）", Role: org.Reviewer},
	{Username: "zhuanjia2", DisplayName: "评审专家 杨（演示）", Role: org.Reviewer},
	{Username: "zhuanjia3", DisplayName: "评审专家 周（演示）", Role: org.Reviewer},
	{Username: "zhuanjia4", DisplayName: "评审专家 吴（演示）", Role: org.Reviewer},
	{Username: "zhuanjia5", DisplayName: "评审专家 郑（演示）", Role: org.Reviewer},
}

// loadAward writes the awards demo: the 2022 history from the seed, five
// reviewers, an enterprise account, a finished 2023 科技创新20强 over synthetic
// enterprises (1.88 亿元 budget: applied, checked, scored, ranked, noticed,
// objected, confirmed and paid) and an open 2024 企业研发奖.
func loadAward(ctx context.Context, s *app.App) ([]Account, error) {
	var accounts []Account
	for _, h := range awardHistory2022 {
		if _, err := s.Award.RecordHistory(ctx, 2022, h.zh, h.en, award.KindPrize,
			"2022 年度表彰，据 2023 年高质量发展大会材料；仅记录获奖名单。", h.winners); err != nil {
			return nil, fmt.Errorf("demo: award history: %w", err)
		}
	}
	ids := map[string]int64{}
	for _, nu := range reviewerAccounts {
		nu.Password = org.GeneratePassword()
		u, err := s.Org.CreateUser(ctx, nu)
		if err != nil {
			return nil, fmt.Errorf("demo: reviewer %s: %w", nu.Username, err)
		}
		ids[nu.Username] = u.ID
		accounts = append(accounts, Account{Username: nu.Username, Password: nu.Password, Role: nu.Role})
	}
	ents, err := demoEnterprises(ctx, s)
	if err != nil {
		return nil, err
	}
	// The registry demo makes the enterprise account; without it, make one here.
	if _, err := s.Org.UserByUsername(ctx, "qiye"); err != nil {
		ent := org.NewUser{Username: "qiye", DisplayName: "演示企业账号", Role: org.Enterprise, Password: org.GeneratePassword()}
		eu, err := s.Org.CreateUser(ctx, ent)
		if err != nil {
			return nil, fmt.Errorf("demo: enterprise account: %w", err)
		}
		if err := s.Enterprise.LinkAccount(ctx, enterprise.System, ents[0].id, eu.Username); err != nil {
			return nil, fmt.Errorf("demo: enterprise account: %w", err)
		}
		accounts = append(accounts, Account{Username: ent.Username, Password: ent.Password, Role: ent.Role})
	}
	for _, name := range []string{"supervisor", "leader"} {
		u, err := s.Org.UserByUsername(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", name, err)
		}
		ids[name] = u.ID
	}
	if err := demo2023(ctx, s, ents, ids); err != nil {
		return nil, fmt.Errorf("demo: 2023 programme: %w", err)
	}
	if err := demo2024(ctx, s, ids); err != nil {
		return nil, fmt.Errorf("demo: 2024 programme: %w", err)
	}
	return accounts, nil
}

type demoEnt struct {
	id         int64
	name, code string
}

var demoNames = []string{"芯谷", "北斗星图", "超硬精工", "氢源", "量子智联", "云算", "传感未来", "安网", "智测", "康瑞生物",
	"新材华", "中原数智", "天枢导航", "金刚石", "储能先锋", "类脑", "未来网联", "光电", "精密测绘", "智造",
	"晶能", "联创", "数链", "恒安", "博瑞", "远望", "启明", "拓维", "英华", "领航"}

// demoEnterprises returns the synthetic enterprises the demo ranks, creating
// 30 (synthetic, named 演示) with 2021–2022 figures unless the registry demo
// already has 30 with every figure the formula reads. Everything goes
// through the registry's service.
func demoEnterprises(ctx context.Context, s *app.App) ([]demoEnt, error) {
	reg := s.Enterprise
	have, err := reg.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, i := range have {
		known[i.Code] = true
	}
	for i, ind := range demoIndicators {
		if known[ind.code] {
			continue
		}
		if _, err := reg.SaveIndicator(ctx, enterprise.System, enterprise.Indicator{Code: ind.code, NameZH: ind.zh, NameEN: ind.en,
			Unit: ind.unit, Scale: ind.scale, Sort: 100 + i, Nonnegative: true}); err != nil {
			return nil, fmt.Errorf("demo: indicators: %w", err)
		}
	}
	// Reuse the registry demo's synthetic enterprises only when at least 30
	// have everything the 2023 formula reads; otherwise make our own.
	out, err := reusableEnterprises(ctx, reg)
	if err != nil || len(out) >= 30 {
		return out, err
	}
	out = nil
	rnd := rand.New(rand.NewSource(2023))
	var batch []enterprise.Synthetic
	for i, n := range demoNames {
		e := demoEnt{name: "郑州" + n + "科技有限公司（演示）", code: creditCode(fmt.Sprintf("91410100MAAWD%04d", i))}
		syn := enterprise.Synthetic{
			Input: enterprise.Input{CreditCode: e.code, Name: e.name, RegisteredOn: fmt.Sprintf("%d-%02d-15", 2008+i%12, 1+i%12), Status: enterprise.Operating},
			Tiers: []enterprise.Tier{{Tier: "hnte", Level: "national", Note: "演示数据"}},
		}
		rev21 := (5_000 + rnd.Int63n(95_000)) * 10_000_00 // 5,000万–10亿 元 in fen
		fig := map[string][2]int64{
			"revenue":   {rev21, rev21 * (85 + rnd.Int63n(50)) / 100},
			"taxes":     {0, rev21 * (2 + rnd.Int63n(8)) / 100},
			"rd_spend":  {0, rev21 * (1 + rnd.Int63n(12)) / 100},
			"employees": {0, 50 + rnd.Int63n(1500)},
			"land":      {0, (10 + rnd.Int63n(190)) * 100},
		}
		if i == 7 { // no land area reported: excluded from ranking with the reason
			delete(fig, "land")
		}
		for _, code := range []string{"revenue", "taxes", "rd_spend", "employees", "land"} {
			for y, val := range fig[code] {
				if val != 0 {
					syn.Figures = append(syn.Figures, enterprise.FigureInput{Indicator: code, Year: 2021 + y, Value: val})
				}
			}
		}
		batch = append(batch, syn)
		out = append(out, e)
	}
	if err := reg.LoadSynthetic(ctx, enterprise.System, batch); err != nil {
		return nil, fmt.Errorf("demo: award enterprises: %w", err)
	}
	for i := range out {
		b, err := reg.BriefByCode(ctx, out[i].code)
		if err != nil {
			return nil, err
		}
		out[i].id = b.ID
	}
	return out, nil
}

// reusableEnterprises returns up to 30 operating synthetic enterprises
// holding a 高新技术企业 certificate valid in 2022 (the 2023 programme's data
// year, as its eligibility checks) and at least five of
// the 2022 revenue, taxes, R&D, land and 2021 revenue figures.
func reusableEnterprises(ctx context.Context, reg *enterprise.Service) ([]demoEnt, error) {
	briefs, err := reg.OperatingBriefs(ctx, nil)
	if err != nil {
		return nil, err
	}
	tiers, err := reg.TiersValidIn(ctx, nil, "2022-01-01", "2022-12-31")
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, b := range briefs {
		if b.Synthetic && slices.Contains(tiers[b.ID], "hnte") {
			ids = append(ids, b.ID)
		}
	}
	figs, err := reg.EffectiveFigures(ctx, nil, []int{2021, 2022}, []string{"revenue", "taxes", "rd_spend", "land"}, ids)
	if err != nil {
		return nil, err
	}
	var out []demoEnt
	for _, b := range briefs {
		if len(out) == 30 || !b.Synthetic || !slices.Contains(tiers[b.ID], "hnte") {
			continue
		}
		n := 0
		for _, c := range []string{"revenue", "taxes", "rd_spend", "land"} {
			if _, ok := figs[enterprise.FigureKey{EnterpriseID: b.ID, Indicator: c, Year: 2022}]; ok {
				n++
			}
		}
		if _, ok := figs[enterprise.FigureKey{EnterpriseID: b.ID, Indicator: "revenue", Year: 2021}]; ok {
			n++
		}
		if n >= 5 {
			out = append(out, demoEnt{id: b.ID, name: b.Name, code: b.CreditCode})
		}
	}
	return out, nil
}

// creditCode appends the GB 32100-2015 check character to 17 characters.
func creditCode(first17 string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		for v := 0; v < len(chars); v++ {
			if chars[v] == first17[i] {
				sum += v * weights[i]
			}
		}
	}
	c := (31 - sum%31) % 31
	return first17 + string(chars[c])
}

// at returns ctx acting as the named demo user, and a service whose clock
// reads t, so the demo's records carry 2023 dates.
func at(ctx context.Context, s *app.App, ids map[string]int64, who string, t time.Time) (context.Context, *award.Service) {
	svc := *s.Award
	svc.Now = func() time.Time { return t }
	ctx = audit.WithClock(ctx, svc.Now)
	return audit.WithActor(ctx, audit.Actor{ID: ids[who], Name: who}), &svc
}

func day(m time.Month, d int) time.Time {
	return time.Date(2023, m, d, 10, 0, 0, 0, db.CST)
}
