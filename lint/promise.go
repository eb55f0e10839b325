package lint

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/saydo/saydo"
)

// dim is what a quantity measures.
type dim uint8

const (
	dimTime dim = iota + 1
	dimMoney
	dimPercent
	dimCount
)

// Quantity is a figure a message or a promise states: a time, an amount
// of money, a percentage or a count of something.
type Quantity struct {
	dim dim
	// unit is the currency for money, the counted noun's stem for counts.
	unit string
	// lo and hi bound the value: hours for times (business days span
	// weekends: 5 business days is 5 to 7 days), the amount otherwise.
	lo, hi float64
	// Text is the quantity as written: "10 business days", "€10".
	Text string
	s, e int32
	sent int32
}

var timeUnits = map[string]float64{
	"second": 1.0 / 3600, "seconds": 1.0 / 3600, "sec": 1.0 / 3600, "secs": 1.0 / 3600, "s": 1.0 / 3600,
	"secunda": 1.0 / 3600, "secunde": 1.0 / 3600,
	"minute": 1.0 / 60, "minutes": 1.0 / 60, "min": 1.0 / 60, "mins": 1.0 / 60, "minut": 1.0 / 60, "minutul": 1.0 / 60,
	"hour": 1, "hours": 1, "hr": 1, "hrs": 1, "h": 1, "ora": 1, "ore": 1, "orei": 1,
	"day": 24, "days": 24, "zi": 24, "zile": 24, "zilei": 24, "d": 24,
	"week": 168, "weeks": 168, "wk": 168, "saptamana": 168, "saptamani": 168,
	"month": 720, "months": 720, "luna": 720, "luni": 720,
}

var currencies = map[string]string{
	"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
	"ron": "RON", "lei": "RON", "leu": "RON",
	"$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
	"£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
}

// articles are number words that mean 1 only before a unit: "a day", "o zi".
var articles = map[string]bool{"a": true, "an": true, "o": true, "un": true, "una": true, "single": true}

// numberAt returns the value of the number at token i and how many tokens
// it takes, or ok false.
func numberAt(d *doc, i int) (v float64, ok bool) {
	t := &d.toks[i]
	switch t.kind {
	case tNumber:
		return parseNumber(t.norm)
	case tWord:
		if n, ok := foldedNumberValues[t.norm]; ok {
			if articles[t.norm] {
				if i+1 >= len(d.toks) || d.toks[i+1].kind != tWord {
					return 0, false
				}
				if _, unit := timeUnits[d.toks[i+1].norm]; !unit {
					return 0, false
				}
			}
			return n, true
		}
	}
	return 0, false
}

var foldedNumbers = func() map[string]string {
	m := map[string]string{}
	for w := range numberWords {
		m[fold(w)] = w
	}
	return m
}()

var foldedNumberValues = func() map[string]float64 {
	m := map[string]float64{}
	for w, v := range numberWords {
		m[fold(w)] = v
	}
	return m
}()

func foldedNumberWord(w string) string {
	if o, ok := foldedNumbers[w]; ok {
		return o
	}
	return w
}

