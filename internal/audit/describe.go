package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gaoxin/internal/db"
)

// Kind says how a field's value reads.
type Kind int

// Field kinds.
const (
	Text    Kind = iota // as recorded
	Fen                 // integer fen, shown in 元 with thousands separators
	Millis              // Unix milliseconds, shown in China time
	Percent             // a number shown with %
	Number              // a number with thousands separators
	Bool                // 是 / 否
	Hidden              // never shown (internal keys)
)

// Field is how one key of a row's before/after JSON reads: its name, its
// kind and, for codes, the words for each value.
type Field struct {
	ZH, EN string
	Kind   Kind
	Values map[string]Words // code → words (statuses, tiers…)
}

// Words is a Chinese text with its English beside it.
type Words struct{ ZH, EN string }

// Labels is what a module tells the audit trail about its actions: the
// verb of each action (or of an action's last part), the noun of each
// object type and the fields of its before/after JSON.
type Labels struct {
	Module  Words            // what the prefix's actions are about ("督查督办" / "supervision"), for filters
	Actions map[string]Words // full action ("plan.report.accept") → verb ("验收了" / "accepted")
	Objects map[string]Words // object type → noun ("任务" / "task")
	Fields  map[string]Field // JSON key → field
}

// vocabulary holds the labels modules registered, keyed by action prefix.
type vocabulary struct {
	mu     sync.RWMutex
	byPref map[string]Labels
}

func newVocabulary() *vocabulary {
	v := &vocabulary{byPref: map[string]Labels{}}
	v.byPref[""] = baseLabels
	for p, w := range map[string]Words{"auth": {"登录与退出", "sign-in"}, "user": {"用户", "users"},
		"unit": {"单位", "units"}, "token": {"API 令牌", "API tokens"}, "crypto": {"密码模式", "cryptography"}} {
		v.byPref[p] = Labels{Module: w}
	}
	return v
}

// Describe registers the labels of the actions starting with prefix (a
// whole dotted part: "plan" covers "plan.task.update"). A module calls it
// once, when its service is built; a later call for the same prefix
// replaces the labels.
func (l *Log) Describe(prefix string, lb Labels) {
	if l == nil { // a service built without a trail (some tests)
		return
	}
	l.vocab.mu.Lock()
	defer l.vocab.mu.Unlock()
	l.vocab.byPref[strings.TrimSuffix(prefix, ".")] = lb
}

// Choice is one option of a filter: a code and its words.
type Choice struct {
	Code  string
	Words Words
}

