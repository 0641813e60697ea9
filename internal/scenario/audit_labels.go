package scenario

import "gaoxin/internal/audit"

// auditLabels tell the audit trail how the scenario module's rows read.
func auditLabels() audit.Labels {
	states := map[string]audit.Words{}
	for s, st := range callStates {
		states[s] = audit.Words{ZH: st.zh, EN: st.en}
	}
	for _, s := range []string{BidSubmitted, BidWithdrawn} {
		zh, en := BidStateLabel(s)
		states[s] = audit.Words{ZH: zh, EN: en}
	}
	for _, s := range []string{BatchDraft, BatchPublished} {
		zh, en := BatchStateLabel(s)
		states[s] = audit.Words{ZH: zh, EN: en}
	}
	for _, st := range []string{"assigned", "scored", "conflict", "recused"} {
		zh, en := AssignmentStateLabel(st)
		states[st] = audit.Words{ZH: zh, EN: en}
	}
	for _, st := range []string{ObjectionFiled, ObjectionUpheld, ObjectionDismissed, ObjectionLapsed} {
		zh, en := ObjectionStateLabel(st)
		states[st] = audit.Words{ZH: zh, EN: en}
	}
	cats := map[string]audit.Words{}
	for _, c := range Categories {
		cats[c.Code] = audit.Words{ZH: c.NameZH, EN: c.NameEN}
	}
	return audit.Labels{
		Module: audit.Words{ZH: "场景机会", EN: "scenarios"},
		Actions: map[string]audit.Words{
			"scenario.need.submit": {ZH: "提交了", EN: "submitted"}, "scenario.need.update": {ZH: "修改了", EN: "edited"},
			"scenario.need.approved": {ZH: "审核通过了", EN: "approved"}, "scenario.need.rejected": {ZH: "退回了", EN: "rejected"},
			"scenario.need.published": {ZH: "发布了", EN: "published"}, "scenario.need.evaluating": {ZH: "截止揭榜：", EN: "closed the bidding of"},
			"scenario.need.failed":  {ZH: "宣布未成交：", EN: "failed"},
			"scenario.batch.create": {ZH: "新建了", EN: "created"}, "scenario.batch.publish": {ZH: "发布了", EN: "published"},
			"scenario.contract.sign": {ZH: "签订了合同：", EN: "signed the contract of"}, "scenario.payment.request": {ZH: "申请了合同付款：", EN: "requested a stage payment of"},
			"scenario.acceptance.failed": {ZH: "验收未通过：", EN: "did not accept"}, "scenario.need.accepted": {ZH: "验收通过了", EN: "accepted"},
			"scenario.need.closed": {ZH: "结项了", EN: "closed"},
			"scenario.bid.submit":  {ZH: "提交了", EN: "submitted"}, "scenario.bid.update": {ZH: "修改了", EN: "edited"},
			"scenario.bid.withdraw": {ZH: "撤回了", EN: "withdrew"}, "scenario.bid.confirm": {ZH: "确认参与了", EN: "confirmed taking part in"},
			// Evaluation and the result's notice.
			"scenario.rules":  {ZH: "设置了评审规则：", EN: "set the evaluation rules of"},
			"scenario.assign": {ZH: "分配了", EN: "assigned"}, "scenario.recuse": {ZH: "回避了", EN: "recused from"},
			"scenario.score": {ZH: "评分了", EN: "scored"}, "scenario.winner": {ZH: "确定了中标方：", EN: "chose the winner of"},
			"scenario.need.notice":       {ZH: "公示了评审结果：", EN: "put on notice the result of"},
			"scenario.need.implementing": {ZH: "确认中标，进入实施：", EN: "confirmed the result of"},
			"scenario.result.withdraw":   {ZH: "撤回了评审结果：", EN: "withdrew the result of"},
			"scenario.objection.file":    {ZH: "提出了", EN: "filed"}, "scenario.objection.upheld": {ZH: "认定成立：", EN: "upheld"},
			"scenario.objection.dismissed": {ZH: "认定不成立：", EN: "dismissed"},
		},
		Objects: map[string]audit.Words{
			"scenario_need": {ZH: "场景", EN: "call"}, "scenario_batch": {ZH: "场景批次", EN: "batch"}, "scenario_bid": {ZH: "揭榜", EN: "bid"},
			"scenario_assignment": {ZH: "揭榜评审任务", EN: "bid assignment"}, "scenario_objection": {ZH: "场景结果异议", EN: "objection to a call's result"},
		},
		Fields: map[string]audit.Field{
			"state":        {ZH: "状态", EN: "state", Values: states},
			"title":        {ZH: "名称", EN: "title"},
			"category":     {ZH: "类别", EN: "category", Values: cats},
			"chains":       {ZH: "产业链", EN: "chains"},
			"budget_fen":   {ZH: "预算", EN: "budget", Kind: audit.Fen},
			"price_fen":    {ZH: "报价", EN: "price", Kind: audit.Fen},
			"deadline":     {ZH: "揭榜截止", EN: "deadline"},
			"ends_on":      {ZH: "实施完成", EN: "ends on"},
			"reason":       {ZH: "理由", EN: "reason"},
			"seq":          {ZH: "批次号", EN: "batch no."},
			"published_on": {ZH: "发布日期", EN: "published on"},
			"needs":        {ZH: "场景数", EN: "calls"},
			"need":         {ZH: "场景", EN: "call"},
			"partners":     {ZH: "联合伙伴", EN: "partners"},
			"partner":      {ZH: "伙伴企业编号", EN: "partner no."},
			"milestones":   {ZH: "里程碑数", EN: "milestones"},
			"contract_no":  {ZH: "合同编号", EN: "contract no."},
			"stage":        {ZH: "期次", EN: "stage"},
			"signed_on":    {ZH: "签约日期", EN: "signed on"},
			"lead_unit":    {ZH: "督办牵头单位", EN: "lead unit"},
			"amount_fen":   {ZH: "金额", EN: "amount", Kind: audit.Fen},
			"payment_id":   {ZH: "付款编号", EN: "payment no."},
			"on":           {ZH: "验收日期", EN: "date"},
			"opinion":      {ZH: "验收意见", EN: "opinion"},
			"criteria":     {ZH: "评审指标", EN: "criteria"},
			"trim_at":      {ZH: "去掉最高最低分的起始人数", EN: "trim from"},
			"notice_days":  {ZH: "公示天数", EN: "notice days"},
			"bid":          {ZH: "揭榜企业", EN: "bid"},
			"reviewer":     {ZH: "评审专家", EN: "reviewer"},
			"total":        {ZH: "总分", EN: "total"},
			"scores":       {ZH: "各项得分", EN: "scores"},
			"winner":       {ZH: "中标方", EN: "winner"},
			"score":        {ZH: "评审得分", EN: "panel score"},
			"rank":         {ZH: "排名", EN: "rank"},
			"notice_from":  {ZH: "公示开始", EN: "notice from", Kind: audit.Millis},
			"notice_until": {ZH: "公示截止", EN: "notice until", Kind: audit.Millis},
			"name":         {ZH: "提出人", EN: "filed by"},
			"finding":      {ZH: "核查结论", EN: "finding"},
			"objection":    {ZH: "异议编号", EN: "objection no."},
			"lapsed":       {ZH: "随之失效的异议数", EN: "objections lapsed"},
		},
	}
}
