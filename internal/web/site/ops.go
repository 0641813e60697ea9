package site

import (
	"context"
	"errors"
	"net/http"
	"time"

	"gaoxin/internal/audit"
)

func asBroken(err error, be **audit.BrokenError) bool { return errors.As(err, be) }

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Cfg.Version})
}

// handleReadyz answers 200 when the database answers and every migration is
// applied, 503 otherwise.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.R.PingContext(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return
	}
	pending, err := s.DB.Pending(ctx)
	if err != nil || pending != 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "migrations pending", "pending": pending})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
