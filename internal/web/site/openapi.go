package site

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gaoxin/internal/web"
)

var pathParam = regexp.MustCompile(`\{([a-zA-Z_]+)\.{0,3}\}`)

// OpenAPI builds the OpenAPI 3 document from the registered routes, so the
// document and the router cannot drift apart. Request and answer schemas
// are generated from the Go types the routes declare (web.Doc, the example
// body); the error answer is web.APIError's.
func (s *handlers) OpenAPI() map[string]any {
	sm := web.NewSchemaMaker()
	errRef := sm.Of(struct {
		Error web.APIError `json:"error"`
	}{})
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
		ok := map[string]any{"description": "OK"}
		status := "200"
		if d := rt.Doc; d != nil {
			switch {
			case d.File != "":
				ok["content"] = map[string]any{d.File: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
			case d.Response != nil:
				ok["content"] = map[string]any{"application/json": map[string]any{"schema": sm.Of(d.Response)}}
			}
			if d.Status != 0 {
				status = strconv.Itoa(d.Status)
			}
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", ".", "_", "-", "_").Replace(rt.Path),
			"responses": map[string]any{
				status:    ok,
				"default": map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": errRef}}},
			},
		}
		params := []any{}
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if rt.Doc != nil {
			for _, q := range rt.Doc.Query {
				schema := map[string]any{"type": q.Type}
				if q.Enum != nil {
					schema["enum"] = q.Enum
				}
				params = append(params, map[string]any{"name": q.Name, "in": "query", "required": q.Required,
					"description": q.Desc, "schema": schema})
			}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{
				"schema": sm.Of(rt.Body), "example": rt.Body}}}
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
			"schemas": sm.Components,
		},
		"security": []any{map[string]any{"cookie": []any{}}, map[string]any{"bearer": []any{}}},
	}
}

func (s *handlers) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	web.WriteJSON(w, http.StatusOK, s.OpenAPI())
	return nil
}
