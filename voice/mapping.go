package voice

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/saydo/saydo"
)

// mapper ties feedback to promises with no training, from each promise's
// says, voice phrases and metric name.
//
// The says text and metric become a set of weighted terms: stems, or
// concepts where a word names one ("phone", "call", "telefon" are all the
// concept call), so inflection, word order and the language of the feedback
// do not matter. A term shared by many promises weighs less (inverse
// document frequency over the promises). A sentence mentions a promise when
// it holds at least two of its topical terms (time units do not count), or,
// for a promise without voice phrases, one of its anchors (newMapper).
// A sentence that tells of a wait to reach a person ("45 minutes to talk
// to a human") holds the concepts answer and wait (reachVerbs).
//
// Voice phrases match two ways: as written, word after word, stemmed and
// allowing one extra word between ("on hold" matches "on hold", "held on
// hold"); and, when they hold two or more content words, as a bag of terms
// in any order within a short window ("waited for ages" matches "ages I
// waited").
type mapper struct {
	promises []promiseModel
	byTerm   map[string][]termRef
	// seq holds the voice phrases as patterns, per language.
	seq map[string]*matcher
	// bags are voice phrases of two or more content terms.
	bags      []bagPhrase
	byBagTerm map[string][]bagRef
	// shared holds the terms of more than one promise's says and
	// metric: "call" in "We answer every call within 2 minutes" and in
	// "We solve your problem in the first call".
	shared map[string]bool
	// owner holds, of the shared terms, those that name one promise's
	// metric and no other's: refund in refund_arrival_days, though
	// another promise says it refunds what is not yours. The metric is
	// what the promise measures, so the word is that promise's own.
	owner map[string]int
}

type promiseModel struct {
	id string
	// phrases says the promise has voice phrases.
	phrases bool
	terms   map[string]float64
	// norm is the weight a sentence must reach for a score of 1: the sum
	// of the promise's three heaviest terms.
	norm float64
}

type termRef struct {
	promise int
	weight  float64
	topical bool
	// anchor: the term names what the promise is about on its own (see
	// newMapper), so a sentence holding it alone mentions the promise.
	anchor bool
}

type bagPhrase struct {
	promise int
	n       int
	neg     bool
}

type bagRef struct {
	bag int
	bit uint32
}

// candidate is the best evidence found so far for one promise in one item.
type candidate struct {
	score    float64
	from, to int
	// evidence counts the sentences, phrases and bags that speak of the
	// promise: between promises found equally surely, the one a long text
	// keeps coming back to comes first.
	evidence int
}

// sentenceAcc accumulates one promise's terms within one sentence.
type sentenceAcc struct {
	weight   float64
	topical  int
	anchor   bool
	terms    []string
	from, to int
	// keys holds the word key that first brought each of terms, and
	// twice whether a concept was named by a second word of its own.
	keys  []string
	twice bool
}

