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
The trend says whether the gap is widening or narrowing across the periods
(weighted least squares of the gap on the period index, p < 0.05).

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
	name, status, delivered, objective, ci, gap, trend, n string
}

func promiseRow(name string, obj saydo.Objective, st saydo.Status, tr saydo.Trend, l *saydo.PeriodGap) gapRow {
	r := gapRow{name: name, status: string(st), objective: objectiveText(obj), trend: trendText(tr)}
	if l == nil {
		r.delivered, r.ci, r.gap, r.n = "—", "—", "—", "0"
		return r
	}
	r.delivered = figure(obj, l.Delivered)
	r.ci = "—"
	if !math.IsNaN(l.CI[0]) {
		r.ci = figure(obj, l.CI[0]) + "–" + strings.TrimSuffix(figure(obj, l.CI[1]), "")
	}
	r.gap = gapText(obj, l.Gap)
	r.n = thousands(l.N)
	return r
}

// figure renders a delivered value: a share as a percentage, a mean as a
// number with four significant digits.
func figure(obj saydo.Objective, v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if obj.IsMean() {
		return fmt.Sprintf("%.4g", v)
	}
	return fmt.Sprintf("%.1f%%", v*100)
}

// gapText renders a gap: percentage points for shares, percent of the
// target for means; positive means falling short.
func gapText(obj saydo.Objective, g float64) string {
	if math.IsNaN(g) {
		return "—"
	}
	if obj.IsMean() {
		return fmt.Sprintf("%+.2f%%", g*100)
	}
	return fmt.Sprintf("%+.1fpp", g*100)
}

func objectiveText(o saydo.Objective) string {
	switch o.Kind {
	case saydo.AtMost:
		return fmt.Sprintf("%g%% ≤%g", o.Share*100, o.Value)
	case saydo.AtLeast:
		return fmt.Sprintf("%g%% ≥%g", o.Share*100, o.Value)
	case saydo.MeanAtMost:
		return fmt.Sprintf("mean ≤%g", o.Value)
	case saydo.MeanAtLeast:
		return fmt.Sprintf("mean ≥%g", o.Value)
	}
	return string(o.Kind)
}

func trendText(t saydo.Trend) string {
	switch t.Direction {
	case saydo.Widening:
		return "↗ widening"
	case saydo.Narrowing:
		return "↘ narrowing"
	case saydo.Steady:
		return "→ steady"
	}
	return "· too few"
}

var gapColumns = []struct {
	title string
	width int
	right bool
}{
	{"PROMISE", 22, false}, {"STATUS", 8, false}, {"DELIVERED", 9, true}, {"OBJECTIVE", 11, false},
	{"95% CI", 13, true}, {"GAP", 8, true}, {"TREND", 11, false}, {"N", 8, true},
}

func (r gapRow) cells() []string {
	return []string{r.name, r.status, r.delivered, r.objective, r.ci, r.gap, r.trend, r.n}
}

