package award

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/web"
)

// rulesPage is the programme form: new, edit, and either shown again with
// the problems of what was typed, or with a preview of the ranking.
type rulesPage struct {
	page
	F       ruleForm
	Action  string
	ID      int64 // the draft being edited; 0 for a new programme
	Editing bool
	Errors  []shownError

	Indicators []enterprise.Indicator
	Subjects   []award.Subject // what else a programme may rank, with its figures
	Tiers      []enterprise.TierKind
	Chains     []enterprise.ChainNode

	Preview      *award.Preview
	PreviewTerms []award.Term
	bad          map[string]bool
}

// shownError is one problem of the form: the field in words, the reason,
// and the value typed.
type shownError struct{ Field, Reason, Value string }

// Has reports whether x is among xs (a checked box).
func (rulesPage) Has(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// WeightSum is the sum of the weights as typed.
func (p rulesPage) WeightSum() int { return p.F.weightSum() }

// Unit is the money unit in words.
func (p rulesPage) Unit() string {
	if p.F.Unit == unitYuan {
		return p.L("元", "yuan")
	}
	return p.L("万元", "10,000 yuan")
}

// UnitParen is the money unit in brackets, to follow a label.
func (p rulesPage) UnitParen() string { return p.L("（"+p.Unit()+"）", " ("+p.Unit()+")") }

// Bad reports whether the field has a problem, for aria-invalid.
func (p rulesPage) Bad(field string) bool { return p.bad[field] }

// BadAt reports whether field of row i of a group (terms, criteria,
// money.bands) has a problem.
func (p rulesPage) BadAt(group string, i int, field string) bool {
	k := group + "[" + strconv.Itoa(i) + "]"
	if field != "" {
		k += "." + field
	}
	return p.bad[k]
}

// PreviewRows are the first entries of the preview, what the page lists.
func (p rulesPage) PreviewRows() []award.Entry {
	es := p.Preview.Result.Entries
	return es[:min(len(es), 30)]
}

// gradeRow is one class's share field.
type gradeRow struct{ Class, Name, Value, Default string }

// GradeRows are the four classes' share fields, with the default shares.
func (p rulesPage) GradeRows() []gradeRow {
	defaults := [4]string{"25", "45", "25", "5"}
	out := make([]gradeRow, 4)
	for i := range out {
		c := string(rune('A' + i))
		out[i] = gradeRow{Class: c, Name: "grade_" + strings.ToLower(c), Value: p.F.GradeBands[i], Default: defaults[i]}
	}
	return out
}

// TierName is a tier's name in the page's language.
func (p rulesPage) TierName(code string) string {
	zh, en := enterprise.TierName(code)
	return p.L(zh, en)
}

// Indent pads a chain node's name by its depth in the tree.
func (rulesPage) Indent(depth int) string { return strings.Repeat("\u3000", depth) }

// rulesPageFor builds the page around the form f, with the registry's
// indicators, tiers and chain nodes to choose from.
func (s *handlers) rulesPageFor(r *http.Request, f ruleForm, id int64) (rulesPage, error) {
	p := rulesPage{page: page{s.Page(r, "新建评优项目", "New programme")}, F: f, Action: "/awards", ID: id, Tiers: enterprise.Tiers, Subjects: s.Award.Subjects()}
	if id != 0 {
		p.Action, p.Editing = progPath(id)+"/edit", true
		p.TitleZH, p.TitleEN = "修改评优项目："+f.NameZH, "Edit programme: "+f.NameZH
	}
	var err error
	if p.Indicators, err = s.Enterprise.Indicators(r.Context()); err != nil {
		return p, err
	}
	if p.Chains, err = s.Enterprise.ChainTree(r.Context()); err != nil {
		return p, err
	}
	return p, nil
}

// indicatorNames are the Chinese names of the registry's indicators and
// of the subjects' figures, by code.
func (s *handlers) indicatorNames(r *http.Request) (map[string]string, error) {
	inds, err := s.Enterprise.Indicators(r.Context())
	names := map[string]string{}
	for _, i := range inds {
		names[i.Code] = i.NameZH
	}
	for _, sub := range s.Award.Subjects() {
		for _, i := range sub.Figures {
			names[i.Code] = i.NameZH
		}
	}
	return names, err
}

func (s *handlers) handleNew(w http.ResponseWriter, r *http.Request) error {
	year := s.Award.Now().In(db.CST).Year()
	n := award.NewProgramme{Year: year, Kind: award.KindRanking, NoticeDays: 7,
		Rules: award.Rules{DataYear: year - 1, Eligibility: award.Eligibility{NoFlag: true}, Money: award.MoneyRule{Kind: "bands"}}}
	// ?subject=finance.institutions starts from that subject's honour: its
	// owner's formula, ten places, no money (十大优秀金融机构).
	for _, sub := range s.Award.Subjects() {
		if sub.Code == r.URL.Query().Get("subject") {
			n.NameZH = strconv.Itoa(year-1) + " 年度十大优秀" + sub.NameZH
			n.Quota, n.Rules = 10, award.Rules{Subject: sub.Code, DataYear: year - 1, Terms: sub.Formula, Money: award.MoneyRule{Kind: award.MoneyNone}}
		}
	}
	f := formOf(n, unitWan)
	p, err := s.rulesPageFor(r, f.padded(), 0)
	if err != nil {
		return err
	}
	return s.Render(w, r, "award/new.html", p)
}

func (s *handlers) handleEdit(w http.ResponseWriter, r *http.Request) error {
	prog, err := s.programme(r)
	if err != nil {
		return err
	}
	f := formOf(award.NewProgramme{Year: prog.Year, NameZH: prog.NameZH, NameEN: prog.NameEN, Kind: prog.Kind, Quota: prog.Quota,
		BudgetFen: prog.BudgetFen, NoticeDays: prog.NoticeDays, Note: prog.Note, Rules: prog.Rules}, "")
	p, err := s.rulesPageFor(r, f.padded(), prog.ID)
	if err != nil {
		return err
	}
	return s.Render(w, r, "award/new.html", p)
}

func (s *handlers) handleCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveRules(w, r, 0)
}

