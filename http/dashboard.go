package http

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	nethttp "net/http"
	"sort"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

//go:embed html/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// pageNames are the dashboard's pages, each html/NAME.html on the layout.
var pageNames = []string{"login", "error", "overview", "promise", "expectations", "department", "messages", "message", "journeys", "customer"}

// mustParsePages parses every page with the layout; a broken template
// panics at start.
func mustParsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.New(name).Funcs(funcs)
		pages[name] = template.Must(t.ParseFS(templateFiles, "html/layout.html", "html/"+name+".html"))
	}
	return pages
}

// assetHandler serves the embedded assets with a long cache: their names
// change with the binary's content only through a new release.
func assetHandler() nethttp.Handler {
	sub, err := fs.Sub(assetFiles, "assets")
	if err != nil {
		panic(err)
	}
	files := nethttp.StripPrefix("/assets/", nethttp.FileServerFS(sub))
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			nethttp.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// page is what every page's template gets.
type page struct {
	Title   string
	Who     *principal
	Company string
	Depts   []saydo.Department
	Data    any
	Problem string
}

// render executes a page into a buffer first, so a template error is a
// clean 500 and never half a page.
func (s *Server) render(w nethttp.ResponseWriter, r *nethttp.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.internal(w, r, "render "+name, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) page(r *nethttp.Request, who *principal, title string, data any) page {
	p := page{Title: title, Who: who, Data: data}
	if ws, err := s.cfg.Workspace(); err == nil {
		p.Company, p.Depts = ws.Company, ws.Departments
	}
	return p
}

func (s *Server) renderError(w nethttp.ResponseWriter, r *nethttp.Request, who *principal, status int, msg string) {
	s.render(w, r, status, "error", s.page(r, who, nethttp.StatusText(status), msg))
}

// promiseRow is one promise on the overview and scorecards.
type promiseRow struct {
	saydo.PromiseGap
	// Missed counts observations that did not meet the threshold in the
	// latest period: the customers at stake.
	Missed int64
	Spark  string // SVG polyline points
}

func newPromiseRow(p saydo.PromiseGap) promiseRow {
	row := promiseRow{PromiseGap: p, Spark: sparkline(p.Periods, 120, 28)}
	if p.Latest != nil && !p.Objective.IsMean() {
		row.Missed = p.Latest.N - p.Latest.Met
	}
	return row
}

// sparkline returns SVG polyline points for the gap per period, from zero
// gap at the bottom to the worst gap at the top.
func sparkline(periods []saydo.PeriodGap, width, height float64) string {
	lo, hi := 0.0, 0.0
	var n int
	for _, p := range periods {
		if !math.IsNaN(p.Gap) {
			lo, hi = math.Min(lo, p.Gap), math.Max(hi, p.Gap)
			n++
		}
	}
	if n < 2 {
		return ""
	}
	if hi == lo {
		hi = lo + 1
	}
	var b strings.Builder
	step := width / float64(len(periods)-1)
	for i, p := range periods {
		if math.IsNaN(p.Gap) {
			continue
		}
		y := height - 2 - (p.Gap-lo)/(hi-lo)*(height-4)
		fmt.Fprintf(&b, "%.1f,%.1f ", float64(i)*step, y)
	}
	return strings.TrimSpace(b.String())
}

// worstFirst orders promises as a CX lead reads them: broken, at risk,
// kept, no data; the biggest gap first within each.
func worstFirst(ps []saydo.PromiseGap) []promiseRow {
	out := make([]promiseRow, 0, len(ps))
	for _, p := range ps {
		out = append(out, newPromiseRow(p))
	}
	sort.SliceStable(out, func(i, j int) bool {
		return saydo.WorseThan(out[i].Status, out[i].Latest, out[j].Status, out[j].Latest)
	})
	return out
}

func (s *Server) overviewPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	rep, err := s.gapReport(r.Context(), ws, ledger.GapQuery{})
	if err != nil {
		s.internal(w, r, "overview", err)
		return
	}
	counts := map[string]int{}
	for _, p := range rep.Promises {
		counts[string(p.Status)]++
	}
	s.render(w, r, nethttp.StatusOK, "overview", s.page(r, who, "Overview", map[string]any{
		"Rows": worstFirst(rep.Promises), "Counts": counts, "Statement": ws.Statement, "GeneratedAt": rep.GeneratedAt,
		"Impact": rep.Impact,
	}))
}

// chartData is what the promise page's chart draws: one point per period.
type chartData struct {
	Starts    []int64    `json:"x"` // Unix seconds
	Delivered []*float64 `json:"delivered"`
	Lo        []*float64 `json:"lo"`
	Hi        []*float64 `json:"hi"`
	Objective float64    `json:"objective"`
	IsMean    bool       `json:"is_mean"`
	// Actions are marked on the chart at their day.
	Actions []chartAction `json:"actions,omitempty"`
}

func numPtr(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

func (s *Server) promisePage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	pr, found := ws.Promise(id)
	if !found {
		s.renderError(w, r, who, nethttp.StatusNotFound, fmt.Sprintf("There is no promise %q.", id))
		return
	}
	v := r.URL.Query()
	by := v.Get("by")
	q := ledger.GapQuery{Promise: id, By: by}
	if p := v.Get("period"); p != "" {
		period, err := saydo.ParsePeriod(p)
		if err != nil {
			s.renderError(w, r, who, nethttp.StatusBadRequest, "period: want day, week or month")
			return
		}
		q.Period = period
	}
	rep, err := s.gapReport(r.Context(), ws, q)
	if err != nil {
		s.internal(w, r, "promise page", err)
		return
	}
	if len(rep.Promises) == 0 {
		s.renderError(w, r, who, nethttp.StatusNotFound, "No report for this promise.")
		return
	}
	pg := rep.Promises[0]
	cd := chartData{Objective: pr.Objective.Value, IsMean: pr.Objective.IsMean()}
	if !cd.IsMean {
		cd.Objective = pr.Objective.Share
	}
	for _, p := range pg.Periods {
		cd.Starts = append(cd.Starts, p.Start.Unix())
		cd.Delivered = append(cd.Delivered, numPtr(p.Delivered))
		cd.Lo = append(cd.Lo, numPtr(p.CI[0]))
		cd.Hi = append(cd.Hi, numPtr(p.CI[1]))
	}
	cd.Actions = chartActions(&pg, ws)
	var depts []saydo.Department
	for _, d := range append([]string{pr.Owner}, pr.DeliveredBy...) {
		if dep, ok := ws.Department(d); ok {
			depts = append(depts, *dep)
		}
	}
	periods := append([]saydo.PeriodGap(nil), pg.Periods...)
	for i, j := 0, len(periods)-1; i < j; i, j = i+1, j-1 { // newest first
		periods[i], periods[j] = periods[j], periods[i]
	}
	s.render(w, r, nethttp.StatusOK, "promise", s.page(r, who, pr.ID, map[string]any{
		"Promise": pr, "Gap": newPromiseRow(pg), "Periods": periods, "Chart": cd, "By": by,
		"Period": string(q.Period), "Departments": depts, "Attrs": attrSuggestions(pr),
	}))
}

// attrSuggestions are attributes worth breaking a promise down by.
func attrSuggestions(p *saydo.Promise) []string {
	out := []string{"region", "channel", "product", "agent"}
	for k := range p.Where {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Server) expectationsPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	vr, err := s.voice(r.Context(), ws)
	if err != nil {
		s.internal(w, r, "expectations", err)
		return
	}
	s.render(w, r, nethttp.StatusOK, "expectations", s.page(r, who, "Unmet expectations", vr))
}

func (s *Server) departmentPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	dep, found := ws.Department(r.PathValue("id"))
	if !found {
		s.renderError(w, r, who, nethttp.StatusNotFound, fmt.Sprintf("There is no department %q.", r.PathValue("id")))
		return
	}
	rep, err := s.gapReport(r.Context(), ws, ledger.GapQuery{})
	if err != nil {
		s.internal(w, r, "department", err)
		return
	}
	vr, err := s.voice(r.Context(), ws)
	if err != nil {
		s.log.Error("voice for department page", "err", err)
		vr = nil
	}
	var delivers, owns []saydo.PromiseGap
	type complaint struct {
		PromiseID string
		Voice     *saydo.PromiseVoice
	}
	var complaints []complaint
	for _, p := range rep.Promises {
		mine := false
		for _, d := range p.DeliveredBy {
			if d == dep.ID {
				mine = true
			}
		}
		if mine {
			delivers = append(delivers, p)
		} else if p.Owner == dep.ID {
			owns = append(owns, p)
		}
		if (mine || p.Owner == dep.ID) && vr != nil && vr.Promises[p.ID] != nil && vr.Promises[p.ID].Mentions > 0 {
			complaints = append(complaints, complaint{p.ID, vr.Promises[p.ID]})
		}
	}
	s.render(w, r, nethttp.StatusOK, "department", s.page(r, who, dep.Name, map[string]any{
		"Department": dep, "Delivers": worstFirst(delivers), "Owns": worstFirst(owns), "Complaints": complaints,
		"HasVoice": vr != nil, "Journeys": s.departmentJourneys(r.Context(), ws, dep.ID),
	}))
}

