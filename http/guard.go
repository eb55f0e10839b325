package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	nethttp "net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// Limits bound what one request, and all requests together, may cost the
// server: time, connections, memory. They are enforced in one place, the
// guard (guard, Serve), so every route is held to them; the work a report
// may do is bounded in the domain (saydo.MaxPeriods, MaxReportPeriods,
// MaxBreakdownValues), which the command line shares. Zero fields take the
// defaults in brackets. docs/security.md lists what is tested against each.
type Limits struct {
	// MaxQueryBytes caps a URL's query string [4 KiB]: 414 beyond.
	MaxQueryBytes int
	// MaxQueryParams caps the parameters in a query string [32]: 400.
	MaxQueryParams int
	// MaxHeaderBytes caps the request line and headers [64 KiB]: 431.
	MaxHeaderBytes int
	// ReadHeaderTimeout is how long a client has to send the headers
	// [10 s].
	ReadHeaderTimeout time.Duration
	// BodyTimeout and MinBodyRate give a body its deadline: BodyTimeout
	// plus one second per MinBodyRate bytes received so far [10 s, 64
	// KiB/s]. A client that trickles a body is cut off (408); a large
	// import at a normal speed is not.
	BodyTimeout time.Duration
	MinBodyRate int64
	// WriteTimeout is how long a handler has to compute and write its
	// response [60 s]; an import gets it after its body has arrived.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections left idle [60 s].
	IdleTimeout time.Duration
	// MaxConns caps open connections [1024] and MaxConnsPerAddress those
	// from one client address [256]; a connection beyond is answered 503
	// and closed at once.
	MaxConns, MaxConnsPerAddress int
	// MaxInFlight caps requests being handled at once [256]; beyond,
	// 503 with Retry-After.
	MaxInFlight int
	// MaxComputing caps reports computed at once [2]; other requests wait
	// for a slot (within their write deadline) or are answered 503.
	MaxComputing int
	// MaxCacheBytes bounds the memory of cached reports [64 MiB].
	MaxCacheBytes int64
}

func (l *Limits) defaults() {
	set := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	setD := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	set(&l.MaxQueryBytes, 4<<10)
	set(&l.MaxQueryParams, 32)
	set(&l.MaxHeaderBytes, 64<<10)
	setD(&l.ReadHeaderTimeout, 10*time.Second)
	setD(&l.BodyTimeout, 10*time.Second)
	if l.MinBodyRate <= 0 {
		l.MinBodyRate = 64 << 10
	}
	setD(&l.WriteTimeout, 60*time.Second)
	setD(&l.IdleTimeout, 60*time.Second)
	set(&l.MaxConns, 1024)
	set(&l.MaxConnsPerAddress, 256)
	set(&l.MaxInFlight, 256)
	set(&l.MaxComputing, 2)
	if l.MaxCacheBytes <= 0 {
		l.MaxCacheBytes = 64 << 20
	}
}

// errSlowBody is a body that did not arrive within its deadline.
var errSlowBody = errors.New("the body arrived too slowly")

// guard holds every request to the Limits before it is routed: the size of
// its URL, a place among the requests in flight, deadlines for its body and
// its response.
func (s *Server) guard(next nethttp.Handler) nethttp.Handler {
	lim := &s.cfg.Limits
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		rc := nethttp.NewResponseController(w)
		start := time.Now()
		hasBody := r.Body != nil && r.Body != nethttp.NoBody
		if hasBody {
			// A request refused here, or a handler that never reads its
			// body, left net/http to read what is left of it before
			// answering, with no deadline: a body announced and never
			// sent held the connection, and shutdown, for ever. So the
			// body's deadline runs from now, read or not (deadlineBody
			// moves it as data arrives; errors mean the connection takes
			// no deadlines, a test recorder), and the answer closes the
			// connection unless the handler read the body to its end
			// (net/http then answers at once instead of reading on).
			_ = rc.SetReadDeadline(start.Add(lim.BodyTimeout))
			w.Header().Set("Connection", "close")
		}
		if len(r.URL.RawQuery) > lim.MaxQueryBytes {
			s.refuse(w, r, nethttp.StatusRequestURITooLong, fmt.Sprintf("the query string is longer than the limit of %d bytes", lim.MaxQueryBytes))
			return
		}
		if n := queryParams(r.URL.RawQuery); n > lim.MaxQueryParams {
			s.refuse(w, r, nethttp.StatusBadRequest, fmt.Sprintf("%d query parameters, more than the limit of %d", n, lim.MaxQueryParams))
			return
		}
		if r.URL.Path != "/healthz" {
			select {
			case s.inFlight <- struct{}{}:
				defer func() { <-s.inFlight }()
			default:
				w.Header().Set("Retry-After", "1")
				s.refuse(w, r, nethttp.StatusServiceUnavailable, "the server is busy; try again in a moment")
				return
			}
		}
		_ = rc.SetWriteDeadline(start.Add(lim.WriteTimeout))
		if hasBody {
			r.Body = &deadlineBody{r: r.Body, rc: rc, start: start, lim: lim, header: w.Header()}
		}
		next.ServeHTTP(w, r)
	})
}

