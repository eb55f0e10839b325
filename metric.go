package saydo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Metric describes what the observations of one metric measure, as
// saydo.yaml's metrics: section declares it. A metric without a
// declaration has no unit and is shown as a plain number.
type Metric struct {
	ID string
	// Unit is one of the Unit constants or free text ("litres/100 km").
	Unit MetricUnit
	// Description says in words what a value means; for a boolean metric,
	// what 1 means ("solved first time", "hidden fee").
	Description string
	Pos         Pos
}

// MetricUnit is what a metric's values count.
type MetricUnit string

// The units saydo knows how to say; any other text is a unit too, written
// after the number.
const (
	UnitSeconds MetricUnit = "seconds"
	UnitMinutes MetricUnit = "minutes"
	UnitHours   MetricUnit = "hours"
	UnitDays    MetricUnit = "days"
	// Percent values are percentages already (99.9 means 99.9%).
	UnitPercent MetricUnit = "percent"
	UnitCount   MetricUnit = "count"
	// Boolean values are 1 (yes) or 0 (no).
	UnitBoolean MetricUnit = "boolean"
)

// KnownUnits lists the units saydo formats itself, for help and errors.
var KnownUnits = []MetricUnit{UnitSeconds, UnitMinutes, UnitHours, UnitDays, UnitPercent, UnitCount, UnitBoolean}

// MetricInfo returns the declaration of a metric, or one with only its id
// when saydo.yaml does not describe it.
func (w *Workspace) MetricInfo(id string) Metric {
	for _, m := range w.MetricDefs {
		if m.ID == id {
			return m
		}
	}
	return Metric{ID: id}
}

// short renders v with up to sig significant digits and no trailing zeros.
func short(v float64, sig int) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', sig, 64)
}

// Quantity renders a value of a metric with its unit as people say it:
// 120 seconds is "2 min", 90 seconds "90 s", 36 hours "36 h", 3 days
// "3 days", 99.9 percent "99.9%". Without a unit it is the bare number.
func (m Metric) Quantity(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if math.IsInf(v, 0) || math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	switch m.Unit {
	case UnitSeconds:
		switch a := math.Abs(v); {
		case a < 100:
			return short(v, 3) + " s"
		case a < 100*60:
			return short(v/60, 3) + " min"
		default:
			return short(v/3600, 3) + " h"
		}
	case UnitMinutes:
		if math.Abs(v) < 100 {
			return short(v, 3) + " min"
		}
		return short(v/60, 3) + " h"
	case UnitHours:
		return short(v, 3) + " h"
	case UnitDays:
		if v == 1 {
			return "1 day"
		}
		return short(v, 3) + " days"
	case UnitPercent:
		return short(v, 4) + "%"
	case UnitCount, UnitBoolean, "":
		return short(v, 4)
	}
	return short(v, 4) + " " + string(m.Unit)
}

// Phrase states an objective in words with the metric's unit, as people
// speak: "≤ 2 min for 90%", "solved first time for 75%", "no hidden fee
// for 98%", "mean ≥ 99.9%". A yes/no metric is never shown as ≥1 or ≤0.
func (m Metric) Phrase(o Objective) string {
	share := Percentage(o.Share)
	if m.Unit == UnitBoolean || (m.Unit == "" && isYesNoThreshold(o)) {
		what := strings.TrimSpace(m.Description)
		switch {
		case o.Kind == AtLeast && o.Value > 0 && o.Value <= 1:
			if what == "" {
				what = "met"
			}
			return what + " for " + share
		case o.Kind == AtMost && o.Value >= 0 && o.Value < 1:
			if what == "" {
				return "met for " + share
			}
			return "no " + what + " for " + share
		case o.Kind == MeanAtLeast && m.Unit == UnitBoolean:
			return fmt.Sprintf("%s for %s on average", orMet(what), Percentage(o.Value))
		case o.Kind == MeanAtMost && m.Unit == UnitBoolean:
			return fmt.Sprintf("%s at most %s on average", orMet(what), Percentage(o.Value))
		}
	}
	switch o.Kind {
	case AtMost:
		return "≤ " + m.Quantity(o.Value) + " for " + share
	case AtLeast:
		return "≥ " + m.Quantity(o.Value) + " for " + share
	case MeanAtMost:
		return "mean ≤ " + m.Quantity(o.Value)
	case MeanAtLeast:
		return "mean ≥ " + m.Quantity(o.Value)
	}
	return string(o.Kind)
}

func orMet(s string) string {
	if s == "" {
		return "met"
	}
	return s
}

// isYesNoThreshold reports whether an objective on an undeclared metric
// reads as yes/no: at least 1, or at most 0, of a 1/0 value.
func isYesNoThreshold(o Objective) bool {
	return (o.Kind == AtLeast && o.Value == 1) || (o.Kind == AtMost && o.Value == 0)
}

// Percentage renders a share in [0, 1] as a percentage with as many
// decimals as it needs (up to two): 0.9 is "90%", 0.999 "99.9%".
func Percentage(share float64) string {
	if math.IsNaN(share) {
		return "—"
	}
	return strconv.FormatFloat(math.Round(share*1e4)/100, 'f', -1, 64) + "%"
}

// Delivered renders what a period delivered: the share meeting a threshold
// as a percentage with one decimal, or the mean in the metric's unit.
func (m Metric) Delivered(o Objective, v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if o.IsMean() {
		if m.Unit == UnitBoolean {
			return fmt.Sprintf("%.1f%%", v*100)
		}
		return m.Quantity(v)
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

// Interval renders a 95% interval of a delivered figure, as Delivered
// renders its ends: "84.5%–86.3%"; "—" when it cannot be computed.
func (m Metric) Interval(o Objective, ci [2]float64) string {
	if math.IsNaN(ci[0]) || math.IsNaN(ci[1]) {
		return "—"
	}
	return m.Delivered(o, ci[0]) + "–" + m.Delivered(o, ci[1])
}

// GapText renders a gap the same way everywhere (CLI, dashboard, API
// text): percentage points for shares, percent of the target for means,
// with enough decimals that a small gap does not read as zero; positive
// means falling short.
func GapText(o Objective, g float64) string {
	if math.IsNaN(g) || math.IsInf(g, 0) {
		return "—"
	}
	suffix := "pp"
	if o.IsMean() {
		suffix = "%"
	}
	v := g * 100
	decimals := 1
	if a := math.Abs(v); a > 0 && a < 0.1 {
		decimals = 2
		if a < 0.01 {
			decimals = 3
		}
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	} else {
		s = "−" + s[1:]
	}
	return s + suffix
}
