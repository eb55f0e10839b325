package voice

import (
	"slices"
	"strconv"
	"strings"
)

// A pattern is a short phrase matched against a text's tokens, written as
// words separated by spaces:
//
//	word      a word, stemmed, so "wait" matches waits, waited, waiting
//	=word     the word as written, not stemmed: "=fixed" is not "fix"
//	a|b       any of the alternatives
//	~N        up to N other words may come between
//	#neg      any negation (not, never, nobody; nu, nici, niciodată)
//	#num      a number, in digits or words; #num10 at least 10
//	#end      the end of the clause: punctuation other than a comma, or
//	          the end of the text ("but it didn't #end": not "but it
//	          didn't take long")
//
// Patterns never match across punctuation other than commas.
type pattern struct {
	elems []element
	// hit is what a match means.
	hit hitKind
	// label names the effort signal of an effort pattern.
	label string
	value float64
	text  string
	// promise is the index of the promise a voice phrase belongs to.
	promise int
}

type hitKind uint8

const (
	sentimentHit hitKind = iota
	effortHit
	angerHit
	mappingHit
	// resolvedHit says the customer's problem is solved ("it's fixed",
	// "working now"); see Analyzer.score.
	resolvedHit
)

type element struct {
	keys []string
	// class is "", "neg", "num" or "end".
	class string
	min   float64
	// surface holds the alternatives written "=word": they match the
	// word as written, never its stem.
	surface []string
	// gap is how many words may be skipped before this element.
	gap int
}

// matcher finds every pattern of one language in a text.
type matcher struct {
	// byFirst indexes patterns by the key of their first element; "#num"
	// and "#neg" index patterns starting with a class.
	byFirst map[string][]*pattern
}

type match struct {
	p          *pattern
	start, end int // token indexes, end exclusive
}

// compilePattern parses a pattern, stemming its words with lm.
func compilePattern(src string, lm *langModel) *pattern {
	p := &pattern{text: src}
	gap := 0
	for _, f := range strings.Fields(src) {
		switch {
		case f[0] == '~':
			n, err := strconv.Atoi(f[1:])
			if err == nil {
				gap = n
			}
			continue
		case f == "#neg":
			p.elems = append(p.elems, element{class: "neg", gap: gap})
		case f == "#end":
			p.elems = append(p.elems, element{class: "end"})
		case strings.HasPrefix(f, "#num"):
			min, _ := strconv.ParseFloat(f[4:], 64)
			p.elems = append(p.elems, element{class: "num", min: min, gap: gap})
		default:
			var keys, surface []string
			for _, alt := range strings.Split(f, "|") {
				if w, ok := strings.CutPrefix(alt, "="); ok {
					surface = appendUnique(surface, fold(normalizeRomanian(w)))
					continue
				}
				keys = appendUnique(keys, lm.wordKey(alt))
				// The folded surface too: short words and pattern stems
				// written pre-stemmed ("repli") match as typed.
				keys = appendUnique(keys, fold(normalizeRomanian(alt)))
			}
			p.elems = append(p.elems, element{keys: keys, surface: surface, gap: gap})
		}
		gap = 0
	}
	return p
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func newMatcher() *matcher { return &matcher{byFirst: map[string][]*pattern{}} }

func (m *matcher) add(p *pattern) {
	if len(p.elems) == 0 {
		return
	}
	e := p.elems[0]
	switch e.class {
	case "neg", "num":
		m.byFirst["#"+e.class] = append(m.byFirst["#"+e.class], p)
	default:
		for _, k := range e.keys {
			m.byFirst[k] = append(m.byFirst[k], p)
		}
		for _, w := range e.surface {
			if !slices.Contains(e.keys, w) {
				m.byFirst[w] = append(m.byFirst[w], p)
			}
		}
	}
}

// find appends every match in toks to dst. Matches may overlap.
func (m *matcher) find(lm *langModel, toks []token, dst []match) []match {
	for i := range toks {
		t := &toks[i]
		if t.kind == punctToken {
			continue
		}
		for _, p := range m.byFirst[t.key] {
			if end := matchFrom(lm, p, toks, i); end > 0 {
				dst = append(dst, match{p, i, end})
			}
		}
		if t.key != t.surfaceKey() {
			for _, p := range m.byFirst[t.surfaceKey()] {
				if end := matchFrom(lm, p, toks, i); end > 0 {
					dst = append(dst, match{p, i, end})
				}
			}
		}
		if t.kind == numberToken || lm.isNumber(t) {
			for _, p := range m.byFirst["#num"] {
				if end := matchFrom(lm, p, toks, i); end > 0 {
					dst = append(dst, match{p, i, end})
				}
			}
		}
		if lm.isNegation(t) {
			for _, p := range m.byFirst["#neg"] {
				if end := matchFrom(lm, p, toks, i); end > 0 {
					dst = append(dst, match{p, i, end})
				}
			}
		}
	}
	return dst
}

// surfaceKey is the folded surface form; set lazily by the analyzer as
// token.word folded. Kept as a method so patterns can match either form.
func (t *token) surfaceKey() string { return t.folded }

// matchFrom matches p with its first element at toks[i] and returns the
// index after the match, or 0.
func matchFrom(lm *langModel, p *pattern, toks []token, i int) int {
	if !elemMatches(lm, &p.elems[0], &toks[i]) {
		return 0
	}
	return matchRest(lm, p.elems[1:], toks, i+1)
}

func matchRest(lm *langModel, elems []element, toks []token, i int) int {
	if len(elems) == 0 {
		return i
	}
	e := &elems[0]
	if e.class == "end" {
		if i == len(toks) || toks[i].kind == punctToken && toks[i].key != "," {
			return matchRest(lm, elems[1:], toks, i)
		}
		return 0
	}
	for skip := 0; skip <= e.gap; skip++ {
		j := i + skip
		if j >= len(toks) {
			return 0
		}
		t := &toks[j]
		if t.kind == punctToken && t.key != "," {
			return 0
		}
		if t.kind == punctToken {
			continue
		}
		if elemMatches(lm, e, t) {
			if end := matchRest(lm, elems[1:], toks, j+1); end > 0 {
				return end
			}
		}
	}
	return 0
}

func elemMatches(lm *langModel, e *element, t *token) bool {
	switch e.class {
	case "neg":
		return lm.isNegation(t)
	case "num":
		v, ok := lm.number(t)
		return ok && v >= e.min
	}
	if t.kind == punctToken {
		return false
	}
	for _, w := range e.surface {
		if w == t.folded {
			return true
		}
	}
	for _, k := range e.keys {
		if k == t.key || k == t.folded {
			return true
		}
		// Romanian stems of one word may differ by a letter (ascunsă →
		// ascuns, ascunse → ascun).
		if lm.lang == "ro" && len(k) >= 4 && len(t.key) >= 4 && len(k)-len(t.key) <= 1 && len(t.key)-len(k) <= 1 &&
			(strings.HasPrefix(k, t.key) || strings.HasPrefix(t.key, k)) {
			return true
		}
	}
	return false
}
