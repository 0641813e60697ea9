package award

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBandsMustReachEveryWinner: a prize pays every qualified enterprise, so
// its rank bands must have no upper end (the last band's to_rank is 0, "and
// every rank after"); a ranking's bands must reach its quota. A scheme that
// leaves winners without an amount is refused when the programme opens,
// naming the ranks left uncovered.
func TestBandsMustReachEveryWinner(t *testing.T) {
	known := map[string]int{"revenue": 2, "taxes": 2, "rd_spend": 2, "land": 2}
	cases := []struct {
		name   string
		kind   string
		quota  int
		bands  []Band
		reason string // "" when accepted; else a part of the Chinese reason
		value  string // the value the detail names
	}{
		{"prize, bands stop at 10", KindPrize, 0, []Band{{3, 300}, {10, 100}}, "第 11 名及以后", "11"},
		{"prize, one closed band", KindPrize, 0, []Band{{1, 300}}, "第 2 名及以后", "2"},
		{"prize, open last band", KindPrize, 0, []Band{{3, 300}, {0, 100}}, "", ""},
		{"prize, one open band", KindPrize, 0, []Band{{0, 100}}, "", ""},
		{"ranking short of its quota", KindRanking, 5, []Band{{3, 300}}, "第 4–5 名", "4–5"},
		{"ranking short by one", KindRanking, 4, []Band{{3, 300}}, "第 4 名", "4"},
		{"ranking reaches its quota", KindRanking, 3, []Band{{1, 300}, {3, 100}}, "", ""},
		{"ranking with an open last band", KindRanking, 20, []Band{{3, 300}, {0, 100}}, "", ""},
		{"open band not last", KindPrize, 0, []Band{{0, 100}, {5, 300}}, "递增", ""},
		{"no bands", KindPrize, 0, nil, "至少", ""},
	}
	for _, c := range cases {
		r := twoTerms()
		r.Money = MoneyRule{Kind: "bands", Bands: c.bands}
		err := r.Validate(c.kind, c.quota, known)
		if c.reason == "" {
			if err != nil {
				t.Errorf("%s: refused: %v %s", c.name, err, detailText(err))
			}
			continue
		}
		found := false
		for _, d := range asErr(err).Details {
			if strings.HasPrefix(d.Field, "money.bands") && strings.Contains(d.Reason, c.reason) && (c.value == "" || d.Value == c.value) && d.ReasonEN != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: err %v, details %+v: want money.bands naming %q (value %q)", c.name, err, asErr(err).Details, c.reason, c.value)
		}
	}
	open := MoneyRule{Kind: "bands", Bands: []Band{{3, 300}, {0, 100}}}
	for rank, want := range map[int]int64{1: 300, 3: 300, 4: 100, 1000: 100} {
		if got, _ := open.Amount(rank, 0); got != want {
			t.Errorf("open band: rank %d pays %d, want %d", rank, got, want)
		}
	}
}

// prizeWithBands is a prize programme in review over n enterprises ranked
// on one tax figure, with an open-ended band scheme (valid when it opens).
func prizeWithBands(t *testing.T, f *fixture, n int) (Programme, int64) {
	t.Helper()
	sup := f.mustCreateUser("sup", "supervisor", 0)
	for i := 0; i < n; i++ {
		e := f.mustCreateEnterprise(fmt.Sprintf("B%04d", i), fmt.Sprintf("名次段企业%d", i), "2010-01-01")
		f.fig(e, "taxes", 2022, int64(100+i))
	}
	ctx := f.as(sup)
	p := ok(f.S.CreateProgramme(ctx, NewProgramme{Year: 2023, NameZH: "经济贡献奖", Kind: KindPrize, BudgetFen: 100_000_00, NoticeDays: 1,
		Rules: Rules{DataYear: 2022, Money: MoneyRule{Kind: "bands", Bands: []Band{{1, 5_000_00}, {0, 1_000_00}}},
			Terms: []Term{{Code: "taxes", NameZH: "税收", Source: SourceFigure, Indicator: "taxes", Transform: TransformMinMax, Weight: 100}}}}))(t)
	ok(f.S.Advance(ctx, p.ID, StateOpen))(t)
	ok(f.S.Advance(ctx, p.ID, StateReview))(t)
	return p, sup
}

