// Package yaml loads a workspace's saydo.yaml into saydo.Workspace, and
// scaffolds new workspaces.
//
// The YAML is a user interface: decoding is strict (unknown keys are errors,
// with a suggestion for typos), every problem in the file is reported in one
// pass, and every error is a *saydo.PosError pointing at the offending key
// or value as file:line:col, with the line's text.
package yaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
	yamlv3 "go.yaml.in/yaml/v3"
)

// FileName is the name of a workspace's configuration file.
const FileName = "saydo.yaml"

// LoadWorkspace reads DIR/saydo.yaml. Problems in the file come back as a
// saydo.ErrorList of *saydo.PosError; a file that cannot be read comes back
// as the wrapped os error (errors.Is(err, fs.ErrNotExist) works).
func LoadWorkspace(dir string) (*saydo.Workspace, error) {
	name := filepath.Join(dir, FileName)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("load workspace: %w", err)
	}
	ws, err := ParseWorkspace(name, data)
	if ws != nil {
		ws.Dir = dir
	}
	return ws, err
}

// ParseWorkspace reads the contents of a saydo.yaml; filename is used in
// error positions and to set Workspace.Dir. It returns every problem found
// as a saydo.ErrorList of *saydo.PosError, sorted by position, and a nil
// workspace when there is any.
func ParseWorkspace(filename string, data []byte) (*saydo.Workspace, error) {
	c := &checker{file: filename, lines: strings.Split(string(data), "\n")}
	ws := c.workspace(data)
	if len(c.errs) > 0 {
		c.errs.SortByPos()
		return nil, c.errs
	}
	ws.Dir = filepath.Dir(filename)
	return ws, nil
}

var (
	idPattern     = regexp.MustCompile(`^[a-z0-9-]+$`)
	metricPattern = regexp.MustCompile(`^[a-z0-9_.-]+$`)
	yamlErrLine   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)

var (
	topKeys        = []string{"company", "statement", "departments", "metrics", "promises", "impact", "alerts", "journeys", "voice"}
	voiceKeys      = []string{"self_train"}
	metricKeys     = []string{"id", "unit", "description"}
	departmentKeys = []string{"id", "name", "behaviors"}
	promiseKeys    = []string{"id", "says", "made_in", "owner", "delivered_by", "stage", "metric",
		"objective", "period", "since", "until", "where", "voice", "actions"}
	objectiveForms = []string{string(saydo.AtMost), string(saydo.AtLeast), string(saydo.MeanAtMost), string(saydo.MeanAtLeast)}
	objectiveKeys  = append(append([]string{}, objectiveForms...), "share")
)

// checker walks the YAML node tree, collecting every error.
type checker struct {
	file  string
	lines []string
	errs  saydo.ErrorList
}

func (c *checker) errorAt(line, col int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	src := ""
	if line <= len(c.lines) {
		src = strings.TrimSuffix(c.lines[line-1], "\r")
	}
	c.errs = append(c.errs, &saydo.PosError{
		Pos:    saydo.Pos{File: c.file, Line: line, Col: col},
		Msg:    fmt.Sprintf(format, args...),
		Source: src,
	})
}

func (c *checker) errorf(n *yamlv3.Node, format string, args ...any) {
	c.errorAt(n.Line, n.Column, format, args...)
}

func (c *checker) pos(n *yamlv3.Node) saydo.Pos {
	return saydo.Pos{File: c.file, Line: n.Line, Col: n.Column}
}

