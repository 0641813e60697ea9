package award

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
)

// TrailLine is one entry of a programme's audit trail in words: who did
// what to which object, and the fields it set, before → after. The action
// code and the recorded JSON stay with it for a details view.
type TrailLine struct {
	At      int64    `json:"at"`
	Actor   string   `json:"actor"`
	What    Text     `json:"what"`
	Object  Text     `json:"object"`
	Changes []Change `json:"changes,omitempty"`
	Action  string   `json:"action"`
	Before  string   `json:"before,omitempty"`
	After   string   `json:"after,omitempty"`
}

// Change is one field an action set.
type Change struct {
	Field  Text `json:"field"`
	Before Text `json:"before"`
	After  Text `json:"after"`
}

// actionWords name the module's audited actions.
var actionWords = map[string]Text{
	"award.programme.create": {"创建项目", "created the programme"}, "award.programme.update": {"修改项目", "edited the programme"},
	"award.programme.open": {"开始受理申报", "opened applications"}, "award.programme.review": {"进入评审", "moved to review"},
	"award.programme.notice": {"发布公示", "published the notice"}, "award.programme.confirmed": {"认定名单", "confirmed the list"},
	"award.programme.closed": {"结束项目", "closed the programme"}, "award.history": {"登记历史获奖名单", "recorded past winners"},
	"award.apply": {"提交申报", "submitted an application"}, "award.check": {"形式审查", "made the formal check"},
	"award.withdraw": {"撤回申报", "withdrew an application"}, "award.assign": {"分配评审专家", "assigned a reviewer"},
	"award.score": {"提交评分", "submitted scores"}, "award.recuse": {"专家回避", "recused"},
	"award.rank": {"计算排名", "ranked the programme"}, "award.objection.file": {"提出异议", "filed an objection"},
	"award.objection.upheld": {"异议成立", "upheld an objection"}, "award.objection.dismissed": {"异议不成立", "dismissed an objection"},
	"award.notice.restart": {"公示期重新计算", "restarted the notice"}, "award.grant": {"核定奖补", "made a grant"},
	"award.grant.none":      {"按规则奖励为零，未核定奖补", "no grant: the money rule gives 0"},
	"award.payment.request": {"申请付款", "requested a payment"}, "award.payment.approved": {"审批付款", "approved a payment"},
	"award.payment.paid": {"登记支付", "recorded a payment as paid"}, "award.payment.reversed": {"冲正付款", "reversed a payment"},
	"award.payment.withdrawn": {"撤回付款", "withdrew a payment"}, "award.ledger.payment": {"台账记入支付", "ledger: payment"},
	"award.ledger.reversal": {"台账记入冲正", "ledger: reversal"},
	"award.policy.open":     {"设立政策资金", "opened the policy fund"}, "award.contract.open": {"登记兑付合同", "opened the contract"},
}

var objectWords = map[string]Text{
	"award_programme": {"项目", "programme"}, "award_application": {"申报", "application"}, "award_assignment": {"评审分配", "review assignment"},
	"award_objection": {"异议", "objection"}, "award_grant": {"奖补", "grant"}, "award_payment": {"付款", "payment"},
	"award_ledger": {"台账记录", "ledger entry"},
}

// fieldWords name the recorded fields shown in the trail, in this order;
// other fields (rules, digests, nested lists) stay in the details view.
var fieldOrder = []string{"state", "name_zh", "year", "kind", "quota", "budget_fen", "enterprise_id", "indicator", "rank", "total",
	"amount_fen", "basis", "voucher_no", "paid_on", "date", "reason", "finding", "note", "cause", "round", "ranked", "excluded",
	"notice_from", "notice_until", "notice_days", "notice_restarts", "application_id", "objection_id", "payment_id", "name", "summary", "files"}

var fieldWords = map[string]Text{
	"state": {"状态", "state"}, "name_zh": {"名称", "name"}, "year": {"年度", "year"}, "kind": {"类型", "kind"}, "quota": {"名额", "quota"},
	"budget_fen": {"预算", "budget"}, "enterprise_id": {"企业", "enterprise"}, "indicator": {"数据", "figure"}, "rank": {"名次", "rank"},
	"total": {"总分", "total"}, "amount_fen": {"金额", "amount"}, "basis": {"依据", "basis"}, "voucher_no": {"凭证号", "voucher"},
	"paid_on": {"付款日期", "paid on"}, "date": {"日期", "date"}, "reason": {"原因", "reason"}, "finding": {"核查结论", "finding"},
	"note": {"备注", "note"}, "cause": {"原因", "cause"}, "round": {"轮次", "round"}, "ranked": {"参与排名", "ranked"},
	"excluded": {"未纳入排名", "not ranked"}, "notice_from": {"公示开始", "notice from"}, "notice_until": {"公示截止", "notice until"},
	"notice_days": {"公示天数", "notice days"}, "notice_restarts": {"重新公示次数", "notice restarts"}, "objection_id": {"异议编号", "objection"},
	"application_id": {"申报编号", "application"},
	"payment_id":     {"付款编号", "payment"}, "name": {"姓名或单位", "name"}, "summary": {"申报说明", "summary"}, "files": {"附件", "files"},
}

