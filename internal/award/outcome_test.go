package award

import "testing"

// TestOutcome: every state an application can end in reads as what it is,
// with its reason: the rule an ineligible one failed, the rank of a ranked
// one, the amount a winner was granted.
func TestOutcome(t *testing.T) {
	rd := &Round{Result: Result{
		Entries:  []Entry{{Rank: 1, EnterpriseID: 1, Total: 90 * One, Winner: true}, {Rank: 2, EnterpriseID: 2, Total: 80 * One}},
		Excluded: []Exclusion{{EnterpriseID: 3, Reason: Reason{"不具备所需资质（高新技术企业之一）", "holds none of the tiers: High-tech enterprise"}}},
	}}
	bands := Programme{State: StateConfirmed, Rules: Rules{Money: MoneyRule{Kind: "bands"}}}
	manual := Programme{State: StateConfirmed, Rules: Rules{Money: MoneyRule{Kind: "manual"}}}
	for _, c := range []struct {
		name     string
		app      Application
		p        Programme
		rd       *Round
		g        *Grant
		code, zh string
		reasonZH string
		amount   int64
	}{
		{"submitted", Application{State: AppSubmitted}, Programme{State: StateOpen}, nil, nil, OutcomeSubmitted, "已提交，等待形式审查", "", 0},
		{"never checked", Application{State: AppSubmitted}, Programme{State: StateNotice}, rd, nil, OutcomeIneligible, "未纳入评审", "申报未在评审前通过形式审查", 0},
		{"returned", Application{State: AppReturned, ReturnReason: "缺少审计报告"}, Programme{State: StateOpen}, nil, nil, OutcomeReturned, "已退回，可修改后重新提交", "缺少审计报告", 0},
		{"withdrawn", Application{State: AppWithdrawn, ReturnReason: "资料不全"}, Programme{State: StateReview}, nil, nil, OutcomeWithdrawn, "已撤回申报", "资料不全", 0},
		{"accepted", Application{State: AppAccepted, EnterpriseID: 1}, Programme{State: StateReview}, nil, nil, OutcomeAccepted, "形式审查通过，等待评审排名", "", 0},
		{"ineligible", Application{State: AppAccepted, EnterpriseID: 3}, Programme{State: StateNotice}, rd, nil, OutcomeIneligible, "不符合条件，未纳入排名", "不具备所需资质（高新技术企业之一）", 0},
		{"ranked in review", Application{State: AppAccepted, EnterpriseID: 2}, Programme{State: StateReview}, rd, nil, OutcomeRanked, "已排名，结果尚未公示", "第 2 名，总分 80.0000", 0},
		{"on notice", Application{State: AppAccepted, EnterpriseID: 1}, Programme{State: StateNotice}, rd, nil, OutcomeShortlist, "拟入选，公示中", "第 1 名，总分 90.0000", 0},
		{"lost", Application{State: AppAccepted, EnterpriseID: 2}, Programme{State: StateNotice}, rd, nil, OutcomeLost, "未入选", "第 2 名，总分 80.0000；入选 1 家", 0},
		{"won", Application{State: AppAccepted, EnterpriseID: 1}, bands, rd, &Grant{AmountFen: 1_000_000_00}, OutcomeWon, "获奖，奖补 100.00 万元", "第 1 名，总分 90.0000", 1_000_000_00},
		{"won, amount to set", Application{State: AppAccepted, EnterpriseID: 1}, manual, rd, nil, OutcomeWon, "获奖，奖补金额待核定", "第 1 名，总分 90.0000", 0},
	} {
		o := outcome(c.app, c.p, c.rd, c.g)
		if o.Code != c.code || o.ZH != c.zh || o.ReasonZH != c.reasonZH || o.AmountFen != c.amount || o.EN == "" {
			t.Errorf("%s: %+v", c.name, o)
		}
	}
}
