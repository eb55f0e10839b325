package yaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/saydo/saydo"
	yamlv3 "go.yaml.in/yaml/v3"
)

// StyleDir is the folder of a workspace that holds its style rules.
const StyleDir = "style"

var (
	styleKeys = []string{"rules", "disable", "saydo"}
	ruleKeys  = []string{"id", "kind", "level", "message", "suggestion", "channels", "departments",
		"languages", "tokens", "patterns", "swap", "case", "max", "min", "scope", "unit", "options", "disabled"}
	ruleIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	ruleLangKey   = regexp.MustCompile(`^([a-z]{2}|\*)$`)
	optionPattern = regexp.MustCompile(`^[a-z0-9_.-]+$`)
	levelNames    = []string{string(saydo.LevelError), string(saydo.LevelWarning), string(saydo.LevelSuggestion)}
	kindNames     = func() []string {
		var s []string
		for _, k := range saydo.RuleKinds {
			s = append(s, string(k))
		}
		return s
	}()
	scopeNames = []string{string(saydo.ScopeMessage), string(saydo.ScopeSentence)}
	unitNames  = []string{string(saydo.UnitOccurrences), string(saydo.UnitWords), string(saydo.UnitChars), string(saydo.UnitSentences), string(saydo.UnitSegments)}
)

// LoadStyle reads the style rules of the workspace in dir: every
// style/*.yaml (and *.yml) in name order. A workspace without a style
// folder has no rules. Problems come back as a saydo.ErrorList of
// *saydo.PosError (file:line:col), every one found in one pass.
//
// A file holds one rule (a mapping with an id), a list of rules, or a
// mapping with any of:
//
//	rules:   [ ... ]            # rules, as below
//	disable: [saydo.Tone]       # built-in rules to turn off
//	saydo: false                # turn the whole built-in pack off
//
// and may hold several YAML documents separated by ---. A rule whose id is
// a built-in one (saydo.SMSLength) tunes it: level, message, suggestion,
// scoping, max, options, extra tokens.
func LoadStyle(dir string) ([]saydo.Rule, error) {
	styleDir := filepath.Join(dir, StyleDir)
	entries, err := os.ReadDir(styleDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load style: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && !strings.HasPrefix(n, ".") && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var rules []saydo.Rule
	var errs saydo.ErrorList
	seen := map[string]saydo.Pos{}
	for _, n := range names {
		name := filepath.Join(styleDir, n)
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("load style: %w", err)
		}
		rs, err := ParseStyle(name, data)
		var list saydo.ErrorList
		switch {
		case errors.As(err, &list):
			errs = append(errs, list...)
		case err != nil:
			return nil, err
		}
		for _, r := range rs {
			if p, dup := seen[r.ID]; dup {
				errs = append(errs, &saydo.PosError{Pos: r.Pos, Msg: fmt.Sprintf("duplicate rule id %q (first at %s)", r.ID, p)})
				continue
			}
			seen[r.ID] = r.Pos
			rules = append(rules, r)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return rules, nil
}

// ParseStyle reads one style file; filename is used in error positions.
// It returns every problem as a saydo.ErrorList of *saydo.PosError and no
// rules when there is any.
func ParseStyle(filename string, data []byte) ([]saydo.Rule, error) {
	c := &checker{file: filename, lines: strings.Split(string(data), "\n")}
	var rules []saydo.Rule
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	for {
		var doc yamlv3.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			c.syntaxError(err)
			break
		}
		if len(doc.Content) == 0 {
			continue
		}
		rules = append(rules, c.styleDoc(resolve(doc.Content[0]))...)
	}
	seen := map[string]int{}
	for _, r := range rules {
		if line, dup := seen[r.ID]; dup {
			c.errorAt(r.Pos.Line, r.Pos.Col, "duplicate rule id %q (first at line %d)", r.ID, line)
		}
		seen[r.ID] = r.Pos.Line
	}
	if len(c.errs) > 0 {
		c.errs.SortByPos()
		return nil, c.errs
	}
	return rules, nil
}

func (c *checker) styleDoc(n *yamlv3.Node) []saydo.Rule {
	switch {
	case n.Kind == yamlv3.ScalarNode && n.Tag == "!!null":
		return nil
	case n.Kind == yamlv3.SequenceNode:
		return c.ruleList(n)
	case n.Kind != yamlv3.MappingNode:
		c.errorf(n, "want a rule, a list of rules, or a mapping with rules, disable and saydo; got %s", kindName(n))
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "id" {
			if r, ok := c.rule(n); ok {
				return []saydo.Rule{r}
			}
			return nil
		}
	}
	fields := c.mapping(n, "style file", styleKeys)
	var out []saydo.Rule
	if f, ok := fields["saydo"]; ok {
		if on, ok := c.boolean(f, "saydo: want true or false (false turns the built-in pack off)"); ok && !on {
			out = append(out, saydo.Rule{ID: saydo.Pack, Kind: saydo.KindBuiltin, Disabled: true, Pos: c.pos(f.key)})
		}
	}
	if f, ok := fields["disable"]; ok {
		items := []*yamlv3.Node{f.val}
		if f.val.Kind == yamlv3.SequenceNode {
			items = f.val.Content
		}
		for _, it := range items {
			it = resolve(it)
			if it.Kind != yamlv3.ScalarNode || it.Tag == "!!null" {
				c.errorf(it, "disable: want built-in rule ids such as saydo.Tone, got %s", kindName(it))
				continue
			}
			if it.Value != saydo.Pack && !contains(saydo.BuiltinRules, it.Value) {
				hint := ""
				if s := saydo.Suggest(it.Value, saydo.BuiltinRules); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", s)
				} else {
					hint = " (built-in rules: " + strings.Join(saydo.BuiltinRules, ", ") + ")"
				}
				c.errorf(it, "disable: %q is not a built-in rule%s", it.Value, hint)
				continue
			}
			out = append(out, saydo.Rule{ID: it.Value, Kind: saydo.KindBuiltin, Disabled: true, Pos: c.pos(it)})
		}
	}
	if f, ok := fields["rules"]; ok {
		if f.val.Kind != yamlv3.SequenceNode {
			c.errorf(f.val, "rules: want a list of rules, got %s", kindName(f.val))
		} else {
			out = append(out, c.ruleList(f.val)...)
		}
	}
	return out
}

