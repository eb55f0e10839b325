package saydo

import (
	"errors"
	"strings"
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

func TestPeriodCount(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	// The whole calendar time.Parse accepts, to exclusive: Python's
	// date(9999, 12, 31).toordinal() is 3,652,059 days; 0001-01-01 is a
	// Monday and 9999-12-31 a Friday, so (3,652,059 - 4 - 1)/7 + 1 weeks.
	all, end := d("0001-01-01"), d("9999-12-31").AddDate(0, 0, 1)
	tests := []struct {
		p        Period
		from, to time.Time
		want     int64
	}{
		{Day, all, end, 3_652_059},
		{Week, all, end, 521_723},
		{Month, all, end, 9999 * 12},
		{Quarter, all, end, 9999 * 4},
		{Year, all, end, 9999},
		{Day, d("2024-01-01"), d("2025-01-01"), 366},
		{Day, d("2026-03-04"), d("2026-03-05"), 1},
		{Day, d("2026-03-04"), d("2026-03-04"), 0},
		{Day, d("2026-03-05"), d("2026-03-04"), 0},
		{Week, d("2026-01-01"), d("2026-01-05"), 1}, // Thu..Sun: one ISO week
		{Week, d("2026-01-01"), d("2026-01-06"), 2},
		{Month, d("2026-01-31"), d("2026-02-02"), 2},
		{Quarter, d("2026-03-31"), d("2026-04-01"), 1},
		{Quarter, d("2026-03-31"), d("2026-04-02"), 2},
		{Year, d("2025-12-31"), d("2026-01-02"), 2},
	}
	for _, tt := range tests {
		if got := tt.p.Count(tt.from, tt.to); got != tt.want {
			t.Errorf("%s.Count(%s, %s) = %d, want %d", tt.p, tt.from.Format(time.DateOnly), tt.to.Format(time.DateOnly), got, tt.want)
		}
	}
}

// TestPeriodCountMatchesEnumeration checks Count against walking the
// periods with Start and Next, as gap.Periods does, on ranges whose
// ends fall anywhere in a period (times of day included).
func TestPeriodCountMatchesEnumeration(t *testing.T) {
	base := time.Date(2023, 12, 25, 0, 0, 0, 0, time.UTC)
	for _, p := range []Period{Day, Week, Month, Quarter, Year} {
		for i := 0; i < 400; i += 7 {
			for j := 0; j < 800; j += 13 {
				from := base.AddDate(0, 0, i).Add(time.Duration(i%5) * time.Hour)
				to := from.AddDate(0, 0, j).Add(time.Duration(j%3) * time.Minute)
				var want int64
				for s := p.Start(from); from.Before(to) && s.Before(to); s = p.Next(s) {
					want++
				}
				if got := p.Count(from, to); got != want {
					t.Fatalf("%s.Count(%v, %v) = %d, want %d", p, from, to, got, want)
				}
			}
		}
	}
}

func TestCheckRange(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	from := d("2000-01-01")
	if err := CheckRange(Day, from, from.AddDate(0, 0, MaxPeriods)); err != nil {
		t.Errorf("CheckRange(day, %d days) = %v, want nil", MaxPeriods, err)
	}
	err := CheckRange(Day, from, from.AddDate(0, 0, MaxPeriods+1))
	var re *RangeError
	if !errors.As(err, &re) {
		t.Fatalf("CheckRange(day, %d days) = %v, want a *RangeError", MaxPeriods+1, err)
	}
	if re.Periods != MaxPeriods+1 {
		t.Errorf("RangeError.Periods = %d, want %d", re.Periods, MaxPeriods+1)
	}
	if got, want := err.Error(), "the range 2000-01-01 to 2013-09-09 spans 5001 days"; !strings.HasPrefix(got, want) {
		t.Errorf("error = %q, want it to start with %q", got, want)
	}
	if err := CheckRange(Month, d("0001-01-01"), d("9999-12-31")); err == nil {
		t.Error("CheckRange(month, 0001..9999) = nil, want an error")
	}
	monday := d("2000-01-03")
	if err := CheckRange("", monday, monday.AddDate(0, 0, 7*MaxPeriods)); err != nil {
		t.Errorf("CheckRange(\"\" = week, %d weeks) = %v, want nil", MaxPeriods, err)
	}
}
