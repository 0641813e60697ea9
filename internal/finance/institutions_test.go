package finance_test

import (
	"testing"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

// An institution registers through its investor account (pending), staff
// approve or reject it; bad input names its field and writes nothing.
func TestInstitutionRegisterAndApprove(t *testing.T) {
	f := newFixture(t)
	v := f.investor("vc1")
	i, err := f.S.Register(f.ctx, v, vc(1, "中原创投（测试）"))
	if err != nil {
		t.Fatal(err)
	}
	if i.State != finance.InstPending || len(i.Stages) != 2 || len(i.Chains) != 1 || i.Chains[0].Code != "iot" || len(i.Contacts) != 1 {
		t.Fatalf("%+v", i)
	}
	if id, _ := f.S.MemberOf(f.ctx, v); id != i.ID {
		t.Fatalf("account acts for %d, want %d", id, i.ID)
	}
	// One institution per account; the credit code once.
	_, err = f.S.Register(f.ctx, v, vc(2, "另一家"))
	wantErr(t, err, errs.Conflict, "")
	_, err = f.S.Register(f.ctx, f.investor("vc1b"), vc(1, "重复代码"))
	wantErr(t, err, errs.Invalid, "credit_code")
	// Only investors register; only supervisors decide.
	_, err = f.S.Register(f.ctx, f.entA, vc(3, "企业冒充"))
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.Approve(f.ctx, v, i.ID)
	wantErr(t, err, errs.Forbidden, "")
	_, err = f.S.Approve(f.ctx, f.leader, i.ID)
	wantErr(t, err, errs.Forbidden, "")
	// A pending institution is not listed to others; staff see it.
	list, err := f.S.Institutions(f.ctx, f.entA, finance.InstitutionFilter{})
	if err != nil || len(list) != 0 {
		t.Fatalf("enterprise sees pending: %d %v", len(list), err)
	}
	_, err = f.S.Institution(f.ctx, f.entA, i.ID)
	wantErr(t, err, errs.NotFound, "")
	_, err = f.S.Institutions(f.ctx, f.anon, finance.InstitutionFilter{})
	wantErr(t, err, errs.Unauthorized, "")
	_, err = f.S.Reject(f.ctx, f.staff, i.ID, " ")
	wantErr(t, err, errs.Invalid, "reason")
	if i, err = f.S.Approve(f.ctx, f.staff, i.ID); err != nil || i.State != finance.InstApproved {
		t.Fatalf("%+v %v", i, err)
	}
	_, err = f.S.Reject(f.ctx, f.staff, i.ID, "资料不全")
	wantErr(t, err, errs.Conflict, "")
	// Approved: listed to enterprises, without contacts.
	got, err := f.S.Institution(f.ctx, f.entA, i.ID)
	if err != nil || len(got.Contacts) != 0 || got.Name != "中原创投（测试）" {
		t.Fatalf("%+v %v", got, err)
	}
	if own, err := f.S.Institution(f.ctx, v, i.ID); err != nil || len(own.Contacts) != 1 {
		t.Fatalf("own view: %+v %v", own, err)
	}
	// Renaming itself sends it back for approval.
	in := vc(1, "中原创投二期（测试）")
	if got, err = f.S.Update(f.ctx, v, i.ID, in); err != nil || got.State != finance.InstPending {
		t.Fatalf("%+v %v", got, err)
	}
	// A rejected institution that corrects its profile asks again.
	if got, err = f.S.Reject(f.ctx, f.staff, i.ID, "名称与营业执照不符"); err != nil || got.Reason == "" {
		t.Fatalf("%+v %v", got, err)
	}
	in.Intro = "已补充材料"
	if got, err = f.S.Update(f.ctx, v, i.ID, in); err != nil || got.State != finance.InstPending {
		t.Fatalf("%+v %v", got, err)
	}
	// Other institutions cannot edit it; staff edits keep its state.
	_, err = f.S.Update(f.ctx, f.investor("vc2"), i.ID, in)
	wantErr(t, err, errs.NotFound, "")
	in.Name = "中原创投（测试）"
	if got, err = f.S.Update(f.ctx, f.staff, i.ID, in); err != nil || got.State != finance.InstPending || got.Name != in.Name {
		t.Fatalf("%+v %v", got, err)
	}
	// Every write was audited.
	if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'finance.institution.%'"); n != 6 {
		t.Fatalf("audit rows %d", n)
	}
}

