package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Actual is an indicator's figure for one period (实际完成): year-to-date
// this year and the same period last year, a published rate when only the
// rate exists, and the city's and province's YTD growth beside it.
type Actual struct {
	IndicatorID  int64  `json:"indicator_id"`
	Code         string `json:"indicator"`
	Year         int    `json:"year"`
	Month        int    `json:"month"`
	YTD          Opt    `json:"ytd"`
	YTDLast      Opt    `json:"ytd_last"`
	Rate         Opt    `json:"rate"` // published YTD growth, percent
	CityRate     Opt    `json:"city_rate"`
	ProvinceRate Opt    `json:"province_rate"`
	Note         string `json:"note"`
	UpdatedBy    string `json:"updated_by"`
	UpdatedAt    int64  `json:"updated_at"`
	// EnteredUnit is the unit whose staff saved the figures; 0 when the
	// zone's own staff did (a supervisor, an import of official figures).
	EnteredUnit int64 `json:"entered_unit_id,omitempty"`
}

// CanDelete reports whether sc may delete the period's figures a: the
// zone's staff any, a unit only those its own staff entered, never
// another source's.
func (sc Scope) CanDelete(ind Indicator, a Actual) bool {
	return sc.All || (sc.CanWrite(ind) && a.EnteredUnit == sc.UnitID)
}

// HasFigure reports whether the zone's own figure is there.
func (a Actual) HasFigure() bool { return a.YTD.OK || a.Rate.OK }

// ActualInput is one actual as typed in a form, a JSON body or an .xlsx row.
type ActualInput struct {
	Row                                        int // 1-based spreadsheet row, 0 otherwise
	Indicator, Year, Month                     string
	YTD, YTDLast, Rate, CityRate, ProvinceRate string
	Note                                       string
}

// check validates in against ind. It returns every problem, never a partial
// answer.
func (s *Service) check(in ActualInput, ind Indicator) (Actual, []errs.Detail) {
	a := Actual{IndicatorID: ind.ID, Code: ind.Code, Note: strings.TrimSpace(in.Note)}
	var d []errs.Detail
	add := func(field, value, zh, en string) {
		d = append(d, errs.Detail{Row: in.Row, Field: field, Value: value, Reason: zh, ReasonEN: en})
	}
	num := func(field, text string, dst *Opt) {
		o, err := parseOpt(field, text)
		if err != nil {
			add(field, text, "不是数字（最多四位小数）", "not a number (at most four decimals)")
			return
		}
		*dst = o
	}
	y, err := ParseYear("year", in.Year)
	if err != nil {
		add("year", in.Year, fmt.Sprintf("年份须为 %d–%d 的整数", MinYear, MaxYear), fmt.Sprintf("year must be a whole number %d–%d", MinYear, MaxYear))
	}
	m, merr := strconv.Atoi(strings.TrimSpace(in.Month))
	switch {
	case merr != nil || m < 1 || m > 12:
		add("month", in.Month, "月份须为 1–12 的整数（期间超出本年）", "month must be a whole number 1–12 (period outside the year)")
	case ind.Frequency == Quarterly && m%3 != 0:
		add("month", in.Month, "季度指标只接受季末月份 3、6、9、12", "a quarterly indicator takes quarter-end months 3, 6, 9, 12 only")
	case err == nil && !periodEnded(y, m, s.Now()):
		add("month", in.Month, fmt.Sprintf("%d年%d月尚未结束，不能录入未来月份的数据", y, m), fmt.Sprintf("%d-%02d has not ended: no figures for future months", y, m))
	}
	a.Year, a.Month = y, m
	num("ytd", in.YTD, &a.YTD)
	num("ytd_last", in.YTDLast, &a.YTDLast)
	num("rate", in.Rate, &a.Rate)
	num("city_rate", in.CityRate, &a.CityRate)
	num("province_rate", in.ProvinceRate, &a.ProvinceRate)
	if a.YTD.OK && a.YTD.V < 0 {
		add("ytd", in.YTD, "累计值不能为负", "a year-to-date amount cannot be negative")
	}
	if a.YTDLast.OK && a.YTDLast.V < 0 {
		add("ytd_last", in.YTDLast, "上年同期累计值不能为负", "last year's amount cannot be negative")
	}
	if strings.TrimSpace(in.YTD) == "" && strings.TrimSpace(in.Rate) == "" {
		add("ytd", "", "请填写本年累计值，或仅有增速时填写公布增速", "give the year-to-date amount, or the published rate when only the rate exists")
	}
	return a, d
}

