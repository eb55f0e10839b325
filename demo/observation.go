package demo

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"time"
)

// The metrics of Nordtel's promises.
const (
	metricCallWait     = "call_wait_seconds"
	metricFirstCall    = "call_resolved_first"
	metricInstallDays  = "install_days"
	metricBillCorrect  = "bill_correct"
	metricSurpriseFee  = "bill_unexpected_fee"
	metricAvailability = "network_availability_pct"
	metricRefundDays   = "refund_days"
	metricTechLate     = "technician_late_minutes"
)

// observationHeader is the first line of observations.csv.
const observationHeader = "id,metric,value,at,region,channel,plan,customer\n"

// Segments and how customers spread over them.
var (
	regions       = []string{"capital", "north", "south", "east", "west"}
	regionWeights = []float64{0.30, 0.18, 0.20, 0.16, 0.16}
	channels      = []string{"shop", "web", "app", "phone"}
	chanWeights   = []float64{0.40, 0.25, 0.20, 0.15}
	// Calls come in by phone or from the app's call button.
	callChannels = []string{"phone", "app"}
	plans        = []string{"unlimited", "basic", "family", "business"}
	planWeights  = []float64{0.25, 0.35, 0.25, 0.15}
	// During and after Summer Unlimited, new customers mostly buy it.
	campaignPlanWeights = []float64{0.50, 0.22, 0.18, 0.10}
)

// Hourly rhythm of calls (UTC hours; Nordtel's customers live at UTC+2/+3,
// so the morning peak is at 6–9 UTC): quiet nights, a morning peak, a
// lunch dip and a long afternoon.
var callHours = [24]float64{
	0.3, 0.2, 0.2, 0.2, 0.6, 2.0, 5.5, 8.0, 8.5, 8.0, 6.5, 6.0,
	7.0, 7.0, 6.5, 5.5, 4.5, 3.5, 2.5, 1.5, 1.0, 0.7, 0.5, 0.4,
}

// Field work and finance happen in working hours (UTC).
var workHours = [24]float64{
	0, 0, 0, 0, 0, 1, 6, 8, 8, 8, 7, 5,
	7, 8, 8, 7, 4, 1, 0, 0, 0, 0, 0, 0,
}

// Bills are issued by a night batch.
var batchHours = [24]float64{0, 2, 4, 4, 3, 1}

// Monday is the busiest day for calls, Sunday the quietest.
var callWeekdays = [7]float64{ // Sunday first, as time.Weekday
	0.35, 1.30, 1.10, 1.05, 1.00, 0.95, 0.55,
}

// knot is one point of a piecewise linear curve over the year.
type knot struct {
	m time.Month
	d int
	v float64
}

// curve interpolates knots linearly, day by day, in a given year.
type curve struct {
	days []int64 // Unix days of the knots
	vals []float64
}

func newCurve(year int, ks ...knot) curve {
	c := curve{}
	for _, k := range ks {
		c.days = append(c.days, time.Date(year, k.m, k.d, 0, 0, 0, 0, time.UTC).Unix()/86400)
		c.vals = append(c.vals, k.v)
	}
	return c
}

// at returns the curve's value on the day of t.
func (c curve) at(t time.Time) float64 {
	d := t.Unix() / 86400
	if d <= c.days[0] {
		return c.vals[0]
	}
	for i := 1; i < len(c.days); i++ {
		if d <= c.days[i] {
			f := float64(d-c.days[i-1]) / float64(c.days[i]-c.days[i-1])
			return c.vals[i-1] + f*(c.vals[i]-c.vals[i-1])
		}
	}
	return c.vals[len(c.vals)-1]
}

// story holds the curves that drive every metric through the year.
type story struct {
	span
	waitShare    curve // calls answered within 120 s
	firstCall    curve // calls solving the problem the first time
	installShare curve // installs within 3 days
	callVolume   curve // multiplier of call volume
	fieldVolume  curve // multiplier of installs and visits
	feeRate      curve // bills with a surprise fee
}

