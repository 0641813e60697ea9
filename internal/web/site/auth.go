package site

import (
	"net/http"
	"time"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

type loginPage struct {
	Page
	Next, Username string
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, "login.html", loginPage{Page: s.page(r, "登录", "Sign in"), Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, tok string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies, MaxAge: int(s.Auth.Cfg.SessionAbsolute / time.Second)})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies, MaxAge: -1})
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	username, next := r.FormValue("username"), safeNext(r.FormValue("next"))
	tok, _, err := s.Auth.Login(r.Context(), username, r.FormValue("password"), s.clientIP(r), r.UserAgent())
	if err != nil {
		e := errs.As(err)
		if e.Code == errs.Internal {
			return err
		}
		p := loginPage{Page: s.page(r, "登录", "Sign in"), Next: next, Username: username}
		p.Error = e.Message(p.Lang)
		w.WriteHeader(status(e.Code))
		return s.render(w, r, "login.html", p)
	}
	s.setSessionCookie(w, tok)
	return seeOther(w, r, next)
}

func (s *Server) handleLogoutForm(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	return seeOther(w, r, "/")
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

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	tok, u, err := s.Auth.Login(r.Context(), req.Username, req.Password, s.clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(w, tok)
	writeJSON(w, http.StatusOK, me(&u))
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, me(currentUser(r)))
	return nil
}
