package scenario

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Invitations and the enterprise's inbox (场景消息). Staff invite
// suggested enterprises to bid on an open call: each invitation lands once
// in the enterprise's inbox, with the reasons it was suggested, and is
// announced to the platform's webhook when one is configured (queued in
// the same transaction, sent later: see Service.Notify). An enterprise
// follows categories; when a batch is published, each of its calls lands
// in the inbox of every enterprise following its category.

// Inbox item kinds.
const (
	InboxInvitation = "invitation" // staff invited the enterprise to bid
	InboxNewCall    = "new_call"   // a new call in a followed category
)

// InboxKindLabel is an inbox item kind in Chinese and English.
func InboxKindLabel(k string) (string, string) {
	switch k {
	case InboxInvitation:
		return "揭榜邀请", "Invitation to bid"
	case InboxNewCall:
		return "关注类别的新场景", "New call you follow"
	}
	return k, k
}

// InboxItem is one message in an enterprise's scenario inbox.
type InboxItem struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	NeedID   int64  `json:"need_id"`
	Title    string `json:"title"`
	Category string `json:"category"`
	Deadline string `json:"deadline"`
	State    string `json:"state"`
	Note     string `json:"note,omitempty"` // an invitation's reasons, one a line
	At       int64  `json:"at"`
}

// InviteResult says what an invitation did.
type InviteResult struct {
	Invited []string `json:"invited"` // names of the enterprises newly invited
	Already []string `json:"already"` // names of those invited before (nothing sent again)
}

// maxInvite bounds the enterprises of one invitation.
const maxInvite = 50

