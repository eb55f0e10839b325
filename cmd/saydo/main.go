// Command saydo closes the say–do gap: it keeps a company's promises to
// customers as code, imports evidence of what customers got, and reports per
// promise how far delivery falls short, whether the gap is narrowing or
// widening, what customers say, and whether every canned message is fit to
// send.
//
// Exit status: 0 success, 1 the command ran and found problems (lint errors,
// rejected rows, an invalid workspace), 2 it could not run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/postgres"
	"github.com/saydo/saydo/sqlite"
	"golang.org/x/term"
)

// command is one subcommand of saydo.
type command struct {
	name  string
	args  string // synopsis of arguments after the name
	short string // one line for the command list
	// help teaches by example; printed by --help after the flags.
	help string
	// flags registers the command's own flags on fs; may be nil.
	flags func(fs *flag.FlagSet, o options)
	run   func(ctx context.Context, e *env, o options, args []string) error
}

// options holds every flag value; each command reads the ones it declared.
type options map[string]any

func (o options) str(name string) string    { return *o[name].(*string) }
func (o options) boolean(name string) bool  { return *o[name].(*bool) }
func (o options) integer(name string) int   { return *o[name].(*int) }
func (o options) list(name string) []string { return *o[name].(*listFlag) }
func (o options) defStr(fs *flag.FlagSet, name, value, usage string) {
	o[name] = fs.String(name, value, usage)
}
func (o options) defBool(fs *flag.FlagSet, name string, value bool, usage string) {
	o[name] = fs.Bool(name, value, usage)
}
func (o options) defInt(fs *flag.FlagSet, name string, value int, usage string) {
	o[name] = fs.Int(name, value, usage)
}
func (o options) defList(fs *flag.FlagSet, name, usage string) {
	l := new(listFlag)
	fs.Var(l, name, usage)
	o[name] = l
}

// listFlag is a flag that may be repeated: --map text=body --map at=created.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// interactive is true when stderr is a terminal: progress bars and
	// colour are shown only then.
	interactive bool
	getenv      func(string) string
	// now is the clock; tests fix it so reports are reproducible.
	now func() time.Time
}

// problemsError marks an error meaning "the command ran and found
// problems": exit status 1. Every other error is exit status 2.
type problemsError struct{ err error }

func (e problemsError) Error() string { return e.err.Error() }
func (e problemsError) Unwrap() error { return e.err }

// problems wraps err so that it exits with status 1.
func problems(format string, a ...any) error { return problemsError{fmt.Errorf(format, a...)} }

// usageError is a bad invocation: the command's usage is printed with it.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commandList returns every subcommand in the order --help lists them.
func commandList() []*command {
	cs := []*command{demoCommand, initCommand, checkCommand, ingestCommand, gapCommand}
	cs = append(cs, extraCommands...)
	sort.SliceStable(cs, func(i, j int) bool { return order(cs[i].name) < order(cs[j].name) })
	return cs
}

// extraCommands is extended from the init functions of subcommand files
// (lint, voice, serve, user, token), so each lives in its own file.
var extraCommands []*command

func order(name string) int {
	for i, n := range []string{"demo", "init", "check", "ingest", "gap", "voice", "journeys", "lint", "serve", "user", "token", "store"} {
		if n == name {
			return i
		}
	}
	return 100
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		interactive: term.IsTerminal(int(os.Stderr.Fd())),
		getenv:      os.Getenv,
		now:         time.Now,
	}
	// A store of an earlier version is brought up to date when opened:
	// say so before a long silence.
	upgrading := func(pending []string) {
		fmt.Fprintf(os.Stderr, "saydo: upgrading the store to this version (%s): once; a large store takes a while\n", strings.Join(pending, ", "))
	}
	sqlite.OnUpgrade, postgres.OnUpgrade = upgrading, upgrading
	// SAYDO_CPUPROFILE=FILE writes a CPU profile of the command, for
	// reports of slowness (go tool pprof FILE).
	if path := os.Getenv("SAYDO_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	code := run(ctx, e, os.Args[1:])
	pprof.StopCPUProfile()
	stop()
	os.Exit(code)
}

