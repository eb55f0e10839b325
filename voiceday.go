package saydo

import (
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"time"
)

// VoiceDay condenses what customers said on one UTC day, either about one
// promise or, stored under the promise id "", over every item. Its counts
// add up, so the voice of any period is the merge of its days and an
// import only has to summarise the days it touched. Like Summary, it is a
// cache: the store can always rebuild it from the feedback and its stored
// analysis.
type VoiceDay struct {
	Day time.Time `json:"-"`
	// Items counts the items (of the promise: the items mentioning it).
	Items    int64 `json:"items"`
	Negative int64 `json:"negative,omitempty"`
	Angry    int64 `json:"angry,omitempty"`
	// Unmapped counts negative items that match no promise (overall
	// only).
	Unmapped int64 `json:"unmapped,omitempty"`
	// Minor and Serious count negative items by severity (overall only),
	// for the iceberg.
	Minor   int64 `json:"minor,omitempty"`
	Serious int64 `json:"serious,omitempty"`
	// Effort counts effort signals by name.
	Effort map[string]int64 `json:"effort,omitempty"`
	// Scores: NPS promoters (9–10) and detractors (0–6) of NPSN answers;
	// CSAT answers of 4–5 of CSATN; the sum of CESN effort scores and of
	// their squares (for the CES interval).
	Promoters  int64   `json:"promoters,omitempty"`
	Detractors int64   `json:"detractors,omitempty"`
	NPSN       int64   `json:"nps_n,omitempty"`
	CSATSat    int64   `json:"csat_sat,omitempty"`
	CSATN      int64   `json:"csat_n,omitempty"`
	CESSum     float64 `json:"ces_sum,omitempty"`
	CESSumSq   float64 `json:"ces_sumsq,omitempty"`
	CESN       int64   `json:"ces_n,omitempty"`
	// Langs counts items per language (overall only).
	Langs map[string]int64 `json:"langs,omitempty"`
	// Labels counts items with text carrying a label, per label, and
	// LabelHash digests which items carry which label (XOR of a hash per
	// item), so a change to the labelled examples is seen without reading
	// them (overall only).
	Labels    map[string]int64 `json:"labels,omitempty"`
	LabelHash uint64           `json:"label_hash,omitempty,string"`
	// Quotes are the day's most telling negative items, worst first (at
	// most MaxVoiceQuotes).
	Quotes []Quote `json:"quotes,omitempty"`
}

// Quote is a verbatim item kept as an example, with how negative it is
// (lower is worse) and its key, so a reader can reach the item.
type Quote struct {
	Text  string  `json:"text"`
	Score float64 `json:"score"`
	Key   uint64  `json:"key,string"`
}

// MaxVoiceQuotes is how many quotes a VoiceDay keeps.
const MaxVoiceQuotes = 3

// Severity classifies a negative item: serious when the customer is angry,
// spent effort (called again, was transferred, held long) or is strongly
// negative; minor otherwise; "" when the item is not negative.
func (a *Analysis) Severity() string {
	if a.Label != "negative" {
		return ""
	}
	if a.Anger || len(a.Effort) > 0 || a.Sentiment <= -0.6 {
		return "serious"
	}
	return "minor"
}

// Add counts one analysed item. overall adds what only the all-items day
// keeps (languages, unmapped, severities).
func (d *VoiceDay) Add(f *Feedback, overall bool) {
	a := &f.Analysis
	d.Items++
	if a.Label == "negative" {
		d.Negative++
	}
	if a.Anger {
		d.Angry++
	}
	for _, e := range a.Effort {
		if d.Effort == nil {
			d.Effort = map[string]int64{}
		}
		d.Effort[e]++
	}
	if !math.IsNaN(f.NPS) && f.NPS >= 0 {
		d.NPSN++
		switch {
		case f.NPS >= 9:
			d.Promoters++
		case f.NPS <= 6:
			d.Detractors++
		}
	}
	if !math.IsNaN(f.CSAT) && f.CSAT > 0 {
		d.CSATN++
		if f.CSAT >= 4 {
			d.CSATSat++
		}
	}
	if !math.IsNaN(f.CES) && f.CES > 0 {
		d.CESN++
		d.CESSum += f.CES
		d.CESSumSq += f.CES * f.CES
	}
	if overall {
		if d.Langs == nil {
			d.Langs = map[string]int64{}
		}
		d.Langs[f.Lang]++
		switch a.Severity() {
		case "minor":
			d.Minor++
		case "serious":
			d.Serious++
		}
		if a.Label == "negative" && len(a.Promises) == 0 {
			d.Unmapped++
		}
		if f.Label != "" && f.Text != "" {
			if d.Labels == nil {
				d.Labels = map[string]int64{}
			}
			d.Labels[f.Label]++
			h := fnv.New64a()
			var buf [8]byte
			for i := range buf {
				buf[i] = byte(f.Key >> (8 * i))
			}
			h.Write(buf[:])
			h.Write([]byte(f.Label))
			d.LabelHash ^= h.Sum64()
		}
		return
	}
	if f.Text != "" && a.Label == "negative" && len(f.Text) <= 280 {
		score := a.Sentiment - 0.1*float64(len(a.Effort))
		if a.Anger {
			score -= 0.5
		}
		d.addQuote(Quote{Text: f.Text, Score: score, Key: f.Key})
	}
}

