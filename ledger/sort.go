package ledger

import (
	"slices"
	"time"

	"github.com/saydo/saydo"
)

func sortTimes(ts []time.Time) { slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) }) }

func sortSummaries(s []saydo.Summary) {
	slices.SortFunc(s, func(a, b saydo.Summary) int { return a.Day.Compare(b.Day) })
}
