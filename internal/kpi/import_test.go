package kpi_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"gaoxin/internal/errs"
	"gaoxin/internal/kpi"
)

// Rows are named as Excel shows them, blank rows between included, and a
// sheet whose row 1 is blank has no header.
func TestImportNamesExcelRows(t *testing.T) {
	f := newFixture(t)
	ind := f.mustIndicator(t, gdp)
	x := excelize.NewFile()
	head := []any{}
	for _, c := range kpi.Columns {
		head = append(head, c.ZH+" "+c.Key)
	}
	x.SetSheetRow("Sheet1", "A1", &head)
	x.SetSheetRow("Sheet1", "A2", &[]any{"gdp", 2023, 3, 280.5, 250})
	x.SetSheetRow("Sheet1", "A7", &[]any{"gdp", 2023, 6, "abc", 250})
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, &b)
	e := errs.As(err)
	if e.Code != errs.Invalid || len(e.Details) != 1 || e.Details[0].Row != 7 || e.Details[0].Field != "D ytd" {
		t.Fatalf("bad row 7: %v %+v", err, e.Details)
	}

	// A note with a right-to-left override is refused at its cell, and
	// nothing is written.
	x = excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &head)
	x.SetSheetRow("Sheet1", "A2", &[]any{"gdp", 2023, 3, 280.5, 250})
	x.SetSheetRow("Sheet1", "A3", &[]any{"gdp", 2023, 6, 300, 250, nil, nil, nil, "增长\u202e01"})
	b.Reset()
	x.Write(&b)
	_, err = f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, &b)
	if e := errs.As(err); e.Code != errs.Invalid || len(e.Details) != 1 || e.Details[0].Row != 3 || e.Details[0].Field != "I" {
		t.Fatalf("hidden character in I3: %v %+v", err, e.Details)
	}
	if acts, _ := f.svc.Actuals(f.ctx, ind.ID, 2023, 2023); len(acts) != 0 {
		t.Fatalf("%d actuals written by a refused import", len(acts))
	}

	x = excelize.NewFile()
	x.SetSheetRow("Sheet1", "A2", &head)
	b.Reset()
	x.Write(&b)
	_, err = f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, &b)
	if e := errs.As(err); e.Code != errs.Invalid || len(e.Details) != len(kpi.Columns) || e.Details[0].Row != 1 || e.Details[0].Field != "A" {
		t.Fatalf("header on row 2: %v %+v", err, e.Details)
	}
	_, err = f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, bytes.NewReader([]byte("PK\x03\x04 not really")))
	if e := errs.As(err); e.Code != errs.Invalid || e.Field != "file" {
		t.Fatalf("not a workbook: %v", err)
	}
}

func TestImportRowBound(t *testing.T) {
	f := newFixture(t)
	f.mustIndicator(t, gdp)
	rows := make([][]any, kpi.MaxImportRows+1)
	for i := range rows {
		rows[i] = []any{"gdp", 2023, 3, 1}
	}
	_, err := f.svc.ImportActuals(f.ctx, kpi.Scope{All: true}, workbook(t, rows))
	if e := errs.As(err); e.Code != errs.Invalid || e.Field != "file" {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
}
