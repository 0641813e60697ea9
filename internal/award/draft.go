package award

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// What a draft programme must already get right when it is saved (the rest
// is checked when it opens, by Rules.Validate): the formula's weights, the
// grading bands and the validity date. A draft may still have no terms.
func (r Rules) saveDetails() []errs.Detail {
	var ds []errs.Detail
	sum := 0
	for i, t := range r.Terms {
		if t.Weight <= 0 || t.Weight > 100 {
			ds = append(ds, bad("terms["+strconv.Itoa(i)+"].weight", "权重须为 1–100 的整数", "weight must be a whole number from 1 to 100"))
		}
		sum += t.Weight
	}
	if len(r.Terms) > 0 && sum != 100 {
		ds = append(ds, bad("terms.weight", fmt.Sprintf("各项权重之和为 %d，应为 100", sum), fmt.Sprintf("weights sum to %d, not 100", sum)))
	}
	if b := r.Grading.Bands; r.Grading.Enabled && len(b) > 0 {
		if len(b) != 4 || b[0]+b[1]+b[2]+b[3] != 100 || b[0] < 0 || b[1] < 0 || b[2] < 0 || b[3] < 0 {
			ds = append(ds, bad("grading.bands", "分档比例须为 4 个非负数且合计 100", "grading bands must be 4 non-negative percents summing to 100"))
		}
	}
	if d := r.Eligibility.TiersValidOn; d != "" && !isDate(d) {
		ds = append(ds, bad("eligibility.tiers_valid_on", "资质有效日期格式应为 YYYY-MM-DD", "the tier validity date must be YYYY-MM-DD"))
	}
	return ds
}

// Check reports every problem that would stop n from being saved, as
// CreateProgramme does, without saving: for a form to show them all at
// once. Errors: Invalid.
func (n NewProgramme) Check() error { return n.check() }

// Preview is a programme's rules applied to the registry as it stands,
// before the programme opens: nothing is stored.
type Preview struct {
	DataYear int    `json:"data_year"`
	Result   Result `json:"result"`
	// LeftOut are the names of the expert terms, which have no scores
	// before the review and are left out of the preview.
	LeftOut []string `json:"left_out,omitempty"`
	// Reasons counts the exclusions by reason, most frequent first.
	Reasons []ReasonCount `json:"reasons,omitempty"`
}

// ReasonCount is how many enterprises one reason excluded.
type ReasonCount struct {
	Reason Reason `json:"reason"`
	Count  int    `json:"count"`
}

// Preview ranks the registry's enterprises (every operating one: there are
// no applications yet) by n's rules over the figures of their data year,
// with the ranking engine the programme will use, and writes nothing.
// Expert terms are left out, as nobody has scored yet. Staff only. Errors:
// Forbidden, Invalid (the rules cannot be applied, each problem named).
func (s *Service) Preview(ctx context.Context, v Viewer, n NewProgramme) (Preview, error) {
	if !v.Staff() {
		return Preview{}, errs.New(errs.Forbidden, "只有工作人员可以预览排名", "only staff may preview a ranking")
	}
	known, err := s.Indicators(ctx)
	if err != nil {
		return Preview{}, err
	}
	if known, err = s.known(n.Rules, known); err != nil {
		return Preview{}, err
	}
	if err := n.Rules.Validate(n.Kind, n.Quota, known); err != nil {
		return Preview{}, errs.List("评选规则有误，不能预览排名", "the rules are not valid; the ranking cannot be previewed", errs.As(err).Details)
	}
	r := n.Rules
	r.RequireApplication = false
	r.Terms = nil
	var out Preview
	for _, t := range n.Rules.Terms {
		if t.Source == SourceExpert {
			out.LeftOut = append(out.LeftOut, t.NameZH)
			continue
		}
		r.Terms = append(r.Terms, t)
	}
	if len(r.Terms) == 0 {
		return Preview{}, errs.Field("terms", "评分公式只有专家评分项，评审前无法预览", "the formula has expert terms only; nothing to preview before the review")
	}
	out.DataYear = r.DataYear
	if out.Result, err = s.Compute(ctx, Programme{Year: n.Year, Kind: n.Kind, Quota: n.Quota, Rules: r}); err != nil {
		return Preview{}, fmt.Errorf("award: preview: %w", err)
	}
	counts := map[Reason]int{}
	for _, x := range out.Result.Excluded {
		counts[x.Reason]++
	}
	for why, c := range counts {
		out.Reasons = append(out.Reasons, ReasonCount{Reason: why, Count: c})
	}
	sort.Slice(out.Reasons, func(i, j int) bool {
		a, b := out.Reasons[i], out.Reasons[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Reason.ZH < b.Reason.ZH)
	})
	return out, nil
}

// DeleteProgramme deletes a draft programme, recording it (with its
// settings) in the audit log. Only a supervisor may, and only while it is a
// draft: from opening on it has applications, rankings or money. Errors:
// NotFound, Forbidden, Conflict (not a draft).
func (s *Service) DeleteProgramme(ctx context.Context, v Viewer, id int64) error {
	if !v.Staff() {
		return notFound()
	}
	if v.Role != org.Supervisor {
		return errs.New(errs.Forbidden, "只有督查室可以删除评优项目", "only a supervisor may delete a programme")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.programmeTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.State != StateDraft || p.Historical {
			zh, en := StateLabel(p.State)
			return errs.New(errs.Conflict, "项目当前为"+zh+"，只有草稿可以删除", "the programme is "+en+"; only a draft can be deleted")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM award_programmes WHERE id=$1", id); err != nil {
			return fmt.Errorf("award: delete programme %d: %w", id, err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "award.programme.delete", ObjectType: "award_programme",
			ObjectID: idStr(id), Before: p})
	})
}
