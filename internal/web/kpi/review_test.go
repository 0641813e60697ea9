package kpi_test

import (
	"strings"
	"testing"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/web/webtest"
)

// TestKPIDashboardFollowsTheUsersUnit: the unit's overdue list on the
// dashboard follows the account's current unit. A user moved to another
// unit must see that unit's overdue figures at once, not keep seeing the
// old unit's until some figure changes.
func TestKPIDashboardFollowsTheUsersUnit(t *testing.T) {
	h := webtest.New(t)
	h.App.KPI.Now = func() time.Time { return time.Date(2023, 11, 20, 10, 0, 0, 0, db.CST) }
	kpiFixture(t, h)
	c := h.As("unit")
	overdue := func() string {
		t.Helper()
		r := c.Get("/kpi?year=2023")
		if r.Code != 200 {
			t.Fatalf("dashboard: %d", r.Code)
		}
		body := string(r.Body)
		i := strings.Index(body, `id="my-overdue"`)
		if i < 0 {
			return ""
		}
		j := strings.Index(body[i:], "</section>")
		return body[i : i+j]
	}
	if s := overdue(); !strings.Contains(s, "地区生产总值") || strings.Contains(s, "新增市场主体") {
		t.Fatalf("jfj's overdue list: %q", s)
	}
	if _, err := h.App.DB.W.Exec("UPDATE users SET unit_id=(SELECT id FROM units WHERE code='kcj') WHERE username='unit'"); err != nil {
		t.Fatal(err)
	}
	if s := overdue(); strings.Contains(s, "地区生产总值") || !strings.Contains(s, "新增市场主体") {
		t.Fatalf("after the move to kcj the overdue list is still another unit's: %q", s)
	}
}
