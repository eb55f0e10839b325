// Package demo writes the demo workspace of Nordtel, a fictional telecom
// that grew fast on bold marketing, with a year of observations, customer
// feedback and canned messages whose story a CX lead should recognise.
//
// # The story, month by month
//
// Nordtel promises a lot: calls answered within 2 minutes, problems solved
// in the first call, installation within 3 days, correct bills with no
// surprise fees, a network that is always up, refunds within 5 days and
// technicians who arrive on time.
//
//   - January–May: business as usual. About 92% of calls are answered
//     within 2 minutes (the promise is 90%); 8 in 10 problems are solved in
//     the first call; 9 in 10 installations arrive within 3 days. Bills are
//     correct, as they will be all year (99.6%).
//   - April: billing introduces a "service fee" that nobody explains. The
//     share of bills with a surprise fee creeps up a little every month,
//     from under 1% to about 4% in December: no-surprise-fees slides from
//     kept to at risk (June–July) to broken (from August), still widening.
//   - June–August: the "Summer Unlimited" campaign (tv-summer-2026) doubles
//     call volume and nearly doubles installations. Care was not staffed for
//     it: calls answered within 2 minutes fall from 92% to about 52%, with
//     40-minute holds; first-call resolution drops from 80% to about 61%;
//     only 6 in 10 installations arrive within 3 days. Complaints about
//     holding, transfers and "the FIFTH time I call" spike.
//   - September: new field crews start on the 7th. install-in-3-days
//     narrows week after week (65% → 76% → 84% → 89%) and is kept again
//     from October; installation complaints fall. Calls recover only partly
//     (about 84% within 2 minutes in December), so answer-in-2-min and
//     first-call-resolution stay broken, narrowing slowly.
//   - October: a storm hits the south and east from Tuesday to Friday of
//     ISO week 42. Network availability, about 99.95% per cell site and day
//     all year, averages about 97.7% that week (99.45% for October).
//   - All year: refunds hover just under the 95% promise (at risk, broken in
//     some months); technicians are on time in the north (about 95%) but not
//     in the south (about 78%), which the overall figure (about 90%, kept or
//     at risk) hides and `saydo gap --by region` shows. Customers keep asking
//     for things nobody promised: an SMS saying when the technician will
//     come, and shop staff who do not push upgrades they did not want.
//
// What `saydo gap` should show, per promise:
//
//	promise                 Jan–May   Jun–Aug   Sep        Oct–Dec         year trend (weekly)
//	answer-in-2-min         kept      broken    broken     broken          widening; narrowing from Sep
//	first-call-resolution   kept      broken    broken     broken          widening
//	install-in-3-days       kept      broken    narrowing  kept            narrowing Sep 7 – Oct, then steady
//	correct-bills           kept      kept      kept       kept            steady
//	no-surprise-fees        kept      at risk,  broken     broken          widening
//	                                  broken in Aug
//	network-availability    kept      kept      kept       broken week 42  steady
//	refund-in-5-days        at risk   at risk   at risk    at risk         steady
//	technician-on-time      kept or   broken    kept or    kept or         steady; south broken all year
//	                        at risk             at risk    at risk
//
// About 40% of the 6,000 feedback items are in Romanian, written with
// comma-below ș ț, with the legacy cedilla ş ţ, or without diacritics.
//
// The messages folder holds a dozen canned Nordtel messages, some good and
// some that the linter should flag: a collections SMS that threatens the
// credit bureau without a greeting or a reason, an installation
// confirmation that says 5 days where the promise says 3, a refund email
// that says 10 business days where the promise says 5, a shouting reminder,
// an undeclared variable and a Romanian SMS too long for its segments.
//
// Everything is generated from a fixed seed, so the same Options always
// write the same bytes.
package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// DefaultSeed is the seed used when Options.Seed is zero.
const DefaultSeed int64 = 20260601

// DefaultYear is the year of data written when Options.Year is zero.
const DefaultYear = 2026

// Options says where and how much demo data to write.
type Options struct {
	// Dir is the workspace folder; it is created when missing.
	Dir string
	// Seed makes the output reproducible; zero means DefaultSeed.
	Seed int64
	// Year is the calendar year of the data; zero means DefaultYear.
	Year int
	// End, when set, is the last day of data (inclusive) instead of
	// December 31 of Year.
	End time.Time
	// Scale multiplies the volume of observations and feedback; zero
	// means 1 (about 1.1 million observations and 6,000 feedback items).
	Scale float64
}

// Written lists the files Write created and how many rows they hold.
type Written struct {
	Dir string
	// Workspace is the path of saydo.yaml.
	Workspace string
	// Style is the style folder.
	Style string
	// Messages are the paths of the canned messages.
	Messages []string
	// Observations is the path of data/observations.csv.
	Observations string
	// Feedback is the path of data/feedback.csv.
	Feedback string
	// Surveys is the path of data/surveys.csv: NPS answers after calls,
	// complaints and churn events of the customers who called.
	Surveys string
	// ObservationRows, FeedbackRows and SurveyRows count data rows,
	// without headers.
	ObservationRows int64
	FeedbackRows    int64
	SurveyRows      int64
	// MetricRows counts observation rows per metric.
	MetricRows map[string]int64
	// Last is the last day with data (midnight UTC).
	Last time.Time
	// Contacts is data/contacts.csv, what departments sent customers;
	// JourneyFeedback is data/journey-feedback.csv, those customers'
	// complaints and survey answers (journey.go).
	Contacts, JourneyFeedback        string
	ContactRows, JourneyFeedbackRows int64
}

