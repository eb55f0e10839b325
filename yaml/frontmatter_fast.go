package yaml

import (
	"strings"
	"unicode/utf8"

	"github.com/saydo/saydo"
)

// fastFrontMatter reads the front matter most message files have — one
// "key: value" per line, plain or simply quoted scalars, flow lists of
// plain words — without building a YAML node tree, which is most of the
// cost of loading a large catalogue. It fills m and returns true only when
// every line has that form and every value is valid; anything else (a
// comment after a value, a number, a block list, an unknown or repeated
// key, an invalid value) returns false and the full YAML path reads the
// file, with its exact error positions.
func fastFrontMatter(fm string, m *saydo.Message) bool {
	if !utf8.ValidString(fm) {
		return false
	}
	for _, r := range fm {
		// What YAML refuses or reads specially: control characters, C1,
		// a byte order mark inside, non-characters; tabs and lone CRs.
		if (r < 0x20 && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f) || r == 0xfeff || r == 0xfffe || r == 0xffff || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	out := *m
	seen := 0 // bit per key of messageKeys
	for _, line := range strings.Split(fm, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.ContainsRune(line, '\r') {
			return false
		}
		line = strings.TrimRight(line, " ")
		if line == "" || line == "---" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok || key == "" || key != strings.TrimSpace(key) || strings.ContainsAny(key, "\t\"'") {
			return false
		}
		k := -1
		for i, mk := range messageKeys {
			if mk == key {
				k = i
			}
		}
		if k < 0 || seen&(1<<k) != 0 {
			return false
		}
		seen |= 1 << k
		if val != "" && val[0] != ' ' {
			return false
		}
		val = strings.TrimSpace(val)
		if key == "suppress" {
			return false // a list of conditions: YAML reads it
		}
		if key == "variables" {
			list, ok := fastFlowList(val)
			if !ok {
				return false
			}
			for _, v := range list {
				if !variableRe.MatchString(v) {
					return false
				}
			}
			out.Variables = list
			continue
		}
		s, ok := fastScalar(val)
		if !ok {
			return false
		}
		switch key {
		case "id":
			if !messageIDRe.MatchString(s) {
				return false
			}
			out.ID = s
		case "channel":
			if !contains(saydo.Channels, s) {
				return false
			}
			out.Channel = s
		case "department":
			out.Department = s
		case "stage":
			if !validStage(saydo.Stage(s)) {
				return false
			}
			out.Stage = saydo.Stage(s)
		case "lang":
			if s != "" && !isoLang(s) {
				return false
			}
			out.Lang = s
		case "trigger":
			out.Trigger = s
		case "intent":
			if !saydo.ValidIntent(s) {
				return false
			}
			out.Intent = saydo.Intent(s)
		}
	}
	*m = out
	return true
}

// fastScalar reads a plain or simply quoted YAML scalar that is text; it
// refuses whatever YAML could read as something else or as more.
func fastScalar(v string) (string, bool) {
	if v == "" {
		return "", false // null: let YAML decide what that means here
	}
	switch v[0] {
	case '"':
		if len(v) < 2 || v[len(v)-1] != '"' || strings.ContainsAny(v[1:len(v)-1], "\"\\") {
			return "", false
		}
		return v[1 : len(v)-1], true
	case '\'':
		if len(v) < 2 || v[len(v)-1] != '\'' || strings.Contains(v[1:len(v)-1], "'") {
			return "", false
		}
		return v[1 : len(v)-1], true
	}
	if strings.ContainsAny(v[:1], "-?:,[]{}#&*!|>%@`+.0123456789~") || strings.Contains(v, ": ") ||
		strings.Contains(v, " #") || strings.HasSuffix(v, ":") || strings.ContainsRune(v, '\t') {
		return "", false
	}
	switch strings.ToLower(v) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n":
		return "", false
	}
	return v, true
}

// fastFlowList reads "[a, b, c]" of plain words.
func fastFlowList(v string) ([]string, bool) {
	if len(v) < 2 || v[0] != '[' || v[len(v)-1] != ']' {
		return nil, false
	}
	inner := strings.TrimSpace(v[1 : len(v)-1])
	if inner == "" {
		return []string{}, true
	}
	var out []string
	for _, item := range strings.Split(inner, ",") {
		s, ok := fastScalar(strings.TrimSpace(item))
		if !ok || strings.ContainsAny(s, "[]{}") {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}
