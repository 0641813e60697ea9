package finance_test

import (
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

func needIn() finance.NeedInput {
	return finance.NeedInput{Title: "传感器产线扩产 A 轮融资", AmountFen: wan(5000), Instrument: "equity", Stage: "a",
		UseOfFunds: "新建两条 MEMS 传感器产线", SharedFigures: []string{"revenue", "patents"}}
}

// visibility is the cast of a need's readers.
type visibility struct {
	f                                 *fixture
	vc1, vc2, bank, pending, generalA finance.Viewer
	i1, i2, ib, ip, ig                finance.Institution
}

func newVisibility(t *testing.T) *visibility {
	f := newFixture(t)
	x := &visibility{f: f}
	x.vc1, x.i1 = f.approved("vc1", vc(1, "物联网创投")) // IoT, A/B, equity, 1,000 万–1 亿
	in2 := vc(2, "材料创投")
	in2.Chains = []string{"nm"}
	x.vc2, x.i2 = f.approved("vc2", in2)
	bank := vc(3, "科技银行")
	bank.Kind, bank.Instruments, bank.Chains, bank.Stages = finance.KindBank, []string{"loan", "ip_pledge"}, nil, []string{"seed", "angel", "a", "b", "c_plus", "pre_ipo"}
	x.bank, x.ib = f.approved("bank", bank)
	x.pending = f.investor("vc4")
	var err error
	if x.ip, err = f.S.Register(f.ctx, x.pending, vc(4, "待审创投")); err != nil {
		t.Fatal(err)
	}
	general := vc(5, "全行业创投")
	general.Chains = nil
	x.generalA, x.ig = f.approved("vc5", general)
	return x
}

// A need is seen by its enterprise, staff, and approved institutions whose
// profile fits; nobody else learns it exists.
func TestNeedVisibility(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n, err := f.S.Post(f.ctx, f.entA, needIn(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Chains) != 1 || n.Chains[0].Code != "iot_sensor" || n.EnterpriseName != "甲科技有限公司" {
		t.Fatalf("need takes the registry's chain and name: %+v", n)
	}
	for _, c := range []struct {
		who  string
		v    finance.Viewer
		sees bool
	}{
		{"its enterprise", f.entA, true}, {"staff", f.staff, true}, {"leader", f.leader, true},
		{"fitting VC (chain above the need's)", x.vc1, true}, {"generalist VC", x.generalA, true},
		{"VC of another chain", x.vc2, false}, {"bank (no equity)", x.bank, false}, {"pending VC", x.pending, false},
		{"another enterprise", f.entB, false}, {"the public", f.anon, false}, {"unit staff", f.unit, false},
	} {
		got, err := f.S.Need(f.ctx, c.v, n.ID)
		switch {
		case c.sees && err != nil:
			t.Errorf("%s: %v", c.who, err)
		case !c.sees && errs.CodeOf(err) != errs.NotFound:
			t.Errorf("%s: want not found, got %+v %v", c.who, got.Title, err)
		}
		if _, _, err := f.S.FileData(f.ctx, c.v, 1); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("%s: file %v", c.who, err)
		}
	}
	// Hidden from one: the VC no longer sees it; the generalist does.
	if _, err := f.S.SetAudience(f.ctx, f.entA, n.ID, finance.AudienceFit, []int64{x.i1.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = f.S.Need(f.ctx, x.vc1, n.ID)
	wantErr(t, err, errs.NotFound, "")
	if _, err := f.S.Need(f.ctx, x.generalA, n.ID); err != nil {
		t.Fatal(err)
	}
	// Chosen: only the listed, and only if they fit.
	if _, err := f.S.SetAudience(f.ctx, f.entA, n.ID, finance.AudienceChosen, []int64{x.i1.ID, x.i2.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Need(f.ctx, x.vc1, n.ID); err != nil {
		t.Fatal(err)
	}
	for _, v := range []finance.Viewer{x.generalA, x.vc2} {
		if _, err := f.S.Need(f.ctx, v, n.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("chosen list leaks: %v", err)
		}
	}
	// The listed list is the enterprise's and staff's only.
	own, _ := f.S.Need(f.ctx, f.entA, n.ID)
	seen, _ := f.S.Need(f.ctx, x.vc1, n.ID)
	if len(own.Listed) != 2 || len(seen.Listed) != 0 {
		t.Fatalf("listed: own %v, institution %v", own.Listed, seen.Listed)
	}
	// Only the enterprise sets the audience; a pending institution cannot
	// be chosen.
	_, err = f.S.SetAudience(f.ctx, f.staff, n.ID, finance.AudienceFit, nil)
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.SetAudience(f.ctx, f.entB, n.ID, finance.AudienceFit, nil)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.SetAudience(f.ctx, f.entA, n.ID, finance.AudienceChosen, []int64{x.ip.ID})
	wantErr(t, err, errs.Invalid, "listed")
	// Hidden: no institution; closed: no new one.
	if _, err := f.S.SetAudience(f.ctx, f.entA, n.ID, finance.AudienceHidden, nil); err != nil {
		t.Fatal(err)
	}
	_, err = f.S.Need(f.ctx, x.vc1, n.ID)
	wantErr(t, err, errs.NotFound, "")
	// Lists: the enterprise its own, another enterprise none of them, an
	// institution is refused the raw list.
	if l, err := f.S.Needs(f.ctx, f.entB, finance.NeedFilter{}); err != nil || len(l) != 0 {
		t.Fatalf("another enterprise lists %d %v", len(l), err)
	}
	if l, err := f.S.Needs(f.ctx, f.entA, finance.NeedFilter{}); err != nil || len(l) != 1 {
		t.Fatalf("own list %d %v", len(l), err)
	}
	_, err = f.S.Needs(f.ctx, x.vc1, finance.NeedFilter{})
	wantErr(t, err, errs.Forbidden, "")
}

// A need's chain must be covered from above: an institution on 传感器 does
// not cover a need on the whole 物联网 chain; the ticket bounds are
// inclusive.
func TestNeedFitEdges(t *testing.T) {
	f := newFixture(t)
	narrow := vc(1, "传感器创投")
	narrow.Chains = []string{"iot_sensor"}
	nv, _ := f.approved("vc1", narrow)
	in := needIn()
	in.Chains = []string{"iot"}
	n, err := f.S.Post(f.ctx, f.entA, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.S.Need(f.ctx, nv, n.ID)
	wantErr(t, err, errs.NotFound, "")
	vc2, _ := f.approved("vc2", vc(2, "物联网创投"))
	for _, c := range []struct {
		fen  int64
		sees bool
	}{{wan(1000), true}, {wan(1000) - 1, false}, {yi(1), true}, {yi(1) + 1, false}} {
		in := needIn()
		in.AmountFen = c.fen
		n, err := f.S.Post(f.ctx, f.entA, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.S.Need(f.ctx, vc2, n.ID)
		if (err == nil) != c.sees {
			t.Errorf("amount %d: sees %v, err %v", c.fen, c.sees, err)
		}
	}
}

// Bad amounts and other input get an error naming the field, and nothing
// is written.
func TestNeedBadInput(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		name  string
		edit  func(*finance.NeedInput)
		field string
	}{
		{"zero amount", func(in *finance.NeedInput) { in.AmountFen = 0 }, "amount_fen"},
		{"negative amount", func(in *finance.NeedInput) { in.AmountFen = -100 }, "amount_fen"},
		{"above 1,000 亿", func(in *finance.NeedInput) { in.AmountFen = finance.MaxNeedFen + 1 }, "amount_fen"},
		{"not credible", func(in *finance.NeedInput) { in.AmountFen = 1 << 62 }, "amount_fen"},
		{"instrument", func(in *finance.NeedInput) { in.Instrument = "crypto" }, "instrument"},
		{"stage", func(in *finance.NeedInput) { in.Stage = "series-z" }, "stage"},
		{"use of funds", func(in *finance.NeedInput) { in.UseOfFunds = " " }, "use_of_funds"},
		{"figure", func(in *finance.NeedInput) { in.SharedFigures = []string{"secret_sauce"} }, "shared_figures"},
		{"chain", func(in *finance.NeedInput) { in.Chains = []string{"mars"} }, "chains"},
		{"chosen nobody", func(in *finance.NeedInput) { in.Audience = finance.AudienceChosen }, "listed"},
		{"audience", func(in *finance.NeedInput) { in.Audience = "everyone" }, "audience"},
	} {
		in := needIn()
		c.edit(&in)
		_, err := f.S.Post(f.ctx, f.entA, in, nil)
		wantErr(t, err, errs.Invalid, c.field)
	}
	big := needIn()
	big.AmountFen = finance.MaxNeedFen
	if _, err := f.S.Post(f.ctx, f.entA, big, nil); err != nil {
		t.Fatalf("exactly 1,000 亿 is allowed: %v", err)
	}
	// A renamed text file is not a pitch deck.
	in := needIn()
	_, err := f.S.Post(f.ctx, f.entA, in, []finance.Upload{{Name: "deck.pdf", Data: []byte("just text")}})
	wantErr(t, err, errs.Invalid, "files")
	_, err = f.S.Post(f.ctx, f.investor("vc9"), in, nil)
	wantErr(t, err, errs.Forbidden, "")
	if n := f.count("SELECT COUNT(*) FROM finance_needs"); n != 1 {
		t.Fatalf("%d needs written", n)
	}
}

// A pitch deck is kept and read by those who see the need; the shared
// figures come from the registry.
func TestNeedDeckAndFigures(t *testing.T) {
	f := newFixture(t)
	vcV, _ := f.approved("vc1", vc(1, "物联网创投"))
	if _, err := f.DB.W.ExecContext(f.ctx, `INSERT INTO enterprise_figures (enterprise_id, indicator, year, month, source, value, status, entered_at)
		VALUES ($1, 'revenue', 2022, 0, 'stats', 1234500, 'confirmed', 1)`, f.entA.EnterpriseID); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
	n, err := f.S.Post(f.ctx, f.entA, needIn(), []finance.Upload{{Name: "路演材料.pdf", Data: pdf}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.S.Need(f.ctx, vcV, n.ID)
	if err != nil || len(got.Files) != 1 || len(got.Figures) != 1 || got.Figures[0].Value != 1234500 || got.Figures[0].Year != 2022 {
		t.Fatalf("%+v %v", got, err)
	}
	if _, data, err := f.S.FileData(f.ctx, vcV, got.Files[0].ID); err != nil || string(data) != string(pdf) {
		t.Fatalf("deck: %v", err)
	}
	_, _, err = f.S.FileData(f.ctx, f.entB, got.Files[0].ID)
	wantErr(t, err, errs.NotFound, "")
}
