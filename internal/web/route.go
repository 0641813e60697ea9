package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/auth"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// HandlerFunc is a handler that returns its error for the one place that
// renders errors (writeError).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Access says who may call a route.
type Access struct {
	public bool
	roles  []org.Role // empty: any signed-in user
	// duty names the administrator's duty a route belongs to ("security",
	// "audit"): with Config.SeparateAdmins the administrator (org.Admin)
	// may not call it; the duty's own role does.
	duty string
}

// Duty marks a rule as one of the duties that separating the three
// administrators takes from org.Admin.
func (a Access) Duty(d string) Access { a.duty = d; return a }

// AllowsIn is Allows with the server's choice of separated administrators.
func (a Access) AllowsIn(u *org.User, separate bool) bool {
	if separate && a.duty != "" && u != nil && u.Role == org.Admin {
		return false
	}
	return a.Allows(u)
}

// Public routes need no login.
var Public = Access{public: true}

// SignedIn routes need any signed-in user.
var SignedIn = Access{}

// Only Allows the listed roles.
func Only(roles ...org.Role) Access { return Access{roles: roles} }

// Staff are the zone's own roles that read across modules.
var Staff = Only(org.Admin, org.Leader, org.Supervisor)

// IsStaff reports whether u is one of the zone's own roles that read across
// modules (admin, leader, supervisor).
func IsStaff(u *org.User) bool { return u != nil && Staff.Allows(u) }

// Route is one registered endpoint.
type Route struct {
	Method, Path string
	Summary      string
	Access       Access
	API          bool
	Body         any  // example request body for the OpenAPI document, or nil
	Doc          *Doc // query parameters and answer type, when described
}

// Roles returns the roles allowed, or nil for any.
func (a Access) Roles() []org.Role { return a.roles }

// IsPublic reports whether no login is needed.
func (a Access) IsPublic() bool { return a.public }

// Allows reports whether u may call a route with this rule.
func (a Access) Allows(u *org.User) bool {
	if a.public {
		return true
	}
	if u == nil {
		return false
	}
	if len(a.roles) == 0 {
		return true
	}
	for _, r := range a.roles {
		if u.Role == r {
			return true
		}
	}
	return false
}

// Handle registers pattern ("GET /path/{id}") with its access rule in the
// route table.
func (s *Server) Handle(pattern, summary string, access Access, h HandlerFunc) {
	s.HandleBody(pattern, summary, access, nil, h)
}

// HandleBody is Handle with an example JSON body for the API document.
func (s *Server) HandleBody(pattern, summary string, access Access, body any, h HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.routes = append(s.routes, Route{Method: method, Path: path, Summary: summary, Access: access,
		API: strings.HasPrefix(path, "/api/"), Body: body})
	s.mux.Handle(pattern, s.wrap(access, h))
}

// HandleOutside registers a handler outside the route table: no caller is
// identified and no access rule applies (static files, health probes).
func (s *Server) HandleOutside(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

type userKey struct{}
type sessionKey struct{}

// CurrentUser returns the signed-in user, or nil.
func CurrentUser(r *http.Request) *org.User {
	u, _ := r.Context().Value(userKey{}).(*org.User)
	return u
}

// SessionHash returns the hashed session token of a cookie session, or "".
func SessionHash(r *http.Request) string {
	h, _ := r.Context().Value(sessionKey{}).(string)
	return h
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "gaoxin_session"

func (s *Server) wrap(access Access, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := s.ClientIP(r)
		ctx := audit.WithActor(r.Context(), audit.Actor{Name: "anonymous", IP: ip})
		if s.App.Now != nil {
			ctx = audit.WithClock(ctx, s.App.Now)
		}
		u, hash, tokID, err := s.identify(ctx, r)
		if err != nil && !access.public {
			s.WriteError(w, r.WithContext(ctx), err)
			return
		}
		if tokID != 0 {
			ctx = auth.WithBearer(ctx, tokID)
		}
		if u != nil {
			ctx = audit.WithActor(ctx, audit.Actor{ID: u.ID, Name: u.Username, IP: ip})
			ctx = context.WithValue(ctx, userKey{}, u)
			ctx = context.WithValue(ctx, sessionKey{}, hash)
		}
		ctx = s.readFrom(w, r, ctx, tokID)
		r = r.WithContext(ctx)
		if !access.AllowsIn(u, s.Cfg.SeparateAdmins) {
			if u != nil && access.Allows(u) {
				s.WriteError(w, r, errs.New(errs.Forbidden, "三员分立：此项工作由"+dutyName(access.duty)+"负责", "separated administrators: this is the "+access.duty+" administrator's work"))
				return
			}
			if u == nil {
				s.WriteError(w, r, errs.New(errs.Unauthorized, "请先登录", "please sign in"))
			} else {
				s.WriteError(w, r, errs.New(errs.Forbidden, "您的角色无权执行此操作", "your role may not do this"))
			}
			return
		}
		if u != nil && tokID == 0 && s.Org.Policy.Expired(*u, db.Now()) && !passwordWork[r.URL.Path] {
			// 等保 mode: a password past its lifetime must be changed
			// before anything else (API tokens, made for machines, go on).
			if r.Method == http.MethodGet && !isAPI(r) {
				http.Redirect(w, r, "/account?expired=1", http.StatusSeeOther)
				return
			}
			s.WriteError(w, r, errs.New(errs.PasswordExpired, fmt.Sprintf("密码已使用超过 %d 天，请先修改密码", int(s.Org.Policy.MaxAge.Hours()/24)),
				fmt.Sprintf("your password is more than %d days old; change it first", int(s.Org.Policy.MaxAge.Hours()/24))))
			return
		}
		if err := checkForm(r); err != nil {
			s.WriteError(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			s.WriteError(w, r, err)
		}
	})
}

// identify finds the caller from a bearer token (returning its id) or the
// session cookie (returning the session's hash). It returns (nil, "", 0,
// nil) for an anonymous request.
func (s *Server) identify(ctx context.Context, r *http.Request) (*org.User, string, int64, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, "", 0, errs.New(errs.Unauthorized, "Authorization 头格式应为 Bearer 令牌", "Authorization must be a Bearer token")
		}
		u, tokID, err := s.Auth.Bearer(ctx, strings.TrimSpace(tok))
		if err != nil {
			return nil, "", 0, err
		}
		return &u, "", tokID, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, "", 0, nil
	}
	u, hash, err := s.Auth.Session(ctx, c.Value)
	if err != nil {
		return nil, "", 0, err
	}
	return &u, hash, 0, nil
}

