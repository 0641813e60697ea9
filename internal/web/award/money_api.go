package award

import (
	"net/http"
	"strconv"
	"time"

	"gaoxin/internal/web"

	"gaoxin/internal/award"
	"gaoxin/internal/enterprise"
)

// Public notice, objections, grants, payments, flags and totals (JSON).

// noticeView is what the public sees of a programme on notice: the method
// and the provisional (or confirmed) winners with every score explained.
type noticeView struct {
	Programme  award.Programme `json:"programme"`
	Round      int             `json:"round"`
	Digest     string          `json:"digest"`
	Ranked     int             `json:"ranked"`
	Excluded   int             `json:"excluded"`
	Winners    []award.Entry   `json:"winners"`
	NoticeOpen bool            `json:"notice_open"`
	// PerEntry: an objection may name one entry (enterprise_id); else it
	// is about the whole list.
	PerEntry    bool   `json:"per_entry_objections"`
	Objections  int    `json:"objections"`
	RankedAtUTC string `json:"ranked_at"`
}

func (s *handlers) noticeView(r *http.Request) (noticeView, error) {
	p, rd, err := s.notice(r)
	if err != nil {
		return noticeView{}, err
	}
	v := noticeView{Programme: p, Round: rd.Round, Digest: rd.Digest, Ranked: len(rd.Result.Entries), Excluded: len(rd.Result.Excluded),
		NoticeOpen:  p.State == award.StateNotice && s.Award.Now().UnixMilli() <= p.NoticeUntil,
		PerEntry:    s.Award.PerEntry(p),
		RankedAtUTC: time.UnixMilli(rd.CreatedAt).UTC().Format(time.RFC3339)}
	for _, e := range rd.Result.Entries {
		if e.Winner {
			v.Winners = append(v.Winners, e)
		}
	}
	v.Winners = web.NonNil(v.Winners)
	os, err := s.Award.Objections(r.Context(), p.ID)
	v.Objections = len(os)
	// The public sees the method, not internal notes.
	v.Programme.Note = ""
	return v, err
}

func (s *handlers) apiNotices(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Award.Programmes(r.Context(), award.ProgrammeFilter{States: []string{award.StateNotice, award.StateConfirmed, award.StateClosed}})
	if err != nil {
		return err
	}
	var out []award.Programme
	for _, p := range ps {
		if p.HasNotice() {
			p.Note = ""
			out = append(out, p)
		}
	}
	web.WriteJSON(w, http.StatusOK, noticesAnswer{Notices: web.NonNil(out)})
	return nil
}

func (s *handlers) apiNotice(w http.ResponseWriter, r *http.Request) error {
	v, err := s.noticeView(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, v)
	return nil
}

type objectionRequest struct {
	award.NewObjection
	Files []web.FileInput `json:"files,omitempty"`
}

func (s *handlers) apiObject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req objectionRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	files, err := decodeFiles(req.Files)
	if err != nil {
		return err
	}
	o, err := s.Award.FileObjection(r.Context(), id, req.NewObjection, files)
	if err != nil {
		return err
	}
	o.Contact = "" // not echoed on a public endpoint
	web.WriteJSON(w, http.StatusCreated, o)
	return nil
}

func (s *handlers) apiObjections(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	os, err := s.Award.Objections(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, objectionsAnswer{Objections: web.NonNil(os)})
	return nil
}

type decisionRequest struct {
	Upheld      bool               `json:"upheld"`
	Finding     string             `json:"finding"`
	Corrections []award.Correction `json:"corrections,omitempty"`
}

func (s *handlers) apiDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req decisionRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	o, err := s.Award.Decide(r.Context(), id, req.Upheld, req.Finding, req.Corrections)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, o)
	return nil
}

func (s *handlers) apiGrants(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	gs, err := s.Award.Grants(r.Context(), id, 0)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, grantsAnswer{Grants: web.NonNil(gs)})
	return nil
}

type grantRequest struct {
	EnterpriseID int64  `json:"enterprise_id"`
	AmountFen    int64  `json:"amount_fen"`
	Basis        string `json:"basis"`
}

func (s *handlers) apiGrantCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req grantRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	g, err := s.Award.CreateGrant(r.Context(), id, req.EnterpriseID, req.AmountFen, req.Basis)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, g)
	return nil
}

// apiPay requests a payment; the Idempotency-Key header is required.
// The first request answers 201; a replay of it answers 200 with the same
// payment; the same key with another body answers 409.
func (s *handlers) apiPay(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req award.PaymentRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	p, replayed, err := s.Award.RequestPayment(r.Context(), id, r.Header.Get("Idempotency-Key"), req)
	if err != nil {
		return err
	}
	code := http.StatusCreated
	if replayed {
		code = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	web.WriteJSON(w, code, p)
	return nil
}

func (s *handlers) apiPayments(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ps, err := s.Award.Payments(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, paymentsAnswer{Payments: web.NonNil(ps)})
	return nil
}

func (s *handlers) apiApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Award.Approve(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

type paidRequest struct {
	VoucherNo string `json:"voucher_no"`
	PaidOn    string `json:"paid_on"`
}

func (s *handlers) apiPaid(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req paidRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	p, err := s.Award.MarkPaid(r.Context(), id, req.VoucherNo, req.PaidOn)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

type reversalRequest struct {
	Reason string `json:"reason"`
	Date   string `json:"date"`
}

type withdrawalRequest struct {
	Reason string `json:"reason"`
}

func (s *handlers) apiWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req withdrawalRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	p, err := s.Award.Withdraw(r.Context(), id, req.Reason)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *handlers) apiReverse(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req reversalRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	p, err := s.Award.Reverse(r.Context(), id, req.Reason, req.Date)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *handlers) handleExport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Award.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	web.Spreadsheet(w, "award-"+strconv.FormatInt(p.ID, 10)+"-payments.xlsx")
	return s.Award.ExportPayments(r.Context(), viewer(r), id, w)
}

func (s *handlers) apiTotals(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	ts, err := s.Award.Totals(r.Context(), year)
	if err != nil {
		return err
	}
	out := totalsAnswer{Totals: web.NonNil(ts)}
	if year != 0 {
		paid, err := s.Award.YearPaid(r.Context(), year)
		if err != nil {
			return err
		}
		out.PaidInYearFen = &paid
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *handlers) apiFlags(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.Enterprise.Flags(r.Context(), web.EnterpriseViewer(r))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, flagsAnswer{Flags: web.NonNil(fs), Kinds: enterprise.FlagKinds})
	return nil
}

type flagRequest struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Kind         string `json:"kind"`
	Note         string `json:"note"`
}

func (s *handlers) apiFlagCreate(w http.ResponseWriter, r *http.Request) error {
	var req flagRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	f, err := s.Enterprise.AddFlag(r.Context(), web.EnterpriseViewer(r), req.EnterpriseID, req.Kind, req.Note)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, f)
	return nil
}

func (s *handlers) apiFlagClear(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.Enterprise.ClearFlag(r.Context(), web.EnterpriseViewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, f)
	return nil
}
