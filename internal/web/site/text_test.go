package site_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gaoxin/internal/web/webtest"
)

// Invisible direction overrides and zero-width characters are refused in
// every kind of body, naming the field, and nothing is written; the same
// text without them goes through.
func TestHiddenCharactersRefused(t *testing.T) {
	h := webtest.New(t)
	sup := h.As("supervisor")
	count := func() int {
		var n int
		if err := h.App.DB.R.QueryRow("SELECT COUNT(*) FROM plan_nodes").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	// JSON, with the override escaped as \u202e and raw.
	for _, body := range []string{`{"year": 2024, "title": "高新区\u202e计划"}`, "{\"year\": 2024, \"title\": \"高新区\u200b计划\"}"} {
		req, _ := http.NewRequest("POST", "/api/v1/plan/nodes", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		r := sup.Send(req)
		var e struct {
			Error struct{ Field, Message string }
		}
		r.JSON(t, &e)
		if r.Code != http.StatusBadRequest || e.Error.Field != "title" || !strings.Contains(e.Error.Message, "U+") {
			t.Errorf("JSON %q = %d %+v, want 400 naming title", body, r.Code, e.Error)
		}
	}
	// A form, as a browser posts it.
	r := sup.Form("/plan/nodes", url.Values{"year": {"2024"}, "title": {"高新区\u2066计划"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(string(r.Body), "title") {
		t.Errorf("form = %d, want 400 naming title", r.Code)
	}
	if n := count(); n != before {
		t.Fatalf("%d plan nodes written by refused requests", n-before)
	}
	if r := sup.Do("POST", "/api/v1/plan/nodes", map[string]any{"year": 2024, "title": "高新区 2024 年计划（第一版）"}); r.Code != http.StatusCreated && r.Code != http.StatusOK {
		t.Fatalf("plain title = %d %s", r.Code, r.Body)
	}
}
