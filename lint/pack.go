package lint

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/saydo/saydo"
)

// runPack runs every built-in rule that applies to the message.
func (c *check) runPack() {
	on := func(id string) *saydo.Rule {
		r := c.l.pack[id]
		if r == nil || !r.Applies(&c.scope) {
			return nil
		}
		return r
	}
	known := c.mask&(maskEN|maskRO) != 0
	threats := c.threats()
	if r := on(saydo.RuleGreeting); r != nil && known && c.prof.greeting {
		c.greeting(r)
	}
	if r := on(saydo.RuleWarningFirst); r != nil && known {
		c.warningFirst(r, threats)
	}
	if r := on(saydo.RuleReason); r != nil && known {
		c.reason(r, threats)
	}
	if r := on(saydo.RuleNextStep); r != nil && known && c.prof.nextStep {
		c.nextStep(r, threats)
	}
	if r := on(saydo.RuleTone); r != nil {
		c.tone(r)
	}
	if r := on(saydo.RulePromiseConflict); r != nil && len(c.l.promises) > 0 {
		c.promiseConflict(r)
	}
	if r := on(saydo.RulePlaceholder); r != nil {
		c.placeholders(r)
	}
	if r := on(saydo.RuleSMSLength); r != nil && strings.EqualFold(c.m.Channel, "sms") {
		c.smsLength(r)
	}
	if r := on(saydo.RuleReadability); r != nil {
		c.readability(r)
	}
	if r := on(saydo.RuleSubstitution); r != nil {
		c.substitution(r)
	}
}

// text returns a rule's message: the workspace's own when it set one
// ("%s" is the match), else the built-in text.
func text(r *saydo.Rule, builtin string, match string) string {
	for _, d := range packDefaults {
		if d.ID == r.ID && d.Message == r.Message {
			return builtin
		}
	}
	if strings.Contains(r.Message, "%s") {
		return strings.Replace(r.Message, "%s", match, 1)
	}
	return r.Message
}

// firstContent returns the index of the first token that is not an
// @mention, or -1.
func (c *check) firstContent() int32 {
	for i, t := range c.d.toks {
		if t.kind != tMention {
			return int32(i)
		}
	}
	return -1
}

func (c *check) greeting(r *saydo.Rule) {
	f := c.firstContent()
	if f < 0 {
		return
	}
	for _, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if e.cat == catGreeting && e.lang&c.mask != 0 && h.t0 <= f+3 {
			return
		}
	}
	for i := f; i < min(f+3, int32(len(c.d.toks))); i++ {
		if t := c.d.toks[i]; t.kind == tPlaceholder && isNameVar(t.norm) {
			return
		}
	}
	// The match is the opening: up to the first , : or the sentence end.
	s := c.d.toks[f].start
	si := c.d.toks[f].sent
	_, e := c.d.sentenceSpan(int(si))
	if k := strings.IndexAny(c.d.body[s:e], ",:"); k > 0 {
		e = s + int32(k)
	}
	c.add(r, s, e, text(r, r.Message, c.d.body[s:e]), r.Suggestion)
}

func isNameVar(name string) bool {
	return strings.Contains(name, "name") || strings.Contains(name, "nume") || name == "client" || name == "customer"
}

func isDateVar(name string) bool {
	for _, k := range []string{"date", "deadline", "data", "termen", "due", "zi", "day", "scaden", "until", "by"} {
		if strings.Contains(name, k) {
			return true
		}
	}
	return false
}

func isContactVar(name string) bool {
	for _, k := range []string{"phone", "tel", "link", "url", "site", "mail", "app", "contact", "web", "numar", "number", "agent"} {
		if strings.Contains(name, k) {
			return true
		}
	}
	return false
}

// threat is a consequence the message announces.
type threat struct {
	sent  int32
	h     hit
	label string
	rank  int32
}

