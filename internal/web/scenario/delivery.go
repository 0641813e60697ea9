package scenario

import (
	"net/http"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// fillDelivery adds the call's contract, stages and acceptances to its
// page, for those who may see them, and what staff may do next.
func (s *handlers) fillDelivery(r *http.Request, v scenario.Viewer, p *callPage) error {
	n := p.N
	p.Approver = v.Role == org.Supervisor || v.Role == org.Leader
	if !scenario.DeliveryState(n.State) {
		return nil
	}
	c, err := s.Scenario.Delivery(r.Context(), v, n.ID)
	switch {
	case err == nil:
		p.Delivery = &c
	case errs.CodeOf(err) == errs.NotFound:
	default:
		return err
	}
	if p.Delivery == nil && v.Runs() && n.State == scenario.StateImplementing {
		p.CanSign = true
		if n.OwnerKind == scenario.OwnerEnterprise {
			if p.Units, err = s.Org.Units(r.Context()); err != nil {
				return err
			}
		}
	}
	return nil
}

func seqOf(r *http.Request) (int, error) {
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq < 1 {
		return 0, errs.Field("seq", "期次应为正整数", "the stage must be a positive integer")
	}
	return seq, nil
}

// deliveryForm runs one delivery step from the call page and goes back to
// its delivery section.
func (s *handlers) deliveryForm(w http.ResponseWriter, r *http.Request, act func(id int64) error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := act(id); err != nil {
		return err
	}
	return web.SeeOther(w, r, callPath(id)+"?ok=saved#delivery")
}

func (s *handlers) handleSign(w http.ResponseWriter, r *http.Request) error {
	return s.deliveryForm(w, r, func(id int64) error {
		_, err := s.Scenario.Sign(r.Context(), viewer(r), id, scenario.SignInput{ContractNo: r.FormValue("contract_no"),
			SignedOn: r.FormValue("signed_on"), LeadUnit: r.FormValue("lead_unit")})
		return err
	})
}

func (s *handlers) handleStagePay(w http.ResponseWriter, r *http.Request) error {
	seq, err := seqOf(r)
	if err != nil {
		return err
	}
	return s.deliveryForm(w, r, func(id int64) error {
		_, err := s.Scenario.RequestPayment(r.Context(), viewer(r), id, seq)
		return err
	})
}

func (s *handlers) handleStageApprove(w http.ResponseWriter, r *http.Request) error {
	seq, err := seqOf(r)
	if err != nil {
		return err
	}
	return s.deliveryForm(w, r, func(id int64) error {
		_, err := s.Scenario.ApprovePayment(r.Context(), viewer(r), id, seq)
		return err
	})
}

func (s *handlers) handleStagePaid(w http.ResponseWriter, r *http.Request) error {
	seq, err := seqOf(r)
	if err != nil {
		return err
	}
	return s.deliveryForm(w, r, func(id int64) error {
		_, err := s.Scenario.MarkPaid(r.Context(), viewer(r), id, seq, r.FormValue("voucher_no"), r.FormValue("paid_on"))
		return err
	})
}

func (s *handlers) handleAccept(w http.ResponseWriter, r *http.Request) error {
	files, err := web.ReadFiles(w, r, "files", s.Scenario.MaxFile, s.Cfg.MaxUpload)
	if err != nil {
		return err
	}
	return s.deliveryForm(w, r, func(id int64) error {
		_, err := s.Scenario.Accept(r.Context(), viewer(r), id, scenario.AcceptInput{Passed: r.FormValue("passed") == "1",
			On: r.FormValue("on"), Opinion: r.FormValue("opinion")}, uploads(files))
		return err
	})
}

func (s *handlers) handleCloseCall(w http.ResponseWriter, r *http.Request) error {
	return s.deliveryForm(w, r, func(id int64) error {
		_, err := s.Scenario.Close(r.Context(), viewer(r), id)
		return err
	})
}

// API.

type (
	stageRequest struct {
		VoucherNo string `json:"voucher_no"`
		PaidOn    string `json:"paid_on"`
	}
	acceptRequest struct {
		scenario.AcceptInput
		Files []web.FileInput `json:"files,omitempty"`
	}
)

func (s *handlers) apiDelivery(w http.ResponseWriter, r *http.Request) error {
	return act(w, r, nil, func(id int64) (scenario.Contract, error) { return s.Scenario.Delivery(r.Context(), viewer(r), id) })
}

func (s *handlers) apiSign(w http.ResponseWriter, r *http.Request) error {
	var in scenario.SignInput
	return act(w, r, &in, func(id int64) (scenario.Contract, error) { return s.Scenario.Sign(r.Context(), viewer(r), id, in) })
}

func (s *handlers) apiStage(stage func(r *http.Request, id int64, seq int, req stageRequest) (scenario.Contract, error), body bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		seq, err := seqOf(r)
		if err != nil {
			return err
		}
		var req stageRequest
		var b any
		if body {
			b = &req
		}
		return act(w, r, b, func(id int64) (scenario.Contract, error) { return stage(r, id, seq, req) })
	}
}

func (s *handlers) apiAccept(w http.ResponseWriter, r *http.Request) error {
	var req acceptRequest
	return act(w, r, &req, func(id int64) (scenario.Contract, error) {
		files, err := web.DecodeFiles(req.Files)
		if err != nil {
			return scenario.Contract{}, err
		}
		return s.Scenario.Accept(r.Context(), viewer(r), id, req.AcceptInput, uploads(files))
	})
}

func (s *handlers) apiCloseCall(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Scenario.Close(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, n)
	return nil
}
