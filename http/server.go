// Package http serves saydo over HTTP: a JSON API under /api/v1 for scripts
// and other tools, a server-rendered dashboard for people, /healthz and
// /metrics for operators.
//
// The dashboard is html/template with its templates and assets embedded
// (go:embed) and parsed when the server is built, so a broken template
// fails at start, not on a user's click. Charts use a vendored uPlot; there
// is no build step and no network access at run time.
//
// Every route except /healthz, the login page and the static assets needs a
// session cookie or an API token (Authorization: Bearer TOKEN): 401 without,
// 403 when the role does not allow the action. Unsafe requests made with a
// session cookie also need the session's CSRF token.
//
// The package does not import other adapters: the workspace, the messages,
// the linter, the voice of the customer and feedback import come in as
// functions in Config, wired by cmd/saydo.
package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"maps"
	nethttp "net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/saydo/saydo"
)

// Config is everything a Server needs. Store, Access, Reviews and Workspace
// are required; the function fields are optional and the features they
// serve answer 501 Not Implemented when they are nil.
type Config struct {
	Store   saydo.Store
	Access  saydo.AccessStore
	Reviews saydo.ReviewStore
	// Workspace returns the current workspace; it may reload saydo.yaml
	// when the file changed.
	Workspace func() (*saydo.Workspace, error)
	// Messages returns the workspace's canned messages (messages/**).
	// When nil, the messages already in the store are used.
	Messages func(ctx context.Context, ws *saydo.Workspace) ([]saydo.Message, error)
	// Lint reviews one message; nil shows no findings.
	Lint func(ws *saydo.Workspace, m *saydo.Message) []saydo.Finding
	// Voice summarises the stored feedback: per promise and unmet
	// expectations.
	Voice func(ctx context.Context, ws *saydo.Workspace) (*VoiceReport, error)
	// RowReader reads a JSON Lines body (jsonl.NewReader).
	RowReader func(body io.Reader) saydo.RowReader
	// Alerts keeps the webhook delivery log shown to admins; nil answers
	// 501.
	Alerts saydo.AlertStore
	Logger *slog.Logger
	// SecureCookies marks cookies Secure: set it when the server is
	// reached over HTTPS (directly or behind a proxy).
	SecureCookies bool
	// SessionTTL is how long a sign-in lasts (default 12 hours).
	SessionTTL time.Duration
	// MaxBodyBytes caps JSON and form bodies (default 1 MiB);
	// MaxIngestBytes caps JSON Lines imports (default 512 MiB).
	MaxBodyBytes, MaxIngestBytes int64
	// ReportTTL is how long a computed gap report is reused for the same
	// query (default 2s); imports through this server drop it at once.
	ReportTTL time.Duration
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// Limits bound each request's and all requests' cost; zero fields
	// take their defaults.
	Limits Limits
}

// VoiceReport is what customers say: per promise, and the themes they
// raise that no promise covers (unmet expectations).
type VoiceReport struct {
	// Feedback is how many feedback items were read.
	Feedback int64                          `json:"feedback"`
	Promises map[string]*saydo.PromiseVoice `json:"promises"`
	Unmet    []saydo.Theme                  `json:"unmet"`
	Iceberg  *saydo.Iceberg                 `json:"iceberg,omitempty"`
}

// Server is saydo's HTTP server. It is an http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	mux     *nethttp.ServeMux
	handler nethttp.Handler
	pages   map[string]*template.Template
	routes  []route
	metrics *metrics
	reports *reportCache
	hashes  chan struct{} // bounds concurrent password hashing
	tokens  tokenCache
	// inFlight bounds the requests being handled (Limits.MaxInFlight).
	inFlight chan struct{}
	// conns is the listener's connection limiter, once Serve runs.
	conns atomic.Pointer[connLimiter]

	syncMu   sync.Mutex
	syncedAt time.Time
}

// route is one registered route, for the OpenAPI check and the metrics.
type route struct {
	method, path string
	api          bool
}

