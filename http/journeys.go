package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/journey"
	"github.com/saydo/saydo/ledger"
)

// checkRequest is the body of POST /api/v1/journeys/check: a contact about
// to be sent.
type checkRequest struct {
	Customer   string `json:"customer"`
	Intent     string `json:"intent"`
	Department string `json:"department"`
	Channel    string `json:"channel"`
	// At is when it would be sent, RFC 3339; empty means now.
	At string `json:"at"`
	// Message is a catalogue message id; optional.
	Message string `json:"message"`
}

// checkResponse answers "may I send this to this customer now?".
type checkResponse struct {
	Allowed   bool               `json:"allowed"`
	Conflicts []journey.Conflict `json:"conflicts"`
	// At is the instant judged.
	At time.Time `json:"at"`
}

// apiJourneysCheck judges a contact before it is sent, with the same
// rules as saydo journeys, from the customer's stored contacts and
// complaints within the rules' lookback: a few indexed range reads.
func (s *Server) apiJourneysCheck(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	var req checkRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Message != "" {
		// A catalogue message fills what the request leaves out, as in
		// saydo ingest contacts.
		ms, err := s.catalogue(r.Context(), ws)
		if err != nil {
			s.internal(w, r, "journeys check: messages", err)
			return
		}
		i := slices.IndexFunc(ms, func(m saydo.Message) bool { return m.ID == req.Message })
		if i < 0 {
			writeError(w, nethttp.StatusBadRequest, fmt.Sprintf("message: no message %q in the catalogue", req.Message))
			return
		}
		m := &ms[i]
		if req.Department == "" {
			req.Department = m.Department
		}
		if req.Channel == "" {
			req.Channel = m.Channel
		}
		if req.Intent == "" {
			req.Intent = string(m.Intent)
		}
	}
	c, msg := checkContact(ws, &req, s.cfg.Now())
	if msg != "" {
		writeError(w, nethttp.StatusBadRequest, msg)
		return
	}
	e := journey.New(ws.Journeys)
	ctx := r.Context()
	to := c.At.Add(time.Millisecond) // the store keeps milliseconds: this instant included
	history, complaints, err := s.cfg.Store.CustomerHistory(ctx, c.Customer, c.At.Add(-e.Lookback()), c.At.Add(-e.ComplaintLookback()), to)
	if err != nil {
		s.internal(w, r, "journeys check", err)
		return
	}
	conflicts := e.Check(c.Customer, history, complaints, c)
	if conflicts == nil {
		conflicts = []journey.Conflict{}
	}
	writeJSON(w, nethttp.StatusOK, checkResponse{Allowed: len(conflicts) == 0, Conflicts: conflicts, At: c.At})
}

// catalogue returns the workspace's messages (the store's when the server
// has no Messages), reused for ReportTTL: checks that name a message do
// not read every message file each time. Message files with errors are
// left out (the messages page shows them).
func (s *Server) catalogue(ctx context.Context, ws *saydo.Workspace) ([]saydo.Message, error) {
	v, err := s.reports.get(ctx, fmt.Sprintf("catalogue|%p", ws), s.cfg.Now(), func(ctx context.Context) (any, error) {
		if s.cfg.Messages == nil {
			return s.cfg.Store.Messages(ctx)
		}
		ms, err := s.cfg.Messages(ctx, ws)
		if err != nil && len(ms) == 0 {
			return nil, err
		}
		return ms, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]saydo.Message), nil
}