func (c *checker) workspace(data []byte) *saydo.Workspace {
	var doc yamlv3.Node
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	switch {
	case err == io.EOF:
		c.errorAt(1, 1, "empty file: want at least company and promises (saydo init writes an example)")
		return nil
	case err != nil:
		c.syntaxError(err)
		return nil
	}
	var extra yamlv3.Node
	if err := dec.Decode(&extra); err == nil {
		c.errorAt(extra.Line, extra.Column, "a second YAML document; saydo.yaml holds one (remove the ---)")
	} else if err != io.EOF {
		c.syntaxError(err)
	}
	if len(doc.Content) == 0 {
		c.errorAt(1, 1, "empty file: want at least company and promises")
		return nil
	}
	root := resolve(doc.Content[0])
	if root.Kind != yamlv3.MappingNode {
		if root.Kind == yamlv3.ScalarNode && root.Tag == "!!null" {
			c.errorAt(1, 1, "empty file: want at least company and promises")
			return nil
		}
		c.errorf(root, "want a mapping with company, statement, departments and promises; got %s", kindName(root))
		return nil
	}
	fields := c.mapping(root, "saydo.yaml", topKeys)
	ws := &saydo.Workspace{}
	if f, ok := fields["company"]; ok {
		ws.Company = c.str(f, "company")
		if strings.TrimSpace(ws.Company) == "" {
			c.errorf(f.val, "company: must not be empty")
		}
	} else {
		c.missing(fields, "company", root, "missing company (the company's name, e.g. company: Nordtel)")
	}
	if f, ok := fields["statement"]; ok {
		ws.Statement = strings.TrimSpace(c.str(f, "statement"))
	}
	if f, ok := fields["departments"]; ok {
		ws.Departments = c.departments(f.val)
	}
	if f, ok := fields["metrics"]; ok {
		ws.MetricDefs = c.metrics(f.val)
	}
	if f, ok := fields["promises"]; ok {
		ws.Promises = c.promises(f.val, ws)
	} else {
		c.missing(fields, "promises", root, "missing promises (the list of promises made to customers)")
	}
	if f, ok := fields["impact"]; ok {
		ws.Impact = c.impact(f.val)
	}
	if f, ok := fields["alerts"]; ok {
		ws.Alerts = c.alerts(f.val)
	}
	var journeys *yamlv3.Node
	if f, ok := fields["journeys"]; ok {
		journeys = f.val
	}
	ws.Journeys = c.journeys(journeys, ws)
	if f, ok := fields["voice"]; ok {
		ws.Voice = c.voiceSettings(f.val)
	}
	return ws
}

// boolean reads a true or false; anything else is an error saying want,
// then what it got.
func (c *checker) boolean(f field, want string) (v, ok bool) {
	if f.val.Kind != yamlv3.ScalarNode || f.val.Tag != "!!bool" || f.val.Decode(&v) != nil {
		c.errorf(f.val, "%s, got %s", want, kindName(f.val))
		return false, false
	}
	return v, true
}

// voiceSettings reads the voice: section: self_train, true by default.
func (c *checker) voiceSettings(n *yamlv3.Node) saydo.VoiceSettings {
	var v saydo.VoiceSettings
	if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
		return v
	}
	fields := c.mapping(n, "voice", voiceKeys)
	if f, ok := fields["self_train"]; ok {
		if on, ok := c.boolean(f, "voice.self_train: want true (learn from your own feedback too, the default) or false (the promises' words and voice phrases alone)"); ok {
			v.NoSelfTrain = !on
		}
	}
	return v
}

