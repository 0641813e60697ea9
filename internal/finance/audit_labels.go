package finance

import "gaoxin/internal/audit"

// auditLabels tell the audit trail how the finance module's rows read.
func auditLabels() audit.Labels {
	states := map[string]audit.Words{}
	for _, l := range InstStates {
		states[l.Code] = audit.Words{ZH: l.NameZH, EN: l.NameEN}
	}
	for _, l := range Steps {
		states[l.Code] = audit.Words{ZH: l.NameZH, EN: l.NameEN}
	}
	states[StepClosed] = audit.Words{ZH: "已关闭", EN: "closed"}
	words := func(ls []Label) map[string]audit.Words {
		out := map[string]audit.Words{}
		for _, l := range ls {
			out[l.Code] = audit.Words{ZH: l.NameZH, EN: l.NameEN}
		}
		return out
	}
	return audit.Labels{
		Module: audit.Words{ZH: "科技金融", EN: "tech finance"},
		Actions: map[string]audit.Words{
			"finance.institution.register": {ZH: "登记了", EN: "registered"}, "finance.institution.create": {ZH: "录入了", EN: "created"},
			"finance.institution.update": {ZH: "修改了", EN: "edited"}, "finance.institution.approved": {ZH: "审核通过了", EN: "approved"},
			"finance.institution.rejected": {ZH: "退回了", EN: "rejected"}, "finance.institution.link": {ZH: "关联了账号：", EN: "linked an account to"},
			"finance.fund.invest": {ZH: "记录了基金投资：", EN: "recorded an investment of"},
			"finance.need.post":   {ZH: "发布了", EN: "posted"}, "finance.need.audience": {ZH: "设置了可见范围：", EN: "set who sees"},
			"finance.need.close":     {ZH: "关闭了", EN: "closed"},
			"finance.match.interest": {ZH: "表达了对接意向：", EN: "expressed interest in"},
			"finance.match.step":     {ZH: "推进了", EN: "moved"}, "finance.match.correct": {ZH: "更正了到位记录", EN: "corrected the deal received of"},
			"finance.match.closed":    {ZH: "关闭了", EN: "closed"},
			"finance.match.note":      {ZH: "记录了备注：", EN: "noted on"},
			"finance.roadshow.create": {ZH: "新建了", EN: "created"}, "finance.roadshow.invite": {ZH: "邀请了路演项目：", EN: "invited needs to"},
			"finance.roadshow.attend":     {ZH: "登记了参会机构：", EN: "recorded who attends"},
			"finance.subsidy_rule.create": {ZH: "登记了补贴政策", EN: "recorded the subsidy rule"},
			"finance.subsidy.grant":       {ZH: "核定了融资补贴：", EN: "granted a subsidy on"},
		},
		Objects: map[string]audit.Words{
			"finance_institution": {ZH: "金融机构", EN: "institution"}, "finance_need": {ZH: "融资需求", EN: "financing need"},
			"finance_match": {ZH: "融资对接", EN: "match"}, "finance_roadshow": {ZH: "路演活动", EN: "roadshow"},
			"finance_subsidy_rule": {ZH: "补贴政策", EN: "subsidy rule"},
		},
		Fields: map[string]audit.Field{
			"state":          {ZH: "状态", EN: "state", Values: states},
			"step":           {ZH: "环节", EN: "step", Values: states},
			"kind":           {ZH: "机构类型", EN: "kind", Values: words(Kinds)},
			"stage":          {ZH: "融资阶段", EN: "stage", Values: words(Stages)},
			"instrument":     {ZH: "融资方式", EN: "instrument", Values: words(Instruments)},
			"name":           {ZH: "名称", EN: "name"},
			"title":          {ZH: "标题", EN: "title"},
			"credit_code":    {ZH: "统一社会信用代码", EN: "credit code"},
			"aum_fen":        {ZH: "管理资本规模", EN: "capital under management", Kind: audit.Fen},
			"ticket_min_fen": {ZH: "单笔下限", EN: "ticket from", Kind: audit.Fen},
			"ticket_max_fen": {ZH: "单笔上限", EN: "ticket up to", Kind: audit.Fen},
			"committed_fen":  {ZH: "认缴规模", EN: "committed", Kind: audit.Fen},
			"paid_in_fen":    {ZH: "实缴规模", EN: "paid in", Kind: audit.Fen},
			"amount_fen":     {ZH: "金额", EN: "amount", Kind: audit.Fen},
			"settled_on":     {ZH: "入驻日期", EN: "settled on"},
			"stages":         {ZH: "投资阶段", EN: "stages"},
			"instruments":    {ZH: "金融工具", EN: "instruments"},
			"chains":         {ZH: "产业链", EN: "chains"},
			"reason":         {ZH: "理由", EN: "reason"},
			"user":           {ZH: "账号", EN: "account"},
			"on":             {ZH: "日期", EN: "date"},
			"audience":       {ZH: "可见范围", EN: "audience"},
			"institutions":   {ZH: "机构", EN: "institutions"},
			"needs":          {ZH: "项目", EN: "needs"},
			"enterprise":     {ZH: "企业", EN: "enterprise"},
			"place":          {ZH: "地点", EN: "place"},
			"need":           {ZH: "需求编号", EN: "need no."},
			"institution":    {ZH: "机构编号", EN: "institution no."},
			"name_zh":        {ZH: "名称", EN: "name"},
			"subsidy_kind":   {ZH: "补贴类型", EN: "subsidy kind", Values: words(SubsidyKinds)},
			"rate_bp":        {ZH: "年化利率/费率（基点）", EN: "yearly rate (basis points)"},
			"share_pct":      {ZH: "补贴比例（%）", EN: "share (%)"},
			"months":         {ZH: "补贴期限（月）", EN: "months"},
			"cap_fen":        {ZH: "单笔上限", EN: "cap per deal", Kind: audit.Fen},
			"budget_fen":     {ZH: "年度预算", EN: "year's budget", Kind: audit.Fen},
			"programme_id":   {ZH: "政策资金编号", EN: "policy fund no."},
			"rule_id":        {ZH: "补贴政策编号", EN: "subsidy rule no."},
			"grant_id":       {ZH: "奖补编号", EN: "grant no."},
			"formula":        {ZH: "计算", EN: "worked out as"},
		},
	}
}
