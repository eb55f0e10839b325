package saydo

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Workspace is a company's promise ledger kept as code: saydo.yaml plus the
// style/ and messages/ folders beside it.
type Workspace struct {
	// Dir is the folder holding saydo.yaml.
	Dir         string
	Company     string
	Statement   string
	Departments []Department
	Promises    []Promise
	// MetricDefs describes metrics (unit, description) as saydo.yaml's
	// metrics: section declares them; see MetricInfo.
	MetricDefs []Metric
	// Impact holds the money assumptions; nil when saydo.yaml has none.
	Impact *Impact
	// Alerts lists the webhooks saydo serve calls.
	Alerts []Alert
	// Journeys configures the journey rules; the zero value means the
	// defaults (DefaultJourneys).
	Journeys Journeys
	// Voice configures how feedback is mapped to promises; the zero value
	// is the default.
	Voice VoiceSettings
}

// VoiceSettings is saydo.yaml's voice: section.
type VoiceSettings struct {
	// NoSelfTrain (self_train: false) maps unlabelled feedback by the
	// promises' words and voice phrases alone, without what saydo would
	// learn from the stored feedback itself (self-training). Promises
	// that between them cover nearly everything customers write map
	// better that way; saydo voice evaluate tells which does on a
	// labelled file. Labels, when there are enough, still teach the
	// mapping.
	NoSelfTrain bool
}

// Department is a part of the company that makes or delivers promises.
type Department struct {
	ID        string
	Name      string
	Behaviors []string
	Pos       Pos
}

// Promise finds a promise by id.
func (w *Workspace) Promise(id string) (*Promise, bool) {
	for i := range w.Promises {
		if w.Promises[i].ID == id {
			return &w.Promises[i], true
		}
	}
	return nil, false
}

// Department finds a department by id.
func (w *Workspace) Department(id string) (*Department, bool) {
	for i := range w.Departments {
		if w.Departments[i].ID == id {
			return &w.Departments[i], true
		}
	}
	return nil, false
}

// Metrics returns the sorted, distinct metrics the promises measure.
func (w *Workspace) Metrics() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range w.Promises {
		if !seen[p.Metric] {
			seen[p.Metric] = true
			out = append(out, p.Metric)
		}
	}
	sort.Strings(out)
	return out
}

// Stage is a step of the customer journey.
type Stage string

// Stages in journey order.
var Stages = []Stage{"awareness", "purchase", "delivery", "usage", "support", "billing", "exit"}

// Promise is one claim made to customers, with a measurable objective.
type Promise struct {
	ID          string
	Says        string
	MadeIn      []string
	Owner       string
	DeliveredBy []string
	Stage       Stage
	Metric      string
	Objective   Objective
	Period      Period
	// Since and Until bound the days the promise holds, inclusive; zero
	// when open.
	Since, Until time.Time
	// Where keeps only observations whose attributes have these values.
	Where map[string]string
	// Voice lists how customers speak of the promise, per ISO 639-1 language.
	Voice map[string][]string
	// Actions lists the steps taken to close the gap, in date order.
	Actions []PromiseAction
	Pos     Pos
}

// Holds reports whether the promise is in force on the UTC day of t.
func (p *Promise) Holds(t time.Time) bool {
	if !p.Since.IsZero() && t.Before(p.Since) {
		return false
	}
	if !p.Until.IsZero() && !t.Before(p.Until.AddDate(0, 0, 1)) {
		return false
	}
	return true
}

// Matches reports whether an observation's attributes satisfy Where.
func (p *Promise) Matches(attrs Attrs) bool {
	for k, v := range p.Where {
		if got, ok := attrs.Get(k); !ok || got != v {
			return false
		}
	}
	return true
}

// Fingerprint identifies everything about the promise that changes which
// observations count and how; stored summaries computed under another
// fingerprint are stale.
func (p *Promise) Fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "v1|%s|%s|%g|%g|", p.Metric, p.Objective.Kind, p.Objective.Value, p.Objective.Share)
	if !p.Since.IsZero() {
		b.WriteString(p.Since.Format(time.DateOnly))
	}
	b.WriteByte('|')
	if !p.Until.IsZero() {
		b.WriteString(p.Until.Format(time.DateOnly))
	}
	keys := make([]string, 0, len(p.Where))
	for k := range p.Where {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "|%s=%s", k, p.Where[k])
	}
	return b.String()
}

// ObjectiveKind names the form of an objective.
type ObjectiveKind string

// The objective forms of saydo.yaml.
const (
	AtMost      ObjectiveKind = "at_most"
	AtLeast     ObjectiveKind = "at_least"
	MeanAtMost  ObjectiveKind = "mean_at_most"
	MeanAtLeast ObjectiveKind = "mean_at_least"
)

// Objective is what a promise commits to, measurably.
type Objective struct {
	Kind ObjectiveKind
	// Value is the threshold (AtMost, AtLeast) or the target mean.
	Value float64
	// Share is the fraction of observations that must meet a threshold;
	// zero for mean objectives.
	Share float64
}

// IsMean reports whether the objective is about the mean of observations.
func (o Objective) IsMean() bool { return o.Kind == MeanAtMost || o.Kind == MeanAtLeast }

// Meets reports whether one observed value meets a threshold objective.
// For mean objectives it reports whether the value is on the right side of
// the target.
func (o Objective) Meets(v float64) bool {
	switch o.Kind {
	case AtMost, MeanAtMost:
		return v <= o.Value
	default:
		return v >= o.Value
	}
}

// String renders the objective as a person reads it: "≤ 120 for 95%".
func (o Objective) String() string {
	switch o.Kind {
	case AtMost:
		return fmt.Sprintf("≤%g for %g%%", o.Value, o.Share*100)
	case AtLeast:
		return fmt.Sprintf("≥%g for %g%%", o.Value, o.Share*100)
	case MeanAtMost:
		return fmt.Sprintf("mean ≤%g", o.Value)
	case MeanAtLeast:
		return fmt.Sprintf("mean ≥%g", o.Value)
	}
	return string(o.Kind)
}

// MarshalJSON writes the objective as in saydo.yaml: {"at_most": 120, "share": 0.95}.
func (o Objective) MarshalJSON() ([]byte, error) {
	m := map[string]float64{string(o.Kind): o.Value}
	if !o.IsMean() {
		m["share"] = o.Share
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (o *Objective) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*o = Objective{Share: m["share"]}
	for _, k := range []ObjectiveKind{AtMost, AtLeast, MeanAtMost, MeanAtLeast} {
		if v, ok := m[string(k)]; ok {
			o.Kind, o.Value = k, v
			return nil
		}
	}
	return fmt.Errorf("objective: none of at_most, at_least, mean_at_most, mean_at_least")
}