// syntaxError reports a YAML parse error at its line, explaining tabs.
func (c *checker) syntaxError(err error) {
	// Tabs in indentation are the most common cause; say so plainly.
	tabs := false
	for i, l := range c.lines {
		indent := len(l) - len(strings.TrimLeft(l, " \t"))
		if j := strings.IndexByte(l[:indent], '\t'); j >= 0 && strings.TrimSpace(l) != "" {
			c.errorAt(i+1, j+1, "tab in indentation; YAML indents with spaces")
			tabs = true
		}
	}
	if tabs {
		return
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	col := 1
	if line >= 1 && line <= len(c.lines) {
		l := c.lines[line-1]
		col = len(l) - len(strings.TrimLeft(l, " ")) + 1
	}
	c.errorAt(line, col, "invalid YAML: %s", msg)
}

// field is a key of a mapping and its value.
type field struct{ key, val *yamlv3.Node }

// typoKey is the key under which mapping records that an unknown key looked
// like a typo of a known one, so "missing X" is not reported on top of
// "unknown key Y (did you mean X?)".
func typoKey(name string) string { return "\x00typo:" + name }

// missing reports that a required key is absent, unless a typo of it was
// already reported.
func (c *checker) missing(fields map[string]field, name string, n *yamlv3.Node, format string, args ...any) {
	if _, typo := fields[typoKey(name)]; !typo {
		c.errorf(n, format, args...)
	}
}

// mapping checks that n is a mapping with only known, distinct keys and
// returns its fields by key.
func (c *checker) mapping(n *yamlv3.Node, what string, known []string) map[string]field {
	if n.Kind != yamlv3.MappingNode {
		c.errorf(n, "%s: want a mapping, got %s", what, kindName(n))
		return nil
	}
	out := make(map[string]field, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if k.Kind != yamlv3.ScalarNode {
			c.errorf(k, "%s: want a plain key, got %s", what, kindName(k))
			continue
		}
		name := k.Value
		if prev, dup := out[name]; dup {
			c.errorf(k, "duplicate key %q in %s (first at line %d)", name, what, prev.key.Line)
			continue
		}
		if known != nil && !contains(known, name) {
			if s := saydo.Suggest(name, known); s != "" {
				c.errorf(k, "unknown key %q in %s (did you mean %q?)", name, what, s)
				out[typoKey(s)] = field{k, v}
			} else {
				c.errorf(k, "unknown key %q in %s (known: %s)", name, what, strings.Join(known, ", "))
			}
			out[name] = field{k, v} // so a repeat is still reported once
			continue
		}
		out[name] = field{k, v}
	}
	if known != nil {
		for name := range out {
			if !contains(known, name) && !strings.HasPrefix(name, "\x00") {
				delete(out, name)
			}
		}
	}
	return out
}

// str returns a scalar's text; null is "".
func (c *checker) str(f field, what string) string {
	if f.val.Kind != yamlv3.ScalarNode {
		c.errorf(f.val, "%s: want text, got %s", what, kindName(f.val))
		return ""
	}
	if f.val.Tag == "!!null" {
		return ""
	}
	return f.val.Value
}

// strList returns a list of non-empty texts; a single text is a list of one.
func (c *checker) strList(f field, what string) []string {
	n := f.val
	switch {
	case n.Kind == yamlv3.ScalarNode && n.Tag == "!!null":
		return nil
	case n.Kind == yamlv3.ScalarNode:
		return []string{n.Value}
	case n.Kind != yamlv3.SequenceNode:
		c.errorf(n, "%s: want a list of texts, got %s", what, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		e = resolve(e)
		if e.Kind != yamlv3.ScalarNode || e.Tag == "!!null" || strings.TrimSpace(e.Value) == "" {
			c.errorf(e, "%s: want a list of texts, got %s in it", what, kindName(e))
			continue
		}
		out = append(out, e.Value)
	}
	return out
}

// number returns a finite number.
func (c *checker) number(f field, what string) (float64, bool) {
	n := f.val
	if n.Kind != yamlv3.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		c.errorf(n, "%s: want a number, got %s", what, kindName(n))
		return 0, false
	}
	var v float64
	if err := n.Decode(&v); err != nil {
		c.errorf(n, "%s: want a number, got %q", what, n.Value)
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.errorf(n, "%s: want a finite number, got %s", what, n.Value)
		return 0, false
	}
	return v, true
}

// date reads YYYY-MM-DD as midnight UTC.
func (c *checker) date(f field, what string) (time.Time, bool) {
	n := f.val
	if n.Kind != yamlv3.ScalarNode {
		c.errorf(n, "%s: want a date YYYY-MM-DD, got %s", what, kindName(n))
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		reason := ""
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			reason = " (" + strings.TrimPrefix(pe.Message, ": ") + ")"
		}
		c.errorf(n, "%s: want a date YYYY-MM-DD, got %q%s", what, n.Value, reason)
		return time.Time{}, false
	}
	return t, true
}

func (c *checker) departments(n *yamlv3.Node) []saydo.Department {
	if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yamlv3.SequenceNode {
		c.errorf(n, "departments: want a list of departments (- id: care), got %s", kindName(n))
		return nil
	}
	var out []saydo.Department
	first := map[string]int{}
	for i, item := range n.Content {
		item = resolve(item)
		what := itemName("department", i, item)
		fields := c.mapping(item, what, departmentKeys)
		if fields == nil {
			continue
		}
		d := saydo.Department{Pos: c.pos(item)}
		d.ID = c.id(fields, item, what, "department", first)
		if f, ok := fields["name"]; ok {
			d.Name = strings.TrimSpace(c.str(f, "name"))
			if d.Name == "" {
				c.errorf(f.val, "name: must not be empty")
			}
		} else {
			c.missing(fields, "name", item, "%s: missing name (how people call it, e.g. name: Customer care)", what)
		}
		if f, ok := fields["behaviors"]; ok {
			d.Behaviors = c.strList(f, "behaviors")
		}
		out = append(out, d)
	}
	return out
}