// Modules lists the registered action prefixes with their words, for the
// trail's action filter, in the order of their codes.
func (l *Log) Modules() []Choice {
	l.vocab.mu.RLock()
	defer l.vocab.mu.RUnlock()
	var out []Choice
	for p, lb := range l.vocab.byPref {
		if p != "" && lb.Module.ZH != "" {
			out = append(out, Choice{Code: p, Words: lb.Module})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// ObjectTypes lists every object type some labels name, for the trail's
// object filter, in the order of their codes.
func (l *Log) ObjectTypes() []Choice {
	l.vocab.mu.RLock()
	defer l.vocab.mu.RUnlock()
	seen := map[string]Words{}
	for _, lb := range l.vocab.byPref {
		for t, w := range lb.Objects {
			if _, ok := seen[t]; !ok {
				seen[t] = w
			}
		}
	}
	out := make([]Choice, 0, len(seen))
	for t, w := range seen {
		out = append(out, Choice{Code: t, Words: w})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// chain returns the labels that apply to action, the most specific prefix
// first and the shared base labels last.
func (v *vocabulary) chain(action string) []Labels {
	v.mu.RLock()
	defer v.mu.RUnlock()
	var out []Labels
	for p := action; ; {
		if lb, ok := v.byPref[p]; ok && p != "" {
			out = append(out, lb)
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return append(out, v.byPref[""])
}

// baseLabels are the verbs, nouns and fields shared by every module.
var baseLabels = Labels{
	Actions: map[string]Words{
		"create": {"新建了", "created"}, "add": {"添加了", "added"}, "update": {"修改了", "updated"},
		"edit": {"修改了", "edited"}, "delete": {"删除了", "deleted"}, "remove": {"移除了", "removed"},
		"disable": {"停用了", "disabled"}, "enable": {"启用了", "enabled"}, "import": {"导入了", "imported"},
		"submit": {"提交了", "submitted"}, "accept": {"通过了", "accepted"}, "return": {"退回了", "returned"},
		"approve": {"批准了", "approved"}, "reject": {"驳回了", "rejected"}, "open": {"开放了", "opened"},
		"close": {"关闭了", "closed"}, "publish": {"发布了", "published"}, "confirm": {"确认了", "confirmed"},
		"revoke": {"撤销了", "revoked"}, "withdraw": {"撤回了", "withdrew"}, "assign": {"分派了", "assigned"},
		"score": {"评分了", "scored"}, "pay": {"支付了", "paid"}, "reverse": {"冲正了", "reversed"},
		"password":   {"修改了密码：", "changed the password of"},
		"auth.login": {"登录了系统", "signed in"}, "auth.logout": {"退出了登录", "signed out"},
		"token.create": {"创建了", "created"}, "token.revoke": {"撤销了", "revoked"},
		"http.refused": {"被拒绝访问", "was refused"}, "user.unlock": {"解除了锁定：", "unlocked"},
		"set_disabled":  {"修改了停用状态：", "changed whether disabled:"},
		"audit.archive": {"归档了", "archived"}, "crypto.rotate": {"轮换了", "rotated"},
	},
	Objects: map[string]Words{
		"user": {"用户", "user"}, "unit": {"单位", "unit"}, "api_token": {"API 令牌", "API token"},
		"route": {"地址", "address"}, "audit_archive": {"审计归档文件", "audit archive file"},
		"crypto_key": {"敏感字段的 SM4 密钥", "SM4 key of the sealed fields"},
	},
	Fields: map[string]Field{
		"name": {ZH: "名称", EN: "name"}, "title": {ZH: "标题", EN: "title"}, "status": {ZH: "状态", EN: "status"},
		"username": {ZH: "用户名", EN: "username"}, "display_name": {ZH: "姓名", EN: "display name"},
		"role": {ZH: "角色", EN: "role", Values: map[string]Words{"admin": {"管理员", "admin"}, "leader": {"领导", "leader"},
			"supervisor": {"督查人员", "supervisor"}, "unit": {"单位人员", "unit staff"}, "enterprise": {"企业", "enterprise"},
			"reviewer": {"评审专家", "reviewer"}, "investor": {"投资机构", "investor"},
			"secadmin": {"安全管理员", "security administrator"}, "auditor": {"审计管理员", "audit administrator"}}},
		"disabled":             {ZH: "已停用", EN: "disabled", Kind: Bool},
		"reason":               {ZH: "原因", EN: "reason"},
		"note":                 {ZH: "备注", EN: "note"},
		"created_at":           {ZH: "创建时间", EN: "created", Kind: Millis},
		"updated_at":           {ZH: "修改时间", EN: "updated", Kind: Millis},
		"amount_fen":           {ZH: "金额", EN: "amount", Kind: Fen},
		"prefix":               {ZH: "令牌前缀", EN: "token prefix"},
		"user_id":              {ZH: "用户编号", EN: "user id"},
		"id":                   {Kind: Hidden},
		"code":                 {ZH: "代码", EN: "code"},
		"locked_until":         {ZH: "锁定至", EN: "locked until", Kind: Millis},
		"consecutive_failures": {ZH: "连续失败次数", EN: "consecutive failures", Kind: Number},
		"key_id":               {ZH: "密钥编号", EN: "key id"},
		"resealed":             {ZH: "重新加密的字段值", EN: "field values re-sealed", Kind: Number},
	},
}

// Change is one field whose value differs between before and after.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Description is a row told in words.
type Description struct {
	Sentence string   `json:"sentence"`
	Object   string   `json:"object"` // noun and name: 任务「…」
	Action   string   `json:"action"` // the verb in words
	Changes  []Change `json:"changes,omitempty"`
}

// Tell describes r in lang ("zh" or "en"), naming the actor by actor (a
// display name the caller looked up; r.Actor when empty).
func (l *Log) Tell(r Row, lang, actor string) Description {
	en := lang == "en"
	pick := func(w Words) string {
		if en && w.EN != "" {
			return w.EN
		}
		return w.ZH
	}
	if actor == "" {
		actor = r.Actor
	}
	if actor == "anonymous" {
		actor = pick(Words{"匿名访问者", "an anonymous caller"})
	}
	labels := l.vocab.chain(r.Action)
	var verb, noun string
	last := r.Action[strings.LastIndexByte(r.Action, '.')+1:]
	for _, key := range []string{r.Action, last} {
		for _, lb := range labels {
			if w, ok := lb.Actions[key]; ok && verb == "" {
				verb = pick(w)
			}
		}
	}
	if verb == "" {
		verb = pick(Words{"执行了 " + r.Action + "：", "did " + r.Action + " on"})
	}
	for _, lb := range labels {
		if w, ok := lb.Objects[r.ObjectType]; ok && noun == "" {
			noun = pick(w)
		}
	}
	if noun == "" {
		noun = r.ObjectType
	}
	before, after := flat(r.Before), flat(r.After)
	d := Description{Action: verb}
	// Signing in or out acts on the actor's own account: naming it again
	// ("张三 登录了系统 用户「#2」") says nothing. A failed sign-in keeps
	// the account it was tried on.
	self := strings.HasPrefix(r.Action, "auth.") && r.ObjectType == "user" && r.Outcome != Failed
	if (noun != "" || r.ObjectID != "") && !self {
		name := objectName(after, before)
		if name == "" && r.ObjectID != "" {
			name = "#" + r.ObjectID
		}
		if en {
			d.Object = strings.TrimSpace(noun + " “" + name + "”")
		} else {
			d.Object = noun + "「" + name + "」"
		}
	}
	d.Changes = l.changes(labels, before, after, en)
	switch {
	case len(d.Changes) == 1 && d.Changes[0].Before != "—" && d.Changes[0].After != "—" && d.Object != "":
		c := d.Changes[0]
		if en {
			d.Sentence = fmt.Sprintf("%s changed the %s of %s from %s to %s", actor, c.Field, d.Object, c.Before, c.After)
		} else {
			d.Sentence = fmt.Sprintf("%s 将 %s 的%s 从 %s 改为 %s", actor, d.Object, c.Field, c.Before, c.After)
		}
	default:
		d.Sentence = strings.TrimSpace(actor + " " + verb + " " + d.Object)
	}
	switch r.Outcome {
	case Refused:
		d.Sentence += pick(Words{"（被拒绝）", " (refused)"})
	case Failed:
		d.Sentence += pick(Words{"（未成功）", " (failed)"})
	}
	return d
}

// objectName takes a record's name from its after (or before) state.
func objectName(states ...map[string]any) string {
	for _, m := range states {
		for _, k := range []string{"name", "title", "name_zh", "display_name", "username"} {
			if s, ok := m[k].(string); ok && strings.TrimSpace(s) != "" {
				return s
			}
		}
	}
	return ""
}

// flat decodes a before/after JSON object; a value that is not an object
// is kept under the key "value".
func flat(s string) map[string]any {
	if s == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return map[string]any{"value": s}
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{"value": v}
}

// changes lists the fields whose values differ, in the order of their
// JSON keys, each named and formatted by the first labels that know the key.
func (l *Log) changes(labels []Labels, before, after map[string]any, en bool) []Change {
	keys := map[string]bool{}
	// An update records the whole record before and only what it set
	// after: a key missing from after was not part of the change.
	if len(after) == 0 {
		for k := range before {
			keys[k] = true
		}
	}
	for k := range after {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []Change
	for _, k := range sorted {
		b, inB := before[k]
		a, inA := after[k]
		if inB && inA && same(a, b) {
			continue
		}
		f, ok := Field{ZH: k, EN: k}, false
		for _, lb := range labels {
			if lf, has := lb.Fields[k]; has && !ok {
				f, ok = lf, true
			}
		}
		if f.Kind == Hidden {
			continue
		}
		name := f.ZH
		if en && f.EN != "" {
			name = f.EN
		}
		c := Change{Field: name, Before: "—", After: "—"}
		if inB {
			c.Before = f.format(b, en)
		}
		if inA {
			c.After = f.format(a, en)
		}
		if c.Before == c.After {
			continue
		}
		out = append(out, c)
	}
	return out
}

func same(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// format renders one value of the field.
func (f Field) format(v any, en bool) string {
	if v == nil {
		return "—"
	}
	num, isNum := v.(json.Number)
	if s, ok := v.(string); ok && (f.Kind == Fen || f.Kind == Number || f.Kind == Percent) {
		// Decimal values recorded as strings ("9969", "-4.2") read as numbers.
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			num, isNum = json.Number(s), true
		}
	}
	if list, ok := v.([]any); ok {
		parts := make([]string, 0, len(list))
		for _, x := range list {
			if _, nested := x.(map[string]any); nested {
				b, _ := json.Marshal(v)
				return string(b)
			}
			parts = append(parts, f.format(x, en))
		}
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, "、")
	}
	switch s := v.(type) {
	case string:
		if isNum {
			break
		}
		if w, ok := f.Values[s]; ok {
			if en && w.EN != "" {
				return w.EN
			}
			return w.ZH
		}
		if s == "" {
			return "—"
		}
		return s
	case bool:
		if en {
			return map[bool]string{true: "yes", false: "no"}[s]
		}
		return map[bool]string{true: "是", false: "否"}[s]
	}
	if isNum {
		if w, ok := f.Values[num.String()]; ok {
			if en && w.EN != "" {
				return w.EN
			}
			return w.ZH
		}
		switch f.Kind {
		case Fen:
			if n, err := num.Int64(); err == nil {
				return Yuan(n)
			}
		case Millis:
			if n, err := num.Int64(); err == nil {
				if n == 0 {
					return "—"
				}
				return time.UnixMilli(n).In(db.CST).Format("2006-01-02 15:04")
			}
		case Percent:
			return num.String() + "%"
		case Bool:
			if en {
				return map[bool]string{true: "yes", false: "no"}[num.String() != "0"]
			}
			return map[bool]string{true: "是", false: "否"}[num.String() != "0"]
		case Number:
			if n, err := num.Float64(); err == nil {
				return thousands(n)
			}
		}
		return num.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Yuan renders fen as 元 with thousands separators and two decimals.
func Yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	s := group(strconv.FormatInt(fen/100, 10)) + fmt.Sprintf(".%02d", fen%100) + " 元"
	if neg {
		return "-" + s
	}
	return s
}

func thousands(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		n := int64(x)
		if n < 0 {
			return "-" + group(strconv.FormatInt(-n, 10))
		}
		return group(strconv.FormatInt(n, 10))
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func group(digits string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