func newStory(s span) story {
	y := s.year
	return story{
		span: s,
		waitShare: newCurve(y,
			knot{1, 1, 0.93}, knot{5, 31, 0.93}, knot{6, 8, 0.70}, knot{6, 21, 0.56},
			knot{7, 15, 0.52}, knot{8, 15, 0.56}, knot{8, 31, 0.62}, knot{9, 15, 0.72},
			knot{10, 15, 0.80}, knot{11, 15, 0.84}, knot{12, 31, 0.86}),
		firstCall: newCurve(y,
			knot{1, 1, 0.80}, knot{5, 31, 0.80}, knot{6, 14, 0.64}, knot{8, 15, 0.62},
			knot{8, 31, 0.65}, knot{10, 15, 0.70}, knot{12, 31, 0.73}),
		installShare: newCurve(y,
			knot{1, 1, 0.93}, knot{5, 31, 0.92}, knot{6, 21, 0.62}, knot{8, 15, 0.58},
			knot{9, 6, 0.60}, knot{9, 13, 0.72}, knot{9, 20, 0.82}, knot{9, 27, 0.89},
			knot{10, 11, 0.94}, knot{12, 31, 0.95}),
		callVolume: newCurve(y,
			knot{1, 1, 1.0}, knot{5, 31, 1.0}, knot{6, 1, 1.5}, knot{6, 8, 2.0},
			knot{8, 31, 2.0}, knot{9, 1, 1.45}, knot{10, 1, 1.25}, knot{12, 31, 1.15}),
		fieldVolume: newCurve(y,
			knot{1, 1, 1.0}, knot{5, 31, 1.0}, knot{6, 1, 1.4}, knot{6, 8, 1.8},
			knot{8, 31, 1.8}, knot{9, 1, 1.3}, knot{10, 1, 1.1}, knot{12, 31, 1.05}),
		feeRate: newCurve(y,
			knot{1, 1, 0.008}, knot{3, 31, 0.008}, knot{4, 1, 0.012}, knot{12, 31, 0.045}),
	}
}

func (s *story) inCampaign(day time.Time) bool {
	return !day.Before(s.campaignOn) && day.Before(s.campaignTo)
}

// obsWriter appends observation rows to a buffered file without fmt.
type obsWriter struct {
	w    *bufio.Writer
	buf  []byte
	rows map[string]int64
	// day is "YYYY-MM-DDT" of the day being written.
	day []byte
	// customer is the customer of the next rows, empty for rows that
	// belong to no one customer (a cell site, a bill run).
	customer []byte
	// calls records each customer's calls, for the surveys (impact.go).
	calls *callRecord
}

func (o *obsWriter) setDay(d time.Time) {
	o.day = d.AppendFormat(o.day[:0], "2006-01-02T")
}

// row writes one observation. sec is the second of the current day; prec
// is the number of decimals of value, or -1 for an integer.
func (o *obsWriter) row(prefix, metric string, seq int64, value float64, prec int, sec int, region, channel, plan string) error {
	b := o.buf[:0]
	b = append(b, prefix...)
	b = appendPadded(b, seq, 7)
	b = append(b, ',')
	b = append(b, metric...)
	b = append(b, ',')
	if prec < 0 {
		b = strconv.AppendInt(b, int64(value), 10)
	} else {
		b = strconv.AppendFloat(b, value, 'f', prec, 64)
	}
	b = append(b, ',')
	b = append(b, o.day...)
	b = append2(b, sec/3600)
	b = append(b, ':')
	b = append2(b, sec/60%60)
	b = append(b, ':')
	b = append2(b, sec%60)
	b = append(b, 'Z', ',')
	b = append(b, region...)
	b = append(b, ',')
	b = append(b, channel...)
	b = append(b, ',')
	b = append(b, plan...)
	b = append(b, ',')
	b = append(b, o.customer...)
	b = append(b, '\n')
	o.buf = b
	o.rows[metric]++
	_, err := o.w.Write(b)
	return err
}

// appendPadded appends n in decimal with at least width digits.
func appendPadded(b []byte, n int64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], n, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// append2 appends a two-digit number.
func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

