// Package insight is the industry brain (产业大脑): the registry's figures
// rolled up by industry chain, office area, 国民经济行业分类 门类 and 大类,
// size band, registration cohort and tier, each alone and any two crossed,
// per year, kept up to date from the registry's change feed (rollup.go);
// the chain map and breakdowns read from them (read.go).
//
// The registry is read only through enterprise.Service (its change feed
// and Facts); nothing here names the registry's tables.
package insight

import (
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

// Module is the module's name in module_versions and the audit trail.
const Module = "insight"

// Service is the industry brain over one database.
type Service struct {
	DB       *db.DB
	Audit    *audit.Log
	Registry *enterprise.Service
	Org      *org.Service
	// Plan carries warnings to the zone's webhook (plan.Service.Notify;
	// nil sends none) and takes the tier pipeline's outreach as tasks.
	Plan *plan.Service
	// Now is the clock (a demo reads at its as-of date); nil: the real time.
	Now func() time.Time
	// Batch is how many feed entries one applying transaction takes (0:
	// 2,000).
	Batch int
}

// New builds the service.
func New(d *db.DB, a *audit.Log, reg *enterprise.Service, o *org.Service) *Service {
	a.Describe(Module, auditLabels())
	return &Service{DB: d, Audit: a, Registry: reg, Org: o}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// today is the date in China time.
func (s *Service) today() string { return s.now().In(db.CST).Format("2006-01-02") }

// Viewer is who asks.
type Viewer struct {
	UserID       int64
	Role         org.Role
	UnitID       int64 // unit accounts: their unit
	AreaOnly     bool  // an office area's unit: sees its own area only
	EnterpriseID int64 // enterprise accounts
}

// ViewerOf makes a Viewer of a signed-in user; nil is the public.
func ViewerOf(u *org.User) Viewer {
	if u == nil {
		return Viewer{}
	}
	return Viewer{UserID: u.ID, Role: u.Role, UnitID: u.UnitID, AreaOnly: u.Role == org.UnitStaff && u.UnitScope == org.ScopeArea,
		EnterpriseID: u.EnterpriseID}
}

// Zone reports whether v reads the whole zone's rollups: staff, and units
// whose scope is the zone (departments such as 经发局).
func (v Viewer) Zone() bool {
	switch v.Role {
	case org.Admin, org.Leader, org.Supervisor:
		return true
	case org.UnitStaff:
		return !v.AreaOnly
	}
	return false
}

// Staff reports whether v runs the module (rules, evaluations, outreach).
func (v Viewer) Staff() bool {
	return v.Role == org.Admin || v.Role == org.Leader || v.Role == org.Supervisor
}

// StartsMu reports whether v sets a year's per-mu evaluation going:
// supervisors, who run award programmes, and leaders, who decide on the
// evaluation (its classes drive land, energy and subsidy policy). The
// steps after (ranking, notice, objections, confirmation) are the awards
// module's, and recording the classes writes the registry: supervisors.
func (v Viewer) StartsMu() bool { return v.Role == org.Supervisor || v.Role == org.Leader }
