package voice

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/romanian"
)

// token is one word, number or punctuation mark of a text.
type token struct {
	// word is the lower-cased surface form, apostrophes normalised.
	word string
	// key is the folded stem: the word stemmed in its language, then
	// stripped of diacritics, so "așteptare", "aşteptare" and "asteptare"
	// share a key.
	key string
	// folded is the surface form without diacritics.
	folded string
	// start and end are byte offsets in the original text.
	start, end int
	kind       tokenKind
	// caps is true for an all-capitals word of two letters or more.
	caps bool
	// neg, stop and hasNum (with num) are set by langModel.prepare.
	neg, stop, hasNum bool
	num               float64
}

type tokenKind uint8

const (
	wordToken tokenKind = iota
	numberToken
	punctToken
)

// normalizeRomanian turns comma-below ș ț into the cedilla ş ţ the Snowball
// Romanian stemmer expects.
func normalizeRomanian(s string) string {
	if !strings.ContainsAny(s, "șțȘȚ") {
		return s
	}
	return strings.NewReplacer("ș", "ş", "ț", "ţ", "Ș", "Ş", "Ț", "Ţ").Replace(s)
}

// fold strips Romanian (and common Latin) diacritics.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch r {
	case 'ă', 'â', 'á', 'à', 'ä', 'ã', 'å':
		return 'a'
	case 'î', 'í', 'ì', 'ï':
		return 'i'
	case 'ș', 'ş', 'ß':
		return 's'
	case 'ț', 'ţ':
		return 't'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'ó', 'ò', 'ô', 'ö', 'õ':
		return 'o'
	case 'ú', 'ù', 'û', 'ü':
		return 'u'
	case 'ç':
		return 'c'
	case 'ñ':
		return 'n'
	}
	return r
}

// stemmer stems words of one language, caching results: stemming costs
// about half a microsecond a word, a cache hit a few tens of nanoseconds.
type stemmer struct {
	lang  string
	pool  sync.Pool
	cache sync.Map // word -> folded stem
	size  atomic.Int64
}

const maxStemCache = 1 << 18

func newStemmer(lang string) *stemmer {
	s := &stemmer{lang: lang}
	s.pool.New = func() any { return snowballstem.NewEnv("") }
	return s
}

// key returns the folded stem of a lower-case word.
func (s *stemmer) key(word string) string {
	if v, ok := s.cache.Load(word); ok {
		return v.(string)
	}
	k := s.stem(word)
	if s.size.Load() < maxStemCache {
		if _, loaded := s.cache.LoadOrStore(word, k); !loaded {
			s.size.Add(1)
		}
	}
	return k
}

func (s *stemmer) stem(word string) string {
	if utf8.RuneCountInString(word) < 3 {
		return fold(word)
	}
	env := s.pool.Get().(*snowballstem.Env)
	defer s.pool.Put(env)
	switch s.lang {
	case "ro":
		env.SetCurrent(normalizeRomanian(word))
		romanian.Stem(env)
	default:
		env.SetCurrent(strings.TrimSuffix(word, "'s"))
		english.Stem(env)
	}
	return fold(env.Current())
}

// tokenize splits text into words, numbers and the punctuation marks that
// matter for meaning (, . ! ? ; : …). Words are lower-cased; hyphens split
// Romanian clitics (n-am, m-am) into words of their own.
func tokenize(text string, dst []token) []token {
	dst = dst[:0]
	i := 0
	for i < len(text) {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case (r == '@' || r == '#') && i+1 < len(text) && isWordStart(text[i+1:]) && (r == '@' || strings.HasPrefix(text[i+1:], "http")):
			// @mentions name the brand addressed, not a feeling.
			i += n
			for i < len(text) && !isSpace(text[i]) {
				i++
			}
		case (r == 'h' || r == 'w') && (strings.HasPrefix(text[i:], "http://") || strings.HasPrefix(text[i:], "https://") || strings.HasPrefix(text[i:], "www.")):
			for i < len(text) && !isSpace(text[i]) {
				i++
			}
		case isWordRune(r):
			start := i
			allCaps, letters := true, 0
			hasUpper := false
			for i < len(text) {
				r, n = rune(text[i]), 1
				if r >= utf8.RuneSelf {
					r, n = utf8.DecodeRuneInString(text[i:])
				}
				if isWordRune(r) {
					if unicode.IsLetter(r) {
						letters++
						if unicode.IsUpper(r) {
							hasUpper = true
						} else {
							allCaps = false
						}
					}
					i += n
					continue
				}
				// An apostrophe inside a word belongs to it: don't, customer's.
				if (r == '\'' || r == '’') && i+n < len(text) && isLetterByteStart(text[i+n:]) && i > start {
					i += n
					continue
				}
				break
			}
			raw := text[start:i]
			kind := wordToken
			if letters == 0 {
				kind = numberToken
			}
			dst = append(dst, token{word: lowerWord(raw), start: start, end: i, kind: kind, caps: allCaps && hasUpper && letters >= 2})
		case r == '!' || r == '?' || r == ',' || r == '.' || r == ';' || r == ':' || r == '…':
			dst = append(dst, token{word: string(r), key: string(r), start: i, end: i + n, kind: punctToken})
			i += n
		default:
			i += n
		}
	}
	return dst
}

func isWordStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r) || r == '_'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isLetterByteStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lowerWord lower-cases a word and turns the typographic apostrophe into ',
// without allocating when the word is already plain lower-case ASCII.
func lowerWord(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	s = strings.ReplaceAll(s, "’", "'")
	return strings.ToLower(s)
}