// addQuote keeps the worst MaxVoiceQuotes distinct quotes; ties go to the
// lower key, and of items with the same text the worst (then the lower
// key) stands for it, so merging days in any order keeps the same quotes.
func (d *VoiceDay) addQuote(q Quote) {
	for i, o := range d.Quotes {
		if o.Text == q.Text {
			if !quoteBefore(q, o) {
				return
			}
			d.Quotes = slices.Delete(d.Quotes, i, i+1)
			break
		}
	}
	d.Quotes = append(d.Quotes, q)
	sort.SliceStable(d.Quotes, func(i, j int) bool { return quoteBefore(d.Quotes[i], d.Quotes[j]) })
	if len(d.Quotes) > MaxVoiceQuotes {
		d.Quotes = d.Quotes[:MaxVoiceQuotes]
	}
}

// quoteBefore orders quotes worst first, then by key.
func quoteBefore(a, b Quote) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.Key < b.Key
}

// Merge adds the counts of o into d.
func (d *VoiceDay) Merge(o *VoiceDay) {
	d.Items += o.Items
	d.Negative += o.Negative
	d.Angry += o.Angry
	d.Unmapped += o.Unmapped
	d.Minor += o.Minor
	d.Serious += o.Serious
	for k, v := range o.Effort {
		if d.Effort == nil {
			d.Effort = map[string]int64{}
		}
		d.Effort[k] += v
	}
	d.Promoters += o.Promoters
	d.Detractors += o.Detractors
	d.NPSN += o.NPSN
	d.CSATSat += o.CSATSat
	d.CSATN += o.CSATN
	d.CESSum += o.CESSum
	d.CESSumSq += o.CESSumSq
	d.CESN += o.CESN
	for k, v := range o.Langs {
		if d.Langs == nil {
			d.Langs = map[string]int64{}
		}
		d.Langs[k] += v
	}
	for k, v := range o.Labels {
		if d.Labels == nil {
			d.Labels = map[string]int64{}
		}
		d.Labels[k] += v
	}
	d.LabelHash ^= o.LabelHash
	for _, q := range o.Quotes {
		d.addQuote(q)
	}
}

// Voice turns the counts into what a report shows for a promise; the
// intervals are voice.Intervals'.
func (d *VoiceDay) Voice() *PromiseVoice {
	v := &PromiseVoice{Mentions: d.Items, Effort: map[string]int64{}, Quotes: []string{}}
	for k, n := range d.Effort {
		v.Effort[k] = n
	}
	if d.Items > 0 {
		v.ShareNegative = round3(float64(d.Negative) / float64(d.Items))
		v.ShareAngry = round3(float64(d.Angry) / float64(d.Items))
	}
	if d.NPSN > 0 {
		x := math.Round(100*float64(d.Promoters-d.Detractors)/float64(d.NPSN)*10) / 10
		v.NPS, v.NPSN = &x, d.NPSN
	}
	if d.CSATN > 0 {
		x := math.Round(100*float64(d.CSATSat)/float64(d.CSATN)*10) / 10
		v.CSAT, v.CSATN = &x, d.CSATN
	}
	if d.CESN > 0 {
		x := math.Round(d.CESSum/float64(d.CESN)*100) / 100
		v.CES, v.CESN = &x, d.CESN
	}
	for _, q := range d.Quotes {
		v.Quotes = append(v.Quotes, q.Text)
	}
	return v
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// FeedbackContent hashes what an item says (everything but its key and
// analysis), so re-importing an id with other content is seen as a
// replacement rather than a duplicate. It is never 0.
func FeedbackContent(f *Feedback) uint64 {
	h := fnv.New64a()
	put := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	var buf [8]byte
	for _, u := range []uint64{uint64(f.At.UnixNano()), math.Float64bits(f.NPS), math.Float64bits(f.CSAT), math.Float64bits(f.CES), math.Float64bits(f.Rating)} {
		for i := range buf {
			buf[i] = byte(u >> (8 * i))
		}
		h.Write(buf[:])
	}
	put(f.SourceID)
	put(f.Text)
	put(f.Customer)
	put(f.Channel)
	put(f.Kind)
	put(f.Lang)
	put(f.Label)
	for _, a := range f.Attrs {
		put(a.Name)
		put(a.Value)
	}
	return h.Sum64()>>1 | 1
}
