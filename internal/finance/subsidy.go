package finance

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/fixed"
	"gaoxin/internal/money"
)

// Policy tools (政策工具). Staff record the zone's financing subsidies as
// money rules: 贴息 pays part of a loan's interest, 担保费补贴 part of a
// guarantee's fee. A rule's year budget is a policy fund in the awards
// ledger, opened in the same transaction. When a deal of an instrument the
// rule covers is funded (到位) in the rule's year, a supervisor grants its
// subsidy: amount = funded × rate × share × months ÷ 12, rounded to the fen
// (half away from zero) and capped per deal, granted from the fund inside
// one transaction with this module's record of it, so it is never granted
// twice and never above the budget (the ledger's budget lock). Payment then
// follows the ledger: requested, approved by another person, paid.

// Subsidy kinds.
const (
	SubsidyInterest     = "interest"      // 贴息
	SubsidyGuaranteeFee = "guarantee_fee" // 担保费补贴
)

// SubsidyKinds lists the kinds of subsidy.
var SubsidyKinds = []Label{
	{SubsidyInterest, "贷款贴息", "Interest subsidy"},
	{SubsidyGuaranteeFee, "担保费补贴", "Guarantee-fee subsidy"},
}

// SubsidyKindLabel is a kind's Chinese and English name.
func SubsidyKindLabel(code string) (string, string) { return labelOf(SubsidyKinds, code) }

// SubsidyRule is a financing subsidy and how its fund stands.
type SubsidyRule struct {
	ID          int64    `json:"id"`
	Year        int      `json:"year"`
	NameZH      string   `json:"name_zh"`
	NameEN      string   `json:"name_en,omitempty"`
	Kind        string   `json:"kind"`
	Instruments []string `json:"instruments"`
	RateBP      int      `json:"rate_bp"`   // yearly rate worked from, basis points
	SharePct    int      `json:"share_pct"` // the zone's share of it
	Months      int      `json:"months"`
	CapFen      int64    `json:"cap_fen"` // the most one deal receives; 0 none
	BudgetFen   int64    `json:"budget_fen"`
	Basis       string   `json:"basis,omitempty"`
	ProgrammeID int64    `json:"programme_id"` // the policy fund in the awards ledger
	GrantedFen  int64    `json:"granted_fen"`
	PaidFen     int64    `json:"paid_fen"`
	Grants      int      `json:"grants"`
	CreatedAt   int64    `json:"created_at"`
}

// SubsidyRuleInput records a rule.
type SubsidyRuleInput struct {
	Year        int      `json:"year"`
	NameZH      string   `json:"name_zh"`
	NameEN      string   `json:"name_en"`
	Kind        string   `json:"kind"`
	Instruments []string `json:"instruments"`
	RateBP      int      `json:"rate_bp"`
	SharePct    int      `json:"share_pct"`
	Months      int      `json:"months"`
	CapFen      int64    `json:"cap_fen"`
	BudgetFen   int64    `json:"budget_fen"`
	Basis       string   `json:"basis"`
}

// Subsidy is one deal's subsidy under a rule.
type Subsidy struct {
	MatchID         int64  `json:"match_id"`
	RuleID          int64  `json:"rule_id"`
	RuleName        string `json:"rule_name"`
	GrantID         int64  `json:"grant_id"`
	ProgrammeID     int64  `json:"programme_id"`
	AmountFen       int64  `json:"amount_fen"`
	EnterpriseName  string `json:"enterprise_name"`
	InstitutionName string `json:"institution_name"`
	NeedTitle       string `json:"need_title"`
	FundedFen       int64  `json:"funded_fen"`
	FundedOn        string `json:"funded_on"`
	CreatedAt       int64  `json:"created_at"`
}

// SubsidyQuote is what a rule would grant a funded deal, in words.
type SubsidyQuote struct {
	AmountFen int64  `json:"amount_fen"`
	Capped    bool   `json:"capped"`
	FormulaZH string `json:"formula_zh"`
	FormulaEN string `json:"formula_en"`
}

