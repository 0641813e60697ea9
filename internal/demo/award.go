package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/memo"
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
	ents, err := demoEnterprises(ctx, s.DB)
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
		if _, err := s.DB.W.ExecContext(ctx, "UPDATE users SET enterprise_id=$1 WHERE id=$2", ents[0].id, eu.ID); err != nil {
			return nil, err
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
// already has 30 with every figure the formula reads.
func demoEnterprises(ctx context.Context, d *db.DB) ([]demoEnt, error) {
	// Written behind the registry's back: each transaction bumps its
	// module version, so no memo keeps the registry as it was.
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for i, ind := range demoIndicators {
			if _, err := tx.ExecContext(ctx, `INSERT INTO figure_indicators (code, name_zh, name_en, unit, scale, sort) VALUES ($1,$2,$3,$4,$5,$6)
				ON CONFLICT DO NOTHING`, ind.code, ind.zh, ind.en, ind.unit, ind.scale, 100+i); err != nil {
				return fmt.Errorf("demo: indicators: %w", err)
			}
		}
		return memo.Bump(ctx, tx, enterprise.Module)
	})
	if err != nil {
		return nil, err
	}
	// Reuse the registry demo's synthetic enterprises only when at least 30
	// have everything the 2023 formula reads; otherwise make our own.
	rows, err := d.R.QueryContext(ctx, `SELECT e.id, e.name, e.credit_code FROM enterprises e WHERE e.synthetic=TRUE AND e.status='operating'
		AND EXISTS (SELECT 1 FROM enterprise_tiers t WHERE t.enterprise_id=e.id AND t.tier='hnte' AND (t.valid_to='' OR t.valid_to >= '2023-01-01'))
		AND (SELECT COUNT(*) FROM enterprise_figures f WHERE f.enterprise_id=e.id AND f.month=0 AND f.status='confirmed'
			AND ((f.year=2022 AND f.indicator IN ('revenue','taxes','rd_spend','land')) OR (f.year=2021 AND f.indicator='revenue'))) >= 5
		ORDER BY e.id LIMIT 30`)
	if err != nil {
		return nil, err
	}
	var out []demoEnt
	for rows.Next() {
		var e demoEnt
		if err := rows.Scan(&e.id, &e.name, &e.code); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	rows.Close()
	if len(out) >= 30 {
		return out, nil
	}
	out = nil
	rnd := rand.New(rand.NewSource(2023))
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		for i, n := range demoNames {
			e := demoEnt{name: "郑州" + n + "科技有限公司（演示）", code: creditCode(fmt.Sprintf("91410100MAAWD%04d", i))}
			if err := tx.QueryRowContext(ctx, `INSERT INTO enterprises (credit_code, name, registered_on, synthetic, created_at, updated_at)
				VALUES ($1,$2,$3,TRUE,$4,$4) RETURNING id`, e.code, e.name, fmt.Sprintf("%d-%02d-15", 2008+i%12, 1+i%12), db.Now()).Scan(&e.id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO enterprise_tiers (enterprise_id, tier, level, note, created_at) VALUES ($1,'hnte','national','演示数据',$2)", e.id, db.Now()); err != nil {
				return err
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
			for code, v := range fig {
				for y, val := range v {
					if val == 0 {
						continue
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO enterprise_figures (enterprise_id, indicator, year, month, source, value, status, entered_at)
						VALUES ($1,$2,$3,0,'stats',$4,'confirmed',$5)`, e.id, code, 2021+y, val, db.Now()); err != nil {
						return err
					}
				}
			}
			out = append(out, e)
		}
		return memo.Bump(ctx, tx, enterprise.Module)
	})
	return out, err
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
	return audit.WithActor(ctx, audit.Actor{ID: ids[who], Name: who}), &svc
}

func day(m time.Month, d int) time.Time {
	return time.Date(2023, m, d, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
}
