package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// One way to wrap an error: fmt.Errorf("pkg: context: %w", …, err), with a
// literal format (CONVENTIONS.md, Errors). The scan below fails on:
//
//   - an error passed to fmt.Errorf under a verb other than %w (%v, %s …),
//     or as err.Error(): the message survives but errors.Is and errors.As
//     no longer see the cause;
//   - fmt.Errorf with a format that is not a string literal, which is how a
//     wrapping helper (the errs.Wrap that was removed) is built;
//   - errors.New(… err.Error() …), errors.Join, and the imports of
//     third-party error packages;
//   - a function named Wrap or Wrapf in internal/errs.
//
// Without type information, "an error" is judged by name: an identifier
// err, or one ending in Err or err (postErr), or a field .Err. Code that
// formats a non-error value held in such a name should rename it.
//
// Test files are not scanned, like in ownership_test.go.

// errStyle is one breach of the wrapping style.
type errStyle struct {
	pos string // file:line
	why string
}

// banned error packages: each brings a second way to wrap.
var bannedErrorImports = []string{"github.com/pkg/errors", "golang.org/x/xerrors", "github.com/hashicorp/errwrap"}

// looksLikeError reports whether e names an error value by the project's
// naming habits.
func looksLikeError(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "err" || strings.HasSuffix(x.Name, "Err") || (len(x.Name) > 3 && strings.HasSuffix(x.Name, "err"))
	case *ast.SelectorExpr:
		return x.Sel.Name == "Err"
	case *ast.ParenExpr:
		return looksLikeError(x.X)
	}
	return false
}

// isErrorString reports whether e is a call x.Error() on an error-named x.
func isErrorString(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok || len(c.Args) != 0 {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Error" && looksLikeError(sel.X)
}

// formatVerbs returns the verb letter of each argument a format consumes,
// in order; ok is false when the format uses explicit argument indexes or
// '*' widths, which this scan does not follow.
func formatVerbs(format string) (verbs []byte, ok bool) {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			return verbs, true
		}
		switch format[i] {
		case '%':
			continue
		case '[', '*':
			return nil, false
		}
		verbs = append(verbs, format[i])
	}
	return verbs, true
}

// selectorCall returns "pkg.Name" when call is pkg.Name(…) on a package
// identifier, or "".
func selectorCall(call *ast.CallExpr) string {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	return id.Name + "." + sel.Sel.Name
}

// scanErrStyle returns the breaches in one file. pkg is the file's package
// directory relative to the module root (internal/errs …).
func scanErrStyle(fset *token.FileSet, filename string, src any, pkg string) ([]errStyle, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []errStyle
	add := func(p token.Pos, why string) {
		pos := fset.Position(p)
		out = append(out, errStyle{pos: pos.Filename + ":" + strconv.Itoa(pos.Line), why: why})
	}
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		for _, b := range bannedErrorImports {
			if path == b {
				add(im.Pos(), "imports "+path+": wrap with fmt.Errorf and %w")
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			if pkg == "internal/errs" && x.Recv == nil && (x.Name.Name == "Wrap" || x.Name.Name == "Wrapf") {
				add(x.Pos(), "internal/errs."+x.Name.Name+": a second wrapping style; use fmt.Errorf with %w")
			}
		case *ast.CallExpr:
			switch selectorCall(x) {
			case "fmt.Errorf":
				out = append(out, checkErrorf(fset, x)...)
			case "errors.Join":
				add(x.Pos(), "errors.Join: wrap each error with fmt.Errorf and %w")
			case "errors.New":
				ast.Inspect(x, func(m ast.Node) bool {
					if e, ok := m.(ast.Expr); ok && isErrorString(e) {
						add(x.Pos(), "errors.New with err.Error(): wrap with fmt.Errorf and %w")
						return false
					}
					return true
				})
			}
		}
		return true
	})
	return out, nil
}

// checkErrorf checks one fmt.Errorf call.
func checkErrorf(fset *token.FileSet, call *ast.CallExpr) []errStyle {
	var out []errStyle
	add := func(why string) {
		pos := fset.Position(call.Pos())
		out = append(out, errStyle{pos: pos.Filename + ":" + strconv.Itoa(pos.Line), why: why})
	}
	if len(call.Args) == 0 {
		return nil
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		add("fmt.Errorf with a format that is not a literal: no wrapping helpers")
		return out
	}
	format, err := strconv.Unquote(lit.Value)
	if err != nil {
		add("fmt.Errorf format does not unquote")
		return out
	}
	verbs, ok := formatVerbs(format)
	if !ok {
		return nil
	}
	for i, a := range call.Args[1:] {
		if i >= len(verbs) {
			break
		}
		switch {
		case isErrorString(a):
			add("fmt.Errorf formats err.Error(): pass err under %w")
		case looksLikeError(a) && verbs[i] != 'w':
			add("fmt.Errorf formats an error with %" + string(verbs[i]) + ": use %w")
		}
	}
	return out
}

// scanErrStyleTree scans every non-test Go file under dirs of the module
// at root.
func scanErrStyleTree(root string, dirs []string) ([]errStyle, error) {
	var out []errStyle
	fset := token.NewFileSet()
	err := eachSource(root, dirs, func(rel, pkg string, src []byte) error {
		vs, err := scanErrStyle(fset, rel, src, pkg)
		out = append(out, vs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out, nil
}

func TestErrorsWrapOneWay(t *testing.T) {
	found, err := scanErrStyleTree(filepath.Join("..", ".."), []string{"internal", "cmd"})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range found {
		t.Errorf("%s: %s", v.pos, v.why)
	}
}

func TestErrStyleScannerFinds(t *testing.T) {
	src := `package errs

import (
	"errors"
	"fmt"

	pe "github.com/pkg/errors"
)

func Wrap(err error, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, err)...)
}

func f(err, postErr error, r struct{ Err error }, n int) error {
	_ = fmt.Errorf("x: %d: %v", n, err)
	_ = fmt.Errorf("x: %s", postErr)
	_ = fmt.Errorf("x: %v", r.Err)
	_ = fmt.Errorf("x: %s", err.Error())
	_ = errors.New("x: " + err.Error())
	_ = errors.Join(err, postErr)
	_ = pe.Wrap(err, "x")
	_ = fmt.Errorf("x: %d%%: %w", n, err)
	_ = fmt.Errorf("x: %d: %w", n, postErr)
	_ = fmt.Errorf("x: %q", "err")
	return fmt.Errorf("x: %+v", n)
}
`
	got, err := scanErrStyle(token.NewFileSet(), "x.go", src, "internal/errs")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, v := range got {
		lines = append(lines, strings.TrimPrefix(v.pos, "x.go:"))
	}
	want := []string{"7", "10", "11", "15", "16", "17", "18", "19", "20"}
	if strings.Join(lines, " ") != strings.Join(want, " ") {
		for _, v := range got {
			t.Log(v.pos, v.why)
		}
		t.Errorf("breaches on lines %v, want %v", lines, want)
	}
}

func TestFormatVerbs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"plan: %w", "w", true},
		{"a %d%% b %-8s %+v %.2f %w", "dsvfw", true},
		{"%[1]d", "", false},
		{"%*d", "", false},
		{"trailing %", "", true},
	} {
		v, ok := formatVerbs(c.in)
		if string(v) != c.want || ok != c.ok {
			t.Errorf("formatVerbs(%q) = %q, %v; want %q, %v", c.in, v, ok, c.want, c.ok)
		}
	}
}
