package lint

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/saydo/saydo"
)

// match is one occurrence of a workspace rule's tokens or patterns.
type match struct {
	s, e int32
	repl string
}

// matches returns the occurrences of a rule's tokens, swaps and patterns
// in the message's language, in body order, without overlaps.
func (c *check) matches(r *wsRule) []match {
	var out []match
	for _, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if e.cat != r.cat || e.lang&c.mask == 0 {
			continue
		}
		s, en := c.span(h.t0, h.t1)
		m := match{s: s, e: en}
		if e.arg >= 0 {
			m.repl = c.l.repl[e.arg]
		}
		out = append(out, m)
	}
	for _, p := range r.patterns {
		if p.lang&c.mask == 0 {
			continue
		}
		if p.literal != "" {
			for i := 0; ; {
				k := strings.Index(c.d.body[i:], p.literal)
				if k < 0 {
					break
				}
				out = append(out, match{s: int32(i + k), e: int32(i + k + len(p.literal))})
				i += k + len(p.literal)
			}
			continue
		}
		for _, loc := range p.re.FindAllStringIndex(c.d.body, -1) {
			out = append(out, match{s: int32(loc[0]), e: int32(loc[1])})
		}
	}
	if len(out) > 1 {
		// sort by start, drop overlaps (the first, longest wins)
		for i := 1; i < len(out); i++ {
			for j := i; j > 0 && (out[j].s < out[j-1].s || out[j].s == out[j-1].s && out[j].e > out[j-1].e); j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
		k := 1
		for i := 1; i < len(out); i++ {
			if out[i].s < out[k-1].e {
				continue
			}
			out[k] = out[i]
			k++
		}
		out = out[:k]
	}
	return out
}

// ruleText fills a workspace rule's message: %s is the match.
func ruleText(r *wsRule, def, match string) string {
	if r.Message == "" {
		return def
	}
	if strings.Contains(r.Message, "%s") {
		return strings.Replace(r.Message, "%s", match, 1)
	}
	return r.Message
}

func ruleSuggestion(r *wsRule, repl string) string {
	if strings.Contains(r.Suggestion, "%s") {
		return strings.Replace(r.Suggestion, "%s", repl, 1)
	}
	return r.Suggestion
}

func (c *check) runRule(r *wsRule) {
	rule := &r.Rule
	switch r.Kind {
	case saydo.KindForbid:
		for _, m := range c.matches(r) {
			t := c.d.body[m.s:m.e]
			c.add(rule, m.s, m.e, ruleText(r, fmt.Sprintf("Avoid %q.", t), t), ruleSuggestion(r, ""))
		}
	case saydo.KindSubstitute:
		for _, m := range c.matches(r) {
			t := c.d.body[m.s:m.e]
			sugg := ruleSuggestion(r, m.repl)
			if sugg == "" {
				sugg = fmt.Sprintf("Write %q.", m.repl)
			}
			c.add(rule, m.s, m.e, ruleText(r, fmt.Sprintf("Use %q instead of %q.", m.repl, t), t), sugg)
		}
	case saydo.KindRequire:
		if len(c.matches(r)) == 0 {
			e := int32(len(c.d.body))
			if k := strings.IndexByte(c.d.body, '\n'); k >= 0 {
				e = int32(k)
			}
			c.add(rule, 0, e, ruleText(r, "Missing a required term: "+r.describe()+".", ""), ruleSuggestion(r, ""))
		}
	case saydo.KindReadability:
		c.longSentences(rule, r.Max, func(n int) string {
			return ruleText(r, fmt.Sprintf("Sentence of %d words; at most %d.", n, r.Max), fmt.Sprint(n))
		})
		if r.Min > 0 && len(c.d.sents) < r.Min {
			c.add(rule, 0, 0, ruleText(r, fmt.Sprintf("%d sentences; at least %d.", len(c.d.sents), r.Min), ""), ruleSuggestion(r, ""))
		}
	case saydo.KindLimit:
		c.limit(r)
	}
}

// describe lists a rule's tokens for a message.
func (r *wsRule) describe() string {
	var ws []string
	for _, ts := range r.Tokens {
		ws = append(ws, ts...)
	}
	for _, ps := range r.Patterns {
		ws = append(ws, ps...)
	}
	if len(ws) > 4 {
		ws = append(ws[:4], "…")
	}
	return "one of " + strings.Join(ws, ", ")
}

func (c *check) limit(r *wsRule) {
	rule := &r.Rule
	report := func(n int, s, e int32, what string) {
		switch {
		case r.Max > 0 && n > r.Max:
			c.add(rule, s, e, ruleText(r, fmt.Sprintf("%d %s; at most %d.", n, what, r.Max), c.d.body[s:e]), ruleSuggestion(r, ""))
		case r.Min > 0 && n < r.Min:
			c.add(rule, s, e, ruleText(r, fmt.Sprintf("%d %s; at least %d.", n, what, r.Min), c.d.body[s:e]), ruleSuggestion(r, ""))
		}
	}
	unit := r.Unit
	if unit == "" {
		unit = saydo.UnitOccurrences
	}
	if unit == saydo.UnitOccurrences {
		ms := c.matches(r)
		if r.Scope == saydo.ScopeSentence {
			for i, st := range c.d.sents {
				n, first := 0, int32(-1)
				for _, m := range ms {
					if m.s >= st.start && m.s < st.end {
						if first < 0 {
							first = m.s
						}
						n++
					}
				}
				s, e := c.d.sentenceSpan(i)
				if first >= 0 && r.Max > 0 && n > r.Max {
					s = first
				}
				report(n, s, e, "occurrences in the sentence")
			}
			return
		}
		s, e := int32(0), int32(0)
		if r.Max > 0 && len(ms) > r.Max {
			s, e = ms[r.Max].s, ms[r.Max].e
		}
		report(len(ms), s, e, "occurrences")
		return
	}
	measure := func(s, e int32, t0, t1 int32) int {
		switch unit {
		case saydo.UnitWords:
			return c.words(t0, t1)
		case saydo.UnitChars:
			return utf8.RuneCountInString(c.d.body[s:e])
		case saydo.UnitSegments:
			sms, _ := c.smsText()
			return CountSMS(sms).Segments
		}
		return 0
	}
	if unit == saydo.UnitSentences {
		report(len(c.d.sents), 0, 0, "sentences")
		return
	}
	if r.Scope == saydo.ScopeSentence && unit != saydo.UnitSegments {
		for i, st := range c.d.sents {
			s, e := c.d.sentenceSpan(i)
			report(measure(s, e, st.t0, st.t1), s, e, string(unit)+" in the sentence")
		}
		return
	}
	n := measure(0, int32(len(c.d.body)), 0, int32(len(c.d.toks)))
	report(n, 0, 0, string(unit))
}
