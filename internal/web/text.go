package web

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gaoxin/internal/errs"
	"gaoxin/internal/text"
)

// Forms, JSON bodies and the text fields of uploads are checked here, once
// for every route, against internal/text's rule.

// CheckText refuses s when it holds a hidden character, naming field.
func CheckText(field, s string) error { return text.Check(field, s) }

// checkValues checks every value of a form, in field order so that the
// same input always names the same field.
func checkValues(vs url.Values) error {
	keys := make([]string, 0, len(vs))
	for k := range vs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := CheckText(k, k); err != nil {
			return err
		}
		for _, v := range vs[k] {
			if err := CheckText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkForm checks a URL-encoded form body before the handler reads it
// (the parsed form stays on the request for the handler). Multipart forms
// are checked when their files are read (ReadFiles); JSON bodies when they
// are decoded (DecodeJSON).
func checkForm(r *http.Request) error {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return nil
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		e := errs.New(errs.Invalid, "表单无法解析", "cannot parse the form")
		e.Err = err
		return e
	}
	return checkValues(r.PostForm)
}

// checkDecoded walks a decoded JSON body and checks every string in it,
// naming the field by its JSON path (terms[2].name).
func checkDecoded(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.String:
		return CheckText(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkDecoded(v.Elem(), path)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				name = "" // an embedded struct's fields are the parent's
			}
			if err := checkDecoded(v.Field(i), join(path, name)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes, not text
		}
		for i := range v.Len() {
			if err := checkDecoded(v.Index(i), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			at := join(path, fmt.Sprint(k))
			if k.Kind() == reflect.String {
				if err := CheckText(at, k.String()); err != nil {
					return err
				}
			}
			if err := checkDecoded(v.MapIndex(k), at); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, name string) string {
	switch {
	case path == "":
		return name
	case name == "":
		return path
	}
	return path + "." + name
}
