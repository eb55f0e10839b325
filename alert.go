package saydo

import (
	"context"
	"encoding/json"
	"time"
)

// AlertState is what the last alerts said about one subject: a promise
// ("promise:ID") or the customer journeys ("journeys"). saydo serve sends
// an event when a new report differs from it.
type AlertState struct {
	Subject   string
	Status    Status
	Direction Direction
	// Conflicts counts journey conflicts in the latest complete week.
	Conflicts int64
	At        time.Time
}

// Delivery is one attempt to deliver one event to one webhook.
type Delivery struct {
	// MessageID is the webhook-id header: the same for every attempt of
	// one event to one URL, so receivers can drop repeats.
	MessageID string    `json:"message_id"`
	Event     string    `json:"event"`
	Subject   string    `json:"subject"`
	URL       string    `json:"url"`
	Attempt   int       `json:"attempt"`
	At        time.Time `json:"at"`
	// Status is the HTTP status of the response, 0 when there was none.
	Status int `json:"status"`
	// Error says why the attempt failed; empty on success.
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"-"`
	// Body is the payload sent.
	Body string `json:"body"`
	// RetryAfter is the wait a 429 response asked for; not stored.
	RetryAfter time.Duration `json:"-"`
}

// MarshalJSON writes the duration in milliseconds, as duration_ms.
func (d Delivery) MarshalJSON() ([]byte, error) {
	type plain Delivery
	return json.Marshal(struct {
		plain
		OK         bool  `json:"ok"`
		DurationMS int64 `json:"duration_ms"`
	}{plain(d), d.OK(), d.Duration.Milliseconds()})
}

// OK reports whether the receiver accepted the delivery (a 2xx status).
func (d *Delivery) OK() bool { return d.Status >= 200 && d.Status < 300 && d.Error == "" }

// AlertStore keeps the state alerts were last sent for and a log of every
// delivery attempt, for admins.
type AlertStore interface {
	// AlertStates returns every stored state by subject.
	AlertStates(ctx context.Context) (map[string]AlertState, error)
	// PutAlertState stores the state of its subject, replacing the old one.
	PutAlertState(ctx context.Context, s AlertState) error
	// LogDelivery records one delivery attempt.
	LogDelivery(ctx context.Context, d Delivery) error
	// Deliveries returns the latest delivery attempts, newest first, at
	// most limit of them.
	Deliveries(ctx context.Context, limit int) ([]Delivery, error)
}

// JourneySpike says whether journey conflicts (offers during an open
// complaint, threats without a reminder, ...) spiked in a week.
type JourneySpike struct {
	// Week is the Monday of the latest complete ISO week.
	Week      time.Time `json:"week"`
	Conflicts int64     `json:"conflicts"`
	// Expected is the mean weekly count of the weeks before.
	Expected float64 `json:"expected"`
	PValue   float64 `json:"p_value"`
	Spiked   bool    `json:"spiked"`
	// ByRule counts the week's conflicts per rule.
	ByRule map[string]int64 `json:"by_rule"`
	Test   string           `json:"test"`
}
