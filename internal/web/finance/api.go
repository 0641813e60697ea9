package finance

import (
	"net/http"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
	"gaoxin/internal/web"
)

// Request bodies of the API.
type (
	needRequest struct {
		finance.NeedInput
		Files []web.FileInput `json:"files,omitempty"`
	}
	reasonRequest struct {
		Reason string `json:"reason"`
	}
	noteRequest struct {
		Note string `json:"note"`
	}
	answerRequest struct {
		Accept bool   `json:"accept"`
		Reason string `json:"reason,omitempty"`
	}
	audienceRequest struct {
		Audience string  `json:"audience"`
		Listed   []int64 `json:"listed"`
	}
)

func viewer(r *http.Request) finance.Viewer { return finance.ViewerOf(web.CurrentUser(r)) }

func uploads(in []web.UploadedFile) []finance.Upload {
	out := make([]finance.Upload, len(in))
	for i, u := range in {
		out[i] = finance.Upload(u)
	}
	return out
}

// queryID reads an optional positive id from the query; 0 when absent.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field(name, name+" 应为正整数", name+" must be a positive integer")
	}
	return id, nil
}

// limit reads ?limit= (1–200); 0 when absent, so the service's default
// applies.
func limit(r *http.Request) (int, error) { return count(r, "limit") }

// count reads the query parameter name as a count of 1–200; 0 when absent.
func count(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		return 0, errs.Field(name, name+" 应为 1–200 的整数", name+" must be an integer from 1 to 200")
	}
	return n, nil
}

// answer runs an API action on the object named by the path's id and
// writes its result with status code.
func answer[T any](w http.ResponseWriter, r *http.Request, code int, act func(id int64) (T, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	out, err := act(id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, code, out)
	return nil
}

// decoded is answer with a JSON body decoded first.
func decoded[B, T any](w http.ResponseWriter, r *http.Request, code int, act func(id int64, body B) (T, error)) error {
	var body B
	if err := web.DecodeJSON(r, &body); err != nil {
		return err
	}
	return answer(w, r, code, func(id int64) (T, error) { return act(id, body) })
}

func (s *handlers) apiInstitutions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	is, err := s.Finance.Institutions(r.Context(), viewer(r), finance.InstitutionFilter{State: q.Get("state"), Kind: q.Get("kind")})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, institutionsAnswer{Institutions: web.NonNil(is)})
	return nil
}

// createInstitution registers the caller's institution (an investor) or
// records one approved at once (a supervisor).
func (s *handlers) createInstitution(r *http.Request, in finance.InstitutionInput) (finance.Institution, error) {
	v := viewer(r)
	if v.Runs() {
		return s.Finance.Create(r.Context(), v, in)
	}
	return s.Finance.Register(r.Context(), v, in)
}

func (s *handlers) apiInstitutionCreate(w http.ResponseWriter, r *http.Request) error {
	var in finance.InstitutionInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	i, err := s.createInstitution(r, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, i)
	return nil
}

func (s *handlers) apiInstitution(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (finance.Institution, error) {
		return s.Finance.Institution(r.Context(), viewer(r), id)
	})
}

func (s *handlers) apiInstitutionUpdate(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, in finance.InstitutionInput) (finance.Institution, error) {
		return s.Finance.Update(r.Context(), viewer(r), id, in)
	})
}

func (s *handlers) apiApprove(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (finance.Institution, error) {
		return s.Finance.Approve(r.Context(), viewer(r), id)
	})
}

func (s *handlers) apiReject(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, req reasonRequest) (finance.Institution, error) {
		return s.Finance.Reject(r.Context(), viewer(r), id, req.Reason)
	})
}

func (s *handlers) apiFund(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (finance.Fund, error) {
		f, err := s.Finance.Fund(r.Context(), viewer(r), id)
		f.SubFunds, f.Investments = web.NonNil(f.SubFunds), web.NonNil(f.Investments)
		return f, err
	})
}

func (s *handlers) apiInvest(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusCreated, func(id int64, in finance.FundInvestmentInput) (finance.FundInvestment, error) {
		return s.Finance.AddInvestment(r.Context(), viewer(r), id, in)
	})
}

