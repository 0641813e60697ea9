package arch

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// PostgreSQL 12 is the oldest server the product runs on: the zone's
// PostgreSQL-derived databases (Kingbase V8R6, Highgo) follow 12, and none
// of them may be asked to install an extension. The product's SQL, that is
// the string literals of the non-test Go files under internal/ and cmd/
// (a chain of literals joined with + is read as one text) and the
// migrations (without their comments and {{SQLITE}} blocks), must use
// nothing from the deny-list below: features that came after 12, and the
// functions of extensions. docs/ARCHITECTURE.md ("PostgreSQL features and
// versions") lists what the SQL does use, and since which version.
//
// A deny-list cannot prove the SQL runs on 12; it keeps out what is known
// to be later. The tests themselves run on the machine's PostgreSQL.

// pgFeature is a feature the product's SQL may not use.
type pgFeature struct {
	name  string
	since string // the first PostgreSQL version that has it, or "extension"
	re    *regexp.Regexp
	// inSQL: the pattern also reads as plain words ("body is not JSON"),
	// so it counts only in a text that reads as SQL (sqlLike); the others
	// count in any literal, such as a clause kept apart from its statement.
	inSQL bool
}

func feature(name, since, pattern string) pgFeature {
	return pgFeature{name: name, since: since, re: regexp.MustCompile(`(?i)` + pattern)}
}

func featureInSQL(name, since, pattern string) pgFeature {
	f := feature(name, since, pattern)
	f.inSQL = true
	return f
}

// newerThan12 is the deny-list.
var newerThan12 = []pgFeature{
	feature("DROP DATABASE … WITH (FORCE)", "13", `\bWITH\s*\(\s*FORCE\s*\)`),
	feature("gen_random_uuid() (an extension, pgcrypto, before 13)", "13", `\bgen_random_uuid\b`),
	feature("FETCH FIRST … WITH TIES", "13", `\bWITH\s+TIES\b`),
	feature("gcd, lcm, trim_scale, min_scale", "13", `\b(gcd|lcm|trim_scale|min_scale)\s*\(`),
	featureInSQL("jsonb subscripting (col['key'])", "14", `[\w")\]]\s*\[\s*'`),
	feature("multirange types, range_agg", "14", `\b(range_agg\b|\w*multirange\b)`),
	feature("SEARCH / CYCLE clause of a recursive query", "14", `\bSEARCH\s+(DEPTH|BREADTH)\s+FIRST\b|\bCYCLE\s+\w+(\s*,\s*\w+)*\s+SET\b`),
	feature("string_to_table, trim_array, bit_count, date_bin", "14", `\b(string_to_table|trim_array|bit_count|date_bin)\s*\(`),
	feature("CREATE OR REPLACE TRIGGER", "14", `\bCREATE\s+OR\s+REPLACE\s+TRIGGER\b`),
	feature("column COMPRESSION", "14", `\bCOMPRESSION\s+(lz4|pglz|default)\b`),
	feature("MERGE", "15", `\bMERGE\s+INTO\b`),
	feature("UNIQUE NULLS NOT DISTINCT", "15", `\bNULLS\s+(NOT\s+)?DISTINCT\b`),
	feature("regexp_count, regexp_instr, regexp_like, regexp_substr", "15", `\bregexp_(count|instr|like|substr)\s*\(`),
	featureInSQL("SQL/JSON constructors and IS JSON", "16", `\b(JSON_ARRAYAGG|JSON_OBJECTAGG)\s*\(|\bIS\s+(NOT\s+)?JSON\b`),
	featureInSQL("any_value, SYSTEM_USER, pg_input_is_valid", "16", `\bany_value\s*\(|\bSYSTEM_USER\b|\bpg_input_is_valid\b`),
	feature("SQL/JSON query functions (JSON_TABLE, JSON_VALUE …)", "17", `\b(JSON_TABLE|JSON_EXISTS|JSON_QUERY|JSON_VALUE|JSON_SCALAR|JSON_SERIALIZE)\s*\(`),
	feature("COPY … ON_ERROR", "17", `\bON_ERROR\b`),
	feature("RETURNING OLD / NEW", "18", `\bRETURNING\s+(OLD|NEW)\s*\.|\bWITH\s*\(\s*(OLD|NEW)\s+AS\b`),
	feature("virtual generated columns, WITHOUT OVERLAPS", "18", `\)\s*VIRTUAL\b|\bWITHOUT\s+OVERLAPS\b`),
	feature("uuidv4(), uuidv7()", "18", `\buuidv[47]\s*\(`),
	feature("CREATE EXTENSION", "extension", `\bCREATE\s+EXTENSION\b`),
	featureInSQL("functions of extensions (uuid-ossp, pgcrypto, pg_trgm, hstore)", "extension",
		`\b(uuid_generate_v[1345](mc)?|gen_salt|crypt|pgp_sym_encrypt|pgp_sym_decrypt|similarity|word_similarity)\s*\(|::\s*hstore\b`),
}

