package kpi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
)

type dashboardPage struct {
	web.Page
	Year     int
	Years    []int
	AsOf     string
	Cards    []card
	Summary  []kpi.Bucket // cards by status, in the cards' words
	Overdue  []kpi.Overdue
	CanEdit  bool
	CanEnter bool
	Th       kpi.Thresholds
}

// handleDashboard serves the dashboard: every card with its chart, and
// a unit's own overdue figures.
func (s *handlers) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	y, err := s.year(r)
	if err != nil {
		return err
	}
	p, err := s.dashboardPage(r, y)
	if err != nil {
		return err
	}
	return s.Render(w, r, "kpi/dashboard.html", p)
}

// dashboardPage gathers the dashboard of year y for the user.
func (s *handlers) dashboardPage(r *http.Request, y int) (dashboardPage, error) {
	p := dashboardPage{Page: s.Page(r, fmt.Sprintf("%d 年目标指标", y), fmt.Sprintf("Targets %d", y)), Year: y}
	u := web.CurrentUser(r)
	p.CanEdit, p.CanEnter = u.Role == org.Supervisor, u.Role == org.Supervisor || u.Role == org.UnitStaff
	var err error
	if p.Years, err = s.KPI.Years(r.Context()); err != nil {
		return p, err
	}
	d, err := s.KPI.Dashboard(r.Context(), y)
	if err != nil {
		return p, err
	}
	p.AsOf, p.Th = d.AsOf, d.Settings.Thresholds
	for _, c := range d.Cards {
		v := cardView(p.Page, c, 540, 220)
		p.Cards = append(p.Cards, v)
	}
	p.Summary = kpi.Tally(d.Cards)
	if u.Role == org.UnitStaff {
		st, err := s.KPI.Settings(r.Context(), y)
		if err != nil {
			return p, err
		}
		if p.Overdue, err = s.KPI.OverdueFigures(r.Context(), u.UnitID, s.KPI.AsOfDate(st)); err != nil {
			return p, err
		}
	}
	return p, nil
}

type periodRow struct {
	Period, YTD, YTDLast, Growth, City, Province, Expected, Status, Color, Note, By string
	Year, Month                                                                     int
	Published                                                                       bool
	CanDelete                                                                       bool // the viewer may delete it (its own unit entered it)
}

type indicatorPage struct {
	web.Page
	Year     int
	Card     card
	Rows     []periodRow
	CanEnter bool
	Form     kpi.ActualInput
	Details  []errs.Detail
	Months   []int
	About    string // how a computed indicator's measure is counted
}

