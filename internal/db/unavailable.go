package db

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// Unavailable reports whether err means the database cannot do the work
// for now rather than that the work was wrong: the server cannot be
// reached or is shutting down, the connection broke, the disk is full, or
// SQLite's file is busy or cannot be written. The request that met it
// changed nothing (its transaction rolled back) and can be retried once
// the database is back; the pools reconnect on their own, so the server
// recovers without a restart. The web layer answers it with 503.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"): // connection exception
			return true
		case strings.HasPrefix(pe.Code, "53"): // insufficient resources: disk full, out of memory, too many connections
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // shutting down, crashed, not yet accepting
			return true
		case pe.Code == "58030": // I/O error
			return true
		case pe.Code == "25006": // read-only transaction: a primary that became a standby
			return true
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED (past busy_timeout)
			return true
		case 10, 13, 14: // SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
			return true
		case 8: // SQLITE_READONLY: the file or its folder lost write permission
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	// pgx reports a connection that closed under a query in words only.
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "failed to connect to")
}
