package voice

import (
	"math"
	"sort"
	"strings"

	"github.com/saydo/saydo"
)

// mapper ties feedback to promises with no training, from each promise's
// says, voice phrases and metric name. A promise becomes a set of weighted
// terms: stems, or concepts where a word names one ("phone", "call",
// "telefon" are all the concept call), so inflection, word order and the
// language of the feedback do not matter. A term shared by many promises
// weighs less (inverse document frequency over the promises).
type mapper struct {
	promises []promiseModel
	byTerm   map[string][]termRef
}

type promiseModel struct {
	id    string
	terms map[string]float64
	// norm is the weight a mention must reach for a score of 1: the sum
	// of the promise's three heaviest terms.
	norm    float64
	phrases []voicePhrase
	nterms  int
}

type voicePhrase struct {
	terms []string
	neg   bool
	text  string
}

type termRef struct {
	promise int
	weight  float64
}

// promiseAcc accumulates one promise's evidence in one item.
type promiseAcc struct {
	weight    float64
	terms     []string
	first     int
	last      int
	positions []int
}

func newMapper(promises []saydo.Promise) *mapper {
	m := &mapper{byTerm: map[string][]termRef{}}
	raw := make([]map[string]bool, len(promises))
	df := map[string]int{}
	for i := range promises {
		p := &promises[i]
		pm := promiseModel{id: p.ID}
		terms := map[string]bool{}
		lang := DetectLanguage(p.Says)
		if lang != "ro" {
			lang = "en"
		}
		for _, t := range textTerms(modelFor(lang), p.Says) {
			terms[t] = true
		}
		for _, t := range textTerms(modelFor("en"), metricWords(p.Metric)) {
			terms[t] = true
		}
		langs := make([]string, 0, len(p.Voice))
		for l := range p.Voice {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			lm := modelFor(l)
			for _, ph := range p.Voice[l] {
				vp := voicePhrase{text: ph}
				var buf []token
				toks := tokenize(ph, buf)
				lm.prepare(toks)
				for i := range toks {
					t := &toks[i]
					if lm.isNegation(t) {
						vp.neg = true
						continue
					}
					if term, ok := lm.term(t); ok {
						vp.terms = appendUnique(vp.terms, term)
						terms[term] = true
					}
				}
				if len(vp.terms) > 0 {
					pm.phrases = append(pm.phrases, vp)
				}
			}
		}
		raw[i] = terms
		for t := range terms {
			df[t]++
		}
		m.promises = append(m.promises, pm)
	}
	n := float64(len(promises))
	for i := range m.promises {
		pm := &m.promises[i]
		pm.terms = map[string]float64{}
		var ws []float64
		for t := range raw[i] {
			w := math.Log(1 + n/float64(df[t]))
			if t == "#time" || t == "#day" {
				w *= 0.5
			}
			pm.terms[t] = w
			ws = append(ws, w)
			m.byTerm[t] = append(m.byTerm[t], termRef{i, w})
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ws)))
		for j := 0; j < len(ws) && j < 3; j++ {
			pm.norm += ws[j]
		}
		pm.nterms = len(ws)
	}
	return m
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
	if t.kind != wordToken || lm.stop[t.folded] || lm.isNegation(t) {
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
	return t.key, true
}

// mentions returns the promises an item speaks of, best first.
func (m *mapper) mentions(lm *langModel, text string, toks []token, s *scratch, opts Options) []saydo.Mention {
	if len(m.promises) == 0 {
		return nil
	}
	if cap(s.acc) < len(m.promises) {
		s.acc = make([]promiseAcc, len(m.promises))
	}
	acc := s.acc[:len(m.promises)]
	for i := range acc {
		acc[i] = promiseAcc{terms: acc[i].terms[:0], positions: acc[i].positions[:0], first: -1}
	}
	hasNeg := false
	for i := range toks {
		t := &toks[i]
		if lm.isNegation(t) {
			hasNeg = true
		}
		term, ok := lm.term(t)
		if !ok {
			continue
		}
		for _, r := range m.byTerm[term] {
			a := &acc[r.promise]
			dup := false
			for _, x := range a.terms {
				if x == term {
					dup = true
					break
				}
			}
			if dup {
				continue
			}
			a.terms = append(a.terms, term)
			a.positions = append(a.positions, i)
			a.weight += r.weight
			if a.first < 0 {
				a.first = i
			}
			a.last = i
		}
	}
	var out []saydo.Mention
	for pi := range acc {
		a := &acc[pi]
		if len(a.terms) == 0 {
			continue
		}
		pm := &m.promises[pi]
		score := 0.0
		if len(a.terms) >= 2 || pm.nterms == 1 {
			score = math.Min(1, a.weight/pm.norm)
		}
		from, to := a.first, a.last
		for _, ph := range pm.phrases {
			if ph.neg && !hasNeg {
				continue
			}
			lo, hi, ok := phraseSpan(ph, a)
			if ok && hi-lo <= len(ph.terms)+5 {
				if 0.9 > score || (score >= 0.9 && score < 1) {
					score = math.Max(score, 0.9+0.1*math.Min(1, a.weight/pm.norm))
				}
				from, to = lo, hi
				break
			}
		}
		if score < opts.MinScore {
			continue
		}
		out = append(out, saydo.Mention{PromiseID: pm.id, Score: math.Round(score*1000) / 1000, Match: excerpt(text, toks, from, to)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > opts.MaxPromises {
		out = out[:opts.MaxPromises]
	}
	return out
}

// phraseSpan finds the tokens of an item where every term of a voice
// phrase occurs.
func phraseSpan(ph voicePhrase, a *promiseAcc) (lo, hi int, ok bool) {
	lo, hi = -1, -1
	for _, t := range ph.terms {
		found := false
		for k, x := range a.terms {
			if x == t {
				p := a.positions[k]
				if lo < 0 || p < lo {
					lo = p
				}
				if p > hi {
					hi = p
				}
				found = true
				break
			}
		}
		if !found {
			return 0, 0, false
		}
	}
	return lo, hi, true
}

// excerpt returns the text from token from to token to, inclusive,
// widened to at least the words around a lone token and cut at 120 bytes.
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
