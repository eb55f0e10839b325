package saydo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the export layouts ParseTime tries after its fast path, in
// order. RFC 3339 and "YYYY-MM-DD[ T]HH:MM:SS" are handled by the fast path.
var (
	numericLayouts = []string{
		"2006-01-02 15:04:05 -0700",  // git, many log exports
		"2006-01-02 15:04:05 -07:00", //
		"2006-1-2",                   // dates built from year, month, day columns
	}
	mailLayouts = []string{
		time.RFC1123Z,                    // Mon, 02 Jan 2006 15:04:05 -0700
		time.RFC1123,                     // Mon, 02 Jan 2006 15:04:05 MST
		"Mon, 2 Jan 2006 15:04:05 -0700", // RFC 5322 with a one-digit day
		"Mon, 2 Jan 2006 15:04:05 MST",   //
	}
	twitterLayouts = []string{time.RubyDate} // Tue Oct 31 23:36:20 +0000 2017
)

// ParseTime reads the timestamp layouts real exports use and returns the
// instant in UTC:
//
//   - RFC 3339, with or without fractional seconds, "Z" or an offset
//     (a space may replace the "T");
//   - "YYYY-MM-DD" (midnight UTC);
//   - "YYYY-MM-DD HH:MM:SS" and "YYYY-MM-DDTHH:MM:SS", optionally with
//     fractional seconds, read as UTC;
//   - "2015-02-24 11:35:52 -0800";
//   - RFC 1123 and RFC 1123Z ("Mon, 02 Jan 2006 15:04:05 -0700");
//   - Twitter's "Tue Oct 31 23:36:20 +0000 2017";
//   - Unix seconds, an integer of 9 to 11 digits.
//
// When layout is not empty, s must match exactly that Go layout instead.
// Impossible dates (February 30) are errors; errors say what was expected.
func ParseTime(s, layout string) (time.Time, error) {
	if layout != "" {
		t, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("bad time %q: want layout %q: %s", s, layout, timeReason(err))
		}
		return t.UTC(), nil
	}
	t, ok, err := parseISO(s)
	if ok {
		return t, err
	}
	if isUnixSeconds(s) {
		sec, _ := strconv.ParseInt(s, 10, 64)
		return time.Unix(sec, 0).UTC(), nil
	}
	trimmed := strings.TrimSpace(s)
	if trimmed != s && trimmed != "" {
		if t, err := ParseTime(trimmed, ""); err == nil {
			return t, nil
		}
	}
	layouts := numericLayouts
	switch {
	case len(s) > 3 && s[3] == ',':
		layouts = mailLayouts
	case len(s) > 3 && s[3] == ' ':
		layouts = twitterLayouts
	}
	var first error
	for _, l := range layouts {
		t, err := time.Parse(l, s)
		if err == nil {
			return t.UTC(), nil
		}
		if first == nil && isRangeError(err) {
			first = err
		}
	}
	if first != nil {
		return time.Time{}, fmt.Errorf("bad time %q: %s", s, timeReason(first))
	}
	if s == "" {
		return time.Time{}, errors.New("bad time \"\": empty")
	}
	return time.Time{}, fmt.Errorf("bad time %q: want RFC 3339 (2026-01-31T09:30:00Z), YYYY-MM-DD, "+
		"YYYY-MM-DD HH:MM:SS, RFC 1123, Unix seconds or a --time-layout", s)
}

// isRangeError reports whether time.Parse matched the layout but found a
// field out of range, the one failure worth showing over "want one of".
func isRangeError(err error) bool {
	return strings.Contains(err.Error(), "out of range")
}

// timeReason shortens a time.Parse error to its reason.
func timeReason(err error) string {
	var pe *time.ParseError
	if errors.As(err, &pe) && pe.Message != "" {
		return strings.TrimPrefix(pe.Message, ": ")
	}
	if errors.As(err, &pe) {
		return fmt.Sprintf("cannot parse %q as %q", pe.ValueElem, pe.LayoutElem)
	}
	return err.Error()
}

