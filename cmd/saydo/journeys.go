package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/journey"
	"github.com/saydo/saydo/ledger"
)

func init() { extraCommands = append(extraCommands, journeysCommand) }

var journeysCommand = &command{
	name:  "journeys",
	args:  "[--from D] [--to D] [--format table|json|markdown]",
	short: "conflicts between departments in what customers were sent: offers during complaints, threats without reminders, too many contacts",
	help: `Runs the journey rules over the stored contacts (saydo ingest contacts) and
complaints (feedback of kind complaint with a customer):

  journey.OfferAfterComplaint    an offer while the customer's complaint is open
  journey.ThreatWithoutReminder  a warning with no reminder 30 to 3 days before it
  journey.SurveyDuringComplaint  a survey while the customer's complaint is open
  journey.TooMany                more than 5 contacts to one customer within 7 days

A complaint is open from its time until a resolution contact to the customer,
or for complaint_open_days (30). Tune, turn off or add rules under journeys:
in saydo.yaml (see docs/journeys.md); saydo check validates them.

The report gives, per rule and per pair of departments, how many conflicts
and customers, the trend by ISO week, and example customer timelines.
--format json prints every conflict (SPEC "Customer journeys"); the table
and markdown print the counts and examples.

Examples:
  saydo journeys
  saydo journeys --from 2026-03-01 --to 2026-03-31
  saydo journeys --format json | jq '.by_rule'
  saydo journeys --format json | jq -r '.conflicts[] | select(.rule=="journey.OfferAfterComplaint") | .customer'
  saydo journeys --format markdown > journeys.md`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "from", "", "first day judged, `YYYY-MM-DD` or RFC 3339 (default: the first contact)")
		o.defStr(fs, "to", "", "last day judged, inclusive, `YYYY-MM-DD` or RFC 3339 (default: the last contact)")
		o.defStr(fs, "format", "table", "output `table|json|markdown`")
		o.defInt(fs, "examples", 3, "example timelines per rule (`N`)")
	},
	run: runJourneys,
}

// spanFlags reads --from and --to: a date is a whole day (--to inclusive),
// an RFC 3339 time an instant.
func spanFlags(o options) (from, to time.Time, err error) {
	// ParseTime's reason ends "or a --time-layout", a flag of ingest's.
	reason := func(err error) string { return strings.TrimSuffix(err.Error(), " or a --time-layout") }
	if s := o.str("from"); s != "" {
		if from, err = saydo.ParseTime(s, ""); err != nil {
			return from, to, fmt.Errorf("--from: %s", reason(err))
		}
	}
	if s := o.str("to"); s != "" {
		if to, err = saydo.ParseTime(s, ""); err != nil {
			return from, to, fmt.Errorf("--to: %s", reason(err))
		}
		if len(s) == len(time.DateOnly) {
			to = to.AddDate(0, 0, 1)
		}
	}
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return from, to, fmt.Errorf("--to %s is before --from %s", o.str("to"), o.str("from"))
	}
	return from, to, nil
}

