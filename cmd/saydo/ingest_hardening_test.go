package main

import (
	stdcsv "encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saydo/saydo/sqlite"
)

// Issue 13 item 7: the smaller ingest defects, each with its regression.

// TestIngestHeaderOnlyWithoutColumns: a header without the required
// columns exits 2 whether or not rows follow it.
func TestIngestHeaderOnlyWithoutColumns(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	for _, content := range []string{"foo,bar\n", "foo,bar\n1,2\n"} {
		file := writeFile(t, dir, "h.csv", content)
		_, errs, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir)
		if code != 2 || !strings.Contains(errs, "missing column metric, value, at") {
			t.Errorf("%q: exit %d, stderr %q; want 2 naming the missing columns", content, code, errs)
		}
	}
}

// TestIngestRejectsKeepRawText: rows the reader could not split keep their
// text in the rejects file, which can be fixed and imported again.
func TestIngestRejectsKeepRawText(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	file := writeFile(t, dir, "q.csv", "metric,value,at,region\ncall_wait_seconds,10,2026-01-05,north\ncall_wait_seconds,\"11,2026-01-06,south\n")
	if _, errs, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir); code != 1 {
		t.Fatalf("exit %d, stderr %q; want 1", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "q.rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cr := stdcsv.NewReader(strings.NewReader(string(b)))
	cr.FieldsPerRecord = -1 // the raw text is one field where the header has more
	recs, err := cr.ReadAll()
	if err != nil {
		// The rejects file is valid CSV even though the row was not.
		t.Fatalf("rejects file: %v\n%s", err, b)
	}
	if len(recs) != 2 || recs[1][0] != "3" || recs[1][2] != `call_wait_seconds,"11,2026-01-06,south` {
		t.Fatalf("rejects = %q; want the header and line 3 with its raw text", recs)
	}
	// Fixed (the stray quote removed) and imported again: it is stored.
	fixed := writeFile(t, dir, "fixed.csv", "metric,value,at,region\n"+strings.Replace(recs[1][2], `"`, "", 1)+"\n")
	out, errs, code := runSaydo(t, "", "ingest", "observations", fixed, "--workspace", dir)
	if code != 0 || !strings.Contains(out, "1 accepted") {
		t.Errorf("fixed row: exit %d, %q %q; want it accepted", code, out, errs)
	}

	jl := writeFile(t, dir, "b.jsonl", `{"metric":"call_wait_seconds","value":1,"at":"2026-01-05"}`+"\n"+`{"metric":"call_wait_seconds","value":2,`+"\n")
	runSaydo(t, "", "ingest", "observations", jl, "--workspace", dir)
	b, err = os.ReadFile(filepath.Join(dir, "b.rejects.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var rj struct {
		Line int64  `json:"_line"`
		Raw  string `json:"_raw"`
	}
	if err := json.Unmarshal(b, &rj); err != nil || rj.Line != 2 || rj.Raw != `{"metric":"call_wait_seconds","value":2,` {
		t.Errorf("JSON Lines reject = %s (%v); want line 2 with its raw text", b, err)
	}
}

// TestFeedbackRejectReasonSaysLineOnce: "line 6: line 6:" no more.
func TestFeedbackRejectReasonSaysLineOnce(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	file := writeFile(t, dir, "f.csv", "at,text\n2026-01-01,fine\n2026-01-02,\"broken\n")
	out, _, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir)
	if code != 1 || !strings.Contains(out, "line 3: extraneous") || strings.Contains(out, "line 3: line 3") {
		t.Errorf("exit %d, out %q; want 1 and the line said once", code, out)
	}
}

// TestIngestOversizeAttribute: a value past saydo.MaxAttrValue, or with a
// control character that would corrupt the stored attribute set, is
// rejected with a reason; the other rows are stored.
func TestIngestOversizeAttribute(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	big := strings.Repeat("x", 1025)
	file := writeFile(t, dir, "a.csv", "metric,value,at,region,customer\n"+
		"call_wait_seconds,1,2026-01-05,north,c1\n"+
		"call_wait_seconds,2,2026-01-05,"+big+",c2\n"+
		"call_wait_seconds,3,2026-01-05,south,"+big+"\n"+
		"call_wait_seconds,4,2026-01-05,\"a\x1fb=c\",c4\n")
	out, _, code := runSaydo(t, "", "ingest", "observations", file, "--workspace", dir)
	for _, want := range []string{"1 accepted + 3 rejected", "line 3: region: 1025 bytes, longer than the limit of 1024", "line 4: customer: 1025 bytes", `line 5: region: control character '\x1f'`} {
		if !strings.Contains(out, want) {
			t.Errorf("exit %d, out:\n%s\nwant it to contain %q", code, out, want)
		}
	}
	fb := writeFile(t, dir, "fb.csv", "at,text,region\n2026-01-01,fine,"+big+"\n")
	out, _, _ = runSaydo(t, "", "ingest", "feedback", fb, "--workspace", newWorkspace(t, voiceWorkspace))
	if !strings.Contains(out, "region: 1025 bytes") {
		t.Errorf("feedback: %s; want the attribute refused", out)
	}
}

// TestCommandLineImportsAudited: every import is in the audit log, from
// the command line as from the server.
func TestCommandLineImportsAudited(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	obs := writeFile(t, dir, "o.csv", "metric,value,at\ncall_wait_seconds,10,2026-01-05\n")
	fb := writeFile(t, dir, "f.csv", "at,text\n2026-01-01,slow\n")
	msgs := writeFile(t, dir, "m.csv", "id,body\nhello,Hello there\n")
	for _, args := range [][]string{{"observations", obs}, {"feedback", fb}, {"messages", msgs}} {
		if _, errs, code := runSaydo(t, "", append([]string{"ingest", "--workspace", dir}, args...)...); code != 0 {
			t.Fatalf("ingest %v: exit %d, %s", args, code, errs)
		}
	}
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, ".saydo", "saydo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, err := st.Audit(t.Context(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Actor+" "+e.Action+" "+strings.ReplaceAll(e.Detail, dir+string(filepath.Separator), ""))
	}
	want := []string{
		"cli ingest_messages m.csv: read 1, new 1, new versions 0, unchanged 0, rejected 0",
		"cli ingest_feedback f.csv: read 1, accepted 1, rejected 0, duplicates 0",
		"cli ingest_observations o.csv: read 1, accepted 1, rejected 0, duplicates 0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
