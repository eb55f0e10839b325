package saydo

import (
	"encoding/json"
	"math"
	"time"
)

// Feedback is one customer's voice: a complaint, a survey answer, a review,
// a ticket, a social post or a call note.
type Feedback struct {
	// Key identifies the item for idempotent import (see FeedbackKey).
	Key      uint64
	SourceID string
	At       time.Time
	Text     string
	Customer string
	Channel  string
	// Kind is complaint, survey, review, ticket, social or call.
	Kind string
	// Lang is the ISO 639-1 language, given or detected.
	Lang string
	// Scores; NaN when absent.
	NPS, CSAT, CES, Rating float64
	Attrs                  Attrs
	// Label names the promise or topic a person assigned, for supervised
	// mapping and evaluation; empty when unlabelled.
	Label string

	// Analysis, filled by the voice package.
	Analysis Analysis
}

// Analysis is what saydo reads in one feedback item.
type Analysis struct {
	// Sentiment is in [-1, 1].
	Sentiment float64 `json:"sentiment"`
	// Label is negative, neutral or positive.
	Label string `json:"label"`
	// Anger is true when the customer is about to explode.
	Anger bool `json:"anger"`
	// Effort lists effort signals: repeat_contact, transfer, long_hold,
	// hold_loop.
	Effort []string `json:"effort"`
	// Promises lists the promises the item speaks of, best first.
	Promises []Mention `json:"promises"`
}

// Mention is one promise a feedback item speaks of.
type Mention struct {
	PromiseID string  `json:"id"`
	Score     float64 `json:"score"`
	// Match is the phrase of the text that matched.
	Match string `json:"match"`
}

// mentionText is a Mention as both stores keep it: JSON with a NaN score
// as null, which encoding/json cannot write as a number.
type mentionText struct {
	ID    string   `json:"id"`
	Score *float64 `json:"score"`
	Match string   `json:"match"`
}