// messageRow is one message in the catalogue.
type messageRow struct {
	saydo.Message
	Review           saydo.Review
	Errors, Warnings int
	Findings         int
}

func (s *Server) messagesPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	ms, reviews, err := s.messages(r.Context(), ws)
	if err != nil {
		s.internal(w, r, "messages page", err)
		return
	}
	state := r.URL.Query().Get("state")
	var rows []messageRow
	counts := map[string]int{}
	for i := range ms {
		row := messageRow{Message: ms[i], Review: reviews[ms[i].ID]}
		counts[string(row.Review.State)]++
		if state != "" && string(row.Review.State) != state {
			continue
		}
		for _, f := range s.lint(ws, &ms[i]) {
			row.Findings++
			switch f.Level {
			case saydo.LevelError:
				row.Errors++
			case saydo.LevelWarning:
				row.Warnings++
			}
		}
		rows = append(rows, row)
	}
	s.render(w, r, nethttp.StatusOK, "messages", s.page(r, who, "Messages", map[string]any{
		"Rows": rows, "Counts": counts, "State": state, "Total": len(ms),
	}))
}

func (s *Server) messagePage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	s.renderMessage(w, r, who, nethttp.StatusOK, "")
}

func (s *Server) renderMessage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal, status int, problem string) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	d, err := s.messageDetail(r.Context(), ws, r.PathValue("id"))
	if errors.Is(err, saydo.ErrNotFound) {
		s.renderError(w, r, who, nethttp.StatusNotFound, fmt.Sprintf("There is no message %q.", r.PathValue("id")))
		return
	}
	if err != nil {
		s.internal(w, r, "message page", err)
		return
	}
	p := s.page(r, who, d.ID, map[string]any{"Detail": d, "CanReview": who.Role.Can(saydo.ActionReview)})
	p.Problem = problem
	s.render(w, r, status, "message", p)
}

