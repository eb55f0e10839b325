package saydo

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		name   string
		in     string
		layout string
		want   time.Time
	}{
		{"rfc3339 Z", "2026-03-01T09:30:00Z", "", utc(2026, 3, 1, 9, 30, 0, 0)},
		{"rfc3339 lowercase", "2026-03-01t09:30:00z", "", utc(2026, 3, 1, 9, 30, 0, 0)},
		{"rfc3339 offset", "2026-03-01T09:30:00+02:00", "", utc(2026, 3, 1, 7, 30, 0, 0)},
		{"rfc3339 negative offset", "2026-03-01T23:30:00-05:00", "", utc(2026, 3, 2, 4, 30, 0, 0)},
		{"rfc3339 compact offset", "2026-03-01T09:30:00+0200", "", utc(2026, 3, 1, 7, 30, 0, 0)},
		{"rfc3339 millis", "2026-03-01T09:30:00.123Z", "", utc(2026, 3, 1, 9, 30, 0, 123000000)},
		{"rfc3339 nanos", "2026-03-01T09:30:00.123456789+00:00", "", utc(2026, 3, 1, 9, 30, 0, 123456789)},
		{"date only", "2026-01-31", "", utc(2026, 1, 31, 0, 0, 0, 0)},
		{"leap day", "2024-02-29", "", utc(2024, 2, 29, 0, 0, 0, 0)},
		{"space no zone", "2026-01-31 23:59:59", "", utc(2026, 1, 31, 23, 59, 59, 0)},
		{"T no zone", "2026-01-31T23:59:59", "", utc(2026, 1, 31, 23, 59, 59, 0)},
		{"space fraction no zone", "2026-01-31 23:59:59.5", "", utc(2026, 1, 31, 23, 59, 59, 500000000)},
		{"git style", "2015-02-24 11:35:52 -0800", "", utc(2015, 2, 24, 19, 35, 52, 0)},
		{"rfc1123", "Tue, 24 Feb 2015 11:35:52 GMT", "", utc(2015, 2, 24, 11, 35, 52, 0)},
		{"rfc1123z", "Tue, 24 Feb 2015 11:35:52 +0100", "", utc(2015, 2, 24, 10, 35, 52, 0)},
		{"twitter", "Tue Oct 31 23:36:20 +0000 2017", "", utc(2017, 10, 31, 23, 36, 20, 0)},
		{"unix 10 digits", "1700000000", "", time.Unix(1700000000, 0).UTC()},
		{"unix 9 digits", "999999999", "", time.Unix(999999999, 0).UTC()},
		{"surrounding spaces", " 2026-01-31 ", "", utc(2026, 1, 31, 0, 0, 0, 0)},
		{"date from columns", "2013-1-9", "", utc(2013, 1, 9, 0, 0, 0, 0)},
		{"layout", "31/01/2026 08:00", "02/01/2006 15:04", utc(2026, 1, 31, 8, 0, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTime(tt.in, tt.layout)
			if err != nil {
				t.Fatalf("ParseTime(%q, %q) error: %v", tt.in, tt.layout, err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseTime(%q, %q) = %v, want %v", tt.in, tt.layout, got, tt.want)
			}
		})
	}
}

func TestParseTimeErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		layout string
		want   string // substring of the error
	}{
		{"month", "2026-13-01", "", `bad time "2026-13-01": month out of range`},
		{"feb 30", "2026-02-30", "", `bad time "2026-02-30": day out of range`},
		{"feb 29 non leap", "2026-02-29T10:00:00Z", "", "day out of range"},
		{"hour", "2026-01-01T24:00:00Z", "", "hour out of range"},
		{"minute", "2026-01-01 10:60:00", "", "minute out of range"},
		{"empty", "", "", "empty"},
		{"garbage", "yesterday", "", "want RFC 3339"},
		{"unix too short", "12345", "", "want RFC 3339"},
		{"unix too long", "170000000000000", "", "want RFC 3339"},
		{"bad zone", "2026-01-01T10:00:00+0x:00", "", "want RFC 3339"},
		{"rfc1123 bad day", "Tue, 31 Feb 2015 11:35:52 GMT", "", "day out of range"},
		{"layout mismatch", "2026-01-31", "02/01/2006", `want layout "02/01/2006"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTime(tt.in, tt.layout)
			if err == nil {
				t.Fatalf("ParseTime(%q, %q) = %v, want error containing %q", tt.in, tt.layout, got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseTime(%q, %q) error = %q, want it to contain %q", tt.in, tt.layout, err, tt.want)
			}
		})
	}
}

// TestParseTimeAgreesWithStdlib checks the fast path against time.Parse.
func TestParseTimeAgreesWithStdlib(t *testing.T) {
	for _, s := range []string{
		"2026-03-01T09:30:00Z", "2026-03-01T09:30:00.000001+05:30", "1999-12-31T23:59:59-12:00",
		"2000-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
	} {
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseTime(s, "")
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", s, got, err, want.UTC())
		}
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr string
	}{
		{"120", 120, ""},
		{" 4.5 ", 4.5, ""},
		{"-0.25", -0.25, ""},
		{"1e3", 1000, ""},
		{"true", 1, ""},
		{"FALSE", 0, ""},
		{"True", 1, ""},
		{"", 0, "empty value"},
		{"   ", 0, "empty value"},
		{"abc", 0, `not a number: "abc"`},
		{"1,5", 0, `not a number: "1,5"`},
		{"NaN", 0, "NaN is not a measurement"},
		{"nan", 0, "NaN is not a measurement"},
		{"Inf", 0, "infinity is not a measurement"},
		{"-infinity", 0, "infinity is not a measurement"},
		{"1e999", 0, "out of range"},
		{"yes", 0, "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseValue(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseValue(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want || math.IsNaN(got) {
				t.Errorf("ParseValue(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-01T09:30:00Z", "2026-02-30", "1700000000", "2015-02-24 11:35:52 -0800", "2026-01-01T10:00:00.5+01:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s, "")
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) location = %v, want UTC", s, got.Location())
		}
		// Whatever the stdlib reads as RFC 3339 we must read the same.
		if want, err := time.Parse(time.RFC3339Nano, s); err == nil && !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, want %v", s, got, want)
		}
	})
}

func BenchmarkParseTime(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"RFC3339", "2026-03-01T09:30:00Z"},
		{"RFC3339Offset", "2026-03-01T09:30:00.123+02:00"},
		{"DateOnly", "2026-03-01"},
		{"RFC1123Z", "Tue, 24 Feb 2015 11:35:52 +0100"},
		{"Unix", "1700000000"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ParseTime(bc.in, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Baseline: the standard library on the same RFC 3339 input.
	b.Run("stdlib-RFC3339", func(b *testing.B) {
		for b.Loop() {
			if _, err := time.Parse(time.RFC3339, "2026-03-01T09:30:00Z"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestEvidenceHygiene(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v  float64
		ok bool
	}{{1, true}, {-1e15, true}, {1e15, true}, {1e15 * 1.0000001, false}, {-1.7e308, false}, {1e200, false}, {math.Inf(-1), false}, {math.NaN(), false}} {
		if err := CheckValue(c.v); (err == nil) != c.ok {
			t.Errorf("CheckValue(%g) = %v, want ok %v", c.v, err, c.ok)
		}
	}
	for _, c := range []struct {
		at string
		ok bool
	}{{"1970-01-01T00:00:00Z", true}, {"1969-12-31T23:59:59Z", false}, {"0001-01-01T00:00:00Z", false},
		{"2026-11-23T10:00:00Z", true}, {"2026-11-23T10:00:01Z", false}, {"9999-12-31T00:00:00Z", false}} {
		at, _ := time.Parse(time.RFC3339, c.at)
		if err := CheckTime(at, now); (err == nil) != c.ok {
			t.Errorf("CheckTime(%s) = %v, want ok %v", c.at, err, c.ok)
		}
	}
}

// FuzzEvidenceHygiene: whatever ParseValue and ParseTime accept and the
// hygiene checks let through is finite, within ±1e15, and between 1970 and
// a day after the clock, so summaries of it stay finite.
func FuzzEvidenceHygiene(f *testing.F) {
	for _, s := range []string{"1e200", "-1.7e308", "1.7e308", "1e15", "-1e15", "1e16", "NaN", "-Inf", "7", "true"} {
		f.Add(s, "2026-01-05")
	}
	for _, at := range []string{"9999-12-31", "0001-01-01", "1969-12-31T23:59:59Z", "1970-01-01", "2026-11-23T10:00:00Z", "253402300799"} {
		f.Add("1", at)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, vs, as string) {
		v, err := ParseValue(vs)
		if err == nil && CheckValue(v) == nil {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > MaxMagnitude {
				t.Errorf("%q passed as %g", vs, v)
			}
			var s Summary
			s.Add(v, true)
			s.Add(-v, false)
			if math.IsInf(s.M2, 0) || math.IsNaN(s.M2) || math.IsInf(s.Variance(), 0) {
				t.Errorf("summary of ±%g overflowed: m2 %g", v, s.M2)
			}
		}
		at, err := ParseTime(as, "")
		if err == nil && CheckTime(at, now) == nil {
			if at.Before(Earliest) || at.After(now.Add(24*time.Hour)) {
				t.Errorf("%q passed as %s", as, at)
			}
		}
	})
}
