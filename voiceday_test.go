package saydo

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestVoiceDayMergeOrder wants the same day summary whatever order its
// items come in and however they are split into merged parts (an import's
// batches, a refresh's scan): the same text at several scores and keys
// among them, as the demo's repeated complaints are.
func TestVoiceDayMergeOrder(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var quotes []Quote
	for i := range 60 {
		// Eight texts, each seen at a few scores, with ties.
		quotes = append(quotes, Quote{Text: fmt.Sprintf("text %d", i%8), Score: -float64(rnd.IntN(4)) / 4, Key: uint64(rnd.IntN(1000))})
	}
	build := func(order []int, parts int) VoiceDay {
		var whole VoiceDay
		split := make([]VoiceDay, parts)
		for n, i := range order {
			split[n%parts].addQuote(quotes[i])
		}
		for p := range split {
			whole.Merge(&split[p])
		}
		return whole
	}
	order := make([]int, len(quotes))
	for i := range order {
		order[i] = i
	}
	want := build(order, 1)
	if len(want.Quotes) != MaxVoiceQuotes {
		t.Fatalf("got %d quotes, want %d", len(want.Quotes), MaxVoiceQuotes)
	}
	for run := range 200 {
		rnd.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		parts := 1 + run%7
		if got := build(order, parts); !reflect.DeepEqual(got.Quotes, want.Quotes) {
			t.Fatalf("run %d (%d parts): got quotes %v, want %v", run, parts, got.Quotes, want.Quotes)
		}
	}
}
