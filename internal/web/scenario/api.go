package scenario

import (
	"net/http"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// Request bodies of the API.
type (
	needRequest struct {
		scenario.NeedInput
		Files []web.FileInput `json:"files,omitempty"`
	}
	bidRequest struct {
		scenario.BidInput
		Files []web.FileInput `json:"files,omitempty"`
	}
	batchRequest struct {
		Title string `json:"title"`
	}
	approveRequest struct {
		BatchID int64 `json:"batch_id"`
	}
	reasonRequest struct {
		Reason string `json:"reason"`
	}
)

func viewer(r *http.Request) scenario.Viewer { return scenario.ViewerOf(web.CurrentUser(r)) }

func uploads(in []web.UploadedFile) []scenario.Upload {
	out := make([]scenario.Upload, len(in))
	for i, u := range in {
		out[i] = scenario.Upload(u)
	}
	return out
}

// filter reads the list's query: category, chain, state, batch, q, page.
func filter(r *http.Request) (scenario.Filter, int, error) {
	q := r.URL.Query()
	f := scenario.Filter{Category: q.Get("category"), Chain: q.Get("chain"), State: q.Get("state"), Q: q.Get("q"), Mine: q.Get("mine") == "1"}
	if b := q.Get("batch"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			return f, 0, errs.Field("batch", "批次应为正整数", "batch must be a positive integer")
		}
		f.BatchID = id
	}
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 10_000 {
			return f, 0, errs.Field("page", "页码应为 1–10000 的整数", "page must be an integer from 1 to 10000")
		}
		page = n
	}
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	return f, page, nil
}

const pageSize = 20

func (s *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filter(r)
	if err != nil {
		return err
	}
	p, err := s.Scenario.List(r.Context(), viewer(r), f)
	if err != nil {
		return err
	}
	p.Needs = web.NonNil(p.Needs)
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *handlers) apiCall(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Scenario.Need(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, n)
	return nil
}

func (s *handlers) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	var req needRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	files, err := web.DecodeFiles(req.Files)
	if err != nil {
		return err
	}
	n, err := s.Scenario.Submit(r.Context(), viewer(r), req.NeedInput, uploads(files))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, n)
	return nil
}

func (s *handlers) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in scenario.NeedInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	n, err := s.Scenario.Update(r.Context(), viewer(r), id, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, n)
	return nil
}

func (s *handlers) apiBatches(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.Scenario.Batches(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, batchesAnswer{Batches: web.NonNil(bs)})
	return nil
}

func (s *handlers) apiBatchCreate(w http.ResponseWriter, r *http.Request) error {
	var req batchRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	b, err := s.Scenario.CreateBatch(r.Context(), viewer(r), req.Title)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, b)
	return nil
}

func (s *handlers) apiBatchPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.Scenario.PublishBatch(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, b)
	return nil
}

// act runs one act on the object of the path's id, after reading the
// JSON body into body (nil: none), and answers the object as it stands.
func act[T any](w http.ResponseWriter, r *http.Request, body any, do func(id int64) (T, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if body != nil {
		if err := web.DecodeJSON(r, body); err != nil {
			return err
		}
	}
	v, err := do(id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, v)
	return nil
}

func (s *handlers) apiApprove(w http.ResponseWriter, r *http.Request) error {
	var req approveRequest
	return act(w, r, &req, func(id int64) (scenario.Need, error) {
		return s.Scenario.Approve(r.Context(), viewer(r), id, req.BatchID)
	})
}

func (s *handlers) apiReject(w http.ResponseWriter, r *http.Request) error {
	var req reasonRequest
	return act(w, r, &req, func(id int64) (scenario.Need, error) {
		return s.Scenario.Reject(r.Context(), viewer(r), id, req.Reason)
	})
}

func (s *handlers) apiClose(w http.ResponseWriter, r *http.Request) error {
	return act(w, r, nil, func(id int64) (scenario.Need, error) {
		return s.Scenario.CloseBids(r.Context(), viewer(r), id)
	})
}

func (s *handlers) apiFail(w http.ResponseWriter, r *http.Request) error {
	var req reasonRequest
	return act(w, r, &req, func(id int64) (scenario.Need, error) {
		return s.Scenario.Fail(r.Context(), viewer(r), id, req.Reason)
	})
}

func (s *handlers) apiBids(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	bs, err := s.Scenario.Bids(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, bidsAnswer{Bids: web.NonNil(bs)})
	return nil
}

func (s *handlers) apiMyBids(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.Scenario.MyBids(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, bidsAnswer{Bids: web.NonNil(bs)})
	return nil
}

func (s *handlers) apiBidSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req bidRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	files, err := web.DecodeFiles(req.Files)
	if err != nil {
		return err
	}
	b, err := s.Scenario.SubmitBid(r.Context(), viewer(r), id, req.BidInput, uploads(files))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, b)
	return nil
}

func (s *handlers) apiBid(w http.ResponseWriter, r *http.Request) error {
	return act(w, r, nil, func(id int64) (scenario.Bid, error) { return s.Scenario.Bid(r.Context(), viewer(r), id) })
}

func (s *handlers) apiBidUpdate(w http.ResponseWriter, r *http.Request) error {
	var in scenario.BidInput
	return act(w, r, &in, func(id int64) (scenario.Bid, error) { return s.Scenario.UpdateBid(r.Context(), viewer(r), id, in) })
}

func (s *handlers) apiBidWithdraw(w http.ResponseWriter, r *http.Request) error {
	var req reasonRequest
	return act(w, r, &req, func(id int64) (scenario.Bid, error) {
		return s.Scenario.WithdrawBid(r.Context(), viewer(r), id, req.Reason)
	})
}

func (s *handlers) apiBidConfirm(w http.ResponseWriter, r *http.Request) error {
	return act(w, r, nil, func(id int64) (scenario.Bid, error) { return s.Scenario.ConfirmPartner(r.Context(), viewer(r), id) })
}

func (s *handlers) handleFile(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, data, err := s.Scenario.FileData(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", web.Attachment(f.Filename))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(data)
	return err
}
