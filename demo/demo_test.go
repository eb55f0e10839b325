package demo

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The default demo is written once and shared by the tests that read it.
var (
	nordtelOnce sync.Once
	nordtelDir  string
	nordtelOut  *Written
	nordtelErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if nordtelDir != "" {
		os.RemoveAll(nordtelDir)
	}
	os.Exit(code)
}

// nordtel returns the default demo workspace, written on first use.
func nordtel(t testing.TB) *Written {
	t.Helper()
	nordtelOnce.Do(func() {
		nordtelDir, nordtelErr = os.MkdirTemp("", "saydo-demo-")
		if nordtelErr != nil {
			return
		}
		start := time.Now()
		nordtelOut, nordtelErr = Write(Options{Dir: nordtelDir})
		if nordtelErr == nil {
			t.Logf("wrote %d observations and %d feedback items in %v",
				nordtelOut.ObservationRows, nordtelOut.FeedbackRows, time.Since(start).Round(time.Millisecond))
		}
	})
	if nordtelErr != nil {
		t.Fatalf("Write: %v", nordtelErr)
	}
	return nordtelOut
}

// share counts observations meeting a threshold.
type share struct{ n, met int64 }

func (s *share) add(met bool) {
	s.n++
	if met {
		s.met++
	}
}

func (s share) p() float64 { return float64(s.met) / float64(s.n) }

// mean accumulates a mean.
type mean struct {
	n   int64
	sum float64
}

func (m mean) value() float64 { return m.sum / float64(m.n) }

// facts is what the story test computes from observations.csv, on its own
// with no saydo package: weekly and monthly shares per metric.
type facts struct {
	rows      int64
	perMetric map[string]int64
	// Keys are the Monday (weeks) or the first day (months) of a period.
	waitWeek    map[time.Time]*share
	installWeek map[time.Time]*share
	installMon  map[time.Month]*share
	billMonth   map[time.Month]*share
	feeMonth    map[time.Month]*share
	refundMonth map[time.Month]*share
	techRegion  map[string]*share
	availWeek   map[time.Time]*mean
}

func monday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func get[K comparable, V any](m map[K]*V, k K) *V {
	v, ok := m[k]
	if !ok {
		v = new(V)
		m[k] = v
	}
	return v
}