func (c *checker) ruleList(n *yamlv3.Node) []saydo.Rule {
	var out []saydo.Rule
	for _, it := range n.Content {
		if r, ok := c.rule(resolve(it)); ok {
			out = append(out, r)
		}
	}
	return out
}

// rule reads one rule mapping; ok is false when it had errors.
func (c *checker) rule(n *yamlv3.Node) (saydo.Rule, bool) {
	before := len(c.errs)
	fields := c.mapping(n, "rule", ruleKeys)
	if fields == nil {
		return saydo.Rule{}, false
	}
	r := saydo.Rule{Pos: c.pos(n)}
	if f, ok := fields["id"]; ok {
		r.ID = c.str(f, "id")
		r.Pos = c.pos(f.val)
		if !ruleIDPattern.MatchString(r.ID) {
			c.errorf(f.val, "id: want letters, digits, dots, dashes and underscores (such as nordtel.NoJargon), got %q", r.ID)
		}
	} else {
		c.missing(fields, "id", n, "rule: missing id (such as id: nordtel.NoJargon)")
	}
	what := "rule " + r.ID
	builtin := r.IsBuiltin()
	if strings.HasPrefix(r.ID, saydo.Pack+".") && !builtin {
		f := fields["id"]
		hint := " (built-in rules: " + strings.Join(saydo.BuiltinRules, ", ") + ")"
		if s := saydo.Suggest(r.ID, saydo.BuiltinRules); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		c.errorf(f.val, "id: %q is not a built-in rule; the saydo. prefix is reserved%s", r.ID, hint)
	}
	if f, ok := fields["kind"]; ok {
		k := c.str(f, what+": kind")
		switch {
		case builtin && k != string(saydo.KindBuiltin):
			c.errorf(f.val, "%s: a built-in rule keeps its kind; remove kind to tune it", what)
		case !builtin && !contains(kindNames, k):
			c.errorf(f.val, "%s: unknown kind %q (want one of %s)", what, k, strings.Join(kindNames, ", "))
		}
		r.Kind = saydo.RuleKind(k)
	} else if builtin {
		r.Kind = saydo.KindBuiltin
	} else {
		c.missing(fields, "kind", n, "%s: missing kind (one of %s)", what, strings.Join(kindNames, ", "))
	}
	if f, ok := fields["level"]; ok {
		l := c.str(f, what+": level")
		if !contains(levelNames, l) {
			c.errorf(f.val, "%s: level must be error, warning or suggestion, got %q", what, l)
		}
		r.Level = saydo.Level(l)
	}
	if f, ok := fields["message"]; ok {
		r.Message = c.str(f, what+": message")
	}
	if f, ok := fields["suggestion"]; ok {
		r.Suggestion = c.str(f, what+": suggestion")
	}
	if f, ok := fields["channels"]; ok {
		r.Channels = c.strList(f, what+": channels")
		c.oneOf(f.val, r.Channels, saydo.Channels, what+": channels", "channel")
	}
	if f, ok := fields["departments"]; ok {
		r.Departments = c.strList(f, what+": departments")
	}
	if f, ok := fields["languages"]; ok {
		r.Languages = c.strList(f, what+": languages")
		for i, l := range r.Languages {
			if !isoLang(l) {
				c.errorf(itemNode(f.val, i), "%s: languages: %q is not an ISO 639-1 code (such as en, ro)", what, l)
			}
		}
	}
	if f, ok := fields["case"]; ok {
		r.CaseSensitive, _ = c.boolean(f, what+": case: want true (match case) or false")
	}
	if f, ok := fields["disabled"]; ok {
		r.Disabled, _ = c.boolean(f, what+": disabled: want true or false")
	}
	if f, ok := fields["tokens"]; ok {
		r.Tokens = c.perLang(f, what+": tokens")
	}
	if f, ok := fields["patterns"]; ok {
		r.Patterns = c.patterns(f, what+": patterns", r.CaseSensitive)
	}
	if f, ok := fields["swap"]; ok {
		r.Swap = c.swap(f, what+": swap")
	}
	for _, k := range []string{"max", "min"} {
		f, ok := fields[k]
		if !ok {
			continue
		}
		v, err := strconv.Atoi(f.val.Value)
		if f.val.Kind != yamlv3.ScalarNode || f.val.Tag != "!!int" || err != nil || v < 0 {
			c.errorf(f.val, "%s: %s: want a whole number ≥ 0, got %s", what, k, kindName(f.val))
			continue
		}
		if k == "max" {
			r.Max = v
		} else {
			r.Min = v
		}
	}
	if f, ok := fields["scope"]; ok {
		s := c.str(f, what+": scope")
		if !contains(scopeNames, s) {
			c.errorf(f.val, "%s: scope must be message or sentence, got %q", what, s)
		}
		r.Scope = saydo.Scope(s)
	}
	if f, ok := fields["unit"]; ok {
		u := c.str(f, what+": unit")
		if !contains(unitNames, u) {
			c.errorf(f.val, "%s: unit must be one of %s, got %q", what, strings.Join(unitNames, ", "), u)
		}
		r.Unit = saydo.Unit(u)
	}
	if f, ok := fields["options"]; ok {
		opts := c.mapping(f.val, what+": options", nil)
		if opts != nil {
			r.Options = map[string]string{}
			for k, o := range opts {
				if !optionPattern.MatchString(k) {
					c.errorf(o.key, "%s: options: %q is not an option name", what, k)
					continue
				}
				if o.val.Kind != yamlv3.ScalarNode {
					c.errorf(o.val, "%s: options: %s: want a value, got %s", what, k, kindName(o.val))
					continue
				}
				r.Options[k] = o.val.Value
			}
		}
	}
	if len(c.errs) > before {
		return r, false
	}
	// What needs the whole rule: kind against its fields.
	if err := r.Validate(); err != nil {
		var list saydo.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				var pe *saydo.PosError
				if errors.As(e, &pe) {
					c.errorAt(pe.Line, pe.Col, "%s", pe.Msg)
				}
			}
		}
		return r, false
	}
	return r, true
}

