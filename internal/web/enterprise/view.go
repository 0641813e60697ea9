package enterprise

import (
	"encoding/json"
	"fmt"
	"gaoxin/internal/web"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/enterprise"
)

// The detail page's tables are prepared here as plain strings, so the
// template prints fields instead of calling a method per cell.

// figureRow is one stored value of the sources table.
type figureRow struct {
	Period, Indicator, Value, Source, Status, Entered string
	Code                                              string
	Year, Month                                       int
	Effective, Pending                                bool
}

// figureRows lays out the values of the sources table. Unless all is set,
// only the periods that need a look are shown: those holding a pending or
// rejected value, or values from more than one source.
//
// p.Figures come sorted by period (Detail sorts them), so a period's
// values are one run of the slice.
func (p *detailPage) figureRows(all bool) []figureRow {
	var out []figureRow
	for start := 0; start < len(p.Figures); {
		end, look := start+1, p.Figures[start].Status != enterprise.Confirmed
		for end < len(p.Figures) && samePeriod(p.Figures[start], p.Figures[end]) {
			look = look || p.Figures[end].Status != enterprise.Confirmed
			end++
		}
		if all || look || end-start > 1 {
			for _, f := range p.Figures[start:end] {
				r := figureRow{Code: f.Indicator, Year: f.Year, Month: f.Month, Effective: f.Effective, Pending: f.Status == enterprise.Pending,
					Period: strconv.Itoa(f.Year), Indicator: p.IndName(f.Indicator), Value: p.Value(f), Source: p.SourceName(f.Source),
					Status: p.StatusText(f.Status), Entered: strings.TrimSpace(f.EnteredByName + " " + web.DateTime(f.EnteredAt))}
				if f.Month != 0 {
					r.Period += "-" + strconv.Itoa(f.Month)
				}
				out = append(out, r)
			}
		}
		start = end
	}
	return out
}

// samePeriod reports whether two values are of one indicator and period.
func samePeriod(a, b enterprise.Figure) bool {
	return a.Year == b.Year && a.Month == b.Month && a.Indicator == b.Indicator
}

// historyView is one change of the history table, in words.
type historyView struct {
	At, Actor, Action string
	ImportJob         int64
	Changes           []string
}

// historyLabels name the recorded fields.
var historyLabels = map[string][2]string{
	"credit_code": {"统一社会信用代码", "credit code"}, "code_exception": {"代码例外说明", "code exception"},
	"name": {"企业名称", "name"}, "former_names": {"曾用名", "former names"}, "legal_form": {"企业类型", "legal form"},
	"registered_on": {"成立日期", "registered on"}, "registered_capital_fen": {"注册资本", "registered capital"},
	"area": {"所属办事处", "office area"}, "address": {"地址", "address"}, "industry_code": {"行业代码", "industry code"},
	"chains": {"产业链", "industry chains"}, "status": {"状态", "status"}, "year": {"年度", "year"},
	"figures": {"指标数据", "figures"}, "value": {"数值", "value"}, "source": {"来源", "source"},
	"tier": {"资质", "tier"}, "level": {"级别", "level"}, "cert_no": {"证书编号", "certificate no."},
	"valid_from": {"有效期起", "valid from"}, "valid_to": {"有效期止", "valid to"}, "board": {"板块", "board"},
	"stock_code": {"股票代码", "stock code"}, "note": {"备注", "note"}, "enterprise_id": {"企业", "enterprise"},
	"indicator": {"指标", "indicator"}, "month": {"月份", "month"}, "user": {"账号", "account"},
}

// historyOrder is the order changes are listed in; other fields follow
// alphabetically.
var historyOrder = []string{"name", "credit_code", "code_exception", "former_names", "legal_form", "registered_on",
	"registered_capital_fen", "area", "address", "industry_code", "chains", "indicator", "year", "month", "value",
	"figures", "source", "status", "tier", "level", "cert_no", "valid_from", "valid_to", "board", "stock_code", "note", "user"}

func historyRank(k string) int {
	if i := slices.Index(historyOrder, k); i >= 0 {
		return i
	}
	return len(historyOrder)
}

// historyQuiet are recorded fields that say nothing to a reader.
var historyQuiet = map[string]bool{"id": true, "version": true, "created_at": true, "updated_at": true, "synthetic": true,
	"area_unit_id": true, "area_name": true, "enterprise_id": true, "industry_name": true, "entered_by": true, "entered_at": true, "entered_by_name": true,
	"effective": true, "current": true, "expiring": true}

