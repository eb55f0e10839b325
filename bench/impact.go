package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// impactPromises is how many promises (one metric each) share the
// observations of the impact benchmark.
const impactPromises = 4

// benchImpact measures saydo gap with outcome linkage (customers who
// experienced a miss against the others) over n observations of
// `customers` customers with `feedback` feedback items: the per-customer
// outcome is computed at the end of each import and read back by reports.
// The baseline, in the same run, is the same report when the join is done
// at report time (its cached outcomes dropped).
func benchImpact(bin, work string, n, customers, feedback int) {
	ws := filepath.Join(work, fmt.Sprintf("impact-%d", n))
	must(os.MkdirAll(ws, 0o755))
	var b strings.Builder
	b.WriteString("company: Bench\ndepartments:\n  - id: ops\n    name: Operations\npromises:\n")
	for i := range impactPromises {
		fmt.Fprintf(&b, "  - id: p%d\n    says: \"Promise %d\"\n    owner: ops\n    metric: m%d\n    objective: {at_most: 120, share: 0.9}\n    period: week\n", i, i, i)
	}
	b.WriteString("impact:\n  currency: EUR\n  customer_value: {value: 300, source: \"bench\"}\n")
	must(os.WriteFile(filepath.Join(ws, "saydo.yaml"), []byte(b.String()), 0o644))
	db := filepath.Join(ws, ".saydo", "saydo.db")
	obsPath := filepath.Join(work, "impact-obs.csv")
	plainPath := filepath.Join(work, "impact-obs-plain.csv")
	fbPath := filepath.Join(work, "impact-feedback.csv")
	fmt.Printf("impact: %s observations of %s customers, %s feedback items, %d promises (shared machine: compare within a run)\n", group(n), group(customers), group(feedback), impactPromises)
	if _, err := os.Stat(db); err != nil {
		generateLinked(obsPath, plainPath, fbPath, n, customers, feedback)
		// The ingest baseline: the same rows without the customer column,
		// into a workspace of their own (no per-customer state to keep).
		plain := filepath.Join(work, fmt.Sprintf("impact-plain-%d", n))
		must(os.MkdirAll(plain, 0o755))
		must(os.WriteFile(filepath.Join(plain, "saydo.yaml"), []byte(b.String()), 0o644))
		base := timed(bin, "ingest", "observations", plainPath, "--workspace", plain, "--quiet")
		o := timed(bin, "ingest", "observations", obsPath, "--workspace", ws, "--quiet")
		f := timed(bin, "ingest", "feedback", fbPath, "--workspace", ws, "--quiet")
		fmt.Printf("  %-52s %8.2fs %6.0f MiB peak   baseline\n", "ingest observations without customer ids", base.wall.Seconds(), mib(base.maxRSS))
		fmt.Printf("  %-52s %8.2fs %6.0f MiB peak   %.2f× the baseline's time\n", "ingest observations with customer ids (state kept)", o.wall.Seconds(), mib(o.maxRSS), o.wall.Seconds()/base.wall.Seconds())
		fmt.Printf("  %-52s %8.2fs %6.0f MiB peak\n", "ingest feedback (voices rebuilt, outcomes joined)", f.wall.Seconds(), mib(f.maxRSS))
		os.Remove(obsPath)
		os.Remove(plainPath)
		os.Remove(fbPath)
		os.RemoveAll(plain)
	}
	best := func(args ...string) measure {
		var m measure
		for i := range 3 {
			x := timed(bin, args...)
			if i == 0 || x.wall < m.wall {
				m = x
			}
		}
		return m
	}
	timed(bin, "gap", "--workspace", ws, "--format", "json") // warm the page cache
	warm := best("gap", "--workspace", ws, "--format", "json")
	warmNoVoice := best("gap", "--workspace", ws, "--format", "json", "--voice=false")
	// The baseline: drop the cached outcomes and the per-customer state,
	// so the report joins every customer's experiences with their feedback
	// from the raw evidence itself.
	drop := func() {
		timed("sqlite3", db, "DELETE FROM report_cache WHERE name LIKE 'outcome|%' OR name LIKE 'state|%';")
	}
	drop()
	cold := timed(bin, "gap", "--workspace", ws, "--format", "json", "--voice=false")
	drop()
	cold2 := timed(bin, "gap", "--workspace", ws, "--format", "json", "--voice=false")
	if cold2.wall < cold.wall {
		cold = cold2
	}
	v := timed(bin, "version")
	fmt.Printf("  %-52s %8.0f ms %4.0f MiB peak\n", "saydo gap, whole process (state kept at ingest)", ms(warm.wall), mib(warm.maxRSS))
	fmt.Printf("  %-52s %8.0f ms %4.0f MiB peak\n", "saydo gap --voice=false (state kept at ingest)", ms(warmNoVoice.wall), mib(warmNoVoice.maxRSS))
	fmt.Printf("  %-52s %8.0f ms %4.0f MiB peak   baseline\n", "saydo gap --voice=false, joining at report time", ms(cold.wall), mib(cold.maxRSS))
	fmt.Printf("  kept state: %.1f× faster than joining at report time; process start alone %.0f ms\n", cold.wall.Seconds()/warmNoVoice.wall.Seconds(), ms(v.wall))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mib(b int64) float64        { return float64(b) / (1 << 20) }

// generateLinked writes n observations across impactPromises metrics, each
// naming one of `customers` customers (about one in eight misses the
// threshold), and `feedback` feedback items of the same customers: NPS
// answers (lower after a miss is likelier, but the generator does not
// know who missed), complaints and churn events.
func generateLinked(obsPath, plainPath, fbPath string, n, customers, feedback int) {
	f, err := os.Create(obsPath)
	must(err)
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("metric,value,at,customer\n")
	pf, err := os.Create(plainPath)
	must(err)
	pw := bufio.NewWriterSize(pf, 1<<20)
	pw.WriteString("metric,value,at\n")
	r := rand.New(rand.NewPCG(7, 11))
	// A year ending yesterday: saydo rejects evidence from the future.
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(-1, 0, -1).Unix()
	step := float64(365*24*3600) / float64(n)
	var buf []byte
	for i := range n {
		buf = buf[:0]
		buf = append(buf, 'm', byte('0'+r.IntN(impactPromises)), ',')
		buf = strconv.AppendInt(buf, int64(r.ExpFloat64()*60), 10)
		buf = append(buf, ',')
		buf = time.Unix(start+int64(float64(i)*step), 0).UTC().AppendFormat(buf, time.RFC3339)
		pw.Write(buf)
		pw.WriteByte('\n')
		buf = append(buf, ",c"...)
		buf = strconv.AppendInt(buf, int64(r.IntN(customers)), 10)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	must(w.Flush())
	must(f.Close())
	must(pw.Flush())
	must(pf.Close())

	f, err = os.Create(fbPath)
	must(err)
	w = bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id,at,customer,kind,nps,text\n")
	fstep := float64(365*24*3600) / float64(feedback)
	for i := range feedback {
		buf = buf[:0]
		buf = append(buf, 'f')
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, ',')
		buf = time.Unix(start+int64(float64(i)*fstep), 0).UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, ",c"...)
		buf = strconv.AppendInt(buf, int64(r.IntN(customers)), 10)
		switch x := r.Float64(); {
		case x < 0.8:
			buf = append(buf, ",survey,"...)
			buf = strconv.AppendInt(buf, int64(r.IntN(11)), 10)
			buf = append(buf, ',')
		case x < 0.95:
			buf = append(buf, ",complaint,,waited on hold for ages"...)
		default:
			buf = append(buf, ",churn,,contract cancelled"...)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	must(w.Flush())
	must(f.Close())
}