// threats finds the consequences the message announces: a credit bureau,
// legal action, a cut-off... not when denied ("we will not suspend"),
// apologised for, asked about, or (for suspension and the like) merely
// named without being announced.
func (c *check) threats() []threat {
	var out []threat
	last := int32(-1)
	for _, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if (e.cat != catThreat && e.cat != catSanction) || e.lang&c.mask == 0 {
			continue
		}
		si := c.d.toks[h.t0].sent
		if si == last {
			// one threat per sentence, named by its gravest consequence
			if t := &out[len(out)-1]; e.arg >= 0 && int(e.arg) < len(threatLabels) && threatLabels[e.arg] != t.label && e.arg < t.rank {
				t.label, t.rank = threatLabels[e.arg], e.arg
			}
			continue
		}
		s := c.d.sents[si]
		if s.question || c.has(catApology, s.t0, s.t1) {
			continue
		}
		if c.has(catNegation, max(s.t0, h.t0-4), h.t0) {
			continue
		}
		if e.cat == catSanction && !c.has(catModal, s.t0, s.t1) {
			continue
		}
		// "To close your account, ..." is the customer's wish, not a threat.
		if e.cat == catSanction && h.t0 > s.t0 && (c.d.toks[h.t0-1].norm == "to" || c.d.toks[h.t0-1].norm == "pentru") {
			continue
		}
		label := "a consequence"
		if e.arg >= 0 && int(e.arg) < len(threatLabels) {
			label = threatLabels[e.arg]
		}
		out = append(out, threat{sent: si, h: h, label: label, rank: e.arg})
		last = si
	}
	return out
}

// fair reports whether a threat in sentence si comes with a chance to act
// first: a condition ("if", "dacă", "otherwise") in it or the sentence
// before, and a deadline ("by {{date}}", "până la", "within 10 days") no
// later than it.
func (c *check) fair(si int32) bool {
	s := c.d.sents[si]
	from := s.t0
	if si > 0 {
		from = c.d.sents[si-1].t0
	}
	if !c.has(catCondition, from, s.t1) {
		return false
	}
	if c.has(catDeadline, 0, s.t1) {
		return true
	}
	for _, t := range c.d.toks[:s.t1] {
		if t.kind == tPlaceholder && isDateVar(t.norm) {
			return true
		}
	}
	return false
}

func (c *check) warningFirst(r *saydo.Rule, threats []threat) {
	for _, t := range threats {
		if c.fair(t.sent) {
			continue
		}
		s, e := c.d.sentenceSpan(int(t.sent))
		c.add(r, s, e, text(r, fmt.Sprintf("Threatens %s without a chance to act first.", t.label), c.d.body[s:e]), r.Suggestion)
	}
}

func (c *check) reason(r *saydo.Rule, threats []threat) {
	if c.first(catReason) >= 0 {
		return
	}
	var at hit
	found := false
	if len(threats) > 0 {
		at, found = threats[0].h, true
	}
	if c.prof.actions {
		if i := c.first(catAction); i >= 0 && (!found || c.d.hits[i].t0 < at.t0) {
			at, found = c.d.hits[i], true
		}
	}
	if !found {
		return
	}
	s, e := c.span(at.t0, at.t1)
	c.add(r, s, e, text(r, r.Message, c.d.body[s:e]), r.Suggestion)
}

// hasNextStep reports whether the message tells the customer how to go
// on: a contact word, a link, an address, a phone number, a contact
// placeholder.
func (c *check) hasNextStep() bool {
	for _, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if e.cat == catNextStep && e.lang&c.mask != 0 && !c.refused(h) {
			return true
		}
	}
	for _, t := range c.d.toks {
		switch t.kind {
		case tURL, tEmail:
			return true
		case tPlaceholder:
			if isContactVar(t.norm) {
				return true
			}
		}
	}
	return hasPhone(c.d.body)
}

// hasPhone reports whether body holds something dialable: seven or more
// digits separated only by spaces, dots, dashes or brackets.
func hasPhone(body string) bool {
	digits := 0
	for i := 0; i < len(body); i++ {
		ch := body[i]
		switch {
		case ch >= '0' && ch <= '9':
			digits++
			if digits >= 7 {
				return true
			}
		case ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')' || ch == '+':
			if ch == ' ' && i+1 < len(body) && !(body[i+1] >= '0' && body[i+1] <= '9') && body[i+1] != '(' {
				digits = 0
			}
		default:
			digits = 0
		}
	}
	return false
}

func (c *check) nextStep(r *saydo.Rule, threats []threat) {
	if len(c.d.sents) == 0 || c.hasNextStep() {
		return
	}
	level := r.EffectiveLevel()
	refuses := false
	c.refusals(func(hit, string) { refuses = true })
	if len(threats) == 0 && !refuses && (!c.prof.actions || c.first(catAction) < 0) {
		// Nothing asked, nothing at stake: a next step would still help.
		if !c.prof.formal && !strings.EqualFold(c.m.Channel, "sms") {
			return
		}
		level = saydo.LevelSuggestion
	}
	si := len(c.d.sents) - 1
	s, e := c.d.sentenceSpan(si)
	c.add(r, s, e, text(r, r.Message, c.d.body[s:e]), r.Suggestion)
	c.out[len(c.out)-1].Level = minLevel(level, r.EffectiveLevel())
}

