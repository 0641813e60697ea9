package xlsx

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The scanner knows the little of XML that spreadsheet parts use:
// elements (any namespace prefix is dropped from names), attributes in
// single or double quotes, text with the five named entities and numeric
// character references, CDATA sections, comments, processing
// instructions and a DOCTYPE (skipped).

const (
	tEOF = iota
	tStart
	tEnd
	tText
)

type token struct {
	kind      int
	name      []byte // local name of a start or end tag
	attrs     []byte // raw attributes of a start tag
	selfClose bool
	text      []byte // decoded text
}

type scanner struct {
	br   *bufio.Reader
	tag  []byte // the current tag's bytes
	txt  []byte // the current text, decoded
	err  error
	tokn token
}

var errSyntax = errors.New("xlsx: malformed XML")

// next returns the next token; its slices are valid until the next call.
func (s *scanner) next() *token {
	t := &s.tokn
	*t = token{}
	if s.err != nil {
		return t
	}
	c, err := s.br.ReadByte()
	if err != nil {
		s.err = err
		return t
	}
	if c != '<' {
		s.br.UnreadByte()
		if !s.readText() {
			return t
		}
		t.kind, t.text = tText, s.txt
		return t
	}
	peek, _ := s.br.Peek(1)
	if len(peek) == 0 {
		s.err = errSyntax
		return t
	}
	switch peek[0] {
	case '?':
		s.skipPast("?>")
		return s.next()
	case '!':
		if p, _ := s.br.Peek(8); string(p) == "![CDATA[" {
			s.br.Discard(8)
			if !s.readUntil("]]>") {
				return t
			}
			t.kind, t.text = tText, s.txt
			return t
		}
		if p, _ := s.br.Peek(3); string(p) == "!--" {
			s.skipPast("-->")
		} else {
			s.skipPast(">")
		}
		return s.next()
	case '/':
		s.br.Discard(1)
		if !s.readTag() {
			return t
		}
		t.kind, t.name = tEnd, local(bytes.TrimSpace(s.tag))
		return t
	}
	if !s.readTag() {
		return t
	}
	b := s.tag
	if n := len(b); n > 0 && b[n-1] == '/' {
		t.selfClose = true
		b = b[:n-1]
	}
	end := bytes.IndexAny(b, " \t\r\n")
	if end < 0 {
		end = len(b)
	}
	t.kind, t.name, t.attrs = tStart, local(b[:end]), b[end:]
	return t
}

// readTag reads up to the closing '>' (outside quotes) into s.tag.
func (s *scanner) readTag() bool {
	s.tag = s.tag[:0]
	var quote byte
	for {
		chunk, err := s.br.ReadSlice('>')
		for _, c := range chunk {
			switch {
			case quote != 0 && c == quote:
				quote = 0
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			}
		}
		s.tag = append(s.tag, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			s.err = errSyntax
			return false
		}
		if quote == 0 {
			s.tag = s.tag[:len(s.tag)-1]
			return true
		}
	}
}

// readText reads text up to the next '<' into s.txt, decoded.
func (s *scanner) readText() bool {
	s.txt = s.txt[:0]
	for {
		chunk, err := s.br.ReadSlice('<')
		if err == nil {
			s.txt = append(s.txt, chunk[:len(chunk)-1]...)
			s.br.UnreadByte()
			break
		}
		s.txt = append(s.txt, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break // trailing text at the end of a part
		}
		s.err = err
		return false
	}
	if bytes.IndexByte(s.txt, '\r') >= 0 { // XML reads \r\n and a lone \r as \n
		s.txt = bytes.ReplaceAll(s.txt, []byte("\r\n"), []byte("\n"))
		s.txt = bytes.ReplaceAll(s.txt, []byte("\r"), []byte("\n"))
	}
	if bytes.IndexByte(s.txt, '&') >= 0 {
		d, ok := unescape(s.txt)
		if !ok {
			s.err = errSyntax
			return false
		}
		s.txt = d
	}
	return true
}

