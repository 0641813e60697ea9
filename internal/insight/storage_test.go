package insight

import (
	"context"
	"maps"
	"testing"

	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
)

// A row groups the years that hold the same, in the order of their first
// year, and reads back as it was.
func TestPresenceRow(t *testing.T) {
	byYear := map[int]string{
		2023: "revenue=stats",
		2021: "energy=power;revenue=stats,tax",
		2022: "energy=power;revenue=stats,tax",
		2020: "revenue=stats",
	}
	row := presenceRow(byYear)
	if want := "2020,2023:revenue=stats|2021,2022:energy=power;revenue=stats,tax"; row != want {
		t.Fatalf("row %q, want %q", row, want)
	}
	back := map[int]string{}
	if err := parsePresenceRow(row, func(y int, v string) { back[y] = v }); err != nil || !maps.Equal(back, byYear) {
		t.Fatalf("read back %v (%v), want %v", back, err, byYear)
	}
	for _, bad := range []string{"", "2020", "x:revenue=stats", "2020:a|y:b"} {
		if err := parsePresenceRow(bad, func(int, string) {}); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
}

// 0750_insight_presence.sql moves the per-year rows kept so far into one
// row per enterprise, spelled as presenceRow spells it, on both databases.
func TestPresenceMigration(t *testing.T) {
	ctx := context.Background()
	d := migratedTo(t, 749)
	old := map[int64]map[int]string{
		7: {2021: "revenue=stats", 2022: "energy=power;revenue=stats,tax", 2023: "revenue=stats", 2024: "revenue=stats"},
		9: {2019: "patents=ipr"},
	}
	for id, years := range old {
		for y, v := range years {
			if _, err := d.W.ExecContext(ctx, "INSERT INTO insight_source_facts (enterprise_id, year, vals) VALUES ($1, $2, $3)", id, y, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := d.R.QueryContext(ctx, "SELECT enterprise_id, vals FROM insight_source_presence ORDER BY enterprise_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		if want := presenceRow(old[id]); v != want {
			t.Errorf("enterprise %d: %q, want %q", id, v, want)
		}
		n++
	}
	if n != len(old) {
		t.Fatalf("%d rows moved, want %d", n, len(old))
	}
}

// A contributions row holds each year on a line of its own, in year
// order, and reads back as it was; now and latest say whether year 0 is
// among them and the latest other year.
func TestContributionRows(t *testing.T) {
	a := facts{Chains: []string{"3", "12"}, Direct: []int64{12}, Area: "5", Section: "C", Div: "30", Size: SizeSmall, Cohort: "2015", Tiers: []string{None},
		Values: map[string]int64{"revenue": 500, "taxes": 20}}
	b := a
	b.Size, b.Tiers, b.Values = SizeMedium, []string{"hnte"}, map[string]int64{"revenue": 900}
	now := a
	now.Values = nil
	all := map[factKey]facts{{7, 2022}: b, {7, 0}: now, {7, 2021}: a, {9, 2020}: a, {11, 0}: now}
	rows := contributionRows(all, map[int64]bool{7: true, 9: true})
	if len(rows) != 2 || rows[0][0] != int64(7) || rows[1][0] != int64(9) {
		t.Fatalf("rows %v", rows)
	}
	if rows[0][1] != 1 || rows[0][2] != 2022 || rows[1][1] != 0 || rows[1][2] != 2020 {
		t.Fatalf("now and latest: %v, %v", rows[0][1:3], rows[1][1:3])
	}
	body := rows[0][3].(string)
	if want := "0\t3,12;12;5;C;30;small;2015;-\t\n2021\t3,12;12;5;C;30;small;2015;-\trevenue=500,taxes=20\n2022\t3,12;12;5;C;30;medium;2015;hnte\trevenue=900"; body != want {
		t.Fatalf("body %q, want %q", body, want)
	}
	back := map[int]facts{}
	if err := parseContributions(body, func(y int, f facts) { back[y] = f }); err != nil || len(back) != 3 {
		t.Fatalf("read back %v (%v)", back, err)
	}
	for y, f := range back {
		if !sameFacts(&f, ptr(all[factKey{7, y}])) {
			t.Errorf("year %d read back as %+v", y, f)
		}
	}
	if len(contributionRows(all, nil)) != 3 {
		t.Fatal("every enterprise's row not listed")
	}
	for _, bad := range []string{"", "2021", "2021\tx", "y\t3;12;5;C;30;small;2015;-\t"} {
		if err := parseContributions(bad, func(int, facts) {}); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// 0760_insight_contributions.sql moves the per-year rows kept so far into
// one row per enterprise, as contributionRows spells it, on both
// databases.
func TestContributionsMigration(t *testing.T) {
	ctx := context.Background()
	d := migratedTo(t, 759)
	a := facts{Chains: []string{"3"}, Direct: []int64{3}, Area: "5", Section: "C", Div: "30", Size: SizeSmall, Cohort: "2015", Tiers: []string{None},
		Values: map[string]int64{"revenue": 500}}
	now := a
	now.Values = nil
	all := map[factKey]facts{{7, 0}: now, {7, 2021}: a, {7, 2023}: a, {9, 2020}: a}
	for k, f := range all {
		dims, vals := f.encode()
		if _, err := d.W.ExecContext(ctx, "INSERT INTO insight_facts (enterprise_id, year, dims, vals) VALUES ($1, $2, $3, $4)", k.id, k.year, dims, vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	want := contributionRows(all, nil)
	rows, err := d.R.QueryContext(ctx, "SELECT enterprise_id, now, latest, body FROM insight_contributions ORDER BY enterprise_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for ; rows.Next(); n++ {
		var id int64
		var nowN, latest int
		var body string
		if err := rows.Scan(&id, &nowN, &latest, &body); err != nil {
			t.Fatal(err)
		}
		if n >= len(want) || id != want[n][0] || nowN != want[n][1] || latest != want[n][2] || body != want[n][3] {
			t.Errorf("row %d: %d %d %d %q, want %v", n, id, nowN, latest, body, want[min(n, len(want)-1)])
		}
	}
	if n != len(want) {
		t.Fatalf("%d rows moved, want %d", n, len(want))
	}
}

// migratedTo is a fresh database migrated up to version last, closed at
// the test's end.
func migratedTo(t *testing.T, last int) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dbtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.MigrateTo(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	return d
}
