package lint

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is what a token of a message is.
type tokKind uint8

const (
	tWord tokKind = iota
	tNumber
	tPlaceholder
	tSymbol // € $ £ %
	tURL
	tEmail
	tMention // @user, #tag
)

// token is one word, number, placeholder or symbol of a message body.
// start and end are byte offsets in the body; norm is the folded form:
// lower case, Romanian and other Latin diacritics removed, curly
// apostrophes straightened; for a placeholder, the variable name.
type token struct {
	kind       tokKind
	caps       bool // a word of two or more letters, all upper case
	start, end int32
	sent       int32
	fs, fe     int32 // the norm in doc.fold, when fe > 0
	norm       string
}

// sentence is a span of the body ended by . ! ? … or a line break.
type sentence struct {
	start, end int32 // bytes, trimmed of spaces
	t0, t1     int32 // tokens [t0, t1)
	question   bool
}

// doc is a message body analysed once for every rule.
type doc struct {
	body  string
	toks  []token
	sents []sentence
	fold  []byte // backing store of token norms
	hits  []hit
}

func (d *doc) reset(body string) {
	d.body = body
	d.toks = d.toks[:0]
	d.sents = d.sents[:0]
	d.fold = d.fold[:0]
	d.hits = d.hits[:0]
}

// foldRune maps a rune to its folded form: lower case without
// diacritics; ok is false when the rune is not a letter or digit.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	switch r {
	case 'ă', 'â', 'Ă', 'Â', 'à', 'á', 'ä', 'å', 'ã', 'À', 'Á', 'Ä', 'Å', 'Ã':
		return 'a'
	case 'î', 'Î', 'ì', 'í', 'ï', 'Ì', 'Í', 'Ï':
		return 'i'
	case 'ș', 'ş', 'Ș', 'Ş':
		return 's'
	case 'ț', 'ţ', 'Ț', 'Ţ':
		return 't'
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return 'e'
	case 'ó', 'ò', 'ô', 'ö', 'õ', 'Ó', 'Ò', 'Ô', 'Ö', 'Õ':
		return 'o'
	case 'ú', 'ù', 'û', 'ü', 'Ú', 'Ù', 'Û', 'Ü':
		return 'u'
	case 'ç', 'Ç':
		return 'c'
	case 'ñ', 'Ñ':
		return 'n'
	case '’', '‘', 'ʼ':
		return '\''
	}
	return unicode.ToLower(r)
}

// fold returns s folded as token norms are.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "nr": true, "str": true,
	"tel": true, "e.g": true, "i.e": true, "etc": true, "vs": true, "no": true,
	"art": true, "ex": true, "dl": true, "dna": true, "d-na": true, "dvs": true,
	"st": true, "jr": true, "sr": true, "inc": true, "ltd": true, "co": true,
	"approx": true, "min": true, "max": true, "ca": true, "bl": true, "sc": true,
	"ap": true, "jud": true, "sect": true, "pct": true,
}

