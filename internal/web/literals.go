package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"text/template/parse"
)

// Pages print most of their words through {{.L "中文" "English"}}: a method
// call by reflection for every word of every page, a quarter of the CPU
// of a detail page. Those calls whose two texts are literals give the same
// output for every request of a language, so each page set is kept once
// per language with such calls replaced by their output, escaped exactly
// as html/template escapes the call's result at that place (the escaper is
// read from the escaped template; a place whose escaping is not one of the
// plain text ones below keeps its call). Page is the only type with an L
// method, so a literal call that runs at all is Page.L, and render picks
// the set of the page's language (pageLang).

// literalEscapers escape a text the way html/template's escaper of that
// name does; each is html/template itself, run on a probe template where
// it escapes the text, when the pages are parsed.
type literalEscapers map[string]func(string) (string, error)

// newLiteralEscapers builds the escapers of escaperProbes, each named by
// the escaper html/template put in its probe. A probe whose escaping is
// not a single escaper (a future html/template may chain more) is left
// out, and calls in that context stay calls.
func newLiteralEscapers() (literalEscapers, error) {
	// Each probe puts {{.}} in one context; before and after are the text
	// around it in the output.
	probes := []struct{ src, before, after string }{
		{`{{.}}`, ``, ``}, // HTML text
		{`<a title="{{.}}"></a>`, `<a title="`, `"></a>`}, // a quoted attribute value
		{`<title>{{.}}</title>`, `<title>`, `</title>`},   // RCDATA (title, textarea)
	}
	out := literalEscapers{}
	for _, p := range probes {
		t, err := template.New("probe").Parse(p.src)
		if err != nil {
			return nil, err
		}
		if err := t.Execute(io.Discard, ""); err != nil { // escapes the tree
			return nil, fmt.Errorf("web: escaper probe %q: %w", p.src, err)
		}
		name, ok := soleEscaper(t.Tree.Root)
		if !ok {
			continue
		}
		out[name] = func(s string) (string, error) {
			var b bytes.Buffer
			if err := t.Execute(&b, s); err != nil {
				return "", err
			}
			o := b.String()
			if len(o) < len(p.before)+len(p.after) || o[:len(p.before)] != p.before || o[len(o)-len(p.after):] != p.after {
				return "", fmt.Errorf("web: escaper probe %q printed %q", p.src, o)
			}
			return o[len(p.before) : len(o)-len(p.after)], nil
		}
	}
	return out, nil
}

// soleEscaper returns the escaper of a probe's only action, if that action
// is {{. | escaper}}.
func soleEscaper(root *parse.ListNode) (string, bool) {
	var found []*parse.ActionNode
	for _, n := range root.Nodes {
		if a, ok := n.(*parse.ActionNode); ok {
			found = append(found, a)
		}
	}
	if len(found) != 1 {
		return "", false
	}
	cmds := found[0].Pipe.Cmds
	if len(cmds) != 2 || len(cmds[0].Args) != 1 || cmds[0].Args[0].Type() != parse.NodeDot || len(cmds[1].Args) != 1 {
		return "", false
	}
	id, ok := cmds[1].Args[0].(*parse.IdentifierNode)
	if !ok {
		return "", false
	}
	return id.Ident, true
}

// resolveLiterals escapes page set t for its entry template (entry) and
// replaces each literal L call in it by its output for lang. It returns
// how many calls it replaced.
func resolveLiterals(t *template.Template, entry, lang string, esc literalEscapers) (int, error) {
	// Executing with no data escapes every template entry reaches, then
	// fails at its first field: only an escaping error matters here.
	err := t.ExecuteTemplate(io.Discard, entry, nil)
	var te *template.Error
	if errors.As(err, &te) {
		return 0, fmt.Errorf("web: escape %s: %w", t.Name(), err)
	}
	n := 0
	for _, x := range t.Templates() {
		if x.Tree == nil || x.Tree.Root == nil {
			continue
		}
		k, err := resolveList(x.Tree.Root, lang, esc)
		if err != nil {
			return n, fmt.Errorf("web: resolve %s: %w", x.Name(), err)
		}
		n += k
	}
	return n, nil
}

// resolveList replaces the literal calls in a list and its branches, then
// joins neighbouring texts.
func resolveList(l *parse.ListNode, lang string, esc literalEscapers) (int, error) {
	if l == nil {
		return 0, nil
	}
	n := 0
	for i, node := range l.Nodes {
		var err error
		k := 0
		switch x := node.(type) {
		case *parse.ActionNode:
			text, ok, e := literalOutput(x, lang, esc)
			if e != nil {
				return n, e
			}
			if ok {
				l.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: x.Pos, Text: []byte(text)}
				k = 1
			}
		case *parse.IfNode:
			k, err = resolveBranch(&x.BranchNode, lang, esc)
		case *parse.RangeNode:
			k, err = resolveBranch(&x.BranchNode, lang, esc)
		case *parse.WithNode:
			k, err = resolveBranch(&x.BranchNode, lang, esc)
		}
		if err != nil {
			return n, err
		}
		n += k
	}
	joinTexts(l)
	return n, nil
}

func resolveBranch(b *parse.BranchNode, lang string, esc literalEscapers) (int, error) {
	n, err := resolveList(b.List, lang, esc)
	if err != nil {
		return n, err
	}
	k, err := resolveList(b.ElseList, lang, esc)
	return n + k, err
}

// literalOutput is what action a prints in lang, if it is {{.L "zh" "en"}}
// or {{$.L "zh" "en"}} followed by one escaper of esc only.
func literalOutput(a *parse.ActionNode, lang string, esc literalEscapers) (string, bool, error) {
	p := a.Pipe
	if len(p.Decl) != 0 || len(p.Cmds) != 2 {
		return "", false, nil
	}
	call := p.Cmds[0].Args
	if len(call) != 3 {
		return "", false, nil
	}
	switch f := call[0].(type) {
	case *parse.FieldNode:
		if len(f.Ident) != 1 || f.Ident[0] != "L" {
			return "", false, nil
		}
	case *parse.VariableNode:
		if len(f.Ident) != 2 || f.Ident[0] != "$" || f.Ident[1] != "L" {
			return "", false, nil
		}
	default:
		return "", false, nil
	}
	zh, ok1 := call[1].(*parse.StringNode)
	en, ok2 := call[2].(*parse.StringNode)
	if !ok1 || !ok2 || len(p.Cmds[1].Args) != 1 {
		return "", false, nil
	}
	id, ok := p.Cmds[1].Args[0].(*parse.IdentifierNode)
	if !ok {
		return "", false, nil
	}
	escape, ok := esc[id.Ident]
	if !ok {
		return "", false, nil
	}
	text := Page{Lang: lang}.L(zh.Text, en.Text)
	out, err := escape(text)
	return out, err == nil, err
}

// joinTexts merges neighbouring text nodes, so a run of resolved words is
// one write.
func joinTexts(l *parse.ListNode) {
	out := l.Nodes[:0]
	for _, node := range l.Nodes {
		if t, ok := node.(*parse.TextNode); ok && len(out) > 0 {
			if prev, ok := out[len(out)-1].(*parse.TextNode); ok {
				joined := make([]byte, 0, len(prev.Text)+len(t.Text))
				joined = append(append(joined, prev.Text...), t.Text...)
				out[len(out)-1] = &parse.TextNode{NodeType: parse.NodeText, Pos: prev.Pos, Text: joined}
				continue
			}
		}
		out = append(out, node)
	}
	clear(l.Nodes[len(out):])
	l.Nodes = out
}
