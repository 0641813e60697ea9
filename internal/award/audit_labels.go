package award

import "gaoxin/internal/audit"

// auditLabels tell the audit trail how the awards module's rows read: its
// verbs, nouns and fields, with the states of every machine in words.
func auditLabels() audit.Labels {
	states := map[string]audit.Words{}
	for s, st := range programmeStates {
		states[s] = audit.Words{ZH: st.zh, EN: st.en}
	}
	for _, m := range []machine{applications, payments} {
		for s, l := range m.labels {
			states[s] = audit.Words{ZH: l[0], EN: l[1]}
		}
	}
	for s, l := range otherLabels {
		states[s] = audit.Words{ZH: l[0], EN: l[1]}
	}
	return audit.Labels{
		Module: audit.Words{ZH: "评优奖补", EN: "awards"},
		Actions: map[string]audit.Words{
			"award.apply": {ZH: "提交了", EN: "submitted"}, "award.check": {ZH: "形式审查了", EN: "checked"},
			"award.assign": {ZH: "分派了", EN: "assigned"}, "award.recuse": {ZH: "回避了", EN: "recused from"},
			"award.score": {ZH: "评分了", EN: "scored"}, "award.rank": {ZH: "排名了", EN: "ranked"},
			"award.grant": {ZH: "确定了", EN: "granted"}, "award.grant.none": {ZH: "确定无奖补：", EN: "granted nothing for"},
			"award.contract.open":  {ZH: "登记了兑付合同", EN: "opened the contract"},
			"award.policy.open":    {ZH: "设立了政策资金", EN: "opened the policy fund"},
			"award.history":        {ZH: "登记了往年结果：", EN: "recorded past results of"},
			"award.objection.file": {ZH: "提出了", EN: "filed"}, "award.objection.upheld": {ZH: "裁定成立：", EN: "upheld"},
			"award.objection.dismissed": {ZH: "裁定不成立：", EN: "dismissed"},
			"award.notice.restart":      {ZH: "重新公示了", EN: "restarted the notice of"},
			"award.payment.request":     {ZH: "申请了", EN: "requested"}, "award.payment.approved": {ZH: "审批了", EN: "approved"},
			"award.payment.paid": {ZH: "登记支付了", EN: "marked paid"}, "award.payment.reversed": {ZH: "冲正了", EN: "reversed"},
			"award.payment.withdrawn":   {ZH: "撤回了", EN: "withdrew"},
			"award.ledger.payment":      {ZH: "记入台账（支付）：", EN: "entered a payment in"},
			"award.ledger.reversal":     {ZH: "记入台账（冲正）：", EN: "entered a reversal in"},
			"award.programme.open":      {ZH: "开放申报：", EN: "opened applications for"},
			"award.programme.review":    {ZH: "进入评审：", EN: "started the review of"},
			"award.programme.notice":    {ZH: "开始公示：", EN: "put on notice"},
			"award.programme.confirmed": {ZH: "认定了", EN: "confirmed"}, "award.programme.closed": {ZH: "结束了", EN: "closed"},
			"award.reviewer.affiliations": {ZH: "登记了关联单位：", EN: "recorded the affiliations of"},
		},
		Objects: map[string]audit.Words{
			"award_programme": {ZH: "评优项目", EN: "programme"}, "award_application": {ZH: "申报", EN: "application"},
			"award_assignment": {ZH: "评审任务", EN: "review assignment"}, "award_grant": {ZH: "奖补", EN: "grant"},
			"award_payment": {ZH: "付款", EN: "payment"}, "award_ledger": {ZH: "奖补台账", EN: "ledger"},
			"award_objection": {ZH: "异议", EN: "objection"},
		},
		Fields: map[string]audit.Field{
			"state":           {ZH: "状态", EN: "state", Values: states},
			"amount_fen":      {ZH: "金额", EN: "amount", Kind: audit.Fen},
			"budget_fen":      {ZH: "预算", EN: "budget", Kind: audit.Fen},
			"rank":            {ZH: "名次", EN: "rank"},
			"basis":           {ZH: "依据", EN: "basis"},
			"enterprise_id":   {ZH: "企业编号", EN: "enterprise no."},
			"programme_id":    {ZH: "项目编号", EN: "programme no."},
			"grant_id":        {ZH: "奖补编号", EN: "grant no."},
			"payment_id":      {ZH: "付款编号", EN: "payment no."},
			"application_id":  {ZH: "申报编号", EN: "application no."},
			"reviewer_id":     {ZH: "评审专家编号", EN: "reviewer no."},
			"date":            {ZH: "日期", EN: "date"},
			"voucher_no":      {ZH: "凭证号", EN: "voucher no."},
			"finding":         {ZH: "核查结论", EN: "finding"},
			"summary":         {ZH: "申报摘要", EN: "summary"},
			"notice_from":     {ZH: "公示开始", EN: "notice from", Kind: audit.Millis},
			"notice_until":    {ZH: "公示截止", EN: "notice until", Kind: audit.Millis},
			"notice_days":     {ZH: "公示天数", EN: "notice days"},
			"notice_restarts": {ZH: "重新公示次数", EN: "notice restarts"},
			"round":           {ZH: "轮次", EN: "round"},
			"kind": {ZH: "类别", EN: "kind", Values: map[string]audit.Words{
				KindRanking: {ZH: "评优（限额）", EN: "honour with a quota"}, KindPrize: {ZH: "奖项（达标即奖）", EN: "prize"},
				KindContract: {ZH: "合同兑付", EN: "contract"}, KindPolicy: {ZH: "政策兑现", EN: "policy fund"}}},
			"name_zh":         {ZH: "名称", EN: "name"},
			"name_en":         {ZH: "英文名称", EN: "English name"},
			"corrections":     {ZH: "更正内容", EN: "corrections"},
			"cause":           {ZH: "起因", EN: "cause"},
			"excluded":        {ZH: "排除的企业数", EN: "excluded"},
			"ranked":          {ZH: "参与排名的企业数", EN: "ranked"},
			"value":           {ZH: "内容", EN: "content"},
			"idempotency_key": {Kind: audit.Hidden},
			"requested_by":    {Kind: audit.Hidden},
			"digest":          {Kind: audit.Hidden},
			"files":           {Kind: audit.Hidden},
		},
	}
}
