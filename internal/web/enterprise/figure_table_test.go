package enterprise

import (
	"reflect"
	"strings"
	"testing"

	"gaoxin/internal/web"

	"gaoxin/internal/enterprise"
)

// figureTable, by hand: effective whole-year values only, newest year
// first, a blank cell where a year lacks an indicator, money in 元/万元,
// others in their unit's scale, the source named; the chart takes the
// first four money indicators that have a value, years ascending, in 万元
// with gaps.
func TestFigureTableByHand(t *testing.T) {
	money := func(code string) enterprise.Indicator {
		return enterprise.Indicator{Code: code, NameZH: code + "中", NameEN: code, Unit: "元", Scale: 2}
	}
	inds := []enterprise.Indicator{money("m1"), {Code: "emp", NameZH: "人数", NameEN: "staff", Unit: "人"}, money("m2"), money("m3"),
		{Code: "pct", NameZH: "比例", NameEN: "share", Unit: "%", Scale: 1}, money("m4"), money("m5"), money("m6")}
	fig := func(ind string, year, month int, src enterprise.Source, v int64, eff bool) enterprise.Figure {
		return enterprise.Figure{Indicator: ind, Year: year, Month: month, Source: src, Value: v, Effective: eff, Status: enterprise.Confirmed}
	}
	figs := []enterprise.Figure{
		fig("m1", 2023, 0, enterprise.FromStats, 1_500_000_00, true),
		fig("m1", 2023, 0, enterprise.FromStaff, 1_400_000_00, false), // outranked
		fig("m1", 2021, 0, enterprise.FromTax, 12_345, true),
		fig("m1", 2022, 6, enterprise.FromStats, 9, true), // a month: not in the table
		fig("emp", 2022, 0, enterprise.FromStaff, 80, true),
		fig("pct", 2021, 0, enterprise.FromStats, 125, true),
		fig("m3", 2022, 0, enterprise.FromStats, -2_000_000, true),
		fig("m4", 2023, 0, enterprise.FromStats, 1, true),
		fig("m5", 2021, 0, enterprise.FromStats, 3_000_000, true),
		fig("m6", 2021, 0, enterprise.FromStats, 4_000_000, true), // a fifth money series: left out
		fig("other", 2020, 0, enterprise.FromStats, 5, true),      // unknown indicator: its year stays, blank
	}
	L := web.Page{Lang: "en"}.L
	rows, svg := figureTable(inds, figs, L)
	cell := func(text, src string) figCell { return figCell{Text: text, Source: src, Has: true} }
	none := figCell{}
	want := []yearRow{
		{2023, []figCell{cell("150.00 万元", "statistics bureau"), none, none, none, none, cell("0.01 元", "statistics bureau"), none, none}},
		{2022, []figCell{none, cell("80", "staff"), none, cell("-2.00 万元", "statistics bureau"), none, none, none, none}},
		{2021, []figCell{cell("123.45 元", "tax office"), none, none, none, cell("12.5", "statistics bureau"), none, cell("3.00 万元", "statistics bureau"), cell("4.00 万元", "statistics bureau")}},
		{2020, []figCell{none, none, none, none, none, none, none, none}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", rows, want)
	}
	s := string(svg)
	for _, name := range []string{">m1<", ">m3<", ">m4<", ">m5<", "Main figures (10k yuan)", ">2020<", ">2023<"} {
		if !strings.Contains(s, name) {
			t.Errorf("chart lacks %s: %s", name, s)
		}
	}
	if strings.Contains(s, ">m6<") || strings.Contains(s, ">m2<") || strings.Count(s, "<path") != 4 {
		t.Errorf("chart has a fifth or an empty series: %s", s)
	}
	// m1 over 2020–2023: a gap, 0.012345, a gap, 150 (万元).
	if !strings.Contains(s, "m1 2021: 0.01<") || !strings.Contains(s, "m1 2023: 150<") || strings.Contains(s, "m1 2020") || strings.Contains(s, "m1 2022") {
		t.Errorf("m1's points: %s", s)
	}
	if rows, svg := figureTable(inds, nil, L); rows != nil || svg != "" {
		t.Errorf("no figures: %v %q", rows, svg)
	}
}

// The sources table shows, unless every value is asked for, the periods
// that need a look: one with a pending or rejected value, or with values
// from more than one source; each such period with all its values.
func TestFigureRowsShowPeriodsToLookAt(t *testing.T) {
	fig := func(ind string, year, month int, src enterprise.Source, status string) enterprise.Figure {
		return enterprise.Figure{Indicator: ind, Year: year, Month: month, Source: src, Status: status, Value: 1}
	}
	ok, pend, rej := enterprise.Confirmed, enterprise.Pending, enterprise.Rejected
	p := detailPage{page: page{Page: web.Page{Lang: "en"}}, indByCode: map[string]enterprise.Indicator{}}
	p.Figures = []enterprise.Figure{ // sorted by period, as Detail returns them
		fig("emp", 2023, 0, enterprise.FromStats, ok),  // alone: hidden
		fig("rev", 2023, 0, enterprise.FromStats, ok),  // two sources: shown
		fig("rev", 2023, 0, enterprise.FromStaff, ok),  //
		fig("rev", 2023, 3, enterprise.FromSelf, pend), // pending: shown
		fig("emp", 2022, 0, enterprise.FromTax, ok),    // alone: hidden
		fig("rev", 2022, 0, enterprise.FromStaff, ok),  // with a rejected one: shown
		fig("rev", 2022, 0, enterprise.FromSelf, rej),  //
		fig("tax", 2022, 0, enterprise.FromStats, ok),  // alone: hidden
		fig("tax", 2021, 0, enterprise.FromStats, ok),  // same indicator, another year: hidden
	}
	got := ""
	for _, r := range p.figureRows(false) {
		got += r.Period + "/" + r.Code + "/" + r.Source + " "
	}
	if want := "2023/rev/statistics bureau 2023/rev/staff 2023-3/rev/self-reported 2022/rev/staff 2022/rev/self-reported "; got != want {
		t.Errorf("rows to look at\n got %s\nwant %s", got, want)
	}
	if n := len(p.figureRows(true)); n != len(p.Figures) {
		t.Errorf("every value: %d rows of %d", n, len(p.Figures))
	}
}
