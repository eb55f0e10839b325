package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// benchSegments measures what per-segment summaries (issue 8) cost, against
// a baseline binary built from another revision in the same run:
//
//	go run ./bench segments --rows 10000000 --baseline main
//
// It generates observations of 20 metrics with three low-cardinality
// attributes (region: 5 values, channel: 4, plan: 3), imports them into a
// fresh store with each binary (best of --runs), and times `saydo gap` as a
// whole process over the result (best of 5, after a warm-up): the
// baseline's gap computes no broken segments, the current one does.
func benchSegments(bin, work string, n int, baseline string, runs int) {
	var base string
	if baseline != "" {
		base = buildRevision(work, baseline)
	}
	csvPath := filepath.Join(work, fmt.Sprintf("seg-%d.csv", n))
	generateSegments(csvPath, n)
	fi, _ := os.Stat(csvPath)
	fmt.Printf("segments: %s rows (%.0f MB CSV), 20 promises, attributes region (5 values), channel (4), plan (3); shared machine, best of %d\n",
		group(n), float64(fi.Size())/1e6, runs)
	type result struct{ ingest, gap measure }
	run := func(name, b string) result {
		ws := filepath.Join(work, "seg-ws-"+name)
		var best measure
		for i := range runs {
			os.RemoveAll(ws)
			workspace(ws)
			m := timed(b, "ingest", "observations", csvPath, "--workspace", ws, "--quiet")
			if i == 0 || m.wall < best.wall {
				best = m
			}
		}
		timed(b, "gap", "--workspace", ws, "--format", "json", "--voice=false") // refresh, warm the page cache
		var g measure
		for i := range 5 {
			m := timed(b, "gap", "--workspace", ws, "--format", "json", "--voice=false")
			if i == 0 || m.wall < g.wall {
				g = m
			}
		}
		return result{best, g}
	}
	var b result
	if baseline != "" {
		b = run("baseline", base)
	}
	c := run("current", bin)
	line := func(label string, m measure, ref measure) {
		ratio := ""
		if ref.wall > 0 {
			ratio = fmt.Sprintf("   %.3f× the baseline (%+.1f%%)", m.wall.Seconds()/ref.wall.Seconds(), 100*(m.wall.Seconds()/ref.wall.Seconds()-1))
		}
		fmt.Printf("  %-44s %8.3fs %8.0f MiB peak%s\n", label, m.wall.Seconds(), float64(m.maxRSS)/(1<<20), ratio)
	}
	if baseline != "" {
		line("ingest, baseline "+baseline, b.ingest, measure{})
	}
	line("ingest, with per-segment summaries", c.ingest, b.ingest)
	if baseline != "" {
		line("gap (whole process), baseline "+baseline, b.gap, measure{})
	}
	line("gap (whole process), with broken_segments", c.gap, b.gap)
}

// generateSegments writes n observations spread over 2025 in time order,
// with three low-cardinality attributes.
func generateSegments(path string, n int) {
	f, err := os.Create(path)
	must(err)
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("metric,value,at,region,channel,plan\n")
	r := rand.New(rand.NewPCG(3, 4))
	regions := []string{"north", "south", "east", "west", "capital"}
	channels := []string{"phone", "app", "web", "shop"}
	plans := []string{"basic", "plus", "unlimited"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	step := float64(365*24*3600) / float64(n)
	var buf []byte
	for i := range n {
		buf = buf[:0]
		m := r.IntN(promises)
		buf = append(buf, 'm', byte('0'+m/10), byte('0'+m%10), ',')
		region := r.IntN(len(regions))
		v := r.ExpFloat64() * 70
		if region == 1 {
			v *= 1.6 // the south waits longer: a segment to find
		}
		buf = strconv.AppendInt(buf, int64(v), 10)
		buf = append(buf, ',')
		buf = time.Unix(start+int64(float64(i)*step), 0).UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, ',')
		buf = append(buf, regions[region]...)
		buf = append(buf, ',')
		buf = append(buf, channels[r.IntN(len(channels))]...)
		buf = append(buf, ',')
		buf = append(buf, plans[r.IntN(len(plans))]...)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	must(w.Flush())
	must(f.Close())
}
