package site

import (
	"fmt"
	"net/http"

	"gaoxin/internal/db"
	"gaoxin/internal/web"

	"gaoxin/internal/auth"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

type accountPage struct {
	web.Page
	Tokens   []auth.Token
	NewToken string
}

func (s *handlers) accountPage(r *http.Request) (accountPage, error) {
	p := accountPage{Page: s.Page(r, "我的账号", "My account")}
	var err error
	p.Tokens, err = s.Auth.Tokens(r.Context(), web.CurrentUser(r).ID)
	return p, err
}

func (s *handlers) handleAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := s.accountPage(r)
	if err != nil {
		return err
	}
	if s.Org.Policy.Expired(*web.CurrentUser(r), db.Now()) {
		days := int(s.Org.Policy.MaxAge.Hours() / 24)
		p.Error = p.L(fmt.Sprintf("您的密码已使用超过 %d 天，按等级保护要求须先修改密码，才能继续使用系统。", days),
			fmt.Sprintf("Your password is more than %d days old: change it to go on using the system.", days))
	}
	return s.Render(w, r, "account.html", p)
}

// accountError re-renders the account page with a form error.
func (s *handlers) accountError(w http.ResponseWriter, r *http.Request, err error) error {
	e := errs.As(err)
	if e.Code == errs.Internal {
		return err
	}
	p, perr := s.accountPage(r)
	if perr != nil {
		return perr
	}
	p.Error = e.Message(p.Lang)
	w.WriteHeader(web.Status(e.Code))
	return s.Render(w, r, "account.html", p)
}

// changePassword checks the current password before setting a new one.
func (s *handlers) changePassword(r *http.Request, current, next string) error {
	u := web.CurrentUser(r)
	full, err := s.Org.UserByID(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if !org.CheckPassword(current, full.PasswordHash) {
		return errs.Field("current", "当前密码不正确", "current password is wrong")
	}
	return s.Org.SetPassword(r.Context(), u.ID, next, web.SessionHash(r))
}

func (s *handlers) handlePasswordForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.changePassword(r, r.FormValue("current"), r.FormValue("new")); err != nil {
		return s.accountError(w, r, err)
	}
	return web.SeeOther(w, r, "/account?ok=saved")
}

func (s *handlers) handleTokenForm(w http.ResponseWriter, r *http.Request) error {
	plain, _, err := s.Auth.CreateToken(r.Context(), web.CurrentUser(r).ID, r.FormValue("name"))
	if err != nil {
		return s.accountError(w, r, err)
	}
	p, err := s.accountPage(r)
	if err != nil {
		return err
	}
	p.NewToken = plain
	return s.Render(w, r, "account.html", p)
}

func (s *handlers) handleTokenRevokeForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Auth.RevokeToken(r.Context(), web.CurrentUser(r).ID, id); err != nil {
		return s.accountError(w, r, err)
	}
	return web.SeeOther(w, r, "/account?ok=saved")
}

type tokenRequest struct {
	Name string `json:"name"`
}

type passwordRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

func (s *handlers) apiTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.Auth.Tokens(r.Context(), web.CurrentUser(r).ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, tokensAnswer{Tokens: web.NonNil(ts)})
	return nil
}

func (s *handlers) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	plain, t, err := s.Auth.CreateToken(r.Context(), web.CurrentUser(r).ID, req.Name)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, newTokenAnswer{Token: plain, Info: t})
	return nil
}

func (s *handlers) apiTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Auth.RevokeToken(r.Context(), web.CurrentUser(r).ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *handlers) apiPassword(w http.ResponseWriter, r *http.Request) error {
	var req passwordRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.changePassword(r, req.Current, req.New); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// nonNil makes a nil slice encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
