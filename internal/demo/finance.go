package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

// The tech finance demo (科技金融, all 演示): institutions of every kind
// settled in the 科技金融广场 through 2023, one registering and awaiting
// approval; the zone's government fund with two sub-funds and their
// investments; financing needs from demo enterprises; a roadshow; and a
// funnel with matches at every step, two of them funded (到位), one
// declined.

// financeAt is the finance service with its clock at t, and ctx acting as
// who at that time.
func financeAt(ctx context.Context, s *app.App, who string, t time.Time) (context.Context, *finance.Service) {
	svc := *s.Finance
	svc.Now, svc.Synthetic = func() time.Time { return t }, true
	ctx = audit.WithClock(ctx, svc.Now)
	id := int64(0)
	if u, err := s.Org.UserByUsername(ctx, who); err == nil {
		id = u.ID
	}
	return audit.WithActor(ctx, audit.Actor{ID: id, Name: who}), &svc
}

// financeCode is the synthetic credit code of demo institution n.
func financeCode(n int) string { return uscc.Complete(fmt.Sprintf("91410100FD%06d", n)) }

type demoInstitution struct {
	user  string // its investor account; "" for a sub-fund without one
	in    finance.InstitutionInput
	funds []finance.InstitutionInput // sub-funds (government fund only)
}

func yiFen(n int64) int64  { return n * 10_000_000_000 }
func wanFen(n int64) int64 { return n * 1_000_000 }

func demoInstitutions() []demoInstitution {
	contact := func(name string) []finance.Contact {
		return []finance.Contact{{Name: name + "（演示）", Title: "投资经理", Phone: "0371-6000 0000", Email: "demo@example.com"}}
	}
	all := []string{"seed", "angel", "a", "b", "c_plus", "pre_ipo"}
	return []demoInstitution{
		{user: "touzi", in: finance.InstitutionInput{Kind: finance.KindVCPE, Name: "中原科创创业投资基金（演示）", CreditCode: financeCode(1),
			AUMFen: yiFen(80), TicketMinFen: wanFen(1000), TicketMaxFen: yiFen(2), SettledOn: "2023-03-15", Stages: []string{"a", "b", "c_plus"},
			Instruments: []string{"equity", "convertible"}, Chains: []string{"dominant", "emerging", "future"}, Contacts: contact("陈"),
			Intro: "专注电子信息、物联网与新材料的成长期投资（合成数据）"}},
		{user: "tianshi", in: finance.InstitutionInput{Kind: finance.KindAngel, Name: "郑州天使投资（演示）", CreditCode: financeCode(2),
			AUMFen: yiFen(5), TicketMinFen: wanFen(100), TicketMaxFen: wanFen(2000), SettledOn: "2023-05-20", Stages: []string{"seed", "angel"},
			Instruments: []string{"equity"}, Contacts: contact("林")}},
		{user: "yinhang", in: finance.InstitutionInput{Kind: finance.KindBank, Name: "高新科技支行（演示）", CreditCode: financeCode(3),
			AUMFen: yiFen(300), TicketMinFen: wanFen(100), TicketMaxFen: yiFen(5), SettledOn: "2023-02-10", Stages: all,
			Instruments: []string{"loan", "ip_pledge"}, Contacts: contact("黄")}},
		{user: "danbao", in: finance.InstitutionInput{Kind: finance.KindGuarantee, Name: "中原科技融资担保（演示）", CreditCode: financeCode(4),
			AUMFen: yiFen(30), TicketMinFen: wanFen(100), TicketMaxFen: yiFen(1), SettledOn: "2023-06-01", Stages: all,
			Instruments: []string{"guarantee"}, Contacts: contact("孙")}},
		{user: "jijin", in: finance.InstitutionInput{Kind: finance.KindGovFund, Name: "郑州高新区科技创新引导基金（演示）", CreditCode: financeCode(5),
			AUMFen: yiFen(50), TicketMinFen: wanFen(200), TicketMaxFen: yiFen(1), SettledOn: "2023-01-10", Stages: []string{"seed", "angel", "a", "b"},
			Instruments: []string{"equity"}, CommittedFen: yiFen(50), PaidInFen: yiFen(20), Contacts: contact("周")},
			funds: []finance.InstitutionInput{
				{Kind: finance.KindVCPE, Name: "高新区天使子基金（演示）", CreditCode: financeCode(6), AUMFen: yiFen(10), SettledOn: "2023-04-01",
					Stages: []string{"seed", "angel"}, Instruments: []string{"equity"}, CommittedFen: yiFen(10), PaidInFen: yiFen(4)},
				{Kind: finance.KindVCPE, Name: "高新区产业发展子基金（演示）", CreditCode: financeCode(7), AUMFen: yiFen(20), SettledOn: "2023-04-01",
					Stages: []string{"a", "b", "c_plus"}, Instruments: []string{"equity"}, CommittedFen: yiFen(20), PaidInFen: yiFen(6)},
			}},
	}
}

// demoNeed is a need of demo enterprise serial ent.
type demoNeed struct {
	ent               int
	title, use        string
	instrument, stage string
	wan               int64
}

var demoNeeds = []demoNeed{
	{1, "A 轮股权融资：产线扩产（演示）", "新建两条产线、扩充研发团队", "equity", "a", 5000},
	{2, "B 轮股权融资：市场拓展（演示）", "全国销售网络与海外认证", "equity", "b", 15000},
	{3, "流动资金贷款（演示）", "原材料采购与订单交付", "loan", "a", 2000},
	{4, "知识产权质押贷款（演示）", "以 12 件发明专利质押，用于中试线建设", "ip_pledge", "angel", 800},
	{5, "天使轮融资：样机研发（演示）", "样机研发与首批客户验证", "equity", "angel", 500},
	{6, "融资担保：银行授信增信（演示）", "为 1,000 万元银行授信提供担保", "guarantee", "a", 1000},
	{7, "种子轮融资：团队组建（演示）", "核心团队组建与原型开发", "equity", "seed", 300},
}

