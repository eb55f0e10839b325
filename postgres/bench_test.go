package postgres

import (
	"github.com/jackc/pgx/v5"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// benchRows returns n observations of 20 interleaved metrics; shuffled
// puts them in random time order.
func benchRows(n int, shuffled bool) []saydo.Observation {
	r := rand.New(rand.NewPCG(1, 2))
	attrs := []saydo.Attrs{{{Name: "region", Value: "north"}}, {{Name: "region", Value: "south"}}}
	metrics := make([]string, 20)
	for i := range metrics {
		metrics[i] = "m" + string(rune('a'+i))
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]saydo.Observation, n)
	for i := range out {
		o := &out[i]
		o.Metric = metrics[r.IntN(len(metrics))]
		o.At = t0.Add(time.Duration(i) * time.Second)
		o.Value = r.ExpFloat64() * 70
		o.Attrs = attrs[r.IntN(2)]
		o.Key = saydo.ObservationKey(o, int64(i))
	}
	if shuffled {
		r.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}

func benchmarkInsert(b *testing.B, shuffled bool) {
	const batch = 50_000
	s := openTest(b)
	defer s.Close()
	rows := benchRows(batch*20, shuffled)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		off := (i % 20) * batch
		if i > 0 && off == 0 {
			b.StopTimer()
			if _, err := s.pool.Exec(b.Context(), `TRUNCATE observations`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		tx, err := s.BeginObservations(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		fresh := make([]bool, batch)
		if _, err := tx.InsertNew(rows[off:off+batch], fresh); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkInsertSorted(b *testing.B)   { benchmarkInsert(b, false) }
func BenchmarkInsertShuffled(b *testing.B) { benchmarkInsert(b, true) }

// BenchmarkCopyBare is the baseline of BenchmarkInsertSorted: the same
// rows copied into a table without a key.
func BenchmarkCopyBare(b *testing.B) {
	const batch = 50_000
	s := openTest(b)
	defer s.Close()
	rows := benchRows(batch*20, false)
	ctx := b.Context()
	if _, err := s.pool.Exec(ctx, `CREATE TABLE bare (metric_id bigint, at bigint, key bigint, value float8, segment_id bigint, customer text, source_id text`+os.Getenv("BENCH_PK")+`)`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		off := (i % 20) * batch
		part := rows[off : off+batch]
		j := 0
		_, err := s.pool.CopyFrom(ctx, pgx.Identifier{"bare"}, []string{"metric_id", "at", "key", "value", "segment_id", "customer", "source_id"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if j == len(part) {
					return nil, nil
				}
				o := &part[j]
				j++
				return []any{int64(len(o.Metric)), o.At.UnixMilli(), int64(o.Key), o.Value, int64(1), nil, nil}, nil
			}))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "rows/s")
}
