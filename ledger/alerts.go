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
	// Journeys is the spike, for journey_conflicts.
	Journeys *saydo.JourneySpike
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

// DetectJourneyAlert compares the week's journey conflicts with the state
// last recorded: a spike in a week not yet alerted for gives a
// journey_conflicts event. The first check records the week without one.
func DetectJourneyAlert(prev map[string]saydo.AlertState, spike *saydo.JourneySpike, now time.Time) (*AlertEvent, *saydo.AlertState) {
	cur := saydo.AlertState{Subject: JourneySubject, Status: saydo.NoData, Direction: saydo.Unknown, Conflicts: spike.Conflicts, At: spike.Week}
	old, seen := prev[JourneySubject]
	switch {
	case !seen:
		return nil, &cur
	case old.At.Equal(spike.Week):
		return nil, nil // this week was judged already
	case spike.Spiked:
		return &AlertEvent{Type: saydo.EventJourneyConflicts, Subject: JourneySubject, Journeys: spike, Previous: old}, &cur
	}
	return nil, &cur
}
