package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/errs"
)

// Status is the one mapping from error code to HTTP status.
func Status(c errs.Code) int {
	switch c {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden, errs.PasswordExpired:
		return http.StatusForbidden
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Locked:
		return http.StatusLocked
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// isAPI reports whether r is answered as an API (JSON errors, no login
// redirect): /api/… and /metrics, which scrapers read.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/metrics"
}

// APIError is the body of an error answer of the API: {"error": APIError}.
type APIError struct {
	Code    errs.Code     `json:"code"`
	Message string        `json:"message"`
	Field   string        `json:"field,omitempty"`
	Details []errs.Detail `json:"details,omitempty"`
	RetryAt string        `json:"retry_at,omitempty"`
}

// WriteError renders err as JSON (API) or an error page (HTML). Internal
// details go to the log only.
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if answered(w) {
		// The answer is already on its way (a client that went away while
		// a page was written): nothing more can be said to it.
		s.Log.Info("request ended after the answer started", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The client went away (or its deadline passed) while the answer
		// was being prepared: nobody is left to read an error, and the
		// server did nothing wrong.
		s.Log.Info("request abandoned by the client", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	e := errs.As(err)
	if e.Code == errs.Internal && db.Unavailable(err) {
		// The database is down, full or busy: the request changed nothing
		// and may be sent again shortly; the pools reconnect by themselves.
		s.Log.Warn("database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &errs.Error{Code: errs.Unavailable, Msg: "数据库暂时无法访问，本次操作未生效，请稍后重试",
			MsgEN: "the database cannot be reached for now; nothing was changed, please try again shortly", Err: err}
		w.Header().Set("Retry-After", "5")
	}
	s.CountRefusal(r, e.Code)
	code := Status(e.Code)
	if code == http.StatusInternalServerError {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	lang := LangOf(r)
	if e.Retry > 0 {
		if wait := e.Retry - time.Now().Unix(); wait > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(wait, 10))
		}
	}
	if isAPI(r) || r.Header.Get("Accept") == "application/json" {
		body := APIError{Code: e.Code, Message: e.Message(lang), Field: e.Field, Details: e.Details}
		if e.Retry > 0 {
			body.RetryAt = time.Unix(e.Retry, 0).UTC().Format(time.RFC3339)
		}
		WriteJSON(w, code, map[string]any{"error": body})
		return
	}
	if code == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	w.WriteHeader(code)
	s.renderStatus(w, r, errorPage{Page: s.Page(r, "出错了", "Error"), Status: code, Err: e})
}

type errorPage struct {
	Page
	Status int
	Err    *errs.Error
}

// Message is the error's text in the page's language.
func (p errorPage) Message() string { return p.Err.Message(p.Lang) }

// WriteJSON answers v as JSON with the status code. No JSON answer is
// kept by a cache: each is one caller's view of live data.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// DecodeJSON reads a JSON body of at most 1 MiB into v.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typ):
			return errs.Field(typ.Field, "字段 "+typ.Field+" 类型错误，应为 "+typ.Type.String(), "field "+typ.Field+" has the wrong type, want "+typ.Type.String())
		case errors.As(err, &syn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return errs.New(errs.Invalid, "请求体不是有效的 JSON", "request body is not valid JSON")
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			f := strings.TrimPrefix(err.Error(), "json: unknown field ")
			return errs.Field(strings.Trim(f, `"`), "未知字段 "+f, "unknown field "+f)
		}
		e := errs.New(errs.Invalid, "请求体无法解析："+err.Error(), "cannot parse request body: "+err.Error())
		e.Err = err
		return e
	}
	return checkDecoded(reflect.ValueOf(v), "")
}

// PathID parses a numeric path value.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.New(errs.NotFound, "对象不存在", "not found")
	}
	return id, nil
}

// answered reports whether a status was already written to w.
func answered(w http.ResponseWriter) bool {
	for {
		switch x := w.(type) {
		case *statusWriter:
			return x.status != 0
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return false
		}
	}
}

// NonNil makes a nil slice an empty one, so JSON lists are [] and not null.
func NonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
