package finance

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// page is the base of the module's pages: the words for its codes.
type page struct{ web.Page }

// Kind is an institution kind in words.
func (p page) Kind(c string) string { return p.L(finance.KindLabel(c)) }

// Stage is a financing stage in words.
func (p page) Stage(c string) string { return p.L(finance.StageLabel(c)) }

// Instrument is an instrument in words.
func (p page) Instrument(c string) string { return p.L(finance.InstrumentLabel(c)) }

// Step is a funnel step in words.
func (p page) Step(c string) string { return p.L(finance.StepLabel(c)) }

// Reason is one term of a ranking as its list shows it after the plus
// sign: "20/20 " and its words. One call per reason instead of three keeps the rendering of
// a page of fifty ranked needs (250 reasons) from costing as much as
// ranking them.
func (p page) Reason(r finance.Reason) string {
	return strconv.Itoa(r.Points) + "/" + strconv.Itoa(r.Max) + " " + p.L(r.ZH, r.EN)
}

// Stages joins stage codes in words.
func (p page) Stages(cs []string) string { return p.words(cs, finance.StageLabel) }

// Instruments joins instrument codes in words.
func (p page) Instruments(cs []string) string { return p.words(cs, finance.InstrumentLabel) }

func (p page) words(cs []string, label func(string) (string, string)) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = p.L(label(c))
	}
	return strings.Join(out, "、")
}

// InstState is an institution state in words.
func (p page) InstState(s string) string {
	for _, l := range finance.InstStates {
		if l.Code == s {
			return p.L(l.NameZH, l.NameEN)
		}
	}
	return s
}

// InstTag is the colour of an institution state's tag.
func (p page) InstTag(s string) string {
	switch s {
	case finance.InstApproved:
		return "green"
	case finance.InstRejected:
		return "red"
	}
	return "yellow"
}

// StepTag is the colour of a match's tag.
func (p page) StepTag(m finance.Match) string {
	switch {
	case m.State == finance.MatchClosed:
		return "gray"
	case m.Step == finance.StepFunded:
		return "green"
	case m.Step == finance.StepInterest:
		return "yellow"
	}
	return "blue"
}

// MatchState is where a match stands in words: its step, or closed.
func (p page) MatchState(m finance.Match) string {
	if m.State == finance.MatchClosed {
		return p.L("已关闭", "Closed") + p.L("（止于", " (at ") + p.Step(m.Step) + p.L("）", ")")
	}
	return p.Step(m.Step)
}

// NeedState is a need's state in words.
func (p page) NeedState(s string) string {
	if s == finance.NeedOpen {
		return p.L("征集中", "open")
	}
	return p.L("已关闭", "closed")
}

// Audience is a need's audience in words.
func (p page) Audience(c string) string {
	for _, l := range finance.Audiences {
		if l.Code == c {
			return p.L(l.NameZH, l.NameEN)
		}
	}
	return c
}

// ChainNames joins the names of chains; none means every chain.
func (p page) ChainNames(cs []finance.ChainRef) string {
	if len(cs) == 0 {
		return p.L("不限", "any")
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = p.L(c.NameZH, c.NameEN)
	}
	return strings.Join(names, "、")
}

// Ticket is an institution's ticket range in words.
func (p page) Ticket(i finance.Institution) string {
	if i.TicketMaxFen == 0 {
		return web.Money(i.TicketMinFen) + p.L(" 起", " and above")
	}
	return web.Money(i.TicketMinFen) + " – " + web.Money(i.TicketMaxFen)
}

// Figure is a shared registry figure with its unit.
func (p page) Figure(f finance.SharedFigure) string {
	if f.Unit == "元" && f.Scale == 2 {
		return web.Money(f.Value)
	}
	v := strconv.FormatInt(f.Value, 10)
	if f.Scale > 0 {
		neg := strings.HasPrefix(v, "-")
		v = strings.TrimPrefix(v, "-")
		for len(v) <= f.Scale {
			v = "0" + v
		}
		v = v[:len(v)-f.Scale] + "." + v[len(v)-f.Scale:]
		if neg {
			v = "-" + v
		}
	}
	return v + " " + f.Unit
}

