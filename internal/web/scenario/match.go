package scenario

import (
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// Matching pages and API: the suggestions for a call with their reasons,
// invitations, and an enterprise's scenario inbox and followed categories.

type (
	inviteRequest struct {
		EnterpriseIDs []int64 `json:"enterprise_ids"`
	}
	followsRequest struct {
		Categories []string `json:"categories"`
	}
	inboxAnswer struct {
		Items   []scenario.InboxItem `json:"items"`
		Follows []string             `json:"follows"`
	}
	followsAnswer struct {
		Categories []string `json:"categories"`
	}
)

// matchesPage is a call's suggested enterprises.
type matchesPage struct {
	page
	N       scenario.Need
	M       scenario.Matches
	CanRun  bool
	Open    bool // still open for bids: invitations may go out
	Details []errs.Detail
}

// TierNames are a suggestion's tiers in words.
func (p matchesPage) TierNames(ts []string) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = p.L(enterprise.TierName(t))
	}
	return strings.Join(out, "、")
}

func (s *handlers) handleMatches(w http.ResponseWriter, r *http.Request) error {
	return s.renderMatches(w, r, nil)
}

func (s *handlers) renderMatches(w http.ResponseWriter, r *http.Request, failure error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	v := viewer(r)
	n, err := s.Scenario.Need(r.Context(), v, id)
	if err != nil {
		return err
	}
	p := matchesPage{page: page{s.Page(r, "推荐企业 · "+n.Title, "Suggested enterprises · "+n.Title)}, N: n, CanRun: v.Runs(),
		Open: n.State == scenario.StatePublished && s.Scenario.Today() <= n.Deadline}
	if p.M, err = s.Scenario.Suggest(r.Context(), v, id, 50); err != nil {
		if errs.CodeOf(err) != errs.Conflict {
			return err
		}
		p.Error = errs.As(err).Message(p.Lang)
	}
	if failure != nil {
		e := errs.As(failure)
		if e.Code == errs.Internal || e.Code == errs.NotFound {
			return failure
		}
		p.Error, p.Details = e.Message(p.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	q := r.URL.Query()
	if q.Get("ok") == "invited" {
		p.Flash = p.L("已发出邀请 "+q.Get("n")+" 家；此前已邀请的 "+q.Get("already")+" 家未重复发送",
			"Invited "+q.Get("n")+"; "+q.Get("already")+" invited before were not sent again")
	}
	return s.Render(w, r, "scenario/matches.html", p)
}

func (s *handlers) handleInvite(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	var ids []int64
	for _, v := range r.Form["enterprise_id"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.renderMatches(w, r, errs.Field("enterprise_ids", "企业编号应为正整数", "enterprise ids are positive integers"))
		}
		ids = append(ids, n)
	}
	res, err := s.Scenario.Invite(r.Context(), viewer(r), id, ids)
	if err != nil {
		return s.renderMatches(w, r, err)
	}
	return web.SeeOther(w, r, callPath(id)+"/matches?ok=invited&n="+strconv.Itoa(len(res.Invited))+"&already="+strconv.Itoa(len(res.Already)))
}

// inboxPage is an enterprise's scenario inbox and the categories it follows.
type inboxPage struct {
	page
	Items      []scenario.InboxItem
	Follows    map[string]bool
	Categories []scenario.Category
}

// Kind is an inbox item kind in words.
func (p inboxPage) Kind(k string) string { return p.L(scenario.InboxKindLabel(k)) }

// NoteLines are an invitation's reasons in the page's language.
func (p inboxPage) NoteLines(note string) []string {
	var out []string
	for _, l := range strings.Split(note, "\n") {
		if l == "" {
			continue
		}
		zh, en, _ := strings.Cut(l, " / ")
		out = append(out, p.L(zh, en))
	}
	return out
}

func (s *handlers) handleInbox(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	p := inboxPage{page: page{s.Page(r, "场景消息", "Scenario inbox")}, Follows: map[string]bool{}, Categories: scenario.Categories}
	var err error
	if p.Items, err = s.Scenario.Inbox(r.Context(), v); err != nil {
		return err
	}
	fs, err := s.Scenario.Follows(r.Context(), v)
	if err != nil {
		return err
	}
	for _, c := range fs {
		p.Follows[c] = true
	}
	if r.URL.Query().Get("ok") == "follows" {
		p.Flash = p.L("关注的类别已更新：发布新批次时，这些类别的新场景会出现在这里", "Saved: new calls in these categories will appear here when a batch is published")
	}
	return s.Render(w, r, "scenario/inbox.html", p)
}

func (s *handlers) handleFollows(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
	}
	if _, err := s.Scenario.SetFollows(r.Context(), viewer(r), r.Form["category"]); err != nil {
		return err
	}
	return web.SeeOther(w, r, "/scenarios/inbox?ok=follows")
}

func (s *handlers) apiMatches(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	limit := 0
	if l := r.URL.Query().Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > 100 {
			return errs.Field("limit", "limit 应为 1–100 的整数", "limit must be an integer from 1 to 100")
		}
	}
	m, err := s.Scenario.Suggest(r.Context(), viewer(r), id, limit)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (s *handlers) apiInvite(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req inviteRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	res, err := s.Scenario.Invite(r.Context(), viewer(r), id, req.EnterpriseIDs)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (s *handlers) apiInbox(w http.ResponseWriter, r *http.Request) error {
	v := viewer(r)
	items, err := s.Scenario.Inbox(r.Context(), v)
	if err != nil {
		return err
	}
	fs, err := s.Scenario.Follows(r.Context(), v)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, inboxAnswer{Items: web.NonNil(items), Follows: web.NonNil(fs)})
	return nil
}

func (s *handlers) apiFollows(w http.ResponseWriter, r *http.Request) error {
	var req followsRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	fs, err := s.Scenario.SetFollows(r.Context(), viewer(r), req.Categories)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, followsAnswer{Categories: web.NonNil(fs)})
	return nil
}
