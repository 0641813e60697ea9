// Package finance runs the zone's tech finance (科技金融): investment
// institutions and banks with their profiles and the accounts acting for
// them (role investor), government funds with their sub-funds and
// investments; enterprises' financing needs, seen only by the institutions
// whose profile fits and whom the enterprise lets see them; matching with
// reasons; each match's funnel from interest to money received (到位);
// roadshows; and the module's figures for the targets (measures.go).
//
// The registry's enterprises, chain tree and figures are read through the
// enterprise service; accounts through org. Access is checked here, with
// the viewer passed in (access.go).
package finance

import (
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/award"
	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
)

// Module is the module's name in module_versions and the audit trail.
const Module = "finance"

// Label is a code with its Chinese and English names.
type Label struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

func labelOf(ls []Label, code string) (string, string) {
	for _, l := range ls {
		if l.Code == code {
			return l.NameZH, l.NameEN
		}
	}
	return code, code
}

func known(ls []Label, code string) bool {
	for _, l := range ls {
		if l.Code == code {
			return true
		}
	}
	return false
}

// Institution kinds.
const (
	KindVCPE      = "vc_pe"     // 创业投资/私募股权
	KindAngel     = "angel"     // 天使投资
	KindBank      = "bank"      // 银行
	KindGuarantee = "guarantee" // 融资担保
	KindInsurer   = "insurer"   // 保险
	KindLeasing   = "leasing"   // 融资租赁
	KindGovFund   = "gov_fund"  // 政府引导基金
)

// Kinds lists the institution kinds in display order.
var Kinds = []Label{
	{KindVCPE, "创业投资/私募股权机构", "VC/PE"}, {KindAngel, "天使投资机构", "Angel investor"},
	{KindBank, "银行", "Bank"}, {KindGuarantee, "融资担保机构", "Guarantor"}, {KindInsurer, "保险机构", "Insurer"},
	{KindLeasing, "融资租赁机构", "Leasing company"}, {KindGovFund, "政府引导基金", "Government fund"},
}

// KindLabel is a kind's Chinese and English name.
func KindLabel(code string) (string, string) { return labelOf(Kinds, code) }

// Stages of financing, in order.
var Stages = []Label{
	{"seed", "种子轮", "Seed"}, {"angel", "天使轮", "Angel"}, {"a", "A 轮", "Series A"}, {"b", "B 轮", "Series B"},
	{"c_plus", "C 轮及以后", "Series C and later"}, {"pre_ipo", "Pre-IPO", "Pre-IPO"}, {"ma", "并购", "M&A"},
}

// StageLabel is a stage's Chinese and English name.
func StageLabel(code string) (string, string) { return labelOf(Stages, code) }

// Instruments of financing.
var Instruments = []Label{
	{"equity", "股权融资", "Equity"}, {"loan", "贷款", "Loan"}, {"convertible", "可转债", "Convertible"},
	{"guarantee", "融资担保", "Guarantee"}, {"ip_pledge", "知识产权质押贷款", "IP-pledge loan"}, {"leasing", "融资租赁", "Leasing"},
}

// InstrumentLabel is an instrument's Chinese and English name.
func InstrumentLabel(code string) (string, string) { return labelOf(Instruments, code) }

// MaxNeedFen is the largest amount a need may ask, and a deal record:
// 1,000 亿元.
const MaxNeedFen int64 = 1_000 * 100_000_000 * 100

// Service is the finance module over one database.
type Service struct {
	DB       *db.DB
	Audit    *audit.Log
	Registry *enterprise.Service
	Org      *org.Service
	// Award is the awards ledger: the policy funds of the financing
	// subsidies (subsidy.go) and their grants.
	Award *award.Service
	// Now is the clock; a demo reads the module at its as-of date.
	Now func() time.Time
	// MaxFile is the largest pitch deck, in bytes.
	MaxFile int64
	// Synthetic marks what this service writes as demo data (演示): the
	// demo loader's copy sets it.
	Synthetic bool
}

// New returns the finance service.
func New(d *db.DB, a *audit.Log, reg *enterprise.Service, o *org.Service) *Service {
	a.Describe(Module, auditLabels())
	return &Service{DB: d, Audit: a, Registry: reg, Org: o, Now: time.Now, MaxFile: 20 << 20}
}

// Today is the service's date in China time, YYYY-MM-DD.
func (s *Service) Today() string { return s.Now().In(db.CST).Format("2006-01-02") }

func (s *Service) nowMS() int64 { return s.Now().UnixMilli() }

func validDate(d string) bool {
	_, err := time.Parse("2006-01-02", d)
	return err == nil && len(d) == 10
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
