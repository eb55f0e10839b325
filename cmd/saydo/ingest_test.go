package main

import (
	"bufio"
	stdcsv "encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

type ingestReport struct {
	Files []struct {
		File       string `json:"file"`
		Read       int64  `json:"read"`
		Accepted   int64  `json:"accepted"`
		Rejected   int64  `json:"rejected"`
		Duplicates int64  `json:"duplicates"`
		Replaced   int64  `json:"replaced"`
		Committed  bool   `json:"committed"`
		Rejects    string `json:"rejects_file"`
		First      []struct {
			Line   int64  `json:"line"`
			Reason string `json:"reason"`
		} `json:"first_rejects"`
	} `json:"files"`
}

// TestBadInput runs every file of testdata/bad through saydo ingest: each
// gives a clear message, counts that add up and the right exit status.
func TestBadInput(t *testing.T) {
	tests := []struct {
		file                     string
		read, accepted, rejected int64
		code                     int
		reasons                  []string // one per rejected row, in order (substring)
		lines                    []int64
	}{
		{"non-numbers.csv", 3, 1, 2, 1, []string{`not a number: "abc"`, `not a number: "1e3x"`}, []int64{2, 4}},
		{"impossible-dates.csv", 4, 1, 3, 1, []string{"2026-02-30", "2026-13-01", "yesterday"}, []int64{2, 3, 4}},
		{"column-counts.csv", 3, 1, 2, 1, []string{"4 fields, header has 3", "2 fields, header has 3"}, []int64{2, 3}},
		{"invalid-utf8.csv", 2, 1, 1, 1, []string{"invalid UTF-8"}, []int64{3}},
		{"empty-values.csv", 4, 1, 3, 1, []string{"missing value", "missing metric", "missing at"}, []int64{2, 3, 4}},
		{"nan-inf.csv", 5, 1, 4, 1, []string{"NaN", "infinity", "infinity", "1e999"}, []int64{2, 3, 4, 5}},
		{"header-only.csv", 0, 0, 0, 0, nil, nil},
		{"unknown-metric.csv", 2, 1, 1, 1, []string{`unknown metric "wait_time"`}, []int64{3}},
		{"bom-crlf.csv", 2, 2, 0, 0, nil, nil},
		{"broken.jsonl", 5, 2, 3, 1, []string{`not a number: "ten"`, "", "nested"}, []int64{2, 3, 4}},
		{"unclosed-quote.csv", 1, 0, 1, 1, []string{""}, nil},
		// Evidence hygiene: the test clock is 2026-11-22T10:00Z.
		{"out-of-range-dates.csv", 6, 2, 4, 1, []string{"before 1970-01-01", "more than a day after", "before 1970-01-01", "more than a day after"}, []int64{2, 3, 4, 5}},
		{"huge-values.csv", 6, 2, 4, 1, []string{"beyond ±1e15", "beyond ±1e15", "beyond ±1e15", "beyond ±1e15"}, []int64{2, 3, 4, 5}},
		{"pooled.csv", 14, 4, 10, 1, []string{"n: want a positive whole number", "n: want a positive whole number", "met: 11 is outside 0..n",
			"missed: -1 is outside 0..n", `n: want a positive whole number of experiences, got "abc"`, `met: want a whole number, got "1.5"`,
			"n without met, missed or mean", "met 6 + missed 3 is not n 10", "mean: 1e+200 is beyond ±1e15", "sd: -2 is negative"}, []int64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			dir := newWorkspace(t, testWorkspace)
			src, err := os.ReadFile(filepath.Join("testdata", "bad", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			file := writeFile(t, dir, tt.file, string(src))
			out, errs, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir, "--report", "json")
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errs)
			}
			var rep ingestReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Files) != 1 {
				t.Fatalf("report %q: %v", out, err)
			}
			f := rep.Files[0]
			if got, want := [3]int64{f.Read, f.Accepted, f.Rejected}, [3]int64{tt.read, tt.accepted, tt.rejected}; got != want {
				t.Errorf("read, accepted, rejected = %v, want %v", got, want)
			}
			if f.Read != f.Accepted+f.Replaced+f.Rejected+f.Duplicates {
				t.Errorf("read %d ≠ accepted %d + rejected %d + duplicates %d", f.Read, f.Accepted, f.Rejected, f.Duplicates)
			}
			for i, want := range tt.reasons {
				if i >= len(f.First) {
					t.Errorf("only %d rejections reported, want %d", len(f.First), len(tt.reasons))
					break
				}
				if !strings.Contains(f.First[i].Reason, want) {
					t.Errorf("rejection %d: reason %q, want it to contain %q", i, f.First[i].Reason, want)
				}
				if i < len(tt.lines) && f.First[i].Line != tt.lines[i] {
					t.Errorf("rejection %d: line %d, want %d", i, f.First[i].Line, tt.lines[i])
				}
			}
			if tt.rejected > 0 {
				n := countLines(t, f.Rejects)
				if strings.HasSuffix(f.Rejects, ".csv") {
					n = countCSVRecords(t, f.Rejects) - 1 // the header
				}
				if n != int(tt.rejected) {
					t.Errorf("rejects file %s has %d rows, want %d", f.Rejects, n, tt.rejected)
				}
			} else if f.Rejects != "" {
				t.Errorf("rejects file %q written with no rejection", f.Rejects)
			}
		})
	}
}

