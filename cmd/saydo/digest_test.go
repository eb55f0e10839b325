package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDigest(t *testing.T) {
	ws := strings.Replace(testWorkspace, "    period: week\n", `    period: week
    actions:
      - id: more-agents
        what: Twelve more agents
        by: care
        on: 2026-11-16
`, 1)
	dir := newWorkspace(t, ws)
	writeFile(t, dir, "w1.csv", weekOfWaits("2026-11-02", 100, 2))
	writeFile(t, dir, "w2.csv", weekOfWaits("2026-11-09", 100, 40))
	if _, errs, code := runSaydo(t, "", "ingest", "observations", "--workspace", dir, dir+"/w1.csv", dir+"/w2.csv"); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	out, errs, code := runSaydo(t, "", "digest", "--workspace", dir, "--department", "care")
	if code != 0 {
		t.Fatalf("digest: %d %s", code, errs)
	}
	for _, want := range []string{
		"# Customer care: promises this week",
		"🔴 broken **answer-in-2-min** (you deliver it)",
		"60.0% delivered (95% CI 50.2%–69.1%) against ≤ 120 for 90% in the week of 9 Nov", // Wilson 60/100: 0.502003 to 0.690599 (impact/testdata/reference.py)
		"No figures: the evidence carries no customer ids",
		"**answer-in-2-min**: kept → broken since the period from 2026-11-02.",
		"Twelve more agents (care, 2026-11-16): not enough periods to tell (2 before, 0 after; 3 each needed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("digest lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runSaydo(t, "", "digest", "--workspace", dir, "--dir", filepath.Join(dir, "digests"))
	if code != 0 || !strings.Contains(out, "care.md") {
		t.Fatalf("digest --dir: %d %q", code, out)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "digests", "marketing.md")); err != nil || !strings.Contains(string(b), "(you make it)") {
		t.Errorf("marketing.md: %v %q", err, b)
	}
	if _, _, code := runSaydo(t, "", "digest", "--workspace", dir, "--department", "nope"); code != 2 {
		t.Errorf("unknown department: exit %d, want 2", code)
	}
}
