// Command http is the server's load benchmark: it fills a fresh store
// with observations through POST /api/v1/observations (JSON Lines) and
// with outbound contacts, then measures GET /api/v1/gaps and GET
// /api/v1/journeys with concurrent clients on loopback, alone and while
// imports run, and the server's peak memory; then the same readers while
// attackers send abusive requests (huge ranges, high-cardinality
// breakdowns, oversize and trickled bodies, idle connections).
//
//	go run ./bench/http -n 10000000 -clients 100 -duration 10s
//	go run ./bench/http -db postgres://postgres@127.0.0.1:55432/saydo   the same on PostgreSQL
//	                                  (in the schema saydo_bench_http, dropped before and after)
//
// The server runs in a child process (this program with -serve-only), as
// saydo serve runs it (Server.Serve on a loopback listener, with its
// default limits), so the peak memory printed for each phase is the
// server's alone (its VmHWM, reset before the phase). It prints figures,
// not verdicts: see docs/server.md and docs/security.md.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	nethttp "net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/http"
	"github.com/saydo/saydo/jsonl"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/postgres"
	"github.com/saydo/saydo/sqlite"

	"github.com/jackc/pgx/v5"
)

func main() {
	n := flag.Int("n", 10_000_000, "observations to import before measuring reads")
	batch := flag.Int("batch", 1_000_000, "observations per import request")
	clients := flag.Int("clients", 100, "concurrent readers")
	duration := flag.Duration("duration", 15*time.Second, "how long readers run in each phase")
	dir := flag.String("dir", "", "store directory (default: a temporary one, removed after)")
	contacts := flag.Int("contacts", 200_000, "outbound contacts to import, for the journeys endpoint")
	addr := flag.String("addr", "127.0.0.1:18250", "where the server listens")
	attackers := flag.Int("attackers", 200, "abusive clients in the attack phase (0: no attack phase)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the server to `FILE`")
	serveOnly := flag.Bool("serve-only", false, "be the server: the benchmark runs itself with it")
	db := flag.String("db", "", "a postgres:// URL to run on PostgreSQL instead of SQLite")
	gz := flag.Bool("gzip", false, "readers accept gzip (and inflate every report), as a browser does")
	paths := flag.String("paths", "/api/v1/gaps,/api/v1/journeys", "the GET paths readers go round, comma-separated (/api/v1/gaps alone: the report's own figure, as issue 12 states its target)")
	flag.Parse()
	ctx := context.Background()

	d := *dir
	if d == "" {
		tmp, err := os.MkdirTemp("", "saydo-bench-http")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		d = tmp
	}
	if *serveOnly {
		runServer(ctx, *db, d, *addr, *contacts, *cpuprofile)
		return
	}
	child := exec.Command(os.Args[0], "-serve-only", "-dir", d, "-db", *db, "-addr", *addr, "-contacts", strconv.Itoa(*contacts), "-cpuprofile", *cpuprofile)
	child.Stderr = os.Stderr
	toChild, err := child.StdinPipe()
	if err != nil {
		log.Fatal(err)
	}
	fromChild, err := child.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := child.Start(); err != nil {
		log.Fatal(err)
	}
	defer func() { toChild.Close(); child.Wait() }() // the server stops when its stdin closes
	serverPID = child.Process.Pid
	var secret, attackSecret string
	sc := bufio.NewScanner(fromChild)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "READY" {
			secret, attackSecret = f[1], f[2]
			break
		}
		fmt.Println(sc.Text())
	}
	if secret == "" {
		log.Fatal("the server did not start")
	}
	ts := struct{ URL string }{"http://" + *addr}
	// Readers take the JSON as it is unless -gzip: on loopback, inflating
	// a report costs the client (which shares the server's cores) more than
	// the bytes saved; a client across a network gains.
	client := &nethttp.Client{Transport: &nethttp.Transport{MaxIdleConnsPerHost: *clients + 8, MaxConnsPerHost: *clients + 8, DisableCompression: !*gz}}

	enc := "identity"
	if *gz {
		enc = "gzip"
	}
	fmt.Printf("saydo server benchmark: %d observations, %d readers (%s), loopback, server in process %d\n\n", *n, *clients, enc, serverPID)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var total, rows int64
	var elapsed time.Duration
	for off := 0; off < *n; off += *batch {
		k := min(*batch, *n-off)
		t0 := time.Now()
		acc := importRows(client, ts.URL, secret, start, off, k)
		elapsed += time.Since(t0)
		total += acc
		rows += int64(k)
	}
	fmt.Printf("ingest over HTTP (JSON Lines, %d-row requests): %d rows in %.1fs = %.0f rows/s (%d accepted)\n",
		*batch, rows, elapsed.Seconds(), float64(rows)/elapsed.Seconds(), total)
	printPeak("ingest")
	phases(client, ts.URL, secret, attackSecret, start, *n, *clients, *duration, *attackers, strings.Split(*paths, ","))
}

