package saydo

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// RuleKind names how a style rule checks a message.
type RuleKind string

// The kinds of rules a workspace writes in style/*.yaml, and the kind of
// the built-in saydo pack's rules.
const (
	// KindForbid reports every occurrence of its tokens or patterns.
	KindForbid RuleKind = "forbid"
	// KindRequire reports a message in which none of its tokens or
	// patterns occurs.
	KindRequire RuleKind = "require"
	// KindSubstitute reports a term the brand replaces: "use X instead of
	// Y", from Swap.
	KindSubstitute RuleKind = "substitute"
	// KindLimit bounds a count: occurrences of tokens or patterns, or the
	// length of the message or of each sentence in Unit.
	KindLimit RuleKind = "limit"
	// KindReadability bounds the words per sentence (Max) and, with Min,
	// asks for at least that many sentences.
	KindReadability RuleKind = "readability"
	// KindBuiltin is a rule of the built-in saydo pack. In style/*.yaml a
	// rule whose id names a built-in rule (saydo.SMSLength) changes that
	// rule's level, message, scoping, Max and Options.
	KindBuiltin RuleKind = "builtin"
)

// RuleKinds lists the kinds a workspace may write.
var RuleKinds = []RuleKind{KindForbid, KindRequire, KindSubstitute, KindLimit, KindReadability}

// Scope is the stretch of a message a limit counts over.
type Scope string

// Limit scopes.
const (
	ScopeMessage  Scope = "message"
	ScopeSentence Scope = "sentence"
)

// Unit is what a limit counts.
type Unit string

// Limit units. UnitOccurrences, the default when a rule has tokens or
// patterns, counts their matches; the others measure length.
const (
	UnitOccurrences Unit = "occurrences"
	UnitWords       Unit = "words"
	UnitChars       Unit = "chars"
	UnitSentences   Unit = "sentences"
	UnitSegments    Unit = "segments"
)

// AnyLanguage is the key of Tokens, Patterns and Swap lists that apply
// to messages in every language.
const AnyLanguage = "*"

// Pack is the id of the built-in rule pack; a Rule with this id and
// Disabled turns the whole pack off.
const Pack = "saydo"

// The ids of the built-in saydo pack, as listed in SPEC.md.
const (
	RuleGreeting        = "saydo.Greeting"
	RuleReason          = "saydo.Reason"
	RuleNextStep        = "saydo.NextStep"
	RuleWarningFirst    = "saydo.WarningFirst"
	RuleTone            = "saydo.Tone"
	RulePromiseConflict = "saydo.PromiseConflict"
	RulePlaceholder     = "saydo.Placeholder"
	RuleSMSLength       = "saydo.SMSLength"
	RuleReadability     = "saydo.Readability"
	RuleSubstitution    = "saydo.Substitution"
	// RuleReminderFirst and RuleSuppressAfterComplaint look at the
	// catalogue as a journey: a warning with no reminder in its
	// department's catalogue; an offer not suppressed after complaints.
	RuleReminderFirst          = "saydo.ReminderFirst"
	RuleSuppressAfterComplaint = "saydo.SuppressAfterComplaint"
)

// SuppressComplaint is the Message.Suppress condition "while the customer
// has an open complaint".
const SuppressComplaint = "complaint"

// BuiltinRules lists the ids of the built-in saydo pack.
var BuiltinRules = []string{
	RuleGreeting, RuleReason, RuleNextStep, RuleWarningFirst, RuleTone,
	RulePromiseConflict, RulePlaceholder, RuleSMSLength, RuleReadability,
	RuleSubstitution, RuleReminderFirst, RuleSuppressAfterComplaint,
}

// Channels lists the channels a message may be sent on. "social" is a
// public reply on a social network (a tweet), which reads like chat.
var Channels = []string{"sms", "email", "letter", "push", "chat", "voice", "social"}

// Rule is one style rule: a check of the brand voice that applies to some
// messages and reports findings at a level. Workspaces write rules in
// style/*.yaml; the built-in saydo pack is made of rules too, and a
// workspace rule with a built-in id tunes or (Disabled) removes it.
type Rule struct {
	// ID is unique across the workspace: "nordtel.NoJargon", "saydo.Tone".
	ID   string
	Kind RuleKind
	// Level is the level of every finding; empty means warning.
	Level Level
	// Message is the finding's text; "%s" in it is replaced by the match.
	Message string
	// Suggestion tells the writer what to do instead; "%s" is replaced by
	// the replacement of a substitute rule.
	Suggestion string

	// Channels, Departments and Languages limit the rule to messages
	// with one of these values; empty means every message.
	Channels    []string
	Departments []string
	Languages   []string

	// Tokens are words or phrases per language (AnyLanguage for all),
	// matched as whole words, ignoring case and diacritics ("datorata"
	// matches "datorată"). A trailing * matches any ending: "raport*".
	Tokens map[string][]string
	// Patterns are Go regular expressions per language, matched against
	// the body, ignoring case unless CaseSensitive.
	Patterns map[string][]string
	// Swap maps, per language, a term to avoid to the term to use.
	Swap map[string]map[string]string
	// CaseSensitive makes Tokens, Swap and Patterns respect case.
	CaseSensitive bool

	// Max and Min bound what a limit counts (0: no bound); for
	// readability Max is the most words in a sentence.
	Max, Min int
	// Scope is where a limit counts: the whole message or each sentence.
	Scope Scope
	// Unit is what a limit counts.
	Unit Unit
	// Options tune built-in rules, such as saydo.SMSLength's
	// placeholder_length.
	Options map[string]string

	// Disabled turns the rule off: a workspace uses it to switch off a
	// built-in rule, or the whole pack with ID Pack.
	Disabled bool
	// Pos is where the rule is written.
	Pos Pos
}

