package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

// apiError is the body of every error response.
type apiError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

func isAPI(r *nethttp.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// writeJSON writes v indented as `saydo gap --format json` does.
func writeJSON(w nethttp.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func writeError(w nethttp.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg, Status: status})
}

// decodeJSON reads a JSON body strictly: unknown fields are errors, so a
// misspelt field is not silently ignored.
func decodeJSON(w nethttp.ResponseWriter, r *nethttp.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		// One object and nothing after it: a second object or stray
		// bytes are a client bug, or an attempt to smuggle a second
		// request past a proxy that reads only the first.
		if _, terr := dec.Token(); terr != io.EOF {
			err = errTrailingJSON
			if terr != nil && !isSyntax(terr) {
				err = terr // a read error: too large, too slow
			}
		}
	}
	if err != nil {
		var mbe *nethttp.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			writeError(w, nethttp.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than the limit of %d bytes", mbe.Limit))
		case errors.Is(err, errSlowBody):
			writeError(w, nethttp.StatusRequestTimeout, err.Error())
		default:
			writeError(w, nethttp.StatusBadRequest, "invalid JSON body: "+jsonReason(err))
		}
		return false
	}
	return true
}

// jsonReason says what is wrong with a JSON body in the client's terms:
// where it stops being JSON, which field has the wrong type, which field
// is unknown; not the decoder's wording ("invalid character 'o' in
// literal null").
func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not JSON at byte %d; send one JSON object", syn.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("field %q: want %s, got a JSON %s", typ.Field, typ.Type, typ.Value)
	case errors.As(err, &typ):
		return fmt.Sprintf("want a JSON object, got a JSON %s", typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the body ends before the JSON object does; send one JSON object"
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "unknown field " + f
	}
	return err.Error()
}

var errTrailingJSON = errors.New("data after the JSON object; send exactly one object")

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

func (s *Server) apiMe(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	writeJSON(w, nethttp.StatusOK, map[string]any{"name": who.Name, "role": who.Role, "kind": who.Kind, "csrf_token": who.CSRF})
}

// promiseJSON is a promise as the API shows it, in saydo.yaml's words.
type promiseJSON struct {
	ID          string              `json:"id"`
	Says        string              `json:"says"`
	MadeIn      []string            `json:"made_in,omitempty"`
	Owner       string              `json:"owner"`
	DeliveredBy []string            `json:"delivered_by"`
	Stage       saydo.Stage         `json:"stage,omitempty"`
	Metric      string              `json:"metric"`
	Objective   saydo.Objective     `json:"objective"`
	Period      saydo.Period        `json:"period"`
	Since       string              `json:"since,omitempty"`
	Until       string              `json:"until,omitempty"`
	Where       map[string]string   `json:"where,omitempty"`
	Voice       map[string][]string `json:"voice,omitempty"`
}

func (s *Server) apiPromises(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	out := make([]promiseJSON, 0, len(ws.Promises))
	for _, p := range ws.Promises {
		pj := promiseJSON{ID: p.ID, Says: p.Says, MadeIn: p.MadeIn, Owner: p.Owner, DeliveredBy: p.DeliveredBy,
			Stage: p.Stage, Metric: p.Metric, Objective: p.Objective, Period: p.Period, Where: p.Where, Voice: p.Voice}
		if !p.Since.IsZero() {
			pj.Since = p.Since.Format(time.DateOnly)
		}
		if !p.Until.IsZero() {
			pj.Until = p.Until.Format(time.DateOnly)
		}
		out = append(out, pj)
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"company": ws.Company, "promises": out})
}

// gapQuery reads the options of `saydo gap` from a query string: promise,
// period, from, to (inclusive), by, sort. Which parameters it may hold is
// documentedQuery's (openapi.json).
func gapQuery(ws *saydo.Workspace, v url.Values) (ledger.GapQuery, error) {
	q, err := ledger.ParseGapQuery(v.Get)
	if err != nil {
		return q, err
	}
	return q, ledger.CheckGapQuery(ws, q)
}