// serverPID is the server's process, whose memory is measured.
var serverPID int

// runServer is the child: a store (SQLite in dir, or PostgreSQL at db)
// with an admin and an attacker token and the contacts, the server on
// addr, until stdin closes.
func runServer(ctx context.Context, db, d, addr string, contacts int, cpuprofile string) {
	st, cleanup := openStore(ctx, db, d)
	defer cleanup()
	ws := workspace()
	srv := http.NewServer(http.Config{
		Store: st, Access: st, Reviews: st,
		Workspace:      func() (*saydo.Workspace, error) { return ws, nil },
		RowReader:      func(r io.Reader) saydo.RowReader { return jsonl.NewReader(r) },
		MaxIngestBytes: 1 << 40,
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	secret, hash := http.NewToken()
	if _, err := st.CreateToken(ctx, "bench", saydo.RoleAdmin, hash, time.Time{}); err != nil {
		log.Fatal(err)
	}
	// The attackers hold a viewer's token of their own, as in issue 13.
	attackSecret, attackHash := http.NewToken()
	if _, err := st.CreateToken(ctx, "attacker", saydo.RoleViewer, attackHash, time.Time{}); err != nil {
		log.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t0 := time.Now()
	if err := importContacts(ctx, st, ws, start, contacts); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("contacts imported: %d in %.1fs\n", contacts, time.Since(t0).Seconds())
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	sctx, stopServer := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	// As saydo serve does: on PostgreSQL the server hears every committed
	// change, its own imports' batches included.
	go srv.Watch(sctx)
	fmt.Printf("READY %s %s\n", secret, attackSecret)
	io.Copy(io.Discard, os.Stdin) // until the benchmark closes it, or exits
	stopServer()
	<-served
}

// phases measures the readers alone, during imports and under attack.
func phases(client *nethttp.Client, base, secret, attackSecret string, start time.Time, n, clients int, duration time.Duration, attackers int, paths []string) {
	ts := struct{ URL string }{base}

	// First reports: summaries are refreshed once.
	for _, path := range paths {
		t0 := time.Now()
		if err := get(client, ts.URL+path, secret); err != nil {
			log.Fatalf("%s: %v", path, err)
		}
		took := time.Since(t0)
		fmt.Printf("first GET %s: %v; %s\n", path, took.Round(time.Millisecond), wireSizes(base+path, secret))
	}
	// The same-run baseline: the same readers on /healthz, which does no
	// work. On a shared machine the absolute figures move with the load;
	// the ratio to this floor does less.
	report(readers(client, ts.URL, secret, []string{"/healthz"}, clients, duration/2), " (baseline: no work)")

	resetPeak()
	lat := readers(client, ts.URL, secret, paths, clients, duration)
	report(lat, "")
	printPeak("readers alone")

	// Reads while imports run, for the whole phase.
	resetPeak()
	stop := make(chan struct{})
	imported := make(chan int64)
	go func() {
		var done int64
		for off := n; ; off += 200_000 {
			select {
			case <-stop:
				imported <- done
				return
			default:
			}
			importRows(client, ts.URL, secret, start.AddDate(0, 0, 3), off, 200_000)
			done += 200_000
		}
	}()
	t0 := time.Now()
	lat = readers(client, ts.URL, secret, paths, clients, duration)
	close(stop)
	k := <-imported
	report(lat, " during imports")
	fmt.Printf("the concurrent imports: %d rows in %.1fs = %.0f rows/s\n", k, time.Since(t0).Seconds(), float64(k)/time.Since(t0).Seconds())
	printPeak("readers during imports")

	if attackers > 0 {
		resetPeak()
		stopAttack := make(chan struct{})
		var attacks, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range attackers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				attack(ts.URL, attackSecret, i, stopAttack, &attacks, &refused)
			}()
		}
		lat = readers(client, ts.URL, secret, paths, clients, duration)
		close(stopAttack)
		wg.Wait()
		report(lat, fmt.Sprintf(" under attack (%d attackers)", attackers))
		fmt.Printf("attack requests: %d sent, %d refused by the server's limits (4xx/5xx or cut off)\n", attacks.Load(), refused.Load())
		printPeak("readers under attack")
	}
}

// importContacts imports n outbound contacts (offers, reminders, warnings
// from two departments to 20,000 customers) for the journeys endpoint.
func importContacts(ctx context.Context, st saydo.Store, ws *saydo.Workspace, start time.Time, n int) error {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<20)
		intents := []string{"offer", "reminder", "warning", "service"}
		for i := range n {
			at := start.Add(time.Duration(i) * 97 * time.Second)
			fmt.Fprintf(w, `{"id":"c%d","customer":"cust-%d","at":"%s","department":"%s","channel":"sms","intent":"%s"}`+"\n",
				i, i%20000, at.Format(time.RFC3339), []string{"ops", "sales"}[i%2], intents[(i/3)%4])
		}
		w.Flush()
		pw.Close()
	}()
	res, err := ledger.IngestContacts(ctx, st, ws, nil, jsonl.NewReader(pr), ledger.IngestOptions{})
	if err != nil {
		return err
	}
	if res.Rejected > 0 {
		return fmt.Errorf("contacts: %d rejected: %v", res.Rejected, res.FirstRejects)
	}
	return nil
}