// minLevel returns the less serious of two levels.
func minLevel(a, b saydo.Level) saydo.Level {
	rank := func(l saydo.Level) int {
		switch l {
		case saydo.LevelError:
			return 2
		case saydo.LevelWarning:
			return 1
		}
		return 0
	}
	if rank(a) < rank(b) {
		return a
	}
	return b
}

// insideHarsh reports whether harsh hit i overlaps a longer harsh hit (or
// an earlier one as long): "due to your failure" and "your failure to"
// are one finding.
func (c *check) insideHarsh(i int) bool {
	h := c.d.hits[i]
	for j, o := range c.d.hits {
		if j == i || c.l.lex.entries[o.e].cat != catHarsh || c.l.lex.entries[o.e].lang&c.mask == 0 {
			continue
		}
		if o.t0 < h.t1 && h.t0 < o.t1 && (o.t1-o.t0 > h.t1-h.t0 || o.t1-o.t0 == h.t1-h.t0 && j < i) {
			return true
		}
	}
	return false
}

// acronyms are upper-case words that are not shouting.
var acronyms = map[string]bool{
	"ron": true, "eur": true, "usd": true, "gbp": true, "sms": true, "pin": true, "atm": true,
	"iban": true, "cnp": true, "srl": true, "vat": true, "tva": true, "faq": true, "url": true,
	"bnr": true, "anaf": true, "anpc": true, "otp": true, "id": true, "nps": true, "dm": true,
	"usa": true, "uk": true, "eu": true, "ceo": true, "tv": true, "ok": true, "pdf": true,
	"gdpr": true, "crc": true, "iphone": true, "imei": true, "sim": true, "esim": true, "gb": true,
	"mb": true, "wifi": true, "cvv": true, "pm": true, "am": true, "est": true, "pst": true,
	"utc": true, "gmt": true, "dms": true, "asap": false, "fyi": true, "aa": true, "dl": true,
	"ny": true, "nyc": true, "la": true, "sfo": true, "jfk": true, "lga": true, "atl": true,
	"msp": true, "dtw": true, "slc": true, "lax": true, "sea": true, "bos": true, "mco": true,
	"ua": true, "ual": true, "ein": true, "ssn": true, "ups": true, "usps": true, "dhl": true,
	"fba": true, "asin": true, "isbn": true, "kdp": true, "amzn": true, "tba": true, "tbd": true,
}

func (c *check) tone(r *saydo.Rule) {
	for i, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if e.cat != catHarsh || e.lang&c.mask == 0 || c.insideHarsh(i) {
			continue
		}
		s, en := c.span(h.t0, h.t1)
		m := c.d.body[s:en]
		c.add(r, s, en, text(r, fmt.Sprintf("Harsh or cold wording: %q.", m), m), r.Suggestion)
	}
	lastSent := int32(-1)
	c.refusals(func(h hit, what string) {
		// Report the whole sentence, once: "Do not contact us again."
		si := c.d.toks[h.t0].sent
		if si == lastSent {
			return
		}
		lastSent = si
		s, en := c.d.sentenceSpan(int(si))
		m := c.d.body[s:en]
		c.add(r, s, en, text(r, fmt.Sprintf("%s: %q.", what, m), m),
			"Leave the door open: say who can still help and how (\"If anything changes, reply here\").")
	})
	// Shouting: two or more loud words in a row with eight letters or
	// more between them (PLEASE PAY, not AMS, ETA), or three long ones in
	// the message.
	loud := func(t *token) bool {
		return t.kind == tWord && t.caps && utf8.RuneCountInString(t.norm) >= 3 && !acronyms[t.norm]
	}
	long := func(t *token) bool { return loud(t) && utf8.RuneCountInString(t.norm) >= 4 }
	total, runStart, run := 0, -1, 0
	reported := false
	for i := range c.d.toks {
		t := &c.d.toks[i]
		if loud(t) {
			if long(t) {
				total++
			}
			if run == 0 {
				runStart = i
			}
			run++
			if run >= 2 && !reported {
				end := i
				for end+1 < len(c.d.toks) && loud(&c.d.toks[end+1]) {
					end++
				}
				letters := 0
				for k := runStart; k <= end; k++ {
					letters += utf8.RuneCountInString(c.d.toks[k].norm)
				}
				if letters < 8 {
					continue
				}
				s, e := c.span(int32(runStart), int32(end+1))
				c.add(r, s, e, text(r, "Shouting: words in capitals.", c.d.body[s:e]), "Write in sentence case.")
				reported = true
			}
			continue
		}
		if t.kind == tWord || t.kind == tNumber {
			run = 0
		}
	}
	if total >= 3 && !reported {
		for i := range c.d.toks {
			if long(&c.d.toks[i]) {
				s, e := c.span(int32(i), int32(i+1))
				c.add(r, s, e, text(r, "Shouting: words in capitals.", c.d.body[s:e]), "Write in sentence case.")
				break
			}
		}
	}
	// Piled-up exclamation marks; in a tweet or a chat "!!" is cheer,
	// three or more are still too many.
	b := c.d.body
	pile := 2
	if !c.prof.nextStep {
		pile = 3
	}
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '!' && (b[i+1] == '!' || (b[i+1] == '?' && i+2 < len(b) && b[i+2] == '!')) {
			j := i
			for j < len(b) && (b[j] == '!' || b[j] == '?') {
				j++
			}
			if strings.Count(b[i:j], "!") < pile {
				i = j
				continue
			}
			c.add(r, int32(i), int32(j), text(r, "Piled-up exclamation marks.", b[i:j]), "One exclamation mark at most, or none.")
			i = j
		}
	}
	if c.prof.formal {
		n := strings.Count(b, "!")
		if n > 2 {
			i := strings.LastIndexByte(b, '!')
			c.add(r, int32(i), int32(i+1), text(r, fmt.Sprintf("%d exclamation marks in one message.", n), "!"), "One exclamation mark at most, or none.")
		}
	}
}