func itemNode(n *yamlv3.Node, i int) *yamlv3.Node {
	if n.Kind == yamlv3.SequenceNode && i < len(n.Content) {
		return n.Content[i]
	}
	return n
}

func (c *checker) oneOf(n *yamlv3.Node, got, known []string, what, noun string) {
	for i, v := range got {
		if !contains(known, v) {
			c.errorf(itemNode(n, i), "%s: unknown %s %q (want one of %s)", what, noun, v, strings.Join(known, ", "))
		}
	}
}

// perLang reads a list (every language) or a mapping of language to list.
func (c *checker) perLang(f field, what string) map[string][]string {
	n := f.val
	if n.Kind == yamlv3.SequenceNode || n.Kind == yamlv3.ScalarNode {
		l := c.strList(f, what)
		if len(l) == 0 {
			return nil
		}
		return map[string][]string{saydo.AnyLanguage: l}
	}
	fields := c.mapping(n, what, nil)
	out := map[string][]string{}
	for lang, lf := range fields {
		if !ruleLangKey.MatchString(lang) {
			c.errorf(lf.key, "%s: %q is not a language code (such as en, ro, or * for every language)", what, lang)
			continue
		}
		if l := c.strList(lf, what+": "+lang); len(l) > 0 {
			out[lang] = l
		}
	}
	return out
}

