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
		lineA     int64
		lineB     int64
		wantEqual bool
	}{
		{"same row same line", base(), base(), 3, 3, true},
		{"same row other line", base(), base(), 3, 4, false},
		{"same id, other text and line", withID("x1", "a"), withID("x1", "b"), 3, 9, true},
		{"other id", withID("x1", "a"), withID("x2", "a"), 3, 3, false},
		{"other text", base(), func() *Feedback { f := base(); f.Text = "fine"; return f }(), 3, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := FeedbackKey(tt.a, tt.lineA), FeedbackKey(tt.b, tt.lineB)
			if got := ka == kb; got != tt.wantEqual {
				t.Errorf("keys equal = %v (%d, %d), want %v", got, ka, kb, tt.wantEqual)
			}
			if int64(ka) < 0 {
				t.Errorf("key %d does not fit a signed 64-bit column", ka)
			}
		})
	}
}
