package voice

import (
	"slices"
	"testing"

	"github.com/saydo/saydo"
)

// TestMappingWaitToReachAPerson: a wait to reach a person is a wait to be
// answered, whatever the words: "45 minutes to talk to a human" is about
// a promise to answer calls, though it shares no word with "We answer
// every call within 2 minutes". A talk with no wait, or a time that
// dates the talk rather than counting a wait, is not.
func TestMappingWaitToReachAPerson(t *testing.T) {
	promises := append(nordtelPromises(), saydo.Promise{ID: "first-call-resolution",
		Says: "We solve your problem in the first call.", Metric: "call_resolved_first"})
	a := New(promises, Options{})
	for _, tc := range []struct {
		name, text, want string
	}{
		{"en time to talk to a human", "why does it take almost an hour to talk to a human??", "answer-in-2-min"},
		{"en minutes to reach an agent", "It took 40 minutes to reach an agent.", "answer-in-2-min"},
		{"en waited before speaking to someone", "Waited ages before I could speak to someone.", "answer-in-2-min"},
		{"ro minute să vorbesc cu un om", "de ce durează 40 de minute să vorbesc cu un om??", "answer-in-2-min"},
		{"ro fără diacritice", "de ce dureaza peste jumatate de ora sa vorbesc cu un om??", "answer-in-2-min"},
		{"ro la coadă până am vorbit cu un operator", "Am stat la coadă până am putut vorbi cu un operator.", "answer-in-2-min"},
		{"en a talk dated, no wait", "I spoke to someone 10 minutes ago and nothing happened.", ""},
		{"en a talk wanted, no wait", "I want to talk to a human.", ""},
		{"ro a talk dated, no wait", "Am vorbit cu cineva acum 10 minute și nu s-a întâmplat nimic.", ""},
		{"ro a talk wanted, no wait", "Vreau să vorbesc cu un om.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := a.Analyze(tc.text, "").Promises
			if first := firstPromise(got); first != tc.want {
				t.Errorf("Analyze(%q).Promises = %+v, want first %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestMappingAnchorsWithoutPhrases: a promise written without voice
// phrases (or with an empty list of them) is found by one word of its
// metric's name that no other promise has (refund in refund_days, the fee
// in unexpected_fee_share), where two of its words were needed before; a
// word shared by two promises (card) is no anchor, nor a word of order or
// time ("next" in delivered_next_day: "next week"), and a promise with
// phrases still needs two words or a phrase (call alone is no wait to be
// answered).
func TestMappingAnchorsWithoutPhrases(t *testing.T) {
	promises := []saydo.Promise{
		{ID: "refunds-in-5-days", Says: "Refunds reach your account within 5 days.", Metric: "refund_days"},
		{ID: "no-hidden-fees", Says: "No hidden fees.", Metric: "unexpected_fee_share", Voice: map[string][]string{"en": {}}},
		{ID: "card-in-7-days", Says: "Your new card arrives within 7 days.", Metric: "card_delivery_days"},
		{ID: "lost-card-blocked", Says: "A lost card is blocked at once.", Metric: "card_block_minutes"},
		{ID: "next-day-delivery", Says: "Order by 6 pm, get it tomorrow.", Metric: "delivered_next_day"},
		{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds",
			Voice: map[string][]string{"en": {"on hold"}}},
	}
	an := New(promises, Options{})
	for _, tc := range []struct {
		text, lang, want string // want "" for no promise
	}{
		{"Where is my refund? It has been two weeks.", "en", "refunds-in-5-days"},
		{"Unde este rambursarea mea?", "ro", "refunds-in-5-days"},
		{"Why is there a fee on my statement?", "en", "no-hidden-fees"},
		{"What can I do with my card?", "en", ""},
		{"Please call me tomorrow.", "en", ""},
		{"I'll try again next week.", "en", ""},
	} {
		got := ""
		if ms := an.Analyze(tc.text, tc.lang).Promises; len(ms) > 0 {
			got = ms[0].PromiseID
		}
		if got != tc.want {
			t.Errorf("Analyze(%q): got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestMappingConceptNamedTwice: a promise whose subject is one concept
// ("the real exchange rate", where exchange and rate are both the concept
// exchange), written with voice phrases (so no anchor), is met when a
// sentence names the concept by two of its words, in any order and in
// either language; one word of it is still not enough, nor the same word
// twice. Before, none of the three was mapped (BANKING77's "Do you know
// the rate of exchange?" was one of the blind promises' misses).
func TestMappingConceptNamedTwice(t *testing.T) {
	promises := []saydo.Promise{
		{ID: "real-exchange-rate", Says: "Abroad you always get the real exchange rate shown in the app, with no markup.", Metric: "exchange_rate_markup_pct",
			Voice: map[string][]string{"en": {"wrong exchange rate", "the rate was worse than the app showed"}}},
		{ID: "transfers-same-day", Says: "Every transfer you send reaches the recipient the same day.", Metric: "transfer_completion_hours",
			Voice: map[string][]string{"en": {"transfer still pending"}}},
	}
	a := New(promises, Options{})
	for _, tc := range []struct {
		text, want string
	}{
		{"Do you know the rate of exchange?", "real-exchange-rate"},
		{"What exchange rates do you use?", "real-exchange-rate"},
		{"Ce curs valutar folosiți?", "real-exchange-rate"},
		{"I want to exchange this shirt.", ""},
		{"Exchange, exchange, exchange.", ""},
	} {
		got := a.Analyze(tc.text, "").Promises
		if first := firstPromise(got); first != tc.want {
			t.Errorf("Analyze(%q).Promises = %+v, want first %q", tc.text, got, tc.want)
		}
	}
}

// firstPromise is the id of the first mention, "" when there is none.
func firstPromise(ms []saydo.Mention) string {
	if len(ms) == 0 {
		return ""
	}
	return ms[0].PromiseID
}

// TestMetricWordIsItsPromisesOwn: a word two promises are stated with
// tells nothing of either (untold), unless it names one promise's metric
// and no other's: "refund" is the refund promise's own (its metric is
// refund_arrival_days), though the promise on unrecognised payments says
// it refunds them too. Before this rule "I need a refund" taught
// self-training that "refund" is something else: on BANKING77 with
// promises written blind by someone else, 347 of 492 refund queries went
// unmapped (docs/voice.md, "A word of one metric").
func TestMetricWordIsItsPromisesOwn(t *testing.T) {
	promises := []saydo.Promise{
		{ID: "refunds-in-5-days", Says: "Refunds land in your account within 5 days of the merchant issuing them.", Metric: "refund_arrival_days"},
		{ID: "unrecognised-payments", Says: "Any payment you don't recognise is investigated and, if it's not yours, refunded within 24 hours.", Metric: "disputed_payment_resolution_hours"},
		{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds"},
		{ID: "first-call-resolution", Says: "We solve your problem in the first call.", Metric: "call_resolved_first"},
	}
	m := newMapper(promises)
	for _, tc := range []struct {
		text string
		want []string // the promises whose words it holds, none of their own
	}{
		{"I need a refund", []string{"unrecognised-payments"}},
		{"Where is the money refunded?", []string{"unrecognised-payments"}},
		// call names both call metrics: no one's own.
		{"I had to call to find out the date", []string{"answer-in-2-min", "first-call-resolution"}},
		{"You answer every call so slowly", []string{"first-call-resolution"}}, // answer is its own
	} {
		lm := modelFor("en")
		toks := tokenize(tc.text, nil)
		lm.prepare(toks)
		var got []string
		for _, pi := range m.untold(lm, toks) {
			got = append(got, promises[pi].ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("untold(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestMappingPhraseOneWordMissing: a voice phrase of three or more content
// words also matches as a bag with one of them missing, at the seed score;
// a phrase of two words missing one, or one missing two, does not. The
// promise's own words are none of the phrases', so only the phrases match.
func TestMappingPhraseOneWordMissing(t *testing.T) {
	an := New([]saydo.Promise{
		{ID: "keep-our-word", Says: "We keep our word.", Metric: "word_kept",
			Voice: map[string][]string{"en": {"parcel left outside door", "damaged box"}}},
	}, Options{})
	for _, tc := range []struct {
		text string
		want float64 // the least score; 0: no mention
		max  float64
	}{
		{"The parcel was left outside my door again", 0.9, 0.95},       // whole
		{"They left the parcel by the door", defaultSeed, defaultSeed}, // outside missing
		{"The parcel arrived", 0, 0},                                   // one of four
		{"The box was fine", 0, 0},                                     // one of two
	} {
		got := an.Analyze(tc.text, "en").Promises
		score := 0.0
		if len(got) > 0 {
			score = got[0].Score
		}
		if score < tc.want || score > tc.max {
			t.Errorf("Analyze(%q) = %v, want a score from %v to %v", tc.text, got, tc.want, tc.max)
		}
	}
}
