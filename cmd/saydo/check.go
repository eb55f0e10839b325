package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/lint"
	"github.com/saydo/saydo/yaml"
)

var checkCommand = &command{
	name:  "check",
	args:  "",
	short: "validate the whole workspace: saydo.yaml, style rules, messages; errors as file:line:col: message",
	help: `Checks everything in the workspace that a person writes by hand:

  saydo.yaml     company, departments, metrics, promises (keys, ids, objectives, dates)
  style/*.yaml   brand-voice rules (keys, levels, patterns)
  messages/**    every message's front matter: readable, a known department,
                 every {{variable}} of the body declared, no broken braces

Examples:
  saydo check                      validate the workspace in this folder
  saydo check --workspace nordtel  validate another workspace

Every problem is reported, not just the first, as file:line:col: message with
the offending line shown. Exit status 1 when there is any error: run it in CI
so a broken promise ledger or message never lands. (The tone and wording of
messages is saydo lint's job; check only says whether the files are valid.)`,
	run: func(ctx context.Context, e *env, o options, args []string) error {
		if len(args) > 0 {
			return usageError{"check takes no arguments; use --workspace DIR"}
		}
		ws, err := loadWorkspace(e, o)
		if err != nil {
			return err
		}
		base := filepath.Clean(o.str("workspace"))
		var errs saydo.ErrorList
		collect := func(err error) error {
			var list saydo.ErrorList
			var pe *saydo.PosError
			switch {
			case err == nil:
			case errors.As(err, &list):
				errs = append(errs, list...)
			case errors.As(err, &pe):
				errs = append(errs, pe)
			default:
				return err
			}
			return nil
		}
		rules, err := yaml.LoadStyle(base)
		if err := collect(err); err != nil {
			return err
		}
		ms, broken, err := yaml.LoadMessagesAndBroken(filepath.Join(base, yaml.MessagesDir))
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
		if err := collect(err); err != nil {
			return err
		}
		// Every problem of every file: what could be read of a broken
		// message is checked too.
		errs = append(errs, messageProblems(ws, rules, append(slices.Clone(ms), broken...))...)
		errs.SortByPos()
		if n := len(errs); n > 0 {
			printPosErrors(e.stderr, errs)
			return problems("the workspace has %d %s", n, plural(n, "error", "errors"))
		}
		fmt.Fprintf(e.stdout, "%s: ok — %d %s, %d %s, %d %s; %d style %s; %d %s\n", filepath.Join(o.str("workspace"), "saydo.yaml"),
			len(ws.Promises), plural(len(ws.Promises), "promise", "promises"),
			len(ws.Departments), plural(len(ws.Departments), "department", "departments"),
			len(ws.Metrics()), plural(len(ws.Metrics()), "metric", "metrics"),
			len(rules), plural(len(rules), "rule", "rules"),
			len(ms), plural(len(ms), "message", "messages"))
		return nil
	},
}

// messageProblems checks what a message's front matter says against the
// workspace: its department exists, and the body's placeholders are
// declared and well formed (the linter's saydo.Placeholder findings).
func messageProblems(ws *saydo.Workspace, rules []saydo.Rule, ms []saydo.Message) saydo.ErrorList {
	var out saydo.ErrorList
	var known []string
	for _, d := range ws.Departments {
		known = append(known, d.ID)
	}
	for i := range ms {
		m := &ms[i]
		if m.Department == "" {
			continue
		}
		if _, ok := ws.Department(m.Department); !ok {
			line, col, src := frontMatterKey(m.Path, "department")
			msg := fmt.Sprintf("message %s: unknown department %q", m.ID, m.Department)
			if s := saydo.Suggest(m.Department, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else if len(known) > 0 {
				msg += " (known: " + strings.Join(known, ", ") + ")"
			}
			if line == 0 {
				msg += "; it comes from the message's folder under messages/"
				line, col = 1, 1
			}
			out = append(out, &saydo.PosError{Pos: saydo.Pos{File: m.Path, Line: line, Col: col}, Msg: msg, Source: src})
		}
	}
	l, err := lint.New(ws, rules, lint.Options{})
	if err != nil {
		return out
	}
	for _, fs := range l.LintAll(ms) {
		for _, f := range fs {
			if f.Rule != saydo.RulePlaceholder {
				continue
			}
			out = append(out, &saydo.PosError{Pos: saydo.Pos{File: f.Path, Line: f.Line, Col: f.Column},
				Msg: fmt.Sprintf("message %s: %s", f.Message, f.Text), Source: sourceLine(f.Path, f.Line)})
		}
	}
	return out
}

// frontMatterKey finds key: in the front matter of the file at path and
// returns its line, the column of its value and the line's text; 0 when
// the file has no such line.
func frontMatterKey(path, key string) (line, col int, src string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, ""
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) == 0 || strings.TrimSpace(strings.TrimPrefix(lines[0], "\ufeff")) != "---" {
		return 0, 0, ""
	}
	for i := 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(l) == "---" {
			break
		}
		if rest, ok := strings.CutPrefix(l, key+":"); ok {
			return i + 1, len(key) + 2 + len(rest) - len(strings.TrimLeft(rest, " ")), l
		}
	}
	return 0, 0, ""
}

func sourceLine(path string, line int) string {
	data, err := os.ReadFile(path)
	if err != nil || line < 1 {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	if line > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[line-1], "\r")
}
