package saydo

import (
	"math"
	"testing"
	"time"
)

func TestFeedbackKey(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	base := func() *Feedback {
		return &Feedback{Text: "on hold for an hour", At: at, NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN()}
	}
	withID := func(id, text string) *Feedback { f := base(); f.SourceID, f.Text = id, text; return f }
	tests := []struct {
		name      string
		a, b      *Feedback
		occA      int64
		occB      int64
		wantEqual bool
	}{
		{"same item, same occurrence", base(), base(), 3, 3, true},
		{"same item, next occurrence", base(), base(), 3, 4, false},
		{"same id, other text and occurrence", withID("x1", "a"), withID("x1", "b"), 3, 9, true},
		{"other id", withID("x1", "a"), withID("x2", "a"), 3, 3, false},
		{"other text", base(), func() *Feedback { f := base(); f.Text = "fine"; return f }(), 3, 3, false},
		// The stores keep milliseconds: what they cannot tell apart is one item.
		{"same millisecond", base(), func() *Feedback { f := base(); f.At = at.Add(999 * time.Microsecond); return f }(), 0, 0, true},
		{"next millisecond", base(), func() *Feedback { f := base(); f.At = at.Add(time.Millisecond); return f }(), 0, 0, false},
		{"other score", base(), func() *Feedback { f := base(); f.NPS = 3; return f }(), 0, 0, false},
		{"other attribute", base(), func() *Feedback { f := base(); f.Attrs = Attrs{{Name: "store", Value: "north"}}; return f }(), 0, 0, false},
		// A detected language, or a label given later, is the same item.
		{"other language and label", base(), func() *Feedback { f := base(); f.Lang, f.Label = "en", "answer"; return f }(), 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := FeedbackKey(tt.a, tt.occA), FeedbackKey(tt.b, tt.occB)
			if got := ka == kb; got != tt.wantEqual {
				t.Errorf("keys equal = %v (%d, %d), want %v", got, ka, kb, tt.wantEqual)
			}
			if int64(ka) < 0 {
				t.Errorf("key %d does not fit a signed 64-bit column", ka)
			}
		})
	}
}

func TestContactKey(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	base := func() *Contact {
		return &Contact{Customer: "ana", At: at, Department: "sales", Channel: "email", Intent: IntentOffer}
	}
	with := func(f func(c *Contact)) *Contact { c := base(); f(c); return c }
	tests := []struct {
		name       string
		a, b       *Contact
		occA, occB int64
		wantEqual  bool
	}{
		{"same contact, same occurrence", base(), base(), 2, 2, true},
		{"same contact, next occurrence", base(), base(), 0, 1, false},
		{"same millisecond", base(), with(func(c *Contact) { c.At = at.Add(500 * time.Microsecond) }), 0, 0, true},
		{"other customer", base(), with(func(c *Contact) { c.Customer = "bob" }), 0, 0, false},
		{"other message", base(), with(func(c *Contact) { c.Message = "bureau-sms" }), 0, 0, false},
		{"same id, other time", with(func(c *Contact) { c.SourceID = "k1" }), with(func(c *Contact) { c.SourceID = "k1"; c.At = at.Add(time.Hour) }), 0, 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := ContactKey(tt.a, tt.occA), ContactKey(tt.b, tt.occB)
			if got := ka == kb; got != tt.wantEqual {
				t.Errorf("keys equal = %v (%d, %d), want %v", got, ka, kb, tt.wantEqual)
			}
			if int64(ka) < 0 {
				t.Errorf("key %d does not fit a signed 64-bit column", ka)
			}
		})
	}
}
