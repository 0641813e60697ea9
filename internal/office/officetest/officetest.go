// Package officetest builds small archives for tests of uploaded files.
package officetest

import (
	"archive/zip"
	"bytes"
	"testing"
)

// Archive is a ZIP archive holding the named files, each "<x/>": with
// "[Content_Types].xml" and a kind's main part it passes for an Office
// document; without them it is an archive renamed.
func Archive(t testing.TB, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("<x/>"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
