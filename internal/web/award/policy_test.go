package award_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
)

// TestPolicyFundOnTheAwardPages: a policy fund another module grants from
// is listed with the awards as 政策兑现; its page shows the grant and
// staff pay it there as any grant; the enterprise sees its grant.
func TestPolicyFundOnTheAwardPages(t *testing.T) {
	w := newAwardWorld(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{ID: w.userID("supervisor"), Name: "supervisor"})
	var prog int64
	if err := w.App.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if prog, err = w.App.Award.OpenPolicy(ctx, tx, award.PolicyInput{Year: 2023, NameZH: "2023 年科技贷款贴息", BudgetFen: 1_000_000_00}); err != nil {
			return err
		}
		_, err = w.App.Award.PolicyGrant(ctx, tx, prog, w.e1, 172_500_00, "科技贷款贴息：流动资金贷款")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sup := w.As("supervisor")
	if list := string(sup.Get("/awards").Body); !strings.Contains(list, "2023 年科技贷款贴息") || !strings.Contains(list, "政策兑现") {
		t.Fatalf("the awards list lacks the policy fund")
	}
	page := sup.Get(fmt.Sprintf("/awards/programmes/%d", prog))
	want(t, page, 200, "the policy fund's page")
	body := string(page.Body)
	for _, s := range []string{"演示甲公司", "17.25 万元", `action="/awards/grants/`, "设立政策资金", "政策兑现"} {
		if !strings.Contains(body, s) {
			t.Fatalf("the policy fund's page lacks %q: %s", s, body)
		}
	}
	gs, err := w.App.Award.Grants(ctx, prog, 0)
	if err != nil || len(gs) != 1 {
		t.Fatalf("grants: %+v %v", gs, err)
	}
	// It has no ranking, so no public notice.
	want(t, w.Anon().Get(fmt.Sprintf("/api/v1/award/notices/%d", prog)), 404, "the policy fund's notice")
	if strings.Contains(string(w.Anon().Get("/api/v1/award/notices").Body), "2023 年科技贷款贴息") {
		t.Fatal("the notices list the policy fund")
	}
	// Grants come from the finance module's rule, never by hand here.
	if strings.Contains(body, `id="grant-ent"`) {
		t.Fatal("the policy fund's page offers a grant by hand")
	}
	r := sup.Form(fmt.Sprintf("/awards/grants/%d/pay", gs[0].ID), url.Values{"amount_yuan": {"172500.00"}, "key": {"web-policy-1"}})
	if r.Code != 303 {
		t.Fatalf("request payment: %d %s", r.Code, r.Body)
	}
	if mine := string(w.As("enterprise").Get(fmt.Sprintf("/awards/programmes/%d", prog)).Body); !strings.Contains(mine, "17.25 万元") {
		t.Fatalf("the enterprise does not see its grant")
	}
	if other := string(w.As("enterprise2").Get(fmt.Sprintf("/awards/programmes/%d", prog)).Body); strings.Contains(other, "17.25 万元") {
		t.Fatalf("another enterprise sees the grant")
	}
}
