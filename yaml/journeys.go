package yaml

import (
	"strings"

	"github.com/saydo/saydo"
	yamlv3 "go.yaml.in/yaml/v3"
)

var (
	journeysKeys     = []string{"complaint_open_days", "rules"}
	journeyRuleKeys  = []string{"id", "kind", "off", "when", "complaint", "open_days", "prior", "window_days", "lead_days", "max_contacts", "reminder_window_days", "reminder_lead_days"}
	contactScopeKeys = []string{"department", "channel", "intent"}
	complaintKeys    = []string{"department", "channel"}
	// kindKeys lists, per kind, the keys a rule of that kind may have
	// besides id, kind and off.
	kindKeys = map[saydo.JourneyRuleKind][]string{
		saydo.DuringComplaint: {"when", "complaint", "open_days"},
		saydo.WithoutPrior:    {"when", "prior", "window_days", "lead_days"},
		saydo.TooMany:         {"when", "max_contacts", "window_days"},
	}
)

// journeys reads the journeys: section; absent, it is the defaults.
func (c *checker) journeys(n *yamlv3.Node, ws *saydo.Workspace) saydo.Journeys {
	j := saydo.DefaultJourneys()
	if n == nil || n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
		return j
	}
	fields := c.mapping(n, "journeys", journeysKeys)
	if fields == nil {
		return j
	}
	if f, ok := fields["complaint_open_days"]; ok {
		if v, ok := c.days(f, "complaint_open_days", 1); ok {
			j.ComplaintOpenDays = v
		}
	}
	f, ok := fields["rules"]
	if !ok || f.val.Kind == yamlv3.ScalarNode && f.val.Tag == "!!null" {
		return j
	}
	if f.val.Kind != yamlv3.SequenceNode {
		c.errorf(f.val, "journeys.rules: want a list of rules (- id: journey.TooMany), got %s", kindName(f.val))
		return j
	}
	builtin := make([]string, len(j.Rules))
	for i, r := range j.Rules {
		builtin[i] = r.ID
	}
	departments := make([]string, len(ws.Departments))
	for i, d := range ws.Departments {
		departments[i] = d.ID
	}
	first := map[string]int{}
	for i, item := range f.val.Content {
		item = resolve(item)
		what := itemName("journey rule", i, item)
		rf := c.mapping(item, what, journeyRuleKeys)
		if rf == nil {
			continue
		}
		idf, ok := rf["id"]
		if !ok {
			c.missing(rf, "id", item, "%s: missing id (a built-in such as journey.TooMany, or your own such as no-offers-to-late-payers)", what)
			continue
		}
		id := c.str(idf, "id")
		if line, dup := first[id]; dup && id != "" {
			c.errorf(idf.val, "id: duplicate journey rule %q (first at line %d)", id, line)
			continue
		}
		first[id] = idf.val.Line
		var r *saydo.JourneyRule
		if strings.HasPrefix(id, "journey.") {
			for k := range j.Rules {
				if j.Rules[k].ID == id {
					r = &j.Rules[k]
				}
			}
			if r == nil {
				if s := saydo.Suggest(id, builtin); s != "" {
					c.errorf(idf.val, "id: no built-in journey rule %q (did you mean %q?)", id, s)
				} else {
					c.errorf(idf.val, "id: no built-in journey rule %q (built-in: %s); your own rules take ids without the journey. prefix", id, strings.Join(builtin, ", "))
				}
				continue
			}
			if kf, ok := rf["kind"]; ok {
				if k := c.str(kf, "kind"); k != string(r.Kind) {
					c.errorf(kf.val, "kind: %s is a %s rule; its kind cannot change (give your own rule another id)", id, r.Kind)
				}
			}
		} else {
			if id == "" || !idPattern.MatchString(id) {
				c.errorf(idf.val, "id: %q must match [a-z0-9-]+ (lowercase letters, digits and hyphens), e.g. %q", id, slug(id))
			}
			kf, ok := rf["kind"]
			if !ok {
				c.missing(rf, "kind", item, "%s: missing kind (during_complaint, without_prior or too_many)", what)
				continue
			}
			kind := saydo.JourneyRuleKind(c.str(kf, "kind"))
			if _, ok := kindKeys[kind]; !ok {
				names := make([]string, len(saydo.JourneyRuleKinds))
				for k, v := range saydo.JourneyRuleKinds {
					names[k] = string(v)
				}
				if s := saydo.Suggest(string(kind), names); s != "" {
					c.errorf(kf.val, "kind: unknown journey rule kind %q (did you mean %q?)", kind, s)
				} else {
					c.errorf(kf.val, "kind: unknown journey rule kind %q (want one of %s)", kind, strings.Join(names, ", "))
				}
				continue
			}
			j.Rules = append(j.Rules, saydo.JourneyRule{ID: id, Kind: kind})
			r = &j.Rules[len(j.Rules)-1]
			// Defaults of a new rule: those of the built-in of its kind.
			switch kind {
			case saydo.WithoutPrior:
				r.WindowDays, r.LeadDays = 30, 3
			case saydo.TooMany:
				r.WindowDays, r.MaxContacts = 7, 5
			}
		}
		r.Pos = c.pos(item)
		c.journeyRule(rf, r, id, departments)
	}
	return j
}

