// Package award runs the zone's awards and subsidies (评优与奖补): programmes
// with eligibility rules over the enterprise registry, a transparent scoring
// formula, applications with evidence, a review panel, public notice (公示)
// with objections, and grants paid through a ledger that never pays twice
// and never exceeds the budget.
package award

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/money"
	"gaoxin/internal/org"
	"gaoxin/internal/panel"
)

// Module is the awards module's name in module_versions: every entry in
// the ledger (a payment made or reversed) moves its version.
const Module = "award"

// Programme states, in order.
const (
	StateDraft     = "draft"
	StateOpen      = "open"      // accepting applications
	StateReview    = "review"    // formal check, expert review, ranking
	StateNotice    = "notice"    // 公示: public, objections accepted
	StateConfirmed = "confirmed" // 认定: winners frozen, grants made
	StateClosed    = "closed"
)

// Programme is an award or subsidy programme (评优奖补项目).
type Programme struct {
	ID          int64  `json:"id"`
	Year        int    `json:"year"`
	NameZH      string `json:"name_zh"`
	NameEN      string `json:"name_en"`
	Kind        string `json:"kind"`
	State       string `json:"state"`
	Quota       int    `json:"quota"`
	BudgetFen   int64  `json:"budget_fen"`
	Rules       Rules  `json:"rules"`
	NoticeDays  int    `json:"notice_days"`
	NoticeFrom  int64  `json:"notice_from,omitempty"`
	NoticeUntil int64  `json:"notice_until,omitempty"`
	Historical  bool   `json:"historical"`
	Note        string `json:"note,omitempty"`
	CreatedAt   int64  `json:"created_at"`
	UpdatedAt   int64  `json:"updated_at"`

	// NoticeRestarts counts how often the notice started again because an
	// upheld objection changed the result; NoticeRestartObjection is the
	// objection that last restarted it (0 for none).
	NoticeRestarts         int   `json:"notice_restarts"`
	NoticeRestartObjection int64 `json:"notice_restart_objection,omitempty"`
}

// Service is the awards module over one database.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	// Registry is the enterprise registry: every read of enterprises,
	// their figures, certificates, chains and flags goes through it.
	Registry *enterprise.Service
	// Org answers who a user is (role, enterprise, name).
	Org *org.Service
	// Now is the clock; tests move it to pass a notice period.
	Now func() time.Time
	// MaxEvidence is the largest evidence file accepted, in bytes.
	MaxEvidence int64
	// Panel keeps the expert review: assignments, conflicts, recusals,
	// scores and the panel's mean (review.go), on this service's clock.
	Panel *panel.Panel

	subjects map[string]Subject // what programmes may rank besides enterprises (subject.go)
}

// New returns the awards service over the registry reg and the
// organisation o.
func New(d *db.DB, a *audit.Log, reg *enterprise.Service, o *org.Service) *Service {
	a.Describe("award", auditLabels())
	s := &Service{DB: d, Audit: a, Registry: reg, Org: o, Now: time.Now, MaxEvidence: 10 << 20}
	s.Panel = &panel.Panel{DB: d, Now: func() time.Time { return s.Now() }}
	return s
}

func (s *Service) nowMS() int64 { return s.Now().UnixMilli() }

const progCols = `id, year, name_zh, name_en, kind, state, quota, budget_fen, rules_json, notice_days, notice_from,
	notice_until, notice_restarts, notice_restart_objection, historical, note, created_at, updated_at`

func scanProgramme(sc interface{ Scan(...any) error }) (Programme, error) {
	var p Programme
	var rules string
	err := sc.Scan(&p.ID, &p.Year, &p.NameZH, &p.NameEN, &p.Kind, &p.State, &p.Quota, &p.BudgetFen, &rules,
		&p.NoticeDays, &p.NoticeFrom, &p.NoticeUntil, &p.NoticeRestarts, &p.NoticeRestartObjection, &p.Historical, &p.Note, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(rules), &p.Rules); err != nil {
		return p, fmt.Errorf("award: programme %d rules: %w", p.ID, err)
	}
	return p, nil
}

func notFound() error { return errs.New(errs.NotFound, "评优项目不存在", "programme not found") }

// Programme returns one programme. Errors: NotFound.
func (s *Service) Programme(ctx context.Context, id int64) (Programme, error) {
	p, err := scanProgramme(s.DB.Read(ctx).QueryRowContext(ctx, "SELECT "+progCols+" FROM award_programmes WHERE id=$1", id))
	if err == sql.ErrNoRows {
		return p, notFound()
	}
	return p, err
}

func (s *Service) programmeTx(ctx context.Context, tx *sql.Tx, id int64) (Programme, error) {
	p, err := scanProgramme(tx.QueryRowContext(ctx, "SELECT "+progCols+" FROM award_programmes WHERE id=$1"+s.DB.ForUpdate(), id))
	if err == sql.ErrNoRows {
		return p, notFound()
	}
	return p, err
}

// ProgrammeFilter narrows Programmes.
type ProgrammeFilter struct {
	Year    int
	States  []string // empty: any
	NoDraft bool
	Limit   int
}

