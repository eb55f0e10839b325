package saydo

import "slices"

// Message is one canned, pre-programmed customer-facing message template.
type Message struct {
	ID         string `json:"id"`
	Path       string `json:"path"`
	Channel    string `json:"channel"`
	Department string `json:"department"`
	Stage      Stage  `json:"stage"`
	Lang       string `json:"lang"`
	Trigger    string `json:"trigger"`
	// Intent is what the message means to the customer (offer, reminder,
	// warning, survey, service, resolution); empty when not said.
	Intent Intent `json:"intent,omitempty"`
	// Suppress lists when the message must not be sent: "complaint" while
	// the customer has an open complaint (the campaign tool asks POST
	// /api/v1/journeys/check).
	Suppress  []string `json:"suppress,omitempty"`
	Variables []string `json:"variables"`
	Body      string   `json:"body"`
	// BodyLine is the line of Path where Body starts, so findings point
	// at the file.
	BodyLine int `json:"body_line"`
	// Version counts changes of the body in the store; 0 when not stored.
	Version int `json:"version"`
}

// Level is how serious a finding is.
type Level string

// Finding levels, most serious first.
const (
	LevelError      Level = "error"
	LevelWarning    Level = "warning"
	LevelSuggestion Level = "suggestion"
)

// Finding is one problem the linter found in a message.
type Finding struct {
	Message    string `json:"message"`
	Path       string `json:"path"`
	Rule       string `json:"rule"`
	Level      Level  `json:"level"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	Match      string `json:"match"`
	Text       string `json:"text"`
	Suggestion string `json:"suggestion"`
}

// SameContent reports whether two messages say the same to customers and
// carry the same metadata (channel, department, stage, language, trigger,
// intent, suppression, variables). Where the message lives (Path,
// BodyLine) is not content: a moved file is the same message. A store
// keeps a new version exactly when this is false.
func (m *Message) SameContent(b *Message) bool {
	return m.Body == b.Body && m.Channel == b.Channel && m.Department == b.Department &&
		m.Stage == b.Stage && m.Lang == b.Lang && m.Trigger == b.Trigger && m.Intent == b.Intent && slices.Equal(m.Suppress, b.Suppress) &&
		slices.Equal(m.Variables, b.Variables)
}
