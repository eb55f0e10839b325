package saydo

import (
	"strings"
	"testing"
)

func TestRuleValidate(t *testing.T) {
	tokens := map[string][]string{"en": {"x"}}
	tests := []struct {
		name string
		r    Rule
		want string // "" for valid
	}{
		{"forbid", Rule{ID: "a.B", Kind: KindForbid, Tokens: tokens}, ""},
		{"no id", Rule{Kind: KindForbid, Tokens: tokens}, "missing id"},
		{"no kind", Rule{ID: "a.B"}, "missing kind"},
		{"forbid without tokens", Rule{ID: "a.B", Kind: KindForbid}, "needs tokens or patterns"},
		{"bad level", Rule{ID: "a.B", Kind: KindForbid, Tokens: tokens, Level: "fatal"}, "level must be"},
		{"bad channel", Rule{ID: "a.B", Kind: KindForbid, Tokens: tokens, Channels: []string{"fax"}}, `unknown channel "fax"`},
		{"substitute", Rule{ID: "a.B", Kind: KindSubstitute}, "needs swap"},
		{"limit words", Rule{ID: "a.B", Kind: KindLimit, Unit: UnitWords, Max: 50}, ""},
		{"limit without bound", Rule{ID: "a.B", Kind: KindLimit, Unit: UnitWords}, "needs max or min"},
		{"min over max", Rule{ID: "a.B", Kind: KindLimit, Unit: UnitWords, Max: 2, Min: 3}, "greater than max"},
		{"readability", Rule{ID: "a.B", Kind: KindReadability}, "needs max"},
		{"bad pattern", Rule{ID: "a.B", Kind: KindForbid, Patterns: map[string][]string{"en": {"(x"}}}, "missing closing )"},
		{"empty match", Rule{ID: "a.B", Kind: KindForbid, Patterns: map[string][]string{"en": {"x?"}}}, "matches the empty string"},
		{"builtin", Rule{ID: RuleTone, Kind: KindBuiltin}, ""},
		{"not builtin", Rule{ID: "saydo.Nope", Kind: KindBuiltin}, "no built-in rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestRuleApplies(t *testing.T) {
	r := Rule{ID: "a.B", Channels: []string{"sms"}, Languages: []string{"ro"}}
	tests := []struct {
		m    Message
		want bool
	}{
		{Message{Channel: "sms", Lang: "ro"}, true},
		{Message{Channel: "SMS", Lang: "ro"}, true},
		{Message{Channel: "email", Lang: "ro"}, false},
		{Message{Channel: "sms", Lang: "en"}, false},
		{Message{Channel: "sms"}, true},
	}
	for _, tt := range tests {
		if got := r.Applies(&tt.m); got != tt.want {
			t.Errorf("Applies(%+v) = %v, want %v", tt.m, got, tt.want)
		}
	}
	off := Rule{ID: "a.B", Disabled: true}
	if off.Applies(&Message{}) {
		t.Error("a disabled rule applies, want not")
	}
}
