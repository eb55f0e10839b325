package voice

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
)

// determinismTexts are items whose sentiment once depended on the order
// Go happened to iterate the lexicon's maps in: two demo runs gave
// "Rușinos" complaints -0.718 in one and -0.743 in the other.
var determinismTexts = []struct{ lang, text string }{
	{"ro", "Faceți reclamă că nu aveți taxe ascunse și apoi apare taxa de serviciu. Rușinos."},
	{"ro", "Faceti reclama ca nu aveti taxe ascunse si apoi apare taxa de mentenanta retea. Rusinos. INACCEPTABIL."},
	{"ro", "Bravo, Nordtel, chiar mulțumesc. Faceți reclamă că nu aveți taxe ascunse și apoi apare taxa de serviciu. Rușinos."},
	{"ro", "Faceţi reclamă că nu aveţi taxe ascunse şi apoi apare costul de serviciu digital. Ruşinos. Client de 8 ani."},
	{"ro", "Aștept de trei ore, nu răspunde nimeni. Bătaie de joc!"},
	{"en", "Great, another delay. Hidden fee on my bill: 12.50 RON, a \"handling fee\". I never agreed to this. UNACCEPTABLE."},
	{"en", "Thanks for nothing. I was transferred three times and still on hold."},
	{"en", "The technician came on time and fixed it, lovely service."},
	{"en", "Disappointingly slow, the refunds were refused and I am fed up."},
}

// TestModelsAreDeterministic builds each language model several times,
// as separate processes would, and wants the same model and the same
// sentiment for every text each time: the same inputs must give
// byte-identical reports.
func TestModelsAreDeterministic(t *testing.T) {
	a := New(nil, Options{})
	for _, lang := range []string{"en", "ro"} {
		want := buildModel(lang)
		wantPatterns := patternOrder(want)
		for run := range 6 {
			got := buildModel(lang)
			if !maps.Equal(got.lexicon, want.lexicon) {
				for k, v := range got.lexicon {
					if w, ok := want.lexicon[k]; !ok || w != v {
						t.Errorf("%s build %d: lexicon[%q] = %v, another build has %v (present %v)", lang, run, k, v, w, ok)
						break
					}
				}
			}
			if !maps.Equal(got.surface, want.surface) {
				t.Errorf("%s build %d: the surface lexicons differ", lang, run)
			}
			if !maps.Equal(got.concept, want.concept) {
				t.Errorf("%s build %d: the concepts differ", lang, run)
			}
			if gp := patternOrder(got); !slices.Equal(gp, wantPatterns) {
				t.Errorf("%s build %d: the patterns differ or come in another order", lang, run)
			}
			for _, tt := range determinismTexts {
				if tt.lang != lang {
					continue
				}
				g, w := sentimentWith(a, got, tt.text), sentimentWith(a, want, tt.text)
				if math.Float64bits(g) != math.Float64bits(w) {
					t.Errorf("%s build %d: sentiment of %q = %v, another build gives %v", lang, run, tt.text, g, w)
				}
			}
		}
	}
}

// patternOrder lists every indexed pattern, per first key in key order,
// in the order the matcher tries them.
func patternOrder(lm *langModel) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(lm.patterns.byFirst)) {
		for _, p := range lm.patterns.byFirst[k] {
			out = append(out, fmt.Sprintf("%s\x00%s\x00%d\x00%s\x00%v", k, p.text, p.hit, p.label, p.value))
		}
	}
	return out
}

// sentimentWith scores text with the model lm, as analyze does with the
// model of the text's language.
func sentimentWith(a *Analyzer, lm *langModel, text string) float64 {
	s := &scratch{}
	toks := tokenize(text, nil)
	lm.prepare(toks)
	s.matches = lm.patterns.find(lm, toks, nil)
	return a.score(lm, text, toks, s).sentiment
}