func runJourneys(ctx context.Context, e *env, o options, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
	}
	from, to, err := spanFlags(o)
	if err != nil {
		return usageError{err.Error()}
	}
	format := o.str("format")
	switch format {
	case "table", "json", "markdown", "md":
	default:
		return usageError{fmt.Sprintf("--format %q: want table, json or markdown", format)}
	}
	if o.integer("examples") < 0 {
		return usageError{"--examples: want 0 or more"}
	}
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := ledger.JourneyOptions{From: from, To: to, Examples: max(o.integer("examples"), 0)}
	if o.integer("examples") == 0 {
		opts.Examples = -1
	}
	out := bufio.NewWriterSize(e.stdout, 1<<16)
	defer out.Flush()
	if format != "json" {
		rep, err := ledger.Journeys(ctx, st, ws, opts, nil)
		if err != nil {
			return err
		}
		if format == "table" {
			writeJourneysTable(out, ws, rep, o.str("from") != "" || o.str("to") != "")
		} else {
			writeJourneysMarkdown(out, ws, rep)
		}
		return nil
	}
	// JSON: the conflicts stream out as they are found, then the counts.
	out.WriteString("{\"conflicts\": [")
	n := 0
	rep, err := ledger.Journeys(ctx, st, ws, opts, func(c *journey.Conflict) error {
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if n > 0 {
			out.WriteByte(',')
		}
		out.WriteString("\n  ")
		out.Write(b)
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n > 0 {
		out.WriteString("\n")
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	out.WriteString("],\n")
	out.Write(b[2:]) // after "{\n": the fields, indented
	out.WriteByte('\n')
	return nil
}

func departmentName(ws *saydo.Workspace, id string) string {
	if d, ok := ws.Department(id); ok && d.Name != "" {
		return d.Name
	}
	return id
}

func pairWith(ws *saydo.Workspace, p journey.DepartmentPair) string {
	if p.With == nil {
		return "—"
	}
	return departmentName(ws, *p.With)
}

func ruleLabel(id string) string {
	switch id {
	case saydo.RuleOfferAfterComplaint:
		return "offer while a complaint is open"
	case saydo.RuleThreatWithoutReminder:
		return "warning with no reminder before it"
	case saydo.RuleSurveyDuringComplaint:
		return "survey while a complaint is open"
	case saydo.RuleTooMany:
		return "too many contacts in the window"
	}
	return ""
}

// writeJourneysTable writes the journeys report; ranged says --from or
// --to was given, so no contacts means none in that range.
func writeJourneysTable(w io.Writer, ws *saydo.Workspace, r *journey.Report, ranged bool) {
	switch {
	case r.Contacts == 0 && ranged:
		fmt.Fprintln(w, "No contacts in the range asked. Without --from and --to the report covers every stored contact.")
		return
	case r.Contacts == 0:
		fmt.Fprintln(w, "No contacts in the span. Import what departments sent: saydo ingest contacts FILE (see saydo ingest --help).")
		return
	}
	fmt.Fprintf(w, "%s: %s\n\n", journeyCounts(r), counted(r.Conflicts, "conflict", "conflicts"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tCONFLICTS\tCUSTOMERS\tMOSTLY\tBY WEEK\t")
	for _, s := range r.Rules {
		label := ruleLabel(s.Rule)
		if label != "" {
			label = " (" + label + ")"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t\n", s.Rule, label, thousands(s.Conflicts), thousands(s.Customers), mostly(ws, s), journey.Sparkline(s.Weeks))
	}
	tw.Flush()
	if len(r.ByDepartments) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SENT BY\tIN CONFLICT WITH\tCONFLICTS\tCUSTOMERS\t")
		for i, p := range r.ByDepartments {
			if i == 12 {
				fmt.Fprintf(tw, "… %d more pairs\t\t\t\t\n", len(r.ByDepartments)-i)
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", departmentName(ws, p.Department), pairWith(ws, p), thousands(p.Count), thousands(p.Customers))
		}
		tw.Flush()
	}
	if len(r.Departments) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "DEPARTMENT\tCAUSED\tSUFFERED\t")
		for _, d := range r.Departments {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", departmentName(ws, d.Department), thousands(d.Caused), thousands(d.Suffered))
		}
		tw.Flush()
	}
	for _, ex := range r.Examples {
		fmt.Fprintf(w, "\n%s, customer %s:\n", ex.Rule, ex.Customer)
		for _, ev := range ex.Timeline {
			fmt.Fprintf(w, "  %s\n", ev.Text)
		}
	}
}

// mostly names the department pair with most of a rule's conflicts.
func mostly(ws *saydo.Workspace, s journey.RuleSummary) string {
	if len(s.ByDepartments) == 0 {
		return ""
	}
	p := s.ByDepartments[0]
	with := ""
	if p.With != nil {
		with = " → " + departmentName(ws, *p.With)
	}
	return fmt.Sprintf("%s%s %.0f%%", departmentName(ws, p.Department), with, 100*float64(p.Count)/float64(max(s.Conflicts, 1)))
}

// counted is "1 contact", "2,000 contacts".
func counted(n int64, one, many string) string {
	return thousands(n) + " " + plural(int(min(n, 2)), one, many)
}

// journeyCounts begins the report's first line: "559,694 contacts to
// 30,000 customers, 18,486 complaints".
func journeyCounts(r *journey.Report) string {
	return fmt.Sprintf("%s to %s, %s", counted(r.Contacts, "contact", "contacts"), counted(r.Customers, "customer", "customers"),
		counted(r.Complaints, "complaint", "complaints"))
}

func writeJourneysMarkdown(w io.Writer, ws *saydo.Workspace, r *journey.Report) {
	fmt.Fprintf(w, "# Customer journeys\n\n%s: **%s**.\n\n", journeyCounts(r), counted(r.Conflicts, "conflict", "conflicts"))
	fmt.Fprintln(w, "| rule | conflicts | customers | mostly | by week |")
	fmt.Fprintln(w, "|---|---:|---:|---|---|")
	for _, s := range r.Rules {
		fmt.Fprintf(w, "| `%s` %s | %s | %s | %s | %s |\n", s.Rule, ruleLabel(s.Rule), thousands(s.Conflicts), thousands(s.Customers), mostly(ws, s), journey.Sparkline(s.Weeks))
	}
	if len(r.ByDepartments) > 0 {
		fmt.Fprintln(w, "\n| sent by | in conflict with | conflicts | customers |")
		fmt.Fprintln(w, "|---|---|---:|---:|")
		for _, p := range r.ByDepartments {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", departmentName(ws, p.Department), pairWith(ws, p), thousands(p.Count), thousands(p.Customers))
		}
	}
	if len(r.Departments) > 0 {
		fmt.Fprintln(w, "\n| department | caused | suffered |")
		fmt.Fprintln(w, "|---|---:|---:|")
		for _, d := range r.Departments {
			fmt.Fprintf(w, "| %s | %s | %s |\n", departmentName(ws, d.Department), thousands(d.Caused), thousands(d.Suffered))
		}
	}
	for _, ex := range r.Examples {
		fmt.Fprintf(w, "\n### `%s`, customer %s\n\n", ex.Rule, ex.Customer)
		for _, ev := range ex.Timeline {
			fmt.Fprintf(w, "- %s\n", ev.Text)
		}
	}
}
