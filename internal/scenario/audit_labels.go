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
			"scenario.bid.submit": {ZH: "提交了", EN: "submitted"}, "scenario.bid.update": {ZH: "修改了", EN: "edited"},
			"scenario.bid.withdraw": {ZH: "撤回了", EN: "withdrew"}, "scenario.bid.confirm": {ZH: "确认参与了", EN: "confirmed taking part in"},
		},
		Objects: map[string]audit.Words{
			"scenario_need": {ZH: "场景", EN: "call"}, "scenario_batch": {ZH: "场景批次", EN: "batch"}, "scenario_bid": {ZH: "揭榜", EN: "bid"},
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
		},
	}
}
