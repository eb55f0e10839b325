package main

import (
	"strings"
	"testing"
)

// TestGapOnlyPeriodsInProgress: evidence that covers only a week still in
// progress gets no verdict, and the report says why instead of claiming
// there is no evidence.
func TestGapOnlyPeriodsInProgress(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	// Monday and Tuesday of the week of 16 Nov 2026: the week has five days
	// left, so it is partial.
	csv := writeFile(t, dir, "w.csv", "metric,value,at\ncall_wait_seconds,30,2026-11-16T10:00:00Z\ncall_wait_seconds,300,2026-11-17T10:00:00Z\n")
	if _, errOut, code := runSaydo(t, "", "ingest", "observations", csv, "--workspace", dir, "--quiet"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	out, errOut, code := runSaydo(t, "", "gap", "--workspace", dir)
	if code != 0 {
		t.Fatalf("gap: exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "No evidence yet") {
		t.Errorf("gap says there is no evidence although two observations are stored:\n%s", out)
	}
	if !strings.Contains(out, "No complete period yet") {
		t.Errorf("gap does not say that only periods in progress have evidence:\n%s", out)
	}
	if !strings.Contains(out, "in progress (2 of 7 days)") {
		t.Errorf("gap does not show the week in progress with its days:\n%s", out)
	}
}
