package arch

import (
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

// Table ownership. A module owns the tables its migration range creates,
// and only its package's SQL may name them; other modules go through its
// Go API.
//
// Ranges (the first two digits of a migration's number, hundreds):
//
//	0001–0099 foundation: org, auth, audit, db (table by table, below)
//	0100 kpi, 0200 plan, 0300 enterprise, 0400 award,
//	0500 scenario, 0600 finance, 0700 insight,
//	0800 panel (the review panel awards and scenarios share)
//
// Every package under internal/ and cmd/ is scanned, including the web
// packages, the app assembly and the demo loader, which own no tables: the
// web calls services, and the demo loads data through them.
//
// bench/ is not scanned: its programs are load tools that prepare data
// sets, not part of the product.
//
// Test files (_test.go) are not scanned: a test builds its fixtures where
// it likes and checks stored rows directly. Non-test helpers for tests
// (internal/db/dbtest) are scanned like any package.

// rangeOwners gives the owning package directory of each module range.
var rangeOwners = map[int]string{
	1: "internal/kpi", 2: "internal/plan", 3: "internal/enterprise", 4: "internal/award",
	5: "internal/scenario", 6: "internal/finance", 7: "internal/insight",
	8: "internal/panel",
}

// foundationOwners assigns the foundation tables (0001–0099) to packages.
// A new foundation table fails the test until it is listed here.
var foundationOwners = map[string]string{
	"units":           "internal/org",
	"users":           "internal/org",
	"sessions":        "internal/auth",
	"api_tokens":      "internal/auth",
	"login_failures":  "internal/auth",
	"login_locks":     "internal/auth",
	"audit_log":       "internal/audit",
	"audit_refusals":  "internal/audit",
	"audit_archives":  "internal/audit",
	"job_runs":        "internal/db",
	"crypto_mode":     "internal/db",
	"module_versions": "internal/memo",
}

// exceptions are the cross-module reads and writes known today, each with
// why it is still there; the key is "package-dir table". The test fails
// when one is no longer needed, so the list only shrinks.
var exceptions = map[string]string{
	// Names of users who entered figures, and the office areas (units) an
	// enterprise belongs to, joined into the registry's lists and detail.
	"internal/enterprise users": "names of who entered figures; account link",
	"internal/enterprise units": "office area name and code joined into lists",
	// Foundation: org ends an account's sessions and tokens, and clears
	// its login locks, when it is disabled or its password changes; auth
	// imports org, so org cannot call auth without a cycle.
	"internal/org sessions":    "disabling or a new password ends sessions",
	"internal/org api_tokens":  "disabling revokes API tokens",
	"internal/org login_locks": "a new password clears lockouts",
	// Targets and the plan join units for the responsible unit's code and
	// name in the queries behind the dashboard and the plan tree (both
	// benchmarked paths); org offers Units(), and the join moves to it
	// when these queries are next reworked.
	"internal/kpi units":  "owner unit code and name joined into indicator queries",
	"internal/plan units": "lead and co-unit names joined into tree, reports, chases, bulletins",
}

// migrationName is a migration file's number and name.
var migrationName = regexp.MustCompile(`^(\d{4})_.*\.sql$`)

// createTable finds the tables a migration creates.
var createTable = regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)`)

// tableOwners reads the migrations in dir and returns each table's owning
// package directory.
func tableOwners(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	owners := map[string]string{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		for _, c := range createTable.FindAllStringSubmatch(string(body), -1) {
			table := strings.ToLower(c[1])
			owner := rangeOwners[n/100]
			if n < 100 {
				owner = foundationOwners[table]
			}
			if owner == "" {
				owner = "?" + e.Name() // no owner known: reported by the test
			}
			owners[table] = owner
		}
	}
	return owners, nil
}

// sqlLike tells a string literal that holds SQL (or a fragment of it).
var sqlLike = regexp.MustCompile(`(?i)\b(select|insert\s+into|update|delete\s+from|create\s+(?:unique\s+)?(?:table|index)|alter\s+table|drop\s+table|from|join|truncate)\b`)

// word finds identifiers in SQL text.
var word = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// violation is a table named by a package that does not own it.
type violation struct {
	Pos   string // file:line
	Table string
	Owner string
}

// scanSource reports the tables that the SQL string literals of one Go
// source file name, when pkg (a package directory) does not own them.
func scanSource(fset *token.FileSet, filename string, src any, pkg string, owners map[string]string) ([]violation, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []violation
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !sqlLike.MatchString(s) {
			return true
		}
		seen := map[string]bool{}
		for _, w := range word.FindAllString(s, -1) {
			w = strings.ToLower(w)
			owner, known := owners[w]
			if !known || owner == pkg || seen[w] {
				continue
			}
			seen[w] = true
			out = append(out, violation{Pos: fset.Position(lit.Pos()).String(), Table: w, Owner: owner})
		}
		return true
	})
	return out, nil
}

// scanTree scans every non-test Go file under the given roots of the
// module at root and returns violations by package directory.
func scanTree(root string, dirs []string, owners map[string]string) (map[string][]violation, error) {
	out := map[string][]violation{}
	fset := token.NewFileSet()
	err := eachSource(root, dirs, func(rel, pkg string, src []byte) error {
		vs, err := scanSource(fset, rel, src, pkg, owners)
		if err != nil {
			return err
		}
		// A sub-package of an owner (internal/db/dbtest) is not its owner.
		if len(vs) > 0 {
			out[pkg] = append(out[pkg], vs...)
		}
		return nil
	})
	return out, err
}

func TestTablesAreReadOnlyByTheirOwner(t *testing.T) {
	root := filepath.Join("..", "..")
	owners, err := tableOwners(filepath.Join(root, "internal", "db", "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	if len(owners) < 20 {
		t.Fatalf("found only %d tables in the migrations", len(owners))
	}
	for table, owner := range owners {
		if strings.HasPrefix(owner, "?") {
			t.Errorf("table %s (%s) has no owner: add it to foundationOwners or rangeOwners", table, owner[1:])
		}
	}
	found, err := scanTree(root, []string{"internal", "cmd"}, owners)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	var pkgs []string
	for p := range found {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		for _, v := range found[p] {
			key := p + " " + v.Table
			if _, ok := exceptions[key]; ok {
				used[key] = true
				continue
			}
			t.Errorf("%s: package %s names table %s, owned by %s; ask %s's Go API instead", v.Pos, p, v.Table, v.Owner, v.Owner)
		}
	}
	for key := range exceptions {
		if !used[key] {
			t.Errorf("exception %q is no longer needed: remove it", key)
		}
	}
}

func TestScannerFindsForeignTables(t *testing.T) {
	owners := map[string]string{"enterprises": "internal/enterprise", "award_grants": "internal/award", "users": "internal/org"}
	src := `package award