// NewServer builds a server; it panics if the embedded templates do not
// parse, which a test catches.
func NewServer(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxIngestBytes <= 0 {
		cfg.MaxIngestBytes = 512 << 20
	}
	if cfg.ReportTTL <= 0 {
		cfg.ReportTTL = 2 * time.Second
	}
	cfg.Limits.defaults()
	s := &Server{
		cfg:     cfg,
		log:     cfg.Logger,
		mux:     nethttp.NewServeMux(),
		metrics: newMetrics(),
		reports: newReportCache(cfg.ReportTTL, cfg.Limits.MaxComputing, cfg.Limits.MaxCacheBytes, cfg.Limits.WriteTimeout/2),
		hashes:  make(chan struct{}, 2),

		inFlight: make(chan struct{}, cfg.Limits.MaxInFlight),
	}
	s.pages = mustParsePages()
	s.register()
	s.handler = s.observe(s.guard(s.mux))
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.handler.ServeHTTP(w, r)
}

// handle registers a route. action is checked after authentication; an
// empty action means open.
func (s *Server) handle(method, path string, action saydo.Action, api bool, h func(w nethttp.ResponseWriter, r *nethttp.Request, who *principal)) {
	s.routes = append(s.routes, route{method, path, api})
	if api {
		h = documentedQuery(method, path, h)
	}
	s.mux.Handle(method+" "+path, s.authorize(action, api, h))
}

// queryParam is what openapi.json documents of one query parameter: the
// values it may take (empty: any) and whether it may be repeated (an
// array).
type queryParam struct {
	enum     []string
	repeated bool
}

// queryDocs lists, per API operation ("GET /api/v1/gaps"), the query
// parameters openapi.json documents for it: the one list of what each
// endpoint takes.
var queryDocs = sync.OnceValue(func() map[string]map[string]queryParam {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name, In string
				Schema   struct {
					Type string
					Enum []string
				}
			}
		}
	}
	out := map[string]map[string]queryParam{}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		panic("openapi.json: " + err.Error()) // embedded; TestOpenAPIMatchesRoutes reads it too
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			key := strings.ToUpper(method) + " " + path
			out[key] = map[string]queryParam{}
			for _, p := range op.Parameters {
				if p.In == "query" {
					out[key][p.Name] = queryParam{enum: p.Schema.Enum, repeated: p.Schema.Type == "array"}
				}
			}
		}
	}
	return out
})

// documentedQuery refuses, with 400, a query the endpoint's openapi.json
// entry does not allow: a parameter it does not document, one given twice
// that is not an array, a value outside its enum. Each would be answered
// as if not asked (a range on the voice report, a limit on a timeline, a
// misspelt review state; security.md V5).
func documentedQuery(method, path string, h func(w nethttp.ResponseWriter, r *nethttp.Request, who *principal)) func(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	known, ok := queryDocs()[method+" "+path]
	if !ok {
		return h // TestOpenAPIMatchesRoutes fails for an undocumented route
	}
	return func(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, nethttp.StatusBadRequest, "malformed query string: "+err.Error())
			return
		}
		for k, vs := range q {
			p, ok := known[k]
			switch {
			case !ok:
				takes := "takes no parameters"
				if len(known) > 0 {
					takes = "takes " + strings.Join(slices.Sorted(maps.Keys(known)), ", ")
				}
				writeError(w, nethttp.StatusBadRequest, fmt.Sprintf("unknown parameter %q: %s %s %s", k, method, path, takes))
				return
			case len(vs) > 1 && !p.repeated: // only the first would be read
				writeError(w, nethttp.StatusBadRequest, fmt.Sprintf("parameter %q given %d times: give it once", k, len(vs)))
				return
			}
			for _, v := range vs {
				if v != "" && len(p.enum) > 0 && !slices.Contains(p.enum, v) { // empty: the default, as the handlers read it
					writeError(w, nethttp.StatusBadRequest, fmt.Sprintf("%s %q: want %s", k, v, strings.Join(p.enum, ", ")))
					return
				}
			}
		}
		h(w, r, who)
	}
}