func TestEmptyFileIsAClearError(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	file := writeFile(t, dir, "empty.csv", "")
	_, errs, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir)
	if code != 2 || !strings.Contains(errs, "empty") {
		t.Errorf("exit %d, stderr %q; want 2 and a message saying the file is empty", code, errs)
	}
}

func TestHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10 MB line; skipped with -short")
	}
	dir := newWorkspace(t, testWorkspace)
	var b strings.Builder
	b.WriteString("metric,value,at,note\ncall_wait_seconds,10,2026-01-05,short\n")
	b.WriteString("call_wait_seconds,11,2026-01-05," + strings.Repeat("x", 10<<20) + "\n")
	b.WriteString("call_wait_seconds,abc,2026-01-05,short\n")
	file := writeFile(t, dir, "huge.csv", b.String())
	out, errs, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir, "--report", "json")
	var rep ingestReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d, %v; stderr %q", code, err, errs)
	}
	f := rep.Files[0]
	// The reader takes the 10 MB line in its stride; the import rejects it
	// for its attribute's length (issue 13: a 50 MB value was stored).
	if code != 1 || f.Read != 3 || f.Accepted != 1 || f.Rejected != 2 || f.First[0].Line != 3 ||
		!strings.Contains(f.First[0].Reason, "note: 10485760 bytes, longer than the limit of 1024") || f.First[1].Line != 4 {
		t.Errorf("exit %d, %+v; want exit 1, 3 read, 1 accepted, line 3 rejected for its 10 MB note, line 4 for its value", code, f)
	}
}

func TestStrictIsAllOrNothing(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	src, _ := os.ReadFile(filepath.Join("testdata", "bad", "non-numbers.csv"))
	file := writeFile(t, dir, "n.csv", string(src))
	out, _, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir, "--strict")
	if code != 1 || !strings.Contains(out, "nothing stored") {
		t.Errorf("exit %d, out %q; want 1 and 'nothing stored'", code, out)
	}
	gap, _, _ := runSaydo(t, "", "gap", "--format", "json", "--workspace", dir)
	if strings.Contains(gap, `"n": 1`) {
		t.Errorf("a rejected strict import stored rows:\n%s", gap)
	}
}

func TestReimportChangesNothing(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	file := writeFile(t, dir, "e.csv", evidence)
	runSaydo(t, "", "ingest", "observations", file, "--workspace", dir)
	before, _, _ := runSaydo(t, "", "gap", "--format", "json", "--workspace", dir)
	out, _, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir)
	if code != 0 || !strings.Contains(out, "11 read = 0 accepted + 0 rejected + 11 duplicates") {
		t.Errorf("second import: exit %d, %q", code, out)
	}
	// From stdin, as JSON Lines with ids: twice, same result.
	jl := `{"id":"a","metric":"call_wait_seconds","value":5,"at":"2026-01-05T00:00:00Z"}` + "\n"
	runSaydo(t, jl, "ingest", "observations", "-", "--format", "jsonl", "--workspace", dir)
	out, _, _ = runSaydo(t, jl, "ingest", "observations", "-", "--format", "jsonl", "--workspace", dir)
	if !strings.Contains(out, "1 read = 0 accepted + 0 rejected + 1 duplicates") {
		t.Errorf("re-import from stdin: %q", out)
	}
	after, _, _ := runSaydo(t, "", "gap", "--format", "json", "--workspace", dir, "--to", "2026-01-04")
	_ = after
	if before == "" {
		t.Fatal("no report")
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		n++
	}
	return n
}