func (s *handlers) handleUpdate(w http.ResponseWriter, r *http.Request) error {
	prog, err := s.programme(r)
	if err != nil {
		return err
	}
	return s.saveRules(w, r, prog.ID)
}

// saveRules reads the posted form and saves it (id 0: a new draft), or
// previews its ranking when the preview button was pressed. A problem
// shows the form again, as typed, with each problem named.
func (s *handlers) saveRules(w http.ResponseWriter, r *http.Request, id int64) error {
	f := readRuleForm(r)
	names, err := s.indicatorNames(r)
	if err != nil {
		return err
	}
	n, problems := f.toProgramme(names)
	if len(problems) > 0 {
		// Show the service's problems too, but none about a field already
		// named: what could not be read is its only problem.
		named := map[string]bool{}
		for _, d := range problems {
			named[d.Field] = true
		}
		if err := n.Check(); err != nil {
			for _, d := range errs.As(err).Details {
				if !named[d.Field] {
					problems = append(problems, d)
				}
			}
		}
		return s.showProblems(w, r, f, id, problems)
	}
	if r.PostForm.Get("action") == "preview" {
		pv, err := s.Award.Preview(r.Context(), viewer(r), n)
		if err != nil {
			return s.showError(w, r, f, id, err)
		}
		p, err := s.rulesPageFor(r, f.compact().padded(), id)
		if err != nil {
			return err
		}
		p.Preview = &pv
		for _, t := range n.Rules.Terms {
			if t.Source != award.SourceExpert {
				p.PreviewTerms = append(p.PreviewTerms, t)
			}
		}
		p.Flash = p.L("以下为预览，尚未保存。", "This is a preview; nothing is saved yet.")
		return s.Render(w, r, "award/new.html", p)
	}
	if id == 0 {
		prog, err := s.Award.CreateProgramme(r.Context(), n)
		if err != nil {
			return s.showError(w, r, f, id, err)
		}
		return web.SeeOther(w, r, progPath(prog.ID)+"?ok=created")
	}
	if _, err := s.Award.UpdateProgramme(r.Context(), id, n); err != nil {
		return s.showError(w, r, f, id, err)
	}
	return backTo(w, r, progPath(id))
}

// showError shows the form again for an Invalid error, and passes any
// other error on.
func (s *handlers) showError(w http.ResponseWriter, r *http.Request, f ruleForm, id int64, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid {
		return err
	}
	ds := e.Details
	if len(ds) == 0 {
		ds = []errs.Detail{{Field: e.Field, Reason: e.Msg, ReasonEN: e.MsgEN}}
	}
	return s.showProblems(w, r, f, id, ds)
}

// showProblems answers 422 with the form as typed and its problems, each
// naming its field in words.
func (s *handlers) showProblems(w http.ResponseWriter, r *http.Request, f ruleForm, id int64, ds []errs.Detail) error {
	p, err := s.rulesPageFor(r, f.compact().padded(), id)
	if err != nil {
		return err
	}
	p.bad = map[string]bool{}
	for _, d := range ds {
		p.bad[d.Field] = true
		p.Errors = append(p.Errors, shownError{Field: fieldLabel(p.page, d.Field), Reason: p.L(d.Reason, d.ReasonEN), Value: d.Value})
	}
	p.Error = p.L("未保存：请改正下列 "+strconv.Itoa(len(ds))+" 处后再提交。", "Not saved: correct the "+strconv.Itoa(len(ds))+" problems below and submit again.")
	return s.Render(statusWriter{w, http.StatusUnprocessableEntity}, r, "award/new.html", p)
}

// statusWriter answers status instead of 200 when the body is written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w statusWriter) Write(b []byte) (int, error) {
	w.ResponseWriter.WriteHeader(w.status)
	return w.ResponseWriter.Write(b)
}

// compact drops blank rows, so that row k of the page is terms[k] of the
// rules and of the problems named.
func (f ruleForm) compact() ruleForm {
	var ts []termRow
	for _, t := range f.Terms {
		if !t.empty() {
			ts = append(ts, t)
		}
	}
	var cs []critRow
	for _, c := range f.Criteria {
		if !c.empty() {
			cs = append(cs, c)
		}
	}
	var bs []bandRow
	for _, b := range f.MoneyBands {
		if !b.empty() {
			bs = append(bs, b)
		}
	}
	f.Terms, f.Criteria, f.MoneyBands = ts, cs, bs
	return f
}

func (s *handlers) handleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Award.DeleteProgramme(r.Context(), viewer(r), id); err != nil {
		return err
	}
	return web.SeeOther(w, r, "/awards?ok=deleted")
}

func (s *handlers) apiProgrammeDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Award.DeleteProgramme(r.Context(), viewer(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *handlers) apiPreview(w http.ResponseWriter, r *http.Request) error {
	var n award.NewProgramme
	if err := web.DecodeJSON(r, &n); err != nil {
		return err
	}
	pv, err := s.Award.Preview(r.Context(), viewer(r), n)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, pv)
	return nil
}