// checkContact validates a check request into the contact it describes,
// or returns what is wrong with it.
func checkContact(ws *saydo.Workspace, req *checkRequest, now time.Time) (saydo.Contact, string) {
	c := saydo.Contact{Customer: strings.TrimSpace(req.Customer), Department: strings.ToLower(strings.TrimSpace(req.Department)),
		Channel: strings.ToLower(strings.TrimSpace(req.Channel)), Intent: saydo.Intent(strings.ToLower(strings.TrimSpace(req.Intent))), Message: req.Message}
	if c.Customer == "" {
		return c, "customer: required (the customer's id, as in the contacts and feedback imported)"
	}
	if c.Intent == "" {
		return c, "intent: required (offer, reminder, warning, survey, service or resolution), or a message whose front matter has one"
	}
	if !saydo.ValidIntent(string(c.Intent)) {
		return c, fmt.Sprintf("intent: unknown intent %q (want offer, reminder, warning, survey, service or resolution)", c.Intent)
	}
	if c.Department != "" && len(ws.Departments) > 0 {
		if _, ok := ws.Department(c.Department); !ok {
			ids := make([]string, len(ws.Departments))
			for i, d := range ws.Departments {
				ids[i] = d.ID
			}
			return c, fmt.Sprintf("department: unknown department %q (saydo.yaml has %s)", c.Department, strings.Join(ids, ", "))
		}
	}
	if c.Channel != "" && !slices.Contains(saydo.Channels, c.Channel) {
		if s := saydo.Suggest(c.Channel, saydo.Channels); s != "" {
			return c, fmt.Sprintf("channel: unknown channel %q (did you mean %q?)", c.Channel, s)
		}
	}
	c.At = now.UTC()
	if req.At != "" {
		at, err := time.Parse(time.RFC3339, req.At)
		if err != nil {
			return c, fmt.Sprintf("at: want an RFC 3339 time such as 2026-03-22T10:00:00Z, got %q", req.At)
		}
		c.At = at.UTC()
	}
	return c, ""
}

// journeysQuery reads from and to (dates, to inclusive) of a journeys
// request.
func journeysQuery(v url.Values) (ledger.JourneyOptions, error) {
	var opts ledger.JourneyOptions
	for k := range v {
		switch k {
		case "from", "to", "limit":
		default:
			return opts, fmt.Errorf("unknown parameter %q (parameters: from, to, limit)", k)
		}
	}
	if s := v.Get("from"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return opts, fmt.Errorf("from: want YYYY-MM-DD, got %q", s)
		}
		opts.From = t
	}
	if s := v.Get("to"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return opts, fmt.Errorf("to: want YYYY-MM-DD, got %q", s)
		}
		opts.To = t.AddDate(0, 0, 1)
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.To.After(opts.From) {
		return opts, fmt.Errorf("to is before from")
	}
	return opts, nil
}

// journeysReport is a journeys report with the first conflicts.
type journeysReport struct {
	*journey.Report
	// Conflicts are the first conflicts found (at most limit).
	Conflicts []journey.Conflict `json:"conflicts"`
}

// maxListedConflicts caps the conflicts a report keeps for the API.
const maxListedConflicts = 1000

// journeys computes (or reuses) the journeys report for a span.
func (s *Server) journeys(ctx context.Context, ws *saydo.Workspace, opts ledger.JourneyOptions) (*journeysReport, error) {
	key := fmt.Sprintf("journeys|%p|%d|%d", ws, opts.From.Unix(), opts.To.Unix())
	// The report reads every contact (seconds on millions), so the pages
	// reuse it within the minute it was computed in; an import through
	// this server makes it stale at once. The check before a send always
	// reads the store.
	v, err := s.reports.get(ctx, key, s.cfg.Now().Truncate(time.Minute), func(ctx context.Context) (any, error) {
		out := &journeysReport{Conflicts: []journey.Conflict{}}
		rep, err := ledger.Journeys(ctx, s.cfg.Store, ws, opts, func(c *journey.Conflict) error {
			if len(out.Conflicts) < maxListedConflicts {
				cp := *c
				if c.With != nil {
					w := *c.With
					cp.With = &w
				}
				out.Conflicts = append(out.Conflicts, cp)
			}
			return nil
		})
		out.Report = rep
		return out, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*journeysReport), nil
}

// apiJourneys is GET /api/v1/journeys: the saydo journeys report, with at
// most limit conflicts listed (default and maximum 1000; conflicts_total
// counts them all).
func (s *Server) apiJourneys(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	opts, err := journeysQuery(r.URL.Query())
	if err != nil {
		writeError(w, nethttp.StatusBadRequest, err.Error())
		return
	}
	limit := maxListedConflicts
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxListedConflicts {
			// Above the most listed is refused like below zero, not cut
			// to it without a word.
			writeError(w, nethttp.StatusBadRequest, fmt.Sprintf("limit: want a whole number from 0 to %d, got %q", maxListedConflicts, s))
			return
		}
		limit = n
	}
	// Cache the encoded report, as for gaps: under load, encoding a
	// thousand conflicts per request is most of the cost.
	key := fmt.Sprintf("journeysjson|%p|%d|%d|%d", ws, opts.From.Unix(), opts.To.Unix(), limit)
	body, err := s.reports.get(r.Context(), key, s.cfg.Now(), func(ctx context.Context) (any, error) {
		rep, err := s.journeys(ctx, ws, opts)
		if err != nil {
			return nil, err
		}
		out := *rep
		out.Conflicts = rep.Conflicts[:min(limit, len(rep.Conflicts))]
		return encodeReport(out)
	})
	if err != nil {
		s.internal(w, r, "journeys", err)
		return
	}
	body.(*encodedReport).write(w, r)
}

