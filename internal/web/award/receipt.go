package award

import (
	"net/http"

	"gaoxin/internal/award"
	"gaoxin/internal/web"
)

// Objection receipts (回执号): the objector gets one when filing, and anyone
// holding it may look up the decision, without an account.

type receiptPage struct {
	page
	Programme award.Programme
	Receipt   string               // just filed: the number to keep
	Status    *award.ReceiptStatus // a look-up's answer
}

// handleNoticeObject files an objection from the notice page's form and
// answers with the receipt, shown once (it is not stored in clear).
func (s *handlers) handleNoticeObject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	files, err := s.readUploads(w, r, "evidence")
	if err != nil {
		return err
	}
	n := award.NewObjection{EnterpriseID: formInt(r, "enterprise_id"), Indicator: r.FormValue("indicator"), Name: r.FormValue("name"),
		Contact: r.FormValue("contact"), Reason: r.FormValue("reason")}
	o, err := s.Award.FileObjection(r.Context(), id, n, files)
	if err != nil {
		return err
	}
	prog, err := s.Award.Programme(r.Context(), id)
	if err != nil {
		return err
	}
	p := receiptPage{page: page{s.Page(r, "异议已提交", "Objection filed")}, Programme: prog, Receipt: o.Receipt}
	return s.Render(w, r, "award/receipt.html", p)
}

// handleReceiptForm is the public look-up form.
func (s *handlers) handleReceiptForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "award/receipt.html", receiptPage{page: page{s.Page(r, "异议处理结果查询", "Objection decision look-up")}})
}

// handleReceiptLookup answers a look-up posted from the form (a POST, so
// that receipts stay out of addresses and logs).
func (s *handlers) handleReceiptLookup(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Award.LookupReceipt(r.Context(), r.FormValue("receipt"))
	if err != nil {
		return err
	}
	return s.Render(w, r, "award/receipt.html", receiptPage{page: page{s.Page(r, "异议处理结果查询", "Objection decision look-up")}, Status: &st})
}

type receiptRequest struct {
	Receipt string `json:"receipt"`
}

func (s *handlers) apiReceipt(w http.ResponseWriter, r *http.Request) error {
	var req receiptRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	st, err := s.Award.LookupReceipt(r.Context(), req.Receipt)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, st)
	return nil
}
