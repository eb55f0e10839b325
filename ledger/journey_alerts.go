package ledger

import (
	"context"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/journey"
)

// JourneySubject names the customer journeys in alert states.
const JourneySubject = "journeys"

// DetectJourneySpike counts the journey conflicts of the latest complete
// ISO week before now and of the journey.SpikeWeeks weeks before it, and
// tests the first against the others (journey.SpikeOf).
func DetectJourneySpike(ctx context.Context, st saydo.Store, ws *saydo.Workspace, now time.Time) (*saydo.JourneySpike, error) {
	week := saydo.Week.Start(now.UTC()).AddDate(0, 0, -7) // the last complete week
	from := week.AddDate(0, 0, -7*journey.SpikeWeeks)
	counts := make([]int64, journey.SpikeWeeks+1)
	byRule := map[string]int64{}
	_, err := Journeys(ctx, st, ws, JourneyOptions{From: from, To: week.AddDate(0, 0, 7), Examples: -1}, func(c *journey.Conflict) error {
		i := int(c.At.Sub(from) / (7 * 24 * time.Hour))
		if i < 0 || i > journey.SpikeWeeks {
			return nil
		}
		counts[i]++
		if i == journey.SpikeWeeks {
			byRule[c.Rule]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s := &saydo.JourneySpike{Week: week, Conflicts: counts[journey.SpikeWeeks], ByRule: byRule, Test: journey.SpikeTest}
	s.Expected, s.PValue, s.Spiked = journey.SpikeOf(s.Conflicts, counts[:journey.SpikeWeeks])
	return s, nil
}
