package sqlite

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

const (
	benchRows     = 1_000_000
	benchBatch    = 10_000  // rows per Insert call
	benchTxRows   = 100_000 // rows per transaction
	benchSegments = 15
)

var benchMetrics = []string{"call_wait_seconds", "delivery_late_days", "fuel_l_per_100km"}

// benchObservations returns n time-ordered observations of 3 metrics over
// 15 segments, keyed as an import without source ids keys them.
func benchObservations(n int) []saydo.Observation {
	rng := rand.New(rand.NewPCG(1, 2))
	segs := make([]saydo.Attrs, benchSegments)
	for i := range segs {
		segs[i] = saydo.Attrs{
			{Name: "channel", Value: []string{"phone", "chat", "email"}[i%3]},
			{Name: "region", Value: []string{"north", "south", "east", "west", "center"}[i%5]},
		}
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]saydo.Observation, n)
	for i := range out {
		at = at.Add(time.Duration(rng.IntN(60_000)) * time.Millisecond) // ~1M rows span a year
		o := &out[i]
		o.Metric = benchMetrics[rng.IntN(len(benchMetrics))]
		o.At = at
		o.Value = float64(rng.IntN(600))
		o.Attrs = segs[rng.IntN(len(segs))]
		o.Key = saydo.ObservationKey(o, int64(i+2))
	}
	return out
}

// BenchmarkInsert imports 1M observations through the batch API and, in the
// same run, inserts the same rows into a plain 5-column rowid table with
// bare INSERTs (the baseline), reporting both rates and their ratio.
//
//	go test ./sqlite -run '^$' -bench Insert -benchtime 1x -count 3
func BenchmarkInsert(b *testing.B) {
	data := benchObservations(benchRows)
	// A cancellable context, as the CLI's (signal.NotifyContext) is: the
	// driver watches it on every statement.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var storeDur, baseDur, multiDur, commitDur, storeCPU, baseCPU, multiCPU time.Duration
	for range b.N {
		dir := b.TempDir()
		start, cpu0 := time.Now(), cpuTime()
		s, err := Open(ctx, filepath.Join(dir, "saydo.db"))
		if err != nil {
			b.Fatal(err)
		}
		total := 0
		for off := 0; off < len(data); off += benchTxRows {
			tx, err := s.BeginObservations(ctx)
			if err != nil {
				b.Fatal(err)
			}
			end := min(off+benchTxRows, len(data))
			for lo := off; lo < end; lo += benchBatch {
				n, err := tx.Insert(data[lo:min(lo+benchBatch, end)])
				if err != nil {
					b.Fatal(err)
				}
				total += n
			}
			c0 := time.Now()
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			commitDur += time.Since(c0)
		}
		storeDur += time.Since(start)
		storeCPU += cpuTime() - cpu0
		if total != len(data) {
			b.Fatalf("inserted %d, want %d", total, len(data))
		}
		s.Close()
		d, c := benchBaseline(b, filepath.Join(dir, "base.db"), data, 1)
		baseDur, baseCPU = baseDur+d, baseCPU+c
		d, c = benchBaseline(b, filepath.Join(dir, "multi.db"), data, rowsPerInsert)
		multiDur, multiCPU = multiDur+d, multiCPU+c
	}
	rate := func(d time.Duration) float64 { return float64(b.N*len(data)) / d.Seconds() }
	b.ReportMetric(rate(storeDur), "obs/s")
	b.ReportMetric(rate(baseDur), "baseline-rows/s")
	b.ReportMetric(rate(multiDur), "baseline-multi-rows/s")
	b.ReportMetric(rate(storeDur)/rate(baseDur), "ratio")
	// Rates per CPU second: what one idle core achieves, steadier than
	// wall time on a shared machine.
	b.ReportMetric(rate(storeCPU), "obs/cpu-s")
	b.ReportMetric(rate(baseCPU), "baseline-rows/cpu-s")
	b.ReportMetric(rate(multiCPU), "baseline-multi-rows/cpu-s")
	b.ReportMetric(commitDur.Seconds()/storeDur.Seconds(), "commit-share")
	b.ReportMetric(0, "ns/op")
}

// benchBaseline inserts data into a plain rowid table (metric, at, key,
// value, segment) with the store's pragmas, rowsPerStmt rows per INSERT,
// benchTxRows rows per transaction, and returns how long it took, in wall
// and CPU time.
func benchBaseline(b *testing.B, path string, data []saydo.Observation, rowsPerStmt int) (time.Duration, time.Duration) {
	b.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", dsn(path, []string{"synchronous(NORMAL)", "journal_mode(WAL)", "busy_timeout(30000)"}, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE base (metric INTEGER, at INTEGER, key INTEGER, value REAL, segment INTEGER)`); err != nil {
		b.Fatal(err)
	}
	q := "INSERT INTO base (metric, at, key, value, segment) VALUES " + strings.Repeat("(?,?,?,?,?),", rowsPerStmt)
	q = q[:len(q)-1]
	metricIDs := map[string]int64{}
	for i, m := range benchMetrics {
		metricIDs[m] = int64(i + 1)
	}
	args := make([]any, 0, 5*rowsPerStmt)
	start, cpu0 := time.Now(), cpuTime()
	for off := 0; off < len(data); off += benchTxRows {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		end := min(off+benchTxRows, len(data))
		for lo := off; lo < end; lo += rowsPerStmt {
			args = args[:0]
			for j := lo; j < lo+rowsPerStmt; j++ {
				o := &data[j]
				args = append(args, metricIDs[o.Metric], o.At.UnixMilli(), int64(o.Key), o.Value, int64(j%benchSegments))
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				b.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start), cpuTime() - cpu0
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScan reads 1M observations of one metric back in time order.
//
//	go test ./sqlite -run '^$' -bench Scan -benchtime 3x
func BenchmarkScan(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "saydo.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	data := benchObservations(benchRows)
	for i := range data {
		data[i].Metric = benchMetrics[0]
	}
	tx, err := s.BeginObservations(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Insert(data); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n = 0
		err := s.ScanObservations(ctx, benchMetrics[0], time.Time{}, time.Time{}, func(*saydo.Observation) error { n++; return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	if n != len(data) {
		b.Fatalf("scanned %d, want %d", n, len(data))
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "obs/s")
}
