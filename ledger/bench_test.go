package ledger_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/sqlite"
)

// benchCSV returns n observations over 20 metrics in time order.
func benchCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("metric,value,at,region,channel\n")
	r := rand.New(rand.NewPCG(1, 2))
	regions := []string{"north", "south", "east", "west", "capital"}
	channels := []string{"phone", "app", "web"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	step := float64(365*24*3600) / float64(n)
	var buf []byte
	for i := range n {
		m := r.IntN(20)
		buf = append(buf[:0], 'm', byte('0'+m/10), byte('0'+m%10), ',')
		buf = strconv.AppendInt(buf, int64(r.ExpFloat64()*70), 10)
		buf = append(buf, ',')
		buf = time.Unix(start+int64(float64(i)*step), 0).UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, ',')
		buf = append(buf, regions[r.IntN(5)]...)
		buf = append(buf, ',')
		buf = append(buf, channels[r.IntN(3)]...)
		buf = append(buf, '\n')
		b.Write(buf)
	}
	return b.Bytes()
}

func benchWorkspace() *saydo.Workspace {
	ws := &saydo.Workspace{Departments: []saydo.Department{{ID: "ops"}}}
	for i := range 20 {
		ws.Promises = append(ws.Promises, saydo.Promise{ID: fmt.Sprintf("p%02d", i), Metric: fmt.Sprintf("m%02d", i), Owner: "ops",
			Period: saydo.Week, Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}})
	}
	return ws
}

// BenchmarkIngest imports 1M observations from CSV into a fresh store and
// refreshes the summaries, reporting rows/s for each part.
func BenchmarkIngest(b *testing.B) {
	data := benchCSV(1_000_000)
	ws := benchWorkspace()
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "saydo.db"))
		if err != nil {
			b.Fatal(err)
		}
		rr, err := csv.NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := ledger.IngestObservations(ctx, st, ws, rr, ledger.IngestOptions{})
		if err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if err := ledger.Refresh(ctx, st, ws); err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		b.StopTimer()
		if res.Accepted != 1_000_000 {
			b.Fatalf("accepted %d, want 1000000", res.Accepted)
		}
		b.ReportMetric(float64(res.Accepted)/mid.Sub(start).Seconds(), "import-rows/s")
		b.ReportMetric(float64(res.Accepted)/end.Sub(mid).Seconds(), "summarise-rows/s")
		b.ReportMetric(float64(res.Accepted)/end.Sub(start).Seconds(), "total-rows/s")
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkIngestWithIDs is BenchmarkIngest with a source id on every row
// (ids are identities: each is recorded so a correction can replace it).
func BenchmarkIngestWithIDs(b *testing.B) {
	plain := benchCSV(1_000_000)
	var data bytes.Buffer
	for i, line := range bytes.SplitAfter(plain, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if i == 0 {
			data.WriteString("id,")
		} else {
			data.WriteString("r" + strconv.Itoa(i) + ",")
		}
		data.Write(line)
	}
	ws := benchWorkspace()
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "saydo.db"))
		if err != nil {
			b.Fatal(err)
		}
		rr, err := csv.NewReader(bytes.NewReader(data.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := ledger.IngestObservations(ctx, st, ws, rr, ledger.IngestOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Accepted != 1_000_000 {
			b.Fatalf("accepted %d, want 1000000", res.Accepted)
		}
		b.ReportMetric(float64(res.Accepted)/time.Since(start).Seconds(), "import-rows/s")
		st.Close()
		b.StartTimer()
	}
}
