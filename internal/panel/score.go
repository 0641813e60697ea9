package panel

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/fixed"
)

// RecusalReason returns the trimmed reason of a recusal. Errors: Invalid
// (empty), naming the field reason.
func RecusalReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", errs.Field("reason", "回避须写明原因", "a recusal needs a reason")
	}
	return reason, nil
}

// Recuse withdraws the expert from g (read by Lock in tx), with a reason:
// their scores are deleted and the assignment no longer counts. Errors:
// Invalid (no reason), Conflict (g is in conflict or already recused).
func (p *Panel) Recuse(ctx context.Context, tx *sql.Tx, g Assignment, reason string) error {
	reason, err := RecusalReason(reason)
	if err != nil {
		return err
	}
	if !g.Live() {
		return ErrNotRecusable()
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM panel_scores WHERE assignment_id=$1", g.ID); err != nil {
		return fmt.Errorf("panel: recuse %d: %w", g.ID, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE panel_assignments SET state='recused', reason=$1, total_milli=0, updated_at=$2 WHERE id=$3", reason, p.nowMS(), g.ID); err != nil {
		return fmt.Errorf("panel: recuse %d: %w", g.ID, err)
	}
	return nil
}

// ErrNotRecusable is the Conflict a recusal meets when the assignment, or
// the caller's subject, is past the point where the expert may withdraw.
func ErrNotRecusable() error {
	return errs.New(errs.Conflict, "该评审任务不能回避", "this assignment cannot be recused")
}

// Scorable returns nil when g's expert may score (assigned or scored), and
// a Conflict otherwise.
func (g Assignment) Scorable() error {
	if !g.Live() {
		return errs.New(errs.Conflict, "已回避或存在利益冲突，不能评分", "recused or in conflict: cannot score")
	}
	return nil
}

// Submit records the expert's score on every criterion of g (read by Lock
// in tx), replacing earlier scores, and returns g as scored with its total.
// Errors: Conflict (recused or in conflict), Invalid (CheckScores).
func (p *Panel) Submit(ctx context.Context, tx *sql.Tx, g Assignment, crit []Criterion, scores []Score) (Assignment, error) {
	if err := g.Scorable(); err != nil {
		return g, err
	}
	vals, total, err := CheckScores(crit, scores)
	if err != nil {
		return g, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM panel_scores WHERE assignment_id=$1", g.ID); err != nil {
		return g, fmt.Errorf("panel: score %d: %w", g.ID, err)
	}
	for i, c := range crit {
		if _, err := tx.ExecContext(ctx, "INSERT INTO panel_scores (assignment_id, criterion, score_milli, comment) VALUES ($1,$2,$3,$4)",
			g.ID, c.Code, int64(vals[i])/1000, strings.TrimSpace(byCode(scores, c.Code).Comment)); err != nil {
			return g, fmt.Errorf("panel: score %d: %w", g.ID, err)
		}
	}
	g.State, g.Total, g.UpdatedAt = Scored, total, p.nowMS()
	if _, err := tx.ExecContext(ctx, "UPDATE panel_assignments SET state='scored', total_milli=$1, updated_at=$2 WHERE id=$3", int64(total)/1000, g.UpdatedAt, g.ID); err != nil {
		return g, fmt.Errorf("panel: score %d: %w", g.ID, err)
	}
	return g, nil
}

func byCode(ss []Score, code string) Score {
	for _, s := range ss {
		if s.Criterion == code {
			return s
		}
	}
	return Score{}
}

// CheckScores validates scores against the criteria: each names a
// criterion, and every criterion has a value of at most three decimals
// from 0 to its Max. It returns the values in the criteria's order and
// their total. Errors: Invalid, with one detail per bad criterion (field
// scores.<code>).
func CheckScores(crit []Criterion, scores []Score) ([]fixed.Fixed, fixed.Fixed, error) {
	var ds []errs.Detail
	vals := make([]fixed.Fixed, len(crit))
	var total fixed.Fixed
	for _, s := range scores {
		found := false
		for _, c := range crit {
			found = found || c.Code == s.Criterion
		}
		if !found {
			ds = append(ds, errs.Detail{Field: "scores." + s.Criterion, Reason: "没有这个评审指标", ReasonEN: "no such criterion"})
		}
	}
	for i, c := range crit {
		sc := byCode(scores, c.Code)
		v, ok := fixed.Parse(sc.Value)
		if sc.Value == "" || !ok || v%1000 != 0 {
			en := c.NameEN
			if en == "" {
				en = c.NameZH
			}
			ds = append(ds, errs.Detail{Field: "scores." + c.Code, Reason: c.NameZH + "：请填写分数（最多三位小数）", ReasonEN: en + ": enter a score (up to three decimals)"})
			continue
		}
		if v < 0 || v > fixed.Fixed(c.Max)*fixed.One {
			ds = append(ds, errs.Detail{Field: "scores." + c.Code, Value: sc.Value, Reason: c.NameZH + "：分数应在 0–" + strconv.Itoa(c.Max) + " 之间",
				ReasonEN: c.Code + ": score must be 0–" + strconv.Itoa(c.Max)})
			continue
		}
		vals[i] = v
		total += v
	}
	if len(ds) > 0 {
		return nil, 0, errs.List("评分有误", "the scores are not valid", ds)
	}
	return vals, total, nil
}

// DefaultTrimAt is how many totals make the panel drop the highest and the
// lowest when the caller's rules say nothing (trimAt ≤ 0).
const DefaultTrimAt = 5

// TrimmedMean is the panel's score from the experts' totals: the mean of
// all, or, when there are at least trimAt totals (and at least three), the
// mean after dropping one highest and one lowest. Tied totals drop only one
// of them each way. It is exact, rounded once by fixed.MulDiv to the
// millionth; ok is false for no totals (every expert recused, or none
// scored) or a sum that does not fit.
func TrimmedMean(totals []fixed.Fixed, trimAt int) (fixed.Fixed, bool) {
	if len(totals) == 0 {
		return 0, false
	}
	if trimAt <= 0 {
		trimAt = DefaultTrimAt
	}
	t := append([]fixed.Fixed(nil), totals...)
	sort.Slice(t, func(a, b int) bool { return t[a] < t[b] })
	if len(t) >= trimAt && len(t) >= 3 {
		t = t[1 : len(t)-1]
	}
	var sum int64
	for _, v := range t {
		s := sum + int64(v)
		if (v > 0 && s < sum) || (v < 0 && s > sum) {
			return 0, false
		}
		sum = s
	}
	q, ok := fixed.MulDiv(sum, 1, int64(len(t)))
	return fixed.Fixed(q), ok
}

// ContestScores is the panel's score (TrimmedMean) of every subject of a
// contest that at least one expert scored, by subject id; recused experts,
// those in conflict and those yet to score do not count.
func (p *Panel) ContestScores(ctx context.Context, q db.Querier, kind string, contest int64, trimAt int) (map[int64]fixed.Fixed, error) {
	rows, err := q.QueryContext(ctx, `SELECT subject_id, total_milli FROM panel_assignments
		WHERE subject_kind=$1 AND contest_id=$2 AND state='scored' ORDER BY subject_id, id`, kind, contest)
	if err != nil {
		return nil, fmt.Errorf("panel: scores of contest %d: %w", contest, err)
	}
	defer rows.Close()
	per := map[int64][]fixed.Fixed{}
	for rows.Next() {
		var s, v int64
		if err := rows.Scan(&s, &v); err != nil {
			return nil, err
		}
		per[s] = append(per[s], milli(v))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[int64]fixed.Fixed, len(per))
	for s, ts := range per {
		if v, ok := TrimmedMean(ts, trimAt); ok {
			out[s] = v
		}
	}
	return out, nil
}
