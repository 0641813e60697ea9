package scenario

import (
	"net/http"

	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// The evaluation's JSON API: the same service calls as its pages.

// Request bodies and answers of the evaluation's API.
type (
	assignRequest struct {
		ReviewerID int64 `json:"reviewer_id"`
	}
	scoresRequest struct {
		Scores []scenario.Score `json:"scores"`
	}
	winnerRequest struct {
		BidID  int64  `json:"bid_id"`
		Reason string `json:"reason,omitempty"`
	}
	decisionRequest struct {
		Upheld  bool   `json:"upheld"`
		Finding string `json:"finding"`
	}
	receiptRequest struct {
		Receipt string `json:"receipt"`
	}
	assignmentsAnswer struct {
		Assignments []scenario.Assignment `json:"assignments"`
	}
	objectionsAnswer struct {
		Objections []scenario.Objection `json:"objections"`
	}
)

// withID runs a call on the path's id and answers its value as JSON.
func withID[T any](w http.ResponseWriter, r *http.Request, status int, call func(id int64) (T, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := call(id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, status, v)
	return nil
}

// withBody decodes the body into a B, then runs withID.
func withBody[B, T any](w http.ResponseWriter, r *http.Request, status int, call func(id int64, b B) (T, error)) error {
	var b B
	if err := web.DecodeJSON(r, &b); err != nil {
		return err
	}
	return withID(w, r, status, func(id int64) (T, error) { return call(id, b) })
}

func (s *handlers) apiEvaluation(w http.ResponseWriter, r *http.Request) error {
	return withID(w, r, http.StatusOK, func(id int64) (scenario.Evaluation, error) {
		e, err := s.Scenario.Evaluation(r.Context(), viewer(r), id)
		e.Bids, e.Objections = web.NonNil(e.Bids), web.NonNil(e.Objections)
		return e, err
	})
}

func (s *handlers) apiResult(w http.ResponseWriter, r *http.Request) error {
	return withID(w, r, http.StatusOK, func(id int64) (scenario.Result, error) { return s.Scenario.Result(r.Context(), viewer(r), id) })
}

func (s *handlers) apiRules(w http.ResponseWriter, r *http.Request) error {
	return withBody(w, r, http.StatusOK, func(id int64, b scenario.Rules) (scenario.Rules, error) {
		return s.Scenario.SetRules(r.Context(), viewer(r), id, b)
	})
}

func (s *handlers) apiAssign(w http.ResponseWriter, r *http.Request) error {
	return withBody(w, r, http.StatusCreated, func(id int64, b assignRequest) (scenario.Assignment, error) {
		return s.Scenario.Assign(r.Context(), viewer(r), id, b.ReviewerID)
	})
}

func (s *handlers) apiMyAssignments(w http.ResponseWriter, r *http.Request) error {
	gs, err := s.Scenario.MyAssignments(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, assignmentsAnswer{Assignments: web.NonNil(gs)})
	return nil
}

func (s *handlers) apiAssignment(w http.ResponseWriter, r *http.Request) error {
	return withID(w, r, http.StatusOK, func(id int64) (scenario.Assignment, error) { return s.Scenario.Review(r.Context(), viewer(r), id) })
}

func (s *handlers) apiScores(w http.ResponseWriter, r *http.Request) error {
	return withBody(w, r, http.StatusOK, func(id int64, b scoresRequest) (scenario.Assignment, error) {
		return s.Scenario.SubmitScores(r.Context(), viewer(r), id, b.Scores)
	})
}

func (s *handlers) apiRecuse(w http.ResponseWriter, r *http.Request) error {
	return withBody(w, r, http.StatusOK, func(id int64, b reasonRequest) (scenario.Assignment, error) {
		return s.Scenario.Recuse(r.Context(), viewer(r), id, b.Reason)
	})
}

func (s *handlers) apiWinner(w http.ResponseWriter, r *http.Request) error {
	return withBody(w, r, http.StatusOK, func(id int64, b winnerRequest) (scenario.Result, error) {
		return s.Scenario.ChooseWinner(r.Context(), viewer(r), id, b.BidID, b.Reason)
	})
}

func (s *handlers) apiConfirm(w http.ResponseWriter, r *http.Request) error {
	return withID(w, r, http.StatusOK, func(id int64) (scenario.Need, error) { return s.Scenario.Confirm(r.Context(), viewer(r), id) })
}

func (s *handlers) apiObject(w http.ResponseWriter, r *http.Request) error {
	return withBody(w, r, http.StatusCreated, func(id int64, b scenario.NewObjection) (scenario.Objection, error) {
		return s.Scenario.FileObjection(r.Context(), id, b)
	})
}

func (s *handlers) apiObjections(w http.ResponseWriter, r *http.Request) error {
	return withID(w, r, http.StatusOK, func(id int64) (objectionsAnswer, error) {
		os, err := s.Scenario.Objections(r.Context(), viewer(r), id)
		return objectionsAnswer{Objections: web.NonNil(os)}, err
	})
}

func (s *handlers) apiDecide(w http.ResponseWriter, r *http.Request) error {
	return withBody(w, r, http.StatusOK, func(id int64, b decisionRequest) (scenario.Objection, error) {
		return s.Scenario.DecideObjection(r.Context(), viewer(r), id, b.Upheld, b.Finding)
	})
}

func (s *handlers) apiReceipt(w http.ResponseWriter, r *http.Request) error {
	var req receiptRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	st, err := s.Scenario.LookupReceipt(r.Context(), req.Receipt)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, st)
	return nil
}
