package finance_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

// The ranking's points, computed by hand from the terms in match.go.
func TestMatchInstitutionsRanking(t *testing.T) {
	f := newFixture(t)
	exact := vc(1, "传感器专业创投")
	exact.Chains, exact.Stages = []string{"iot_sensor"}, []string{"a"}
	_, ie := f.approved("vc1", exact)          // stage 20, chain 25, ticket 20, instrument 15, deals 0 = 80
	_, ip := f.approved("vc2", vc(2, "物联网创投")) // stage 20, chain 18, ticket 20, instrument 15 = 73
	general := vc(3, "综合创投")
	general.Chains, general.Stages, general.Instruments = nil, []string{"seed", "angel", "a", "b", "c_plus"}, []string{"equity", "convertible", "loan"}
	general.TicketMaxFen = 0
	_, ig := f.approved("vc3", general) // stage 10, chain 8, ticket 10, instrument 10 = 38
	small := vc(4, "小额创投")
	small.TicketMinFen, small.TicketMaxFen = wan(100), yi(10) // 5,000 万 < 1/10 of 10 亿: ticket 8
	_, is := f.approved("vc4", small)                         // 20 + 18 + 8 + 15 = 61
	other := vc(5, "材料创投")
	other.Chains = []string{"nm"}
	f.approved("vc5", other) // another chain: not listed
	n, err := f.S.Post(f.ctx, f.entA, needIn(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.S.MatchInstitutions(f.ctx, f.entA, n.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id    int64
		score int
	}{{ie.ID, 80}, {ip.ID, 73}, {is.ID, 61}, {ig.ID, 38}}
	if len(got) != len(want) {
		t.Fatalf("%d ranked, want %d: %+v", len(got), len(want), got)
	}
	for k, w := range want {
		if got[k].Institution.ID != w.id || got[k].Score != w.score || !got[k].Sees || len(got[k].Reasons) != 5 {
			t.Errorf("rank %d: %s %d, want id %d score %d", k+1, got[k].Institution.Name, got[k].Score, w.id, w.score)
		}
		sum := 0
		for _, r := range got[k].Reasons {
			sum += r.Points
			if r.ZH == "" || r.EN == "" || r.Points > r.Max {
				t.Errorf("reason %+v", r)
			}
		}
		if sum != got[k].Score {
			t.Errorf("reasons add to %d, score %d", sum, got[k].Score)
		}
	}
	if !strings.Contains(got[0].Reasons[1].ZH, "传感器") || !strings.Contains(got[1].Reasons[1].ZH, "物联网") {
		t.Errorf("chain reasons: %q, %q", got[0].Reasons[1].ZH, got[1].Reasons[1].ZH)
	}
	// The SQL fit and the Go fit agree: exactly the ranked institutions
	// read the need.
	all, _ := f.S.Institutions(f.ctx, f.staff, finance.InstitutionFilter{})
	for _, i := range all {
		ranked := false
		for _, r := range got {
			ranked = ranked || r.Institution.ID == i.ID
		}
		var acct int64
		f.scan(&acct, "SELECT user_id FROM finance_members WHERE institution_id = $1", i.ID)
		_, err := f.S.Need(f.ctx, finance.Viewer{UserID: acct, Role: "investor"}, n.ID)
		if (err == nil) != ranked {
			t.Errorf("%s: ranked %v, reads the need: %v", i.Name, ranked, err)
		}
	}
	// Excluding one keeps it ranked for the enterprise, marked unseen.
	if _, err := f.S.SetAudience(f.ctx, f.entA, n.ID, finance.AudienceFit, []int64{ie.ID}); err != nil {
		t.Fatal(err)
	}
	got, _ = f.S.MatchInstitutions(f.ctx, f.entA, n.ID, 0)
	if got[0].Institution.ID != ie.ID || got[0].Sees || !got[1].Sees {
		t.Fatalf("audience marks: %+v", got[:2])
	}
	// Only the enterprise and staff rank institutions.
	_, err = f.S.MatchInstitutions(f.ctx, f.entB, n.ID, 0)
	wantErr(t, err, errs.NotFound, "")
	if _, err := f.S.MatchInstitutions(f.ctx, f.staff, n.ID, 0); err != nil {
		t.Fatal(err)
	}
}

// An institution's fitting needs: only those it may see, ranked with
// reasons; not another institution's list.
func TestMatchNeedsForInstitution(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n1, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	in2 := needIn()
	in2.Title, in2.Stage = "B 轮融资", "b"
	n2, _ := f.S.Post(f.ctx, f.entA, in2, nil)
	loan := needIn()
	loan.Title, loan.Instrument = "流动资金贷款", "loan"
	nl, _ := f.S.Post(f.ctx, f.entB, loan, nil)
	got, err := f.S.MatchNeeds(f.ctx, x.vc1, 0, 0)
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	for _, r := range got {
		if r.Need.ID != n1.ID && r.Need.ID != n2.ID || len(r.Reasons) != 5 || r.Score != 73 {
			t.Errorf("%+v", r)
		}
	}
	if got[0].Need.ID != n2.ID { // a tie: the newer need first
		t.Errorf("tie order: %d first", got[0].Need.ID)
	}
	bank, err := f.S.MatchNeeds(f.ctx, x.bank, 0, 0)
	if err != nil || len(bank) != 1 || bank[0].Need.ID != nl.ID {
		t.Fatalf("bank: %+v %v", bank, err)
	}
	if l, err := f.S.MatchNeeds(f.ctx, x.vc2, 0, 0); err != nil || len(l) != 0 {
		t.Fatalf("other chain: %+v %v", l, err)
	}
	_, err = f.S.MatchNeeds(f.ctx, x.pending, 0, 0)
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.MatchNeeds(f.ctx, x.vc2, x.i1.ID, 0)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.MatchNeeds(f.ctx, f.entA, x.i1.ID, 0)
	wantErr(t, err, errs.NotFound, "")
	if l, err := f.S.MatchNeeds(f.ctx, f.staff, x.i1.ID, 0); err != nil || len(l) != 2 {
		t.Fatalf("staff: %d %v", len(l), err)
	}
	// Excluded from one: only the other is listed.
	if _, err := f.S.SetAudience(f.ctx, f.entA, n1.ID, finance.AudienceFit, []int64{x.i1.ID}); err != nil {
		t.Fatal(err)
	}
	if l, _ := f.S.MatchNeeds(f.ctx, x.vc1, 0, 0); len(l) != 1 || l[0].Need.ID != n2.ID {
		t.Fatalf("after exclusion: %+v", l)
	}
}

// MatchNeeds scores and ranks in SQL; the ranking it returns is the one
// the Go rule gives (fitsNeed and the points MatchInstitutions shows for
// the same pair), over every need the institution may see, with the
// needs it answered and those its audience keeps out left off.
func TestMatchNeedsAgreesWithTheRule(t *testing.T) {
	f := newFixture(t)
	syn, err := f.S.Synthesize(f.ctx, finance.Scale{Institutions: 60, Needs: 400, Enterprises: []int64{f.entA.EnterpriseID}, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	// Some audiences: every third need excludes the first institutions,
	// every seventh is for some of them only.
	first := []int64{syn.FirstInstitution, syn.FirstInstitution + 1, syn.FirstInstitution + 2}
	for n := syn.FirstNeed; n <= syn.LastNeed; n++ {
		switch {
		case n%7 == 0:
			_, err = f.S.SetAudience(f.ctx, f.entA, n, finance.AudienceChosen, first[:2])
		case n%3 == 0:
			_, err = f.S.SetAudience(f.ctx, f.entA, n, finance.AudienceFit, first)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// Needs on several chain nodes, posted through the service: a need
	// comes once for each node an institution covers, with 25 points on
	// its own node and 18 on one below it, and its past deals count every
	// industry it sits in, covered or not. Some are then hidden, shown to
	// chosen institutions only, or closed.
	chains := [][]string{{"nm", "nm_superhard"}, {"iot", "iot_sensor", "nm_superhard"}, {"dominant", "emerging"},
		{"health", "compute"}, {"iot_sensor", "bd_survey"}, {"future", "quantum", "frontier_mat"}, {"ei", "ei_netsec", "bd"},
		{"nextgen_it", "hydrogen", "nm"}}
	stages := []string{"seed", "angel", "a", "b", "c_plus", "pre_ipo", "ma"}
	instr := []string{"equity", "loan", "convertible", "guarantee", "ip_pledge", "leasing"}
	for k := 0; k < 120; k++ {
		in := needIn()
		in.Chains, in.Stage, in.Instrument = chains[k%len(chains)], stages[k%len(stages)], instr[k%len(instr)]
		in.AmountFen = wan(int64(1 + (k*37)%300))
		if k%4 == 0 { // pairs of needs alike but for the id: ties at every cut
			in.AmountFen = wan(int64(1 + (k/4*53)%300))
		}
		ent := f.entA
		if k%2 == 1 {
			ent = f.entB
		}
		n, err := f.S.Post(f.ctx, ent, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		switch k % 9 {
		case 2:
			_, err = f.S.SetAudience(f.ctx, ent, n.ID, finance.AudienceHidden, nil)
		case 4:
			_, err = f.S.SetAudience(f.ctx, ent, n.ID, finance.AudienceChosen, first)
		case 5:
			_, err = f.S.SetAudience(f.ctx, ent, n.ID, finance.AudienceFit, first[1:])
		case 7:
			_, err = f.S.CloseNeed(f.ctx, ent, n.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		syn.LastNeed = n.ID
	}
	needNodesAreARecount(t, f)
	// Past deals in more industries than Synthesize gives (the rollup
	// funding keeps), so that a need's deals come from nodes beside the
	// ones an institution covers.
	for i := syn.FirstInstitution; i <= syn.LastInstitution; i++ {
		for k, ind := range []string{"iot", "nm", "health", "quantum"} {
			if (i+int64(k))%3 == 0 {
				continue
			}
			if _, err := f.DB.W.ExecContext(f.ctx, `INSERT INTO finance_institution_deals (institution_id, node_id, deals, funded_fen)
				SELECT $1, id, $2, 0 FROM chain_nodes WHERE code = $3 ON CONFLICT DO NOTHING`, i, 1+(i+int64(k))%3, ind); err != nil {
				t.Fatal(err)
			}
		}
	}
	type ranked struct {
		need  int64
		score int
	}
	want := map[int64][]ranked{}
	for n := syn.FirstNeed; n <= syn.LastNeed; n++ {
		rs, err := f.S.MatchInstitutions(f.ctx, f.staff, n, 200)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Sees {
				want[r.Institution.ID] = append(want[r.Institution.ID], ranked{n, r.Score})
			}
		}
	}
	checked := 0
	for i := syn.FirstInstitution; i <= syn.LastInstitution; i++ {
		ms, err := f.S.Matches(f.ctx, f.staff, finance.MatchFilter{InstitutionID: i, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		answered := map[int64]bool{}
		for _, m := range ms {
			answered[m.NeedID] = true
		}
		var w []ranked
		for _, r := range want[i] {
			if !answered[r.need] {
				w = append(w, r)
			}
		}
		sort.Slice(w, func(x, y int) bool {
			if w[x].score != w[y].score {
				return w[x].score > w[y].score
			}
			return w[x].need > w[y].need
		})
		for _, limit := range []int{200, 50, 13, 8, 5, 3, 2, 1} {
			got, err := f.S.MatchNeeds(f.ctx, f.staff, i, limit)
			if err != nil {
				t.Fatal(err)
			}
			ww := w[:min(limit, len(w))]
			if len(got) != len(ww) {
				t.Fatalf("institution %d, top %d: %d needs, the rule %d", i, limit, len(got), len(ww))
			}
			for k := range ww {
				if got[k].Need.ID != ww[k].need || got[k].Score != ww[k].score {
					t.Fatalf("institution %d, rank %d: need %d score %d, the rule need %d score %d", i, k+1, got[k].Need.ID, got[k].Score, ww[k].need, ww[k].score)
				}
			}
		}
		checked += len(w)
	}
	if checked < 200 {
		t.Fatalf("only %d ranked pairs checked", checked)
	}
}

// needNodesAreARecount holds finance_need_nodes, which the need service
// keeps on write, to a recount of the open needs by chain node.
func needNodesAreARecount(t *testing.T, f *fixture) {
	t.Helper()
	read := func(q string) []string {
		rows, err := f.DB.R.QueryContext(f.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var node, amount, need int64
			var instrument, stage, audience string
			if err := rows.Scan(&node, &instrument, &stage, &amount, &audience, &need); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(node, instrument, stage, amount, audience, need))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	kept := read("SELECT node_id, instrument, stage, amount_fen, audience, need_id FROM finance_need_nodes ORDER BY need_id, node_id")
	recount := read(`SELECT c.node_id, n.instrument, n.stage, n.amount_fen, n.audience, n.id FROM finance_need_chains c
		JOIN finance_needs n ON n.id = c.need_id WHERE n.state = 'open' ORDER BY n.id, c.node_id`)
	if strings.Join(kept, "\n") != strings.Join(recount, "\n") {
		t.Fatalf("finance_need_nodes holds %d rows, the recount %d, or they differ", len(kept), len(recount))
	}
	if len(kept) == 0 {
		t.Fatal("no open need to recount")
	}
}

// An institution's dashboard is what Institution, MatchNeeds and Matches
// give the same viewer, read once for the page.
func TestDashboardIsItsParts(t *testing.T) {
	f := newFixture(t)
	syn, err := f.S.Synthesize(f.ctx, finance.Scale{Institutions: 30, Needs: 300, Enterprises: []int64{f.entA.EnterpriseID}, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	inv := f.investor("inv")
	if _, err := f.DB.W.ExecContext(f.ctx, "INSERT INTO finance_members (user_id, institution_id, created_at) VALUES ($1,$2,1)",
		inv.UserID, syn.FirstInstitution); err != nil {
		t.Fatal(err)
	}
	pendingV := f.investor("pending")
	pending, err := f.S.Register(f.ctx, pendingV, vc(1, "待审创投"))
	if err != nil {
		t.Fatal(err)
	}
	same := func(v finance.Viewer, asked, inst int64) {
		t.Helper()
		d, err := f.S.Dashboard(f.ctx, v, asked, 50)
		if err != nil {
			t.Fatal(err)
		}
		i, err := f.S.Institution(f.ctx, v, inst)
		if err != nil {
			t.Fatal(err)
		}
		var fits []finance.RankedNeed
		if i.State == finance.InstApproved {
			if fits, err = f.S.MatchNeeds(f.ctx, v, asked, 50); err != nil {
				t.Fatal(err)
			}
		}
		mf := finance.MatchFilter{Limit: 500}
		if v.Staff() {
			mf.InstitutionID = inst
		}
		ms, err := f.S.Matches(f.ctx, v, mf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.Institution, i) || !reflect.DeepEqual(d.Fits, fits) || !reflect.DeepEqual(d.Matches, ms) {
			t.Fatalf("institution %d: the dashboard differs from its parts (%d fits, %d matches; the parts %d, %d)",
				inst, len(d.Fits), len(d.Matches), len(fits), len(ms))
		}
		if len(ms) == 0 && inst == syn.FirstInstitution {
			t.Fatalf("institution %d: no match to compare", inst)
		}
	}
	same(inv, 0, syn.FirstInstitution)
	same(inv, syn.FirstInstitution, syn.FirstInstitution)
	same(pendingV, 0, pending.ID)
	for i := syn.FirstInstitution; i <= syn.LastInstitution; i += 7 {
		same(f.staff, i, i)
	}
	same(f.staff, pending.ID, pending.ID)
	// An investor's dashboard is its own institution's, whatever it names.
	d, err := f.S.Dashboard(f.ctx, inv, syn.LastInstitution, 50)
	if err != nil || d.Institution.ID != syn.FirstInstitution {
		t.Fatalf("an investor naming another institution: %d, %v", d.Institution.ID, err)
	}
	// An investor acting for none gets nothing; staff must name one.
	if d, err := f.S.Dashboard(f.ctx, f.investor("none"), 0, 50); err != nil || d.Institution.ID != 0 {
		t.Fatalf("an investor without an institution: %d, %v", d.Institution.ID, err)
	}
	_, err = f.S.Dashboard(f.ctx, f.staff, 0, 50)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.Dashboard(f.ctx, f.entA, syn.FirstInstitution, 50)
	wantErr(t, err, errs.NotFound, "")
}

// Ranking reads the ticket bands best first and stops at a band whose
// best possible score is below the last need kept; a band that can only
// tie it is still read, since a tie goes to the newer need. Here a need
// asking below a tenth of the ticket (8 points) on the institution's own
// chain and in two industries with deals ties, at 43 points beside the
// constant terms, a need in the top band (20) on a node below its chain
// with deals in one: the band's best possible score.
func TestMatchNeedsReadsABandThatCanTie(t *testing.T) {
	f := newFixture(t)
	in := vc(1, "物联网创投")
	in.TicketMinFen, in.TicketMaxFen = wan(10), wan(1000) // 20 points from 250 万, 14 from 100 万
	v, inst := f.approved("vc1", in)
	for _, ind := range []string{"iot", "nm"} {
		if _, err := f.DB.W.ExecContext(f.ctx, `INSERT INTO finance_institution_deals (institution_id, node_id, deals, funded_fen)
			SELECT $1, id, 1, 0 FROM chain_nodes WHERE code = $2`, inst.ID, ind); err != nil {
			t.Fatal(err)
		}
	}
	post := func(amount int64, chains ...string) int64 {
		n := needIn()
		n.AmountFen, n.Chains = amount, chains
		need, err := f.S.Post(f.ctx, f.entA, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		return need.ID
	}
	top := post(wan(500), "iot_sensor")         // 35 + 20 + 18 + 5
	low := post(wan(50), "iot", "nm_superhard") // 35 + 8 + 25 + 10
	post(wan(150), "iot_sensor")                // 35 + 14 + 18 + 5 = 72
	for limit, want := range map[int][]int64{1: {low}, 2: {low, top}} {
		got, err := f.S.MatchNeeds(f.ctx, v, 0, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("top %d: %d needs", limit, len(got))
		}
		for k := range want {
			if got[k].Need.ID != want[k] || got[k].Score != 78 {
				t.Fatalf("top %d, rank %d: need %d (%d points), want need %d (78)", limit, k+1, got[k].Need.ID, got[k].Score, want[k])
			}
		}
	}
}
