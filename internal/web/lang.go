package web

import (
	"net/http"
	"net/url"
	"strings"
)

const langCookie = "gaoxin_lang"

// langOf returns "zh" or "en": the remembered switch first, then the
// browser's Accept-Language, then Chinese.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "zh"
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a redirect target on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// handleLang remembers the language switch for a year and goes back.
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) error {
	to := r.URL.Query().Get("to")
	if to != "en" {
		to = "zh"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: to, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
	return nil
}
