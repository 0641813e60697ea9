package kpi_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"
)

// Counts are whole numbers on the targets pages: the demo's 新增市场主体
// (家) shows no fraction of a firm, in its target, its total or what the
// remaining months need; and the summary says each card's status in the
// card's own word.
func TestKPICountsAreWholeAndWordsAgree(t *testing.T) {
	h := webtest.New(t)
	demoKPI(t, h)
	page := string(h.As("leader").Get("/kpi?year=2023").Body)
	card := page[strings.Index(page, `id="kpi-new_entities"`):]
	card = card[:strings.Index(card, "</section>")]
	if m := regexp.MustCompile(`[0-9]\.[0-9]+ 家`).FindString(card); m != "" {
		t.Errorf("a count with a fraction: %q", m)
	}
	if !strings.Contains(card, " 家") {
		t.Fatal("the card shows no count")
	}
	summary := page[strings.Index(page, `id="kpi-summary"`):]
	summary = summary[:strings.Index(summary, "</span></span>")]
	for _, m := range regexp.MustCompile(`class="tag (\w+) status">([^<]+)<`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(summary, `class="tag `+m[1]+`">`+m[2]+" ") {
			t.Errorf("a card says %s (%s), the summary has no such bucket: %s", m[2], m[1], summary)
		}
	}
}

// A unit does not get a delete button for figures another source entered,
// and its request to delete them is refused.
func TestUnitCannotDeleteAnotherSourcesFigures(t *testing.T) {
	h := webtest.New(t)
	gdp, _ := kpiFixture(t, h) // the supervisors entered gdp's figures
	unit := h.As("unit")
	page := string(unit.Get(fmt.Sprintf("/kpi/indicators/%d?year=2023", gdp.ID)).Body)
	if strings.Contains(page, `id="delete-2023-9"`) {
		t.Error("the unit is offered to delete the supervisors' figure")
	}
	if r := unit.Form(fmt.Sprintf("/kpi/indicators/%d/actuals/2023/9/delete", gdp.ID), url.Values{}); r.Code != 403 {
		t.Errorf("unit deleting the supervisors' figure by form: %d", r.Code)
	}
	if r := unit.Do("DELETE", fmt.Sprintf("/api/v1/kpi/indicators/%d/actuals/2023/9", gdp.ID), nil); r.Code != 403 {
		t.Errorf("unit deleting the supervisors' figure by API: %d", r.Code)
	}
	if r := unit.Form(fmt.Sprintf("/kpi/indicators/%d/actuals", gdp.ID), url.Values{"year": {"2023"}, "month": {"6"}, "ytd": {"610"}, "ytd_last": {"560"}}); r.Code >= 400 {
		t.Fatalf("unit entering its figure: %d", r.Code)
	}
	page = string(unit.Get(fmt.Sprintf("/kpi/indicators/%d?year=2023", gdp.ID)).Body)
	if !strings.Contains(page, `id="delete-2023-6"`) {
		t.Error("the unit cannot delete the figure it entered")
	}
	if sup := string(h.As("supervisor").Get(fmt.Sprintf("/kpi/indicators/%d?year=2023", gdp.ID)).Body); !strings.Contains(sup, `id="delete-2023-9"`) {
		t.Error("the supervisors cannot delete")
	}
}

// The indicator page reads in the cards' words: its heading names the
// indicator without its code, and the table by period gives amounts with
// thousands separators under a head that says their unit, and the city's
// and province's growth in percent.
func TestKPIIndicatorPageInWords(t *testing.T) {
	h := webtest.New(t)
	gdp, firms := kpiFixture(t, h)
	c := h.As("leader")
	page := string(c.Get(fmt.Sprintf("/kpi/indicators/%d?year=2023", gdp.ID)).Body)
	if strings.Contains(page, `<small class="muted">gdp</small>`) {
		t.Error("the heading shows the indicator code")
	}
	table := page[strings.Index(page, `id="monthly"`):]
	table = table[:strings.Index(table, "</table>")]
	for _, want := range []string{"本年累计（亿元）", ">945<", ">900<", ">&#43;6.0%<", ">&#43;4.5%<"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table by period lacks %q: %s", want, table)
		}
	}
	page = string(c.Get(fmt.Sprintf("/kpi/indicators/%d?year=2023", firms.ID)).Body)
	table = page[strings.Index(page, `id="monthly"`):]
	if !strings.Contains(table[:strings.Index(table, "</table>")], ">9,000<") {
		t.Errorf("a count of 9000 firms is not shown as 9,000")
	}
}
