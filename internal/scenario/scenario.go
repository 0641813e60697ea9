// Package scenario runs the zone's scenario opportunities and open calls
// (场景机会清单 · 揭榜挂帅): units and enterprises submit needs; staff review
// them into numbered batches and publish them as calls; enterprises bid,
// alone or jointly, until the deadline; each call keeps the date of every
// phase it reaches. The registry's enterprises and chain tree are read
// through the enterprise service.
package scenario

import (
	"context"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
)

// Module is the module's name in module_versions and the audit trail.
const Module = "scenario"

// Categories of the 场景机会清单, as the seed names them.
const (
	CatProject = "project" // 重大项目载体
	CatDigital = "digital" // 产业数字化转型
	CatUrban   = "urban"   // 城市建设与城市更新
	CatService = "service" // 城市管理和民生服务
)

// Category is one category with its names.
type Category struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// Categories lists the four categories in the seed's order.
var Categories = []Category{
	{CatProject, "重大项目载体", "Major project sites"},
	{CatDigital, "产业数字化转型", "Industrial digital transformation"},
	{CatUrban, "城市建设与城市更新", "City building and renewal"},
	{CatService, "城市管理和民生服务", "City management and public services"},
}

// CategoryLabel is a category's Chinese and English name; unknown codes
// come back as given.
func CategoryLabel(code string) (string, string) {
	for _, c := range Categories {
		if c.Code == code {
			return c.NameZH, c.NameEN
		}
	}
	return code, code
}

// Service is the scenario module over one database.
type Service struct {
	DB       *db.DB
	Audit    *audit.Log
	Registry *enterprise.Service
	Org      *org.Service
	// Plan takes a signed contract's milestones as supervised tasks;
	// Ledger (the awards ledger) pays the contract in stages.
	Plan   *plan.Service
	Ledger *award.Service
	// Now is the clock; a demo reads the module at its as-of date.
	Now func() time.Time
	// MaxFile is the largest attachment or evidence file, in bytes.
	MaxFile int64
	// Synthetic marks what this service writes as demo data (演示): the
	// demo loader's copy sets it.
	Synthetic bool
	// Terms rank the enterprises suggested for a call (match.go); nil:
	// DefaultTerms.
	Terms []TermMaker
	// Notify, when set, queues a text for the platform's webhook inside
	// the caller's transaction (the supervision module's outbox sends it
	// and records it as sent or failed); invitations use it.
	Notify func(ctx context.Context, q db.Querier, event, text string) error
	// lists keeps the list's statements prepared (List); nil: none kept.
	lists *db.Statements
}

// New returns the scenario service.
func New(d *db.DB, a *audit.Log, reg *enterprise.Service, o *org.Service, p *plan.Service, ledger *award.Service) *Service {
	a.Describe(Module, withMatchLabels(auditLabels()))
	s := &Service{DB: d, Audit: a, Registry: reg, Org: o, Plan: p, Ledger: ledger, Now: time.Now, MaxFile: 10 << 20,
		lists: d.Statements(maxListStatements)}
	if p != nil {
		s.Notify = p.Notify // invitations go to the webhook through the plan's outbox
	}
	return s
}

// Today is the service's date in China time, YYYY-MM-DD.
func (s *Service) Today() string { return s.Now().In(db.CST).Format("2006-01-02") }

func (s *Service) nowMS() int64 { return s.Now().UnixMilli() }

func (s *Service) actor(ctx context.Context) audit.Actor { return audit.ActorFrom(ctx) }
