package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/demo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/yaml"
)

var demoCommand = &command{
	name:  "demo",
	args:  "[--dir DIR] [--scale X] [--serve ADDR]",
	short: "write a demo company's workspace and a year of evidence, import it, print the report",
	help: `Nordtel, a fictional telecom, grew fast on bold marketing. The demo writes its
workspace (promises, departments, canned messages) and a year of evidence —
over a million observations and thousands of customer comments in English and
Romanian — imports it into DIR/.saydo/saydo.db and prints the gap report.

The story to look for: a summer campaign doubles call volume and the call
promises break; a September fix narrows the installation gap; bills are simply
right all year; technicians are on time in the north but not in the south.

Examples:
  saydo demo                      write ./saydo-demo and report on it
  saydo demo --dir /tmp/nordtel   somewhere else
  saydo demo --scale 0.1          a tenth of the data, for a quick look
  cd saydo-demo && saydo gap --promise technician-on-time --by region`,
	flags: func(fs *flag.FlagSet, o options) {
		// The demo's files need none of the importer's options: they keep
		// their defaults, and --help shows only what the demo takes.
		ingestCommand.flags(flag.NewFlagSet("ingest", flag.ContinueOnError), o)
		o.defBool(fs, "quiet", false, "no progress on the terminal")
		o.defStr(fs, "dir", "saydo-demo", "write the demo workspace into `DIR`")
		o.defStr(fs, "scale", "1", "multiply the volume of evidence by `X`")
		o.defStr(fs, "serve", "", "then serve the dashboard on `ADDR` (127.0.0.1:8080) with a demo login")
	},
	run: runDemo,
}

func runDemo(ctx context.Context, e *env, o options, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
	}
	start := time.Now()
	dir := o.str("dir")
	var scale float64
	if _, err := fmt.Sscan(o.str("scale"), &scale); err != nil || scale <= 0 || scale > 100 {
		return usageError{fmt.Sprintf("--scale %q: want a number in (0, 100]", o.str("scale"))}
	}
	if err := checkDemoDir(dir); err != nil {
		return err
	}
	w, err := demo.Write(demo.Options{Dir: dir, Scale: scale})
	if err != nil {
		return fmt.Errorf("write demo: %w", err)
	}
	if err := writeDemoManifest(dir); err != nil {
		return fmt.Errorf("write demo: %w", err)
	}
	fmt.Fprintf(e.stdout, "Wrote Nordtel's workspace to %s: saydo.yaml, %d messages, %s observations, %s feedback items, %s surveys and churn events.\n\n",
		dir, len(w.Messages), thousands(w.ObservationRows), thousands(w.FeedbackRows), thousands(w.SurveyRows))

	*o["workspace"].(*string) = dir
	ws, err := yaml.LoadWorkspace(dir)
	if err != nil {
		printPosErrors(e.stderr, err)
		return fmt.Errorf("the demo workspace does not load (a bug): %w", err)
	}
	st, err := openStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()

	// The demo's world is as of the day after its data end: a year of
	// evidence that ends in the future of the machine's clock is not
	// "more than a day ahead" there.
	if end := demoEnd(w); end.After(e.now()) {
		clock := *e
		clock.now = func() time.Time { return end }
		e = &clock
	}
	opts, err := ingestOptions(e, o)
	if err != nil {
		return usageError{err.Error()}
	}
	r, err := ingestFile(e, o, w.Observations, opts, observationImporter(ctx, st, ws))
	if err != nil {
		return fmt.Errorf("import %s: %w", w.Observations, err)
	}
	printIngestResult(e.stdout, rel(w.Observations), r.IngestResult, r.rejectsPath)
	// Every file is imported before the report, so the report printed
	// here is the one saydo gap prints in the workspace afterwards (the
	// journey customers' complaints and answers count in what a miss
	// costs).
	feedback := []string{w.Feedback, w.Surveys}
	if w.JourneyFeedback != "" {
		feedback = append(feedback, w.JourneyFeedback)
	}
	if err := ingestFeedback(ctx, e, o, feedback); err != nil {
		fmt.Fprintf(e.stdout, "feedback: not imported: %v\n", err)
	}
	rep, err := ledger.GapReport(ctx, st, ws, ledger.GapQuery{}, e.now()) // refreshes summaries first
	if err != nil {
		return err
	}
	attachVoice(ctx, st, ws, ledger.GapQuery{}, rep)
	fmt.Fprintln(e.stdout)
	writeGapTable(e.stdout, ws, rep)
	if summary, _, err := lintSummary(ws, ""); err != nil {
		fmt.Fprintf(e.stdout, "\n(message review failed: %v)\n", err)
	} else {
		fmt.Fprintf(e.stdout, "\n%s", summary)
	}
	for _, s := range demoSections {
		fmt.Fprintln(e.stdout)
		if err := s(ctx, e, o, ws, st); err != nil {
			fmt.Fprintf(e.stdout, "(%v)\n", err)
		}
	}
	fmt.Fprintf(e.stdout, "\nDone in %.1fs. Explore it:\n", time.Since(start).Seconds())
	fmt.Fprintf(e.stdout, "  cd %s\n", dir)
	fmt.Fprintln(e.stdout, "  saydo gap --period month                            the year month by month")
	fmt.Fprintln(e.stdout, "  saydo gap --promise technician-on-time --by region  where the promise breaks")
	fmt.Fprintln(e.stdout, "  saydo gap --format json                             for scripts")
	if addr := o.str("serve"); addr != "" { // the dashboard: serve.go
		return serveDemo(ctx, e, o, ws, st, addr)
	}
	return nil
}

