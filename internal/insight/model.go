package insight

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gaoxin/internal/enterprise"
)

// The rollups' dimensions, in the fixed order that names a crossed pair
// ("chain|area", never "area|chain").
const (
	DimChain    = "chain"    // industry chain node, with its ancestors
	DimArea     = "area"     // office area (办事处) unit
	DimSection  = "section"  // 国民经济行业分类 门类 (A–T)
	DimDivision = "division" // 国民经济行业分类 大类 (01–97)
	DimSize     = "size"     // size band (大型, 中型, 小型, 微型)
	DimCohort   = "cohort"   // year of registration
	DimTier     = "tier"     // tier held (高新, 瞪羚…)
)

// Dims lists the dimensions in order.
var Dims = []string{DimChain, DimArea, DimSection, DimDivision, DimSize, DimCohort, DimTier}

// None is the key of "not known" or "none" in a dimension (no chain, no
// area, no tier, no figures to size by).
const None = "-"

func dimIndex(d string) int { return slices.Index(Dims, d) }

// PairName names the cells of dimensions a and b crossed (a alone when b
// is ""), in the fixed order; false when a name is unknown or both are the
// same.
func PairName(a, b string) (string, bool) {
	i, j := dimIndex(a), dimIndex(b)
	if i < 0 || (b != "" && j < 0) || a == b {
		return "", false
	}
	if b == "" {
		return a, true
	}
	if j < i {
		a, b = b, a
	}
	return a + "|" + b, true
}

// Size bands by the 2017 rules of the National Bureau of Statistics for
// industry (统计上大中小微型企业划分办法): a band needs both its employees and
// its revenue; an enterprise short of either falls to the next band.
const (
	SizeLarge  = "large"
	SizeMedium = "medium"
	SizeSmall  = "small"
	SizeMicro  = "micro"
)

// SizeOf bands an enterprise by employees and revenue (fen); ok is false
// when either is missing.
func SizeOf(employees, revenueFen int64, ok bool) string {
	if !ok {
		return None
	}
	const wan = 10000 * 100 // 万元 in fen
	switch {
	case employees >= 1000 && revenueFen >= 40000*wan:
		return SizeLarge
	case employees >= 300 && revenueFen >= 2000*wan:
		return SizeMedium
	case employees >= 20 && revenueFen >= 300*wan:
		return SizeSmall
	}
	return SizeMicro
}

// facts is one enterprise's contribution to one year: its dimensions and
// its figures. Its vector is added to every cell its dimensions name.
type facts struct {
	Chains  []string // chain node ids, with ancestors, sorted; none: [None]
	Direct  []int64  // the nodes it is assigned to (for the leaders)
	Area    string
	Section string
	Div     string
	Size    string
	Cohort  string
	Tiers   []string // sorted; none: [None]
	Values  map[string]int64
}

// catalog is what contributions need to know of the registry's
// classifications.
type catalog struct {
	parent  map[int64]int64   // chain node → parent (0 for a root)
	section map[string]string // 大类 → 门类
}

func newCatalog(tree []enterprise.ChainNode, codes []enterprise.IndustryCode) catalog {
	c := catalog{parent: map[int64]int64{}, section: map[string]string{}}
	for _, n := range tree {
		c.parent[n.ID] = n.ParentID
	}
	for _, ic := range codes {
		if ic.Level == "division" {
			c.section[ic.Code] = ic.Parent
		}
	}
	return c
}