// readUntil reads raw text up to end (CDATA) into s.txt.
func (s *scanner) readUntil(end string) bool {
	s.txt = s.txt[:0]
	last := end[len(end)-1]
	for {
		chunk, err := s.br.ReadSlice(last)
		s.txt = append(s.txt, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			s.err = errSyntax
			return false
		}
		if bytes.HasSuffix(s.txt, []byte(end)) {
			s.txt = s.txt[:len(s.txt)-len(end)]
			return true
		}
	}
}

// skipPast discards input up to and including end.
func (s *scanner) skipPast(end string) {
	if s.readUntil(end) {
		s.txt = s.txt[:0]
	}
}

// skip discards the rest of the element name (its start tag just read).
func (s *scanner) skip(name []byte) {
	n := string(name)
	depth := 1
	for depth > 0 {
		t := s.next()
		switch t.kind {
		case tEOF:
			return
		case tStart:
			if !t.selfClose && string(t.name) == n {
				depth++
			}
		case tEnd:
			if string(t.name) == n {
				depth--
			}
		}
	}
}

// text returns the text of the element name up to its end tag.
func (s *scanner) text(name string) string {
	var b strings.Builder
	for {
		t := s.next()
		switch t.kind {
		case tEOF:
			return b.String()
		case tText:
			b.Write(t.text)
		case tStart:
			if !t.selfClose {
				s.skip(t.name)
			}
		case tEnd:
			if string(t.name) == name {
				return b.String()
			}
		}
	}
}

// richText returns the text of the <t> elements inside the element name
// (a shared string or an inline string: plain, or runs), leaving out
// phonetic guides (<rPh>).
func (s *scanner) richText(name string) string {
	var b strings.Builder
	for {
		t := s.next()
		switch t.kind {
		case tEOF:
			return b.String()
		case tStart:
			if t.selfClose {
				continue
			}
			switch string(t.name) {
			case "t":
				b.WriteString(s.text("t"))
			case "r":
				// a run: its <t> is read in this loop
			default:
				s.skip(t.name)
			}
		case tEnd:
			if string(t.name) == name {
				return b.String()
			}
		}
	}
}

// local drops a namespace prefix.
func local(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// attr returns the value of the unprefixed attribute name.
func attr(attrs []byte, name string) string {
	v, _ := findAttr(attrs, func(k []byte) bool { return string(k) == name })
	return v
}

// prefixedAttr returns the value of a namespaced attribute whose local
// name is name (r:id, whatever the prefix).
func prefixedAttr(attrs []byte, name string) string {
	v, _ := findAttr(attrs, func(k []byte) bool {
		i := bytes.IndexByte(k, ':')
		return i >= 0 && string(k[i+1:]) == name
	})
	return v
}

func findAttr(b []byte, match func([]byte) bool) (string, bool) {
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return "", false
		}
		key := bytes.TrimSpace(b[:eq])
		rest := bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return "", false
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return "", false
		}
		val := rest[1 : 1+end]
		if match(key) {
			if bytes.IndexByte(val, '&') >= 0 {
				if d, ok := unescape(append([]byte(nil), val...)); ok {
					return string(d), true
				}
			}
			return string(val), true
		}
		b = rest[2+end:]
	}
}

// unescape decodes entities and character references in b, in place.
func unescape(b []byte) ([]byte, bool) {
	out := b[:0]
	for i := 0; i < len(b); {
		c := b[i]
		if c != '&' {
			out = append(out, c)
			i++
			continue
		}
		semi := bytes.IndexByte(b[i:], ';')
		if semi < 0 {
			return nil, false
		}
		ent := string(b[i+1 : i+semi])
		i += semi + 1
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return nil, false
			}
			var n uint64
			var err error
			if ent[1] == 'x' || ent[1] == 'X' {
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			} else {
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				return nil, false
			}
			out = utf8.AppendRune(out, rune(n))
		}
	}
	return out, true
}
