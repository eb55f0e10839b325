package voice

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
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
	keys    []string // by id
	display []string
	// surface counts the words seen for concept terms, which are shown
	// by their most frequent word (then the first in order), whatever
	// order the items come in.
	surface map[int32]map[string]int
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
	// concepts are the concepts the item names, generic ones included
	// (#store, #staff): what the same complaint in two languages shares.
	concepts []int32
	month    string
	text     string
	key      uint64
	lang     string
}

// themeConcepts are words that plainly name a concept in every service
// ("send a text" is a message, "the technician's visit" an appointment;
// "vizita" is Romanian for visit) but that concepts leaves out: there, a
// word changes the learned sentiment model's features and which promise
// feedback maps to. Themes only group words, so here they name the
// concept too.
var themeConcepts = map[string][]string{
	"message":     {"text", "texts", "texted", "texting"},
	"appointment": {"visit", "visits", "vizită", "vizita", "vizitei", "vizite", "vizitele"},
}

// themeKey is a word's term in themes: its concept when it names one,
// else its stem in its language.
func themeKey(lm *langModel, t *token) string {
	if c, ok := lm.themeConcept[t.key]; ok {
		return "#" + c
	}
	if c, ok := lm.themeConcept[t.folded]; ok {
		return "#" + c
	}
	return lm.lang + ":" + t.key
}

