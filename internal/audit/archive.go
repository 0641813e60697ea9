package audit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"gaoxin/internal/db"
)

// Retention is how long audit records stay in the database at least
// (等保 2.0 asks for 180 days); older ones may be archived to files.
const Retention = 180 * 24 * time.Hour

// Archive is one archive file of audit records: rows first to last, moved
// out of the database, and where the chain stood at its last row.
type Archive struct {
	ID         int64  `json:"id"`
	FirstID    int64  `json:"first_id"`
	LastID     int64  `json:"last_id"`
	Rows       int64  `json:"rows"`
	LastHash   string `json:"last_hash"`
	LastMac    string `json:"last_mac"`
	File       string `json:"file"`        // the file's name, in the archive folder
	FileDigest string `json:"file_digest"` // SHA-256, or SM3 in the national mode
	FileMac    string `json:"file_mac"`    // keyed signature of the file's digest
	ArchivedAt int64  `json:"archived_at"`
}

// archiveTrailer is an archive file's last line.
type archiveTrailer struct {
	Archive string `json:"archive"` // "gaoxin-audit-archive"
	FirstID int64  `json:"first_id"`
	LastID  int64  `json:"last_id"`
	Rows    int64  `json:"rows"`
}

func (l *Log) signArchive(digest string) string {
	m := l.db.Crypto.MAC(l.opt.Key)
	fmt.Fprintf(m, "gaoxin-audit-archive|%s", digest)
	return hex.EncodeToString(m.Sum(nil))
}

