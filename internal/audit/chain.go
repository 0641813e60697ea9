package audit

import (
	"bufio"
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"gaoxin/internal/db"
)

// link is a row's keyed link: HMAC (HMAC-SHA256, or HMAC-SM3 in the
// national mode) over the previous row's link and the row's own hash. Without the key nobody can recompute it, so a row
// rewritten with a recomputed unkeyed hash no longer matches its link.
func (l *Log) link(prevMac, hash string) string {
	m := l.db.Crypto.MAC(l.opt.Key)
	fmt.Fprintf(m, "gaoxin-audit-link|%s|%s", prevMac, hash)
	return hex.EncodeToString(m.Sum(nil))
}

// BrokenError names the first row at which the chain fails.
type BrokenError struct {
	ID     int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit chain broken at row %d: %s", e.ID, e.Reason)
}

// Verify walks the whole trail in order and returns the number of rows
// checked, or a *BrokenError naming the first row that was changed, deleted
// (its successor no longer links) or reordered. With a key it also checks
// every keyed link (rows from before the key are accepted only as a prefix
// of the trail), and with a checkpoint file every signed checkpoint: the row
// it names must still exist with the same hash, which detects the newest
// rows being deleted.
func (l *Log) Verify(ctx context.Context) (int, error) {
	cps, err := l.Checkpoints()
	if err != nil {
		return 0, err
	}
	want := map[int64]Checkpoint{}
	var lastCP Checkpoint
	for _, c := range cps {
		want[c.ID] = c
		if c.ID > lastCP.ID {
			lastCP = c
		}
	}
	rows, err := l.db.R.QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	// Rows moved to archive files (ArchiveBefore) are checked by
	// VerifyArchives; the rows left start from the last archive's end.
	prev, prevMac, err := l.chainStart(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	keyedSeen, n := prevMac != "", 0
	newHash := l.hash()
	var lastID int64
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return n, fmt.Errorf("audit: verify: %w", err)
		}
		if r.PrevHash != prev {
			return n, &BrokenError{ID: r.ID, Reason: "does not link to the row before it (a row was deleted, inserted or reordered)"}
		}
		if r.sum(newHash) != r.Hash {
			return n, &BrokenError{ID: r.ID, Reason: "content does not match its " + l.db.Crypto.HashName() + " hash (the row was changed, or the trail was written in another cryptographic mode)"}
		}
		if l.Keyed() {
			switch {
			case r.Mac == "" && keyedSeen:
				return n, &BrokenError{ID: r.ID, Reason: "keyed link missing after keyed rows (the row was rewritten)"}
			case r.Mac != "" && !hmac.Equal([]byte(r.Mac), []byte(l.link(prevMac, r.Hash))):
				return n, &BrokenError{ID: r.ID, Reason: "keyed link does not match (the row was rewritten and re-hashed, or the key differs)"}
			}
			keyedSeen = keyedSeen || r.Mac != ""
		}
		if c, ok := want[r.ID]; ok && c.Hash != r.Hash {
			return n, &BrokenError{ID: r.ID, Reason: fmt.Sprintf("hash differs from checkpoint %d (the row was rewritten)", c.Seq)}
		}
		prev, prevMac, lastID = r.Hash, r.Mac, r.ID
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("audit: verify: %w", err)
	}
	if lastCP.ID > lastID {
		return n, &BrokenError{ID: lastCP.ID, Reason: fmt.Sprintf("checkpoint %d names row %d but the trail ends at row %d (the newest rows were deleted)", lastCP.Seq, lastCP.ID, lastID)}
	}
	return n, nil
}

// Checkpoint is one signed line of the checkpoint file: the head of the
// chain (its row id and hash) at a moment, signed with the key.
type Checkpoint struct {
	Seq  int64  // line number in the file, from 1
	ID   int64  // the head row's id
	Hash string // the head row's hash
	At   int64  // when it was taken, Unix milliseconds
	Mac  string // HMAC (the mode's) over the fields above
}

func (l *Log) signCheckpoint(c Checkpoint) string {
	m := l.db.Crypto.MAC(l.opt.Key)
	fmt.Fprintf(m, "gaoxin-audit-checkpoint|%d|%d|%s|%d", c.Seq, c.ID, c.Hash, c.At)
	return hex.EncodeToString(m.Sum(nil))
}

