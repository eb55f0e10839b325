package yaml

import (
	"errors"
	"strings"
	"testing"

	"github.com/saydo/saydo"
)

func TestLoadStyle(t *testing.T) {
	rules, err := LoadStyle("testdata/style/ok")
	if err != nil {
		t.Fatalf("LoadStyle: %v", err)
	}
	byID := map[string]saydo.Rule{}
	for _, r := range rules {
		byID[r.ID] = r
	}
	tests := []struct {
		id   string
		kind saydo.RuleKind
		want func(saydo.Rule) bool
	}{
		{"saydo.Readability", saydo.KindBuiltin, func(r saydo.Rule) bool { return r.Disabled }},
		{"nordtel.NoJargon", saydo.KindForbid, func(r saydo.Rule) bool {
			return len(r.Tokens["en"]) == 3 && r.Tokens["ro"][0] == "sinergie" && r.Level == saydo.LevelWarning
		}},
		{"nordtel.Customer", saydo.KindSubstitute, func(r saydo.Rule) bool {
			return r.Swap["en"]["client"] == "customer" && r.Swap["ro"]["abonat"] == "client"
		}},
		{"nordtel.SignOff", saydo.KindRequire, func(r saydo.Rule) bool { return r.Tokens[saydo.AnyLanguage][0] == "Nordtel" && len(r.Channels) == 2 }},
		{"nordtel.Exclaim", saydo.KindLimit, func(r saydo.Rule) bool { return r.Max == 1 && r.Patterns[saydo.AnyLanguage][0] == "!" }},
		{"saydo.SMSLength", saydo.KindBuiltin, func(r saydo.Rule) bool { return r.Max == 2 && r.Options["placeholder_length"] == "12" }},
		{"nordtel.ShortSentences", saydo.KindReadability, func(r saydo.Rule) bool { return r.Max == 20 && r.Languages[0] == "en" }},
	}
	for _, tt := range tests {
		r, ok := byID[tt.id]
		if !ok {
			t.Errorf("rule %s: missing; got %d rules", tt.id, len(rules))
			continue
		}
		if r.Kind != tt.kind || !tt.want(r) {
			t.Errorf("rule %s: got %+v, want kind %s and the fields of the file", tt.id, r, tt.kind)
		}
		if r.Pos.File == "" || r.Pos.Line == 0 {
			t.Errorf("rule %s: got position %v, want file:line:col", tt.id, r.Pos)
		}
	}
	if got, err := LoadStyle(t.TempDir()); err != nil || got != nil {
		t.Errorf("LoadStyle(no style folder) = %v, %v; want nil, nil", got, err)
	}
}

func TestParseStyleErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each error, as file:line:col: message prefix
	}{
		{"unknown key", "id: a.B\nkind: forbid\ntokens: [x]\nlevle: error\n",
			[]string{`s.yaml:4:1: unknown key "levle" in rule (did you mean "level"?)`}},
		{"bad regex", "id: a.B\nkind: forbid\npatterns:\n  en: ['(unclosed']\n",
			[]string{`s.yaml:4:8: rule a.B: patterns: "(unclosed": invalid regular expression: missing closing )`}},
		{"empty-matching regex", "id: a.B\nkind: forbid\npatterns: ['x*']\n",
			[]string{`s.yaml:3:12: rule a.B: patterns: "x*": invalid regular expression: matches the empty string`}},
		{"bad kind", "id: a.B\nkind: forbidd\ntokens: [x]\n",
			[]string{`s.yaml:2:7: rule a.B: unknown kind "forbidd"`}},
		{"missing kind", "id: a.B\ntokens: [x]\n",
			[]string{`s.yaml:1:1: rule a.B: missing kind`}},
		{"bad level", "id: a.B\nkind: forbid\nlevel: fatal\ntokens: [x]\n",
			[]string{`s.yaml:3:8: rule a.B: level must be error, warning or suggestion, got "fatal"`}},
		{"bad channel", "id: a.B\nkind: forbid\nchannels: [sms, fax]\ntokens: [x]\n",
			[]string{`s.yaml:3:17: rule a.B: channels: unknown channel "fax"`}},
		{"forbid without tokens", "id: a.B\nkind: forbid\n",
			[]string{`s.yaml:1:5: rule a.B: forbid needs tokens or patterns`}},
		{"limit without max", "id: a.B\nkind: limit\nunit: words\n",
			[]string{`s.yaml:1:5: rule a.B: limit needs max or min`}},
		{"negative max", "id: a.B\nkind: readability\nmax: -3\n",
			[]string{`s.yaml:3:6: rule a.B: max: want a whole number`}},
		{"unknown built-in", "disable: [saydo.Tonne]\n",
			[]string{`s.yaml:1:11: disable: "saydo.Tonne" is not a built-in rule (did you mean "saydo.Tone"?)`}},
		{"reserved prefix", "id: saydo.Mine\nkind: forbid\ntokens: [x]\n",
			[]string{`s.yaml:1:5: id: "saydo.Mine" is not a built-in rule; the saydo. prefix is reserved`}},
		{"pack switch", "saydo: maybe\n",
			[]string{`s.yaml:1:8: saydo: want true or false`}},
		{"duplicate ids", "rules:\n  - {id: a.B, kind: forbid, tokens: [x]}\n  - {id: a.B, kind: forbid, tokens: [y]}\n",
			[]string{`s.yaml:3:10: duplicate rule id "a.B" (first at line 2)`}},
		{"syntax", "id: a.B\n  kind: [\n",
			[]string{`s.yaml:2:3: invalid YAML`}},
		{"swap value", "id: a.B\nkind: substitute\nswap: {client: [a, b]}\n",
			[]string{`s.yaml:3:16: rule a.B: swap: "client": want the term to use instead, got a list`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStyle("s.yaml", []byte(tt.src))
			var list saydo.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			if len(list) != len(tt.want) {
				t.Fatalf("got %d errors %v, want %d: %v", len(list), list, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if got := list[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("error %d: got %q, want prefix %q", i, got, w)
				}
			}
		})
	}
}

func TestParseStyleForms(t *testing.T) {
	tests := []struct {
		name, src string
		want      int
	}{
		{"one rule", "id: a.B\nkind: forbid\ntokens: [x]\n", 1},
		{"list", "- {id: a.B, kind: forbid, tokens: [x]}\n- {id: a.C, kind: require, tokens: [y]}\n", 2},
		{"documents", "id: a.B\nkind: forbid\ntokens: [x]\n---\nid: a.C\nkind: forbid\ntokens: [y]\n", 2},
		{"pack off", "saydo: false\n", 1},
		{"tune", "id: saydo.Tone\nlevel: error\ntokens: {en: [whatever]}\n", 1},
		{"empty", "# nothing yet\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := ParseStyle("s.yaml", []byte(tt.src))
			if err != nil {
				t.Fatalf("ParseStyle: %v", err)
			}
			if len(rules) != tt.want {
				t.Errorf("got %d rules %+v, want %d", len(rules), rules, tt.want)
			}
		})
	}
}

func FuzzParseStyle(f *testing.F) {
	f.Add([]byte("id: a.B\nkind: forbid\ntokens: [x]\n"))
	f.Add([]byte("disable: [saydo.Tone]\nrules:\n  - {id: a.B, kind: limit, unit: words, max: 3}\n"))
	f.Add([]byte("id: a.B\nkind: substitute\nswap: {en: {a: b}}\npatterns: ['(?i)x+']\n"))
	f.Add([]byte("saydo: false\n---\n- id: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := ParseStyle("f.yaml", data)
		if err != nil {
			var list saydo.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			for _, e := range list {
				var pe *saydo.PosError
				if !errors.As(e, &pe) || pe.Line < 1 || pe.Col < 1 {
					t.Fatalf("error without a position: %v", e)
				}
			}
			return
		}
		for _, r := range rules {
			if r.ID == "" {
				t.Fatalf("rule without id: %+v", r)
			}
		}
	})
}
