package saydo

import "testing"

// TestParseLanguage: codes and tags from the IANA language subtag
// registry (RFC 5646) are read as their language; others are not.
func TestParseLanguage(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"en", "en", true}, {"EN", "en", true}, {"eng", "en", true}, {"en-US", "en", true}, {"en_GB", "en", true},
		{"ro", "ro", true}, {"ron", "ro", true}, {"ro-RO", "ro", true}, {"fil", "fil", true},
		{"zz", "", false}, {"xx", "", false}, {"english", "", false}, {"und", "", false}, {"", "", false}, {"e", "", false},
	} {
		got, ok := ParseLanguage(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseLanguage(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