// queryParams counts the parameters of a raw query without parsing it.
func queryParams(q string) int {
	if q == "" {
		return 0
	}
	n := 1
	for i := 0; i < len(q); i++ {
		if q[i] == '&' || q[i] == ';' {
			n++
		}
	}
	return n
}

// refuse answers a request the guard will not serve, as JSON on the API and
// as text elsewhere.
func (s *Server) refuse(w nethttp.ResponseWriter, r *nethttp.Request, status int, msg string) {
	s.log.Info("refused", "status", status, "reason", msg, "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
	if isAPI(r) {
		writeError(w, status, msg)
		return
	}
	nethttp.Error(w, msg, status)
}

// deadlineBody moves a request's read deadline as its body arrives, so a
// body must keep up Limits.MinBodyRate after Limits.BodyTimeout; the write
// deadline follows, so a long import still has WriteTimeout to answer.
type deadlineBody struct {
	r     io.ReadCloser
	rc    *nethttp.ResponseController
	start time.Time
	lim   *Limits
	n     int64
	slow  bool
	// header is the response's: the connection may be kept alive once
	// the body has been read to its end.
	header nethttp.Header
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	if b.slow {
		return 0, errSlowBody
	}
	allowed := b.lim.BodyTimeout + time.Duration(float64(b.n)/float64(b.lim.MinBodyRate)*float64(time.Second))
	dl := b.start.Add(allowed)
	_ = b.rc.SetReadDeadline(dl)
	_ = b.rc.SetWriteDeadline(dl.Add(b.lim.WriteTimeout))
	n, err := b.r.Read(p)
	b.n += int64(n)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		b.slow = true
		return n, errSlowBody
	}
	if err == io.EOF && b.header.Get("Connection") == "close" {
		b.header.Del("Connection")
	}
	return n, err
}

func (b *deadlineBody) Close() error { return b.r.Close() }

// Serve serves on ln until ctx is done, then shuts down gracefully (up to
// 15 s for requests in flight). The http.Server carries the Limits'
// header size and timeouts, and the listener their connection caps.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	lim := &s.cfg.Limits
	hs := &nethttp.Server{
		Handler:           s,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(s.LimitListener(ln)) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// LimitListener wraps ln with the Limits' connection caps (Serve does;
// tests that build their own http.Server use it).
func (s *Server) LimitListener(ln net.Listener) net.Listener {
	l := &connLimiter{Listener: ln, max: s.cfg.Limits.MaxConns, perAddr: s.cfg.Limits.MaxConnsPerAddress, byAddr: map[string]int{}, log: s.log}
	s.conns.Store(l)
	return l
}

// open returns how many connections the limiter holds.
func (l *connLimiter) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// connLimiter caps open connections, in all and per client address. A
// connection beyond a cap is answered 503 and closed at once rather than
// left waiting in the kernel's queue, so the client knows.
type connLimiter struct {
	net.Listener
	max, perAddr int
	log          *slog.Logger

	mu     sync.Mutex
	total  int
	byAddr map[string]int
}

// tooManyConns is the whole answer to a connection beyond the cap, written
// before any request is read: the API's JSON error, as every other refusal.
var tooManyConns = func() []byte {
	body, _ := json.Marshal(apiError{Error: "too many connections; try again in a moment", Status: nethttp.StatusServiceUnavailable})
	body = append(body, '\n')
	return fmt.Appendf(nil, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}()

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := c.RemoteAddr().String()
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
		l.mu.Lock()
		if l.total >= l.max || l.byAddr[addr] >= l.perAddr {
			total, mine := l.total, l.byAddr[addr]
			l.mu.Unlock()
			l.log.Warn("connection refused: too many", "remote", addr, "open", total, "from_address", mine)
			c.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
			c.Write(tooManyConns)
			c.Close()
			continue
		}
		l.total++
		l.byAddr[addr]++
		l.mu.Unlock()
		return &limitedConn{Conn: c, l: l, addr: addr}, nil
	}
}

func (l *connLimiter) release(addr string) {
	l.mu.Lock()
	l.total--
	if l.byAddr[addr]--; l.byAddr[addr] <= 0 {
		delete(l.byAddr, addr)
	}
	l.mu.Unlock()
}

type limitedConn struct {
	net.Conn
	l    *connLimiter
	addr string
	once sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.addr) })
	return err
}

// retryAfter formats seconds for a Retry-After header, at least 1.
func retryAfter(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.FormatInt(s, 10)
}