// reviewForm takes the approve / request changes form of a message page.
func (s *Server) reviewForm(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	var version int
	if _, err := fmt.Sscan(r.PostFormValue("version"), &version); err != nil {
		s.renderMessage(w, r, who, nethttp.StatusBadRequest, "The form has no version; reload the page.")
		return
	}
	d := decision{MessageID: r.PathValue("id"), Version: version, Action: saydo.ReviewAction(r.PostFormValue("action")), Comment: r.PostFormValue("comment"),
		Override: r.PostFormValue("override") == "on"}
	_, status, err := s.decide(r.Context(), ws, who, d)
	if status == nethttp.StatusInternalServerError {
		s.internal(w, r, "review form", err)
		return
	}
	if err != nil {
		msg := err.Error()
		if status == nethttp.StatusConflict {
			msg = "This message changed or was decided since you opened it: " + msg + ". Review the current version."
		}
		s.renderMessage(w, r, who, status, msg)
		return
	}
	nethttp.Redirect(w, r, "/messages/"+d.MessageID, nethttp.StatusSeeOther)
}

// funcs are the template helpers.
var funcs = template.FuncMap{
	"figure": func(obj saydo.Objective, v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		if obj.IsMean() {
			return fmt.Sprintf("%.4g", v)
		}
		return fmt.Sprintf("%.1f%%", v*100)
	},
	"gap": func(obj saydo.Objective, g float64) string {
		if math.IsNaN(g) {
			return "—"
		}
		if obj.IsMean() {
			return fmt.Sprintf("%+.1f%%", g*100)
		}
		return fmt.Sprintf("%+.1f pp", g*100)
	},
	"pct": func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", v*100)
	},
	"arrow": func(d saydo.Direction) string {
		switch d {
		case saydo.Widening:
			return "↗ widening"
		case saydo.Narrowing:
			return "↘ narrowing"
		case saydo.Steady:
			return "→ steady"
		}
		return "· too few periods"
	},
	"status": func(st saydo.Status) string { return strings.ReplaceAll(string(st), "_", " ") },
	"state":  func(st saydo.ReviewState) string { return strings.ReplaceAll(string(st), "_", " ") },
	"date":   func(t time.Time) string { return t.Format(time.DateOnly) },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"thousands": func(n int64) string {
		s := fmt.Sprint(n)
		if n < 0 {
			return s
		}
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteRune(',')
			}
			b.WriteRune(c)
		}
		return b.String()
	},
	"deref": func(f *float64) float64 {
		if f == nil {
			return math.NaN()
		}
		return *f
	},
	"join": strings.Join,
	"ci": func(obj saydo.Objective, p *saydo.PeriodGap) string {
		if p == nil || math.IsNaN(p.CI[0]) || math.IsNaN(p.CI[1]) {
			return "—"
		}
		f := func(v float64) string {
			if obj.IsMean() {
				return fmt.Sprintf("%.4g", v)
			}
			return fmt.Sprintf("%.1f%%", v*100)
		}
		return f(p.CI[0]) + " – " + f(p.CI[1])
	},
	"level": func(l saydo.Level) string { return string(l) },
	// errorCount counts error-level findings: approving past them needs
	// an override and its reason.
	"errorCount": func(fs []saydo.Finding) int {
		n := 0
		for _, f := range fs {
			if f.Level == saydo.LevelError {
				n++
			}
		}
		return n
	},
}
