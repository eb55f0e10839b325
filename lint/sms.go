package lint

import "unicode/utf8"

// Encoding is how an SMS is sent.
type Encoding string

// SMS encodings.
const (
	GSM7 Encoding = "GSM-7"
	UCS2 Encoding = "UCS-2"
)

// gsmBasic is the GSM 03.38 basic character set (one septet each).
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension is the GSM 03.38 extension table: each character takes an
// escape septet and its own, so counts 2.
const gsmExtension = "^{}\\[~]|€\f"

var (
	gsmASCII   [128]uint8 // 1 basic, 2 extension, 0 not GSM
	gsmUnicode = map[rune]uint8{}
)

func init() {
	for _, r := range gsmBasic {
		if r < 128 {
			gsmASCII[r] = 1
		} else {
			gsmUnicode[r] = 1
		}
	}
	for _, r := range gsmExtension {
		if r < 128 {
			gsmASCII[r] = 2
		} else {
			gsmUnicode[r] = 2
		}
	}
}

// gsmWidth returns the septets r takes in GSM-7, 0 when it is not in the
// GSM-7 alphabet.
func gsmWidth(r rune) int {
	if r < 128 {
		return int(gsmASCII[r])
	}
	return int(gsmUnicode[r])
}

// SMS is how a text travels as SMS.
type SMS struct {
	Encoding Encoding
	// Units is the length in septets (GSM-7) or UTF-16 code units (UCS-2).
	Units int
	// Segments is how many SMS the text takes.
	Segments int
	// PerSegment is the capacity of each segment: 160/153 septets or
	// 70/67 code units.
	PerSegment int
	// NonGSM is the first character that forced UCS-2, 0 for GSM-7.
	NonGSM rune
}

// CountSMS returns how text is sent as SMS: GSM-7 when every character is
// in the GSM 03.38 alphabet (extension characters such as € count 2),
// UCS-2 otherwise; one segment up to 160 septets or 70 code units, else
// concatenated segments of 153 or 67 in which a two-unit character is
// never split.
func CountSMS(text string) SMS {
	return countSMS(text, nil)
}

// countSMS counts text; when overflow is not nil it is called with the
// byte offset of every character that starts a new segment.
func countSMS(text string, newSegment func(seg, off int)) SMS {
	s := SMS{Encoding: GSM7}
	for _, r := range text {
		w := gsmWidth(r)
		if w == 0 {
			s.Encoding, s.NonGSM = UCS2, r
			break
		}
		s.Units += w
	}
	single, multi := 160, 153
	if s.Encoding == UCS2 {
		single, multi = 70, 67
		s.Units = 0
		for _, r := range text {
			s.Units += utf16Len(r)
		}
	}
	if s.Units <= single {
		s.Segments, s.PerSegment = 1, single
		if s.Units == 0 {
			s.Segments = 0
		}
		return s
	}
	s.PerSegment = multi
	seg, used := 1, 0
	for off, r := range text {
		w := utf16Len(r)
		if s.Encoding == GSM7 {
			w = gsmWidth(r)
		}
		if used+w > multi {
			seg++
			used = 0
			if newSegment != nil {
				newSegment(seg, off)
			}
		}
		used += w
	}
	s.Segments = seg
	return s
}

func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}

// gsmTransliterate replaces Romanian diacritics and typographic quotes
// with their GSM-7 forms, as a sender would to stay in GSM-7.
func gsmTransliterate(r rune) rune {
	switch r {
	case 'ă', 'â':
		return 'a'
	case 'Ă', 'Â':
		return 'A'
	case 'î':
		return 'i'
	case 'Î':
		return 'I'
	case 'ș', 'ş':
		return 's'
	case 'Ș', 'Ş':
		return 'S'
	case 'ț', 'ţ':
		return 't'
	case 'Ț', 'Ţ':
		return 'T'
	case '’', '‘':
		return '\''
	case '“', '”', '„':
		return '"'
	case '–', '—':
		return '-'
	case '…':
		return '.'
	}
	return r
}