// Programmes lists programmes, newest year first.
func (s *Service) Programmes(ctx context.Context, f ProgrammeFilter) ([]Programme, error) {
	// Contracts another module pays through the ledger are no programmes.
	q := "SELECT " + progCols + " FROM award_programmes WHERE kind <> '" + KindContract + "'"
	var args []any
	if f.Year != 0 {
		args = append(args, f.Year)
		q += " AND year=$" + strconv.Itoa(len(args))
	}
	if f.NoDraft {
		q += " AND state <> 'draft'"
	}
	if len(f.States) > 0 {
		var ph []string
		for _, st := range f.States {
			args = append(args, st)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		q += " AND state IN (" + strings.Join(ph, ",") + ")"
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q += " ORDER BY year DESC, id DESC LIMIT " + strconv.Itoa(f.Limit)
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("award: list programmes: %w", err)
	}
	defer rows.Close()
	var out []Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// NewProgramme is what it takes to create a programme.
type NewProgramme struct {
	Year       int    `json:"year"`
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	Kind       string `json:"kind"`
	Quota      int    `json:"quota"`
	BudgetFen  int64  `json:"budget_fen"`
	NoticeDays int    `json:"notice_days"`
	Rules      Rules  `json:"rules"`
	Note       string `json:"note,omitempty"`
}

func (n NewProgramme) check() error {
	var ds []errs.Detail
	if n.Year < 2000 || n.Year > 2100 {
		ds = append(ds, bad("year", "年度无效", "year is not valid"))
	}
	if strings.TrimSpace(n.NameZH) == "" {
		ds = append(ds, bad("name_zh", "缺少中文名称", "Chinese name is missing"))
	}
	if n.Kind != KindRanking && n.Kind != KindPrize {
		ds = append(ds, bad("kind", "类型应为 ranking（排名荣誉）或 prize（达标奖励）", "kind must be ranking or prize"))
	}
	if n.Quota < 0 {
		ds = append(ds, bad("quota", "名额不能为负", "quota cannot be negative"))
	}
	if n.BudgetFen < 0 {
		ds = append(ds, bad("budget_fen", "预算不能为负", "budget cannot be negative"))
	} else if !money.Credible(n.BudgetFen) {
		ds = append(ds, moneyDetail("budget_fen", n.BudgetFen))
	}
	if n.NoticeDays < 1 || n.NoticeDays > 60 {
		ds = append(ds, bad("notice_days", "公示期应为 1–60 天", "notice period must be 1–60 days"))
	}
	ds = append(ds, n.Rules.Money.credible()...)
	ds = append(ds, n.Rules.saveDetails()...)
	return detailsError("项目信息有误", "the programme is not valid", ds)
}

// checkProgramme is n.check, and for a programme ranking a subject, that
// the subject is registered and no budget is set (an honour pays nothing).
func (s *Service) checkProgramme(n NewProgramme) error {
	if err := n.check(); err != nil {
		return err
	}
	if n.Rules.Subject == "" {
		return nil
	}
	if _, err := s.subject(n.Rules); err != nil {
		return err
	}
	if n.BudgetFen != 0 {
		return errs.Field("budget_fen", "评选金融机构等对象为荣誉称号，不设预算", "this kind of candidate is an honour: no budget")
	}
	return nil
}

// CreateProgramme stores a draft programme. Rules may still be incomplete
// (they are checked in full when it opens), but the weights of the terms
// given must already sum to 100. Errors: Invalid.
func (s *Service) CreateProgramme(ctx context.Context, n NewProgramme) (Programme, error) {
	if err := s.checkProgramme(n); err != nil {
		return Programme{}, err
	}
	rules, _ := json.Marshal(n.Rules)
	now := s.nowMS()
	var id int64
	actor := audit.ActorFrom(ctx)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO award_programmes (year, name_zh, name_en, kind, quota, budget_fen, rules_json,
			notice_days, note, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id`,
			n.Year, strings.TrimSpace(n.NameZH), strings.TrimSpace(n.NameEN), n.Kind, n.Quota, n.BudgetFen, string(rules),
			n.NoticeDays, n.Note, nullID(actor.ID), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("award: create programme: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.programme.create", ObjectType: "award_programme",
			ObjectID: strconv.FormatInt(id, 10), After: n})
	})
	if err != nil {
		return Programme{}, err
	}
	return s.Programme(ctx, id)
}

// UpdateProgramme replaces a draft programme's settings. Errors: Invalid,
// NotFound, Conflict (no longer a draft).
func (s *Service) UpdateProgramme(ctx context.Context, id int64, n NewProgramme) (Programme, error) {
	if err := s.checkProgramme(n); err != nil {
		return Programme{}, err
	}
	rules, _ := json.Marshal(n.Rules)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.programmeTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.State != StateDraft {
			return errs.New(errs.Conflict, "只有草稿状态的项目可以修改规则", "only a draft programme can be edited")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE award_programmes SET year=$1, name_zh=$2, name_en=$3, kind=$4, quota=$5,
			budget_fen=$6, rules_json=$7, notice_days=$8, note=$9, updated_at=$10 WHERE id=$11`, n.Year, strings.TrimSpace(n.NameZH),
			strings.TrimSpace(n.NameEN), n.Kind, n.Quota, n.BudgetFen, string(rules), n.NoticeDays, n.Note, s.nowMS(), id); err != nil {
			return fmt.Errorf("award: update programme: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.programme.update", ObjectType: "award_programme",
			ObjectID: strconv.FormatInt(id, 10), Before: p, After: n})
	})
	if err != nil {
		return Programme{}, err
	}
	return s.Programme(ctx, id)
}

// Indicators returns the registry's figure codes and their decimal scales.
func (s *Service) Indicators(ctx context.Context) (map[string]int, error) {
	return s.Registry.IndicatorScales(ctx, nil)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }
