package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// encoded is an answer kept plain and, when worth it, gzip-compressed (gz
// nil: plain only), so a memoised answer costs neither encoding nor
// compression per request.
type encoded struct{ plain, gz []byte }

// MemoSize is the bytes the answer holds (for the plan memo's bound).
func (e encoded) MemoSize() int { return len(e.plain) + len(e.gz) }

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
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "Accept-Encoding")
	body := e.plain
	if e.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		body = e.gz
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body) // a failed write means the client went away; nothing left to tell it
	return nil
}
