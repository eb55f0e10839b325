// Command http is the server's load benchmark: it fills a fresh store
// with observations through POST /api/v1/observations (JSON Lines), then
// measures GET /api/v1/gaps with concurrent clients on loopback, alone and
// while another import runs.
//
//	go run ./bench/http -n 10000000 -clients 100 -duration 20s
//	go run ./bench/http -db postgres://postgres@127.0.0.1:55432/saydo   the same on PostgreSQL
//	                                  (in the schema saydo_bench_http, dropped before and after)
//
// It prints figures, not verdicts: see docs/server.md.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/http"
	"github.com/saydo/saydo/jsonl"
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
	db := flag.String("db", "", "a postgres:// URL to run on PostgreSQL instead of SQLite")
	flag.Parse()
	ctx := context.Background()
	st, cleanup := openStore(ctx, *db, *dir)
	defer cleanup()

	ws := workspace()
	srv := http.NewServer(http.Config{
		Store: st, Access: st, Reviews: st,
		Workspace:      func() (*saydo.Workspace, error) { return ws, nil },
		RowReader:      func(r io.Reader) saydo.RowReader { return jsonl.NewReader(r) },
		MaxIngestBytes: 1 << 40,
	})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	secret, hash := http.NewToken()
	if _, err := st.CreateToken(ctx, "bench", saydo.RoleAdmin, hash, time.Time{}); err != nil {
		log.Fatal(err)
	}
	client := &nethttp.Client{Transport: &nethttp.Transport{MaxIdleConnsPerHost: *clients + 8, MaxConnsPerHost: *clients + 8}}

	fmt.Printf("saydo server benchmark: %d observations, %d readers, loopback\n\n", *n, *clients)
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

	// First report: summaries are refreshed once.
	t0 := time.Now()
	get(client, ts.URL+"/api/v1/gaps", secret)
	fmt.Printf("first GET /api/v1/gaps (refreshes summaries): %v\n", time.Since(t0).Round(time.Millisecond))

	lat := readers(client, ts.URL, secret, *clients, *duration, nil)
	report("GET /api/v1/gaps", lat, *duration)

	// Reads while an import runs.
	done := make(chan struct{})
	var importRate float64
	go func() {
		t0 := time.Now()
		k := min(*batch, 2_000_000)
		importRows(client, ts.URL, secret, start.AddDate(0, 0, 3), *n, k)
		importRate = float64(k) / time.Since(t0).Seconds()
		close(done)
	}()
	lat = readers(client, ts.URL, secret, *clients, 0, done)
	report("GET /api/v1/gaps during an import", lat, 0)
	fmt.Printf("the concurrent import: %.0f rows/s\n", importRate)
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

func workspace() *saydo.Workspace {
	ws := &saydo.Workspace{Company: "Bench", Departments: []saydo.Department{{ID: "ops", Name: "Ops"}}}
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
	req, _ := nethttp.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

var failures atomic.Int64

// readers runs n clients against url for d (or until stop closes) and
// returns every request's latency.
func readers(c *nethttp.Client, url, secret string, n int, d time.Duration, stop chan struct{}) []time.Duration {
	if len(url) > 0 && url[len(url)-1] != 's' && !contains(url, "/api/") {
		url += "/api/v1/gaps"
	}
	var mu sync.Mutex
	var all []time.Duration
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				if stop != nil {
					select {
					case <-stop:
						goto out
					default:
					}
				} else if time.Now().After(end) {
					break
				}
				t0 := time.Now()
				if err := get(c, url, secret); err != nil {
					failures.Add(1)
				}
				mine = append(mine, time.Since(t0))
			}
		out:
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func report(what string, lat []time.Duration, d time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		fmt.Printf("%s: no requests\n", what)
		return
	}
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("%s: %d requests, p50 %v, p99 %v, max %v, failures %d\n", what, len(lat),
		q(0.50).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond), failures.Swap(0))
}