// run executes saydo with args and returns the exit status.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			return run(ctx, e, []string{args[1], "--help"})
		}
		printOverview(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(e.stdout, "saydo", version())
		return 0
	}
	var cmd *command
	for _, c := range commandList() {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(e.stderr, "saydo: unknown command %q%s\nRun 'saydo --help' for the list of commands.\n", args[0], suggest(args[0]))
		return 2
	}
	fs := flag.NewFlagSet("saydo "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := options{}
	o.defStr(fs, "workspace", ".", "the workspace `DIR` holding saydo.yaml")
	o.defStr(fs, "db", "", "the store: a SQLite file path or a postgres://USER@HOST/DB URL (default DIR/.saydo/saydo.db, or $SAYDO_DB)")
	if cmd.flags != nil {
		cmd.flags(fs, o)
	}
	rest, err := parseInterspersed(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(e.stdout, cmd, fs)
		return 0
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "saydo %s: %v\nRun 'saydo %s --help' for usage.\n", cmd.name, err, cmd.name)
		return 2
	}
	err = cmd.run(ctx, e, o, rest)
	var ue usageError
	var pe problemsError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "saydo %s: %s\nUsage: %s\nRun 'saydo %s --help' for examples.\n", cmd.name, ue.msg, usageLine(cmd), cmd.name)
		return 2
	case errors.As(err, &pe):
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(e.stderr, "saydo %s: %s\n", cmd.name, msg)
		}
		return 1
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(e.stderr, "saydo %s: interrupted: %v\n", cmd.name, err)
		return 2
	default:
		fmt.Fprintf(e.stderr, "saydo %s: %v\n", cmd.name, err)
		return 2
	}
}

// parseInterspersed parses flags that may come before or after positional
// arguments, as users type them: saydo ingest observations a.csv --strict.
// A lone "-" is an argument (stdin); "--" ends flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

func printOverview(w io.Writer) {
	fmt.Fprint(w, `saydo closes the gap between what a company promises customers and what they get.

Usage: saydo COMMAND [flags] [arguments]

Commands:
`)
	for _, c := range commandList() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, `
Global flags (every command):
  --workspace DIR   the workspace holding saydo.yaml (default .)
  --db DSN          the store: a SQLite file (default DIR/.saydo/saydo.db) or
                    postgres://USER@HOST:PORT/DB?search_path=SCHEMA (also $SAYDO_DB)

Start here:
  saydo demo                    a fictional telecom's year, imported and reported
  saydo init mycompany          a new workspace with commented examples

Exit status: 0 success, 1 problems found (lint errors, rejected rows,
invalid workspace), 2 could not run. 'saydo COMMAND --help' teaches each command.
`)
}

func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", usageLine(c), c.short)
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.help))
	}
}

func suggest(name string) string {
	var names []string
	for _, c := range commandList() {
		names = append(names, c.name)
	}
	if best := saydo.Suggest(name, names); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// workspaceDir returns the absolute workspace directory.
func workspaceDir(o options) string {
	d, err := filepath.Abs(o.str("workspace"))
	if err != nil {
		return o.str("workspace")
	}
	return d
}

// dbPath returns the store DSN: --db, then $SAYDO_DB, then DIR/.saydo/saydo.db.
func dbPath(e *env, o options) string {
	if d := o.str("db"); d != "" {
		return d
	}
	if d := e.getenv("SAYDO_DB"); d != "" {
		return d
	}
	return filepath.Join(workspaceDir(o), ".saydo", "saydo.db")
}

// usageLine is "saydo NAME ARGS", without a trailing space when the
// command takes no arguments.
func usageLine(c *command) string { return strings.TrimSpace("saydo " + c.name + " " + c.args) }
