package insight

import "gaoxin/internal/web"

// mapDocs describes the chain map's and breakdowns' API routes.
var mapDocs = map[string]web.Doc{}

// mapRoutes registers the chain map and the breakdowns.
func (h *handlers) mapRoutes() {}
