package voice

import (
	"bufio"
	"bytes"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	vaderdata "github.com/jonreiter/govader/data"
)

// langModel holds everything the analyzer knows about one language. It is
// built once and read-only afterwards.
type langModel struct {
	lang     string
	stem     *stemmer
	stop     map[string]bool // folded surface
	neg      map[string]bool // folded surface
	boost    map[string]bool // folded surface
	contrast map[string]bool // folded surface
	sarcasm  map[string]bool // key
	failure  map[string]bool // key or folded surface
	// polite holds the words of politeness (folded surface and key):
	// thanks, please, hello; mulțumesc, vă rog. See politeWords.
	polite map[string]bool
	// hypothetical holds the words that make what follows in a clause
	// not yet true (folded surface): "hope it's fixed", "should be
	// sorted", "thought it was resolved".
	hypothetical map[string]bool
	// absence holds the negations that say a thing is absent ("no",
	// "nu există"), answer the bare answers ("no", "nope"); folded.
	absence, answer map[string]bool
	// answerLead holds the words that follow an answering "no" ("no I
	// haven't", "no it didn't"); folded.
	answerLead map[string]bool
	// conditional holds the words opening a clause that is no fact
	// ("if"); folded.
	conditional map[string]bool
	// conditionals lists the same words, to look for one in a text
	// faster than by map.
	conditionals []string
	// meant holds the words after a thanks that make it meant: "thanks
	// for the help", "mulțumesc pentru ajutor"; folded.
	meant map[string]bool
	// addressee holds who a thanks is to ("you", "guys"), skipped before
	// meant; folded.
	addressee map[string]bool
	// subject holds the subject pronouns, which start a clause; folded.
	subject map[string]bool
	// reopen holds the words that, after a resolution in its sentence,
	// say the problem is not solved everywhere ("but", "except"); folded.
	reopen map[string]bool
	// problemNoun holds the keys of the nouns naming a problem
	// (problemNouns).
	problemNoun map[string]bool
	// fact holds the words that open a fact openFacts reads, by folded
	// surface: the words that say "cannot" alone ("can't", "won't"),
	// those that do after a negation ("can", "able"; "pot"), and the
	// words of disbelief ("really?"). See inabilities, disbeliefs.
	fact map[string]factKind
	// abilityFill holds the words between an inability and its verb
	// ("just", "seem to"; "să"), folded; abilityIdiom the keys of the
	// verbs that make an idiom of it ("can't wait"). See inabilities.
	abilityFill, abilityIdiom map[string]bool
	// irony holds the irony markers, liker the words that make "like"
	// liking; folded. See ironyMarkers, likers.
	irony, liker map[string]bool
	// modal holds the words that make praise a suggestion (modals);
	// folded.
	modal map[string]bool
	// endorsement holds the keys of the praise words a modal leaves
	// whole (endorsements).
	endorsement map[string]bool
	// others and locators make a resolution a comparison (otherThings,
	// locators); folded.
	others, locators map[string]bool
	// surface is VADER's lexicon (English only), by lower-case word.
	surface map[string]float64
	// lexicon holds valences by key.
	lexicon map[string]float64
	// patterns are the phrase, effort and anger patterns.
	patterns *matcher
	// concept maps a key to the concept it names (see concepts), and
	// themeConcept does so in themes: concept and the keys that name one
	// in themes only (themeConcepts).
	concept, themeConcept map[string]string
	// reach and person hold the verbs of reaching someone and whom
	// (keys and folded surface), purpose the words that make the verb a
	// purpose (folded): a wait to reach a person (reachVerbs).
	reach, person, purpose map[string]bool
}

var (
	enModel = sync.OnceValue(func() *langModel { return buildModel("en") })
	roModel = sync.OnceValue(func() *langModel { return buildModel("ro") })
)

func modelFor(lang string) *langModel {
	if lang == "ro" {
		return roModel()
	}
	return enModel()
}

func foldList(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = fold(strings.ToLower(w))
	}
	return out
}

func foldSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[fold(strings.ToLower(w))] = true
	}
	return m
}

// keySet is the set of words' keys (stems) in lm, and with surface of
// their folded forms as well.
func (lm *langModel) keySet(words []string, surface bool) map[string]bool {
	m := make(map[string]bool, 2*len(words))
	for _, w := range words {
		m[lm.wordKey(w)] = true
		if surface {
			m[fold(w)] = true
		}
	}
	return m
}