// TestBandsShortOfWinnersNeverGrantZero: a programme opened before bands
// were checked against every winner (its stored scheme stops at rank 3 of
// 5 winners) cannot publish its notice, and cannot be confirmed into 0-fen
// grants either: both refusals name the ranks left without an amount.
func TestBandsShortOfWinnersNeverGrantZero(t *testing.T) {
	f := newFixture(t)
	p, sup := prizeWithBands(t, f, 5)
	ctx := f.as(sup)
	f.exec("UPDATE award_programmes SET rules_json=$1 WHERE id=$2",
		`{"data_year":2022,"require_application":false,"eligibility":{"no_flag":false},`+
			`"terms":[{"code":"taxes","name_zh":"税收","source":"figure","indicator":"taxes","transform":"minmax","weight":100}],`+
			`"grading":{"enabled":false},"money":{"kind":"bands","bands":[{"to_rank":1,"amount_fen":500000},{"to_rank":3,"amount_fen":100000}]}}`, p.ID)
	ok(f.S.RankProgramme(ctx, p.ID))(t)
	_, err := f.S.Advance(ctx, p.ID, StateNotice)
	if e := asErr(err); e.Code != "conflict" || !strings.Contains(e.Msg, "第 4–5 名") || !strings.Contains(e.MsgEN, "ranks 4–5") {
		t.Fatalf("publishing with winners beyond the bands: %v (%s)", err, e.Msg)
	}
	if got := ok(f.S.Programme(ctx, p.ID))(t); got.State != StateReview {
		t.Fatalf("state after the refusal = %s", got.State)
	}
	// Published before the check existed: confirming must not make 0-fen grants.
	f.exec("UPDATE award_programmes SET state='notice', notice_from=$1, notice_until=$1 WHERE id=$2", f.now.UnixMilli(), p.ID)
	f.now = f.now.Add(48 * time.Hour)
	_, err = f.S.Advance(ctx, p.ID, StateConfirmed)
	if e := asErr(err); e.Code != "conflict" || !strings.Contains(e.Msg, "第 4–5 名") {
		t.Fatalf("confirming with winners beyond the bands: %v", err)
	}
	var grants int
	f.DB.R.QueryRow("SELECT COUNT(*) FROM award_grants WHERE programme_id=$1", p.ID).Scan(&grants)
	if grants != 0 {
		t.Fatalf("%d grants made by a refused confirmation", grants)
	}
}

// TestOpenBandPaysEveryPrizeWinner: with the open-ended last band every
// winner of a prize is granted an amount, none of them 0 fen.
func TestOpenBandPaysEveryPrizeWinner(t *testing.T) {
	f := newFixture(t)
	p, sup := prizeWithBands(t, f, 5)
	ctx := f.as(sup)
	ok(f.S.RankProgramme(ctx, p.ID))(t)
	ok(f.S.Advance(ctx, p.ID, StateNotice))(t)
	f.now = f.now.Add(48 * time.Hour)
	ok(f.S.Advance(ctx, p.ID, StateConfirmed))(t)
	grants := ok(f.S.Grants(ctx, p.ID, 0))(t)
	var got []int64
	for _, g := range grants {
		got = append(got, g.AmountFen)
	}
	if fmt.Sprint(got) != "[500000 100000 100000 100000 100000]" {
		t.Fatalf("grants = %v", got)
	}
}

// TestFormulaNeverGrantsZero: under a per-point formula the lowest-ranked
// prize winner (0 points after min–max) earns 0 fen; it keeps its place
// among the winners but gets no grant, and the audit log records why.
func TestFormulaNeverGrantsZero(t *testing.T) {
	f := newFixture(t)
	p, sup := prizeWithBands(t, f, 4)
	ctx := f.as(sup)
	f.exec("UPDATE award_programmes SET rules_json=$1 WHERE id=$2",
		`{"data_year":2022,"require_application":false,"eligibility":{"no_flag":false},`+
			`"terms":[{"code":"taxes","name_zh":"税收","source":"figure","indicator":"taxes","transform":"minmax","weight":100}],`+
			`"grading":{"enabled":false},"money":{"kind":"formula","per_point_fen":10000,"cap_fen":2000000}}`, p.ID)
	ok(f.S.RankProgramme(ctx, p.ID))(t)
	ok(f.S.Advance(ctx, p.ID, StateNotice))(t)
	f.now = f.now.Add(48 * time.Hour)
	ok(f.S.Advance(ctx, p.ID, StateConfirmed))(t)
	grants := ok(f.S.Grants(ctx, p.ID, 0))(t)
	if len(grants) != 3 {
		t.Fatalf("%d grants for 4 winners, one of them at 0 points: %+v", len(grants), grants)
	}
	for _, g := range grants {
		if g.AmountFen <= 0 {
			t.Fatalf("a %d-fen grant: %+v", g.AmountFen, g)
		}
	}
	var n int
	f.DB.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action='award.grant.none' AND object_id=$1", idStr(p.ID)).Scan(&n)
	if n != 1 {
		t.Fatalf("audit entries for winners without a grant: %d", n)
	}
}