// pgFinding is one use of a denied feature.
type pgFinding struct {
	pos   string // file:line
	what  pgFeature
	match string
}

// scanText reports the denied features text uses; line tells the source
// line of a byte offset in text.
func scanText(text string, line func(off int) string) []pgFinding {
	var out []pgFinding
	isSQL := sqlLike.MatchString(text)
	for _, f := range newerThan12 {
		if f.inSQL && !isSQL {
			continue
		}
		for _, m := range f.re.FindAllStringIndex(text, -1) {
			out = append(out, pgFinding{pos: line(m[0]), what: f, match: text[m[0]:m[1]]})
		}
	}
	return out
}

// sqlSegment is a string literal's value within a joined text.
type sqlSegment struct {
	start int // offset in the joined text
	line  int // source line the literal starts on
	raw   bool
	value string
}

// concatOperands lists the operands of a chain of + in order.
func concatOperands(e ast.Expr) []ast.Expr {
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
		return append(concatOperands(b.X), concatOperands(b.Y)...)
	}
	if p, ok := e.(*ast.ParenExpr); ok {
		return concatOperands(p.X)
	}
	return []ast.Expr{e}
}

// scanGoSQL reports the denied features in the string literals of one Go
// source file. Literals joined with + are read as one text (another
// operand stands as a "?"), so a feature split across them is found.
func scanGoSQL(fset *token.FileSet, filename string, src any) ([]pgFinding, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []pgFinding
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		var ops []ast.Expr
		switch x := n.(type) {
		case *ast.BinaryExpr:
			if x.Op != token.ADD {
				return true
			}
			ops = concatOperands(x)
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return false
			}
			ops = []ast.Expr{x}
		default:
			return true
		}
		var b strings.Builder
		var segs []sqlSegment
		for _, op := range ops {
			lit, ok := op.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				b.WriteString(" ? ")
				ast.Inspect(op, visit) // literals inside a call among the operands
				continue
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				continue
			}
			segs = append(segs, sqlSegment{start: b.Len(), line: fset.Position(lit.Pos()).Line, raw: strings.HasPrefix(lit.Value, "`"), value: v})
			b.WriteString(v)
		}
		if len(segs) == 0 {
			return false
		}
		out = append(out, scanText(b.String(), func(off int) string {
			s := segs[0]
			for _, g := range segs {
				if g.start <= off {
					s = g
				}
			}
			l := s.line
			if s.raw && off > s.start {
				l += strings.Count(s.value[:min(off-s.start, len(s.value))], "\n")
			}
			return filename + ":" + strconv.Itoa(l)
		})...)
		return false
	}
	ast.Inspect(f, visit)
	return out, nil
}

// sqliteBlock is a migration's text for SQLite only.
var sqliteBlock = regexp.MustCompile(`(?s)\{\{SQLITE\}\}.*?\{\{END\}\}`)