// line is the checkpoint's line in the file (without the newline).
func (c Checkpoint) line() string {
	return fmt.Sprintf("%d %d %s %d %s", c.Seq, c.ID, c.Hash, c.At, c.Mac)
}

// Checkpoints reads and checks the checkpoint file: every line must parse,
// be numbered in order and carry a valid signature. A missing file, or no
// file configured, gives none.
func (l *Log) Checkpoints() ([]Checkpoint, error) {
	if l.opt.Checkpoints == "" {
		return nil, nil
	}
	f, err := os.Open(l.opt.Checkpoints)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: checkpoints: %w", err)
	}
	defer f.Close()
	if !l.Keyed() {
		return nil, errors.New("audit: checkpoints: a checkpoint file needs the audit key to be checked")
	}
	var out []Checkpoint
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		bad := &BrokenError{Reason: fmt.Sprintf("checkpoint file line %d is malformed", len(out)+1)}
		if len(fields) != 5 {
			return nil, bad
		}
		var c Checkpoint
		var e1, e2, e3 error
		c.Seq, e1 = strconv.ParseInt(fields[0], 10, 64)
		c.ID, e2 = strconv.ParseInt(fields[1], 10, 64)
		c.Hash = fields[2]
		c.At, e3 = strconv.ParseInt(fields[3], 10, 64)
		c.Mac = fields[4]
		if e1 != nil || e2 != nil || e3 != nil {
			return nil, bad
		}
		if c.Seq != int64(len(out))+1 {
			return nil, &BrokenError{ID: c.ID, Reason: fmt.Sprintf("checkpoint file line %d has number %d (lines were removed or reordered)", len(out)+1, c.Seq)}
		}
		if !hmac.Equal([]byte(c.Mac), []byte(l.signCheckpoint(c))) {
			return nil, &BrokenError{ID: c.ID, Reason: fmt.Sprintf("checkpoint %d has a bad signature (edited, or another key)", c.Seq)}
		}
		if n := len(out); n > 0 && c.ID < out[n-1].ID {
			return nil, &BrokenError{ID: c.ID, Reason: fmt.Sprintf("checkpoint %d goes back from row %d to row %d", c.Seq, out[n-1].ID, c.ID)}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("audit: checkpoints: %w", err)
	}
	return out, nil
}

// WriteCheckpoint appends a signed checkpoint of the current head to the
// checkpoint file, unless the head has not moved since the file's last
// line. It returns the checkpoint written, or ok false when there was
// nothing to write (no file or key configured, an empty trail, an unmoved
// head). Lines are numbered after the file's last. Writers in one process
// take turns on cpMu, writers in several (a server and the command line)
// on a lock of the file itself; still, give each app server a file of its
// own, on its own disk if it can.
func (l *Log) WriteCheckpoint(ctx context.Context) (c Checkpoint, ok bool, err error) {
	if l.opt.Checkpoints == "" || !l.Keyed() {
		return c, false, nil
	}
	l.cpMu.Lock()
	defer l.cpMu.Unlock()
	err = l.db.R.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&c.ID, &c.Hash)
	if err == sql.ErrNoRows {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("audit: checkpoint head: %w", err)
	}
	// The file is locked before its lines are counted and held until the
	// new line is written (closing it releases the lock).
	f, err := os.OpenFile(l.opt.Checkpoints, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return c, false, fmt.Errorf("audit: checkpoint: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return c, false, fmt.Errorf("audit: checkpoint: lock %s: %w", l.opt.Checkpoints, err)
	}
	have, err := l.Checkpoints()
	if err != nil {
		f.Close()
		return c, false, err
	}
	if n := len(have); n > 0 && have[n-1].ID >= c.ID {
		return c, false, f.Close()
	}
	c.Seq = int64(len(have)) + 1
	c.At = db.Now()
	c.Mac = l.signCheckpoint(c)
	if _, err := f.WriteString(c.line() + "\n"); err != nil {
		f.Close()
		return c, false, fmt.Errorf("audit: checkpoint: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return c, false, fmt.Errorf("audit: checkpoint: %w", err)
	}
	return c, true, f.Close()
}
