package plan

import (
	"fmt"
	"testing"
	"time"

	"gaoxin/internal/errs"
	"gaoxin/internal/office/officetest"
)

func ip(v int) *int { return &v }

func d(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCheckWeights(t *testing.T) {
	cases := []struct {
		name    string
		weights []*int
		ok      bool
	}{
		{"no children", nil, true},
		{"all unset", []*int{nil, nil, nil}, true},
		{"one child 100", []*int{ip(100)}, true},
		{"one child 50", []*int{ip(50)}, false},
		{"sum 100 with a zero", []*int{ip(100), ip(0)}, true},
		{"all zero", []*int{ip(0), ip(0)}, false},
		{"sum 99", []*int{ip(33), ip(33), ip(33)}, false},
		{"sum 101", []*int{ip(50), ip(51)}, false},
		{"mixed set and unset", []*int{ip(100), nil}, false},
		{"negative", []*int{ip(-10), ip(110)}, false},
		{"exact 100", []*int{ip(30), ip(30), ip(40)}, true},
	}
	for _, tc := range cases {
		err := CheckWeights(tc.weights)
		if tc.ok != (err == nil) {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil {
			e := errs.As(err)
			if e.Code != errs.Invalid || e.Field != "weight" || e.Msg == "" || e.MsgEN == "" {
				t.Errorf("%s: error %+v should be Invalid, name field weight, in zh and en", tc.name, e)
			}
		}
	}
}

func TestRollup(t *testing.T) {
	cases := []struct {
		name     string
		children []Child
		want     int
	}{
		{"no children", nil, 0},
		{"one child", []Child{{nil, 425}}, 425},
		{"one child weight 100", []Child{{ip(100), 333}}, 333},
		// equal shares: (1000 + 0 + 500) / 3 = 500
		{"equal shares", []Child{{nil, 1000}, {nil, 0}, {nil, 500}}, 500},
		// (1000 + 0 + 1) / 3 = 333.67 → 334 (half up on tenths)
		{"equal shares rounding", []Child{{nil, 1000}, {nil, 0}, {nil, 1}}, 334},
		// 100 + 0 = 2 children: (1 + 0)/2 = 0.5 → 1
		{"equal shares half", []Child{{nil, 1}, {nil, 0}}, 1},
		// 70×1000 + 30×0 = 70000 / 100 = 700
		{"weighted", []Child{{ip(70), 1000}, {ip(30), 0}}, 700},
		// a zero weight contributes nothing: 100×250 + 0×1000 → 250
		{"zero weight", []Child{{ip(100), 250}, {ip(0), 1000}}, 250},
		// 33×505 + 67×0 = 16665 → 166.65 → 167
		{"weighted rounding", []Child{{ip(33), 505}, {ip(67), 0}}, 167},
	}
	for _, tc := range cases {
		if got := Rollup(tc.children); got != tc.want {
			t.Errorf("%s: Rollup = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestComputeFlag(t *testing.T) {
	// A task from 1 Jan to 31 Dec 2023 (364 days); margin 10 points.
	base := FlagInput{Start: d("2023-01-01"), Due: d("2023-12-31"), MarginPct: 10}
	with := func(f func(*FlagInput)) FlagInput { in := base; f(&in); return in }
	cases := []struct {
		name string
		in   FlagInput
		want Flag
	}{
		{"done is green even past deadline", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2024-02-01"), 1000 }), Green},
		{"day after deadline, 99% → red", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2024-01-01"), 990 }), Red},
		{"deadline today, not done → blue not red", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2023-12-31"), 950 }), Blue},
		{"deadline in 3 days → blue", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2023-12-28"), 950 }), Blue},
		{"deadline in 4 days → green", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2023-12-27"), 950 }), Green},
		// 1 Jul: 181 of 364 days = 497 tenths; progress 397 is exactly 10 points behind → not yellow
		{"behind exactly the margin → green", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2023-07-01"), 397 }), Green},
		{"behind by more than the margin → yellow", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2023-07-01"), 396 }), Yellow},
		{"ahead → green", with(func(in *FlagInput) { in.AsOf, in.Progress = d("2023-07-01"), 800 }), Green},
		{"before the start → green at 0%", with(func(in *FlagInput) { in.AsOf, in.Start = d("2023-03-01"), d("2023-04-01") }), Green},
		{"report missing → yellow", with(func(in *FlagInput) { in.AsOf, in.Progress, in.Missing = d("2023-07-01"), 600, []string{"2023-05"} }), Yellow},
		{"returned twice → yellow", with(func(in *FlagInput) { in.AsOf, in.Progress, in.ReturnedTwice = d("2023-07-01"), 600, true }), Yellow},
		{"report due in 3 days → blue", with(func(in *FlagInput) {
			in.AsOf, in.Progress, in.NextReportDue = d("2023-07-02"), 600, d("2023-07-05")
		}), Blue},
		{"report due in 4 days → green", with(func(in *FlagInput) {
			in.AsOf, in.Progress, in.NextReportDue = d("2023-07-01"), 600, d("2023-07-05")
		}), Green},
		{"red beats yellow", with(func(in *FlagInput) {
			in.AsOf, in.Missing, in.ReturnedTwice = d("2024-01-05"), []string{"2023-11"}, true
		}), Red},
		{"one-day task on its day", FlagInput{Start: d("2023-05-05"), Due: d("2023-05-05"), AsOf: d("2023-05-05"), MarginPct: 10}, Yellow},
	}
	for _, tc := range cases {
		got, zh, en := ComputeFlag(tc.in)
		if got != tc.want || zh == "" || en == "" {
			t.Errorf("%s: flag %s (%s / %s), want %s", tc.name, got, zh, en, tc.want)
		}
	}
}

// TestMissingReportReason: the yellow flag names every period never
// reported, oldest first, and counts them when there are many.
func TestMissingReportReason(t *testing.T) {
	base := FlagInput{Start: d("2023-01-01"), Due: d("2023-12-31"), MarginPct: 10, AsOf: d("2023-07-10"), Progress: 600}
	cases := []struct {
		missing []string
		zh, en  string
	}{
		{[]string{"2023-05"}, "逾期未报送 2023-05 进展报告", "report for 2023-05 is overdue"},
		{[]string{"2023-02", "2023-05"}, "逾期未报送 2023-02、2023-05 进展报告", "reports for 2023-02, 2023-05 are overdue"},
		{[]string{"2023-01", "2023-02", "2023-03", "2023-04", "2023-06"}, "逾期未报送 2023-01、2023-02、2023-03 等 5 期进展报告",
			"reports for 2023-01, 2023-02, 2023-03 and 2 more periods are overdue"},
	}
	for _, c := range cases {
		in := base
		in.Missing = c.missing
		flag, zh, en := ComputeFlag(in)
		if flag != Yellow || zh != c.zh || en != c.en {
			t.Errorf("missing %v: %s %q %q, want yellow %q %q", c.missing, flag, zh, en, c.zh, c.en)
		}
	}
}

func TestElapsed(t *testing.T) {
	cases := []struct {
		start, due, asOf string
		want             int
	}{
		{"2023-01-01", "2023-12-31", "2022-12-01", 0},
		{"2023-01-01", "2023-12-31", "2023-01-01", 0},
		{"2023-01-01", "2023-12-31", "2023-07-01", 497}, // 181×1000/364
		{"2023-01-01", "2023-12-31", "2023-12-31", 1000},
		{"2023-01-01", "2023-12-31", "2024-03-01", 1000},
		{"2023-05-05", "2023-05-05", "2023-05-05", 1000}, // zero-length task on its day
		{"2023-05-05", "2023-05-05", "2023-05-04", 0},
	}
	for _, tc := range cases {
		if got := Elapsed(d(tc.start), d(tc.due), d(tc.asOf)); got != tc.want {
			t.Errorf("Elapsed(%s, %s, %s) = %d, want %d", tc.start, tc.due, tc.asOf, got, tc.want)
		}
	}
}

func TestSchedule(t *testing.T) {
	ps := Schedule("monthly", d("2023-03-15"), d("2023-06-30"), 5)
	keys := ""
	for _, p := range ps {
		keys += p.Key + "@" + p.Due + " "
	}
	if want := "2023-03@2023-04-05 2023-04@2023-05-05 2023-05@2023-06-05 2023-06@2023-07-05 "; keys != want {
		t.Fatalf("monthly schedule %q, want %q", keys, want)
	}
	qs := Schedule("quarterly", d("2023-02-01"), d("2023-12-31"), 31)
	keys = ""
	for _, p := range qs {
		keys += p.Key + "@" + p.Due + " "
	}
	// due day clamped to 28; Q4's report falls in January of the next year
	if want := "2023-Q1@2023-04-28 2023-Q2@2023-07-28 2023-Q3@2023-10-28 2023-Q4@2024-01-28 "; keys != want {
		t.Fatalf("quarterly schedule %q, want %q", keys, want)
	}
	filed := map[string]bool{"2023-03": true}
	// On 2023-06-10: April and May are past due and both missing.
	missing, next := ScheduleState(ps, filed, d("2023-06-10"))
	if fmt.Sprint(missing) != "[2023-04 2023-05]" || next.Format(dateLayout) != "2023-07-05" {
		t.Fatalf("missing %q next %s", missing, next)
	}
	// Filing May does not excuse April: a period never reported stays missing.
	filed["2023-05"] = true
	if missing, _ = ScheduleState(ps, filed, d("2023-06-10")); fmt.Sprint(missing) != "[2023-04]" {
		t.Fatalf("missing %q after filing May", missing)
	}
	filed["2023-04"] = true
	if missing, _ = ScheduleState(ps, filed, d("2023-06-10")); len(missing) != 0 {
		t.Fatalf("missing %q with every period filed", missing)
	}
	// On the due day itself the report is not yet missing.
	if missing, _ = ScheduleState(ps, map[string]bool{"2023-03": true}, d("2023-05-05")); len(missing) != 0 {
		t.Fatalf("on the due day: missing %q", missing)
	}
}

func TestScoreCounts(t *testing.T) {
	st := DefaultSettings // 40/30/30, 5 points per red
	cases := []struct {
		name                                                string
		done, completable, onTime, late, repOn, repDue, red int
		c, o, r, score                                      int
	}{
		{"nothing due yet: full marks", 0, 0, 0, 0, 0, 0, 0, 1000, 1000, 1000, 1000},
		// completion 1/2 = 500, on time 1/1 = 1000, reports 3/4 = 750
		// (40×500 + 30×1000 + 30×750)/100 = 725 tenths
		{"half done", 1, 2, 1, 0, 3, 4, 0, 500, 1000, 750, 725},
		// completion 1/3 = 333.3 → 333; on time 1/2 = 500; reports 2/3 = 666.7 → 667
		// (40×333 + 30×500 + 30×667)/100 = 483.3 → 483; − 5×1×10 = 433
		{"one red", 1, 3, 1, 1, 2, 3, 1, 333, 500, 667, 433},
		{"clamped at zero", 0, 5, 0, 5, 0, 10, 5, 0, 0, 0, 0},
	}
	for _, tc := range cases {
		c, o, r, s := ScoreCounts(st, tc.done, tc.completable, tc.onTime, tc.late, tc.repOn, tc.repDue, tc.red)
		if c != tc.c || o != tc.o || r != tc.r || s != tc.score {
			t.Errorf("%s: got %d %d %d score %d, want %d %d %d score %d", tc.name, c, o, r, s, tc.c, tc.o, tc.r, tc.score)
		}
	}
}

func TestCheckFile(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	cases := []struct {
		name, file string
		data       []byte
		max        int64
		code       errs.Code
	}{
		{"pdf ok", "evidence.pdf", pdf, 1024, ""},
		{"png ok", "photo.PNG", png, 1024, ""},
		{"too large", "evidence.pdf", pdf, 10, errs.TooLarge},
		{"empty", "evidence.pdf", nil, 1024, errs.Invalid},
		{"exe refused", "tool.exe", []byte("MZ\x90\x00"), 1024, errs.Invalid},
		{"html named pdf refused", "fake.pdf", []byte("<html><script>alert(1)</script></html>"), 1024, errs.Invalid},
		{"png named jpg refused", "photo.jpg", png, 1024, errs.Invalid},
		{"docx ok", "报告.docx", officetest.Archive(t, "[Content_Types].xml", "word/document.xml"), 4096, ""},
		{"archive named docx refused", "报告.docx", officetest.Archive(t, "setup.exe"), 4096, errs.Invalid},
		{"workbook named pptx refused", "汇报.pptx", officetest.Archive(t, "[Content_Types].xml", "xl/workbook.xml"), 4096, errs.Invalid},
	}
	for _, tc := range cases {
		_, err := CheckFile(tc.file, tc.data, tc.max)
		if errs.CodeOf(err) != tc.code {
			t.Errorf("%s: code %q (%v), want %q", tc.name, errs.CodeOf(err), err, tc.code)
		}
		if err != nil && errs.As(err).Field != "file" {
			t.Errorf("%s: error should name field file: %+v", tc.name, errs.As(err))
		}
	}
}
