// Command bench measures saydo as a user runs it, against baselines taken in
// the same run:
//
//	go run ./bench ingest --rows 1000000   saydo ingest vs sqlite3's .import of the same CSV
//	go run ./bench ingest --rows 2000000 --order sorted,shuffled --ids no,yes,random --store sqlite,postgres
//	                                       the same, in random time order, with source ids (numbered
//	                                       in time order, or random UUIDv4s), and on PostgreSQL
//	                                       ($SAYDO_BENCH_POSTGRES) against psql's \copy
//	go run ./bench ingest --rows 1000000 --ids yes --baseline 564422e
//	                                       and against another revision's saydo on the same file (SQLite)
//	go run ./bench gap --rows 10000000 [--store sqlite,postgres] [--baseline REV]
//	                                       saydo gap as a whole process, 20 promises, against a build of REV in the same run
//	go run ./bench segments --rows 10000000 --baseline main   per-segment summaries: ingest and gap vs a baseline build
//	go run ./bench lint --rows 20000       saydo lint over that many message files
//	go run ./bench voice --rows 200000,2000000   feedback import, saydo voice and saydo gap at each size
//	go run ./bench voice --rows 200000 --baseline 219283b   and the same with another revision's build in the same run
//	go run ./bench feedback --rows 200000,2000000   feedback import alone, items/s and CPU per item at each
//	                                       size, next to govader's sentiment and saydo's analysis alone
//	                                       (--baseline REV: and REV's build importing the same file)
//	go run ./bench partition --rows 10000000   PostgreSQL: one observations table against one per metric and month
//	go run ./bench schema --rows 1000000   what keyed, idempotent inserts cost inside SQLite itself (sqlite3 CLI)
//	go run ./bench impact --rows 10000000 --customers 1000000 --feedback 1000000
//	                                       saydo gap with outcome linkage vs the same join done at report time
//	go run ./bench contacts|journeys|check --rows N   customer journeys (journeys.go)
//
// It builds the saydo binary, generates a CSV of observations (20 metrics,
// one promise each, a year of timestamps, region and channel attributes),
// and prints wall time, rows per second and peak memory (max RSS) of each
// process. Nothing is asserted: the figures are for people to compare.
package main

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench ingest|gap [--rows N] [--dir DIR]")
		os.Exit(2)
	}
	what := os.Args[1]
	fs := flag.NewFlagSet(what, flag.ExitOnError)
	rows := fs.String("rows", "1000000", "observations to generate (comma-separated for several sizes)")
	dir := fs.String("dir", "", "work folder (default: a temp dir, removed after)")
	orders := fs.String("order", "sorted", "ingest: row order of the file, sorted and/or shuffled (comma-separated)")
	ids := fs.String("ids", "no", "ingest: whether rows carry a source id column: no, yes (ids that follow time, obs-N) and/or random (UUIDv4-like) (comma-separated)")
	stores := fs.String("store", "sqlite", "ingest, gap: sqlite and/or postgres (comma-separated); postgres needs $SAYDO_BENCH_POSTGRES, a DSN of a database to create schemas in")
	customers := fs.Int("customers", 1000000, "impact: distinct customers")
	feedback := fs.Int("feedback", 1000000, "impact: feedback items")
	baseline := fs.String("baseline", "", "segments, gap, ingest, voice, feedback: git revision to build as the same-run baseline (e.g. main, or 564422e for the release before ids were identities)")
	runs := fs.Int("runs", 1, "segments: imports per binary, the best one counts")
	fs.Parse(os.Args[2:])
	work := *dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "saydo-bench-"); err != nil {
			fatal(err)
		}
		defer os.RemoveAll(work)
	}
	bin := filepath.Join(work, "saydo")
	run("go", "build", "-o", bin, "./cmd/saydo")
	var feedbackRuns []feedbackRun
	for _, s := range strings.Split(*rows, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fatal(fmt.Errorf("--rows %q: want a positive count", s))
		}
		switch what {
		case "ingest":
			var prev string
			if *baseline != "" {
				prev = buildRevision(work, *baseline)
			}
			for _, st := range strings.Split(*stores, ",") {
				for _, ord := range strings.Split(*orders, ",") {
					for _, id := range strings.Split(*ids, ",") {
						if id != "no" && id != "yes" && id != "random" {
							fatal(fmt.Errorf("--ids %q: want no, yes or random", id))
						}
						benchIngest(bin, work, n, ingestCase{store: st, shuffled: ord == "shuffled", ids: id != "no", randomIDs: id == "random",
							baseline: *baseline, baselineBin: prev})
					}
				}
			}
		case "gap":
			for _, st := range strings.Split(*stores, ",") {
				benchGap(bin, work, n, st, *baseline)
			}
		case "voice":
			var prev string
			if *baseline != "" {
				prev = buildRevision(work, *baseline)
			}
			benchVoice(bin, work, n, *baseline, prev)
		case "feedback":
			var prev string
			if *baseline != "" {
				prev = buildRevision(work, *baseline)
			}
			feedbackRuns = append(feedbackRuns, benchFeedback(bin, work, n, feedbackRuns, *baseline, prev))
		case "lint":
			benchLint(bin, work, n)
		case "schema":
			benchSchema(work, n)
		case "impact":
			benchImpact(bin, work, n, *customers, *feedback)
		case "contacts":
			benchContacts(bin, work, n)
		case "journeys":
			benchJourneys(bin, work, n)
		case "check":
			benchCheck(bin, work, n)
		case "segments":
			benchSegments(bin, work, n, *baseline, *runs)
		case "partition":
			benchPartition(n)
		default:
			fatal(fmt.Errorf("unknown benchmark %q: want ingest, gap, voice, feedback, lint, schema, impact, contacts, journeys, check, segments or partition", what))
		}
	}
}