// Quote works out the subsidy of a deal funded with funded fen: funded ×
// rate × share × months ÷ 12, to the fen, then the cap. ok is false when
// the amount does not fit the money limits.
func (r SubsidyRule) Quote(funded int64) (SubsidyQuote, bool) {
	amount, ok := fixed.MulDiv(funded, int64(r.RateBP)*int64(r.SharePct)*int64(r.Months), 10_000*100*12)
	if !ok || !money.Credible(amount) {
		return SubsidyQuote{}, false
	}
	q := SubsidyQuote{AmountFen: amount}
	if r.CapFen > 0 && amount > r.CapFen {
		q.AmountFen, q.Capped = r.CapFen, true
	}
	rate := strconv.FormatFloat(float64(r.RateBP)/100, 'f', -1, 64) + "%"
	q.FormulaZH = fmt.Sprintf("到位金额 %s × 年化 %s × 补贴比例 %d%% × %d 个月 ÷ 12 = %s", yuan(funded), rate, r.SharePct, r.Months, yuan(amount))
	q.FormulaEN = fmt.Sprintf("funded %s × %s a year × %d%% share × %d months ÷ 12 = %s", yuan(funded), rate, r.SharePct, r.Months, yuan(amount))
	if q.Capped {
		q.FormulaZH += "，超过单笔上限，按 " + yuan(r.CapFen)
		q.FormulaEN += ", above the cap per deal: " + yuan(r.CapFen)
	}
	return q, true
}

// yuan writes fen as 元 with two decimals and thousands separators.
func yuan(fen int64) string {
	s := strconv.FormatInt(fen/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return fmt.Sprintf("%s.%02d 元", s, fen%100)
}

func (s *Service) checkRule(in *SubsidyRuleInput) error {
	in.NameZH, in.NameEN, in.Basis = strings.TrimSpace(in.NameZH), strings.TrimSpace(in.NameEN), strings.TrimSpace(in.Basis)
	var p problems
	if in.Year < 2000 || in.Year > 2100 {
		p.add("year", strconv.Itoa(in.Year), "年度应在 2000–2100 之间", "year must be 2000–2100")
	}
	p.text("name_zh", in.NameZH, true, 100, "政策名称", "the policy's name")
	p.text("name_en", in.NameEN, false, 200, "英文名称", "the English name")
	p.text("basis", in.Basis, false, 500, "政策依据", "the policy document")
	if !known(SubsidyKinds, in.Kind) {
		p.add("kind", in.Kind, "补贴类型应为贷款贴息或担保费补贴", "the kind must be interest or guarantee_fee")
	}
	in.Instruments = p.codes("instruments", in.Instruments, Instruments, true, "适用的融资方式", "the instruments covered")
	if in.RateBP < 1 || in.RateBP > 10_000 {
		p.add("rate_bp", strconv.Itoa(in.RateBP), "年化利率/费率应在 0.01%–100% 之间", "the yearly rate must be 0.01%–100%")
	}
	if in.SharePct < 1 || in.SharePct > 100 {
		p.add("share_pct", strconv.Itoa(in.SharePct), "补贴比例应在 1%–100% 之间", "the share must be 1–100%")
	}
	if in.Months < 1 || in.Months > 60 {
		p.add("months", strconv.Itoa(in.Months), "补贴期限应为 1–60 个月", "the months covered must be 1–60")
	}
	p.amount("cap_fen", in.CapFen, MaxNeedFen, false, "单笔补贴上限")
	p.amount("budget_fen", in.BudgetFen, MaxNeedFen, true, "年度资金预算")
	return p.err("补贴政策填写有误", "the subsidy rule has errors")
}

// CreateSubsidyRule records a financing subsidy and opens its year's
// policy fund in the awards ledger, in one transaction. Supervisors only.
// Errors: Forbidden, Invalid naming the field.
func (s *Service) CreateSubsidyRule(ctx context.Context, v Viewer, in SubsidyRuleInput) (SubsidyRule, error) {
	if err := mustRun(v); err != nil {
		return SubsidyRule{}, err
	}
	if err := s.checkRule(&in); err != nil {
		return SubsidyRule{}, err
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		prog, err := s.Award.OpenPolicy(ctx, tx, award.PolicyInput{Year: in.Year, NameZH: in.NameZH, NameEN: in.NameEN,
			BudgetFen: in.BudgetFen, Basis: in.Basis})
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO finance_subsidy_rules (year, name_zh, name_en, kind, instruments, rate_bp, share_pct,
			months, cap_fen, basis, programme_id, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
			in.Year, in.NameZH, in.NameEN, in.Kind, strings.Join(in.Instruments, ","), in.RateBP, in.SharePct, in.Months, in.CapFen,
			in.Basis, prog, nullID(v.UserID), s.nowMS()).Scan(&id); err != nil {
			return fmt.Errorf("finance: subsidy rule: %w", err)
		}
		return s.record(ctx, tx, "finance.subsidy_rule.create", "finance_subsidy_rule", id, nil, map[string]any{
			"name_zh": in.NameZH, "subsidy_kind": in.Kind, "instruments": strings.Join(in.Instruments, ","), "rate_bp": in.RateBP,
			"share_pct": in.SharePct, "months": in.Months, "cap_fen": in.CapFen, "budget_fen": in.BudgetFen, "programme_id": prog})
	})
	if err != nil {
		return SubsidyRule{}, err
	}
	return s.SubsidyRule(ctx, v, id)
}