// option is a choice in a select or a group of checkboxes.
type option struct {
	Value, Label string
	Selected     bool
}

// labelOptions are ls as choices, those in chosen selected.
func labelOptions(p page, ls []finance.Label, chosen ...string) []option {
	sel := map[string]bool{}
	for _, c := range chosen {
		sel[c] = true
	}
	out := make([]option, len(ls))
	for i, l := range ls {
		out[i] = option{Value: l.Code, Label: p.L(l.NameZH, l.NameEN), Selected: sel[l.Code]}
	}
	return out
}

// chainOptions are the registry's chain nodes, indented by depth.
func (s *handlers) chainOptions(ctx context.Context, p page, chosen []string) ([]option, error) {
	tree, err := s.Enterprise.ChainTree(ctx)
	if err != nil {
		return nil, err
	}
	sel := map[string]bool{}
	for _, c := range chosen {
		sel[c] = true
	}
	out := make([]option, 0, len(tree))
	for _, n := range tree {
		out = append(out, option{Value: n.Code, Label: strings.Repeat("　", n.Depth) + p.L(n.NameZH, n.NameEN), Selected: sel[n.Code]})
	}
	return out, nil
}

// failed shows a refused write on the page being drawn again: its message
// above the content and its details, with the refusal's status. Internal
// errors and objects not found go to the error page instead.
func failed(w http.ResponseWriter, p *web.Page, details *[]errs.Detail, err error) error {
	if err == nil {
		return nil
	}
	e := errs.As(err)
	if e.Code == errs.Internal || e.Code == errs.NotFound || e.Code == errs.Unauthorized {
		return err
	}
	p.Error, *details = e.Message(p.Lang), e.Details
	w.WriteHeader(web.Status(e.Code))
	return nil
}

// amount reads a money field typed in 元 or 万元 as fen; "" is zero. A
// bad amount is an error naming field.
func amount(typed string, wan bool, field string) (int64, error) {
	if strings.TrimSpace(typed) == "" {
		return 0, nil
	}
	fen, ok := money.ParseAmount(typed, wan)
	if !ok {
		if wan {
			return 0, errs.Field(field, "金额格式不对：以万元为单位的非负数，最多六位小数", "the amount must be a non-negative number of 10,000 yuan (six decimals at most)")
		}
		return 0, errs.Field(field, "金额格式不对：以元为单位的非负数，最多两位小数", "the amount must be a non-negative number of yuan (two decimals at most)")
	}
	return fen, nil
}

// wanText is fen written back as 万元 for a form field ("" for zero).
func wanText(fen int64) string {
	if fen == 0 {
		return ""
	}
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(float64(fen)/1_000_000, 'f', 6, 64), "0"), ".")
}

// homePage is the module's front page.
type homePage struct {
	page
	Member   finance.Institution // an investor account's institution
	Linked   bool
	Pending  int // staff: institutions awaiting approval
	Staff    bool
	Investor bool
	Ent      bool
}

func (s *handlers) handleHome(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	p := homePage{page: page{s.Page(r, "科技金融", "Tech finance")}, Staff: v.Staff(),
		Investor: v.Role == org.Investor, Ent: v.Role == org.Enterprise && v.EnterpriseID != 0}
	if p.Investor {
		id, err := s.Finance.MemberOf(r.Context(), v)
		if err != nil {
			return err
		}
		if id != 0 {
			if p.Member, err = s.Finance.Institution(r.Context(), v, id); err != nil {
				return err
			}
			p.Linked = true
		}
	}
	if p.Staff {
		pending, err := s.Finance.Institutions(r.Context(), v, finance.InstitutionFilter{State: finance.InstPending})
		if err != nil {
			return err
		}
		p.Pending = len(pending)
	}
	return s.Render(w, r, "finance/home.html", p)
}
