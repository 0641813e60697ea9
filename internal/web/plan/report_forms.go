package plan

import (
	"net/http"
	"strconv"
	"time"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/plan"
)

type reportPage struct {
	page
	Task    *plan.Node
	Report  *plan.Report
	Periods []plan.Period
	Form    plan.ReportInput
	PctText string
	Details []errs.Detail
	MaxKB   int
	Allowed string
}

// Editable reports whether the unit may still change the report.
func (p reportPage) Editable() bool {
	return p.IsUnit() && (p.Report == nil || p.Report.State == plan.Draft || p.Report.State == plan.Returned)
}

func (s *handlers) reportPage(r *http.Request, taskID int64, rep *plan.Report) (reportPage, error) {
	n, _, err := s.Plan.Node(r.Context(), viewer(r), taskID)
	if err != nil {
		return reportPage{}, err
	}
	if n.Level != plan.Task {
		return reportPage{}, errs.New(errs.NotFound, "任务不存在", "task not found")
	}
	zh, en := "填报进展", "File a progress report"
	if rep != nil {
		zh, en = "进展报告 "+rep.Period, "Progress report "+rep.Period
	}
	pp, err := s.page(r, zh, en, n.Year)
	if err != nil {
		return reportPage{}, err
	}
	st, err := s.Plan.Settings(r.Context())
	if err != nil {
		return reportPage{}, err
	}
	start, _ := time.Parse("2006-01-02", n.StartOn)
	due, _ := time.Parse("2006-01-02", n.DueOn)
	p := reportPage{page: pp, Task: n, Report: rep, Periods: plan.Schedule(n.Cycle, start, due, st.DueDay),
		MaxKB: st.MaxAttachmentKB, Allowed: plan.AllowedExtensions}
	if rep != nil {
		p.Form = plan.ReportInput{Period: rep.Period, Pct: &rep.Pct, Done: rep.Done, Problems: rep.Problems, NextSteps: rep.NextSteps, Version: rep.Version}
		p.PctText = strconv.Itoa(rep.Pct)
	} else {
		p.Form.Period = r.URL.Query().Get("period")
	}
	return p, nil
}

// currentPeriod is the latest overdue period not yet reported, else the
// earliest period still to come that is not reported.
func currentPeriod(ps []plan.Period, today string, reported map[string]bool) string {
	overdue, next := "", ""
	for _, p := range ps {
		switch {
		case reported[p.Key]:
		case p.Due < today:
			overdue = p.Key
		case next == "":
			next = p.Key
		}
	}
	if overdue != "" {
		return overdue
	}
	return next
}

func (s *handlers) handleReportForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.reportPage(r, id, nil)
	if err != nil {
		return err
	}
	// A period already reported opens that report instead of a blank form;
	// without ?period= the form offers the first period still to report.
	reports, err := s.Plan.TaskReports(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, rep := range reports {
		done[rep.Period] = true
		if rep.Period == r.URL.Query().Get("period") {
			return web.SeeOther(w, r, "/plan/reports/"+strconv.FormatInt(rep.ID, 10))
		}
	}
	if r.URL.Query().Get("period") == "" {
		p.Form.Period = currentPeriod(p.Periods, p.AsOf, done)
	}
	return s.Render(w, r, "plan/report.html", p)
}

func (s *handlers) reportForm(w http.ResponseWriter, r *http.Request) (plan.ReportInput, error) {
	ups, err := s.readUploads(w, r)
	in := plan.ReportInput{Period: r.FormValue("period"), Done: r.FormValue("done"), Problems: r.FormValue("problems"),
		NextSteps: r.FormValue("next_steps"), Submit: r.FormValue("action") == "submit", Files: ups}
	in.Version, _ = strconv.Atoi(r.FormValue("version"))
	if err != nil {
		return in, err
	}
	in.Pct, err = formInt(r, "pct")
	return in, err
}

func (s *handlers) reportFormFailed(w http.ResponseWriter, r *http.Request, taskID int64, rep *plan.Report, in plan.ReportInput, err error) error {
	e, show := formError(err)
	if !show {
		return err
	}
	p, perr := s.reportPage(r, taskID, rep)
	if perr != nil {
		return perr
	}
	in.Files = nil
	p.Form, p.PctText = in, r.FormValue("pct")
	p.Error, p.Details = e.Message(p.Lang), e.Details
	w.WriteHeader(web.Status(e.Code))
	return s.Render(w, r, "plan/report.html", p)
}

func (s *handlers) handleReportCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, err := s.reportForm(w, r)
	in.TaskID = id
	if err == nil {
		var rep plan.Report
		if rep, err = s.Plan.CreateReport(r.Context(), viewer(r), in); err == nil {
			return web.SeeOther(w, r, "/plan/reports/"+strconv.FormatInt(rep.ID, 10)+"?ok=saved")
		}
	}
	return s.reportFormFailed(w, r, id, nil, in, err)
}

func (s *handlers) handleReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.Plan.Report(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	p, err := s.reportPage(r, rep.TaskID, &rep)
	if err != nil {
		return err
	}
	return s.Render(w, r, "plan/report.html", p)
}

func (s *handlers) handleReportUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.Plan.Report(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	in, err := s.reportForm(w, r)
	if err == nil {
		if _, err = s.Plan.UpdateReport(r.Context(), viewer(r), id, in); err == nil {
			return web.SeeOther(w, r, "/plan/reports/"+strconv.FormatInt(id, 10)+"?ok=saved")
		}
	}
	return s.reportFormFailed(w, r, rep.TaskID, &rep, in, err)
}

func (s *handlers) handleReview(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.FormValue("version"))
	accept := r.FormValue("decision") == "accept"
	rep, err := s.Plan.Review(r.Context(), viewer(r), id, accept, r.FormValue("comment"), version)
	if err != nil {
		e, show := formError(err)
		if !show || rep.ID == 0 {
			return err
		}
		p, perr := s.reportPage(r, rep.TaskID, &rep)
		if perr != nil {
			return perr
		}
		p.Error, p.Details = e.Message(p.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
		return s.Render(w, r, "plan/report.html", p)
	}
	return web.SeeOther(w, r, "/plan/nodes/"+strconv.FormatInt(rep.TaskID, 10)+"?ok=saved")
}
