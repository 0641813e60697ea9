package site

import (
	"net/http"

	"gaoxin/internal/auth"
	"gaoxin/internal/org"
	"gaoxin/internal/web"
)

// The site's JSON answers that are not a domain type as they stand, named
// so the API document describes them from their Go types.
type (
	tokensAnswer struct {
		Tokens []auth.Token `json:"tokens"`
	}
	newTokenAnswer struct {
		Token string     `json:"token"` // shown once: the secret itself
		Info  auth.Token `json:"info"`
	}
	usersAnswer struct {
		Users []org.User `json:"users"`
	}
	unitsAnswer struct {
		Units []org.Unit `json:"units"`
	}
)

// docs describes the site's own API routes for the OpenAPI document; the
// audit trail's are in auditDocs, beside their handlers.
var docs = map[string]web.Doc{
	// The document itself is described loosely: an OpenAPI 3.0 object.
	"GET /api/v1/openapi.json":   {Response: map[string]any{}},
	"POST /api/v1/session":       {Response: meResponse{}},
	"DELETE /api/v1/session":     {Status: http.StatusNoContent},
	"GET /api/v1/me":             {Response: meResponse{}},
	"PUT /api/v1/me/password":    {Status: http.StatusNoContent},
	"GET /api/v1/tokens":         {Response: tokensAnswer{}},
	"POST /api/v1/tokens":        {Response: newTokenAnswer{}, Status: http.StatusCreated},
	"DELETE /api/v1/tokens/{id}": {Status: http.StatusNoContent},
	"GET /api/v1/users":          {Response: usersAnswer{}},
	"POST /api/v1/users":         {Response: org.User{}, Status: http.StatusCreated},
	"PATCH /api/v1/users/{id}":   {Response: org.User{}},
	"GET /api/v1/units":          {Response: unitsAnswer{}},
	"POST /api/v1/units":         {Response: org.Unit{}, Status: http.StatusCreated},
	"PATCH /api/v1/units/{id}":   {Response: org.Unit{}},
}