func isUnixSeconds(s string) bool {
	if len(s) < 9 || len(s) > 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseISO is the fast path for "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM:SS" with
// optional fraction and optional "Z" or "±HH:MM"/"±HHMM" zone. ok is false
// when s does not have that shape; then err is nil and other layouts apply.
func parseISO(s string) (t time.Time, ok bool, err error) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false, nil
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false, nil
	}
	var hour, min, sec, nsec, offset int
	rest := s[10:]
	if rest != "" {
		if len(rest) < 9 || (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') || rest[3] != ':' || rest[6] != ':' {
			return time.Time{}, false, nil
		}
		var ok4, ok5, ok6 bool
		hour, ok4 = digits(rest[1:3])
		min, ok5 = digits(rest[4:6])
		sec, ok6 = digits(rest[7:9])
		if !ok4 || !ok5 || !ok6 {
			return time.Time{}, false, nil
		}
		rest = rest[9:]
		if len(rest) > 1 && (rest[0] == '.' || rest[0] == ',') {
			i := 1
			scale := 100000000
			for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
				nsec += int(rest[i]-'0') * scale
				scale /= 10
			}
			if i == 1 {
				return time.Time{}, false, nil
			}
			rest = rest[i:]
		}
		switch {
		case rest == "":
		case rest == "Z" || rest == "z":
		case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':',
			len(rest) == 5 && (rest[0] == '+' || rest[0] == '-'):
			oh, okh := digits(rest[1:3])
			om, okm := digits(rest[len(rest)-2:])
			if !okh || !okm {
				return time.Time{}, false, nil
			}
			if oh > 23 || om > 59 {
				return time.Time{}, true, fmt.Errorf("bad time %q: time zone offset out of range", s)
			}
			offset = (oh*60 + om) * 60
			if rest[0] == '-' {
				offset = -offset
			}
		default:
			return time.Time{}, false, nil
		}
	}
	switch {
	case month < 1 || month > 12:
		return time.Time{}, true, fmt.Errorf("bad time %q: month out of range", s)
	case day < 1 || day > daysIn(month, year):
		return time.Time{}, true, fmt.Errorf("bad time %q: day out of range", s)
	case hour > 23:
		return time.Time{}, true, fmt.Errorf("bad time %q: hour out of range", s)
	case min > 59:
		return time.Time{}, true, fmt.Errorf("bad time %q: minute out of range", s)
	case sec > 59:
		return time.Time{}, true, fmt.Errorf("bad time %q: second out of range", s)
	}
	t = time.Date(year, time.Month(month), day, hour, min, sec, nsec, time.UTC)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	return t, true, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ParseValue reads an observed value: a decimal number (surrounding spaces
// ignored), or "true"/"false" in any case as 1/0. NaN, infinities, empty
// text and anything else are errors saying why.
func ParseValue(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, errors.New("empty value: want a number")
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil {
		switch {
		case math.IsNaN(v):
			return 0, errors.New("NaN is not a measurement")
		case math.IsInf(v, 0):
			return 0, fmt.Errorf("infinity is not a measurement: %q", s)
		}
		return v, nil
	} else if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("number out of range: %q", s)
	}
	switch {
	case strings.EqualFold(t, "true"):
		return 1, nil
	case strings.EqualFold(t, "false"):
		return 0, nil
	}
	return 0, fmt.Errorf("not a number: %q", s)
}

// MaxMagnitude is the largest magnitude a measured value may have
// (SPEC.md, "Evidence hygiene"): beyond it a value is a unit mistake or a
// sentinel (1e200, ±1.7e308), and sums of squares would overflow to
// infinity in every report that touched it.
const MaxMagnitude = 1e15

// CheckValue rejects a value no measurement has: not finite, or of
// magnitude beyond MaxMagnitude.
func CheckValue(v float64) error {
	switch {
	case math.IsNaN(v):
		return errors.New("NaN is not a measurement")
	case math.IsInf(v, 0):
		return errors.New("infinity is not a measurement")
	case math.Abs(v) > MaxMagnitude:
		return fmt.Errorf("%g is beyond ±1e15, the largest magnitude saydo accepts (a unit mistake, or a placeholder for no data?)", v)
	}
	return nil
}

// Earliest is the first time evidence may carry: 1970-01-01 UTC. Earlier
// dates are placeholders (0001-01-01) or typos, and one would stretch every
// report over centuries.
var Earliest = time.Unix(0, 0).UTC()

// CheckTime rejects a time evidence cannot have: before 1970, or more
// than a day after now (the import's clock), so one row dated 9999-12-31
// cannot stretch every report over eight thousand years.
func CheckTime(t, now time.Time) error {
	if t.Before(Earliest) {
		return fmt.Errorf("%s is before 1970-01-01, the earliest time saydo accepts", t.UTC().Format(time.RFC3339))
	}
	if limit := now.Add(24 * time.Hour); t.After(limit) {
		return fmt.Errorf("%s is more than a day after the import's clock (%s): a future date is a typo or a placeholder",
			t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}
