package insight

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// The rebuild's stages: every batch is worked and written once, in order;
// the first error ends all three and is the one returned, a failed write
// stopping the read, and a cancelled context is never taken for a whole
// walk.
func TestOverlapStages(t *testing.T) {
	ctx := context.Background()
	reader := func(n int, failAt int, emitted *int) func(context.Context, func(int) error) error {
		return func(ctx context.Context, emit func(int) error) error {
			for i := 1; i <= n; i++ {
				if i == failAt {
					return errors.New("read failed")
				}
				if err := emit(i); err != nil {
					return err
				}
				*emitted = i
			}
			return nil
		}
	}
	double := func(i int) int { return 2 * i }

	var got []int
	var emitted int
	err := overlap(ctx, reader(50, 0, &emitted), double, func(_ context.Context, w int) error {
		got = append(got, w)
		return nil
	})
	if err != nil || len(got) != 50 || got[0] != 2 || got[49] != 100 || fmt.Sprint(got[:3]) != "[2 4 6]" {
		t.Fatalf("whole walk: %v, %v", got, err)
	}

	writeFail := errors.New("write failed")
	got, emitted = nil, 0
	err = overlap(ctx, reader(100000, 0, &emitted), double, func(_ context.Context, w int) error {
		if w == 6 {
			return writeFail
		}
		got = append(got, w)
		return nil
	})
	if !errors.Is(err, writeFail) || fmt.Sprint(got) != "[2 4]" || emitted > 10 {
		t.Fatalf("a failed write: %v, wrote %v, read %d", err, got, emitted)
	}

	got, emitted = nil, 0
	err = overlap(ctx, reader(10, 3, &emitted), double, func(_ context.Context, w int) error {
		got = append(got, w)
		return nil
	})
	if err == nil || err.Error() != "read failed" || fmt.Sprint(got) != "[2 4]" {
		t.Fatalf("a failed read: %v, wrote %v", err, got)
	}

	cctx, cancel := context.WithCancel(ctx)
	got, emitted = nil, 0
	err = overlap(cctx, reader(100000, 0, &emitted), func(i int) int {
		if i == 5 {
			cancel()
		}
		return i
	}, func(_ context.Context, w int) error {
		got = append(got, w)
		return nil
	})
	if !errors.Is(err, context.Canceled) || len(got) > 5 || emitted > 10 {
		t.Fatalf("a cancelled walk: %v, wrote %v, read %d", err, got, emitted)
	}
}
