package enterprise

import (
	"testing"

	"gaoxin/internal/memo"
)

func TestVersionSQL(t *testing.T) {
	if versionSQL != memo.VersionExpr(Module) {
		t.Fatalf("versionSQL %q is not memo.VersionExpr(%q)", versionSQL, Module)
	}
}
