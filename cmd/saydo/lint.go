package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/lint"
	"github.com/saydo/saydo/yaml"
)

func init() { extraCommands = append(extraCommands, lintCommand) }

var lintCommand = &command{
	name:  "lint",
	args:  "[PATH...]",
	short: "review canned messages against the brand voice and the promises",
	help: `Reviews every message (default: the workspace's messages/) with the
built-in saydo rule pack and the workspace's own rules in style/*.yaml,
and prints findings like a compiler: path:line:col: level rule: message,
the excerpt with the match underlined, and a suggestion.

Examples:
  saydo lint                                  every message of the workspace
  saydo lint messages/collections             one folder
  saydo lint messages/collections/overdue.txt --format json
  saydo lint export.csv                       a CRM export, not imported
  saydo lint --require-approval               in CI: also fail when a message in use
                                              is not the approved version (see saydo serve)

Exit status: 0 no error-level finding, 1 at least one (or, with
--require-approval, an unapproved message), 2 could not run (unreadable
files, invalid style rules or messages).`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "format", "text", "output `text|json`")
		o.defBool(fs, "require-approval", false, "fail when a message's current text is not an approved version in the store")
	},
	run: runLint,
}

// lintRun is a catalogue of messages reviewed.
type lintRun struct {
	messages []saydo.Message
	findings [][]saydo.Finding
}

func (r *lintRun) count(level saydo.Level) int {
	n := 0
	for _, fs := range r.findings {
		for _, f := range fs {
			if f.Level == level {
				n++
			}
		}
	}
	return n
}

func runLint(ctx context.Context, e *env, o options, args []string) error {
	format := o.str("format")
	if format != "text" && format != "json" {
		return usageError{fmt.Sprintf("--format %q: want text or json", format)}
	}
	dir := filepath.Clean(o.str("workspace"))
	ws, err := lintWorkspace(e, dir)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{filepath.Join(dir, yaml.MessagesDir)}
	}
	ms, err := readMessages(e, args)
	if err != nil {
		if !isPosErrors(err) {
			return err // one line, printed once by the caller
		}
		n := printPosErrors(e.stderr, err)
		return fmt.Errorf("%d %s in messages", n, plural(n, "error", "errors"))
	}
	run, err := lintMessages(ws, dir, ms)
	if err != nil {
		if isPosErrors(err) {
			n := printPosErrors(e.stderr, err)
			return fmt.Errorf("%d %s in style rules", n, plural(n, "error", "errors"))
		}
		return err
	}
	if format == "json" {
		err = writeLintJSON(e.stdout, run)
	} else {
		err = writeLintText(e.stdout, run)
	}
	if err != nil {
		return err
	}
	var unapproved []string
	if o.boolean("require-approval") {
		if unapproved, err = checkApproval(ctx, e, o, ms); err != nil {
			return err
		}
	}
	if n := run.count(saydo.LevelError); n > 0 || len(unapproved) > 0 {
		return problemsError{errors.New("")}
	}
	return nil
}

// checkApproval prints every message whose current text is not approved.
func checkApproval(ctx context.Context, e *env, o options, ms []saydo.Message) ([]string, error) {
	st, err := openStore(ctx, e, o)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	rs, ok := st.(reviewedStore)
	if !ok {
		return nil, errors.New("--require-approval: this store keeps no reviews")
	}
	unapproved, err := unapprovedMessages(ctx, rs, ms)
	if err != nil {
		return nil, err
	}
	for _, u := range unapproved {
		fmt.Fprintf(e.stderr, "not approved: %s\n", u)
	}
	if len(unapproved) > 0 {
		fmt.Fprintf(e.stderr, "%d %s not approved; approvers review them in the dashboard (saydo serve)\n",
			len(unapproved), plural(len(unapproved), "message is", "messages are"))
	}
	return unapproved, nil
}

func isPosErrors(err error) bool {
	var list saydo.ErrorList
	var pe *saydo.PosError
	return errors.As(err, &list) || errors.As(err, &pe)
}

// lintWorkspace reads saydo.yaml when there is one: without it messages
// are still reviewed, with no promises to check them against.
func lintWorkspace(e *env, dir string) (*saydo.Workspace, error) {
	if _, err := os.Stat(filepath.Join(dir, yaml.FileName)); errors.Is(err, fs.ErrNotExist) {
		return &saydo.Workspace{Dir: dir}, nil
	}
	ws, err := yaml.LoadWorkspace(dir)
	if err != nil {
		n := printPosErrors(e.stderr, err)
		return nil, fmt.Errorf("%s is invalid: %d %s", filepath.Join(dir, yaml.FileName), n, plural(n, "error", "errors"))
	}
	return ws, nil
}