const ruleCols = `SELECT id, year, name_zh, name_en, kind, instruments, rate_bp, share_pct, months, cap_fen, basis, programme_id, created_at
	FROM finance_subsidy_rules`

func scanRule(sc interface{ Scan(...any) error }) (SubsidyRule, error) {
	var r SubsidyRule
	var inst string
	err := sc.Scan(&r.ID, &r.Year, &r.NameZH, &r.NameEN, &r.Kind, &inst, &r.RateBP, &r.SharePct, &r.Months, &r.CapFen, &r.Basis,
		&r.ProgrammeID, &r.CreatedAt)
	r.Instruments = strings.Split(inst, ",")
	return r, err
}

// fund fills a rule's budget and what its fund has granted and paid, from
// the awards ledger.
func (s *Service) fund(ctx context.Context, r *SubsidyRule) error {
	p, err := s.Award.Programme(ctx, r.ProgrammeID)
	if err != nil {
		return err
	}
	gs, err := s.Award.Grants(ctx, r.ProgrammeID, 0)
	if err != nil {
		return err
	}
	r.BudgetFen, r.Grants = p.BudgetFen, len(gs)
	for _, g := range gs {
		r.GrantedFen += g.AmountFen
		r.PaidFen += g.PaidFen
	}
	return nil
}

var errNoRule = errs.New(errs.NotFound, "补贴政策不存在", "subsidy rule not found")

