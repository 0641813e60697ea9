// Package kpi keeps the zone's economic targets (目标指标): indicators, their
// yearly targets, year-to-date actuals with the city's and the province's
// figures beside them, and the rules that turn those figures into pace,
// gap, status and what the rest of the year must deliver (pace.go).
//
// Figures are exact: see Scale. Every write is audited in its transaction.
package kpi

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Kind is how a target is stated.
type Kind string

const (
	Growth   Kind = "growth"   // a year-to-date growth rate, percent (增速目标)
	Absolute Kind = "absolute" // an amount for the year (总量目标)
)

// Direction says which way is better.
type Direction string

const (
	Higher Direction = "higher"
	Lower  Direction = "lower"
)

// Frequency is how often figures are published.
type Frequency string

const (
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
)

// Periods returns the reporting months of f: 1–12, or the quarter-end months.
func (f Frequency) Periods() []int {
	if f == Quarterly {
		return []int{3, 6, 9, 12}
	}
	return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
}

// Indicator is one economic indicator the zone tracks (指标).
type Indicator struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code"`
	NameZH     string    `json:"name_zh"`
	NameEN     string    `json:"name_en"`
	Measure    string    `json:"measure"` // unit of measure: 亿元, %, 家
	Kind       Kind      `json:"kind"`
	Direction  Direction `json:"direction"`
	Frequency  Frequency `json:"frequency"`
	OwnerID    int64     `json:"owner_unit_id"`
	OwnerCode  string    `json:"owner_unit"`
	OwnerName  string    `json:"owner_unit_name"`
	SourceDept string    `json:"source_dept"` // 数据来源部门
	Seasonal   bool      `json:"seasonal"`    // expected pace follows last year's monthly profile
	DueDay     int       `json:"due_day"`     // day of the following month the figure is due
	Sort       int       `json:"sort"`
	UpdatedAt  int64     `json:"updated_at"`
	// Source is the measure that computes the figures of a computed
	// indicator (系统计算), e.g. scenario.calls_published, narrowed by
	// SourceFilter; "" when people enter them.
	Source       string `json:"source"`
	SourceFilter Filter `json:"source_filter"`
}

// Scope is who writes: a supervisor writes everything, a unit only the
// indicators its unit owns.
type Scope struct {
	All    bool
	UnitID int64
}

// Service keeps indicators, targets and actuals.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	// Now is the clock; figures for months that have not ended are refused.
	Now func() time.Time
	// MaxImportUnzip bounds what an imported .xlsx may unpack to, in bytes.
	MaxImportUnzip int64

	memo    caches
	sources sources
}

// New returns the service.
func New(d *db.DB, a *audit.Log, o Options) *Service {
	s := &Service{DB: d, Audit: a, Now: time.Now, MaxImportUnzip: DefaultMaxImportUnzip}
	s.memo = newCaches(s, o)
	a.Describe("kpi", auditLabels())
	return s
}

var indicatorCodeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,39}$`)

// IndicatorInput is what a supervisor fills in; Owner is a unit code.
// Source, when set, makes the indicator computed (see Measure).
type IndicatorInput struct {
	Code, NameZH, NameEN, Measure string
	Kind                          Kind
	Direction                     Direction
	Frequency                     Frequency
	Owner, SourceDept             string
	Seasonal                      bool
	DueDay, Sort                  int
	Source                        string
	Filter                        Filter
}

func (s *Service) validIndicator(ctx context.Context, in IndicatorInput) (Indicator, error) {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.NameZH, in.NameEN = strings.TrimSpace(in.NameZH), strings.TrimSpace(in.NameEN)
	in.Measure, in.SourceDept = strings.TrimSpace(in.Measure), strings.TrimSpace(in.SourceDept)
	if in.Direction == "" {
		in.Direction = Higher
	}
	if in.Frequency == "" {
		in.Frequency = Monthly
	}
	if in.DueDay == 0 {
		in.DueDay = 15
	}
	var d []errs.Detail
	add := func(field, zh, en string) { d = append(d, errs.Detail{Field: field, Reason: zh, ReasonEN: en}) }
	if !indicatorCodeRe.MatchString(in.Code) {
		add("code", "指标代码须为 1–40 位小写字母、数字、-、_ 或 .", "code must be 1–40 lower-case letters, digits, -, _ or .")
	}
	if in.NameZH == "" {
		add("name_zh", "请填写指标中文名称", "Chinese name is required")
	}
	if in.Measure == "" || len(in.Measure) > 20 {
		add("measure", "请填写计量单位（如 亿元、%、家）", "unit of measure is required (e.g. 亿元, %, 家)")
	}
	if in.Kind != Growth && in.Kind != Absolute {
		add("kind", "目标类型须为 growth（增速）或 absolute（总量）", "kind must be growth or absolute")
	}
	if in.Direction != Higher && in.Direction != Lower {
		add("direction", "方向须为 higher 或 lower", "direction must be higher or lower")
	}
	if in.Frequency != Monthly && in.Frequency != Quarterly {
		add("frequency", "频度须为 monthly（月度）或 quarterly（季度）", "frequency must be monthly or quarterly")
	}
	if in.DueDay < 1 || in.DueDay > 28 {
		add("due_day", "报送日须在 1–28 之间", "due day must be 1–28")
	}
	ind := Indicator{Code: in.Code, NameZH: in.NameZH, NameEN: in.NameEN, Measure: in.Measure, Kind: in.Kind,
		Direction: in.Direction, Frequency: in.Frequency, SourceDept: in.SourceDept, Seasonal: in.Seasonal,
		DueDay: in.DueDay, Sort: in.Sort, Source: in.Source, SourceFilter: in.Filter}
	if err := s.checkSource(ctx, &ind, add); err != nil {
		return ind, err
	}
	err := s.DB.Read(ctx).QueryRowContext(ctx, "SELECT id, name_zh FROM units WHERE code = $1", strings.TrimSpace(in.Owner)).Scan(&ind.OwnerID, &ind.OwnerName)
	if err == sql.ErrNoRows {
		add("owner_unit", "责任单位不存在："+in.Owner, "owner unit not found: "+in.Owner)
	} else if err != nil {
		return ind, fmt.Errorf("kpi: owner unit: %w", err)
	}
	ind.OwnerCode = strings.TrimSpace(in.Owner)
	if len(d) > 0 {
		return ind, errs.List("指标信息有误", "the indicator has errors", d)
	}
	return ind, nil
}

// CreateIndicator adds an indicator. Errors: Invalid (fields named),
// Conflict (code taken).
func (s *Service) CreateIndicator(ctx context.Context, in IndicatorInput) (Indicator, error) {
	ind, err := s.validIndicator(ctx, in)
	if err != nil {
		return Indicator{}, err
	}
	ind.UpdatedAt = db.Now()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO kpi_indicators (code, name_zh, name_en, measure, kind, direction, frequency,
			owner_unit_id, source_dept, seasonal, due_day, sort, created_at, updated_at, source, source_category, source_chain, source_batch)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$13,$14,$15,$16,$17) RETURNING id`,
			ind.Code, ind.NameZH, ind.NameEN, ind.Measure, string(ind.Kind), string(ind.Direction), string(ind.Frequency),
			ind.OwnerID, ind.SourceDept, ind.Seasonal, ind.DueDay, ind.Sort, ind.UpdatedAt,
			ind.Source, ind.SourceFilter.Category, ind.SourceFilter.Chain, ind.SourceFilter.Batch).Scan(&ind.ID)
		if db.IsUniqueViolation(err) {
			return &errs.Error{Code: errs.Conflict, Field: "code", Msg: "指标代码已存在：" + ind.Code, MsgEN: "indicator code already exists: " + ind.Code}
		}
		if err != nil {
			return fmt.Errorf("kpi: create indicator: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "kpi.indicator.create", ObjectType: "kpi_indicator",
			ObjectID: strconv.FormatInt(ind.ID, 10), After: ind})
	})
	if err != nil {
		return Indicator{}, err
	}
	return ind, nil
}

