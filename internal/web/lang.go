package web

import (
	"net/http"
	"strings"
)

// LangCookie remembers the language switch.
const LangCookie = "gaoxin_lang"

// LangOf returns "zh" or "en": the remembered switch first, then the
// browser's Accept-Language, then Chinese.
func LangOf(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil && (c.Value == "en" || c.Value == "zh") {
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

// SafeNext keeps a redirect target on this site.
func SafeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// L picks the Chinese or the English text for lang ("zh" or "en").
func L(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}
