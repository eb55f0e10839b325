package ledger

import (
	"context"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/journey"
	"gonum.org/v1/gonum/stat/distuv"
)

// JourneySubject names the customer journeys in alert states.
const JourneySubject = "journeys"

// SpikeTest names the test JourneySpike uses.
const SpikeTest = "Poisson upper tail of the week's conflicts against the mean of the 4 weeks before, p < 0.01, and at least 1.5 times that mean"

// SpikeWeeks is how many complete weeks before the latest the baseline
// of a spike is the mean of.
const SpikeWeeks = 4

// SpikeOf tests a week's count against the weeks before it: a Poisson
// upper tail P(X ≥ count | λ = max(mean, 1)) below 0.01, and a count of at
// least 1.5 λ, so a tiny but steady rise on large numbers is not a spike.
func SpikeOf(count int64, before []int64) (expected, p float64, spiked bool) {
	var sum int64
	for _, c := range before {
		sum += c
	}
	expected = float64(sum) / float64(max(1, len(before)))
	lambda := max(expected, 1)
	if count <= 0 {
		return expected, 1, false
	}
	p = distuv.Poisson{Lambda: lambda}.Survival(float64(count) - 1) // P(X ≥ count)
	return expected, p, p < 0.01 && float64(count) >= 1.5*lambda
}

// DetectJourneySpike counts the journey conflicts of the latest complete
// ISO week before now and of the SpikeWeeks weeks before it.
func DetectJourneySpike(ctx context.Context, st saydo.Store, ws *saydo.Workspace, now time.Time) (*saydo.JourneySpike, error) {
	week := saydo.Week.Start(now.UTC()).AddDate(0, 0, -7) // the last complete week
	from := week.AddDate(0, 0, -7*SpikeWeeks)
	counts := make([]int64, SpikeWeeks+1)
	byRule := map[string]int64{}
	_, err := Journeys(ctx, st, ws, JourneyOptions{From: from, To: week.AddDate(0, 0, 7), Examples: -1}, func(c *journey.Conflict) error {
		i := int(c.At.Sub(from) / (7 * 24 * time.Hour))
		if i < 0 || i > SpikeWeeks {
			return nil
		}
		counts[i]++
		if i == SpikeWeeks {
			byRule[c.Rule]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s := &saydo.JourneySpike{Week: week, Conflicts: counts[SpikeWeeks], ByRule: byRule, Test: SpikeTest}
	s.Expected, s.PValue, s.Spiked = SpikeOf(s.Conflicts, counts[:SpikeWeeks])
	return s, nil
}
