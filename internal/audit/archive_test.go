package audit_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gaoxin/internal/audit"
	"gaoxin/internal/db/dbtest"
)

// TestArchiveKeepsRetentionAndVerifies: records past the 180-day retention
// move to a signed file; the rows left still verify, and so does the file.
// Younger records cannot be archived or deleted; a changed or lost file,
// or one signed with another key, fails the check.
func TestArchiveKeepsRetentionAndVerifies(t *testing.T) {
	d := dbtest.Open(t)
	key := []byte("archive-test-key-of-more-than-thirty-two-bytes")
	l := audit.NewWith(d, audit.Options{Key: key})
	write := func(at time.Time, n int) {
		ctx := audit.WithClock(audit.WithActor(context.Background(), audit.Actor{Name: "tester"}), func() time.Time { return at })
		for i := range n {
			if err := l.Record(ctx, audit.Entry{Action: "test.write", ObjectType: "thing", ObjectID: "1", After: map[string]int{"n": i}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	now := time.Now()
	write(now.AddDate(0, 0, -400), 5)
	write(now.AddDate(0, 0, -200), 4)
	write(now.AddDate(0, 0, -10), 3)
	ctx := context.Background()
	dir := t.TempDir()

	if _, _, err := l.ArchiveBefore(ctx, now.AddDate(0, 0, -100), dir); err == nil || !strings.Contains(err.Error(), "180") {
		t.Fatalf("archiving records younger than 180 days: %v", err)
	}
	a, ok, err := l.ArchiveBefore(ctx, now.AddDate(0, 0, -300), dir)
	if err != nil || !ok || a.FirstID != 1 || a.LastID != 5 || a.Rows != 5 {
		t.Fatalf("first archive: %+v %v %v", a, ok, err)
	}
	b, ok, err := l.ArchiveBefore(ctx, now.AddDate(0, 0, -181), dir)
	if err != nil || !ok || b.FirstID != 6 || b.LastID != 9 {
		t.Fatalf("second archive: %+v %v %v", b, ok, err)
	}
	if _, ok, err := l.ArchiveBefore(ctx, now.AddDate(0, 0, -181), dir); err != nil || ok {
		t.Fatalf("nothing left to archive: %v %v", ok, err)
	}
	var left int
	d.R.QueryRow("SELECT COUNT(*) FROM audit_log").Scan(&left)
	if left != 5 { // three young rows and the two archiving records
		t.Fatalf("%d rows left in the database", left)
	}
	if n, err := l.Verify(ctx); err != nil || n != 5 {
		t.Fatalf("the rows left: n=%d err=%v", n, err)
	}
	if n, err := l.VerifyArchives(ctx, dir); err != nil || n != 9 {
		t.Fatalf("the archives: n=%d err=%v", n, err)
	}
	// The guard: a young row cannot go, archived or not.
	if _, err := d.W.Exec("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)"); err == nil {
		t.Fatal("a young audit record was deleted")
	}
	if _, err := d.W.Exec("DELETE FROM audit_archives"); err == nil {
		t.Fatal("the list of archives was emptied")
	}
	// Another key does not accept the files.
	other := audit.NewWith(d, audit.Options{Key: []byte("another-key-of-more-than-thirty-two-bytes!!")})
	var be *audit.BrokenError
	if _, err := other.VerifyArchives(ctx, dir); !errors.As(err, &be) {
		t.Fatalf("archives under another key: %v", err)
	}
	// A changed file, then a lost one.
	path := filepath.Join(dir, b.File)
	body, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(body), `"n\":1`, `"n\":7`, 1)), 0o600)
	if _, err := l.VerifyArchives(ctx, dir); !errors.As(err, &be) || !strings.Contains(be.Reason, b.File) {
		t.Fatalf("changed archive: %v", err)
	}
	os.Remove(path)
	if _, err := l.VerifyArchives(ctx, dir); !errors.As(err, &be) || !strings.Contains(be.Reason, "cannot be read") {
		t.Fatalf("lost archive: %v", err)
	}
}