const promises = 20

func workspace(dir string) {
	var b strings.Builder
	b.WriteString("company: Bench\ndepartments:\n  - id: ops\n    name: Operations\npromises:\n")
	for i := range promises {
		fmt.Fprintf(&b, "  - id: p%02d\n    says: \"Promise %d\"\n    owner: ops\n    delivered_by: [ops]\n    metric: m%02d\n    objective: {at_most: 120, share: 0.9}\n    period: week\n", i, i, i)
	}
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "saydo.yaml"), []byte(b.String()), 0o644))
}

// generate writes n observations: 20 metrics interleaved, a year of
// timestamps, region and channel, and with ids an id column unique within
// each metric: obs-N, numbered in time order as most systems number their
// records, or with randomIDs random hex ids shaped like UUIDv4s. Row i is
// the same in every file of n rows; shuffled writes them in a random order
// (a seeded permutation), so a sorted and a shuffled file hold exactly the
// same rows.
func generate(path string, n int, shuffled, ids, randomIDs bool) {
	f, err := os.Create(path)
	must(err)
	w := bufio.NewWriterSize(f, 1<<20)
	if ids {
		w.WriteString("id,metric,value,at,region,channel\n")
	} else {
		w.WriteString("metric,value,at,region,channel\n")
	}
	var perm []int32
	if shuffled {
		perm = make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
		r := rand.New(rand.NewPCG(5, 6))
		r.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	}
	regions := []string{"north", "south", "east", "west", "capital"}
	channels := []string{"phone", "app", "web"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	step := float64(365*24*3600) / float64(n)
	var buf []byte
	for j := range n {
		i := j
		if perm != nil {
			i = int(perm[j])
		}
		h := splitmix(uint64(i))
		buf = buf[:0]
		switch {
		case randomIDs:
			buf = appendUUID(buf, splitmix(uint64(i)^0x5a5a5a5a), splitmix(uint64(i)+0x6b6b6b6b))
			buf = append(buf, ',')
		case ids:
			buf = append(buf, "obs-"...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, ',')
		}
		buf = append(buf, 'm')
		m := int(h % promises)
		buf = append(buf, byte('0'+m/10), byte('0'+m%10), ',')
		// An exponential value with mean 70 from the hash's upper bits.
		u := (float64(h>>11) + 0.5) / (1 << 53)
		buf = strconv.AppendInt(buf, int64(-math.Log(u)*70), 10)
		buf = append(buf, ',')
		buf = time.Unix(start+int64(float64(i)*step), 0).UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, ',')
		buf = append(buf, regions[(h>>8)%uint64(len(regions))]...)
		buf = append(buf, ',')
		buf = append(buf, channels[(h>>16)%uint64(len(channels))]...)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	must(w.Flush())
	must(f.Close())
}

// appendUUID appends hi and lo as a version-4 UUID (random, as most
// systems make them).
func appendUUID(b []byte, hi, lo uint64) []byte {
	const hex = "0123456789abcdef"
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		w := hi
		if i >= 16 {
			w = lo
		}
		b = append(b, hex[(w>>(60-4*(i%16)))&0xf])
	}
	return b
}

