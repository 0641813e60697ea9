package site

import (
	"net/http"
	"regexp"
	"sort"
	"strings"

	"gaoxin/internal/web"
)

var pathParam = regexp.MustCompile(`\{([a-zA-Z_]+)\.{0,3}\}`)

// OpenAPI builds the OpenAPI 3 document from the registered routes, so the
// document and the router cannot drift apart.
func (s *handlers) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range s.Routes() {
		if !rt.API {
			continue
		}
		p := paths[rt.Path]
		if p == nil {
			p = map[string]any{}
			paths[rt.Path] = p
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", ".", "_").Replace(rt.Path),
			"responses": map[string]any{
				"200":     map[string]any{"description": "OK"},
				"default": map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
			},
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{"example": rt.Body}}}
		}
		if rt.Access.IsPublic() {
			op["security"] = []any{}
		} else {
			roles := []string{}
			for _, r := range rt.Access.Roles() {
				roles = append(roles, string(r))
			}
			sort.Strings(roles)
			op["x-roles"] = roles
		}
		p[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "gaoxin API", "version": s.Cfg.Version,
			"description": "高新区管理平台 JSON API. Authenticate with the session cookie (POST /api/v1/session) or an API token (Authorization: Bearer gx_…). Errors are {\"error\":{\"code\",\"message\"}}."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": web.SessionCookie},
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			},
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{
				"error": map[string]any{"type": "object", "properties": map[string]any{
					"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"},
					"details": map[string]any{"type": "array", "items": map[string]any{"type": "object"}}}}}}},
		},
		"security": []any{map[string]any{"cookie": []any{}}, map[string]any{"bearer": []any{}}},
	}
}

func (s *handlers) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	web.WriteJSON(w, http.StatusOK, s.OpenAPI())
	return nil
}
