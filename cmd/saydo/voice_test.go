package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

const voiceWorkspace = `company: Testco
departments:
  - id: marketing
    name: Marketing
  - id: care
    name: Customer care
promises:
  - id: answer-in-2-min
    says: "We answer every call within 2 minutes."
    owner: marketing
    delivered_by: [care]
    metric: call_wait_seconds
    objective: {at_most: 120, share: 0.9}
    period: week
    voice:
      en: ["on hold", "nobody answers"]
      ro: ["în așteptare", "nu răspunde nimeni"]
  - id: refund-in-5-days
    says: "Refunds reach your account within 5 days."
    owner: marketing
    delivered_by: [care]
    metric: refund_days
    objective: {at_most: 5, share: 0.9}
    period: month
`

const feedbackCSV = `id,at,text,customer,channel,kind,nps,csat,region
f1,2026-01-05T10:00:00Z,"I was on hold for an hour, nobody answers!!",c1,phone,complaint,2,1,north
f2,2026-01-06 11:35:52 -0800,"Nu răspunde nimeni la telefon, am sunat de trei ori.",c2,phone,complaint,1,,south
f3,1767780000,"Still waiting for my refund, it never reached my account.",c3,email,complaint,,2,north
f4,2026-01-08,"Thanks, the agent was quick and polite.",c4,chat,survey,10,5,north
f5,not-a-date,"this row has a bad time",c5,chat,complaint,,,north
f6,2026-01-09,,c6,chat,survey,,,north
f7,2026-01-09,"nps out of range",c7,chat,survey,11,,north
f8,2026-01-10,"Roaming charges abroad are a scandal, roaming costs too much.",c8,app,review,,,east
`

func TestIngestFeedback(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	file := writeFile(t, dir, "fb.csv", feedbackCSV)
	out, _, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir)
	if code != 1 || !strings.Contains(out, "8 read = 5 accepted + 3 rejected + 0 duplicates") {
		t.Fatalf("ingest: exit %d, out %q; want 1 and '8 read = 5 accepted + 3 rejected + 0 duplicates'", code, out)
	}
	for _, want := range []string{"line 6:", "line 7:", "line 8:"} {
		if !strings.Contains(out, want) {
			t.Errorf("ingest output %q lacks %q", out, want)
		}
	}
	rej, err := os.ReadFile(filepath.Join(dir, "fb.rejects.csv"))
	if err != nil || strings.Count(string(rej), "\n") != 4 {
		t.Errorf("rejects file: %v, %q; want a header and 3 rows", err, rej)
	}
	out, _, code = runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir)
	if code != 1 || !strings.Contains(out, "8 read = 0 accepted + 3 rejected + 5 duplicates") {
		t.Errorf("re-import: exit %d, out %q; want every good row a duplicate", code, out)
	}
}

func TestIngestFeedbackMapAndJSONL(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	jl := `{"body":"Nobody answers the phone","created":"2026-02-01T09:00:00Z"}
{"body":"On hold again","created":"Mon, 02 Feb 2026 10:00:00 +0000"}
`
	out, _, code := runSaydo(t, jl, "ingest", "feedback", "-", "--format", "jsonl", "--map", "text=body", "--map", "at=created", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "2 read = 2 accepted + 0 rejected + 0 duplicates") {
		t.Fatalf("exit %d, out %q", code, out)
	}
	out, _, code = runSaydo(t, jl, "ingest", "feedback", "-", "--format", "jsonl", "--map", "text=body", "--map", "at=created", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "2 read = 0 accepted + 0 rejected + 2 duplicates") {
		t.Errorf("re-import from stdin: exit %d, out %q", code, out)
	}
	_, errOut, code := runSaydo(t, jl, "ingest", "feedback", "-", "--format", "jsonl", "--map", "text=nope", "--workspace", dir)
	if code == 0 || !strings.Contains(errOut, "nope") {
		t.Errorf("--map to a missing column: exit %d, stderr %q", code, errOut)
	}
}

