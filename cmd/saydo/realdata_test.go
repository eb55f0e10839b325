package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// sharedData returns ../shared/data relative to the repository, or skips:
// a user's clone does not have it.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data"))
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real datasets not found at %s (they sit beside the repository on the team's machines); skipping", dir)
	}
	return dir
}

// TestRealCallCentre checks saydo's verdict on a real day of bank calls
// against the share computed here directly from the CSV.
func TestRealCallCentre(t *testing.T) {
	data := sharedData(t)
	src := filepath.Join(data, "customer_service", "anonymous_bank_callcenter_one_day_1999.csv")
	ws, err := os.ReadFile(filepath.Join("..", "..", "examples", "callcentre", "saydo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := newWorkspace(t, string(ws))
	_, errs, code := runSaydo(t, "", "ingest", "observations", src, "--workspace", dir, "--set", "metric=queue_wait_seconds",
		"--map", "value=q_time", "--set", "at=1999-08-02", "--attrs", "type,outcome,server", "--rejects", filepath.Join(dir, "r.csv"))
	if code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	out, _, _ := runSaydo(t, "", "gap", "--format", "json", "--workspace", dir)
	var rep struct {
		Promises []struct {
			Status string
			Latest struct {
				N, Met int64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// Independently: calls that reached an agent, and those that waited at most 60 s.
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var n, met int64
	for _, r := range recs[1:] {
		if r[9] != "AGENT" {
			continue
		}
		n++
		if w, _ := strconv.Atoi(r[8]); w <= 60 {
			met++
		}
	}
	got := rep.Promises[0]
	if got.Latest.N != n || got.Latest.Met != met {
		t.Errorf("saydo: n %d, met %d; counted from the CSV: n %d, met %d", got.Latest.N, got.Latest.Met, n, met)
	}
	if float64(met)/float64(n) < 0.8 && got.Status == "kept" {
		t.Errorf("status kept with %d/%d answered within 60 s", met, n)
	}
}
