package web

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"

	"gaoxin/internal/errs"
)

// UploadedFile is one file received in a multipart form.
type UploadedFile struct {
	Name string
	Data []byte
}

// ReadFiles reads the files of one multipart field. The request body is
// capped at maxBody and each file at maxEach, so an oversized upload is
// refused (TooLarge, naming the field) without buffering more than the caps.
// A form that is not multipart has no files.
func ReadFiles(w http.ResponseWriter, r *http.Request, field string, maxEach, maxBody int64) ([]UploadedFile, error) {
	tooLarge := func(zh, en string) error {
		e := errs.Field(field, zh, en)
		e.Code = errs.TooLarge
		return e
	}
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			if err == http.ErrNotMultipart {
				return nil, nil
			}
			if _, ok := err.(*http.MaxBytesError); ok {
				return nil, tooLarge(fmt.Sprintf("上传内容超过 %d KiB 的上限", maxBody/1024), fmt.Sprintf("the upload is larger than the %d KiB limit", maxBody/1024))
			}
			e := errs.New(errs.Invalid, "表单无法解析："+err.Error(), "cannot parse the form: "+err.Error())
			e.Err = err
			return nil, e
		}
		if err := checkValues(r.MultipartForm.Value); err != nil {
			return nil, err
		}
		for _, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				if err := CheckText(field, fh.Filename); err != nil {
					return nil, err
				}
			}
		}
	}
	var out []UploadedFile
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Size == 0 && fh.Filename == "" {
			continue // an empty file input
		}
		if fh.Size > maxEach {
			return nil, tooLarge(fmt.Sprintf("文件 %s 超过大小上限 %d KiB", fh.Filename, maxEach/1024),
				fmt.Sprintf("file %s is larger than the %d KiB limit", fh.Filename, maxEach/1024))
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, maxEach+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, UploadedFile{Name: fh.Filename, Data: data})
	}
	return out, nil
}

// FileInput is a file in a JSON body: its name and its bytes in base64.
type FileInput struct {
	Name   string `json:"name"`
	Base64 string `json:"base64"`
}

// DecodeFiles decodes the files of a JSON body. Errors: Invalid naming the
// row of a file that is not valid base64.
func DecodeFiles(in []FileInput) ([]UploadedFile, error) {
	var out []UploadedFile
	for i, f := range in {
		b, err := base64.StdEncoding.DecodeString(f.Base64)
		if err != nil {
			return nil, errs.List("文件内容不是有效的 base64", "file content is not valid base64",
				[]errs.Detail{{Row: i + 1, Field: "files.base64", Value: f.Name, Reason: "不是有效的 base64", ReasonEN: "not valid base64"}})
		}
		out = append(out, UploadedFile{Name: f.Name, Data: b})
	}
	return out, nil
}
