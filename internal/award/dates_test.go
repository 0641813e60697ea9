package award

import (
	"testing"
	"time"

	"gaoxin/internal/errs"
)

// TestPaymentDateNotAheadInChinaTime: "today" is the calendar day in China
// time, so at 01:00 on 8 March in Zhengzhou (17:00 UTC on the 7th) a date
// of the 9th is one day ahead and allowed, the 10th is refused naming the
// field, in Chinese.
func TestPaymentDateNotAheadInChinaTime(t *testing.T) {
	s := &Service{Now: func() time.Time { return time.Date(2023, 3, 7, 17, 0, 0, 0, time.UTC) }}
	day := func(v string) time.Time {
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, ok := range []string{"2023-03-07", "2023-03-08", "2023-03-09"} {
		if err := s.notFuture("paid_on", "付款日期", "payment date", day(ok)); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	err := s.notFuture("paid_on", "付款日期", "payment date", day("2023-03-10"))
	if e := errs.As(err); e.Code != errs.Invalid || e.Field != "paid_on" || e.Msg != "付款日期不能晚于 2023-03-09（今天之后最多一天）" {
		t.Fatalf("2023-03-10: %#v", err)
	}
}
