package http

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	nethttp "net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
	"github.com/saydo/saydo/impact"
	"github.com/saydo/saydo/ledger"
)

//go:embed html/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// pageNames are the dashboard's pages, each html/NAME.html on the layout.
var pageNames = []string{"login", "error", "overview", "promise", "expectations", "department", "messages", "message", "journeys", "customer", "theme"}

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
	// SparkHi and SparkLo label the sparkline's scale: the worst and the
	// best gap drawn (the bottom is the best, or no gap).
	SparkHi, SparkLo string
	// SparkZero is the y of the zero-gap line, when it is inside the
	// chart; negative otherwise.
	SparkZero float64
}

func newPromiseRow(p saydo.PromiseGap) promiseRow {
	row := promiseRow{PromiseGap: p, Spark: sparkline(p.Periods, 120, 28), SparkZero: -1}
	if row.Spark != "" {
		lo, hi := sparkRange(p.Periods)
		row.SparkHi, row.SparkLo = saydo.GapText(p.Objective, hi), saydo.GapText(p.Objective, lo)
		if lo < 0 && hi > 0 {
			row.SparkZero = 28 - 2 - (0-lo)/(hi-lo)*(28-4)
		}
	}
	if p.Latest != nil && !p.Objective.IsMean() {
		row.Missed = p.Latest.N - p.Latest.Met
	}
	return row
}

// sparkline returns SVG polyline points for the gap per period, from zero
// gap at the bottom to the worst gap at the top.
func sparkline(periods []saydo.PeriodGap, width, height float64) string {
	var n int
	for _, p := range periods {
		if !p.Partial && !math.IsNaN(p.Gap) && !math.IsInf(p.Gap, 0) {
			n++
		}
	}
	if n < 2 {
		return ""
	}
	lo, hi := sparkRange(periods)
	var b strings.Builder
	step := width / float64(len(periods)-1)
	for i, p := range periods {
		if p.Partial || math.IsNaN(p.Gap) || math.IsInf(p.Gap, 0) {
			continue // a partial period sets nothing, on the chart either
		}
		y := height - 2 - (p.Gap-lo)/(hi-lo)*(height-4)
		fmt.Fprintf(&b, "%.1f,%.1f ", float64(i)*step, y)
	}
	return strings.TrimSpace(b.String())
}

// sparkRange is the scale of a sparkline: from the best gap (or no gap)
// to the worst; never empty.
func sparkRange(periods []saydo.PeriodGap) (lo, hi float64) {
	for _, p := range periods {
		if !p.Partial && !math.IsNaN(p.Gap) && !math.IsInf(p.Gap, 0) {
			lo, hi = math.Min(lo, p.Gap), math.Max(hi, p.Gap)
		}
	}
	if hi == lo {
		hi = lo + 0.01
	}
	return lo, hi
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
	v := r.URL.Query()
	form := map[string]string{"from": v.Get("from"), "to": v.Get("to"), "period": v.Get("period")}
	q, err := ledger.ParseGapQuery(func(name string) string { return form[name] })
	if err == nil {
		err = ledger.CheckGapQuery(ws, q)
	}
	status := nethttp.StatusOK
	problem := ""
	if err != nil {
		// Say what is wrong above the form, and show the default view.
		status, problem, q = nethttp.StatusBadRequest, err.Error(), ledger.GapQuery{}
	}
	rep, err := s.gapReport(r.Context(), ws, q)
	var re *saydo.RangeError
	var le *saydo.LimitError
	if errors.As(err, &re) || errors.As(err, &le) {
		status, problem = nethttp.StatusBadRequest, err.Error()
		rep, err = s.gapReport(r.Context(), ws, ledger.GapQuery{})
	}
	if err != nil {
		s.internal(w, r, "overview", err)
		return
	}
	counts := map[string]int{}
	tiles := overviewTiles{}
	for _, p := range rep.Promises {
		counts[string(p.Status)]++
		if p.Status == saydo.Broken {
			tiles.Broken++
		}
		if l := p.Latest; l != nil && !p.Objective.IsMean() && (p.Status == saydo.Broken || p.Status == saydo.AtRisk) {
			tiles.Missed += l.N - l.Met
		}
		tiles.Segments += len(p.BrokenSegments)
	}
	tiles.NPS, tiles.NPSCI, tiles.NPSAnswers, tiles.NPSDirection, tiles.NPSSince = s.npsTile(r.Context(), rep)
	s.render(w, r, status, "overview", s.page(r, who, "Overview", map[string]any{
		"Rows": worstFirst(rep.Promises), "Counts": counts, "Statement": ws.Statement, "GeneratedAt": rep.GeneratedAt,
		"Impact": rep.Impact, "Form": form, "Problem": problem, "Tiles": tiles, "Periods": []string{"day", "week", "month", "quarter", "year"},
		"DataFrom": rep.DataFrom, "DataTo": rep.DataTo,
	}))
}

