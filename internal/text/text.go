// Package text holds the rule for text people type: no character that
// changes how text is shown, or splits it, without being seen. A name with
// a right-to-left override or a zero-width space reads as one thing and is
// stored as another ("某某科技" and "某某科技\u200b" become two
// enterprises; a figure turns around on screen). The web kit applies it to
// every form and JSON body, the spreadsheet reader to every cell.
package text

import (
	"fmt"

	"gaoxin/internal/errs"
)

// Hidden reports a character that changes how text is shown, or splits
// it, without being seen: the bidirectional embeddings, overrides,
// isolates and marks, and the zero-width characters.
func Hidden(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, // LRE RLE PDF LRO RLO
		r >= 0x2066 && r <= 0x2069,            // LRI RLI FSI PDI
		r == 0x200E, r == 0x200F, r == 0x061C, // LRM RLM ALM
		r >= 0x200B && r <= 0x200D, // zero-width space, non-joiner, joiner
		r == 0x2060, r == 0xFEFF:   // word joiner, zero-width no-break space
		return true
	}
	return false
}

// Check refuses s when it holds a hidden character, naming field and
// the character's position.
func Check(field, s string) error {
	i := 0
	for _, r := range s {
		i++
		if Hidden(r) {
			return errs.Field(field,
				fmt.Sprintf("字段 %s 第 %d 个字符是不可见的方向控制或零宽字符（U+%04X），请删除后重新输入", field, i, r),
				fmt.Sprintf("field %s holds an invisible direction-control or zero-width character (U+%04X) at position %d; delete it and type the text again", field, r, i))
		}
	}
	return nil
}