// analyse splits the body into tokens and sentences.
func (d *doc) analyse(body string) {
	d.reset(body)
	sentStart := -1
	var sentT0 int32
	endSentence := func(end int, question bool) {
		if sentStart < 0 {
			return
		}
		e := end
		for e > sentStart && (body[e-1] == ' ' || body[e-1] == '\t' || body[e-1] == '\r') {
			e--
		}
		d.sents = append(d.sents, sentence{start: int32(sentStart), end: int32(e), t0: sentT0, t1: int32(len(d.toks)), question: question})
		sentStart = -1
	}
	begin := func(i int) {
		if sentStart < 0 {
			sentStart = i
			sentT0 = int32(len(d.toks))
		}
	}
	addTok := d.add
	n := len(body)
	for i := 0; i < n; {
		c := body[i]
		var r rune = rune(c)
		size := 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(body[i:])
		}
		switch {
		case c == '\n':
			// A line break ends a sentence unless the text runs on in
			// lower case, as in a hard-wrapped letter.
			if !continuesLine(body[i+1:]) {
				endSentence(i, false)
			}
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '{' && i+1 < n && body[i+1] == '{':
			begin(i)
			j := strings.Index(body[i+2:], "}}")
			nl := strings.IndexByte(body[i+2:], '\n')
			if j < 0 || (nl >= 0 && nl < j) {
				i += 2 // broken: reported by the placeholder rule
				continue
			}
			name := strings.TrimSpace(body[i+2 : i+2+j])
			addTok(tPlaceholder, i, i+4+j, strings.ToLower(name), false)
			i += 4 + j
		case c == '.' || c == '!' || c == '?' || r == '…':
			begin(i)
			j := i + size
			for j < n && (body[j] == '.' || body[j] == '!' || body[j] == '?' || body[j] == '"' || body[j] == ')') {
				j++
			}
			if j >= n || body[j] == ' ' || body[j] == '\n' || body[j] == '\t' || body[j] == '\r' {
				if c == '.' && j == i+1 && len(d.toks) > 0 {
					last := d.toks[len(d.toks)-1]
					if int(last.end) == i && last.kind == tWord && abbreviations[last.norm] {
						i = j
						continue
					}
				}
				endSentence(j, c == '?' || strings.IndexByte(body[i:j], '?') >= 0)
			}
			i = j
		case c == '@' || c == '#':
			begin(i)
			j := i + 1
			for j < n {
				r2, s2 := utf8.DecodeRuneInString(body[j:])
				if !(isLetter(r2) || isDigit(r2) || r2 == '_') {
					break
				}
				j += s2
			}
			if j > i+1 {
				addTok(tMention, i, j, "", false)
			}
			i = j
		case c == '%' || r == '€' || c == '$' || r == '£':
			begin(i)
			addTok(tSymbol, i, i+size, body[i:i+size], false)
			i += size
		case isDigit(r):
			begin(i)
			j := i + 1
			for j < n {
				if isDigit(rune(body[j])) {
					j++
					continue
				}
				if (body[j] == '.' || body[j] == ',') && j+1 < n && isDigit(rune(body[j+1])) {
					j += 2
					continue
				}
				break
			}
			// A digit run glued to letters is a code (XX8644YY, 3G) unless
			// the letters are a unit: 48h, 10min.
			k := j
			for k < n {
				r2, s2 := utf8.DecodeRuneInString(body[k:])
				if !(isLetter(r2) || isDigit(r2)) {
					break
				}
				k += s2
			}
			if k > j && !isUnitSuffix(strings.ToLower(body[j:k])) {
				d.word(i, k)
				i = k
				continue
			}
			addTok(tNumber, i, j, body[i:j], false)
			i = j
		case isLetter(r):
			begin(i)
			j := i
			for j < n {
				r2, s2 := utf8.DecodeRuneInString(body[j:])
				if isLetter(r2) || isDigit(r2) {
					j += s2
					continue
				}
				if isApostrophe(r2) && j+s2 < n {
					r3, _ := utf8.DecodeRuneInString(body[j+s2:])
					if isLetter(r3) {
						j += s2
						continue
					}
				}
				if r2 == '@' && j+1 < n && isLetter(rune(body[j+1])) { // e-mail address
					k := j + 1
					for k < n && body[k] != ' ' && body[k] != '\n' && body[k] != '\t' && body[k] != ',' && body[k] != ';' {
						k++
					}
					for k > j+1 && strings.IndexByte(".)!?:", body[k-1]) >= 0 {
						k--
					}
					addTok(tEmail, i, k, "", false)
					j = -k
					break
				}
				break
			}
			if j < 0 {
				i = -j
				continue
			}
			w := body[i:j]
			if isURLStart(w, body[j:]) {
				k := j
				for k < n && body[k] != ' ' && body[k] != '\n' && body[k] != '\t' {
					k++
				}
				for k > j && strings.IndexByte(".,)!?:;", body[k-1]) >= 0 {
					k--
				}
				addTok(tURL, i, k, "", false)
				i = k
				continue
			}
			d.word(i, j)
			i = j
		default:
			if !unicode.IsSpace(r) && !unicode.IsPunct(r) && !unicode.IsSymbol(r) {
				begin(i)
			} else if sentStart < 0 && (c == '"' || c == '(' || c == '-' || r == '„' || r == '“' || r == '«') {
				begin(i)
			}
			i += size
		}
	}
	endSentence(n, false)
	if len(d.fold) > 0 {
		folded := string(d.fold)
		for i := range d.toks {
			if t := &d.toks[i]; t.fe > 0 {
				t.norm = folded[t.fs:t.fe]
			}
		}
	}
}