func newMapper(promises []saydo.Promise) *mapper {
	m := &mapper{byTerm: map[string][]termRef{}, seq: map[string]*matcher{}, byBagTerm: map[string][]bagRef{}}
	raw := make([]map[string]bool, len(promises))
	metricTerms := make([]map[string]bool, len(promises))
	df := map[string]int{}
	for i := range promises {
		p := &promises[i]
		terms := map[string]bool{}
		lang := DetectLanguage(p.Says)
		if lang != "ro" {
			lang = "en"
		}
		for _, t := range textTerms(modelFor(lang), p.Says) {
			terms[t] = true
		}
		metricTerms[i] = map[string]bool{}
		for _, t := range textTerms(modelFor("en"), metricWords(p.Metric)) {
			terms[t] = true
			metricTerms[i][t] = true
		}
		raw[i] = terms
		for t := range terms {
			df[t]++
		}
		m.promises = append(m.promises, promiseModel{id: p.ID, phrases: hasVoicePhrases(p)})
		langs := make([]string, 0, len(p.Voice))
		for l := range p.Voice {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			for _, ph := range p.Voice[l] {
				m.addPhrase(i, l, ph)
			}
		}
	}
	n := float64(len(promises))
	for i := range m.promises {
		pm := &m.promises[i]
		pm.terms = map[string]float64{}
		var ws []float64
		keys := make([]string, 0, len(raw[i]))
		for t := range raw[i] {
			keys = append(keys, t)
		}
		sort.Strings(keys)
		for _, t := range keys {
			w := math.Log(1 + n/float64(df[t]))
			topical := !generic(t)
			if !topical {
				w *= 0.5
			}
			pm.terms[t] = w
			ws = append(ws, w)
			// A promise written without voice phrases is found by its
			// anchors too: the topical words of its metric's name that
			// no other promise has (refund in refund_days, the
			// exchange in exchange_rate_complaints), which name what it
			// is about; one in a sentence is enough. With phrases,
			// the user said how customers speak of it, and two terms
			// are needed as before.
			anchor := !m.promises[i].phrases && topical && df[t] == 1 && metricTerms[i][t] && !vagueWords[t]
			m.byTerm[t] = append(m.byTerm[t], termRef{i, w, topical, anchor})
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ws)))
		for j := 0; j < len(ws) && j < 3; j++ {
			pm.norm += ws[j]
		}
	}
	m.shared = map[string]bool{}
	m.owner = map[string]int{}
	for t, n := range df {
		if n > 1 {
			m.shared[t] = true
			owner := -1
			for i := range metricTerms {
				if metricTerms[i][t] {
					if owner >= 0 {
						owner = -2
						break
					}
					owner = i
				}
			}
			if owner >= 0 {
				m.owner[t] = owner
			}
		}
	}
	return m
}

// vagueWords are words a metric's name may hold that name no topic
// alone: order and time ("delivered_next_day": "next week"), common verbs
// and amounts. They still count as terms; they anchor nothing.
var vagueWords = map[string]bool{
	"next": true, "last": true, "first": true, "second": true, "third": true, "same": true, "new": true, "old": true,
	"earli": true, "earlier": true, "later": true, "late": true, "soon": true, "fast": true, "quick": true, "slow": true,
	"long": true, "short": true, "high": true, "low": true, "big": true, "small": true, "full": true, "real": true,
	"get": true, "got": true, "give": true, "make": true, "take": true, "keep": true, "come": true, "go": true,
	"one": true, "two": true, "three": true, "all": true, "ani": true, "each": true, "everi": true,
	"good": true, "bad": true, "right": true, "work": true, "use": true, "done": true, "ok": true,
}

// partialBagScore is the score of a voice phrase of three or more content
// words matched as a bag with one of them missing: the seed score, so
// self-training learns from such items as from a whole phrase. Chosen on
// the dev splits with promises written by someone else, whose phrases
// are sentences (docs/voice.md, "A phrase with one word missing").
const partialBagScore = defaultSeed

// anchorScore is the score of a sentence holding a promise's anchor alone
// (newMapper): the seed score, so self-training learns from such items as
// from a voice phrase.
const anchorScore = defaultSeed

// generic terms say when, not what: they add weight but are not evidence
// of a topic on their own.
func generic(term string) bool { return term == "#time" || term == "#day" }

// addPhrase compiles one voice phrase of promise pi in language lang.
func (m *mapper) addPhrase(pi int, lang, phrase string) {
	lm := modelFor(lang)
	toks := tokenize(phrase, nil)
	lm.prepare(toks)
	var words []string
	bag := bagPhrase{promise: pi}
	var bagTerms []string
	for i := range toks {
		t := &toks[i]
		if t.kind == punctToken {
			continue
		}
		if lm.isNegation(t) {
			words = append(words, "#neg")
			bag.neg = true
			continue
		}
		if t.kind == numberToken {
			words = append(words, "#num")
			continue
		}
		words = append(words, t.word)
		if term, ok := lm.term(t); ok && !generic(term) {
			bagTerms = appendUnique(bagTerms, term)
		}
	}
	if len(words) == 0 {
		return
	}
	p := compilePattern(strings.Join(words, " ~1 "), lm)
	p.hit, p.promise = mappingHit, pi
	if m.seq[lm.lang] == nil {
		m.seq[lm.lang] = newMatcher()
	}
	m.seq[lm.lang].add(p)
	if len(bagTerms) >= 2 && len(bagTerms) <= 32 {
		bag.n = len(bagTerms)
		bi := len(m.bags)
		m.bags = append(m.bags, bag)
		for j, t := range bagTerms {
			m.byBagTerm[t] = append(m.byBagTerm[t], bagRef{bi, 1 << j})
		}
	}
}

