package saydo

import (
	"fmt"
	"time"
)

// Period is the length of the windows a gap is computed over. Periods are
// aligned in UTC: days at midnight, ISO weeks on Monday, calendar months,
// quarters and years.
type Period string

// The periods of saydo.yaml and --period. Quarter and year extend SPEC.md
// for slow evidence (a car's fill-ups, a yearly survey).
const (
	Day     Period = "day"
	Week    Period = "week"
	Month   Period = "month"
	Quarter Period = "quarter"
	Year    Period = "year"
)

// ParsePeriod reads "day", "week", "month", "quarter" or "year".
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case Day, Week, Month, Quarter, Year:
		return p, nil
	}
	return "", fmt.Errorf("unknown period %q (want day, week, month, quarter or year)", s)
}

// Start returns the start of the period holding t.
func (p Period) Start(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch p {
	case Week:
		wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
		return d.AddDate(0, 0, -wd)
	case Month:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case Quarter:
		return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, time.UTC)
	case Year:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// Next returns the start of the period after the one starting at start.
func (p Period) Next(start time.Time) time.Time {
	switch p {
	case Week:
		return start.AddDate(0, 0, 7)
	case Month:
		return start.AddDate(0, 1, 0)
	case Quarter:
		return start.AddDate(0, 3, 0)
	case Year:
		return start.AddDate(1, 0, 0)
	}
	return start.AddDate(0, 0, 1)
}

// DayOf returns midnight UTC of t's day.
func DayOf(t time.Time) time.Time { return Day.Start(t) }

// PeriodName names the period starting at start as people say it: "21 Dec"
// (a day), "week of 21 Dec", "Dec 2026", "Q4 2026", "2026".
func PeriodName(p Period, start time.Time) string {
	switch p {
	case Week:
		return "week of " + start.Format("2 Jan")
	case Month:
		return start.Format("Jan 2006")
	case Quarter:
		return fmt.Sprintf("Q%d %d", (int(start.Month())-1)/3+1, start.Year())
	case Year:
		return start.Format("2006")
	}
	return start.Format("2 Jan")
}

// SinceText names the start of a regime for "narrowing since …": a day
// for day and week periods ("27 Jul", with the year when it is not the
// year of ref, the report's latest period), the period's name otherwise
// ("Jul 2026").
func SinceText(p Period, start, ref time.Time) string {
	switch p {
	case Month, Quarter, Year:
		return PeriodName(p, start)
	}
	if !ref.IsZero() && ref.Year() != start.Year() {
		return start.Format("2 Jan 2006")
	}
	return start.Format("2 Jan")
}

// MaxPeriods is the most periods one report or API request may enumerate
// (SPEC.md, "Evidence hygiene"): a range beyond it is refused before any
// work is done, so a request like from=0001-01-01&to=9999-12-31&period=day
// cannot make the server build millions of periods.
const MaxPeriods = 5000

// Count returns how many periods of p the range [from, to) touches: the
// periods from the one holding from up to the one holding the last instant
// before to, as the gap report enumerates them. It computes the figure
// without enumerating (so it is safe on any range) and returns 0 when to is
// not after from.
func (p Period) Count(from, to time.Time) int64 {
	if !from.Before(to) {
		return 0
	}
	first, last := p.Start(from), p.Start(to.Add(-time.Nanosecond))
	months := func(t time.Time) int64 { return int64(t.Year())*12 + int64(t.Month()) - 1 }
	switch p {
	case Week:
		return (last.Unix()-first.Unix())/(7*86400) + 1
	case Month:
		return months(last) - months(first) + 1
	case Quarter:
		return (months(last)-months(first))/3 + 1
	case Year:
		return int64(last.Year()-first.Year()) + 1
	}
	return (last.Unix()-first.Unix())/86400 + 1
}

// RangeError is a report range that would enumerate more than MaxPeriods
// periods. Callers classify it as the user's mistake: exit status 2 on the
// command line, 400 on the API.
type RangeError struct {
	Period   Period
	From, To time.Time // To exclusive
	Periods  int64
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("the range %s to %s spans %d %ss, more than the limit of %d periods per report: narrow from/to or choose a longer period",
		e.From.UTC().Format(time.DateOnly), e.To.UTC().Add(-time.Nanosecond).Format(time.DateOnly), e.Periods, e.Period, MaxPeriods)
}

// CheckRange returns a *RangeError when [from, to) holds more than
// MaxPeriods periods of p, nil otherwise. It is the one check every report
// path (command line, API, dashboard) makes before computing a gap.
func CheckRange(p Period, from, to time.Time) error {
	if p == "" {
		p = Week
	}
	if n := p.Count(from, to); n > MaxPeriods {
		return &RangeError{Period: p, From: from, To: to, Periods: n}
	}
	return nil
}

// MaxReportPeriods bounds the period entries one gap report holds, across
// its promises and their breakdown segments: with MaxPeriods it keeps a
// report, and the memory to build and send it, to tens of megabytes.
const MaxReportPeriods = 50_000

// MaxBreakdownValues bounds the distinct values a breakdown may meet while
// it reads the observations: breakdowns are for low-cardinality attributes
// (region, channel), not for ids.
const MaxBreakdownValues = 1000

// LimitError is a report or request refused for what it asked, found only
// once the data is read: it would exceed one of saydo's bounds on work per
// request (MaxReportPeriods, MaxBreakdownValues), or it breaks down by an
// attribute no observation carries. Like RangeError, it is the user's to
// fix: exit status 2, HTTP 400.
type LimitError struct{ Msg string }

func (e *LimitError) Error() string { return e.Msg }
