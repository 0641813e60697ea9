package scenario

import "gaoxin/internal/audit"

// withMatchLabels adds the audit words of matching, invitations, follows
// and spreadsheet imports to the module's labels.
func withMatchLabels(l audit.Labels) audit.Labels {
	for k, w := range map[string]audit.Words{
		"scenario.invite":       {ZH: "邀请企业揭榜：", EN: "invited enterprises to bid on"},
		"scenario.follow":       {ZH: "更新了关注的场景类别：", EN: "changed the categories followed by"},
		"scenario.batch.import": {ZH: "导入了", EN: "imported"},
	} {
		l.Actions[k] = w
	}
	l.Objects["enterprise"] = audit.Words{ZH: "企业", EN: "enterprise"}
	for k, f := range map[string]audit.Field{
		"enterprises": {ZH: "企业", EN: "enterprises"},
		"categories":  {ZH: "关注类别", EN: "categories followed"},
		"filename":    {ZH: "文件", EN: "file"},
		"rows":        {ZH: "行数", EN: "rows"},
	} {
		l.Fields[k] = f
	}
	return l
}