// indicatorPage builds the detail page: the card, a chart and one row per
// period with the rules applied to that period as if it were the latest.
func (s *handlers) indicatorPage(r *http.Request, id int64) (indicatorPage, error) {
	var p indicatorPage
	y, err := s.year(r)
	if err != nil {
		return p, err
	}
	ind, err := s.KPI.Indicator(r.Context(), id)
	if err != nil {
		return p, err
	}
	p.Page = s.Page(r, ind.NameZH, orZH(ind.NameEN, ind.NameZH))
	p.Year, p.CanEnter, p.Months = y, scope(r).CanWrite(ind) && !ind.Computed(), ind.Frequency.Periods()
	if m, ok := s.KPI.MeasureOf(ind.Source); ok {
		p.About = p.L(m.AboutZH, orZH(m.AboutEN, m.AboutZH))
	}
	p.Form = kpi.ActualInput{Year: strconv.Itoa(y)}
	d, err := s.KPI.Dashboard(r.Context(), y)
	if err != nil {
		return p, err
	}
	for _, c := range d.Cards {
		if c.Indicator.ID == id {
			p.Card = cardView(p.Page, c, 880, 300)
		}
	}
	acts, err := s.KPI.Actuals(r.Context(), id, y-1, y)
	if err != nil {
		return p, err
	}
	var by []string
	for _, a := range acts {
		by = append(by, a.UpdatedBy)
	}
	who, err := s.People(r.Context(), p.Page, by...)
	if err != nil {
		return p, err
	}
	for _, pt := range kpi.Series(ind, y, acts, p.Card.Card.Target, d.Settings.Thresholds) {
		a, as := pt.Actual, pt.Assessment
		row := periodRow{Period: periodLabel(p.Page, ind, y, a.Month), YTD: amount(a.YTD, ind.Measure), YTDLast: amount(pt.YTDLast, ind.Measure),
			City: rate(a.CityRate), Province: rate(a.ProvinceRate), Note: a.Note, By: who.Name(a.UpdatedBy), Year: a.Year, Month: a.Month,
			Color: kpi.Color(ind.Kind, as.Status), Growth: "—", Expected: "—", Published: as.GrowthSource == kpi.Published,
			CanDelete: a.Year == y && scope(r).CanDelete(ind, a)}
		zh, en := as.Status.Label()
		row.Status = p.L(zh, en)
		if as.GrowthPct != nil {
			row.Growth = signed(*as.GrowthPct, 2) + "%"
		}
		if as.Expected != nil {
			row.Expected = qty(*as.Expected, ind.Measure, false)
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func (s *handlers) handleIndicator(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.indicatorPage(r, id)
	if err != nil {
		return err
	}
	return s.Render(w, r, "kpi/indicator.html", p)
}

func (s *handlers) handleActualForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ind, err := s.KPI.Indicator(r.Context(), id)
	if err != nil {
		return err
	}
	in := kpi.ActualInput{Indicator: ind.Code, Year: r.FormValue("year"), Month: r.FormValue("month"), YTD: r.FormValue("ytd"),
		YTDLast: r.FormValue("ytd_last"), Rate: r.FormValue("rate"), CityRate: r.FormValue("city_rate"),
		ProvinceRate: r.FormValue("province_rate"), Note: r.FormValue("note")}
	if _, err := s.KPI.SaveActual(r.Context(), scope(r), in); err != nil {
		e := errs.As(err)
		if e.Code != errs.Invalid {
			return err
		}
		p, perr := s.indicatorPage(r, id)
		if perr != nil {
			return perr
		}
		p.Form, p.Error, p.Details = in, e.Message(p.Lang), e.Details
		w.WriteHeader(http.StatusBadRequest)
		return s.Render(w, r, "kpi/indicator.html", p)
	}
	return web.SeeOther(w, r, fmt.Sprintf("/kpi/indicators/%d?year=%s&ok=saved", id, url.QueryEscape(in.Year)))
}

func (s *handlers) handleActualDeleteForm(w http.ResponseWriter, r *http.Request) error {
	id, y, m, err := actualPath(r)
	if err != nil {
		return err
	}
	if err := s.KPI.DeleteActual(r.Context(), scope(r), id, y, m); err != nil {
		return err
	}
	return web.SeeOther(w, r, fmt.Sprintf("/kpi/indicators/%d?year=%d&ok=saved", id, y))
}

type overduePage struct {
	web.Page
	Year    int
	AsOf    string
	Overdue []kpi.Overdue
}

func (s *handlers) handleOverdue(w http.ResponseWriter, r *http.Request) error {
	y, err := s.year(r)
	if err != nil {
		return err
	}
	st, err := s.KPI.Settings(r.Context(), y)
	if err != nil {
		return err
	}
	asOf := s.KPI.AsOfDate(st)
	p := overduePage{Page: s.Page(r, "逾期未报数据", "Overdue figures"), Year: y, AsOf: asOf.Format("2006-01-02")}
	if p.Overdue, err = s.overdueFor(r, asOf); err != nil {
		return err
	}
	return s.Render(w, r, "kpi/overdue.html", p)
}

type importPage struct {
	web.Page
	Year     int
	Imported int
	Details  []errs.Detail
}

func (s *handlers) handleImportPage(w http.ResponseWriter, r *http.Request) error {
	y, err := s.year(r)
	if err != nil {
		return err
	}
	p := importPage{Page: s.Page(r, "导入月度数据", "Import monthly figures"), Year: y}
	p.Imported, _ = strconv.Atoi(r.URL.Query().Get("imported"))
	if p.Imported > 0 {
		p.Flash = fmt.Sprintf(p.L("已导入 %d 行", "%d rows imported"), p.Imported)
	}
	return s.Render(w, r, "kpi/import.html", p)
}

func (s *handlers) handleImportForm(w http.ResponseWriter, r *http.Request) error {
	n, err := s.importFile(w, r)
	if err != nil {
		e := errs.As(err)
		if e.Code != errs.Invalid {
			return err
		}
		y, _ := s.year(r)
		p := importPage{Page: s.Page(r, "导入月度数据", "Import monthly figures"), Year: y, Details: e.Details}
		p.Error = e.Message(p.Lang)
		w.WriteHeader(http.StatusBadRequest)
		return s.Render(w, r, "kpi/import.html", p)
	}
	return web.SeeOther(w, r, fmt.Sprintf("/kpi/import?imported=%d", n))
}