// unitAliases maps the ways people write units to saydo's names.
var unitAliases = map[string]saydo.MetricUnit{
	"seconds": saydo.UnitSeconds, "second": saydo.UnitSeconds, "s": saydo.UnitSeconds, "sec": saydo.UnitSeconds, "secs": saydo.UnitSeconds,
	"minutes": saydo.UnitMinutes, "minute": saydo.UnitMinutes, "min": saydo.UnitMinutes, "mins": saydo.UnitMinutes,
	"hours": saydo.UnitHours, "hour": saydo.UnitHours, "h": saydo.UnitHours, "hr": saydo.UnitHours, "hrs": saydo.UnitHours,
	"days": saydo.UnitDays, "day": saydo.UnitDays, "d": saydo.UnitDays,
	"percent": saydo.UnitPercent, "%": saydo.UnitPercent, "pct": saydo.UnitPercent, "percentage": saydo.UnitPercent,
	"count": saydo.UnitCount, "number": saydo.UnitCount,
	"boolean": saydo.UnitBoolean, "bool": saydo.UnitBoolean, "yes/no": saydo.UnitBoolean, "yesno": saydo.UnitBoolean,
}

// metrics reads the metrics: section: what each metric's values are, in
// which unit, so reports can say "≤ 2 min for 90%".
func (c *checker) metrics(n *yamlv3.Node) []saydo.Metric {
	if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yamlv3.SequenceNode {
		c.errorf(n, "metrics: want a list of metrics (- id: call_wait_seconds), got %s", kindName(n))
		return nil
	}
	units := make([]string, len(saydo.KnownUnits))
	for i, u := range saydo.KnownUnits {
		units[i] = string(u)
	}
	var out []saydo.Metric
	first := map[string]int{}
	for i, item := range n.Content {
		item = resolve(item)
		what := itemName("metric", i, item)
		fields := c.mapping(item, what, metricKeys)
		if fields == nil {
			continue
		}
		m := saydo.Metric{Pos: c.pos(item)}
		if f, ok := fields["id"]; ok {
			m.ID = c.str(f, "id")
			switch {
			case m.ID == "":
				c.errorf(f.val, "id: must not be empty")
			case !metricPattern.MatchString(m.ID):
				c.errorf(f.val, "id: %q must match [a-z0-9_.-]+ (the metric name observations carry)", m.ID)
			default:
				if line, dup := first[m.ID]; dup {
					c.errorf(f.val, "id: duplicate metric %q (first at line %d)", m.ID, line)
				} else {
					first[m.ID] = f.val.Line
				}
			}
		} else {
			c.missing(fields, "id", item, "%s: missing id (the metric name observations carry)", what)
		}
		if f, ok := fields["unit"]; ok {
			u := strings.TrimSpace(c.str(f, "unit"))
			if u == "" {
				c.errorf(f.val, "unit: must not be empty (one of %s, or your own, such as litres/100 km)", strings.Join(units, ", "))
			} else if a, ok := unitAliases[strings.ToLower(u)]; ok {
				u = string(a)
			} else if s := saydo.Suggest(u, units); s != "" {
				// A near miss of a known unit is a typo; other text is a unit of its own.
				c.errorf(f.val, "unit: %q is not a unit saydo knows (did you mean %q?); write it exactly, or a unit of your own in words", u, s)
			}
			m.Unit = saydo.MetricUnit(u)
		}
		if f, ok := fields["description"]; ok {
			m.Description = strings.TrimSpace(c.str(f, "description"))
		}
		out = append(out, m)
	}
	return out
}

