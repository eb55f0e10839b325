// Package lint reviews customer messages against the brand voice and the
// promise ledger: the built-in saydo rule pack (greeting, reason, next
// step, warning first, tone, promise conflicts, placeholders, SMS length,
// readability, substitutions) in English and Romanian, plus a workspace's
// own rules from style/*.yaml.
//
// It is pure: no I/O. A Linter is built once per workspace and is safe
// for concurrent use; each message is analysed in one pass (tokens,
// sentences, one lexicon scan for every rule), so a catalogue of tens of
// thousands of messages lints in well under a second.
package lint

import (
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/saydo/saydo"
)

// Options tune the built-in pack; the zero value is the default.
type Options struct {
	// NoPack turns the built-in saydo pack off: only workspace rules run.
	NoPack bool
	// SMSMaxSegments is the most SMS segments a message may take; 0
	// means 3. A workspace can also set it with saydo.SMSLength's max.
	SMSMaxSegments int
	// PlaceholderLength is the number of characters a placeholder is
	// counted as when measuring an SMS; 0 means 10.
	PlaceholderLength int
	// Catalogue is the whole message catalogue LintAll's journey checks
	// look in (saydo.ReminderFirst: is there a reminder in the
	// department?); nil means the messages linted.
	Catalogue []saydo.Message
}

// Linter checks messages against a workspace's promises and rules.
type Linter struct {
	ws       *saydo.Workspace
	opts     Options
	lex      *lexicon
	pack     map[string]*saydo.Rule // effective built-in rules; absent when off
	rules    []*wsRule
	promises []promiseFacts
	langBits map[string]langMask
	repl     []string // replacements of substitution entries, by arg
	phLen    map[string]int
	stop     map[string]bool
	pool     sync.Pool
}

// wsRule is a workspace rule ready to run.
type wsRule struct {
	saydo.Rule
	cat      int32
	patterns []langRegexp
}

type langRegexp struct {
	lang langMask
	re   *regexp.Regexp
	// literal is set when the pattern is plain text without letters
	// (such as "!"): found with strings.Index, much faster than a regexp.
	literal string
}

// defaults of the built-in pack: level, message, suggestion.
var packDefaults = []saydo.Rule{
	{ID: saydo.RuleGreeting, Level: saydo.LevelWarning,
		Message:    "Does not address the customer before anything else.",
		Suggestion: "Open with a greeting and the customer's name: \"Hello {{name}},\" / \"Bună ziua, {{nume}},\"."},
	{ID: saydo.RuleReason, Level: saydo.LevelWarning,
		Message:    "Asks for an action or announces a consequence without saying why.",
		Suggestion: "Say why: what the amount is for, what happened, what the customer gains by acting."},
	{ID: saydo.RuleNextStep, Level: saydo.LevelError,
		Message:    "Leaves the customer without a next step or a way to reach a person.",
		Suggestion: "Say what to do next and how to reach a person: a phone number, a link, \"reply to this message\"."},
	{ID: saydo.RuleWarningFirst, Level: saydo.LevelError,
		Message:    "Threatens %s without a chance to act first.",
		Suggestion: "Give a date and a way to pay or talk to someone before any consequence."},
	{ID: saydo.RuleTone, Level: saydo.LevelWarning,
		Message:    "Harsh or cold wording: %q.",
		Suggestion: "Say it as you would to a neighbour: plain, warm, no pressure."},
	{ID: saydo.RulePromiseConflict, Level: saydo.LevelError,
		Message:    "Contradicts the promise ledger.",
		Suggestion: "Use the promise's figure, or change the promise in saydo.yaml first."},
	{ID: saydo.RulePlaceholder, Level: saydo.LevelError,
		Message:    "Broken placeholder.",
		Suggestion: "Write placeholders as {{name}} and declare them in the front matter's variables."},
	{ID: saydo.RuleSMSLength, Level: saydo.LevelError, Channels: []string{"sms"},
		Message:    "Too long for SMS.",
		Suggestion: "Shorten the message."},
	{ID: saydo.RuleReadability, Level: saydo.LevelWarning,
		Message:    "Sentence too long for the channel.",
		Suggestion: "Split it: one idea per sentence."},
	{ID: saydo.RuleSubstitution, Level: saydo.LevelWarning,
		Message:    "Use %q instead of %q.",
		Suggestion: "Write %q."},
	{ID: saydo.RuleReminderFirst, Level: saydo.LevelError,
		Message:    "A warning, and the %s catalogue has no reminder to send before it.",
		Suggestion: "Add a reminder message (intent: reminder) to the department's catalogue and send it at least 3 days before any warning."},
	{ID: saydo.RuleSuppressAfterComplaint, Level: saydo.LevelWarning,
		Message:    "An offer that nothing holds back from customers with an open complaint.",
		Suggestion: "Add suppress: [complaint] to the front matter, and have the campaign tool ask POST /api/v1/journeys/check before each send."},
}

