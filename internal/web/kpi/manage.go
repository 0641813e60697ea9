package kpi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	// What a computed indicator may be made of: every source's measures,
	// and their filters merged by key.
	Measures []kpi.Measure
	Filters  []kpi.FilterField
}

// SourceOf is a computed indicator's source in words, with its filter.
func (p managePage) SourceOf(ind kpi.Indicator) string {
	name := ind.Source
	for _, m := range p.Measures {
		if m.Code == ind.Source {
			name = p.L(m.NameZH, orZH(m.NameEN, m.NameZH))
		}
	}
	words := []string{name}
	set := map[string]string{kpi.FilterCategory: ind.SourceFilter.Category, kpi.FilterChain: ind.SourceFilter.Chain}
	if ind.SourceFilter.Batch != 0 {
		set[kpi.FilterBatch] = strconv.Itoa(ind.SourceFilter.Batch)
	}
	for _, f := range p.Filters {
		v := set[f.Key]
		if v == "" {
			continue
		}
		w := v
		for _, c := range f.Choices {
			if c.Value == v {
				w = strings.TrimSpace(p.L(c.NameZH, orZH(c.NameEN, c.NameZH)))
			}
		}
		words = append(words, p.L(f.NameZH, orZH(f.NameEN, f.NameZH))+"："+w)
	}
	return strings.Join(words, " · ")
}

// FilterValue is the form's value of a filter, as its choices spell it.
func (p managePage) FilterValue(key string) string {
	switch key {
	case kpi.FilterCategory:
		return p.Form.Filter.Category
	case kpi.FilterChain:
		return p.Form.Filter.Chain
	case kpi.FilterBatch:
		if p.Form.Filter.Batch != 0 {
			return strconv.Itoa(p.Form.Filter.Batch)
		}
	}
	return ""
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
	srcs, err := s.KPI.Sources(r.Context())
	if err != nil {
		return p, err
	}
	at := map[string]int{}
	for _, src := range srcs {
		p.Measures = append(p.Measures, src.Measures...)
		for _, f := range src.Filters {
			i, ok := at[f.Key]
			if !ok {
				at[f.Key] = len(p.Filters)
				p.Filters = append(p.Filters, kpi.FilterField{Key: f.Key, NameZH: f.NameZH, NameEN: f.NameEN})
				i = at[f.Key]
			}
			for _, c := range f.Choices {
				if !slices.ContainsFunc(p.Filters[i].Choices, func(o kpi.Choice) bool { return o.Value == c.Value }) {
					p.Filters[i].Choices = append(p.Filters[i].Choices, c)
				}
			}
		}
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
		Seasonal: r.FormValue("seasonal") != "", DueDay: due, Sort: sort, Source: r.FormValue("source"),
		Filter: kpi.Filter{Category: r.FormValue("source_category"), Chain: r.FormValue("source_chain"), Batch: batchValue(r.FormValue("source_batch"))}}
}

// batchValue reads a batch number; anything else becomes -1, which the
// service refuses naming the field.
func batchValue(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return -1
	}
	return n
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
		Seasonal: ind.Seasonal, DueDay: ind.DueDay, Sort: ind.Sort, Source: ind.Source, Filter: ind.SourceFilter}
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
