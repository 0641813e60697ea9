package db

import (
	"strings"
	"testing"
)

func TestMigrationSQLDialectBlocks(t *testing.T) {
	src := "CREATE TABLE a (x INT PRIMARY KEY) {{WITHOUT_ROWID}};\n{{SQLITE}}\nDROP TABLE b;\n{{END}}\nCREATE INDEX c ON a(x);\n{{SQLITE}}DROP TABLE d;{{END}}{{POSTGRES}}ALTER TABLE e DROP CONSTRAINT f;{{END}} {{BLOB}}"
	lite := migrationSQL(SQLite, src)
	pg := migrationSQL(Postgres, src)
	for _, want := range []string{"WITHOUT ROWID", "DROP TABLE b;", "DROP TABLE d;", "CREATE INDEX c"} {
		if !strings.Contains(lite, want) {
			t.Errorf("SQLite text lacks %q:\n%s", want, lite)
		}
	}
	for _, absent := range []string{"WITHOUT ROWID", "DROP TABLE", "{{"} {
		if strings.Contains(pg, absent) {
			t.Errorf("PostgreSQL text holds %q:\n%s", absent, pg)
		}
	}
	if !strings.Contains(pg, "ALTER TABLE e DROP CONSTRAINT f;") || strings.Contains(lite, "ALTER TABLE e") {
		t.Errorf("PostgreSQL block: sqlite %q, postgres %q", lite, pg)
	}
	if !strings.HasSuffix(pg, " BYTEA") || !strings.HasSuffix(lite, " BLOB") {
		t.Errorf("macros after the blocks: sqlite %q, postgres %q", lite, pg)
	}
	if !strings.Contains(pg, "CREATE INDEX c") || strings.Contains(lite, "{{") {
		t.Errorf("blocks mangled:\nsqlite: %s\npostgres: %s", lite, pg)
	}
}

func TestMigrationSQLClauses(t *testing.T) {
	src := "CREATE TABLE a (c TEXT {{COLLATE_C}} NOT NULL, v INT, PRIMARY KEY (c) {{POSTGRES}}INCLUDE (v){{END}}) {{WITHOUT_ROWID}};"
	if got, want := migrationSQL(Postgres, src), `CREATE TABLE a (c TEXT COLLATE "C" NOT NULL, v INT, PRIMARY KEY (c) INCLUDE (v)) ;`; got != want {
		t.Errorf("PostgreSQL:\n%s\nwant\n%s", got, want)
	}
	if got, want := migrationSQL(SQLite, src), "CREATE TABLE a (c TEXT  NOT NULL, v INT, PRIMARY KEY (c) ) WITHOUT ROWID;"; got != want {
		t.Errorf("SQLite:\n%s\nwant\n%s", got, want)
	}
}