// readFacts reads observations.csv and checks every row's shape on the way.
func readFacts(t *testing.T, path string, year int) *facts {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fa := &facts{
		perMetric: map[string]int64{}, waitWeek: map[time.Time]*share{}, installWeek: map[time.Time]*share{},
		installMon: map[time.Month]*share{}, billMonth: map[time.Month]*share{}, feeMonth: map[time.Month]*share{},
		refundMonth: map[time.Month]*share{}, techRegion: map[string]*share{}, availWeek: map[time.Time]*mean{},
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<16)
	if !sc.Scan() || sc.Text() != strings.TrimSuffix(observationHeader, "\n") {
		t.Fatalf("header = %q, want %q", sc.Text(), observationHeader)
	}
	lastSeq := map[string]int64{}
	line := 1
	for sc.Scan() {
		line++
		fields := strings.Split(sc.Text(), ",")
		if len(fields) != 8 {
			t.Fatalf("line %d: %d fields, want 8", line, len(fields))
		}
		id, metric := fields[0], fields[1]
		prefix, num, ok := strings.Cut(id, "-")
		seq, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || seq <= lastSeq[prefix] {
			t.Fatalf("line %d: id %q is not unique and increasing after %d", line, id, lastSeq[prefix])
		}
		lastSeq[prefix] = seq
		v, err := strconv.ParseFloat(fields[2], 64)
		if err != nil {
			t.Fatalf("line %d: value: %v", line, err)
		}
		at, err := time.Parse(time.RFC3339, fields[3])
		if err != nil || at.Year() != year || at.Location() != time.UTC {
			t.Fatalf("line %d: at %q is not RFC 3339 UTC in %d (%v)", line, fields[3], year, err)
		}
		if fields[4] == "" {
			t.Fatalf("line %d: no region", line)
		}
		fa.rows++
		fa.perMetric[metric]++
		wk, mon := monday(at), at.Month()
		switch metric {
		case metricCallWait:
			get(fa.waitWeek, wk).add(v <= 120)
		case metricInstallDays:
			get(fa.installWeek, wk).add(v <= 3)
			get(fa.installMon, mon).add(v <= 3)
		case metricBillCorrect:
			get(fa.billMonth, mon).add(v >= 1)
		case metricSurpriseFee:
			get(fa.feeMonth, mon).add(v <= 0)
		case metricRefundDays:
			get(fa.refundMonth, mon).add(v <= 5)
		case metricTechLate:
			get(fa.techRegion, fields[4]).add(v <= 15)
		case metricAvailability:
			m := get(fa.availWeek, wk)
			m.n++
			m.sum += v
		case metricFirstCall:
			if v != 0 && v != 1 {
				t.Fatalf("line %d: %s = %v, want 0 or 1", line, metric, v)
			}
		default:
			t.Fatalf("line %d: unknown metric %q", line, metric)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return fa
}

// weeks returns the shares of the weeks whose Monday is in [from, to].
func weeks(m map[time.Time]*share, from, to time.Time) []share {
	var out []share
	for d := monday(from); !d.After(to); d = d.AddDate(0, 0, 7) {
		if s, ok := m[d]; ok && !d.Before(from) {
			out = append(out, *s)
		}
	}
	return out
}

func pooled(ss []share) share {
	var s share
	for _, x := range ss {
		s.n += x.n
		s.met += x.met
	}
	return s
}

// zTwoProportions is the pooled two-proportion z statistic of a − b.
func zTwoProportions(a, b share) float64 {
	p := float64(a.met+b.met) / float64(a.n+b.n)
	se := math.Sqrt(p * (1 - p) * (1/float64(a.n) + 1/float64(b.n)))
	return (a.p() - b.p()) / se
}

func day(m time.Month, d int) time.Time { return time.Date(DefaultYear, m, d, 0, 0, 0, 0, time.UTC) }

// TestStory checks, from the CSV alone, that the data tells the story the
// package comment promises.
func TestStory(t *testing.T) {
	w := nordtel(t)
	fa := readFacts(t, w.Observations, DefaultYear)
	if fa.rows != w.ObservationRows {
		t.Errorf("rows in file = %d, Written.ObservationRows = %d", fa.rows, w.ObservationRows)
	}
	for m, n := range fa.perMetric {
		if n != w.MetricRows[m] {
			t.Errorf("%s rows in file = %d, Written.MetricRows = %d", m, n, w.MetricRows[m])
		}
	}
	spring := weeks(fa.waitWeek, day(3, 1), day(5, 25))
	campaign := weeks(fa.waitWeek, day(6, 15), day(8, 24))
	tests := []struct {
		name  string
		check func() error
	}{
		{"at least a million observations", func() error {
			if fa.rows < 1_000_000 {
				return fmt.Errorf("rows = %d, want >= 1000000", fa.rows)
			}
			return nil
		}},
		{"every metric has data", func() error {
			for _, m := range []string{metricCallWait, metricFirstCall, metricInstallDays, metricBillCorrect,
				metricSurpriseFee, metricAvailability, metricRefundDays, metricTechLate} {
				if fa.perMetric[m] == 0 {
					return fmt.Errorf("no rows of %s", m)
				}
			}
			return nil
		}},
		{"calls answered within 2 minutes in spring", func() error {
			for _, s := range spring {
				if s.p() < 0.9 {
					return fmt.Errorf("spring week share = %.3f, want >= 0.9", s.p())
				}
			}
			return nil
		}},
		{"campaign weeks clearly worse than spring", func() error {
			if len(campaign) < 8 || len(spring) < 10 {
				return fmt.Errorf("campaign weeks = %d, spring weeks = %d", len(campaign), len(spring))
			}
			worstSpring := 1.0
			for _, s := range spring {
				worstSpring = min(worstSpring, s.p())
			}
			for _, s := range campaign {
				if s.p() > worstSpring-0.2 {
					return fmt.Errorf("campaign week share = %.3f, want below the worst spring week %.3f by 0.2", s.p(), worstSpring)
				}
			}
			if z := zTwoProportions(pooled(spring), pooled(campaign)); z < 10 {
				return fmt.Errorf("z(spring − campaign) = %.1f, want >= 10", z)
			}
			return nil
		}},
		{"call volume doubles in the campaign", func() error {
			ratio := float64(pooled(campaign).n) / float64(len(campaign)) / (float64(pooled(spring).n) / float64(len(spring)))
			if ratio < 1.8 || ratio > 2.2 {
				return fmt.Errorf("campaign/spring calls a week = %.2f, want about 2", ratio)
			}
			return nil
		}},
		{"calls recover only partly", func() error {
			dec := pooled(weeks(fa.waitWeek, day(11, 30), day(12, 21))).p()
			if dec <= pooled(campaign).p()+0.15 || dec >= 0.9 {
				return fmt.Errorf("December share = %.3f, want between the campaign's + 0.15 and 0.9", dec)
			}
			return nil
		}},
		{"install fix narrows the gap from September", func() error {
			sep := weeks(fa.installWeek, day(9, 7), day(10, 5))
			for i := 1; i < len(sep); i++ {
				if sep[i].p() <= sep[i-1].p() {
					return fmt.Errorf("September week %d share %.3f <= previous %.3f", i, sep[i].p(), sep[i-1].p())
				}
			}
			summer := pooled([]share{*fa.installMon[time.July], *fa.installMon[time.August]})
			for _, m := range []time.Month{time.October, time.November, time.December} {
				if s := fa.installMon[m]; s.p() < 0.9 || s.p() < summer.p()+0.25 {
					return fmt.Errorf("%s installs within 3 days = %.3f, summer = %.3f", m, s.p(), summer.p())
				}
			}
			return nil
		}},
		{"bills correct every month", func() error {
			for m := time.January; m <= time.December; m++ {
				if s := fa.billMonth[m]; s == nil || s.p() < 0.99 {
					return fmt.Errorf("%s correct bills = %v, want >= 0.99", m, s)
				}
			}
			return nil
		}},
		{"surprise fees creep up after April", func() error {
			jan, jun, dec := fa.feeMonth[time.January].p(), fa.feeMonth[time.June].p(), fa.feeMonth[time.December].p()
			if !(jan >= 0.98 && jun < jan && dec < jun && dec < 0.97) {
				return fmt.Errorf("bills without surprise fees: January %.3f, June %.3f, December %.3f", jan, jun, dec)
			}
			return nil
		}},
		{"technicians on time in the north, late in the south", func() error {
			north, south := *fa.techRegion["north"], *fa.techRegion["south"]
			if north.p() < 0.9 || south.p() > 0.85 || zTwoProportions(north, south) < 10 {
				return fmt.Errorf("on time: north %.3f, south %.3f", north.p(), south.p())
			}
			return nil
		}},
		{"network kept except the storm week", func() error {
			storm := isoWeekMonday(DefaultYear, 42)
			for wk, m := range fa.availWeek {
				switch {
				case wk.Equal(storm) && m.value() >= 99.5:
					return fmt.Errorf("storm week mean = %.3f, want < 99.5", m.value())
				case !wk.Equal(storm) && m.value() < 99.9:
					return fmt.Errorf("week of %s mean = %.3f, want >= 99.9", wk.Format(time.DateOnly), m.value())
				}
			}
			return nil
		}},
		{"refunds hover just under the promise", func() error {
			y := share{}
			for _, s := range fa.refundMonth {
				y.n += s.n
				y.met += s.met
			}
			if y.p() < 0.92 || y.p() >= 0.95 {
				return fmt.Errorf("refunds within 5 days = %.3f, want in [0.92, 0.95)", y.p())
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.check(); err != nil {
				t.Error(err)
			}
		})
	}
}

// files reads every file under dir, by relative path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteDeterministic(t *testing.T) {
	write := func(seed int64) map[string][]byte {
		dir := t.TempDir()
		if _, err := Write(Options{Dir: dir, Seed: seed, Scale: 0.05}); err != nil {
			t.Fatal(err)
		}
		return files(t, dir)
	}
	a, b, c := write(0), write(DefaultSeed), write(7)
	if len(a) != len(b) {
		t.Fatalf("got %d files, then %d", len(a), len(b))
	}
	for name, content := range a {
		if !bytes.Equal(content, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	obs := filepath.Join("data", "observations.csv")
	if bytes.Equal(a[obs], c[obs]) {
		t.Errorf("%s is the same with seeds %d and 7", obs, DefaultSeed)
	}
}

func TestWriteOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		noDir   bool
		wantErr bool
		lastDay time.Time
		year    int
	}{
		{name: "no dir", noDir: true, wantErr: true},
		{name: "negative scale", opts: Options{Scale: -1}, wantErr: true},
		{name: "end before year", opts: Options{Year: 2026, End: day(1, 1).AddDate(0, 0, -1)}, wantErr: true},
		{name: "end in June", opts: Options{Scale: 0.02, End: day(6, 30)}, lastDay: day(6, 30), year: 2026},
		{name: "another year", opts: Options{Scale: 0.02, Year: 2027}, lastDay: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), year: 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.noDir {
				tt.opts.Dir = t.TempDir()
			}
			w, err := Write(tt.opts)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("Write error = %v, want error: %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			yaml, err := os.ReadFile(w.Workspace)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("since: %d-01-01", tt.year); !bytes.Contains(yaml, []byte(want)) {
				t.Errorf("saydo.yaml does not contain %q", want)
			}
			last := lastDay(t, w.Observations, 3)
			if !last.Equal(tt.lastDay) {
				t.Errorf("last observation day = %s, want %s", last.Format(time.DateOnly), tt.lastDay.Format(time.DateOnly))
			}
			if fb := lastDay(t, w.Feedback, 1); fb.After(tt.lastDay) {
				t.Errorf("last feedback day = %s, after %s", fb.Format(time.DateOnly), tt.lastDay.Format(time.DateOnly))
			}
		})
	}
}

// lastDay returns the latest day in a CSV column holding RFC 3339 times
// (the column must come before any quoted field).
func lastDay(t *testing.T, path string, col int) time.Time {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var last time.Time
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i == 0 {
			continue
		}
		f := strings.SplitN(line, ",", col+2)
		at, err := time.Parse(time.RFC3339, f[col])
		if err != nil {
			t.Fatalf("%s line %d: %v", path, i+1, err)
		}
		if d := at.Truncate(24 * time.Hour); d.After(last) {
			last = d
		}
	}
	return last
}

func BenchmarkWrite(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		w, err := Write(Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.ObservationRows), "rows/op")
	}
}
