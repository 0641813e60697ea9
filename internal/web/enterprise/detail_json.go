package enterprise

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"gaoxin/internal/enterprise"
)

// The detail API answers an enterprise with every value it holds (a
// hundred figures, each eleven fields): encoding/json spent a fifth of the
// request walking them by reflection. appendDetail writes the same
// bytes as writeJSON would (json.Encoder without HTML escaping, then a
// newline); TestEntDetailJSONAsEncodingJSON holds it to encoding/json on
// values with every field set, so a field added to these types and not
// here fails that test.

// writeDetail answers d as writeJSON would.
func writeDetail(w http.ResponseWriter, d detail) {
	b := appendDetail(make([]byte, 0, 1024+192*len(d.Figures)+320*len(d.Tiers)), d) // about its size
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n'))
}

func appendDetail(b []byte, d detail) []byte {
	e := d.Enterprise
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	b = jsonStr(b, `,"credit_code":`, e.CreditCode)
	if e.CodeException != "" {
		b = jsonStr(b, `,"code_exception":`, e.CodeException)
	}
	b = jsonStr(b, `,"name":`, e.Name)
	b = append(b, `,"former_names":`...)
	if e.FormerNames == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, n := range e.FormerNames {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, n)
		}
		b = append(b, ']')
	}
	b = jsonStr(b, `,"legal_form":`, e.LegalForm)
	b = jsonStr(b, `,"registered_on":`, e.RegisteredOn)
	b = jsonInt(b, `,"registered_capital_fen":`, e.CapitalFen)
	if e.AreaUnitID != 0 {
		b = jsonInt(b, `,"area_unit_id":`, e.AreaUnitID)
	}
	if e.AreaCode != "" {
		b = jsonStr(b, `,"area":`, e.AreaCode)
	}
	if e.AreaName != "" {
		b = jsonStr(b, `,"area_name":`, e.AreaName)
	}
	b = jsonStr(b, `,"address":`, e.Address)
	b = jsonStr(b, `,"industry_code":`, e.IndustryCode)
	if e.IndustryName != "" {
		b = jsonStr(b, `,"industry_name":`, e.IndustryName)
	}
	b = append(b, `,"chains":`...)
	if e.Chains == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range e.Chains {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonInt(b, `{"id":`, c.ID)
			b = jsonStr(b, `,"code":`, c.Code)
			b = jsonStr(b, `,"name_zh":`, c.NameZH)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = jsonStr(b, `,"status":`, string(e.Status))
	b = jsonBool(b, `,"synthetic":`, e.Synthetic)
	b = jsonInt(b, `,"version":`, int64(e.Version))
	b = jsonInt(b, `,"created_at":`, e.CreatedAt)
	b = jsonInt(b, `,"updated_at":`, e.UpdatedAt)
	b = append(b, `,"tiers":`...)
	if d.Tiers == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range d.Tiers {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendTierJSON(b, t)
		}
		b = append(b, ']')
	}
	b = append(b, `,"figures":`...)
	if d.Figures == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, f := range d.Figures {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFigureJSON(b, f)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendTierJSON(b []byte, t enterprise.Tier) []byte {
	b = jsonInt(b, `{"id":`, t.ID)
	b = jsonInt(b, `,"enterprise_id":`, t.EnterpriseID)
	b = jsonStr(b, `,"tier":`, t.Tier)
	for _, f := range []struct{ key, v string }{{`,"level":`, t.Level}, {`,"cert_no":`, t.CertNo}, {`,"valid_from":`, t.ValidFrom},
		{`,"valid_to":`, t.ValidTo}, {`,"board":`, t.Board}, {`,"stock_code":`, t.StockCode}, {`,"note":`, t.Note}} {
		if f.v != "" {
			b = jsonStr(b, f.key, f.v)
		}
	}
	b = jsonInt(b, `,"created_at":`, t.CreatedAt)
	b = jsonBool(b, `,"current":`, t.Current)
	b = jsonBool(b, `,"expiring":`, t.Expiring)
	if t.Name != "" {
		b = jsonStr(b, `,"name_zh":`, t.Name)
	}
	return append(b, '}')
}

func appendFigureJSON(b []byte, f enterprise.Figure) []byte {
	b = jsonInt(b, `{"enterprise_id":`, f.EnterpriseID)
	b = jsonStr(b, `,"indicator":`, f.Indicator)
	b = jsonInt(b, `,"year":`, int64(f.Year))
	b = jsonInt(b, `,"month":`, int64(f.Month))
	b = jsonStr(b, `,"source":`, string(f.Source))
	b = jsonInt(b, `,"value":`, f.Value)
	b = jsonStr(b, `,"status":`, f.Status)
	if f.EnteredBy != 0 {
		b = jsonInt(b, `,"entered_by":`, f.EnteredBy)
	}
	if f.EnteredByName != "" {
		b = jsonStr(b, `,"entered_by_name":`, f.EnteredByName)
	}
	b = jsonInt(b, `,"entered_at":`, f.EnteredAt)
	b = jsonBool(b, `,"effective":`, f.Effective)
	return append(b, '}')
}

func jsonStr(b []byte, key, v string) []byte { return appendJSONString(append(b, key...), v) }
func jsonInt(b []byte, key string, v int64) []byte {
	return strconv.AppendInt(append(b, key...), v, 10)
}

func jsonBool(b []byte, key string, v bool) []byte {
	return strconv.AppendBool(append(b, key...), v)
}

// appendJSONString quotes s as writeJSON's encoder does (no HTML
// escaping). Names and codes are almost always plain, so they are copied;
// anything else (a control character, a quote or backslash, U+2028/2029,
// invalid UTF-8) is left to encoding/json.
func appendJSONString(b []byte, s string) []byte {
	plain := utf8.ValidString(s) && !strings.ContainsAny(s, "\"\\\u2028\u2029")
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return append(b, bytes.TrimSuffix(q.Bytes(), []byte("\n"))...)
}