// word adds the word body[i:j] with its folded norm.
func (d *doc) word(i, j int) {
	w := d.body[i:j]
	caps, letters := true, 0
	start := len(d.fold)
	ascii := true
	for _, r := range w {
		if isLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				caps = false
			}
		}
		f := foldRune(r)
		if f < utf8.RuneSelf {
			d.fold = append(d.fold, byte(f))
		} else {
			ascii = false
			d.fold = utf8.AppendRune(d.fold, f)
		}
	}
	if ascii && isLowerASCII(w) {
		d.fold = d.fold[:start]
		d.add(tWord, i, j, w, caps && letters >= 2)
		return
	}
	// The norm is filled in from d.fold when the whole body is read, so
	// that all folded words share one allocation.
	d.add(tWord, i, j, "", caps && letters >= 2)
	t := &d.toks[len(d.toks)-1]
	t.fs, t.fe = int32(start), int32(len(d.fold))
}

// continuesLine reports whether the text after a line break carries on
// the sentence: the next line starts with a lower-case letter.
func continuesLine(rest string) bool {
	for i, r := range rest {
		switch {
		case r == ' ' || r == '\t' || r == '\r':
			continue
		case r == '\n':
			return false
		}
		_ = i
		return unicode.IsLower(r)
	}
	return false
}

func (d *doc) add(k tokKind, s, e int, norm string, caps bool) {
	d.toks = append(d.toks, token{kind: k, start: int32(s), end: int32(e), sent: int32(len(d.sents)), norm: norm, caps: caps})
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

func isURLStart(w, rest string) bool {
	if len(rest) < 2 || (rest[0] != ':' && rest[0] != '.') {
		return false
	}
	if (strings.EqualFold(w, "http") || strings.EqualFold(w, "https")) && strings.HasPrefix(rest, "://") {
		return true
	}
	if strings.EqualFold(w, "www") && rest[0] == '.' {
		return true
	}
	// bare domains: nordtel.ro/plata, amzn.to/x
	if rest[0] == '.' && len(rest) > 2 {
		k := 1
		for k < len(rest) && (rest[k] >= 'a' && rest[k] <= 'z') {
			k++
		}
		tld := rest[1:k]
		switch tld {
		case "com", "ro", "net", "org", "eu", "io", "co", "to", "ly", "me", "uk", "de":
			return k == len(rest) || rest[k] == '/' || rest[k] == ' ' || rest[k] == '\n' || ((rest[k] == '.' || rest[k] == ',' || rest[k] == ')') && (k+1 == len(rest) || rest[k+1] == ' ' || rest[k+1] == '\n'))
		}
	}
	return false
}

func isUnitSuffix(s string) bool {
	switch s {
	case "h", "hr", "hrs", "min", "mins", "s", "sec", "d", "zile", "ore", "lei", "ron", "eur", "usd", "gb", "mb", "mbps", "km", "l", "kg", "x", "st", "nd", "rd", "th", "pm", "am":
		return true
	}
	return false
}

// sentenceSpan returns a sentence's span without its final punctuation.
func (d *doc) sentenceSpan(i int) (int32, int32) {
	s := d.sents[i]
	e := s.end
	for e > s.start {
		r, size := utf8.DecodeLastRuneInString(d.body[s.start:e])
		if r == '.' || r == '!' || r == '?' || r == '…' || r == ':' || r == ';' || r == ',' {
			e -= int32(size)
			continue
		}
		break
	}
	return s.start, e
}

// position converts a byte offset in body into a 1-based line within the
// body and a 1-based column in characters.
func position(body string, off int) (line, col int) {
	line, col = 1, 1
	if off > len(body) {
		off = len(body)
	}
	for _, r := range body[:off] {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
