package site

import (
	"net/http"
	"strconv"

	"gaoxin/internal/web"

	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

type roleOption struct{ Value, Label string }

type usersPage struct {
	web.Page
	Users []org.User
	Units []org.Unit
	Roles []roleOption
	Form  org.NewUser
	// What the viewer may do here: create accounts (the administrator),
	// disable and enable them (the security duty).
	CanCreate, CanDisable bool
}

// RoleName is a role's label in the page's language.
func (p usersPage) RoleName(r org.Role) string {
	zh, en := r.Label()
	return p.L(zh, en)
}

func (s *handlers) usersPage(r *http.Request) (usersPage, error) {
	p := usersPage{Page: s.Page(r, "用户管理", "Users")}
	p.CanCreate, p.CanDisable = s.May(p.User, "POST /admin/users"), s.May(p.User, "POST /admin/users/{id}/disable")
	var err error
	if p.Users, err = s.Org.Users(r.Context()); err != nil {
		return p, err
	}
	if p.Units, err = s.Org.Units(r.Context()); err != nil {
		return p, err
	}
	for _, role := range org.Roles {
		zh, en := role.Label()
		p.Roles = append(p.Roles, roleOption{Value: string(role), Label: p.L(zh, en)})
	}
	return p, nil
}

func (s *handlers) handleAdminUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "admin/users.html", p)
}

func (s *handlers) handleAdminUserCreate(w http.ResponseWriter, r *http.Request) error {
	nu := org.NewUser{Username: r.FormValue("username"), DisplayName: r.FormValue("display_name"),
		Role: org.Role(r.FormValue("role")), UnitCode: r.FormValue("unit"), Password: r.FormValue("password")}
	if _, err := s.Org.CreateUser(r.Context(), nu); err != nil {
		e := errs.As(err)
		if e.Code == errs.Internal {
			return err
		}
		p, perr := s.usersPage(r)
		if perr != nil {
			return perr
		}
		nu.Password = ""
		p.Form, p.Error = nu, e.Message(p.Lang)
		w.WriteHeader(web.Status(e.Code))
		return s.Render(w, r, "admin/users.html", p)
	}
	return web.SeeOther(w, r, "/admin/users?ok=created")
}

func (s *handlers) handleAdminUserDisable(disabled bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		if id == web.CurrentUser(r).ID && disabled {
			return errs.New(errs.Conflict, "不能停用自己的账号", "you cannot disable your own account")
		}
		if err := s.Org.SetUserDisabled(r.Context(), id, disabled); err != nil {
			return err
		}
		return web.SeeOther(w, r, "/admin/users?ok=saved")
	}
}

type unitsPage struct {
	web.Page
	Units  []org.Unit
	Kinds  []string
	Scopes []scopeOption
	Form   org.Unit
}

// scopeOption is a registry scope as the unit form offers it.
type scopeOption struct{ Value, ZH, EN string }

func scopeOptions() []scopeOption {
	var out []scopeOption
	for _, sc := range org.RegistryScopes {
		zh, en := org.ScopeLabel(sc)
		out = append(out, scopeOption{sc, zh, en})
	}
	return out
}

func (s *handlers) unitsPage(r *http.Request) (unitsPage, error) {
	p := unitsPage{Page: s.Page(r, "单位管理", "Units"), Kinds: org.UnitKinds, Scopes: scopeOptions()}
	var err error
	p.Units, err = s.Org.Units(r.Context())
	return p, err
}

func (s *handlers) handleAdminUnits(w http.ResponseWriter, r *http.Request) error {
	p, err := s.unitsPage(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, "admin/units.html", p)
}

func (s *handlers) handleAdminUnitCreate(w http.ResponseWriter, r *http.Request) error {
	u := org.Unit{Code: r.FormValue("code"), NameZH: r.FormValue("name_zh"), NameEN: r.FormValue("name_en"), Kind: r.FormValue("kind"),
		RegistryScope: r.FormValue("registry_scope")}
	if v := r.FormValue("parent"); v != "" {
		u.ParentID, _ = strconv.ParseInt(v, 10, 64)
	}
	if _, err := s.Org.CreateUnit(r.Context(), u); err != nil {
		e := errs.As(err)
		if e.Code == errs.Internal {
			return err
		}
		p, perr := s.unitsPage(r)
		if perr != nil {
			return perr
		}
		p.Form, p.Error = u, e.Message(p.Lang)
		w.WriteHeader(web.Status(e.Code))
		return s.Render(w, r, "admin/units.html", p)
	}
	return web.SeeOther(w, r, "/admin/units?ok=created")
}

func (s *handlers) handleAdminUnitDisable(disabled bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.Org.SetUnitDisabled(r.Context(), id, disabled); err != nil {
			return err
		}
		return web.SeeOther(w, r, "/admin/units?ok=saved")
	}
}

// handleAdminUnitScope sets which enterprises a unit's staff read in the
// registry: every enterprise (zone-wide) or their own area's.
func (s *handlers) handleAdminUnitScope(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Org.SetUnitScope(r.Context(), id, r.FormValue("registry_scope")); err != nil {
		return err
	}
	return web.SeeOther(w, r, "/admin/units?ok=saved")
}

type userRequest struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Unit        string `json:"unit"`
	Password    string `json:"password"`
}

type disableRequest struct {
	Disabled bool `json:"disabled"`
	// RegistryScope, when given on a unit, changes the unit's reach in the
	// enterprise registry (zone or area).
	RegistryScope string `json:"registry_scope,omitempty"`
}

func (s *handlers) apiUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := s.Org.Users(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, usersAnswer{Users: web.NonNil(us)})
	return nil
}

func (s *handlers) apiUserCreate(w http.ResponseWriter, r *http.Request) error {
	var req userRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	u, err := s.Org.CreateUser(r.Context(), org.NewUser{Username: req.Username, DisplayName: req.DisplayName,
		Role: org.Role(req.Role), UnitCode: req.Unit, Password: req.Password})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, u)
	return nil
}

func (s *handlers) apiUserPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req disableRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if id == web.CurrentUser(r).ID && req.Disabled {
		return errs.New(errs.Conflict, "不能停用自己的账号", "you cannot disable your own account")
	}
	if err := s.Org.SetUserDisabled(r.Context(), id, req.Disabled); err != nil {
		return err
	}
	u, err := s.Org.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, u)
	return nil
}

func (s *handlers) apiUnits(w http.ResponseWriter, r *http.Request) error {
	us, err := s.Org.Units(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, unitsAnswer{Units: web.NonNil(us)})
	return nil
}

func (s *handlers) apiUnitCreate(w http.ResponseWriter, r *http.Request) error {
	var req org.Unit
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	u, err := s.Org.CreateUnit(r.Context(), req)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, u)
	return nil
}

func (s *handlers) apiUnitPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req disableRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.Org.SetUnitDisabled(r.Context(), id, req.Disabled); err != nil {
		return err
	}
	if req.RegistryScope != "" {
		if err := s.Org.SetUnitScope(r.Context(), id, req.RegistryScope); err != nil {
			return err
		}
	}
	u, err := s.Org.UnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, u)
	return nil
}
