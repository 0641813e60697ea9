// Package filecheck decides whether an uploaded file may be kept: plan
// report attachments and award evidence accept different extensions but
// judge a file the same way. It must not be empty or over its size limit,
// its extension must be one the form accepts, its bytes must really be of
// that type, and an Office document must hold its parts (not be a renamed
// archive of anything).
package filecheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/office"
)

// Kind is a file type the product accepts.
type Kind struct {
	Sniff string // what net/http.DetectContentType says of such bytes
	Serve string // the content type stored and served
}

// Kinds lists every accepted type by extension. Office files are ZIP
// containers, so they sniff as application/zip.
var Kinds = map[string]Kind{
	".pdf":  {"application/pdf", "application/pdf"},
	".png":  {"image/png", "image/png"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".gif":  {"image/gif", "image/gif"},
	".txt":  {"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
	".zip":  {"application/zip", "application/zip"},
	".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".pptx": {"application/zip", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
}

// Problem is why a file is refused, in Chinese and English (without the
// file's name, which the caller reports its own way).
type Problem struct {
	ZH, EN   string
	TooLarge bool
}

func (p *Problem) Error() string { return p.EN }

// Check judges a file named name holding data against a size limit of
// max bytes and the accepted extensions exts (keys of Kinds, with the
// dot; "" in the messages' list when empty). It returns the content type
// to store, or why the file is refused.
func Check(name string, data []byte, max int64, exts []string) (string, *Problem) {
	if len(data) == 0 {
		return "", &Problem{ZH: "文件为空", EN: "the file is empty"}
	}
	if int64(len(data)) > max {
		return "", &Problem{ZH: "文件超过大小上限 " + size(max), EN: "the file is larger than the " + size(max) + " limit", TooLarge: true}
	}
	ext := strings.ToLower(filepath.Ext(name))
	k, ok := Kinds[ext]
	if !ok || !accepted(ext, exts) {
		list := strings.Join(exts, " ")
		zh, en := ext+" 文件", "files of type "+ext+" are"
		if ext == "" {
			zh, en = "无扩展名的文件", "files without an extension are"
		}
		return "", &Problem{ZH: "不接受" + zh + "，可上传：" + list, EN: en + " not accepted; accepted: " + list}
	}
	if got := http.DetectContentType(data); got != k.Sniff {
		return "", &Problem{ZH: fmt.Sprintf("文件内容（%s）与扩展名 %s 不符", got, ext), EN: fmt.Sprintf("the content (%s) does not match the extension %s", got, ext)}
	}
	if office.IsOfficeExt(ext) && !office.Valid(ext, data) {
		return "", &Problem{ZH: "不是有效的 " + ext + " 文档（可能是改了扩展名的压缩包）", EN: "not a valid " + ext + " document (perhaps a renamed archive)"}
	}
	return k.Serve, nil
}

func accepted(ext string, exts []string) bool {
	for _, e := range exts {
		if e == ext {
			return true
		}
	}
	return false
}

// size prints a limit in MB when it is a whole number of them, else KiB.
func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// Upload is a file as a caller sent it: its name and bytes.
type Upload struct {
	Name string
	Data []byte
}

// Kept is what is recorded of an accepted file beside its bytes.
type Kept struct {
	Filename    string // the base name
	ContentType string
	Size        int64
	SHA256      string // hex
}

// CheckAll judges every upload of a form field with Check: at most
// maxFiles files, each within max bytes and of one of exts. It returns
// what to keep of each, or an Invalid error whose details name every
// refused file (its place in the list as the row).
func CheckAll(field string, ups []Upload, maxFiles int, max int64, exts []string) ([]Kept, error) {
	if len(ups) > maxFiles {
		return nil, errs.Field(field, fmt.Sprintf("最多上传 %d 个文件", maxFiles), fmt.Sprintf("at most %d files", maxFiles))
	}
	var ds []errs.Detail
	out := make([]Kept, len(ups))
	for i, u := range ups {
		ct, p := Check(u.Name, u.Data, max, exts)
		if p != nil {
			ds = append(ds, errs.Detail{Row: i + 1, Field: field, Value: u.Name, Reason: p.ZH, ReasonEN: p.EN})
			continue
		}
		sum := sha256.Sum256(u.Data)
		out[i] = Kept{Filename: filepath.Base(u.Name), ContentType: ct, Size: int64(len(u.Data)), SHA256: hex.EncodeToString(sum[:])}
	}
	if len(ds) > 0 {
		return nil, errs.List("文件不符合要求", "files are not acceptable", ds)
	}
	return out, nil
}