func (c *checker) promises(n *yamlv3.Node, ws *saydo.Workspace) []saydo.Promise {
	if n.Kind != yamlv3.SequenceNode {
		if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
			c.errorf(n, "promises: empty; list at least one promise")
			return nil
		}
		c.errorf(n, "promises: want a list of promises (- id: ...), got %s", kindName(n))
		return nil
	}
	if len(n.Content) == 0 {
		c.errorf(n, "promises: empty; list at least one promise")
	}
	known := make([]string, 0, len(ws.Departments))
	for _, d := range ws.Departments {
		if d.ID != "" {
			known = append(known, d.ID)
		}
	}
	sort.Strings(known)
	var out []saydo.Promise
	first := map[string]int{}
	for i, item := range n.Content {
		item = resolve(item)
		what := itemName("promise", i, item)
		fields := c.mapping(item, what, promiseKeys)
		if fields == nil {
			continue
		}
		p := saydo.Promise{Pos: c.pos(item), Period: saydo.Week}
		p.ID = c.id(fields, item, what, "promise", first)
		if f, ok := fields["says"]; ok {
			p.Says = strings.TrimSpace(c.str(f, "says"))
			if p.Says == "" {
				c.errorf(f.val, "says: must not be empty; write the words customers read or hear")
			}
		} else {
			c.missing(fields, "says", item, "%s: missing says (the customer-facing words)", what)
		}
		if f, ok := fields["made_in"]; ok {
			p.MadeIn = c.strList(f, "made_in")
		}
		if f, ok := fields["owner"]; ok {
			p.Owner = c.str(f, "owner")
			c.department(f.val, "owner", p.Owner, known)
		}
		if f, ok := fields["delivered_by"]; ok {
			p.DeliveredBy = c.strList(f, "delivered_by")
			items := []*yamlv3.Node{f.val}
			if f.val.Kind == yamlv3.SequenceNode {
				items = f.val.Content
			}
			for _, e := range items {
				if e = resolve(e); e.Kind == yamlv3.ScalarNode && e.Tag != "!!null" {
					c.department(e, "delivered_by", e.Value, known)
				}
			}
		}
		if f, ok := fields["stage"]; ok {
			p.Stage = saydo.Stage(c.str(f, "stage"))
			c.stage(f.val, p.Stage)
		}
		if f, ok := fields["metric"]; ok {
			p.Metric = c.str(f, "metric")
			switch {
			case p.Metric == "":
				c.errorf(f.val, "metric: must not be empty")
			case !metricPattern.MatchString(p.Metric):
				c.errorf(f.val, "metric: %q must match [a-z0-9_.-]+ (lowercase letters, digits, _ . -)", p.Metric)
			}
		} else {
			c.missing(fields, "metric", item, "%s: missing metric (the observations that are its evidence, e.g. metric: call_wait_seconds)", what)
		}
		if f, ok := fields["objective"]; ok {
			p.Objective = c.objective(f, ws.MetricInfo(p.Metric))
		} else {
			c.missing(fields, "objective", item, "%s: missing objective (one of %s)", what, strings.Join(objectiveForms, ", "))
		}
		if f, ok := fields["period"]; ok {
			s := c.str(f, "period")
			if per, err := saydo.ParsePeriod(s); err != nil {
				c.errorf(f.val, "period: %v", err)
			} else {
				p.Period = per
			}
		}
		sinceOK, untilOK := false, false
		if f, ok := fields["since"]; ok {
			p.Since, sinceOK = c.date(f, "since")
		}
		if f, ok := fields["until"]; ok {
			p.Until, untilOK = c.date(f, "until")
			if sinceOK && untilOK && p.Until.Before(p.Since) {
				c.errorf(f.val, "until: %s is before since %s", p.Until.Format(time.DateOnly), p.Since.Format(time.DateOnly))
			}
		}
		if f, ok := fields["where"]; ok {
			p.Where = c.where(f.val)
		}
		if f, ok := fields["voice"]; ok {
			p.Voice = c.voice(f.val)
		}
		if f, ok := fields["actions"]; ok {
			p.Actions = c.actions(f.val, known)
		}
		out = append(out, p)
	}
	return out
}