// metricWords turns call_wait_seconds into "call wait".
func metricWords(metric string) string {
	f := strings.FieldsFunc(strings.ToLower(metric), func(r rune) bool {
		return r == '_' || r == '-' || r == '.' || r == ' ' || r == '/'
	})
	out := f[:0]
	for _, w := range f {
		unit := false
		for _, u := range unitWords {
			if w == u {
				unit = true
			}
		}
		if !unit {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// textTerms returns the terms of a text.
func textTerms(lm *langModel, text string) []string {
	toks := tokenize(text, nil)
	lm.prepare(toks)
	var out []string
	for i := range toks {
		if t, ok := lm.term(&toks[i]); ok {
			out = appendUnique(out, t)
		}
	}
	return out
}

// term returns the mapping term of a token: "#concept" when the word
// names a concept, else its key; false for function words, negations,
// numbers and very short words.
func (lm *langModel) term(t *token) (string, bool) {
	if t.kind != wordToken || t.stop || lm.isNegation(t) {
		return "", false
	}
	if c, ok := lm.concept[t.key]; ok {
		return "#" + c, true
	}
	if c, ok := lm.concept[t.folded]; ok {
		return "#" + c, true
	}
	if len(t.key) < 3 {
		return "", false
	}
	// The Romanian stemmer treats some forms of one word differently
	// (ascunsă → ascuns, ascunse → ascun): five letters of the stem
	// bring them together.
	if lm.lang == "ro" && len(t.key) > 5 {
		return t.key[:5], true
	}
	return t.key, true
}

// bagState tracks one bag phrase's terms found in an item.
type bagState struct {
	bits     uint32
	from, to int
}

// mentions returns the promises an item speaks of, best first.
func (m *mapper) mentions(lm *langModel, text string, toks []token, s *scratch, opts Options) []saydo.Mention {
	np := len(m.promises)
	if np == 0 {
		return nil
	}
	if cap(s.best) < np {
		s.best = make([]candidate, np)
		s.acc = make([]sentenceAcc, np)
	}
	best, acc := s.best[:np], s.acc[:np]
	for i := range best {
		best[i] = candidate{}
		acc[i] = sentenceAcc{terms: acc[i].terms[:0], keys: acc[i].keys[:0]}
	}
	if cap(s.bags) < len(m.bags) {
		s.bags = make([]bagState, len(m.bags))
	}
	bags := s.bags[:len(m.bags)]
	for i := range bags {
		bags[i] = bagState{from: -1}
	}
	touched := s.touched[:0]
	hasNeg := false
	// add counts term, at token i, for every promise that has it, once
	// per sentence.
	add := func(term string, i int) {
		key := ""
		if i < len(toks) {
			key = toks[i].key
		}
		for _, r := range m.byTerm[term] {
			a := &acc[r.promise]
			if k := slices.Index(a.terms, term); k >= 0 {
				// A concept named by two of its words ("rate of
				// exchange", "the fee they charged") counts twice,
				// once per sentence: a promise whose subject is one
				// concept is otherwise never met by two terms.
				if r.topical && !a.twice && term[0] == '#' && key != "" && a.keys[k] != key {
					a.twice = true
					a.topical++
					a.weight += r.weight
				}
				continue
			}
			a.keys = append(a.keys, key)
			if len(a.terms) == 0 {
				touched = append(touched, r.promise)
				a.from, a.to = i, i
			}
			a.terms = append(a.terms, term)
			a.weight += r.weight
			if r.topical {
				a.topical++
			}
			a.anchor = a.anchor || r.anchor
			a.from, a.to = min(a.from, i), max(a.to, i)
		}
	}
	// A wait to reach a person ("45 minutes to talk to a human", "on
	// hold before I spoke to someone"; reachVerbs) is a wait to be
	// answered: the sentence holds the concepts answer and wait, for
	// any promise about answering. reachAt is the last verb of
	// reaching in the sentence (reachFor: after a purpose word, "to
	// talk"), reached the verb and the person after it.
	reachAt, reachFor := -1, false
	var reached struct {
		from, to int
		purpose  bool
	}
	reached.from = -1
	waited, timed := false, false
	endSentence := func() {
		if reached.from >= 0 && (waited || timed && reached.purpose) {
			add("#answer", reached.from)
			add("#wait", reached.to)
		}
		reachAt, reached.from, waited, timed = -1, -1, false, false
		for _, pi := range touched {
			a := &acc[pi]
			if a.topical >= 2 || a.anchor {
				sc := math.Min(1, a.weight/m.promises[pi].norm)
				if a.topical < 2 {
					sc = anchorScore
				}
				ev := best[pi].evidence + 1
				if sc > best[pi].score {
					best[pi] = candidate{sc, a.from, a.to, 0}
				}
				best[pi].evidence = ev
			}
			*a = sentenceAcc{terms: a.terms[:0], keys: a.keys[:0]}
		}
		touched = touched[:0]
	}
	for i := range toks {
		t := &toks[i]
		if t.kind == punctToken {
			if t.key != "," {
				endSentence()
			}
			continue
		}
		if lm.isNegation(t) {
			hasNeg = true
		}
		switch {
		case lm.reach[t.key] || lm.reach[t.folded]:
			reachAt = i
			reachFor = i > 0 && toks[i-1].kind == wordToken && lm.purpose[toks[i-1].folded]
		case reachAt >= 0 && i-reachAt <= 4 && (lm.person[t.key] || lm.person[t.folded] || lm.concept[t.key] == "staff"):
			reached.from, reached.to, reached.purpose = reachAt, i, reachFor
			reachAt = -1
		}
		term, ok := lm.term(t)
		if !ok {
			continue
		}
		switch term {
		case "#wait":
			waited = true
		case "#time":
			timed = true
		}
		for _, r := range m.byBagTerm[term] {
			b := &bags[r.bag]
			if b.bits&r.bit == 0 {
				b.bits |= r.bit
				if b.from < 0 {
					b.from = i
				}
				b.to = i
			}
		}
		add(term, i)
	}
	endSentence()
	s.touched = touched
	for bi := range bags {
		b := &bags[bi]
		bp := &m.bags[bi]
		score := 0.9
		if b.bits != 1<<bp.n-1 {
			// A phrase of three or more content words, one missing:
			// customers seldom say a phrase written as a sentence whole
			// ("my card still hasn't arrived": "my card hasn't arrived
			// yet" lacks "still").
			if bp.n < 3 || bits.OnesCount32(b.bits) != bp.n-1 {
				continue
			}
			score = partialBagScore
		}
		if bp.neg && !hasNeg || b.to-b.from > bp.n+6 {
			continue
		}
		ev := best[bp.promise].evidence + 1
		if best[bp.promise].score < score {
			best[bp.promise] = candidate{score, b.from, b.to, 0}
		}
		best[bp.promise].evidence = ev
	}
	if sm := m.seq[lm.lang]; sm != nil {
		s.pmatches = sm.find(lm, toks, s.pmatches[:0])
		for _, mt := range s.pmatches {
			if mt.p.hit != mappingHit {
				continue
			}
			c := &best[mt.p.promise]
			ev := c.evidence + 1
			if c.score < 0.95 {
				*c = candidate{0.95, mt.start, mt.end - 1, 0}
			}
			c.evidence = ev
		}
	}
	var out []saydo.Mention
	var evidence []int
	for pi := range best {
		c := best[pi]
		if c.score < opts.MinScore {
			continue
		}
		out = append(out, saydo.Mention{PromiseID: m.promises[pi].id, Score: math.Round(c.score*1000) / 1000, Match: excerpt(text, toks, c.from, c.to)})
		evidence = append(evidence, c.evidence)
	}
	if len(out) > 1 {
		idx := make([]int, len(out))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool {
			a, b := idx[i], idx[j]
			ka := out[a].Score * (1 + math.Log(float64(max(evidence[a], 1))))
			kb := out[b].Score * (1 + math.Log(float64(max(evidence[b], 1))))
			return ka > kb
		})
		sorted := make([]saydo.Mention, len(out))
		for i, k := range idx {
			sorted[i] = out[k]
		}
		out = sorted
	}
	if len(out) > opts.MaxPromises {
		out = out[:opts.MaxPromises]
	}
	return out
}

// excerpt returns the text from token from to token to, inclusive,
// widened to the words around a lone token and cut at 120 bytes.
func excerpt(text string, toks []token, from, to int) string {
	if from < 0 || to < from || to >= len(toks) {
		return ""
	}
	if from == to {
		if from > 0 && toks[from-1].kind != punctToken {
			from--
		}
		if to+1 < len(toks) && toks[to+1].kind != punctToken {
			to++
		}
	}
	s := text[toks[from].start:toks[to].end]
	if len(s) > 120 {
		s = text[toks[from].start:toks[from].end] + " … " + text[toks[to].start:toks[to].end]
	}
	return s
}

// untold returns the promises whose words prepared tokens hold (in its
// says, metric or voice phrases) but none of their own, in order. A
// promise's own words tell what it is about ("solve", "answer"); the
// others are the words that only say when ("minutes", "days") and those
// another promise is stated with too: "I got no message about the
// appointment, had to call to find out the date" holds "call" of "We
// solve your problem in the first call", and "call" is as much a word of
// "We answer every call within 2 minutes" (owns). A word of one promise's
// metric and no other's stays its own however many promises say it:
// "refund" in refund_arrival_days is the refund promise's, though "Any
// payment you don't recognise is … refunded within 24 hours" says it too.
func (m *mapper) untold(lm *langModel, toks []token) []int {
	var held, own []int
	note := func(pi int, o bool) {
		if !slices.Contains(held, pi) {
			held = append(held, pi)
		}
		if o && !slices.Contains(own, pi) {
			own = append(own, pi)
		}
	}
	for i := range toks {
		term, ok := lm.term(&toks[i])
		if !ok {
			continue
		}
		for _, r := range m.byTerm[term] {
			note(r.promise, m.owns(r.promise, term))
		}
		for _, r := range m.byBagTerm[term] {
			pi := m.bags[r.bag].promise
			note(pi, m.owns(pi, term))
		}
	}
	out := held[:0]
	for _, pi := range held {
		if !slices.Contains(own, pi) {
			out = append(out, pi)
		}
	}
	slices.Sort(out)
	return out
}

// owns says whether a term of promise pi is its own: not a word that
// only says when, and no other promise's says or metric holds it, unless
// the term names pi's metric and no other's (owner).
func (m *mapper) owns(pi int, term string) bool {
	if generic(term) {
		return false
	}
	if !m.shared[term] {
		return true
	}
	o, ok := m.owner[term]
	return ok && o == pi
}

// withoutUntold returns toks with every promise word that is no
// promise's own (untold: "call", "minutes") turned into a break, so no
// pair of words forms across it; nil when toks hold none.
func (m *mapper) withoutUntold(lm *langModel, toks []token) []token {
	var out []token
	for i := range toks {
		term, ok := lm.term(&toks[i])
		if !ok || !generic(term) && !m.shared[term] || len(m.byTerm[term]) == 0 && len(m.byBagTerm[term]) == 0 {
			continue
		}
		if out == nil {
			out = slices.Clone(toks)
		}
		out[i] = token{kind: punctToken, start: toks[i].start, end: toks[i].end}
	}
	return out
}

// hasVoicePhrases says whether p has a voice phrase in any language
// ("voice: {en: []}" has none).
func hasVoicePhrases(p *saydo.Promise) bool {
	for _, phrases := range p.Voice {
		for _, ph := range phrases {
			if strings.TrimSpace(ph) != "" {
				return true
			}
		}
	}
	return false
}

// hasPhrases says whether promise id has voice phrases.
func (m *mapper) hasPhrases(id string) bool {
	i := m.index(id)
	return i >= 0 && m.promises[i].phrases
}
