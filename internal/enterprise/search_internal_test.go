package enterprise

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// syntheticNames is a name buffer like the index's: Chinese names with
// digits, each ended by a zero byte.
func syntheticNames(n int) string {
	words := []string{"郑州", "高新", "智能", "传感", "科技", "量子", "信息", "软件", "材料", "氢能", "光电", "生物", "医药", "装备", "数据", "网络"}
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for i := 0; i < n; i++ {
		for k := 0; k < 4; k++ {
			b.WriteString(words[r.IntN(len(words))])
		}
		fmt.Fprintf(&b, "%06d有限公司\x00", i)
	}
	return b.String()
}

func counts(s string) *[256]int {
	var f [256]int
	for i := 0; i < len(s); i++ {
		f[s[i]]++
	}
	return &f
}

// rareIndex finds what strings.Index finds, first occurrence included.
func TestRareIndex(t *testing.T) {
	hay := syntheticNames(2000)
	f := counts(hay)
	r := rand.New(rand.NewPCG(3, 4))
	queries := []string{"", "a", "传感", "量子科技", "000123", "有限公司\x00郑州", "恒信科技", "\x00", "司"}
	for i := 0; i < 300; i++ { // pieces of the buffer, at random byte offsets
		a := r.IntN(len(hay) - 20)
		queries = append(queries, hay[a:a+1+r.IntN(19)])
	}
	for _, q := range queries {
		for _, from := range []int{0, 1, len(hay) / 2, len(hay) - 3} {
			if got, want := rareIndex(hay[from:], q, f), strings.Index(hay[from:], q); got != want {
				t.Fatalf("%q from %d: %d, want %d", q, from, got, want)
			}
		}
	}
}

// BenchmarkNameScan: a name found nowhere, over 100,000 names.
func BenchmarkNameScan(b *testing.B) {
	hay := syntheticNames(100000)
	f := counts(hay)
	for _, q := range []string{"恒信科技", "000123"} {
		b.Run("strings.Index/"+q, func(b *testing.B) {
			for b.Loop() {
				strings.Index(hay, q)
			}
		})
		b.Run("rareIndex/"+q, func(b *testing.B) {
			for b.Loop() {
				rareIndex(hay, q, f)
			}
		})
	}
}