func (c *checker) department(n *yamlv3.Node, what, id string, known []string) {
	if id == "" {
		c.errorf(n, "%s: must not be empty", what)
		return
	}
	if contains(known, id) {
		return
	}
	switch {
	case len(known) == 0:
		c.errorf(n, "%s: unknown department %q (no departments defined; add it under departments)", what, id)
	case saydo.Suggest(id, known) != "":
		c.errorf(n, "%s: unknown department %q (did you mean %q? known: %s)", what, id, saydo.Suggest(id, known), strings.Join(known, ", "))
	default:
		c.errorf(n, "%s: unknown department %q (known: %s)", what, id, strings.Join(known, ", "))
	}
}

func (c *checker) stage(n *yamlv3.Node, s saydo.Stage) {
	names := make([]string, len(saydo.Stages))
	for i, st := range saydo.Stages {
		if st == s {
			return
		}
		names[i] = string(st)
	}
	if m := saydo.Suggest(string(s), names); m != "" {
		c.errorf(n, "stage: unknown stage %q (did you mean %q?)", s, m)
		return
	}
	c.errorf(n, "stage: unknown stage %q (want one of %s)", s, strings.Join(names, ", "))
}

// objective reads a promise's objective; m is the promise's metric, whose
// unit says which thresholds can be met at all.
func (c *checker) objective(f field, m saydo.Metric) saydo.Objective {
	fields := c.mapping(f.val, "objective", objectiveKeys)
	if fields == nil {
		return saydo.Objective{}
	}
	// The forms in the order written, to name the extra one.
	var forms []field
	for i := 0; i+1 < len(f.val.Content); i += 2 {
		k := f.val.Content[i]
		if ff, ok := fields[k.Value]; ok && ff.key == k && contains(objectiveForms, k.Value) {
			forms = append(forms, ff)
		}
	}
	var o saydo.Objective
	switch len(forms) {
	case 0:
		c.errorf(f.key, "missing objective: want one of %s", strings.Join(objectiveForms, ", "))
		return o
	case 1:
	default:
		c.errorf(forms[1].key, "objective has both %s and %s; keep one", forms[0].key.Value, forms[1].key.Value)
	}
	o.Kind = saydo.ObjectiveKind(forms[0].key.Value)
	var ok bool
	if o.Value, ok = c.number(forms[0], "objective: "+forms[0].key.Value); ok {
		c.objectiveValue(forms[0], o, m)
	}
	share, hasShare := fields["share"]
	switch {
	case o.IsMean() && hasShare:
		c.errorf(share.key, "objective: share does not apply to %s (a mean objective); remove it", o.Kind)
	case !o.IsMean() && !hasShare:
		c.errorf(f.key, "objective: %s needs a share, the fraction of observations that must meet it (e.g. share: 0.95)", o.Kind)
	case hasShare:
		v, ok := c.number(share, "objective: share")
		if !ok {
			break
		}
		if v <= 0 || v > 1 {
			hint := ""
			if v > 1 && v <= 100 {
				hint = fmt.Sprintf(" (did you mean %g?)", v/100)
			}
			c.errorf(share.val, "objective: share must be in (0,1], got %s%s", share.val.Value, hint)
			break
		}
		o.Share = v
	}
	return o
}

// objectiveValue reports an objective no evidence can keep or break: a
// threshold outside what the metric's unit allows (a percentage above
// 100, a yes/no metric's values other than 0 and 1, a negative duration
// or count), and a mean objective of 0, against which a mean's gap, a
// share of its target, cannot be measured.
func (c *checker) objectiveValue(f field, o saydo.Objective, m saydo.Metric) {
	v, what := o.Value, "objective: "+f.key.Value
	switch {
	case o.IsMean() && v == 0:
		hint := `for "none", write at_most: 0 with a share`
		if o.Kind == saydo.MeanAtLeast {
			hint = "a mean of at least 0 is kept by any evidence of a metric that cannot go below 0"
		}
		c.errorf(f.val, "%s: 0 leaves no target to measure the gap against (a mean's gap is a share of its target); %s", what, hint)
	case m.Unit == saydo.UnitPercent && (v < 0 || v > 100):
		c.errorf(f.val, "%s: %s is outside 0–100, and %s's values are percentages (99.9 means 99.9%%)", what, f.val.Value, m.ID)
	case m.Unit == saydo.UnitBoolean && (v < 0 || v > 1):
		c.errorf(f.val, "%s: %s is outside 0–1, and %s is a yes/no metric (1 yes, 0 no)", what, f.val.Value, m.ID)
	case v < 0 && (m.Unit == saydo.UnitSeconds || m.Unit == saydo.UnitMinutes || m.Unit == saydo.UnitHours || m.Unit == saydo.UnitDays || m.Unit == saydo.UnitCount):
		c.errorf(f.val, "%s: %s is negative, and %s counts %s", what, f.val.Value, m.ID, m.Unit)
	}
}

