package yaml

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/saydo/saydo"
	yamlv3 "go.yaml.in/yaml/v3"
)

var (
	impactKeys     = []string{"currency", "customer_value", "churn_if_missed", "complaint_rate", "word_of_mouth", "cost_to_win", "churn_kind", "churn_metric"}
	assumptionKeys = []string{"value", "source"}
	actionKeys     = []string{"id", "what", "by", "on"}
	alertKeys      = []string{"url", "secret", "events", "format"}
	currencyRe     = regexp.MustCompile(`^[A-Z]{3}$`)
	envRefRe       = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)
)

// Defaults for assumptions written as "default", from the figures CX
// research quotes (see docs/impact.md).
var assumptionDefaults = map[string]saydo.Assumption{
	"complaint_rate": {Name: "complaint_rate", Value: 0.03,
		Source: "default: about 3% of dissatisfied customers complain about small problems, 30–70% about serious or costly ones (TARP studies)"},
	"word_of_mouth": {Name: "word_of_mouth", Value: 9,
		Source: "default: a dissatisfied customer tells 8–10 people (secondary sources only; no primary study)"},
}

// impact reads the impact: section.
func (c *checker) impact(n *yamlv3.Node) *saydo.Impact {
	if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	fields := c.mapping(n, "impact", impactKeys)
	if fields == nil {
		return nil
	}
	im := &saydo.Impact{Pos: c.pos(n)}
	if f, ok := fields["currency"]; ok {
		im.Currency = c.str(f, "impact: currency")
		if !currencyRe.MatchString(im.Currency) {
			c.errorf(f.val, "impact: currency: want an ISO 4217 code such as EUR or USD, got %q", im.Currency)
		}
	}
	type bound struct{ lo, hi float64 }
	for _, a := range []struct {
		name string
		dst  **saydo.Assumption
		b    bound
		what string
	}{
		{"customer_value", &im.CustomerValue, bound{0, 1e12}, "the revenue of one customer per year"},
		{"churn_if_missed", &im.ChurnIfMissed, bound{0, 1}, "the share of customers who leave after a miss"},
		{"complaint_rate", &im.ComplaintRate, bound{0, 1}, "the share of dissatisfied customers who complain"},
		{"word_of_mouth", &im.WordOfMouth, bound{0, 1e6}, "how many people a dissatisfied customer tells"},
		{"cost_to_win", &im.CostToWin, bound{0, 1e12}, "what winning one new customer costs"},
	} {
		f, ok := fields[a.name]
		if !ok {
			continue
		}
		*a.dst = c.assumption(f, a.name, a.what, a.b.lo, a.b.hi)
	}
	if f, ok := fields["churn_kind"]; ok {
		im.ChurnKind = strings.ToLower(strings.TrimSpace(c.str(f, "impact: churn_kind")))
		if im.ChurnKind == "" {
			c.errorf(f.val, "impact: churn_kind: must not be empty (the feedback kind that records a customer leaving, default churn)")
		}
	}
	if f, ok := fields["churn_metric"]; ok {
		im.ChurnMetric = c.str(f, "impact: churn_metric")
		if !metricPattern.MatchString(im.ChurnMetric) {
			c.errorf(f.val, "impact: churn_metric: %q must match [a-z0-9_.-]+ (the metric of observations that record a customer leaving)", im.ChurnMetric)
		}
	}
	if (im.CustomerValue != nil || im.CostToWin != nil) && im.Currency == "" {
		c.errorf(n, "impact: missing currency (an ISO 4217 code such as EUR) for customer_value and cost_to_win")
	}
	return im
}

// assumption reads {value: N, source: "..."} or, where saydo has a
// researched default, the word default.
func (c *checker) assumption(f field, name, what string, lo, hi float64) *saydo.Assumption {
	n := f.val
	if n.Kind == yamlv3.ScalarNode && n.Value == "default" {
		if d, ok := assumptionDefaults[name]; ok {
			return &d
		}
		c.errorf(n, "impact: %s: there is no default for %s; give {value: N, source: \"where it comes from\"}", name, what)
		return nil
	}
	if n.Kind == yamlv3.ScalarNode {
		hint := ""
		if _, ok := assumptionDefaults[name]; ok {
			hint = ", or the word default"
		}
		c.errorf(n, "impact: %s: an assumption needs its source: write {value: %s, source: \"where the number comes from\"}%s", name, n.Value, hint)
		return nil
	}
	fields := c.mapping(n, "impact: "+name, assumptionKeys)
	if fields == nil {
		return nil
	}
	a := &saydo.Assumption{Name: name}
	ok := true
	if v, has := fields["value"]; has {
		var good bool
		a.Value, good = c.number(v, "impact: "+name+": value")
		if good && (a.Value < lo || a.Value > hi) {
			c.errorf(v.val, "impact: %s: value must be in [%g, %g] (%s), got %s", name, lo, hi, what, v.val.Value)
			good = false
		}
		ok = ok && good
	} else {
		c.missing(fields, "value", n, "impact: %s: missing value (%s)", name, what)
		ok = false
	}
	if s, has := fields["source"]; has {
		a.Source = strings.TrimSpace(c.str(s, "impact: "+name+": source"))
		if a.Source == "" {
			c.errorf(s.val, "impact: %s: source must not be empty: say where the number comes from", name)
			ok = false
		}
	} else {
		c.missing(fields, "source", n, "impact: %s: missing source (where the number comes from: a finance report, a study)", name)
		ok = false
	}
	if !ok {
		return nil
	}
	return a
}

