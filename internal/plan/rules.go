package plan

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/errs"
)

// This file holds the plan's rules as pure functions: weight checks, the
// progress roll-up, the reporting schedule and the task flag. They take
// everything they need as arguments so the tests can compute them by hand.

// Full is 100 % in tenths of a percent, the unit of every progress value.
const Full = 1000

// Child is what the roll-up needs of one child: its weight (nil when unset)
// and its progress in tenths of a percent.
type Child struct {
	Weight   *int
	Progress int
}

// CheckWeights enforces the sibling rule: either every weight is unset
// (equal shares) or every weight is set, none negative, and they sum to 100.
// Errors: Invalid naming the field "weight".
func CheckWeights(weights []*int) error {
	set, sum := 0, 0
	for _, w := range weights {
		if w == nil {
			continue
		}
		if *w < 0 || *w > 100 {
			return errs.Field("weight", fmt.Sprintf("权重须在 0–100 之间，收到 %d", *w),
				fmt.Sprintf("weight must be between 0 and 100, got %d", *w))
		}
		set++
		sum += *w
	}
	switch {
	case set == 0:
		return nil
	case set < len(weights):
		return errs.Field("weight", fmt.Sprintf("同级节点的权重须全部填写或全部留空（现有 %d 个中 %d 个已填）", len(weights), set),
			fmt.Sprintf("sibling weights must be all set or all unset (%d of %d are set)", set, len(weights)))
	case sum != 100:
		return errs.Field("weight", fmt.Sprintf("同级节点的权重之和须为 100，现为 %d", sum),
			fmt.Sprintf("sibling weights must sum to 100, they sum to %d", sum))
	}
	return nil
}

// Rollup is the weighted mean of the children's progress, in tenths of a
// percent, rounded half up to a whole tenth. Unset weights mean equal
// shares. It assumes CheckWeights passed; no children gives 0.
//
// Rounding rule: each level rounds once, from its children's already
// rounded values, so a node's figure is reproducible from the figures shown
// beside its children.
func Rollup(children []Child) int {
	if len(children) == 0 {
		return 0
	}
	if children[0].Weight == nil {
		sum := 0
		for _, c := range children {
			sum += c.Progress
		}
		n := len(children)
		return (sum + n/2) / n
	}
	sum := 0
	for _, c := range children {
		sum += *c.Weight * c.Progress
	}
	return (sum + 50) / 100
}

// Flag is a task's supervision colour.
type Flag string

// Flags, worst first.
const (
	Red    Flag = "red"    // past deadline and not done
	Yellow Flag = "yellow" // behind schedule, report missing, or returned twice in a row
	Blue   Flag = "blue"   // deadline or a report due within 3 days
	Green  Flag = "green"  // on track or done
)

// rank orders flags for "worst of".
func (f Flag) rank() int {
	switch f {
	case Red:
		return 3
	case Yellow:
		return 2
	case Blue:
		return 1
	}
	return 0
}

