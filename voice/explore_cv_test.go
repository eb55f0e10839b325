package voice

import (
	"slices"
	"strconv"
)

// exploreVariants are the ways the model and the rules may meet that
// round 5 tried in TestRealTweetSentimentCV and did not keep
// (SAYDO_TWEET_CV_EXPLORE=1 prints them; docs/voice.md, "Sentiment"):
// margins on P(positive), praise only with the rules' signals, the rules'
// complaint or praise kept, margins on P(negative).
func exploreVariants() []cvVariant {
	idx := func(c *Classifier, l string) int { return slices.Index(c.labels, l) }
	bestOf := func(c *Classifier, p []float64, allowed func(string) bool) string {
		best := -1
		for j := range p {
			if allowed(c.labels[j]) && (best < 0 || p[j] > p[best]) {
				best = j
			}
		}
		return c.labels[best]
	}
	notPos := func(l string) bool { return l != "positive" }
	notNeg := func(l string) bool { return l != "negative" }
	any := func(string) bool { return true }
	var out []cvVariant
	for _, tau := range []float64{0.5, 0.55, 0.6, 0.65, 0.7} {
		out = append(out, cvVariant{name: "pos only if P(pos)>=" + ftoa(tau), decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && p[idx(c, "positive")] < tau {
				return bestOf(c, p, notPos)
			}
			return l
		}})
	}
	signal := func(it sentimentItem) bool { return it.r.praised || it.r.thanked || it.r.resolved }
	out = append(out,
		cvVariant{name: "pos only with praise/thanks/fix", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && !signal(it) {
				return bestOf(c, p, notPos)
			}
			return l
		}},
		cvVariant{name: "pos only if rules not negative", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && it.rules == "negative" {
				return bestOf(c, p, notPos)
			}
			return l
		}},
		cvVariant{name: "no pos if rules <= -0.5", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && it.sentiment <= -0.5 {
				return bestOf(c, p, notPos)
			}
			return l
		}},
		cvVariant{name: "no pos if complaint & !resolved", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && it.r.complaint && !it.r.resolved {
				return bestOf(c, p, notPos)
			}
			return l
		}},
		cvVariant{name: "no pos if open & !resolved", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && it.r.open && !it.r.resolved {
				return bestOf(c, p, notPos)
			}
			return l
		}},
		cvVariant{name: "no neg if rules >= 0.5 & !complaint", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "negative" && it.sentiment >= 0.5 && !it.r.complaint {
				return bestOf(c, p, notNeg)
			}
			return l
		}},
		cvVariant{name: "no neg if rules pos & !open", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "negative" && it.rules == "positive" && !it.r.open {
				return bestOf(c, p, notNeg)
			}
			return l
		}},
		cvVariant{name: "no neg if !open", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "negative" && !it.r.open {
				return bestOf(c, p, notNeg)
			}
			return l
		}},
	)
	for _, tau := range []float64{0.55, 0.6} {
		out = append(out, cvVariant{name: "P(pos)>=" + ftoa(tau) + " & no neg if rules pos&!open", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && p[idx(c, "positive")] < tau {
				return bestOf(c, p, notPos)
			}
			if l == "negative" && it.rules == "positive" && !it.r.open {
				return bestOf(c, p, notNeg)
			}
			return l
		}})
	}
	for _, tau := range []float64{0.5, 0.55, 0.6, 0.65} {
		out = append(out, cvVariant{name: "P(pos)>=" + ftoa(tau) + " else neutral", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "positive" && p[idx(c, "positive")] < tau {
				return "neutral"
			}
			return l
		}})
		for _, rho := range []float64{0.3, 0.5} {
			out = append(out, cvVariant{name: "P(pos)>=" + ftoa(tau) + " else neu; no neg if rules>=" + ftoa(rho) + "&!compl", decide: func(c *Classifier, p []float64, it sentimentItem) string {
				l := bestOf(c, p, any)
				if l == "positive" && p[idx(c, "positive")] < tau {
					return "neutral"
				}
				if l == "negative" && it.sentiment >= rho && !it.r.complaint {
					return bestOf(c, p, notNeg)
				}
				return l
			}})
		}
	}
	shipped := func(c *Classifier, p []float64, it sentimentItem) string {
		return c.labels[newSentimentModel(c).choose(p, it.r)]
	}
	for _, v := range []struct {
		name string
		keep func(it sentimentItem) bool
	}{
		{"complaint&!resolved&!praised&!asked", func(it sentimentItem) bool {
			return it.r.complaint && !it.r.resolved && !it.r.praised && !it.r.asked
		}},
		{"complaint&!resolved&!praised", func(it sentimentItem) bool {
			return it.r.complaint && !it.r.resolved && !it.r.praised
		}},
		{"rules<=-0.5&complaint&!resolved", func(it sentimentItem) bool {
			return it.sentiment <= -0.5 && it.r.complaint && !it.r.resolved
		}},
		{"negLeft<=-1.5&!resolved&!praised&!asked", func(it sentimentItem) bool {
			return it.r.negLeft <= -1.5 && !it.r.resolved && !it.r.praised && !it.r.asked
		}},
		{"negLeft<=-2&!resolved&!praised&!asked", func(it sentimentItem) bool {
			return it.r.negLeft <= -2 && !it.r.resolved && !it.r.praised && !it.r.asked
		}},
	} {
		out = append(out, cvVariant{name: "shipped + negative kept if " + v.name, decide: func(c *Classifier, p []float64, it sentimentItem) string {
			if it.rules == "negative" && v.keep(it) {
				return "negative"
			}
			return shipped(c, p, it)
		}})
	}
	margin := func(c *Classifier, p []float64) string {
		l := bestOf(c, p, any)
		if l == "positive" && p[idx(c, "positive")] < 0.5 {
			return "neutral"
		}
		return l
	}
	for _, v := range []struct {
		name string
		keep func(it sentimentItem) bool
	}{
		{"rules pos & !open", func(it sentimentItem) bool { return it.rules == "positive" && !it.r.open }},
		{"rules pos & !open, or >=0.5 & !complaint", func(it sentimentItem) bool {
			return it.rules == "positive" && !it.r.open || it.sentiment >= 0.5 && !it.r.complaint
		}},
		{"rules pos & !complaint", func(it sentimentItem) bool { return it.rules == "positive" && !it.r.complaint }},
		{"rules >=0.2 & !complaint", func(it sentimentItem) bool { return it.sentiment >= 0.2 && !it.r.complaint }},
	} {
		out = append(out, cvVariant{name: "margin + no neg if " + v.name, decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := margin(c, p)
			if l == "negative" && v.keep(it) {
				if p[idx(c, "positive")] > p[idx(c, "neutral")] {
					return "positive"
				}
				return "neutral"
			}
			return l
		}})
		out = append(out, cvVariant{name: "margin + rules' praise kept if " + v.name, decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := margin(c, p)
			if l == "negative" && v.keep(it) {
				return "positive"
			}
			return l
		}})
	}
	for _, tau := range []float64{0.4, 0.45, 0.5, 0.55} {
		out = append(out, cvVariant{name: "shipped + neg only if P(neg)>=" + ftoa(tau) + " else neutral", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := shipped(c, p, it)
			if l == "negative" && p[idx(c, "negative")] < tau {
				return "neutral"
			}
			return l
		}})
		out = append(out, cvVariant{name: "shipped + neg only if P(neg)>=" + ftoa(tau) + " or rules open", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := shipped(c, p, it)
			if l == "negative" && p[idx(c, "negative")] < tau && !it.r.open {
				return "neutral"
			}
			return l
		}})
	}
	for _, rho := range []float64{0.3, 0.4, 0.6} {
		out = append(out, cvVariant{name: "no neg if rules >= " + ftoa(rho) + " & !complaint", decide: func(c *Classifier, p []float64, it sentimentItem) string {
			l := bestOf(c, p, any)
			if l == "negative" && it.sentiment >= rho && !it.r.complaint {
				return bestOf(c, p, notNeg)
			}
			return l
		}})
	}
	return out
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
