package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The journeys benchmarks:
//
//	go run ./bench contacts --rows 1000000    saydo ingest contacts vs sqlite3's .import of the same CSV
//	go run ./bench journeys --rows 10000000   saydo journeys as a whole process (customers: rows/10)
//	go run ./bench check --rows 10000000      POST /api/v1/journeys/check, 50 clients, p50/p99 vs GET /healthz

var (
	journeyDepts   = []string{"billing", "care", "collections", "marketing", "sales"}
	journeyIntents = []string{"service", "service", "service", "reminder", "offer", "survey", "warning", "resolution"}
	journeyChans   = []string{"sms", "email", "push", "letter"}
)

func journeyWorkspace(dir string) {
	var b strings.Builder
	b.WriteString("company: Bench\ndepartments:\n")
	for _, d := range journeyDepts {
		fmt.Fprintf(&b, "  - id: %s\n    name: %s\n", d, strings.ToUpper(d[:1])+d[1:])
	}
	b.WriteString("promises:\n  - id: p00\n    says: \"Promise\"\n    owner: care\n    metric: m00\n    objective: {at_most: 120, share: 0.9}\n")
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "saydo.yaml"), []byte(b.String()), 0o644))
}

// generateContacts writes n contacts over 2026 in time order to customers
// random among n/10, and complaints for 1 in 10 customers.
func generateContacts(path, complaints string, n int) int {
	customers := max(1, n/10)
	f, err := os.Create(path)
	must(err)
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id,customer,at,department,channel,intent\n")
	r := rand.New(rand.NewPCG(5, 6))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	step := float64(365*24*3600) / float64(n)
	var buf []byte
	for i := range n {
		buf = append(buf[:0], 'c')
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, ",cust-"...)
		buf = strconv.AppendInt(buf, int64(r.IntN(customers)), 10)
		buf = append(buf, ',')
		buf = time.Unix(start+int64(float64(i)*step), 0).UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, ',')
		buf = append(buf, journeyDepts[r.IntN(len(journeyDepts))]...)
		buf = append(buf, ',')
		buf = append(buf, journeyChans[r.IntN(len(journeyChans))]...)
		buf = append(buf, ',')
		buf = append(buf, journeyIntents[r.IntN(len(journeyIntents))]...)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	must(w.Flush())
	must(f.Close())
	if complaints == "" {
		return customers
	}
	f, err = os.Create(complaints)
	must(err)
	w = bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id,at,customer,kind,text,department\n")
	k := customers / 10
	for i := range k {
		at := time.Unix(start+int64(float64(i)/float64(k)*365*24*3600), 0).UTC()
		fmt.Fprintf(w, "k%d,%s,cust-%d,complaint,My bill is wrong and nobody answers,care\n", i, at.Format(time.RFC3339), r.IntN(customers))
	}
	must(w.Flush())
	must(f.Close())
	return customers
}

func benchContacts(bin, work string, n int) {
	ws := filepath.Join(work, fmt.Sprintf("contacts-%d", n))
	journeyWorkspace(ws)
	csvPath := filepath.Join(work, fmt.Sprintf("contacts-%d.csv", n))
	generateContacts(csvPath, "", n)
	fi, _ := os.Stat(csvPath)
	base := filepath.Join(work, fmt.Sprintf("contacts-baseline-%d.db", n))
	os.Remove(base)
	b := timed("sqlite3", base, "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;",
		"CREATE TABLE contacts(id TEXT, customer TEXT, at TEXT, department TEXT, channel TEXT, intent TEXT);",
		".mode csv", ".import --skip 1 "+csvPath+" contacts")
	os.RemoveAll(filepath.Join(ws, ".saydo"))
	s := timed(bin, "ingest", "contacts", csvPath, "--workspace", ws, "--quiet")
	again := timed(bin, "ingest", "contacts", csvPath, "--workspace", ws, "--quiet")
	fmt.Printf("ingest contacts %s rows (%.0f MB CSV)\n", group(n), float64(fi.Size())/1e6)
	fmt.Printf("  %-34s %8.2fs wall %7.2fs cpu %12s rows/s %8.0f MiB peak\n", "sqlite3 .import (bare table)", b.wall.Seconds(), b.cpu.Seconds(), group(int(float64(n)/b.wall.Seconds())), float64(b.maxRSS)/(1<<20))
	fmt.Printf("  %-34s %8.2fs wall %7.2fs cpu %12s rows/s %8.0f MiB peak   %.2f× the baseline's time\n", "saydo ingest contacts (first)", s.wall.Seconds(), s.cpu.Seconds(), group(int(float64(n)/s.wall.Seconds())), float64(s.maxRSS)/(1<<20), s.wall.Seconds()/b.wall.Seconds())
	fmt.Printf("  %-34s %8.2fs wall %7.2fs cpu %12s rows/s %8.0f MiB peak\n", "saydo ingest contacts (again)", again.wall.Seconds(), again.cpu.Seconds(), group(int(float64(n)/again.wall.Seconds())), float64(again.maxRSS)/(1<<20))
}