// customerTimeline returns one customer's timeline over opts' span (the
// whole history when unbounded), with department names.
func (s *Server) customerTimeline(ctx context.Context, ws *saydo.Workspace, customer string, opts ledger.JourneyOptions) ([]journey.Event, error) {
	names := map[string]string{}
	for _, d := range ws.Departments {
		names[d.ID] = d.Name
	}
	return ledger.CustomerTimeline(ctx, s.cfg.Store, journey.New(ws.Journeys), customer, opts.From, opts.To, names)
}

// apiCustomerTimeline is GET /api/v1/customers/{id}/timeline: everything
// the company did to one customer, and the complaints it got, in order.
func (s *Server) apiCustomerTimeline(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	opts, err := journeysQuery(r.URL.Query())
	if err != nil {
		writeError(w, nethttp.StatusBadRequest, err.Error())
		return
	}
	events, err := s.customerTimeline(r.Context(), ws, r.PathValue("id"), opts)
	if err != nil {
		s.internal(w, r, "customer timeline", err)
		return
	}
	if events == nil {
		events = []journey.Event{}
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"customer": r.PathValue("id"), "events": events})
}

// journeysPage is the dashboard's journeys page.
func (s *Server) journeysPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	opts, err := journeysQuery(r.URL.Query())
	if err != nil {
		s.renderError(w, r, who, nethttp.StatusBadRequest, err.Error())
		return
	}
	rep, err := s.journeys(r.Context(), ws, opts)
	if err != nil {
		s.internal(w, r, "journeys page", err)
		return
	}
	s.render(w, r, nethttp.StatusOK, "journeys", s.page(r, who, "Customer journeys", map[string]any{
		"Report": rep, "Names": departmentNames(ws), "From": r.URL.Query().Get("from"), "To": r.URL.Query().Get("to"),
	}))
}

// customerPage is one customer's timeline.
func (s *Server) customerPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	events, err := s.customerTimeline(r.Context(), ws, id, ledger.JourneyOptions{})
	if err != nil {
		s.internal(w, r, "customer page", err)
		return
	}
	if len(events) == 0 {
		s.renderError(w, r, who, nethttp.StatusNotFound, fmt.Sprintf("No contacts or complaints of customer %q are stored.", id))
		return
	}
	conflicts := 0
	for _, e := range events {
		conflicts += len(e.Rules)
	}
	s.render(w, r, nethttp.StatusOK, "customer", s.page(r, who, "Customer "+id, map[string]any{
		"Customer": id, "Events": events, "Conflicts": conflicts,
	}))
}

func departmentNames(ws *saydo.Workspace) map[string]string {
	names := map[string]string{}
	for _, d := range ws.Departments {
		names[d.ID] = d.Name
	}
	return names
}

// departmentJourneys is what a department's scorecard shows of the
// journeys: the conflicts it caused and suffered, and with whom.
type departmentJourneys struct {
	Caused, Suffered int64
	Pairs            []journey.DepartmentPair // those it is in
}

func (s *Server) departmentJourneys(ctx context.Context, ws *saydo.Workspace, dept string) *departmentJourneys {
	rep, err := s.journeys(ctx, ws, ledger.JourneyOptions{})
	if err != nil {
		s.log.Error("journeys for department page", "err", err)
		return nil
	}
	if rep.Contacts == 0 {
		return nil
	}
	out := &departmentJourneys{}
	for _, d := range rep.Departments {
		if d.Department == dept {
			out.Caused, out.Suffered = d.Caused, d.Suffered
		}
	}
	for _, p := range rep.ByDepartments {
		if p.Department == dept || p.With != nil && *p.With == dept {
			out.Pairs = append(out.Pairs, p)
		}
	}
	return out
}

func init() {
	funcs["weekbars"] = func(weeks []journey.WeekCount) string {
		if len(weeks) == 0 {
			return ""
		}
		return weeks[0].Week + " " + journey.Sparkline(weeks) + " " + weeks[len(weeks)-1].Week
	}
	funcs["deptname"] = func(names map[string]string, id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id
	}
}
