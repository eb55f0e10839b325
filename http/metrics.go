package http

import (
	"bufio"
	"fmt"
	"math"
	nethttp "net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

// metrics are the request counters and latency histograms, written in the
// Prometheus text exposition format by hand: a dozen series do not need
// client_golang and its dependency tree (STYLE.md, few dependencies).
type metrics struct {
	mu       sync.Mutex
	requests map[requestKey]uint64
	latency  map[string]*histogram // by route
	ingest   map[string]uint64     // rows accepted, by kind
}

type requestKey struct {
	route, method string
	code          int
}

// latencyBuckets are the histogram's upper bounds in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[requestKey]uint64{}, latency: map[string]*histogram{}, ingest: map[string]uint64{}}
}

// metricMethods are the methods counted under their own name; any other
// (a client may send "MAAAA…", 60 KB of it) is counted as "other", so the
// metrics cannot be made to grow without bound.
var metricMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true}

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	if !metricMethods[method] {
		method = "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{route, method, code}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[route] = h
	}
	sec := d.Seconds()
	if i := sort.SearchFloat64s(latencyBuckets, sec); i < len(latencyBuckets) {
		h.counts[i]++
	}
	h.sum += sec
	h.n++
}

func (m *metrics) ingested(kind string, rows int64) {
	m.mu.Lock()
	m.ingest[kind] += uint64(rows)
	m.mu.Unlock()
}

// statusWriter remembers the status code written.
type statusWriter struct {
	nethttp.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = nethttp.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }

// observe wraps the mux: security headers, panic recovery, request
// metrics by route pattern (never by raw path, so label cardinality stays
// bounded).
func (s *Server) observe(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		start := time.Now()
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == nethttp.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "err", v, "method", r.Method, "path", r.URL.Path)
				if sw.code == 0 {
					writeError(sw, nethttp.StatusInternalServerError, "internal error; the server log has the details")
				}
			}
			route := r.Pattern
			if route == "" {
				route = "other"
			} else if _, p, ok := strings.Cut(route, " "); ok {
				route = p
			}
			code := sw.code
			if code == 0 {
				code = nethttp.StatusOK
			}
			s.metrics.observe(route, r.Method, code, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// serveMetrics writes every metric in the text exposition format 0.0.4.
func (s *Server) serveMetrics(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	rep, err := s.gapReport(r.Context(), ws, ledger.GapQuery{})
	if err != nil {
		s.internal(w, r, "metrics: gap report", err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // as every response (security.md V8)
	b := bufio.NewWriter(w)
	defer b.Flush()

	head := func(name, typ, help string) { fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ) }
	ps := append([]saydo.PromiseGap(nil), rep.Promises...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	latest := func(p saydo.PromiseGap, f func(*saydo.PeriodGap) float64) float64 {
		if p.Latest == nil {
			return math.NaN()
		}
		return f(p.Latest)
	}
	head("saydo_promise_delivered", "gauge", "Delivered in the latest period with data: the share meeting the threshold, or the mean.")
	for _, p := range ps {
		fmt.Fprintf(b, "saydo_promise_delivered{promise=%s} %s\n", label(p.ID), num(latest(p, func(l *saydo.PeriodGap) float64 { return l.Delivered })))
	}
	head("saydo_promise_gap", "gauge", "Gap to the objective in the latest period with data; positive means falling short.")
	for _, p := range ps {
		fmt.Fprintf(b, "saydo_promise_gap{promise=%s} %s\n", label(p.ID), num(latest(p, func(l *saydo.PeriodGap) float64 { return l.Gap })))
	}
	head("saydo_promise_observations", "gauge", "Observations in the latest period with data.")
	for _, p := range ps {
		fmt.Fprintf(b, "saydo_promise_observations{promise=%s} %s\n", label(p.ID), num(latest(p, func(l *saydo.PeriodGap) float64 { return float64(l.N) })))
	}
	head("saydo_promise_status", "gauge", "1 for the promise's current status (kept, at_risk, broken, no_data), 0 for the others.")
	for _, p := range ps {
		for _, st := range []saydo.Status{saydo.Kept, saydo.AtRisk, saydo.Broken, saydo.NoData} {
			v := 0
			if p.Status == st {
				v = 1
			}
			fmt.Fprintf(b, "saydo_promise_status{promise=%s,status=%s} %d\n", label(p.ID), label(string(st)), v)
		}
	}
	head("saydo_promise_trend", "gauge", "Trend of the gap: 1 widening, -1 narrowing, 0 steady or unknown.")
	for _, p := range ps {
		v := 0
		switch p.Trend.Direction {
		case saydo.Widening:
			v = 1
		case saydo.Narrowing:
			v = -1
		}
		fmt.Fprintf(b, "saydo_promise_trend{promise=%s} %d\n", label(p.ID), v)
	}

	s.metrics.mu.Lock()
	defer s.metrics.mu.Unlock()
	head("saydo_ingested_rows_total", "counter", "Rows accepted by imports through this server.")
	for _, k := range sortedKeys(s.metrics.ingest) {
		fmt.Fprintf(b, "saydo_ingested_rows_total{kind=%s} %d\n", label(k), s.metrics.ingest[k])
	}
	head("saydo_http_requests_total", "counter", "HTTP requests by route pattern, method and status code.")
	keys := make([]requestKey, 0, len(s.metrics.requests))
	for k := range s.metrics.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		}
		if a.method != c.method {
			return a.method < c.method
		}
		return a.code < c.code
	})
	for _, k := range keys {
		fmt.Fprintf(b, "saydo_http_requests_total{route=%s,method=%s,code=\"%d\"} %d\n", label(k.route), label(k.method), k.code, s.metrics.requests[k])
	}
	head("saydo_http_request_duration_seconds", "histogram", "HTTP request latency by route pattern.")
	for _, route := range sortedKeys(s.metrics.latency) {
		h := s.metrics.latency[route]
		var cum uint64
		for i, ub := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(b, "saydo_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", label(route), strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		fmt.Fprintf(b, "saydo_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label(route), h.n)
		fmt.Fprintf(b, "saydo_http_request_duration_seconds_sum{route=%s} %s\n", label(route), num(h.sum))
		fmt.Fprintf(b, "saydo_http_request_duration_seconds_count{route=%s} %d\n", label(route), h.n)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// label quotes a label value as the exposition format wants.
func label(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(v) + `"`
}

// num writes a sample value; NaN is valid in the format.
func num(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