// periodEnded reports whether month m of year y is over at now (China time).
func periodEnded(y, m int, now time.Time) bool {
	return !now.In(db.CST).Before(time.Date(y, time.Month(m)+1, 1, 0, 0, 0, 0, db.CST))
}

// SaveActual creates or replaces one period's figures. Errors: Invalid
// (fields named; nothing written), NotFound (indicator), Forbidden (a unit
// writing another unit's indicator).
func (s *Service) SaveActual(ctx context.Context, sc Scope, in ActualInput) (Actual, error) {
	ind, err := s.IndicatorByCode(ctx, in.Indicator)
	if errs.CodeOf(err) == errs.NotFound {
		return Actual{}, errs.Field("indicator", "指标不存在："+in.Indicator, "indicator not found: "+in.Indicator)
	}
	if err != nil {
		return Actual{}, err
	}
	if ind.Computed() {
		return Actual{}, notEntered(ind, "indicator", 0)
	}
	if !sc.CanWrite(ind) {
		return Actual{}, forbiddenIndicator(ind)
	}
	a, d := s.check(in, ind)
	if len(d) > 0 {
		e := errs.List("数据有误，未保存："+d[0].Field+" "+d[0].Reason, "not saved: "+d[0].Field+" "+d[0].ReasonEN, d)
		e.Field = d[0].Field
		return Actual{}, e
	}
	a.EnteredUnit = sc.enteredUnit()
	err = s.tx(ctx, func(tx *sql.Tx) error { return s.upsertActual(ctx, tx, &a) })
	if err != nil {
		return Actual{}, err
	}
	return a, nil
}