func dutyName(d string) string {
	if d == "audit" {
		return "审计管理员"
	}
	return "安全管理员"
}

// May reports whether u may call the route registered as pattern ("GET
// /admin/audit"): its rule and the server's separation of administrators.
func (s *Server) May(u *org.User, pattern string) bool {
	method, path, _ := strings.Cut(pattern, " ")
	for _, rt := range s.routes {
		if rt.Method == method && rt.Path == path {
			return rt.Access.AllowsIn(u, s.Cfg.SeparateAdmins)
		}
	}
	return false
}

// passwordWork are the paths a signed-in user whose password has expired
// may still use: to change it, to see who they are, and to leave.
var passwordWork = map[string]bool{"/account": true, "/account/password": true, "/api/v1/me/password": true,
	"/api/v1/me": true, "/logout": true, "/api/v1/session": true, "/lang": true}

// FreshCookie marks a browser that wrote a moment ago: while it lasts its
// pages read from the primary database, not the read replica.
const FreshCookie = "gaoxin_fresh"

// readFrom chooses, when a read replica is attached, where the request's
// reads go: a GET or HEAD reads from the replica unless its caller wrote
// within Cfg.FreshFor (the FreshCookie a write leaves) or calls with a
// bearer token (API clients keep no cookie, so their reads stay on the
// primary and always see their own writes). Any other method writes: it
// leaves the cookie.
func (s *Server) readFrom(w http.ResponseWriter, r *http.Request, ctx context.Context, tokID int64) context.Context {
	if attached, _, _ := s.App.DB.ReplicaStatus(); !attached {
		return ctx
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		fresh := s.Cfg.FreshFor
		if fresh <= 0 {
			fresh = 10 * time.Second
		}
		http.SetCookie(w, &http.Cookie{Name: FreshCookie, Value: "1", Path: "/", MaxAge: int(fresh / time.Second),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies})
		return ctx
	}
	if _, err := r.Cookie(FreshCookie); err == nil || tokID != 0 {
		return ctx
	}
	return db.ReadReplica(ctx)
}

// CountRefusal counts one answer of code to the caller if it is a refusal
// (401, 403, 429). A refusal is not a chained audit row: it is counted
// (gaoxin_http_refusals_total) and aggregated per source address and
// minute (audit.CountRefusal), so a flood of refused requests neither grows
// the trail nor holds the lock real writes wait on. WriteError calls it;
// handlers that render a refusal themselves (the login form) call it too.
func (s *Server) CountRefusal(r *http.Request, code errs.Code) {
	switch code {
	case errs.Unauthorized, errs.Forbidden, errs.RateLimited:
	default:
		return
	}
	s.metrics.refusals.WithLabelValues(string(code)).Inc()
	if err := s.Audit.CountRefusal(r.Context(), s.ClientIP(r), string(code), r.Method+" "+r.URL.Path); err != nil {
		s.Log.Error("count refusal", "err", err)
	}
}

func (s *Server) csrfDenied(w http.ResponseWriter, r *http.Request) {
	ctx := audit.WithActor(r.Context(), audit.Actor{Name: "anonymous", IP: s.ClientIP(r)})
	s.WriteError(w, r.WithContext(ctx), errs.New(errs.Forbidden, "跨站请求已被拒绝（CSRF 防护）", "cross-site request refused (CSRF protection)"))
}

// ClientIP is the caller's address: the proxy's word when trusted (one
// proxy in front, which appends the address it saw to X-Forwarded-For).
func (s *Server) ClientIP(r *http.Request) string {
	if s.Cfg.TrustProxy {
		// The last address is the one the trusted proxy saw: the ones
		// before it are whatever the client wrote in its own header.
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := strings.TrimSpace(last); ip != "" {
				return ip
			}
		}
		if x := r.Header.Get("X-Real-IP"); x != "" {
			return x
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
