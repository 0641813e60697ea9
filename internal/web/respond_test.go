package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
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
	s.WriteError(httptest.NewRecorder(), r, fmt.Errorf("enterprise: data version: %w", ctx.Err()))
	if out := log.String(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "abandoned") {
		t.Fatalf("abandoned request logged as %q", out)
	}
	log.Reset()
	w := httptest.NewRecorder()
	s.WriteError(w, httptest.NewRequest("GET", "/api/v1/enterprises", nil), fmt.Errorf("enterprise: list: %w", context.Canceled))
	if out := log.String(); !strings.Contains(out, "level=ERROR") || w.Code != 500 {
		t.Fatalf("a failure of a live request: %d, logged %q", w.Code, out)
	}
}

// A handler that fails after its answer started (a client gone while a
// page was written) adds nothing to the answer.
func TestErrorAfterAnswerStartedWritesNothingMore(t *testing.T) {
	h := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rec := httptest.NewRecorder()
	sw := &statusWriter{ResponseWriter: rec}
	sw.WriteHeader(http.StatusOK)
	sw.Write([]byte("partial"))
	h.WriteError(sw, httptest.NewRequest("GET", "/enterprises/1", nil), errors.New("write: broken pipe"))
	if rec.Code != http.StatusOK || rec.Body.String() != "partial" {
		t.Fatalf("after the answer started: %d %q", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	h.WriteError(&statusWriter{ResponseWriter: rec}, httptest.NewRequest("GET", "/api/v1/enterprises/1", nil), errors.New("boom"))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("an error before any answer: %d", rec.Code)
	}
}