var historyActions = map[string][2]string{
	"enterprise.create": {"登记", "registered"}, "enterprise.update": {"修改", "changed"},
	"enterprise.import.create": {"导入登记", "imported (new)"}, "enterprise.import.update": {"导入更新", "imported (update)"},
	"enterprise.figure.set": {"录入数据", "figure entered"}, "enterprise.figure.confirm": {"确认数据", "figure confirmed"},
	"enterprise.figure.reject": {"退回数据", "figure rejected"}, "enterprise.tier.add": {"添加资质", "certificate added"},
	"enterprise.account.link": {"关联账号", "account linked"},
}

// historyViews turns recorded before/after JSON into "field: old → new".
func (p *detailPage) historyViews() []historyView {
	out := make([]historyView, 0, len(p.History))
	for _, h := range p.History {
		v := historyView{At: web.DateTime(h.At), Actor: h.Actor, Action: h.Action, ImportJob: h.ImportJob}
		if a, ok := historyActions[h.Action]; ok {
			v.Action = p.L(a[0], a[1])
		}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal([]byte(h.Before), &before)
		json.Unmarshal([]byte(h.After), &after)
		var keys []string
		for k := range after {
			keys = append(keys, k)
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(a, b string) int {
			if d := historyRank(a) - historyRank(b); d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		// A figure's value is in its indicator's unit.
		ind, _ := after["indicator"].(string)
		for _, k := range keys {
			if historyQuiet[k] {
				continue
			}
			b, hadB := before[k]
			a := after[k]
			bs, as := p.historyValue(k, ind, b), p.historyValue(k, ind, a)
			if (hadB && bs == as) || (!hadB && as == "") || (k == "month" && as == "0") {
				continue
			}
			label := k
			if l, ok := historyLabels[k]; ok {
				label = p.L(l[0], l[1])
			}
			switch {
			case !hadB || bs == "":
				v.Changes = append(v.Changes, label+"："+as)
			case as == "":
				v.Changes = append(v.Changes, label+"："+bs+" → "+p.L("（空）", "(empty)"))
			default:
				v.Changes = append(v.Changes, label+"："+bs+" → "+as)
			}
		}
		out = append(out, v)
	}
	return out
}

// historyValue formats one recorded value for the history table.
func (p *detailPage) historyValue(key, ind string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		switch key {
		case "status":
			switch x {
			case enterprise.Pending, enterprise.Rejected, enterprise.Confirmed:
				return p.StatusText(x)
			}
			if zh, en := enterprise.Status(x).Label(); zh != "" {
				return p.L(zh, en)
			}
		case "source":
			return p.SourceName(enterprise.Source(x))
		case "indicator":
			return p.IndName(x)
		case "tier":
			return p.TierName(x)
		}
		return x
	case float64:
		n := int64(x)
		switch key {
		case "registered_capital_fen":
			return enterprise.FormatFen(n)
		case "value":
			if i, ok := p.indByCode[ind]; ok {
				return figureText(i, n)
			}
		}
		return strconv.FormatInt(n, 10)
	case bool:
		return p.L(map[bool]string{true: "是", false: "否"}[x], strconv.FormatBool(x))
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if m, ok := e.(map[string]any); ok { // a chain reference
				if n, ok := m["name_zh"].(string); ok {
					parts = append(parts, n)
					continue
				}
			}
			parts = append(parts, p.historyValue("", "", e))
		}
		return strings.Join(parts, "、")
	case map[string]any:
		if key == "figures" {
			codes := make([]string, 0, len(x))
			for c := range x {
				codes = append(codes, c)
			}
			slices.Sort(codes)
			parts := make([]string, 0, len(codes))
			for _, c := range codes {
				parts = append(parts, p.IndName(c)+" "+p.historyValue("value", c, x[c]))
			}
			return strings.Join(parts, "，")
		}
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}

// yearsTable writes the figures-by-year table (a hundred cells for ten
// years of ten indicators) straight to HTML, escaping every text.
func (p *detailPage) yearsTable() template.HTML {
	var b strings.Builder
	b.Grow(1024 + 80*len(p.Years)*(len(p.Indicators)+1)) // one allocation for a typical table
	b.WriteString("<table><thead><tr><th>")
	b.WriteString(html.EscapeString(p.L("年度", "Year")))
	b.WriteString("</th>")
	for _, i := range p.Indicators {
		b.WriteString(`<th class="num">`)
		b.WriteString(html.EscapeString(p.L(i.NameZH, i.NameEN)))
		if u := p.HeadUnit(i); u != "" {
			b.WriteString("<br><small>")
			b.WriteString(html.EscapeString(u))
			b.WriteString("</small>")
		}
		b.WriteString("</th>")
	}
	b.WriteString("</tr></thead><tbody>\n")
	for _, y := range p.Years {
		b.WriteString("<tr><td>")
		b.WriteString(strconv.Itoa(y.Year))
		b.WriteString("</td>")
		for _, c := range y.Cells {
			b.WriteString(`<td class="num">`)
			if c.Has {
				b.WriteString(`<span title="`)
				b.WriteString(html.EscapeString(c.Source))
				b.WriteString(`">`)
				b.WriteString(html.EscapeString(c.Text))
				b.WriteString("</span>")
			}
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	if len(p.Years) == 0 {
		fmt.Fprintf(&b, `<tr><td colspan="%d" class="muted">%s</td></tr>`, len(p.Indicators)+1, html.EscapeString(p.L("暂无已确认数据", "No confirmed figures yet")))
	}
	b.WriteString("</tbody></table>")
	return template.HTML(b.String())
}

// rowsHTML writes the list's result rows straight to HTML (fifty rows of
// six cells), escaping every text, as the template would.
func (p *listPage) rowsHTML() template.HTML {
	if len(p.Items) == 0 {
		return template.HTML(`<tr><td colspan="6" class="muted">` + html.EscapeString(p.L("没有符合条件的企业", "No enterprise matches")) + `</td></tr>`)
	}
	demo := html.EscapeString(p.L("演示", "demo"))
	var b strings.Builder
	for _, e := range p.Items {
		b.WriteString(`<tr><td><a href="/enterprises/`)
		b.WriteString(strconv.FormatInt(e.ID, 10))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(e.Name))
		b.WriteString("</a>")
		if e.Synthetic {
			b.WriteString(` <span class="tag">` + demo + `</span>`)
		}
		b.WriteString("</td><td><code>")
		b.WriteString(html.EscapeString(e.CreditCode))
		b.WriteString("</code></td><td>")
		b.WriteString(html.EscapeString(e.AreaName))
		b.WriteString("</td><td>")
		b.WriteString(html.EscapeString(e.IndustryCode))
		b.WriteString("</td><td>")
		for i, c := range e.Chains {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString(html.EscapeString(c.NameZH))
		}
		b.WriteString("</td><td>")
		b.WriteString(html.EscapeString(p.StatusName(e.Status)))
		b.WriteString("</td></tr>\n")
	}
	return template.HTML(b.String())
}

// filterOptions writes the options of the list's filter selects, each
// with "all" (or "—") first and the filter's current value selected: a
// template range with a comparison and a method call per option cost
// more than the rest of the page's template.
func (p *listPage) filterOptions() {
	all := p.L("全部", "All")
	var o optionWriter
	o.start(all, p.Q.Get("area"))
	for _, u := range p.Areas {
		o.add(u.Code, u.NameZH)
	}
	p.AreaOptions = o.html()
	o.start(all, p.Q.Get("chain"))
	for _, n := range p.Chains {
		o.add(n.Code, strings.Repeat("　", n.Depth)+p.L(n.NameZH, n.NameEN))
	}
	p.ChainOptions = o.html()
	o.start(all, p.Q.Get("tier"))
	for _, t := range enterprise.Tiers {
		o.add(t.Code, p.L(t.NameZH, t.NameEN))
	}
	p.TierOptions = o.html()
	o.start(all, p.Q.Get("status"))
	for _, st := range enterprise.Statuses {
		o.add(string(st), p.StatusName(st))
	}
	p.StatusOptions = o.html()
	o.start("—", p.Q.Get("indicator"))
	for _, i := range p.Indicators {
		o.add(i.Code, p.L(i.NameZH, i.NameEN))
	}
	p.IndicatorOptions = o.html()
}

// optionWriter writes a select's options, escaped.
type optionWriter struct {
	b   strings.Builder
	sel string
}

// start begins a select whose first option (value "") is labelled first
// and whose option of value sel is selected.
func (o *optionWriter) start(first, sel string) {
	o.b.Reset()
	o.sel = sel
	o.add("", first)
}

func (o *optionWriter) add(value, label string) {
	o.b.WriteString(`<option value="`)
	o.b.WriteString(html.EscapeString(value))
	o.b.WriteByte('"')
	if value != "" && value == o.sel {
		o.b.WriteString(" selected")
	}
	o.b.WriteByte('>')
	o.b.WriteString(html.EscapeString(label))
	o.b.WriteString("</option>")
}

func (o *optionWriter) html() template.HTML { return template.HTML(o.b.String()) }