func TestInstitutionBadInput(t *testing.T) {
	f := newFixture(t)
	v := f.investor("vc1")
	cases := []struct {
		name  string
		edit  func(*finance.InstitutionInput)
		field string
	}{
		{"kind", func(in *finance.InstitutionInput) { in.Kind = "hedge" }, "kind"},
		{"check digit", func(in *finance.InstitutionInput) { in.CreditCode = "914403001922038217" }, "credit_code"},
		{"negative capital", func(in *finance.InstitutionInput) { in.AUMFen = -1 }, "aum_fen"},
		{"ticket reversed", func(in *finance.InstitutionInput) { in.TicketMinFen, in.TicketMaxFen = yi(2), yi(1) }, "ticket_max_fen"},
		{"ticket above 1000 亿", func(in *finance.InstitutionInput) { in.TicketMaxFen = finance.MaxNeedFen + 1 }, "ticket_max_fen"},
		{"no stage", func(in *finance.InstitutionInput) { in.Stages = nil }, "stages"},
		{"unknown stage", func(in *finance.InstitutionInput) { in.Stages = []string{"z"} }, "stages"},
		{"no instrument", func(in *finance.InstitutionInput) { in.Instruments = nil }, "instruments"},
		{"unknown chain", func(in *finance.InstitutionInput) { in.Chains = []string{"mars"} }, "chains"},
		{"settled in future", func(in *finance.InstitutionInput) { in.SettledOn = "2023-07-01" }, "settled_on"},
		{"contact phone", func(in *finance.InstitutionInput) { in.Contacts[0].Phone = "abc" }, "contacts[0].phone"},
		{"fund figures on a VC", func(in *finance.InstitutionInput) { in.CommittedFen = yi(1) }, "committed_fen"},
	}
	for _, c := range cases {
		in := vc(1, "测试创投")
		c.edit(&in)
		_, err := f.S.Register(f.ctx, v, in)
		e := errs.As(err)
		if err == nil || e.Code != errs.Invalid {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		found := false
		for _, d := range e.Details {
			found = found || d.Field == c.field
		}
		if !found {
			t.Errorf("%s: details %+v do not name %s", c.name, e.Details, c.field)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM finance_institutions"); n != 0 {
		t.Fatalf("%d institutions written", n)
	}
}

// A government fund: sub-funds' commitments stay within the parent's,
// paid-in within committed, investments within paid-in.
func TestGovernmentFund(t *testing.T) {
	f := newFixture(t)
	fund := finance.InstitutionInput{Kind: finance.KindGovFund, Name: "高新区科创引导基金（测试）", CreditCode: code(10), AUMFen: yi(20),
		Stages: []string{"seed", "angel", "a"}, Instruments: []string{"equity"}, CommittedFen: yi(20), PaidInFen: yi(8)}
	parent, err := f.S.Create(f.ctx, f.staff, fund)
	if err != nil || parent.State != finance.InstApproved {
		t.Fatalf("%+v %v", parent, err)
	}
	sub := func(n int, committed, paid int64) finance.InstitutionInput {
		return finance.InstitutionInput{Kind: finance.KindVCPE, Name: "子基金" + code(n)[10:14], CreditCode: code(n), Stages: []string{"angel"},
			Instruments: []string{"equity"}, ParentID: parent.ID, CommittedFen: committed, PaidInFen: paid}
	}
	if _, err := f.S.Create(f.ctx, f.staff, sub(11, yi(12), yi(3))); err != nil {
		t.Fatal(err)
	}
	_, err = f.S.Create(f.ctx, f.staff, sub(12, yi(9), 0)) // 12 + 9 > 20
	wantErr(t, err, errs.Invalid, "committed_fen")
	_, err = f.S.Create(f.ctx, f.staff, sub(12, yi(5), yi(6)))
	wantErr(t, err, errs.Invalid, "paid_in_fen")
	s2, err := f.S.Create(f.ctx, f.staff, sub(12, yi(8), yi(2)))
	if err != nil {
		t.Fatal(err)
	}
	// A sub-fund cannot have sub-funds of its own.
	bad := sub(13, yi(1), 0)
	bad.ParentID = s2.ID
	_, err = f.S.Create(f.ctx, f.staff, bad)
	wantErr(t, err, errs.Invalid, "parent_id")
	// Investments in zone enterprises.
	if _, err := f.S.AddInvestment(f.ctx, f.staff, s2.ID, finance.FundInvestmentInput{CreditCode: f.codeA, AmountFen: yi(1), On: "2023-05-01"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.S.AddInvestment(f.ctx, f.staff, s2.ID, finance.FundInvestmentInput{CreditCode: f.codeB, AmountFen: yi(1) + 1, On: "2023-05-02"})
	wantErr(t, err, errs.Invalid, "amount_fen")
	_, err = f.S.AddInvestment(f.ctx, f.staff, s2.ID, finance.FundInvestmentInput{CreditCode: code(99), AmountFen: 1, On: "2023-05-02"})
	wantErr(t, err, errs.Invalid, "credit_code")
	_, err = f.S.AddInvestment(f.ctx, f.entA, s2.ID, finance.FundInvestmentInput{CreditCode: f.codeA, AmountFen: 1, On: "2023-05-02"})
	wantErr(t, err, errs.Forbidden, "")
	got, err := f.S.Fund(f.ctx, f.entA, parent.ID)
	if err != nil || len(got.SubFunds) != 2 || got.SubCommittedFen != yi(20) || got.SubPaidInFen != yi(5) {
		t.Fatalf("%+v %v", got, err)
	}
	sf, err := f.S.Fund(f.ctx, f.staff, s2.ID)
	if err != nil || len(sf.Investments) != 1 || sf.InvestedFen != yi(1) || sf.Investments[0].EnterpriseName != "甲科技有限公司" {
		t.Fatalf("%+v %v", sf, err)
	}
}

// Staff link an investor account to an institution they entered; only
// investor accounts, only by supervisors.
func TestLinkAccount(t *testing.T) {
	f := newFixture(t)
	i, err := f.S.Create(f.ctx, f.staff, vc(1, "录入的创投"))
	if err != nil {
		t.Fatal(err)
	}
	v := f.investor("vc1")
	if err := f.S.LinkAccount(f.ctx, f.leader, i.ID, "vc1"); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("leader links: %v", err)
	}
	if err := f.S.LinkAccount(f.ctx, f.staff, i.ID, "qa"); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("enterprise account linked: %v", err)
	}
	if err := f.S.LinkAccount(f.ctx, f.staff, i.ID, "vc1"); err != nil {
		t.Fatal(err)
	}
	if id, _ := f.S.MemberOf(f.ctx, v); id != i.ID {
		t.Fatalf("acts for %d", id)
	}
	if got, err := f.S.Institution(f.ctx, v, i.ID); err != nil || len(got.Contacts) != 1 {
		t.Fatalf("%+v %v", got, err)
	}
}
