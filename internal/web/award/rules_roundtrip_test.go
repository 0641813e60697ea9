package award

import (
	"reflect"
	"testing"

	"gaoxin/internal/award"
)

// TestEditFormKeepsEveryRule: what the edit page shows of a programme reads
// back into the same programme, whatever the API stored: no rule is lost by
// opening a draft in the form and saving it, in 元 or in 万元.
func TestEditFormKeepsEveryRule(t *testing.T) {
	full := exampleRules()
	full.TrimAt = 7
	full.Eligibility.ChainNodes = []string{"iot", "bds"}
	full.Eligibility.MinYearsInZone = 3
	full.Eligibility.TiersValidOn = "2022-06-30"
	full.Grading.Bands = []int{10, 40, 40, 10}
	formula := exampleRules()
	formula.Money = award.MoneyRule{Kind: "formula", PerPointFen: 1_234_56, CapFen: 50_000_000_01}
	fixed := exampleRules()
	fixed.Money = award.MoneyRule{Kind: "fixed", AmountFen: 300_000_00}
	manual := exampleRules()
	manual.Money = award.MoneyRule{Kind: "manual"}
	manual.Grading = award.Grading{}
	prize := exampleRules()
	prize.Money = award.MoneyRule{Kind: "bands", Bands: []award.Band{{ToRank: 3, AmountFen: 1_000_00}, {ToRank: 0, AmountFen: 10}}}
	names := map[string]string{"rd_spend": "研发投入", "revenue": "营业收入", "taxes": "税收", "land": "用地面积"}
	for name, r := range map[string]award.Rules{"full": full, "formula": formula, "fixed": fixed, "manual": manual, "prize": prize} {
		n := award.NewProgramme{Year: 2023, NameZH: "项目", NameEN: "Programme", Kind: award.KindRanking, Quota: 20, BudgetFen: 18_800_000_000,
			NoticeDays: 7, Note: "备注", Rules: r}
		for _, unit := range []string{"", unitYuan, unitWan} {
			f := formOf(n, unit)
			got, problems := f.padded().toProgramme(names)
			if len(problems) > 0 {
				t.Fatalf("%s in %q: problems %+v", name, unit, problems)
			}
			if !reflect.DeepEqual(got, n) {
				t.Errorf("%s in %q:\n got %+v\nwant %+v", name, f.Unit, got, n)
			}
		}
	}
	if u := formOf(award.NewProgramme{BudgetFen: 100_00, Rules: formula}, "").Unit; u != unitYuan {
		t.Errorf("amounts in odd fen shown in %s", u)
	}
}

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in, unit string
		fen      int64
		ok       bool
	}{
		{"1,500,000", unitYuan, 150_000_000, true}, {"0.01", unitYuan, 1, true}, {"0.001", unitYuan, 0, false},
		{"150", unitWan, 150_000_000, true}, {"0.000001", unitWan, 1, true}, {"0.0000001", unitWan, 0, false},
		{"-1", unitYuan, 0, false}, {"1e3", unitYuan, 0, false}, {"", unitYuan, 0, false},
	} {
		fen, ok := parseAmount(c.in, c.unit)
		if fen != c.fen || ok != c.ok {
			t.Errorf("%q %s = %d %v, want %d %v", c.in, c.unit, fen, ok, c.fen, c.ok)
		}
		if ok && formatAmount(fen, c.unit) != c.in && c.in != "1,500,000" {
			t.Errorf("%d fen in %s shows as %q", fen, c.unit, formatAmount(fen, c.unit))
		}
	}
}

func TestFieldLabels(t *testing.T) {
	zh, en := page{}, page{}
	zh.Lang, en.Lang = "zh", "en"
	for field, want := range map[string][2]string{
		"terms.weight":      {"评分公式 · 权重合计", "Scoring formula · total weight"},
		"terms[2].weight":   {"评分公式第 3 项 · 权重", "Formula term 3 · weight"},
		"terms[0].source":   {"评分公式第 1 项 · 计算方式", "Formula term 1 · computed as"},
		"criteria[1]":       {"专家评审指标第 2 项", "Review criterion 2"},
		"criteria[0].max":   {"专家评审指标第 1 项 · 满分", "Review criterion 1 · maximum"},
		"money.bands[3]":    {"奖励名次段第 4 段", "Money band 4"},
		"budget_fen":        {"预算", "Budget"},
		"something.unknown": {"something.unknown", "something.unknown"},
	} {
		if got := fieldLabel(zh, field); got != want[0] {
			t.Errorf("%s in Chinese: %q, want %q", field, got, want[0])
		}
		if got := fieldLabel(en, field); got != want[1] {
			t.Errorf("%s in English: %q, want %q", field, got, want[1])
		}
	}
}
