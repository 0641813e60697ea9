package enterprise

import (
	"encoding/json"
	"fmt"
	"strings"

	"gaoxin/internal/errs"
)

// halfWidth turns full-width ASCII (Ａ１，．) and the ideographic space into
// their half-width forms.
func halfWidth(s string) string {
	if !hasWide(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasWide(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

func marshal2(before, after any) (string, string, error) {
	var bj, aj []byte
	var err error
	if before != nil {
		if bj, err = json.Marshal(before); err != nil {
			return "", "", fmt.Errorf("enterprise: marshal: %w", err)
		}
	}
	if after != nil {
		if aj, err = json.Marshal(after); err != nil {
			return "", "", fmt.Errorf("enterprise: marshal: %w", err)
		}
	}
	return string(bj), string(aj), nil
}

// errFieldValue is an Invalid error about one field that names its value.
func errFieldValue(field, value, zh, en string) error {
	e := errs.Field(field, zh, en)
	e.Details[0].Value = value
	return e
}
