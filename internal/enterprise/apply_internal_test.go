package enterprise

import (
	"fmt"
	"testing"
)

// A keyed bulk sends its rows sorted by its key columns, each row whole.
func TestBulkSortsByKey(t *testing.T) {
	b := &bulk{ncols: 4, keyCols: []int{1, 2, 0}}
	for _, r := range [][]any{
		{int64(3), "taxes", 2023, "c"},
		{int64(1), "revenue", 2024, "b"},
		{int64(2), "revenue", 2023, "a"},
		{int64(1), "revenue", 2023, "d"},
	} {
		b.args = append(b.args, r...)
		b.n++
	}
	b.sortRows()
	got := fmt.Sprint(b.args)
	want := fmt.Sprint([]any{int64(1), "revenue", 2023, "d", int64(2), "revenue", 2023, "a", int64(1), "revenue", 2024, "b", int64(3), "taxes", 2023, "c"})
	if got != want {
		t.Fatalf("sorted %s\nwant   %s", got, want)
	}
}