// span is the resolved time range and story calendar of one run.
type span struct {
	year       int
	first      time.Time // first day, midnight UTC
	last       time.Time // last day, inclusive
	scale      float64
	seed       uint64
	campaignOn time.Time // Summer Unlimited starts
	campaignTo time.Time // first day after it
	fixOn      time.Time // new field crews start
	feeOn      time.Time // the service fee appears on bills
	stormFrom  time.Time // first storm day
	stormTo    time.Time // first day after the storm
}

func (o Options) span() (span, error) {
	s := span{year: o.Year, scale: o.Scale, seed: uint64(o.Seed)}
	if s.year == 0 {
		s.year = DefaultYear
	}
	if s.seed == 0 {
		s.seed = uint64(DefaultSeed)
	}
	if s.scale == 0 {
		s.scale = 1
	}
	if s.scale < 0 || s.scale > 100 {
		return s, fmt.Errorf("scale must be in (0, 100], got %g", o.Scale)
	}
	if s.year < 1971 || s.year > 9998 {
		return s, fmt.Errorf("year out of range: %d", s.year)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(s.year, m, d, 0, 0, 0, 0, time.UTC) }
	s.first = day(time.January, 1)
	s.last = day(time.December, 31)
	if !o.End.IsZero() {
		e := o.End.UTC()
		e = time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
		if e.Before(s.first) {
			return s, fmt.Errorf("end %s is before %s", e.Format(time.DateOnly), s.first.Format(time.DateOnly))
		}
		if e.Before(s.last) {
			s.last = e
		}
	}
	s.campaignOn = day(time.June, 1)
	s.campaignTo = day(time.September, 1)
	s.fixOn = day(time.September, 7)
	s.feeOn = day(time.April, 1)
	// The storm hits Tuesday to Friday of ISO week 42.
	s.stormFrom = isoWeekMonday(s.year, 42).AddDate(0, 0, 1)
	s.stormTo = s.stormFrom.AddDate(0, 0, 4)
	return s, nil
}

// isoWeekMonday returns the Monday of ISO week w of year y.
func isoWeekMonday(y, w int) time.Time {
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
	wd := (int(jan4.Weekday()) + 6) % 7
	return jan4.AddDate(0, 0, -wd+7*(w-1))
}

// Write writes the Nordtel demo workspace into opts.Dir: saydo.yaml,
// style/, messages/<department>/<id>.txt, data/observations.csv and
// data/feedback.csv. Existing files of the same names are replaced.
func Write(opts Options) (*Written, error) {
	if opts.Dir == "" {
		return nil, errors.New("demo: no directory given")
	}
	s, err := opts.span()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	w := &Written{
		Dir:          opts.Dir,
		Workspace:    filepath.Join(opts.Dir, "saydo.yaml"),
		Style:        filepath.Join(opts.Dir, "style"),
		Observations: filepath.Join(opts.Dir, "data", "observations.csv"),
		Feedback:     filepath.Join(opts.Dir, "data", "feedback.csv"),
		Last:         s.last,
	}
	for _, d := range []string{opts.Dir, w.Style, filepath.Join(opts.Dir, "data"), filepath.Join(opts.Dir, "messages")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	if err := os.WriteFile(w.Workspace, []byte(workspaceYAML(s.year)), 0o644); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(filepath.Join(w.Style, "README.md"), []byte(styleReadme), 0o644); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if w.Messages, err = writeMessages(opts.Dir); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	calls := newCallRecord(s)
	if w.MetricRows, err = writeObservations(w.Observations, s, calls); err != nil {
		return nil, fmt.Errorf("demo: observations: %w", err)
	}
	for _, n := range w.MetricRows {
		w.ObservationRows += n
	}
	if w.FeedbackRows, err = writeFeedback(w.Feedback, s); err != nil {
		return nil, fmt.Errorf("demo: feedback: %w", err)
	}
	w.Surveys = filepath.Join(opts.Dir, "data", "surveys.csv")
	if w.SurveyRows, err = writeSurveys(w.Surveys, s, calls); err != nil {
		return nil, fmt.Errorf("demo: surveys: %w", err)
	}
	w.Contacts = filepath.Join(opts.Dir, "data", "contacts.csv")
	w.JourneyFeedback = filepath.Join(opts.Dir, "data", "journey-feedback.csv")
	if w.ContactRows, w.JourneyFeedbackRows, err = writeJourneys(w.Contacts, w.JourneyFeedback, s); err != nil {
		return nil, fmt.Errorf("demo: contacts: %w", err)
	}
	return w, nil
}
