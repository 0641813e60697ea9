package web

import (
	"context"
	"strings"

	"gaoxin/internal/errs"
)

// People names, for a page, the people behind recorded login names: the
// actor of a change, the account that entered a figure or a report. A
// reader sees 督查室 李, not "supervisor"; a name that is not an account
// (the demo loader, an import job, the command line) reads as words.
type People struct {
	lang  string
	names map[string]string
}

// peopleLookups bounds the accounts looked up for one page; a page that
// names more people than this shows the rest by login name.
const peopleLookups = 100

// recordedWords are the recorded names that are not accounts.
var recordedWords = map[string][2]string{
	"demo":       {"演示数据载入", "demo data loader"},
	"system":     {"系统", "the system"},
	"import-job": {"导入任务", "import job"},
	"anonymous":  {"匿名访问者", "an anonymous caller"},
}

// People looks up the display names of the login names a page shows, in
// the page's language. Names that are no account stay as recorded.
func (s *Server) People(ctx context.Context, p Page, recorded ...string) (People, error) {
	out := People{lang: p.Lang, names: map[string]string{}}
	for _, name := range recorded {
		if _, done := out.names[name]; done || name == "" || len(out.names) >= peopleLookups {
			continue
		}
		if _, ok := recordedWords[name]; ok || strings.HasPrefix(name, "cli:") {
			continue
		}
		u, err := s.Org.UserByUsername(ctx, name)
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			out.names[name] = ""
		case err != nil:
			return out, err
		default:
			out.names[name] = u.DisplayName
		}
	}
	return out, nil
}

// Name is how a page names the recorded login name: the account's display
// name, words for the system's own names, else the name as recorded.
func (pp People) Name(recorded string) string {
	if w, ok := recordedWords[recorded]; ok {
		return L(pp.lang, w[0], w[1])
	}
	if cmd, ok := strings.CutPrefix(recorded, "cli:"); ok {
		return L(pp.lang, "命令行（"+cmd+"）", "command line ("+cmd+")")
	}
	if n := pp.names[recorded]; n != "" {
		return n
	}
	return recorded
}
