package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
	"github.com/saydo/saydo/ledger"
)

var gapCommand = &command{
	name:  "gap",
	args:  "[--promise ID] [--period day|week|month|quarter|year] [--from D] [--to D] [--by ATTR] [--sort worst|money] [--format table|json|markdown]",
	short: "the gap report: per promise, delivered vs objective, interval, verdict, trend",
	help: `For each promise and period: n observations, the share that met the threshold
(or the mean), its 95% interval (Wilson for shares, t for means), the gap to
the objective, and a verdict: kept, at_risk (short, but the interval still
reaches the objective), broken (the whole interval is short) or no_data.

Verdicts come from the latest complete period: one the evidence does not
cover to its end is shown as in progress and judges nothing. The trend says
whether the gap is narrowing or widening now, and since when: the direction
of its current regime, found by segmented regression with penalised breaks
("narrowing since 20 Jul"), its slope tested allowing for periods that
follow each other (a bad week after a bad week: trend.autocorrelation in the
JSON); the straight line through the whole range is in the JSON as
trend.overall. Under a promise kept overall, a "broken for
region=south" line names attribute values whose latest period is broken
(Holm-corrected over every segment tested). saydo.yaml's metrics: section
gives units, so objectives read "≤ 2 min for 90%".

When observations and feedback carry customer ids, each promise also compares
the customers who experienced a miss with the others (NPS, complaints, CSAT,
churn; each with a 95% interval and a named test), puts a price on the misses
of the latest period from saydo.yaml's impact: assumptions (each shown with
its source; measured churn replaces the assumed one), and estimates the gap's
change at each of the promise's actions: (interrupted time series). See
docs/impact.md.

Examples:
  saydo gap                                  every promise, each on its own period
  saydo gap --period month --from 2026-01-01 --to 2026-07-01
  saydo gap --promise answer-in-2-min --period day --from 2026-06-01
  saydo gap --by region                      which regions keep the promise, which break it
  saydo gap --format json | jq '.promises[] | select(.status=="broken") | .id'
  saydo gap --format markdown > gaps.md      for a wiki page or a pull request
  saydo gap --sort money                     the promises whose misses cost the most first
  saydo gap --voice=false                    leave out what customers say`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "promise", "", "only the promise with this `ID`")
		o.defStr(fs, "period", "", "group by `day|week|month|quarter|year` (default: each promise's own period)")
		o.defStr(fs, "from", "", "first day, `YYYY-MM-DD` (default: the first day with data)")
		o.defStr(fs, "to", "", "last day, inclusive, `YYYY-MM-DD` (default: the last day with data)")
		o.defStr(fs, "by", "", "break each gap down by the values of attribute `ATTR` (region, channel, ...)")
		o.defStr(fs, "sort", "worst", "order promises `worst|money`: broken and biggest gap first, or revenue at risk first")
		o.defStr(fs, "format", "table", "output `table|json|markdown`")
		o.defBool(fs, "voice", true, "add what customers say to each promise (from per-day voice summaries kept at import)")
	},
	run: runGap,
}

func gapQuery(o options) (ledger.GapQuery, error) {
	q, err := ledger.ParseGapQuery(o.str)
	if err != nil {
		return q, fmt.Errorf("--%v", err)
	}
	switch o.str("format") {
	case "table", "json", "markdown", "md":
	default:
		return q, fmt.Errorf("--format %q: want table, json or markdown", o.str("format"))
	}
	return q, nil
}

func runGap(ctx context.Context, e *env, o options, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
	}
	q, err := gapQuery(o)
	if err != nil {
		return usageError{err.Error()}
	}
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := ledger.GapReport(ctx, st, ws, q, e.now())
	if err != nil {
		return err
	}
	if o.boolean("voice") {
		attachVoice(ctx, st, ws, q, rep)
	}
	return writeGapReport(e.stdout, o.str("format"), ws, rep)
}

// attachVoice adds what customers say to each promise; replaced when the
// voice of the customer work lands.
var attachVoice = func(ctx context.Context, st saydo.Store, ws *saydo.Workspace, q ledger.GapQuery, rep *saydo.GapReport) {
}

func writeGapReport(w io.Writer, format string, ws *saydo.Workspace, rep *saydo.GapReport) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "markdown", "md":
		writeGapMarkdown(w, ws, rep)
	default:
		writeGapTable(w, ws, rep)
	}
	return nil
}