// readMessages reads message files, folders of them, and CSV exports.
func readMessages(e *env, paths []string) ([]saydo.Message, error) {
	var out []saydo.Message
	var errs saydo.ErrorList
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		switch {
		case fi.IsDir():
			ms, err := yaml.LoadMessages(p)
			if err != nil && !isPosErrors(err) {
				return nil, err
			}
			if err != nil {
				var list saydo.ErrorList
				errors.As(err, &list)
				errs = append(errs, list...)
			}
			out = append(out, ms...)
		case strings.EqualFold(filepath.Ext(p), ".csv"):
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			ms, rejected, err := yaml.ReadMessagesCSV(f, p)
			f.Close()
			if err != nil {
				return nil, err
			}
			errs = append(errs, rejected...)
			out = append(out, ms...)
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			m, err := yaml.ParseMessage(p, data)
			if err != nil {
				var list saydo.ErrorList
				if errors.As(err, &list) {
					errs = append(errs, list...)
					continue
				}
				return nil, err
			}
			out = append(out, m)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// lintMessages reviews messages with the workspace's style rules.
func lintMessages(ws *saydo.Workspace, dir string, ms []saydo.Message) (*lintRun, error) {
	rules, err := yaml.LoadStyle(dir)
	if err != nil {
		return nil, err
	}
	// The journey checks (a reminder in the department?) look at the
	// whole catalogue, not only the files named.
	catalogue := append([]saydo.Message(nil), ms...)
	if all, err := yaml.LoadMessages(filepath.Join(dir, "messages")); err == nil || isPosErrors(err) {
		catalogue = append(catalogue, all...)
	}
	l, err := lint.New(ws, rules, lint.Options{Catalogue: catalogue})
	if err != nil {
		return nil, err
	}
	wd, _ := os.Getwd()
	for i := range ms {
		ms[i].Path = relPath(wd, ms[i].Path)
	}
	return &lintRun{messages: ms, findings: l.LintAll(ms)}, nil
}

// relPath shows a path relative to the working directory wd when it is
// below it.
func relPath(wd, p string) string {
	if wd == "" || !filepath.IsAbs(p) {
		return filepath.ToSlash(p)
	}
	if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

func writeLintJSON(w io.Writer, run *lintRun) error {
	// One finding per line, streamed: indenting a catalogue's tens of
	// thousands of findings as one document took longer than linting them.
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "{\"messages\": %d,\n \"findings\": [", len(run.messages))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	first := true
	for _, fs := range run.findings {
		for i := range fs {
			if first {
				bw.WriteString("\n  ")
				first = false
			} else {
				bw.WriteString(",\n  ")
			}
			buf.Reset()
			if err := enc.Encode(&fs[i]); err != nil {
				return err
			}
			bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// writeLintText prints findings like a compiler, with the excerpt, the
// match underlined and the suggestion, then a summary line.
func writeLintText(w io.Writer, run *lintRun) error {
	bodyLines := func(m *saydo.Message) []string { return strings.Split(m.Body, "\n") }
	for i := range run.messages {
		m := &run.messages[i]
		lines := bodyLines(m)
		for _, f := range run.findings[i] {
			fmt.Fprintf(w, "%s:%d:%d: %s %s: %s\n", f.Path, f.Line, f.Column, f.Level, f.Rule, f.Text)
			bl := max(m.BodyLine, 1)
			if k := f.Line - bl; k >= 0 && k < len(lines) && f.Match != "" {
				excerpt, under := underline(lines[k], f.Column, f.Match)
				fmt.Fprintf(w, "    %s\n    %s\n", excerpt, under)
			}
			if f.Suggestion != "" {
				fmt.Fprintf(w, "    suggestion: %s\n", f.Suggestion)
			}
		}
	}
	errs, warns, suggs := run.count(saydo.LevelError), run.count(saydo.LevelWarning), run.count(saydo.LevelSuggestion)
	with := 0
	for _, fs := range run.findings {
		for _, f := range fs {
			if f.Level == saydo.LevelError {
				with++
				break
			}
		}
	}
	if errs+warns+suggs > 0 {
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintf(w, "%d %s reviewed: %d %s, %d %s, %d %s; %d %s with errors\n",
		len(run.messages), plural(len(run.messages), "message", "messages"),
		errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"),
		suggs, plural(suggs, "suggestion", "suggestions"), with, plural(with, "message", "messages"))
	return err
}

// underline returns the line (cut around the match when long) and a line
// of ^ under the match, the first line of it for multi-line matches.
func underline(line string, col int, match string) (string, string) {
	match, _, _ = strings.Cut(match, "\n")
	runes := []rune(strings.ReplaceAll(line, "\t", " "))
	start := col - 1
	n := utf8.RuneCountInString(match)
	if start < 0 || start > len(runes) {
		return string(runes), ""
	}
	n = max(1, min(n, len(runes)-start))
	const width = 100
	from, to := 0, len(runes)
	prefix, suffix := "", ""
	if len(runes) > width {
		from = max(0, start-30)
		to = min(len(runes), max(from+width, start+n+10))
		if from > 0 {
			prefix = "…"
		}
		if to < len(runes) {
			suffix = "…"
		}
	}
	excerpt := prefix + string(runes[from:to]) + suffix
	pad := utf8.RuneCountInString(prefix) + start - from
	return excerpt, strings.Repeat(" ", pad) + strings.Repeat("^", n)
}

// lintSummary reviews the messages in dir (default the workspace's
// messages/) and returns a summary a marketing lead can read: messages
// with errors first, each with the rules it breaks, then the rules most
// often broken; errs counts error-level findings.
func lintSummary(ws *saydo.Workspace, dir string) (summary string, errs int, err error) {
	if dir == "" {
		dir = filepath.Join(ws.Dir, yaml.MessagesDir)
	}
	ms, err := yaml.LoadMessages(dir)
	if err != nil {
		return "", 0, err
	}
	run, err := lintMessages(ws, ws.Dir, ms)
	if err != nil {
		return "", 0, err
	}
	var b strings.Builder
	errs = run.count(saydo.LevelError)
	type row struct {
		id, where   string
		errs, warns int
		rules       []string
	}
	var rows []row
	byRule := map[string][2]int{}
	clean := 0
	for i, fs := range run.findings {
		m := &run.messages[i]
		r := row{id: m.ID, where: strings.Trim(m.Department+", "+m.Channel, ", ")}
		seen := map[string]bool{}
		for _, f := range fs {
			c := byRule[f.Rule]
			switch f.Level {
			case saydo.LevelError:
				r.errs++
				c[0]++
			case saydo.LevelWarning:
				r.warns++
				c[1]++
			default:
				continue
			}
			byRule[f.Rule] = c
			if !seen[f.Rule] {
				seen[f.Rule] = true
				r.rules = append(r.rules, strings.TrimPrefix(f.Rule, "saydo."))
			}
		}
		if r.errs+r.warns == 0 {
			clean++
			continue
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].errs != rows[j].errs {
			return rows[i].errs > rows[j].errs
		}
		return rows[i].warns > rows[j].warns
	})
	withErrs := 0
	for _, r := range rows {
		if r.errs > 0 {
			withErrs++
		}
	}
	fmt.Fprintf(&b, "Message review: %d %s, %d with errors, %d with warnings only, %d clean\n",
		len(run.messages), plural(len(run.messages), "message", "messages"), withErrs, len(rows)-withErrs, clean)
	for _, r := range rows {
		mark := "!"
		if r.errs > 0 {
			mark = "✗"
		}
		counts := fmt.Sprintf("%d %s", r.errs, plural(r.errs, "error", "errors"))
		if r.errs == 0 {
			counts = fmt.Sprintf("%d %s", r.warns, plural(r.warns, "warning", "warnings"))
		}
		fmt.Fprintf(&b, "  %s %-28s %-22s %-10s %s\n", mark, r.id, r.where, counts, strings.Join(r.rules, ", "))
	}
	if len(byRule) > 0 {
		ids := make([]string, 0, len(byRule))
		for id := range byRule {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool {
			a, c := byRule[ids[i]], byRule[ids[j]]
			if a[0]+a[1] != c[0]+c[1] {
				return a[0]+a[1] > c[0]+c[1] // most findings first
			}
			if a[0] != c[0] {
				return a[0] > c[0]
			}
			return ids[i] < ids[j]
		})
		var parts []string
		for _, id := range ids {
			c := byRule[id]
			parts = append(parts, fmt.Sprintf("%s %d", strings.TrimPrefix(id, "saydo."), c[0]+c[1]))
		}
		fmt.Fprintf(&b, "  Most broken rules: %s\n", strings.Join(parts, ", "))
		fmt.Fprintf(&b, "  Details: saydo lint --workspace %s\n", ws.Dir)
	}
	return b.String(), errs, nil
}