// MentionsText is the text the stores keep for an item's mentions (the
// same in both, so a store copy moves it as it is); "" for none.
func MentionsText(ms []Mention) (string, error) {
	if len(ms) == 0 {
		return "", nil
	}
	out := make([]mentionText, len(ms))
	for i, m := range ms {
		out[i] = mentionText{ID: m.PromiseID, Match: m.Match}
		if !math.IsNaN(m.Score) && !math.IsInf(m.Score, 0) {
			out[i].Score = &ms[i].Score
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// ParseMentionsText reads what MentionsText wrote.
func ParseMentionsText(s string) ([]Mention, error) {
	if s == "" {
		return nil, nil
	}
	var in []mentionText
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]Mention, len(in))
	for i, m := range in {
		out[i] = Mention{PromiseID: m.ID, Score: math.NaN(), Match: m.Match}
		if m.Score != nil {
			out[i].Score = *m.Score
		}
	}
	return out, nil
}

// PromiseVoice is what customers say about one promise.
type PromiseVoice struct {
	Mentions      int64   `json:"mentions"`
	ShareNegative float64 `json:"share_negative"`
	// NegativeCI is the 95% Wilson interval of ShareNegative (absent
	// without mentions).
	NegativeCI *[2]float64 `json:"share_negative_ci,omitempty"`
	ShareAngry float64     `json:"share_angry"`
	// AngryCI is the 95% Wilson interval of ShareAngry.
	AngryCI *[2]float64      `json:"share_angry_ci,omitempty"`
	Effort  map[string]int64 `json:"effort"`
	// NPS is the Net Promoter Score of those who answered: % promoters
	// (9–10) minus % detractors (0–6), from −100 to 100, of NPSN answers,
	// with its 95% Wald interval from the trinomial variance (when every
	// answer was alike, the bound from the Wilson interval of that share:
	// impact.NPSCounts.Interval).
	NPS   *float64    `json:"nps,omitempty"`
	NPSN  int64       `json:"nps_n,omitempty"`
	NPSCI *[2]float64 `json:"nps_ci,omitempty"`
	// CSAT is the % of satisfaction answers that were 4 or 5 of 5, of
	// CSATN answers, with its 95% Wilson interval.
	CSAT   *float64    `json:"csat,omitempty"`
	CSATN  int64       `json:"csat_n,omitempty"`
	CSATCI *[2]float64 `json:"csat_ci,omitempty"`
	// CES is the mean customer effort score, 1 (easy) to 7 (hard), of
	// CESN answers, with its 95% t interval (from two answers on).
	CES    *float64    `json:"ces,omitempty"`
	CESN   int64       `json:"ces_n,omitempty"`
	CESCI  *[2]float64 `json:"ces_ci,omitempty"`
	Quotes []string    `json:"quotes"`
}

// FeedbackKey returns the key that makes re-importing a feedback item a
// no-op: the source id when there is one, otherwise what the item says
// (FeedbackIdentity) and its occurrence, how many items of the same input
// saying the same came before it (0 for the first), as ObservationKey
// does: the same file again, the same items in another order and an
// export that overlaps the last one add nothing twice, while two equal
// items of one file stay two. The importer counts the occurrences.
func FeedbackKey(f *Feedback, occurrence int64) uint64 {
	if f.SourceID != "" {
		return fnvString(fnvString(fnvOffset, "id"), f.SourceID) >> 1 // fits a signed 64-bit column
	}
	return OccurrenceKey(FeedbackIdentity(f), occurrence)
}

// FeedbackIdentity hashes what a feedback item without a source id is
// known by: its time (to the millisecond the stores keep), scores, text,
// customer, channel, kind and attributes, all as stored. Its language and
// label are not part of it: a language may be detected, and a label is
// what a person later said of it.
func FeedbackIdentity(f *Feedback) uint64 {
	h := fnvString(fnvOffset, "feedback")
	h = fnvUint64(h, uint64(f.At.UnixMilli()))
	for _, v := range [...]float64{f.NPS, f.CSAT, f.CES, f.Rating} {
		if math.IsNaN(v) {
			v = math.NaN() // one NaN, however it was made
		}
		h = fnvUint64(h, math.Float64bits(v))
	}
	h = fnvString(h, f.Text)
	h = fnvString(h, f.Customer)
	h = fnvString(h, f.Channel)
	h = fnvString(h, f.Kind)
	for _, a := range f.Attrs {
		h = fnvString(fnvString(h, a.Name), a.Value)
	}
	return h
}

// Theme is something customers raise in negative feedback that no promise
// covers: an expectation the company never promised.
type Theme struct {
	// Label is what most of the theme's items say, word for word ("no
	// message about the appointment"), in the language most are written
	// in; Phrases holds it per language.
	Label   string            `json:"label"`
	Phrases map[string]string `json:"phrases,omitempty"`
	// Terms are the words and phrases that make up the theme, most
	// significant first.
	Terms []string `json:"terms"`
	// Count is how many negative items raise it. When themes were found
	// in a sample, Count is an estimate and CountCI its 95% interval
	// (the Wilson interval of the theme's share of the sample, scaled to
	// every negative item matching no promise; it covers the sampling,
	// not how items were grouped into themes).
	Count   int64     `json:"count"`
	CountCI *[2]int64 `json:"count_ci,omitempty"`
	// Share is Count over all negative items that match no promise.
	Share float64 `json:"share"`
	// Score is the log-likelihood ratio (G²) of the leading term in
	// negative unmatched feedback against all other feedback.
	Score float64 `json:"score"`
	// Months counts the items per calendar month (YYYY-MM), in order.
	Months []MonthCount `json:"months"`
	// Quotes are example items, verbatim.
	Quotes []string `json:"quotes"`
	// Keys are the keys of the theme's items (of those read, when themes
	// were found in a sample), for reaching them.
	Keys []uint64 `json:"-"`
}

// MonthCount is a count in one calendar month.
type MonthCount struct {
	Month string `json:"month"`
	Count int64  `json:"count"`
}

// Iceberg estimates how many customers were dissatisfied from how many
// complained: most dissatisfied customers never complain.
type Iceberg struct {
	// Complaints is the negative feedback seen.
	Complaints int64 `json:"complaints"`
	// Dissatisfied is the estimate of dissatisfied customers.
	Dissatisfied int64          `json:"dissatisfied_estimated"`
	Levels       []IcebergLevel `json:"levels"`
	// Assumption says in words where the rates come from.
	Assumption string `json:"assumption"`
}

// IcebergLevel is the iceberg for one severity of problem.
type IcebergLevel struct {
	Severity   string `json:"severity"`
	Complaints int64  `json:"complaints"`
	// Rate is the assumed share of dissatisfied customers who complain.
	Rate         float64 `json:"complaint_rate"`
	Dissatisfied int64   `json:"dissatisfied_estimated"`
	Source       string  `json:"source"`
}
