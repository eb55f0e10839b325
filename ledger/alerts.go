package ledger

import (
	"time"

	"github.com/saydo/saydo"
)

// AlertEvent is one change worth telling a promise's owner about.
type AlertEvent struct {
	// Type is saydo.EventStatusChanged or saydo.EventTrendChanged.
	Type    string
	Subject string
	Promise *saydo.PromiseGap
	// Previous is the state the last alerts were sent for.
	Previous saydo.AlertState
}

// PromiseSubject names a promise in alert states and deliveries.
func PromiseSubject(id string) string { return "promise:" + id }

// DetectAlerts compares a gap report with the states alerts were last sent
// for: a promise whose status changed gives a status_changed event, one
// whose current direction turned to widening a trend_changed event. A
// promise seen for the first time gives no event (a server starting on
// old evidence does not page anyone); its state is recorded. It returns
// the events and the states to store for the subjects that changed or
// are new.
func DetectAlerts(prev map[string]saydo.AlertState, rep *saydo.GapReport, now time.Time) (events []AlertEvent, next []saydo.AlertState) {
	for i := range rep.Promises {
		pg := &rep.Promises[i]
		subject := PromiseSubject(pg.ID)
		cur := saydo.AlertState{Subject: subject, Status: pg.Status, Direction: pg.Trend.Direction, At: now.UTC()}
		old, seen := prev[subject]
		if !seen {
			next = append(next, cur)
			continue
		}
		if old.Status == cur.Status && old.Direction == cur.Direction {
			continue
		}
		if old.Status != cur.Status {
			events = append(events, AlertEvent{Type: saydo.EventStatusChanged, Subject: subject, Promise: pg, Previous: old})
		}
		if old.Direction != cur.Direction && cur.Direction == saydo.Widening {
			events = append(events, AlertEvent{Type: saydo.EventTrendChanged, Subject: subject, Promise: pg, Previous: old})
		}
		next = append(next, cur)
	}
	return events, next
}