const grantCols = "g.id, e.name FROM award_grants g JOIN enterprises e ON e.id = g.enterprise_id"

func f() {
	q := ` + "`SELECT id FROM award_grants WHERE id = $1`" + `
	msg := "award: no users here" // not SQL: no keyword
	_ = "INSERT INTO Users (name) VALUES ($1)"
	_, _ = q, msg
}
`
	vs, err := scanSource(token.NewFileSet(), "x.go", src, "internal/award", owners)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range vs {
		got[v.Table] = v.Pos
	}
	if len(vs) != 2 || got["enterprises"] != "x.go:3:19" || got["users"] != "x.go:8:6" {
		t.Fatalf("violations = %+v, want enterprises at x.go:3:19 and users at x.go:8:6", vs)
	}
	// The owner itself may name its tables.
	vs, err = scanSource(token.NewFileSet(), "y.go", `package enterprise
const q = "SELECT name FROM enterprises WHERE id = $1"`, "internal/enterprise", owners)
	if err != nil || len(vs) != 0 {
		t.Fatalf("owner's own table: %+v, %v", vs, err)
	}
}

func TestMigrationOwners(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"0001_foundation.sql": "CREATE TABLE users (id INT);\nCREATE TABLE mystery (id INT);",
		"0300_enterprise.sql": "create table if not exists enterprises (id INT);",
		"0410_award_more.sql": "CREATE TABLE award_x (id INT); CREATE INDEX award_x_i ON award_x(id);",
		"README.md":           "CREATE TABLE not_a_migration (id INT);",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	owners, err := tableOwners(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"users": "internal/org", "mystery": "?0001_foundation.sql",
		"enterprises": "internal/enterprise", "award_x": "internal/award"}
	if len(owners) != len(want) {
		t.Fatalf("owners = %v, want %v", owners, want)
	}
	for k, v := range want {
		if owners[k] != v {
			t.Errorf("owner of %s = %q, want %q", k, owners[k], v)
		}
	}
}
