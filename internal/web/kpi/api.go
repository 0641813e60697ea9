package kpi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
	"gaoxin/internal/web"
)

// looseNum takes a JSON number or string as written, so decimals reach the
// kpi package exactly (never through float64) and a bad value is reported by
// kpi with its field name.
type looseNum string

func (n *looseNum) UnmarshalJSON(b []byte) error {
	t := strings.TrimSpace(string(b))
	switch {
	case t == "null":
		*n = ""
	case strings.HasPrefix(t, `"`):
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = looseNum(s)
	default:
		*n = looseNum(t)
	}
	return nil
}

type indicatorRequest struct {
	Code       string `json:"code"`
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	Measure    string `json:"measure"`
	Kind       string `json:"kind"`
	Direction  string `json:"direction"`
	Frequency  string `json:"frequency"`
	OwnerUnit  string `json:"owner_unit"`
	SourceDept string `json:"source_dept"`
	Seasonal   bool   `json:"seasonal"`
	DueDay     int    `json:"due_day"`
	Sort       int    `json:"sort"`
	// Source makes the indicator computed (系统计算): a measure code from
	// GET /api/v1/kpi/sources, narrowed by SourceFilter; "" or absent for
	// an indicator whose figures people enter.
	Source       string     `json:"source,omitempty"`
	SourceFilter kpi.Filter `json:"source_filter,omitzero"`
}

func (q indicatorRequest) input() kpi.IndicatorInput {
	return kpi.IndicatorInput{Code: q.Code, NameZH: q.NameZH, NameEN: q.NameEN, Measure: q.Measure, Kind: kpi.Kind(q.Kind),
		Direction: kpi.Direction(q.Direction), Frequency: kpi.Frequency(q.Frequency), Owner: q.OwnerUnit,
		SourceDept: q.SourceDept, Seasonal: q.Seasonal, DueDay: q.DueDay, Sort: q.Sort, Source: q.Source, Filter: q.SourceFilter}
}

var exampleIndicator = indicatorRequest{Code: "gdp", NameZH: "地区生产总值", NameEN: "GDP", Measure: "亿元", Kind: "growth",
	Direction: "higher", Frequency: "quarterly", OwnerUnit: "jfj", SourceDept: "统计部门", DueDay: 20}

type targetRequest struct {
	Indicator string   `json:"indicator"`
	Year      int      `json:"year"`
	Value     looseNum `json:"value"`
	Note      string   `json:"note"`
}

type actualRequest struct {
	Indicator    string   `json:"indicator"`
	Year         int      `json:"year"`
	Month        int      `json:"month"`
	YTD          looseNum `json:"ytd"`
	YTDLast      looseNum `json:"ytd_last"`
	Rate         looseNum `json:"rate"`
	CityRate     looseNum `json:"city_rate"`
	ProvinceRate looseNum `json:"province_rate"`
	Note         string   `json:"note"`
}

var exampleActual = actualRequest{Indicator: "gdp", Year: 2023, Month: 9, YTD: "945.2", YTDLast: "880.6", CityRate: "6.1", ProvinceRate: "5.9"}

type settingsRequest struct {
	AsOf    string   `json:"as_of"`
	Ahead   looseNum `json:"ahead"`
	OnPace  looseNum `json:"on_pace"`
	Behind  looseNum `json:"behind"`
	ClosePP looseNum `json:"close_pp"`
}

// scope is what the caller may write: everything for a supervisor, its
// own unit's indicators for unit staff.
func scope(r *http.Request) kpi.Scope { return kpi.ScopeOf(web.CurrentUser(r)) }

// year is ?year=, or the latest year with targets that has begun, or
// this year.
func (s *handlers) year(r *http.Request) (int, error) {
	if y := r.URL.Query().Get("year"); y != "" {
		return kpi.ParseYear("year", y)
	}
	now := s.KPI.Now().In(db.CST).Year()
	years, err := s.KPI.Years(r.Context())
	if err != nil {
		return 0, err
	}
	for _, y := range years {
		if y <= now {
			return y, nil
		}
	}
	return now, nil
}

func (s *handlers) apiDashboard(w http.ResponseWriter, r *http.Request) error {
	y, err := s.year(r)
	if err != nil {
		return err
	}
	d, err := s.KPI.Dashboard(r.Context(), y)
	if err != nil {
		return err
	}
	if d.Cards == nil {
		d.Cards = []kpi.Card{}
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}

func (s *handlers) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	inds, err := s.KPI.Indicators(r.Context(), 0)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, indicatorsAnswer{Indicators: web.NonNil(inds)})
	return nil
}

func (s *handlers) apiSources(w http.ResponseWriter, r *http.Request) error {
	srcs, err := s.KPI.Sources(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, sourcesAnswer{Sources: srcs})
	return nil
}

func (s *handlers) apiIndicator(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ind, err := s.KPI.Indicator(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, ind)
	return nil
}