// splitmix is SplitMix64's output function: a row's random-looking values
// from its index alone.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

type measure struct {
	wall   time.Duration
	maxRSS int64 // bytes
	// cpu is user + system time: on a shared machine it moves less than
	// wall time with the other load.
	cpu time.Duration
}

// selfPeak returns this process's peak resident memory (VmHWM), bytes.
func selfPeak() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// tailWriter keeps the last bytes written to it.
type tailWriter struct{ b []byte }

func (t *tailWriter) Write(p []byte) (int, error) {
	const keep = 8 << 10
	t.b = append(t.b, p...)
	if len(t.b) > 2*keep {
		t.b = append(t.b[:0], t.b[len(t.b)-keep:]...)
	}
	return len(p), nil
}

// timed runs a command, its output discarded (the tail kept for errors:
// buffering a large output would raise this process's memory, which
// Linux counts in the peak of every child started after).
func timed(name string, args ...string) measure {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	tail := &tailWriter{}
	cmd.Stdout = tail
	start := time.Now()
	err := cmd.Run()
	out := tail.b
	wall := time.Since(start)
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 0 && ee.ExitCode() != 1 {
			fatal(fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out))
		}
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024
	}
	return measure{wall, rss, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

// ingestCase is one file and store to import into.
type ingestCase struct {
	store     string // sqlite or postgres
	shuffled  bool   // rows in random time order
	ids       bool   // rows carry a source id
	randomIDs bool   // random ones (UUIDv4), not numbered in time order
	// baseline names a revision whose binary, baselineBin, imports the
	// same file into a fresh store too (SQLite only).
	baseline, baselineBin string
}

func (c ingestCase) String() string {
	order, ids := "sorted", "no ids"
	if c.shuffled {
		order = "shuffled"
	}
	if c.ids {
		ids = "with ids (obs-N, in time order)"
	}
	if c.randomIDs {
		ids = "with random ids (UUIDv4)"
	}
	return c.store + ", " + order + ", " + ids
}

// benchIngest imports one generated file with the store's own bulk loader
// into a bare table (the baseline: sqlite3's .import, or psql's \copy) and
// with saydo ingest, twice (the second time every row is a duplicate).
func benchIngest(bin, work string, n int, c ingestCase) {
	ws := filepath.Join(work, fmt.Sprintf("ws-%d", n))
	workspace(ws)
	name := fmt.Sprintf("obs-%d", n)
	if c.shuffled {
		name += "-shuffled"
	}
	if c.randomIDs {
		name += "-uuids"
	} else if c.ids {
		name += "-ids"
	}
	csvPath := filepath.Join(work, name+".csv")
	if _, err := os.Stat(csvPath); err != nil {
		generate(csvPath, n, c.shuffled, c.ids, c.randomIDs)
	}
	fi, _ := os.Stat(csvPath)
	columns := "metric TEXT, value REAL, at TEXT, region TEXT, channel TEXT"
	if c.ids {
		columns = "id TEXT, " + columns
	}

	var b measure
	var baseline string
	var dbArgs []string
	switch c.store {
	case "sqlite":
		base := filepath.Join(work, "baseline.db")
		os.Remove(base)
		os.Remove(base + "-wal")
		// sqlite3's own CSV import into a bare table, same file, same
		// journal settings as saydo uses.
		baseline = "sqlite3 .import (bare table)"
		b = timed("sqlite3", base, "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;",
			"CREATE TABLE obs("+columns+");", ".mode csv", ".import --skip 1 "+csvPath+" obs")
		os.Remove(base)
		db := filepath.Join(ws, ".saydo", "saydo.db")
		os.RemoveAll(filepath.Dir(db))
		dbArgs = []string{"--db", db}
	case "postgres":
		dsn := os.Getenv("SAYDO_BENCH_POSTGRES")
		if dsn == "" {
			fatal(fmt.Errorf("--store postgres: set SAYDO_BENCH_POSTGRES to a DSN (postgres://postgres@127.0.0.1:55432/saydo?sslmode=disable)"))
		}
		psql := func(sql string) { psqlExec(dsn, sql) }
		psql("DROP TABLE IF EXISTS bench_baseline; CREATE TABLE bench_baseline(" + columns + ")")
		baseline = "psql \\copy (bare table)"
		b = timed("psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", "\\copy bench_baseline FROM '"+csvPath+"' WITH (FORMAT csv, HEADER true)")
		psql("DROP TABLE bench_baseline")
		psql("DROP SCHEMA IF EXISTS saydo_bench CASCADE")
		dbArgs = []string{"--db", inSchema(dsn, "saydo_bench")}
		defer psql("DROP SCHEMA IF EXISTS saydo_bench CASCADE")
	default:
		fatal(fmt.Errorf("--store %q: want sqlite or postgres", c.store))
	}
	args := append([]string{"ingest", "observations", csvPath, "--workspace", ws, "--quiet"}, dbArgs...)
	s := timed(bin, args...)
	again := timed(bin, args...)
	keyed, keyedName := keyedBaseline(c.store, work, dbArgs[1])
	var prev measure
	if c.baselineBin != "" {
		// The other revision's import of the same file, right after, into
		// a fresh store of its own.
		switch c.store {
		case "sqlite":
			db := filepath.Join(work, "baseline-rev", "saydo.db")
			os.RemoveAll(filepath.Dir(db))
			prev = timed(c.baselineBin, "ingest", "observations", csvPath, "--workspace", ws, "--quiet", "--db", db)
			os.RemoveAll(filepath.Dir(db))
		case "postgres":
			dsn := os.Getenv("SAYDO_BENCH_POSTGRES")
			drop := func() { psqlExec(dsn, "DROP SCHEMA IF EXISTS saydo_bench_rev CASCADE") }
			drop()
			prev = timed(c.baselineBin, "ingest", "observations", csvPath, "--workspace", ws, "--quiet", "--db", inSchema(dsn, "saydo_bench_rev"))
			drop()
		}
	}
	fmt.Printf("ingest %s rows (%.0f MB CSV), %s, load average %s\n", group(n), float64(fi.Size())/1e6, c, loadAverage())
	// CPU time (user + system of the process) moves less than wall time
	// with the machine's other load; on PostgreSQL it leaves out the
	// server's work, for the baseline as for saydo.
	line := func(name string, m measure, ratio bool) {
		fmt.Printf("  %-34s %8.2fs %12s rows/s %8.0f MiB peak %7.2fs cpu", name, m.wall.Seconds(), group(int(float64(n)/m.wall.Seconds())), float64(m.maxRSS)/(1<<20), m.cpu.Seconds())
		if ratio {
			fmt.Printf("   %.2f× the baseline's time", m.wall.Seconds()/b.wall.Seconds())
			if c.store == "sqlite" {
				// Both are whole processes on this machine: CPU time is
				// the figure a loaded machine disturbs least.
				fmt.Printf(", %.2f× its cpu", m.cpu.Seconds()/b.cpu.Seconds())
			}
		}
		fmt.Println()
	}
	line(baseline, b, false)
	line(keyedName, keyed, true)
	line("saydo ingest (first import)", s, true)
	fmt.Printf("  %-34s %.2f× the time of the load with saydo's keys\n", "saydo ingest (first import)", s.wall.Seconds()/keyed.wall.Seconds())
	line("saydo ingest (same file again)", again, false)
	if prev.wall > 0 {
		line("saydo "+c.baseline+" (first import)", prev, true)
		fmt.Printf("  %-34s %.2f× %s's time, %.2f× its cpu\n", "this saydo against "+c.baseline, s.wall.Seconds()/prev.wall.Seconds(), c.baseline, s.cpu.Seconds()/prev.cpu.Seconds())
	}
}

// keyedBaseline times the store's own bulk loader (sqlite3's .import,
// psql's \copy) storing the rows saydo stored in db, in time order, into
// one table keyed and indexed as saydo keeps observations: (metric, time,
// key) and a unique (metric, id) for rows with an id. Any import that
// keeps rows idempotent needs those keys; the bare-table baseline has
// none.
func keyedBaseline(store, work, db string) (measure, string) {
	rows := filepath.Join(work, "stored-rows.csv")
	defer os.Remove(rows)
	const columns = "metric_id INTEGER NOT NULL, at INTEGER NOT NULL, key INTEGER NOT NULL, value REAL, segment_id INTEGER NOT NULL, customer TEXT, source_id TEXT, PRIMARY KEY (metric_id, at, key)"
	switch store {
	case "sqlite":
		var union []string
		out, err := exec.Command("sqlite3", db, "SELECT id FROM metrics ORDER BY id").Output()
		must(err)
		for _, id := range strings.Fields(string(out)) {
			union = append(union, "SELECT "+id+", at, key, value, segment_id, customer, source_id FROM obs_"+id)
		}
		run("sqlite3", db, ".mode csv", ".output "+rows, strings.Join(union, " UNION ALL ")+" ORDER BY 2, 3;")
		base := filepath.Join(work, "keyed.db")
		os.Remove(base)
		os.Remove(base + "-wal")
		defer os.Remove(base)
		// .import stores an empty field as '', not NULL: rows without an
		// id are left out of the id index by that.
		return timed("sqlite3", base, "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;",
			"CREATE TABLE obs("+columns+") WITHOUT ROWID;",
			"CREATE UNIQUE INDEX obs_ids ON obs (metric_id, source_id) WHERE source_id <> '';",
			".mode csv", ".import "+rows+" obs"), "sqlite3 .import (saydo's keys)"
	default:
		dsn := os.Getenv("SAYDO_BENCH_POSTGRES")
		psql := func(sql string) { psqlExec(dsn, sql) }
		run("psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c",
			"\\copy (SELECT metric_id, at, key, value, segment_id, customer, source_id FROM saydo_bench.observations ORDER BY at, key) TO '"+rows+"' WITH (FORMAT csv)")
		psql("DROP TABLE IF EXISTS bench_keyed; CREATE TABLE bench_keyed(" + strings.ReplaceAll(strings.ReplaceAll(columns, "INTEGER", "bigint"), "REAL", "double precision") + ");" +
			`CREATE UNIQUE INDEX bench_keyed_ids ON bench_keyed (metric_id, source_id COLLATE "C") WHERE source_id IS NOT NULL`)
		defer psql("DROP TABLE bench_keyed")
		return timed("psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c",
			"\\copy bench_keyed FROM '"+rows+"' WITH (FORMAT csv)"), "psql \\copy (saydo's keys)"
	}
}

// benchGap times saydo gap as a whole process over n observations of 20
// promises, interleaving this build with a baseline build of another
// revision (--baseline) when given, so both see the same machine load;
// saydo version, the process start alone, is the floor.
func benchGap(bin, work string, n int, store, baseline string) {
	ws := filepath.Join(work, fmt.Sprintf("ws-%d", n))
	args := []string{"gap", "--workspace", ws, "--format", "json"}
	workspace(ws)
	fresh := false
	switch store {
	case "sqlite":
		db := filepath.Join(ws, ".saydo", "saydo.db")
		_, err := os.Stat(db)
		fresh = err != nil
		args = append(args, "--db", db)
	case "postgres":
		dsn := os.Getenv("SAYDO_BENCH_POSTGRES")
		if dsn == "" {
			fatal(fmt.Errorf("--store postgres: set SAYDO_BENCH_POSTGRES to a DSN (postgres://postgres@127.0.0.1:55432/saydo?sslmode=disable)"))
		}
		// A schema per size, kept between runs like the SQLite file.
		schema := fmt.Sprintf("saydo_bench_gap_%d", n)
		out, err := exec.Command("psql", "-X", "-qAt", "-d", dsn, "-c",
			"SELECT count(*) FROM information_schema.tables WHERE table_schema = '"+schema+"' AND table_name = 'observations'").Output()
		if err != nil {
			fatal(fmt.Errorf("psql: %v", err))
		}
		fresh = strings.TrimSpace(string(out)) == "0"
		args = append(args, "--db", inSchema(dsn, schema))
	default:
		fatal(fmt.Errorf("--store %q: want sqlite or postgres", store))
	}
	if fresh {
		csvPath := filepath.Join(work, fmt.Sprintf("obs-%d.csv", n))
		generate(csvPath, n, false, false, false)
		timed(bin, "ingest", "observations", csvPath, "--workspace", ws, "--quiet", args[len(args)-2], args[len(args)-1])
		os.Remove(csvPath)
	}
	type build struct{ name, bin string }
	builds := []build{{"saydo gap (this build)", bin}}
	if baseline != "" {
		builds = append(builds, build{"saydo gap (baseline " + baseline + ")", buildRevision(work, baseline)})
	}
	builds = append(builds, build{"saydo version (process start)", bin})
	const runs = 7
	times := make([][]measure, len(builds))
	load := loadAverage()
	floor := len(builds) - 1 // saydo version
	for _, b := range builds[:floor] {
		timed(b.bin, args...) // refresh summaries, warm the caches
	}
	for range runs {
		for i, b := range builds {
			a := args
			if i == floor {
				a = []string{"version"}
			}
			times[i] = append(times[i], timed(b.bin, a...))
		}
	}
	fmt.Printf("gap over %s rows, %d promises, %s: %d runs each, interleaved (load average %s before, %s after)\n",
		group(n), promises, store, runs, load, loadAverage())
	for i, b := range builds {
		ms := times[i]
		slices.SortFunc(ms, func(a, b measure) int { return cmp.Compare(a.wall, b.wall) })
		cpu := make([]time.Duration, len(ms))
		var rss int64
		for j, m := range ms {
			cpu[j] = m.cpu
			rss = max(rss, m.maxRSS)
		}
		slices.Sort(cpu)
		msec := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		fmt.Printf("  %-36s best %6.0f ms  median %6.0f ms  worst %6.0f ms  median cpu %5.0f ms  %4.0f MiB peak",
			b.name, msec(ms[0].wall), msec(ms[len(ms)/2].wall), msec(ms[len(ms)-1].wall), msec(cpu[len(cpu)/2]), float64(rss)/(1<<20))
		if i > 0 && i < floor {
			fmt.Printf("   median %.2f× this build's", ms[len(ms)/2].wall.Seconds()/times[0][len(times[0])/2].wall.Seconds())
		}
		fmt.Println()
	}
}

// buildRevision builds cmd/saydo at a git revision (a baseline measured in
// the same run) and returns the binary's path.
func buildRevision(work, rev string) string {
	bin := filepath.Join(work, "saydo-"+strings.NewReplacer("/", "_", " ", "_").Replace(rev))
	src := filepath.Join(work, "src-"+filepath.Base(bin))
	must(os.MkdirAll(src, 0o755))
	arch := exec.Command("sh", "-c", "git archive "+rev+" | tar -x -C "+src)
	arch.Stderr = os.Stderr
	must(arch.Run())
	build := exec.Command("go", "build", "-o", bin, "./cmd/saydo")
	build.Dir, build.Stderr = src, os.Stderr
	must(build.Run())
	return bin
}

// loadAverage is the machine's 1-minute load average, as /proc/loadavg
// has it ("?" elsewhere).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// benchLint writes n short messages as files (English and Romanian; SMS,
// email, push; good and bad) and times saydo lint over the catalogue. Vale
// lints about 1,200 such messages/s here (FACTS.md); it cannot be installed
// offline, so that baseline is quoted, not re-measured.
func benchLint(bin, work string, n int) {
	ws := filepath.Join(work, fmt.Sprintf("lint-%d", n))
	workspace(ws)
	dir := filepath.Join(ws, "messages")
	must(os.MkdirAll(dir, 0o755))
	r := rand.New(rand.NewPCG(7, 7))
	greet := []string{"Hello {{name}},", "Bună ziua, {{name}}!", "Hi {{name}},", "", "Dear customer,"}
	body := []string{"your invoice of {{amount}} is due on {{date}}.", "your technician arrives tomorrow between 8 and 12.",
		"we received your payment, thank you.", "your refund will reach your account within 5 days.",
		"PAY NOW OR YOUR LINE WILL BE CUT!!!", "restantele se raporteaza Biroului de Credit.",
		"factura dumneavoastră de {{amount}} lei este disponibilă în aplicație.", "your installation is booked within 3 days.",
		"we could not reach you today."}
	tail := []string{"Questions? Call 0800 100 200.", "Reply STOP to opt out.", "Mulțumim!", "",
		"If you cannot pay by {{date}}, call us and we will find a solution."}
	channels := []string{"sms", "email", "push"}
	csvPath := filepath.Join(work, fmt.Sprintf("messages-%d.csv", n))
	cf, err := os.Create(csvPath)
	must(err)
	cw := csv.NewWriter(cf)
	cw.Write([]string{"id", "channel", "lang", "variables", "body"})
	for i := range n {
		lang := "en"
		if r.Float64() < 0.4 {
			lang = "ro"
		}
		var parts []string
		for _, p := range []string{greet[r.IntN(len(greet))], body[r.IntN(len(body))], tail[r.IntN(len(tail))]} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		ch := channels[r.IntN(len(channels))]
		text := fmt.Sprintf("---\nid: m%05d\nchannel: %s\nlang: %s\nvariables: [name, amount, date]\n---\n%s\n",
			i, ch, lang, strings.Join(parts, " "))
		must(os.WriteFile(filepath.Join(dir, fmt.Sprintf("m%05d.txt", i)), []byte(text), 0o644))
		cw.Write([]string{fmt.Sprintf("m%05d", i), ch, lang, "name amount date", strings.Join(parts, " ")})
	}
	cw.Flush()
	must(cw.Error())
	must(cf.Close())
	// The same messages checked against the 3 promises of 'saydo init' too:
	// the promise check's cost grows with the number of promises.
	small := filepath.Join(work, fmt.Sprintf("lint-init-%d", n))
	os.RemoveAll(small)
	run(bin, "init", small)
	for _, c := range []struct {
		what string
		args []string
	}{
		{"message files, 20 promises", []string{"lint", "--workspace", ws, "--format", "json"}},
		{"message files, 3 promises", []string{"lint", dir, "--workspace", small, "--format", "json"}},
		{"messages in one CRM export (CSV), 20 promises", []string{"lint", csvPath, "--workspace", ws, "--format", "json"}},
	} {
		timed(bin, c.args...) // warm the page cache
		var best measure
		for i := range 5 {
			m := timed(bin, c.args...)
			if i == 0 || m.wall < best.wall {
				best = m
			}
		}
		fmt.Printf("lint %s %s, whole process: best of 5 %.0f ms = %s messages/s (%.0f× Vale's 1,200/s), %.0f MiB peak\n",
			group(n), c.what, float64(best.wall.Microseconds())/1000, group(int(float64(n)/best.wall.Seconds())),
			float64(n)/best.wall.Seconds()/1200, float64(best.maxRSS)/(1<<20))
	}
}

// benchSchema times, in the sqlite3 shell (C, no Go, no parsing or
// binding), inserting the same rows into a bare table and into saydo's
// keyed observations table with INSERT OR IGNORE: the cost of idempotence
// that no driver can remove.
func benchSchema(work string, n int) {
	rows := filepath.Join(work, fmt.Sprintf("keys-%d.csv", n))
	f, err := os.Create(rows)
	must(err)
	w := bufio.NewWriter(f)
	r := rand.New(rand.NewPCG(3, 4))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	step := int64(365*24*3600*1000) / int64(n)
	for i := range n {
		fmt.Fprintf(w, "%d,%d,%d,%d,%d\n", r.IntN(20), t0+int64(i)*step, r.Int64()>>1, int(r.ExpFloat64()*70), r.IntN(15))
	}
	must(w.Flush())
	must(f.Close())
	db := filepath.Join(work, fmt.Sprintf("schema-%d.db", n))
	os.Remove(db)
	var b strings.Builder
	b.WriteString(`PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA page_size=16384;
CREATE TABLE src(metric_id INT, at INT, key INT, value REAL, segment_id INT);
.mode csv
.import ` + rows + ` src
CREATE TABLE bare(metric_id INT, at INT, key INT, value REAL, segment_id INT, customer TEXT, source_id TEXT);
CREATE TABLE observations(metric_id INT, at INT, key INT, value REAL, segment_id INT, customer TEXT, source_id TEXT,
  PRIMARY KEY (metric_id, at, key)) WITHOUT ROWID;
`)
	// saydo's layout: one table per metric. The rows are split by metric
	// beforehand (not timed), as an import's batches arrive grouped.
	for m := range promises {
		fmt.Fprintf(&b, "CREATE TABLE s%d AS SELECT at, key, value, segment_id FROM src WHERE metric_id = %d ORDER BY at;\n", m, m)
		fmt.Fprintf(&b, "CREATE TABLE obs_%d(at INT, key INT, value REAL, segment_id INT, customer TEXT, source_id TEXT, PRIMARY KEY (at, key)) WITHOUT ROWID;\n", m)
	}
	b.WriteString(".timer on\n")
	b.WriteString("INSERT INTO bare SELECT metric_id, at, key, value, segment_id, NULL, NULL FROM src ORDER BY at;\n")
	b.WriteString("INSERT OR IGNORE INTO observations SELECT metric_id, at, key, value, segment_id, NULL, NULL FROM src ORDER BY at;\n")
	b.WriteString(".timer off\nBEGIN;\n.timer on\n")
	for m := range promises {
		fmt.Fprintf(&b, "INSERT OR IGNORE INTO obs_%d SELECT at, key, value, segment_id, NULL, NULL FROM s%d;\n", m, m)
	}
	b.WriteString("COMMIT;\n")
	cmd := exec.Command("sqlite3", db)
	cmd.Stdin = strings.NewReader(b.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		fatal(fmt.Errorf("sqlite3: %v\n%s", err, out))
	}
	var times []float64
	for _, line := range strings.Split(string(out), "\n") {
		var real float64
		if _, err := fmt.Sscanf(line, "Run Time: real %f", &real); err == nil {
			times = append(times, real)
		}
	}
	if len(times) != 3+promises {
		fatal(fmt.Errorf("sqlite3 printed %d timings, want %d:\n%s", len(times), 3+promises, out))
	}
	perMetric := 0.0
	for _, t := range times[2:] {
		perMetric += t
	}
	fmt.Printf("sqlite3, %s rows of %d metrics already in a table, no parsing:\n", group(n), promises)
	fmt.Printf("  %-58s %6.2fs\n", "INSERT into a bare table (what .import does)", times[0])
	fmt.Printf("  %-58s %6.2fs   %.2f× the bare insert\n", "INSERT OR IGNORE into one keyed table (metric, at, key)", times[1], times[1]/times[0])
	fmt.Printf("  %-58s %6.2fs   %.2f× the bare insert\n", "INSERT OR IGNORE into a keyed table per metric (saydo's)", perMetric, perMetric/times[0])
}

func group(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// psqlExec runs sql on dsn, quiet about notices, stopping at an error.
func psqlExec(dsn, sql string) {
	run("psql", "-q", "-X", "-c", "SET client_min_messages = warning", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql)
}

// inSchema is dsn with its search_path set to schema.
func inSchema(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	must(cmd.Run())
}

func must(err error) {
	if err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(2)
}
