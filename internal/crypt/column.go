package crypt

import (
	"context"
	"database/sql"
	"fmt"
)

// Column is a sealed column: a sensitive field that the national mode
// stores sealed. Each module lists its own (enterprise.Sealed,
// finance.Sealed …), and a key rotation walks them all. The table must
// have an integer id.
type Column struct {
	Table, Name string
}

// Field is the column's name as sealing binds it: "table.column".
func (c Column) Field() string { return c.Table + "." + c.Name }

// ResealColumn moves every value of c, inside the caller's transaction,
// from the suite from to the suite to (see Suite.Reseal), a page of rows
// at a time, and returns how many values it rewrote and how many it read.
// The owner of the table names it in its list; the statement is the same
// for every column.
func ResealColumn(ctx context.Context, tx *sql.Tx, c Column, from, to *Suite) (moved, seen int, err error) {
	sel := "SELECT id, " + c.Name + " FROM " + c.Table + " WHERE id > $1 AND " + c.Name + " <> '' ORDER BY id LIMIT 500"
	upd := "UPDATE " + c.Table + " SET " + c.Name + " = $1 WHERE id = $2"
	type row struct {
		id  int64
		val string
	}
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, sel, after)
		if err != nil {
			return moved, seen, fmt.Errorf("crypt: reseal %s: %w", c.Field(), err)
		}
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.val); err != nil {
				rows.Close()
				return moved, seen, fmt.Errorf("crypt: reseal %s: %w", c.Field(), err)
			}
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return moved, seen, fmt.Errorf("crypt: reseal %s: %w", c.Field(), err)
		}
		if len(page) == 0 {
			return moved, seen, nil
		}
		for _, r := range page {
			out, changed, err := to.Reseal(from, c.Field(), r.val)
			if err != nil {
				return moved, seen, fmt.Errorf("crypt: reseal %s row %d: %w", c.Field(), r.id, err)
			}
			seen++
			if !changed {
				continue
			}
			if _, err := tx.ExecContext(ctx, upd, out, r.id); err != nil {
				return moved, seen, fmt.Errorf("crypt: reseal %s row %d: %w", c.Field(), r.id, err)
			}
			moved++
		}
		after = page[len(page)-1].id
	}
}
