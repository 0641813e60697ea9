package kpi

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
)

// importFile reads the uploaded workbook within the upload limit.
func (s *handlers) importFile(w http.ResponseWriter, r *http.Request) (int, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.Cfg.MaxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return 0, errs.New(errs.TooLarge, "文件过大", "the file is too large")
		}
		return 0, errs.Field("file", "请以 multipart/form-data 上传文件（字段 file）", "upload the file as multipart/form-data (field file)")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return 0, errs.Field("file", "请选择要导入的 .xlsx 文件", "choose an .xlsx file to import")
	}
	defer f.Close()
	if !strings.HasSuffix(strings.ToLower(hdr.Filename), ".xlsx") {
		return 0, errs.Field("file", "只接受 .xlsx 文件："+hdr.Filename, "only .xlsx files are accepted: "+hdr.Filename)
	}
	return s.KPI.ImportActuals(r.Context(), scope(r), io.LimitReader(f, s.Cfg.MaxUpload))
}

func (s *handlers) apiImport(w http.ResponseWriter, r *http.Request) error {
	n, err := s.importFile(w, r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, importAnswer{Imported: n})
	return nil
}

func (s *handlers) handleTemplate(w http.ResponseWriter, r *http.Request) error {
	y, err := s.year(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.KPI.WriteTemplate(r.Context(), &buf, scope(r), y); err != nil {
		return err
	}
	web.Spreadsheet(w, "kpi-actuals-"+strconv.Itoa(y)+".xlsx")
	buf.WriteTo(w)
	return nil
}