// gapReport computes (or reuses) the report for a query, with voice
// attached when available.
func (s *Server) gapReport(ctx context.Context, ws *saydo.Workspace, q ledger.GapQuery) (*saydo.GapReport, error) {
	key := fmt.Sprintf("gap|%p|%s|%s|%d|%d|%s", ws, q.Promise, q.Period, q.From.Unix(), q.To.Unix(), q.By)
	v, err := s.reports.get(ctx, key, s.cfg.Now(), func(ctx context.Context) (any, error) {
		rep, err := ledger.GapReport(ctx, s.cfg.Store, ws, q, s.cfg.Now())
		if err != nil {
			return nil, err
		}
		if vr, err := s.voice(ctx, ws); err == nil && vr != nil {
			for i := range rep.Promises {
				rep.Promises[i].Voice = vr.Promises[rep.Promises[i].ID]
			}
		}
		return rep, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*saydo.GapReport), nil
}

// voice computes (or reuses) the voice report; nil when not configured.
func (s *Server) voice(ctx context.Context, ws *saydo.Workspace) (*VoiceReport, error) {
	if s.cfg.Voice == nil {
		return nil, nil
	}
	v, err := s.reports.get(ctx, fmt.Sprintf("voice|%p", ws), s.cfg.Now(), func(ctx context.Context) (any, error) {
		return s.cfg.Voice(ctx, ws)
	})
	if err != nil {
		return nil, err
	}
	return v.(*VoiceReport), nil
}

func (s *Server) apiGaps(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	q, err := gapQuery(ws, r.URL.Query())
	if err != nil {
		writeError(w, nethttp.StatusBadRequest, err.Error())
		return
	}
	// Cache the encoded report too (JSON, gzip, ETag): under load,
	// encoding is most of the cost of a cached report.
	key := fmt.Sprintf("gapjson|%p|%s", ws, r.URL.RawQuery)
	body, err := s.reports.get(r.Context(), key, s.cfg.Now(), func(ctx context.Context) (any, error) {
		rep, err := s.gapReport(ctx, ws, q)
		if err != nil {
			return nil, err
		}
		return encodeReport(rep)
	})
	if err != nil {
		s.internal(w, r, "gap report", err)
		return
	}
	body.(*encodedReport).write(w, r)
}

func (s *Server) apiVoice(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	if s.cfg.Voice == nil {
		writeError(w, nethttp.StatusNotImplemented, "voice of the customer is not available in this build")
		return
	}
	vr, err := s.voice(r.Context(), ws)
	if err != nil {
		s.internal(w, r, "voice", err)
		return
	}
	writeJSON(w, nethttp.StatusOK, vr)
}

// ingestResponse accounts for every row of an import, as `saydo ingest
// --report json` does: read = accepted + replaced + rejected + duplicates +
// not stored (rows a strict import rolled back did not reject).
type ingestResponse struct {
	Read       int64 `json:"read"`
	Accepted   int64 `json:"accepted"`
	Replaced   int64 `json:"replaced"`
	Rejected   int64 `json:"rejected"`
	Duplicates int64 `json:"duplicates"`
	Committed  bool  `json:"committed"`
	NotStored  int64 `json:"not_stored"`
	ElapsedMS  int64 `json:"elapsed_ms"`
	// Rejects lists the rejected rows (line and reason), at most
	// maxRejects; RejectsTruncated says when there were more.
	Rejects          []ledger.Rejection `json:"rejects"`
	RejectsTruncated bool               `json:"rejects_truncated,omitempty"`
}

const maxRejects = 1000

// rejectList keeps the first rejected rows for the response.
type rejectList struct {
	list      []ledger.Rejection
	truncated bool
}

func (l *rejectList) Reject(row *saydo.Row, reason string) error {
	if len(l.list) >= maxRejects {
		l.truncated = true
		return nil
	}
	l.list = append(l.list, ledger.Rejection{Line: row.Line, Reason: reason})
	return nil
}

// ingestOptions reads the import options from the query string: strict,
// time_layout, map=FIELD=COLUMN and set=FIELD=VALUE (repeatable), as the
// CLI's flags.
func ingestOptions(v url.Values) (ledger.IngestOptions, error) {
	// Sequential: an import through the server uses one core, leaving the
	// other to the people reading reports meanwhile.
	opts := ledger.IngestOptions{Map: map[string]string{}, Set: map[string]string{}, TimeLayout: v.Get("time_layout"), Sequential: true}
	switch v.Get("strict") { // which parameters v may hold is documentedQuery's
	case "", "false", "0":
	case "true", "1":
		opts.Strict = true
	default:
		return opts, fmt.Errorf("strict %q: want true or false", v.Get("strict"))
	}
	for _, kv := range []struct {
		name string
		dst  map[string]string
	}{{"map", opts.Map}, {"set", opts.Set}} {
		for _, m := range v[kv.name] {
			field, val, ok := strings.Cut(m, "=")
			if !ok || field == "" || (kv.name == "map" && val == "") {
				return opts, fmt.Errorf("%s %q: want FIELD=%s", kv.name, m, map[string]string{"map": "COLUMN", "set": "VALUE"}[kv.name])
			}
			kv.dst[field] = val
		}
	}
	return opts, nil
}

func (s *Server) apiIngestObservations(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	s.ingest(w, r, who, "observations", func(ctx context.Context, st saydo.Store, ws *saydo.Workspace, rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error) {
		return ledger.IngestObservations(ctx, st, ws, rr, opts)
	})
}

func (s *Server) apiIngestFeedback(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	s.ingest(w, r, who, "feedback", ledger.IngestFeedback)
}

type ingestFunc func(ctx context.Context, st saydo.Store, ws *saydo.Workspace, rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error)

// ingest imports a JSON Lines body with the same validation and rejects as
// the CLI and reports every row in the response.
func (s *Server) ingest(w nethttp.ResponseWriter, r *nethttp.Request, who *principal, kind string, run ingestFunc) {
	if s.cfg.RowReader == nil {
		writeError(w, nethttp.StatusNotImplemented, "JSON Lines import is not available in this build")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/x-ndjson") &&
		!strings.HasPrefix(ct, "application/jsonl") && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "text/plain") {
		writeError(w, nethttp.StatusUnsupportedMediaType, "send JSON Lines (Content-Type: application/x-ndjson), one object per line")
		return
	}
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	opts, err := ingestOptions(r.URL.Query())
	if err != nil {
		writeError(w, nethttp.StatusBadRequest, err.Error())
		return
	}
	rejects := &rejectList{}
	opts.Rejects = rejects
	st := &failureRecorder{Store: s.cfg.Store}
	// At a lower priority than the readers: reports stay fast while a bulk
	// import runs, which takes whatever the readers leave.
	var res *ledger.IngestResult
	yielding(func() { res, err = run(r.Context(), st, ws, s.cfg.RowReader(r.Body), opts) })
	if res != nil && res.Accepted > 0 || err != nil {
		s.reports.invalidate(kind)
	}
	if err != nil {
		// What was committed before the failure stays stored: the audit
		// log and the metrics account for it, whether the client is
		// still there to read the answer or not.
		var read, stored int64
		if res != nil {
			read, stored = res.Read, res.Accepted+res.Replaced
		}
		s.audit(context.WithoutCancel(r.Context()), who.Actor(), "ingest_"+kind, kind,
			fmt.Sprintf("stopped (%v): read %d, stored %d before it", err, read, stored))
		s.metrics.ingested(kind, stored)
		var mbe *nethttp.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			writeError(w, nethttp.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than the limit of %d bytes; %d rows before the limit were stored (send the rest again: re-importing is idempotent)", mbe.Limit, stored))
		case errors.Is(err, errSlowBody):
			writeError(w, nethttp.StatusRequestTimeout, fmt.Sprintf("%v; %d rows before it were stored (send the rest again: re-importing is idempotent)", err, stored))
		case st.failed != nil || errors.Is(err, context.Canceled):
			s.internal(w, r, "ingest "+kind, err)
		default:
			writeError(w, nethttp.StatusBadRequest, err.Error())
		}
		return
	}
	s.audit(r.Context(), who.Actor(), "ingest_"+kind, kind,
		fmt.Sprintf("read %d, accepted %d, replaced %d, rejected %d, duplicates %d", res.Read, res.Accepted, res.Replaced, res.Rejected, res.Duplicates))
	s.metrics.ingested(kind, res.Accepted)
	out := ingestResponse{Read: res.Read, Accepted: res.Accepted, Replaced: res.Replaced, Rejected: res.Rejected, Duplicates: res.Duplicates,
		Committed: res.Committed, NotStored: res.NotStored, ElapsedMS: res.Elapsed.Milliseconds(),
		Rejects: rejects.list, RejectsTruncated: rejects.truncated}
	if out.Rejects == nil {
		out.Rejects = []ledger.Rejection{}
	}
	status := nethttp.StatusOK
	if !res.Committed {
		status = nethttp.StatusUnprocessableEntity // strict and some rows rejected: nothing stored
	}
	writeJSON(w, status, out)
}

// failureRecorder notes whether the store itself failed during an import,
// so the response can tell the client's mistakes (400) from ours (500).
type failureRecorder struct {
	saydo.Store
	failed error
}

func (f *failureRecorder) BeginObservations(ctx context.Context) (saydo.ObservationTx, error) {
	tx, err := f.Store.BeginObservations(ctx)
	if err != nil {
		f.failed = err
		return nil, err
	}
	return &txRecorder{tx, f}, nil
}

func (f *failureRecorder) BeginFeedback(ctx context.Context) (saydo.FeedbackTx, error) {
	tx, err := f.Store.BeginFeedback(ctx)
	if err != nil {
		f.failed = err
		return nil, err
	}
	return &feedbackTxRecorder{tx, f}, nil
}

type txRecorder struct {
	saydo.ObservationTx
	f *failureRecorder
}

func (t *txRecorder) Insert(b []saydo.Observation) (int, error) {
	n, err := t.ObservationTx.Insert(b)
	if err != nil {
		t.f.failed = err
	}
	return n, err
}

func (t *txRecorder) Commit() error {
	err := t.ObservationTx.Commit()
	if err != nil {
		t.f.failed = err
	}
	return err
}

type feedbackTxRecorder struct {
	saydo.FeedbackTx
	f *failureRecorder
}

func (t *feedbackTxRecorder) Insert(b []saydo.Feedback) (int, int, error) {
	n, r, err := t.FeedbackTx.Insert(b)
	if err != nil {
		t.f.failed = err
	}
	return n, r, err
}

func (t *feedbackTxRecorder) InsertNew(b []saydo.Feedback, fresh []bool) (int, int, error) {
	n, r, err := t.FeedbackTx.InsertNew(b, fresh)
	if err != nil {
		t.f.failed = err
	}
	return n, r, err
}

func (t *feedbackTxRecorder) Commit() error {
	err := t.FeedbackTx.Commit()
	if err != nil {
		t.f.failed = err
	}
	return err
}

// messageJSON is a message with its review and lint findings.
type messageJSON struct {
	saydo.Message
	Review   *saydo.Review   `json:"review,omitempty"`
	Findings []saydo.Finding `json:"findings"`
}

func (s *Server) lint(ws *saydo.Workspace, m *saydo.Message) []saydo.Finding {
	if s.cfg.Lint == nil {
		return []saydo.Finding{}
	}
	f := s.cfg.Lint(ws, m)
	if f == nil {
		f = []saydo.Finding{}
	}
	return f
}

func (s *Server) apiMessages(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	ms, reviews, err := s.messages(r.Context(), ws)
	if err != nil {
		s.internal(w, r, "messages", err)
		return
	}
	out := make([]messageJSON, 0, len(ms))
	for i := range ms {
		m := messageJSON{Message: ms[i], Findings: s.lint(ws, &ms[i])}
		if rv, ok := reviews[ms[i].ID]; ok {
			m.Review = &rv
		}
		out = append(out, m)
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"messages": out})
}