// journeyStore imports n generated contacts and complaints once.
func journeyStore(bin, work string, n int) (ws string, customers int) {
	ws = filepath.Join(work, fmt.Sprintf("journeys-%d", n))
	db := filepath.Join(ws, ".saydo", "saydo.db")
	customers = max(1, n/10)
	if _, err := os.Stat(db); err == nil {
		return ws, customers
	}
	journeyWorkspace(ws)
	csvPath := filepath.Join(work, fmt.Sprintf("journeys-%d.csv", n))
	fbPath := filepath.Join(work, fmt.Sprintf("complaints-%d.csv", n))
	generateContacts(csvPath, fbPath, n)
	timed(bin, "ingest", "feedback", fbPath, "--workspace", ws, "--quiet")
	timed(bin, "ingest", "contacts", csvPath, "--workspace", ws, "--quiet")
	os.Remove(csvPath)
	return ws, customers
}

func benchJourneys(bin, work string, n int) {
	ws, customers := journeyStore(bin, work, n)
	db := filepath.Join(ws, ".saydo", "saydo.db")
	// The baseline: sqlite3 (C) reading every contact once, in the order
	// saydo's scan reads them.
	scan := func() measure {
		return timed("sqlite3", db, "SELECT count(*), sum(length(customer)), total(at), sum(kind) FROM contacts;")
	}
	scan()
	var base measure
	for i := range 3 {
		if m := scan(); i == 0 || m.wall < base.wall {
			base = m
		}
	}
	best := func(args ...string) measure {
		var b measure
		for i := range 2 {
			if m := timed(bin, args...); i == 0 || m.wall < b.wall {
				b = m
			}
		}
		return b
	}
	j := best("journeys", "--workspace", ws, "--format", "json")
	t := best("journeys", "--workspace", ws)
	fmt.Printf("journeys over %s contacts, %s customers, %s complaints (best of 2, whole process)\n", group(n), group(customers), group(customers/10))
	fmt.Printf("  %-44s %8.2fs wall %8.2fs cpu %8.0f MiB peak\n", "sqlite3: read every contact once (baseline)", base.wall.Seconds(), base.cpu.Seconds(), float64(base.maxRSS)/(1<<20))
	fmt.Printf("  %-44s %8.2fs wall %8.2fs cpu %8.0f MiB peak   %.1f× the baseline (cpu)\n", "saydo journeys --format json (every conflict)", j.wall.Seconds(), j.cpu.Seconds(), float64(j.maxRSS)/(1<<20), j.cpu.Seconds()/base.cpu.Seconds())
	fmt.Printf("  %-44s %8.2fs wall %8.2fs cpu %8.0f MiB peak   %.1f× the baseline (cpu)\n", "saydo journeys (table)", t.wall.Seconds(), t.cpu.Seconds(), float64(t.maxRSS)/(1<<20), t.cpu.Seconds()/base.cpu.Seconds())
	fmt.Printf("  (peaks are the processes' ru_maxrss, which counts this benchmark's own at their start: %.0f MiB)\n", float64(selfPeak())/(1<<20))
}