func ingestedWorkspace(t *testing.T) string {
	t.Helper()
	dir := newWorkspace(t, voiceWorkspace)
	file := writeFile(t, dir, "fb.csv", feedbackCSV)
	runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir)
	return dir
}

func TestVoiceEachJSONL(t *testing.T) {
	dir := ingestedWorkspace(t)
	out, errOut, code := runSaydo(t, "", "voice", "--each", "--format", "jsonl", "--workspace", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d lines, want 5:\n%s", len(lines), out)
	}
	byID := map[string]map[string]any{}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if got, want := strings.Join(keys, ","), "anger,effort,id,label,lang,promises,sentiment"; got != want {
			t.Errorf("keys %s, want %s", got, want)
		}
		byID[m["id"].(string)] = m
	}
	f1 := byID["f1"]
	if f1["label"] != "negative" || f1["lang"] != "en" || len(f1["promises"].([]any)) == 0 {
		t.Errorf("f1 = %v, want negative English mapped to a promise", f1)
	}
	if p := f1["promises"].([]any)[0].(map[string]any); p["id"] != "answer-in-2-min" || p["match"] == "" {
		t.Errorf("f1 promise = %v, want answer-in-2-min with a match", p)
	}
	f2 := byID["f2"]
	if f2["lang"] != "ro" || !strings.Contains(strings.Join(anyStrings(f2["effort"]), ","), "repeat_contact") {
		t.Errorf("f2 = %v, want Romanian with repeat_contact", f2)
	}
	if byID["f4"]["label"] != "positive" {
		t.Errorf("f4 = %v, want positive", byID["f4"])
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestVoiceReport(t *testing.T) {
	dir := ingestedWorkspace(t)
	out, errOut, code := runSaydo(t, "", "voice", "--format", "json", "--workspace", dir, "--complaint-rate", "minor=0.05")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var rep struct {
		Items    int64 `json:"items"`
		Promises []struct {
			ID            string  `json:"id"`
			Mentions      int64   `json:"mentions"`
			ShareNegative float64 `json:"share_negative"`
			NPS           *float64
		} `json:"promises"`
		Unmet   []any `json:"unmet_expectations"`
		Iceberg struct {
			Complaints int64 `json:"complaints"`
			Levels     []struct {
				Severity string  `json:"severity"`
				Rate     float64 `json:"complaint_rate"`
			} `json:"levels"`
		} `json:"iceberg"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if rep.Items != 5 || len(rep.Promises) != 2 || rep.Promises[0].ID != "answer-in-2-min" || rep.Promises[0].Mentions != 2 || rep.Promises[0].ShareNegative != 1 {
		t.Errorf("report = %+v, want 5 items and answer-in-2-min first with 2 negative mentions", rep)
	}
	if rep.Iceberg.Complaints == 0 || len(rep.Iceberg.Levels) != 2 || rep.Iceberg.Levels[0].Rate != 0.05 {
		t.Errorf("iceberg = %+v, want complaints and minor rate 0.05", rep.Iceberg)
	}
	for _, format := range []string{"table", "markdown"} {
		out, _, code := runSaydo(t, "", "voice", "--format", format, "--workspace", dir)
		if code != 0 || !strings.Contains(out, "answer-in-2-min") || !strings.Contains(out, "iceberg") {
			t.Errorf("--format %s: exit %d, out %q", format, code, out)
		}
	}
	_, _, code = runSaydo(t, "", "voice", "--promise", "nope", "--workspace", dir)
	if code != 2 {
		t.Errorf("--promise nope: exit %d, want 2", code)
	}
}

func TestGapJSONCarriesVoice(t *testing.T) {
	dir := ingestedWorkspace(t)
	out, errOut, code := runSaydo(t, "", "gap", "--format", "json", "--workspace", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var rep struct {
		Promises []struct {
			ID    string         `json:"id"`
			Voice map[string]any `json:"voice"`
		} `json:"promises"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range rep.Promises {
		if p.ID == "answer-in-2-min" {
			found = p.Voice != nil && p.Voice["mentions"] == float64(2)
		}
	}
	if !found {
		t.Errorf("gap json lacks answer-in-2-min's voice with 2 mentions:\n%s", out)
	}
}

func TestVoiceEvaluate(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	var b strings.Builder
	b.WriteString("text,topic\n")
	for i := 0; i < 10; i++ {
		b.WriteString("\"I was on hold for ages, nobody answers\",answer-in-2-min\n")
		b.WriteString("\"Nobody picks up the phone when I call\",answer-in-2-min\n")
		b.WriteString("\"Where is my refund? It never reached my account\",refund-in-5-days\n")
		b.WriteString("\"The shop staff were rude\",other\n")
	}
	file := writeFile(t, dir, "labelled.csv", b.String())
	out, errOut, code := runSaydo(t, "", "voice", "evaluate", "--label", "topic", file, "--workspace", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"5-fold cross-validation", "macro-F1", "macro-precision", "macro-recall", "Zero-shot", "answer-in-2-min", "refund-in-5-days",
		"rows about no promise given one: 0.0% (0 of 10)"} {
		if !strings.Contains(out, want) {
			t.Errorf("evaluate output lacks %q:\n%s", want, out)
		}
	}
	_, _, code = runSaydo(t, "", "voice", "evaluate", file, "--workspace", dir)
	if code != 2 {
		t.Errorf("evaluate without --label: exit %d, want 2", code)
	}
}

func TestIngestFeedbackStrictAndResume(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	file := writeFile(t, dir, "fb.csv", feedbackCSV)
	out, _, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir, "--strict")
	if code != 1 || !strings.Contains(out, "nothing stored") {
		t.Fatalf("--strict: exit %d, out %q; want 1 and 'nothing stored'", code, out)
	}
	each, _, _ := runSaydo(t, "", "voice", "--each", "--workspace", dir)
	if strings.TrimSpace(each) != "" {
		t.Fatalf("a rejected strict import stored items:\n%s", each)
	}
	// An import cut short (here: the first lines of the file, as a killed
	// import leaves its committed batches) completes on a full re-run.
	lines := strings.SplitAfter(feedbackCSV, "\n")
	part := writeFile(t, dir, "part.csv", strings.Join(lines[:4], ""))
	runSaydo(t, "", "ingest", "feedback", part, "--workspace", dir)
	out, _, _ = runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir)
	if !strings.Contains(out, "8 read = 2 accepted + 3 rejected + 3 duplicates") {
		t.Errorf("re-run after a partial import: %q; want 3 duplicates and the 2 remaining accepted", out)
	}
}