// countCSVRecords counts the records of a CSV file (a quoted field may
// hold line breaks: a rejected row's raw text).
func countCSVRecords(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := stdcsv.NewReader(strings.NewReader(string(b)))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return len(recs)
}

// TestKilledImportCompletesOnRerun kills a real saydo process part-way
// through a large import, then runs the import again: every row is stored
// exactly once.
func TestKilledImportCompletesOnRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 400,000 rows; skipped with -short")
	}
	dir := newWorkspace(t, testWorkspace)
	bin := filepath.Join(t.TempDir(), "saydo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const rows = 400_000
	var b strings.Builder
	b.WriteString("metric,value,at\n")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		fmt.Fprintf(&b, "call_wait_seconds,%d,%s\n", i%300, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
	}
	file := writeFile(t, dir, "big.csv", b.String())

	cmd := exec.Command(bin, "ingest", "observations", file, "--workspace", dir, "--quiet")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once some batches are committed: wait for the database's WAL to grow.
	wal := filepath.Join(dir, ".saydo", "saydo.db-wal")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if fi, err := os.Stat(wal); err == nil && fi.Size() > 2<<20 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	killed := err != nil
	t.Logf("first import killed: %v", killed)

	out, errb, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir, "--report", "json")
	if code != 0 {
		t.Fatalf("re-run: exit %d: %s", code, errb)
	}
	var rep ingestReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	f := rep.Files[0]
	if f.Read != rows || f.Accepted+f.Duplicates != rows || f.Rejected != 0 {
		t.Errorf("re-run: %+v; want %d read = accepted + duplicates", f, rows)
	}
	if killed && f.Duplicates == 0 {
		t.Logf("the kill came before the first commit; the test proved less than it could")
	}
	// Every row exactly once: the gap report counts all of them.
	gap, _, _ := runSaydo(t, "", "gap", "--format", "json", "--period", "month", "--promise", "answer-in-2-min", "--workspace", dir)
	var g struct {
		Promises []struct {
			Periods []struct{ N int64 } `json:"periods"`
		} `json:"promises"`
	}
	if err := json.Unmarshal([]byte(gap), &g); err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, p := range g.Promises[0].Periods {
		total += p.N
	}
	if total != rows {
		t.Errorf("store holds %d observations after kill and re-run, want %d", total, rows)
	}
}

func TestRejectsFallBackToTheWorkspace(t *testing.T) {
	// The rejects file cannot be created beside the input (here a folder
	// holds its name; a read-only data folder fails the same way for
	// users other than root): it goes to the workspace instead.
	dir := newWorkspace(t, testWorkspace)
	data := t.TempDir()
	file := writeFile(t, data, "n.csv", "metric,value,at\ncall_wait_seconds,abc,2026-01-05\n")
	if err := os.Mkdir(filepath.Join(data, "n.rejects.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir)
	want := filepath.Join(dir, ".saydo", "rejects", "n.rejects.csv")
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d, out %q, err %q; want 1 and the rejects in %s", code, out, errs, want)
	}
	if n := countLines(t, want); n != 2 {
		t.Errorf("%s has %d lines, want a header and the rejected row", want, n)
	}
}

// TestExtremeValuesReport: the largest magnitudes ingest accepts, side by
// side, give a report in every format (no "unsupported value: -Inf", no
// panic in the table), and the rejected ones are never stored.
func TestExtremeValuesReport(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	src, err := os.ReadFile(filepath.Join("testdata", "bad", "huge-values.csv"))
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, dir, "huge.csv", string(src)+"call_wait_seconds,-1e15,2026-01-05\ncall_wait_seconds,1e15,2026-01-07\n")
	runSaydo(t, "", "ingest", "observations", file, "--workspace", dir)
	for _, format := range []string{"json", "table", "markdown"} {
		out, errs, code := runSaydo(t, "", "gap", "--workspace", dir, "--period", "day", "--format", format)
		if code != 0 {
			t.Errorf("gap --format %s: exit %d, stderr %q", format, code, errs)
		}
		if format == "json" && !json.Valid([]byte(out)) {
			t.Errorf("gap --format json is not JSON: %s", out)
		}
	}
}
