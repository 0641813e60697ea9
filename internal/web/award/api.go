package award

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"gaoxin/internal/web"

	"gaoxin/internal/award"
)

// JSON API of the awards module (/api/v1/award/...). Handlers parse, check
// the object, call internal/award and answer.

func (s *handlers) apiProgrammes(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	ps, err := s.Award.ProgrammesFor(r.Context(), viewer(r), award.ProgrammeFilter{Year: year})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, programmesAnswer{Programmes: web.NonNil(ps)})
	return nil
}

func (s *handlers) apiProgrammeCreate(w http.ResponseWriter, r *http.Request) error {
	var n award.NewProgramme
	if err := web.DecodeJSON(r, &n); err != nil {
		return err
	}
	p, err := s.Award.CreateProgramme(r.Context(), n)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, p)
	return nil
}

func (s *handlers) apiProgramme(w http.ResponseWriter, r *http.Request) error {
	p, err := s.programme(r)
	if err != nil {
		return err
	}
	out := programmeAnswer{Programme: p}
	if p.Historical {
		hs, err := s.Award.Honours(r.Context(), p.ID)
		if err != nil {
			return err
		}
		out.Honours = web.NonNil(hs)
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *handlers) apiProgrammeUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var n award.NewProgramme
	if err := web.DecodeJSON(r, &n); err != nil {
		return err
	}
	p, err := s.Award.UpdateProgramme(r.Context(), id, n)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

type stateRequest struct {
	To string `json:"to"`
}

func (s *handlers) apiAdvance(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req stateRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	p, err := s.Award.Advance(r.Context(), id, req.To)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *handlers) apiRank(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rd, err := s.Award.RankProgramme(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, rd)
	return nil
}

func (s *handlers) apiRanking(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rd, err := s.Award.LatestRound(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rd)
	return nil
}

func (s *handlers) apiRounds(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := s.Award.Rounds(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, roundsAnswer{Rounds: web.NonNil(rs)})
	return nil
}

func (s *handlers) apiTrail(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rows, err := s.Award.Trail(r.Context(), id, 500)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, trailAnswer{Audit: web.NonNil(rows)})
	return nil
}

func (s *handlers) apiApplications(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	as, err := s.Award.Applications(r.Context(), id, 0)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, applicationsAnswer{Applications: web.NonNil(as)})
	return nil
}

func (s *handlers) apiMyApplications(w http.ResponseWriter, r *http.Request) error {
	ent, err := s.Award.MyEnterprise(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	as, err := s.Award.Applications(r.Context(), 0, ent)
	if err != nil {
		return err
	}
	gs, err := s.Award.Grants(r.Context(), 0, ent)
	if err != nil {
		return err
	}
	os, err := s.Award.OutcomesOf(r.Context(), viewer(r), as)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, myApplicationsAnswer{Applications: web.NonNil(as), Grants: web.NonNil(gs), Outcomes: os})
	return nil
}

// applyRequest is an application; files carry base64 content.
type applyRequest struct {
	Summary string          `json:"summary"`
	Contact string          `json:"contact"`
	Files   []web.FileInput `json:"files,omitempty"`
}

// decodeFiles decodes a JSON body's evidence files.
func decodeFiles(in []web.FileInput) ([]award.File, error) {
	ups, err := web.DecodeFiles(in)
	out := make([]award.File, len(ups))
	for i, u := range ups {
		out[i] = award.File(u)
	}
	return out, err
}

func (s *handlers) apiApply(w http.ResponseWriter, r *http.Request) error {
	p, err := s.programme(r)
	if err != nil {
		return err
	}
	var req applyRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	files, err := decodeFiles(req.Files)
	if err != nil {
		return err
	}
	ent, err := s.Award.EnterpriseOfViewer(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	a, err := s.Award.Apply(r.Context(), p.ID, ent, req.Summary, req.Contact, files)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, a)
	return nil
}

func (s *handlers) apiApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Award.ApplicationFor(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	o, err := s.Award.OutcomeOf(r.Context(), viewer(r), a)
	if err != nil {
		return err
	}
	out := applicationAnswer{Application: a, Outcome: o}
	if out.Assignments, err = s.Award.AssignmentsOf(r.Context(), viewer(r), id); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

type checkRequest struct {
	Accept bool   `json:"accept"`
	Reason string `json:"reason,omitempty"`
}

func (s *handlers) apiCheck(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req checkRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.Award.Check(r.Context(), id, req.Accept, req.Reason)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, a)
	return nil
}

type assignRequest struct {
	ReviewerID int64 `json:"reviewer_id"`
}

func (s *handlers) apiAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req assignRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	g, err := s.Award.Assign(r.Context(), id, req.ReviewerID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, g)
	return nil
}

func (s *handlers) apiMyAssignments(w http.ResponseWriter, r *http.Request) error {
	gs, err := s.Award.Assignments(r.Context(), web.CurrentUser(r).ID, 0)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, assignmentsAnswer{Assignments: web.NonNil(gs)})
	return nil
}

func (s *handlers) apiAssignment(w http.ResponseWriter, r *http.Request) error {
	g, err := s.assignment(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, g)
	return nil
}

type scoresRequest struct {
	Scores []award.Score `json:"scores"`
}

func (s *handlers) apiScores(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req scoresRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	g, err := s.Award.SubmitScores(r.Context(), id, web.CurrentUser(r).ID, req.Scores)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, g)
	return nil
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func (s *handlers) apiRecuse(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.Award.Recuse(r.Context(), id, web.CurrentUser(r).ID, req.Reason); err != nil {
		return err
	}
	g, err := s.Award.Assignment(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, g)
	return nil
}

type affiliationsRequest struct {
	Affiliations string `json:"affiliations"`
}

// apiAffiliations sets a reviewer's declared affiliations: the reviewer
// themself or a supervisor.
func (s *handlers) apiAffiliations(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req affiliationsRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.Award.SetAffiliationsFor(r.Context(), viewer(r), id, req.Affiliations); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, req)
	return nil
}

func (s *handlers) handleEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, data, err := s.Award.EvidenceFor(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", e.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(e.Filename))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = bytes.NewReader(data).WriteTo(w)
	return err
}
