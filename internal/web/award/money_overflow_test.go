package award_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	webaward "gaoxin/internal/web/award"
	"gaoxin/internal/web/webtest"

	"gaoxin/internal/award"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/money"
)

// errorField is the field a JSON error answer names, at the top or in a detail.
func errorField(t *testing.T, r *webtest.Resp) []string {
	t.Helper()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
			Details []struct {
				Field string `json:"field"`
			} `json:"details"`
		} `json:"error"`
	}
	r.JSON(t, &e)
	if e.Error.Code != "invalid" || e.Error.Message == "" {
		t.Fatalf("not an invalid error: %s", r.Body)
	}
	out := []string{e.Error.Field}
	for _, d := range e.Error.Details {
		out = append(out, d.Field)
	}
	return out
}

// TestMoneyOverflowOverHTTP: amounts past the credible bound, or past
// int64, answer 400 naming the field through the real router, and the
// totals stay readable afterwards (the defect answered 500 there).
func TestMoneyOverflowOverHTTP(t *testing.T) {
	w := newAwardWorld(t)
	id := w.runToNotice(t)
	sup := w.As("supervisor")
	w.now = w.now.Add(6 * 24 * time.Hour)
	want(t, sup.Do("POST", fmt.Sprintf("/api/v1/award/programmes/%d/state", id), webaward.StateRequest{To: "confirmed"}), 200, "confirm")
	var grants struct{ Grants []award.Grant }
	sup.Get(fmt.Sprintf("/api/v1/award/programmes/%d/grants", id)).JSON(t, &grants)
	if len(grants.Grants) == 0 {
		t.Fatal("no grants")
	}
	g := grants.Grants[0]
	draft := programmeBody()
	draft.NameZH = "大额草稿"
	var d award.Programme
	r := sup.Do("POST", "/api/v1/award/programmes", draft)
	want(t, r, 201, "draft")
	r.JSON(t, &d)
	huge := func(p award.NewProgramme) award.NewProgramme { p.BudgetFen = math.MaxInt64; return p }
	hugeRule := programmeBody()
	hugeRule.Rules.Money.Bands[0].AmountFen = money.MaxFen + 1

	pay := w.As("supervisor")
	pay.Header = http.Header{"Idempotency-Key": {"k-huge"}}
	for _, c := range []struct {
		name   string
		client *webtest.Client
		method string
		path   string
		body   any
		field  string
	}{
		{"grant above int64 sum", sup, "POST", fmt.Sprintf("/api/v1/award/programmes/%d/grants", id),
			map[string]any{"enterprise_id": g.EnterpriseID, "amount_fen": int64(math.MaxInt64), "basis": "x"}, "amount_fen"},
		{"grant past int64", sup, "POST", fmt.Sprintf("/api/v1/award/programmes/%d/grants", id),
			json.RawMessage(fmt.Sprintf(`{"enterprise_id":%d,"amount_fen":9223372036854775808}`, g.EnterpriseID)), "amount_fen"},
		{"payment", pay, "POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", g.ID), award.PaymentRequest{AmountFen: math.MaxInt64}, "amount_fen"},
		{"payment just above the bound", pay, "POST", fmt.Sprintf("/api/v1/award/grants/%d/payments", g.ID), award.PaymentRequest{AmountFen: money.MaxFen + 1}, "amount_fen"},
		{"budget on create", sup, "POST", "/api/v1/award/programmes", huge(programmeBody()), "budget_fen"},
		{"budget on edit", sup, "PUT", fmt.Sprintf("/api/v1/award/programmes/%d", d.ID), huge(draft), "budget_fen"},
		{"money rule", sup, "PUT", fmt.Sprintf("/api/v1/award/programmes/%d", d.ID), hugeRule, "money.bands[0].amount_fen"},
		{"registry figure", sup, "POST", fmt.Sprintf("/api/v1/enterprises/%d/figures", w.e1),
			[]enterprise.FigureInput{{Indicator: "revenue", Year: 2022, Value: money.MaxFen + 1, Source: "stats"}}, "revenue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.client.Do(c.method, c.path, c.body)
			if r.Code != http.StatusBadRequest {
				t.Fatalf("%d, want 400: %s", r.Code, r.Body)
			}
			fields := errorField(t, r)
			for _, f := range fields {
				if f == c.field {
					return
				}
			}
			t.Fatalf("fields %q do not name %s: %s", fields, c.field, r.Body)
		})
	}
	for _, path := range []string{"/api/v1/award/totals", "/api/v1/award/totals?year=2023", "/awards/totals", "/awards/totals?year=2023"} {
		want(t, sup.Get(path), 200, path)
	}
	var tot struct{ Totals []award.Total }
	sup.Get("/api/v1/award/totals?year=2023").JSON(t, &tot)
	for _, x := range tot.Totals {
		if x.GrantedFen < 0 || x.GrantedFen > x.BudgetFen {
			t.Fatalf("totals %+v", tot.Totals)
		}
	}
}
