// Package enterprise keeps the zone's enterprise registry (企业库): every
// market entity with its 统一社会信用代码, profile, office area, industry code
// (GB/T 4754-2017), places on the zone's industry chains, tiers and
// certificates, and yearly or monthly figures with their source. It also
// reads and writes the registry's spreadsheets (.xlsx and .csv).
package enterprise

import (
	"sync"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/errs"
	"gaoxin/internal/org"
)

// Status is an enterprise's registration status.
type Status string

const (
	Operating    Status = "operating"    // 存续
	MovedOut     Status = "moved_out"    // 迁出
	Deregistered Status = "deregistered" // 注销
)

// Statuses lists every status in display order.
var Statuses = []Status{Operating, MovedOut, Deregistered}

// Label returns the status in Chinese and English.
func (s Status) Label() (zh, en string) {
	switch s {
	case Operating:
		return "存续", "operating"
	case MovedOut:
		return "迁出", "moved out"
	case Deregistered:
		return "注销", "deregistered"
	}
	return string(s), string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Operating || s == MovedOut || s == Deregistered }

// ChainRef is an industry-chain node an enterprise sits on.
type ChainRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
}

// Enterprise is one registered market entity (企业).
type Enterprise struct {
	ID            int64      `json:"id"`
	CreditCode    string     `json:"credit_code"` // 统一社会信用代码, normalised
	CodeException string     `json:"code_exception,omitempty"`
	Name          string     `json:"name"`
	FormerNames   []string   `json:"former_names"`
	LegalForm     string     `json:"legal_form"`
	RegisteredOn  string     `json:"registered_on"` // YYYY-MM-DD or ""
	CapitalFen    int64      `json:"registered_capital_fen"`
	AreaUnitID    int64      `json:"area_unit_id,omitempty"`
	AreaCode      string     `json:"area,omitempty"`
	AreaName      string     `json:"area_name,omitempty"`
	Address       string     `json:"address"`
	IndustryCode  string     `json:"industry_code"`
	IndustryName  string     `json:"industry_name,omitempty"`
	Chains        []ChainRef `json:"chains"`
	Status        Status     `json:"status"`
	Synthetic     bool       `json:"synthetic"`
	Version       int        `json:"version"`
	CreatedAt     int64      `json:"created_at"`
	UpdatedAt     int64      `json:"updated_at"`

	cur map[figKey]int64 // effective values, loaded by imports
}

// Viewer is who asks: the service checks role and object for every call.
type Viewer struct {
	UserID int64
	Role   org.Role
	UnitID int64 // unit role: its unit; an area unit reads that office area's enterprises
	// ZoneWide marks a unit of a zone-wide department (经济发展局, 科技创新局,
	// 统计局…, org.ScopeZone): it reads every enterprise's confirmed data.
	ZoneWide     bool
	EnterpriseID int64 // enterprise role: its own enterprise
}

// ViewerOf returns the viewer of a signed-in user (the zero Viewer for nil).
func ViewerOf(u *org.User) Viewer {
	if u == nil {
		return Viewer{}
	}
	return Viewer{UserID: u.ID, Role: u.Role, UnitID: u.UnitID, EnterpriseID: u.EnterpriseID,
		ZoneWide: u.Role == org.UnitStaff && u.UnitID != 0 && u.UnitScope == org.ScopeZone}
}

// System is the viewer of the CLI and the scheduler: it may do everything.
var System = Viewer{Role: org.Admin}

// Staff reports whether v is registry staff (admin, leader, supervisor):
// they read every enterprise with its unconfirmed figures, the review
// queue, compliance flags and bank accounts.
func (v Viewer) Staff() bool {
	return v.Role == org.Admin || v.Role == org.Leader || v.Role == org.Supervisor
}

// ReadsAll reports whether v reads every enterprise: staff, and the staff
// of a zone-wide department (confirmed data only, see SeesPending).
func (v Viewer) ReadsAll() bool {
	return v.Staff() || (v.Role == org.UnitStaff && v.UnitID != 0 && v.ZoneWide)
}

// Writes reports whether v may create and change any enterprise.
func (v Viewer) Writes() bool { return v.Role == org.Admin || v.Role == org.Supervisor }

// Reads reports whether v may see some enterprises at all.
func (v Viewer) Reads() bool {
	return v.ReadsAll() || (v.Role == org.UnitStaff && v.UnitID != 0) || (v.Role == org.Enterprise && v.EnterpriseID != 0)
}

// SeesPending reports whether v sees figures that are not confirmed (of the
// enterprises it may read): staff, and an enterprise for its own.
func (v Viewer) SeesPending(enterpriseID int64) bool {
	return v.Staff() || (v.Role == org.Enterprise && v.EnterpriseID == enterpriseID)
}

// canRead reports whether v may see e: staff and zone-wide units all, an
// area unit those of its office area, an enterprise only itself.
func (v Viewer) canRead(e Enterprise) bool {
	switch {
	case v.ReadsAll():
		return true
	case v.Role == org.UnitStaff:
		return v.UnitID != 0 && e.AreaUnitID == v.UnitID
	case v.Role == org.Enterprise:
		return v.EnterpriseID != 0 && e.ID == v.EnterpriseID
	}
	return false
}

var (
	errNoAccess = errs.New(errs.Forbidden, "您无权访问企业库", "you may not use the enterprise registry")
	errNotFound = errs.New(errs.NotFound, "企业不存在", "enterprise not found")
	errNoWrite  = errs.New(errs.Forbidden, "您无权修改企业信息", "you may not change enterprise records")
)

// Service is the enterprise registry.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	Org   *org.Service
	// MaxImportBytes bounds an uploaded spreadsheet (default 20 MiB).
	MaxImportBytes int64
	// BackgroundRows: files with more data rows than this run as a
	// background job (default 2,000).
	BackgroundRows int
	denseRows      int       // Options.DenseRows
	nameWindow     int       // Options.NameWindow
	names          nameIndex // the name search (search.go)
	live           sync.Map  // import job id → *liveJob, for jobs this server runs
	memo           caches    // derived data of the current module version (memo.go)

	// Now is the clock the registry reads "today" from (a demo reads its
	// data at one as-of date); nil means time.Now.
	Now func() time.Time
}

// New returns the registry service, tuned by opt (the zero Options gives
// the defaults).
func New(d *db.DB, a *audit.Log, o *org.Service, opt Options) *Service {
	if opt.DenseRows <= 0 {
		opt.DenseRows = denseFilterRows
	}
	if opt.NameWindow <= 0 {
		opt.NameWindow = defaultNameWindow
	}
	a.Describe("enterprise", auditLabels())
	return &Service{DB: d, Audit: a, Org: o, MaxImportBytes: 20 << 20, BackgroundRows: 2000,
		denseRows: opt.DenseRows, nameWindow: opt.NameWindow, memo: newCaches(d, opt)}
}