// messageDetail is one message: every version with its findings, and the
// review history.
type messageDetail struct {
	ID       string         `json:"id"`
	Review   *saydo.Review  `json:"review,omitempty"`
	Versions []messageJSON  `json:"versions"`
	History  []saydo.Review `json:"history"`
}

func (s *Server) messageDetail(ctx context.Context, ws *saydo.Workspace, id string) (*messageDetail, error) {
	if _, _, err := s.messages(ctx, ws); err != nil {
		return nil, err
	}
	versions, err := s.cfg.Store.MessageVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &messageDetail{ID: id, History: []saydo.Review{}}
	hist, err := s.cfg.Reviews.ReviewHistory(ctx, id)
	if err != nil && !errors.Is(err, saydo.ErrNotFound) {
		return nil, err
	}
	if hist != nil {
		d.History = hist
	}
	states := map[int]saydo.Review{}
	for _, h := range hist {
		states[h.Version] = h
	}
	for i := len(versions) - 1; i >= 0; i-- { // newest first
		v := versions[i]
		mj := messageJSON{Message: v, Findings: s.lint(ws, &v)}
		if rv, ok := states[v.Version]; ok {
			mj.Review = &rv
		}
		d.Versions = append(d.Versions, mj)
	}
	if len(d.Versions) > 0 {
		d.Review = d.Versions[0].Review
	}
	return d, nil
}