// patterns reads regular expressions, compiling each where it is written.
func (c *checker) patterns(f field, what string, caseSensitive bool) map[string][]string {
	out := c.perLang(f, what)
	// Walk the nodes again to report each bad pattern at its position.
	var check func(n *yamlv3.Node, lang string)
	check = func(n *yamlv3.Node, lang string) {
		n = resolve(n)
		switch n.Kind {
		case yamlv3.SequenceNode:
			for _, it := range n.Content {
				check(it, lang)
			}
		case yamlv3.ScalarNode:
			if n.Tag == "!!null" {
				return
			}
			if _, err := saydo.CompilePattern(n.Value, caseSensitive); err != nil {
				c.errorf(n, "%s: %q: invalid regular expression: %v", what, n.Value, err)
			}
		case yamlv3.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				check(n.Content[i+1], n.Content[i].Value)
			}
		}
	}
	check(f.val, saydo.AnyLanguage)
	return out
}

// swap reads {avoid: use} for every language, or {lang: {avoid: use}}.
func (c *checker) swap(f field, what string) map[string]map[string]string {
	fields := c.mapping(f.val, what, nil)
	if fields == nil {
		return nil
	}
	perLang := false
	for _, sf := range fields {
		if sf.val.Kind == yamlv3.MappingNode {
			perLang = true
		}
	}
	out := map[string]map[string]string{}
	read := func(lang string, m map[string]field, what string) {
		for from, tf := range m {
			if tf.val.Kind != yamlv3.ScalarNode || tf.val.Tag == "!!null" || strings.TrimSpace(tf.val.Value) == "" {
				c.errorf(tf.val, "%s: %q: want the term to use instead, got %s", what, from, kindName(tf.val))
				continue
			}
			if strings.TrimSpace(from) == "" {
				c.errorf(tf.key, "%s: empty term", what)
				continue
			}
			if out[lang] == nil {
				out[lang] = map[string]string{}
			}
			out[lang][from] = tf.val.Value
		}
	}
	if !perLang {
		read(saydo.AnyLanguage, fields, what)
		return out
	}
	for lang, lf := range fields {
		if !ruleLangKey.MatchString(lang) {
			c.errorf(lf.key, "%s: %q is not a language code (such as en, ro, or *)", what, lang)
			continue
		}
		if m := c.mapping(lf.val, what+": "+lang, nil); m != nil {
			read(lang, m, what+": "+lang)
		}
	}
	return out
}
