package enterprise

import (
	"regexp"
	"strings"

	"gaoxin/internal/money"
)

// Column keys of the spreadsheet layout. Figure columns are "fig:" + the
// indicator code.
const (
	colCode      = "credit_code"
	colName      = "name"
	colFormer    = "former_names"
	colForm      = "legal_form"
	colRegOn     = "registered_on"
	colCapital   = "registered_capital"
	colArea      = "area"
	colAddress   = "address"
	colIndustry  = "industry_code"
	colChains    = "chains"
	colStatus    = "status"
	colYear      = "year"
	colException = "code_exception"
	figPrefix    = "fig:"
)

// profileColumns are the template's first columns, in order, with the
// Chinese header (unit included) and the names a file may use instead.
var profileColumns = []struct {
	key, header, en string
	aliases         []string
}{
	{colCode, "统一社会信用代码", "Credit code", []string{"社会信用代码", "信用代码", "统一代码", "uscc", "unified social credit code", "credit_code"}},
	{colName, "企业名称", "Name", []string{"单位名称", "名称", "企业", "公司名称", "enterprise", "enterprise name", "company"}},
	{colFormer, "曾用名", "Former names", []string{"former_names", "former name"}},
	{colForm, "企业类型", "Legal form", []string{"登记注册类型", "企业性质", "公司类型", "legal_form", "type"}},
	{colRegOn, "成立日期", "Registered on", []string{"注册日期", "登记日期", "成立时间", "registered_on", "registration date", "founded"}},
	{colCapital, "注册资本（万元）", "Registered capital", []string{"注册资本", "registered_capital", "capital"}},
	{colArea, "所属办事处", "Office area", []string{"办事处", "所属街道", "街道", "area", "office_area"}},
	{colAddress, "注册地址", "Address", []string{"地址", "住所", "经营地址"}},
	{colIndustry, "行业代码", "Industry code", []string{"国民经济行业代码", "国民经济行业分类", "行业分类代码", "行业分类", "industry_code", "gb/t 4754"}},
	{colChains, "产业链", "Industry chains", []string{"所属产业链", "产业链节点", "industry chain", "chain"}},
	{colStatus, "状态", "Status", []string{"经营状态", "登记状态", "企业状态"}},
	{colException, "代码校验例外理由", "Code exception reason", []string{"code_exception", "exception"}},
	{colYear, "年度", "Year", []string{"年份", "统计年度", "数据年度"}},
}

// figureAliases are other names files use for the shipped indicators.
var figureAliases = map[string][]string{
	"revenue":   {"主营业务收入", "营业总收入", "营收", "operating revenue"},
	"taxes":     {"税收", "利税", "纳税额", "税收总额", "实缴税金", "tax"},
	"rd_spend":  {"研发费用", "r&d投入", "研发经费", "r&d spending", "r&d"},
	"employees": {"从业人员数", "从业人员期末人数", "员工人数", "职工人数", "staff"},
	"rd_staff":  {"研发人员数", "r&d staff"},
	"patents":   {"有效发明专利数", "发明专利", "invention patents"},
	"trade":     {"进出口总额", "外贸进出口", "imports and exports"},
	"financing": {"融资金额", "financing"},
	"land":      {"用地", "占地面积", "land area"},
	"energy":    {"能耗", "energy consumption"},
}

// moneyUnits are the units a money header may carry, as powers of ten
// from the written number to fen.
var moneyUnits = map[string]int{"元": 2, "千元": 5, "万元": 6, "百万元": 8, "亿元": 10}

// defaultMoneyUnit is assumed when a money header names no unit.
const defaultMoneyUnit = "万元"

// templateMoneyUnit is the unit the template and exports use.
const templateMoneyUnit = "万元"

var unitRe = regexp.MustCompile(`^(.*?)[\(（\[【]\s*(?:单位[:：]?\s*)?([^\)）\]】]*?)\s*[\)）\]】]$`)

// normHeader turns a header cell into its matching key and the unit it
// carries: "营业收入（万元）" → ("营业收入", "万元"); "Revenue (10k yuan)" →
// ("revenue", "10k yuan"); "营业收入万元" → ("营业收入", "万元").
func normHeader(h string) (name, unit string) {
	h = strings.TrimSpace(halfWidth(h))
	h = strings.NewReplacer("\n", "", "\r", "", " ", "", "\u3000", "").Replace(h)
	if m := unitRe.FindStringSubmatch(h); m != nil {
		h, unit = m[1], m[2]
	} else {
		for _, u := range []string{"百万元", "亿元", "万元", "千元"} {
			if strings.HasSuffix(h, u) && len(h) > len(u) {
				h, unit = strings.TrimSuffix(h, u), u
				break
			}
		}
	}
	return strings.ToLower(strings.ReplaceAll(h, " ", "")), unit
}

// headerIndex maps normalised header names to column keys.
func headerIndex(inds []Indicator) map[string]string {
	m := map[string]string{}
	put := func(name, key string) {
		n, _ := normHeader(name)
		if _, taken := m[n]; !taken {
			m[n] = key
		}
	}
	for _, c := range profileColumns {
		put(c.key, c.key)
		put(c.header, c.key)
		put(c.en, c.key)
		for _, a := range c.aliases {
			put(a, c.key)
		}
	}
	for _, i := range inds {
		key := figPrefix + i.Code
		put(i.Code, key)
		put(i.NameZH, key)
		if i.NameEN != "" {
			put(i.NameEN, key)
		}
		for _, a := range figureAliases[i.Code] {
			put(a, key)
		}
	}
	return m
}

// figureHeader is an indicator's column header in the template and exports.
func figureHeader(i Indicator) string {
	if i.Money() {
		return i.NameZH + "（" + templateMoneyUnit + "）"
	}
	return i.NameZH + "（" + i.Unit + "）"
}

// DisplayExp is the power of ten between an indicator's display unit (万元
// for money, the unit otherwise) and its stored value.
func DisplayExp(i Indicator) int {
	if i.Money() {
		return moneyUnits[templateMoneyUnit]
	}
	return i.Scale
}

// DisplayUnit is the unit forms and exports use for an indicator.
func DisplayUnit(i Indicator) string {
	if i.Money() {
		return templateMoneyUnit
	}
	return i.Unit
}

// ParseDisplay reads a value typed in an indicator's display unit.
func ParseDisplay(i Indicator, s string) (int64, error) {
	v, err := ParseScaled(s, DisplayExp(i))
	if err == nil && i.Money() && !money.Credible(v) {
		err = errNotCredible
	}
	if err != nil {
		ce := err.(*cellError)
		return 0, errFieldValue(i.Code, s, i.NameZH+ce.zh, i.NameEN+": "+ce.en)
	}
	return v, nil
}

// FormatDisplay writes a stored value in the indicator's display unit.
func FormatDisplay(i Indicator, v int64) string { return FormatScaled(v, DisplayExp(i)) }
