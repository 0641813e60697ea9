package finance_test

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"testing"

	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// The dashboard's two tables, row by row, in both languages: each row of
// the ranked needs and of the matches is the markup the page has always
// had, written out here from the service's data. It holds the page to
// the same output however its rows are prepared.
func TestDashboardRowsAsEver(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	syn, err := w.App.Finance.Synthesize(ctx, finance.Scale{Institutions: 30, Needs: 600, Enterprises: []int64{w.e1, w.e2}, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	// vc1 acts for the institution with the most needs ranked.
	staff := finance.Viewer{UserID: 1, Role: org.Supervisor}
	best, most := int64(0), -1
	for id := syn.FirstInstitution; id <= syn.LastInstitution; id++ {
		d, err := w.App.Finance.Dashboard(ctx, staff, id, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Fits) > most && len(d.Matches) >= 2 {
			best, most = id, len(d.Fits)
		}
	}
	w.exec("INSERT INTO finance_members (user_id, institution_id, created_at) SELECT id, $1, 1 FROM users WHERE username = 'vc1'", best)
	// A closed match besides the synthetic ones, for the closed words.
	w.exec(`UPDATE finance_matches SET state = 'closed' WHERE id = (SELECT MIN(id) FROM finance_matches WHERE institution_id = $1)`, best)
	u, err := w.App.Org.UserByUsername(ctx, "vc1")
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.App.Finance.Dashboard(ctx, finance.ViewerOf(&u), 0, 20) // the page's first 20
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Fits) != 20 || len(d.Matches) < 2 {
		t.Fatalf("%d fits and %d matches to compare", len(d.Fits), len(d.Matches))
	}
	text := template.Must(template.New("").Parse("{{.}}"))
	esc := func(s string) string {
		var b strings.Builder
		if err := text.Execute(&b, s); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, lang := range []string{"zh", "en"} {
		L := func(zh, en string) string { return web.L(lang, zh, en) }
		vc1 := w.As("vc1")
		vc1.Header = http.Header{"Accept-Language": {lang}}
		r := vc1.Get("/finance/dashboard")
		want(t, r, http.StatusOK, "the dashboard in "+lang)
		body := string(r.Body)
		tags := map[string]bool{}
		for _, m := range d.Matches {
			tag, state := "blue", L(finance.StepLabel(m.Step))
			switch {
			case m.State == finance.MatchClosed:
				tag, state = "gray", L("已关闭", "Closed")+L("（止于", " (at ")+state+L("）", ")")
			case m.Step == finance.StepFunded:
				tag = "green"
			case m.Step == finance.StepInterest:
				tag = "yellow"
			}
			tags[tag] = true
			funded := ""
			if m.FundedFen != 0 {
				funded = esc(web.Money(m.FundedFen))
			}
			row := fmt.Sprintf(`<tr><td><a href="/finance/matches/%d">%s</a></td><td>%s</td><td><span class="tag %s">%s</span></td><td>%s</td><td class="num">%s</td></tr>`,
				m.ID, esc(m.NeedTitle), esc(m.EnterpriseName), tag, esc(state), esc(m.StepOn), funded)
			if !strings.Contains(body, row) {
				t.Fatalf("%s: the matches lack the row\n%s", lang, row)
			}
		}
		if !tags["gray"] || len(tags) < 2 {
			t.Fatalf("the matches' tags compared: %v", tags)
		}
		for _, f := range d.Fits {
			n := f.Need
			var row strings.Builder
			fmt.Fprintf(&row, `<tr><td><div><a href="/finance/needs/%d">%s</a> <small class="muted">%s · %s · %s</small></div>`+"\n"+`<ul class="plain reasons">`,
				n.ID, esc(n.Title), esc(n.EnterpriseName), esc(L(finance.InstrumentLabel(n.Instrument))), esc(L(finance.StageLabel(n.Stage))))
			for _, rs := range f.Reasons {
				fmt.Fprintf(&row, `<li><small>+%s</small></li>`, esc(fmt.Sprintf("%d/%d %s", rs.Points, rs.Max, L(rs.ZH, rs.EN))))
			}
			fmt.Fprintf(&row, `</ul></td><td class="num">%s</td><td class="num">%d</td></tr>`, esc(web.Money(n.AmountFen)), f.Score)
			if !strings.Contains(body, row.String()) {
				t.Fatalf("%s: the ranked needs lack the row\n%s", lang, row.String())
			}
		}
		if !strings.Contains(body, `id="more-fits" href="/finance/dashboard?fits=100#fits"`) {
			t.Fatalf("%s: the dashboard offers no longer list", lang)
		}
	}
	// The longer list on request: the best 50 in the service's order.
	more, err := w.App.Finance.Dashboard(ctx, finance.ViewerOf(&u), 0, 50)
	if err != nil || len(more.Fits) <= 20 {
		t.Fatalf("%d fits on request (%v)", len(more.Fits), err)
	}
	body := string(w.As("vc1").Get("/finance/dashboard?fits=50").Body)
	last := more.Fits[len(more.Fits)-1].Need
	if !strings.Contains(body, fmt.Sprintf(`<a href="/finance/needs/%d">`, last.ID)) || strings.Count(body, `<ul class="plain reasons">`) != len(more.Fits) {
		t.Fatalf("?fits=50 does not list the best %d", len(more.Fits))
	}
	want(t, w.As("vc1").Get("/finance/dashboard?fits=0"), http.StatusBadRequest, "?fits=0")
}
