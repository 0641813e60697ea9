package award

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// JSON is the canonical serialisation of r and its SHA-256. It writes the
// same bytes encoding/json would (a test holds it to that), by appending,
// because a ranking of 100,000 enterprises explains 1.2 million terms.
func (r Result) JSON() ([]byte, string) {
	b := make([]byte, 0, 64+len(r.Entries)*(160+len(termsOf(r))*96)+len(r.Excluded)*160)
	b = append(b, `{"entries":[`...)
	for i := range r.Entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = r.Entries[i].appendJSON(b)
	}
	b = append(b, `],"excluded":[`...)
	for i, x := range r.Excluded {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"enterprise_id":`...)
		b = strconv.AppendInt(b, x.EnterpriseID, 10)
		b = append(b, `,"credit_code":`...)
		b = appendString(b, x.CreditCode)
		b = append(b, `,"name":`...)
		b = appendString(b, x.Name)
		b = append(b, `,"reason":{"zh":`...)
		b = appendString(b, x.Reason.ZH)
		b = append(b, `,"en":`...)
		b = appendString(b, x.Reason.EN)
		b = append(b, "}}"...)
	}
	if r.Excluded == nil {
		b = append(b[:len(b)-1], "null"...)
	} else {
		b = append(b, ']')
	}
	b = append(b, '}')
	if r.Entries == nil {
		b = []byte(`{"entries":null` + string(b[len(`{"entries":[]`):]))
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

func termsOf(r Result) []TermScore {
	if len(r.Entries) == 0 {
		return nil
	}
	return r.Entries[0].Terms
}

func (e *Entry) appendJSON(b []byte) []byte {
	b = append(b, `{"rank":`...)
	b = strconv.AppendInt(b, int64(e.Rank), 10)
	b = append(b, `,"enterprise_id":`...)
	b = strconv.AppendInt(b, e.EnterpriseID, 10)
	b = append(b, `,"credit_code":`...)
	b = appendString(b, e.CreditCode)
	b = append(b, `,"name":`...)
	b = appendString(b, e.Name)
	b = append(b, `,"total":"`...)
	b = e.Total.AppendTo(b)
	b = append(b, '"')
	if e.Grade != "" {
		b = append(b, `,"grade":`...)
		b = appendString(b, e.Grade)
	}
	b = append(b, `,"winner":`...)
	b = strconv.AppendBool(b, e.Winner)
	b = append(b, `,"terms":`...)
	if e.Terms == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for j, t := range e.Terms {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"code":`...)
			b = appendString(b, t.Code)
			b = append(b, `,"raw":"`...)
			b = t.Raw.AppendTo(b)
			b = append(b, `","transformed":"`...)
			b = t.Transformed.AppendTo(b)
			b = append(b, `","weight":`...)
			b = strconv.AppendInt(b, int64(t.Weight), 10)
			b = append(b, `,"points":"`...)
			b = t.Points.AppendTo(b)
			b = append(b, `"}`...)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendString appends s as encoding/json (without HTML escaping) would.
func appendString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == 0xe2 {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}