// parseNumber reads 48, 67.41, 67,41, 1,000 and 1.000.
func parseNumber(s string) (float64, bool) {
	dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case dot >= 0 && comma >= 0:
		if dot > comma {
			s = strings.ReplaceAll(s, ",", "")
		} else {
			s = strings.ReplaceAll(s, ".", "")
			s = strings.Replace(s, ",", ".", 1)
		}
	case comma >= 0:
		if len(s)-comma-1 == 3 && strings.Count(s, ",") >= 1 {
			s = strings.ReplaceAll(s, ",", "")
		} else {
			s = strings.Replace(s, ",", ".", 1)
		}
	case dot >= 0 && strings.Count(s, ".") > 1:
		s = strings.ReplaceAll(s, ".", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// quantities finds the figures in an analysed text.
func quantities(d *doc, stop map[string]bool) []Quantity {
	var out []Quantity
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		// €10, $5
		if t.kind == tSymbol && t.norm != "%" && i+1 < len(toks) && toks[i+1].kind == tNumber && toks[i+1].start == t.end {
			if v, ok := parseNumber(toks[i+1].norm); ok {
				out = append(out, Quantity{dim: dimMoney, unit: currencies[t.norm], lo: v, hi: v, Text: d.body[t.start:toks[i+1].end], s: t.start, e: toks[i+1].end, sent: t.sent})
				i++
				continue
			}
		}
		v, ok := numberAt(d, i)
		if !ok {
			continue
		}
		start := t.start
		// "0800 100 200": digit groups of a phone number are no quantity.
		if t.kind == tNumber && i > 0 && toks[i-1].kind == tNumber && toks[i-1].sent == t.sent &&
			strings.TrimSpace(d.body[toks[i-1].end:t.start]) == "" {
			continue
		}
		j := i + 1
		// Ranges: 2-3 days, 24 to 48 hours, între 2 și 3 zile: the upper
		// bound is what the customer holds the company to.
		if j < len(toks) && toks[j].sent == t.sent {
			between := strings.TrimSpace(d.body[toks[j-1].end:toks[j].start])
			if v2, ok2 := numberAt(d, j); ok2 && (between == "-" || between == "–") {
				v, j = v2, j+1
			} else if k := j + 1; k < len(toks) && (toks[j].norm == "to" || toks[j].norm == "or" || toks[j].norm == "si" || toks[j].norm == "sau" || toks[j].norm == "and") {
				if v2, ok2 := numberAt(d, k); ok2 {
					v, j = v2, k+1
				}
			}
		}
		if j < len(toks) && toks[j].norm == "de" && toks[j].kind == tWord {
			j++ // 24 de ore
		}
		if j >= len(toks) || toks[j].sent != t.sent {
			continue
		}
		// A number and its unit stand together: "200, de luni" (Mondays)
		// is no duration.
		if !onlySpace(d.body, toks, i, j) {
			continue
		}
		u := &toks[j]
		business := false
		if u.kind == tWord && (u.norm == "business" || u.norm == "working" || u.norm == "calendar") && j+1 < len(toks) {
			business = u.norm != "calendar"
			j++
			u = &toks[j]
		}
		end := u.end
		q := Quantity{s: start, sent: t.sent}
		switch {
		case u.kind == tSymbol && u.norm == "%":
			q.dim, q.lo, q.hi = dimPercent, v, v
		case u.kind == tSymbol:
			q.dim, q.unit, q.lo, q.hi = dimMoney, currencies[u.norm], v, v
		case u.kind != tWord:
			continue
		case u.norm == "percent" || u.norm == "procent" || u.norm == "procente":
			q.dim, q.lo, q.hi = dimPercent, v, v
		case u.norm == "la" && j+1 < len(toks) && toks[j+1].norm == "suta":
			q.dim, q.lo, q.hi = dimPercent, v, v
			end = toks[j+1].end
		case currencies[u.norm] != "":
			q.dim, q.unit, q.lo, q.hi = dimMoney, currencies[u.norm], v, v
		case timeUnits[u.norm] > 0:
			h := timeUnits[u.norm]
			if j+1 < len(toks) && toks[j+1].sent == t.sent && (toks[j+1].norm == "lucratoare" || toks[j+1].norm == "bancare") {
				business = true
				end = toks[j+1].end
			}
			q.dim, q.lo, q.hi = dimTime, v*h, v*h
			if business && h == 24 {
				q.hi = math.Ceil(v*7/5) * 24
			}
		default:
			if t.kind != tNumber || len(u.norm) < 3 || stop[u.norm] || v != math.Trunc(v) {
				continue
			}
			q.dim, q.unit, q.lo, q.hi = dimCount, stem(u.norm), v, v
		}
		q.e = end
		q.Text = d.body[q.s:q.e]
		out = append(out, q)
		i = j
	}
	return out
}

// onlySpace reports whether nothing but white space separates tokens i..j.
func onlySpace(body string, toks []token, i, j int) bool {
	for k := i; k < j; k++ {
		if strings.TrimSpace(body[toks[k].end:toks[k+1].start]) != "" && !isRangeDash(body[toks[k].end:toks[k+1].start]) {
			return false
		}
	}
	return true
}

func isRangeDash(s string) bool {
	s = strings.TrimSpace(s)
	return s == "-" || s == "–"
}

// stem cuts a folded word to the prefix that carries its meaning across
// inflections: calls/call, apelul/apel, facturii/factura.
func stem(w string) string {
	if len(w) > 4 {
		return w[:4]
	}
	return strings.TrimSuffix(w, "s")
}

// promiseFacts is what the linter knows of a promise: the figures it
// states and the words that say a message speaks of it.
type promiseFacts struct {
	p *saydo.Promise
	// keys weigh the words that say a sentence speaks of the promise:
	// 2 for the words of its id and voice, 1 for those of says and metric.
	keys map[string]int
	qs   []Quantity
}

// genericWords say nothing about which promise a sentence speaks of.
var genericWords = []string{
	"every", "each", "within", "always", "never", "more", "less", "than", "after", "before", "from",
	"into", "over", "under", "promise", "guarantee", "customer", "customers", "client", "clienti",
	"fiecare", "orice", "mereu", "maxim", "minim", "peste", "dupa", "inainte", "promitem", "garantam",
	"your", "ours", "their", "them", "they", "time", "timp", "just", "only", "doar", "most", "cel",
	"mult", "putin", "value", "rate", "share", "count", "total", "mean", "avg", "seconds", "minutes",
	"hours", "days", "percent", "pct", "week", "month", "business", "working", "lucratoare", "we'll",
	"will", "don't", "here", "there", "this", "that", "these", "those", "within", "termen", "ore",
	"zile", "minute",
}

func promiseFactsOf(l *Linter, ps []saydo.Promise) []promiseFacts {
	stop := l.stopWords()
	var out []promiseFacts
	d := new(doc)
	for i := range ps {
		p := &ps[i]
		f := promiseFacts{p: p, keys: map[string]int{}}
		addKeys := func(text string, weight int) {
			d.analyse(text)
			for _, t := range d.toks {
				if t.kind == tWord && len(t.norm) >= 3 && !stop[t.norm] && timeUnits[t.norm] == 0 {
					if _, num := numberWords[foldedNumberWord(t.norm)]; !num {
						if k := stem(t.norm); f.keys[k] < weight {
							f.keys[k] = weight
						}
					}
				}
			}
		}
		addKeys(p.Says, 1)
		addKeys(strings.ReplaceAll(p.ID, "-", " "), 2)
		d.analyse(p.Says)
		l.lex.scan(d)
		f.qs = quantities(d, stop)
		for i := range f.qs {
			f.qs[i].s, f.qs[i].e = 0, 0
		}
		for _, vs := range p.Voice {
			for _, v := range vs {
				addKeys(v, 2)
			}
		}
		addKeys(strings.ReplaceAll(p.Metric, "_", " "), 1)
		hasTime := false
		for _, q := range f.qs {
			hasTime = hasTime || q.dim == dimTime
		}
		if !hasTime {
			if q, ok := metricQuantity(p); ok {
				f.qs = append(f.qs, q)
			}
		}
		out = append(out, f)
	}
	return out
}

// metricQuantity reads a time from a promise's metric and objective:
// call_wait_seconds at most 120 is 2 minutes.
func metricQuantity(p *saydo.Promise) (Quantity, bool) {
	if p.Objective.Kind != saydo.AtMost && p.Objective.Kind != saydo.MeanAtMost {
		return Quantity{}, false
	}
	parts := strings.Split(strings.ToLower(p.Metric), "_")
	unit := parts[len(parts)-1]
	h, ok := map[string]float64{"seconds": 1.0 / 3600, "secs": 1.0 / 3600, "s": 1.0 / 3600, "minutes": 1.0 / 60, "mins": 1.0 / 60, "min": 1.0 / 60, "hours": 1, "h": 1, "days": 24, "d": 24}[unit]
	if !ok {
		return Quantity{}, false
	}
	v := p.Objective.Value * h
	return Quantity{dim: dimTime, lo: v, hi: v, Text: humanHours(v)}, true
}

// humanHours writes hours the way a customer reads them.
func humanHours(h float64) string {
	switch {
	case h < 1.0/60:
		return fmt.Sprintf("%g seconds", math.Round(h*3600))
	case h < 1:
		return plural(h*60, "minute")
	case h < 48 || math.Mod(h, 24) != 0:
		return plural(h, "hour")
	}
	return plural(h/24, "day")
}

func plural(v float64, unit string) string {
	v = math.Round(v*100) / 100
	if v == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%g %ss", v, unit)
}

func (l *Linter) stopWords() map[string]bool {
	stop := map[string]bool{}
	for _, it := range packLexicon {
		if it.cat == catStopEN || it.cat == catStopRO {
			for _, w := range it.list {
				stop[fold(w)] = true
			}
		}
	}
	for _, w := range genericWords {
		stop[w] = true
	}
	return stop
}

// agree reports whether two figures of the same kind can both be true.
func agree(a, b Quantity) bool {
	const tol = 1e-6
	return a.lo <= b.hi*(1+tol)+tol && b.lo <= a.hi*(1+tol)+tol
}

func sameKind(a, b Quantity) bool {
	return a.dim == b.dim && (a.dim == dimTime || a.dim == dimPercent || a.unit == b.unit)
}

func (c *check) promiseConflict(r *saydo.Rule) {
	stop := c.l.stop
	qs := quantities(c.d, stop)
	for _, q := range qs {
		// The words of this sentence and the one before say which
		// promise the figure is about.
		from := c.d.sents[q.sent].t0
		if q.sent > 0 {
			from = c.d.sents[q.sent-1].t0
		}
		to := c.d.sents[q.sent].t1
		best, bestScore := -1, 0
		var tied []int
		for pi := range c.l.promises {
			pf := &c.l.promises[pi]
			relevant := false
			for _, pq := range pf.qs {
				if sameKind(pq, q) {
					relevant = true
				}
			}
			if !relevant {
				continue
			}
			score := 0
			var seen [8]string
			nseen := 0
		words:
			for _, t := range c.d.toks[from:to] {
				if t.kind != tWord || len(t.norm) < 3 {
					continue
				}
				k := stem(t.norm)
				w := pf.keys[k]
				if w == 0 {
					continue
				}
				for _, s := range seen[:nseen] {
					if s == k {
						continue words
					}
				}
				if nseen < len(seen) {
					seen[nseen] = k
					nseen++
				}
				score += w
			}
			if score == 0 {
				continue
			}
			// The message's declared stage backs a single weak word.
			if c.m.Stage != "" && c.m.Stage == pf.p.Stage {
				score++
			}
			if score < 2 {
				continue
			}
			switch {
			case score > bestScore:
				best, bestScore, tied = pi, score, tied[:0]
				tied = append(tied, pi)
			case score == bestScore:
				tied = append(tied, pi)
			}
		}
		if best < 0 {
			continue
		}
		ok := false
		var conflict *promiseFacts
		var pq Quantity
		for _, pi := range tied {
			pf := &c.l.promises[pi]
			for _, x := range pf.qs {
				if !sameKind(x, q) {
					continue
				}
				if agree(x, q) {
					ok = true
				} else if conflict == nil {
					conflict, pq = pf, x
				}
			}
		}
		if ok || conflict == nil {
			continue
		}
		m := c.d.body[q.s:q.e]
		msg := fmt.Sprintf("Says %q where promise %s says %q (%q).", m, conflict.p.ID, pq.Text, conflict.p.Says)
		if conflict.p.Says == "" {
			msg = fmt.Sprintf("Says %q where promise %s commits to %s.", m, conflict.p.ID, pq.Text)
		}
		c.add(r, q.s, q.e, text(r, msg, m), fmt.Sprintf("Write %q, as promised, or change the promise in saydo.yaml first.", pq.Text))
	}
}
