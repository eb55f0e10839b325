package lint

import (
	"strings"
)

// langMask is a set of languages, one bit each; en and ro are fixed.
type langMask uint64

const (
	maskEN  langMask = 1
	maskRO  langMask = 2
	maskAll langMask = ^langMask(0)
	// maskOther stands for every language no rule names.
	maskOther langMask = 1 << 63
)

// entry is one word or phrase of a lexicon, folded. A word ending in * is
// a prefix; "{}" matches a placeholder, "#" a number, "_" any token.
type entry struct {
	words  []string
	prefix uint64 // bit i set: words[i] is a prefix
	cat    int32  // what the phrase signals: a built-in category or a rule
	arg    int32  // category data: a label, a value, a replacement
	lang   langMask
	orig   string // as written, for case-sensitive rules
	exact  bool   // match case and diacritics as written
}

// hit is one match of an entry on tokens [t0, t1).
type hit struct {
	e      int32
	t0, t1 int32
}

// lexicon finds every entry in a message in one pass over its tokens.
type lexicon struct {
	entries []entry
	byWord  map[string][]int32 // first word, exact
	byPre   map[string][]int32 // first word's prefix, cut to preKey bytes
	preLens uint8              // bit k: some prefix key has k bytes
}

const preKey = 4

func newLexicon() *lexicon {
	return &lexicon{byWord: map[string][]int32{}, byPre: map[string][]int32{}}
}

// add adds a phrase; it returns false when the phrase has no words.
func (l *lexicon) add(phrase string, cat, arg int32, lang langMask, exact bool) bool {
	f := fold(phrase)
	words := splitPhrase(f)
	if len(words) == 0 || len(words) > 64 {
		return false
	}
	e := entry{cat: cat, arg: arg, lang: lang, orig: phrase, exact: exact}
	for i, w := range words {
		if len(w) > 1 && strings.HasSuffix(w, "*") {
			e.prefix |= 1 << i
			words[i] = strings.TrimSuffix(w, "*")
		}
	}
	e.words = words
	id := int32(len(l.entries))
	l.entries = append(l.entries, e)
	first := words[0]
	if e.prefix&1 != 0 {
		k := min(len(first), preKey)
		l.byPre[first[:k]] = append(l.byPre[first[:k]], id)
		l.preLens |= 1 << k
	} else {
		l.byWord[first] = append(l.byWord[first], id)
	}
	return true
}

// splitPhrase splits a folded phrase into the words the tokenizer would
// produce: letters and digits, apostrophes inside words, and the special
// words {} # _ and a trailing *.
func splitPhrase(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return !(isLetter(r) || isDigit(r) || r == '\'' || r == '*' || r == '{' || r == '}' || r == '#' || r == '_' || r == '%' || r == '€' || r == '$' || r == '£')
	}) {
		if strings.HasPrefix(f, "{{") && strings.HasSuffix(f, "}}") {
			f = "{}"
		}
		out = append(out, f)
	}
	return out
}

// scan appends every hit of the lexicon in d to d.hits, in token order.
func (l *lexicon) scan(d *doc) {
	toks := d.toks
	for i := range toks {
		t := &toks[i]
		switch t.kind {
		case tWord, tNumber, tSymbol:
			key := t.norm
			if t.kind == tSymbol {
				key = t.norm
			}
			for _, id := range l.byWord[key] {
				l.try(d, id, i)
			}
			if t.kind == tNumber {
				for _, id := range l.byWord["#"] {
					l.try(d, id, i)
				}
			}
			if l.preLens != 0 && t.kind == tWord {
				for k := 1; k <= preKey && k <= len(key); k++ {
					if l.preLens&(1<<k) == 0 {
						continue
					}
					for _, id := range l.byPre[key[:k]] {
						l.try(d, id, i)
					}
				}
			}
		case tPlaceholder:
			for _, id := range l.byWord["{}"] {
				l.try(d, id, i)
			}
		}
	}
}

func (l *lexicon) try(d *doc, id int32, i int) {
	e := &l.entries[id]
	if i+len(e.words) > len(d.toks) {
		return
	}
	sent := d.toks[i].sent
	for j, w := range e.words {
		t := &d.toks[i+j]
		if t.sent != sent {
			return
		}
		switch w {
		case "{}":
			if t.kind != tPlaceholder {
				return
			}
			continue
		case "#":
			if t.kind != tNumber {
				return
			}
			continue
		case "_":
			continue
		}
		if t.kind == tPlaceholder || t.kind == tMention || t.kind == tURL || t.kind == tEmail {
			return
		}
		if e.prefix&(1<<j) != 0 {
			if !strings.HasPrefix(t.norm, w) {
				return
			}
		} else if t.norm != w {
			return
		}
	}
	t1 := i + len(e.words)
	if e.exact && !exactMatch(d.body[d.toks[i].start:d.toks[t1-1].end], e.orig) {
		return
	}
	d.hits = append(d.hits, hit{e: id, t0: int32(i), t1: int32(t1)})
}

// exactMatch compares a matched text with a case-sensitive token, word by
// word, so that spacing does not matter.
func exactMatch(text, orig string) bool {
	a, b := strings.Fields(text), strings.Fields(orig)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		w := strings.TrimSuffix(b[i], "*")
		if w != b[i] {
			if !strings.HasPrefix(a[i], w) {
				return false
			}
		} else if a[i] != w {
			return false
		}
	}
	return true
}
