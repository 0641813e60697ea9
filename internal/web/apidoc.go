package web

import (
	"encoding"
	"encoding/json"
	"fmt"
	"path"
	"reflect"
	"strings"
	"time"
)

// Doc describes an API route for the OpenAPI document beyond what the
// route table knows: its query parameters and the Go type of its answer.
// Each module lists its routes' docs beside its routes (docs.go) and hands
// them to Describe; the document's schemas are generated from the types,
// so they follow the code.
type Doc struct {
	Query    []Param
	Response any // a value of the answer's type; its zero value serves
	Status   int // the success status, 200 when zero
	File     string
}

// Param is a query parameter.
type Param struct {
	Name     string
	Type     string // integer, number, string or boolean
	Desc     string
	Required bool
	Enum     []string
}

// Query builds the query parameters of a Doc from "name:type description"
// lines; a type of "string!" marks the parameter required, and
// "string(a|b|c)" lists its values.
func Query(lines ...string) []Param {
	out := make([]Param, 0, len(lines))
	for _, l := range lines {
		head, desc, _ := strings.Cut(l, " ")
		name, typ, _ := strings.Cut(head, ":")
		p := Param{Name: name, Type: typ, Desc: desc}
		if t, ok := strings.CutSuffix(p.Type, "!"); ok {
			p.Type, p.Required = t, true
		}
		if t, enum, ok := strings.Cut(p.Type, "("); ok {
			p.Type, p.Enum = t, strings.Split(strings.TrimSuffix(enum, ")"), "|")
		}
		if p.Type == "" {
			p.Type = "string"
		}
		out = append(out, p)
	}
	return out
}

// XLSX is the Doc of a route that answers a spreadsheet.
var XLSX = Doc{File: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

// Describe attaches docs to registered API routes, keyed by their pattern
// ("GET /api/v1/plan"). A doc for a route not registered is an error, so a
// renamed route cannot leave a stale doc behind.
func (s *Server) Describe(docs map[string]Doc) error {
	for pattern, d := range docs {
		method, path, _ := strings.Cut(pattern, " ")
		found := false
		for i := range s.routes {
			if s.routes[i].Method == method && s.routes[i].Path == path {
				s.routes[i].Doc, found = &d, true
			}
		}
		if !found {
			return fmt.Errorf("web: doc for %s, which is not a route", pattern)
		}
	}
	return nil
}

// SchemaMaker turns Go types into OpenAPI 3.0 schemas the way
// encoding/json writes them: json tags name the properties, omitempty
// fields are optional and the rest required, nil-able values are nullable.
// Named struct types become components, referenced by $ref, so recursive
// types (a plan node's children) are described once.
type SchemaMaker struct {
	Components map[string]any
	names      map[reflect.Type]string
}

// NewSchemaMaker starts an empty set of components.
func NewSchemaMaker() *SchemaMaker {
	return &SchemaMaker{Components: map[string]any{}, names: map[reflect.Type]string{}}
}

// Schemer lets a type with its own JSON form give its schema.
type Schemer interface{ OpenAPISchema() map[string]any }

var (
	timeType      = reflect.TypeFor[time.Time]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	schemerType   = reflect.TypeFor[Schemer]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// Of is the schema of values of v's type.
func (m *SchemaMaker) Of(v any) map[string]any {
	if v == nil {
		return map[string]any{}
	}
	return m.of(reflect.TypeOf(v))
}

func (m *SchemaMaker) of(t reflect.Type) map[string]any {
	if t.Implements(schemerType) {
		return reflect.Zero(t).Interface().(Schemer).OpenAPISchema()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{"nullable": true}
	case t.Kind() != reflect.Pointer && (t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)):
		return map[string]any{"nullable": true} // its own JSON form, not described
	case t.Kind() != reflect.Pointer && (t.Implements(textType) || reflect.PointerTo(t).Implements(textType)):
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Pointer:
		return nullable(m.of(t.Elem()))
	case reflect.Interface:
		return map[string]any{"nullable": true}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte", "nullable": true}
		}
		return map[string]any{"type": "array", "items": m.of(t.Elem()), "nullable": true}
	case reflect.Array:
		return map[string]any{"type": "array", "items": m.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": m.of(t.Elem()), "nullable": true}
	case reflect.Struct:
		if t.Name() == "" {
			return m.object(t)
		}
		name, ok := m.names[t]
		if !ok {
			name = m.name(t)
			m.names[t] = name
			m.Components[name] = map[string]any{} // a placeholder while the type refers to itself
			m.Components[name] = m.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// name is a component name unique among the types seen: the package's last
// element and the type's name (plan.Node → PlanNode), generic arguments
// dropped, numbered when two packages share both.
func (m *SchemaMaker) name(t reflect.Type) string {
	pkg := path.Base(t.PkgPath())
	base, _, _ := strings.Cut(t.Name(), "[")
	stem := strings.ToUpper(pkg[:1]) + pkg[1:] + strings.ToUpper(base[:1]) + base[1:]
	name := stem
	for n := 2; m.Components[name] != nil; n++ {
		name = fmt.Sprintf("%s%d", stem, n)
	}
	return name
}

// object is a struct's schema: its fields as encoding/json writes them,
// with embedded structs' fields promoted.
func (m *SchemaMaker) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous && name == "" {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			s := m.of(ft)
			if strings.Contains(","+opts+",", ",string,") {
				s = map[string]any{"type": "string"}
			}
			props[name] = s
			if !strings.Contains(","+opts+",", ",omitempty,") && !strings.Contains(","+opts+",", ",omitzero,") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// nullable marks a schema as also allowing null; a $ref cannot carry
// siblings in OpenAPI 3.0, so it is wrapped.
func nullable(s map[string]any) map[string]any {
	if _, ok := s["$ref"]; ok {
		return map[string]any{"allOf": []any{s}, "nullable": true}
	}
	out := make(map[string]any, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	out["nullable"] = true
	return out
}
