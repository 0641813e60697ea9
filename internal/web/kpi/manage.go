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

type managePage struct {
	web.Page
	Year       int
	Indicators []kpi.Indicator
	Targets    map[int64]kpi.Target
	Units      []org.Unit
	Settings   kpi.Settings
	Form       kpi.IndicatorInput
	Details    []errs.Detail
	Editing    int64 // indicator being edited, 0 for the create form
}

// ThresholdText prints a threshold as stored.
func (p managePage) ThresholdText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// TargetOf is the target text of an indicator, "" when unset.
func (p managePage) TargetOf(id int64) string {
	if t, ok := p.Targets[id]; ok {
		return t.Value.String()
	}
	return ""
}

func (s *handlers) managePage(r *http.Request) (managePage, error) {
	p := managePage{Page: s.Page(r, "指标与目标管理", "Indicators and targets"), Targets: map[int64]kpi.Target{},
		Form: kpi.IndicatorInput{Kind: kpi.Growth, Frequency: kpi.Monthly, Direction: kpi.Higher, DueDay: 15}}
	var err error
	if p.Year, err = s.year(r); err != nil {
		return p, err
	}
	if p.Indicators, err = s.KPI.Indicators(r.Context(), 0); err != nil {
		return p, err
	}
	ts, err := s.KPI.Targets(r.Context(), p.Year)
	if err != nil {
		return p, err
	}
	for _, t := range ts {
		p.Targets[t.IndicatorID] = t
	}
	if p.Units, err = s.Org.Units(r.Context()); err != nil {
		return p, err
	}
	p.Settings, err = s.KPI.Settings(r.Context(), p.Year)
	return p, err
}

func (s *handlers) handleManage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.managePage(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "kpi/manage.html", p)
}

// manageError re-renders the manage page with the error and the form as
// typed, or returns a non-input error as is.
func (s *handlers) manageError(w http.ResponseWriter, r *http.Request, err error, form *kpi.IndicatorInput, editing int64) error {
	e := errs.As(err)
	if e.Code == errs.Internal || e.Code == errs.NotFound {
		return err
	}
	p, perr := s.managePage(r)
	if perr != nil {
		return perr
	}
	if form != nil {
		p.Form = *form
	}
	p.Editing, p.Error, p.Details = editing, e.Message(p.Lang), e.Details
	w.WriteHeader(web.Status(e.Code))
	return s.Render(w, r, "kpi/manage.html", p)
}

func indicatorForm(r *http.Request) kpi.IndicatorInput {
	due, _ := strconv.Atoi(r.FormValue("due_day"))
	sort, _ := strconv.Atoi(r.FormValue("sort"))
	return kpi.IndicatorInput{Code: r.FormValue("code"), NameZH: r.FormValue("name_zh"), NameEN: r.FormValue("name_en"),
		Measure: r.FormValue("measure"), Kind: kpi.Kind(r.FormValue("kind")), Direction: kpi.Direction(r.FormValue("direction")),
		Frequency: kpi.Frequency(r.FormValue("frequency")), Owner: r.FormValue("owner_unit"), SourceDept: r.FormValue("source_dept"),
		Seasonal: r.FormValue("seasonal") != "", DueDay: due, Sort: sort}
}

func (s *handlers) handleIndicatorCreateForm(w http.ResponseWriter, r *http.Request) error {
	in := indicatorForm(r)
	if _, err := s.KPI.CreateIndicator(r.Context(), in); err != nil {
		return s.manageError(w, r, err, &in, 0)
	}
	return web.SeeOther(w, r, "/kpi/manage?ok=created")
}

func (s *handlers) handleIndicatorEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ind, err := s.KPI.Indicator(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := s.managePage(r)
	if err != nil {
		return err
	}
	p.Editing = id
	p.Form = kpi.IndicatorInput{Code: ind.Code, NameZH: ind.NameZH, NameEN: ind.NameEN, Measure: ind.Measure, Kind: ind.Kind,
		Direction: ind.Direction, Frequency: ind.Frequency, Owner: ind.OwnerCode, SourceDept: ind.SourceDept,
		Seasonal: ind.Seasonal, DueDay: ind.DueDay, Sort: ind.Sort}
	return s.Render(w, r, "kpi/manage.html", p)
}

func (s *handlers) handleIndicatorSaveForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in := indicatorForm(r)
	if _, err := s.KPI.UpdateIndicator(r.Context(), id, in); err != nil {
		return s.manageError(w, r, err, &in, id)
	}
	return web.SeeOther(w, r, "/kpi/manage?ok=saved")
}

func (s *handlers) handleIndicatorDeleteForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.KPI.DeleteIndicator(r.Context(), id); err != nil {
		return s.manageError(w, r, err, nil, 0)
	}
	return web.SeeOther(w, r, "/kpi/manage?ok=saved")
}

func (s *handlers) handleTargetForm(w http.ResponseWriter, r *http.Request) error {
	year := r.FormValue("year")
	if _, err := s.KPI.SetTarget(r.Context(), r.FormValue("indicator"), year, r.FormValue("value"), r.FormValue("note")); err != nil {
		return s.manageError(w, r, err, nil, 0)
	}
	return web.SeeOther(w, r, fmt.Sprintf("/kpi/manage?year=%s&ok=saved", url.QueryEscape(year)))
}

func (s *handlers) handleSettingsForm(w http.ResponseWriter, r *http.Request) error {
	y, err := kpi.ParseYear("year", r.FormValue("year"))
	if err != nil {
		return s.manageError(w, r, err, nil, 0)
	}
	in := kpi.SettingsInput{AsOf: r.FormValue("as_of"), Ahead: r.FormValue("ahead"), OnPace: r.FormValue("on_pace"),
		Behind: r.FormValue("behind"), ClosePP: r.FormValue("close_pp")}
	if _, err := s.KPI.SaveSettings(r.Context(), y, in); err != nil {
		return s.manageError(w, r, err, nil, 0)
	}
	return web.SeeOther(w, r, fmt.Sprintf("/kpi/manage?year=%d&ok=saved", y))
}