func (s *Server) apiMessage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	d, err := s.messageDetail(r.Context(), ws, r.PathValue("id"))
	if errors.Is(err, saydo.ErrNotFound) {
		writeError(w, nethttp.StatusNotFound, fmt.Sprintf("no message %q", r.PathValue("id")))
		return
	}
	if err != nil {
		s.internal(w, r, "message", err)
		return
	}
	writeJSON(w, nethttp.StatusOK, d)
}

// messageSyncInterval is how often the workspace's messages are compared
// with the stored versions; a changed body becomes a new version in review.
const messageSyncInterval = 2 * time.Second

// messages returns the current messages with their version numbers and
// the review of each latest version. Workspace files are stored as new
// versions when they changed (at most every messageSyncInterval).
func (s *Server) messages(ctx context.Context, ws *saydo.Workspace) ([]saydo.Message, map[string]saydo.Review, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	now := s.cfg.Now()
	if s.cfg.Messages != nil && now.Sub(s.syncedAt) >= messageSyncInterval {
		files, err := s.cfg.Messages(ctx, ws)
		if err != nil {
			return nil, nil, fmt.Errorf("load messages: %w", err)
		}
		for _, m := range files {
			if _, _, err := s.cfg.Store.PutMessage(ctx, m); err != nil {
				return nil, nil, err
			}
		}
		s.syncedAt = now
	}
	ms, err := s.cfg.Store.Messages(ctx)
	if err != nil {
		return nil, nil, err
	}
	reviews, err := s.cfg.Reviews.CurrentReviews(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range ms {
		if rv, ok := reviews[m.ID]; ok && rv.Version >= m.Version {
			continue
		}
		rv, _, err := s.cfg.Reviews.SyncVersion(ctx, m.ID, m.Version, saydo.InReview, now)
		if err != nil {
			return nil, nil, err
		}
		reviews[m.ID] = rv
	}
	return ms, reviews, nil
}

func (s *Server) apiReviews(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	_, reviews, err := s.messages(r.Context(), ws)
	if err != nil {
		s.internal(w, r, "reviews", err)
		return
	}
	out := make([]saydo.Review, 0, len(reviews))
	for _, rv := range reviews {
		if st := r.URL.Query().Get("state"); st == "" || string(rv.State) == st {
			out = append(out, rv)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MessageID < out[j].MessageID })
	writeJSON(w, nethttp.StatusOK, map[string]any{"reviews": out})
}

// decision is the body of POST /api/v1/reviews.
type decision struct {
	MessageID string             `json:"message_id"`
	Version   int                `json:"version"`
	Action    saydo.ReviewAction `json:"action"`
	Comment   string             `json:"comment"`
	// Override approves a version despite error-level lint findings; it
	// needs a comment giving the reason, and the audit log records it.
	Override bool `json:"override,omitempty"`
}

// decide validates and applies a decision; it returns the HTTP status and
// a message for the client on failure.
func (s *Server) decide(ctx context.Context, ws *saydo.Workspace, who *principal, d decision) (saydo.Review, int, error) {
	switch d.Action {
	case saydo.ActionApprove, saydo.ActionRequestChanges, saydo.ActionSubmit:
	default:
		return saydo.Review{}, nethttp.StatusBadRequest, fmt.Errorf("action %q: want approve, request_changes or submit", d.Action)
	}
	d.Comment = strings.TrimSpace(d.Comment)
	if d.Action == saydo.ActionRequestChanges && d.Comment == "" {
		return saydo.Review{}, nethttp.StatusBadRequest, errors.New("say what to change: a comment is required")
	}
	if len(d.Comment) > 4000 {
		return saydo.Review{}, nethttp.StatusBadRequest, errors.New("the comment is longer than 4000 bytes")
	}
	if d.MessageID == "" || d.Version <= 0 {
		return saydo.Review{}, nethttp.StatusBadRequest, errors.New("message_id and version are required")
	}
	if _, _, err := s.messages(ctx, ws); err != nil {
		return saydo.Review{}, nethttp.StatusInternalServerError, err
	}
	auditDetail := ""
	if d.Action == saydo.ActionApprove {
		// Separation of duties, second half: lint errors are not waved
		// through with one click (SPEC.md).
		errs, err := s.lintErrors(ctx, ws, d.MessageID, d.Version)
		switch {
		case errors.Is(err, saydo.ErrNotFound):
			return saydo.Review{}, nethttp.StatusNotFound, fmt.Errorf("no message %q", d.MessageID)
		case err != nil:
			return saydo.Review{}, nethttp.StatusInternalServerError, err
		}
		if len(errs) > 0 {
			if !d.Override || d.Comment == "" {
				return saydo.Review{}, nethttp.StatusUnprocessableEntity, fmt.Errorf(
					"version %d has %d error-level lint %s (%s): fix the message, or approve with \"override\": true and a comment giving the reason",
					d.Version, len(errs), plural(len(errs), "finding", "findings"), strings.Join(errs, ", "))
			}
			auditDetail = fmt.Sprintf("override of %d lint %s (%s): %s", len(errs), plural(len(errs), "error", "errors"), strings.Join(errs, ", "), d.Comment)
		}
	}
	rv, err := s.cfg.Reviews.Decide(ctx, d.MessageID, d.Version, d.Action, who.Actor(), d.Comment, auditDetail, s.cfg.Now())
	switch {
	case errors.Is(err, saydo.ErrNotFound):
		return rv, nethttp.StatusNotFound, fmt.Errorf("no message %q", d.MessageID)
	case errors.Is(err, saydo.ErrSelfApproval):
		return rv, nethttp.StatusForbidden, fmt.Errorf("you submitted version %d of %s: someone else must approve it (separation of duties)", d.Version, d.MessageID)
	case errors.Is(err, saydo.ErrConflict):
		// The reason, without the sentinel's own word at its end
		// ("…, not 2: conflict"): the status says it.
		return rv, nethttp.StatusConflict, errors.New(strings.TrimSuffix(err.Error(), ": "+saydo.ErrConflict.Error()))
	case err != nil:
		return rv, nethttp.StatusInternalServerError, err
	}
	return rv, nethttp.StatusOK, nil
}

// lintErrors returns the rules of the error-level lint findings of a
// version of a message (one entry per finding); ErrNotFound when the
// message is unknown.
func (s *Server) lintErrors(ctx context.Context, ws *saydo.Workspace, id string, version int) ([]string, error) {
	versions, err := s.cfg.Store.MessageVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range versions {
		if versions[i].Version != version {
			continue
		}
		var out []string
		for _, f := range s.lint(ws, &versions[i]) {
			if f.Level == saydo.LevelError {
				out = append(out, f.Rule)
			}
		}
		return out, nil
	}
	return nil, nil // not a stored version: Decide answers with a conflict
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (s *Server) apiDecide(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	var d decision
	if !decodeJSON(w, r, &d) {
		return
	}
	rv, status, err := s.decide(r.Context(), ws, who, d)
	if status == nethttp.StatusInternalServerError {
		s.internal(w, r, "decide", err)
		return
	}
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	writeJSON(w, nethttp.StatusOK, rv)
}

func (s *Server) apiAudit(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	q := r.URL.Query()
	before, limit := int64(0), 100
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeError(w, nethttp.StatusBadRequest, "before: want an entry id")
			return
		}
		before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, nethttp.StatusBadRequest, "limit: want a number from 1 to 1000")
			return
		}
		limit = n
	}
	entries, err := s.cfg.Reviews.Audit(r.Context(), before, limit)
	if err != nil {
		s.internal(w, r, "audit", err)
		return
	}
	if entries == nil {
		entries = []saydo.AuditEntry{}
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"entries": entries})
}