func buildModel(lang string) *langModel {
	lm := &langModel{
		lang:         lang,
		stem:         newStemmer(lang),
		stop:         foldSet(stopwords[lang]),
		neg:          foldSet(negations[lang]),
		boost:        foldSet(boosters[lang]),
		contrast:     foldSet(contrasts[lang]),
		hypothetical: foldSet(hypotheticals[lang]),
		absence:      foldSet(absences[lang]),
		answer:       foldSet(answers[lang]),
		answerLead:   foldSet(answerLeads[lang]),
		conditional:  foldSet(conditionals[lang]),
		conditionals: foldList(conditionals[lang]),
		meant:        foldSet(meantThanks[lang]),
		addressee:    foldSet(addressees[lang]),
		subject:      foldSet(subjects[lang]),
		reopen:       foldSet(reopeners[lang]),
		fact:         map[string]factKind{},
		abilityFill:  foldSet(abilityFills[lang]),
		irony:        foldSet(ironyMarkers[lang]),
		liker:        foldSet(likers[lang]),
		modal:        foldSet(modals[lang]),
		others:       foldSet(otherThings[lang]),
		locators:     foldSet(locators[lang]),
		lexicon:      map[string]float64{},
		patterns:     newMatcher(),
		concept:      map[string]string{},
		themeConcept: map[string]string{},
	}
	// Sarcasm openers, failure words and polite words by stem and by
	// surface too, for the ones that are stop words ("thanks").
	lm.sarcasm = lm.keySet(sarcasmOpeners[lang], true)
	lm.failure = lm.keySet(failureWords[lang], true)
	lm.polite = lm.keySet(politeWords[lang], true)
	lm.abilityIdiom = lm.keySet(abilityIdioms[lang], false)
	lm.endorsement = lm.keySet(endorsements[lang], false)
	lm.problemNoun = lm.keySet(problemNouns[lang], false)
	lm.reach = lm.keySet(reachVerbs[lang], true)
	lm.person = lm.keySet(persons[lang], true)
	lm.purpose = foldSet(purposes[lang])
	for kind, words := range [][]string{inabilityFact: inabilities[lang], abilityFact: abilities[lang], disbeliefFact: disbeliefs[lang]} {
		for _, w := range words {
			lm.fact[fold(strings.ToLower(w))] = factKind(kind)
		}
	}
	var words map[string]float64
	var phrases map[string]float64
	var effort map[string][]string
	var anger map[string]float64
	switch lang {
	case "ro":
		words, phrases, effort, anger = roLexicon, roPhrases, roEffort, roAnger
	default:
		lm.surface = vaderLexicon()
		// VADER's words by stem, so inflections VADER lacks still score:
		// the mean valence of the words sharing a stem.
		// Map order is random: every loop over a map here goes in key
		// order, so the sums (floating point) and the entries that share
		// a key come out the same in every process.
		sum, n := map[string]float64{}, map[string]int{}
		for _, w := range sortedKeys(lm.surface) {
			if strings.ContainsAny(w, " ") {
				continue
			}
			k := lm.stem.stem(w)
			sum[k] += lm.surface[w]
			n[k]++
		}
		for k, s := range sum {
			// Only complaints extend to other inflections (see below).
			if v := s / float64(n[k]); v < 0 {
				lm.lexicon[k] = v
			}
		}
		words, phrases, effort, anger = enLexicon, enPhrases, enEffort, enAnger
	}
	// Words sharing a stem ("mulțumesc" 1.5, "mulțumit" 2.2) give it the
	// mildest of their valences, whatever order they come in: a stem that
	// stands for several words claims no more than the weakest of them.
	claimed := map[string]bool{}
	claim := func(k string, v float64) {
		if old, ok := lm.lexicon[k]; claimed[k] && (!ok || math.Abs(old) <= math.Abs(v)) {
			return
		}
		claimed[k] = true
		if v == 0 {
			delete(lm.lexicon, k)
			return
		}
		lm.lexicon[k] = v
	}
	for _, w := range sortedKeys(words) {
		v := words[w]
		if strings.Contains(w, " ") {
			lm.patterns.add(sentimentPattern(w, v, lm))
			continue
		}
		if lm.surface != nil {
			lm.surface[w] = v
			if v == 0 {
				claim(lm.wordKey(w), 0)
				continue
			}
			// English praise words are often participles of verbs that
			// are neutral or demanding in other forms ("fixed" but "fix
			// it now"): only complaints extend to their inflections.
			if v > 0 {
				continue
			}
		}
		claim(lm.wordKey(w), v)
		claim(lm.wordKey(fold(w)), v)
	}
	for _, src := range sortedKeys(phrases) {
		lm.patterns.add(sentimentPattern(src, phrases[src], lm))
	}
	for _, src := range resolutions[lang] {
		p := compilePattern(src, lm)
		p.hit = resolvedHit
		lm.patterns.add(p)
	}
	for _, label := range sortedKeys(effort) {
		for _, src := range effort[label] {
			p := compilePattern(src, lm)
			p.hit, p.label, p.value = effortHit, label, -1.2
			lm.patterns.add(p)
		}
	}
	for _, src := range sortedKeys(anger) {
		p := compilePattern(src, lm)
		p.hit, p.value = angerHit, anger[src]
		lm.patterns.add(p)
	}
	names := make([]string, 0, len(concepts))
	for c := range concepts {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		for _, w := range concepts[c] {
			for _, k := range []string{lm.wordKey(w), fold(normalizeRomanian(w))} {
				if _, ok := lm.concept[k]; !ok {
					lm.concept[k] = c
				}
			}
		}
	}
	maps.Copy(lm.themeConcept, lm.concept)
	for _, c := range sortedKeys(themeConcepts) {
		for _, w := range themeConcepts[c] {
			for _, k := range []string{lm.wordKey(w), fold(normalizeRomanian(w))} {
				if _, ok := lm.themeConcept[k]; !ok {
					lm.themeConcept[k] = c
				}
			}
		}
	}
	return lm
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func sentimentPattern(src string, v float64, lm *langModel) *pattern {
	p := compilePattern(src, lm)
	p.hit, p.value = sentimentHit, v
	return p
}

// vaderLexicon parses VADER's lexicon embedded in govader.
func vaderLexicon() map[string]float64 {
	m := make(map[string]float64, 7600)
	raw, err := vaderdata.Asset("rawdata/vaderLexicon.txt")
	if err != nil {
		return m
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 2 {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			continue
		}
		m[f[0]] = v
	}
	return m
}

// wordKey returns the key of a dictionary word: lower-cased, stemmed,
// folded. Multi-word entries keep their words' keys joined by spaces.
func (lm *langModel) wordKey(w string) string {
	w = strings.ToLower(w)
	if strings.Contains(w, " ") {
		parts := strings.Fields(w)
		for i, p := range parts {
			parts[i] = lm.stem.key(p)
		}
		return strings.Join(parts, " ")
	}
	return lm.stem.key(w)
}

func (lm *langModel) isNegation(t *token) bool { return t.neg }

func (lm *langModel) negation(t *token) bool {
	if t.kind != wordToken {
		return false
	}
	if lm.neg[t.folded] {
		return true
	}
	return lm.lang == "en" && strings.HasSuffix(t.word, "n't")
}

func (lm *langModel) isNumber(t *token) bool { return t.hasNum }

// number returns the value of a number token or spelled number.
func (lm *langModel) number(t *token) (float64, bool) { return t.num, t.hasNum }

func (lm *langModel) parseNumber(t *token) (float64, bool) {
	switch t.kind {
	case numberToken:
		v, err := strconv.ParseFloat(t.word, 64)
		return v, err == nil
	case wordToken:
		v, ok := numberWords[t.folded]
		return v, ok
	}
	return 0, false
}

// prepare fills the keys of tokens.
func (lm *langModel) prepare(toks []token) {
	for i := range toks {
		t := &toks[i]
		if t.kind == punctToken {
			continue
		}
		t.folded = fold(t.word)
		t.neg = lm.negation(t)
		t.stop = lm.stop[t.folded]
		t.num, t.hasNum = lm.parseNumber(t)
		if t.kind == numberToken || t.stop || t.neg {
			t.key = t.folded
			continue
		}
		t.key = lm.stem.key(t.word)
	}
}
