package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// benchVoice measures the voice of the customer as a user meets it, at
// each size: 'saydo ingest feedback' (items/s, whole process), then
// 'saydo voice' and 'saydo gap' as whole processes (best of 3), next to
// the process start alone; and the one-time cost of a promise's wording
// changing (every item analysed again). Items are the Nordtel demo's
// comments (English and Romanian) with new ids and times over one year.
// Run several sizes in one go to compare: --rows 200000,2000000. With
// --baseline REV, a build of REV does the same on the same file right
// after, and its line is printed below (e.g. 219283b, main before the
// stored mapping self-trained).
func benchVoice(bin, work string, n int, baseline, baselineBin string) {
	demo := filepath.Join(work, "demo")
	if _, err := os.Stat(filepath.Join(demo, "saydo.yaml")); err != nil {
		timed(bin, "demo", "--dir", demo)
	}
	csvPath := filepath.Join(work, fmt.Sprintf("feedback-%d.csv", n))
	generateFeedback(filepath.Join(demo, "data", "feedback.csv"), csvPath, n)
	defer os.Remove(csvPath)
	fmt.Printf("load average %s\n", loadAverage())
	voiceRun(bin, "this build", work, csvPath, n)
	if baselineBin != "" {
		voiceRun(baselineBin, "baseline "+baseline, work, csvPath, n)
	}
}

// voiceRun is benchVoice with one binary on a generated file.
func voiceRun(bin, label, work, csvPath string, n int) {
	demo := filepath.Join(work, "demo")
	ws := filepath.Join(work, fmt.Sprintf("voice-%d-%s", n, strings.NewReplacer(" ", "_", "/", "_").Replace(label)))
	must(os.RemoveAll(ws))
	must(os.MkdirAll(ws, 0o755))
	yml, err := os.ReadFile(filepath.Join(demo, "saydo.yaml"))
	must(err)
	must(os.WriteFile(filepath.Join(ws, "saydo.yaml"), yml, 0o644))
	ing := timed(bin, "ingest", "feedback", csvPath, "--workspace", ws, "--quiet")
	v := timed(bin, "version")
	best := func(args ...string) measure {
		var b measure
		for i := range 3 {
			m := timed(bin, append(args, "--workspace", ws)...)
			if i == 0 || m.wall < b.wall {
				b = m
			}
		}
		return b
	}
	voice := best("voice", "--format", "json")
	gap := best("gap", "--format", "json")
	// The one-time rebuild after a promise's wording changes.
	must(os.WriteFile(filepath.Join(ws, "saydo.yaml"), []byte(strings.Replace(string(yml), "voice:", "voice:\n      de: [\"bench phrase\"]", 1)), 0o644))
	rebuild := timed(bin, "voice", "--format", "json", "--workspace", ws)
	ms := func(m measure) string { return fmt.Sprintf("%.0f ms", float64(m.wall.Microseconds())/1000) }
	fmt.Printf("%s: voice over %s feedback items: ingest %s items/s (%.1f s, %.1f CPU-s, %.0f MiB peak); voice %s; gap %s; process start alone %s; "+
		"after a voice phrase changed, voice %s once, %.1f CPU-s (the mapping learned again, every item mapped again); peak %0.f MiB\n",
		label, group(n), group(int(float64(n)/ing.wall.Seconds())), ing.wall.Seconds(), ing.cpu.Seconds(), float64(ing.maxRSS)/(1<<20),
		ms(voice), ms(gap), ms(v), ms(rebuild), rebuild.cpu.Seconds(), float64(max(voice.maxRSS, rebuild.maxRSS))/(1<<20))
}

// generateFeedback writes n items drawn from the demo's comments, with
// new ids and times spread over the year before now (imports reject times
// in the future).
func generateFeedback(demoCSV, out string, n int) {
	f, err := os.Open(demoCSV)
	must(err)
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	must(err)
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		must(err)
		rows = append(rows, rec)
	}
	o, err := os.Create(out)
	must(err)
	w := csv.NewWriter(o)
	w.Write(header)
	rnd := rand.New(rand.NewPCG(9, 9))
	start := time.Now().UTC().AddDate(-1, 0, 0).Truncate(24 * time.Hour)
	for i := range n {
		rec := append([]string(nil), rows[rnd.IntN(len(rows))]...)
		rec[0] = fmt.Sprintf("b-%08d", i)
		rec[1] = start.Add(time.Duration(float64(365*24*time.Hour) * float64(i) / float64(n))).Format(time.RFC3339)
		w.Write(rec)
	}
	w.Flush()
	must(w.Error())
	must(o.Close())
}
