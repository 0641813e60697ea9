package award

import (
	"net/http"
	"strconv"

	"gaoxin/internal/web"
)

// An enterprise withdraws its own application (申报撤回), with a reason.

func (s *handlers) handleWithdrawAppForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Award.WithdrawApplication(r.Context(), viewer(r), id, r.FormValue("reason")); err != nil {
		return err
	}
	return backTo(w, r, "/awards/applications/"+strconv.FormatInt(id, 10))
}

func (s *handlers) apiWithdrawApp(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.Award.WithdrawApplication(r.Context(), viewer(r), id, req.Reason)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, a)
	return nil
}