func (s *Server) register() {
	// Open.
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.routes = append(s.routes, route{"GET", "/healthz", false})
	s.mux.Handle("GET /assets/", assetHandler())
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)
	s.handle("POST", "/logout", saydo.ActionRead, false, s.logout)
	s.handle("GET", "/metrics", saydo.ActionRead, true, s.serveMetrics) // a machine reads it: 401, not a redirect

	// JSON API.
	s.handle("GET", "/api/v1/openapi.json", saydo.ActionRead, true, s.openAPI)
	s.handle("GET", "/api/v1/me", saydo.ActionRead, true, s.apiMe)
	s.handle("GET", "/api/v1/promises", saydo.ActionRead, true, s.apiPromises)
	s.handle("GET", "/api/v1/gaps", saydo.ActionRead, true, s.apiGaps)
	s.handle("GET", "/api/v1/voice", saydo.ActionRead, true, s.apiVoice)
	s.handle("POST", "/api/v1/observations", saydo.ActionIngest, true, s.apiIngestObservations)
	s.handle("POST", "/api/v1/feedback", saydo.ActionIngest, true, s.apiIngestFeedback)
	s.handle("GET", "/api/v1/messages", saydo.ActionRead, true, s.apiMessages)
	s.handle("GET", "/api/v1/messages/{id}", saydo.ActionRead, true, s.apiMessage)
	s.handle("GET", "/api/v1/reviews", saydo.ActionRead, true, s.apiReviews)
	s.handle("POST", "/api/v1/reviews", saydo.ActionReview, true, s.apiDecide)
	s.handle("GET", "/api/v1/audit", saydo.ActionRead, true, s.apiAudit)
	s.handle("POST", "/api/v1/journeys/check", saydo.ActionRead, true, s.apiJourneysCheck)
	s.handle("GET", "/api/v1/journeys", saydo.ActionRead, true, s.apiJourneys)
	s.handle("GET", "/api/v1/customers/{id}/timeline", saydo.ActionRead, true, s.apiCustomerTimeline)
	s.handle("GET", "/api/v1/users", saydo.ActionAdmin, true, s.apiUsers)
	s.handle("POST", "/api/v1/users", saydo.ActionAdmin, true, s.apiCreateUser)
	s.handle("GET", "/api/v1/tokens", saydo.ActionAdmin, true, s.apiTokens)
	s.handle("POST", "/api/v1/tokens", saydo.ActionAdmin, true, s.apiCreateToken)
	s.handle("DELETE", "/api/v1/tokens/{id}", saydo.ActionAdmin, true, s.apiDeleteToken)
	s.registerUsers()
	s.handle("GET", "/api/v1/alerts/deliveries", saydo.ActionAdmin, true, s.apiDeliveries)

	// Dashboard.
	s.handle("GET", "/{$}", saydo.ActionRead, false, s.overviewPage)
	s.handle("GET", "/promises/{id}", saydo.ActionRead, false, s.promisePage)
	s.handle("GET", "/expectations", saydo.ActionRead, false, s.expectationsPage)
	s.handle("GET", "/expectations/{n}", saydo.ActionRead, false, s.themePage)
	s.handle("GET", "/departments/{id}", saydo.ActionRead, false, s.departmentPage)
	s.handle("GET", "/journeys", saydo.ActionRead, false, s.journeysPage)
	s.handle("GET", "/customers/{id}", saydo.ActionRead, false, s.customerPage)
	s.handle("GET", "/messages", saydo.ActionRead, false, s.messagesPage)
	s.handle("GET", "/messages/{id}", saydo.ActionRead, false, s.messagePage)
	s.handle("POST", "/messages/{id}/review", saydo.ActionReview, false, s.reviewForm)
	s.handle("GET", "/alerts", saydo.ActionAdmin, false, s.alertsPage)

	// Anything else under /api/ is a JSON 404, not the dashboard's; a
	// known path with another method is 405 with the methods it has.
	// Either is said only to a caller who is signed in: to anyone else
	// every path is 401 (or the login page), so the routes are not
	// mapped by probing them. The same for the dashboard, as a page.
	s.mux.Handle("/api/", s.authorize(saydo.ActionRead, true, s.unrouted(true)))
	s.mux.Handle("/", s.authorize(saydo.ActionRead, false, s.unrouted(false)))
}

