package demo

import (
	"context"
	"os"
	"testing"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/db"
	"gaoxin/internal/db/dbtest"
	"gaoxin/internal/org"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// cheapArgon keeps the demo accounts' password hashing fast in tests.
var cheapArgon = org.Argon2Params{Memory: 1024, Time: 1, Threads: 1}

// loadedAccounts are the accounts the template's Load returned.
var loadedAccounts []Account

// loadedTemplate is the full demo as `gaoxin serve --demo` loads it (at
// the demo's clock), loaded once for the package's tests.
var loadedTemplate = dbtest.NewTemplate(func(ctx context.Context, dsn string) error {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	if err := dbtest.UseCrypto(ctx, d); err != nil {
		return err
	}
	a := app.New(d, app.Options{Argon: &cheapArgon, Now: Clock})
	loadedAccounts, err = Load(audit.WithActor(ctx, audit.Actor{Name: "demo"}), a)
	return err
})

// loaded is a copy of the full demo for t, read through services built
// with o (o.Argon is set to the cheap cost), and the demo's accounts.
func loaded(t *testing.T, o app.Options) (*app.App, []Account) {
	t.Helper()
	d, _ := loadedTemplate.Open(t)
	o.Argon = &cheapArgon
	return app.New(d, o), loadedAccounts
}
