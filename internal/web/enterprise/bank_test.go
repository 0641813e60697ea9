package enterprise_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"gaoxin/internal/enterprise"
)

// An enterprise's bank account is kept by staff and read by staff only:
// it never reaches the enterprise itself, a unit (zone-wide or area) or a
// reviewer, in any page, answer or file they get; the awards module reads
// it through enterprise.BankAccounts.
func TestBankAccountIsStaffOnly(t *testing.T) {
	fx := newEntFixture(t)
	h := fx.h
	id := strconv.FormatInt(fx.A.ID, 10)
	const account = "6222020200112233445"
	sup := h.As("supervisor")
	if r := sup.Do("PUT", "/api/v1/enterprises/"+id+"/bank", enterprise.BankAccount{BankName: "中国银行郑州高新区支行", Account: "6222 0202 0011 2233 445"}); r.Code != http.StatusOK || !bytes.Contains(r.Body, []byte(account)) {
		t.Fatalf("set bank: %d %s", r.Code, r.Body)
	}
	// Refused: a bank without an account, an account with punctuation.
	for _, b := range []enterprise.BankAccount{{BankName: "中国银行"}, {BankName: "中国银行", Account: "6222;0202"}} {
		if r := sup.Do("PUT", "/api/v1/enterprises/"+id+"/bank", b); r.Code != http.StatusBadRequest {
			t.Errorf("bad bank %+v: %d", b, r.Code)
		}
	}
	for _, u := range []string{"admin", "leader", "supervisor"} {
		if r := h.As(u).Get("/api/v1/enterprises/" + id + "/bank"); r.Code != http.StatusOK || !bytes.Contains(r.Body, []byte(account)) {
			t.Errorf("%s reads bank: %d %s", u, r.Code, r.Body)
		}
		if r := h.As(u).Get("/enterprises/" + id); !bytes.Contains(r.Body, []byte(account)) {
			t.Errorf("%s detail page lacks the account", u)
		}
	}
	// Only writers change it.
	if r := h.As("leader").Do("PUT", "/api/v1/enterprises/"+id+"/bank", enterprise.BankAccount{BankName: "x", Account: "123456"}); r.Code != http.StatusForbidden {
		t.Errorf("leader writes bank: %d", r.Code)
	}
	form := url.Values{"bank_name": {"中国银行"}, "bank_account": {"123"}}
	if r := h.As("enterprise").Form("/enterprises/"+id+"/bank", form); r.Code != http.StatusForbidden {
		t.Errorf("enterprise posts bank form: %d", r.Code)
	}
	for _, u := range []string{"unit", "shifo", "enterprise", "reviewer"} {
		c := h.As(u)
		if r := c.Get("/api/v1/enterprises/" + id + "/bank"); r.Code != http.StatusForbidden {
			t.Errorf("%s GET bank = %d", u, r.Code)
		}
		for _, p := range []string{"/api/v1/enterprises/" + id, "/enterprises/" + id, "/api/v1/enterprises/" + id + "/history",
			"/api/v1/enterprises", "/enterprises", "/api/v1/enterprises/export.xlsx", "/enterprises/" + id + "/edit"} {
			if r := c.Get(p); bytes.Contains(r.Body, []byte(account)) || bytes.Contains(r.Body, []byte("中国银行郑州高新区支行")) {
				t.Errorf("%s GET %s shows the bank account", u, p)
			}
		}
	}
	// The awards payment list's read.
	m, err := enterprise.BankAccounts(context.Background(), h.App.DB.Crypto, h.App.DB.R, []int64{fx.A.ID, fx.B.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m[fx.A.ID].Account != account || m[fx.A.ID].BankName != "中国银行郑州高新区支行" || !m[fx.B.ID].Empty() {
		t.Errorf("BankAccounts = %+v", m)
	}
}
