package enterprise

import "gaoxin/internal/audit"

// auditLabels tell the audit trail how the registry's rows read.
func auditLabels() audit.Labels {
	statuses := map[string]audit.Words{}
	for _, s := range Statuses {
		zh, en := s.Label()
		statuses[string(s)] = audit.Words{ZH: zh, EN: en}
	}
	statuses[Pending] = audit.Words{ZH: "待确认", EN: "pending"}
	statuses[Confirmed] = audit.Words{ZH: "已确认", EN: "confirmed"}
	statuses[Rejected] = audit.Words{ZH: "已退回", EN: "rejected"}
	sources := map[string]audit.Words{}
	for _, s := range Sources {
		zh, en := s.Label()
		sources[string(s)] = audit.Words{ZH: zh, EN: en}
	}
	return audit.Labels{
		Module: audit.Words{ZH: "企业库", EN: "registry"},
		Actions: map[string]audit.Words{
			"enterprise.create": {ZH: "登记了", EN: "registered"}, "enterprise.update": {ZH: "修改了", EN: "changed"},
			"enterprise.figure.set": {ZH: "录入了数据：", EN: "entered figures of"}, "enterprise.figure.confirm": {ZH: "确认了数据：", EN: "confirmed figures of"},
			"enterprise.figure.reject": {ZH: "退回了数据：", EN: "rejected figures of"},
			"enterprise.import":        {ZH: "导入了", EN: "imported"}, "enterprise.flag.add": {ZH: "标记了", EN: "flagged"},
			"enterprise.flag.clear": {ZH: "清除了标记：", EN: "cleared a flag of"}, "enterprise.account.link": {ZH: "关联了账号：", EN: "linked an account to"},
			"enterprise.demo.load":        {ZH: "载入了演示数据：", EN: "loaded demo data:"},
			"enterprise.indicator.create": {ZH: "新建了", EN: "created"}, "enterprise.indicator.update": {ZH: "修改了", EN: "changed"},
			"enterprise.chain.create": {ZH: "新建了", EN: "created"},
			"enterprise.class.set":    {ZH: "写入了分类结果：", EN: "recorded the classes of"},
		},
		Objects: map[string]audit.Words{
			"enterprise": {ZH: "企业", EN: "enterprise"}, "enterprise_import": {ZH: "导入批次", EN: "import"},
			"figure_indicator": {ZH: "企业指标", EN: "indicator"}, "chain_node": {ZH: "产业链节点", EN: "chain node"},
			"enterprise_flag": {ZH: "企业标记", EN: "flag"}, "enterprise_classes": {ZH: "企业分类（按年度）", EN: "classes by year"},
		},
		Fields: map[string]audit.Field{
			"credit_code":            {ZH: "统一社会信用代码", EN: "credit code"},
			"legal_form":             {ZH: "企业类型", EN: "legal form"},
			"registered_on":          {ZH: "成立日期", EN: "registered on"},
			"registered_capital_fen": {ZH: "注册资本", EN: "registered capital", Kind: audit.Fen},
			"area_name":              {ZH: "办事处", EN: "office area"},
			"address":                {ZH: "地址", EN: "address"},
			"industry_code":          {ZH: "行业代码", EN: "industry code"},
			"industry_name":          {ZH: "行业", EN: "industry"},
			"status":                 {ZH: "状态", EN: "status", Values: statuses},
			"synthetic":              {ZH: "演示数据", EN: "synthetic", Kind: audit.Bool},
			"indicator":              {ZH: "指标", EN: "indicator"},
			"year":                   {ZH: "年度", EN: "year"},
			"month":                  {ZH: "月份", EN: "month"},
			"value":                  {ZH: "数值", EN: "value", Kind: audit.Number},
			"source":                 {ZH: "来源", EN: "source", Values: sources},
			"entered_by_name":        {ZH: "录入人", EN: "entered by"},
			"entered_at":             {ZH: "录入时间", EN: "entered", Kind: audit.Millis},
			"enterprises":            {ZH: "企业数", EN: "enterprises", Kind: audit.Number},
			"enterprise_id":          {ZH: "企业编号", EN: "enterprise no."},
			"kind":                   {ZH: "类型", EN: "kind"},
			"scheme":                 {ZH: "分类", EN: "scheme"},
			"source_programme_id":    {ZH: "来源评优项目编号", EN: "source programme no."},
			"changed":                {ZH: "变动企业数", EN: "enterprises changed", Kind: audit.Number},
			"class_a":                {ZH: "A 类", EN: "class A", Kind: audit.Number},
			"class_b":                {ZH: "B 类", EN: "class B", Kind: audit.Number},
			"class_c":                {ZH: "C 类", EN: "class C", Kind: audit.Number},
			"class_d":                {ZH: "D 类", EN: "class D", Kind: audit.Number},
			"area":                   {Kind: audit.Hidden},
			"area_unit_id":           {Kind: audit.Hidden},
			"version":                {Kind: audit.Hidden},
			"entered_by":             {Kind: audit.Hidden},
		},
	}
}
