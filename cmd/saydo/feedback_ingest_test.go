package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledFeedbackImportCompletesOnRerun kills 'saydo ingest feedback'
// part-way through, runs it again, and wants every item stored once and
// the same voice report, byte for byte, as one uninterrupted import of the
// file into a new store: the voice summaries kept in the import's
// transactions survive a crash exactly.
func TestKilledFeedbackImportCompletesOnRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 120,000 items twice; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "saydo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	texts := []string{
		"I was on hold for an hour, nobody answers!!",
		"Still waiting for my refund, it never reached my account.",
		"Thanks, the agent was quick and polite.",
		"Nu răspunde nimeni la telefon, am sunat de trei ori.",
		"Roaming charges abroad are a scandal, roaming costs too much.",
		"Faceți reclamă că nu aveți taxe ascunse și apoi apare taxa de serviciu. Rușinos.",
	}
	const items = 120_000
	var b strings.Builder
	b.WriteString("id,at,text,customer,kind,nps\n")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range items {
		nps := ""
		if i%5 == 0 {
			nps = fmt.Sprint(i % 11)
		}
		fmt.Fprintf(&b, "k%d,%s,%q,c%d,complaint,%s\n", i, start.Add(time.Duration(i)*3*time.Minute).Format(time.RFC3339), texts[i%len(texts)], i%5000, nps)
	}
	killed := newWorkspace(t, voiceWorkspace)
	file := writeFile(t, killed, "fb.csv", b.String())

	cmd := exec.Command(bin, "ingest", "feedback", file, "--workspace", killed, "--quiet")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a batch is committed, reading the store as another
	// process would, while the next one is being written.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(killed, ".saydo", "saydo.db")+"?mode=ro&_pragma=busy_timeout(100)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored int64
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && stored == 0 {
		time.Sleep(5 * time.Millisecond)
		db.QueryRow(`SELECT count(*) FROM feedback`).Scan(&stored)
	}
	time.Sleep(20 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	wasKilled := cmd.Wait() != nil
	t.Logf("killed: %v, after %d items were committed", wasKilled, stored)
	if stored == 0 || stored >= items {
		t.Fatalf("killed with %d of %d items stored; want a partial import", stored, items)
	}

	out, errb, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", killed, "--report", "json")
	if code != 0 {
		t.Fatalf("re-run: exit %d: %s", code, errb)
	}
	var rep ingestReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	f := rep.Files[0]
	if f.Read != items || f.Accepted+f.Duplicates != items || f.Rejected != 0 {
		t.Errorf("re-run: %+v; want %d read = accepted + duplicates", f, items)
	}
	if wasKilled && f.Duplicates == 0 {
		t.Errorf("re-run: %+v; want the %d items committed before the kill counted as duplicates", f, stored)
	}

	whole := newWorkspace(t, voiceWorkspace)
	if _, errb, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", whole); code != 0 {
		t.Fatalf("uninterrupted import: exit %d: %s", code, errb)
	}
	report := func(dir string) string {
		out, errb, code := runSaydo(t, "", "voice", "--format", "json", "--workspace", dir)
		if code != 0 {
			t.Fatalf("voice: exit %d: %s", code, errb)
		}
		return out
	}
	got, want := report(killed), report(whole)
	if !strings.Contains(want, fmt.Sprintf(`"items": %d`, items)) {
		t.Fatalf("the uninterrupted import's report does not count %d items:\n%s", items, want)
	}
	if got != want {
		t.Errorf("voice report after a kill and a re-run differs from one import's:\ngot  %s\nwant %s", got, want)
	}
}
