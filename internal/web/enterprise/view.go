package enterprise

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/enterprise"
)

// The detail page's tables are prepared here as plain strings, so the
// template prints fields instead of calling a method per cell.

// figureRow is one stored value of the sources table.
type figureRow struct {
	Period, Indicator, Value, Source, Status, Entered string
	Reason                                            string // why a self-reported value was rejected
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
					Status: p.StatusText(f.Status), Entered: strings.TrimSpace(p.who.Name(f.EnteredByName) + " " + web.DateTime(f.EnteredAt)), Reason: f.Reason}
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
	"figures": {"指标数据", "figures"}, "value": {"数值", "value"}, "source": {"来源", "source"}, "reason": {"原因", "reason"},
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
		v := historyView{At: web.DateTime(h.At), Actor: p.who.Name(h.Actor), Action: h.Action, ImportJob: h.ImportJob}
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

// filterOptions lays out the options of the list's filter selects, each
// with the filter's current value selected.
func (p *listPage) filterOptions() {
	opt := func(value, label, sel string) selectOption {
		return selectOption{Value: value, Label: label, Selected: value != "" && value == sel}
	}
	area, chain, tier, status, ind := p.Q.Get("area"), p.Q.Get("chain"), p.Q.Get("tier"), p.Q.Get("status"), p.Q.Get("indicator")
	for _, u := range p.Areas {
		p.AreaOptions = append(p.AreaOptions, opt(u.Code, u.NameZH, area))
	}
	for _, n := range p.Chains {
		p.ChainOptions = append(p.ChainOptions, opt(n.Code, strings.Repeat("　", n.Depth)+p.L(n.NameZH, n.NameEN), chain))
	}
	for _, t := range enterprise.Tiers {
		p.TierOptions = append(p.TierOptions, opt(t.Code, p.L(t.NameZH, t.NameEN), tier))
	}
	for _, st := range enterprise.Statuses {
		p.StatusOptions = append(p.StatusOptions, opt(string(st), p.StatusName(st), status))
	}
	for _, i := range p.Indicators {
		p.IndicatorOptions = append(p.IndicatorOptions, opt(i.Code, p.L(i.NameZH, i.NameEN), ind))
	}
}
