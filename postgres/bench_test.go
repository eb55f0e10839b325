package postgres

import (
	"math/rand/v2"
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
