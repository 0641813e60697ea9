package finance_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
	"gaoxin/internal/finance"
)

// An export writes every row the reader may list, past the list methods'
// page size: 1,200 needs of one enterprise, none of the other's; and only
// staff export institutions.
func TestExportPagesThroughEverything(t *testing.T) {
	f := newFixture(t)
	if _, err := f.S.Post(f.ctx, f.entA, needIn(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.S.Post(f.ctx, f.entB, needIn(), nil); err != nil {
		t.Fatal(err)
	}
	// Copy 甲's need until it has 1,200.
	for n := 1; n < 1200; n = f.count("SELECT COUNT(*) FROM finance_needs WHERE enterprise_id = $1", f.entA.EnterpriseID) {
		if _, err := f.DB.W.ExecContext(f.ctx, `INSERT INTO finance_needs (enterprise_id, enterprise_name, title, amount_fen, instrument, stage,
			use_of_funds, shared_figures, audience, state, synthetic, created_by, created_at, updated_at)
			SELECT enterprise_id, enterprise_name, title, amount_fen, instrument, stage, use_of_funds, shared_figures, audience, state, synthetic,
			created_by, created_at, updated_at FROM finance_needs WHERE enterprise_id = $1 ORDER BY id LIMIT $2`, f.entA.EnterpriseID, min(n, 1200-n)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		v    finance.Viewer
		rows int
	}{{"staff", f.staff, 1201}, {"甲", f.entA, 1200}, {"乙", f.entB, 1}} {
		var buf bytes.Buffer
		if err := f.S.ExportNeeds(f.ctx, c.v, &buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("融资需求")
		x.Close()
		if err != nil || len(rows)-1 != c.rows {
			t.Fatalf("%s: %d rows, want %d (%v)", c.name, len(rows)-1, c.rows, err)
		}
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			if seen[r[0]] {
				t.Fatalf("%s: need %s twice", c.name, r[0])
			}
			seen[r[0]] = true
		}
	}
	var buf bytes.Buffer
	wantErr(t, f.S.ExportInstitutions(f.ctx, f.entA, &buf), errs.Forbidden, "")
	wantErr(t, f.S.ExportNeeds(f.ctx, f.unit, &buf), errs.Forbidden, "")
	if buf.Len() != 0 {
		t.Fatalf("a refused export wrote %d bytes", buf.Len())
	}
}
