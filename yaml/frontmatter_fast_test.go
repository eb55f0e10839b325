package yaml

import (
	"reflect"
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

// fastAgrees checks that when the fast path accepts front matter, the YAML
// path reads the same message from it without errors.
func fastAgrees(t *testing.T, fm string) bool {
	t.Helper()
	base := saydo.Message{ID: "file", Channel: "email"}
	fast := base
	if !fastFrontMatter(fm, &fast) {
		return false
	}
	full := base
	c := &checker{file: "m.txt", lines: strings.Split(fm, "\n")}
	c.yamlFrontMatter(fm, &full)
	if len(c.errs) > 0 {
		t.Errorf("fast path accepted %q, YAML path found: %v", fm, c.errs)
	}
	if !reflect.DeepEqual(fast, full) {
		t.Errorf("front matter %q:\nfast %+v\nyaml %+v", fm, fast, full)
	}
	return true
}

func TestFastFrontMatter(t *testing.T) {
	tests := []struct {
		fm   string
		fast bool // whether the fast path should take it
	}{
		{"---\nid: overdue-sms\nchannel: sms\ndepartment: collections\nstage: billing\nlang: ro\ntrigger: Card balance unpaid on the due date\nvariables: [client_code, date, amount]", true},
		{"---\nid: a\ntrigger: \"Quoted: with colon\"\nvariables: []", true},
		{"---\nid: a\ntrigger: 'single'", true},
		{"---\n# a comment\nid: a\n\nchannel: push", true},
		{"---\nid: 123", false},                  // a number in YAML
		{"---\nid: a # trailing comment", false}, // YAML drops the comment
		{"---\nid: a\nid: b", false},             // duplicate key: an error to report
		{"---\nidd: a", false},                   // unknown key: an error to report
		{"---\nchannel: fax", false},             // invalid value: an error to report
		{"---\nvariables:\n  - a\n  - b", false}, // block list
		{"---\ntrigger: yes", false},             // YAML 1.1 boolean look-alike
		{"---\ntrigger: a: b", false},            // a mapping in YAML
		{"---\ntrigger: \"esc\\\"aped\"", false}, // escapes
		{"---\nid:a", false},                     // not a key: value pair
		{"---\ndepartment:", false},              // null
		{"---\ntrigger: it's fine, really", true},
		{"---\nlang: EN", false},
	}
	for _, tt := range tests {
		if got := fastAgrees(t, tt.fm); got != tt.fast {
			t.Errorf("fast path took %q: %v, want %v", tt.fm, got, tt.fast)
		}
	}
}

func FuzzFastFrontMatter(f *testing.F) {
	f.Add("---\nid: a\nchannel: sms\nvariables: [x, y]\ntrigger: due date")
	f.Add("---\ntrigger: 'a'\nlang: en")
	f.Fuzz(func(t *testing.T, fm string) {
		fastAgrees(t, fm)
	})
}
