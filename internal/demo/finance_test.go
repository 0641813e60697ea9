package demo

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/finance"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
)

// TestDemoHasFinance checks the finance demo at the demo's date: every
// institution and need marked 演示, a government fund with two sub-funds,
// a pending registration, matches at every step with two funded, a
// declined one, a roadshow with its outcome, and the computed figures.
func TestDemoHasFinance(t *testing.T) {
	a, accounts := loaded(t, app.Options{Now: Clock})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "demo"})
	investors := 0
	for _, acc := range accounts {
		if acc.Role == org.Investor {
			investors++
		}
	}
	if investors != 6 {
		t.Fatalf("%d investor accounts", investors)
	}
	staff := finance.Viewer{UserID: 1, Role: org.Supervisor}
	insts, err := a.Finance.Institutions(ctx, staff, finance.InstitutionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states, kinds := map[string]int{}, map[string]bool{}
	var fund finance.Institution
	for _, i := range insts {
		states[i.State]++
		kinds[i.Kind] = true
		if !i.Synthetic || !strings.Contains(i.Name, "演示") {
			t.Errorf("%s is not marked 演示", i.Name)
		}
		if i.Kind == finance.KindGovFund {
			fund = i
		}
	}
	if states[finance.InstApproved] != 7 || states[finance.InstPending] != 1 || len(kinds) != 6 {
		t.Fatalf("institutions by state %v, kinds %v", states, kinds)
	}
	f, err := a.Finance.Fund(ctx, staff, fund.ID)
	if err != nil || len(f.SubFunds) != 2 || f.SubCommittedFen > fund.CommittedFen {
		t.Fatalf("fund: %+v %v", f, err)
	}
	needs, err := a.Finance.Needs(ctx, staff, finance.NeedFilter{})
	if err != nil || len(needs) != len(demoNeeds) {
		t.Fatalf("needs: %d %v", len(needs), err)
	}
	for _, n := range needs {
		if !n.Synthetic {
			t.Errorf("need %s is not synthetic", n.Title)
		}
	}
	ms, err := a.Finance.Matches(ctx, staff, finance.MatchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	steps, closed := map[string]int{}, 0
	for _, m := range ms {
		if m.State == finance.MatchClosed {
			closed++
			continue
		}
		steps[m.Step]++
	}
	for _, st := range finance.Steps {
		if steps[st.Code] == 0 {
			t.Errorf("no open match at %s: %v", st.Code, steps)
		}
	}
	if steps[finance.StepFunded] != 2 || closed != 1 {
		t.Fatalf("steps %v, closed %d", steps, closed)
	}
	rs, err := a.Finance.Roadshows(ctx, staff, 0)
	if err != nil || len(rs) != 1 {
		t.Fatalf("roadshows %d %v", len(rs), err)
	}
	r, err := a.Finance.Roadshow(ctx, staff, rs[0].ID)
	if err != nil || r.Outcome.Needs != 3 || r.Outcome.Institutions != 3 || r.Outcome.Reached[finance.StepInterest] == 0 {
		t.Fatalf("roadshow: %+v %v", r, err)
	}
	// The targets read the demo: institutions settled and money received.
	vals, err := a.Finance.KPISource().Values(ctx, kpi.Request{Queries: []kpi.Query{{Measure: finance.MeasureSettled}, {Measure: finance.MeasureFunded}},
		From: 2023, To: 2023, UpTo: AsOf})
	if err != nil {
		t.Fatal(err)
	}
	if vals[0].YTD[0][10] != 5 || vals[1].YTD[0][10] != 7000*1_000_000 {
		t.Fatalf("settled %v, funded %v", vals[0].YTD[0], vals[1].YTD[0])
	}
	// The 贴息 rule granted the bank loan once and the grant is paid.
	rules, err := a.Finance.SubsidyRules(ctx, staff, 2023)
	if err != nil || len(rules) != 1 || rules[0].Grants != 1 || rules[0].GrantedFen != 345_000_00 || rules[0].PaidFen != 345_000_00 {
		t.Fatalf("subsidy rules: %+v %v", rules, err)
	}
	// 十大优秀金融机构 ranked the two institutions with 2023 deals on the
	// finance module's figures, left the others out with the reason, and
	// is on notice; it has no grant.
	ps, err := a.Award.Programmes(ctx, award.ProgrammeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var honour award.Programme
	for _, p := range ps {
		if p.Rules.Subject == "finance.institutions" {
			honour = p
		}
	}
	round, err := a.Award.LatestRound(ctx, honour.ID)
	if err != nil || honour.State != award.StateNotice || honour.NoticeUntil <= Clock().UnixMilli() || len(round.Result.Entries) != 2 || len(round.Result.Excluded) != 5 {
		t.Fatalf("the honour %+v: %+v %v", honour, round.Result, err)
	}
	if e := round.Result.Entries[0]; !e.Winner || !strings.Contains(e.Name, "创投") && !strings.Contains(e.Name, "投资") {
		t.Fatalf("first: %+v", e)
	}
	var grants int
	if err := a.DB.R.QueryRow("SELECT COUNT(*) FROM award_grants WHERE programme_id = $1", honour.ID).Scan(&grants); err != nil || grants != 0 {
		t.Fatalf("the honour made %d grants (%v)", grants, err)
	}
	// The demo enterprise account sees its need and the interest it got.
	u, _ := a.Org.UserByUsername(ctx, "qiye")
	own, err := a.Finance.Matches(ctx, finance.ViewerOf(&u), finance.MatchFilter{})
	if err != nil || len(own) == 0 {
		t.Fatalf("qiye's matches: %d %v", len(own), err)
	}
}
