// Package app wires gaoxin's domain services onto one database. The binary,
// the web layer, the demo loader and the tests all build their services
// here, so a module is added in one place.
package app

import (
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/auth"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/finance"
	"gaoxin/internal/insight"
	"gaoxin/internal/kpi"
	"gaoxin/internal/org"
	"gaoxin/internal/plan"
	"gaoxin/internal/scenario"
)

// Options tune the services.
type Options struct {
	PasswordStrict bool              // 等保 mode password policy
	Argon          *org.Argon2Params // nil: org.DefaultArgon2 (tests pass a cheaper cost)
	Audit          audit.Options     // the audit chain's key and checkpoint file
	// Per-module options: cache bounds (internal/memo), and the switches
	// benchmarks use to measure the cold path.
	Enterprise enterprise.Options
	KPI        kpi.Options
	Plan       plan.Options
	// Now, when set, is every module's clock: a demo reads all its data
	// at one as-of date (demo.AsOf). Nil: the real time.
	Now func() time.Time
}

// App is every domain service over one database.
type App struct {
	DB    *db.DB
	Audit *audit.Log
	Org   *org.Service
	Auth  *auth.Service

	Enterprise *enterprise.Service // 企业库
	Award      *award.Service      // 评优与奖补
	KPI        *kpi.Service
	Plan       *plan.Service
	Scenario   *scenario.Service // 场景机会
	Finance    *finance.Service  // 科技金融
	Insight    *insight.Service  // 产业大脑

	// Now is every module's clock when Options.Now set it (a demo), else
	// nil: the real time.
	Now func() time.Time
}

// New builds the services on an opened, migrated database.
func New(d *db.DB, o Options) *App {
	a := &App{DB: d, Audit: audit.NewWith(d, o.Audit)}
	a.Org = org.New(d, a.Audit)
	a.Org.Policy.Strict = o.PasswordStrict
	if o.PasswordStrict {
		a.Org.Policy.MaxAge = org.StrictMaxAge
	}
	if o.Argon != nil {
		a.Org.Argon = *o.Argon
	}
	a.Auth = auth.New(d, a.Org, a.Audit)
	a.Enterprise = enterprise.New(d, a.Audit, a.Org, o.Enterprise)
	a.Award = award.New(d, a.Audit, a.Enterprise, a.Org)
	a.KPI = kpi.New(d, a.Audit, o.KPI)
	a.Plan = plan.New(d, a.Audit, a.Org, o.Plan)
	a.Scenario = scenario.New(d, a.Audit, a.Enterprise, a.Org, a.Plan, a.Award)
	a.KPI.AddSource(a.Scenario.KPISource()) // computed indicators: calls, bids, money paid
	a.Finance = finance.New(d, a.Audit, a.Enterprise, a.Org)
	a.Finance.Award = a.Award                         // financing subsidies are granted from policy funds in the awards ledger
	a.Award.RegisterSubject(a.Finance.AwardSubject()) // 十大优秀金融机构: institutions ranked on their deals
	a.KPI.AddSource(a.Finance.KPISource())            // computed indicators: institutions settled, capital, money received, conversion
	a.Insight = insight.New(d, a.Audit, a.Enterprise, a.Org)
	a.Insight.Plan = a.Plan                        // warnings reach the zone's webhook; the tier pipeline's outreach becomes plan tasks
	a.Award.RegisterSubject(a.Insight.MuSubject()) // 亩均效益评价: enterprises with land ranked per mu and per unit of energy
	if o.Now != nil {
		a.Now = o.Now
		a.Enterprise.Now, a.Award.Now, a.KPI.Now, a.Plan.Now, a.Scenario.Now = o.Now, o.Now, o.Now, o.Now, o.Now
		a.Finance.Now, a.Insight.Now = o.Now, o.Now
	}
	return a
}
