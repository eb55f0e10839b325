package ledger_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/postgres/pgtest"
)

// observationsCSV returns n rows of two metrics over 60 days, with ids when
// ids is set, in time order or shuffled.
func observationsCSV(n int, ids, shuffled bool) string {
	rows := make([]string, n)
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		at := t0.Add(time.Duration(i) * (60 * 24 * time.Hour / time.Duration(n)))
		metric := []string{"wait", "speed"}[i%2]
		region := []string{"north", "south", "east"}[i%3]
		id := ""
		if ids {
			id = fmt.Sprintf("r%d", i)
		}
		rows[i] = fmt.Sprintf("%s,%s,%d,%s,%s", id, metric, (i*37)%240, at.Format(time.RFC3339), region)
	}
	if shuffled {
		r := rand.New(rand.NewPCG(1, 2))
		r.Shuffle(n, func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	return "id,metric,value,at,region\n" + strings.Join(rows, "\n") + "\n"
}

func stored(t *testing.T, st saydo.Store, metric string) []saydo.Observation {
	t.Helper()
	var out []saydo.Observation
	err := st.ScanObservations(context.Background(), metric, time.Time{}, time.Time{}, func(o *saydo.Observation) error {
		c := *o
		c.Attrs = slices.Clone(o.Attrs)
		out = append(out, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestIngestShuffled imports the same rows in time order and shuffled,
// the shuffled file through sorted runs written to disk, and finds the
// same observations, the same summaries and the same accounting, and a
// second import of the shuffled file finds only duplicates.
func TestIngestShuffled(t *testing.T) { testIngestShuffled(t, openStore) }

// TestIngestShuffledPostgres is TestIngestShuffled on PostgreSQL.
func TestIngestShuffledPostgres(t *testing.T) {
	pgtest.DSN(t)
	testIngestShuffled(t, openPostgres)
}

func testIngestShuffled(t *testing.T, openStore func(*testing.T) saydo.Store) {
	defer ledger.SetRunRows(700)()
	ws := workspace()
	ws.Promises = append(ws.Promises, saydo.Promise{ID: "fast", Metric: "speed", Owner: "care", Period: saydo.Week,
		Objective: saydo.Objective{Kind: saydo.AtMost, Value: 100, Share: 0.5}})
	const n = 5000
	sorted, shuffled := openStore(t), openStore(t)
	tmp := t.TempDir()
	opts := ledger.IngestOptions{BatchSize: 400, TempDir: tmp}
	r1, _ := ingest(t, sorted, ws, observationsCSV(n, true, false), opts)
	r2, _ := ingest(t, shuffled, ws, observationsCSV(n, true, true), opts)
	if r1.Accepted != n || r2.Accepted != n || r2.Read != n || r2.Duplicates != 0 {
		t.Fatalf("accepted: sorted %d, shuffled %d of %d read (%d duplicates); want %d each", r1.Accepted, r2.Accepted, r2.Read, r2.Duplicates, n)
	}
	for _, m := range []string{"wait", "speed"} {
		a, b := stored(t, sorted, m), stored(t, shuffled, m)
		if len(a) != n/2 || len(b) != n/2 {
			t.Fatalf("%s: sorted stored %d, shuffled %d, want %d", m, len(a), len(b), n/2)
		}
		for i := range a {
			if a[i].Key != b[i].Key || !a[i].At.Equal(b[i].At) || a[i].Value != b[i].Value || a[i].SourceID != b[i].SourceID ||
				!slices.Equal(a[i].Attrs, b[i].Attrs) {
				t.Fatalf("%s row %d: sorted import stored %+v, shuffled %+v", m, i, a[i], b[i])
			}
		}
	}
	for _, p := range ws.Promises {
		if err := ledger.Refresh(context.Background(), sorted, ws); err != nil {
			t.Fatal(err)
		}
		if err := ledger.Refresh(context.Background(), shuffled, ws); err != nil {
			t.Fatal(err)
		}
		_, a, err := sorted.Summaries(context.Background(), p.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		_, b, err := shuffled.Summaries(context.Background(), p.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) || len(a) == 0 {
			t.Fatalf("%s: %d summary days after the sorted import, %d after the shuffled one", p.ID, len(a), len(b))
		}
		for i := range a {
			if a[i].N != b[i].N || a[i].Met != b[i].Met || a[i].Min != b[i].Min || a[i].Max != b[i].Max ||
				!closeTo(a[i].Mean, b[i].Mean) {
				t.Errorf("%s %s: sorted %+v, shuffled %+v", p.ID, a[i].Day.Format(time.DateOnly), a[i], b[i])
			}
		}
	}
	again, _ := ingest(t, shuffled, ws, observationsCSV(n, true, true), opts)
	if again.Accepted != 0 || again.Duplicates != n {
		t.Errorf("second shuffled import: %d accepted, %d duplicates; want 0 and %d", again.Accepted, again.Duplicates, n)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("%d temporary files left in %s", len(left), tmp)
	}
}

// TestIngestShuffledNeedsTempDir shows the shuffled import sorts through
// temporary files, and fails clearly when it cannot write them, keeping
// the batches stored before it noticed the disorder; a sorted file needs
// no temporary files.
func TestIngestShuffledNeedsTempDir(t *testing.T) {
	defer ledger.SetRunRows(700)()
	ws := workspace()
	opts := ledger.IngestOptions{BatchSize: 400, TempDir: "/nonexistent/saydo-tmp"}
	st := openStore(t)
	if res, _ := ingest(t, st, ws, observationsCSV(3000, false, false), opts); res.Accepted != 1500 {
		t.Errorf("sorted file without a temporary folder: %d accepted, want 1500 (the wait rows)", res.Accepted)
	}
	rr, err := csv.NewReader(strings.NewReader(observationsCSV(3000, false, true)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ledger.IngestObservations(context.Background(), openStore(t), ws, rr, opts)
	if err == nil || !strings.Contains(err.Error(), "sort the import") {
		t.Errorf("shuffled file without a temporary folder: got %v, want a 'sort the import' error", err)
	}
}

func closeTo(a, b float64) bool {
	d := a - b
	return d < 1e-9 && d > -1e-9
}
