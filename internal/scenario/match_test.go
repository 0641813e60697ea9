package scenario_test

import (
	"context"
	"strings"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/scenario"
)

// registry puts the fixture's enterprises on chains, with industry codes
// and certificates, and adds two more:
//
//	A 甲 on 传感器 (under 物联网), 3983, 高新技术企业 current, 瞪羚 expired
//	B 乙 on 物联网, 6513, 小巨人 current
//	C 丙 on 物联网, 6513 (it bids on the call: left out)
//	D 丁 on 北斗应用, 3983 (only its industry matches)
//	E 戊 on 新材料, 2659 (matches nothing)
func (f *fixture) registry() (d, e int64) {
	f.t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		f.t.Helper()
		if _, err := f.DB.W.ExecContext(ctx, q, args...); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
	}
	node := func(code string) int64 {
		var id int64
		f.scan(&id, "SELECT id FROM chain_nodes WHERE code = $1", code)
		return id
	}
	on := func(ent int64, chain, industry string) {
		exec("UPDATE enterprises SET industry_code = $1 WHERE id = $2", industry, ent)
		exec("INSERT INTO enterprise_chains (enterprise_id, node_id) VALUES ($1, $2)", ent, node(chain))
	}
	tier := func(ent int64, t, from, to string) {
		exec("INSERT INTO enterprise_tiers (enterprise_id, tier, valid_from, valid_to, created_at) VALUES ($1,$2,$3,$4,1)", ent, t, from, to)
	}
	f.scan(&d, `INSERT INTO enterprises (credit_code, name, synthetic, created_at, updated_at) VALUES ('91410100DM0000010X','丁测绘有限公司',TRUE,1,1) RETURNING id`)
	f.scan(&e, `INSERT INTO enterprises (credit_code, name, synthetic, created_at, updated_at) VALUES ('91410100DM0000020X','戊材料有限公司',TRUE,1,1) RETURNING id`)
	on(f.entA.EnterpriseID, "iot_sensor", "3983")
	on(f.entB.EnterpriseID, "iot", "6513")
	on(f.entC.EnterpriseID, "iot", "6513")
	on(d, "bd", "3983")
	on(e, "nm", "2659")
	tier(f.entA.EnterpriseID, "hnte", "2022-12-01", "2025-11-30")
	tier(f.entA.EnterpriseID, "gazelle", "2020-01-01", "2022-12-31")
	tier(f.entB.EnterpriseID, "little_giant", "2022-07-01", "")
	return d, e
}

