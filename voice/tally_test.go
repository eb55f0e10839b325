package voice

import (
	"math"
	"testing"

	"github.com/saydo/saydo"
)

// TestIntervals: a promise's voice figures carry their 95% intervals,
// rounded as the figures are. Reference values from
// impact/testdata/reference.py (mpmath): Wilson 150/200 0.68565901688 to
// 0.804918319932; NPS of 120 answers, 30 promoters and 60 detractors,
// −39.8352141295 to −10.1647858705; Wilson 45/80 0.453411342969 to
// 0.665861390839; CES answers 2, 5, 7, 3, 6, 6: t interval 2.79659890998
// to 6.87006775669.
func TestIntervals(t *testing.T) {
	d := &saydo.VoiceDay{Items: 200, Negative: 150, Angry: 150, NPSN: 120, Promoters: 30, Detractors: 60, CSATN: 80, CSATSat: 45}
	for _, c := range []float64{2, 5, 7, 3, 6, 6} {
		d.CESN++
		d.CESSum += c
		d.CESSumSq += c * c
	}
	v := Intervals(d.Voice(), d)
	for _, c := range []struct {
		name string
		got  *[2]float64
		want [2]float64
	}{
		{"share negative", v.NegativeCI, [2]float64{0.686, 0.805}},
		{"share angry", v.AngryCI, [2]float64{0.686, 0.805}},
		{"NPS", v.NPSCI, [2]float64{-39.8, -10.2}},
		{"CSAT", v.CSATCI, [2]float64{45.3, 66.6}},
		{"CES", v.CESCI, [2]float64{2.8, 6.87}},
	} {
		if c.got == nil || math.Abs(c.got[0]-c.want[0]) > 1e-9 || math.Abs(c.got[1]-c.want[1]) > 1e-9 {
			t.Errorf("%s interval %v, want %v", c.name, c.got, c.want)
		}
	}
	if v.NPSN != 120 || v.CSATN != 80 || v.CESN != 6 {
		t.Errorf("answers %d, %d, %d; want 120, 80, 6", v.NPSN, v.CSATN, v.CESN)
	}
	// Every NPS answer alike: the bound from the Wilson interval of 4 of 4
	// (impact.NPSCounts.Interval: 100(2 × 0.510109...) − 100 = 2.0218...,
	// reference.py). No interval where one says nothing: one CES answer,
	// a CES sum of squares not kept (a day summarised before it).
	d = &saydo.VoiceDay{Items: 3, NPSN: 4, Promoters: 4, CESN: 1, CESSum: 3, CESSumSq: 9}
	if v := Intervals(d.Voice(), d); v.NPSCI == nil || *v.NPSCI != [2]float64{2, 100} || v.CESCI != nil || v.NegativeCI == nil {
		t.Errorf("degenerate: NPS %v, CES %v, negative %v; want [2 100], none, some", v.NPSCI, v.CESCI, v.NegativeCI)
	}
	d = &saydo.VoiceDay{Items: 3, CESN: 3, CESSum: 9}
	if v := Intervals(d.Voice(), d); v.CESCI != nil {
		t.Errorf("CES without its sum of squares: %v, want none", v.CESCI)
	}
}