// demoSections print after the demo's gap report (message review, voice of
// the customer); each feature adds its own from an init function.
var demoSections []func(ctx context.Context, e *env, o options, ws *saydo.Workspace, st saydo.Store) error

func rel(path string) string {
	if r, err := filepath.Rel(".", path); err == nil {
		return r
	}
	return path
}

// demoEnd is the demo's "now": the end of its last day of data.
func demoEnd(w *demo.Written) time.Time { return w.Last.AddDate(0, 0, 1) }

// demoManifest lists the files saydo demo wrote by hand-editable kind
// (saydo.yaml, style/, messages/) with their SHA-256, so a second run can
// tell a pristine demo, which it may rewrite, from one the user has edited.
const demoManifest = ".saydo/demo-files.sha256"

// demoFiles returns the hand-editable files of a workspace, relative, sorted.
func demoFiles(dir string) ([]string, error) {
	var out []string
	if _, err := os.Stat(filepath.Join(dir, yaml.FileName)); err == nil {
		out = append(out, yaml.FileName)
	}
	for _, sub := range []string{yaml.StyleDir, yaml.MessagesDir} {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if !d.IsDir() {
				rel, _ := filepath.Rel(dir, path)
				out = append(out, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

func fileSum(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

func writeDemoManifest(dir string) error {
	files, err := demoFiles(dir)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, f := range files {
		sum, err := fileSum(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, f)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".saydo"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoManifest), []byte(b.String()), 0o644)
}

// checkDemoDir refuses to write the demo over a workspace the user has
// edited: a folder with a saydo.yaml, style rules or messages that saydo
// demo did not write, or changed since.
func checkDemoDir(dir string) error {
	files, err := demoFiles(dir)
	if err != nil || len(files) == 0 {
		return err
	}
	afresh := fmt.Sprintf("to start afresh, remove it (rm -rf %s) or write the demo elsewhere (saydo demo --dir OTHER)", dir)
	data, err := os.ReadFile(filepath.Join(dir, demoManifest))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s already holds a workspace that saydo demo did not write (%s); not overwriting it: %s", dir, files[0], afresh)
	}
	if err != nil {
		return err
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if sum, name, ok := strings.Cut(line, "  "); ok {
			want[name] = sum
		}
	}
	for _, f := range files {
		sum, err := fileSum(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		if w, ok := want[f]; !ok || w != sum {
			what := "edited"
			if !ok {
				what = "added"
			}
			return fmt.Errorf("%s has been edited since saydo demo wrote it (%s %s); not overwriting your changes: %s", dir, f, what, afresh)
		}
	}
	return nil
}
