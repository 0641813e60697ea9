package finance_test

import (
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

// A roadshow invites needs and records attendance; its outcome counts the
// matches between them by step; each reader sees only the needs it may.
func TestRoadshowOutcome(t *testing.T) {
	x := newVisibility(t)
	f := x.f
	n1, _ := f.S.Post(f.ctx, f.entA, needIn(), nil)
	loan := needIn()
	loan.Title, loan.Instrument = "知识产权质押贷款", "ip_pledge"
	n2, _ := f.S.Post(f.ctx, f.entB, loan, nil)
	_, err := f.S.CreateRoadshow(f.ctx, f.entA, finance.RoadshowInput{Title: "x", On: "2023-06-20", Place: "y"})
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.CreateRoadshow(f.ctx, f.staff, finance.RoadshowInput{Title: "第一期", On: "6/20", Place: "科技金融广场"})
	wantErr(t, err, errs.Invalid, "on")
	r, err := f.S.CreateRoadshow(f.ctx, f.staff, finance.RoadshowInput{Title: "科技金融路演第一期（测试）", On: "2023-06-20", Place: "科技金融广场"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Invite(f.ctx, f.staff, r.ID, []int64{n1.ID, n2.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Attend(f.ctx, f.staff, r.ID, []int64{x.i1.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Attend(f.ctx, x.bank, r.ID, nil); err != nil { // the bank signs itself up
		t.Fatal(err)
	}
	_, err = f.S.Attend(f.ctx, x.pending, r.ID, nil)
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.Attend(f.ctx, f.staff, r.ID, []int64{x.ip.ID})
	wantErr(t, err, errs.Invalid, "institutions")
	// vc1 → n1 to 对接; bank → n2 declined; vc5 (not attending) → n1.
	m1, _ := f.S.ExpressInterest(f.ctx, x.vc1, n1.ID, "")
	f.S.Answer(f.ctx, f.entA, m1.ID, true, "")
	if _, err := f.S.Advance(f.ctx, x.vc1, m1.ID, finance.StepInput{Step: finance.StepMeeting}); err != nil {
		t.Fatal(err)
	}
	m2, err := f.S.ExpressInterest(f.ctx, x.bank, n2.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	f.S.Answer(f.ctx, f.entB, m2.ID, false, "")
	f.S.ExpressInterest(f.ctx, x.generalA, n1.ID, "")
	got, err := f.S.Roadshow(f.ctx, f.staff, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	o := got.Outcome
	if o.Needs != 2 || o.Institutions != 2 || o.Reached[finance.StepInterest] != 2 || o.Reached[finance.StepMatched] != 1 ||
		o.Reached[finance.StepMeeting] != 1 || o.Closed != 1 || len(got.Needs) != 2 {
		t.Fatalf("%+v", got)
	}
	// The enterprise sees its own need only; the bank the one it may read;
	// someone not involved nothing.
	if e, err := f.S.Roadshow(f.ctx, f.entA, r.ID); err != nil || len(e.Needs) != 1 || e.Needs[0].ID != n1.ID {
		t.Fatalf("enterprise: %+v %v", e.Needs, err)
	}
	if b, err := f.S.Roadshow(f.ctx, x.bank, r.ID); err != nil || len(b.Needs) != 1 || b.Needs[0].ID != n2.ID {
		t.Fatalf("bank: %+v %v", b.Needs, err)
	}
	_, err = f.S.Roadshow(f.ctx, x.vc2, r.ID)
	wantErr(t, err, errs.NotFound, "")
	if l, _ := f.S.Roadshows(f.ctx, x.bank, 0); len(l) != 1 {
		t.Fatalf("bank lists %d", len(l))
	}
	if l, _ := f.S.Roadshows(f.ctx, x.vc2, 0); len(l) != 0 {
		t.Fatalf("outsider lists %d", len(l))
	}
}
