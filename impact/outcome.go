// Package impact computes what a broken promise costs and whether the steps
// taken to close it worked: outcome differences between customers who
// experienced a miss and those who did not (NPS, complaint, CSAT and churn
// rates, each with an interval and a named test), money at stake from
// labelled assumptions, and interrupted time series estimates of each
// action's effect on the gap. It does no I/O; docs/statistics.md explains
// each method and why it was chosen.
package impact

import (
	"math"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/gap"
	"gonum.org/v1/gonum/stat/distuv"
)

// z95 is the 97.5% quantile of the standard normal distribution.
var z95 = distuv.UnitNormal.Quantile(0.975)

// NPSTest names the test NPSDifference uses.
const NPSTest = "difference of two NPS, multinomial (trinomial) variance, Wald z test"

// ShareTest names the interval and test ShareDifference uses.
const ShareTest = "Newcombe hybrid score interval (method 10); pooled two-proportion z test"

// NPSCounts are the answers of one group of customers to "how likely are
// you to recommend us" on 0–10: promoters answered 9–10, detractors 0–6.
type NPSCounts struct {
	N, Promoters, Detractors int64
}

// Add counts one answer.
func (c *NPSCounts) Add(score float64) {
	c.N++
	switch {
	case score >= 9:
		c.Promoters++
	case score <= 6:
		c.Detractors++
	}
}

// NPS returns the Net Promoter Score, 100 × (promoters − detractors) / n,
// NaN without answers.
func (c NPSCounts) NPS() float64 {
	if c.N <= 0 {
		return math.NaN()
	}
	return 100 * float64(c.Promoters-c.Detractors) / float64(c.N)
}

// variance returns the variance of the NPS estimate on the −100..100 scale:
// an answer scores +1, 0 or −1, so Var = (p + d − (p − d)²)/n × 100².
func (c NPSCounts) variance() float64 {
	n := float64(c.N)
	p, d := float64(c.Promoters)/n, float64(c.Detractors)/n
	return (p + d - (p-d)*(p-d)) / n * 1e4
}

// Interval returns the 95% Wald interval of the NPS from the trinomial
// variance, bounded to [−100, 100]; NaN without answers. When every
// answer was alike the variance is 0 and a Wald interval would be a
// point, so the bound comes from the Wilson interval of the share that
// answered alike instead: with at least a share L of detractors, NPS =
// promoters − detractors ≤ (1 − L) − L, so all detractors give [−100,
// 100(1 − 2L)], all promoters [100(2L − 1), 100], all passives
// ±100(1 − L) (3 detractors of 3: −100 to +12.3).
func (c NPSCounts) Interval() (lo, hi float64) {
	if c.N <= 0 {
		return math.NaN(), math.NaN()
	}
	se := math.Sqrt(c.variance())
	if !(se > 0) {
		l, _ := Wilson(c.N, c.N)
		switch {
		case c.Detractors == c.N:
			return -100, 100 * (1 - 2*l)
		case c.Promoters == c.N:
			return 100 * (2*l - 1), 100
		default:
			return -100 * (1 - l), 100 * (1 - l)
		}
	}
	nps := c.NPS()
	return math.Max(-100, nps-z95*se), math.Min(100, nps+z95*se)
}

// NPSDifference compares the NPS of two independent groups: a − b, its 95%
// Wald interval from the trinomial variance of each NPS, and the two-sided
// p value of z = difference / standard error. The result is NaN when a
// group has no answers; the interval and p value are NaN when both groups
// answered all alike (zero variance), where a Wald interval says nothing.
func NPSDifference(a, b NPSCounts) (diff float64, ci [2]float64, p float64) {
	nan := math.NaN()
	if a.N <= 0 || b.N <= 0 {
		return nan, [2]float64{nan, nan}, nan
	}
	diff = a.NPS() - b.NPS()
	se := math.Sqrt(a.variance() + b.variance())
	if !(se > 0) {
		return diff, [2]float64{nan, nan}, nan
	}
	ci = [2]float64{math.Max(-200, diff-z95*se), math.Min(200, diff+z95*se)}
	p = 2 * distuv.UnitNormal.Survival(math.Abs(diff)/se)
	return diff, ci, p
}

// Wilson returns the 95% Wilson score interval of x successes in n (Newcombe
// 1998, method 3): gap.Wilson at 95%, the one implementation.
func Wilson(x, n int64) (lo, hi float64) { return gap.Wilson(x, n, 0.95) }

