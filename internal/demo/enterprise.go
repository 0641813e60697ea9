package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"gaoxin/internal/app"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/insight"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

// EnterpriseOptions size the synthetic registry.
type EnterpriseOptions struct {
	Enterprises int    // how many enterprises
	Years       int    // years of figures, ending LastYear
	Seed        uint64 // the same seed gives the same registry
	LastYear    int    // 0: the year before the demo's date AsOf
	Batch       int    // enterprises per transaction (default 1,000)
	// Progress, when set, is called after each batch.
	Progress func(done, total int)
}

// DefaultEnterprises is what `serve --demo` loads.
var DefaultEnterprises = EnterpriseOptions{Enterprises: 300, Years: 5, Seed: 2023}

// Every demo enterprise is plainly synthetic: its name says 演示 and carries
// a serial number, its credit code has the organisation-code body DM + six
// digits, and it is stored with synthetic = true. The real companies named
// in the seed are not added: the seed gives neither their credit codes nor
// any of their figures.
var (
	demoTrades = []struct{ word, industry, chain string }{
		{"智能传感", "3983", "iot_sensor"}, {"物联科技", "6513", "iot"}, {"网络安全", "6520", "ei_netsec"}, {"电子信息", "3972", "ei"},
		{"北斗导航", "3990", "bd"}, {"精密测绘", "7441", "bd_survey"}, {"超硬材料", "3099", "nm_superhard"}, {"新材料", "2659", "nm"},
		{"数据算力", "6450", "compute"}, {"氢能装备", "3849", "hydrogen"}, {"生物医药", "2761", "health"}, {"软件信息", "6511", "nextgen_it"},
		{"量子科技", "7350", "quantum"}, {"智能芯片", "3973", "brainlike"}, {"通信网络", "6312", "future_net"}, {"先进材料", "3985", "frontier_mat"},
	}
	demoForms = []string{"有限责任公司", "股份有限公司", "有限责任公司（自然人独资）"}
	demoAreas = []string{"sf", "gz", "fy", "wt", "sq"}
)

// demoCode is the synthetic credit code of serial n (1 ≤ n ≤ 999,999).
func demoCode(n int) string {
	return uscc.Complete(fmt.Sprintf("91410100DM%06d", n))
}

// syntheticEnterprise makes serial n's record from its own random stream,
// so any one enterprise is the same whatever the batch size.
func syntheticEnterprise(n int, o EnterpriseOptions) enterprise.Synthetic {
	r := rand.New(rand.NewPCG(o.Seed, uint64(n)))
	t := demoTrades[r.IntN(len(demoTrades))]
	founded := 1995 + r.IntN(o.LastYear-1995)
	e := enterprise.Synthetic{Input: enterprise.Input{
		CreditCode:   demoCode(n),
		Name:         fmt.Sprintf("演示%s企业%06d有限公司", t.word, n),
		LegalForm:    demoForms[r.IntN(len(demoForms))],
		RegisteredOn: fmt.Sprintf("%d-%02d-%02d", founded, 1+r.IntN(12), 1+r.IntN(28)),
		CapitalFen:   int64(50+r.IntN(20000)) * 10000 * 100,
		Area:         demoAreas[r.IntN(len(demoAreas))],
		Address:      fmt.Sprintf("郑州高新区演示路 %d 号（合成地址）", 1+r.IntN(999)),
		IndustryCode: t.industry,
		Chains:       []string{t.chain},
		Status:       enterprise.Operating,
	}}
	if second := demoTrades[r.IntN(len(demoTrades))].chain; r.IntN(5) == 0 && second != t.chain {
		e.Input.Chains = append(e.Input.Chains, second)
	}
	if r.IntN(40) == 0 {
		e.Input.Status = enterprise.MovedOut
	}
	// Figures: a revenue path with yearly growth between −10% and +30%;
	// the rest in proportion. Money in fen, integers throughout.
	revenue := math.Exp(math.Log(100e4*100) + r.Float64()*(math.Log(50e8*100)-math.Log(100e4*100)))
	taxRate, rdRate := 0.02+r.Float64()*0.06, 0.01+r.Float64()*0.09
	// Value added (增加值) is 18–40 % of revenue, more for the enterprises
	// that spend more on R&D; derived from the draws above, so the
	// random stream (and every other figure) stays as it was.
	vaRate := 0.18 + (rdRate-0.01)/0.09*0.22
	tradeRate := 0.0
	if r.IntN(3) == 0 {
		tradeRate = r.Float64() * 0.4
	}
	// Land (亩 × 100) in proportion to the business: between 300万 and
	// 3,000万 元 of revenue per 亩 (fen per 亩 below), at least 1 亩. An
	// enterprise that grows takes more land; one that shrinks keeps it.
	perMu := math.Exp(math.Log(300e4*100) + r.Float64()*(math.Log(3000e4*100)-math.Log(300e4*100)))
	land := int64(100)
	patents := r.IntN(20)
	first := o.LastYear - o.Years + 1
	for y := first; y <= o.LastYear; y++ {
		if y < founded {
			revenue *= 1.1
			continue
		}
		emp := int64(revenue/(60e4*100)) + 5
		fig := func(code string, v int64) {
			e.Figures = append(e.Figures, enterprise.FigureInput{Indicator: code, Year: y, Value: v})
		}
		fig("revenue", int64(revenue))
		fig("value_added", int64(revenue*vaRate))
		fig("taxes", int64(revenue*taxRate))
		fig("rd_spend", int64(revenue*rdRate))
		fig("employees", emp)
		fig("rd_staff", emp*int64(10+r.IntN(30))/100)
		fig("patents", int64(patents))
		fig("trade", int64(revenue*tradeRate))
		financing := int64(0)
		if r.IntN(6) == 0 {
			financing = int64(revenue * (0.05 + r.Float64()*0.5))
		}
		fig("financing", financing)
		land = max(land, int64(revenue/perMu*100))
		fig("land", land)
		fig("energy", int64(revenue/(1e4*100)*(20+r.Float64()*80)))
		revenue *= 0.9 + r.Float64()*0.4
		patents += r.IntN(6)
	}
	// Certificates: a pipeline from 科技型中小企业 to 瞪羚, some expiring soon.
	year := o.LastYear
	if r.IntN(3) == 0 {
		e.Tiers = append(e.Tiers, enterprise.Tier{Tier: "tsme", Level: "provincial", CertNo: fmt.Sprintf("演示TSME%d%06d", year, n),
			ValidFrom: fmt.Sprintf("%d-05-01", year), ValidTo: fmt.Sprintf("%d-12-31", year+1)})
	}
	if r.IntN(6) == 0 {
		from := year - r.IntN(3)
		// A 高新技术企业 is recognised for three years and renews: one
		// founded before the previous term holds that certificate too.
		if founded < from-3 {
			e.Tiers = append(e.Tiers, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: fmt.Sprintf("演示GR%d41%06d", from-3, n),
				ValidFrom: fmt.Sprintf("%d-12-01", from-3), ValidTo: fmt.Sprintf("%d-11-30", from)})
		}
		e.Tiers = append(e.Tiers, enterprise.Tier{Tier: "hnte", Level: "national", CertNo: fmt.Sprintf("演示GR%d41%06d", from, n),
			ValidFrom: fmt.Sprintf("%d-12-01", from), ValidTo: fmt.Sprintf("%d-11-30", from+3)})
	}
	if r.IntN(40) == 0 {
		e.Tiers = append(e.Tiers, enterprise.Tier{Tier: "gazelle", Level: "municipal", CertNo: fmt.Sprintf("演示DL%06d", n),
			ValidFrom: fmt.Sprintf("%d-01-01", year), ValidTo: fmt.Sprintf("%d-12-31", year+2)})
	}
	if r.IntN(80) == 0 {
		e.Tiers = append(e.Tiers, enterprise.Tier{Tier: "little_giant", Level: "national", CertNo: fmt.Sprintf("演示XJR%06d", n),
			ValidFrom: fmt.Sprintf("%d-07-01", year-1), ValidTo: fmt.Sprintf("%d-06-30", year+2)})
	}
	return e
}