// Pack returns the built-in saydo rules with their default levels,
// messages and suggestions.
func Pack() []saydo.Rule {
	out := make([]saydo.Rule, len(packDefaults))
	for i, r := range packDefaults {
		r.Kind = saydo.KindBuiltin
		out[i] = r
	}
	return out
}

// builtinCats maps built-in rules whose word lists a workspace may extend
// with tokens to the lexicon category they extend.
var builtinCats = map[string]int32{
	saydo.RuleGreeting:     catGreeting,
	saydo.RuleReason:       catReason,
	saydo.RuleNextStep:     catNextStep,
	saydo.RuleWarningFirst: catThreat,
	saydo.RuleTone:         catHarsh,
}

// New builds a linter for a workspace (nil for none: no promise checks)
// with the workspace's rules, which may also tune or disable built-in
// rules. Invalid rules are reported as an ErrorList of PosErrors.
func New(ws *saydo.Workspace, rules []saydo.Rule, opts Options) (*Linter, error) {
	if ws == nil {
		ws = &saydo.Workspace{}
	}
	l := &Linter{ws: ws, opts: opts, lex: newLexicon(), langBits: map[string]langMask{"en": maskEN, "ro": maskRO}}
	l.pool.New = func() any { return new(doc) }
	if l.opts.SMSMaxSegments <= 0 {
		l.opts.SMSMaxSegments = 3
	}
	if l.opts.PlaceholderLength <= 0 {
		l.opts.PlaceholderLength = 10
	}
	if !opts.NoPack {
		l.pack = map[string]*saydo.Rule{}
		for _, r := range Pack() {
			r := r
			l.pack[r.ID] = &r
		}
	}
	for _, it := range packLexicon {
		for _, w := range it.list {
			l.lex.add(w, it.cat, it.arg, it.lang, false)
		}
	}
	for w, v := range numberWords {
		l.lex.add(w, catNumber, int32(v*2), maskAll, false) // arg: twice the value, for halves
	}
	for mask, subs := range packSubstitutions {
		for _, s := range subs {
			l.lex.add(s[0], catSubst, int32(len(l.repl)), mask, false)
			l.repl = append(l.repl, s[1])
		}
	}
	var errs saydo.ErrorList
	seen := map[string]saydo.Pos{}
	for _, r := range rules {
		if p, dup := seen[r.ID]; dup && r.ID != "" {
			errs = append(errs, &saydo.PosError{Pos: r.Pos, Msg: fmt.Sprintf("rule %s: duplicate id (first at %s)", r.ID, p)})
			continue
		}
		seen[r.ID] = r.Pos
		if r.IsBuiltin() {
			if err := l.tune(r); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if err := r.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if r.Disabled {
			continue
		}
		if err := l.addRule(r); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	l.stop = l.stopWords()
	l.promises = promiseFactsOf(l, ws.Promises)
	return l, nil
}

func (l *Linter) bit(lang string) langMask {
	if lang == saydo.AnyLanguage || lang == "" {
		return maskAll
	}
	lang = strings.ToLower(lang)
	if b, ok := l.langBits[lang]; ok {
		return b
	}
	if len(l.langBits) >= 62 {
		return maskOther
	}
	b := langMask(1) << len(l.langBits)
	l.langBits[lang] = b
	return b
}

// tune applies a workspace rule with a built-in id: turn off, relevel,
// rescope, extend word lists.
func (l *Linter) tune(r saydo.Rule) error {
	if l.pack == nil {
		return nil
	}
	if r.ID == saydo.Pack {
		if r.Disabled {
			l.pack = nil
		}
		return nil
	}
	if r.Disabled {
		delete(l.pack, r.ID)
		return nil
	}
	p := l.pack[r.ID]
	if p == nil {
		return nil
	}
	if r.Level != "" {
		if !saydo.ValidLevel(r.Level) {
			return &saydo.PosError{Pos: r.Pos, Msg: fmt.Sprintf("rule %s: level must be error, warning or suggestion, got %q", r.ID, r.Level)}
		}
		p.Level = r.Level
	}
	if r.Message != "" {
		p.Message = r.Message
	}
	if r.Suggestion != "" {
		p.Suggestion = r.Suggestion
	}
	if r.Channels != nil {
		p.Channels = r.Channels
	}
	if r.Departments != nil {
		p.Departments = r.Departments
	}
	if r.Languages != nil {
		p.Languages = r.Languages
	}
	if r.Max > 0 {
		p.Max = r.Max
	}
	if len(r.Options) > 0 {
		p.Options = r.Options
		if v, ok := r.Options["placeholder_length"]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return &saydo.PosError{Pos: r.Pos, Msg: fmt.Sprintf("rule %s: placeholder_length must be a whole number, got %q", r.ID, v)}
			}
			l.opts.PlaceholderLength = n
		}
		for k, v := range r.Options {
			if name, ok := strings.CutPrefix(k, "length."); ok {
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 {
					return &saydo.PosError{Pos: r.Pos, Msg: fmt.Sprintf("rule %s: %s must be a whole number, got %q", r.ID, k, v)}
				}
				if l.phLen == nil {
					l.phLen = map[string]int{}
				}
				l.phLen[strings.ToLower(name)] = n
			}
		}
	}
	if cat, ok := builtinCats[r.ID]; ok {
		for lang, ws := range r.Tokens {
			for _, w := range ws {
				l.lex.add(w, cat, thPenalty, l.bit(lang), r.CaseSensitive)
			}
		}
	}
	if r.ID == saydo.RuleSubstitution {
		for lang, sw := range r.Swap {
			for from, to := range sw {
				l.lex.add(from, catSubst, int32(len(l.repl)), l.bit(lang), r.CaseSensitive)
				l.repl = append(l.repl, to)
			}
		}
	}
	return nil
}

