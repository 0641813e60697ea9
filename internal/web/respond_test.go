package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// A request its client abandoned is not a server failure: it is logged
// as information, not as an error. A real failure still is an error.
func TestAbandonedRequestIsNoError(t *testing.T) {
	var log bytes.Buffer
	s := &Server{Log: slog.New(slog.NewTextHandler(&log, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/enterprises", nil).WithContext(ctx)
	s.writeError(httptest.NewRecorder(), r, fmt.Errorf("enterprise: data version: %w", ctx.Err()))
	if out := log.String(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "abandoned") {
		t.Fatalf("abandoned request logged as %q", out)
	}
	log.Reset()
	w := httptest.NewRecorder()
	s.writeError(w, httptest.NewRequest("GET", "/api/v1/enterprises", nil), fmt.Errorf("enterprise: list: %w", context.Canceled))
	if out := log.String(); !strings.Contains(out, "level=ERROR") || w.Code != 500 {
		t.Fatalf("a failure of a live request: %d, logged %q", w.Code, out)
	}
}