// Worse returns the worse of two flags.
func Worse(a, b Flag) Flag {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Label is the flag's name in Chinese and English.
func (f Flag) Label() (zh, en string) {
	switch f {
	case Red:
		return "红牌（逾期）", "red (overdue)"
	case Yellow:
		return "黄牌（滞后）", "yellow (behind)"
	case Blue:
		return "蓝牌（临近）", "blue (due soon)"
	}
	return "绿牌（正常）", "green (on track)"
}

// FlagInput is everything the flag rule looks at for one task.
type FlagInput struct {
	AsOf, Start, Due time.Time // dates (midnight); Start may be zero
	Progress         int       // tenths of a percent
	MarginPct        int       // yellow when behind the elapsed share by more than this many points
	Missing          []string  // every period whose report is past its due day and not filed, oldest first
	NextReportDue    time.Time // due day of the next report not yet filed; zero for none
	ReturnedTwice    bool      // the last two review decisions were both "return"
}

// SoonDays is how close a deadline or report due day makes a task blue.
const SoonDays = 3

// ComputeFlag applies the flag rules in order: done is green; red, then
// yellow, then blue; green otherwise. It returns the flag and a bilingual
// reason.
func ComputeFlag(in FlagInput) (Flag, string, string) {
	if in.Progress >= Full {
		return Green, "已完成", "done"
	}
	if in.AsOf.After(in.Due) {
		return Red, fmt.Sprintf("已过截止日期 %s 未完成", in.Due.Format(dateLayout)),
			fmt.Sprintf("past its deadline %s and not done", in.Due.Format(dateLayout))
	}
	if el := Elapsed(in.Start, in.Due, in.AsOf); el-in.Progress > in.MarginPct*10 {
		return Yellow, fmt.Sprintf("进度 %s 落后于时间进度 %s 超过 %d 个百分点", Pct(in.Progress), Pct(el), in.MarginPct),
			fmt.Sprintf("progress %s is behind the elapsed time %s by more than %d points", Pct(in.Progress), Pct(el), in.MarginPct)
	}
	if len(in.Missing) > 0 {
		zh, en := missingReason(in.Missing)
		return Yellow, zh, en
	}
	if in.ReturnedTwice {
		return Yellow, "进展报告连续两次被退回", "reports returned twice in a row"
	}
	if d := days(in.AsOf, in.Due); d >= 0 && d <= SoonDays {
		return Blue, fmt.Sprintf("距截止日期 %d 天", d), fmt.Sprintf("deadline in %d days", d)
	}
	if !in.NextReportDue.IsZero() {
		if d := days(in.AsOf, in.NextReportDue); d >= 0 && d <= SoonDays {
			return Blue, fmt.Sprintf("进展报告 %d 天后到期", d), fmt.Sprintf("report due in %d days", d)
		}
	}
	return Green, "正常推进", "on track"
}

// missingShown is how many overdue periods a flag reason names before it
// counts the rest.
const missingShown = 3

// missingReason names the periods never reported, oldest first: all of them
// up to missingShown, else the first few and the count.
func missingReason(ps []string) (zh, en string) {
	if len(ps) == 1 {
		return "逾期未报送 " + ps[0] + " 进展报告", "report for " + ps[0] + " is overdue"
	}
	if len(ps) <= missingShown {
		return "逾期未报送 " + strings.Join(ps, "、") + " 进展报告", "reports for " + strings.Join(ps, ", ") + " are overdue"
	}
	shown, more := ps[:missingShown], "periods"
	if len(ps) == missingShown+1 {
		more = "period"
	}
	return fmt.Sprintf("逾期未报送 %s 等 %d 期进展报告", strings.Join(shown, "、"), len(ps)),
		fmt.Sprintf("reports for %s and %d more %s are overdue", strings.Join(shown, ", "), len(ps)-missingShown, more)
}

// Elapsed is the share of a task's time gone by at asOf, in tenths of a
// percent (0–1000), counting whole days from start to deadline. Before the
// start it is 0; on or after the deadline 1000. A task without a start date
// counts from 1 January of its deadline's year.
func Elapsed(start, due, asOf time.Time) int {
	if start.IsZero() {
		start = time.Date(due.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	total := days(start, due)
	gone := days(start, asOf)
	switch {
	case gone < 0, gone == 0 && total > 0:
		return 0
	case gone >= total:
		return Full
	}
	return gone * Full / total
}

func days(from, to time.Time) int { return int(to.Sub(from).Hours() / 24) }

// Pct renders tenths of a percent as "42.5%".
func Pct(tenths int) string {
	return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10) + "%"
}

const dateLayout = "2006-01-02"

// ParseDate reads YYYY-MM-DD as a UTC midnight. Errors: Invalid naming field.
func ParseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return t, errs.Field(field, "日期格式应为 YYYY-MM-DD："+s, "date must be YYYY-MM-DD: "+s)
	}
	return t, nil
}

// Period is one reporting cycle of a task.
type Period struct {
	Key   string    `json:"period"` // 2023-05 or 2023-Q2
	Start time.Time `json:"-"`      // first day of the period
	DueOn time.Time `json:"-"`      // its report's due day
	Due   string    `json:"due_on"`
}

// Schedule lists the reporting periods of a task from its start month to its
// deadline month. A period's report is due on day dueDay of the month after
// the period ends (dueDay is clamped to 1–28 so every month has it).
func Schedule(cycle string, start, due time.Time, dueDay int) []Period {
	if dueDay < 1 {
		dueDay = 1
	}
	if dueDay > 28 {
		dueDay = 28
	}
	if start.IsZero() || start.After(due) {
		start = time.Date(due.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var out []Period
	step := 1
	if cycle == "quarterly" {
		step = 3
	}
	m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	if step == 3 {
		m = time.Date(start.Year(), time.Month((int(start.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	}
	for !m.After(due) && len(out) < 120 {
		next := m.AddDate(0, step, 0)
		key := m.Format("2006-01")
		if step == 3 {
			key = fmt.Sprintf("%d-Q%d", m.Year(), (int(m.Month())-1)/3+1)
		}
		d := time.Date(next.Year(), next.Month(), dueDay, 0, 0, 0, 0, time.UTC)
		out = append(out, Period{Key: key, Start: m, DueOn: d, Due: d.Format(dateLayout)})
		m = next
	}
	return out
}

// ScheduleState finds, for a schedule and the set of periods already filed,
// every period past its due day that is not filed (missing, oldest first)
// and the due day of the earliest unfiled period still to come (next). A
// period never reported stays missing however many later ones are filed.
func ScheduleState(ps []Period, filed map[string]bool, asOf time.Time) (missing []string, next time.Time) {
	for _, p := range ps {
		if filed[p.Key] {
			continue
		}
		if p.DueOn.Before(asOf) {
			missing = append(missing, p.Key)
		} else if next.IsZero() {
			next = p.DueOn
		}
	}
	return missing, next
}

// PeriodDue returns the due day of one period key of a schedule, or false
// when the key is not one of its periods.
func PeriodDue(ps []Period, key string) (time.Time, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p.DueOn, true
		}
	}
	return time.Time{}, false
}
