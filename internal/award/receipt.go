package award

import (
	"context"
	"database/sql"
	"fmt"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
	"gaoxin/internal/receipt"
)

// An objection's receipt (回执号) is given and checked by internal/receipt:
// only the secret's SHA-256 is stored. Failed look-ups are counted per
// source address, and more than ReceiptMissesPerHour in an hour are
// refused, as filing objections is limited per address.

// ReceiptMissesPerHour is how many failed receipt look-ups one address may
// make in an hour.
const ReceiptMissesPerHour = receipt.MissesPerHour

// ReceiptStatus is what a receipt shows of its objection: what it was
// about and what was decided; never who filed it or how to reach them.
type ReceiptStatus struct {
	ObjectionID    int64  `json:"objection_id"`
	ProgrammeID    int64  `json:"programme_id"`
	ProgrammeName  string `json:"programme_name"`
	EnterpriseName string `json:"enterprise_name,omitempty"` // "" for the whole list
	IndicatorZH    string `json:"indicator_zh,omitempty"`
	IndicatorEN    string `json:"indicator_en,omitempty"`
	State          string `json:"state"` // filed, upheld, dismissed
	StateZH        string `json:"state_zh"`
	StateEN        string `json:"state_en"`
	Finding        string `json:"finding,omitempty"`
	FiledAt        int64  `json:"filed_at"`
	DecidedAt      int64  `json:"decided_at,omitempty"`
}

func errNoReceipt() error {
	return errs.New(errs.NotFound, "回执号不存在或有误，请核对后再试", "no objection has this receipt number; check it and try again")
}

// LookupReceipt returns the objection a receipt was given for, to anyone
// holding it. Errors: NotFound (no such receipt: a wrong id, a wrong secret
// or a malformed number answer alike), RateLimited (too many failed
// look-ups from this address in the last hour).
func (s *Service) LookupReceipt(ctx context.Context, number string) (ReceiptStatus, error) {
	return receipt.Look(ctx, receipt.Misses{DB: s.DB, Table: "award_receipt_misses"}, audit.ActorFrom(ctx).IP, s.nowMS(),
		func() (ReceiptStatus, error) { return s.receiptStatus(ctx, number) })
}

func (s *Service) receiptStatus(ctx context.Context, number string) (ReceiptStatus, error) {
	id, secret, ok := receipt.Parse(number)
	if !ok {
		return ReceiptStatus{}, errNoReceipt()
	}
	var hash string
	var st ReceiptStatus
	var ent int64
	var indicator string
	err := s.DB.Read(ctx).QueryRowContext(ctx, `SELECT o.receipt_hash, o.id, o.programme_id, p.name_zh, COALESCE(o.enterprise_id, 0), o.indicator, o.state, o.finding,
		o.created_at, o.decided_at FROM award_objections o JOIN award_programmes p ON p.id = o.programme_id WHERE o.id=$1`, id).
		Scan(&hash, &st.ObjectionID, &st.ProgrammeID, &st.ProgrammeName, &ent, &indicator, &st.State, &st.Finding, &st.FiledAt, &st.DecidedAt)
	if err == sql.ErrNoRows || (err == nil && !receipt.Matches(s.DB.Crypto, hash, secret)) {
		return ReceiptStatus{}, errNoReceipt()
	}
	if err != nil {
		return ReceiptStatus{}, fmt.Errorf("award: receipt: %w", err)
	}
	st.StateZH, st.StateEN = Label(st.State)
	if ent != 0 {
		briefs, err := s.Registry.Briefs(ctx, nil, []int64{ent})
		if err != nil {
			return ReceiptStatus{}, fmt.Errorf("award: receipt enterprise: %w", err)
		}
		st.EnterpriseName = briefs[ent].Name
	}
	if indicator != "" {
		w, err := s.Words(ctx)
		if err != nil {
			return ReceiptStatus{}, err
		}
		st.IndicatorZH, st.IndicatorEN = w.Indicator(indicator)
	}
	return st, nil
}
