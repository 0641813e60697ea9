package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gaoxin/internal/audit"
	"gaoxin/internal/errs"
)

// Indicator is one entry of the configurable figure list (营业收入, 从业人员…).
// Values are integers in units of 10^-Scale of Unit: money is 元 with scale
// 2 (fen), 亩 with scale 2, people with scale 0.
type Indicator struct {
	Code        string `json:"code"`
	NameZH      string `json:"name_zh"`
	NameEN      string `json:"name_en"`
	Unit        string `json:"unit"`
	Scale       int    `json:"scale"`
	Sort        int    `json:"sort"`
	Nonnegative bool   `json:"nonnegative"`
}

// Money reports whether the indicator is an amount of money (stored in fen).
func (i Indicator) Money() bool { return i.Unit == "元" && i.Scale == 2 }

// Format renders a stored value with its unit: money as 元/万元/亿元, others
// with their scale's decimals.
func (i Indicator) Format(v int64) string {
	if i.Money() {
		return FormatFen(v)
	}
	return FormatScaled(v, i.Scale) + " " + i.Unit
}

// FormatScaled prints v × 10^-scale exactly, without trailing zeros. It
// works on the magnitude as uint64, so every int64 (math.MinInt64 too)
// prints right.
func FormatScaled(v int64, scale int) string {
	mag, neg := magnitude(v)
	if scale <= 0 {
		return strconv.FormatInt(v, 10)
	}
	p := uint64(1)
	for i := 0; i < scale; i++ {
		p *= 10
	}
	b := make([]byte, 0, 24)
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, mag/p, 10)
	if frac := mag % p; frac != 0 {
		b = append(b, '.')
		for q := p / 10; q > frac; q /= 10 { // the fraction's leading zeros
			b = append(b, '0')
		}
		b = strconv.AppendUint(b, frac, 10)
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
	}
	return string(b)
}

// magnitude is |v| as uint64 (exact for math.MinInt64) and v's sign.
func magnitude(v int64) (uint64, bool) {
	if v < 0 {
		return uint64(-(v + 1)) + 1, true
	}
	return uint64(v), false
}

// FormatFen renders fen as 元, 万元 or 亿元 with two decimals, exactly
// (rounded half away from zero), for every int64: the whole units and the
// remainder are rounded apart, so nothing is multiplied past int64.
func FormatFen(fen int64) string {
	mag, neg := magnitude(fen)
	unit, div := "元", uint64(100)
	switch {
	case mag >= 100_000_000*100:
		unit, div = "亿元", 100_000_000*100
	case mag >= 10_000*100:
		unit, div = "万元", 10_000*100
	}
	h := mag/div*100 + (mag%div*100+div/2)/div
	b := make([]byte, 0, 24)
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, h/100, 10)
	b = append(b, '.', byte('0'+h%100/10), byte('0'+h%10), ' ')
	return string(append(b, unit...))
}

