package demo

import (
	"bufio"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// feedbackHeader lists the columns of feedback.csv.
var feedbackHeader = []string{"id", "at", "text", "customer", "channel", "kind", "lang", "nps", "csat", "ces", "region"}

// feedbackPerYear is how many feedback items a year holds at Scale 1.
const feedbackPerYear = 6000

// mood is how a feedback item feels.
type mood int

const (
	negative mood = iota
	neutral
	positive
)

// theme is one thing customers write about, with its wording per language
// and how often it comes up on a given day.
type theme struct {
	name string
	mood mood
	// weight returns the expected items a day, before scaling.
	weight func(st *story, day time.Time) float64
	en, ro []string
	// south is the share of items from the south, or 0 for the usual spread.
	south float64
	// effort marks themes where customers describe effort (holds, transfers).
	effort bool
}

// Slot fillers per language; templates name them in braces.
var fillers = map[string]map[string][]string{
	"en": {
		"wait":   {"40 minutes", "almost an hour", "35 min", "over half an hour", "45 minutes", "an hour and a half", "25 minutes"},
		"nth":    {"third", "fourth", "FIFTH", "5th", "sixth"},
		"days":   {"two weeks", "10 days", "a week", "eight days", "12 days", "three weeks"},
		"amount": {"15 RON", "9.90 lei", "20 RON", "12.50 RON", "30 lei"},
		"fee":    {"service fee", "\"handling fee\"", "network maintenance fee", "digital service charge"},
		"times":  {"three times", "4 times", "twice", "five times"},
		"when":   {"yesterday", "this morning", "Monday", "last week", "today"},
	},
	"ro": {
		"wait":   {"40 de minute", "aproape o oră", "35 min", "peste jumătate de oră", "45 de minute", "o oră și jumătate", "25 de minute"},
		"nth":    {"a treia", "a patra", "a CINCEA", "a 5-a", "a șasea"},
		"days":   {"două săptămâni", "10 zile", "o săptămână", "opt zile", "12 zile", "trei săptămâni"},
		"amount": {"15 lei", "9,90 lei", "20 de lei", "12,50 lei", "30 RON"},
		"fee":    {"taxa de serviciu", "„taxa administrativă”", "taxa de mentenanță rețea", "costul de serviciu digital"},
		"times":  {"de trei ori", "de 4 ori", "de două ori", "de cinci ori"},
		"when":   {"ieri", "azi-dimineață", "luni", "săptămâna trecută", "aseară"},
	},
}

// Pieces added around the core of an item, per language.
var (
	sarcasm = map[string][]string{
		"en": {"Great, another delay.", "Wow, thanks Nordtel, really.", "Amazing service as always.", "Oh fantastic.", "Love being ignored."},
		"ro": {"Super, încă o întârziere.", "Bravo, Nordtel, chiar mulțumesc.", "Ce serviciu minunat, ca de obicei.", "Minunat, ce să zic."},
	}
	effortAddOns = map[string][]string{
		"en": {"Transferred three times.", "Your call is important to us... for 40 minutes.", "I had to repeat my account number to every agent.", "Called {times} this week alone.", "Spent my whole lunch break on the phone."},
		"ro": {"Transferat de trei ori.", "„Apelul dumneavoastră este important pentru noi”... timp de 40 de minute.", "A trebuit să repet codul de client fiecărui operator.", "Am sunat {times} doar săptămâna asta.", "Mi-am petrecut toată pauza de masă la telefon."},
	}
	angerAddOns = map[string][]string{
		"en": {"This is the FIFTH time I call!!", "I'm done, cancelling.", "UNACCEPTABLE.", "I will report you to the consumer authority.", "Worst company ever, switching to another operator.", "Absolutely ridiculous!!!"},
		"ro": {"Este a CINCEA oară când sun!!", "Gata, reziliez contractul.", "INACCEPTABIL.", "Vă reclam la ANPC.", "Cea mai proastă companie, trec la alt operator.", "Bătaie de joc!!!"},
	}
	closers = map[mood]map[string][]string{
		negative: {
			"en": {"Please call me back.", "Please fix this.", "", "", "Regards, a customer for 8 years."},
			"ro": {"Vă rog să mă sunați.", "Rezolvați, vă rog.", "", "", "Client de 8 ani."},
		},
		neutral: {
			"en": {"Thanks.", "Thank you!", "", ""},
			"ro": {"Mulțumesc.", "Mersi!", "", ""},
		},
		positive: {
			"en": {"Keep it up!", "Thanks again.", "", ""},
			"ro": {"Tot așa!", "Mulțumesc încă o dată.", "", ""},
		},
	}
)

// themes are what Nordtel's customers write about. The weights follow the
// story: holds spike in the campaign, installation complaints fall after
// the September fix, surprise-fee complaints grow from April, and two
// themes no promise covers (no visit confirmation, pushy shop staff)
// recur all year.
var themes = []theme{
	{
		name: "hold", mood: negative, effort: true,
		weight: func(st *story, d time.Time) float64 { return 25 * (1 - st.waitShare.at(d)) * st.callVolume.at(d) },
		en: []string{
			"I waited {wait} on hold {when} and nobody answered.",
			"Called customer care {when}, {wait} listening to the hold music before I hung up.",
			"Nobody answers the phone at Nordtel anymore. {wait} in the queue!",
			"You promise 2 minutes. I waited {wait}. On hold. Again.",
			"Tried to call about my contract, {wait} on hold and then the line dropped.",
			"Waited for ages on the line just to ask a simple question.",
			"why does it take {wait} to talk to a human??",
		},
		ro: []string{
			"Am așteptat {wait} la telefon {when} și nu a răspuns nimeni.",
			"Am sunat la relații cu clienții {when}, {wait} în așteptare cu muzica aceea, apoi am închis.",
			"La Nordtel nu mai răspunde nimeni la telefon. {wait} de așteptare!",
			"Promiteți 2 minute. Am stat {wait} în așteptare. Din nou.",
			"Am sunat pentru contract, am stat {wait} la coadă și s-a întrerupt apelul.",
			"de ce durează {wait} să vorbesc cu un om??",
		},
	},
	{
		name: "first-call", mood: negative, effort: true,
		weight: func(st *story, d time.Time) float64 { return 12 * (1 - st.firstCall.at(d)) * st.callVolume.at(d) },
		en: []string{
			"This is the {nth} time I call about the same problem and it is still not solved.",
			"I was transferred {times} and had to explain everything again every time.",
			"Called {when}, they said it was fixed. It wasn't. Called again, same story.",
			"Every agent tells me something different, nobody actually solves anything.",
			"The agent promised a callback that never came, so I had to call again.",
		},
		ro: []string{
			"Este {nth} oară când sun pentru aceeași problemă și tot nu s-a rezolvat.",
			"Am fost transferat {times} și a trebuit să explic totul de la capăt de fiecare dată.",
			"Am sunat {when}, mi-au zis că s-a rezolvat. Nu s-a rezolvat. Am sunat din nou, aceeași poveste.",
			"Fiecare operator îmi spune altceva, nimeni nu rezolvă nimic.",
			"Operatorul a promis că mă sună înapoi, nu m-a sunat nimeni, așa că iar am sunat.",
		},
	},
	{
		name: "install", mood: negative,
		weight: func(st *story, d time.Time) float64 {
			return 20 * (1 - st.installShare.at(d)) * st.fieldVolume.at(d)
		},
		en: []string{
			"Ordered internet {days} ago and I'm still waiting for the installation.",
			"You said installation in 3 days. It's been {days}. Still no internet.",
			"Installation date moved {times}. I work from home, this is costing me money.",
			"Waiting for the installer for {days} now, nobody can tell me anything.",
			"Signed up for Summer Unlimited, {days} later still not connected.",
		},
		ro: []string{
			"Am comandat internet acum {days} și încă aștept instalarea.",
			"Ați spus instalare în 3 zile. Au trecut {days}. Tot fără internet.",
			"Data instalării a fost mutată {times}. Lucrez de acasă, mă costă bani.",
			"Aștept instalatorul de {days}, nimeni nu știe să-mi spună nimic.",
			"M-am abonat la Summer Unlimited și după {days} încă nu sunt conectat.",
		},
	},
	{
		name: "bill", mood: negative,
		weight: func(*story, time.Time) float64 { return 0.6 },
		en: []string{
			"My bill is wrong, I was charged twice for the same month.",
			"Overcharged by {amount} this month, the bill doesn't match my contract.",
			"Billing error again: roaming charges and I never left the country.",
		},
		ro: []string{
			"Factura e greșită, am fost taxat de două ori pentru aceeași lună.",
			"Mi-ați luat în plus {amount} luna asta, factura nu corespunde cu contractul.",
			"Iar eroare de facturare: roaming, deși nu am ieșit din țară.",
		},
	},
	{
		name: "fee", mood: negative,
		weight: func(st *story, d time.Time) float64 { return 80 * st.feeRate.at(d) },
		en: []string{
			"What is this {fee} of {amount} on my bill? Nobody told me about it.",
			"Hidden fee on my bill: {amount}, a {fee}. I never agreed to this.",
			"You advertise no hidden fees and then add a {fee}. Shameful.",
			"My bill went up by {amount} because of a new {fee}. No warning at all.",
			"Surprise fee again this month. {amount} extra for nothing.",
		},
		ro: []string{
			"Ce e {fee} de {amount} de pe factură? Nu m-a anunțat nimeni.",
			"Taxă ascunsă pe factură: {amount}, {fee}. Nu am fost de acord cu așa ceva.",
			"Faceți reclamă că nu aveți taxe ascunse și apoi apare {fee}. Rușinos.",
			"Factura mi-a crescut cu {amount} din cauza unei taxe noi. Fără niciun anunț.",
			"Iar o taxă surpriză luna asta. {amount} în plus pentru nimic.",
		},
	},
	{
		name: "network", mood: negative,
		weight: func(st *story, d time.Time) float64 {
			if !d.Before(st.stormFrom) && d.Before(st.stormTo.AddDate(0, 0, 2)) {
				return 30
			}
			return 0.8
		},
		en: []string{
			"No signal at home since {when}. The network is down and nobody says anything.",
			"Internet is down again. Third outage this month.",
			"Mobile data not working in the whole area, no coverage at all.",
			"After the storm we have had no signal for two days.",
		},
		ro: []string{
			"Nu am semnal acasă de {when}. Rețeaua e picată și nu zice nimeni nimic.",
			"Iar nu merge internetul. A treia pană luna asta.",
			"Datele mobile nu merg în toată zona, nu am semnal deloc.",
			"După furtună suntem fără semnal de două zile.",
		},
	},
	{
		name: "refund", mood: negative,
		weight: func(st *story, d time.Time) float64 {
			if st.inCampaign(d) {
				return 1.6
			}
			return 1.0
		},
		en: []string{
			"Closed my contract {days} ago and I'm still waiting for my refund.",
			"Where is my money back? You said 5 days, it's been {days}.",
			"Still not refunded. You owe me {amount}.",
		},
		ro: []string{
			"Am închis contractul acum {days} și încă aștept rambursarea.",
			"Unde sunt banii înapoi? Ați zis 5 zile, au trecut {days}.",
			"Încă nu am primit banii. Îmi datorați {amount}.",
		},
	},
	{
		name: "technician", mood: negative, south: 0.6,
		weight: func(*story, time.Time) float64 { return 1.8 },
		en: []string{
			"The technician was supposed to come between 10 and 12, showed up at 3.",
			"Took a day off work and the technician never came.",
			"Waited all day for the technician. No-show, no call.",
			"Technician late again, {wait} after the slot we booked.",
		},
		ro: []string{
			"Tehnicianul trebuia să vină între 10 și 12, a venit la 3.",
			"Mi-am luat liber de la serviciu și tehnicianul nu a venit.",
			"Am așteptat toată ziua tehnicianul. Nu a venit nimeni, nu a sunat nimeni.",
			"Tehnicianul a întârziat iar, cu {wait} după intervalul stabilit.",
		},
	},
	{
		// Unmet expectation: no promise says Nordtel will tell customers
		// when the technician comes.
		name: "visit-confirmation", mood: negative,
		weight: func(st *story, d time.Time) float64 { return 2.0 * st.fieldVolume.at(d) },
		en: []string{
			"Nobody tells me when the technician will come. Not even an SMS.",
			"No SMS confirmation, no time, nothing. I just have to stay home and guess.",
			"Why can't you send a text the day before with the time of the visit?",
			"I got no message about the appointment, had to call to find out the date.",
			"Would be nice to know what time someone is coming instead of \"sometime this week\".",
		},
		ro: []string{
			"Nu îmi spune nimeni când vine tehnicianul. Nici măcar un SMS.",
			"Niciun SMS de confirmare, nicio oră, nimic. Trebuie să stau acasă și să ghicesc.",
			"De ce nu puteți trimite un mesaj cu o zi înainte, cu ora vizitei?",
			"Nu am primit niciun mesaj despre programare, a trebuit să sun să aflu data.",
		},
	},
	{
		// Unmet expectation: nothing in the ledger covers pushy selling.
		name: "pushy-upsell", mood: negative,
		weight: func(st *story, d time.Time) float64 {
			if st.inCampaign(d) {
				return 2.2
			}
			return 1.2
		},
		en: []string{
			"The shop staff pushed an upgrade I didn't want.",
			"Went into the shop to pay a bill and came out with a more expensive plan. The salesman would not take no for an answer.",
			"In the store they kept insisting I switch to Summer Unlimited. I just wanted a new SIM.",
			"Felt pressured in the shop to sign a 24-month contract for a phone I didn't need.",
		},
		ro: []string{
			"Cei din magazin mi-au băgat pe gât un abonament mai scump pe care nu îl voiam.",
			"Am intrat în magazin să plătesc factura și am ieșit cu un abonament nou. Vânzătorul a insistat întruna.",
			"În magazin au insistat să trec pe Summer Unlimited. Voiam doar o cartelă nouă.",
			"M-am simțit presat în magazin să semnez pe 24 de luni pentru un telefon de care nu aveam nevoie.",
		},
	},
	{
		name: "praise", mood: positive,
		weight: func(st *story, d time.Time) float64 {
			if st.inCampaign(d) {
				return 2.5
			}
			return 3.5
		},
		en: []string{
			"Installation done in two days, the technician was polite and explained everything.",
			"The agent on the phone was lovely and fixed my problem in five minutes. Thank you!",
			"Network has been rock solid, no complaints.",
			"Got through in under a minute and the issue was solved on the first call. Impressed.",
			"Clear bill, no surprises. Happy with Nordtel.",
			"Quick and friendly service in the shop, thanks Ioana!",
		},
		ro: []string{
			"Instalarea s-a făcut în două zile, tehnicianul a fost politicos și mi-a explicat tot.",
			"Operatoarea a fost foarte amabilă și mi-a rezolvat problema în cinci minute. Mulțumesc!",
			"Rețeaua merge perfect, nicio problemă.",
			"Mi-au răspuns în mai puțin de un minut și s-a rezolvat din primul apel. Bravo!",
			"Factura clară, fără surprize. Sunt mulțumit de Nordtel.",
		},
	},
	{
		name: "question", mood: neutral,
		weight: func(*story, time.Time) float64 { return 1.0 },
		en: []string{
			"How do I change my plan from the app?",
			"Can I move my subscription to a new address?",
			"Is there 5G coverage in my area?",
			"What are the shop opening hours on Saturday?",
		},
		ro: []string{
			"Cum îmi schimb abonamentul din aplicație?",
			"Pot muta abonamentul la o adresă nouă?",
			"Există acoperire 5G în zona mea?",
			"Care e programul magazinului sâmbăta?",
		},
	},
}

// Kinds of feedback and their channels.
var (
	kinds       = []string{"complaint", "survey", "review", "ticket", "social", "call"}
	kindWeights = []float64{0.30, 0.25, 0.10, 0.10, 0.15, 0.10}
	kindChannel = map[string][]string{
		"complaint": {"phone", "email", "shop", "web"},
		"survey":    {"email", "app", "sms"},
		"review":    {"web", "app"},
		"ticket":    {"web", "app", "email"},
		"social":    {"social"},
		"call":      {"phone"},
	}
)

// writeFeedback writes data/feedback.csv and returns its row count.
func writeFeedback(path string, s span) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	w := csv.NewWriter(bw)
	if err := w.Write(feedbackHeader); err != nil {
		return 0, err
	}
	st := newStory(s)
	r := rand.New(rand.NewPCG(s.seed, 0xfeedbac4))
	// Spread the year's items over the days in proportion to the themes'
	// weights, so the volume itself tells the story.
	yearStart := time.Date(s.year, time.January, 1, 0, 0, 0, 0, time.UTC)
	yearEnd := time.Date(s.year, time.December, 31, 0, 0, 0, 0, time.UTC)
	var total float64
	for d := yearStart; !d.After(yearEnd); d = d.AddDate(0, 0, 1) {
		for i := range themes {
			total += themes[i].weight(&st, d)
		}
	}
	k := feedbackPerYear * s.scale / total
	clk := newClock(callHours)
	weights := make([]float64, len(themes))
	var seq int64
	rec := make([]string, len(feedbackHeader))
	err = st.days(func(day time.Time) error {
		var sum float64
		for i := range themes {
			weights[i] = themes[i].weight(&st, day)
			sum += weights[i]
		}
		for i := range weights {
			weights[i] /= sum
		}
		for _, sec := range clk.draw(r, count(r, k*sum)) {
			seq++
			item(r, &themes[pick(r, weights)], rec)
			rec[0] = "fb-" + string(appendPadded(nil, seq, 6))
			rec[1] = day.Add(time.Duration(sec) * time.Second).Format(time.RFC3339)
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	return seq, f.Close()
}

// item fills rec (from text on) with one feedback item of theme t.
func item(r *rand.Rand, t *theme, rec []string) {
	lang := "en"
	if bernoulli(r, 0.4) {
		lang = "ro"
	}
	m := t.mood
	var kind string
	switch m {
	case positive: // nobody files a complaint to say thank you
		kind = oneOf(r, []string{"survey", "survey", "review", "social"})
	case neutral:
		kind = oneOf(r, []string{"ticket", "call", "social"})
	default:
		kind = kinds[pick(r, kindWeights)]
	}
	angry := m == negative && bernoulli(r, 0.25)
	var parts []string
	if m == negative && bernoulli(r, 0.08) {
		parts = append(parts, oneOf(r, sarcasm[lang]))
	}
	core := oneOf(r, t.en)
	if lang == "ro" {
		core = oneOf(r, t.ro)
	}
	parts = append(parts, core)
	if m == negative && t.effort && bernoulli(r, 0.35) {
		parts = append(parts, oneOf(r, effortAddOns[lang]))
	}
	if angry {
		parts = append(parts, oneOf(r, angerAddOns[lang]))
	}
	if c := oneOf(r, closers[m][lang]); c != "" && !angry {
		parts = append(parts, c)
	}
	text := fill(r, strings.Join(parts, " "), fillers[lang])
	if lang == "ro" {
		text = diacritics(r, text)
	}
	text = typos(r, text)

	region := regions[pick(r, regionWeights)]
	if t.south > 0 {
		if bernoulli(r, t.south) {
			region = "south"
		} else {
			region = regions[[]int{0, 1, 3, 4}[r.IntN(4)]]
		}
	}
	ch := kindChannel[kind]
	rec[2] = text
	rec[3] = "cust-" + string(appendPadded(nil, int64(1+r.IntN(250000)), 6))
	rec[4] = ch[r.IntN(len(ch))]
	rec[5] = kind
	rec[6] = lang
	rec[7], rec[8], rec[9] = "", "", ""
	if kind == "survey" {
		rec[7] = strconv.Itoa(nps(r, m, angry))
		if bernoulli(r, 0.4) {
			rec[9] = strconv.Itoa(ces(r, m))
		}
	}
	if (kind == "survey" || kind == "call" || kind == "ticket") && bernoulli(r, 0.6) {
		rec[8] = strconv.Itoa(csat(r, m))
	}
	rec[10] = region
}

// nps draws a 0–10 likelihood to recommend that fits the mood.
func nps(r *rand.Rand, m mood, angry bool) int {
	switch {
	case angry:
		return r.IntN(3)
	case m == negative:
		return r.IntN(5)
	case m == neutral:
		return 5 + r.IntN(4)
	}
	return 8 + pick(r, []float64{0.2, 0.35, 0.45})
}

// csat draws a 1–5 satisfaction score that fits the mood.
func csat(r *rand.Rand, m mood) int {
	switch m {
	case negative:
		return 1 + pick(r, []float64{0.65, 0.35})
	case neutral:
		return 3
	}
	return 4 + r.IntN(2)
}

// ces draws a 1–7 effort score (7 is the most effort) that fits the mood.
func ces(r *rand.Rand, m mood) int {
	switch m {
	case negative:
		return 5 + r.IntN(3)
	case neutral:
		return 3 + r.IntN(3)
	}
	return 1 + r.IntN(2)
}

func oneOf(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// fill replaces {slot}s with fillers.
func fill(r *rand.Rand, s string, slots map[string][]string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		if xs, ok := slots[s[i+1:i+j]]; ok {
			b.WriteString(oneOf(r, xs))
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// Romanian is written three ways: with comma-below ș ț (correct), without
// diacritics (very common on phones), and with the legacy cedilla ş ţ.
var (
	stripDiacritics = strings.NewReplacer("ă", "a", "â", "a", "î", "i", "ș", "s", "ț", "t",
		"Ă", "A", "Â", "A", "Î", "I", "Ș", "S", "Ț", "T")
	cedilla = strings.NewReplacer("ș", "ş", "ț", "ţ", "Ș", "Ş", "Ț", "Ţ")
)

func diacritics(r *rand.Rand, s string) string {
	switch u := r.Float64(); {
	case u < 0.35:
		return stripDiacritics.Replace(s)
	case u < 0.47:
		return cedilla.Replace(s)
	}
	return s
}

// typos gives some items the slips of people typing on phones: a swapped
// or doubled letter, no capital, no final stop.
func typos(r *rand.Rand, s string) string {
	if bernoulli(r, 0.12) {
		words := strings.Fields(s)
		for range 1 + r.IntN(2) {
			i := r.IntN(len(words))
			w := []rune(words[i])
			if len(w) < 5 || !allLetters(w) {
				continue
			}
			j := 1 + r.IntN(len(w)-2)
			if bernoulli(r, 0.5) {
				w[j], w[j+1] = w[j+1], w[j]
			} else {
				w = slices.Insert(w, j, w[j])
			}
			words[i] = string(w)
		}
		s = strings.Join(words, " ")
	}
	if bernoulli(r, 0.08) {
		if c, n := utf8.DecodeRuneInString(s); unicode.IsUpper(c) && !unicode.IsUpper(nextRune(s[n:])) {
			s = string(unicode.ToLower(c)) + s[n:]
		}
	}
	if bernoulli(r, 0.1) && strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "..") {
		s = s[:len(s)-1]
	}
	return s
}

func nextRune(s string) rune {
	c, _ := utf8.DecodeRuneInString(s)
	return c
}

func allLetters(w []rune) bool {
	for _, c := range w {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return true
}