func TestSuggestionsRankWithReasonsAndLeaveOutOwnerAndBidders(t *testing.T) {
	f := newFixture(t)
	d, e := f.registry()
	call := f.published(need()) // 物联网, owned by a unit
	other := need()
	other.Title, other.Chains = "北斗高精度定位园区物流", []string{"bd"}
	elsewhere := f.published(other)
	// B has a standing bid elsewhere (its past delivery); C bids on the call.
	if _, err := f.S.SubmitBid(f.ctx, f.entB, elsewhere.ID, bid(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.SubmitBid(f.ctx, f.entC, call.ID, bid(), nil); err != nil {
		t.Fatal(err)
	}
	m, err := f.S.Suggest(f.ctx, f.staff, call.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Hand-computed: B 40 chain + 20 class 6513 (2 of 3 chain enterprises)
	// + 15 小巨人 + 4 one bid = 79; A 35 under 物联网 + 20 class 3983 (1 of 3)
	// + 10 高新 (瞪羚 expired) = 65; D 20 class 3983 only. C bids, E
	// matches nothing.
	type row struct {
		id    int64
		score int
	}
	want := []row{{f.entB.EnterpriseID, 79}, {f.entA.EnterpriseID, 65}, {d, 20}}
	if len(m.Suggestions) != len(want) {
		t.Fatalf("suggestions %+v", m.Suggestions)
	}
	for i, w := range want {
		if s := m.Suggestions[i]; s.EnterpriseID != w.id || s.Score != w.score {
			t.Errorf("#%d: %s %d, want id %d score %d (%+v)", i+1, s.Name, s.Score, w.id, w.score, s.Reasons)
		}
	}
	if m.Excluded != 1 || m.Considered != 3 {
		t.Errorf("excluded %d considered %d, want 1 and 3", m.Excluded, m.Considered)
	}
	for _, s := range m.Suggestions {
		if s.EnterpriseID == e || s.EnterpriseID == f.entC.EnterpriseID {
			t.Errorf("%s suggested", s.Name)
		}
	}
	words := func(s scenario.Suggestion) string {
		var b strings.Builder
		for _, r := range s.Reasons {
			b.WriteString(r.Term + ":" + r.ZH + "|" + r.EN + "\n")
		}
		return b.String()
	}
	a := words(m.Suggestions[1])
	for _, w := range []string{"「物联网」下的「传感器」", "Sensors (under Internet of Things)", "行业小类 3983", "高新技术企业", "High-tech enterprise"} {
		if !strings.Contains(a, w) {
			t.Errorf("A's reasons lack %q:\n%s", w, a)
		}
	}
	if strings.Contains(a, "瞪羚") {
		t.Errorf("an expired certificate counted:\n%s", a)
	}
	if b := words(m.Suggestions[0]); !strings.Contains(b, "1 份有效揭榜") || !strings.Contains(b, "小巨人") {
		t.Errorf("B's reasons:\n%s", b)
	}
	// A shorter page is the same ranking's head: the late term (past
	// delivery) still lifts B above A when only one is shown.
	for _, limit := range []int{1, 2} {
		short, err := f.S.Suggest(f.ctx, f.staff, call.ID, limit)
		if err != nil || len(short.Suggestions) != limit || short.Suggestions[0].Score != 79 || short.Considered != 3 {
			t.Fatalf("limit %d: %+v %v", limit, short, err)
		}
	}
	// The owner is never suggested: a call raised by A leaves A out.
	own := need()
	own.Title = "甲企业的场景"
	n, err := f.S.Submit(f.ctx, f.entA, own, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.S.CreateBatch(f.ctx, f.staff, "第三批")
	if _, err := f.S.Approve(f.ctx, f.staff, n.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); err != nil {
		t.Fatal(err)
	}
	m, err = f.S.Suggest(f.ctx, f.staff, n.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Suggestions {
		if s.EnterpriseID == f.entA.EnterpriseID {
			t.Fatal("the call's owner is suggested")
		}
	}
	// Only staff see suggestions.
	for name, v := range map[string]scenario.Viewer{"unit": f.unit, "enterprise": f.entB, "anonymous": f.anon} {
		if _, err := f.S.Suggest(f.ctx, v, call.ID, 0); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestInvitationIsDeliveredOnceAndAnnounced(t *testing.T) {
	f := newFixture(t)
	d, e := f.registry()
	var sent []string
	f.S.Notify = func(_ context.Context, _ db.Querier, event, text string) error {
		sent = append(sent, event+" "+text)
		return nil
	}
	call := f.published(need())
	if _, err := f.S.SubmitBid(f.ctx, f.entC, call.ID, bid(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Invite(f.ctx, f.unit, call.ID, []int64{f.entA.EnterpriseID}); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit invited: %v", err)
	}
	// A bidder, an enterprise the call does not fit: refused, nothing written.
	for _, bad := range []int64{f.entC.EnterpriseID, e} {
		_, err := f.S.Invite(f.ctx, f.staff, call.ID, []int64{f.entA.EnterpriseID, bad})
		wantField(t, err, errs.Invalid, "enterprise_ids")
	}
	if n := f.count("scenario_invitations") + f.count("scenario_inbox"); n != 0 || len(sent) != 0 {
		t.Fatalf("a refused invitation wrote %d rows, sent %d", n, len(sent))
	}
	res, err := f.S.Invite(f.ctx, f.staff, call.ID, []int64{f.entA.EnterpriseID, d})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invited) != 2 || len(res.Already) != 0 || len(sent) != 2 {
		t.Fatalf("invite: %+v, sent %v", res, sent)
	}
	if !strings.Contains(sent[0], "甲科技有限公司") || !strings.Contains(sent[0], "城市道路积水智能监测") {
		t.Errorf("webhook text: %s", sent[0])
	}
	res, err = f.S.Invite(f.ctx, f.staff, call.ID, []int64{f.entA.EnterpriseID})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invited) != 0 || len(res.Already) != 1 || len(sent) != 2 {
		t.Fatalf("second invite: %+v, sent %d", res, len(sent))
	}
	items, err := f.S.Inbox(f.ctx, f.entA)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Kind != scenario.InboxInvitation || items[0].NeedID != call.ID || !strings.Contains(items[0].Note, "传感器") {
		t.Fatalf("A's inbox: %+v", items)
	}
	if items, _ := f.S.Inbox(f.ctx, f.entB); len(items) != 0 {
		t.Fatalf("B's inbox: %+v", items)
	}
	if _, err := f.S.Inbox(f.ctx, f.unit); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit's inbox: %v", err)
	}
	m, _ := f.S.Suggest(f.ctx, f.staff, call.ID, 0)
	for _, s := range m.Suggestions {
		if (s.EnterpriseID == f.entA.EnterpriseID) != (s.InvitedAt != 0) && s.EnterpriseID != d {
			t.Errorf("%s invited at %d", s.Name, s.InvitedAt)
		}
	}
}

func TestFollowedCategoryBringsNewCallsToTheInbox(t *testing.T) {
	f := newFixture(t)
	if _, err := f.S.SetFollows(f.ctx, f.entA, []string{scenario.CatService, scenario.CatService}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.SetFollows(f.ctx, f.entB, []string{scenario.CatDigital}); err != nil {
		t.Fatal(err)
	}
	_, err := f.S.SetFollows(f.ctx, f.entC, []string{"roads"})
	wantField(t, err, errs.Invalid, "categories")
	if _, err := f.S.SetFollows(f.ctx, f.unit, []string{scenario.CatService}); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit followed: %v", err)
	}
	if got, _ := f.S.Follows(f.ctx, f.entA); len(got) != 1 || got[0] != scenario.CatService {
		t.Fatalf("A follows %v", got)
	}
	n, err := f.S.Submit(f.ctx, f.unit, need(), nil) // 城市管理和民生服务
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.S.CreateBatch(f.ctx, f.staff, "第一批")
	if _, err := f.S.Approve(f.ctx, f.staff, n.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if items, _ := f.S.Inbox(f.ctx, f.entA); len(items) != 0 {
		t.Fatalf("an approved need reached the inbox before publishing: %+v", items)
	}
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); err != nil {
		t.Fatal(err)
	}
	items, _ := f.S.Inbox(f.ctx, f.entA)
	if len(items) != 1 || items[0].Kind != scenario.InboxNewCall || items[0].NeedID != n.ID || items[0].State != scenario.StatePublished {
		t.Fatalf("A's inbox: %+v", items)
	}
	if items, _ := f.S.Inbox(f.ctx, f.entB); len(items) != 0 {
		t.Fatalf("B follows another category, got %+v", items)
	}
}
