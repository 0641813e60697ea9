package plan

import (
	"strings"
	"testing"
)

func TestMemoStampAndBounds(t *testing.T) {
	s := &Service{memo: &memo{entries: map[string]memoEntry{}}}
	builds := 0
	get := func(stamp, key string, v any) any {
		got, err := s.memoWith(stamp, key, func() (any, error) { builds++; return v, nil })
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if get("1/2023-06-10/1", "k", "a") != "a" || get("1/2023-06-10/1", "k", "b") != "a" || builds != 1 {
		t.Fatalf("same stamp must reuse: builds %d", builds)
	}
	if get("2/2023-06-10/1", "k", "c") != "c" || builds != 2 {
		t.Fatal("a new revision must rebuild")
	}
	if get("", "k", "d") != "d" || builds != 3 {
		t.Fatal("no stamp (no plan year) must not memoise")
	}
	big := strings.Repeat("x", maxMemoBytes/2+1)
	get("2/x/1", "big1", big)
	get("2/x/1", "big2", big) // over the byte bound: the memo starts afresh
	if _, ok := s.memo.entries["k"]; ok || s.memo.bytes != len(big) || len(s.memo.entries) != 1 {
		t.Fatalf("byte bound not kept: %d entries, %d bytes", len(s.memo.entries), s.memo.bytes)
	}
}
