package xlsx

import (
	"archive/zip"
	"errors"
	"strings"
)

// ErrTooLarge means the workbook would unpack to more than its Limits
// allow: a zip bomb, or a file far from what an import expects.
var ErrTooLarge = errors.New("xlsx: the workbook unpacks to more than allowed")

// Limits bound what a workbook may unpack to. They are checked on the
// sizes the archive declares, before anything is inflated (archive/zip
// refuses a part that inflates to more than it declared), and again as
// parts are read.
type Limits struct {
	// Unzipped bounds the whole archive, unpacked. The worksheet being read
	// streams, so only this bound applies to it.
	Unzipped int64
	// Other bounds, together, the parts that are not worksheets or the
	// shared strings (workbook, relationships, styles, media…), which a real
	// file keeps small.
	Other int64
	// SharedStrings bounds the shared string table, which is kept whole in
	// memory while the sheet is read.
	SharedStrings int64
}

// Within returns the same bound n for all three.
func Within(n int64) Limits { return Limits{Unzipped: n, Other: n, SharedStrings: n} }

// check refuses an archive whose declared sizes pass the limits. The sums
// are compared before each addition, so no sum can wrap.
func (l Limits) check(zr *zip.Reader) error {
	var total, other uint64
	for _, f := range zr.File {
		n := f.UncompressedSize64
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"))
		if n > uint64(l.Unzipped)-total {
			return ErrTooLarge
		}
		total += n
		switch {
		case name == "xl/sharedstrings.xml":
			if n > uint64(l.SharedStrings) {
				return ErrTooLarge
			}
		case strings.HasPrefix(name, "xl/worksheets/"):
		default:
			if n > uint64(l.Other)-other {
				return ErrTooLarge
			}
			other += n
		}
	}
	return nil
}

func (l Limits) valid() bool { return l.Unzipped > 0 && l.Other > 0 && l.SharedStrings > 0 }
