package main

import (
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

func TestNotesSayWhenPeriodsRunInStreaks(t *testing.T) {
	p := saydo.PromiseGap{Period: saydo.Week, Trend: saydo.Trend{Autocorrelation: 0.45}}
	lines := notes(saydo.Metric{}, p)
	if len(lines) != 1 || !strings.Contains(lines[0], "weeks run in streaks (lag-1 autocorrelation 0.45)") {
		t.Errorf("notes = %q, want the streak line", lines)
	}
	p.Trend.Autocorrelation = 0.2
	if lines := notes(saydo.Metric{}, p); len(lines) != 0 {
		t.Errorf("notes at 0.2 = %q, want none", lines)
	}
}

func TestVoiceIntervalsInWords(t *testing.T) {
	v := &saydo.PromiseVoice{NegativeCI: &[2]float64{0.984, 0.989}, AngryCI: &[2]float64{0.012, 0.017}, NPSN: 440, NPSCI: &[2]float64{-94.2, -85.9},
		CSATN: 488, CSATCI: &[2]float64{1.2, 3.9}, CESN: 185, CESCI: &[2]float64{5.61, 5.98}}
	if got, want := intervalsLine(v), "95% CI: negative 98.4–98.9% · angry 1.2–1.7% · NPS -94 to -86 (440 answers) · CSAT 1–4% (488) · CES 5.6–6.0 (185)"; got != want {
		t.Errorf("intervalsLine = %q, want %q", got, want)
	}
	if got := intervalsLine(&saydo.PromiseVoice{}); got != "" {
		t.Errorf("no figures: %q, want nothing", got)
	}
	if got := themeCount(saydo.Theme{Count: 4120, CountCI: &[2]int64{3870, 4390}}); got != "about 4,120 items, 95% CI 3,870–4,390" {
		t.Errorf("sampled theme: %q", got)
	}
	if got := themeCount(saydo.Theme{Count: 495}); got != "495 items" {
		t.Errorf("theme: %q", got)
	}
}

// TestEmptyRangeSaysSo: a range with no evidence in it says so, and does
// not tell the user to import evidence the store holds; voice's --to
// before --from is a usage error, as gap's is.
func TestEmptyRangeSaysSo(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	if _, errs, code := runSaydo(t, "", "ingest", "observations", writeFile(t, dir, "e.csv", evidence), "--workspace", dir); code != 0 {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	out, _, _ := runSaydo(t, "", "gap", "--workspace", dir, "--from", "2030-01-01")
	if !strings.Contains(out, "No evidence in the range asked (from 2030-01-01)") || strings.Contains(out, "No evidence yet") {
		t.Errorf("gap --from 2030-01-01:\n%s", out)
	}
	// A range that cuts its only period says so, not "no complete period yet".
	out, _, _ = runSaydo(t, "", "gap", "--workspace", dir, "--from", "2026-01-19", "--to", "2026-01-20", "--period", "month")
	if !strings.Contains(out, "No complete period in the range asked (from 2026-01-19, before 2026-01-21)") {
		t.Errorf("gap --from 2026-01-19 --to 2026-01-20 --period month:\n%s", out)
	}
	out, _, _ = runSaydo(t, "", "voice", "--workspace", dir, "--from", "2030-01-01", "--to", "2030-02-01")
	if !strings.Contains(out, "no feedback in the range asked (from 2030-01-01 to 2030-02-01)") {
		t.Errorf("voice --from 2030-01-01 --to 2030-02-01:\n%s", out)
	}
	if _, errs, code := runSaydo(t, "", "voice", "--workspace", dir, "--from", "2026-06-01", "--to", "2026-05-01"); code != 2 || !strings.Contains(errs, "--to 2026-05-01 is before --from 2026-06-01") {
		t.Errorf("voice --to before --from: exit %d, %s", code, errs)
	}
}

// TestGapTableKeepsFigures: a figure with a long unit widens its column
// instead of losing its end ("4.144 po…", "4.05 points–…").
func TestGapTableKeepsFigures(t *testing.T) {
	row := []string{"meanp", "kept", "week of 5 Oct", "4.144 points", "mean ≥ 4 points", "4.05 points–4.237 points", "−3.6%", "↘ narrowing", "420"}
	var b strings.Builder
	writeRow(&b, gapWidths([][]string{row}), row)
	for _, cell := range []string{"4.144 points", "4.05 points–4.237 points"} {
		if !strings.Contains(b.String(), cell) {
			t.Errorf("row %q lost %q", b.String(), cell)
		}
	}
}
