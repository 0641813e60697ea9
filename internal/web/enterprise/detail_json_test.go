package enterprise

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http/httptest"
	"reflect"
	"testing"

	"gaoxin/internal/web"

	"gaoxin/internal/enterprise"
)

// The detail API answers one document: the enterprise's fields, then its
// tiers and figures, with the optional fields left out when empty. The
// documents below are what the API has always answered; a field added to
// Enterprise, Tier, Figure or ChainRef must be added here too.
func TestEntDetailJSONDocument(t *testing.T) {
	for _, typ := range []any{enterprise.Enterprise{}, enterprise.Tier{}, enterprise.Figure{}, enterprise.ChainRef{}} {
		if n := reflect.TypeOf(typ).NumField(); n != map[string]int{"Enterprise": 21, "Tier": 14, "Figure": 12, "ChainRef": 3}[reflect.TypeOf(typ).Name()] {
			t.Errorf("%T has %d fields: add the new one to this test's documents", typ, n)
		}
	}
	full := detail{
		Enterprise: enterprise.Enterprise{ID: 7, CreditCode: "914403001922038216", CodeException: "例外\"说明\"", Name: "甲 <科技> & 公司",
			FormerNames: []string{"旧名", "a\\b"}, LegalForm: "有限责任公司", RegisteredOn: "2001-03-05", CapitalFen: math.MaxInt64,
			AreaUnitID: 3, AreaCode: "sf", AreaName: "石佛办事处", Address: "路\n1号\t", IndustryCode: "3911", IndustryName: "计算机制造",
			Chains: []enterprise.ChainRef{{ID: 1, Code: "iot", NameZH: "物联网"}, {ID: 2, Code: "x", NameZH: "\u2028"}},
			Status: "operating", Synthetic: true, Version: 4, CreatedAt: -1, UpdatedAt: math.MinInt64},
		Tiers: []enterprise.Tier{{ID: 9, EnterpriseID: 7, Tier: "listed", Level: "national", CertNo: "GR<1>", ValidFrom: "2020-01-01",
			ValidTo: "2030-01-01", Board: "科创板", StockCode: "688001", Note: "note\x01", CreatedAt: 5, Current: true, Expiring: true, Name: "甲"}},
		Figures: []enterprise.Figure{{EnterpriseID: 7, Indicator: "revenue", Year: 2024, Month: 12, Source: "stats", Value: -5, Status: "confirmed",
			EnteredBy: 2, EnteredByName: "张三", EnteredAt: 1700000000000, Effective: true, Reason: "与年报不符"}},
	}
	const fullDoc = `{"id":7,"credit_code":"914403001922038216","code_exception":"例外\"说明\"","name":"甲 <科技> & 公司","former_names":["旧名","a\\b"],
		"legal_form":"有限责任公司","registered_on":"2001-03-05","registered_capital_fen":9223372036854775807,"area_unit_id":3,"area":"sf",
		"area_name":"石佛办事处","address":"路\n1号\t","industry_code":"3911","industry_name":"计算机制造",
		"chains":[{"id":1,"code":"iot","name_zh":"物联网"},{"id":2,"code":"x","name_zh":"\u2028"}],"status":"operating","synthetic":true,
		"version":4,"created_at":-1,"updated_at":-9223372036854775808,
		"tiers":[{"id":9,"enterprise_id":7,"tier":"listed","level":"national","cert_no":"GR<1>","valid_from":"2020-01-01","valid_to":"2030-01-01",
			"board":"科创板","stock_code":"688001","note":"note\u0001","created_at":5,"current":true,"expiring":true,"name_zh":"甲"}],
		"figures":[{"enterprise_id":7,"indicator":"revenue","year":2024,"month":12,"source":"stats","value":-5,"status":"confirmed",
			"entered_by":2,"entered_by_name":"张三","entered_at":1700000000000,"effective":true,"reason":"与年报不符"}]}`
	empty := detail{Enterprise: enterprise.Enterprise{ID: 1}, Tiers: []enterprise.Tier{{}}, Figures: []enterprise.Figure{{}}}
	const emptyDoc = `{"id":1,"credit_code":"","name":"","former_names":null,"legal_form":"","registered_on":"","registered_capital_fen":0,
		"address":"","industry_code":"","chains":null,"status":"","synthetic":false,"version":0,"created_at":0,"updated_at":0,
		"tiers":[{"id":0,"enterprise_id":0,"tier":"","created_at":0,"current":false,"expiring":false}],
		"figures":[{"enterprise_id":0,"indicator":"","year":0,"month":0,"source":"","value":0,"status":"","entered_at":0,"effective":false}]}`
	const nilDoc = `{"id":0,"credit_code":"","name":"","former_names":null,"legal_form":"","registered_on":"","registered_capital_fen":0,
		"address":"","industry_code":"","chains":null,"status":"","synthetic":false,"version":0,"created_at":0,"updated_at":0,"tiers":null,"figures":null}`
	for _, c := range []struct {
		name string
		d    detail
		doc  string
	}{{"full", full, fullDoc}, {"empty", empty, emptyDoc}, {"nil slices", detail{}, nilDoc}} {
		rec := httptest.NewRecorder()
		web.WriteJSON(rec, 200, c.d)
		if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s: content type %q", c.name, ct)
		}
		got, want := decodeExact(t, rec.Body.Bytes()), decodeExact(t, []byte(c.doc))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", c.name, rec.Body, c.doc)
		}
	}
}

// decodeExact decodes a JSON document with its numbers as written (int64
// extremes do not survive float64).
func decodeExact(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON (%v): %s", err, b)
	}
	return v
}
