package db

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// PostgreSQL's binary COPY format, written directly: the driver's generic
// encoder looks up a plan for every value, which cost an import of a
// million values more CPU than the values' own work. The registry sends
// only integers, text, booleans and NULLs.

// Type OIDs of the column types copyRows encodes.
const (
	oidBool = 16
	oidInt8 = 20
	oidInt2 = 21
	oidInt4 = 23
	oidText = 25
	oidVarc = 1043
)

var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// columnTypes reads the type OIDs of table's columns, kept per
// transaction. They are read in the transaction itself, after the writes
// queued before, so that a table it made (a temporary one) is found.
func (b *BulkTx) columnTypes(ctx context.Context, table string, cols []string) ([]uint32, error) {
	if b.types == nil {
		b.types = map[string]map[string]uint32{}
	}
	byName, ok := b.types[table]
	if !ok {
		byName = map[string]uint32{}
		err := b.Query(ctx, "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped", []any{table}, func(rows *sql.Rows) error {
			var name string
			var oid uint32
			if err := rows.Scan(&name, &oid); err != nil {
				return err
			}
			byName[name] = oid
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("db: COPY %s: column types: %w", table, err)
		}
		b.types[table] = byName
	}
	out := make([]uint32, len(cols))
	for i, c := range cols {
		if out[i], ok = byName[c]; !ok {
			return nil, fmt.Errorf("db: COPY %s: no column %s", table, c)
		}
	}
	return out, nil
}

// encodeCopy writes rows in the binary COPY format for columns of types.
func encodeCopy(table string, types []uint32, rows [][]any) ([]byte, error) {
	buf := make([]byte, 0, len(copyHeader)+len(rows)*(2+len(types)*12)+2)
	buf = append(buf, copyHeader...)
	for r, row := range rows {
		if len(row) != len(types) {
			return nil, fmt.Errorf("db: COPY %s: row %d has %d values for %d columns", table, r+1, len(row), len(types))
		}
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(types)))
		for c, v := range row {
			var err error
			if buf, err = appendCopyValue(buf, types[c], v); err != nil {
				return nil, fmt.Errorf("db: COPY %s: row %d, column %d: %w", table, r+1, c+1, err)
			}
		}
	}
	return binary.BigEndian.AppendUint16(buf, 0xFFFF), nil
}

func appendCopyValue(buf []byte, oid uint32, v any) ([]byte, error) {
	if v == nil {
		return binary.BigEndian.AppendUint32(buf, math.MaxUint32), nil // -1: NULL
	}
	switch oid {
	case oidInt8, oidInt4, oidInt2:
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case int:
			n = int64(x)
		case int32:
			n = int64(x)
		default:
			return nil, fmt.Errorf("%T for an integer column", v)
		}
		switch oid {
		case oidInt8:
			buf = binary.BigEndian.AppendUint32(buf, 8)
			return binary.BigEndian.AppendUint64(buf, uint64(n)), nil
		case oidInt4:
			if n < math.MinInt32 || n > math.MaxInt32 {
				return nil, fmt.Errorf("%d out of range for integer", n)
			}
			buf = binary.BigEndian.AppendUint32(buf, 4)
			return binary.BigEndian.AppendUint32(buf, uint32(int32(n))), nil
		default:
			if n < math.MinInt16 || n > math.MaxInt16 {
				return nil, fmt.Errorf("%d out of range for smallint", n)
			}
			buf = binary.BigEndian.AppendUint32(buf, 2)
			return binary.BigEndian.AppendUint16(buf, uint16(int16(n))), nil
		}
	case oidText, oidVarc:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%T for a text column", v)
		}
		if len(s) > math.MaxInt32 {
			return nil, fmt.Errorf("text of %d bytes", len(s))
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
		return append(buf, s...), nil
	case oidBool:
		x, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%T for a boolean column", v)
		}
		buf = binary.BigEndian.AppendUint32(buf, 1)
		if x {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	}
	return nil, fmt.Errorf("column type %d is not one COPY here encodes", oid)
}

// quoteIdent quotes a name for SQL.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