// journeyRule reads the settings of one rule into r.
func (c *checker) journeyRule(rf map[string]field, r *saydo.JourneyRule, id string, departments []string) {
	allowed := kindKeys[r.Kind]
	if r.ID == saydo.RuleThreatWithoutReminder {
		allowed = append(allowed[:len(allowed):len(allowed)], "reminder_window_days", "reminder_lead_days")
	}
	for _, k := range journeyRuleKeys {
		f, ok := rf[k]
		if !ok || k == "id" || k == "kind" || k == "off" {
			continue
		}
		if !contains(allowed, k) {
			c.errorf(f.key, "%s: a %s rule has no %s (it takes %s)", k, r.Kind, k, strings.Join(allowed, ", "))
		}
	}
	if f, ok := rf["off"]; ok {
		if off, ok := c.boolean(f, "off: want true or false"); ok {
			r.Off = off
			if r.Off && !strings.HasPrefix(id, "journey.") {
				c.errorf(f.val, "off: only a built-in rule is turned off; delete your own rule instead")
			}
		}
	}
	if f, ok := rf["when"]; ok && contains(allowed, "when") {
		r.When = c.contactScope(f, "when", departments)
	}
	if f, ok := rf["prior"]; ok && contains(allowed, "prior") {
		r.Prior = c.contactScope(f, "prior", departments)
	}
	if f, ok := rf["complaint"]; ok && contains(allowed, "complaint") {
		fields := c.mapping(f.val, "complaint", complaintKeys)
		if g, ok := fields["department"]; ok {
			r.Complaint.Departments = c.departmentList(g, "complaint.department", departments)
		}
		if g, ok := fields["channel"]; ok {
			r.Complaint.Channels = c.strList(g, "complaint.channel")
		}
	}
	setDays := func(key string, min int, dst *int) {
		if f, ok := rf[key]; ok && contains(allowed, key) {
			if v, ok := c.days(f, key, min); ok {
				*dst = v
			}
		}
	}
	setDays("open_days", 1, &r.OpenDays)
	setDays("window_days", 1, &r.WindowDays)
	setDays("reminder_window_days", 1, &r.WindowDays)
	setDays("lead_days", 0, &r.LeadDays)
	setDays("reminder_lead_days", 0, &r.LeadDays)
	setDays("max_contacts", 1, &r.MaxContacts)
	if r.Kind == saydo.WithoutPrior && r.LeadDays >= r.WindowDays {
		c.errorAt(r.Pos.Line, r.Pos.Col, "%s: lead days (%d) must be fewer than window days (%d): the prior contact is looked for between them", id, r.LeadDays, r.WindowDays)
	}
}

// days reads a whole number of at least min.
func (c *checker) days(f field, what string, min int) (int, bool) {
	v, ok := c.number(f, what)
	if !ok {
		return 0, false
	}
	if v != float64(int(v)) || int(v) < min || v > 3660 {
		c.errorf(f.val, "%s: want a whole number from %d to 3660, got %s", what, min, f.val.Value)
		return 0, false
	}
	return int(v), true
}

func (c *checker) contactScope(f field, what string, departments []string) saydo.ContactScope {
	var s saydo.ContactScope
	fields := c.mapping(f.val, what, contactScopeKeys)
	if g, ok := fields["department"]; ok {
		s.Departments = c.departmentList(g, what+".department", departments)
	}
	if g, ok := fields["channel"]; ok {
		for _, ch := range c.strList(g, what+".channel") {
			if s := saydo.Suggest(ch, saydo.Channels); s != "" && !contains(saydo.Channels, ch) {
				c.errorf(g.val, "%s.channel: unknown channel %q (did you mean %q? contacts may also name channels of their own, such as phone)", what, ch, s)
			}
			s.Channels = append(s.Channels, ch)
		}
	}
	if g, ok := fields["intent"]; ok {
		names := make([]string, len(saydo.Intents))
		for i, in := range saydo.Intents {
			names[i] = string(in)
		}
		for _, in := range c.strList(g, what+".intent") {
			if !saydo.ValidIntent(in) {
				if m := saydo.Suggest(in, names); m != "" {
					c.errorf(g.val, "%s.intent: unknown intent %q (did you mean %q?)", what, in, m)
				} else {
					c.errorf(g.val, "%s.intent: unknown intent %q (want one of %s)", what, in, strings.Join(names, ", "))
				}
			}
			s.Intents = append(s.Intents, saydo.Intent(in))
		}
	}
	return s
}

func (c *checker) departmentList(f field, what string, departments []string) []string {
	list := c.strList(f, what)
	for _, d := range list {
		c.department(f.val, what, d, departments)
	}
	return list
}

// intent checks a message's intent.
func (c *checker) intent(n *yamlv3.Node, in saydo.Intent) {
	if in == "" || saydo.ValidIntent(string(in)) {
		return
	}
	names := make([]string, len(saydo.Intents))
	for i, x := range saydo.Intents {
		names[i] = string(x)
	}
	if m := saydo.Suggest(string(in), names); m != "" {
		c.errorf(n, "intent: unknown intent %q (did you mean %q?)", in, m)
		return
	}
	c.errorf(n, "intent: unknown intent %q (want one of %s)", in, strings.Join(names, ", "))
}