// genericThemeWords name the business itself or the people in it: common
// in every complaint, they never make a theme on their own.
var genericThemeWords = map[string]bool{
	"customer": true, "customers": true, "client": true, "clients": true, "clienti": true, "clientii": true, "clientul": true,
	"people": true, "person": true, "oameni": true, "company": true, "companie": true, "compania": true, "firma": true,
	"airline": true, "airlines": true, "plane": true, "flight": true, "flights": true, "zbor": true, "avion": true,
	"bank": true, "banca": true, "store": true, "product": true, "products": true, "produs": true, "produsul": true,
	"service": true, "services": true, "serviciu": true, "serviciul": true, "servicii": true, "thing": true, "lucru": true,
	"time": true, "today": true, "yesterday": true, "azi": true, "ieri": true, "guys": true, "everyone": true,
	"#staff": true, "#store": true, "#time": true, "#day": true, "#account": true, "#money": true,
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
	var ids, cids []int32
	prev := int32(-1)
	prevWord, prevKey := "", ""
	intern := func(key, disp string) int32 {
		id, ok := tf.vocab[key]
		if !ok {
			id = int32(len(tf.display))
			tf.vocab[key] = id
			tf.keys = append(tf.keys, key)
			tf.display = append(tf.display, disp)
			tf.target = append(tf.target, 0)
			tf.rest = append(tf.rest, 0)
		}
		return id
	}
	add := func(key, disp string) int32 {
		id := intern(key, disp)
		if strings.Contains(key, "#") {
			if tf.surface == nil {
				tf.surface = map[int32]map[string]int{}
			}
			if tf.surface[id] == nil {
				tf.surface[id] = map[string]int{}
			}
			tf.surface[id][strings.ToLower(disp)]++
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
		// A word naming a concept is the concept in every language
		// (message, mesaj; appointment, programare), so the same
		// complaint in English and Romanian is one theme.
		key := themeKey(lm, t)
		if isTarget && key[0] == '#' {
			cids = append(cids, intern(key, t.word))
		}
		if genericThemeWords[t.folded] || genericThemeWords[key] {
			prev, prevWord, prevKey = -1, "", ""
			continue
		}
		id := add(key, t.word)
		if prev >= 0 {
			add(prevKey+" "+key, prevWord+" "+t.word)
		}
		prev, prevWord, prevKey = id, t.word, key
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
			slices.Sort(cids)
			tf.docs = append(tf.docs, themeDoc{terms: ids, concepts: compactIDs(cids), month: month, text: text, key: f.Key, lang: lm.lang})
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
	out, docs, seeds := tf.grow(max, minCount)
	out = tf.merge(out, docs, seeds)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// grow grows themes from the candidate terms, the most significant first,
// with the items (indexes in tf.docs) of each and those holding its seed
// term; more than max of them, so that merging still leaves max.
func (tf *ThemeFinder) grow(max, minCount int) (out []saydo.Theme, outDocs, outSeeds [][]int) {
	for id, m := range tf.surface {
		best, bn := "", -1
		for w, n := range m {
			if n > bn || n == bn && w < best {
				best, bn = w, n
			}
		}
		tf.display[id] = best
	}
	type cand struct {
		id int32
		g  float64
	}
	var cands []cand
	n1, n2 := float64(tf.nTarget), float64(tf.nRest)
	if n1 == 0 {
		return nil, nil, nil
	}
	for id := range tf.display {
		a, b := float64(tf.target[id]), float64(tf.rest[id])
		if a < float64(minCount) {
			continue
		}
		// Over-represented at least twice: a word frequent everywhere
		// is background, however significant its count.
		if n2 > 0 && a/n1 < 2*b/n2 {
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
	for ci := range cands {
		// More than asked for, so that merged themes (merge) still
		// leave max of them.
		if len(out) >= 2*max+8 {
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
		termKeys := []string{tf.keyOf(cands[ci].id)}
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
					termKeys = append(termKeys, tf.keyOf(cands[cj].id))
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
		th.CountCI = tf.countCI(len(docs))
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
		// Named by a phrase holding the seed term, else one holding
		// another of its terms ("went into the shop to pay" rather than
		// "salesman"), else by the seed term alone.
		for _, k := range termKeys {
			if th.Label, th.Phrases = tf.phrases(seedDocs, k); th.Label != "" {
				break
			}
		}
		if th.Label == "" {
			th.Label = th.Terms[0]
		}
		th.Keys = make([]uint64, len(docs))
		for i, d := range docs {
			th.Keys[i] = tf.docs[d].key
		}
		slices.Sort(th.Keys)
		out = append(out, th)
		outDocs, outSeeds = append(outDocs, docs), append(outSeeds, seedDocs)
	}
	return out, outDocs, outSeeds
}

// sameComplaint is the least cosine between two themes' concept profiles
// (the share of their items naming each concept) for them to be one.
const sameComplaint = 0.6

// merge makes one theme of two that are the same complaint, the larger
// taking the smaller: its label stays, the smaller's phrases, terms,
// items, months and quotes join. Two themes are the same complaint when
// their concept profiles are alike (cosine ≥ sameComplaint) and either
//
//   - they are written mostly in different languages, the larger having
//     no phrase of its own in the smaller's language: their distinctive
//     words differ ("salesman", "vânzătorul") but they name the same
//     concepts (the shop, a plan, the price: "magazin", "abonament",
//     "scump"); or
//   - in any languages, the items of one name what marks the other
//     (holdsMarks): two ways of saying one complaint ("went into the shop
//     to pay and came out with a dearer plan", "pressured in the shop to
//     sign a 24-month contract") share no distinctive word but what they
//     are about; or
//   - in any languages, they show two of the same words (sharedTerms): a
//     name kept in both languages ("Summer Unlimited").
//
// A theme is compared with itself and with each theme that merged into it
// directly, never with the widened profile of the merged theme, so a
// chain stops one link away.
func (tf *ThemeFinder) merge(out []saydo.Theme, docs, seeds [][]int) []saydo.Theme {
	type profile struct {
		lang  string
		v     map[int32]float64
		norm  float64
		marks []int32
	}
	// How many target items name each concept: a theme's marks are named
	// at least twice as often in its items as in the other target items.
	base := map[int32]float64{}
	for _, d := range tf.docs {
		for _, c := range d.concepts {
			base[c]++
		}
	}
	prof := make([]profile, len(out))
	for i := range out {
		langs := map[string]int{}
		v := map[int32]float64{}
		for _, d := range docs[i] {
			langs[tf.docs[d].lang]++
			for _, c := range tf.docs[d].concepts {
				v[c]++
			}
		}
		p := profile{v: v}
		best := -1
		for l, n := range langs {
			if n > best || n == best && l < p.lang {
				p.lang, best = l, n
			}
		}
		cs := make([]int32, 0, len(v))
		for c := range v {
			cs = append(cs, c)
		}
		slices.Sort(cs)
		others := float64(len(tf.docs) - len(docs[i]))
		for _, c := range cs {
			in := v[c]
			v[c] /= float64(len(docs[i]))
			p.norm += v[c] * v[c]
			if v[c] >= 0.5 && (others == 0 || v[c] >= 2*(base[c]-in)/others) {
				p.marks = append(p.marks, c)
			}
		}
		p.norm = math.Sqrt(p.norm)
		prof[i] = p
	}
	cosine := func(a, b profile) float64 {
		if a.norm == 0 || b.norm == 0 {
			return 0
		}
		// In concept order: the same sum, to the bit, in every run.
		cs := make([]int32, 0, len(a.v))
		for c := range a.v {
			cs = append(cs, c)
		}
		slices.Sort(cs)
		dot := 0.0
		for _, c := range cs {
			dot += a.v[c] * b.v[c]
		}
		return dot / (a.norm * b.norm)
	}
	// The themes as grown, before merging: what same compares.
	grown := slices.Clone(docs)
	terms := make([][]string, len(out))
	for i := range out {
		terms[i] = slices.Clone(out[i].Terms)
	}
	// members are each theme and the grown themes that merged into it by
	// being its complaint (not through another member).
	members := make([][]int, len(out))
	for i := range members {
		members[i] = []int{i}
	}
	// same says whether grown theme j, the smaller, is the complaint of
	// theme i, or of a theme that merged into i by being i's complaint:
	// so the English and the Romanian of a complaint both join the theme
	// that took either, and the chain stops there (each link is weaker
	// than the last: "a phone I didn't need" → "please call me back").
	// Each comparison is between grown themes, so a merged theme's
	// widened profile never pulls in more; a theme in another language
	// joins only while i has no phrase in it. direct says j is i's own.
	same := func(i, j int) (ok, direct bool) {
		for _, m := range members[i] {
			if cosine(prof[m], prof[j]) < sameComplaint {
				continue
			}
			if prof[m].lang != prof[j].lang {
				if _, has := out[i].Phrases[prof[j].lang]; !has {
					return true, m == i
				}
			}
			if sharedTerms(terms[m], terms[j]) >= 2 ||
				tf.holdsMarks(prof[m].marks, grown[j]) || tf.holdsMarks(prof[j].marks, grown[m]) {
				return true, m == i
			}
		}
		return false, false
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return out[order[a]].Count > out[order[b]].Count })
	gone := make([]bool, len(out))
	for a, i := range order {
		if gone[i] {
			continue
		}
		for _, j := range order[a+1:] {
			if gone[j] {
				continue
			}
			ok, direct := same(i, j)
			if !ok {
				continue
			}
			gone[j] = true
			if direct {
				members[i] = append(members[i], j)
			}
			th, o := &out[i], &out[j]
			if th.Phrases == nil {
				th.Phrases = map[string]string{}
			}
			for l, p := range o.Phrases {
				if _, ok := th.Phrases[l]; !ok {
					th.Phrases[l] = p
				}
			}
			for _, term := range o.Terms {
				if len(th.Terms) < 6 && !slices.Contains(th.Terms, term) {
					th.Terms = append(th.Terms, term)
				}
			}
			th.Count += o.Count
			th.Share = math.Round((th.Share+o.Share)*1000) / 1000
			th.Score = math.Max(th.Score, o.Score)
			months := map[string]int64{}
			for _, m := range append(th.Months, o.Months...) {
				months[m.Month] += m.Count
			}
			th.Months = th.Months[:0]
			for m, n := range months {
				th.Months = append(th.Months, saydo.MonthCount{Month: m, Count: n})
			}
			slices.SortFunc(th.Months, func(x, y saydo.MonthCount) int { return strings.Compare(x.Month, y.Month) })
			th.Keys = append(th.Keys, o.Keys...)
			slices.Sort(th.Keys)
			docs[i] = append(docs[i], docs[j]...)
			th.CountCI = tf.countCI(len(docs[i]))
			seeds[i] = append(seeds[i], seeds[j]...)
			sort.Ints(seeds[i])
			th.Quotes = pickQuotesLangs(tf.docs, seeds[i], 3)
		}
	}
	kept := out[:0]
	for i := range out {
		if !gone[i] {
			kept = append(kept, out[i])
		}
	}
	return kept
}

// sharedTerms counts the words two themes both show that are not generic.
// A term is a stem in its language, or a concept, and joins one theme
// only, so two themes show the same word when it is a stem in each of
// two languages: a name ("Summer Unlimited", "SMS") that customers keep
// in either language.
func sharedTerms(a, b []string) int {
	n := 0
	for _, t := range a {
		if !genericThemeWords[t] && slices.Contains(b, t) {
			n++
		}
	}
	return n
}

// holdsMarks says whether the items docs name what marks another theme:
// it has at least two marks (the concepts at least half of its items
// name, at least twice as often as the other target items), one of them
// not generic, and 60% of the items name them all, as a term joins a
// theme when 60% of its items hold the seed term. One concept is not enough: a
// card declined and a card payment pending both name the card, and a
// generic one (the shop, the staff, time) is in every complaint.
func (tf *ThemeFinder) holdsMarks(marks []int32, docs []int) bool {
	if len(marks) < 2 || len(docs) == 0 {
		return false
	}
	specific := false
	for _, c := range marks {
		specific = specific || !genericThemeWords[tf.keys[c]]
	}
	if !specific {
		return false
	}
	n := 0
	for _, d := range docs {
		all := true
		for _, c := range marks {
			if _, ok := slices.BinarySearch(tf.docs[d].concepts, c); !ok {
				all = false
				break
			}
		}
		if all {
			n++
		}
	}
	return float64(n) >= 0.6*float64(len(docs))
}

// pickQuotesLangs picks n quotes as pickQuotes does, with the best of
// every language among them.
func pickQuotesLangs(all []themeDoc, docs []int, n int) []string {
	byLang := map[string][]int{}
	var langs []string
	for _, d := range docs {
		l := all[d].lang
		if byLang[l] == nil {
			langs = append(langs, l)
		}
		byLang[l] = append(byLang[l], d)
	}
	sort.Slice(langs, func(a, b int) bool {
		if len(byLang[langs[a]]) != len(byLang[langs[b]]) {
			return len(byLang[langs[a]]) > len(byLang[langs[b]])
		}
		return langs[a] < langs[b]
	})
	var out []string
	for _, l := range langs {
		if q := pickQuotes(all, byLang[l], 1); len(q) > 0 && len(out) < n {
			out = append(out, q[0])
		}
	}
	for _, q := range pickQuotes(all, docs, n) {
		if len(out) < n && !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}

// countCI is the 95% interval of the count of a theme that k items of
// the sample raise, when themes are found in a sample: the Wilson
// interval of k among the sample's target items, scaled as the count is;
// nil when every item was read.
func (tf *ThemeFinder) countCI(k int) *[2]int64 {
	if tf.Scale <= 1 || tf.nTarget <= 0 {
		return nil
	}
	lo, hi := gap.Wilson(int64(k), tf.nTarget, 0.95)
	all := float64(tf.nTarget) * tf.Scale
	return &[2]int64{int64(math.Floor(lo * all)), int64(math.Ceil(hi * all))}
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

// phrases returns the phrase most of a theme's items say, word for word,
// in the language most of them are written in, and the same per language:
// "no message about the appointment" rather than its stems. A phrase is two
// to six words within one clause holding the theme's seed term, starting
// and ending with a word that carries meaning (a leading negation counts:
// "no message"), found in at least a third of the items; longer phrases
// win when nearly as frequent.
func (tf *ThemeFinder) phrases(docs []int, seed string) (string, map[string]string) {
	seedWords := strings.Fields(seed) // a word or a pair of words
	type ngram struct {
		lang, text string
	}
	count := map[ngram]int{}
	byLang := map[string]int{}
	var toks []token
	for _, d := range docs {
		doc := &tf.docs[d]
		byLang[doc.lang]++
		lm := modelFor(doc.lang)
		toks = tokenize(doc.text, toks)
		lm.prepare(toks)
		seen := map[string]bool{}
		for i := range toks {
			if !phraseStart(lm, &toks[i]) {
				continue
			}
			words := []string{}
			hasSeed := false
			for j := i; j < len(toks) && j < i+6; j++ {
				if toks[j].kind != wordToken && toks[j].kind != numberToken {
					break
				}
				words = append(words, strings.ToLower(toks[j].word))
				if toks[j].kind == wordToken && slices.Contains(seedWords, themeKey(lm, &toks[j])) {
					hasSeed = true
				}
				if len(words) >= 2 && hasSeed && phraseEnd(lm, &toks[j]) {
					p := strings.Join(words, " ")
					if !seen[p] {
						seen[p] = true
						count[ngram{doc.lang, p}]++
					}
				}
			}
		}
	}
	best := map[string]string{}
	bestScore := map[string]float64{}
	for ng, n := range count {
		if float64(n) < max(2, float64(byLang[ng.lang])/3) {
			continue
		}
		words := float64(strings.Count(ng.text, " ") + 1)
		sc := float64(n) * math.Pow(words, 0.6)
		if sc > bestScore[ng.lang] || sc == bestScore[ng.lang] && ng.text < best[ng.lang] {
			best[ng.lang], bestScore[ng.lang] = ng.text, sc
		}
	}
	main, mainN := "", -1
	for l, n := range byLang {
		if _, ok := best[l]; ok && (n > mainN || n == mainN && l < main) {
			main, mainN = l, n
		}
	}
	if main == "" {
		return "", nil
	}
	return best[main], best
}

// keyOf returns the vocabulary key of term id.
func (tf *ThemeFinder) keyOf(id int32) string { return tf.keys[id] }

// phraseStart reports whether a theme's phrase may start at t: a word
// that carries meaning, or a negation ("no message", "nu am primit").
func phraseStart(lm *langModel, t *token) bool {
	if t.kind != wordToken {
		return false
	}
	return !t.stop || lm.isNegation(t)
}

// phraseEnd reports whether a theme's phrase may end at t.
func phraseEnd(lm *langModel, t *token) bool {
	return t.kind == wordToken && !t.stop && !lm.isNegation(t) && len(t.word) >= 3
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
	// Ties go by text, so the same items read in any order give the
	// same quotes.
	sort.SliceStable(qs, func(i, j int) bool {
		if qs[i].cost != qs[j].cost {
			return qs[i].cost < qs[j].cost
		}
		return qs[i].text < qs[j].text
	})
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
