package saydo

import "golang.org/x/text/language"

// ParseLanguage reads a language code: an ISO 639 code or a BCP 47 tag
// (en, EN, eng, en-US, en_GB), returned as its language alone, in the two
// letters of ISO 639-1 where it has them (en). ok is false for what the
// language registry does not know (zz, english) and for "und", no
// language.
func ParseLanguage(s string) (lang string, ok bool) {
	t, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	base, conf := t.Base()
	if conf != language.Exact || base.String() == "und" {
		return "", false
	}
	return base.String(), true
}