// IsBuiltin reports whether the rule is, or tunes, a rule of the saydo pack.
func (r *Rule) IsBuiltin() bool {
	return r.ID == Pack || slices.Contains(BuiltinRules, r.ID)
}

// Applies reports whether the rule's scoping lets it check m. A message
// with no channel, department or language passes that part of the scope.
func (r *Rule) Applies(m *Message) bool {
	if r.Disabled {
		return false
	}
	return inScope(r.Channels, m.Channel) && inScope(r.Departments, m.Department) && inScope(r.Languages, m.Lang)
}

func inScope(list []string, v string) bool {
	if len(list) == 0 || v == "" {
		return true
	}
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// EffectiveLevel returns the level, warning when none is set.
func (r *Rule) EffectiveLevel() Level {
	if r.Level == "" {
		return LevelWarning
	}
	return r.Level
}

// ValidLevel reports whether l is a finding level.
func ValidLevel(l Level) bool {
	return l == LevelError || l == LevelWarning || l == LevelSuggestion
}

// Validate checks that the rule is complete and coherent: a known kind and
// level, something to match for kinds that match, bounds that make sense,
// regular expressions that compile. Errors are PosErrors at the rule.
func (r *Rule) Validate() error {
	var errs ErrorList
	bad := func(format string, a ...any) {
		errs = append(errs, &PosError{Pos: r.Pos, Msg: fmt.Sprintf("rule %s: ", r.ID) + fmt.Sprintf(format, a...)})
	}
	if r.ID == "" {
		errs = append(errs, &PosError{Pos: r.Pos, Msg: "rule: missing id"})
	}
	if r.Level != "" && !ValidLevel(r.Level) {
		bad("level must be error, warning or suggestion, got %q", r.Level)
	}
	for _, c := range r.Channels {
		if !slices.Contains(Channels, c) {
			bad("unknown channel %q (want one of %s)", c, strings.Join(Channels, ", "))
		}
	}
	if r.Max < 0 || r.Min < 0 {
		bad("max and min must not be negative")
	}
	if r.Max > 0 && r.Min > r.Max {
		bad("min %d is greater than max %d", r.Min, r.Max)
	}
	hasMatch := len(r.Tokens) > 0 || len(r.Patterns) > 0
	switch r.Kind {
	case KindBuiltin:
		if !r.IsBuiltin() {
			bad("no built-in rule has this id (want one of %s)", strings.Join(BuiltinRules, ", "))
		}
	case KindForbid, KindRequire:
		if !hasMatch {
			bad("%s needs tokens or patterns", r.Kind)
		}
	case KindSubstitute:
		if len(r.Swap) == 0 {
			bad("substitute needs swap: {term to avoid: term to use}")
		}
	case KindLimit:
		if r.Max == 0 && r.Min == 0 {
			bad("limit needs max or min")
		}
		switch r.Unit {
		case "", UnitOccurrences:
			if !hasMatch {
				bad("a limit on occurrences needs tokens or patterns (or a unit: words, chars, sentences, segments)")
			}
		case UnitWords, UnitChars, UnitSentences, UnitSegments:
		default:
			bad("unknown unit %q (want occurrences, words, chars, sentences or segments)", r.Unit)
		}
		if r.Scope != "" && r.Scope != ScopeMessage && r.Scope != ScopeSentence {
			bad("unknown scope %q (want message or sentence)", r.Scope)
		}
	case KindReadability:
		if r.Max == 0 {
			bad("readability needs max: the most words in a sentence")
		}
	case "":
		bad("missing kind (want one of forbid, require, substitute, limit, readability)")
	default:
		bad("unknown kind %q (want one of forbid, require, substitute, limit, readability)", r.Kind)
	}
	for lang, ps := range r.Patterns {
		for _, p := range ps {
			if _, err := CompilePattern(p, r.CaseSensitive); err != nil {
				bad("pattern %q (%s): %v", p, lang, err)
			}
		}
	}
	return errs.Err()
}

// CompilePattern compiles a rule's regular expression as the linter runs
// it: ignoring case unless caseSensitive.
func CompilePattern(p string, caseSensitive bool) (*regexp.Regexp, error) {
	if p == "" {
		return nil, fmt.Errorf("empty pattern")
	}
	if !caseSensitive {
		p = "(?i)" + p
	}
	re, err := regexp.Compile(p)
	if err != nil {
		// regexp's errors repeat the pattern; keep the reason.
		var se *syntax.Error
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s", se.Code)
		}
		return nil, err
	}
	if re.MatchString("") {
		return nil, fmt.Errorf("matches the empty string")
	}
	return re, nil
}