// overviewTiles are the headline figures above the overview's table.
type overviewTiles struct {
	Broken   int   // promises broken
	Missed   int64 // experiences that missed a broken or at-risk promise in its latest complete period
	Segments int   // segments broken while their promise is not
	// NPS of the latest complete month with answers, its 95% interval
	// (impact.NPSCounts.Interval), its direction and since when;
	// NaN when no feedback carries an NPS score.
	NPS          float64
	NPSCI        [2]float64
	NPSAnswers   int64
	NPSDirection saydo.Direction
	NPSSince     string
}

// npsTile computes the company's NPS per calendar month from the stored
// voice summaries (every feedback item with an NPS score, kept per day at
// import), and its direction now by the same change-point trend as the
// gaps, on the series (detractors − promoters)/answers, so narrowing there
// means NPS rising. NaN when no item has a score, or the summaries are not
// built yet (the voice report builds them).
func (s *Server) npsTile(ctx context.Context, rep *saydo.GapReport) (nps float64, ci [2]float64, answers int64, dir saydo.Direction, since string) {
	nps, dir = math.NaN(), saydo.Unknown
	ci = [2]float64{math.NaN(), math.NaN()}
	_, days, err := s.cfg.Store.VoiceDays(ctx, "", time.Time{}, time.Time{})
	if err != nil || len(days) == 0 {
		return nps, ci, 0, dir, ""
	}
	type month struct{ promoters, detractors, n int64 }
	months := map[int64]*month{}
	var first, last, lastDay time.Time
	for _, d := range days {
		if d.NPSN == 0 {
			continue
		}
		start := saydo.Month.Start(d.Day)
		m := months[start.Unix()]
		if m == nil {
			m = &month{}
			months[start.Unix()] = m
		}
		m.n += d.NPSN
		m.promoters += d.Promoters
		m.detractors += d.Detractors
		if first.IsZero() || start.Before(first) {
			first = start
		}
		if start.After(last) {
			last = start
		}
		if d.Day.After(lastDay) {
			lastDay = d.Day
		}
	}
	if len(months) == 0 {
		return nps, ci, 0, dir, ""
	}
	var periods []saydo.PeriodGap
	nan := math.NaN()
	for t := first; !t.After(last); t = saydo.Month.Next(t) {
		pg := saydo.PeriodGap{Start: t, End: saydo.Month.Next(t), Gap: nan, Delivered: nan, CI: [2]float64{nan, nan}}
		if m := months[t.Unix()]; m != nil && m.n > 0 {
			pg.N, pg.Met = m.n, m.n-m.detractors
			pg.Gap = float64(m.detractors-m.promoters) / float64(m.n)
		}
		periods = append(periods, pg)
	}
	// The last month is in progress unless the answers reach its end.
	lp := &periods[len(periods)-1]
	lp.Partial = lastDay.AddDate(0, 0, 1).Before(lp.End)
	latest, _ := gap.LatestComplete(periods)
	if latest == nil {
		return nps, ci, 0, dir, ""
	}
	m := months[latest.Start.Unix()]
	ci[0], ci[1] = impact.NPSCounts{N: m.n, Promoters: m.promoters, Detractors: m.detractors}.Interval()
	tr := gap.TrendOf(saydo.Objective{Kind: saydo.MeanAtMost}, periods)
	dir = tr.Direction
	switch dir {
	case saydo.Narrowing:
		dir = "rising"
	case saydo.Widening:
		dir = "falling"
	}
	if !tr.Since.IsZero() {
		since = saydo.SinceText(saydo.Month, tr.Since, latest.Start)
	}
	return -100 * latest.Gap, ci, latest.N, dir, since
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
	// The legend shows the server's own wording of each point, so the
	// chart and the tables say the same figure the same way.
	Labels        []string `json:"labels"`
	DeliveredText []string `json:"delivered_text"`
	CIText        []string `json:"ci_text"`
	Partial       []bool   `json:"partial"`
	ObjectiveText string   `json:"objective_text"`
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
			s.renderError(w, r, who, nethttp.StatusBadRequest, "period: want day, week, month, quarter or year")
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
	m := ws.MetricInfo(pr.Metric)
	cd.ObjectiveText = pg.ObjectiveText
	for _, p := range pg.Periods {
		cd.Starts = append(cd.Starts, p.Start.Unix())
		cd.Delivered = append(cd.Delivered, numPtr(p.Delivered))
		cd.Lo = append(cd.Lo, numPtr(p.CI[0]))
		cd.Hi = append(cd.Hi, numPtr(p.CI[1]))
		label := saydo.PeriodName(pg.Period, p.Start)
		if p.Partial {
			label += fmt.Sprintf(" (partial, %d days)", p.DaysCovered)
		}
		cd.Labels = append(cd.Labels, label)
		cd.DeliveredText = append(cd.DeliveredText, m.Delivered(pr.Objective, p.Delivered))
		cd.CIText = append(cd.CIText, m.Interval(pr.Objective, p.CI))
		cd.Partial = append(cd.Partial, p.Partial)
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

// maxThemeItems caps the items a theme's page lists.
const maxThemeItems = 200

// themePage lists the items behind one unmet expectation (numbered from 1
// as on /expectations).
func (s *Server) themePage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	vr, err := s.voice(r.Context(), ws)
	if err != nil {
		s.internal(w, r, "theme", err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if vr == nil || err != nil || n < 1 || n > len(vr.Unmet) {
		s.renderError(w, r, who, nethttp.StatusNotFound, fmt.Sprintf("There is no theme %q.", r.PathValue("n")))
		return
	}
	th := vr.Unmet[n-1]
	keys := th.Keys
	if len(keys) > maxThemeItems {
		keys = keys[:maxThemeItems]
	}
	items, err := s.cfg.Store.FeedbackByKeys(r.Context(), keys)
	if err != nil {
		s.internal(w, r, "theme items", err)
		return
	}
	data := struct {
		N     int
		Theme saydo.Theme
		Items []saydo.Feedback
	}{n, th, items}
	s.render(w, r, nethttp.StatusOK, "theme", s.page(r, who, th.Label, data))
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
	// The department's messages, those with lint errors first.
	var msgs []departmentMessage
	if ms, reviews, err := s.messages(r.Context(), ws); err != nil {
		s.log.Error("messages for department page", "err", err)
	} else {
		for i := range ms {
			if ms[i].Department != dep.ID {
				continue
			}
			row := departmentMessage{Message: ms[i], Review: reviews[ms[i].ID]}
			for _, f := range s.lint(ws, &ms[i]) {
				switch f.Level {
				case saydo.LevelError:
					row.Errors++
					if len(row.First) < 3 {
						row.First = append(row.First, f)
					}
				case saydo.LevelWarning:
					row.Warnings++
				}
			}
			msgs = append(msgs, row)
		}
		sort.SliceStable(msgs, func(i, j int) bool {
			if msgs[i].Errors != msgs[j].Errors {
				return msgs[i].Errors > msgs[j].Errors
			}
			return msgs[i].ID < msgs[j].ID
		})
	}
	s.render(w, r, nethttp.StatusOK, "department", s.page(r, who, dep.Name, map[string]any{
		"Department": dep, "Delivers": worstFirst(delivers), "Owns": worstFirst(owns), "Complaints": complaints, "Messages": msgs,
		"HasVoice": vr != nil, "Journeys": s.departmentJourneys(r.Context(), ws, dep.ID),
	}))
}

// departmentMessage is one of a department's messages on its page, with
// its lint errors.
type departmentMessage struct {
	saydo.Message
	Review           saydo.Review
	Errors, Warnings int
	First            []saydo.Finding // the first errors
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
	// Whoever submitted the current version cannot approve it: say so
	// instead of offering a button that answers 403.
	submitted := false
	if len(d.Versions) > 0 {
		for _, h := range d.History {
			if h.Version == d.Versions[0].Version && h.State == saydo.InReview && h.Reviewer == who.Actor() {
				submitted = true
			}
		}
	}
	p := s.page(r, who, d.ID, map[string]any{"Detail": d, "CanReview": who.Role.Can(saydo.ActionReview), "Submitted": submitted})
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

func metricOf(unit []saydo.MetricUnit) saydo.Metric {
	if len(unit) > 0 {
		return saydo.Metric{Unit: unit[0]}
	}
	return saydo.Metric{}
}

// funcs are the template helpers.
var funcs = template.FuncMap{
	// figure, gap and ci format figures exactly as the CLI's table does
	// (saydo.Metric.Delivered, saydo.GapText), with the metric's unit.
	"figure": func(obj saydo.Objective, v float64, unit ...saydo.MetricUnit) string {
		return metricOf(unit).Delivered(obj, v)
	},
	"gap": func(obj saydo.Objective, g float64) string { return saydo.GapText(obj, g) },
	"trend": func(t saydo.Trend, period saydo.Period, latest *saydo.PeriodGap) string {
		s := map[saydo.Direction]string{saydo.Widening: "↗ widening", saydo.Narrowing: "↘ narrowing", saydo.Steady: "→ steady"}[t.Direction]
		if s == "" {
			return "· too few periods"
		}
		if !t.Since.IsZero() {
			var ref time.Time
			if latest != nil {
				ref = latest.Start
			}
			s += " since " + saydo.SinceText(period, t.Since, ref)
		}
		return s
	},
	"periodName": saydo.PeriodName,
	"interval": func(obj saydo.Objective, ci [2]float64, unit ...saydo.MetricUnit) string {
		return metricOf(unit).Interval(obj, ci)
	},
	"pct": func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", v*100)
	},
	"pct1": func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", v*100)
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
	"inc":  func(i int) int { return i + 1 },
	"ci": func(obj saydo.Objective, p *saydo.PeriodGap, unit ...saydo.MetricUnit) string {
		if p == nil {
			return "—"
		}
		return metricOf(unit).Interval(obj, p.CI)
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
