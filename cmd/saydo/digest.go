package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

func init() { extraCommands = append(extraCommands, digestCommand) }

var digestCommand = &command{
	name:  "digest",
	args:  "[--department ID] [--dir DIR]",
	short: "a weekly markdown summary per department owner: what broke, what it costs, what changed",
	help: `For each department, the promises it makes or delivers: what broke (broken or
at risk in the latest period), what it costs (customers affected, revenue at
risk, how customers who experienced a miss rate the company against the
others), and what changed (status changes since the period before, a gap
that turned to widening, actions and whether they worked). Markdown, for
an email or a chat channel.

Examples:
  saydo digest                              every department, one after another
  saydo digest --department care            one department
  saydo digest --dir digests/               one file per department: digests/care.md
  saydo digest --department care | mail -s "Promises this week" care-lead@example.com`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "department", "", "only the department `ID`")
		o.defStr(fs, "dir", "", "write one file per department into `DIR` (DIR/ID.md)")
	},
	run: runDigest,
}

func runDigest(ctx context.Context, e *env, o options, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
	}
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	depts := ws.Departments
	if id := o.str("department"); id != "" {
		d, ok := ws.Department(id)
		if !ok {
			var known []string
			for _, d := range ws.Departments {
				known = append(known, d.ID)
			}
			return usageError{fmt.Sprintf("--department %q: no such department (known: %s)", id, strings.Join(known, ", "))}
		}
		depts = []saydo.Department{*d}
	}
	rep, err := ledger.GapReport(ctx, st, ws, ledger.GapQuery{}, e.now())
	if err != nil {
		return err
	}
	dir := o.str("dir")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	for i, d := range depts {
		if dir == "" {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			writeDigest(e.stdout, ws, rep, d)
			continue
		}
		path := filepath.Join(dir, d.ID+".md")
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		writeDigest(f, ws, rep, d)
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", path)
	}
	return nil
}

// writeDigest writes one department's digest.
func writeDigest(w io.Writer, ws *saydo.Workspace, rep *saydo.GapReport, d saydo.Department) {
	var mine []saydo.PromiseGap
	for _, p := range worstFirst(rep.Promises) {
		if p.Owner == d.ID || slices.Contains(p.DeliveredBy, d.ID) {
			mine = append(mine, p)
		}
	}
	name := d.Name
	if name == "" {
		name = d.ID
	}
	fmt.Fprintf(w, "# %s: promises this week\n\n", name)
	fmt.Fprintf(w, "%s, %s. Generated %s from evidence up to %s.\n\n", companyName(ws), name, rep.GeneratedAt.Format(time.DateOnly), orDash(rep.DataTo))
	if len(mine) == 0 {
		fmt.Fprintln(w, "No promise names this department as owner or as delivering it.")
		return
	}
	role := func(p saydo.PromiseGap) string {
		if p.Owner == d.ID {
			return "you make it"
		}
		return "you deliver it"
	}

	fmt.Fprintln(w, "## What broke")
	broke := 0
	for _, p := range mine {
		if p.Status != saydo.Broken && p.Status != saydo.AtRisk {
			continue
		}
		broke++
		fmt.Fprintf(w, "- %s **%s** (%s): “%s” %s\n", statusBadge(p.Status), p.ID, role(p), p.Says, latestText(p))
	}
	if broke == 0 {
		if len(mine) == 1 {
			fmt.Fprintln(w, "Nothing: the one promise is kept or has no data.")
		} else {
			fmt.Fprintf(w, "Nothing: all %d promises are kept or have no data.\n", len(mine))
		}
	}

	fmt.Fprintln(w, "\n## What it costs")
	costs := 0
	for _, p := range mine {
		if p.Impact == nil && p.Outcome == nil {
			continue
		}
		costs++
		var parts []string
		if m := p.Impact; m != nil {
			s := fmt.Sprintf("%s customers experienced a miss in the period from %s", thousands(m.CustomersAffected), m.Period)
			if !math.IsNaN(m.RevenueAtRisk) {
				s += fmt.Sprintf(", %s revenue at risk a year", money(m.RevenueAtRisk, m.Currency))
				if !math.IsNaN(m.RevenueAtRiskCI[0]) {
					s += fmt.Sprintf(" (95%% CI %s to %s)", thousands(int64(math.Round(m.RevenueAtRiskCI[0]))), thousands(int64(math.Round(m.RevenueAtRiskCI[1]))))
				}
				s += " with churn " + m.Churn
			} else if m.Note != "" {
				s += " (" + m.Note + ")"
			}
			parts = append(parts, s)
		}
		if o := p.Outcome; o != nil {
			parts = append(parts, "customers who experienced a miss against the others: "+npsLine(o))
		}
		fmt.Fprintf(w, "- **%s**: %s.\n", p.ID, strings.Join(parts, "; "))
		if m := p.Impact; m != nil && len(m.Assumptions) > 0 {
			var as []string
			for _, a := range m.Assumptions {
				label := "assumed"
				if a.Measured {
					label = "measured"
				}
				as = append(as, fmt.Sprintf("%s %s %s (%s)", a.Name, assumptionValue(a), label, a.Source))
			}
			fmt.Fprintf(w, "  Inputs: %s.\n", strings.Join(as, "; "))
		}
	}
	if costs == 0 {
		fmt.Fprintln(w, "No figures: the evidence carries no customer ids (add a customer column to observations and feedback).")
	}

	fmt.Fprintln(w, "\n## What changed")
	changed := 0
	for _, p := range mine {
		if prev := previousPeriod(p); prev != nil && p.Latest != nil && prev.Status != p.Latest.Status {
			changed++
			fmt.Fprintf(w, "- **%s**: %s → %s since the period from %s.\n", p.ID, words(prev.Status), words(p.Latest.Status), prev.Start.Format(time.DateOnly))
		}
		switch p.Trend.Direction {
		case saydo.Widening:
			changed++
			fmt.Fprintf(w, "- **%s**: the gap is widening (%s).\n", p.ID, pValueText(p.Trend.PValue))
		case saydo.Narrowing:
			changed++
			fmt.Fprintf(w, "- **%s**: the gap is narrowing (%s).\n", p.ID, pValueText(p.Trend.PValue))
		}
		for _, a := range p.Actions {
			changed++
			fmt.Fprintf(w, "- **%s**: %s (%s, %s): %s.\n", p.ID, a.What, a.By, a.On, actionText(p.Objective, a))
		}
	}
	if changed == 0 {
		fmt.Fprintln(w, "Nothing: no status changes, no widening or narrowing gaps, no actions.")
	}
}

// latestText says how the latest period went.
func latestText(p saydo.PromiseGap) string {
	l := p.Latest
	if l == nil {
		return "no data."
	}
	m := saydo.Metric{ID: p.Metric, Unit: p.Unit}
	return fmt.Sprintf("%s delivered (95%% CI %s) against %s in the %s (gap %s, n = %s).", m.Delivered(p.Objective, l.Delivered),
		ciText(m, p.Objective, l.CI), p.ObjectiveText, saydo.PeriodName(p.Period, l.Start), saydo.GapText(p.Objective, l.Gap), thousands(l.N))
}

// previousPeriod is the period with data before the latest.
func previousPeriod(p saydo.PromiseGap) *saydo.PeriodGap {
	if p.Latest == nil {
		return nil
	}
	for i := len(p.Periods) - 1; i >= 0; i-- {
		if pp := &p.Periods[i]; pp.Start.Before(p.Latest.Start) && pp.N > 0 {
			return pp
		}
	}
	return nil
}

func words(s saydo.Status) string { return strings.ReplaceAll(string(s), "_", " ") }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
