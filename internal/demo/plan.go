package demo

import (
	"context"
	"fmt"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

// The demo work plan is the 2023 plan of the conference report (seed): the
// theme 一个主题, the six 提升 and the nine 行动, each 行动 placed under the 提升
// it serves and its sentences split into tasks for plausible units. Reports
// are replayed month by month, January to October, through the real service
// with a demo clock, and the plan year's review date (as_of) is then set to
// the demo's one date AsOf, so the pages show the plan as it stood in late
// November 2023 whatever today is: some tasks ahead, some behind, some done,
// some red.

// lastReportMonth is the last month whose reports were due before AsOf.
const lastReportMonth = 10

type demoTask struct {
	title, lead, co, start, due, deliverable, indicator string
	profile                                             string // ahead, on, behind, done, red, silent, returned, pending, late
}

type demoAction struct {
	title string
	tasks []demoTask
}

type demoFocus struct {
	title, text string
	actions     []demoAction
}

var demoPlan = []demoFocus{
	{"持续提升创新策源能力", "引进建设高端研发机构，谋划实施大科学装置，全力打造支撑科技自立自强的创新高地。", []demoAction{
		{"科教资源集聚区建设行动", []demoTask{
			{"争取布局建设一批重大科技创新平台", "kcj", "jfj", "2023-01-16", "2023-12-31", "新增省级以上重大科技创新平台 2 个", "", "on"},
			{"建设高水平实验室体系，支持国家和省级重点实验室整合重振", "kcj", "", "2023-02-01", "2023-11-30", "重点实验室整合方案 1 份，新增省级重点实验室 3 家", "", "ahead"},
			{"牵头打造多学科交叉研究平台", "kcj", "rcb", "2023-02-01", "2023-10-31", "交叉研究平台挂牌运行", "", "behind"},
			{"引导国家超算中心郑州中心构建超算创新应用生态体系", "sztj", "kcj", "2023-01-16", "2023-12-31", "超算应用项目 20 个", "", "on"},
			{"加快谋划超短超强激光平台（中原之光）、量子信息技术基础支撑平台", "ghj", "kcj", "2023-01-16", "2023-06-30", "两平台完成选址与可行性研究", "", "red"},
		}},
		{"应用场景建设行动", []demoTask{
			{"发挥智慧城市试验场作用，开放真实场景作为企业创新“实验田”", "sztj", "gz", "2023-02-01", "2023-12-31", "开放应用场景 30 个", "", "ahead"},
			{"以“实验场景”模式面向社会“张榜”发布", "kcj", "sztj", "2023-02-01", "2023-07-12", "张榜发布 2 批", "", "on"},
			{"定期征集场景需求清单并向社会发布，吸引企业“揭榜挂帅”", "jfj", "sztj", "2023-01-16", "2023-12-31", "发布场景机会清单 4 期", "", "returned"},
		}},
	}},
	{"持续提升产业集群能级", "围绕四大主导产业、四大战略新兴产业、四大未来产业，形成若干世界级创新型产业集群。", []demoAction{
		{"未来产业培育行动", []demoTask{
			{"建设未来产业技术研究院", "kcj", "", "2023-03-01", "2023-12-31", "研究院注册成立并引进团队 5 个", "", "silent"},
			{"推动数算、氢能与储能、生命健康、新一代信息技术等战新产业集群发展", "jfj", "dzyq", "2023-01-16", "2023-12-31", "战新产业产值增长 15%", "gdp_growth", "on"},
			{"建设未来产业先导区", "ghj", "dzyq", "2023-02-01", "2023-11-30", "先导区规划获批", "", "behind"},
			{"建立未来产业专项基金", "tkjt", "czj", "2023-01-16", "2023-06-30", "专项基金完成设立", "", "done"},
		}},
		{"数字园区建设行动", []demoTask{
			{"建设数字应用场景，培育数字经济创新型企业，打造数字产业集群", "sztj", "dzyq", "2023-01-16", "2023-12-31", "数字经济核心产业企业新增 50 家", "", "pending"},
			{"加快建设产业大脑、城市大脑，实现数据联通共享", "sztj", "gz", "2023-02-01", "2023-09-30", "产业大脑一期上线", "", "late"},
		}},
		{"绿色园区发展行动", []demoTask{
			{"集中规划专门区域建设低碳产业专业园", "stj", "ghj", "2023-02-01", "2023-12-31", "低碳产业专业园规划 1 个", "", "on"},
			{"联合龙头企业推动能源转型与低碳产业集群发展", "stj", "jfj", "2023-03-01", "2023-12-31", "示范项目 5 个", "", "behind"},
		}},
	}},
	{"持续提升人才引育生态", "加强跨区域园区合作，依托“双自联动”和海外平台，提升创新环境国际化程度。", []demoAction{
		{"高水平科技创业促进行动", []demoTask{
			{"培育专精特新“小巨人”企业和单项冠军企业", "jfj", "", "2023-01-16", "2023-12-31", "新增国家级专精特新“小巨人”企业 10 家", "", "ahead"},
			{"大力培育科技领军企业和世界一流企业", "jfj", "kcj", "2023-01-16", "2023-12-31", "科技领军企业名单及培育方案", "", "on"},
			{"量身定制更具竞争力和吸引力的人才政策", "rcb", "", "2023-01-16", "2023-05-31", "人才政策文件出台", "", "done"},
			{"面向全球招才引智，引进战略科学家和青年科技人才", "rcb", "kcj", "2023-02-01", "2023-12-31", "引进高层次人才团队 20 个", "", "late"},
		}},
	}},
	{"持续提升开放合作水平", "加强跨区域园区合作，全球创新资源集聚辐射能力显著增强，率先成为服务新发展格局的开放高地。", []demoAction{
		{"强化国内国际合作行动", []demoTask{
			{"探索一区多园、合作共建、委托代管，推动跨区域园区合作", "jfj", "sf", "2023-01-16", "2023-12-31", "签约合作园区 2 个", "", "on"},
			{"支持企业建设海外研发中心、孵化器，开展“一带一路”合作", "kcj", "jfj", "2023-02-01", "2023-12-31", "新增海外研发中心 3 个", "", "behind"},
			{"支持知识产权国际化和产品国际认证，主导产业“抱团出海”", "jfj", "bdyq", "2023-02-01", "2023-06-30", "组织出海活动 2 次", "", "red"},
			{"加快推动“双自联动”，建设自贸区联动发展区", "gcb", "jfj", "2023-01-16", "2023-12-31", "联动发展区方案获批", "", "on"},
		}},
	}},
	{"持续提升改革动力活力", "深化国家体制机制创新和政策先行先试，打造制度与政策创新的改革先行示范区。", []demoAction{
		{"深化改革创新行动", []demoTask{
			{"建立健全改革创新容错机制", "gcb", "", "2023-01-16", "2023-06-30", "容错机制文件印发", "", "done"},
			{"推行告知承诺制、容缺审批、“先建后验”、“标准地”等审批改革", "ghj", "gcb", "2023-01-16", "2023-12-31", "审批时限压减 30%", "", "ahead"},
			{"复制推广自贸区、自创区相关改革试点政策", "gcb", "jfj", "2023-02-01", "2023-12-31", "复制推广政策 10 项", "", "silent"},
			{"探索管理模式和运行机制创新", "gcb", "", "2023-03-01", "2023-12-31", "管理体制改革方案", "", "on"},
		}},
	}},
	{"持续提升资本服务实体效能", "强化科技金融创新，搭建全链条科创金融服务体系，打造资本洼地。", []demoAction{
		{"科技与金融深度融合行动", []demoTask{
			{"引导企业入驻“郑好融”及中原中小企业成长指数服务平台", "czj", "sf", "2023-01-16", "2023-12-31", "入驻企业 2000 家", "", "ahead"},
			{"鼓励各类金融机构入驻科技金融广场", "czj", "tkjt", "2023-02-01", "2023-12-31", "新入驻金融机构 20 家", "", "pending"},
			{"深化与嘉兴南湖基金小镇合作，力争引入 160 家创投机构、资本规模 2000 亿", "tkjt", "czj", "2023-01-16", "2023-12-31", "引入创投机构 160 家", "", "behind"},
		}},
	}},
}

// planUnitAccounts are extra unit logins so every unit with demo tasks can
// sign in and report (jfj, kcj and sf have theirs in users).
var planUnitAccounts = []org.NewUser{
	{Username: "czj", DisplayName: "财政金融局 陈（演示）", Role: org.UnitStaff, UnitCode: "czj"},
	{Username: "ghj", DisplayName: "规划建设局 郭（演示）", Role: org.UnitStaff, UnitCode: "ghj"},
	{Username: "rcb", DisplayName: "人才工作局 任（演示）", Role: org.UnitStaff, UnitCode: "rcb"},
	{Username: "gcb", DisplayName: "改革创新办 高（演示）", Role: org.UnitStaff, UnitCode: "gcb"},
	{Username: "sztj", DisplayName: "数字经济中心 孙（演示）", Role: org.UnitStaff, UnitCode: "sztj"},
	{Username: "stj", DisplayName: "生态环境分局 沈（演示）", Role: org.UnitStaff, UnitCode: "stj"},
	{Username: "tkjt", DisplayName: "高新投控集团 田（演示）", Role: org.UnitStaff, UnitCode: "tkjt"},
}

func demoDate(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// loadPlan writes the demo work plan and returns the extra unit accounts.
func loadPlan(ctx context.Context, a *app.App) ([]Account, error) {
	var accounts []Account
	viewers := map[string]plan.Viewer{}
	for _, nu := range planUnitAccounts {
		nu.Password = org.GeneratePassword()
		u, err := a.Org.CreateUser(ctx, nu)
		if err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", nu.Username, err)
		}
		accounts = append(accounts, Account{Username: nu.Username, Password: nu.Password, Role: nu.Role, Unit: nu.UnitCode})
		viewers[nu.UnitCode] = plan.ViewerOf(&u)
	}
	for name, unit := range map[string]string{"jfj": "jfj", "kcj": "kcj", "shifo": "sf", "supervisor": ""} {
		u, err := a.Org.UserByUsername(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", name, err)
		}
		if unit == "" {
			unit = "supervisor"
		}
		viewers[unit] = plan.ViewerOf(&u)
	}
	clock := demoDate("2023-01-10").Add(2 * time.Hour)
	p := *a.Plan
	p.Now = func() time.Time { return clock }
	ctx = audit.WithClock(ctx, p.Now)
	sup := viewers["supervisor"]
	theme, err := p.CreateNode(ctx, sup, plan.NodeInput{Year: 2023, Title: "跑出加速度，确保高质量", TitleEN: "Run faster, ensure high quality",
		Description: "聚焦“稳增长、稳预期、稳民生”，项目化管理、任务化分解、方案化落实、清单化推进，确保谋一件、干一件、成一件。"})
	if err != nil {
		return nil, fmt.Errorf("demo: theme: %w", err)
	}
	type placed struct {
		id int64
		t  demoTask
	}
	var tasks []placed
	for i, f := range demoPlan {
		fn, err := p.CreateNode(ctx, sup, plan.NodeInput{ParentID: theme.ID, Title: f.title, Description: f.text, Sort: i + 1, Code: fmt.Sprintf("T%d", i+1)})
		if err != nil {
			return nil, fmt.Errorf("demo: focus %s: %w", f.title, err)
		}
		for j, ac := range f.actions {
			an, err := p.CreateNode(ctx, sup, plan.NodeInput{ParentID: fn.ID, Title: ac.title, Sort: j + 1})
			if err != nil {
				return nil, fmt.Errorf("demo: action %s: %w", ac.title, err)
			}
			for k, t := range ac.tasks {
				in := plan.NodeInput{ParentID: an.ID, Title: t.title, LeadUnit: t.lead, StartOn: t.start, DueOn: t.due,
					Deliverable: t.deliverable, IndicatorCode: t.indicator, Sort: k + 1}
				if t.co != "" {
					in.CoUnits = []string{t.co}
				}
				n, err := p.CreateNode(ctx, sup, in)
				if err != nil {
					return nil, fmt.Errorf("demo: task %s: %w", t.title, err)
				}
				tasks = append(tasks, placed{n.ID, t})
			}
		}
	}
	// The first action's five tasks carry explicit weights.
	weights := map[int64]*int{}
	for i, w := range []int{30, 25, 15, 15, 15} {
		w := w
		weights[tasks[i].id] = &w
	}
	parent, _, err := p.Node(ctx, sup, tasks[0].id)
	if err != nil {
		return nil, err
	}
	if err := p.SetWeights(ctx, sup, parent.ParentID, weights); err != nil {
		return nil, fmt.Errorf("demo: weights: %w", err)
	}
	if _, err := p.AddMilestone(ctx, sup, tasks[0].id, "完成平台申报材料", "2023-04-30"); err != nil {
		return nil, err
	}
	if _, err := p.AddMilestone(ctx, sup, tasks[0].id, "平台获批", "2023-10-31"); err != nil {
		return nil, err
	}
	// Replay the monthly reports January–October 2023.
	for month := 1; month <= lastReportMonth; month++ {
		period := fmt.Sprintf("2023-%02d", month)
		due := time.Date(2023, time.Month(month)+1, 5, 0, 0, 0, 0, time.UTC)
		for _, pt := range tasks {
			if err := replay(ctx, &p, &clock, viewers, sup, pt.id, pt.t, period, month, due); err != nil {
				return nil, fmt.Errorf("demo: report %s %s: %w", pt.t.title, period, err)
			}
		}
	}
	// 督办单: one answered, one still open past its reply-by date.
	clock = demoDate("2023-11-08").Add(2 * time.Hour)
	for _, pt := range tasks {
		switch pt.t.profile {
		case "red":
			c, err := p.IssueChase(ctx, sup, plan.ChaseInput{TaskID: pt.id, Subject: "任务已过截止日期仍未完成，请说明原因及补救措施", ReplyBy: "2023-11-16"})
			if err != nil {
				return nil, err
			}
			if pt.t.lead == "ghj" {
				clock = demoDate("2023-11-14").Add(2 * time.Hour)
				if _, err := p.ReplyChase(ctx, viewers["ghj"], c.ID, "中原之光平台选址需省级部门联合论证，已报请协调，预计 12 月底完成可研。"); err != nil {
					return nil, err
				}
				clock = demoDate("2023-11-08").Add(2 * time.Hour)
			}
		case "silent":
			if _, err := p.IssueChase(ctx, sup, plan.ChaseInput{TaskID: pt.id, Subject: "请按时报送 10 月进展", ReplyBy: "2023-11-24"}); err != nil {
				return nil, err
			}
		}
	}
	if err := p.SetAsOf(ctx, sup, 2023, AsOf); err != nil {
		return nil, err
	}
	return accounts, nil
}

// replay files (and reviews) one task's report for one month according to
// its profile.
func replay(ctx context.Context, p *plan.Service, clock *time.Time, viewers map[string]plan.Viewer, sup plan.Viewer,
	id int64, t demoTask, period string, month int, due time.Time) error {
	start, end := demoDate(t.start), demoDate(t.due)
	periodEnd := time.Date(2023, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
	if periodEnd.Before(start) || time.Date(2023, time.Month(month), 1, 0, 0, 0, 0, time.UTC).After(end) {
		return nil
	}
	elapsed := plan.Elapsed(start, end, periodEnd) / 10
	pct := elapsed
	submitAt := due.AddDate(0, 0, -2)
	switch t.profile {
	case "ahead":
		pct = elapsed + 15
	case "behind":
		pct = elapsed * 45 / 100
	case "done":
		pct = min(100, elapsed+25)
	case "red":
		pct = min(70, elapsed)
	case "silent":
		if month >= 5 {
			return nil
		}
		pct = elapsed * 80 / 100
	case "late":
		submitAt = due.AddDate(0, 0, 4)
	case "pending":
		pct = elapsed + 8
	}
	pct = max(0, min(100, pct))
	unit := viewers[t.lead]
	*clock = submitAt.Add(2 * time.Hour)
	r, err := p.CreateReport(ctx, unit, plan.ReportInput{TaskID: id, Period: period, Pct: &pct, Submit: true,
		Done: fmt.Sprintf("%s：本月按计划推进，累计完成 %d%%。", period, pct), NextSteps: "继续按节点推进。"})
	if err != nil {
		return err
	}
	if t.profile == "pending" && month == lastReportMonth {
		return nil
	}
	*clock = submitAt.AddDate(0, 0, 3).Add(2 * time.Hour)
	if t.profile == "returned" && month == lastReportMonth {
		r, err = p.Review(ctx, sup, r.ID, false, "佐证材料不足，请补充清单发布截图。", 0)
		if err != nil {
			return err
		}
		*clock = clock.AddDate(0, 0, 1)
		if _, err = p.UpdateReport(ctx, unit, r.ID, plan.ReportInput{Pct: &pct, Done: r.Done + "（已补充说明）", Submit: true, Version: r.Version}); err != nil {
			return err
		}
		*clock = clock.AddDate(0, 0, 1)
		_, err = p.Review(ctx, sup, r.ID, false, "仍缺少发布截图，请补充后再报。", 0)
		return err
	}
	_, err = p.Review(ctx, sup, r.ID, true, "", 0)
	return err
}
