package award

import (
	"fmt"
	"regexp"
	"strconv"
)

// fieldNames are the programme's fields in words, by the field path the
// form and the service name them with.
var fieldNames = map[string][2]string{
	"year":                          {"年度", "Year"},
	"subject":                       {"评选对象", "Candidates"},
	"require_application":           {"须企业申报", "Applications required"},
	"eligibility":                   {"资格条件", "Eligibility"},
	"grading.exempt_tiers":          {"分档 · 免评资质", "Grading · exempt tiers"},
	"name_zh":                       {"名称（中文）", "Name (Chinese)"},
	"kind":                          {"类型", "Kind"},
	"quota":                         {"名额", "Quota"},
	"budget_fen":                    {"预算", "Budget"},
	"notice_days":                   {"公示期", "Notice period"},
	"unit":                          {"金额单位", "Unit of amounts"},
	"data_year":                     {"数据年度", "Data year"},
	"trim_at":                       {"去掉最高分和最低分的评分人数", "Scores from which the highest and lowest are dropped"},
	"eligibility.min_years_in_zone": {"资格条件 · 在区年限", "Eligibility · years in the zone"},
	"eligibility.required_figures":  {"资格条件 · 必须填报的指标", "Eligibility · required figures"},
	"eligibility.tiers_valid_on":    {"资格条件 · 资质有效日期", "Eligibility · tier valid on"},
	"terms":                         {"评分公式", "Scoring formula"},
	"terms.weight":                  {"评分公式 · 权重合计", "Scoring formula · total weight"},
	"criteria":                      {"专家评审指标", "Review criteria"},
	"grading.bands":                 {"分档比例（A/B/C/D）", "Grading bands (A/B/C/D)"},
	"money.kind":                    {"奖励方式", "Money rule"},
	"money.amount_fen":              {"奖励方式 · 每家金额", "Money · amount per winner"},
	"money.bands":                   {"奖励方式 · 名次段", "Money · rank bands"},
	"money.per_point_fen":           {"奖励方式 · 每分金额", "Money · amount per point"},
	"money.cap_fen":                 {"奖励方式 · 单家上限", "Money · cap per winner"},
	"terms[].code":                  {"代码", "code"},
	"terms[].name_zh":               {"名称", "name"},
	"terms[].source":                {"计算方式", "computed as"},
	"terms[].indicator":             {"指标", "indicator"},
	"terms[].denominator":           {"分母指标", "denominator"},
	"terms[].transform":             {"换算", "transform"},
	"terms[].benchmark":             {"基准值", "benchmark"},
	"terms[].cap":                   {"封顶值", "cap"},
	"terms[].weight":                {"权重", "weight"},
	"criteria[].max":                {"满分", "maximum"},
}

var rowField = regexp.MustCompile(`^([a-z_.]+)\[(\d+)\](?:\.([a-z_]+))?$`)

// rowGroups name the repeated groups: which row of which part.
var rowGroups = map[string][2]string{
	"terms":       {"评分公式第 %d 项", "Formula term %d"},
	"criteria":    {"专家评审指标第 %d 项", "Review criterion %d"},
	"money.bands": {"奖励名次段第 %d 段", "Money band %d"},
}

// fieldLabel names a field path (terms[2].weight) in words in the page's
// language ("评分公式第 3 项 · 权重"); an unknown path is shown as it is.
func fieldLabel(p page, field string) string {
	if n, ok := fieldNames[field]; ok && n[0] != "" {
		return p.L(n[0], n[1])
	}
	m := rowField.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	g, ok := rowGroups[m[1]]
	if !ok {
		return field
	}
	k, _ := strconv.Atoi(m[2])
	zh, en := fmt.Sprintf(g[0], k+1), fmt.Sprintf(g[1], k+1)
	if m[3] != "" {
		if n, ok := fieldNames[m[1]+"[]."+m[3]]; ok {
			zh, en = zh+" · "+n[0], en+" · "+n[1]
		}
	}
	return p.L(zh, en)
}