// worstFirst orders promises as a CX lead reads them: broken, at risk,
// kept, no data; the biggest gap first within each.
func worstFirst(ps []saydo.PromiseGap) []saydo.PromiseGap {
	out := append([]saydo.PromiseGap(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
		return saydo.WorseThan(out[i].Status, out[i].Latest, out[j].Status, out[j].Latest)
	})
	return out
}

// row is one line of the gap table, for a promise or one of its segments.
type gapRow struct {
	name, status, period, delivered, objective, ci, gap, trend, n string
}

func promiseRow(name string, m saydo.Metric, obj saydo.Objective, st saydo.Status, tr saydo.Trend, l *saydo.PeriodGap, period saydo.Period) gapRow {
	var ref time.Time
	if l != nil {
		ref = l.Start
	}
	r := gapRow{name: name, status: string(st), objective: m.Phrase(obj), trend: trendText(tr, period, ref)}
	if l == nil {
		r.period, r.delivered, r.ci, r.gap, r.n = "—", "—", "—", "—", "0"
		return r
	}
	r.period = saydo.PeriodName(period, l.Start)
	r.delivered = m.Delivered(obj, l.Delivered)
	r.ci = ciText(m, obj, l.CI)
	r.gap = saydo.GapText(obj, l.Gap)
	r.n = thousands(l.N)
	return r
}

func ciText(m saydo.Metric, obj saydo.Objective, ci [2]float64) string { return m.Interval(obj, ci) }

// trendText says the direction now and since when: "↘ narrowing since
// 27 Jul".
func trendText(t saydo.Trend, period saydo.Period, ref time.Time) string {
	var s string
	switch t.Direction {
	case saydo.Widening:
		s = "↗ widening"
	case saydo.Narrowing:
		s = "↘ narrowing"
	case saydo.Steady:
		s = "→ steady"
	default:
		return "· too few periods"
	}
	if !t.Since.IsZero() {
		s += " since " + saydo.SinceText(period, t.Since, ref)
	}
	return s
}

var gapColumns = []struct {
	title string
	width int
	right bool
}{
	{"PROMISE", 22, false}, {"STATUS", 8, false}, {"PERIOD", 15, false}, {"DELIVERED", 9, true}, {"OBJECTIVE", 26, false},
	{"95% CI", 13, true}, {"GAP", 8, true}, {"TREND", 30, false}, {"N", 8, true},
}

func (r gapRow) cells() []string {
	return []string{r.name, r.status, r.period, r.delivered, r.objective, r.ci, r.gap, r.trend, r.n}
}

// writeRow writes one row of the gap table, each cell in its column's
// width (widths, from gapWidths).
func writeRow(w io.Writer, widths []int, cells []string) {
	var b strings.Builder
	for i, c := range cells {
		col := gapColumns[i]
		c = clip(c, widths[i])
		pad := strings.Repeat(" ", max(0, widths[i]-utf8.RuneCountInString(c)))
		if i > 0 {
			b.WriteByte(' ')
		}
		if col.right {
			b.WriteString(pad + c)
		} else if i < len(cells)-1 {
			b.WriteString(c + pad)
		} else {
			b.WriteString(c)
		}
	}
	fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
}

