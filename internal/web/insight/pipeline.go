package insight

import "gaoxin/internal/web"

// pipelineDocs describes the tier pipeline's API routes.
var pipelineDocs = map[string]web.Doc{}

// pipelineRoutes registers the tier pipeline.
func (h *handlers) pipelineRoutes() {}
