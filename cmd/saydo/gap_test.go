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