// SubsidyRule reads one rule with its fund. Staff only.
func (s *Service) SubsidyRule(ctx context.Context, v Viewer, id int64) (SubsidyRule, error) {
	if !v.Staff() {
		return SubsidyRule{}, errNoRule
	}
	r, err := scanRule(s.DB.Read(ctx).QueryRowContext(ctx, ruleCols+" WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return r, errNoRule
	}
	if err != nil {
		return r, fmt.Errorf("finance: subsidy rule %d: %w", id, err)
	}
	return r, s.fund(ctx, &r)
}

// SubsidyRules lists a year's rules (every year for 0) with their funds.
// Staff only.
func (s *Service) SubsidyRules(ctx context.Context, v Viewer, year int) ([]SubsidyRule, error) {
	if !v.Staff() {
		return nil, errs.New(errs.Forbidden, "只有工作人员可以查看补贴政策", "only staff read the subsidy rules")
	}
	q, args := ruleCols+" ORDER BY year DESC, id", []any{}
	if year != 0 {
		q, args = ruleCols+" WHERE year = $1 ORDER BY id", []any{year}
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("finance: subsidy rules: %w", err)
	}
	out, err := scanAll(rows, scanRule)
	if err != nil {
		return nil, fmt.Errorf("finance: subsidy rules: %w", err)
	}
	for i := range out {
		if err := s.fund(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eligible says why rule r cannot subsidise match m of a need with
// instrument inst; nil when it can.
func eligible(r SubsidyRule, m Match, inst string) error {
	switch {
	case m.Step != StepFunded:
		return errs.New(errs.Conflict, "资金尚未到位，不能申请补贴", "the money has not been received")
	case !slices.Contains(r.Instruments, inst):
		z, e := InstrumentLabel(inst)
		return errs.New(errs.Conflict, "本政策不适用于“"+z+"”", "this policy does not cover "+e)
	case len(m.FundedOn) < 4 || m.FundedOn[:4] != strconv.Itoa(r.Year):
		return errs.New(errs.Conflict, fmt.Sprintf("资金于 %s 到位，不在本政策年度（%d 年）", m.FundedOn, r.Year),
			fmt.Sprintf("funded on %s, outside the policy's year %d", m.FundedOn, r.Year))
	}
	return nil
}

// QuoteSubsidy says what rule ruleID would grant match matchID, with the
// formula in words. Staff only. Errors: NotFound, Conflict (not eligible,
// with the reason).
func (s *Service) QuoteSubsidy(ctx context.Context, v Viewer, matchID, ruleID int64) (SubsidyQuote, error) {
	r, err := s.SubsidyRule(ctx, v, ruleID)
	if err != nil {
		return SubsidyQuote{}, err
	}
	m, err := s.match(ctx, s.DB.R, matchID, "")
	if err != nil {
		return SubsidyQuote{}, err
	}
	inst, err := s.instrumentOf(ctx, s.DB.R, m.NeedID)
	if err != nil {
		return SubsidyQuote{}, err
	}
	if err := eligible(r, m, inst); err != nil {
		return SubsidyQuote{}, err
	}
	q, ok := r.Quote(m.FundedFen)
	if !ok {
		return q, errs.Field("amount_fen", "补贴金额超出可记录范围", "the subsidy is beyond what can be recorded")
	}
	return q, nil
}

func (s *Service) instrumentOf(ctx context.Context, q db.Querier, need int64) (string, error) {
	var inst string
	if err := q.QueryRowContext(ctx, "SELECT instrument FROM finance_needs WHERE id = $1", need).Scan(&inst); err != nil {
		return "", fmt.Errorf("finance: instrument of need %d: %w", need, err)
	}
	return inst, nil
}

// GrantSubsidy grants rule ruleID's subsidy to funded match matchID's
// enterprise from the rule's policy fund, in one transaction with this
// module's record of it. Supervisors only. Errors: Forbidden, NotFound,
// Conflict (not funded, instrument or year not covered, already granted
// under this rule, the enterprise already subsidised this year under it,
// the fund spent).
func (s *Service) GrantSubsidy(ctx context.Context, v Viewer, matchID, ruleID int64) (Subsidy, error) {
	if err := mustRun(v); err != nil {
		return Subsidy{}, err
	}
	r, err := s.SubsidyRule(ctx, v, ruleID)
	if err != nil {
		return Subsidy{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, err := s.match(ctx, tx, matchID, s.DB.ForUpdate())
		if err != nil {
			return err
		}
		inst, err := s.instrumentOf(ctx, tx, m.NeedID)
		if err != nil {
			return err
		}
		if err := eligible(r, m, inst); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM finance_subsidies WHERE match_id = $1 AND rule_id = $2", matchID, ruleID).Scan(&n); err != nil {
			return fmt.Errorf("finance: subsidy of match %d: %w", matchID, err)
		}
		if n > 0 {
			return errs.New(errs.Conflict, "该笔融资已按本政策补贴，不能重复", "this deal was already subsidised under this policy")
		}
		q, ok := r.Quote(m.FundedFen)
		if !ok {
			return errs.Field("amount_fen", "补贴金额超出可记录范围", "the subsidy is beyond what can be recorded")
		}
		if q.AmountFen <= 0 {
			return errs.New(errs.Conflict, "按本政策计算的补贴为 0", "this policy works out no subsidy for the deal")
		}
		basis := fmt.Sprintf("%s：%s（%s）%s", r.NameZH, m.NeedTitle, m.InstitutionName, q.FormulaZH)
		g, err := s.Award.PolicyGrant(ctx, tx, r.ProgrammeID, m.EnterpriseID, q.AmountFen, basis)
		if err != nil {
			if e := errs.As(err); e.Code == errs.Conflict && strings.Contains(e.Message("zh"), "已有奖补") {
				return errs.New(errs.Conflict, m.EnterpriseName+" 本年度已享受本政策补贴（每家企业每年一次）",
					m.EnterpriseName+" was already subsidised under this policy this year (once a year per enterprise)")
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO finance_subsidies (match_id, rule_id, grant_id, amount_fen, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6)`, matchID, ruleID, g.ID, q.AmountFen, nullID(v.UserID), s.nowMS()); err != nil {
			return fmt.Errorf("finance: record subsidy: %w", err)
		}
		return s.record(ctx, tx, "finance.subsidy.grant", "finance_match", matchID, nil, map[string]any{
			"rule_id": ruleID, "grant_id": g.ID, "amount_fen": q.AmountFen, "formula": q.FormulaZH})
	})
	if err != nil {
		return Subsidy{}, err
	}
	ss, err := s.Subsidies(ctx, v, SubsidyFilter{MatchID: matchID, RuleID: ruleID})
	if err != nil || len(ss) == 0 {
		return Subsidy{}, err
	}
	return ss[0], nil
}

// SubsidyFilter narrows Subsidies; zero fields do not filter.
type SubsidyFilter struct {
	RuleID  int64
	MatchID int64
}

// Subsidies lists subsidies granted, newest first. Staff only.
func (s *Service) Subsidies(ctx context.Context, v Viewer, f SubsidyFilter) ([]Subsidy, error) {
	if !v.Staff() {
		return nil, errs.New(errs.Forbidden, "只有工作人员可以查看补贴", "only staff read the subsidies")
	}
	q := `SELECT x.match_id, x.rule_id, r.name_zh, x.grant_id, r.programme_id, x.amount_fen, n.enterprise_name, i.name, n.title,
		m.funded_fen, m.funded_on, x.created_at
		FROM finance_subsidies x JOIN finance_subsidy_rules r ON r.id = x.rule_id JOIN finance_matches m ON m.id = x.match_id
		JOIN finance_needs n ON n.id = m.need_id JOIN finance_institutions i ON i.id = m.institution_id WHERE 1 = 1`
	var args []any
	if f.RuleID != 0 {
		args = append(args, f.RuleID)
		q += " AND x.rule_id = $" + strconv.Itoa(len(args))
	}
	if f.MatchID != 0 {
		args = append(args, f.MatchID)
		q += " AND x.match_id = $" + strconv.Itoa(len(args))
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, q+" ORDER BY x.created_at DESC, x.match_id DESC LIMIT 1000", args...)
	if err != nil {
		return nil, fmt.Errorf("finance: subsidies: %w", err)
	}
	defer rows.Close()
	out := []Subsidy{}
	for rows.Next() {
		var x Subsidy
		if err := rows.Scan(&x.MatchID, &x.RuleID, &x.RuleName, &x.GrantID, &x.ProgrammeID, &x.AmountFen, &x.EnterpriseName,
			&x.InstitutionName, &x.NeedTitle, &x.FundedFen, &x.FundedOn, &x.CreatedAt); err != nil {
			return nil, fmt.Errorf("finance: subsidies: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SubsidyCandidate is a funded deal a rule covers and has not subsidised
// yet, with what it would grant, or why it cannot.
type SubsidyCandidate struct {
	Match     Match        `json:"match"`
	Quote     SubsidyQuote `json:"quote"`
	Blocked   string       `json:"blocked,omitempty"` // why it cannot be granted, in Chinese
	BlockedEN string       `json:"blocked_en,omitempty"`
}

// SubsidyCandidates lists the deals funded in rule ruleID's year by an
// instrument it covers and not yet subsidised under it, oldest first, each
// with its quote; a deal whose enterprise already holds a subsidy under the
// rule this year is listed as blocked. Staff only.
func (s *Service) SubsidyCandidates(ctx context.Context, v Viewer, ruleID int64) ([]SubsidyCandidate, error) {
	r, err := s.SubsidyRule(ctx, v, ruleID)
	if err != nil {
		return nil, err
	}
	args := []any{strconv.Itoa(r.Year) + "-01-01", strconv.Itoa(r.Year) + "-12-31", ruleID}
	marks := make([]string, len(r.Instruments))
	for i, inst := range r.Instruments {
		args = append(args, inst)
		marks[i] = "$" + strconv.Itoa(len(args))
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, matchCols+` WHERE m.step = 'funded' AND m.funded_on BETWEEN $1 AND $2
		AND n.instrument IN (`+strings.Join(marks, ",")+`)
		AND NOT EXISTS (SELECT 1 FROM finance_subsidies x WHERE x.match_id = m.id AND x.rule_id = $3)
		ORDER BY m.funded_on, m.id LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("finance: subsidy candidates: %w", err)
	}
	ms, err := scanAll(rows, scanMatch)
	if err != nil {
		return nil, fmt.Errorf("finance: subsidy candidates: %w", err)
	}
	held := map[int64]bool{}
	grants, err := s.Award.Grants(ctx, r.ProgrammeID, 0)
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		held[g.EnterpriseID] = true
	}
	out := make([]SubsidyCandidate, 0, len(ms))
	for _, m := range ms {
		c := SubsidyCandidate{Match: m}
		q, ok := r.Quote(m.FundedFen)
		switch {
		case !ok:
			c.Blocked, c.BlockedEN = "补贴金额超出可记录范围", "the subsidy is beyond what can be recorded"
		case held[m.EnterpriseID]:
			c.Blocked, c.BlockedEN = "本年度已享受本政策补贴（每家企业每年一次）", "already subsidised under this policy this year"
		case q.AmountFen > r.BudgetFen-r.GrantedFen:
			c.Blocked, c.BlockedEN = "政策资金余额不足", "not enough left in the fund"
		}
		c.Quote = q
		out = append(out, c)
	}
	return out, nil
}
