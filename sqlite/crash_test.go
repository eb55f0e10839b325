package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// crashEnv names the database a re-executed test binary imports into until
// it is killed.
const crashEnv = "SAYDO_SQLITE_CRASH_DB"

const (
	crashBatches   = 100
	crashBatchRows = 2000
)

// crashData is the rows the child imports: every second one with a source
// id (numbered in time order, as systems number them), so the kill can also
// land between an id's record and its observation.
func crashData() []saydo.Observation {
	data := benchObservations(crashBatches * crashBatchRows)
	for i := 0; i < len(data); i += 2 {
		o := &data[i]
		o.SourceID = "obs-" + strconv.Itoa(i)
		o.Key = saydo.ObservationKey(o, int64(i+2))
	}
	return data
}

// TestCrashChild is the child process of TestCrashSafety: it imports batch
// after batch, one transaction each, printing "committed N" after each, and
// never finishes on its own in time: the parent kills it.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("child process of TestCrashSafety")
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
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
	// Stay alive: the parent kills us.
	time.Sleep(time.Minute)
}

// TestCrashSafety kills an importing process with SIGKILL part-way, then
// checks the file is sound, every committed batch is there, and importing
// everything again completes the set without duplicates.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const killAfter = 25 // committed batches
	committed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "committed "); ok {
			committed, _ = strconv.Atoi(rest)
			if committed >= killAfter {
				// Let it get into the next transaction, then kill it.
				time.Sleep(3 * time.Millisecond)
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
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Errorf("after kill: %v", err)
	}
	data := crashData()
	want := map[string]int64{}
	for _, o := range data {
		want[o.Metric]++
	}
	var stored int64
	for m := range want {
		_, _, n, err := s.ObservationSpan(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		stored += n
	}
	if min := int64(committed * crashBatchRows); stored < min {
		t.Errorf("after kill: got %d observations, want at least the %d committed", stored, min)
	}
	if stored%crashBatchRows != 0 {
		t.Errorf("after kill: got %d observations, want whole batches of %d", stored, crashBatchRows)
	}

	// Import everything again, in other batch sizes.
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
	for m, w := range want {
		_, _, n, err := s.ObservationSpan(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if n != w {
			t.Errorf("span of %s: got %d observations, want %d", m, n, w)
		}
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
	// Every id is recorded where its observation is.
	for m := range want {
		mid, _, err := s.lookupMetric(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		var orphans int
		if err := s.r.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM `+obsTable(mid)+` o WHERE o.source_id IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM `+idsTable(mid)+` i WHERE i.source_id = `+idKeySQL("o.source_id")+` AND i.at = o.at)) +
			(SELECT count(*) FROM `+idsTable(mid)+` i WHERE NOT EXISTS (SELECT 1 FROM `+obsTable(mid)+` o WHERE o.at = i.at AND `+idKeySQL("o.source_id")+` = i.source_id))`).Scan(&orphans); err != nil {
			t.Fatal(err)
		}
		if orphans != 0 {
			t.Errorf("%s: %d ids and observations that do not point at each other, want 0", m, orphans)
		}
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Errorf("after re-import: %v", err)
	}
}