func (s *Service) upsertActual(ctx context.Context, tx *sql.Tx, a *Actual) error {
	a.UpdatedBy, a.UpdatedAt = audit.ActorFrom(ctx).Name, db.Now()
	before, err := scanActual(tx.QueryRowContext(ctx, actualSelect+" WHERE a.indicator_id = $1 AND a.year = $2 AND a.month = $3"+s.DB.ForUpdate(),
		a.IndicatorID, a.Year, a.Month))
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("kpi: read actual: %w", err)
	}
	var unit sql.NullInt64
	if a.EnteredUnit != 0 {
		unit = sql.NullInt64{Int64: a.EnteredUnit, Valid: true}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO kpi_actuals (indicator_id, year, month, ytd, ytd_last, rate, city_rate, province_rate, note, updated_by, updated_at, entered_unit_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
		ON CONFLICT (indicator_id, year, month) DO UPDATE SET ytd = excluded.ytd, ytd_last = excluded.ytd_last, rate = excluded.rate,
		city_rate = excluded.city_rate, province_rate = excluded.province_rate, note = excluded.note,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at, entered_unit_id = excluded.entered_unit_id`,
		a.IndicatorID, a.Year, a.Month, a.YTD.dbArg(), a.YTDLast.dbArg(), a.Rate.dbArg(), a.CityRate.dbArg(), a.ProvinceRate.dbArg(),
		a.Note, a.UpdatedBy, a.UpdatedAt, unit)
	if err != nil {
		return fmt.Errorf("kpi: save actual: %w", err)
	}
	e := audit.Entry{Action: "kpi.actual.save", ObjectType: "kpi_actual", ObjectID: fmt.Sprintf("%d/%d/%d", a.IndicatorID, a.Year, a.Month), After: a}
	if before.IndicatorID != 0 {
		e.Before = before
	}
	return s.Audit.RecordTx(ctx, tx, e)
}

// DeleteActual removes one period's figures. A unit may delete only what
// its own staff entered (Scope.CanDelete). Errors: NotFound, Forbidden.
func (s *Service) DeleteActual(ctx context.Context, sc Scope, indicatorID int64, year, month int) error {
	ind, err := s.Indicator(ctx, indicatorID)
	if err != nil {
		return err
	}
	if !sc.CanWrite(ind) {
		return forbiddenIndicator(ind)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanActual(tx.QueryRowContext(ctx, actualSelect+" WHERE a.indicator_id = $1 AND a.year = $2 AND a.month = $3"+s.DB.ForUpdate(),
			indicatorID, year, month))
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "该期数据不存在", "no figures for that period")
		}
		if err != nil {
			return fmt.Errorf("kpi: delete actual: %w", err)
		}
		if !sc.CanDelete(ind, before) {
			return errs.New(errs.Forbidden, "该期数据由其他来源录入（"+before.UpdatedBy+"），本单位不能删除，可录入更正值或联系督查室",
				"these figures were entered by another source ("+before.UpdatedBy+"); your unit cannot delete them: enter a correction or ask the supervisors")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM kpi_actuals WHERE indicator_id = $1 AND year = $2 AND month = $3", indicatorID, year, month); err != nil {
			return fmt.Errorf("kpi: delete actual: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "kpi.actual.delete", ObjectType: "kpi_actual",
			ObjectID: fmt.Sprintf("%d/%d/%d", indicatorID, year, month), Before: before})
	})
}

const actualSelect = `SELECT a.indicator_id, i.code, a.year, a.month, a.ytd, a.ytd_last, a.rate, a.city_rate, a.province_rate,
	a.note, a.updated_by, a.updated_at, a.entered_unit_id FROM kpi_actuals a JOIN kpi_indicators i ON i.id = a.indicator_id`

func scanActual(sc scanner) (Actual, error) {
	var a Actual
	var ytd, last, rate, city, prov, unit sql.NullInt64
	err := sc.Scan(&a.IndicatorID, &a.Code, &a.Year, &a.Month, &ytd, &last, &rate, &city, &prov, &a.Note, &a.UpdatedBy, &a.UpdatedAt, &unit)
	a.EnteredUnit = unit.Int64
	a.YTD, a.YTDLast, a.Rate, a.CityRate, a.ProvinceRate = opt(ytd), opt(last), opt(rate), opt(city), opt(prov)
	return a, err
}

func opt(n sql.NullInt64) Opt { return Opt{V: Value(n.Int64), OK: n.Valid} }

// Actuals lists an indicator's figures for the years from..to, oldest first
// (at most 12 a year). A computed indicator's are computed, for the months
// ended at the as-of date of year to. Errors: NotFound.
func (s *Service) Actuals(ctx context.Context, indicatorID int64, from, to int) ([]Actual, error) {
	ind, err := s.Indicator(ctx, indicatorID)
	if err != nil {
		return nil, err
	}
	if ind.Computed() {
		st, err := s.Settings(ctx, to)
		if err != nil {
			return nil, err
		}
		c, err := s.computed(ctx, []Indicator{ind}, from, to, s.AsOfDate(st))
		return c.acts[ind.ID], err
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, actualSelect+` WHERE a.indicator_id = $1 AND a.year BETWEEN $2 AND $3
		ORDER BY a.year, a.month LIMIT $4`, indicatorID, from, to, 12*(to-from+1))
	if err != nil {
		return nil, fmt.Errorf("kpi: list actuals: %w", err)
	}
	defer rows.Close()
	var out []Actual
	for rows.Next() {
		a, err := scanActual(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// yearActuals returns every actual of years from..to, keyed by indicator,
// in one query (the dashboard's).
func (s *Service) yearActuals(ctx context.Context, from, to int) (map[int64][]Actual, error) {
	// In kpi_actuals_year's order, so the index serves it without a sort;
	// each indicator's rows still come by year, then month.
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, actualSelect+` WHERE a.year BETWEEN $1 AND $2
		ORDER BY a.year, a.indicator_id, a.month LIMIT $3`, from, to, MaxIndicators*12*(to-from+1))
	if err != nil {
		return nil, fmt.Errorf("kpi: actuals %d–%d: %w", from, to, err)
	}
	defer rows.Close()
	out := map[int64][]Actual{}
	for rows.Next() {
		a, err := scanActual(rows)
		if err != nil {
			return nil, err
		}
		out[a.IndicatorID] = append(out[a.IndicatorID], a)
	}
	return out, rows.Err()
}
