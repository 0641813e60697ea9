package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
)

func TestTellReadsAsASentence(t *testing.T) {
	l := audit.New(dbtest.Open(t))
	l.Describe("plan", audit.Labels{
		Module:  audit.Words{ZH: "督查督办", EN: "supervision"},
		Objects: map[string]audit.Words{"plan_node": {ZH: "任务", EN: "task"}},
		Fields: map[string]audit.Field{
			"pct":   {ZH: "进度", EN: "progress", Kind: audit.Percent},
			"state": {ZH: "状态", EN: "state", Values: map[string]audit.Words{"accepted": {ZH: "已采纳", EN: "accepted"}, "submitted": {ZH: "待审核", EN: "submitted"}}},
		},
	})
	l.Describe("award", audit.Labels{Fields: map[string]audit.Field{"amount_fen": {ZH: "金额", EN: "amount", Kind: audit.Fen}}})
	at := time.Date(2023, 7, 10, 1, 30, 0, 0, time.UTC).UnixMilli()
	cases := []struct {
		row     audit.Row
		lang    string
		actor   string
		want    string
		changes []audit.Change
	}{
		{audit.Row{Actor: "zhangsan", Action: "plan.node.update", ObjectType: "plan_node", ObjectID: "7",
			Before: `{"title":"建设中原之光平台","pct":40}`, After: `{"title":"建设中原之光平台","pct":60}`}, "zh", "张三",
			"张三 将 任务「建设中原之光平台」 的进度 从 40% 改为 60%", []audit.Change{{Field: "进度", Before: "40%", After: "60%"}}},
		{audit.Row{Actor: "zhangsan", Action: "plan.node.update", ObjectType: "plan_node", ObjectID: "7",
			Before: `{"title":"建设中原之光平台","pct":40}`, After: `{"title":"建设中原之光平台","pct":60}`}, "en", "Zhang San",
			"Zhang San changed the progress of task “建设中原之光平台” from 40% to 60%", nil},
		{audit.Row{Actor: "li", Action: "plan.report.accept", ObjectType: "plan_report", ObjectID: "3",
			Before: `{"state":"submitted","pct":20}`, After: `{"state":"accepted","pct":21}`}, "zh", "",
			"li 通过了 plan_report「#3」", []audit.Change{{Field: "进度", Before: "20%", After: "21%"}, {Field: "状态", Before: "待审核", After: "已采纳"}}},
		{audit.Row{Actor: "cw", Action: "award.payment.request", ObjectType: "award_payment", ObjectID: "21",
			After: `{"amount_fen":123456789,"paid_at":` + itoa(at) + `}`}, "zh", "财务",
			"财务 执行了 award.payment.request： award_payment「#21」", []audit.Change{{Field: "金额", Before: "—", After: "1,234,567.89 元"}, {Field: "paid_at", Before: "—", After: itoa(at)}}},
		{audit.Row{Actor: "anonymous", Action: "auth.login", ObjectType: "user", ObjectID: "unknown", Outcome: audit.Failed,
			After: `{"reason":"unknown"}`}, "zh", "",
			"匿名访问者 登录了系统 用户「#unknown」（未成功）", nil},
		{audit.Row{Actor: "leader", Action: "auth.login", ObjectType: "user", ObjectID: "2", Outcome: audit.OK}, "zh", "张主任（leader）",
			"张主任（leader） 登录了系统", nil},
	}
	for i, c := range cases {
		d := l.Tell(c.row, c.lang, c.actor)
		if d.Sentence != c.want {
			t.Errorf("%d: sentence\n got %q\nwant %q", i, d.Sentence, c.want)
		}
		if c.changes != nil {
			if len(d.Changes) != len(c.changes) {
				t.Errorf("%d: changes %+v", i, d.Changes)
				continue
			}
			for j := range c.changes {
				if d.Changes[j] != c.changes[j] {
					t.Errorf("%d: change %d = %+v, want %+v", i, j, d.Changes[j], c.changes[j])
				}
			}
		}
	}
	// A time field reads in China time.
	l.Describe("kpi", audit.Labels{Fields: map[string]audit.Field{"updated_at": {ZH: "修改时间", Kind: audit.Millis}}})
	d := l.Tell(audit.Row{Action: "kpi.actual.save", After: `{"updated_at":` + itoa(at) + `}`}, "zh", "x")
	if len(d.Changes) != 1 || d.Changes[0].After != "2023-07-10 09:30" {
		t.Fatalf("time change: %+v", d.Changes)
	}
}

func TestFilterByPersonActionAndDate(t *testing.T) {
	l := audit.New(dbtest.Open(t))
	ctx := context.Background()
	for _, e := range []struct{ who, action string }{
		{"zhang", "plan.report.accept"}, {"li", "plan.node.update"}, {"zhang", "award.grant"}, {"zhang", "planning.other"},
	} {
		c := audit.WithActor(ctx, audit.Actor{Name: e.who})
		if err := l.Record(c, audit.Entry{Action: e.action}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(f audit.Filter) int {
		rows, err := l.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	if n := count(audit.Filter{Action: "plan"}); n != 2 {
		t.Errorf("action prefix plan: %d rows (planning.* must not match)", n)
	}
	if n := count(audit.Filter{Action: "plan.report.accept"}); n != 1 {
		t.Errorf("exact action: %d", n)
	}
	if n := count(audit.Filter{Actor: "zhang", Action: "plan"}); n != 1 {
		t.Errorf("person and action: %d", n)
	}
	now := time.Now().UnixMilli()
	if n := count(audit.Filter{From: now - 60_000, To: now + 60_000}); n != 4 {
		t.Errorf("today: %d", n)
	}
	if n := count(audit.Filter{To: now - 3_600_000}); n != 0 {
		t.Errorf("before an hour ago: %d", n)
	}
	if !strings.Contains(audit.Yuan(-5), "-0.05") {
		t.Errorf("negative yuan: %s", audit.Yuan(-5))
	}
}

func itoa(n int64) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestTellFormatsRecordedShapes(t *testing.T) {
	l := audit.New(dbtest.Open(t))
	l.Describe("kpi", audit.Labels{Fields: map[string]audit.Field{
		"ytd": {ZH: "本年累计", Kind: audit.Number}, "rate": {ZH: "累计增速", Kind: audit.Percent},
		"co_units": {ZH: "配合单位"}, "note": {ZH: "备注"}}})
	// Decimal strings read as numbers; lists read as lists; keys an update
	// did not set are not changes; equal values are not changes.
	d := l.Tell(audit.Row{Action: "kpi.actual.save",
		Before: `{"ytd":"9969","rate":"-4.2","note":"旧","co_units":["czj"],"untouched":"x"}`,
		After:  `{"ytd":"11064","rate":"1.5","note":"旧","co_units":["czj","kcj"]}`}, "zh", "x")
	want := []audit.Change{{Field: "配合单位", Before: "czj", After: "czj、kcj"}, {Field: "累计增速", Before: "-4.2%", After: "1.5%"},
		{Field: "本年累计", Before: "9,969", After: "11,064"}}
	if len(d.Changes) != len(want) {
		t.Fatalf("changes: %+v", d.Changes)
	}
	for i := range want {
		if d.Changes[i] != want[i] {
			t.Errorf("change %d = %+v, want %+v", i, d.Changes[i], want[i])
		}
	}
}
