package text

import (
	"strings"
	"testing"

	"gaoxin/internal/errs"
)

func TestCheck(t *testing.T) {
	for _, ok := range []string{"", "郑州某某科技有限公司", "R&D 投入 ÷ 营业收入", "العربية", "emoji 👍🏽", "line1\nline2"} {
		if err := Check("name", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} {
		err := Check("name", "某某"+string(r)+"科技")
		e := errs.As(err)
		if e.Code != errs.Invalid || e.Field != "name" || !strings.Contains(e.Msg, "第 3 个字符") {
			t.Errorf("U+%04X: %v", r, err)
		}
	}
}