func writeRow(w io.Writer, cells []string) {
	var b strings.Builder
	for i, c := range cells {
		col := gapColumns[i]
		c = clip(c, col.width)
		pad := strings.Repeat(" ", max(0, col.width-utf8.RuneCountInString(c)))
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

func writeGapTable(w io.Writer, ws *saydo.Workspace, rep *saydo.GapReport) {
	title := "Promise gaps"
	if ws.Company != "" {
		title = ws.Company + " — promise gaps"
	}
	span := ""
	if rep.DataFrom != "" {
		span = fmt.Sprintf(", evidence from %s to %s", rep.DataFrom, rep.DataTo)
	}
	fmt.Fprintf(w, "%s (%s%s)\nFigures are for the latest period with data; worst first.\n\n", title, periodLabel(rep), span)
	var head []string
	for _, c := range gapColumns {
		head = append(head, c.title)
	}
	writeRow(w, head)
	ordered := orderedPromises(rep)
	for _, p := range ordered {
		writeRow(w, promiseRow(p.ID, p.Objective, p.Status, p.Trend, p.Latest).cells())
		for _, s := range p.Breakdown {
			writeRow(w, promiseRow("  "+rep.By+"="+s.Value, p.Objective, s.Status, s.Trend, s.Latest).cells())
		}
	}
	if len(rep.Promises) == 0 {
		fmt.Fprintln(w, "(no promises selected)")
		return
	}
	if !anyData(rep) {
		fmt.Fprintln(w, "\nNo evidence yet. Import observations of the promises' metrics, for example:")
		fmt.Fprintf(w, "  saydo ingest observations waits.csv    (columns metric,value,at; metrics: %s)\n", strings.Join(ws.Metrics(), ", "))
		return
	}
	fmt.Fprintf(w, "\nGap over time (one bar per period; taller = further from the promise)\n")
	for _, p := range ordered {
		fmt.Fprintf(w, "%-22s %s\n", clip(p.ID, 22), trajectory(p))
	}
	writeImpactText(w, ordered, rep)
	fmt.Fprintf(w, "\n%s\n", storyLines(ordered))
	fmt.Fprintln(w, "GAP: how far delivery falls short of the objective (pp: percentage points; for means, % of the target).")
	fmt.Fprintln(w, "TREND: weighted least squares of the gap on the period index, t test, p < 0.05.")
}

func anyData(rep *saydo.GapReport) bool {
	for _, p := range rep.Promises {
		if p.Latest != nil {
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
	for _, pg := range p.Periods {
		gaps = append(gaps, pg.Gap)
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
		if !math.IsNaN(pg.Gap) && pg.Gap > worst {
			worst, worstAt = pg.Gap, starts[i]
		}
	}
	line := b.String()
	if p.Latest != nil && !math.IsInf(worst, -1) {
		line += fmt.Sprintf(" worst %s (%s), now %s", gapText(p.Objective, worst), worstAt.Format("Jan 2"), gapText(p.Objective, p.Latest.Gap))
	}
	return line
}

// storyLines says in words what a CX lead should take from the table.
func storyLines(ps []saydo.PromiseGap) string {
	var broken, risk, kept, widening, narrowing []string
	for _, p := range ps {
		switch p.Status {
		case saydo.Broken:
			broken = append(broken, p.ID)
		case saydo.AtRisk:
			risk = append(risk, p.ID)
		case saydo.Kept:
			kept = append(kept, p.ID)
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
		}
	}
	say("Broken:", broken)
	say("At risk:", risk)
	say("Kept:", kept)
	say("Widening:", widening)
	say("Narrowing:", narrowing)
	return b.String()
}

func writeGapMarkdown(w io.Writer, ws *saydo.Workspace, rep *saydo.GapReport) {
	title := "Promise gaps"
	if ws.Company != "" {
		title = ws.Company + ": promise gaps"
	}
	fmt.Fprintf(w, "# %s\n\n%s; figures for the latest period with data, worst first. Generated %s.\n\n",
		title, strings.ToUpper(periodLabel(rep)[:1])+periodLabel(rep)[1:], rep.GeneratedAt.Format(time.RFC3339))
	fmt.Fprintln(w, "| Promise | Status | Delivered | Objective | 95% CI | Gap | Trend | p | n |")
	fmt.Fprintln(w, "|---|---|--:|---|--:|--:|---|--:|--:|")
	md := func(name string, obj saydo.Objective, st saydo.Status, tr saydo.Trend, l *saydo.PeriodGap) {
		r := promiseRow(name, obj, st, tr, l)
		p := "—"
		if !math.IsNaN(tr.PValue) && tr.Direction != saydo.Unknown {
			p = fmt.Sprintf("%.3g", tr.PValue)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, statusBadge(st), r.delivered,
			strings.ReplaceAll(r.objective, "|", "\\|"), r.ci, r.gap, r.trend, p, r.n)
	}
	for _, p := range orderedPromises(rep) {
		md("`"+p.ID+"`", p.Objective, p.Status, p.Trend, p.Latest)
		for _, s := range p.Breakdown {
			md("↳ "+rep.By+"="+s.Value, p.Objective, s.Status, s.Trend, s.Latest)
		}
	}
	fmt.Fprintln(w)
	for _, p := range orderedPromises(rep) {
		fmt.Fprintf(w, "- **%s** — “%s” (owner %s, delivered by %s)\n", p.ID, p.Says, p.Owner, strings.Join(p.DeliveredBy, ", "))
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