// UpdateIndicator replaces an indicator's fields. Errors: NotFound, Invalid,
// Conflict (code taken).
func (s *Service) UpdateIndicator(ctx context.Context, id int64, in IndicatorInput) (Indicator, error) {
	ind, err := s.validIndicator(ctx, in)
	if err != nil {
		return Indicator{}, err
	}
	ind.ID, ind.UpdatedAt = id, db.Now()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		before, err := indicatorByID(ctx, tx, id, s.DB.ForUpdate())
		if err != nil {
			return err
		}
		if ind.Computed() {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM kpi_actuals WHERE indicator_id = $1", id).Scan(&n); err != nil {
				return fmt.Errorf("kpi: update indicator: %w", err)
			}
			if n > 0 {
				return errs.Field("source", fmt.Sprintf("该指标已有 %d 条录入数据，不能改为系统计算；请另建指标", n),
					fmt.Sprintf("the indicator has %d entered figures and cannot become computed: create another indicator", n))
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE kpi_indicators SET code=$1, name_zh=$2, name_en=$3, measure=$4, kind=$5, direction=$6,
			frequency=$7, owner_unit_id=$8, source_dept=$9, seasonal=$10, due_day=$11, sort=$12, updated_at=$13,
			source=$15, source_category=$16, source_chain=$17, source_batch=$18 WHERE id=$14`,
			ind.Code, ind.NameZH, ind.NameEN, ind.Measure, string(ind.Kind), string(ind.Direction), string(ind.Frequency),
			ind.OwnerID, ind.SourceDept, ind.Seasonal, ind.DueDay, ind.Sort, ind.UpdatedAt, id,
			ind.Source, ind.SourceFilter.Category, ind.SourceFilter.Chain, ind.SourceFilter.Batch)
		if db.IsUniqueViolation(err) {
			return &errs.Error{Code: errs.Conflict, Field: "code", Msg: "指标代码已存在：" + ind.Code, MsgEN: "indicator code already exists: " + ind.Code}
		}
		if err != nil {
			return fmt.Errorf("kpi: update indicator: %w", err)
		}
		if before.Frequency != ind.Frequency && ind.Frequency == Quarterly {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM kpi_actuals WHERE indicator_id = $1 AND month NOT IN (3,6,9,12)", id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errs.Field("frequency", "已有非季末月份的数据，不能改为季度", "monthly figures exist: cannot switch to quarterly")
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "kpi.indicator.update", ObjectType: "kpi_indicator",
			ObjectID: strconv.FormatInt(id, 10), Before: before, After: ind})
	})
	if err != nil {
		return Indicator{}, err
	}
	return ind, nil
}

// DeleteIndicator removes an indicator and its targets. An indicator that has
// actuals is kept (Conflict): figures are never dropped casually. Errors:
// NotFound, Conflict.
func (s *Service) DeleteIndicator(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := indicatorByID(ctx, tx, id, s.DB.ForUpdate())
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM kpi_actuals WHERE indicator_id = $1", id).Scan(&n); err != nil {
			return fmt.Errorf("kpi: delete indicator: %w", err)
		}
		if n > 0 {
			return errs.New(errs.Conflict, fmt.Sprintf("该指标已有 %d 条实际数据，不能删除", n), fmt.Sprintf("the indicator has %d actuals and cannot be deleted", n))
		}
		for _, q := range []string{"DELETE FROM kpi_targets WHERE indicator_id = $1", "DELETE FROM kpi_indicators WHERE id = $1"} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("kpi: delete indicator: %w", err)
			}
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "kpi.indicator.delete", ObjectType: "kpi_indicator",
			ObjectID: strconv.FormatInt(id, 10), Before: before})
	})
}

const indicatorSelect = `SELECT i.id, i.code, i.name_zh, i.name_en, i.measure, i.kind, i.direction, i.frequency,
	i.owner_unit_id, u.code, u.name_zh, i.source_dept, i.seasonal, i.due_day, i.sort, i.updated_at,
	i.source, i.source_category, i.source_chain, i.source_batch
	FROM kpi_indicators i JOIN units u ON u.id = i.owner_unit_id`

type scanner interface{ Scan(...any) error }

func scanIndicator(sc scanner) (Indicator, error) {
	var i Indicator
	err := sc.Scan(&i.ID, &i.Code, &i.NameZH, &i.NameEN, &i.Measure, &i.Kind, &i.Direction, &i.Frequency,
		&i.OwnerID, &i.OwnerCode, &i.OwnerName, &i.SourceDept, &i.Seasonal, &i.DueDay, &i.Sort, &i.UpdatedAt,
		&i.Source, &i.SourceFilter.Category, &i.SourceFilter.Chain, &i.SourceFilter.Batch)
	return i, err
}

func indicatorByID(ctx context.Context, q db.Querier, id int64, suffix string) (Indicator, error) {
	i, err := scanIndicator(q.QueryRowContext(ctx, indicatorSelect+" WHERE i.id = $1"+suffix, id))
	if err == sql.ErrNoRows {
		return i, errs.New(errs.NotFound, "指标不存在", "indicator not found")
	}
	if err != nil {
		return i, fmt.Errorf("kpi: indicator %d: %w", id, err)
	}
	return i, nil
}

// Indicator returns one indicator. Errors: NotFound.
func (s *Service) Indicator(ctx context.Context, id int64) (Indicator, error) {
	return indicatorByID(ctx, s.DB.R, id, "")
}

// IndicatorByCode returns one indicator. Errors: NotFound.
func (s *Service) IndicatorByCode(ctx context.Context, code string) (Indicator, error) {
	i, err := scanIndicator(s.DB.Read(ctx).QueryRowContext(ctx, indicatorSelect+" WHERE i.code = $1", strings.ToLower(strings.TrimSpace(code))))
	if err == sql.ErrNoRows {
		return i, errs.New(errs.NotFound, "指标不存在："+code, "indicator not found: "+code)
	}
	return i, err
}

// MaxIndicators bounds every indicator listing.
const MaxIndicators = 500

// Indicators lists indicators in display order; ownerID 0 lists all.
func (s *Service) Indicators(ctx context.Context, ownerID int64) ([]Indicator, error) {
	q, args := indicatorSelect+" ORDER BY i.sort, i.id LIMIT $1", []any{MaxIndicators}
	if ownerID != 0 {
		q, args = indicatorSelect+" WHERE i.owner_unit_id = $1 ORDER BY i.sort, i.id LIMIT $2", []any{ownerID, MaxIndicators}
	}
	rows, err := db.Reader{D: s.DB}.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("kpi: list indicators: %w", err)
	}
	defer rows.Close()
	var out []Indicator
	for rows.Next() {
		i, err := scanIndicator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// CanWrite reports whether scope may enter figures for ind.
func (sc Scope) CanWrite(ind Indicator) bool {
	return sc.All || (sc.UnitID != 0 && sc.UnitID == ind.OwnerID)
}

// enteredUnit is the unit to record as having entered figures saved in
// scope sc: the unit, or 0 for the zone's staff.
func (sc Scope) enteredUnit() int64 {
	if sc.All {
		return 0
	}
	return sc.UnitID
}

func forbiddenIndicator(ind Indicator) error {
	return errs.New(errs.Forbidden, "指标“"+ind.NameZH+"”不属于您的单位，不能录入", "indicator "+ind.Code+" belongs to another unit: you may not enter its figures")
}
