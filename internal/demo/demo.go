// Package demo loads the demonstration data of gaoxin: the units of
// Zhengzhou High-tech Zone named or implied by the 2023 conference report
// (../shared/seed), demo accounts with freshly generated passwords, and each
// module's demo records. Figures are synthetic and labelled so.
package demo

import (
	"context"
	"fmt"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/org"
)

// Account is a demo login printed once at start.
type Account struct {
	Username, Password string
	Role               org.Role
	Unit               string
}

// Units are the zone's demo units: the leadership, internal bureaus, the five
// sub-district offices (办事处), parks, stationed agencies and the state-owned
// investment group, as the conference report lists them. The bureaus and
// stationed agencies read the whole registry (ScopeZone); the offices,
// parks and the group read their own area's enterprises (ScopeArea).
var Units = []org.Unit{
	{Code: "gwh", NameZH: "高新区党工委管委会", NameEN: "Party Working Committee & Administrative Committee", Kind: "党工委管委会", RegistryScope: org.ScopeZone},
	{Code: "dcs", NameZH: "督查室", NameEN: "Supervision Office", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "jfj", NameZH: "经济发展局", NameEN: "Economic Development Bureau", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "kcj", NameZH: "科技创新局", NameEN: "Science and Technology Innovation Bureau", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "czj", NameZH: "财政金融局", NameEN: "Finance Bureau", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "ghj", NameZH: "规划建设局", NameEN: "Planning and Construction Bureau", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "rcb", NameZH: "人才工作局", NameEN: "Talent Bureau", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "gcb", NameZH: "改革创新办公室", NameEN: "Reform Office", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "sztj", NameZH: "数字经济发展中心", NameEN: "Digital Economy Centre", Kind: "内设机构", RegistryScope: org.ScopeZone},
	{Code: "stj", NameZH: "生态环境分局", NameEN: "Ecology and Environment Branch", Kind: "派驻机构", RegistryScope: org.ScopeZone},
	{Code: "swj", NameZH: "税务局高新区分局", NameEN: "Tax Bureau, Zone Branch", Kind: "派驻机构", RegistryScope: org.ScopeZone},
	{Code: "scj", NameZH: "市场监管局高新区分局", NameEN: "Market Regulation, Zone Branch", Kind: "派驻机构", RegistryScope: org.ScopeZone},
	{Code: "sf", NameZH: "石佛办事处", NameEN: "Shifo Sub-district", Kind: "办事处", RegistryScope: org.ScopeArea},
	{Code: "gz", NameZH: "沟赵办事处", NameEN: "Gouzhao Sub-district", Kind: "办事处", RegistryScope: org.ScopeArea},
	{Code: "fy", NameZH: "枫杨办事处", NameEN: "Fengyang Sub-district", Kind: "办事处", RegistryScope: org.ScopeArea},
	{Code: "wt", NameZH: "梧桐办事处", NameEN: "Wutong Sub-district", Kind: "办事处", RegistryScope: org.ScopeArea},
	{Code: "sq", NameZH: "双桥办事处", NameEN: "Shuangqiao Sub-district", Kind: "办事处", RegistryScope: org.ScopeArea},
	{Code: "dzyq", NameZH: "电子信息产业园", NameEN: "Electronic Information Park", Kind: "园区", RegistryScope: org.ScopeArea},
	{Code: "bdyq", NameZH: "北斗产业园", NameEN: "BeiDou Industrial Park", Kind: "园区", RegistryScope: org.ScopeArea},
	{Code: "tkjt", NameZH: "高新投控集团", NameEN: "Zone Investment Holding Group", Kind: "国有企业", RegistryScope: org.ScopeArea},
}

// users are the demo accounts, one per role and a unit account for a bureau
// and a sub-district.
var users = []org.NewUser{
	{Username: "admin", DisplayName: "系统管理员", Role: org.Admin, UnitCode: "gwh"},
	{Username: "anquan", DisplayName: "安全管理员（演示）", Role: org.SecAdmin, UnitCode: "gwh"},
	{Username: "shenji", DisplayName: "审计管理员（演示）", Role: org.Auditor, UnitCode: "gwh"},
	{Username: "leader", DisplayName: "张主任（演示）", Role: org.Leader, UnitCode: "gwh"},
	{Username: "supervisor", DisplayName: "督查室 李（演示）", Role: org.Supervisor, UnitCode: "dcs"},
	{Username: "jfj", DisplayName: "经发局 王（演示）", Role: org.UnitStaff, UnitCode: "jfj"},
	{Username: "kcj", DisplayName: "科创局 赵（演示）", Role: org.UnitStaff, UnitCode: "kcj"},
	{Username: "shifo", DisplayName: "石佛办事处 刘（演示）", Role: org.UnitStaff, UnitCode: "sf"},
}

// Empty reports whether the database has no users yet.
func Empty(ctx context.Context, s *app.App) (bool, error) {
	us, err := s.Org.Users(ctx)
	return len(us) == 0, err
}

// Load writes the demo data and returns the demo accounts with their
// generated passwords. It expects an empty database.
func Load(ctx context.Context, s *app.App) ([]Account, error) {
	// Every record is stamped on or before the demo's one date; the award
	// and plan histories move their own clocks through 2023.
	ctx = audit.WithClock(ctx, Clock)
	ids := map[string]int64{}
	for _, u := range Units {
		if u.Code != "gwh" {
			u.ParentID = ids["gwh"]
		}
		created, err := s.Org.CreateUnit(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("demo: unit %s: %w", u.Code, err)
		}
		ids[u.Code] = created.ID
	}
	var accounts []Account
	for _, nu := range users {
		nu.Password = org.GeneratePassword()
		if _, err := s.Org.CreateUser(ctx, nu); err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", nu.Username, err)
		}
		accounts = append(accounts, Account{Username: nu.Username, Password: nu.Password, Role: nu.Role, Unit: nu.UnitCode})
	}
	if err := LoadKPI(ctx, s); err != nil {
		return nil, err
	}
	planAccounts, err := loadPlan(ctx, s)
	if err != nil {
		return nil, err
	}
	accounts = append(accounts, planAccounts...)
	accounts, err = loadEnterpriseDemo(ctx, s, accounts, DefaultEnterprises)
	if err != nil {
		return nil, err
	}
	awardAccounts, err := loadAward(ctx, s)
	if err != nil {
		return nil, err
	}
	accounts = append(accounts, awardAccounts...)
	if err := loadScenarioFollows(ctx, s); err != nil {
		return nil, err
	}
	if err := loadScenario(ctx, s); err != nil {
		return nil, err
	}
	if err := loadScenarioMatching(ctx, s); err != nil {
		return nil, err
	}
	financeAccounts, err := loadFinance(ctx, s)
	if err != nil {
		return nil, err
	}
	accounts = append(accounts, financeAccounts...)
	if err := loadInsight(ctx, s); err != nil {
		return nil, err
	}
	return accounts, nil
}