// gapWidths are the columns' widths for rows: the figures' columns
// (right-aligned) widen to their longest cell, so a mean with its unit
// ("4.144 points", "4.05 points–4.24 points") is never cut; the words'
// columns keep their width and clip.
func gapWidths(rows [][]string) []int {
	widths := make([]int, len(gapColumns))
	for i, c := range gapColumns {
		widths[i] = c.width
		if !c.right {
			continue
		}
		for _, r := range rows {
			widths[i] = max(widths[i], utf8.RuneCountInString(r[i]))
		}
	}
	return widths
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func periodLabel(rep *saydo.GapReport) string {
	switch rep.Period {
	case "promise":
		return "each promise on its own period"
	case "day":
		return "daily"
	default:
		return rep.Period + "ly"
	}
}

// rangeText says a report's range in words: "from 2026-01-01 to
// 2026-01-31" with to inclusive (saydo voice's report), "from 2026-01-01,
// before 2026-02-01" with to exclusive (the gap report's JSON: --to
// 2026-01-31 is "to": "2026-02-01"); either end may be "".
func rangeText(from, to string, exclusiveTo bool) string {
	var parts []string
	if from != "" {
		parts = append(parts, "from "+from)
	}
	switch {
	case to != "" && exclusiveTo:
		parts = append(parts, "before "+to)
	case to != "":
		parts = append(parts, "to "+to)
	}
	if exclusiveTo {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, " ")
}

// gapOrder says in words how the report's promises are ordered.
func gapOrder(rep *saydo.GapReport) string {
	if rep.Sort == "money" {
		return "largest revenue at risk first"
	}
	return "worst first"
}

func writeGapTable(w io.Writer, ws *saydo.Workspace, rep *saydo.GapReport) {
	title := "Promise gaps"
	if ws.Company != "" {
		title = ws.Company + " — promise gaps"
	}
	span := ""
	if rep.DataFrom != "" {
		span = fmt.Sprintf(", evidence from %s to %s", rep.DataFrom, rep.DataTo)
	}
	fmt.Fprintf(w, "%s (%s%s)\nFigures are for the latest complete period with data (PERIOD); %s.\n\n", title, periodLabel(rep), span, gapOrder(rep))
	var head []string
	for _, c := range gapColumns {
		head = append(head, c.title)
	}
	ordered := orderedPromises(rep)
	// Rows first, so the figures' columns fit their longest cell.
	rows := make([][][]string, len(ordered))
	all := [][]string{head}
	for i, p := range ordered {
		m := ws.MetricInfo(p.Metric)
		rows[i] = append(rows[i], promiseRow(p.ID, m, p.Objective, p.Status, p.Trend, p.Latest, p.Period).cells())
		for _, s := range p.Breakdown {
			rows[i] = append(rows[i], promiseRow("  "+rep.By+"="+s.Value, m, p.Objective, s.Status, s.Trend, s.Latest, p.Period).cells())
		}
		all = append(all, rows[i]...)
	}
	widths := gapWidths(all)
	writeRow(w, widths, head)
	for i, p := range ordered {
		for _, r := range rows[i] {
			writeRow(w, widths, r)
		}
		for _, line := range notes(ws.MetricInfo(p.Metric), p) {
			fmt.Fprintln(w, "  "+line)
		}
	}
	if len(rep.Promises) == 0 {
		fmt.Fprintln(w, "(no promises selected)")
		return
	}
	if !anyData(rep) {
		if anyCurrent(rep) {
			if rep.From != "" || rep.To != "" {
				fmt.Fprintf(w, "\nNo complete period in the range asked (%s): a period --from or --to cuts is partial, shown\n", rangeText(rep.From, rep.To, true))
				fmt.Fprintln(w, "above but not judged. Start --from on the first day of a period, or widen the range.")
				return
			}
			fmt.Fprintln(w, "\nNo complete period yet: the evidence so far covers only periods in progress, which are")
			fmt.Fprintln(w, "shown above but not judged. Verdicts start with the first period the evidence covers to its end.")
			return
		}
		if rep.From != "" || rep.To != "" {
			fmt.Fprintf(w, "\nNo evidence in the range asked (%s). Without --from and --to the report covers all the stored evidence.\n", rangeText(rep.From, rep.To, true))
			return
		}
		fmt.Fprintln(w, "\nNo evidence yet. Import observations of the promises' metrics, for example:")
		fmt.Fprintf(w, "  saydo ingest observations waits.csv    (columns metric,value,at; metrics: %s)\n", strings.Join(ws.Metrics(), ", "))
		return
	}
	fmt.Fprintf(w, "\nGap over time (one bar per period, from no gap to the worst; ░ = partial period)\n")
	for _, p := range ordered {
		fmt.Fprintf(w, "%-22s %s\n", clip(p.ID, 22), trajectory(p))
	}
	writeImpactText(w, ordered, rep)
	fmt.Fprintf(w, "\n%s\n", storyLines(ordered))
	fmt.Fprintln(w, "GAP: how far delivery falls short of the objective (pp: percentage points; for means, % of the target).")
	fmt.Fprintln(w, "TREND: the direction of the gap's current regime and when it began (segmented regression with")
	fmt.Fprintln(w, "       penalised breaks; the slope of the current segment tested at p < 0.05, allowing for autocorrelated")
	fmt.Fprintln(w, "       periods). Partial periods set nothing.")
}

// notes are the lines under a promise's row: the period in progress, not
// yet judged, periods that run in streaks, and the segments that break a
// promise kept overall.
func notes(m saydo.Metric, p saydo.PromiseGap) []string {
	var out []string
	if c := p.Current; c != nil {
		days := fmt.Sprintf("%d of %d days", c.DaysCovered, int(math.Round(c.End.Sub(c.Start).Hours()/24)))
		if c.DaysCovered == 0 {
			days = "no day of it over yet"
		}
		out = append(out, fmt.Sprintf("… %s in progress (%s): %s delivered, n %s; not judged until complete",
			saydo.PeriodName(p.Period, c.Start), days, m.Delivered(p.Objective, c.Delivered), thousands(c.N)))
	}
	if p.PooledEvery > 0 {
		out = append(out, fmt.Sprintf("⚠ the evidence is pre-aggregated about every %d days: a %s cannot be judged from it, so none holding it is (try --period %s)",
			p.PooledEvery, p.Period, gap.PooledPeriod(p.PooledEvery)))
	}
	if note := p.Trend.StreakNote(p.Period); note != "" {
		out = append(out, "↻ "+note)
	}
	for _, b := range p.BrokenSegments {
		out = append(out, fmt.Sprintf("⚠ broken for %s=%s: %s delivered (95%% CI %s), gap %s, n %s, %s (Holm-adjusted p %s)",
			b.Attr, b.Value, m.Delivered(p.Objective, b.Delivered), ciText(m, p.Objective, b.CI), saydo.GapText(p.Objective, b.Gap),
			thousands(b.N), saydo.PeriodName(p.Period, b.Start), pText(b.AdjustedP)))
	}
	return out
}

func pText(p float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	if p < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

func anyData(rep *saydo.GapReport) bool {
	for _, p := range rep.Promises {
		if p.Latest != nil {
			return true
		}
	}
	return false
}

// anyCurrent reports whether some promise has evidence in a period still
// in progress (and so no verdict yet).
func anyCurrent(rep *saydo.GapReport) bool {
	for _, p := range rep.Promises {
		if p.Current != nil {
			return true
		}
	}
	return false
}

const sparkWidth = 40

var sparkBars = []rune("▁▂▃▄▅▆▇█")

// trajectory draws the gap per period as a sparkline scaled from zero gap
// (the promise kept exactly) to the promise's worst gap, with the first,
// worst and latest gap spelled out.
func trajectory(p saydo.PromiseGap) string {
	var gaps []float64
	var starts []time.Time
	partialLast := false
	for i, pg := range p.Periods {
		g := pg.Gap
		if pg.Partial || math.IsInf(g, 0) {
			g = math.NaN()
			partialLast = i == len(p.Periods)-1 && pg.N > 0
		}
		gaps = append(gaps, g)
		starts = append(starts, pg.Start)
	}
	if len(gaps) == 0 {
		return "no data"
	}
	// Too many periods for the width: average neighbours.
	if len(gaps) > sparkWidth {
		k := (len(gaps) + sparkWidth - 1) / sparkWidth
		var g2 []float64
		for i := 0; i < len(gaps); i += k {
			sum, n := 0.0, 0
			for j := i; j < min(i+k, len(gaps)); j++ {
				if !math.IsNaN(gaps[j]) {
					sum += gaps[j]
					n++
				}
			}
			if n == 0 {
				g2 = append(g2, math.NaN())
			} else {
				g2 = append(g2, sum/float64(n))
			}
		}
		gaps = g2
	}
	hi := 0.0
	for _, g := range gaps {
		if !math.IsNaN(g) && g > hi {
			hi = g
		}
	}
	var b strings.Builder
	for _, g := range gaps {
		switch {
		case math.IsNaN(g):
			b.WriteRune(' ')
		case g <= 0 || hi <= 0:
			b.WriteRune('▁')
		default:
			b.WriteRune(sparkBars[min(len(sparkBars)-1, 1+int(g/hi*float64(len(sparkBars)-1)))])
		}
	}
	worst, worstAt := math.Inf(-1), time.Time{}
	for i, pg := range p.Periods {
		if !pg.Partial && !math.IsNaN(pg.Gap) && pg.Gap > worst {
			worst, worstAt = pg.Gap, starts[i]
		}
	}
	line := b.String()
	if partialLast {
		line = strings.TrimRight(line, " ") + "░"
	}
	if p.Latest != nil && !math.IsInf(worst, -1) {
		line += fmt.Sprintf(" worst %s (%s), latest %s", saydo.GapText(p.Objective, worst), saydo.PeriodName(p.Period, worstAt), saydo.GapText(p.Objective, p.Latest.Gap))
	}
	return line
}

// storyLines says in words what a CX lead should take from the table.
func storyLines(ps []saydo.PromiseGap) string {
	var broken, risk, kept, widening, narrowing, hidden []string
	for _, p := range ps {
		switch p.Status {
		case saydo.Broken:
			broken = append(broken, p.ID)
		case saydo.AtRisk:
			risk = append(risk, p.ID)
		case saydo.Kept:
			kept = append(kept, p.ID)
		}
		for _, b := range p.BrokenSegments {
			hidden = append(hidden, fmt.Sprintf("%s for %s=%s", p.ID, b.Attr, b.Value))
		}
		switch p.Trend.Direction {
		case saydo.Widening:
			widening = append(widening, p.ID)
		case saydo.Narrowing:
			narrowing = append(narrowing, p.ID)
		}
	}
	var b strings.Builder
	say := func(label string, ids []string) {
		if len(ids) > 0 {
			fmt.Fprintf(&b, "%-10s %s\n", label, strings.Join(ids, ", "))
			if label == "Hidden:" {
				fmt.Fprintf(&b, "%-10s (broken in a segment while kept or at risk overall; Holm-corrected over every segment tested)\n", "")
			}
		}
	}
	say("Broken:", broken)
	say("At risk:", risk)
	say("Kept:", kept)
	say("Hidden:", hidden)
	say("Widening:", widening)
	say("Narrowing:", narrowing)
	return b.String()
}

func writeGapMarkdown(w io.Writer, ws *saydo.Workspace, rep *saydo.GapReport) {
	title := "Promise gaps"
	if ws.Company != "" {
		title = ws.Company + ": promise gaps"
	}
	fmt.Fprintf(w, "# %s\n\n%s; figures for the latest complete period with data, %s. Generated %s.\n\n",
		title, strings.ToUpper(periodLabel(rep)[:1])+periodLabel(rep)[1:], gapOrder(rep), rep.GeneratedAt.Format(time.RFC3339))
	fmt.Fprintln(w, "| Promise | Status | Period | Delivered | Objective | 95% CI | Gap | Trend | p | n |")
	fmt.Fprintln(w, "|---|---|---|--:|---|--:|--:|---|--:|--:|")
	md := func(name string, m saydo.Metric, obj saydo.Objective, st saydo.Status, tr saydo.Trend, l *saydo.PeriodGap, period saydo.Period) {
		r := promiseRow(name, m, obj, st, tr, l, period)
		p := "—"
		if !math.IsNaN(tr.PValue) && tr.Direction != saydo.Unknown {
			p = fmt.Sprintf("%.3g", tr.PValue)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, statusBadge(st), r.period, r.delivered,
			strings.ReplaceAll(r.objective, "|", "\\|"), r.ci, r.gap, r.trend, p, r.n)
	}
	for _, p := range orderedPromises(rep) {
		m := ws.MetricInfo(p.Metric)
		md("`"+p.ID+"`", m, p.Objective, p.Status, p.Trend, p.Latest, p.Period)
		for _, s := range p.Breakdown {
			md("↳ "+rep.By+"="+s.Value, m, p.Objective, s.Status, s.Trend, s.Latest, p.Period)
		}
	}
	fmt.Fprintln(w)
	for _, p := range orderedPromises(rep) {
		fmt.Fprintf(w, "- **%s** — “%s” (owner %s, delivered by %s)\n", p.ID, p.Says, p.Owner, strings.Join(p.DeliveredBy, ", "))
		for _, line := range notes(ws.MetricInfo(p.Metric), p) {
			fmt.Fprintf(w, "  - %s\n", line)
		}
	}
	writeImpactMarkdown(w, orderedPromises(rep), rep)
}

func statusBadge(s saydo.Status) string {
	switch s {
	case saydo.Broken:
		return "🔴 broken"
	case saydo.AtRisk:
		return "🟠 at risk"
	case saydo.Kept:
		return "🟢 kept"
	}
	return "⚪ no data"
}