// unrouted answers a request no route takes: 405 with Allow when its path
// has routes for other methods, 404 otherwise; as the API's JSON error, or
// as a dashboard page (whose GET routes answer HEAD too).
func (s *Server) unrouted(api bool) func(nethttp.ResponseWriter, *nethttp.Request, *principal) {
	return func(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
		allow := s.allowed(r)
		if !api && slices.Contains(allow, nethttp.MethodGet) {
			allow = append(allow, nethttp.MethodHead)
		}
		methods := strings.Join(allow, ", ")
		switch {
		case len(allow) > 0 && api:
			w.Header().Set("Allow", methods)
			writeError(w, nethttp.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, methods))
		case len(allow) > 0:
			w.Header().Set("Allow", methods)
			s.renderError(w, r, who, nethttp.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed here; allowed: %s.", r.Method, methods))
		case api:
			writeError(w, nethttp.StatusNotFound, "no such endpoint; see /api/v1/openapi.json")
		default:
			s.renderError(w, r, who, nethttp.StatusNotFound, "There is no such page.")
		}
	}
}

// allowed lists the methods a route other than the catch-alls has
// for r's path.
func (s *Server) allowed(r *nethttp.Request) []string {
	var out []string
	for _, m := range []string{nethttp.MethodGet, nethttp.MethodPost, nethttp.MethodPut, nethttp.MethodPatch, nethttp.MethodDelete} {
		probe := &nethttp.Request{Method: m, URL: r.URL, Host: r.Host, Header: nethttp.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/" && pattern != "/" {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) healthz(w nethttp.ResponseWriter, r *nethttp.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// workspace returns the current workspace or writes a 500.
func (s *Server) workspace(w nethttp.ResponseWriter, r *nethttp.Request) (*saydo.Workspace, bool) {
	ws, err := s.cfg.Workspace()
	if err != nil {
		s.internal(w, r, "load workspace", err)
		return nil, false
	}
	return ws, true
}

// internal logs err with its details and tells the client only that
// something went wrong on our side.
//
// A report too large to compute (*saydo.RangeError, *saydo.LimitError) is
// the user mistake that can show only once the data is read; it is
// answered here, 400 with its message, so every report path classifies it
// the same way.
func (s *Server) internal(w nethttp.ResponseWriter, r *nethttp.Request, what string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	if errors.Is(err, errBusy) {
		w.Header().Set("Retry-After", "2")
		s.refuse(w, r, nethttp.StatusServiceUnavailable, err.Error())
		return
	}
	var re *saydo.RangeError
	var le *saydo.LimitError
	if errors.As(err, &re) || errors.As(err, &le) {
		if isAPI(r) {
			writeError(w, nethttp.StatusBadRequest, err.Error())
			return
		}
		nethttp.Error(w, err.Error(), nethttp.StatusBadRequest)
		return
	}
	s.log.Error(what, "err", err, "method", r.Method, "path", r.URL.Path)
	if isAPI(r) {
		writeError(w, nethttp.StatusInternalServerError, "internal error; the server log has the details")
		return
	}
	nethttp.Error(w, "Something went wrong on our side; the server log has the details.", nethttp.StatusInternalServerError)
}

// Changed tells the server that another process changed the store (what
// is a saydo.ChangeWatcher payload): cached reports are dropped, and after
// a change to users or tokens (or a lost notification connection) so are
// verified tokens, so a token revoked through another server stops working
// here at once.
func (s *Server) Changed(what string) {
	switch what {
	case "summaries":
		// A rebuild of summaries from the same observations: reports
		// computed from the observations stay right.
		return
	case "access", "reconnect":
		s.tokens.clear()
	case "observations", "feedback", "contacts", "messages", "reviews":
		// Only the reports computed from what changed.
		s.reports.invalidate(what)
		return
	}
	s.reports.invalidate()
}

// Watch keeps the server in step with other processes sharing its store
// until ctx ends, when the store is a saydo.ChangeWatcher (PostgreSQL);
// with any other store it returns at once. Reports then show another
// server's import as soon as it commits.
func (s *Server) Watch(ctx context.Context) error {
	cw, ok := s.cfg.Store.(saydo.ChangeWatcher)
	if !ok {
		return nil
	}
	return cw.WatchChanges(ctx, s.Changed)
}