// Invite invites enterprises (by registry id) to bid on open call id. Each
// must be among the call's suggestions (so never its owner nor one already
// bidding). An enterprise invited before is reported, not invited again.
// Supervisors only. Errors: Forbidden, NotFound, Conflict (the call is not
// open), Invalid naming enterprise_ids.
func (s *Service) Invite(ctx context.Context, v Viewer, id int64, ents []int64) (InviteResult, error) {
	res := InviteResult{Invited: []string{}, Already: []string{}}
	if err := mustRun(v); err != nil {
		return res, err
	}
	n, err := s.needFor(ctx, v, id)
	if err != nil {
		return res, err
	}
	if n.State == StatePublished && s.Today() > n.Deadline {
		return res, errs.New(errs.Conflict, "揭榜已于 "+n.Deadline+" 截止，不能再邀请", "bidding closed on "+n.Deadline)
	}
	ents = uniqueIDs(ents)
	switch {
	case len(ents) == 0:
		return res, errs.Field("enterprise_ids", "请至少选择一家企业", "choose at least one enterprise")
	case len(ents) > maxInvite:
		return res, errs.Field("enterprise_ids", fmt.Sprintf("一次最多邀请 %d 家企业", maxInvite), fmt.Sprintf("at most %d enterprises at a time", maxInvite))
	}
	_, byID, err := s.rank(ctx, n, 1, ents)
	if err != nil {
		return res, err
	}
	var ds []errs.Detail
	for i, e := range ents {
		if _, ok := byID[e]; !ok {
			ds = append(ds, errs.Detail{Row: i + 1, Field: "enterprise_ids", Value: strconv.FormatInt(e, 10),
				Reason: "该企业不在本场景的推荐名单中（或已揭榜、是场景提出方）", ReasonEN: "not among the call's suggestions (or already bidding, or the owner)"})
		}
	}
	if len(ds) > 0 {
		return res, errs.List("邀请的企业有误，未发送任何邀请", "some enterprises cannot be invited; nothing was sent", ds)
	}
	now := s.nowMS()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res.Invited, res.Already = res.Invited[:0], res.Already[:0]
		for _, e := range ents {
			sg := byID[e]
			reasons := make([]string, len(sg.Reasons))
			for i, r := range sg.Reasons {
				reasons[i] = r.ZH + " / " + r.EN
			}
			note := strings.Join(reasons, "\n")
			r, err := tx.ExecContext(ctx, `INSERT INTO scenario_invitations (need_id, enterprise_id, score, reasons, invited_by, invited_at)
				VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (need_id, enterprise_id) DO NOTHING`, id, e, sg.Score, note, nullID(v.UserID), now)
			if err != nil {
				return fmt.Errorf("scenario: invite %d to %d: %w", e, id, err)
			}
			if k, _ := r.RowsAffected(); k == 0 {
				res.Already = append(res.Already, sg.Name)
				continue
			}
			res.Invited = append(res.Invited, sg.Name)
			if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_inbox (enterprise_id, kind, need_id, note, created_at) VALUES ($1,$2,$3,$4,$5)
				ON CONFLICT (enterprise_id, kind, need_id) DO NOTHING`, e, InboxInvitation, id, note, now); err != nil {
				return fmt.Errorf("scenario: inbox of %d: %w", e, err)
			}
			if s.Notify != nil {
				text := fmt.Sprintf("【场景揭榜邀请】%s：诚邀您参与「%s」揭榜，截止 %s。推荐理由：%s（/scenarios/%d）",
					sg.Name, n.Title, n.Deadline, strings.Join(zhOf(sg.Reasons), "；"), id)
				if err := s.Notify(ctx, tx, "scenario.invite", text); err != nil {
					return err
				}
			}
		}
		if len(res.Invited) == 0 {
			return nil
		}
		return s.record(ctx, tx, "scenario.invite", "scenario_need", id, nil,
			map[string]any{"need": n.Title, "enterprises": strings.Join(res.Invited, "、")})
	})
	return res, err
}

func zhOf(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ZH
	}
	return out
}

func uniqueIDs(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Inbox lists v's enterprise's scenario messages, newest first (at most
// 200). Errors: Forbidden for anyone but an enterprise account.
func (s *Service) Inbox(ctx context.Context, v Viewer) ([]InboxItem, error) {
	if v.Role != org.Enterprise || v.EnterpriseID == 0 {
		return nil, errs.New(errs.Forbidden, "只有企业账号有场景消息", "only enterprise accounts have a scenario inbox")
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT i.id, i.kind, i.need_id, n.title, n.category, n.deadline, n.state, i.note, i.created_at
		FROM scenario_inbox i JOIN scenario_needs n ON n.id = i.need_id WHERE i.enterprise_id = $1 ORDER BY i.id DESC LIMIT 200`, v.EnterpriseID)
	if err != nil {
		return nil, fmt.Errorf("scenario: inbox: %w", err)
	}
	defer rows.Close()
	out := []InboxItem{}
	for rows.Next() {
		var it InboxItem
		if err := rows.Scan(&it.ID, &it.Kind, &it.NeedID, &it.Title, &it.Category, &it.Deadline, &it.State, &it.Note, &it.At); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Follows lists the category codes v's enterprise follows, in the seed's
// order. Errors: Forbidden.
func (s *Service) Follows(ctx context.Context, v Viewer) ([]string, error) {
	if v.Role != org.Enterprise || v.EnterpriseID == 0 {
		return nil, errs.New(errs.Forbidden, "只有企业账号可以关注场景类别", "only enterprise accounts follow categories")
	}
	rows, err := s.DB.Read(ctx).QueryContext(ctx, "SELECT category FROM scenario_follows WHERE enterprise_id = $1 ORDER BY category", v.EnterpriseID)
	if err != nil {
		return nil, fmt.Errorf("scenario: follows: %w", err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		have[c] = true
	}
	out := []string{}
	for _, c := range Categories {
		if have[c.Code] {
			out = append(out, c.Code)
		}
	}
	return out, rows.Err()
}

// SetFollows replaces the categories v's enterprise follows. Errors:
// Forbidden, Invalid naming an unknown category.
func (s *Service) SetFollows(ctx context.Context, v Viewer, cats []string) ([]string, error) {
	before, err := s.Follows(ctx, v)
	if err != nil {
		return nil, err
	}
	var want []string
	for i, c := range cats {
		c = strings.TrimSpace(c)
		if zh, _ := CategoryLabel(c); zh == c {
			return nil, errs.List("场景类别有误", "unknown category", []errs.Detail{{Row: i + 1, Field: "categories", Value: c,
				Reason: "场景类别应为 project、digital、urban 或 service", ReasonEN: "a category is project, digital, urban or service"}})
		}
		if !slices.Contains(want, c) {
			want = append(want, c)
		}
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM scenario_follows WHERE enterprise_id = $1", v.EnterpriseID); err != nil {
			return fmt.Errorf("scenario: follows: %w", err)
		}
		for _, c := range want {
			if _, err := tx.ExecContext(ctx, "INSERT INTO scenario_follows (enterprise_id, category, created_by, created_at) VALUES ($1,$2,$3,$4)",
				v.EnterpriseID, c, nullID(v.UserID), s.nowMS()); err != nil {
				return fmt.Errorf("scenario: follow %s: %w", c, err)
			}
		}
		return s.record(ctx, tx, "scenario.follow", "enterprise", v.EnterpriseID,
			map[string]any{"categories": strings.Join(before, "、")}, map[string]any{"categories": strings.Join(want, "、")})
	})
	if err != nil {
		return nil, err
	}
	return s.Follows(ctx, v)
}

// announce puts each newly published call into the inbox of every
// enterprise following its category (not its own owner's), once: one
// statement per call, inside the publishing transaction.
func (s *Service) announce(ctx context.Context, tx *sql.Tx, needs []Need) error {
	now := s.nowMS()
	for _, n := range needs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenario_inbox (enterprise_id, kind, need_id, note, created_at)
			SELECT f.enterprise_id, $1, $2, '', $3 FROM scenario_follows f WHERE f.category = $4 AND f.enterprise_id <> $5
			ON CONFLICT (enterprise_id, kind, need_id) DO NOTHING`, InboxNewCall, n.ID, now, n.Category, n.OwnerEnterpriseID); err != nil {
			return fmt.Errorf("scenario: announce %d: %w", n.ID, err)
		}
	}
	return nil
}
