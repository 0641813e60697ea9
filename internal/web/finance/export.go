package finance

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"gaoxin/internal/finance"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// Spreadsheet exports (.xlsx): institutions for staff, needs for staff and
// an enterprise (its own), the funnel's matches for staff, an enterprise
// (those on its needs) and an institution (its own). The service writes
// the workbook and decides the rows.

func (s *handlers) exportRoutes() {
	entStaff := web.Only(org.Admin, org.Leader, org.Supervisor, org.Enterprise)
	parties := web.Only(org.Admin, org.Leader, org.Supervisor, org.Enterprise, org.Investor)
	s.Handle("GET /finance/institutions.xlsx", "Export every institution as .xlsx", web.Staff, s.exporter("金融机构.xlsx", (*finance.Service).ExportInstitutions))
	s.Handle("GET /finance/needs.xlsx", "Export financing needs as .xlsx (an enterprise its own)", entStaff, s.exporter("融资需求.xlsx", (*finance.Service).ExportNeeds))
	s.Handle("GET /finance/matches.xlsx", "Export the funnel's matches as .xlsx (each party its own)", parties, s.exporter("融资对接进程.xlsx", (*finance.Service).ExportMatches))
}

// exporter is a handler writing the workbook export builds, into memory
// first so that a refusal or a failure is still an error page rather than
// half a file.
func (s *handlers) exporter(name string, export func(*finance.Service, context.Context, finance.Viewer, io.Writer) error) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var buf bytes.Buffer
		if err := export(s.Finance, r.Context(), viewer(r), &buf); err != nil {
			return err
		}
		web.Spreadsheet(w, name)
		_, err := io.Copy(w, &buf)
		return err
	}
}
