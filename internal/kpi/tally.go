package kpi

// Bucket is one line of a dashboard's summary: how many indicators stand
// at one status and colour. The summary and the cards speak one
// vocabulary: a card's status word and colour are its bucket's.
type Bucket struct {
	Status Status `json:"status"`
	ZH     string `json:"label_zh"`
	EN     string `json:"label_en"`
	Color  string `json:"color"`
	Count  int    `json:"count"`
}

// tallyOrder is the order of the summary: best first, then what cannot be
// assessed.
var tallyOrder = []Status{Ahead, Met, OnPace, Close, Behind, AtRisk, NA, NoData}

// Tally counts cards by status and colour, in tallyOrder, leaving out what
// no card has. A growth target behind (red: its worst step) and an
// absolute target behind (yellow: at risk comes after) share the word but
// not the colour, so they are two buckets, each agreeing with its cards.
func Tally(cards []Card) []Bucket {
	type key struct {
		st    Status
		color string
	}
	by := map[key]*Bucket{}
	var keys []key
	for _, c := range cards {
		k := key{c.Assessment.Status, Color(c.Indicator.Kind, c.Assessment.Status)}
		b := by[k]
		if b == nil {
			zh, en := k.st.Label()
			b = &Bucket{Status: k.st, ZH: zh, EN: en, Color: k.color}
			by[k] = b
			keys = append(keys, k)
		}
		b.Count++
	}
	pos := func(st Status) int {
		for i, s := range tallyOrder {
			if s == st {
				return i
			}
		}
		return len(tallyOrder)
	}
	out := make([]Bucket, 0, len(keys))
	for i := range len(tallyOrder) + 1 {
		for _, color := range []string{"green", "blue", "yellow", "red", "gray"} {
			for _, k := range keys {
				if pos(k.st) == i && k.color == color {
					out = append(out, *by[k])
				}
			}
		}
	}
	return out
}
