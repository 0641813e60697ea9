package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

func viewer(r *http.Request) plan.Viewer { return plan.ViewerOf(currentUser(r)) }

// planYear reads ?year=, defaulting to the newest plan year (or this year).
func (s *Server) planYear(r *http.Request) (int, error) {
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			return 0, errs.Field("year", "年度无效："+v, "invalid year: "+v)
		}
		return y, nil
	}
	ys, err := s.Plan.Years(r.Context())
	if err != nil {
		return 0, err
	}
	if len(ys) > 0 {
		return ys[0].Year, nil
	}
	return time.Now().Year(), nil
}

// planMonth reads ?month=, defaulting to the month of the plan's today.
func (s *Server) planMonth(r *http.Request, year int) (int, error) {
	if v := r.URL.Query().Get("month"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 12 {
			return 0, errs.Field("month", "月份须在 1–12 之间："+v, "month must be 1–12: "+v)
		}
		return m, nil
	}
	today, err := s.Plan.Today(r.Context(), year)
	if err != nil {
		return 0, err
	}
	if today.Year() < year {
		return 1, nil
	}
	if today.Year() > year {
		return 12, nil
	}
	return int(today.Month()), nil
}

type asOfRequest struct {
	AsOf string `json:"as_of"`
}

type weightsRequest struct {
	Weights map[string]*int `json:"weights"` // child id → weight or null
}

type overrideRequest struct {
	Pct    *int   `json:"pct"`
	Reason string `json:"reason"`
}

type milestoneRequest struct {
	Title string `json:"title"`
	DueOn string `json:"due_on"`
}

type reviewRequest struct {
	Comment string `json:"comment,omitempty"`
	Version int    `json:"version"`
}

type replyRequest struct {
	Reply string `json:"reply"`
}

func (s *Server) apiPlanTree(w http.ResponseWriter, r *http.Request) error {
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	v := viewer(r)
	val, err := s.Plan.Memo(r.Context(), year, "json:tree:"+scope(v), func() (any, error) {
		t, err := s.Plan.Tree(r.Context(), v, year)
		if err != nil {
			return nil, err
		}
		if t.Roots == nil {
			t.Roots = []*plan.Node{}
		}
		return encodeBoth(t)
	})
	if err != nil {
		return err
	}
	return writeEncoded(w, r, "application/json; charset=utf-8", val.(encoded))
}

// encoded is an answer kept both plain and gzip-compressed, so a memoised
// answer costs neither encoding nor compression per request.
type encoded struct{ plain, gz []byte }

func encodeBoth(v any) (encoded, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return encoded{}, err
	}
	return compressBoth(buf.Bytes())
}

func compressBoth(plain []byte) (encoded, error) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(plain)
	if err := zw.Close(); err != nil {
		return encoded{}, err
	}
	return encoded{plain: plain, gz: gz.Bytes()}, nil
}

func writeEncoded(w http.ResponseWriter, r *http.Request, contentType string, e encoded) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Add("Vary", "Accept-Encoding")
	body := e.plain
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		body = e.gz
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body) // a failed write means the client went away; nothing left to tell it
	return nil
}

func (s *Server) apiPlanYears(w http.ResponseWriter, r *http.Request) error {
	ys, err := s.Plan.Years(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"years": ys})
	return nil
}

func (s *Server) apiPlanAsOf(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return errs.Field("year", "年度无效", "invalid year")
	}
	var req asOfRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.Plan.SetAsOf(r.Context(), viewer(r), year, req.AsOf); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "as_of": req.AsOf})
	return nil
}

func (s *Server) apiPlanFlags(w http.ResponseWriter, r *http.Request) error {
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	flag := plan.Flag(r.URL.Query().Get("flag"))
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	tasks := t.Tasks(flag)
	plan.ByDeadline(tasks)
	if tasks == nil {
		tasks = []*plan.Node{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "as_of": t.AsOf, "flag": flag, "tasks": tasks})
	return nil
}

func (s *Server) apiPlanRefresh(w http.ResponseWriter, r *http.Request) error {
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	n, err := s.Plan.RefreshFlags(r.Context(), year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "changed": n})
	return nil
}