// ShareDifference compares two independent proportions, x1/n1 − x2/n2:
// Newcombe's hybrid score interval (1998, method 10: the Wilson intervals
// of each share combined by the square-and-add rule), which keeps its
// coverage for small counts and shares near 0 or 1 where the Wald interval
// fails, and the two-sided p value of the pooled two-proportion z test
// (Pearson's χ² without continuity correction). Everything is NaN when a
// group is empty; the p value is 1 when both shares are 0 or both are 1.
func ShareDifference(x1, n1, x2, n2 int64) saydo.Difference {
	nan := math.NaN()
	d := saydo.Difference{Value: nan, CI: [2]float64{nan, nan}, PValue: nan, Test: ShareTest}
	if n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 {
		return d
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	l1, u1 := Wilson(x1, n1)
	l2, u2 := Wilson(x2, n2)
	d.Value = p1 - p2
	delta := math.Sqrt((p1-l1)*(p1-l1) + (u2-p2)*(u2-p2))
	eps := math.Sqrt((u1-p1)*(u1-p1) + (p2-l2)*(p2-l2))
	d.CI = [2]float64{d.Value - delta, d.Value + eps}
	pool := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		d.PValue = 1
		return d
	}
	d.PValue = 2 * distuv.UnitNormal.Survival(math.Abs(d.Value)/se)
	return d
}

// Group is what one group of customers said and did: their NPS answers,
// how many complained, their CSAT answers and how many left.
type Group struct {
	Customers int64
	NPS       NPSCounts
	// Complained counts customers with at least one complaint.
	Complained int64
	// CSATAnswers and CSATSatisfied count CSAT answers and those of 4 or 5.
	CSATAnswers, CSATSatisfied int64
	// Churned counts customers with a churn event.
	Churned int64
}

// Compare builds the outcome of a promise from the customers who
// experienced a miss and those who did not. withChurn says whether churn
// is recorded at all (otherwise churn figures are NaN: no evidence is not
// zero churn); complaint figures are NaN when none of the customers gave
// any feedback.
func Compare(missed, kept Group, withChurn bool) saydo.Outcome {
	nan := math.NaN()
	o := saydo.Outcome{
		CustomersMissed: missed.Customers, CustomersKept: kept.Customers,
		NPSMissed: missed.NPS.NPS(), NPSKept: kept.NPS.NPS(),
		NPSAnswersMissed: missed.NPS.N, NPSAnswersKept: kept.NPS.N,
		Test: NPSTest,
	}
	o.NPSDifference, o.CI, o.PValue = NPSDifference(missed.NPS, kept.NPS)
	share := func(x, n int64) float64 {
		if n <= 0 {
			return nan
		}
		return float64(x) / float64(n)
	}
	// Without any feedback from these customers, no complaint is not
	// evidence of none.
	heard := missed.NPS.N+kept.NPS.N+missed.CSATAnswers+kept.CSATAnswers+missed.Complained+kept.Complained+missed.Churned+kept.Churned > 0
	o.ComplaintRateMissed, o.ComplaintRateKept = nan, nan
	o.Complaint = saydo.Difference{Value: nan, CI: [2]float64{nan, nan}, PValue: nan, Test: ShareTest}
	if heard {
		o.ComplaintRateMissed = share(missed.Complained, missed.Customers)
		o.ComplaintRateKept = share(kept.Complained, kept.Customers)
		o.Complaint = ShareDifference(missed.Complained, missed.Customers, kept.Complained, kept.Customers)
	}
	o.CSATMissed = share(missed.CSATSatisfied, missed.CSATAnswers)
	o.CSATKept = share(kept.CSATSatisfied, kept.CSATAnswers)
	o.CSAT = ShareDifference(missed.CSATSatisfied, missed.CSATAnswers, kept.CSATSatisfied, kept.CSATAnswers)
	o.ChurnMissed, o.ChurnKept = nan, nan
	o.Churn = saydo.Difference{Value: nan, CI: [2]float64{nan, nan}, PValue: nan, Test: ShareTest}
	if withChurn {
		o.ChurnMissed = share(missed.Churned, missed.Customers)
		o.ChurnKept = share(kept.Churned, kept.Customers)
		o.Churn = ShareDifference(missed.Churned, missed.Customers, kept.Churned, kept.Customers)
	}
	return o
}
