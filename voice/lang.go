package voice

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// detectLangs are the languages the detector tells apart; only English and
// Romanian have full models, the others are reported so they are not
// mistaken for either.
var detectLangs = []string{"en", "ro", "fr", "de", "es", "it", "pt", "nl"}

// stopIndex maps a folded stopword to a bit set of languages.
var stopIndex = sync.OnceValue(func() map[string]uint16 {
	m := map[string]uint16{}
	for i, l := range detectLangs {
		for _, w := range stopwords[l] {
			m[fold(strings.ToLower(w))] |= 1 << i
		}
		for _, w := range detectionWords[l] {
			m[fold(strings.ToLower(w))] |= 1 << i
		}
	}
	return m
})

// Undetermined is the language reported when a text gives no clue.
const Undetermined = "und"

// DetectLanguage returns the ISO 639-1 code of the text's language: "en" or
// "ro" when it is English or Romanian, another code when its function words
// point elsewhere, Undetermined when nothing does.
//
// It counts function words per language and the letters only Romanian
// uses (ă ș ț, with comma below or cedilla): fast and reliable on a
// sentence, a guess on two words.
func DetectLanguage(text string) string {
	var toks [64]token
	return detect(text, tokenize(text, toks[:0]))
}

func detect(text string, toks []token) string {
	idx := stopIndex()
	var score [8]float64
	for i := range toks {
		t := &toks[i]
		if t.kind != wordToken {
			continue
		}
		w := t.word
		if bits, ok := idx[w]; ok {
			addBits(&score, bits, 1)
		} else if bits, ok := idx[fold(w)]; ok {
			addBits(&score, bits, 0.8)
		}
	}
	// Letters only Romanian writes.
	for i := 0; i < len(text); i++ {
		if text[i] < utf8.RuneSelf {
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch r {
		case 'ă', 'Ă', 'ș', 'Ș', 'ț', 'Ț', 'ş', 'Ş', 'ţ', 'Ţ':
			score[1] += 1.5
		case 'â', 'î', 'Â', 'Î':
			score[1] += 0.7
		case 'é', 'è', 'ê', 'ç', 'à':
			score[2] += 0.5
		case 'ä', 'ö', 'ü', 'ß':
			score[3] += 0.7
		case 'ñ', '¿', '¡':
			score[4] += 1
		case 'ã', 'õ':
			score[6] += 1
		}
		i += n - 1
	}
	best, second := -1, -1
	for i := range score {
		if score[i] <= 0 {
			continue
		}
		switch {
		case best < 0 || score[i] > score[best]:
			second, best = best, i
		case second < 0 || score[i] > score[second]:
			second = i
		}
	}
	if best < 0 {
		return bySentimentWords(toks)
	}
	// English and Romanian win ties against the languages saydo does not
	// model: they are what customers here write.
	if second >= 0 && score[second] == score[best] && best > 1 && second <= 1 {
		best = second
	}
	return detectLangs[best]
}

func addBits(score *[8]float64, bits uint16, w float64) {
	for i := 0; i < len(detectLangs); i++ {
		if bits&(1<<i) != 0 {
			score[i] += w
		}
	}
}

// Languages lists the languages with full models, sorted.
func Languages() []string {
	l := []string{"en", "ro"}
	sort.Strings(l)
	return l
}

// bySentimentWords decides a text with no function words ("Cold pizza,
// soggy box.") by the sentiment lexicons its words are in: English
// (VADER's and saydo's) or Romanian. Undetermined when neither or both.
func bySentimentWords(toks []token) string {
	en, ro := modelFor("en"), modelFor("ro")
	var nen, nro int
	for i := range toks {
		t := &toks[i]
		if t.kind != wordToken {
			continue
		}
		if _, ok := en.surface[strings.ToLower(t.word)]; ok {
			nen++
		}
		if _, ok := ro.lexicon[ro.stem.key(t.word)]; ok {
			nro++
		}
	}
	switch {
	case nen > nro:
		return "en"
	case nro > nen:
		return "ro"
	}
	return Undetermined
}