// actions reads a promise's actions:, sorted by date.
func (c *checker) actions(n *yamlv3.Node, known []string) []saydo.PromiseAction {
	if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yamlv3.SequenceNode {
		c.errorf(n, "actions: want a list of actions (- id: more-crews), got %s", kindName(n))
		return nil
	}
	var out []saydo.PromiseAction
	first := map[string]int{}
	for i, item := range n.Content {
		item = resolve(item)
		what := itemName("action", i, item)
		fields := c.mapping(item, what, actionKeys)
		if fields == nil {
			continue
		}
		a := saydo.PromiseAction{Pos: c.pos(item)}
		a.ID = c.id(fields, item, what, "action", first)
		if f, ok := fields["what"]; ok {
			a.What = strings.TrimSpace(c.str(f, "what"))
			if a.What == "" {
				c.errorf(f.val, "what: must not be empty; say what was done")
			}
		} else {
			c.missing(fields, "what", item, "%s: missing what (what was done, e.g. what: Two more field crews)", what)
		}
		if f, ok := fields["by"]; ok {
			a.By = c.str(f, "by")
			c.department(f.val, "by", a.By, known)
		} else {
			c.missing(fields, "by", item, "%s: missing by (the department that did it)", what)
		}
		if f, ok := fields["on"]; ok {
			a.On, _ = c.date(f, "on")
		} else {
			c.missing(fields, "on", item, "%s: missing on (the day it took effect, YYYY-MM-DD)", what)
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].On.Before(out[j].On) })
	return out
}

// alerts reads the alerts: section.
func (c *checker) alerts(n *yamlv3.Node) []saydo.Alert {
	if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yamlv3.SequenceNode {
		c.errorf(n, "alerts: want a list of webhooks (- url: https://...), got %s", kindName(n))
		return nil
	}
	var out []saydo.Alert
	for i, item := range n.Content {
		item = resolve(item)
		what := "alert " + strconv.Itoa(i+1)
		fields := c.mapping(item, what, alertKeys)
		if fields == nil {
			continue
		}
		a := saydo.Alert{Pos: c.pos(item), Format: "standard"}
		if f, ok := fields["format"]; ok {
			a.Format = c.str(f, "format")
			if a.Format != "standard" && a.Format != "slack" {
				c.errorf(f.val, "format: want standard (signed JSON events) or slack (a Slack-compatible message), got %q", a.Format)
			}
		}
		if f, ok := fields["url"]; ok {
			a.URL = strings.TrimSpace(c.str(f, "url"))
			u, err := url.Parse(a.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				c.errorf(f.val, "url: want an http:// or https:// address, got %q", a.URL)
			}
		} else {
			c.missing(fields, "url", item, "%s: missing url (the address saydo serve posts events to)", what)
		}
		if f, ok := fields["secret"]; ok {
			a.Secret = strings.TrimSpace(c.str(f, "secret"))
			if !envRefRe.MatchString(a.Secret) {
				if err := CheckWebhookSecret(a.Secret); err != "" {
					c.errorf(f.val, "secret: %s", err)
				}
			}
		} else if a.Format == "standard" {
			c.missing(fields, "secret", item, "%s: missing secret: a signing secret whsec_<base64>, or ${NAME} to read it from the environment (saydo alerts secret makes one)", what)
		}
		if f, ok := fields["events"]; ok {
			a.Events = c.strList(f, "events")
			items := []*yamlv3.Node{f.val}
			if f.val.Kind == yamlv3.SequenceNode {
				items = f.val.Content
			}
			for _, e := range items {
				e = resolve(e)
				if e.Kind != yamlv3.ScalarNode || e.Tag == "!!null" || contains(saydo.AlertEvents, e.Value) {
					continue
				}
				if s := saydo.Suggest(e.Value, saydo.AlertEvents); s != "" {
					c.errorf(e, "events: unknown event %q (did you mean %q?)", e.Value, s)
				} else {
					c.errorf(e, "events: unknown event %q (events: %s)", e.Value, strings.Join(saydo.AlertEvents, ", "))
				}
			}
			if len(a.Events) == 0 && f.val.Kind == yamlv3.SequenceNode {
				c.errorf(f.val, "events: empty; list at least one of %s", strings.Join(saydo.AlertEvents, ", "))
			}
		} else {
			a.Events = append([]string(nil), saydo.AlertEvents...)
		}
		out = append(out, a)
	}
	return out
}

// CheckWebhookSecret returns what is wrong with a Standard Webhooks secret
// (whsec_ followed by base64 of 24 to 64 bytes), or "" when it is fine.
func CheckWebhookSecret(s string) string {
	b64, ok := strings.CutPrefix(s, "whsec_")
	if !ok {
		return "want whsec_<base64> (a Standard Webhooks secret) or ${NAME} to read it from the environment"
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "the part after whsec_ is not valid base64"
	}
	if len(key) < 24 || len(key) > 64 {
		return "the key must be 24 to 64 bytes (saydo alerts secret makes one of 32)"
	}
	return ""
}
