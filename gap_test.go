package saydo

import (
	"math"
	"sort"
	"testing"
)

func TestWorseThan(t *testing.T) {
	gap := func(g float64) *PeriodGap { return &PeriodGap{Gap: g} }
	type row struct {
		name   string
		status Status
		latest *PeriodGap
	}
	rows := []row{
		{"kept", Kept, gap(-0.05)},
		{"no data", NoData, nil},
		{"broken small", Broken, gap(0.02)},
		{"at risk", AtRisk, gap(0.01)},
		{"broken big", Broken, gap(0.30)},
		{"broken unknown gap", Broken, gap(math.NaN())},
	}
	sort.SliceStable(rows, func(i, j int) bool {
		return WorseThan(rows[i].status, rows[i].latest, rows[j].status, rows[j].latest)
	})
	want := []string{"broken big", "broken small", "broken unknown gap", "at risk", "kept", "no data"}
	for i, r := range rows {
		if r.name != want[i] {
			t.Errorf("position %d: %s, want %s (order %v)", i, r.name, want[i], rows)
		}
	}
}
