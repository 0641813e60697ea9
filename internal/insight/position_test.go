package insight

import "testing"

func TestBands(t *testing.T) {
	for _, c := range []struct {
		place, n int64
		want     int
	}{{1, 1, 10}, {1, 10, 10}, {2, 10, 25}, {3, 10, 25}, {4, 10, 50}, {5, 10, 50}, {6, 10, 100}, {1, 4, 10}, {2, 4, 50}, {3, 4, 100}} {
		if got := bandOf(c.place, c.n); got != c.want {
			t.Errorf("place %d of %d: band %d, want %d", c.place, c.n, got, c.want)
		}
	}
}
