package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/impact"
)

// orderedPromises is the order of the report's tables: by money when the
// report was sorted so (--sort money), otherwise worst first.
func orderedPromises(rep *saydo.GapReport) []saydo.PromiseGap {
	if rep.Sort == "money" {
		return rep.Promises
	}
	return worstFirst(rep.Promises)
}

// pValueText renders a p value as people read it.
func pValueText(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p —"
	case p < 0.001:
		return "p < 0.001"
	}
	return fmt.Sprintf("p = %.2g", p)
}

func signed(v float64, format string) string {
	if math.IsNaN(v) {
		return "—"
	}
	s := fmt.Sprintf(format, v)
	if v > 0 {
		s = "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

func share(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

// money renders an amount with thousands separators: "EUR 51,800".
func money(v float64, currency string) string {
	if math.IsNaN(v) {
		return "—"
	}
	s := thousands(int64(math.Round(v)))
	if currency != "" {
		s = currency + " " + s
	}
	return s
}

// differenceLine says "12.0% vs 2.1%: +9.9 pp (95% CI 8.1 to 11.8), p < 0.001".
func differenceLine(a, b float64, d saydo.Difference) string {
	if math.IsNaN(d.Value) {
		return share(a) + " vs " + share(b)
	}
	ci := "no interval"
	if !math.IsNaN(d.CI[0]) {
		ci = fmt.Sprintf("95%% CI %s to %s", signed(d.CI[0]*100, "%.1f"), signed(d.CI[1]*100, "%.1f"))
	}
	return fmt.Sprintf("%s vs %s: %s pp (%s), %s", share(a), share(b), signed(d.Value*100, "%.1f"), ci, pValueText(d.PValue))
}

// npsLine says "NPS −30 vs +50: −80 (95% CI −92 to −68), p < 0.001".
func npsLine(o *saydo.Outcome) string {
	if math.IsNaN(o.NPSDifference) {
		return fmt.Sprintf("NPS %s vs %s (%d and %d answers: too few to compare)", signed(o.NPSMissed, "%.0f"), signed(o.NPSKept, "%.0f"),
			o.NPSAnswersMissed, o.NPSAnswersKept)
	}
	ci := "no interval: every answer alike"
	if !math.IsNaN(o.CI[0]) {
		ci = fmt.Sprintf("95%% CI %s to %s", signed(o.CI[0], "%.0f"), signed(o.CI[1], "%.0f"))
	}
	return fmt.Sprintf("NPS %s vs %s: %s (%s), %s; %s and %s answers", signed(o.NPSMissed, "%.0f"), signed(o.NPSKept, "%.0f"),
		signed(o.NPSDifference, "%.0f"), ci, pValueText(o.PValue), thousands(o.NPSAnswersMissed), thousands(o.NPSAnswersKept))
}

// writeImpactText writes what broken promises cost and whether actions
// worked, after the gap table.
func writeImpactText(w io.Writer, ordered []saydo.PromiseGap, rep *saydo.GapReport) {
	var withOutcome, withActions []saydo.PromiseGap
	for _, p := range ordered {
		if p.Outcome != nil {
			withOutcome = append(withOutcome, p)
		}
		if len(p.Actions) > 0 {
			withActions = append(withActions, p)
		}
	}
	if len(withOutcome) > 0 {
		fmt.Fprintln(w, "\nWhat it costs: customers who experienced a miss vs those who did not, over the report's range")
		for _, p := range withOutcome {
			o := p.Outcome
			fmt.Fprintf(w, "%s: %s customers missed, %s kept\n", p.ID, thousands(o.CustomersMissed), thousands(o.CustomersKept))
			if math.IsNaN(o.ComplaintRateMissed) {
				fmt.Fprintln(w, "  no feedback from these customers yet: import feedback with a customer column")
			} else {
				fmt.Fprintf(w, "  %s\n", npsLine(o))
				fmt.Fprintf(w, "  complained %s\n", differenceLine(o.ComplaintRateMissed, o.ComplaintRateKept, o.Complaint))
			}
			if !math.IsNaN(o.CSAT.Value) {
				fmt.Fprintf(w, "  satisfied (CSAT 4–5) %s\n", differenceLine(o.CSATMissed, o.CSATKept, o.CSAT))
			}
			if !math.IsNaN(o.ChurnMissed) {
				fmt.Fprintf(w, "  left %s\n", differenceLine(o.ChurnMissed, o.ChurnKept, o.Churn))
			}
			if m := p.Impact; m != nil {
				writeMoney(w, m)
			}
		}
		if t := rep.Impact; t != nil && t.RevenueAtRisk > 0 {
			fmt.Fprintf(w, "Total revenue at risk a year: %s over %d %s (churn measured for %d, assumed for %d; a customer affected by two promises counts in both)\n",
				money(t.RevenueAtRisk, t.Currency), t.Promises, plural(t.Promises, "promise", "promises"), t.Measured, t.Assumed)
		}
		fmt.Fprintf(w, "Tests: NPS: %s; shares: %s.\n", impact.NPSTest, impact.ShareTest)
	}
	if len(withActions) > 0 {
		fmt.Fprintln(w, "\nActions: did the gap change?")
		for _, p := range withActions {
			for _, a := range p.Actions {
				fmt.Fprintf(w, "%s: %s (%s, %s): %s\n", p.ID, a.What, a.By, a.On, actionText(p.Objective, a))
			}
		}
		fmt.Fprintf(w, "Test: %s.\n", impact.ActionTest)
	}
}

func writeMoney(w io.Writer, m *saydo.PromiseImpact) {
	line := fmt.Sprintf("  at stake: %s customers affected in the period from %s", thousands(m.CustomersAffected), m.Period)
	if !math.IsNaN(m.RevenueAtRisk) {
		line += fmt.Sprintf("; revenue at risk %s a year", money(m.RevenueAtRisk, m.Currency))
		if !math.IsNaN(m.RevenueAtRiskCI[0]) {
			line += fmt.Sprintf(" (95%% CI %s to %s)", thousands(int64(math.Round(m.RevenueAtRiskCI[0]))), thousands(int64(math.Round(m.RevenueAtRiskCI[1]))))
		}
		line += ", churn " + m.Churn
	}
	if !math.IsNaN(m.ReplacementCost) {
		line += fmt.Sprintf("; winning them back costs %s", money(m.ReplacementCost, m.Currency))
	}
	fmt.Fprintln(w, line)
	if m.Note != "" {
		fmt.Fprintf(w, "    (%s)\n", m.Note)
	}
	for _, a := range m.Assumptions {
		label := "assumed"
		if a.Measured {
			label = "measured"
		}
		fmt.Fprintf(w, "    %s %s = %s: %s\n", label, a.Name, assumptionValue(a), a.Source)
	}
}

func assumptionValue(a saydo.Assumption) string {
	switch a.Name {
	case "churn_if_missed", "complaint_rate":
		return share(a.Value)
	}
	return fmt.Sprintf("%g", a.Value)
}

// actionText says "gap −12.0 pp (95% CI −14.1 to −9.9), p < 0.001: narrowed".
func actionText(obj saydo.Objective, a saydo.ActionEffect) string {
	if a.Verdict == impact.ActionTooFewPeriod {
		return fmt.Sprintf("not enough periods to tell (%d before, %d after; %d each needed)", a.PeriodsBefore, a.PeriodsAfter, impact.MinActionPeriods)
	}
	unit, scale := " pp", 100.0
	if obj.IsMean() {
		unit = "% of the target"
	}
	ci := "no interval"
	if !math.IsNaN(a.CI[0]) {
		ci = fmt.Sprintf("95%% CI %s to %s", signed(a.CI[0]*scale, "%.1f"), signed(a.CI[1]*scale, "%.1f"))
	}
	fig := fmt.Sprintf("gap %s%s (%s), %s", signed(a.Change*scale, "%.1f"), unit, ci, pValueText(a.PValue))
	if a.Verdict == impact.ActionNoChange {
		return "no measurable change (" + fig + ")"
	}
	return fig + ": " + a.Verdict
}

// writeImpactMarkdown is writeImpactText as a markdown section.
func writeImpactMarkdown(w io.Writer, ordered []saydo.PromiseGap, rep *saydo.GapReport) {
	var b strings.Builder
	writeImpactText(&b, ordered, rep)
	if b.Len() == 0 {
		return
	}
	fmt.Fprintf(w, "\n## What it costs, and whether the fixes worked\n\n```text\n%s\n```\n", strings.TrimSpace(b.String()))
}