func TestVoiceLearnsFromLabels(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	var b strings.Builder
	b.WriteString("id,at,text,label\n")
	for i := 0; i < 15; i++ {
		fmt.Fprintf(&b, "a%d,2026-03-01,\"The router lights keep blinking red\",refund-in-5-days\n", i)
		fmt.Fprintf(&b, "b%d,2026-03-02,\"My modem shows a red light again\",refund-in-5-days\n", i)
	}
	file := writeFile(t, dir, "labelled.csv", b.String())
	if out, _, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir); code != 0 {
		t.Fatalf("ingest: exit %d, %q", code, out)
	}
	out, _, code := runSaydo(t, "", "voice", "--format", "json", "--workspace", dir)
	if code != 0 || !strings.Contains(out, `"learned_from_labels": true`) {
		t.Fatalf("exit %d; want learned_from_labels true:\n%s", code, out)
	}
	each, _, _ := runSaydo(t, "", "voice", "--each", "--workspace", dir, "--promise", "refund-in-5-days")
	if n := strings.Count(each, "\n"); n != 30 {
		t.Errorf("--each --promise refund-in-5-days: %d lines, want the 30 items the classifier learned", n)
	}
}

// TestIngestFeedbackReplacesAndThemeItems: an id seen again with other
// text replaces the item (counted), and 'voice --theme N' lists the items
// behind a theme of the report.
func TestIngestFeedbackReplacesAndThemeItems(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	var b strings.Builder
	b.WriteString("id,at,text\n")
	for i := range 12 {
		fmt.Fprintf(&b, "r%d,2026-02-%02d,\"Roaming charges abroad are a scandal, roaming costs too much.\"\n", i, i+1)
		fmt.Fprintf(&b, "h%d,2026-02-%02d,\"Thanks, the app works fine.\"\n", i, i+1)
	}
	file := writeFile(t, dir, "a.csv", b.String())
	if out, _, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir); code != 0 {
		t.Fatalf("ingest: exit %d, %q", code, out)
	}
	file = writeFile(t, dir, "b.csv", "id,at,text\nh0,2026-02-01,\"Thanks, the app works fine.\"\nh1,2026-02-20,\"Still waiting for my refund, it never reached my account.\"\n")
	out, _, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir)
	if code != 0 || !strings.Contains(out, "2 read = 0 accepted + 0 rejected + 1 duplicates + 1 replaced") {
		t.Fatalf("re-import with a changed item: exit %d, out %q; want 1 duplicate and 1 replaced", code, out)
	}
	out, _, code = runSaydo(t, "", "voice", "--format", "json", "--workspace", dir)
	if code != 0 {
		t.Fatalf("voice: exit %d", code)
	}
	var rep struct {
		Items    int64 `json:"items"`
		Promises []struct {
			ID       string `json:"id"`
			Mentions int64  `json:"mentions"`
		} `json:"promises"`
		Unmet []struct {
			Label string `json:"label"`
			Count int64  `json:"count"`
		} `json:"unmet_expectations"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Items != 24 {
		t.Errorf("items after a replacement: got %d, want 24", rep.Items)
	}
	refunds := int64(-1)
	for _, p := range rep.Promises {
		if p.ID == "refund-in-5-days" {
			refunds = p.Mentions
		}
	}
	if refunds != 1 {
		t.Errorf("refund mentions: got %d, want 1 (the replaced item's new text)", refunds)
	}
	if len(rep.Unmet) == 0 || !strings.Contains(rep.Unmet[0].Label, "roaming") || rep.Unmet[0].Count != 12 {
		t.Fatalf("unmet expectations: got %+v, want a roaming theme of 12 items", rep.Unmet)
	}
	out, _, code = runSaydo(t, "", "voice", "--theme", "1", "--format", "jsonl", "--workspace", dir)
	if code != 0 || strings.Count(out, "\n") != 12 || !strings.Contains(out, `"id":"r0"`) || strings.Contains(out, `"id":"h`) {
		t.Errorf("voice --theme 1: exit %d, %d lines, want the 12 roaming items:\n%s", code, strings.Count(out, "\n"), out)
	}
	if _, errOut, code := runSaydo(t, "", "voice", "--theme", "9", "--workspace", dir); code != 2 || !strings.Contains(errOut, "--theme 9") {
		t.Errorf("voice --theme 9: exit %d, %q; want a usage error naming the flag", code, errOut)
	}
}