// placeholders checks {{variables}}: broken braces, bad names, variables
// not declared in the front matter.
func (c *check) placeholders(r *saydo.Rule) {
	b := c.d.body
	declared := len(c.m.Variables) > 0
	used := map[string]bool{}
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '{':
			if i+1 < len(b) && b[i+1] == '{' {
				j := strings.Index(b[i+2:], "}}")
				nl := strings.IndexAny(b[i+2:], "\n{")
				if j < 0 || (nl >= 0 && nl < j) {
					end := i + 2
					for end < len(b) && end < i+40 && b[end] != ' ' && b[end] != '\n' {
						end++
					}
					c.add(r, int32(i), int32(end), text(r, "Broken placeholder: \"{{\" without \"}}\".", b[i:end]), r.Suggestion)
					i = end - 1
					continue
				}
				end := i + 4 + j
				name := strings.TrimSpace(b[i+2 : i+2+j])
				for end < len(b) && b[end] == '}' {
					end++
				}
				switch {
				case end > i+4+j:
					c.add(r, int32(i), int32(end), text(r, "Broken placeholder: too many closing braces.", b[i:end]), r.Suggestion)
				case !validVarName(name):
					c.add(r, int32(i), int32(end), text(r, fmt.Sprintf("Broken placeholder: %q is not a variable name.", name), b[i:end]), r.Suggestion)
				default:
					used[name] = true
					if declared && !containsFold(c.m.Variables, name) {
						c.add(r, int32(i), int32(end), text(r, fmt.Sprintf("Placeholder {{%s}} is not declared in variables (%s).", name, strings.Join(c.m.Variables, ", ")), b[i:end]),
							"Declare it in the front matter's variables, or fix its name.")
					}
				}
				i = end - 1
				continue
			}
			// A single brace: {name} or {name}}
			j := i + 1
			for j < len(b) && (b[j] == '_' || b[j] == '.' || isLetter(rune(b[j])) || isDigit(rune(b[j]))) {
				j++
			}
			if j > i+1 && j < len(b) && b[j] == '}' {
				end := j + 1
				if end < len(b) && b[end] == '}' {
					end++
				}
				c.add(r, int32(i), int32(end), text(r, "Broken placeholder: single braces.", b[i:end]), r.Suggestion)
				i = end - 1
			}
		case '}':
			if i+1 < len(b) && b[i+1] == '}' {
				c.add(r, int32(i), int32(i+2), text(r, "Broken placeholder: \"}}\" without \"{{\".", "}}"), r.Suggestion)
				i++
			}
		}
	}
	if declared {
		for _, v := range c.m.Variables {
			if !used[v] && !used[strings.ToLower(v)] {
				c.add(r, 0, 0, text(r, fmt.Sprintf("Variable %q is declared but never used.", v), ""), "Remove it from variables, or use it.")
				c.out[len(c.out)-1].Level = saydo.LevelSuggestion
			}
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || isLetter(r) || (i > 0 && (isDigit(r) || r == '.' || r == '-')) {
			continue
		}
		return false
	}
	return true
}