// indicators reads the figure list in display order.
func (s *Service) indicators(ctx context.Context) ([]Indicator, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT code, name_zh, name_en, unit, scale, sort, nonnegative
		FROM figure_indicators ORDER BY sort, code LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("enterprise: indicators: %w", err)
	}
	defer rows.Close()
	var out []Indicator
	for rows.Next() {
		var i Indicator
		if err := rows.Scan(&i.Code, &i.NameZH, &i.NameEN, &i.Unit, &i.Scale, &i.Sort, &i.Nonnegative); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

var indicatorCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// SaveIndicator adds an indicator or changes its names, unit label, order
// and sign rule (the scale of an existing indicator never changes, since
// stored values depend on it). Errors: Forbidden, Invalid.
func (s *Service) SaveIndicator(ctx context.Context, v Viewer, in Indicator) (Indicator, error) {
	if !v.Writes() {
		return in, errNoWrite
	}
	in.Code, in.NameZH, in.Unit = strings.TrimSpace(in.Code), strings.TrimSpace(in.NameZH), strings.TrimSpace(in.Unit)
	switch {
	case !indicatorCodeRe.MatchString(in.Code):
		return in, errs.Field("code", "指标代码须为 2–40 位小写字母、数字或 _", "indicator code must be 2–40 lower-case letters, digits or _")
	case in.NameZH == "":
		return in, errs.Field("name_zh", "请填写指标名称", "indicator name is required")
	case in.Unit == "":
		return in, errs.Field("unit", "请填写计量单位", "unit is required")
	case in.Scale < 0 || in.Scale > 4:
		return in, errs.Field("scale", "小数位须在 0–4 之间", "scale must be 0–4")
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var before Indicator
		err := tx.QueryRowContext(ctx, `SELECT code, name_zh, name_en, unit, scale, sort, nonnegative FROM figure_indicators WHERE code = $1`, in.Code).
			Scan(&before.Code, &before.NameZH, &before.NameEN, &before.Unit, &before.Scale, &before.Sort, &before.Nonnegative)
		switch {
		case err == sql.ErrNoRows:
			if _, err := tx.ExecContext(ctx, `INSERT INTO figure_indicators (code, name_zh, name_en, unit, scale, sort, nonnegative)
				VALUES ($1,$2,$3,$4,$5,$6,$7)`, in.Code, in.NameZH, in.NameEN, in.Unit, in.Scale, in.Sort, in.Nonnegative); err != nil {
				return fmt.Errorf("enterprise: add indicator: %w", err)
			}
			return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.indicator.create", ObjectType: "figure_indicator", ObjectID: in.Code, After: in})
		case err != nil:
			return err
		}
		in.Scale = before.Scale
		if _, err := tx.ExecContext(ctx, `UPDATE figure_indicators SET name_zh = $1, name_en = $2, unit = $3, sort = $4, nonnegative = $5 WHERE code = $6`,
			in.NameZH, in.NameEN, in.Unit, in.Sort, in.Nonnegative, in.Code); err != nil {
			return fmt.Errorf("enterprise: update indicator: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.indicator.update", ObjectType: "figure_indicator", ObjectID: in.Code, Before: before, After: in})
	})
	return in, err
}

// ChainNode is a node of the zone's industry-chain tree (产业链).
type ChainNode struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	NameZH   string `json:"name_zh"`
	NameEN   string `json:"name_en"`
	ParentID int64  `json:"parent_id,omitempty"`
	Sort     int    `json:"sort"`
	Depth    int    `json:"depth"` // 0 for a root, filled by ChainTree
}

// chainTree reads every node, depth first in sort order.
func (s *Service) chainTree(ctx context.Context) ([]ChainNode, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT id, code, name_zh, name_en, COALESCE(parent_id, 0), sort
		FROM chain_nodes ORDER BY sort, id LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("enterprise: chain tree: %w", err)
	}
	defer rows.Close()
	kids := map[int64][]ChainNode{}
	for rows.Next() {
		var n ChainNode
		if err := rows.Scan(&n.ID, &n.Code, &n.NameZH, &n.NameEN, &n.ParentID, &n.Sort); err != nil {
			return nil, err
		}
		kids[n.ParentID] = append(kids[n.ParentID], n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []ChainNode
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, n := range kids[parent] {
			n.Depth = depth
			out = append(out, n)
			walk(n.ID, depth+1)
		}
	}
	walk(0, 0)
	return out, nil
}

// subtree returns the id of node and of every node below it.
func subtree(tree []ChainNode, id int64) []int64 {
	out := []int64{id}
	for changed := true; changed; {
		changed = false
		for _, n := range tree {
			if n.ParentID != 0 && contains(out, n.ParentID) && !contains(out, n.ID) {
				out = append(out, n.ID)
				changed = true
			}
		}
	}
	return out
}

func contains(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// AddChainNode adds a node under parentCode ("" for a root). Errors:
// Forbidden, Invalid, Conflict (code taken).
func (s *Service) AddChainNode(ctx context.Context, v Viewer, n ChainNode, parentCode string) (ChainNode, error) {
	if !v.Writes() {
		return n, errNoWrite
	}
	n.Code, n.NameZH = strings.TrimSpace(n.Code), strings.TrimSpace(n.NameZH)
	if !indicatorCodeRe.MatchString(n.Code) {
		return n, errs.Field("code", "节点代码须为 2–40 位小写字母、数字或 _", "node code must be 2–40 lower-case letters, digits or _")
	}
	if n.NameZH == "" {
		return n, errs.Field("name_zh", "请填写节点名称", "node name is required")
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var parent any
		if parentCode != "" {
			if err := tx.QueryRowContext(ctx, "SELECT id FROM chain_nodes WHERE code = $1", parentCode).Scan(&n.ParentID); err == sql.ErrNoRows {
				return errs.Field("parent", "上级节点不存在："+parentCode, "parent node not found: "+parentCode)
			} else if err != nil {
				return err
			}
			parent = n.ParentID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO chain_nodes (code, name_zh, name_en, parent_id, sort) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
			n.Code, n.NameZH, n.NameEN, parent, n.Sort).Scan(&n.ID)
		if isUnique(err) {
			return errs.New(errs.Conflict, "节点代码已存在："+n.Code, "node code already exists: "+n.Code)
		}
		if err != nil {
			return fmt.Errorf("enterprise: add chain node: %w", err)
		}
		return s.Audit.RecordTx(ctx, tx, audit.Entry{Action: "enterprise.chain.create", ObjectType: "chain_node", ObjectID: strconv.FormatInt(n.ID, 10), After: n})
	})
	return n, err
}

