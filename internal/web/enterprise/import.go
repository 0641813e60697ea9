package enterprise

import (
	"net/http"
	"strconv"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/web"

	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
)

type importPage struct {
	page
	Jobs []enterprise.ImportJob
}

// JobStatus names a job state in the page's language.
func (p page) JobStatus(st string) string {
	switch st {
	case enterprise.JobQueued:
		return p.L("排队中", "queued")
	case enterprise.JobReading:
		return p.L("读取校验中", "reading")
	case enterprise.JobWriting:
		return p.L("写入中", "writing")
	case enterprise.JobDone:
		return p.L("已完成", "done")
	case enterprise.JobFailed:
		return p.L("失败", "failed")
	}
	return st
}

func (s *handlers) handleImportPage(w http.ResponseWriter, r *http.Request) error {
	p := importPage{page: s.page(r, "导入企业数据", "Import enterprises")}
	var err error
	if p.Jobs, err = s.Enterprise.Jobs(r.Context(), viewer(r), 20); err != nil {
		return err
	}
	return s.Render(w, r, "enterprise/import.html", p)
}

func (s *handlers) handleImportUpload(w http.ResponseWriter, r *http.Request) error {
	j, err := s.startImport(w, r, func() (bool, string) { return r.FormValue("dry_run") == "1", r.FormValue("source") })
	if err != nil {
		e := errs.As(err)
		if e.Code == errs.Internal {
			return err
		}
		p := importPage{page: s.page(r, "导入企业数据", "Import enterprises")}
		p.Jobs, _ = s.Enterprise.Jobs(r.Context(), viewer(r), 20)
		p.Error = e.Message(p.Lang)
		w.WriteHeader(web.Status(e.Code))
		return s.Render(w, r, "enterprise/import.html", p)
	}
	return web.SeeOther(w, r, "/enterprise-imports/"+strconv.FormatInt(j.ID, 10))
}

type jobPage struct {
	page
	Job enterprise.ImportJob
}

// Kind names a change kind.
func (p jobPage) Kind(k string) string {
	switch k {
	case "create":
		return p.L("新增", "new")
	case "update":
		return p.L("更新", "update")
	}
	return k
}

func (s *handlers) handleJob(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	j, err := s.Enterprise.Job(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	p := jobPage{page: s.page(r, "导入："+j.Filename, "Import: "+j.Filename), Job: j}
	if j.Running() {
		// The page reloads itself until the job ends; no script needed.
		w.Header().Set("Refresh", "2")
	}
	return s.Render(w, r, "enterprise/job.html", p)
}

func (s *handlers) handleJobReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	j, err := s.Enterprise.Job(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	if j.Result == nil {
		return errs.New(errs.Conflict, "导入尚未结束", "the import has not finished")
	}
	b, err := enterprise.ReportXLSX(*j.Result)
	if err != nil {
		return err
	}
	return sendXLSX(w, "导入错误报告-"+strconv.FormatInt(id, 10)+".xlsx", b)
}

func (s *handlers) handleTemplate(w http.ResponseWriter, r *http.Request) error {
	b, err := s.Enterprise.Template(r.Context())
	if err != nil {
		return err
	}
	return sendXLSX(w, "企业信息导入模板.xlsx", b)
}

func (s *handlers) handleExport(w http.ResponseWriter, r *http.Request) error {
	f, year, err := s.exportFilter(r)
	if err != nil {
		return err
	}
	b, err := s.Enterprise.Export(r.Context(), viewer(r), f, year)
	if err != nil {
		return err
	}
	return sendXLSX(w, "企业库导出-"+time.Now().In(db.CST).Format("20060102-150405")+".xlsx", b)
}

func (s *handlers) handleExportCSV(w http.ResponseWriter, r *http.Request) error {
	f, year, err := s.exportFilter(r)
	if err != nil {
		return err
	}
	b, err := s.Enterprise.ExportCSV(r.Context(), viewer(r), f, year)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", web.Attachment("企业库导出-"+time.Now().In(db.CST).Format("20060102-150405")+".csv"))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}

// exportFilter is the list's filter and the export's year (export_year,
// or the filter's year).
func (s *handlers) exportFilter(r *http.Request) (enterprise.Filter, int, error) {
	f, err := s.filter(r)
	if err != nil {
		return f, 0, err
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("export_year"))
	if year == 0 {
		year = f.Year
	}
	return f, year, nil
}

func sendXLSX(w http.ResponseWriter, name string, b []byte) error {
	web.Spreadsheet(w, name)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err := w.Write(b)
	return err
}
