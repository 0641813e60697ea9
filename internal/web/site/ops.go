package site

import (
	"context"
	"errors"
	"net/http"
	"time"

	"gaoxin/internal/web"

	"gaoxin/internal/audit"
)

func asBroken(err error, be **audit.BrokenError) bool { return errors.As(err, be) }

func (s *handlers) handleHealthz(w http.ResponseWriter, r *http.Request) {
	web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Cfg.Version})
}

// handleReadyz answers 200 when the database answers and every migration is
// applied, 503 otherwise.
func (s *handlers) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.R.PingContext(ctx); err != nil {
		web.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return
	}
	pending, err := s.DB.Pending(ctx)
	if err != nil || pending != 0 {
		web.WriteJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "migrations pending", "pending": pending})
		return
	}
	// A read replica that does not answer does not make the server unready:
	// its reads go to the primary meanwhile. The answer names its state.
	answer := map[string]string{"status": "ready"}
	if attached, up, _ := s.DB.ReplicaStatus(); attached {
		answer["replica"] = map[bool]string{true: "up", false: "down"}[up]
	}
	web.WriteJSON(w, http.StatusOK, answer)
}