func (l *Linter) addRule(r saydo.Rule) error {
	w := &wsRule{Rule: r, cat: catRule + int32(len(l.rules))}
	for lang, ts := range r.Tokens {
		for _, t := range ts {
			l.lex.add(t, w.cat, -1, l.bit(lang), r.CaseSensitive)
		}
	}
	for lang, sw := range r.Swap {
		for from, to := range sw {
			l.lex.add(from, w.cat, int32(len(l.repl)), l.bit(lang), r.CaseSensitive)
			l.repl = append(l.repl, to)
		}
	}
	for lang, ps := range r.Patterns {
		for _, p := range ps {
			re, err := saydo.CompilePattern(p, r.CaseSensitive)
			if err != nil {
				return &saydo.PosError{Pos: r.Pos, Msg: fmt.Sprintf("rule %s: pattern %q: %v", r.ID, p, err)}
			}
			lr := langRegexp{lang: l.bit(lang), re: re}
			if regexp.QuoteMeta(p) == p && !strings.ContainsFunc(p, isLetter) {
				lr.literal = p
			}
			w.patterns = append(w.patterns, lr)
		}
	}
	l.rules = append(l.rules, w)
	return nil
}

// check is the state of linting one message.
type check struct {
	l     *Linter
	m     *saydo.Message
	d     *doc
	lang  string
	mask  langMask
	prof  profile
	out   []saydo.Finding
	scope saydo.Message // m with the detected language, for rule scoping
}

// Lint reviews one message and returns its findings in order of position.
// Line and Column point into the message's file (Message.BodyLine is the
// line the body starts on); Column counts characters from 1.
func (l *Linter) Lint(m *saydo.Message) []saydo.Finding {
	d := l.pool.Get().(*doc)
	d.analyse(m.Body)
	l.lex.scan(d)
	c := &check{l: l, m: m, d: d}
	c.lang = strings.ToLower(m.Lang)
	if c.lang == "" {
		c.lang = detect(d, l.lex)
	}
	c.mask = l.langBits[c.lang]
	if c.mask == 0 {
		c.mask = maskOther
	}
	c.prof = profileOf(m.Channel)
	c.scope = *m
	c.scope.Lang = c.lang
	if l.pack != nil {
		c.runPack()
	}
	for _, r := range l.rules {
		if r.Applies(&c.scope) {
			c.runRule(r)
		}
	}
	l.pool.Put(d)
	slices.SortStableFunc(c.out, func(a, b saydo.Finding) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		if a.Column != b.Column {
			return a.Column - b.Column
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	return c.out
}

// LintAll reviews messages on every core and returns their findings,
// index by index.
func (l *Linter) LintAll(ms []saydo.Message) [][]saydo.Finding {
	out := make([][]saydo.Finding, len(ms))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(ms)/256))
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range next {
				for i := start; i < min(start+256, len(ms)); i++ {
					out[i] = l.Lint(&ms[i])
				}
			}
		}()
	}
	for i := 0; i < len(ms); i += 256 {
		next <- i
	}
	close(next)
	wg.Wait()
	l.catalogueFindings(ms, l.opts.Catalogue, out)
	return out
}

