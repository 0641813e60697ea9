package site

import (
	"net/http"
	"time"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

type loginPage struct {
	web.Page
	Next, Username string
}

func (s *handlers) handleLoginPage(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "login.html", loginPage{Page: s.Page(r, "登录", "Sign in"), Next: web.SafeNext(r.URL.Query().Get("next"))})
}

func (s *handlers) setSessionCookie(w http.ResponseWriter, tok string) {
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: tok, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies, MaxAge: int(s.Auth.Cfg.SessionAbsolute / time.Second)})
}

func (s *handlers) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies, MaxAge: -1})
}

// endPreviousSession ends the session the browser already holds, if any,
// before a new sign-in: a second person signing in in the same browser
// ends the first one's session, and a signed-in session is never reused.
func (s *handlers) endPreviousSession(r *http.Request) error {
	if c, err := r.Cookie(web.SessionCookie); err == nil && c.Value != "" {
		return s.Auth.EndSession(r.Context(), c.Value)
	}
	return nil
}

func (s *handlers) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	username, next := r.FormValue("username"), web.SafeNext(r.FormValue("next"))
	tok, _, err := s.Auth.Login(r.Context(), username, r.FormValue("password"), s.ClientIP(r), r.UserAgent())
	if err == nil {
		err = s.endPreviousSession(r)
	}
	if err != nil {
		e := errs.As(err)
		if e.Code == errs.Internal {
			return err
		}
		s.CountRefusal(r, e.Code)
		p := loginPage{Page: s.Page(r, "登录", "Sign in"), Next: next, Username: username}
		p.Error = e.Message(p.Lang)
		w.WriteHeader(web.Status(e.Code))
		return s.Render(w, r, "login.html", p)
	}
	s.setSessionCookie(w, tok)
	return web.SeeOther(w, r, next)
}

func (s *handlers) handleLogoutForm(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(web.SessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	return web.SeeOther(w, r, "/")
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type meResponse struct {
	ID          int64    `json:"id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Role        org.Role `json:"role"`
	Unit        string   `json:"unit"`
	UnitName    string   `json:"unit_name"`
}

func me(u *org.User) meResponse {
	return meResponse{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Unit: u.UnitCode, UnitName: u.UnitName}
}

func (s *handlers) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	tok, u, err := s.Auth.Login(r.Context(), req.Username, req.Password, s.ClientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	if err := s.endPreviousSession(r); err != nil {
		return err
	}
	s.setSessionCookie(w, tok)
	web.WriteJSON(w, http.StatusOK, me(&u))
	return nil
}

func (s *handlers) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(web.SessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *handlers) apiMe(w http.ResponseWriter, r *http.Request) error {
	web.WriteJSON(w, http.StatusOK, me(web.CurrentUser(r)))
	return nil
}

// handleLang remembers the language switch for a year and goes back.
func (s *handlers) handleLang(w http.ResponseWriter, r *http.Request) error {
	to := r.URL.Query().Get("to")
	if to != "en" {
		to = "zh"
	}
	http.SetCookie(w, &http.Cookie{Name: web.LangCookie, Value: to, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies})
	http.Redirect(w, r, web.SafeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
	return nil
}
