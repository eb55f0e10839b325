package saydo

import "time"

// Journeys configures the journey rules: how long a complaint stays open,
// and the rules that find conflicts between what departments send.
type Journeys struct {
	// ComplaintOpenDays is how long a complaint stays open without a
	// resolution contact (default 30).
	ComplaintOpenDays int
	// Rules are the built-in rules, tuned or turned off, then the
	// workspace's own, in order.
	Rules []JourneyRule
}

// JourneyRuleKind is what a journey rule looks for.
type JourneyRuleKind string

// Journey rule kinds.
const (
	// DuringComplaint: a contact while a complaint of the same customer is
	// open (OfferAfterComplaint, SurveyDuringComplaint).
	DuringComplaint JourneyRuleKind = "during_complaint"
	// WithoutPrior: a contact with no earlier contact of another kind to
	// the same customer between WindowDays and LeadDays before it
	// (ThreatWithoutReminder).
	WithoutPrior JourneyRuleKind = "without_prior"
	// TooMany: more than MaxContacts contacts to one customer within
	// WindowDays (TooMany).
	TooMany JourneyRuleKind = "too_many"
)

// JourneyRuleKinds lists every kind.
var JourneyRuleKinds = []JourneyRuleKind{DuringComplaint, WithoutPrior, TooMany}

// Built-in journey rule ids.
const (
	RuleOfferAfterComplaint   = "journey.OfferAfterComplaint"
	RuleThreatWithoutReminder = "journey.ThreatWithoutReminder"
	RuleSurveyDuringComplaint = "journey.SurveyDuringComplaint"
	RuleTooMany               = "journey.TooMany"
)

// DefaultComplaintOpenDays is how long a complaint stays open by default.
const DefaultComplaintOpenDays = 30

// ContactScope selects contacts; an empty list matches every value.
type ContactScope struct {
	Departments []string
	Channels    []string
	Intents     []Intent
}

// Matches reports whether c is in the scope.
func (s *ContactScope) Matches(c *Contact) bool {
	return anyOrHas(s.Departments, c.Department) && anyOrHas(s.Channels, c.Channel) && anyOrHas(s.Intents, c.Intent)
}

// ComplaintScope selects complaints; an empty list matches every value.
type ComplaintScope struct {
	Departments []string
	Channels    []string
}

// Matches reports whether c is in the scope.
func (s *ComplaintScope) Matches(c *Complaint) bool {
	return anyOrHas(s.Departments, c.Department) && anyOrHas(s.Channels, c.Channel)
}

func anyOrHas[T comparable](list []T, v T) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// JourneyRule is one journey rule: a built-in one (tuned or off) or a
// workspace's own.
type JourneyRule struct {
	ID   string
	Kind JourneyRuleKind
	// Off turns a built-in rule off.
	Off bool
	// When selects the contacts the rule judges (and, for TooMany, counts).
	When ContactScope
	// Complaint selects the complaints that count (DuringComplaint).
	Complaint ComplaintScope
	// OpenDays, when > 0, is how long a complaint counts as open for this
	// rule instead of Journeys.ComplaintOpenDays (DuringComplaint).
	OpenDays int
	// Prior selects the contacts that must come first (WithoutPrior).
	Prior ContactScope
	// WindowDays: WithoutPrior looks for a prior contact at most this many
	// days before; TooMany counts contacts within this many days.
	WindowDays int
	// LeadDays: the prior contact must be at least this many days before
	// (WithoutPrior).
	LeadDays int
	// MaxContacts is how many contacts TooMany allows within WindowDays.
	MaxContacts int
	Pos         Pos
}

// Days returns n days as a duration (days are 24 hours: contacts are
// instants, compared in UTC).
func Days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// DefaultJourneyRules returns the built-in rules with their defaults.
func DefaultJourneyRules() []JourneyRule {
	return []JourneyRule{
		{ID: RuleOfferAfterComplaint, Kind: DuringComplaint, When: ContactScope{Intents: []Intent{IntentOffer}}},
		{ID: RuleThreatWithoutReminder, Kind: WithoutPrior, When: ContactScope{Intents: []Intent{IntentWarning}},
			Prior: ContactScope{Intents: []Intent{IntentReminder}}, WindowDays: 30, LeadDays: 3},
		{ID: RuleSurveyDuringComplaint, Kind: DuringComplaint, When: ContactScope{Intents: []Intent{IntentSurvey}}},
		{ID: RuleTooMany, Kind: TooMany, MaxContacts: 5, WindowDays: 7},
	}
}

// DefaultJourneys is the configuration of a workspace without journeys:
// in saydo.yaml.
func DefaultJourneys() Journeys {
	return Journeys{ComplaintOpenDays: DefaultComplaintOpenDays, Rules: DefaultJourneyRules()}
}