func (s *handlers) apiNeeds(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.Finance.Needs(r.Context(), viewer(r), finance.NeedFilter{State: r.URL.Query().Get("state")})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, needsAnswer{Needs: web.NonNil(ns)})
	return nil
}

func (s *handlers) apiNeedPost(w http.ResponseWriter, r *http.Request) error {
	var req needRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	files, err := web.DecodeFiles(req.Files)
	if err != nil {
		return err
	}
	n, err := s.Finance.Post(r.Context(), viewer(r), req.NeedInput, uploads(files))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, n)
	return nil
}

func (s *handlers) apiNeed(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (finance.Need, error) { return s.Finance.Need(r.Context(), viewer(r), id) })
}

func (s *handlers) apiAudience(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, req audienceRequest) (finance.Need, error) {
		return s.Finance.SetAudience(r.Context(), viewer(r), id, req.Audience, req.Listed)
	})
}

func (s *handlers) apiNeedClose(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (finance.Need, error) { return s.Finance.CloseNeed(r.Context(), viewer(r), id) })
}

func (s *handlers) apiMatchInstitutions(w http.ResponseWriter, r *http.Request) error {
	n, err := limit(r)
	if err != nil {
		return err
	}
	return answer(w, r, http.StatusOK, func(id int64) (rankedInstitutionsAnswer, error) {
		rs, err := s.Finance.MatchInstitutions(r.Context(), viewer(r), id, n)
		return rankedInstitutionsAnswer{Institutions: web.NonNil(rs)}, err
	})
}

func (s *handlers) apiMatchNeeds(w http.ResponseWriter, r *http.Request) error {
	n, err := limit(r)
	if err != nil {
		return err
	}
	inst, err := queryID(r, "institution")
	if err != nil {
		return err
	}
	rs, err := s.Finance.MatchNeeds(r.Context(), viewer(r), inst, n)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rankedNeedsAnswer{Needs: web.NonNil(rs)})
	return nil
}

func (s *handlers) apiInterest(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusCreated, func(id int64, req noteRequest) (finance.Match, error) {
		return s.Finance.ExpressInterest(r.Context(), viewer(r), id, req.Note)
	})
}

func (s *handlers) apiMatches(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := finance.MatchFilter{Step: q.Get("step"), State: q.Get("state")}
	var err error
	if f.NeedID, err = queryID(r, "need"); err != nil {
		return err
	}
	if f.InstitutionID, err = queryID(r, "institution"); err != nil {
		return err
	}
	ms, err := s.Finance.Matches(r.Context(), viewer(r), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, matchesAnswer{Matches: web.NonNil(ms)})
	return nil
}

func (s *handlers) apiMatch(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (finance.Match, error) { return s.Finance.Match(r.Context(), viewer(r), id) })
}

func (s *handlers) apiAnswer(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, req answerRequest) (finance.Match, error) {
		return s.Finance.Answer(r.Context(), viewer(r), id, req.Accept, req.Reason)
	})
}

func (s *handlers) apiAdvance(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, in finance.StepInput) (finance.Match, error) {
		return s.Finance.Advance(r.Context(), viewer(r), id, in)
	})
}

func (s *handlers) apiCorrectFunding(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, in finance.FundingCorrection) (finance.Match, error) {
		return s.Finance.CorrectFunding(r.Context(), viewer(r), id, in)
	})
}

func (s *handlers) apiMatchClose(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusOK, func(id int64, req reasonRequest) (finance.Match, error) {
		return s.Finance.CloseMatch(r.Context(), viewer(r), id, req.Reason)
	})
}

func (s *handlers) apiNotes(w http.ResponseWriter, r *http.Request) error {
	return answer(w, r, http.StatusOK, func(id int64) (notesAnswer, error) {
		ns, err := s.Finance.Notes(r.Context(), viewer(r), id)
		return notesAnswer{Notes: web.NonNil(ns)}, err
	})
}

func (s *handlers) apiNote(w http.ResponseWriter, r *http.Request) error {
	return decoded(w, r, http.StatusCreated, func(id int64, req noteRequest) (finance.Note, error) {
		return s.Finance.AddNote(r.Context(), viewer(r), id, req.Note)
	})
}