// scanMigration reports the denied features of one migration, as
// PostgreSQL runs it: without its comments and its {{SQLITE}} blocks
// (blanked, so line numbers stay).
func scanMigration(filename, text string) []pgFinding {
	text = sqliteBlock.ReplaceAllStringFunc(text, func(s string) string {
		return strings.Repeat("\n", strings.Count(s, "\n"))
	})
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if j := strings.Index(l, "--"); j >= 0 {
			lines[i] = l[:j]
		}
	}
	text = strings.Join(lines, "\n")
	return scanText(text, func(off int) string {
		return filename + ":" + strconv.Itoa(strings.Count(text[:off], "\n")+1)
	})
}

// scanPostgres12 scans the non-test Go files under dirs and the migrations
// in migDir of the module at root.
func scanPostgres12(root string, dirs []string, migDir string) ([]pgFinding, error) {
	var out []pgFinding
	fset := token.NewFileSet()
	err := eachSource(root, dirs, func(rel, _ string, src []byte) error {
		fs, err := scanGoSQL(fset, rel, src)
		out = append(out, fs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(root, migDir))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, migDir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, scanMigration(filepath.ToSlash(filepath.Join(migDir, e.Name())), string(b))...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out, nil
}

func (f pgFinding) String() string {
	since := "PostgreSQL " + f.what.since
	if f.what.since == "extension" {
		since = "an extension"
	}
	return fmt.Sprintf("%s: %q is %s, which needs %s; the product's SQL keeps to PostgreSQL 12 without extensions", f.pos, f.match, f.what.name, since)
}

func TestSQLKeepsToPostgres12(t *testing.T) {
	found, err := scanPostgres12(filepath.Join("..", ".."), []string{"internal", "cmd"}, filepath.Join("internal", "db", "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Error(f)
	}
}

func TestPostgres12ScannerFinds(t *testing.T) {
	src := "package x\n\n" +
		"const ok = `INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = excluded.a RETURNING id`\n" +
		"const ok2 = \"SELECT arr[1], COUNT(*) FILTER (WHERE a > 0) FROM t WHERE b = 'x' FOR UPDATE\"\n" +
		"\n" +
		"func f(name string) {\n" +
		"	_ = \"DROP DATABASE IF EXISTS \" + name + \" WITH (FORCE)\"\n" + // line 7
		"	_ = `SELECT 1\n" +
		"	FROM t\n" +
		"	WHERE doc['k'] = '1'`\n" + // line 10: the raw literal's third line
		"	g(\"MERGE \" + \"INTO t USING s ON t.id = s.id\")\n" + // line 11: split across literals, inside a call
		"	_ = \"CREATE UNIQUE INDEX i ON t (a) NULLS NOT DISTINCT\"\n" + // line 12
		"	_ = \"INSERT INTO t (id) VALUES (gen_random_uuid())\"\n" + // line 13
		"	_ = \"body is not JSON\" // words, not SQL\n" +
		"}\n"
	got, err := scanGoSQL(token.NewFileSet(), "x.go", src)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, f := range got {
		have = append(have, strings.TrimPrefix(f.pos, "x.go:")+" "+f.what.since)
	}
	sort.Strings(have)
	want := []string{"10 14", "11 15", "12 15", "13 13", "7 13"}
	if strings.Join(have, ", ") != strings.Join(want, ", ") {
		for _, f := range got {
			t.Log(f)
		}
		t.Errorf("found %v, want %v", have, want)
	}

	mig := "-- MERGE INTO in a comment is no use of it\n" +
		"CREATE TABLE t (id {{ID}}, v BIGINT, PRIMARY KEY (id) {{POSTGRES}}INCLUDE (v){{END}});\n" +
		"{{SQLITE}}\nCREATE EXTENSION nothing_on_sqlite;\n{{END}}\n" +
		"CREATE EXTENSION pgcrypto;\n" + // line 6
		"SELECT range_agg(r) FROM t; -- and a comment\n" // line 7
	var ms []string
	for _, f := range scanMigration("0999_x.sql", mig) {
		ms = append(ms, f.pos+" "+f.what.since)
	}
	sort.Strings(ms)
	if w := "0999_x.sql:6 extension, 0999_x.sql:7 14"; strings.Join(ms, ", ") != w {
		t.Errorf("migration: found %v, want %s", ms, w)
	}
}
