package scenario

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"gaoxin/internal/errs"
	"gaoxin/internal/scenario"
	"gaoxin/internal/web"
)

// Spreadsheet pages: the batch template, the import form, and the .xlsx
// exports of calls (with results) and bids.

// maxSheet bounds an uploaded batch file.
const maxSheet = 8 << 20

// importPage is the batch import form.
type importPage struct {
	page
	Drafts  []scenario.Batch
	BatchID int64
	Details []errs.Detail
}

func (s *handlers) handleImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderImport(w, r, 0, nil)
}

func (s *handlers) renderImport(w http.ResponseWriter, r *http.Request, batch int64, failure error) error {
	v := viewer(r)
	p := importPage{page: page{s.Page(r, "从表格导入场景批次", "Import a batch from a spreadsheet")}, BatchID: batch}
	bs, err := s.Scenario.Batches(r.Context(), v)
	if err != nil {
		return err
	}
	for _, b := range bs {
		if b.State == scenario.BatchDraft {
			p.Drafts = append(p.Drafts, b)
		}
	}
	if failure != nil {
		e := errs.As(failure)
		if e.Code == errs.Internal {
			return failure
		}
		p.Error, p.Details = e.Message(p.Lang), e.Details
		w.WriteHeader(web.Status(e.Code))
	}
	return s.Render(w, r, "scenario/import.html", p)
}

func (s *handlers) handleImport(w http.ResponseWriter, r *http.Request) error {
	files, err := web.ReadFiles(w, r, "file", maxSheet, maxSheet+1<<20)
	if err != nil {
		return s.renderImport(w, r, 0, err)
	}
	batch, _ := strconv.ParseInt(r.FormValue("batch_id"), 10, 64)
	if len(files) != 1 {
		return s.renderImport(w, r, batch, errs.Field("file", "请选择一个 .xlsx 文件", "choose one .xlsx file"))
	}
	res, err := s.Scenario.ImportBatch(r.Context(), viewer(r), batch, files[0].Name, files[0].Data)
	if err != nil {
		return s.renderImport(w, r, batch, err)
	}
	return web.SeeOther(w, r, "/scenarios/review?ok=imported&n="+strconv.Itoa(res.Rows))
}

func (s *handlers) handleTemplate(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := s.Scenario.WriteBatchTemplate(r.Context(), &buf); err != nil {
		return err
	}
	web.Spreadsheet(w, "场景机会清单导入模板.xlsx")
	_, err := io.Copy(w, &buf)
	return err
}

// download writes a workbook built into memory first, so an error is
// still an error page rather than half a file.
func download(w http.ResponseWriter, name string, build func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := build(&buf); err != nil {
		return err
	}
	web.Spreadsheet(w, name)
	_, err := io.Copy(w, &buf)
	return err
}

func (s *handlers) handleCallsXLSX(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filter(r)
	if err != nil {
		return err
	}
	return download(w, "场景机会清单.xlsx", func(out io.Writer) error {
		return s.Scenario.ExportCalls(r.Context(), viewer(r), f, out)
	})
}

func (s *handlers) handleBidsXLSX(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filter(r)
	if err != nil {
		return err
	}
	return download(w, "揭榜情况.xlsx", func(out io.Writer) error {
		return s.Scenario.ExportBids(r.Context(), viewer(r), f, out)
	})
}

func (s *handlers) handlePaymentsXLSX(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filter(r)
	if err != nil {
		return err
	}
	return download(w, "场景合同付款.xlsx", func(out io.Writer) error {
		return s.Scenario.ExportPayments(r.Context(), viewer(r), f, out)
	})
}

func (s *handlers) apiImport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSheet))
	if err != nil {
		e := errs.Field("file", "文件超过 8 MB 的上限", "the file is over 8 MB")
		e.Code = errs.TooLarge
		return e
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "batch.xlsx"
	}
	res, err := s.Scenario.ImportBatch(r.Context(), viewer(r), id, name, data)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, res)
	return nil
}

// Export is the link to the .xlsx of the list's calls ("calls") or their
// bids ("bids"), under the filters shown.
func (p listPage) Export(what string) string {
	q := url.Values{}
	for k, v := range map[string]string{"category": p.F.Category, "chain": p.F.Chain, "state": p.F.State, "q": p.F.Q} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if p.F.BatchID != 0 {
		q.Set("batch", strconv.FormatInt(p.F.BatchID, 10))
	}
	if len(q) == 0 {
		return "/scenarios/" + what + ".xlsx"
	}
	return "/scenarios/" + what + ".xlsx?" + q.Encode()
}
