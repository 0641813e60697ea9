package plan

import "gaoxin/internal/audit"

// auditLabels tell the audit trail how the plan's rows read.
func auditLabels() audit.Labels {
	states := map[string]audit.Words{}
	for s, l := range reportLabels {
		states[s] = audit.Words{ZH: l[0], EN: l[1]}
	}
	return audit.Labels{
		Module: audit.Words{ZH: "督查督办", EN: "supervision"},
		Actions: map[string]audit.Words{
			"plan.report.create": {ZH: "填报了", EN: "filed"}, "plan.report.update": {ZH: "修改了", EN: "edited"},
			"plan.report.accept": {ZH: "采纳了", EN: "accepted"}, "plan.report.return": {ZH: "退回了", EN: "returned"},
			"plan.node.weights":     {ZH: "调整了权重：", EN: "reweighted"},
			"plan.node.override":    {ZH: "人工调整了状态：", EN: "overrode the status of"},
			"plan.milestone.create": {ZH: "添加了里程碑：", EN: "added a milestone to"},
			"plan.milestone.done":   {ZH: "完成了里程碑：", EN: "completed a milestone of"},
			"plan.chase.issue":      {ZH: "发出了", EN: "issued"}, "plan.chase.reply": {ZH: "回复了", EN: "answered"},
			"plan.chase.close":       {ZH: "办结了", EN: "closed"},
			"plan.year.as_of":        {ZH: "设定了统计日期：", EN: "set the as-of date of"},
			"plan.settings":          {ZH: "修改了", EN: "changed"},
			"plan.attachment.create": {ZH: "上传了附件：", EN: "attached a file to"},
		},
		Objects: map[string]audit.Words{
			"plan_node": {ZH: "任务", EN: "task"}, "plan_report": {ZH: "进展报告", EN: "progress report"},
			"plan_chase": {ZH: "督办单", EN: "chase"}, "plan_year": {ZH: "年度计划", EN: "year plan"},
			"plan_settings": {ZH: "督查设置", EN: "supervision settings"},
		},
		Fields: map[string]audit.Field{
			"pct":                {ZH: "进度", EN: "progress", Kind: audit.Percent},
			"state":              {ZH: "状态", EN: "state", Values: states},
			"comment":            {ZH: "审核意见", EN: "comment"},
			"due_on":             {ZH: "截止日期", EN: "due"},
			"start_on":           {ZH: "开始日期", EN: "start"},
			"deliverable":        {ZH: "成果", EN: "deliverable"},
			"description":        {ZH: "说明", EN: "description"},
			"lead_unit":          {ZH: "牵头单位", EN: "lead unit"},
			"co_units":           {ZH: "配合单位", EN: "co-units"},
			"weight":             {ZH: "权重", EN: "weight", Kind: audit.Percent},
			"cycle":              {ZH: "报送周期", EN: "cycle", Values: map[string]audit.Words{"monthly": {ZH: "每月", EN: "monthly"}, "quarterly": {ZH: "每季度", EN: "quarterly"}}},
			"subject":            {ZH: "事由", EN: "subject"},
			"body":               {ZH: "内容", EN: "text"},
			"reply":              {ZH: "回复", EN: "reply"},
			"reply_by":           {ZH: "回复期限", EN: "reply by"},
			"as_of":              {ZH: "统计日期", EN: "as of"},
			"task_id":            {ZH: "任务编号", EN: "task no."},
			"indicator_code":     {ZH: "关联指标", EN: "indicator"},
			"year":               {ZH: "年度", EN: "year"},
			"title_en":           {ZH: "英文标题", EN: "English title"},
			"done":               {ZH: "完成情况", EN: "done"},
			"next_steps":         {ZH: "下步计划", EN: "next steps"},
			"problems":           {ZH: "存在问题", EN: "problems"},
			"period":             {ZH: "报告期", EN: "period"},
			"attachments":        {ZH: "附件", EN: "attachments"},
			"first_submitted_on": {ZH: "首次报送日期", EN: "first submitted"},
			"review_comment":     {ZH: "审核意见", EN: "review comment"},
			"reviewed_at":        {ZH: "审核时间", EN: "reviewed", Kind: audit.Millis},
			"submitted_at":       {ZH: "报送时间", EN: "submitted", Kind: audit.Millis},
			"created_at":         {ZH: "创建时间", EN: "created", Kind: audit.Millis},
			"submit":             {Kind: audit.Hidden},
			"version":            {Kind: audit.Hidden},
			"parent_id":          {Kind: audit.Hidden},
			"sort":               {Kind: audit.Hidden},
		},
	}
}