// Lang returns the language the linter reads a message in: its Lang, or
// the language detected from its body (en or ro).
func (l *Linter) Lang(m *saydo.Message) string {
	if m.Lang != "" {
		return strings.ToLower(m.Lang)
	}
	d := l.pool.Get().(*doc)
	d.analyse(m.Body)
	l.lex.scan(d)
	lang := detect(d, l.lex)
	l.pool.Put(d)
	return lang
}

// add reports a finding on body bytes [s, e).
func (c *check) add(r *saydo.Rule, s, e int32, text, suggestion string) {
	if e < s {
		e = s
	}
	line, col := position(c.d.body, int(s))
	bl := c.m.BodyLine
	if bl < 1 {
		bl = 1
	}
	c.out = append(c.out, saydo.Finding{
		Message:    c.m.ID,
		Path:       c.m.Path,
		Rule:       r.ID,
		Level:      r.EffectiveLevel(),
		Line:       bl - 1 + line,
		Column:     col,
		Match:      c.d.body[s:e],
		Text:       text,
		Suggestion: suggestion,
	})
}

// has reports whether a hit of cat in the message's language lies in
// tokens [t0, t1).
func (c *check) has(cat int32, t0, t1 int32) bool {
	for _, h := range c.d.hits {
		if h.t0 >= t0 && h.t0 < t1 {
			e := &c.l.lex.entries[h.e]
			if e.cat == cat && e.lang&c.mask != 0 {
				return true
			}
		}
	}
	return false
}

// first returns the first hit of cat in the message's language, or -1.
func (c *check) first(cat int32) int {
	for i, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if e.cat == cat && e.lang&c.mask != 0 {
			return i
		}
	}
	return -1
}

// span returns the body bytes of tokens [t0, t1).
func (c *check) span(t0, t1 int32) (int32, int32) {
	return c.d.toks[t0].start, c.d.toks[t1-1].end
}

// detect guesses en or ro from stop words and Romanian diacritics.
func detect(d *doc, lex *lexicon) string {
	en, ro := 0, 0
	for _, h := range d.hits {
		switch lex.entries[h.e].cat {
		case catStopEN:
			en++
		case catStopRO:
			ro++
		}
	}
	for _, r := range d.body {
		switch r {
		case 'ă', 'ș', 'ț', 'ş', 'ţ', 'â', 'î', 'Ă', 'Ș', 'Ț', 'Â', 'Î':
			ro += 2
		}
		if ro > en+8 {
			break
		}
	}
	if ro > en {
		return "ro"
	}
	return "en"
}

// DetectLang guesses whether a text is English or Romanian.
func DetectLang(text string) string {
	l := defaultLinter()
	return l.Lang(&saydo.Message{Body: text})
}

var (
	defaultOnce sync.Once
	defaultLint *Linter
)

func defaultLinter() *Linter {
	defaultOnce.Do(func() { defaultLint, _ = New(nil, nil, Options{}) })
	return defaultLint
}

// profile is what a channel expects of a message: a tweet or a chat reply
// is a turn in a conversation, not a letter.
type profile struct {
	greeting bool // must address the customer first
	nextStep bool // must say how to go on (the conversation itself is one in chat)
	actions  bool // a request to act needs a reason
	formal   bool
	words    [2]int // most words per sentence: en, ro
}

func profileOf(channel string) profile {
	switch strings.ToLower(channel) {
	case "sms":
		return profile{greeting: true, nextStep: true, actions: true, words: [2]int{25, 28}}
	case "push":
		return profile{nextStep: true, actions: true, words: [2]int{20, 22}}
	case "chat", "social":
		return profile{words: [2]int{32, 36}}
	case "voice":
		return profile{greeting: true, nextStep: true, actions: true, words: [2]int{20, 24}}
	default: // email, letter, unknown
		return profile{greeting: true, nextStep: true, actions: true, formal: true, words: [2]int{30, 35}}
	}
}
