package saydo

import "time"

// Feedback is one customer's voice: a complaint, a survey answer, a review,
// a ticket, a social post or a call note.
type Feedback struct {
	// Key identifies the item for idempotent import (see FeedbackKey).
	Key      uint64
	SourceID string
	At       time.Time
	Text     string
	Customer string
	Channel  string
	// Kind is complaint, survey, review, ticket, social or call.
	Kind string
	// Lang is the ISO 639-1 language, given or detected.
	Lang string
	// Scores; NaN when absent.
	NPS, CSAT, CES, Rating float64
	Attrs                  Attrs
	// Label names the promise or topic a person assigned, for supervised
	// mapping and evaluation; empty when unlabelled.
	Label string

	// Analysis, filled by the voice package.
	Analysis Analysis
}

// Analysis is what saydo reads in one feedback item.
type Analysis struct {
	// Sentiment is in [-1, 1].
	Sentiment float64 `json:"sentiment"`
	// Label is negative, neutral or positive.
	Label string `json:"label"`
	// Anger is true when the customer is about to explode.
	Anger bool `json:"anger"`
	// Effort lists effort signals: repeat_contact, transfer, long_hold,
	// hold_loop.
	Effort []string `json:"effort"`
	// Promises lists the promises the item speaks of, best first.
	Promises []Mention `json:"promises"`
}

// Mention is one promise a feedback item speaks of.
type Mention struct {
	PromiseID string  `json:"id"`
	Score     float64 `json:"score"`
	// Match is the phrase of the text that matched.
	Match string `json:"match"`
}

// PromiseVoice is what customers say about one promise.
type PromiseVoice struct {
	Mentions      int64            `json:"mentions"`
	ShareNegative float64          `json:"share_negative"`
	ShareAngry    float64          `json:"share_angry"`
	Effort        map[string]int64 `json:"effort"`
	NPS           *float64         `json:"nps,omitempty"`
	CSAT          *float64         `json:"csat,omitempty"`
	CES           *float64         `json:"ces,omitempty"`
	Quotes        []string         `json:"quotes"`
}
