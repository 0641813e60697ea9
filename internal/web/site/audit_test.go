package site_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/web/webtest"
)

// TestAuditTrailInSentences: the admin's trail tells who did what to which
// object, with the changed fields in words; filters by person, area and
// date; exports the same rows to .xlsx with real date and number cells;
// and the JSON API carries the same words.
func TestAuditTrailInSentences(t *testing.T) {
	h := webtest.New(t)
	admin := h.As("admin")
	var u struct{ ID int64 }
	r := admin.Do("POST", "/api/v1/users", map[string]string{"username": "wang", "display_name": "王五", "role": "leader", "password": "a-long-enough-one"})
	r.JSON(t, &u)
	if r.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Code, r.Body)
	}
	if r := admin.Do("PATCH", "/api/v1/users/"+itoa(u.ID), map[string]bool{"disabled": true}); r.Code != http.StatusOK {
		t.Fatalf("disable: %d", r.Code)
	}
	page := admin.Get("/admin/audit?actor=admin&action=user")
	body := string(page.Body)
	for _, want := range []string{"admin 新建了 用户「王五」", "修改了停用状态：", "已停用", "领导", "<option value=\"plan\"", "督查督办"} {
		if !strings.Contains(body, want) {
			t.Errorf("trail lacks %q", want)
		}
	}
	if strings.Contains(body, "auth.login") && strings.Contains(body, "登录了系统") {
		t.Error("the action filter let sign-ins through")
	}
	tomorrow := time.Now().In(db.CST).AddDate(0, 0, 1).Format("2006-01-02")
	if b := string(admin.Get("/admin/audit?from=" + tomorrow).Body); !strings.Contains(b, "没有符合条件的记录") {
		t.Error("a range starting tomorrow shows rows")
	}
	if r := admin.Get("/admin/audit?from=2023-13-45"); r.Code != http.StatusBadRequest && r.Code != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d", r.Code)
	}

	x := admin.Get("/admin/audit/export?actor=admin&action=user")
	if x.Code != http.StatusOK || !strings.Contains(x.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export: %d %s", x.Code, x.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	if len(rows) != 3 {
		t.Fatalf("export has %d rows, want header + 2", len(rows))
	}
	if !strings.Contains(rows[2][2], "新建了 用户「王五」") || rows[2][5] != "成功" {
		t.Errorf("export row: %q", rows[2])
	}
	for _, cell := range []string{"A2", "I2"} {
		typ, _ := f.GetCellType(sheet, cell)
		raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || strings.ContainsAny(raw, "-:") {
			t.Errorf("%s is text (%v %q), want a number cell", cell, typ, raw)
		}
	}
	if v, _ := f.GetCellValue(sheet, "A2"); !strings.HasPrefix(v, time.Now().In(db.CST).Format("2006-01-02")) {
		t.Errorf("time cell reads %q", v)
	}

	// The security office's export: sign-ins (failed ones too) and
	// sign-outs, and nothing else, linked from the trail's page.
	if !strings.Contains(string(admin.Get("/admin/audit").Body), `href="/admin/audit/export?action=auth"`) {
		t.Error("the trail's page does not link the sign-in export")
	}
	h.Anon().Do("POST", "/api/v1/session", map[string]string{"username": "leader", "password": "wrong-password-here"})
	ax := admin.Get("/admin/audit/export?action=auth")
	af, err := excelize.OpenReader(bytes.NewReader(ax.Body))
	if err != nil {
		t.Fatalf("sign-in export: %d %v", ax.Code, err)
	}
	authRows, _ := af.GetRows(af.GetSheetName(0))
	var failed bool
	for _, row := range authRows[1:] {
		if !strings.Contains(strings.Join(row, " "), "登录") && !strings.Contains(strings.Join(row, " "), "退出") {
			t.Errorf("the sign-in export holds another event: %q", row)
		}
		failed = failed || strings.Contains(strings.Join(row, " "), "失败")
	}
	if len(authRows) < 3 || !failed {
		t.Errorf("the sign-in export lacks sign-ins or the failed one: %d rows", len(authRows))
	}

	var api struct {
		Rows []struct {
			Action      string
			ActorName   string `json:"actor_name"`
			Description audit.Description
		}
	}
	admin.Get("/api/v1/audit?actor=admin&action=user.create").JSON(t, &api)
	if len(api.Rows) != 1 || api.Rows[0].Description.Sentence != "admin 新建了 用户「王五」" || len(api.Rows[0].Description.Changes) == 0 {
		t.Fatalf("API trail: %+v", api.Rows)
	}
	if r := h.As("leader").Get("/admin/audit/export"); r.Code != http.StatusForbidden {
		t.Fatalf("leader exports the trail: %d", r.Code)
	}
}

// TestModulesRegisterTheirWords: the four modules tell the trail their
// nouns, fields and statuses.
func TestModulesRegisterTheirWords(t *testing.T) {
	h := webtest.New(t)
	l := h.App.Audit
	d := l.Tell(audit.Row{Action: "plan.report.accept", ObjectType: "plan_report", ObjectID: "3",
		Before: `{"state":"submitted","pct":20}`, After: `{"state":"accepted","pct":20}`}, "zh", "张三")
	if d.Sentence != "张三 将 进展报告「#3」 的状态 从 待审核 改为 已采纳" {
		t.Errorf("plan: %q", d.Sentence)
	}
	d = l.Tell(audit.Row{Action: "award.payment.request", ObjectType: "award_payment", ObjectID: "21",
		After: `{"amount_fen":58000000,"state":"pending","idempotency_key":"k"}`}, "zh", "财务")
	if d.Sentence != "财务 申请了 付款「#21」" || len(d.Changes) != 2 || d.Changes[0].After != "580,000.00 元" || d.Changes[1].After != "待审批" {
		t.Errorf("award: %q %+v", d.Sentence, d.Changes)
	}
	d = l.Tell(audit.Row{Action: "kpi.actual.save", ObjectType: "kpi_actual", ObjectID: "7",
		Before: `{"ytd":9969,"rate":-2.5}`, After: `{"ytd":11064,"rate":1.5}`}, "zh", "统计员")
	if !strings.Contains(d.Sentence, "填报了 指标数据") || d.Changes[0].Field != "累计增速" || d.Changes[1].After != "11,064" {
		t.Errorf("kpi: %q %+v", d.Sentence, d.Changes)
	}
	d = l.Tell(audit.Row{Action: "enterprise.update", ObjectType: "enterprise", ObjectID: "5",
		Before: `{"name":"演示企业","status":"operating"}`, After: `{"name":"演示企业","status":"moved_out"}`}, "zh", "经发局")
	if d.Sentence != "经发局 将 企业「演示企业」 的状态 从 存续 改为 迁出" {
		t.Errorf("enterprise: %q", d.Sentence)
	}
	d = l.Tell(audit.Row{Action: "insight.warning.closed", ObjectType: "insight_warning", ObjectID: "4",
		Before: `{"status":"following"}`, After: `{"status":"closed","note":"订单已恢复"}`}, "zh", "石佛办事处")
	if !strings.Contains(d.Sentence, "办结了 预警") {
		t.Errorf("insight: %q %+v", d.Sentence, d.Changes)
	}
	var codes []string
	for _, m := range l.Modules() {
		codes = append(codes, m.Code)
	}
	if got := strings.Join(codes, ","); got != "auth,award,crypto,enterprise,finance,insight,kpi,plan,scenario,token,unit,user" {
		t.Errorf("modules: %s", got)
	}
}
