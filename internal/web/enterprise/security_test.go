package enterprise_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	webent "gaoxin/internal/web/enterprise"
	"gaoxin/internal/web/webtest"

	"gaoxin/internal/enterprise"
)

// TestUnitNeverSeesUnpublishedFigures: a unit reads the enterprises of its
// office area with their confirmed figures only, so a self-reported value
// that is pending or was rejected must not reach it through the change
// history either (API and page).
func TestUnitNeverSeesUnpublishedFigures(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	ea, sup := h.As("enterprise"), h.As("supervisor")
	api := "/api/v1/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	page := "/enterprises/" + strconv.FormatInt(fx.A.ID, 10)
	// 98765.4321 万元 pending, 12345.6789 万元 rejected, 55555.5555 万元 confirmed.
	const pending, rejected, confirmed = 98765432100, 12345678900, 55555555500
	submit := func(year int, v int64) {
		t.Helper()
		if r := ea.Do("POST", api+"/figures", []enterprise.FigureInput{{Indicator: "revenue", Year: year, Value: v}}); r.Code != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
	}
	review := func(year int, confirm bool) {
		t.Helper()
		req := webent.ReviewRequest{Indicator: "revenue", Year: year, Confirm: confirm}
		if !confirm {
			req.Reason = "与统计数据不符"
		}
		if r := sup.Do("POST", api+"/figures/review", req); r.Code != http.StatusOK {
			t.Fatalf("review: %d %s", r.Code, r.Body)
		}
	}
	submit(2021, rejected)
	review(2021, false)
	submit(2022, confirmed)
	review(2022, true)
	submit(2023, pending)
	secret := [][]byte{[]byte(strconv.Itoa(pending)), []byte(strconv.Itoa(rejected)), []byte("98765.43"), []byte("12345.67")}
	// The office area's unit, and 经济发展局 that reads the whole zone.
	for _, name := range []string{"shifo", "unit"} {
		unit := h.As(name)
		for _, p := range []string{api, api + "/figures", api + "/history", page} {
			r := unit.Get(p)
			if r.Code != http.StatusOK {
				t.Fatalf("%s GET %s = %d", name, p, r.Code)
			}
			for _, s := range secret {
				if bytes.Contains(r.Body, s) {
					t.Errorf("%s GET %s shows unpublished figure %s", name, p, s)
				}
			}
		}
		// The confirmed value stays visible, in the history too.
		if r := unit.Get(api + "/history"); !bytes.Contains(r.Body, []byte(strconv.Itoa(confirmed))) {
			t.Errorf("%s history lacks the confirmed figure: %s", name, r.Body)
		}
	}
	// Staff and the enterprise itself still see everything.
	for _, c := range []*webtest.Client{sup, ea} {
		if r := c.Get(api + "/history"); !bytes.Contains(r.Body, secret[0]) || !bytes.Contains(r.Body, secret[1]) {
			t.Errorf("history lost unpublished rows for those who may see them: %s", r.Body)
		}
	}
}

// TestEnterpriseFormRefusesOtherRecords: posting the edit form of another
// enterprise answers 404 whatever the form holds, never a re-rendered form
// for that id.
func TestEnterpriseFormRefusesOtherRecords(t *testing.T) {
	fx := newEntFixture(t)
	ea := fx.h.As("enterprise")
	b := "/enterprises/" + strconv.FormatInt(fx.B.ID, 10)
	for _, vals := range []url.Values{
		{"capital": {"abc"}, "address": {"x"}},
		{"address": {"x"}},
	} {
		if r := ea.Form(b, vals); r.Code != http.StatusNotFound {
			t.Errorf("enterprise POST %s %v = %d, want 404", b, vals, r.Code)
		}
	}
	if r := ea.Form("/enterprises/999999", url.Values{"capital": {"abc"}}); r.Code != http.StatusNotFound {
		t.Errorf("unknown id = %d, want 404", r.Code)
	}
}

// TestMoneyReadsTheChineseWay: money on the detail and pending pages reads
// as 元/万元/亿元 with two decimals, not as 万元 with five decimals.
func TestMoneyReadsTheChineseWay(t *testing.T) {
	fx := newEntFixture(t)
	sup, ea := fx.h.As("supervisor"), fx.h.As("enterprise")
	id := strconv.FormatInt(fx.A.ID, 10)
	// 107856.01707 万元 = 10.79 亿元; 1234.5 万元; 88 people.
	if r := sup.Form("/enterprises/"+id+"/figures", url.Values{"year": {"2022"}, "source": {"stats"}, "v_revenue": {"107856.01707"}, "v_taxes": {"1234.5"}, "v_employees": {"88"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("figures form: %d %s", r.Code, r.Body)
	}
	if r := ea.Form("/enterprises/"+id+"/figures", url.Values{"year": {"2023"}, "v_rd_spend": {"0.5"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("self figures: %d %s", r.Code, r.Body)
	}
	d := string(sup.Get("/enterprises/" + id).Body)
	for _, want := range []string{"10.79 亿元", "1234.50 万元", "88", "5000.00 元"} {
		if !strings.Contains(d, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	for _, bad := range []string{"107856.01707", "0.5 万元"} {
		if strings.Contains(d, bad) {
			t.Errorf("detail page shows %q", bad)
		}
	}
	if p := string(sup.Get("/enterprises/pending").Body); !strings.Contains(p, "5000.00 元") {
		t.Errorf("pending page does not read 5000.00 元")
	}
}
