package enterprise

import (
	"bytes"
	"encoding/json"
	"gaoxin/internal/web"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"reflect"
	"testing"
	"unicode/utf8"

	"gaoxin/internal/enterprise"
)

// writeDetail answers byte for byte what writeJSON answers, for a
// detail with every field of every type set (a field added to Enterprise,
// Tier, Figure or ChainRef and not to appendDetail fails here), one
// with every optional field empty and nil slices, and strings with every
// kind of character encoding/json escapes.
func TestEntDetailJSONAsEncodingJSON(t *testing.T) {
	full := detail{
		Enterprise: enterprise.Enterprise{ID: 7, CreditCode: "914403001922038216", CodeException: "例外\"说明\"", Name: "甲 <科技> & 公司",
			FormerNames: []string{"旧名", "a\\b"}, LegalForm: "有限责任公司", RegisteredOn: "2001-03-05", CapitalFen: math.MaxInt64,
			AreaUnitID: 3, AreaCode: "sf", AreaName: "石佛办事处", Address: "路\n1号\t", IndustryCode: "3911", IndustryName: "计算机制造",
			Chains: []enterprise.ChainRef{{ID: 1, Code: "iot", NameZH: "物联网"}, {ID: 2, Code: "x", NameZH: "\u2028"}},
			Status: "operating", Synthetic: true, Version: 4, CreatedAt: -1, UpdatedAt: math.MinInt64},
		Tiers: []enterprise.Tier{{ID: 9, EnterpriseID: 7, Tier: "listed", Level: "national", CertNo: "GR<1>", ValidFrom: "2020-01-01",
			ValidTo: "2030-01-01", Board: "科创板", StockCode: "688001", Note: "note\x01", CreatedAt: 5, Current: true, Expiring: true, Name: "甲"}},
		Figures: []enterprise.Figure{{EnterpriseID: 7, Indicator: "revenue", Year: 2024, Month: 12, Source: "stats", Value: -5, Status: "confirmed",
			EnteredBy: 2, EnteredByName: "张三", EnteredAt: 1700000000000, Effective: true}},
	}
	for _, typ := range []any{enterprise.Enterprise{}, enterprise.Tier{}, enterprise.Figure{}, enterprise.ChainRef{}} {
		if n := reflect.TypeOf(typ).NumField(); n != map[string]int{"Enterprise": 21, "Tier": 14, "Figure": 11, "ChainRef": 3}[reflect.TypeOf(typ).Name()] {
			t.Errorf("%T has %d fields: set the new one in this test's full detail", typ, n)
		}
	}
	empty := detail{Enterprise: enterprise.Enterprise{ID: 1}, Tiers: []enterprise.Tier{{}}, Figures: []enterprise.Figure{{}, {}}}
	check := func(name string, d detail) {
		t.Helper()
		want, got := httptest.NewRecorder(), httptest.NewRecorder()
		web.WriteJSON(want, 200, d)
		writeDetail(got, d)
		if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) || got.Code != want.Code || !reflect.DeepEqual(got.Header(), want.Header()) {
			t.Errorf("%s:\n got %d %v %s\nwant %d %v %s", name, got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
		}
	}
	check("full", full)
	check("empty", empty)
	check("nil slices", detail{})
	// Strings: every ASCII byte, the line separators, invalid UTF-8, and
	// random mixes of them with Chinese.
	parts := []string{"\u2028", "\u2029", "\xff", "\xe4\xb8", "中", "é", "\U0001F600", "\x7f", "<>&", "\ufffd"}
	for c := range 0x80 {
		parts = append(parts, string(rune(c)))
	}
	r := rand.New(rand.NewPCG(3, 4))
	strs := append([]string{}, parts...)
	for range 3000 {
		var s string
		for range r.IntN(8) {
			s += parts[r.IntN(len(parts))]
		}
		strs = append(strs, s)
	}
	for _, s := range strs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got := string(appendJSONString(nil, s)) + "\n"; got != want.String() {
			t.Fatalf("appendJSONString(%q) = %s, want %s (valid UTF-8: %v)", s, got, want.String(), utf8.ValidString(s))
		}
	}
}