func (s *Server) apiUsers(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	users, err := s.cfg.Access.Users(r.Context())
	if err != nil {
		s.internal(w, r, "users", err)
		return
	}
	if users == nil {
		users = []saydo.User{}
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"users": users})
}

// validName is a user or token name: 1 to 64 printable characters without
// spaces at the ends.
func validName(name string) error {
	if name == "" || len(name) > 64 || strings.TrimSpace(name) != name || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return errors.New("name: 1 to 64 printable characters")
	}
	return nil
}

func (s *Server) apiCreateUser(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	var body struct {
		Name     string `json:"name"`
		Role     string `json:"role"`
		Password string `json:"password"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	role, err := saydo.ParseRole(body.Role)
	if err == nil {
		err = validName(body.Name)
	}
	if err == nil && len(body.Password) < 12 {
		err = errors.New("password: at least 12 characters")
	}
	if err == nil && len(body.Password) > 1024 {
		err = errors.New("password: at most 1024 characters")
	}
	if err != nil {
		writeError(w, nethttp.StatusBadRequest, err.Error())
		return
	}
	u, err := s.cfg.Access.CreateUser(r.Context(), body.Name, role, HashPassword(body.Password))
	if errors.Is(err, saydo.ErrExists) {
		writeError(w, nethttp.StatusConflict, fmt.Sprintf("a user named %q exists", body.Name))
		return
	}
	if err != nil {
		s.internal(w, r, "create user", err)
		return
	}
	s.audit(r.Context(), who.Actor(), "user_add", u.Name, "role "+string(role))
	writeJSON(w, nethttp.StatusCreated, u)
}

func (s *Server) apiTokens(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	toks, err := s.cfg.Access.Tokens(r.Context())
	if err != nil {
		s.internal(w, r, "tokens", err)
		return
	}
	if toks == nil {
		toks = []saydo.Token{}
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"tokens": toks})
}

func (s *Server) apiCreateToken(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	var body struct {
		Name string `json:"name"`
		Role string `json:"role"`
		// Expires is the token's lifetime ("90d", "12h") or last day
		// (YYYY-MM-DD); empty: it never expires.
		Expires string `json:"expires"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	role, err := saydo.ParseRole(body.Role)
	if err == nil {
		err = validName(body.Name)
	}
	var expires time.Time
	if err == nil {
		expires, err = parseExpiry(body.Expires, s.cfg.Now())
	}
	if err != nil {
		writeError(w, nethttp.StatusBadRequest, err.Error())
		return
	}
	secret, hash := NewToken()
	t, err := s.cfg.Access.CreateToken(r.Context(), body.Name, role, hash, expires)
	if err != nil {
		s.internal(w, r, "create token", err)
		return
	}
	s.audit(r.Context(), who.Actor(), "token_create", t.Name, TokenAuditDetail(role, expires))
	writeJSON(w, nethttp.StatusCreated, struct {
		saydo.Token
		Secret string `json:"token"`
	}{t, secret})
}

func (s *Server) apiDeleteToken(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, nethttp.StatusBadRequest, "id: want a token id")
		return
	}
	err = s.cfg.Access.DeleteToken(r.Context(), id)
	s.tokens.clear()
	if errors.Is(err, saydo.ErrNotFound) {
		writeError(w, nethttp.StatusNotFound, "no such token")
		return
	}
	if err != nil {
		s.internal(w, r, "delete token", err)
		return
	}
	s.audit(r.Context(), who.Actor(), "token_delete", strconv.FormatInt(id, 10), "")
	w.WriteHeader(nethttp.StatusNoContent)
}