// TestVoiceSaysHowMuchMore: with too little negative feedback outside the
// promises, the report says how many more items a theme needs.
func TestVoiceSaysHowMuchMore(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	file := writeFile(t, dir, "few.csv", "id,at,text\nx1,2026-02-01,The parking lot is a mess.\nx2,2026-02-02,The parking lot is awful.\nx3,2026-02-03,\"Great, thanks.\"\n")
	if out, _, code := runSaydo(t, "", "ingest", "feedback", file, "--workspace", dir); code != 0 {
		t.Fatalf("ingest: exit %d, %q", code, out)
	}
	out, _, code := runSaydo(t, "", "voice", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "no recurring theme stands out") || !strings.Contains(out, "more negative items matching no promise are needed") {
		t.Errorf("voice: exit %d, out:\n%s\nwant 'no recurring theme stands out' and how many more items are needed", code, out)
	}
	out, _, _ = runSaydo(t, "", "voice", "--format", "json", "--workspace", dir)
	var rep struct {
		Need int64 `json:"themes_need_more"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Need <= 0 {
		t.Errorf("voice --format json: themes_need_more = %d, %v; want more than 0", rep.Need, err)
	}
}

// TestThemeItemsAreTheReportsThemes: 'saydo voice --theme N' lists the
// items of the report's theme N. The demo at scale 0.3 has more items
// than theme discovery reads of the rest (so the counts that decide which
// words stand out come from a sample); listing theme N from every item
// instead found other themes (theme 4: 36 items where the report said
// 28).
func TestThemeItemsAreTheReportsThemes(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	ws := filepath.Join(t.TempDir(), "demo")
	if _, errs, code := runSaydoAt(t, now, "demo", "--dir", ws, "--scale", "0.3", "--quiet"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errs)
	}
	out, errs, code := runSaydoAt(t, now, "voice", "--workspace", ws, "--format", "json")
	if code != 0 {
		t.Fatalf("voice: exit %d\n%s", code, errs)
	}
	var rep voiceReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Unmet) < 3 || rep.ThemeSample != rep.Unmapped || rep.Items-rep.Unmapped <= 8000 {
		t.Fatalf("the test needs several themes, every negative unmatched item read and more than 8,000 others (a sample of them): %d themes, %d of %d read, %d items", len(rep.Unmet), rep.ThemeSample, rep.Unmapped, rep.Items)
	}
	for i, th := range rep.Unmet {
		lines, errs, code := runSaydoAt(t, now, "voice", "--workspace", ws, "--theme", fmt.Sprint(i+1), "--format", "jsonl")
		if code != 0 {
			t.Fatalf("voice --theme %d: exit %d\n%s", i+1, code, errs)
		}
		if got := int64(strings.Count(lines, "\n")); got != th.Count {
			t.Errorf("voice --theme %d lists %d items; the report's theme %d (%q) has %d", i+1, got, i+1, th.Label, th.Count)
		}
	}
}

// TestVoiceThemeFlagsOutOfRange: a theme number below 1 or a theme count
// outside 1–1000 is a usage error that says what is wanted, not a report
// of the default size or "only 7 themes stand out".
func TestVoiceThemeFlagsOutOfRange(t *testing.T) {
	dir := newWorkspace(t, voiceWorkspace)
	for _, args := range [][]string{{"--theme", "-1"}, {"--themes", "0"}, {"--themes", "-5"}, {"--themes", "1001"}} {
		_, errs, code := runSaydo(t, "", append([]string{"voice", "--workspace", dir}, args...)...)
		if code != 2 || !strings.Contains(errs, args[0]+" "+args[1]+": want") {
			t.Errorf("voice %s: exit %d, stderr %q; want 2 and what is wanted", strings.Join(args, " "), code, errs)
		}
	}
}

// TestMappingAdvice: saydo voice evaluate says which mapping served the
// labelled rows better and what saydo.yaml should say for it.
func TestMappingAdvice(t *testing.T) {
	for _, tc := range []struct {
		words, learned float64
		off            bool
		want           string
	}{
		{0.490, 0.380, false, "set voice: {self_train: false} to map by the wording alone."},
		{0.490, 0.380, true, "The promise wording alone maps these rows better (macro-F1 0.490 against 0.380 self-trained); saydo.yaml turns that off (voice: self_train: false)."},
		{0.600, 0.670, true, "remove self_train: false to use it."},
		{0.600, 0.670, false, "Self-training maps these rows better (macro-F1 0.670 against 0.600 for the wording alone); saydo.yaml lets saydo learn from your feedback (the default)."},
		{0.600, 0.605, false, "Both mappings do about as well"},
	} {
		if got := mappingAdvice(tc.words, tc.learned, tc.off); !strings.Contains(got, tc.want) {
			t.Errorf("mappingAdvice(%.3f, %.3f, %v) = %q, want it to contain %q", tc.words, tc.learned, tc.off, got, tc.want)
		}
	}
}