// attack sends abusive requests until stop closes, counting those the
// server refused. Each attacker has its own connections, as a real one
// would; the server's caps decide how many it keeps.
func attack(base, secret string, i int, stop chan struct{}, sent, refused *atomic.Int64) {
	c := &nethttp.Client{Timeout: 30 * time.Second, Transport: &nethttp.Transport{MaxIdleConnsPerHost: 2}}
	host := strings.TrimPrefix(base, "http://")
	kinds := []func() bool{
		func() bool { // every day of the calendar
			return status(c, "GET", base+"/api/v1/gaps?from=0001-01-02&to=9999-12-31&period=day", secret, "") >= 400
		},
		func() bool { // a breakdown by a different attribute each time
			return status(c, "GET", fmt.Sprintf("%s/api/v1/gaps?by=attr%d&period=day&from=2012-01-01", base, i), secret, "") >= 400
		},
		func() bool { // a huge query string
			return status(c, "GET", base+"/api/v1/gaps?promise="+strings.Repeat("x", 64<<10), secret, "") >= 400
		},
		func() bool { // a 2 MiB JSON body
			return status(c, "POST", base+"/api/v1/users", secret, `{"name":"`+strings.Repeat("x", 2<<20)+`"}`) >= 400
		},
		func() bool { // a body trickled a byte at a time: held until cut off
			conn, err := net.Dial("tcp", host)
			if err != nil {
				return true
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /api/v1/reviews HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", secret)
			for range 100 {
				select {
				case <-stop:
					return false
				default:
				}
				if _, err := conn.Write([]byte(" ")); err != nil {
					return true
				}
				time.Sleep(200 * time.Millisecond)
			}
			return false
		},
		func() bool { // an idle connection that never sends a request
			conn, err := net.Dial("tcp", host)
			if err != nil {
				return true
			}
			defer conn.Close()
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, err = conn.Read(make([]byte, 1))
			return err != nil
		},
	}
	for k := i; ; k++ {
		select {
		case <-stop:
			return
		default:
		}
		sent.Add(1)
		if kinds[k%len(kinds)]() {
			refused.Add(1)
		}
	}
}

func status(c *nethttp.Client, method, url, secret, body string) int {
	req, _ := nethttp.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 599
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// resetPeak resets the server's peak resident memory (Linux).
func resetPeak() { os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", serverPID), []byte("5"), 0) }

// printPeak prints the server's peak resident memory since resetPeak.
func printPeak(phase string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", serverPID))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				fmt.Printf("server peak memory (%s): %d MiB resident\n", phase, kb>>10)
			}
		}
	}
}

func workspace() *saydo.Workspace {
	ws := &saydo.Workspace{Company: "Bench", Departments: []saydo.Department{{ID: "ops", Name: "Ops"}, {ID: "sales", Name: "Sales"}}}
	for i := range 10 {
		ws.Promises = append(ws.Promises, saydo.Promise{
			ID: fmt.Sprintf("promise-%d", i), Says: "bench", Owner: "ops", DeliveredBy: []string{"ops"},
			Metric: fmt.Sprintf("metric_%d", i%5), Period: saydo.Week,
			Objective: saydo.Objective{Kind: saydo.AtMost, Value: float64(50 + 10*i), Share: 0.9},
		})
	}
	return ws
}

