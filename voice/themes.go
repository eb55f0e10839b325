package voice

import (
	"math"
	"sort"
	"strings"

	"github.com/saydo/saydo"
)

// ThemeFinder finds unmet expectations: words and phrases significantly
// more frequent in negative feedback that maps to no promise than in the
// rest of the feedback (Dunning's log-likelihood ratio), grouped into
// themes by the items they share. Feed it analysed items with Add, then
// call Themes. Not safe for concurrent use.
type ThemeFinder struct {
	// MaxDocs caps how many target items are kept for grouping and quotes
	// (default 200,000); counts stay exact beyond it.
	MaxDocs int
	// Scale multiplies the counts a theme reports: when the items added
	// are a uniform sample of the target items, the sampling fraction's
	// inverse, so counts estimate the whole (default 1).
	Scale float64

	vocab   map[string]int32
	display []string
	target  []int64 // items containing the term, negative and unmatched
	rest    []int64 // other items containing the term
	nTarget int64
	nRest   int64
	docs    []themeDoc
	buf     []token
	matches []match
}

type themeDoc struct {
	terms []int32
	month string
	text  string
}

// NewThemeFinder returns an empty ThemeFinder.
func NewThemeFinder() *ThemeFinder {
	return &ThemeFinder{vocab: map[string]int32{}, MaxDocs: 200000}
}

// Add counts one analysed feedback item.
func (tf *ThemeFinder) Add(f *saydo.Feedback) {
	tf.AddItem(f, f.Analysis.Label == "negative" && len(f.Analysis.Promises) == 0)
}