// contribution computes what f gives year (0: the registry now, on day
// today); ok is false when it gives nothing: in year 0 an enterprise that
// is not operating, in a year an enterprise without a figure for it.
func (c catalog) contribution(f enterprise.Fact, year int, today string) (facts, bool) {
	var vals map[string]int64
	sizeYear := year
	if year == 0 {
		if f.Status != enterprise.Operating {
			return facts{}, false
		}
		// The size band now is the latest year's.
		for y := range f.Years {
			sizeYear = max(sizeYear, y)
		}
	} else {
		vals = f.Years[year]
		if len(vals) == 0 {
			return facts{}, false
		}
	}
	out := facts{Area: None, Section: None, Div: None, Cohort: None, Values: vals}
	seen := map[int64]bool{}
	for _, n := range f.Chains {
		out.Direct = append(out.Direct, n)
		for at := n; at != 0 && !seen[at]; at = c.parent[at] {
			seen[at] = true
			out.Chains = append(out.Chains, strconv.FormatInt(at, 10))
		}
	}
	slices.Sort(out.Direct)
	out.Direct = slices.Compact(out.Direct)
	sortKeys(&out.Chains)
	if f.AreaUnitID != 0 {
		out.Area = strconv.FormatInt(f.AreaUnitID, 10)
	}
	if len(f.IndustryCode) >= 2 {
		d := f.IndustryCode[:2]
		if sec, ok := c.section[d]; ok {
			out.Div, out.Section = d, sec
		}
	}
	if len(f.RegisteredOn) >= 4 {
		out.Cohort = f.RegisteredOn[:4]
	}
	sv := f.Years[sizeYear]
	emp, okE := sv["employees"]
	rev, okR := sv["revenue"]
	out.Size = SizeOf(emp, rev, okE && okR)
	on := today
	if year != 0 {
		on = fmt.Sprintf("%04d-12-31", year)
	}
	for _, t := range f.Tiers {
		if t.HeldOn(on) && !slices.Contains(out.Tiers, t.Tier) {
			out.Tiers = append(out.Tiers, t.Tier)
		}
	}
	sortKeys(&out.Tiers)
	return out, true
}

// sortKeys sorts a key list, and makes an empty one [None].
func sortKeys(l *[]string) {
	if len(*l) == 0 {
		*l = []string{None}
		return
	}
	sort.Strings(*l)
}

// values lists the keys f has in dimension d.
func (f *facts) values(d int) []string {
	switch d {
	case 0:
		return f.Chains
	case 1:
		return []string{f.Area}
	case 2:
		return []string{f.Section}
	case 3:
		return []string{f.Div}
	case 4:
		return []string{f.Size}
	case 5:
		return []string{f.Cohort}
	}
	return f.Tiers
}

// cellID names a cell within a year.
type cellID struct {
	Dims, Key string
}

// encode writes f as the dims and vals of a year of insight_contributions.
func (f *facts) encode() (dims, vals string) {
	line := f.appendTo(nil)
	i := bytes.IndexByte(line, '\t')
	return string(line[:i]), string(line[i+1:])
}

// appendTo appends f to dst as encode spells it, dims and vals joined by a
// tab: the contributions' rows hold a line of it per year, a million lines
// a rebuild at a hundred thousand enterprises, so it is written in place.
func (f *facts) appendTo(dst []byte) []byte {
	join := func(dst []byte, parts []string) []byte {
		for i, p := range parts {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, p...)
		}
		return dst
	}
	dst = join(dst, f.Chains)
	dst = append(dst, ';')
	for i, d := range f.Direct {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(dst, d, 10)
	}
	for _, part := range [...]string{f.Area, f.Section, f.Div, f.Size, f.Cohort} {
		dst = append(dst, ';')
		dst = append(dst, part...)
	}
	dst = append(dst, ';')
	dst = join(dst, f.Tiers)
	dst = append(dst, '\t')
	var room [16]string
	codes := room[:0]
	for k := range f.Values {
		codes = append(codes, k)
	}
	slices.Sort(codes)
	for i, k := range codes {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, k...)
		dst = append(dst, '=')
		dst = strconv.AppendInt(dst, f.Values[k], 10)
	}
	return dst
}

// decode reads facts back from their columns.
func decode(dims, vals string) (facts, error) {
	p := strings.Split(dims, ";")
	if len(p) != 8 {
		return facts{}, fmt.Errorf("insight: bad facts %q", dims)
	}
	f := facts{Chains: strings.Split(p[0], ","), Area: p[2], Section: p[3], Div: p[4], Size: p[5], Cohort: p[6], Tiers: strings.Split(p[7], ",")}
	if p[1] != "" {
		for _, s := range strings.Split(p[1], ",") {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return facts{}, fmt.Errorf("insight: bad facts %q", dims)
			}
			f.Direct = append(f.Direct, id)
		}
	}
	if vals != "" {
		f.Values = map[string]int64{}
		for _, kv := range strings.Split(vals, ",") {
			k, v, ok := strings.Cut(kv, "=")
			n, err := strconv.ParseInt(v, 10, 64)
			if !ok || err != nil {
				return facts{}, fmt.Errorf("insight: bad values %q", vals)
			}
			f.Values[k] = n
		}
	}
	return f, nil
}