// benchCheck serves the journeys store and sends checks from 50 clients
// for random customers, against GET /healthz through the same server.
func benchCheck(bin, work string, n int) {
	ws, customers := journeyStore(bin, work, n)
	out, err := exec.Command(bin, "token", "create", "--role", "viewer", "--name", fmt.Sprintf("bench-%d", time.Now().UnixNano()), "--workspace", ws).Output()
	must(err)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])
	addr := "127.0.0.1:18351"
	srv := exec.Command(bin, "serve", "--addr", addr, "--workspace", ws)
	srv.Stderr = io.Discard
	must(srv.Start())
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }() // a clean stop writes SAYDO_CPUPROFILE
	for i := 0; ; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			fatal(fmt.Errorf("server did not start"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	intents := []string{"offer", "warning", "survey", "service"}
	load := func(path string, body func(r *rand.Rand) []byte) (lat []time.Duration, allowed, denied int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		deadline := time.Now().Add(10 * time.Second)
		for c := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(c), 9))
				var mine []time.Duration
				a, d := 0, 0
				for time.Now().Before(deadline) {
					var req *http.Request
					if body == nil {
						req, _ = http.NewRequest("GET", "http://"+addr+path, nil)
					} else {
						req, _ = http.NewRequest("POST", "http://"+addr+path, bytes.NewReader(body(r)))
					}
					req.Header.Set("Authorization", "Bearer "+token)
					t0 := time.Now()
					resp, err := client.Do(req)
					if err != nil {
						fatal(err)
					}
					var res struct {
						Allowed bool `json:"allowed"`
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					mine = append(mine, time.Since(t0))
					if resp.StatusCode != 200 {
						fatal(fmt.Errorf("%s: %d %s", path, resp.StatusCode, b))
					}
					if body != nil && json.Unmarshal(b, &res) == nil {
						if res.Allowed {
							a++
						} else {
							d++
						}
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				allowed += a
				denied += d
				mu.Unlock()
			}()
		}
		wg.Wait()
		slices.Sort(lat)
		return lat, allowed, denied
	}
	pct := func(lat []time.Duration, p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	// The server's CPU time per request (user + system, from /proc) moves
	// less with the machine's other load than latencies do.
	cpu0 := processCPU(srv.Process.Pid)
	base, _, _ := load("/healthz", nil)
	cpu1 := processCPU(srv.Process.Pid)
	lat, allowed, denied := load("/api/v1/journeys/check", func(r *rand.Rand) []byte {
		at := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(340 * 24 * time.Hour))))
		return fmt.Appendf(nil, `{"customer":"cust-%d","intent":%q,"department":"sales","channel":"sms","at":%q}`,
			r.IntN(customers), intents[r.IntN(len(intents))], at.Format(time.RFC3339))
	})
	cpu2 := processCPU(srv.Process.Pid)
	perReq := func(d time.Duration, n int) float64 { return float64(d.Microseconds()) / float64(max(n, 1)) }
	fmt.Printf("journeys check over %s contacts, %s customers: 50 clients for 10 s each (load average %s)\n", group(n), group(customers), loadAverage())
	fmt.Printf("  %-34s %9s requests  p50 %6.2f ms  p99 %6.2f ms  server %5.0f µs CPU a request\n", "GET /healthz (baseline)", group(len(base)), pct(base, 0.5), pct(base, 0.99), perReq(cpu1-cpu0, len(base)))
	fmt.Printf("  %-34s %9s requests  p50 %6.2f ms  p99 %6.2f ms  server %5.0f µs CPU a request  (%d allowed, %d with conflicts)\n", "POST /api/v1/journeys/check", group(len(lat)), pct(lat, 0.5), pct(lat, 0.99), perReq(cpu2-cpu1, len(lat)), allowed, denied)
}

// processCPU returns a process's user + system time so far (Linux; zero
// elsewhere).
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces): utime
	// and stime are the 12th and 13th, in clock ticks (100 a second).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}
