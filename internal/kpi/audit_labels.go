package kpi

import "gaoxin/internal/audit"

// auditLabels tell the audit trail how the targets module's rows read.
func auditLabels() audit.Labels {
	return audit.Labels{
		Module: audit.Words{ZH: "目标指标", EN: "targets"},
		Actions: map[string]audit.Words{
			"kpi.actual.save": {ZH: "填报了", EN: "entered"}, "kpi.actual.delete": {ZH: "删除了", EN: "deleted"},
			"kpi.target.set": {ZH: "设定了", EN: "set"}, "kpi.target.delete": {ZH: "删除了", EN: "deleted"},
			"kpi.settings.save": {ZH: "修改了", EN: "changed"},
		},
		Objects: map[string]audit.Words{
			"kpi_indicator": {ZH: "指标", EN: "indicator"}, "kpi_actual": {ZH: "指标数据", EN: "figures"},
			"kpi_target": {ZH: "年度目标", EN: "target"}, "kpi_settings": {ZH: "指标设置", EN: "target settings"},
		},
		Fields: map[string]audit.Field{
			"ytd":             {ZH: "本年累计", EN: "year to date", Kind: audit.Number},
			"ytd_last":        {ZH: "上年同期累计", EN: "same period last year", Kind: audit.Number},
			"rate":            {ZH: "累计增速", EN: "growth", Kind: audit.Percent},
			"province_rate":   {ZH: "全省增速", EN: "province growth", Kind: audit.Percent},
			"city_rate":       {ZH: "全市增速", EN: "city growth", Kind: audit.Percent},
			"month":           {ZH: "月份", EN: "month"},
			"year":            {ZH: "年度", EN: "year"},
			"indicator":       {ZH: "指标代码", EN: "indicator code"},
			"updated_by":      {ZH: "填报人", EN: "entered by"},
			"name_zh":         {ZH: "名称", EN: "name"},
			"name_en":         {ZH: "英文名称", EN: "English name"},
			"measure":         {ZH: "计量单位", EN: "measure"},
			"kind":            {ZH: "类型", EN: "kind", Values: map[string]audit.Words{"growth": {ZH: "增速型", EN: "growth rate"}, "absolute": {ZH: "总量型", EN: "absolute"}}},
			"direction":       {ZH: "方向", EN: "direction", Values: map[string]audit.Words{"higher": {ZH: "越高越好", EN: "higher is better"}, "lower": {ZH: "越低越好", EN: "lower is better"}}},
			"frequency":       {ZH: "报送频次", EN: "frequency", Values: map[string]audit.Words{"monthly": {ZH: "月报", EN: "monthly"}, "quarterly": {ZH: "季报", EN: "quarterly"}}},
			"owner_unit":      {ZH: "责任单位代码", EN: "owner unit code"},
			"owner_unit_name": {ZH: "责任单位", EN: "owner unit"},
			"source_dept":     {ZH: "数据来源", EN: "source"},
			"seasonal":        {ZH: "季节性", EN: "seasonal", Kind: audit.Bool},
			"due_day":         {ZH: "每月报送日", EN: "due day"},
			"as_of":           {ZH: "统计日期", EN: "as of"},
			"value":           {ZH: "目标值", EN: "target value"},
			"source":          {ZH: "计算来源", EN: "computed from"},
			"source_filter":   {ZH: "计算筛选条件", EN: "computed filter"},
			"indicator_id":    {Kind: audit.Hidden},
			"owner_unit_id":   {Kind: audit.Hidden},
			"sort":            {Kind: audit.Hidden},
		},
	}
}