func (s *handlers) apiIndicatorCreate(w http.ResponseWriter, r *http.Request) error {
	var req indicatorRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	ind, err := s.KPI.CreateIndicator(r.Context(), req.input())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, ind)
	return nil
}

func (s *handlers) apiIndicatorUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req indicatorRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	ind, err := s.KPI.UpdateIndicator(r.Context(), id, req.input())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, ind)
	return nil
}

func (s *handlers) apiIndicatorDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.KPI.DeleteIndicator(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *handlers) apiTargets(w http.ResponseWriter, r *http.Request) error {
	y, err := s.year(r)
	if err != nil {
		return err
	}
	ts, err := s.KPI.Targets(r.Context(), y)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, targetsAnswer{Year: y, Targets: web.NonNil(ts)})
	return nil
}

func (s *handlers) apiTargetSet(w http.ResponseWriter, r *http.Request) error {
	var req targetRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	t, err := s.KPI.SetTarget(r.Context(), req.Indicator, strconv.Itoa(req.Year), string(req.Value), req.Note)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, t)
	return nil
}

func (s *handlers) apiTargetDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	y, err := kpi.ParseYear("year", r.PathValue("year"))
	if err != nil {
		return err
	}
	if err := s.KPI.DeleteTarget(r.Context(), id, y); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *handlers) apiActuals(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	y, err := s.year(r)
	if err != nil {
		return err
	}
	if _, err := s.KPI.Indicator(r.Context(), id); err != nil {
		return err
	}
	acts, err := s.KPI.Actuals(r.Context(), id, y-1, y)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, actualsAnswer{Year: y, Actuals: web.NonNil(acts)})
	return nil
}

func (s *handlers) apiActualSave(w http.ResponseWriter, r *http.Request) error {
	var req actualRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.KPI.SaveActual(r.Context(), scope(r), kpi.ActualInput{Indicator: req.Indicator,
		Year: strconv.Itoa(req.Year), Month: strconv.Itoa(req.Month), YTD: string(req.YTD), YTDLast: string(req.YTDLast),
		Rate: string(req.Rate), CityRate: string(req.CityRate), ProvinceRate: string(req.ProvinceRate), Note: req.Note})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, a)
	return nil
}

func (s *handlers) apiActualDelete(w http.ResponseWriter, r *http.Request) error {
	id, y, m, err := actualPath(r)
	if err != nil {
		return err
	}
	if err := s.KPI.DeleteActual(r.Context(), scope(r), id, y, m); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func actualPath(r *http.Request) (id int64, year, month int, err error) {
	if id, err = web.PathID(r, "id"); err != nil {
		return
	}
	year, _ = strconv.Atoi(r.PathValue("year"))
	month, _ = strconv.Atoi(r.PathValue("month"))
	if month < 1 || month > 12 {
		err = errs.New(errs.NotFound, "该期数据不存在", "no figures for that period")
	}
	return
}

// overdueFor lists overdue figures visible to the caller at asOf: unit staff
// see their own unit's, others every unit's (or ?unit=code).
func (s *handlers) overdueFor(r *http.Request, asOf time.Time) ([]kpi.Overdue, error) {
	sc := scope(r)
	unitID := int64(0)
	// A unit's staff see their own unit whatever ?unit= asks (OverdueFor),
	// so their ?unit= is not looked up.
	if code := r.URL.Query().Get("unit"); code != "" && (sc.All || sc.UnitID == 0) {
		unit, err := s.Org.UnitByCode(r.Context(), code)
		if err != nil {
			return nil, err
		}
		unitID = unit.ID
	}
	return s.KPI.OverdueFor(r.Context(), sc, unitID, asOf)
}

func (s *handlers) apiOverdue(w http.ResponseWriter, r *http.Request) error {
	asOf := s.KPI.Now()
	if v := r.URL.Query().Get("as_of"); v != "" {
		t, err := time.ParseInLocation("2006-01-02", v, db.CST)
		if err != nil {
			return errs.Field("as_of", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		}
		asOf = t
	}
	od, err := s.overdueFor(r, asOf)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, overdueAnswer{AsOf: asOf.In(db.CST).Format("2006-01-02"), Overdue: web.NonNil(od)})
	return nil
}

func (s *handlers) apiSettings(w http.ResponseWriter, r *http.Request) error {
	y, err := kpi.ParseYear("year", r.PathValue("year"))
	if err != nil {
		return err
	}
	st, err := s.KPI.Settings(r.Context(), y)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, st)
	return nil
}

func (s *handlers) apiSettingsSave(w http.ResponseWriter, r *http.Request) error {
	y, err := kpi.ParseYear("year", r.PathValue("year"))
	if err != nil {
		return err
	}
	var req settingsRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	st, err := s.KPI.SaveSettings(r.Context(), y, kpi.SettingsInput{AsOf: req.AsOf, Ahead: string(req.Ahead),
		OnPace: string(req.OnPace), Behind: string(req.Behind), ClosePP: string(req.ClosePP)})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, st)
	return nil
}
