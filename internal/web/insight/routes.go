// Package insight serves the pages and JSON API of the 产业大脑 (industry
// brain): the chain map, breakdowns and their crossings, the tier pipeline,
// read from the rollups of internal/insight. Its routes are listed here
// and in the files of each view; its templates are embedded from
// templates/.
package insight

import (
	"embed"
	"io/fs"

	"gaoxin/internal/web"
)

//go:embed templates
var templates embed.FS

// handlers are the module's HTTP handlers, on the kit's server.
type handlers struct{ *web.Server }

// Register adds the module's pages and routes to s.
func Register(s *web.Server) error {
	pages, err := fs.Sub(templates, "templates")
	if err != nil {
		return err
	}
	if err := s.AddPages("insight", pages); err != nil {
		return err
	}
	h := &handlers{s}
	h.mapRoutes()
	h.pipelineRoutes()
	h.monitorRoutes()
	h.screenRoutes()
	h.muRoutes()
	h.positionRoutes()
	h.sourcesRoutes()
	for _, d := range []map[string]web.Doc{mapDocs, pipelineDocs, monitorDocs, screenDocs, muDocs, positionDocs, sourcesDocs} {
		if err := s.Describe(d); err != nil {
			return err
		}
	}
	return nil
}
