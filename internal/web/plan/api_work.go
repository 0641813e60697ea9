package plan

import (
	"bytes"
	"net/http"
	"strconv"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

func (s *handlers) apiTaskReports(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := s.Plan.TaskReports(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, reportsAnswer{Reports: web.NonNil(rs)})
	return nil
}

func (s *handlers) apiReportCreate(w http.ResponseWriter, r *http.Request) error {
	var in plan.ReportInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.Plan.CreateReport(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, rep)
	return nil
}

func (s *handlers) apiReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.Plan.Report(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rep)
	return nil
}

func (s *handlers) apiReportUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in plan.ReportInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return errs.Field("version", "请提供所编辑报告的版本号", "version of the report being edited is required")
	}
	rep, err := s.Plan.UpdateReport(r.Context(), viewer(r), id, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, rep)
	return nil
}

func (s *handlers) apiReview(accept bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		var req reviewRequest
		if r.ContentLength != 0 {
			if err := web.DecodeJSON(r, &req); err != nil {
				return err
			}
		}
		rep, err := s.Plan.Review(r.Context(), viewer(r), id, accept, req.Comment, req.Version)
		if err != nil {
			return err
		}
		web.WriteJSON(w, http.StatusOK, rep)
		return nil
	}
}

// readUploads reads the report's attachments (field "file"), each within
// the plan's attachment limit.
func (s *handlers) readUploads(w http.ResponseWriter, r *http.Request) ([]plan.Upload, error) {
	max, err := s.Plan.MaxAttachment(r.Context())
	if err != nil {
		return nil, err
	}
	ups, err := web.ReadFiles(w, r, "file", max, max+1<<20)
	out := make([]plan.Upload, len(ups))
	for i, u := range ups {
		out[i] = plan.Upload(u)
	}
	return out, err
}

func (s *handlers) apiAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
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
	web.WriteJSON(w, http.StatusCreated, a)
	return nil
}

func (s *handlers) handleAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, data, err := s.Plan.AttachmentData(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", web.Attachment(a.Filename))
	w.Header().Set("Content-Security-Policy", "sandbox")
	_, err = w.Write(data)
	return err
}

func (s *handlers) apiChases(w http.ResponseWriter, r *http.Request) error {
	task, _ := strconv.ParseInt(r.URL.Query().Get("task"), 10, 64)
	cs, err := s.Plan.Chases(r.Context(), viewer(r), task, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []plan.Chase{}
	}
	web.WriteJSON(w, http.StatusOK, chasesAnswer{Chases: web.NonNil(cs)})
	return nil
}

func (s *handlers) apiChaseIssue(w http.ResponseWriter, r *http.Request) error {
	var in plan.ChaseInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.Plan.IssueChase(r.Context(), viewer(r), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (s *handlers) apiChaseReply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req replyRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := s.Plan.ReplyChase(r.Context(), viewer(r), id, req.Reply)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (s *handlers) apiChaseClose(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
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
	web.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (s *handlers) apiInbox(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	items, figures, err := s.inbox(r, year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, inboxAnswer{Year: year, Items: web.NonNil(items), OverdueFigures: web.NonNil(figures)})
	return nil
}

// bulletin is the zone-wide bulletin of ?year= and ?month=, for the API,
// the ranking page and the PDF alike.
func (s *handlers) bulletin(r *http.Request) (*plan.Bulletin, error) {
	year, err := s.year(r)
	if err != nil {
		return nil, err
	}
	month, err := s.month(r, year)
	if err != nil {
		return nil, err
	}
	return s.Plan.Bulletin(r.Context(), viewer(r), year, month)
}

func (s *handlers) apiBulletin(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bulletin(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, b)
	return nil
}

func (s *handlers) apiUnitBulletin(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	year, err := s.year(r)
	if err != nil {
		return err
	}
	month, err := s.month(r, year)
	if err != nil {
		return err
	}
	u, b, err := s.Plan.UnitBulletin(r.Context(), viewer(r), year, month, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, unitBulletinAnswer{Year: b.Year, Month: b.Month, Date: b.Date, Formula: b.Settings, Unit: u})
	return nil
}

func (s *handlers) handleBulletinXLSX(w http.ResponseWriter, r *http.Request) error {
	year, err := s.year(r)
	if err != nil {
		return err
	}
	month, err := s.month(r, year)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.Plan.BulletinXLSX(r.Context(), viewer(r), year, month, &buf); err != nil {
		return err
	}
	web.Spreadsheet(w, "bulletin-"+strconv.Itoa(year)+"-"+strconv.Itoa(month)+".xlsx")
	_, err = buf.WriteTo(w)
	return err
}

func (s *handlers) apiSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Plan.SettingsFor(r.Context(), viewer(r))
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, st)
	return nil
}

func (s *handlers) apiSettingsSave(w http.ResponseWriter, r *http.Request) error {
	var st plan.Settings
	if err := web.DecodeJSON(r, &st); err != nil {
		return err
	}
	if err := s.Plan.SaveSettings(r.Context(), viewer(r), st); err != nil {
		return err
	}
	return s.apiSettings(w, r)
}

func (s *handlers) apiMilestoneDone(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req milestoneDoneRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	m, err := s.Plan.SetMilestoneDone(r.Context(), viewer(r), id, req.DoneOn)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, m)
	return nil
}