func (c *checker) where(n *yamlv3.Node) map[string]string {
	fields := c.mapping(n, "where", nil)
	if fields == nil {
		return nil
	}
	out := make(map[string]string, len(fields))
	for name, f := range fields {
		if strings.TrimSpace(name) == "" {
			c.errorf(f.key, "where: empty attribute name")
			continue
		}
		if f.val.Kind != yamlv3.ScalarNode {
			c.errorf(f.val, "where: %s: want a value such as north, got %s", name, kindName(f.val))
			continue
		}
		out[name] = c.str(f, "where")
	}
	return out
}

func (c *checker) voice(n *yamlv3.Node) map[string][]string {
	fields := c.mapping(n, "voice", nil)
	if fields == nil {
		return nil
	}
	out := make(map[string][]string, len(fields))
	for lang, f := range fields {
		if !isoLang(lang) {
			c.errorf(f.key, "voice: %q is not an ISO 639-1 language code (such as en, ro)", lang)
			continue
		}
		out[lang] = c.strList(f, "voice: "+lang)
	}
	return out
}

// itemName names the i-th item of a list by its id when it has a usable
// one: promise "answer-in-2-min", else promise 3.
func itemName(kind string, i int, item *yamlv3.Node) string {
	if item.Kind == yamlv3.MappingNode {
		for j := 0; j+1 < len(item.Content); j += 2 {
			if k, v := item.Content[j], resolve(item.Content[j+1]); k.Value == "id" && v.Kind == yamlv3.ScalarNode && v.Value != "" {
				return fmt.Sprintf("%s %q", kind, v.Value)
			}
		}
	}
	return fmt.Sprintf("%s %d", kind, i+1)
}

// resolve follows aliases to the node they name.
func resolve(n *yamlv3.Node) *yamlv3.Node {
	for i := 0; n.Kind == yamlv3.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yamlv3.Node) string {
	switch n.Kind {
	case yamlv3.MappingNode:
		return "a mapping"
	case yamlv3.SequenceNode:
		return "a list"
	case yamlv3.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!str":
			return strconv.Quote(n.Value)
		}
		return n.Value
	case yamlv3.AliasNode:
		return "an alias"
	}
	return "a document"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// slug turns a name into an id: "Answer in 2 min" → "answer-in-2-min".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "my-id"
	}
	return b.String()
}

// id reads and checks the id of a department or promise: present, in
// [a-z0-9-]+, and not already used (first maps ids to their line).
func (c *checker) id(fields map[string]field, item *yamlv3.Node, what, kind string, first map[string]int) string {
	f, ok := fields["id"]
	if !ok {
		c.missing(fields, "id", item, "%s: missing id", what)
		return ""
	}
	id := c.str(f, "id")
	switch {
	case id == "":
		c.errorf(f.val, "id: must not be empty")
	case !idPattern.MatchString(id):
		c.errorf(f.val, "id: %q must match [a-z0-9-]+ (lowercase letters, digits and hyphens), e.g. %q", id, slug(id))
	default:
		if line, dup := first[id]; dup {
			c.errorf(f.val, "id: duplicate %s id %q (first at line %d)", kind, id, line)
		} else {
			first[id] = f.val.Line
		}
	}
	return id
}

// isoLang reports whether s is an ISO 639-1 code the language registry
// knows, as written in saydo.yaml and messages: two lower-case letters
// (en, ro; not zz).
func isoLang(s string) bool {
	l, ok := saydo.ParseLanguage(s)
	return ok && l == s
}
