// Package office recognises Office Open XML files (.docx, .xlsx, .pptx)
// by their parts, not only as ZIP archives: a renamed .zip of anything
// else is not a Word document.
package office

import (
	"archive/zip"
	"bytes"
	"strings"
)

// mainPart is the part each kind of file must hold.
var mainPart = map[string]string{
	".docx": "word/document.xml",
	".xlsx": "xl/workbook.xml",
	".pptx": "ppt/presentation.xml",
}

// IsOfficeExt reports whether ext (lower case, with the dot) is an Office
// Open XML extension this package checks.
func IsOfficeExt(ext string) bool {
	_, ok := mainPart[ext]
	return ok
}

// Valid reports whether data is an Office Open XML file of the kind ext
// names: a readable ZIP archive holding [Content_Types].xml and the kind's
// main part. Only the archive's directory is read, not its contents.
func Valid(ext string, data []byte) bool {
	want, ok := mainPart[strings.ToLower(ext)]
	if !ok {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	var types, main bool
	for _, f := range zr.File {
		switch f.Name {
		case "[Content_Types].xml":
			types = true
		case want:
			main = true
		}
	}
	return types && main
}
