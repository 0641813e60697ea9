package demo

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/org"
	"gaoxin/internal/uscc"
)

func TestSyntheticEnterprisesAreReproducibleAndMarked(t *testing.T) {
	o := EnterpriseOptions{Enterprises: 3, Years: 10, Seed: 42, LastYear: 2024}
	a, b := syntheticEnterprise(17, o), syntheticEnterprise(17, o)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed and serial gave different enterprises")
	}
	o.Seed = 43
	if c := syntheticEnterprise(17, o); reflect.DeepEqual(a, c) {
		t.Fatal("a different seed gave the same enterprise")
	}
	if !strings.Contains(a.Input.Name, "演示") || !strings.Contains(a.Input.Name, "000017") {
		t.Errorf("name %q is not plainly synthetic", a.Input.Name)
	}
	if _, err := uscc.Parse(a.Input.CreditCode); err != nil {
		t.Errorf("synthetic code %s: %v", a.Input.CreditCode, err)
	}
	for _, f := range a.Figures {
		if f.Value < 0 || f.Year > 2024 || f.Year < 2015 {
			t.Errorf("figure %+v", f)
		}
	}
}

func TestLoadAddsAnEnterpriseAccountLinkedToASyntheticEnterprise(t *testing.T) {
	s, accounts := loaded(t, app.Options{})
	ctx := audit.WithActor(context.Background(), audit.Actor{Name: "demo"})
	var qiye *Account
	for i := range accounts {
		if accounts[i].Role == org.Enterprise {
			qiye = &accounts[i]
		}
	}
	if qiye == nil {
		t.Fatal("no enterprise demo account")
	}
	u, _ := s.Org.UserByUsername(ctx, qiye.Username)
	e, err := s.Enterprise.Get(ctx, enterprise.ViewerOf(&u), u.EnterpriseID)
	if err != nil || !e.Synthetic {
		t.Fatalf("linked enterprise %+v %v", e, err)
	}
	n, _ := s.Enterprise.SyntheticCount(ctx)
	if n != DefaultEnterprises.Enterprises {
		t.Fatalf("synthetic count %d", n)
	}
	// A second run continues the serials instead of colliding.
	if _, err := LoadEnterprises(ctx, s, EnterpriseOptions{Enterprises: 5, Years: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
}

// TestSyntheticLandIsPlausible: the land area follows the business, so 亩均
// figures read like a real zone's (revenue per 亩 at most 3,000万元, tax per
// 亩 at most 240万元), not millions of 元 per 亩 of a 5-亩 plot that earns
// billions.
func TestSyntheticLandIsPlausible(t *testing.T) {
	o := EnterpriseOptions{Enterprises: 300, Years: 10, Seed: 2023, LastYear: 2024}
	var perMu []float64
	for n := 1; n <= o.Enterprises; n++ {
		e := syntheticEnterprise(n, o)
		byYear := map[int]map[string]int64{}
		for _, f := range e.Figures {
			if byYear[f.Year] == nil {
				byYear[f.Year] = map[string]int64{}
			}
			byYear[f.Year][f.Indicator] = f.Value
		}
		for y, v := range byYear {
			land := v["land"]
			if land < 100 {
				t.Fatalf("%d/%d: land %d (亩 × 100) under 1 亩", n, y, land)
			}
			// fen per 亩 = value × 100 / land; 万元 = fen / 1e6.
			rev := float64(v["revenue"]) * 100 / float64(land) / 1e6
			tax := float64(v["taxes"]) * 100 / float64(land) / 1e6
			if rev > 3000.01 || tax > 240.01 {
				t.Errorf("%d/%d: %.0f 万元 revenue and %.0f 万元 tax per 亩 (land %d)", n, y, rev, tax, land)
			}
			perMu = append(perMu, rev)
		}
	}
	sort.Float64s(perMu)
	if med := perMu[len(perMu)/2]; med < 100 || med > 3000 {
		t.Errorf("median revenue per 亩 %.0f 万元", med)
	}
}
