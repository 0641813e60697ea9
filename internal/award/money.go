package award

import (
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// moneyDetail names an amount above money.MaxFen.
func moneyDetail(field string, fen int64) errs.Detail {
	zh, en := money.Reason()
	return errs.Detail{Field: field, Value: strconv.FormatInt(fen, 10), Reason: zh, ReasonEN: en}
}

// detailsError is an Invalid error listing ds, or nil when ds is empty.
// With one detail the error names its field, as errs.Field does.
func detailsError(zh, en string, ds []errs.Detail) error {
	if len(ds) == 0 {
		return nil
	}
	e := errs.List(zh, en, ds)
	if len(ds) == 1 {
		e.Field = ds[0].Field
	}
	return e
}

// credible lists the rule's amounts that exceed money.MaxFen. Bounding each
// amount keeps every grant, and so every sum of grants, of payments and of
// the ledger, within int64.
func (m MoneyRule) credible() []errs.Detail {
	var ds []errs.Detail
	for _, a := range []struct {
		field string
		fen   int64
	}{{"money.amount_fen", m.AmountFen}, {"money.per_point_fen", m.PerPointFen}, {"money.cap_fen", m.CapFen}} {
		if !money.Credible(a.fen) {
			ds = append(ds, moneyDetail(a.field, a.fen))
		}
	}
	for i, b := range m.Bands {
		if !money.Credible(b.AmountFen) {
			ds = append(ds, moneyDetail("money.bands["+strconv.Itoa(i)+"].amount_fen", b.AmountFen))
		}
	}
	return ds
}

// TotalsSum is the sum of a list of programme totals.
type TotalsSum struct {
	BudgetFen  int64 `json:"budget_fen"`
	GrantedFen int64 `json:"granted_fen"`
	PaidFen    int64 `json:"paid_fen"`
	Winners    int   `json:"winners"`
}

// SumTotals adds up ts with every addition checked. Each amount is bounded
// by money.MaxFen and Totals returns at most 1000 rows, so an overflow means
// stored data broke the bounds: the error is internal.
func SumTotals(ts []Total) (TotalsSum, error) {
	var b, g, p money.Total
	var out TotalsSum
	for _, t := range ts {
		b.Add(t.BudgetFen)
		g.Add(t.GrantedFen)
		p.Add(t.PaidFen)
		out.Winners += t.Winners
	}
	var err error
	if out.BudgetFen, err = b.Fen("award: budget total"); err != nil {
		return TotalsSum{}, err
	}
	if out.GrantedFen, err = g.Fen("award: granted total"); err != nil {
		return TotalsSum{}, err
	}
	out.PaidFen, err = p.Fen("award: paid total")
	return out, err
}
