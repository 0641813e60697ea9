package plan

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

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

// planReadUploads reads the report's attachments (field "file"), each within
// the plan's attachment limit.
func (s *Server) planReadUploads(w http.ResponseWriter, r *http.Request) ([]plan.Upload, error) {
	max, err := s.Plan.MaxAttachment(r.Context())
	if err != nil {
		return nil, err
	}
	ups, err := readFiles(w, r, "file", max, max+1<<20)
	out := make([]plan.Upload, len(ups))
	for i, u := range ups {
		out[i] = plan.Upload(u)
	}
	return out, err
}

func (s *Server) apiPlanAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ups, err := s.planReadUploads(w, r)
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
	w.Header().Set("Content-Disposition", attachmentDisposition(a.Filename))
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
	items, figures, err := s.inbox(r, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "items": nonNil(items), "overdue_figures": nonNil(figures)})
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

func (s *Server) apiPlanMilestoneDone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req milestoneDoneRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	m, err := s.Plan.SetMilestoneDone(r.Context(), viewer(r), id, req.DoneOn)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// attachmentDisposition is a Content-Disposition naming a download: a plain
// ASCII filename="…" for old clients (anything outside printable ASCII, and
// quotes and backslashes, become "_") and the exact name as RFC 5987
// filename*=UTF-8 (empty language tag), where every byte that is not an attr-char is
// percent-encoded (url.PathEscape leaves = : @ which strict parsers refuse).
func attachmentDisposition(name string) string {
	var plain, ext strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			plain.WriteByte('_')
		} else {
			plain.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		switch {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', strings.IndexByte("!#$&+-.^_`|~", b) >= 0:
			ext.WriteByte(b)
		default:
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	return `attachment; filename="` + plain.String() + `"; filename*=UTF-8''` + ext.String()
}
