package insight

import "gaoxin/internal/audit"

// auditLabels tell the audit trail how the industry brain's rows read.
func auditLabels() audit.Labels {
	status := map[string]audit.Words{WarnOpen: {ZH: "待处理", EN: "open"}, WarnFollowing: {ZH: "跟进中", EN: "following"}, WarnClosed: {ZH: "已办结", EN: "closed"}}
	return audit.Labels{
		Module: audit.Words{ZH: "产业大脑", EN: "industry brain"},
		Actions: map[string]audit.Words{
			"insight.rebuild":           {ZH: "重建了", EN: "rebuilt"},
			"insight.rule.save":         {ZH: "保存了", EN: "saved"},
			"insight.warning.note":      {ZH: "记录了跟进：", EN: "noted on"},
			"insight.warning.following": {ZH: "开始跟进", EN: "took up"},
			"insight.warning.closed":    {ZH: "办结了", EN: "closed"},
			"insight.warning.reopened":  {ZH: "重新打开了", EN: "reopened"},
			"insight.outreach":          {ZH: "生成了走访任务：", EN: "made outreach tasks under"},
			"insight.publish":           {ZH: "设置了公开：", EN: "set the publication of"},
			"insight.conflict.settle":   {ZH: "处理了", EN: "settled"},
			"insight.conflict.percent":  {ZH: "设置了冲突阈值：", EN: "set the conflict share of"},
		},
		Objects: map[string]audit.Words{
			"insight_rollups": {ZH: "汇总数据", EN: "rollups"}, "insight_rule": {ZH: "监测规则", EN: "monitoring rule"},
			"insight_warning": {ZH: "预警", EN: "warning"}, "insight_view": {ZH: "产业大脑视图", EN: "industry brain view"},
			"insight_conflict": {ZH: "数据冲突", EN: "data conflict"}, "insight_settings": {ZH: "产业大脑设置", EN: "industry brain settings"},
			"plan_node": {ZH: "督查任务", EN: "plan node"},
		},
		Fields: map[string]audit.Field{
			"status":      {ZH: "状态", EN: "status", Values: status},
			"note":        {ZH: "跟进情况", EN: "follow-up"},
			"published":   {ZH: "公开", EN: "published"},
			"enterprises": {ZH: "企业数", EN: "enterprises"},
			"cells":       {ZH: "汇总单元数", EN: "cells"},
			"name":        {ZH: "名称", EN: "name"},
			"kind":        {ZH: "类型", EN: "kind"},
			"indicator":   {ZH: "指标", EN: "indicator"},
			"percent":     {ZH: "幅度（%）", EN: "percent"},
			"periods":     {ZH: "期数", EN: "periods"},
			"active":      {ZH: "启用", EN: "active"},
		},
	}
}
