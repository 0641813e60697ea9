package web

import (
	"fmt"
	"net/http"
	"strings"
)

// SpreadsheetType is the media type of an .xlsx download.
const SpreadsheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Spreadsheet sets the headers of an .xlsx download named name; write the
// workbook to w next.
func Spreadsheet(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", SpreadsheetType)
	w.Header().Set("Content-Disposition", Attachment(name))
}

// Attachment is a Content-Disposition naming a download: a plain
// ASCII filename="…" for old clients (anything outside printable ASCII, and
// quotes and backslashes, become "_") and the exact name as RFC 5987
// filename*=UTF-8 (empty language tag), where every byte that is not an
// attr-char is percent-encoded (url.PathEscape leaves = : @ which strict
// parsers refuse).
func Attachment(name string) string {
	var plain, ext strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			plain.WriteByte('_')
		} else {
			plain.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		switch {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', strings.IndexByte("!#$&+-.^_`|~", b) >= 0:
			ext.WriteByte(b)
		default:
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	return `attachment; filename="` + plain.String() + `"; filename*=UTF-8''` + ext.String()
}