// smsText returns the body as sent, with placeholders at their typical
// length, and for each byte of it the byte of the body it comes from.
func (c *check) smsText() (string, []int32) {
	var sb strings.Builder
	var from []int32
	b := c.d.body
	ti := 0
	toks := c.d.toks
	for i := 0; i < len(b); {
		for ti < len(toks) && int(toks[ti].end) <= i {
			ti++
		}
		if ti < len(toks) && toks[ti].kind == tPlaceholder && int(toks[ti].start) == i {
			n := c.l.opts.PlaceholderLength
			if v, ok := c.l.phLen[toks[ti].norm]; ok {
				n = v
			}
			for k := 0; k < n; k++ {
				sb.WriteByte('x')
				from = append(from, int32(i))
			}
			i = int(toks[ti].end)
			continue
		}
		_, size := utf8.DecodeRuneInString(b[i:])
		sb.WriteString(b[i : i+size])
		for k := 0; k < size; k++ {
			from = append(from, int32(i))
		}
		i += size
	}
	return sb.String(), from
}

func (c *check) smsLength(r *saydo.Rule) {
	max := c.l.opts.SMSMaxSegments
	if r.Max > 0 {
		max = r.Max
	}
	sms, from := c.smsText()
	overflow := -1
	n := countSMS(sms, func(seg, off int) {
		if seg == max+1 {
			overflow = off
		}
	})
	// What the text would take in GSM-7 without Romanian diacritics.
	var gsm SMS
	if n.Encoding == UCS2 {
		gsm = CountSMS(strings.Map(gsmTransliterate, sms))
	}
	enc := string(n.Encoding)
	if n.Encoding == UCS2 {
		enc = fmt.Sprintf("UCS-2 because of %q", n.NonGSM)
	}
	if n.Segments > max && overflow >= 0 {
		s := from[overflow]
		e := int32(len(c.d.body))
		if k := strings.IndexByte(c.d.body[s:], '\n'); k >= 0 {
			e = s + int32(k)
		}
		msg := fmt.Sprintf("Takes %d SMS segments (%s, %d characters, %d per segment); at most %d allowed.", n.Segments, enc, n.Units, n.PerSegment, max)
		sugg := r.Suggestion
		if n.Encoding == UCS2 && gsm.Encoding == GSM7 {
			sugg = fmt.Sprintf("Without diacritics (ș→s, ț→t, ă→a) it would be GSM-7 and take %d segments; or shorten the message.", gsm.Segments)
		}
		c.add(r, s, e, text(r, msg, c.d.body[s:e]), sugg)
		return
	}
	if n.Encoding == UCS2 && gsm.Encoding == GSM7 && gsm.Segments < n.Segments {
		i := strings.IndexRune(c.d.body, n.NonGSM)
		if i < 0 {
			return
		}
		_, size := utf8.DecodeRuneInString(c.d.body[i:])
		c.add(r, int32(i), int32(i+size), text(r, fmt.Sprintf("%q makes this SMS UCS-2: %d segments instead of %d in GSM-7.", n.NonGSM, n.Segments, gsm.Segments), c.d.body[i:i+size]),
			"Write without diacritics (ș→s, ț→t, ă→a) to send fewer segments.")
		c.out[len(c.out)-1].Level = saydo.LevelSuggestion
	}
}

func (c *check) readability(r *saydo.Rule) {
	max := c.prof.words[0]
	if c.lang == "ro" {
		max = c.prof.words[1]
	}
	if r.Max > 0 {
		max = r.Max
	}
	c.longSentences(r, max, func(n int) string {
		return fmt.Sprintf("Sentence of %d words; at most %d on %s (%s).", n, max, orDefault(c.m.Channel, "email"), c.lang)
	})
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// words counts the words, numbers and placeholders in tokens [t0, t1).
func (c *check) words(t0, t1 int32) int {
	n := 0
	for _, t := range c.d.toks[t0:t1] {
		if t.kind == tWord || t.kind == tNumber || t.kind == tPlaceholder {
			n++
		}
	}
	return n
}

func (c *check) longSentences(r *saydo.Rule, max int, msg func(int) string) {
	for i, s := range c.d.sents {
		if n := c.words(s.t0, s.t1); n > max {
			st, e := c.d.sentenceSpan(i)
			c.add(r, st, e, text(r, msg(n), c.d.body[st:e]), r.Suggestion)
		}
	}
}

func (c *check) substitution(r *saydo.Rule) {
	for _, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if e.cat != catSubst || e.lang&c.mask == 0 {
			continue
		}
		s, en := c.span(h.t0, h.t1)
		m := c.d.body[s:en]
		to := c.l.repl[e.arg]
		c.add(r, s, en, text(r, fmt.Sprintf("Use %q instead of %q.", to, m), m), fmt.Sprintf("Write %q.", to))
	}
}