// ActionWords names an audited action; an unknown one is its own name.
func ActionWords(action string) Text {
	if t, ok := actionWords[action]; ok {
		return t
	}
	return Text{action, action}
}

// TrailWords is the audit trail of a programme (Trail) in words.
func (s *Service) TrailWords(ctx context.Context, progID int64, limit int) ([]TrailLine, error) {
	rows, err := s.Trail(ctx, progID, limit)
	if err != nil {
		return nil, err
	}
	w, err := s.Words(ctx)
	if err != nil {
		return nil, err
	}
	type parsed struct{ before, after map[string]any }
	ps := make([]parsed, len(rows))
	var ids []int64
	for i, r := range rows {
		ps[i].before, ps[i].after = object(r.Before), object(r.After)
		for _, m := range []map[string]any{ps[i].before, ps[i].after} {
			if id, ok := m["enterprise_id"].(float64); ok && id > 0 {
				ids = append(ids, int64(id))
			}
		}
	}
	names, err := s.Registry.Briefs(ctx, nil, ids)
	if err != nil {
		return nil, fmt.Errorf("award: trail names: %w", err)
	}
	out := make([]TrailLine, len(rows))
	for i, r := range rows {
		obj := objectWords[r.ObjectType]
		if obj.ZH == "" {
			obj = Text{r.ObjectType, r.ObjectType}
		}
		obj.ZH += " #" + r.ObjectID
		obj.EN += " #" + r.ObjectID
		out[i] = TrailLine{At: r.At, Actor: r.Actor, What: ActionWords(r.Action), Object: obj, Action: r.Action, Before: r.Before, After: r.After}
		if out[i].Actor == "" {
			out[i].Actor = "—"
		}
		out[i].Changes = changes(w, names, ps[i].before, ps[i].after)
	}
	return out, nil
}

func object(js string) map[string]any {
	var m map[string]any
	if js == "" || json.Unmarshal([]byte(js), &m) != nil {
		return nil
	}
	return m
}

func changes(w Words, names map[int64]enterprise.Brief, before, after map[string]any) []Change {
	var out []Change
	for _, k := range fieldOrder {
		b, hasB := before[k]
		a, hasA := after[k]
		if !hasB && !hasA {
			continue
		}
		c := Change{Field: fieldWords[k]}
		if hasB {
			c.Before = value(w, names, k, b)
		}
		if hasA {
			c.After = value(w, names, k, a)
		}
		if c.Before.ZH == "" && c.After.ZH == "" {
			continue
		}
		out = append(out, c)
	}
	return out
}

// value renders one recorded value in words: states by label, money in
// 元, instants in China time, enterprises and figures by name.
func value(w Words, names map[int64]enterprise.Brief, key string, v any) Text {
	switch x := v.(type) {
	case nil:
		return Text{}
	case string:
		switch key {
		case "state":
			if _, ok := programmeStates[x]; ok {
				zh, en := StateLabel(x)
				return Text{zh, en}
			}
			zh, en := Label(x)
			return Text{zh, en}
		case "kind":
			if x == KindRanking {
				return Text{"排名荣誉", "ranking honour"}
			} else if x == KindPrize {
				return Text{"达标奖励", "prize"}
			} else if x == KindPolicy {
				return Text{"政策兑现", "policy fund"}
			}
		case "indicator":
			return w.IndicatorText(x)
		case "cause", "reason":
			// Recorded by the module as "中文 / English".
			if zh, en, ok := strings.Cut(x, " / "); ok {
				return Text{zh, en}
			}
		}
		return Text{x, x}
	case float64:
		n := int64(x)
		switch key {
		case "amount_fen", "budget_fen":
			f := enterprise.FormatFen(n)
			return Text{f, f}
		case "notice_from", "notice_until":
			if n == 0 {
				return Text{} // no notice period (yet)
			}
			t := time.UnixMilli(n).In(db.CST).Format("2006-01-02 15:04")
			return Text{t, t}
		case "enterprise_id":
			if n == 0 {
				return Text{"整个名单", "the whole list"}
			}
			if b, ok := names[n]; ok {
				return Text{b.Name, b.Name}
			}
		}
		v := strconv.FormatInt(n, 10)
		return Text{v, v}
	case bool:
		if x {
			return Text{"是", "yes"}
		}
		return Text{"否", "no"}
	case []any:
		if key == "files" {
			return Text{fmt.Sprintf("%d 个", len(x)), fmt.Sprintf("%d", len(x))}
		}
	}
	return Text{}
}
