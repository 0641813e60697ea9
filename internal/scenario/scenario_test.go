package scenario_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
	"gaoxin/internal/scenario"
)

type fixture struct {
	t   *testing.T
	ctx context.Context
	DB  *db.DB
	S   *scenario.Service
	now time.Time

	staff, unit, other  scenario.Viewer // supervisor, the owner unit, another unit
	entA, entB, entC    scenario.Viewer // three enterprises
	anon                scenario.Viewer
	codeA, codeB, codeC string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	a := audit.New(d)
	o := org.New(d, a)
	reg := enterprise.New(d, a, o, enterprise.Options{})
	f := &fixture{t: t, DB: d, S: scenario.New(d, a, reg, o, plan.New(d, a, o, plan.Options{}), award.New(d, a, reg, o)),
		now: time.Date(2023, 5, 10, 9, 0, 0, 0, db.CST)}
	f.S.Now = func() time.Time { return f.now }
	f.S.Ledger.Now, f.S.Plan.Now = f.S.Now, f.S.Now
	f.ctx = audit.WithActor(context.Background(), audit.Actor{Name: "fixture"})
	unit := func(code, name string) int64 {
		var id int64
		f.scan(&id, `INSERT INTO units (code, name_zh, kind, created_at) VALUES ($1,$2,'内设机构',1) RETURNING id`, code, name)
		return id
	}
	user := func(name string, role org.Role, unitID int64) int64 {
		var id int64
		f.scan(&id, `INSERT INTO users (username, role, unit_id, password_hash, created_at, updated_at) VALUES ($1,$2,$3,'x',1,1) RETURNING id`,
			name, string(role), nullable(unitID))
		return id
	}
	ent := func(code, name string) int64 {
		var id int64
		f.scan(&id, `INSERT INTO enterprises (credit_code, name, synthetic, created_at, updated_at) VALUES ($1,$2,TRUE,1,1) RETURNING id`, code, name)
		return id
	}
	u1, u2 := unit("dsj", "大数据局"), unit("csgl", "城市管理局")
	f.staff = scenario.Viewer{UserID: user("sup", org.Supervisor, 0), Role: org.Supervisor}
	f.unit = scenario.Viewer{UserID: user("dsj1", org.UnitStaff, u1), Role: org.UnitStaff, UnitID: u1, UnitName: "大数据局"}
	f.other = scenario.Viewer{UserID: user("csgl1", org.UnitStaff, u2), Role: org.UnitStaff, UnitID: u2, UnitName: "城市管理局"}
	f.codeA, f.codeB, f.codeC = "914403001922038216", "91330100716105852F", "9144030071526726XG"
	f.entA = scenario.Viewer{UserID: user("qa", org.Enterprise, 0), Role: org.Enterprise, EnterpriseID: ent(f.codeA, "甲科技有限公司")}
	f.entB = scenario.Viewer{UserID: user("qb", org.Enterprise, 0), Role: org.Enterprise, EnterpriseID: ent(f.codeB, "乙智能有限公司")}
	f.entC = scenario.Viewer{UserID: user("qc", org.Enterprise, 0), Role: org.Enterprise, EnterpriseID: ent(f.codeC, "丙数据有限公司")}
	return f
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (f *fixture) scan(dst any, q string, args ...any) {
	f.t.Helper()
	if err := f.DB.W.QueryRowContext(context.Background(), q, args...).Scan(dst); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) count(table string) int {
	var n int
	f.scan(&n, "SELECT COUNT(*) FROM "+table)
	return n
}

func need() scenario.NeedInput {
	return scenario.NeedInput{Title: "城市道路积水智能监测", Category: scenario.CatService, Chains: []string{"iot"},
		Problem: "汛期道路积水无法及时发现", Capabilities: "物联网传感、视频识别", Site: "科学大道沿线", DataOpen: "历年积水点位",
		BudgetFen: 500_000_00, PriceCap: true, Deadline: "2023-06-30", EndsOn: "2023-12-31", ContactName: "王工", ContactPhone: "0371-6758 1234"}
}

func bid() scenario.BidInput {
	return scenario.BidInput{Solution: "布设 200 个液位传感器并接入城市运行平台", Team: "项目经理 1 名，工程师 6 名", PriceFen: 450_000_00,
		Milestones: []scenario.Milestone{{Title: "签约", DueOn: "2023-07-15", SharePct: 30}, {Title: "验收", DueOn: "2023-12-15", SharePct: 70}}}
}

func wantField(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	e := errs.As(err)
	if e.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	if field == "" {
		return
	}
	if e.Field == field {
		return
	}
	for _, d := range e.Details {
		if d.Field == field {
			return
		}
	}
	t.Fatalf("want an error naming %q, got %v (%+v)", field, err, e.Details)
}

// published takes a fresh need from the unit through a batch to an open call.
func (f *fixture) published(in scenario.NeedInput) scenario.Need {
	f.t.Helper()
	n, err := f.S.Submit(f.ctx, f.unit, in, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	b, err := f.S.CreateBatch(f.ctx, f.staff, "2023 年第二批场景机会清单")
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.S.Approve(f.ctx, f.staff, n.ID, b.ID); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); err != nil {
		f.t.Fatal(err)
	}
	n, err = f.S.Need(f.ctx, f.staff, n.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestNeedBecomesAPublicCall(t *testing.T) {
	f := newFixture(t)
	n, err := f.S.Submit(f.ctx, f.unit, need(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n.State != scenario.StateCollecting || n.OwnerName != "大数据局" || len(n.Chains) != 1 || n.Chains[0].NameZH == "" {
		t.Fatalf("submitted: %+v", n)
	}
	// Before publishing: the owner and staff read it, nobody else does.
	for name, v := range map[string]scenario.Viewer{"anonymous": f.anon, "another unit": f.other, "an enterprise": f.entA} {
		if _, err := f.S.Need(f.ctx, v, n.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("%s reads a need being collected: %v", name, err)
		}
		if p, _ := f.S.List(f.ctx, v, scenario.Filter{}); p.Total != 0 {
			t.Errorf("%s lists %d needs being collected", name, p.Total)
		}
	}
	if p, _ := f.S.List(f.ctx, f.unit, scenario.Filter{Mine: true}); p.Total != 1 {
		t.Errorf("the owner lists %d of its needs", p.Total)
	}
	// Only supervisors run batches.
	if _, err := f.S.CreateBatch(f.ctx, f.unit, "x"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit created a batch: %v", err)
	}
	b, err := f.S.CreateBatch(f.ctx, f.staff, "2023 年第一批场景机会清单")
	if err != nil || b.Seq != 1 {
		t.Fatalf("batch: %+v %v", b, err)
	}
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("an empty batch published: %v", err)
	}
	if _, err := f.S.Approve(f.ctx, f.staff, n.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Update(f.ctx, f.unit, n.ID, need()); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("an approved need was edited: %v", err)
	}
	f.now = f.now.AddDate(0, 0, 2)
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.S.Need(f.ctx, f.anon, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != scenario.StatePublished || got.BatchSeq != 1 || got.ContactPhone != "" || got.ContactName != "" {
		t.Fatalf("public call: %+v", got)
	}
	var phases []string
	for _, p := range got.Phases {
		phases = append(phases, p.Phase+"@"+p.On)
	}
	if want := "[collect@2023-05-10 review@2023-05-10 publish@2023-05-12]"; fmt.Sprint(phases) != want {
		t.Fatalf("phases %v, want %s", phases, want)
	}
	if signed, _ := f.S.Need(f.ctx, f.entA, n.ID); signed.ContactPhone == "" {
		t.Fatal("a signed-in enterprise does not see the contact")
	}
	p, err := f.S.List(f.ctx, f.anon, scenario.Filter{Category: scenario.CatService, Chain: "iot"})
	if err != nil || p.Total != 1 {
		t.Fatalf("public list by category and chain: %+v %v", p, err)
	}
	if p, _ := f.S.List(f.ctx, f.anon, scenario.Filter{Category: scenario.CatDigital}); p.Total != 0 {
		t.Fatalf("category filter: %d", p.Total)
	}
	if _, err := f.S.List(f.ctx, f.anon, scenario.Filter{Chain: "nope"}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("unknown chain filter: %v", err)
	}
	// Bids close only after the deadline; then the call fails with a reason.
	if _, err := f.S.CloseBids(f.ctx, f.staff, n.ID); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("bidding closed before the deadline: %v", err)
	}
	f.now = time.Date(2023, 7, 1, 9, 0, 0, 0, db.CST)
	if _, err := f.S.CloseBids(f.ctx, f.staff, n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Fail(f.ctx, f.staff, n.ID, " "); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("failed without a reason: %v", err)
	}
	failed, err := f.S.Fail(f.ctx, f.staff, n.ID, "揭榜企业均未达到技术要求")
	if err != nil || failed.State != scenario.StateFailed || failed.Reason == "" {
		t.Fatalf("fail: %+v %v", failed, err)
	}
}

func TestBadNeedIsRefusedNamingTheField(t *testing.T) {
	f := newFixture(t)
	cases := map[string]func(*scenario.NeedInput){
		"title":         func(in *scenario.NeedInput) { in.Title = "" },
		"category":      func(in *scenario.NeedInput) { in.Category = "misc" },
		"chains":        func(in *scenario.NeedInput) { in.Chains = []string{"no_such_chain"} },
		"budget_fen":    func(in *scenario.NeedInput) { in.BudgetFen = 9223372036854775807 },
		"deadline":      func(in *scenario.NeedInput) { in.Deadline = "2023-01-01" },
		"ends_on":       func(in *scenario.NeedInput) { in.EndsOn = "2023-06-01" },
		"contact_phone": func(in *scenario.NeedInput) { in.ContactPhone = "call me" },
	}
	for field, spoil := range cases {
		in := need()
		spoil(&in)
		_, err := f.S.Submit(f.ctx, f.unit, in, nil)
		wantField(t, err, errs.Invalid, field)
	}
	if _, err := f.S.Submit(f.ctx, f.staff, need(), nil); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a supervisor without a unit submitted: %v", err)
	}
	_, err := f.S.Submit(f.ctx, f.unit, need(), []scenario.Upload{{Name: "方案.pdf", Data: []byte("not a pdf")}})
	wantField(t, err, errs.Invalid, "files")
	if n := f.count("scenario_needs"); n != 0 {
		t.Fatalf("%d needs written by refused submissions", n)
	}
}

func TestBidRules(t *testing.T) {
	f := newFixture(t)
	n := f.published(need())
	cases := map[string]func(*scenario.BidInput){
		"price_fen":            func(b *scenario.BidInput) { b.PriceFen = 500_000_01 }, // over the budget
		"solution":             func(b *scenario.BidInput) { b.Solution = "" },
		"milestones.due_on":    func(b *scenario.BidInput) { b.Milestones[1].DueOn = "2024-01-05" }, // past the call's end
		"milestones.share_pct": func(b *scenario.BidInput) { b.Milestones[1].SharePct = 60 },
		"milestones":           func(b *scenario.BidInput) { b.Milestones = nil },
		"partners.credit_code": func(b *scenario.BidInput) {
			b.Partners = []scenario.PartnerInput{{CreditCode: "91110000000000000X"}}
		},
	}
	for field, spoil := range cases {
		in := bid()
		spoil(&in)
		_, err := f.S.SubmitBid(f.ctx, f.entA, n.ID, in, nil)
		wantField(t, err, errs.Invalid, field)
	}
	if _, err := f.S.SubmitBid(f.ctx, f.unit, n.ID, bid(), nil); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a unit bid: %v", err)
	}
	if k := f.count("scenario_bids"); k != 0 {
		t.Fatalf("%d bids written by refused attempts", k)
	}
	// A call without a price cap takes a price over the budget.
	free := need()
	free.Title, free.PriceCap = "园区无人配送试点", false
	n2 := f.published(free)
	over := bid()
	over.PriceFen = 600_000_00
	if _, err := f.S.SubmitBid(f.ctx, f.entA, n2.ID, over, nil); err != nil {
		t.Fatalf("no cap: %v", err)
	}
	// An enterprise cannot bid on its own call.
	own := need()
	own.Title = "工厂数字孪生"
	mine, err := f.S.Submit(f.ctx, f.entB, own, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.S.CreateBatch(f.ctx, f.staff, "第三批")
	if _, err := f.S.Approve(f.ctx, f.staff, mine.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.PublishBatch(f.ctx, f.staff, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.SubmitBid(f.ctx, f.entB, mine.ID, bid(), nil); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("an enterprise bid on its own call: %v", err)
	}
	withOwner := bid()
	withOwner.Partners = []scenario.PartnerInput{{CreditCode: f.codeB}}
	_, err = f.S.SubmitBid(f.ctx, f.entA, mine.ID, withOwner, nil)
	wantField(t, err, errs.Invalid, "partners.credit_code")
	// After the deadline: refused, naming the deadline.
	f.now = time.Date(2023, 7, 1, 9, 0, 0, 0, db.CST)
	_, err = f.S.SubmitBid(f.ctx, f.entA, n.ID, bid(), nil)
	wantField(t, err, errs.Invalid, "deadline")
}

func TestBidsAreSeenOnlyByTheirEnterprisesStaffAndLaterTheOwner(t *testing.T) {
	f := newFixture(t)
	n := f.published(need())
	joint := bid()
	joint.Partners = []scenario.PartnerInput{{CreditCode: f.codeC, Role: "数据平台"}}
	a, err := f.S.SubmitBid(f.ctx, f.entA, n.ID, joint, []scenario.Upload{{Name: "资质.pdf", Data: []byte("%PDF-1.4 evidence")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Partners) != 1 || a.Partners[0].Name != "丙数据有限公司" || a.Confirmed() || len(a.Files) != 1 {
		t.Fatalf("joint bid: %+v", a)
	}
	b, err := f.S.SubmitBid(f.ctx, f.entB, n.ID, bid(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// One bid per enterprise per call, as lead or partner.
	if _, err := f.S.SubmitBid(f.ctx, f.entC, n.ID, bid(), nil); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("a partner also led a bid: %v", err)
	}
	if _, err := f.S.SubmitBid(f.ctx, f.entA, n.ID, bid(), nil); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a second bid by the same lead: %v", err)
	}
	readers := func(id int64) map[string]bool {
		out := map[string]bool{}
		for name, v := range map[string]scenario.Viewer{"staff": f.staff, "owner": f.unit, "other unit": f.other,
			"A": f.entA, "B": f.entB, "C": f.entC, "anonymous": f.anon} {
			_, err := f.S.Bid(f.ctx, v, id)
			if err == nil {
				out[name] = true
			} else if errs.CodeOf(err) != errs.NotFound {
				t.Fatalf("%s reading bid %d: %v", name, id, err)
			}
		}
		return out
	}
	if got := fmt.Sprint(readers(a.ID)); got != "map[A:true C:true staff:true]" {
		t.Fatalf("before the deadline, bid A is read by %s", got)
	}
	if got := fmt.Sprint(readers(b.ID)); got != "map[B:true staff:true]" {
		t.Fatalf("before the deadline, bid B is read by %s", got)
	}
	if bs, _ := f.S.Bids(f.ctx, f.entB, n.ID); len(bs) != 1 || bs[0].ID != b.ID {
		t.Fatalf("B lists %+v", bs)
	}
	if bs, _ := f.S.Bids(f.ctx, f.unit, n.ID); len(bs) != 0 {
		t.Fatalf("the owner lists %d bids before the deadline", len(bs))
	}
	// A's evidence is as private as the bid.
	if _, _, err := f.S.FileData(f.ctx, f.entB, a.Files[0].ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("B downloads A's evidence: %v", err)
	}
	// The partner confirms; only the lead edits or withdraws.
	if _, err := f.S.ConfirmPartner(f.ctx, f.entB, a.ID); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("B confirmed A's bid: %v", err)
	}
	if c, err := f.S.ConfirmPartner(f.ctx, f.entC, a.ID); err != nil || !c.Confirmed() {
		t.Fatalf("confirm: %+v %v", c, err)
	}
	if _, err := f.S.WithdrawBid(f.ctx, f.entC, a.ID, "x"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a partner withdrew the bid: %v", err)
	}
	cheaper := joint
	cheaper.PriceFen = 420_000_00
	if u, err := f.S.UpdateBid(f.ctx, f.entA, a.ID, cheaper); err != nil || u.PriceFen != 420_000_00 || u.Confirmed() {
		t.Fatalf("edit (partners confirm again): %+v %v", u, err)
	}
	if _, err := f.S.WithdrawBid(f.ctx, f.entB, b.ID, ""); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("withdrawn without a reason: %v", err)
	}
	if w, err := f.S.WithdrawBid(f.ctx, f.entB, b.ID, "人手不足"); err != nil || w.State != scenario.BidWithdrawn {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	if again, err := f.S.SubmitBid(f.ctx, f.entB, n.ID, bid(), nil); err != nil || again.ID != b.ID || again.State != scenario.BidSubmitted {
		t.Fatalf("bid again after withdrawing: %+v %v", again, err)
	}
	// After the deadline the owner reads every bid; nobody edits.
	f.now = time.Date(2023, 7, 1, 9, 0, 0, 0, db.CST)
	if got := fmt.Sprint(readers(b.ID)); got != "map[B:true owner:true staff:true]" {
		t.Fatalf("after the deadline, bid B is read by %s", got)
	}
	if bs, _ := f.S.Bids(f.ctx, f.unit, n.ID); len(bs) != 2 {
		t.Fatalf("the owner lists %d bids after the deadline", len(bs))
	}
	_, err = f.S.UpdateBid(f.ctx, f.entA, a.ID, joint)
	wantField(t, err, errs.Invalid, "deadline")
	if n, _ := f.S.Need(f.ctx, f.anon, n.ID); n.Bids != 2 {
		t.Fatalf("standing bids %d", n.Bids)
	}
}

// Bids sent at the same moment by one enterprise: one is kept, the others
// are refused as a conflict, never a server error.
func TestConcurrentBidsKeepOne(t *testing.T) {
	f := newFixture(t)
	n := f.published(need())
	results := make(chan error, 6)
	for range 6 {
		go func() {
			_, err := f.S.SubmitBid(f.ctx, f.entA, n.ID, bid(), nil)
			results <- err
		}()
	}
	ok := 0
	for range 6 {
		switch err := <-results; errs.CodeOf(err) {
		case "":
			ok++
		case errs.Conflict:
		default:
			t.Errorf("a concurrent bid: %v", err)
		}
	}
	if ok != 1 || f.count("scenario_bids") != 1 {
		t.Fatalf("%d bids accepted, %d stored", ok, f.count("scenario_bids"))
	}
}

// A call's bids are listed only to those who may know of the call: a need
// still being collected is unknown to everyone but its owner and staff,
// and so are its bids; an unknown call is unknown to everyone.
func TestBidsOfACallOnlyToThoseWhoMayKnowOfIt(t *testing.T) {
	f := newFixture(t)
	n, err := f.S.Submit(f.ctx, f.unit, need(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]scenario.Viewer{"staff": f.staff, "owner": f.unit} {
		if bs, err := f.S.Bids(f.ctx, v, n.ID); err != nil || len(bs) != 0 {
			t.Fatalf("%s lists a collected need's bids: %v %v", name, bs, err)
		}
	}
	for name, v := range map[string]scenario.Viewer{"other unit": f.other, "enterprise": f.entA, "anonymous": f.anon} {
		if _, err := f.S.Bids(f.ctx, v, n.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("%s lists the bids of a need still being collected: %v", name, err)
		}
	}
	if _, err := f.S.Bids(f.ctx, f.staff, n.ID+1000); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("the bids of an unknown call: %v", err)
	}
	p := f.published(need())
	if _, err := f.S.Bids(f.ctx, f.anon, p.ID); err != nil {
		t.Fatalf("anyone may know of a published call: %v", err)
	}
}