// loadFinance writes the finance demo and returns its investor accounts.
func loadFinance(ctx context.Context, s *app.App) ([]Account, error) {
	u, err := s.Org.UserByUsername(ctx, "supervisor")
	if err != nil {
		return nil, fmt.Errorf("demo: finance: %w", err)
	}
	staff := finance.ViewerOf(&u)
	var accounts []Account
	investors := map[string]finance.Viewer{}
	inst := map[string]finance.Institution{}
	account := func(name, display string, at time.Time) (finance.Viewer, error) {
		nu := org.NewUser{Username: name, DisplayName: display + " 账号（演示）", Role: org.Investor, Password: org.GeneratePassword()}
		cu, err := s.Org.CreateUser(audit.WithClock(ctx, func() time.Time { return at }), nu)
		if err != nil {
			return finance.Viewer{}, fmt.Errorf("demo: finance account %s: %w", name, err)
		}
		accounts = append(accounts, Account{Username: nu.Username, Password: nu.Password, Role: nu.Role, Unit: display})
		return finance.ViewerOf(&cu), nil
	}
	// Each institution registers through its account and is approved the
	// next day; the government fund's sub-funds are entered by staff.
	for _, d := range demoInstitutions() {
		settled, _ := time.ParseInLocation("2006-01-02", d.in.SettledOn, db.CST)
		at := settled.Add(10 * time.Hour)
		v, err := account(d.user, d.in.Name, at.Add(-time.Hour))
		if err != nil {
			return nil, err
		}
		ictx, isvc := financeAt(ctx, s, d.user, at)
		i, err := isvc.Register(ictx, v, d.in)
		if err != nil {
			return nil, fmt.Errorf("demo: finance institution %s: %w", d.in.Name, err)
		}
		sctx, ssvc := financeAt(ctx, s, "supervisor", at.AddDate(0, 0, 1))
		if i, err = ssvc.Approve(sctx, staff, i.ID); err != nil {
			return nil, fmt.Errorf("demo: finance approve %s: %w", d.in.Name, err)
		}
		investors[d.user], inst[d.user] = v, i
		for k, sub := range d.funds {
			sub.ParentID = i.ID
			fctx, fsvc := financeAt(ctx, s, "supervisor", at.AddDate(0, 3, k))
			sf, err := fsvc.Create(fctx, staff, sub)
			if err != nil {
				return nil, fmt.Errorf("demo: finance sub-fund %s: %w", sub.Name, err)
			}
			for j := 0; j < 2; j++ {
				if _, err := fsvc.AddInvestment(fctx, staff, sf.ID, finance.FundInvestmentInput{CreditCode: demoCode(10 + 2*k + j),
					AmountFen: wanFen(int64(500 * (j + 1))), On: at.AddDate(0, 3, k).Format("2006-01-02")}); err != nil {
					return nil, fmt.Errorf("demo: finance fund investment: %w", err)
				}
			}
		}
	}
	// A leasing company has registered and awaits approval.
	zl, err := account("zulin", "中原融资租赁（演示）", day(time.November, 15))
	if err != nil {
		return nil, err
	}
	zctx, zsvc := financeAt(ctx, s, "zulin", day(time.November, 15))
	if _, err := zsvc.Register(zctx, zl, finance.InstitutionInput{Kind: finance.KindLeasing, Name: "中原融资租赁（演示）", CreditCode: financeCode(8),
		AUMFen: yiFen(60), TicketMinFen: wanFen(500), TicketMaxFen: yiFen(3), Stages: []string{"b", "c_plus", "pre_ipo"},
		Instruments: []string{"leasing"}}); err != nil {
		return nil, fmt.Errorf("demo: finance leasing: %w", err)
	}
	needs, err := loadFinanceNeeds(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := loadFinanceFunnel(ctx, s, staff, investors, inst, needs); err != nil {
		return nil, err
	}
	if err := loadFinanceHonour(ctx, s); err != nil {
		return nil, err
	}
	if err := loadFinanceSubsidy(ctx, s, staff); err != nil {
		return nil, err
	}
	return accounts, nil
}

// loadFinanceNeeds posts the demo needs on 1 May, each on its enterprise's
// own chains in the registry.
func loadFinanceNeeds(ctx context.Context, s *app.App) ([]finance.Need, error) {
	var out []finance.Need
	for k, d := range demoNeeds {
		e, err := s.Enterprise.ByCode(ctx, enterprise.System, demoCode(d.ent))
		if err != nil {
			return nil, fmt.Errorf("demo: finance need %d: %w", d.ent, err)
		}
		v := finance.Viewer{Role: org.Enterprise, EnterpriseID: e.ID, Name: e.Name}
		if d.ent == 1 {
			u, err := s.Org.UserByUsername(ctx, "qiye")
			if err == nil {
				v = finance.ViewerOf(&u)
			}
		}
		nctx, nsvc := financeAt(ctx, s, "qiye", day(time.May, 1+k))
		n, err := nsvc.Post(nctx, v, finance.NeedInput{Title: d.title, AmountFen: wanFen(d.wan), Instrument: d.instrument, Stage: d.stage,
			UseOfFunds: d.use + "（演示）", SharedFigures: []string{"revenue", "rd_spend", "patents"}}, nil)
		if err != nil {
			return nil, fmt.Errorf("demo: finance need %s: %w", d.title, err)
		}
		out = append(out, n)
	}
	return out, nil
}
