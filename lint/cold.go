package lint

import "strings"

// Coldness the Tone and NextStep rules hear beyond word lists: a way to
// reach the company that the message itself withdraws ("Do not contact us
// again.", "We will not respond to further messages.") is a refusal, not a
// next step; and a sentence that closes the conversation on the customer
// (catRefusal) withdraws every contact word in it.

// refused reports whether the next-step hit h is withdrawn: a contact verb
// negated as an order to the customer ("Do not contact us again.", "Nu ne
// mai contactați.") or as the company's own refusal ("We will not respond
// to further messages.", "Nu vom mai răspunde."), or any contact word in a
// sentence that closes the conversation (catRefusal). Someone else not
// helping ("he wasn't able to help") or a thing not responding ("Alexa
// does not respond") is no refusal.
func (c *check) refused(h hit) bool {
	t := c.d.toks[h.t0]
	s := c.d.sents[t.sent]
	if c.has(catRefusal, s.t0, s.t1) {
		return true
	}
	if s.question || !isContactVerb(t.norm) {
		return false // "Can't reach us? Call 0800…" offers a way
	}
	j := h.t0 - 1
	for j >= s.t0 && c.sameClause(j, h.t0) && refusalFiller[c.d.toks[j].norm] {
		j--
	}
	if j < s.t0 || !c.sameClause(j, h.t0) || !c.isNegation(j) {
		return false
	}
	k := j - 1
	for k >= s.t0 && c.sameClause(k, j) && (c.d.toks[k].norm == "please" || c.d.toks[k].norm == "va rog") {
		k--
	}
	if k < s.t0 || !c.sameClause(k, j) {
		return true // an order: "Do not contact us", "Nu ne mai contactați"
	}
	if c.d.toks[k].norm == "do" && (k == s.t0 || !c.sameClause(k-1, k)) {
		return true // "Do not contact us"
	}
	for k >= s.t0 && c.sameClause(k, j) && refusalAux[c.d.toks[k].norm] {
		k--
	}
	return k >= s.t0 && c.sameClause(k, j) && refusalSubject[c.d.toks[k].norm]
}

// isContactVerb reports whether a word is a way of reaching someone.
func isContactVerb(w string) bool {
	for _, p := range []string{"contact", "call", "phon", "ring", "repl", "respon", "answer", "writ", "email", "e-mail",
		"messag", "discus", "correspond", "reach", "help", "assist", "sun", "apel", "raspun", "scri", "ajut", "discut"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// refusalFiller are words between a negation and the contact verb it
// withdraws: "will not be responding", "nu ne mai contactați". Not "able
// to": "we aren't able to call here" states what a channel cannot do, and
// usually goes on to say what can.
var refusalFiller = map[string]bool{
	"be": true, "being": true, "mai": true, "ne": true, "va": true, "us": true, "again": true,
	"any": true, "further": true, "going": true, "vom": true, "putem": true, "longer": true, "vor": true,
}

// refusalAux are auxiliaries between the company and its refusal.
var refusalAux = map[string]bool{
	"will": true, "shall": true, "can": true, "do": true, "are": true, "am": true, "would": true,
	"could": true, "is": true, "team": true,
}

// refusalSubject are the company speaking of itself.
var refusalSubject = map[string]bool{"we": true, "noi": true, "company": true, "department": true, "team": true}

// isNegation reports whether token j negates what follows.
func (c *check) isNegation(j int32) bool {
	switch c.d.toks[j].norm {
	case "not", "never", "no", "won't", "don't", "do not", "cannot", "can't", "nu", "n", "nici":
		return true
	}
	for _, h := range c.d.hits {
		if h.t0 == j {
			if e := &c.l.lex.entries[h.e]; e.cat == catNegation && e.lang&c.mask != 0 {
				return true
			}
		}
	}
	return false
}

// sameClause reports whether no comma, semicolon, colon or dash separates
// tokens a < b.
func (c *check) sameClause(a, b int32) bool {
	between := c.d.body[c.d.toks[a].end:c.d.toks[b].start]
	return !strings.ContainsAny(between, ",;:–—") && !strings.Contains(between, " - ")
}

// refusals calls fn with each hit that refuses or dismisses: a catRefusal
// phrase, or a withdrawn next-step word.
func (c *check) refusals(fn func(h hit, what string)) {
	for _, h := range c.d.hits {
		e := &c.l.lex.entries[h.e]
		if e.lang&c.mask == 0 {
			continue
		}
		switch {
		case e.cat == catRefusal:
			fn(h, "Closes the conversation on the customer")
		case e.cat == catNextStep && c.refusedWord(h):
			fn(h, "Refuses contact")
		}
	}
}

// refusedWord is refused for a negated contact word only: a contact word
// in a dismissing sentence is reported once, with the sentence's phrase.
func (c *check) refusedWord(h hit) bool {
	t := c.d.toks[h.t0]
	s := c.d.sents[t.sent]
	if c.has(catRefusal, s.t0, s.t1) {
		return false
	}
	return c.refused(h)
}