// Archives lists the archives made, oldest first.
func (l *Log) Archives(ctx context.Context) ([]Archive, error) {
	rows, err := l.db.R.QueryContext(ctx, `SELECT id, first_id, last_id, row_count, last_hash, last_mac, file, file_digest, file_mac, archived_at
		FROM audit_archives ORDER BY last_id`)
	if err != nil {
		return nil, fmt.Errorf("audit: archives: %w", err)
	}
	defer rows.Close()
	var out []Archive
	for rows.Next() {
		var a Archive
		if err := rows.Scan(&a.ID, &a.FirstID, &a.LastID, &a.Rows, &a.LastHash, &a.LastMac, &a.File, &a.FileDigest, &a.FileMac, &a.ArchivedAt); err != nil {
			return nil, fmt.Errorf("audit: archives: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// chainStart is where the rows left in audit_log start: after the last
// archive, or at the genesis.
func (l *Log) chainStart(ctx context.Context) (prev, prevMac string, err error) {
	err = l.db.R.QueryRowContext(ctx, "SELECT last_hash, last_mac FROM audit_archives ORDER BY last_id DESC LIMIT 1").Scan(&prev, &prevMac)
	if err == sql.ErrNoRows {
		return genesis, "", nil
	}
	return prev, prevMac, err
}

// ArchiveBefore moves the records older than before (which must lie at
// least Retention in the past) into a signed file in dir and deletes them
// from the database, in that order: the file is written and synced first,
// then one transaction lists the archive, deletes its rows and records
// the archiving itself. The rows that stay still link to the archive's
// last row, so Verify goes on; VerifyArchives checks the files. It needs
// the key. ok is false when no record is old enough.
func (l *Log) ArchiveBefore(ctx context.Context, before time.Time, dir string) (a Archive, ok bool, err error) {
	if !l.Keyed() {
		return a, false, errors.New("audit: archive: archive files are signed with the audit key; set --audit-key-file")
	}
	if before.After(time.Now().Add(-Retention)) {
		return a, false, fmt.Errorf("audit: archive: records are kept %d days at least; choose a date on or before %s",
			int(Retention.Hours()/24), time.Now().Add(-Retention).In(db.CST).Format("2006-01-02"))
	}
	start, _, err := l.chainStart(ctx)
	if err != nil {
		return a, false, err
	}
	var from int64
	if start != genesis {
		if err := l.db.R.QueryRowContext(ctx, "SELECT MAX(last_id) FROM audit_archives").Scan(&from); err != nil {
			return a, false, fmt.Errorf("audit: archive: %w", err)
		}
	}
	// The archive is a prefix of the chain: up to the row before the
	// first one that is not old enough.
	var upTo sql.NullInt64
	if err := l.db.R.QueryRowContext(ctx, "SELECT MIN(id) FROM audit_log WHERE id > $1 AND at >= $2", from, before.UnixMilli()).Scan(&upTo); err != nil {
		return a, false, fmt.Errorf("audit: archive: %w", err)
	}
	last := int64(1<<62 - 1)
	if upTo.Valid {
		last = upTo.Int64 - 1
	}
	rows, err := l.db.R.QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id`, from, last)
	if err != nil {
		return a, false, fmt.Errorf("audit: archive: %w", err)
	}
	var batch []Row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return a, false, fmt.Errorf("audit: archive: %w", err)
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return a, false, fmt.Errorf("audit: archive: %w", err)
	}
	if len(batch) == 0 {
		return a, false, nil
	}
	first, end := batch[0], batch[len(batch)-1]
	a = Archive{FirstID: first.ID, LastID: end.ID, Rows: int64(len(batch)), LastHash: end.Hash, LastMac: end.Mac,
		File: fmt.Sprintf("audit-%010d-%010d.jsonl", first.ID, end.ID), ArchivedAt: db.Now()}
	if a.FileDigest, err = writeArchive(filepath.Join(dir, a.File), l.hash(), batch, archiveTrailer{Archive: "gaoxin-audit-archive", FirstID: a.FirstID, LastID: a.LastID, Rows: a.Rows}); err != nil {
		return a, false, err
	}
	a.FileMac = l.signArchive(a.FileDigest)
	err = l.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := l.db.Lock(ctx, tx, "audit"); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_archives (first_id, last_id, row_count, last_hash, last_mac, file, file_digest, file_mac, archived_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, a.FirstID, a.LastID, a.Rows, a.LastHash, a.LastMac, a.File, a.FileDigest, a.FileMac, a.ArchivedAt).Scan(&a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM audit_log WHERE id >= $1 AND id <= $2", a.FirstID, a.LastID); err != nil {
			return err
		}
		return l.RecordTx(ctx, tx, Entry{Action: "audit.archive", ObjectType: "audit_archive", ObjectID: strconv.FormatInt(a.ID, 10), After: a})
	})
	if err != nil {
		return a, false, fmt.Errorf("audit: archive: %w", err)
	}
	return a, true, nil
}

// writeArchive writes rows, one JSON object a line, and the trailer, syncs
// the file and returns the digest of its bytes. It refuses to overwrite.
func writeArchive(path string, newHash func() hash.Hash, rows []Row, t archiveTrailer) (string, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", fmt.Errorf("audit: archive: %w", err)
	}
	h := newHash()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(io.MultiWriter(w, h))
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return "", fmt.Errorf("audit: archive: %w", err)
		}
	}
	if err := enc.Encode(t); err != nil {
		f.Close()
		return "", fmt.Errorf("audit: archive: %w", err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", fmt.Errorf("audit: archive: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("audit: archive: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("audit: archive: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// VerifyArchives checks every archive listed in the database against its
// file in dir: the file is there, its digest and keyed signature match,
// each row's content matches its hash and links to the one before (the
// first archive from the genesis, each later one from the previous), the
// keyed links hold, and the archive ends where the database says. It
// returns the rows checked.
func (l *Log) VerifyArchives(ctx context.Context, dir string) (int, error) {
	list, err := l.Archives(ctx)
	if err != nil {
		return 0, err
	}
	prev, prevMac, keyedSeen, n := genesis, "", false, 0
	for _, a := range list {
		bad := func(id int64, why string) error {
			return &BrokenError{ID: id, Reason: fmt.Sprintf("archive %s: %s", a.File, why)}
		}
		b, err := os.ReadFile(filepath.Join(dir, a.File))
		if err != nil {
			return n, bad(a.FirstID, "cannot be read ("+err.Error()+")")
		}
		fh := l.hash()()
		fh.Write(b)
		if hex.EncodeToString(fh.Sum(nil)) != a.FileDigest {
			return n, bad(a.FirstID, "the file's digest differs from the one recorded (the file was changed)")
		}
		if l.Keyed() && !hmac.Equal([]byte(a.FileMac), []byte(l.signArchive(a.FileDigest))) {
			return n, bad(a.FirstID, "the signature does not match (another key, or the record was forged)")
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
		var rows int64
		var lastID int64
		for sc.Scan() {
			var r Row
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.ID == 0 {
				break // the trailer
			}
			if r.PrevHash != prev {
				return n, bad(r.ID, "does not link to the row before it")
			}
			if r.sum(l.hash()) != r.Hash {
				return n, bad(r.ID, "content does not match its hash")
			}
			if l.Keyed() {
				switch {
				case r.Mac == "" && keyedSeen:
					return n, bad(r.ID, "keyed link missing after keyed rows")
				case r.Mac != "" && !hmac.Equal([]byte(r.Mac), []byte(l.link(prevMac, r.Hash))):
					return n, bad(r.ID, "keyed link does not match")
				}
				keyedSeen = keyedSeen || r.Mac != ""
			}
			prev, prevMac, lastID = r.Hash, r.Mac, r.ID
			rows++
			n++
		}
		if rows != a.Rows || lastID != a.LastID || prev != a.LastHash {
			return n, bad(a.LastID, fmt.Sprintf("holds %d rows up to row %d, the database lists %d up to row %d", rows, lastID, a.Rows, a.LastID))
		}
	}
	return n, nil
}
