package finance

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/errs"
	"gaoxin/internal/money"
)

// problems gathers the details of bad input.
type problems []errs.Detail

func (p *problems) add(field, value, zh, en string) {
	*p = append(*p, errs.Detail{Field: field, Value: value, Reason: zh, ReasonEN: en})
}

// amount checks a money field: not negative (above 0 when positive is
// set) and at most max.
func (p *problems) amount(field string, fen, max int64, positive bool, zh string) {
	v := strconv.FormatInt(fen, 10)
	switch {
	case fen < 0 || (positive && fen == 0):
		if positive {
			p.add(field, v, zh+"应大于 0", field+" must be above 0")
		} else {
			p.add(field, v, zh+"不能为负数", field+" cannot be negative")
		}
	case !money.Credible(fen):
		mz, me := money.Reason()
		p.add(field, v, zh+mz, field+": "+me)
	case max > 0 && fen > max:
		p.add(field, v, zh+"不能超过 1,000 亿元", field+" cannot exceed 100 billion yuan")
	}
}

func (p *problems) text(field, v string, need bool, max int, zh, en string) {
	switch {
	case need && v == "":
		p.add(field, v, "请填写"+zh, en+" is required")
	case utf8.RuneCountInString(v) > max:
		p.add(field, "", fmt.Sprintf("%s不超过 %d 字", zh, max), fmt.Sprintf("%s: at most %d characters", en, max))
	}
}

// codes checks a list of codes against ls, dropping repeats.
func (p *problems) codes(field string, in []string, ls []Label, need bool, zh, en string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range in {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		if !known(ls, c) {
			p.add(field, c, zh+"无效："+c, "unknown "+en+": "+c)
			continue
		}
		out = append(out, c)
	}
	if need && len(out) == 0 && len(in) == 0 {
		p.add(field, "", "请至少选择一个"+zh, "choose at least one "+en)
	}
	return out
}

func (p problems) err(zh, en string) error {
	if len(p) == 0 {
		return nil
	}
	return errs.List(zh, en, p)
}
