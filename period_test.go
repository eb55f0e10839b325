package saydo

import (
	"testing"
	"time"
)

func TestPeriodStartNext(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	tests := []struct {
		p           Period
		at          time.Time
		start, next string
	}{
		{Day, time.Date(2026, 3, 4, 23, 59, 0, 0, time.UTC), "2026-03-04", "2026-03-05"},
		{Day, time.Date(2026, 3, 4, 23, 30, 0, 0, time.FixedZone("", -3600)), "2026-03-05", "2026-03-06"},
		{Week, d("2026-01-01"), "2025-12-29", "2026-01-05"}, // ISO week 1 of 2026 starts Mon Dec 29
		{Week, d("2026-01-04"), "2025-12-29", "2026-01-05"}, // a Sunday belongs to the week before
		{Week, d("2026-01-05"), "2026-01-05", "2026-01-12"},
		{Month, d("2026-02-28"), "2026-02-01", "2026-03-01"},
		{Quarter, d("2026-05-31"), "2026-04-01", "2026-07-01"},
		{Quarter, d("2026-12-31"), "2026-10-01", "2027-01-01"},
		{Year, d("2026-07-01"), "2026-01-01", "2027-01-01"},
	}
	for _, tt := range tests {
		s := tt.p.Start(tt.at)
		if got := s.Format(time.DateOnly); got != tt.start {
			t.Errorf("%s.Start(%v) = %s, want %s", tt.p, tt.at, got, tt.start)
		}
		if got := tt.p.Next(s).Format(time.DateOnly); got != tt.next {
			t.Errorf("%s.Next(%s) = %s, want %s", tt.p, tt.start, got, tt.next)
		}
	}
	if _, err := ParsePeriod("fortnight"); err == nil {
		t.Error("ParsePeriod(fortnight) = nil error, want one")
	}
}