// pick returns an index drawn with the given weights (summing to about 1).
func pick(r *rand.Rand, weights []float64) int {
	u := r.Float64()
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

// clock draws sorted seconds of the day with an hourly profile.
type clock struct {
	cum  [24]float64
	secs []int
}

func newClock(hours [24]float64) *clock {
	c := &clock{}
	var sum float64
	for _, w := range hours {
		sum += w
	}
	var acc float64
	for i, w := range hours {
		acc += w / sum
		c.cum[i] = acc
	}
	c.cum[23] = 1
	return c
}

// draw returns n sorted seconds of the day.
func (c *clock) draw(r *rand.Rand, n int) []int {
	c.secs = c.secs[:0]
	for range n {
		u := r.Float64()
		h := 0
		for h < 23 && u >= c.cum[h] {
			h++
		}
		c.secs = append(c.secs, h*3600+r.IntN(3600))
	}
	slices.Sort(c.secs)
	return c.secs
}

// count returns a Poisson-like count with mean m.
func count(r *rand.Rand, m float64) int {
	if m <= 0 {
		return 0
	}
	n := math.Round(m + math.Sqrt(m)*r.NormFloat64())
	if n < 0 {
		return 0
	}
	return int(n)
}

// bernoulli reports true with probability p.
func bernoulli(r *rand.Rand, p float64) bool { return r.Float64() < p }

// writeObservations writes data/observations.csv and returns rows per metric.
func writeObservations(path string, s span, calls *callRecord) (map[string]int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	o := &obsWriter{w: bufio.NewWriterSize(f, 1<<20), rows: map[string]int64{}, buf: make([]byte, 0, 256), calls: calls}
	if _, err := o.w.WriteString(observationHeader); err != nil {
		return nil, err
	}
	st := newStory(s)
	for i, g := range []func(*story, *rand.Rand, *obsWriter) error{
		genCalls, genInstalls, genVisits, genBills, genFees, genNetwork, genRefunds,
	} {
		r := rand.New(rand.NewPCG(s.seed, uint64(i+1)*0x9e3779b97f4a7c15))
		if err := g(&st, r, o); err != nil {
			return nil, err
		}
	}
	if err := o.w.Flush(); err != nil {
		return nil, err
	}
	return o.rows, f.Close()
}

// days calls fn for every day of the span.
func (s *story) days(fn func(day time.Time) error) error {
	for d := s.first; !d.After(s.last); d = d.AddDate(0, 0, 1) {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// holiday reports New Year's Day and Christmas, when few people call.
func holiday(d time.Time) bool {
	return (d.Month() == time.January && d.Day() <= 2) || (d.Month() == time.December && (d.Day() == 25 || d.Day() == 26))
}

// genCalls writes call waits and, for the calls whose outcome care records
// (about half), whether the first call solved the problem. Both metrics are
// written in one pass over the calls, then the first-call rows are replayed
// so each metric's rows stay together and in time order.
func genCalls(st *story, r *rand.Rand, o *obsWriter) error {
	const base = 1000.0
	clk := newClock(callHours)
	// fcr is a first-call outcome waiting to be written, kept small: there
	// are hundreds of thousands.
	type fcr struct {
		day                   uint16 // days since the span's first day
		sec                   int32
		solved                bool
		region, channel, plan uint8
	}
	pending := make([]fcr, 0, int(300*st.scale*float64(st.last.Sub(st.first).Hours()/24+1)))
	var seqWait int64
	err := st.days(func(day time.Time) error {
		o.setDay(day)
		m := base * callWeekdays[day.Weekday()] * st.callVolume.at(day) * st.scale
		if holiday(day) {
			m *= 0.3
		}
		if !day.Before(st.stormFrom) && day.Before(st.stormTo) {
			m *= 1.4
		}
		share := st.waitShare.at(day) + 0.006*r.NormFloat64()
		switch day.Weekday() {
		case time.Monday:
			share -= 0.02
		case time.Saturday, time.Sunday:
			share += 0.015
		}
		fc := st.firstCall.at(day)
		campaign := st.inCampaign(day)
		pw := planWeights
		if !day.Before(st.campaignOn) {
			pw = campaignPlanWeights
		}
		for _, sec := range clk.draw(r, count(r, m)) {
			h := sec / 3600
			sh := share
			switch {
			case h >= 6 && h <= 9:
				sh -= 0.025
			case h < 5 || h >= 19:
				sh += 0.03
			}
			wait := callWait(r, bernoulli(r, sh), campaign)
			region := pick(r, regionWeights)
			channel := 0
			if bernoulli(r, 0.15) {
				channel = 1
			}
			plan := pick(r, pw)
			seqWait++
			o.customer = o.calls.caller(o.customer[:0], seqWait, day, wait > 120)
			if err := o.row("c-", metricCallWait, seqWait, wait, -1, sec, regions[region], callChannels[channel], plans[plan]); err != nil {
				return err
			}
			o.customer = o.customer[:0]
			if bernoulli(r, 0.5) {
				// Long holds sour the call: fewer problems get solved.
				p := fc
				if wait > 600 {
					p -= 0.1
				}
				pending = append(pending, fcr{uint16(day.Sub(st.first).Hours() / 24), int32(sec), bernoulli(r, p), uint8(region), uint8(channel), uint8(plan)})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cur := -1
	for i, p := range pending {
		if int(p.day) != cur {
			cur = int(p.day)
			o.setDay(st.first.AddDate(0, 0, cur))
		}
		v := 0.0
		if p.solved {
			v = 1
		}
		if err := o.row("f-", metricFirstCall, int64(i+1), v, -1, int(p.sec), regions[p.region], callChannels[p.channel], plans[p.plan]); err != nil {
			return err
		}
	}
	return nil
}

// callWait draws a call's wait in seconds: a log-normal for calls answered
// within two minutes, an exponential queue for the others, and a tail of
// 20–45 minute holds.
func callWait(r *rand.Rand, fast, campaign bool) float64 {
	if fast {
		for {
			v := math.Round(38 * math.Exp(0.75*r.NormFloat64()))
			if v <= 120 {
				return max(v, 2)
			}
		}
	}
	longHold, queue := 0.08, 200.0
	if campaign {
		longHold, queue = 0.15, 420
	}
	if bernoulli(r, longHold) {
		return float64(1200 + r.IntN(1500))
	}
	return math.Round(121 + queue*r.ExpFloat64())
}

// genInstalls writes the days from order to installation.
func genInstalls(st *story, r *rand.Rand, o *obsWriter) error {
	clk := newClock(workHours)
	var seq int64
	return st.days(func(day time.Time) error {
		base := 150.0
		switch day.Weekday() {
		case time.Saturday:
			base = 80
		case time.Sunday:
			return nil
		}
		if holiday(day) {
			return nil
		}
		o.setDay(day)
		share := st.installShare.at(day) + 0.008*r.NormFloat64()
		campaign := st.inCampaign(day)
		pw := planWeights
		if !day.Before(st.campaignOn) {
			pw = campaignPlanWeights
		}
		for _, sec := range clk.draw(r, count(r, base*st.fieldVolume.at(day)*st.scale)) {
			region := pick(r, regionWeights)
			sh := share
			if regions[region] == "south" {
				sh -= 0.02
			}
			var v float64
			if bernoulli(r, sh) {
				v = float64(1 + pick(r, []float64{0.35, 0.40, 0.25}))
			} else {
				mean := 2.0
				if campaign {
					mean = 5
				}
				v = min(4+math.Floor(mean*r.ExpFloat64()), 30)
			}
			seq++
			if err := o.row("i-", metricInstallDays, seq, v, -1, sec, regions[region], channels[pick(r, chanWeights)], plans[pick(r, pw)]); err != nil {
				return err
			}
		}
		return nil
	})
}

// techOnTime is the share of visits within 15 minutes of the slot, per
// region (in regions order): the north runs well, the south does not.
var techOnTime = []float64{0.93, 0.955, 0.78, 0.93, 0.94}

// genVisits writes technicians' lateness in minutes for installations and
// repairs.
func genVisits(st *story, r *rand.Rand, o *obsWriter) error {
	clk := newClock(workHours)
	var seq int64
	return st.days(func(day time.Time) error {
		base := 170.0
		switch day.Weekday() {
		case time.Saturday:
			base = 90
		case time.Sunday:
			return nil
		}
		if holiday(day) {
			return nil
		}
		o.setDay(day)
		campaign := st.inCampaign(day)
		for _, sec := range clk.draw(r, count(r, base*st.fieldVolume.at(day)*st.scale)) {
			region := pick(r, regionWeights)
			sh := techOnTime[region]
			if campaign {
				sh -= 0.03
			}
			var v float64
			switch {
			case bernoulli(r, sh):
				if bernoulli(r, 0.35) {
					v = float64(1 + r.IntN(15))
				}
			case bernoulli(r, 0.06):
				v = 480 // nobody came: the whole working day
			default:
				v = min(16+math.Round(35*r.ExpFloat64()), 300)
			}
			seq++
			if err := o.row("t-", metricTechLate, seq, v, -1, sec, regions[region], channels[pick(r, chanWeights)], plans[pick(r, planWeights)]); err != nil {
				return err
			}
		}
		return nil
	})
}

// billsPerDay is how many bills the night batch issues a day.
const billsPerDay = 330.0

// genBills writes whether each bill was correct; billing keeps its promise.
func genBills(st *story, r *rand.Rand, o *obsWriter) error {
	clk := newClock(batchHours)
	var seq int64
	return st.days(func(day time.Time) error {
		o.setDay(day)
		for _, sec := range clk.draw(r, count(r, billsPerDay*st.scale)) {
			v := 1.0
			if bernoulli(r, 0.004) {
				v = 0
			}
			seq++
			if err := o.row("b-", metricBillCorrect, seq, v, -1, sec, regions[pick(r, regionWeights)], channels[pick(r, chanWeights)], plans[pick(r, planWeights)]); err != nil {
				return err
			}
		}
		return nil
	})
}

// genFees writes whether each bill carried a fee the customer did not
// expect; the service fee introduced in April makes it creep up.
func genFees(st *story, r *rand.Rand, o *obsWriter) error {
	clk := newClock(batchHours)
	var seq int64
	return st.days(func(day time.Time) error {
		o.setDay(day)
		rate := st.feeRate.at(day)
		for _, sec := range clk.draw(r, count(r, billsPerDay*st.scale)) {
			plan := pick(r, planWeights)
			p := rate
			if plans[plan] == "business" {
				p /= 2 // business contracts spell the fee out
			}
			v := 0.0
			if bernoulli(r, p) {
				v = 1
			}
			seq++
			if err := o.row("u-", metricSurpriseFee, seq, v, -1, sec, regions[pick(r, regionWeights)], channels[pick(r, chanWeights)], plans[plan]); err != nil {
				return err
			}
		}
		return nil
	})
}

// sitesPerRegion is how many cell sites each region has at Scale 1.
const sitesPerRegion = 80

// genNetwork writes each cell site's availability per day: about 99.95%,
// with rare outages, and a storm in the south and east in week 42.
func genNetwork(st *story, r *rand.Rand, o *obsWriter) error {
	per := max(1, int(math.Round(sitesPerRegion*st.scale)))
	var seq int64
	return st.days(func(day time.Time) error {
		o.setDay(day)
		storm := !day.Before(st.stormFrom) && day.Before(st.stormTo)
		for _, region := range regions {
			hit := storm && (region == "south" || region == "east")
			for range per {
				loss := math.Abs(0.03 * r.NormFloat64())
				switch {
				case hit && bernoulli(r, 0.55):
					loss += min(240*r.ExpFloat64(), 1440) / 1440 * 100
				case bernoulli(r, 0.01):
					loss += min(40*r.ExpFloat64(), 1440) / 1440 * 100
				}
				seq++
				if err := o.row("n-", metricAvailability, seq, max(0, 100-loss), 3, 0, region, "", ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// genRefunds writes the days from approval to the money in the account.
func genRefunds(st *story, r *rand.Rand, o *obsWriter) error {
	clk := newClock(workHours)
	var seq int64
	return st.days(func(day time.Time) error {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || holiday(day) {
			return nil
		}
		o.setDay(day)
		share, m := 0.94, 40.0
		if st.inCampaign(day) {
			share, m = 0.935, 60 // campaign cancellations swamp finance
		}
		for _, sec := range clk.draw(r, count(r, m*st.scale)) {
			var v float64
			if bernoulli(r, share) {
				v = float64(1 + pick(r, []float64{0.10, 0.25, 0.30, 0.20, 0.15}))
			} else {
				v = min(6+math.Floor(4*r.ExpFloat64()), 45)
			}
			seq++
			if err := o.row("r-", metricRefundDays, seq, v, -1, sec, regions[pick(r, regionWeights)], channels[pick(r, chanWeights)], plans[pick(r, planWeights)]); err != nil {
				return err
			}
		}
		return nil
	})
}
