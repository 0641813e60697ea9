package site

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/web"
)

// auditForm is the trail's filter as typed: who, which object, which
// action (or module), and a date range in China time.
type auditForm struct {
	Actor, ObjectType, ObjectID, Action, From, To string
}

// parseAuditForm reads the filter from the query. Errors: Invalid (a date
// that is not YYYY-MM-DD, or a range that ends before it starts).
func parseAuditForm(q url.Values) (auditForm, audit.Filter, error) {
	form := auditForm{Actor: q.Get("actor"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"),
		Action: q.Get("action"), From: q.Get("from"), To: q.Get("to")}
	f := audit.Filter{Actor: form.Actor, ObjectType: form.ObjectType, ObjectID: form.ObjectID, Action: form.Action, Limit: 100}
	f.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	f.ActorID, _ = strconv.ParseInt(q.Get("actor_id"), 10, 64)
	day := func(field, v string) (int64, error) {
		if v == "" {
			return 0, nil
		}
		t, err := time.ParseInLocation("2006-01-02", v, db.CST)
		if err != nil {
			return 0, errs.Field(field, "日期应为 YYYY-MM-DD："+v, "date must be YYYY-MM-DD: "+v)
		}
		return t.UnixMilli(), nil
	}
	var err error
	if f.From, err = day("from", form.From); err != nil {
		return form, f, err
	}
	if f.To, err = day("to", form.To); err != nil {
		return form, f, err
	}
	if f.To > 0 {
		f.To += 24 * time.Hour.Milliseconds() // the end date is included
	}
	if f.From > 0 && f.To > 0 && f.To <= f.From {
		return form, f, errs.Field("to", "结束日期早于开始日期", "the end date is before the start date")
	}
	return form, f, nil
}

// query is the form as a query string (for paging and the export link).
func (f auditForm) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"actor": f.Actor, "object_type": f.ObjectType, "object_id": f.ObjectID,
		"action": f.Action, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

type option struct{ Value, Label string }

// auditItem is one row told in words.
type auditItem struct {
	audit.Row
	When      string
	ActorName string
	Outcome   string
	Desc      audit.Description
}

type auditPage struct {
	web.Page
	Items      []auditItem
	Form       auditForm
	Actors     []option
	Modules    []option
	Objects    []option
	Next       string // query of the next (older) page, or ""
	Export     string // query of the export link
	Keyed      bool
	Verified   bool
	ChainOK    bool
	VerifyText string
	Refusals   []refusalItem
}

type refusalItem struct {
	audit.RefusalCount
	When string
	What string
}

// actorNames maps recorded actor names (usernames) to "姓名 (username)".
func (s *handlers) actorNames(ctx context.Context) (map[string]string, []option, error) {
	users, err := s.Org.Users(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	var opts []option
	for _, u := range users {
		label := u.Username
		if u.DisplayName != "" {
			label = u.DisplayName + "（" + u.Username + "）"
		}
		names[u.Username] = label
		opts = append(opts, option{Value: u.Username, Label: label})
	}
	return names, opts, nil
}

func (s *handlers) describe(rows []audit.Row, lang string, names map[string]string) []auditItem {
	items := make([]auditItem, len(rows))
	for i, r := range rows {
		name := names[r.Actor]
		if name == "" {
			name = r.Actor
		}
		items[i] = auditItem{Row: r, When: web.DateTime(r.At), ActorName: name,
			Outcome: audit.OutcomeWords(r.Outcome, lang), Desc: s.Audit.Tell(r, lang, name)}
	}
	return items
}

func (s *handlers) handleAdminAudit(w http.ResponseWriter, r *http.Request) error {
	p := auditPage{Page: s.Page(r, "审计日志", "Audit trail"), Keyed: s.Audit.Keyed()}
	form, f, ferr := parseAuditForm(r.URL.Query())
	p.Form = form
	names, actors, err := s.actorNames(r.Context())
	if err != nil {
		return err
	}
	p.Actors = actors
	for _, c := range s.Audit.Modules() {
		p.Modules = append(p.Modules, option{Value: c.Code, Label: p.L(c.Words.ZH, c.Words.EN)})
	}
	for _, c := range s.Audit.ObjectTypes() {
		p.Objects = append(p.Objects, option{Value: c.Code, Label: p.L(c.Words.ZH, c.Words.EN)})
	}
	if ferr != nil {
		e := errs.As(ferr)
		if e.Code == errs.Internal {
			return ferr
		}
		p.Error = e.Message(p.Lang)
		w.WriteHeader(web.Status(e.Code))
		return s.Render(w, r, "admin/audit.html", p)
	}
	rows, err := s.Audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	p.Items = s.describe(rows, p.Lang, names)
	p.Export = form.query().Encode()
	if len(rows) == f.Limit {
		q := form.query()
		q.Set("before", strconv.FormatInt(rows[len(rows)-1].ID, 10))
		p.Next = q.Encode()
	}
	if r.URL.Query().Get("verify") != "" {
		p.Verified = true
		n, err := s.Audit.Verify(r.Context())
		p.ChainOK = err == nil
		if err != nil {
			p.VerifyText = p.L("哈希链校验失败：", "Hash chain broken: ") + err.Error()
		} else {
			p.VerifyText = fmt.Sprintf(p.L("哈希链完整，共校验 %d 条记录。", "Hash chain intact: %d rows checked."), n)
		}
	}
	counts, err := s.Audit.Refusals(r.Context(), time.Now().Add(-24*time.Hour).UnixMilli(), 20)
	if err != nil {
		return err
	}
	for _, c := range counts {
		zh, en := refusalWords(c.Code)
		p.Refusals = append(p.Refusals, refusalItem{RefusalCount: c, When: web.DateTime(c.Minute), What: p.L(zh, en)})
	}
	return s.Render(w, r, "admin/audit.html", p)
}

func refusalWords(code string) (string, string) {
	switch errs.Code(code) {
	case errs.Unauthorized:
		return "未登录或凭据无效", "not signed in or bad credentials"
	case errs.Forbidden:
		return "无权访问", "forbidden"
	case errs.RateLimited:
		return "请求过于频繁", "rate limited"
	}
	return code, code
}

// handleAdminAuditExport downloads the filtered trail as .xlsx.
func (s *handlers) handleAdminAuditExport(w http.ResponseWriter, r *http.Request) error {
	_, f, err := parseAuditForm(r.URL.Query())
	if err != nil {
		return err
	}
	names, _, err := s.actorNames(r.Context())
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	name := "审计日志-" + time.Now().In(db.CST).Format("20060102-1504") + ".xlsx"
	if lang == "en" {
		name = "audit-trail-" + time.Now().In(db.CST).Format("20060102-1504") + ".xlsx"
	}
	web.Spreadsheet(w, name)
	return s.Audit.Export(r.Context(), f, lang, names, w)
}

// The JSON answers of the audit routes, named so the API document
// describes them from their Go types.
type (
	auditAnswer struct {
		Rows []auditEntry `json:"rows"`
	}
	refusalsAnswer struct {
		Since    int64                `json:"since"`
		Refusals []audit.RefusalCount `json:"refusals"`
	}
	verifyAnswer struct {
		OK         bool   `json:"ok"`
		Keyed      bool   `json:"keyed"`
		Checked    int    `json:"checked"`
		FirstBadID int64  `json:"first_bad_id,omitempty"`
		Reason     string `json:"reason,omitempty"`
	}
)

// auditFilterQuery are the trail's filters, shared by the page, the export
// and the API.
var auditFilterQuery = web.Query(
	"actor:string a person's username (or a recorded name such as cli:ops)",
	"object_type:string the kind of object (plan_node, award_payment …)",
	"object_id:string the object's number",
	"action:string an action (plan.report.accept) or an area, a prefix of whole parts (plan, award.payment)",
	"from:string first day, YYYY-MM-DD in China time",
	"to:string last day (included), YYYY-MM-DD in China time",
	"before:integer rows older than this row id (paging)",
)

var auditDocs = map[string]web.Doc{
	"GET /api/v1/audit":          {Query: append(append([]web.Param{}, auditFilterQuery...), web.Query("limit:integer at most 500; 100 by default")...), Response: auditAnswer{}},
	"GET /api/v1/audit/refusals": {Response: refusalsAnswer{}},
	"GET /api/v1/audit/verify":   {Response: verifyAnswer{}},
}

// auditEntry is one row of the JSON trail: the stored row and its words.
type auditEntry struct {
	audit.Row
	ActorName   string            `json:"actor_name"`
	Description audit.Description `json:"description"`
}

func (s *handlers) apiAudit(w http.ResponseWriter, r *http.Request) error {
	_, f, err := parseAuditForm(r.URL.Query())
	if err != nil {
		return err
	}
	if n, _ := strconv.Atoi(r.URL.Query().Get("limit")); n > 0 {
		f.Limit = n
	}
	rows, err := s.Audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	names, _, err := s.actorNames(r.Context())
	if err != nil {
		return err
	}
	out := make([]auditEntry, 0, len(rows))
	for _, it := range s.describe(rows, web.LangOf(r), names) {
		out = append(out, auditEntry{Row: it.Row, ActorName: it.ActorName, Description: it.Desc})
	}
	web.WriteJSON(w, http.StatusOK, auditAnswer{Rows: out})
	return nil
}

func (s *handlers) apiAuditRefusals(w http.ResponseWriter, r *http.Request) error {
	since := time.Now().Add(-24 * time.Hour).UnixMilli()
	counts, err := s.Audit.Refusals(r.Context(), since, 1000)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, refusalsAnswer{Since: since, Refusals: web.NonNil(counts)})
	return nil
}

func (s *handlers) apiAuditVerify(w http.ResponseWriter, r *http.Request) error {
	n, err := s.Audit.Verify(r.Context())
	if err != nil {
		var be *audit.BrokenError
		if ok := asBroken(err, &be); ok {
			web.WriteJSON(w, http.StatusOK, verifyAnswer{Keyed: s.Audit.Keyed(), Checked: n, FirstBadID: be.ID, Reason: be.Reason})
			return nil
		}
		return err
	}
	web.WriteJSON(w, http.StatusOK, verifyAnswer{OK: true, Keyed: s.Audit.Keyed(), Checked: n})
	return nil
}