// IndustryCode is a GB/T 4754-2017 entry.
type IndustryCode struct {
	Code   string `json:"code"`
	Level  string `json:"level"` // section 门类, division 大类, group 中类, class 小类
	NameZH string `json:"name_zh"`
	Parent string `json:"parent_code,omitempty"`
}

// IndustryCodes returns the whole classification (门类, 大类, 中类 and 小类)
// in code order.
func (s *Service) IndustryCodes(ctx context.Context) ([]IndustryCode, error) {
	rows, err := s.DB.Read(ctx).QueryContext(ctx, `SELECT code, level, name_zh, parent_code FROM industry_codes ORDER BY code LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("enterprise: industry codes: %w", err)
	}
	defer rows.Close()
	var out []IndustryCode
	for rows.Next() {
		var c IndustryCode
		if err := rows.Scan(&c.Code, &c.Level, &c.NameZH, &c.Parent); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// NormalizeIndustry turns a written industry code into its stored form:
// full-width digits become half-width, a leading 门类 letter before digits is
// dropped ("C3911" → "3911"), a lone letter is upper-cased.
func NormalizeIndustry(s string) string {
	s = strings.ToUpper(halfWidth(strings.TrimSpace(s)))
	if len(s) >= 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= '0' && s[1] <= '9' {
		s = s[1:]
	}
	return s
}

// industrySet is the classification, code → name, for validation.
type industrySet map[string]string

func (s *Service) industrySet(ctx context.Context) (industrySet, error) {
	cs, err := s.IndustryCodes(ctx)
	if err != nil {
		return nil, err
	}
	m := industrySet{}
	for _, c := range cs {
		m[c.Code] = c.NameZH
	}
	return m, nil
}

// levelName is a code's level as the standard names it.
func levelName(code string) (zh, en string) {
	switch len(code) {
	case 1:
		return "门类", "section"
	case 2:
		return "大类", "division"
	case 3:
		return "中类", "group"
	}
	return "小类", "class"
}

// check validates a normalised code exactly: it must be an entry of the
// classification (a 门类 letter, or a 2-, 3- or 4-digit 大类, 中类 or 小类),
// not merely start with one. It returns the code's own name. A code that
// is a real code's extension but no entry ("3918" under 391) is refused
// with the nearest real level named, so the user sees where it went wrong.
func (m industrySet) check(code string) (string, *errs.Detail) {
	if code == "" {
		return "", nil
	}
	if name, ok := m[code]; ok {
		return name, nil
	}
	bad := &errs.Detail{Value: code, Reason: "行业代码不符合 GB/T 4754-2017：" + code, ReasonEN: "not a GB/T 4754-2017 industry code: " + code}
	digits := len(code) >= 2 && len(code) <= 4
	for _, r := range code {
		digits = digits && r >= '0' && r <= '9'
	}
	if !digits {
		return "", bad
	}
	for n := len(code) - 1; n >= 2; n-- {
		if name, ok := m[code[:n]]; ok {
			zh, en := levelName(code)
			pzh, pen := levelName(code[:n])
			bad.Reason = fmt.Sprintf("行业代码 %s 不是 GB/T 4754-2017 的%s（%s %s %s下没有这个代码）", code, zh, pzh, code[:n], name)
			bad.ReasonEN = fmt.Sprintf("%s is not a GB/T 4754-2017 %s (no such code under %s %s)", code, en, pen, code[:n])
			return "", bad
		}
	}
	return "", bad
}