// AddItem counts one item, a target (negative, matching no promise) or
// not; only its Text, Lang, At and Key are read.
func (tf *ThemeFinder) AddItem(f *saydo.Feedback, isTarget bool) {
	if strings.TrimSpace(f.Text) == "" {
		return
	}
	tf.buf = tokenize(f.Text, tf.buf)
	lm := modelFor(f.Lang)
	lm.prepare(tf.buf)
	// Words of sentiment and anger phrases ("bătaie de joc", "fed up")
	// say how customers feel, not what about.
	tf.matches = lm.patterns.find(lm, tf.buf, tf.matches[:0])
	for _, m := range tf.matches {
		if m.p.hit == sentimentHit || m.p.hit == angerHit {
			for i := m.start; i < m.end; i++ {
				tf.buf[i].kind = punctToken
			}
		}
	}
	var ids []int32
	prev := int32(-1)
	prevWord, prevKey := "", ""
	add := func(key, disp string) int32 {
		id, ok := tf.vocab[key]
		if !ok {
			id = int32(len(tf.display))
			tf.vocab[key] = id
			tf.display = append(tf.display, disp)
			tf.target = append(tf.target, 0)
			tf.rest = append(tf.rest, 0)
		}
		ids = append(ids, id)
		return id
	}
	for i := range tf.buf {
		t := &tf.buf[i]
		if t.kind != wordToken || t.stop || lm.isNegation(t) || len(t.key) < 3 || lm.valence(t) != 0 {
			prev, prevWord, prevKey = -1, "", ""
			continue
		}
		id := add(lm.lang+":"+t.key, t.word)
		if prev >= 0 {
			add(lm.lang+":"+prevKey+" "+t.key, prevWord+" "+t.word)
		}
		prev, prevWord, prevKey = id, t.word, t.key
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	ids = compactIDs(ids)
	for _, id := range ids {
		if isTarget {
			tf.target[id]++
		} else {
			tf.rest[id]++
		}
	}
	if isTarget {
		tf.nTarget++
		if len(tf.docs) < tf.MaxDocs {
			month := ""
			if !f.At.IsZero() {
				month = f.At.UTC().Format("2006-01")
			}
			text := f.Text
			if len(text) > 280 {
				text = text[:280] + "…"
			}
			tf.docs = append(tf.docs, themeDoc{terms: ids, month: month, text: text})
		}
	} else {
		tf.nRest++
	}
}

func compactIDs(s []int32) []int32 {
	if len(s) == 0 {
		return s
	}
	j := 1
	for i := 1; i < len(s); i++ {
		if s[i] != s[j-1] {
			s[j] = s[i]
			j++
		}
	}
	return s[:j]
}

// llr is Dunning's G² for a term seen in a of n1 target items and b of n2
// other items.
func llr(a, n1, b, n2 float64) float64 {
	k := []float64{a, n1 - a, b, n2 - b}
	n := n1 + n2
	row := []float64{n1, n1, n2, n2}
	col := []float64{a + b, n - a - b, a + b, n - a - b}
	g := 0.0
	for i, o := range k {
		if o <= 0 {
			continue
		}
		e := row[i] * col[i] / n
		g += o * math.Log(o/e)
	}
	return 2 * g
}

// Themes returns up to max themes, most frequent first. A term joins when
// it is over-represented with G² ≥ 10.83 (p < 0.001) in at least minCount
// items; terms that mostly occur in the same items form one theme.
func (tf *ThemeFinder) Themes(max, minCount int) []saydo.Theme {
	if minCount < 2 {
		minCount = 2
	}
	type cand struct {
		id int32
		g  float64
	}
	var cands []cand
	n1, n2 := float64(tf.nTarget), float64(tf.nRest)
	if n1 == 0 {
		return nil
	}
	for id := range tf.display {
		a, b := float64(tf.target[id]), float64(tf.rest[id])
		if a < float64(minCount) {
			continue
		}
		if n2 > 0 && a/n1 <= b/n2 {
			continue
		}
		g := llr(a, n1, b, max64(n2, 1))
		if g >= 10.83 || n2 == 0 {
			cands = append(cands, cand{int32(id), g})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].g != cands[j].g {
			return cands[i].g > cands[j].g
		}
		return tf.display[cands[i].id] < tf.display[cands[j].id]
	})
	// docs per candidate
	isCand := map[int32]int{}
	for i, c := range cands {
		isCand[c.id] = i
	}
	docsOf := make([][]int, len(cands))
	for di, d := range tf.docs {
		for _, id := range d.terms {
			if ci, ok := isCand[id]; ok {
				docsOf[ci] = append(docsOf[ci], di)
			}
		}
	}
	used := make([]bool, len(cands))
	assigned := make([]bool, len(tf.docs))
	var out []saydo.Theme
	for ci := range cands {
		if len(out) >= max {
			break
		}
		if used[ci] {
			continue
		}
		used[ci] = true
		seed := map[int]bool{}
		for _, d := range docsOf[ci] {
			seed[d] = true
		}
		th := saydo.Theme{Terms: []string{tf.display[cands[ci].id]}, Score: math.Round(cands[ci].g*10) / 10}
		members := map[int]bool{}
		for d := range seed {
			members[d] = true
		}
		// A term joins the theme when most of its items hold the seed
		// term: compared with the seed's own items, not the growing
		// union, so themes do not chain into one another.
		for cj := ci + 1; cj < len(cands); cj++ {
			if used[cj] || len(docsOf[cj]) == 0 {
				continue
			}
			shared := 0
			for _, d := range docsOf[cj] {
				if seed[d] {
					shared++
				}
			}
			if float64(shared) >= 0.6*float64(len(docsOf[cj])) {
				used[cj] = true
				if len(th.Terms) < 6 {
					th.Terms = append(th.Terms, tf.display[cands[cj].id])
				}
				for _, d := range docsOf[cj] {
					members[d] = true
				}
			}
		}
		months := map[string]int64{}
		var docs, seedDocs []int
		for d := range members {
			if !assigned[d] {
				docs = append(docs, d)
				if seed[d] {
					seedDocs = append(seedDocs, d)
				}
			}
		}
		sort.Ints(docs)
		sort.Ints(seedDocs)
		for _, d := range docs {
			assigned[d] = true
			months[tf.docs[d].month]++
		}
		if len(docs) < minCount {
			continue
		}
		th.Share = math.Round(float64(len(docs))/n1*1000) / 1000
		th.Count = tf.scaled(int64(len(docs)))
		keys := make([]string, 0, len(months))
		for m := range months {
			if m != "" {
				keys = append(keys, m)
			}
		}
		sort.Strings(keys)
		for _, m := range keys {
			th.Months = append(th.Months, saydo.MonthCount{Month: m, Count: tf.scaled(months[m])})
		}
		th.Quotes = pickQuotes(tf.docs, seedDocs, 3)
		out = append(out, th)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

func (tf *ThemeFinder) scaled(n int64) int64 {
	if tf.Scale <= 1 {
		return n
	}
	return int64(math.Round(float64(n) * tf.Scale))
}

// Target returns how many target items (negative, matching no promise)
// were added, and how many others.
func (tf *ThemeFinder) Target() (target, rest int64) { return tf.nTarget, tf.nRest }

// ThemesNeed says how many more negative items matching no promise are
// needed before a theme raised by one in ten of them could stand out: it
// must reach minCount items and be significant (G² ≥ 10.83) against the
// rest, assuming the rest mention its words ten times less often. 0 when
// there are enough already.
func ThemesNeed(target, rest int64, minCount int) int64 {
	if minCount < 2 {
		minCount = 2
	}
	n2 := float64(max(rest, 10*target, 100))
	for n1 := int64(1); n1 < 1_000_000; n1++ {
		a := 0.1 * float64(n1)
		if a < float64(minCount) {
			continue
		}
		if llr(a, float64(n1), 0.01*n2, n2) >= 10.83 {
			return max(0, n1-target)
		}
	}
	return 0
}

// pickQuotes prefers mid-length items: short enough to read, long enough
// to say something.
func pickQuotes(all []themeDoc, docs []int, n int) []string {
	type q struct {
		text string
		cost int
	}
	var qs []q
	seen := map[string]bool{}
	for _, d := range docs {
		t := all[d].text
		k := quoteKey(t)
		if seen[k] {
			continue
		}
		seen[k] = true
		qs = append(qs, q{t, absInt(len(t) - 90)})
	}
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].cost < qs[j].cost })
	var out []string
	for i := 0; i < len(qs) && i < n; i++ {
		out = append(out, qs[i].text)
	}
	return out
}

// quoteKey folds away case, diacritics, punctuation and the closing
// words, so near-identical quotes are shown once.
func quoteKey(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range fold(strings.ToLower(s)) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
			n++
			if n >= 40 {
				break
			}
		}
	}
	return b.String()
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func max64(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