// Sums are a cell's measures: enterprises, and per indicator the sum of
// their values and how many have one, per tier how many hold it.
type Sums struct {
	N     int64            `json:"n"`
	Sum   map[string]int64 `json:"s,omitempty"`
	Count map[string]int64 `json:"c,omitempty"`
	Tiers map[string]int64 `json:"t,omitempty"`
}

// merge adds d to s.
func (s *Sums) merge(d *Sums) {
	s.N += d.N
	for k, v := range d.Sum {
		if s.Sum == nil {
			s.Sum, s.Count = map[string]int64{}, map[string]int64{}
		}
		s.Sum[k] += v
		s.Count[k] += d.Count[k]
		if s.Count[k] == 0 && s.Sum[k] == 0 {
			delete(s.Sum, k)
			delete(s.Count, k)
		}
	}
	for k, v := range d.Tiers {
		if s.Tiers == nil {
			s.Tiers = map[string]int64{}
		}
		s.Tiers[k] += v
		if s.Tiers[k] == 0 {
			delete(s.Tiers, k)
		}
	}
}

func (s *Sums) body() (string, error) {
	b, err := json.Marshal(struct {
		Sum   map[string]int64 `json:"s,omitempty"`
		Count map[string]int64 `json:"c,omitempty"`
		Tiers map[string]int64 `json:"t,omitempty"`
	}{s.Sum, s.Count, s.Tiers})
	return string(b), err
}

func parseSums(n int64, body string) (Sums, error) {
	s := Sums{N: n}
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		return s, fmt.Errorf("insight: cell body: %w", err)
	}
	s.N = n
	return s, nil
}

// layout numbers the measures of one apply or rebuild, so that a
// contribution is a vector of integers and adding one to a cell is a loop
// rather than a map per measure: place 0 counts enterprises; each
// indicator has a place for its sum and one for how many have a value;
// each tier a place for its holders. Places are given as codes are met.
type layout struct {
	idx   map[string]int
	names []string          // "n", "s:revenue", "c:revenue", "t:hnte"
	ind   map[string][2]int // indicator → its sum's and count's places
	tier  map[string]int    // tier → its holders' place
}

func newLayout() *layout {
	return &layout{idx: map[string]int{"n": 0}, names: []string{"n"}, ind: map[string][2]int{}, tier: map[string]int{}}
}

func (l *layout) at(name string) int {
	i, ok := l.idx[name]
	if !ok {
		i = len(l.names)
		l.idx[name] = i
		l.names = append(l.names, name)
	}
	return i
}

// vec is a contribution or a cell's sums in a layout's places.
type vec []int64

// appendVec puts f's vector, sign times (1 or −1), in dst (emptied)
// and returns it.
func (l *layout) appendVec(dst vec, f *facts, sign int64) vec {
	v := append(dst[:0], make(vec, len(l.names))...)
	put := func(i int, x int64) {
		for len(v) <= i {
			v = append(v, 0)
		}
		v[i] += x
	}
	put(0, sign)
	for k, x := range f.Values {
		at, ok := l.ind[k]
		if !ok {
			at = [2]int{l.at("s:" + k), l.at("c:" + k)}
			l.ind[k] = at
		}
		put(at[0], sign*x)
		put(at[1], sign)
	}
	for _, t := range f.Tiers {
		if t == None {
			continue
		}
		at, ok := l.tier[t]
		if !ok {
			at = l.at("t:" + t)
			l.tier[t] = at
		}
		put(at, sign)
	}
	return v
}

// sums is v as a cell's Sums (measures at zero left out).
func (l *layout) sums(v vec) Sums {
	var s Sums
	for i, x := range v {
		name := l.names[i]
		switch {
		case i == 0:
			s.N = x
		case name[0] == 's' || name[0] == 'c':
			code := name[2:]
			if j := l.idx[string(name[0]^'s'^'c')+name[1:]]; x == 0 && (j >= len(v) || v[j] == 0) {
				continue // no sum and no count: nothing here
			}
			if s.Sum == nil {
				s.Sum, s.Count = map[string]int64{}, map[string]int64{}
			}
			if name[0] == 's' {
				s.Sum[code] = x
			} else {
				s.Count[code] = x
			}
		case x != 0:
			if s.Tiers == nil {
				s.Tiers = map[string]int64{}
			}
			s.Tiers[name[2:]] = x
		}
	}
	return s
}