// importRows posts k generated observations (rows off … off+k of the
// series) as one JSON Lines request body, streamed.
func importRows(c *nethttp.Client, base, secret string, start time.Time, off, k int) int64 {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<20)
		for i := off; i < off+k; i++ {
			at := start.Add(time.Duration(i%(365*24*3600)) * time.Second).Add(time.Duration(i/(365*24*3600)) * time.Millisecond)
			fmt.Fprintf(w, `{"metric":"metric_%d","value":%d,"at":"%s","region":"r%d"}`+"\n", i%5, (i*7919)%200, at.Format(time.RFC3339Nano), i%4)
		}
		w.Flush()
		pw.Close()
	}()
	req, _ := nethttp.NewRequest("POST", base+"/api/v1/observations", pr)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := c.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct{ Accepted, Rejected int64 }
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || json.Unmarshal(b, &res) != nil {
		log.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	return res.Accepted
}

func get(c *nethttp.Client, url, secret string) error {
	_, err := getSize(c, url, secret)
	return err
}

// getSize GETs url and returns the size of the body read (after
// decompression, when the server compressed it).
func getSize(c *nethttp.Client, url, secret string) (int64, error) {
	req, _ := nethttp.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return n, fmt.Errorf("status %d", resp.StatusCode)
	}
	return n, nil
}

// latencies are one phase's request times per path, and its failures.
type latencies struct {
	mu       sync.Mutex
	byPath   map[string][]time.Duration
	failures map[string]int64
	bytes    map[string]int64 // body bytes read, by path
}

// readers runs n clients for d, each going round paths, and returns every
// request's latency by path.
func readers(c *nethttp.Client, base, secret string, paths []string, n int, d time.Duration) *latencies {
	l := &latencies{byPath: map[string][]time.Duration{}, failures: map[string]int64{}, bytes: map[string]int64{}}
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := map[string][]time.Duration{}
			failed := map[string]int64{}
			read := map[string]int64{}
			for k := i; time.Now().Before(end); k++ {
				p := paths[k%len(paths)]
				t0 := time.Now()
				n, err := getSize(c, base+p, secret)
				if err != nil {
					failed[p]++
				}
				mine[p] = append(mine[p], time.Since(t0))
				read[p] += n
			}
			l.mu.Lock()
			for p, v := range mine {
				l.byPath[p] = append(l.byPath[p], v...)
			}
			for p, v := range failed {
				l.failures[p] += v
			}
			for p, v := range read {
				l.bytes[p] += v
			}
			l.mu.Unlock()
		}()
	}
	wg.Wait()
	return l
}

func report(l *latencies, phase string) {
	var paths []string
	for p := range l.byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		lat := l.byPath[p]
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		q := func(f float64) time.Duration { return lat[min(len(lat)-1, int(f*float64(len(lat))))] }
		fmt.Printf("GET %s%s: %d requests of %s, p50 %v, p99 %v, max %v, failures %d\n", p, phase, len(lat), size(l.bytes[p]/int64(len(lat))),
			q(0.50).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond), l.failures[p])
	}
}

// wireSizes GETs url as it is and gzipped, and says how large each was on
// the wire.
func wireSizes(url, secret string) string {
	c := &nethttp.Client{Transport: &nethttp.Transport{DisableCompression: true}}
	var sizes [2]int64
	for i, enc := range []string{"identity", "gzip"} {
		req, _ := nethttp.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Accept-Encoding", enc)
		resp, err := c.Do(req)
		if err != nil {
			return err.Error()
		}
		sizes[i], _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return fmt.Sprintf("%s as JSON, %s gzipped", size(sizes[0]), size(sizes[1]))
}

// size writes a body size for people: 2 B, 31.4 KB, 1.2 MB.
func size(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

type store interface {
	saydo.Store
	saydo.AccessStore
	saydo.ReviewStore
}

// openStore opens a fresh store: SQLite in dir (or a temporary one), or
// the schema saydo_bench_http of the PostgreSQL database db.
func openStore(ctx context.Context, db, dir string) (store, func()) {
	if postgres.IsDSN(db) {
		u, err := url.Parse(db)
		if err != nil {
			log.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", "saydo_bench_http")
		u.RawQuery = q.Encode()
		drop := func() {
			conn, err := pgx.Connect(ctx, db)
			if err != nil {
				log.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS saydo_bench_http CASCADE`); err != nil {
				log.Fatal(err)
			}
		}
		drop()
		st, err := postgres.Open(ctx, u.String())
		if err != nil {
			log.Fatal(err)
		}
		return st, func() { st.Close(); drop() }
	}
	d := dir
	remove := func() {}
	if d == "" {
		tmp, err := os.MkdirTemp("", "saydo-bench-http")
		if err != nil {
			log.Fatal(err)
		}
		d = tmp
		remove = func() { os.RemoveAll(tmp) }
	}
	st, err := sqlite.Open(ctx, filepath.Join(d, "saydo.db"))
	if err != nil {
		log.Fatal(err)
	}
	return st, func() { st.Close(); remove() }
}
