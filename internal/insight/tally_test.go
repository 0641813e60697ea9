package insight

import (
	"strconv"
	"strings"
	"testing"

	"gaoxin/internal/enterprise"
)

// benchFacts makes n contributions spread as a zone's are: a few chain
// nodes with their ancestors, an area, an industry, a size, a cohort, a
// tier or none, and ten indicators.
func benchFacts(n int) []facts {
	out := make([]facts, n)
	sizes := []string{SizeLarge, SizeMedium, SizeSmall, SizeMicro, None}
	tiers := [][]string{{None}, {"hnte"}, {"hnte", "gazelle"}, {"sme_tech"}}
	inds := []string{"revenue", "tax", "rd", "energy", "employees", "output", "profit", "assets", "land", "export"}
	for i := range out {
		root := i % 12
		leaf := 100 + i%150
		vals := map[string]int64{}
		for k, ind := range inds {
			vals[ind] = int64(i*7 + k)
		}
		out[i] = facts{
			Chains:  []string{strconv.Itoa(root), strconv.Itoa(leaf)},
			Direct:  []int64{int64(leaf)},
			Area:    strconv.Itoa(i % 9),
			Section: string(rune('A' + i%20)),
			Div:     strconv.Itoa(10 + i%90),
			Size:    sizes[i%len(sizes)],
			Cohort:  strconv.Itoa(1990 + i%35),
			Tiers:   tiers[i%len(tiers)],
			Values:  vals,
		}
	}
	return out
}

// BenchmarkTallyAdd adds one year's contributions to a tally, as a
// rebuild does for each enterprise and year.
func BenchmarkTallyAdd(b *testing.B) {
	fs := benchFacts(10000)
	b.ReportAllocs()
	for b.Loop() {
		t := newTally()
		for i := range fs {
			t.add(2022, &fs[i], 1)
		}
	}
}

// TestTallySumsEveryCell checks the tally against sums worked out cell by
// cell: each dimension alone and each pair, added and taken off again.
func TestTallySumsEveryCell(t *testing.T) {
	fs := benchFacts(500)
	ta := newTally()
	for i := range fs {
		ta.add(2022+i%2, &fs[i], 1)
	}
	ta.add(2022, &fs[3], -1) // taken off again: counts as 2023's only
	ta.add(2022, &fs[3], 1)
	want := map[int]map[cellID]int64{}
	for i, f := range fs {
		y := 2022 + i%2
		if want[y] == nil {
			want[y] = map[cellID]int64{}
		}
		for a := range Dims {
			for _, x := range f.values(a) {
				want[y][cellID{Dims[a], x}] += f.Values["revenue"]
				for b := a + 1; b < len(Dims); b++ {
					for _, z := range f.values(b) {
						want[y][cellID{Dims[a] + "|" + Dims[b], x + "|" + z}] += f.Values["revenue"]
					}
				}
			}
		}
	}
	got := ta.cells()
	for y, cells := range want {
		n := 0
		for _, v := range got[y] {
			if (*v)[0] != 0 {
				n++ // cells fs[3] left at zero in 2022 are not counted
			}
		}
		if n != len(cells) {
			t.Fatalf("year %d: %d cells, want %d", y, n, len(cells))
		}
		for id, rev := range cells {
			v := got[y][id]
			if v == nil {
				t.Fatalf("year %d: no cell %v", y, id)
			}
			if s := ta.l.sums(*v); s.Sum["revenue"] != rev {
				t.Fatalf("year %d cell %v: revenue %d, want %d", y, id, s.Sum["revenue"], rev)
			}
		}
	}
}

// BenchmarkContributionRows spells the contributions' rows of 1,000
// enterprises with eleven years each, as a rebuild does for every batch.
func BenchmarkContributionRows(b *testing.B) {
	fs := benchFacts(1000)
	all := make(map[factKey]facts, len(fs)*11)
	for i, f := range fs {
		for y := 2013; y <= 2023; y++ {
			k := factKey{int64(i + 1), y}
			if y == 2013 {
				k.year = 0
			}
			all[k] = f
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if rows := contributionRows(all, nil); len(rows) != len(fs) {
			b.Fatalf("%d rows", len(rows))
		}
	}
}

// benchSourceValues lists n enterprises' values as the registry gives
// them (by enterprise, indicator, year and source rank): ten indicators
// over ten years, every fifth value from two sources that disagree.
func benchSourceValues(n int) [][]enterprise.SourceValue {
	inds := []string{"assets", "employees", "energy", "export", "land", "output", "profit", "rd", "revenue", "tax"}
	var part []enterprise.SourceValue
	var out [][]enterprise.SourceValue
	for id := int64(1); id <= int64(n); id++ {
		for k, ind := range inds {
			for y := 2014; y <= 2023; y++ {
				v := id*1000 + int64(k*10+y)
				part = append(part, enterprise.SourceValue{EnterpriseID: id, Indicator: ind, Year: y, Source: enterprise.FromStats, Value: v})
				if (k+y)%5 == 0 {
					part = append(part, enterprise.SourceValue{EnterpriseID: id, Indicator: ind, Year: y, Source: enterprise.FromTax, Value: v * 2})
				}
			}
		}
		if id%500 == 0 {
			out, part = append(out, part), nil
		}
	}
	if len(part) > 0 {
		out = append(out, part)
	}
	return out
}

// TestSourcesOfYearsInIndicatorOrder holds sourcesOf's presence to each
// year's indicators in order with their sources, and its conflicts to the
// values whose sources disagree.
func TestSourcesOfYearsInIndicatorOrder(t *testing.T) {
	vals := benchSourceValues(3)
	presence, found := sourcesOf(vals, 10)
	if len(presence) != 3*10 {
		t.Fatalf("%d enterprise-years, want 30", len(presence))
	}
	// Spelled by hand: held.encode would put the indicators in order.
	var got string
	for i, h := range presence[factKey{2, 2020}] {
		if i > 0 {
			got += ";"
		}
		got += h.ind + "=" + strings.Join(h.srcs, ",")
	}
	want := "assets=stats,tax;employees=stats;energy=stats;export=stats;land=stats;output=stats,tax;profit=stats;rd=stats;revenue=stats;tax=stats"
	if got != want {
		t.Fatalf("2020 of enterprise 2:\n%s\nwant\n%s", got, want)
	}
	// Two sources on every fifth value, all disagreeing by half.
	if len(found) != 3*20 {
		t.Fatalf("%d conflicts, want 60", len(found))
	}
	if c, ok := found[srcKey{3, "output", 2020}]; !ok || c.vals != "stats=5070,tax=10140" {
		t.Fatalf("conflict of enterprise 3, output 2020: %+v %v", c, ok)
	}
}

// BenchmarkSourcesOf works out the sources' presence of 1,000
// enterprises, as a rebuild does for every batch.
func BenchmarkSourcesOf(b *testing.B) {
	vals := benchSourceValues(1000)
	b.ReportAllocs()
	for b.Loop() {
		if p, _ := sourcesOf(vals, 10); len(p) != 10000 {
			b.Fatalf("%d enterprise-years", len(p))
		}
	}
}