// LoadEnterprises generates a synthetic registry after the synthetic
// enterprises already stored, o.Batch enterprises per transaction.
func LoadEnterprises(ctx context.Context, s *app.App, o EnterpriseOptions) (int, error) {
	if o.Enterprises <= 0 || o.Years <= 0 {
		return 0, fmt.Errorf("demo: enterprises and years must be positive")
	}
	if o.LastYear == 0 {
		y, _ := strconv.Atoi(AsOf[:4])
		o.LastYear = y - 1
	}
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	start, err := s.Enterprise.SyntheticCount(ctx)
	if err != nil {
		return 0, err
	}
	if start+o.Enterprises > 999_999 {
		return 0, fmt.Errorf("demo: at most 999,999 synthetic enterprises")
	}
	for done := 0; done < o.Enterprises; {
		n := min(o.Batch, o.Enterprises-done)
		batch := make([]enterprise.Synthetic, n)
		for i := range batch {
			batch[i] = syntheticEnterprise(start+done+i+1, o)
		}
		if err := s.Enterprise.LoadSynthetic(ctx, enterprise.System, batch); err != nil {
			return done, fmt.Errorf("demo: enterprises: %w", err)
		}
		done += n
		if o.Progress != nil {
			o.Progress(done, o.Enterprises)
		}
	}
	s.Enterprise.Analyze(ctx)
	// The generator writes in bulk, past the change feed: the industry
	// brain's rollups are recomputed from the whole registry.
	if err := s.Insight.Rebuild(ctx, insight.Viewer{Role: org.Admin}); err != nil {
		return o.Enterprises, fmt.Errorf("demo: rollups: %w", err)
	}
	return o.Enterprises, nil
}

// enterpriseAccount creates the demo enterprise account, linked to the
// first synthetic enterprise.
func enterpriseAccount(ctx context.Context, s *app.App) (Account, error) {
	nu := org.NewUser{Username: "qiye", DisplayName: "演示企业000001 账号（演示）", Role: org.Enterprise, Password: org.GeneratePassword()}
	if _, err := s.Org.CreateUser(ctx, nu); err != nil {
		return Account{}, err
	}
	e, err := s.Enterprise.ByCode(ctx, enterprise.System, demoCode(1))
	if err != nil {
		return Account{}, err
	}
	if err := s.Enterprise.LinkAccount(ctx, enterprise.System, e.ID, nu.Username); err != nil {
		return Account{}, err
	}
	return Account{Username: nu.Username, Password: nu.Password, Role: nu.Role, Unit: e.Name}, nil
}

// loadEnterpriseDemo adds the synthetic registry and the enterprise demo
// account to the accounts Load returns.
func loadEnterpriseDemo(ctx context.Context, s *app.App, accounts []Account, o EnterpriseOptions) ([]Account, error) {
	if _, err := LoadEnterprises(ctx, s, o); err != nil {
		return nil, err
	}
	acc, err := enterpriseAccount(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("demo: enterprise account: %w", err)
	}
	return append(accounts, acc), nil
}
