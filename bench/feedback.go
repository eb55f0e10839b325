package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/jonreiter/govader"
	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/voice"
	"github.com/saydo/saydo/yaml"
)

// feedbackRun is one size's import, kept to compare sizes.
type feedbackRun struct {
	n   int
	ing measure
}

// benchFeedback measures 'saydo ingest feedback' as a user runs it: one
// whole process importing n generated items (the Nordtel demo's comments
// and survey answers, English and Romanian, new ids and times over a
// year) into a new store, in items/s of wall time and CPU time per item;
// next to, in the same run, govader's sentiment alone over the same texts
// and saydo's analysis alone (language, sentiment, anger, effort,
// promises), each on one goroutine. Several sizes compare the import's
// growth: --rows 200000,2000000.
//
// With --baseline REV, a build of REV imports the same file into its own
// new store right after, and its figures are printed below.
func benchFeedback(bin, work string, n int, prev []feedbackRun, baseline, baselineBin string) feedbackRun {
	demo := filepath.Join(work, "demo")
	if _, err := os.Stat(filepath.Join(demo, "saydo.yaml")); err != nil {
		timed(bin, "demo", "--dir", demo)
	}
	ws := filepath.Join(work, fmt.Sprintf("feedback-%d", n))
	must(os.RemoveAll(ws))
	must(os.MkdirAll(ws, 0o755))
	yml, err := os.ReadFile(filepath.Join(demo, "saydo.yaml"))
	must(err)
	must(os.WriteFile(filepath.Join(ws, "saydo.yaml"), yml, 0o644))
	csvPath := filepath.Join(work, fmt.Sprintf("feedback-%d.csv", n))
	generateFeedback(filepath.Join(demo, "data", "feedback.csv"), csvPath, n)
	texts := feedbackTexts(csvPath, min(n, 200000))

	ing := timed(bin, "ingest", "feedback", csvPath, "--workspace", ws, "--quiet")
	var base measure
	if baselineBin != "" {
		bws := ws + "-baseline"
		must(os.RemoveAll(bws))
		must(os.MkdirAll(bws, 0o755))
		must(os.WriteFile(filepath.Join(bws, "saydo.yaml"), yml, 0o644))
		base = timed(baselineBin, "ingest", "feedback", csvPath, "--workspace", bws, "--quiet")
	}
	os.Remove(csvPath)

	// The baselines, in this process, on the same texts.
	sia := govader.NewSentimentIntensityAnalyzer()
	gv := rate(len(texts), func(i int) { sia.PolarityScores(texts[i]) })
	w, err := yaml.LoadWorkspace(ws)
	must(err)
	an := voice.New(w.Promises, ledger.VoiceOptions(w))
	sd := rate(len(texts), func(i int) {
		f := saydo.Feedback{Text: texts[i]}
		an.AnalyzeFeedback(&f)
	})

	perItem := func(m measure, n int) float64 { return float64(m.cpu.Microseconds()) / float64(n) }
	fmt.Printf("feedback import, %s items: %s items/s whole process (%.1f s wall, %.1f s CPU = %.1f µs/item, %.0f MiB peak); "+
		"same run, one goroutine: govader sentiment alone %s items/s, saydo analysis alone %s items/s\n",
		group(n), group(int(float64(n)/ing.wall.Seconds())), ing.wall.Seconds(), ing.cpu.Seconds(), perItem(ing, n),
		float64(ing.maxRSS)/(1<<20), group(int(gv)), group(int(sd)))
	if baselineBin != "" {
		fmt.Printf("  same file, baseline %s: %s items/s whole process (%.1f s wall, %.1f s CPU = %.1f µs/item); this build takes %.2f× its CPU time (load average %s)\n",
			baseline, group(int(float64(n)/base.wall.Seconds())), base.wall.Seconds(), base.cpu.Seconds(), perItem(base, n),
			ing.cpu.Seconds()/base.cpu.Seconds(), loadAverage())
	}
	for _, p := range prev {
		fmt.Printf("  %s items against %s: %.1f× the items, %.1f× the wall time, %.2f× the CPU time per item\n",
			group(n), group(p.n), float64(n)/float64(p.n), ing.wall.Seconds()/p.ing.wall.Seconds(), perItem(ing, n)/perItem(p.ing, p.n))
	}
	return feedbackRun{n, ing}
}

// feedbackTexts reads up to max texts of a generated feedback file.
func feedbackTexts(path string, max int) []string {
	f, err := os.Open(path)
	must(err)
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	must(err)
	col := -1
	for i, h := range header {
		if h == "text" {
			col = i
		}
	}
	if col < 0 {
		fatal(fmt.Errorf("%s: no text column", path))
	}
	var out []string
	for len(out) < max {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		must(err)
		if rec[col] != "" {
			out = append(out, rec[col])
		}
	}
	return out
}

// rate calls fn for 0..n-1, then again until at least a second passed,
// and returns calls per second.
func rate(n int, fn func(i int)) float64 {
	calls := 0
	start := time.Now()
	for time.Since(start) < time.Second || calls < n {
		fn(calls % n)
		calls++
	}
	return float64(calls) / math.Max(time.Since(start).Seconds(), 1e-9)
}
