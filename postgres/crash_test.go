package postgres

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// crashEnv names the DSN a re-executed test binary imports into until it
// is killed.
const crashEnv = "SAYDO_POSTGRES_CRASH_DSN"

const (
	crashBatches   = 100
	crashBatchRows = 2000
)

func crashData() []saydo.Observation {
	rng := rand.New(rand.NewPCG(1, 2))
	metrics := []string{"wait", "late", "fee"}
	segs := []saydo.Attrs{{{Name: "region", Value: "north"}}, {{Name: "region", Value: "south"}}}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]saydo.Observation, crashBatches*crashBatchRows)
	for i := range out {
		at = at.Add(time.Duration(rng.IntN(60_000)) * time.Millisecond)
		o := &out[i]
		o.Metric, o.At, o.Value, o.Attrs = metrics[rng.IntN(len(metrics))], at, float64(rng.IntN(600)), segs[rng.IntN(2)]
		if i%2 == 0 {
			// Every second row with an id, numbered in time order: the
			// kill can land in a copy the index of ids checks.
			o.SourceID = fmt.Sprintf("obs-%d", i)
		}
		o.Key = saydo.ObservationKey(o, int64(i+2))
	}
	return out
}

// TestCrashChild is the child process of TestCrashSafety: it imports batch
// after batch, one transaction each, printing "committed N" after each,
// until the parent kills it.
func TestCrashChild(t *testing.T) {
	dsn := os.Getenv(crashEnv)
	if dsn == "" {
		t.Skip("child process of TestCrashSafety")
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	data := crashData()
	for i := range crashBatches {
		tx, err := s.BeginObservations(ctx)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		// Two Inserts per transaction, so a kill can land between them.
		batch := data[i*crashBatchRows : (i+1)*crashBatchRows]
		for _, half := range [][]saydo.Observation{batch[:crashBatchRows/2], batch[crashBatchRows/2:]} {
			if _, err := tx.Insert(half); err != nil {
				fmt.Println("error", err)
				os.Exit(3)
			}
		}
		if err := tx.Commit(); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Printf("committed %d\n", i+1)
	}
	time.Sleep(time.Minute) // the parent kills us
}

// TestCrashSafety kills an importing process with SIGKILL part-way, then
// checks every committed batch and nothing else is stored, the counts the
// store keeps agree with the rows, and importing everything again
// completes the set without duplicates.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dsn := freshDSN(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const killAfter = 25
	committed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "committed "); ok {
			committed, _ = strconv.Atoi(rest)
			if committed >= killAfter {
				time.Sleep(3 * time.Millisecond) // into the next transaction
				break
			}
		} else if strings.HasPrefix(line, "error") {
			t.Fatalf("child: %s", line)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if committed < killAfter {
		t.Fatalf("child committed %d batches before it ended, want at least %d", committed, killAfter)
	}

	ctx := t.Context()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	data := crashData()
	want := map[string]int64{}
	for _, o := range data {
		want[o.Metric]++
	}
	counted := func() (stored int64) {
		t.Helper()
		for m := range want {
			_, _, n, err := s.ObservationSpan(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			stored += n
		}
		var rows int64
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM observations`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != stored {
			t.Errorf("the metrics' counts add up to %d, the table holds %d rows", stored, rows)
		}
		return stored
	}
	stored := counted()
	if min := int64(committed * crashBatchRows); stored < min {
		t.Errorf("after kill: got %d observations, want at least the %d committed", stored, min)
	}
	if stored%crashBatchRows != 0 {
		t.Errorf("after kill: got %d observations, want whole batches of %d", stored, crashBatchRows)
	}

	tx, err := s.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inserted := 0
	for off := 0; off < len(data); off += 7777 {
		n, err := tx.Insert(data[off:min(off+7777, len(data))])
		if err != nil {
			t.Fatal(err)
		}
		inserted += n
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := int64(inserted), int64(len(data))-stored; got != want {
		t.Errorf("re-import inserted %d, want %d", got, want)
	}
	if got := counted(); got != int64(len(data)) {
		t.Errorf("after re-import: %d observations, want %d", got, len(data))
	}
	for m, w := range want {
		seen := 0
		var last time.Time
		err = s.ScanObservations(ctx, m, time.Time{}, time.Time{}, func(o *saydo.Observation) error {
			if o.At.Before(last) {
				return fmt.Errorf("out of order at %s", o.At)
			}
			last = o.At
			seen++
			return nil
		})
		if err != nil || int64(seen) != w {
			t.Errorf("scan of %s: got %d rows (%v), want %d", m, seen, err, w)
		}
	}
}