// taskDetail is a node with, for a task, its reports, history and chases.
type taskDetail struct {
	*plan.Node
	Path    []*plan.Node  `json:"path"`
	Reports []plan.Report `json:"reports,omitempty"`
	History []plan.Event  `json:"history,omitempty"`
	Chases  []plan.Chase  `json:"chases,omitempty"`
}

func (s *Server) taskDetail(r *http.Request, id int64) (taskDetail, error) {
	v := viewer(r)
	n, t, err := s.Plan.Node(r.Context(), v, id)
	if err != nil {
		return taskDetail{}, err
	}
	d := taskDetail{Node: n}
	for _, p := range t.Path(n) {
		d.Path = append(d.Path, &plan.Node{ID: p.ID, Level: p.Level, Title: p.Title})
	}
	if n.Level != plan.Task {
		return d, nil
	}
	if d.Reports, err = s.Plan.TaskReports(r.Context(), v, id); err != nil {
		return d, err
	}
	if d.History, err = s.Plan.History(r.Context(), v, id); err != nil {
		return d, err
	}
	d.Chases, err = s.Plan.Chases(r.Context(), v, id, "")
	return d, err
}

func (s *Server) apiPlanNode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.taskDetail(r, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiPlanNodeCreate(w http.ResponseWriter, r *http.Request) error {
	var in plan.NodeInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n, err := s.Plan.CreateNode(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, n)
	return nil
}

func (s *Server) apiPlanNodeUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in plan.NodeInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n, err := s.Plan.UpdateNode(r.Context(), viewer(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

func (s *Server) apiPlanWeights(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req weightsRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	ws := map[int64]*int{}
	for k, v := range req.Weights {
		cid, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return errs.Field("weights", "子节点编号无效："+k, "invalid child id: "+k)
		}
		ws[cid] = v
	}
	if err := s.Plan.SetWeights(r.Context(), viewer(r), id, ws); err != nil {
		return err
	}
	return s.apiPlanNode(w, r)
}

func (s *Server) apiPlanOverride(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req overrideRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Pct == nil {
		return errs.Field("pct", "请填写调整后的进度（0–100）", "pct (0–100) is required")
	}
	if err := s.Plan.Override(r.Context(), viewer(r), id, req.Pct, req.Reason); err != nil {
		return err
	}
	return s.apiPlanNode(w, r)
}

func (s *Server) apiPlanOverrideClear(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Plan.Override(r.Context(), viewer(r), id, nil, ""); err != nil {
		return err
	}
	return s.apiPlanNode(w, r)
}

func (s *Server) apiPlanMilestone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req milestoneRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	m, err := s.Plan.AddMilestone(r.Context(), viewer(r), id, req.Title, req.DueOn)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

func (s *Server) apiPlanTasks(w http.ResponseWriter, r *http.Request) error {
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	t, err := s.Plan.Tree(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	tasks := t.Tasks("")
	if tasks == nil {
		tasks = []*plan.Node{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "as_of": t.AsOf, "tasks": tasks})
	return nil
}

func (s *Server) apiPlanTaskReports(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := s.Plan.TaskReports(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": rs})
	return nil
}

func (s *Server) apiPlanReportCreate(w http.ResponseWriter, r *http.Request) error {
	var in plan.ReportInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.Plan.CreateReport(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}

func (s *Server) apiPlanReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.Plan.Report(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) apiPlanReportUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in plan.ReportInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return errs.Field("version", "请提供所编辑报告的版本号", "version of the report being edited is required")
	}
	rep, err := s.Plan.UpdateReport(r.Context(), viewer(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) apiPlanReview(accept bool) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var req reviewRequest
		if r.ContentLength != 0 {
			if err := decodeJSON(r, &req); err != nil {
				return err
			}
		}
		rep, err := s.Plan.Review(r.Context(), viewer(r), id, accept, req.Comment, req.Version)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
}

// readUpload reads the multipart field "file" (if any) within the limit.
func (s *Server) readUploads(w http.ResponseWriter, r *http.Request) ([]plan.Upload, error) {
	max, err := s.Plan.MaxAttachment(r.Context())
	if err != nil {
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, max+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if err == http.ErrNotMultipart {
			return nil, nil
		}
		if _, ok := err.(*http.MaxBytesError); ok {
			e := errs.Field("file", "上传内容超过大小上限", "upload is larger than the limit")
			e.Code = errs.TooLarge
			return nil, e
		}
		return nil, errs.New(errs.Invalid, "表单无法解析："+err.Error(), "cannot parse the form: "+err.Error())
	}
	var out []plan.Upload
	for _, fh := range r.MultipartForm.File["file"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		if fh.Size > max {
			_, err := plan.CheckFile(fh.Filename, make([]byte, max+1), max)
			return nil, err
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, max+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, plan.Upload{Name: fh.Filename, Data: data})
	}
	return out, nil
}

func (s *Server) apiPlanAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ups, err := s.readUploads(w, r)
	if err != nil {
		return err
	}
	if len(ups) != 1 {
		return errs.Field("file", "请上传一个文件（字段 file）", "send exactly one file in field file")
	}
	a, err := s.Plan.AddAttachment(r.Context(), viewer(r), id, ups[0].Name, ups[0].Data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) handlePlanAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, data, err := s.Plan.AttachmentData(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(a.Filename))
	w.Header().Set("Content-Security-Policy", "sandbox")
	_, err = w.Write(data)
	return err
}

func (s *Server) apiPlanChases(w http.ResponseWriter, r *http.Request) error {
	task, _ := strconv.ParseInt(r.URL.Query().Get("task"), 10, 64)
	cs, err := s.Plan.Chases(r.Context(), viewer(r), task, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []plan.Chase{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"chases": cs})
	return nil
}

func (s *Server) apiPlanChaseIssue(w http.ResponseWriter, r *http.Request) error {
	var in plan.ChaseInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.Plan.IssueChase(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) apiPlanChaseReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req replyRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c, err := s.Plan.ReplyChase(r.Context(), viewer(r), id, req.Reply)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiPlanChaseClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Plan.CloseChase(r.Context(), viewer(r), id); err != nil {
		return err
	}
	c, err := s.Plan.Chase(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request) error {
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	items, err := s.Plan.Inbox(r.Context(), viewer(r), year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "items": items})
	return nil
}

func (s *Server) apiPlanBulletin(w http.ResponseWriter, r *http.Request) error {
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	month, err := s.planMonth(r, year)
	if err != nil {
		return err
	}
	b, err := s.Plan.Bulletin(r.Context(), viewer(r), year, month)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) apiPlanUnitBulletin(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	month, err := s.planMonth(r, year)
	if err != nil {
		return err
	}
	u, b, err := s.Plan.UnitBulletin(r.Context(), viewer(r), year, month, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": b.Year, "month": b.Month, "date": b.Date, "formula": b.Settings, "unit": u})
	return nil
}

func (s *Server) handlePlanBulletinXLSX(w http.ResponseWriter, r *http.Request) error {
	year, err := s.planYear(r)
	if err != nil {
		return err
	}
	month, err := s.planMonth(r, year)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.Plan.BulletinXLSX(r.Context(), viewer(r), year, month, &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"bulletin-"+strconv.Itoa(year)+"-"+strconv.Itoa(month)+".xlsx\"")
	_, err = buf.WriteTo(w)
	return err
}

func (s *Server) apiPlanSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Plan.Settings(r.Context())
	if err != nil {
		return err
	}
	if currentUser(r).Role != "supervisor" && currentUser(r).Role != "admin" {
		st.WebhookURL = "" // the robot URL carries its key: only those who may change it see it
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiPlanSettingsSave(w http.ResponseWriter, r *http.Request) error {
	var st plan.Settings
	if err := decodeJSON(r, &st); err != nil {
		return err
	}
	if err := s.Plan.SaveSettings(r.Context(), viewer(r), st); err != nil {
		return err
	}
	return s.apiPlanSettings(w, r)
}
