package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Encoded is an answer kept plain and, when worth it, gzip-compressed (gz
// nil: plain only), so a memoised answer costs neither encoding nor
// compression per request.
type Encoded struct{ plain, gz []byte }

// MemoSize is the bytes the answer holds (for the plan memo's bound).
func (e Encoded) MemoSize() int { return len(e.plain) + len(e.gz) }

// Plain is an answer kept uncompressed.
func Plain(b []byte) Encoded { return Encoded{plain: b} }

// EncodeBoth is v as JSON, plain and compressed.
func EncodeBoth(v any) (Encoded, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return Encoded{}, err
	}
	return CompressBoth(buf.Bytes())
}

// CompressBoth keeps plain and its gzip form.
func CompressBoth(plain []byte) (Encoded, error) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(plain)
	if err := zw.Close(); err != nil {
		return Encoded{}, err
	}
	return Encoded{plain: plain, gz: gz.Bytes()}, nil
}

// WriteEncoded answers e, compressed when the client accepts gzip.
func WriteEncoded(w http.ResponseWriter, r *http.Request, contentType string, e Encoded) error {
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
