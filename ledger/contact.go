package ledger

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// intentAliases are words contact logs use for saydo's intents, named in
// the reason of a rejected row.
var intentAliases = map[string]string{
	"upsell": "offer", "cross-sell": "offer", "crosssell": "offer", "promotion": "offer", "promo": "offer", "sales": "offer", "campaign": "offer",
	"dunning": "warning", "threat": "warning", "final-notice": "warning", "notice": "warning",
	"nps": "survey", "csat": "survey", "feedback": "survey",
	"notification": "service", "info": "service", "transactional": "service",
	"resolved": "resolution", "closed": "resolution",
	"payment-reminder": "reminder", "remind": "reminder",
}

// channelPattern is what a channel of a contact log may look like.
var channelPattern = regexp.MustCompile(`^[\p{L}\p{N}_-]{1,40}$`)

// contactFields are the columns a contact row may have; other columns are
// ignored.
var contactFields = []string{"id", "customer", "at", "department", "channel", "intent", "message"}

// IngestContacts reads outbound contacts from rr and stores the valid ones,
// with the guarantees of every import (IngestObservations): streaming,
// every row accounted for, idempotent, crash-safe. A row that names a
// catalogue message takes the department, channel and intent it lacks from
// the message's front matter. Departments must be those of saydo.yaml
// (when it lists any); channels and intents those saydo knows.
func IngestContacts(ctx context.Context, st saydo.Store, ws *saydo.Workspace, catalogue []saydo.Message, rr saydo.RowReader, opts IngestOptions) (*IngestResult, error) {
	messages := make(map[string]*saydo.Message, len(catalogue))
	for i := range catalogue {
		messages[catalogue[i].ID] = &catalogue[i]
	}
	departments := make([]string, len(ws.Departments))
	for i, d := range ws.Departments {
		departments[i] = d.ID
	}
	cp := &contactParser{messages: messages, departments: departments, interned: map[string]string{}, keys: newContentCounter()}
	return ingest(ctx, rr, opts, rowKind[saydo.Contact]{
		fields:   contactFields,
		required: []string{"customer", "at"},
		parse:    cp.parse,
		begin: func(ctx context.Context) (rowTx[saydo.Contact], error) {
			return st.BeginContacts(ctx)
		},
	})
}

type contactParser struct {
	messages    map[string]*saydo.Message
	departments []string
	// interned shares the strings of the few departments, channels and
	// intents across rows.
	interned map[string]string
	// keys counts the occurrences of contacts without a source id, in
	// the input's order (parse runs on one goroutine, row after row).
	keys *contentCounter
}

func (p *contactParser) intern(s string) string {
	if v, ok := p.interned[s]; ok {
		return v
	}
	if len(p.interned) < 1024 {
		p.interned[s] = s
	}
	return s
}

func (p *contactParser) parse(row *saydo.Row, c *columns, opts *IngestOptions, out *saydo.Contact) string {
	customer, ok := c.value(row, opts.Set, "customer")
	if !ok {
		return "missing customer"
	}
	at, reason := c.time(row, opts, "missing at (when the contact was sent)")
	if reason == "" {
		reason = opts.notFuture(at) // as observations and feedback
	}
	if reason != "" {
		return reason
	}
	out.Customer, out.At = customer, at.Truncate(time.Millisecond) // what the stores keep
	out.SourceID, _ = c.value(row, opts.Set, "id")
	if reason := saydo.CheckAttr("customer", out.Customer); reason != "" {
		return reason
	}
	if reason := saydo.CheckAttr("id", out.SourceID); reason != "" {
		return reason
	}
	dept, _ := c.value(row, opts.Set, "department")
	channel, _ := c.value(row, opts.Set, "channel")
	intent, _ := c.value(row, opts.Set, "intent")
	for _, f := range [...]struct{ name, v string }{{"customer", customer}, {"id", out.SourceID}, {"department", dept}, {"channel", channel}, {"intent", intent}} {
		if reason := saydo.CheckAttr(f.name, f.v); reason != "" {
			return reason
		}
	}
	if id, ok := c.value(row, opts.Set, "message"); ok {
		m := p.messages[id]
		if m == nil {
			return fmt.Sprintf("unknown message %q: no message in the catalogue (messages/) has this id", id)
		}
		out.Message = m.ID
		if dept == "" {
			dept = m.Department
		}
		if channel == "" {
			channel = m.Channel
		}
		if intent == "" {
			intent = string(m.Intent)
		}
	}
	from := ""
	if out.Message != "" {
		from = fmt.Sprintf(" (nor does message %s's front matter)", out.Message)
	}
	switch {
	case dept == "":
		return "missing department" + from
	case channel == "":
		return "missing channel" + from
	case intent == "":
		return "missing intent" + from
	}
	dept, channel, intent = strings.ToLower(dept), strings.ToLower(channel), strings.ToLower(intent)
	if len(p.departments) > 0 && !contains(p.departments, dept) {
		if s := saydo.Suggest(dept, p.departments); s != "" {
			return fmt.Sprintf("unknown department %q (did you mean %q?)", dept, s)
		}
		return fmt.Sprintf("unknown department %q (saydo.yaml has %s)", dept, strings.Join(p.departments, ", "))
	}
	if !contains(saydo.Channels, channel) {
		// Contact logs name channels their own way (phone, whatsapp, in
		// person): kept as written, unless it looks like a typo of one
		// saydo knows.
		if s := saydo.Suggest(channel, saydo.Channels); s != "" {
			return fmt.Sprintf("unknown channel %q (did you mean %q?)", channel, s)
		}
		if !channelPattern.MatchString(channel) {
			return fmt.Sprintf("channel %q: want one word (letters, digits, - or _), such as %s", channel, strings.Join(saydo.Channels, ", "))
		}
	}
	if !saydo.ValidIntent(intent) {
		names := make([]string, len(saydo.Intents))
		for i, x := range saydo.Intents {
			names[i] = string(x)
		}
		if s := saydo.Suggest(intent, names); s != "" {
			return fmt.Sprintf("unknown intent %q (did you mean %q?)", intent, s)
		}
		if s, ok := intentAliases[intent]; ok {
			return fmt.Sprintf("unknown intent %q: saydo calls it %q (fix the column, or import the file's %s rows with --set intent=%s)", intent, s, intent, s)
		}
		return fmt.Sprintf("unknown intent %q (want one of %s)", intent, strings.Join(names, ", "))
	}
	out.Department, out.Channel, out.Intent = p.intern(dept), p.intern(channel), saydo.Intent(p.intern(intent))
	if out.SourceID != "" {
		out.Key = saydo.ContactKey(out, 0)
	} else {
		out.Key = p.keys.key(saydo.ContactIdentity(out))
	}
	return ""
}
