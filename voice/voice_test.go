package voice

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/saydo/saydo"
)

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"english", "I have been waiting for my card for two weeks", "en"},
		{"english short", "Great, another delay.", "en"},
		{"romanian comma below", "Nu răspunde nimeni la telefon, aștept de o oră", "ro"},
		{"romanian cedilla", "Nu răspunde nimeni la telefon, aştept de o oră", "ro"},
		{"romanian without diacritics", "Nu raspunde nimeni la telefon si astept de o ora", "ro"},
		{"french", "Je ne suis pas content de votre service, merci", "fr"},
		{"german", "Ich bin mit dem Service nicht zufrieden und das ist sehr schlecht", "de"},
		{"empty", "", Undetermined},
		{"numbers only", "12345 678", Undetermined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectLanguage(tt.text); got != tt.want {
				t.Errorf("DetectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSentiment(t *testing.T) {
	a := New(nil, Options{})
	tests := []struct {
		name, text, lang, want string
	}{
		{"en positive", "The technician was quick and very polite, thank you!", "en", "positive"},
		{"en negative", "Terrible service, the worst I have ever had.", "en", "negative"},
		{"en negation of positive", "The agent was not helpful at all.", "en", "negative"},
		{"en negation of negative", "The installation was not bad.", "en", "positive"},
		{"en still waiting", "Still waiting for my refund.", "en", "negative"},
		{"en on hold for an hour", "I was on hold for an hour.", "en", "negative"},
		{"en no one answers", "No one answers the phone.", "en", "negative"},
		{"en thanks for nothing", "Thanks for nothing.", "en", "negative"},
		{"en sarcasm great another delay", "Great, another delay.", "en", "negative"},
		{"en sarcasm love how", "Love how I'm still on hold after 40 minutes.", "en", "negative"},
		{"en sincere great", "Great service, everything works.", "en", "positive"},
		{"en but shifts weight", "The phone is nice but the support is awful and useless.", "en", "negative"},
		{"en neutral question", "Can I move my subscription to a new address?", "en", "neutral"},
		{"en mention is not praise", "@united what is the baggage allowance? https://t.co/x", "en", "neutral"},
		{"en request is not praise", "Please help me, I would like to change my plan.", "en", "neutral"},
		{"en mention with complaint", "@united thanks for nothing, flight delayed again", "en", "negative"},
		{"ro pozitiv", "Mulțumesc, totul a fost perfect, tehnicianul a fost foarte amabil.", "ro", "positive"},
		{"ro negativ", "Servicii groaznice, sunt foarte nemulțumit.", "ro", "negative"},
		{"ro negație nu", "Nu sunt mulțumit de serviciu.", "ro", "negative"},
		{"ro negație fără diacritice", "Nu sunt multumit de serviciu.", "ro", "negative"},
		{"ro cedilă", "Sunt nemulţumit, bătaie de joc.", "ro", "negative"},
		{"ro flexiune", "Tehnicienii au fost amabili și profesioniști.", "ro", "positive"},
		{"ro tot aștept", "Tot aștept rambursarea.", "ro", "negative"},
		{"ro nu răspunde nimeni", "Nu răspunde nimeni la telefon.", "ro", "negative"},
		{"ro sarcasm", "Super, încă o întârziere.", "ro", "negative"},
		{"ro nu funcționează", "Internetul nu funcționează de ieri.", "ro", "negative"},
		{"detected language", "Nu raspunde nimeni, bataie de joc", "", "negative"},
		// From issue 9: a broken promise cited, praise words around a
		// complaint, quality words with no function word, "thanks" as a
		// sarcasm opener.
		{"en late again as promised", "Late again. Third time this month. I want my free pizza as promised!", "", "negative"},
		{"en cold pizza", "Cold pizza, soggy box.", "", "negative"},
		{"en thanks for the delay", "@united thanks for the 3 hour delay", "", "negative"},
		{"en polite complaint", "Thank you for the quick reply, but the problem is still there", "", "negative"},
		{"en praise around a complaint", "Thanks so much! My card was charged twice and nobody can tell me why. Please help, great app otherwise.", "", "negative"},
		{"en credit is not praise", "I disputed the late payment on my credit report with the credit bureau and the interest is still charged.", "", "negative"},
		{"en outstanding service", "Outstanding service, the room was spotless.", "", "positive"},
		{"en sincere thanks", "Thanks, the agent sorted it out in five minutes.", "", "positive"},
		{"ro iar întârziat cum ați promis", "Iar întârziat. A treia oară luna asta. Vreau pizza gratuită, cum ați promis!", "", "negative"},
		{"ro pizza rece", "Pizza rece, cutia udă.", "", "negative"},
		{"ro mulțumesc dar", "Mulțumesc frumos pentru ajutor, dar problema tot nu e rezolvată.", "", "negative"},
		{"ro mi s-a promis", "Mi s-a promis rambursarea în 5 zile și nu am primit nimic.", "", "negative"},
		{"en never again", "@JetBlue I'm never flying with you again", "", "negative"},
		{"en would have been nice", "Thanks. It would have been nice to know before I got to the airport though", "", "negative"},
		{"en and counting", "2 hours on the tarmac and counting", "", "negative"},
		{"en what is the point", "What's the point of priority boarding if you board everyone at once", "", "negative"},
		{"ro niciodată nu mai", "Niciodată nu mai cumpăr de la voi.", "", "negative"},
		{"ro ar fi fost frumos", "Ar fi fost frumos să mă anunțați înainte.", "", "negative"},
		// What a customer tells support after trying: no feeling word,
		// yet a complaint; answers to the agent are not praise.
		{"en can't subscribe, thanks", "Hi, I can't subscribe to the family plan, it keeps sending me back to the same page. Thanks", "", "negative"},
		{"en advice did not help", "I restarted the router like you said but it didn't help.", "", "negative"},
		{"en no luck", "No luck, still the same.", "", "negative"},
		{"en none apply", "None of these steps apply to my case.", "", "negative"},
		{"en used to work", "It previously worked fine on my laptop.", "", "negative"},
		{"en keeps happening", "Reinstalled it and it keeps happening on my tablet as well.", "", "negative"},
		{"en why not", "Why can't I download my own playlists?", "", "negative"},
		{"en not okay", "The new layout is really not okay.", "", "negative"},
		{"en yes is an answer", "Yes it is.", "", "neutral"},
		{"en yep with version", "Yep, version 8.4 on Android", "", "neutral"},
		{"en ok I will", "Ok I will try that", "", "neutral"},
		{"en feature request", "Would be great to have a sleep timer on desktop.", "", "neutral"},
		{"en fixed, thanks", "That fixed it, thank you so much!", "", "positive"},
		{"ro nu pot plăti, mulțumesc", "Bună ziua, nu pot plăti factura din aplicație. Mulțumesc", "ro", "negative"},
		{"ro nu m-a ajutat", "Am repornit telefonul, dar nu m-a ajutat.", "ro", "negative"},
		{"ro tot la fel", "Am reinstalat aplicația și tot la fel.", "ro", "negative"},
		{"ro înainte mergea", "Înainte mergea fără probleme pe laptop.", "ro", "negative"},
		{"ro au dispărut", "Mi-au dispărut toate listele de redare.", "ro", "negative"},
		{"ro nicio schimbare", "Nicio schimbare după actualizare.", "ro", "negative"},
		{"ro fara diacritice", "Nu pot plati factura din aplicatie.", "ro", "negative"},
		{"en sad emoji", "All my playlists 😔", "", "negative"},
		{"en thanks emoji", "Sorted, thank you 😊", "", "positive"},
		{"en polite thanks emoji on a complaint", "Still can't log in 🙏", "", "negative"},
		{"en does not understand the answer", "I don't understand what your answer means.", "", "negative"},
		{"ro nu înțeleg", "Nu înțeleg ce înseamnă răspunsul vostru.", "ro", "negative"},
		{"ro emoji", "Mi-au dispărut listele 😭", "ro", "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Analyze(tt.text, tt.lang)
			if tt.lang == "" && DetectLanguage(tt.text) == Undetermined {
				t.Errorf("DetectLanguage(%q) = und, want a language", tt.text)
			}
			if got.Label != tt.want {
				t.Errorf("Analyze(%q).Label = %q (%.3f), want %q", tt.text, got.Label, got.Sentiment, tt.want)
			}
		})
	}
}

func TestDiacriticsVariantsAgree(t *testing.T) {
	a := New(nil, Options{})
	variants := []string{
		"Sunt foarte nemulțumit, aștept de o săptămână și nu răspunde nimeni.",
		"Sunt foarte nemulţumit, aştept de o săptămână şi nu răspunde nimeni.",
		"Sunt foarte nemultumit, astept de o saptamana si nu raspunde nimeni.",
	}
	first := a.Analyze(variants[0], "")
	for _, v := range variants[1:] {
		got := a.Analyze(v, "")
		if got.Label != first.Label || math.Abs(got.Sentiment-first.Sentiment) > 0.15 {
			t.Errorf("Analyze(%q) = %s %.3f, want about %s %.3f as for %q", v, got.Label, got.Sentiment, first.Label, first.Sentiment, variants[0])
		}
	}
}

func TestAnger(t *testing.T) {
	a := New(nil, Options{})
	tests := []struct {
		name, text string
		want       bool
	}{
		{"en furious", "I am furious, this is unacceptable!!", true},
		{"en caps and bangs", "THIS IS A JOKE. FIX IT NOW!!!", true},
		{"en threat", "Worst company ever, I'm calling my lawyer and switching provider.", true},
		{"en calm complaint", "My bill seems higher than usual this month.", false},
		{"en shouted cue", "Still not refunded. UNACCEPTABLE.", true},
		{"en happy exclamations", "Thank you so much!! Great job!!", false},
		{"ro revoltat", "Sunt revoltat, bătaie de joc!!!", true},
		{"ro hoți", "Hoți și incompetenți, reziliez contractul!", true},
		{"ro calm", "Factura pare mai mare luna aceasta.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.Analyze(tt.text, ""); got.Anger != tt.want {
				t.Errorf("Analyze(%q).Anger = %v (sentiment %.2f), want %v", tt.text, got.Anger, got.Sentiment, tt.want)
			}
		})
	}
}

func TestEffort(t *testing.T) {
	a := New(nil, Options{})
	tests := []struct {
		name, text string
		want       []string
	}{
		{"en called five times", "I have called five times about this.", []string{"repeat_contact"}},
		{"en third time", "This is the third time I contact you.", []string{"repeat_contact"}},
		{"en transferred", "I was transferred to another department twice.", []string{"transfer"}},
		{"en passed around", "They passed me around between three teams.", []string{"transfer"}},
		{"en on hold an hour", "I was on hold for an hour.", []string{"long_hold"}},
		{"en waited 45 minutes", "Waited 45 minutes in the queue.", []string{"long_hold"}},
		{"en short wait", "I waited 2 minutes and got help.", nil},
		{"en hold loop", "Your call is important to us, please hold.", []string{"hold_loop"}},
		{"en all of them", "Called 4 times, transferred twice, on hold for an hour each time, and all our agents are busy every time.", []string{"repeat_contact", "transfer", "long_hold", "hold_loop"}},
		{"ro de trei ori", "Am sunat de trei ori și tot nimic.", []string{"repeat_contact"}},
		{"ro a cincea oară", "Este a cincea oară când sun.", []string{"repeat_contact"}},
		{"ro transferat", "M-au transferat la alt departament.", []string{"transfer"}},
		{"ro o oră", "Am așteptat o oră la telefon.", []string{"long_hold"}},
		{"ro fără diacritice", "Am asteptat 40 de minute la telefon.", []string{"long_hold"}},
		{"ro apelul important", "Apelul dumneavoastră este important pentru noi.", []string{"hold_loop"}},
		{"ro taxat de două ori is no contact", "M-au taxat de două ori.", nil},
		{"none", "The new router works fine.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Analyze(tt.text, "").Effort
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("Analyze(%q).Effort = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func nordtelPromises() []saydo.Promise {
	return []saydo.Promise{
		{ID: "answer-in-2-min", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds",
			Voice: map[string][]string{"en": {"on hold", "nobody answers"}, "ro": {"în așteptare", "nu răspunde nimeni"}}},
		{ID: "install-in-3-days", Says: "Your internet is installed within 3 days.", Metric: "install_days"},
		{ID: "refund-in-5-days", Says: "Refunds reach your account within 5 days.", Metric: "refund_days",
			Voice: map[string][]string{"en": {"money back"}, "ro": {"banii înapoi"}}},
		{ID: "warn-before-cutoff", Says: "We always warn you before we suspend your service.", Metric: "cutoff_warned",
			Voice: map[string][]string{"en": {"cut off without warning"}, "ro": {"deconectat fără avertisment"}}},
	}
}

func TestMapping(t *testing.T) {
	a := New(nordtelPromises(), Options{})
	tests := []struct {
		name, text, want string
	}{
		{"en different words", "Nobody picks up the phone when I ring customer care.", "answer-in-2-min"},
		{"en voice phrase inflected", "I was held on hold forever.", "answer-in-2-min"},
		{"en word order", "The phone was answered by nobody.", "answer-in-2-min"},
		{"en negated voice phrase", "No one answered.", "answer-in-2-min"},
		{"en install inflection", "Still waiting for the installation of my internet.", "install-in-3-days"},
		{"en refund phrase", "When do I get my money back?", "refund-in-5-days"},
		{"en refund from says", "The refund never reached my account.", "refund-in-5-days"},
		{"en cutoff", "You cut off my line without any warning!", "warn-before-cutoff"},
		{"ro telefon", "Nu răspunde nimeni la telefon.", "answer-in-2-min"},
		{"ro fără diacritice", "Nu raspunde nimeni la telefon.", "answer-in-2-min"},
		{"ro apel în așteptare", "Am stat în așteptare o veșnicie.", "answer-in-2-min"},
		{"ro instalare internet", "Aștept de o săptămână instalarea internetului.", "install-in-3-days"},
		{"ro rambursare cont", "Rambursarea nu a ajuns în contul meu.", "refund-in-5-days"},
		{"unrelated", "The shop staff pushed an upgrade I didn't want.", ""},
		{"unrelated ro", "Vânzătorul din magazin a fost nepoliticos.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Analyze(tt.text, "").Promises
			if first := firstPromise(got); first != tt.want {
				t.Errorf("Analyze(%q).Promises = %+v, want first %q", tt.text, got, tt.want)
			}
			for _, m := range got {
				if m.Match == "" || !strings.Contains(tt.text, strings.Split(m.Match, " … ")[0]) {
					t.Errorf("Analyze(%q) match %q is not a phrase of the text", tt.text, m.Match)
				}
				if m.Score <= 0 || m.Score > 1 {
					t.Errorf("Analyze(%q) score %v, want in (0,1]", tt.text, m.Score)
				}
			}
		})
	}
}

func TestClassifier(t *testing.T) {
	var ex []Example
	for i := 0; i < 10; i++ {
		ex = append(ex,
			Example{Text: "my card has not arrived yet", Label: "card"},
			Example{Text: "where is my new card, still not delivered", Label: "card"},
			Example{Text: "the transfer to my friend is still pending", Label: "transfer"},
			Example{Text: "money I sent has not reached the recipient", Label: "transfer"},
		)
	}
	c := Train(ex, TrainOptions{})
	tests := []struct{ text, want string }{
		{"card still not arrived", "card"},
		{"transfer pending for days", "transfer"},
	}
	for _, tt := range tests {
		if got, p := c.Predict(tt.text, "en"); got != tt.want || p <= 0.5 {
			t.Errorf("Predict(%q) = %q %.2f, want %q with p > 0.5", tt.text, got, p, tt.want)
		}
	}
	ev := CrossValidate(ex, 5, 1, TrainOptions{})
	if ev.MacroF1 < 0.9 || ev.N != len(ex) {
		t.Errorf("CrossValidate = %+v, want macro-F1 >= 0.9 over %d", ev, len(ex))
	}
}

func TestClassifierAddsMentions(t *testing.T) {
	var ex []Example
	for i := 0; i < 10; i++ {
		ex = append(ex, Example{Text: "the router lights are blinking red", Label: "install-in-3-days"},
			Example{Text: "my bill is too high", Label: "other"})
	}
	a := New(nordtelPromises(), Options{Classifier: Train(ex, TrainOptions{})})
	got := a.Analyze("router blinking red again", "en").Promises
	if len(got) != 1 || got[0].PromiseID != "install-in-3-days" {
		t.Errorf("Analyze with classifier = %+v, want install-in-3-days", got)
	}
}

func TestEvaluate(t *testing.T) {
	gold := []string{"a", "a", "b", "b", "none"}
	pred := []string{"a", "b", "b", "none", "a"}
	ev := Evaluate(gold, pred, "none")
	// a: tp 1, fp 1, fn 1 -> P .5 R .5 F1 .5; b: tp 1, fp 1, fn 1 -> .5
	if len(ev.Classes) != 2 || math.Abs(ev.MacroF1-0.5) > 1e-9 || math.Abs(ev.Accuracy-0.4) > 1e-9 {
		t.Errorf("Evaluate = %+v, want 2 classes, macro-F1 0.5, accuracy 0.4", ev)
	}
}

func fb(text string, at time.Time, an saydo.Analysis) *saydo.Feedback {
	return &saydo.Feedback{Text: text, At: at, Lang: "en", NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN(), Analysis: an}
}

func TestThemes(t *testing.T) {
	tf := NewThemeFinder()
	jan := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	feb := jan.AddDate(0, 1, 0)
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for i := 0; i < 12; i++ {
		at := jan
		if i%3 == 0 {
			at = feb
		}
		tf.Add(fb("Roaming charges abroad are a scandal, roaming prices everywhere", at, neg))
		tf.Add(fb("The app logs me out every day", jan, saydo.Analysis{Label: "neutral"}))
		tf.Add(fb("Internet slow again tonight", jan, saydo.Analysis{Label: "negative", Promises: []saydo.Mention{{PromiseID: "x"}}}))
	}
	got := tf.Themes(5, 3)
	if len(got) == 0 || !strings.Contains(strings.Join(got[0].Terms, " "), "roaming") {
		t.Fatalf("Themes = %+v, want a roaming theme first", got)
	}
	if got[0].Count != 12 || len(got[0].Months) != 2 || len(got[0].Quotes) == 0 {
		t.Errorf("theme = %+v, want 12 items over 2 months with quotes", got[0])
	}
}

func TestTallyAndIceberg(t *testing.T) {
	tl := NewTally()
	m := []saydo.Mention{{PromiseID: "p", Score: 1}}
	add := func(label string, anger bool, effort []string, nps, csat, ces float64) {
		f := fb("text "+label, time.Time{}, saydo.Analysis{Label: label, Sentiment: map[string]float64{"negative": -0.7, "positive": 0.5}[label], Anger: anger, Effort: effort, Promises: m})
		f.NPS, f.CSAT, f.CES = nps, csat, ces
		tl.Add(f)
	}
	add("negative", true, []string{"repeat_contact"}, 2, 1, 6)
	add("negative", false, nil, 6, 2, 5)
	add("positive", false, nil, 10, 5, 2)
	add("positive", false, nil, 9, 4, math.NaN())
	v := tl.Voices()["p"]
	if v == nil || v.Mentions != 4 || v.ShareNegative != 0.5 || v.ShareAngry != 0.25 || v.Effort["repeat_contact"] != 1 {
		t.Fatalf("Voices()[p] = %+v, want 4 mentions, half negative, a quarter angry, 1 repeat contact", v)
	}
	if *v.NPS != 0 || *v.CSAT != 50 || *v.CES != 4.33 {
		t.Errorf("NPS, CSAT, CES = %v, %v, %v, want 0, 50, 4.33", *v.NPS, *v.CSAT, *v.CES)
	}
	ib := tl.Iceberg()
	// Both negatives are serious (angry; sentiment -0.7): 2 / 0.5 = 4.
	if ib.Complaints != 2 || ib.Dissatisfied != 4 || ib.Assumption == "" {
		t.Errorf("Iceberg = %+v, want 2 complaints, 4 dissatisfied, an assumption stated", ib)
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range benchTexts {
		f.Add(s, "")
	}
	f.Add("ș ț ş ţ ă â î", "ro")
	f.Add("\xff\xfe broken", "en")
	f.Add("n't'''’’ !!! ??? ,,,", "")
	a := New(benchPromises(), Options{})
	f.Fuzz(func(t *testing.T, text, lang string) {
		an := a.Analyze(text, lang)
		if math.IsNaN(an.Sentiment) || an.Sentiment < -1 || an.Sentiment > 1 {
			t.Fatalf("Analyze(%q).Sentiment = %v, want in [-1,1]", text, an.Sentiment)
		}
		for _, m := range an.Promises {
			if utf8.ValidString(text) && !utf8.ValidString(m.Match) {
				t.Fatalf("Analyze(%q) match %q is not valid UTF-8", text, m.Match)
			}
		}
		DetectLanguage(text)
		features(text, lang, nil)
	})
}

// TestThemesReadable: a theme is named by what its items say, the same
// complaint in English and Romanian is one theme, a word naming the
// business never makes one, and too little data says how much more.
func TestThemesReadable(t *testing.T) {
	tf := NewThemeFinder()
	at := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for i := 0; i < 10; i++ {
		f := fb("No message about the appointment, I had to call the customer line to find out the date.", at, neg)
		f.Lang, f.Key = "en", uint64(4*i+1)
		tf.Add(f)
		f = fb("Nu am primit niciun mesaj despre programare.", at, neg)
		f.Lang, f.Key = "ro", uint64(4*i+2)
		tf.Add(f)
		f = fb("The customer line was fine, thanks.", at, saydo.Analysis{Label: "positive"})
		f.Lang = "en"
		tf.Add(f)
		f = fb("Customer portal works.", at, saydo.Analysis{Label: "neutral"})
		f.Lang = "en"
		tf.Add(f)
	}
	got := tf.Themes(5, 3)
	if len(got) != 1 {
		t.Fatalf("Themes = %+v, want one theme across both languages", got)
	}
	th := got[0]
	if th.Count != 20 {
		t.Errorf("theme count = %d, want 20 (10 English + 10 Romanian items)", th.Count)
	}
	if th.Label != "no message about the appointment" && th.Label != "nu am primit niciun mesaj despre programare" {
		t.Errorf("theme label = %q, want the phrase the items say", th.Label)
	}
	if th.Phrases["en"] == "" || th.Phrases["ro"] == "" {
		t.Errorf("theme phrases = %v, want one per language", th.Phrases)
	}
	for _, term := range th.Terms {
		if strings.Contains(term, "customer") {
			t.Errorf("theme terms %v hold the generic word customer", th.Terms)
		}
	}
	if len(th.Keys) != 20 {
		t.Errorf("theme keys: got %d, want 20 to reach its items", len(th.Keys))
	}
	if n := ThemesNeed(12, 300, 5); n <= 0 {
		t.Errorf("ThemesNeed(12 items) = %d, want more needed", n)
	}
	if n := ThemesNeed(5000, 50000, 5); n != 0 {
		t.Errorf("ThemesNeed(5,000 items) = %d, want 0", n)
	}
}

// themeItems returns a ThemeFinder and a function adding an item of one
// day to it, with the next key.
func themeItems() (*ThemeFinder, func(text, lang string, an saydo.Analysis)) {
	tf := NewThemeFinder()
	at := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	key := uint64(0)
	return tf, func(text, lang string, an saydo.Analysis) {
		key++
		f := fb(text, at, an)
		f.Lang, f.Key = lang, key
		tf.Add(f)
	}
}

// TestThemesMergeLanguages: the same complaint in English and Romanian
// whose distinctive words differ ("salesman", "vânzătorul") but whose
// items name the same concepts (the shop, a plan, the price) is one
// theme, with a phrase and a quote in each language; a complaint about
// something else in the other language stays its own theme.
func TestThemesMergeLanguages(t *testing.T) {
	tf, add := themeItems()
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for i := 0; i < 10; i++ {
		add("The salesman pushed me into a pricier plan at the shop.", "en", neg)
		add("Vânzătorul m-a împins spre un abonament mai scump în magazin.", "ro", neg)
		add("Curierul a pierdut coletul de două ori.", "ro", neg)
	}
	for i := 0; i < 40; i++ {
		add("How do I change my plan, and what is the price?", "en", saydo.Analysis{Label: "neutral"})
		add("Vreau să schimb abonamentul, ce preț are?", "ro", saydo.Analysis{Label: "neutral"})
		add("Unde e magazinul cel mai apropiat?", "ro", saydo.Analysis{Label: "neutral"})
	}
	got := tf.Themes(5, 3)
	var upsell, parcel *saydo.Theme
	for i := range got {
		switch {
		case got[i].Count == 20:
			upsell = &got[i]
		case got[i].Count == 10 && strings.Contains(strings.Join(got[i].Quotes, " "), "Curierul"):
			parcel = &got[i]
		}
	}
	if upsell == nil || parcel == nil {
		t.Fatalf("Themes = %+v, want one upsell theme of 20 items across both languages and the parcel theme apart", got)
	}
	if upsell.Phrases["en"] == "" || upsell.Phrases["ro"] == "" {
		t.Errorf("upsell phrases = %v, want one per language", upsell.Phrases)
	}
	quotes := strings.Join(upsell.Quotes, " | ")
	if !strings.Contains(quotes, "salesman") || !strings.Contains(quotes, "Vânzătorul") {
		t.Errorf("upsell quotes = %q, want one in each language", quotes)
	}
	if len(upsell.Keys) != 20 {
		t.Errorf("upsell keys: got %d, want 20", len(upsell.Keys))
	}
	// Asked for one theme, the merged one is it: themes merge before the
	// list is cut.
	if one := tf.Themes(1, 3); len(one) != 1 || one[0].Count != 20 {
		t.Errorf("Themes(1) = %+v, want the one upsell theme of 20 items", one)
	}
}

// TestThemesSetPhrase: "ce să zic" ("what can I say") opens a Romanian
// complaint as a formula; its "zic" is not the concept tell, so it does
// not pull the complaint into a theme of agents who tell one thing and
// another.
func TestThemesSetPhrase(t *testing.T) {
	tf, add := themeItems()
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for i := 0; i < 10; i++ {
		add("Fiecare operator îmi spune altceva, nimeni nu rezolvă nimic.", "ro", neg)
		add("Minunat, ce să zic. Curierul a pierdut coletul de două ori.", "ro", neg)
	}
	for i := 0; i < 40; i++ {
		add("Unde e magazinul cel mai apropiat?", "ro", saydo.Analysis{Label: "neutral"})
	}
	for _, th := range tf.Themes(5, 3) {
		if th.Count > 10 {
			t.Errorf("theme %q holds %d items, want the two complaints apart (10 each): %v", th.Label, th.Count, th.Quotes)
		}
	}
}

// TestThemesMergeSameConcepts: two ways of saying one complaint in the
// same language, sharing no distinctive word but the concepts they name
// (the shop and a plan or contract), are one theme, in English and in
// Romanian; a complaint about something else stays apart.
func TestThemesMergeSameConcepts(t *testing.T) {
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for _, tc := range []struct {
		lang, one, other, apart string
		rest                    []string
	}{
		{"en",
			"Went into the shop to pay a bill and left with a dearer plan.",
			"The store pressured me to sign a 24-month contract I never wanted.",
			"The courier lost my parcel twice.",
			[]string{"How do I change my plan?", "Where is the nearest store?", "Can I see my contract online?"}},
		{"ro",
			"Am intrat în magazin să plătesc factura și am ieșit cu un abonament nou.",
			"În magazin m-au presat să semnez un contract pe 24 de luni.",
			"Curierul a pierdut coletul de două ori.",
			[]string{"Vreau să schimb abonamentul.", "Unde e magazinul cel mai apropiat?", "Unde văd contractul?"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			tf, add := themeItems()
			for i := 0; i < 10; i++ {
				add(tc.one, tc.lang, neg)
				add(tc.other, tc.lang, neg)
				add(tc.apart, tc.lang, neg)
			}
			for i := 0; i < 20; i++ {
				for _, r := range tc.rest {
					add(r, tc.lang, saydo.Analysis{Label: "neutral"})
				}
			}
			got := tf.Themes(5, 3)
			var shop, parcel *saydo.Theme
			for i := range got {
				q := strings.Join(got[i].Quotes, " | ")
				switch {
				case strings.Contains(q, tc.apart[:8]):
					parcel = &got[i]
				case strings.Contains(q, tc.one[:8]) || strings.Contains(q, tc.other[:8]):
					shop = &got[i]
				}
			}
			if shop == nil || shop.Count != 20 || parcel == nil || parcel.Count != 10 {
				t.Fatalf("Themes = %+v, want one shop theme of 20 items and the parcel theme of 10 apart", got)
			}
			q := strings.Join(shop.Quotes, " | ")
			if !strings.Contains(q, tc.one[:8]) || !strings.Contains(q, tc.other[:8]) {
				t.Errorf("shop quotes = %q, want both ways of saying it", q)
			}
		})
	}
}

// TestThemesMessageVisit: "send a text before the visit" and "no message
// about the appointment" name the same things, so they are one theme;
// "text" is a message and "visit" ("vizita") an appointment in themes.
func TestThemesMessageVisit(t *testing.T) {
	for _, tc := range []struct{ lang, word, concept string }{
		{"en", "text", "#message"}, {"en", "texts", "#message"}, {"en", "visit", "#appointment"},
		{"ro", "vizitei", "#appointment"}, {"ro", "vizită", "#appointment"}, {"ro", "mesaj", "#message"},
	} {
		lm := modelFor(tc.lang)
		toks := tokenize(tc.word, nil)
		lm.prepare(toks)
		if got := themeKey(lm, &toks[0]); got != tc.concept {
			t.Errorf("themeKey(%s %q) = %q, want %q", tc.lang, tc.word, got, tc.concept)
		}
	}
	tf, add := themeItems()
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for i := 0; i < 10; i++ {
		add("No message about the appointment, I had to call to find out.", "en", neg)
		add("Why can't you send a text the day before the visit?", "en", neg)
		add("The courier lost my parcel twice.", "en", neg)
	}
	for i := 0; i < 40; i++ {
		add("Thanks for the quick reply.", "en", saydo.Analysis{Label: "positive"})
	}
	for _, th := range tf.Themes(5, 3) {
		q := strings.Join(th.Quotes, " | ")
		if strings.Contains(q, "appointment") || strings.Contains(q, "send a text") {
			if th.Count != 20 {
				t.Errorf("theme %q holds %d items, want 20: the text before the visit and the message about the appointment (%q)", th.Label, th.Count, q)
			}
		}
	}
}

// TestThemesDistinctStayApart: different complaints in one language that
// name a generic concept in common (the shop: rude staff, wrong opening
// hours) stay apart.
func TestThemesDistinctStayApart(t *testing.T) {
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for lang, complaints := range map[string][]string{
		"en": {"The shop assistant was rude and ignored me.", "The shop was shut again on Tuesday."},
		"ro": {"Personalul din magazin a fost nepoliticos.", "Magazinul s-a închis mai devreme decât scrie pe site."},
	} {
		t.Run(lang, func(t *testing.T) {
			tf, add := themeItems()
			for i := 0; i < 10; i++ {
				for _, c := range complaints {
					add(c, lang, neg)
				}
				add("Internet down again in the evening.", "en", neg)
			}
			for i := 0; i < 40; i++ {
				add("Thanks for the quick reply.", "en", saydo.Analysis{Label: "positive"})
			}
			for _, th := range tf.Themes(5, 3) {
				if th.Count > 10 {
					t.Errorf("theme %q holds %d items, want the complaints apart (10 each): %q", th.Label, th.Count, th.Quotes)
				}
			}
		})
	}
}

// TestThemesMergeNameInBothLanguages: a complaint naming a product by its
// name ("Summer Unlimited") in English and in Romanian is one theme, even
// when the Romanian theme already took an English one (so the rule for
// themes in different languages no longer applies): the two show the same
// words, stems of the name in each language. A complaint about something
// else stays apart.
func TestThemesMergeNameInBothLanguages(t *testing.T) {
	tf, add := themeItems()
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for i := 0; i < 12; i++ {
		add("În magazin au insistat să trec pe Summer Unlimited. Voiam doar o cartelă nouă.", "ro", neg)
	}
	for i := 0; i < 10; i++ {
		add("The salesman pushed me into a pricier plan at the shop.", "en", neg)
		add("Curierul a pierdut coletul de două ori.", "ro", neg)
	}
	for i := 0; i < 8; i++ {
		add("In the store they kept insisting I switch to Summer Unlimited. I just wanted a new SIM.", "en", neg)
	}
	for i := 0; i < 40; i++ {
		add("How do I change my plan, and what is the price?", "en", saydo.Analysis{Label: "neutral"})
		add("Vreau să schimb abonamentul, ce preț are?", "ro", saydo.Analysis{Label: "neutral"})
		add("Unde e magazinul cel mai apropiat?", "ro", saydo.Analysis{Label: "neutral"})
	}
	got := tf.Themes(5, 3)
	var shop, parcel *saydo.Theme
	for i := range got {
		quotes := strings.Join(got[i].Quotes, " | ")
		switch {
		case strings.Contains(quotes, "Curierul"):
			parcel = &got[i]
		case strings.Contains(quotes, "Summer Unlimited"):
			shop = &got[i]
		}
	}
	if shop == nil || shop.Count != 30 {
		t.Fatalf("Themes = %+v, want one shop theme of 30 items: the Romanian, the salesman and the English Summer Unlimited", got)
	}
	if parcel == nil || parcel.Count != 10 {
		t.Errorf("Themes = %+v, want the parcel theme apart with its 10 items", got)
	}
}

// TestThemesMergeThroughEitherLanguage: merge compares a theme with each
// theme merged into it. Built from concepts, as the demo's upsell
// complaints are: a Romanian theme X (a contract, its price) takes an
// English one Y by the rule for two languages (Y also names a phone and
// months); the Romanian Z (a phone, months) is Y's complaint (its items
// name what marks Z) but shares no concept with X, so it joins X only
// through Y. P, about a parcel, stays apart. Before, Z stayed a theme of
// its own next to its English twin.
func TestThemesMergeThroughEitherLanguage(t *testing.T) {
	tf := NewThemeFinder()
	tf.keys = []string{"#contract", "#price", "#call", "#month", "#parcel"}
	docs := func(n int, lang string, concepts ...int32) []int {
		var out []int
		for range n {
			out = append(out, len(tf.docs))
			tf.docs = append(tf.docs, themeDoc{concepts: concepts, lang: lang, key: uint64(len(tf.docs) + 1)})
		}
		return out
	}
	x := docs(14, "ro", 0, 1)
	y := docs(12, "en", 0, 1, 2, 3)
	z := docs(8, "ro", 2, 3)
	p := docs(10, "ro", 4)
	theme := func(label, lang string, d []int) saydo.Theme {
		th := saydo.Theme{Label: label, Phrases: map[string]string{lang: label}, Terms: []string{label}, Count: int64(len(d))}
		for _, i := range d {
			th.Keys = append(th.Keys, tf.docs[i].key)
		}
		return th
	}
	out := []saydo.Theme{theme("x", "ro", x), theme("y", "en", y), theme("z", "ro", z), theme("p", "ro", p)}
	got := tf.merge(out, [][]int{x, y, z, p}, [][]int{x, y, z, p})
	if len(got) != 2 || got[0].Label != "x" || got[0].Count != 34 || got[1].Label != "p" || got[1].Count != 10 {
		for _, th := range got {
			t.Logf("%q: %d items", th.Label, th.Count)
		}
		t.Fatalf("want x with y and z (34 items) and p apart (10)")
	}
	if len(got[0].Keys) != 34 {
		t.Errorf("x holds %d keys, want 34", len(got[0].Keys))
	}
}

// TestThemesClosingFormulas: a sign-off ("Regards, a customer for 8
// years.", "Please call me back.") closing complaints about different
// things is no theme, and does not pull them into one.
func TestThemesClosingFormulas(t *testing.T) {
	tf, add := themeItems()
	neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
	for i := 0; i < 12; i++ {
		add("The courier lost my parcel twice. Regards, a customer for 8 years.", "en", neg)
		add("The router keeps rebooting every night. Regards, a loyal customer of 10 years.", "en", neg)
		add("The courier lost my parcel twice. Please call me back.", "en", neg)
		add("The router keeps rebooting every night. Please call me back.", "en", neg)
	}
	for i := 0; i < 40; i++ {
		add("How do I change my plan?", "en", saydo.Analysis{Label: "neutral"})
	}
	for _, th := range tf.Themes(5, 3) {
		quotes := strings.Join(th.Quotes, " | ")
		if strings.Contains(quotes, "courier") && strings.Contains(quotes, "router") || slices.Contains(th.Terms, "regards") || slices.Contains(th.Terms, "years") || slices.Contains(th.Terms, "back") {
			t.Errorf("theme %q (%v, %d items) is the sign-off: %s", th.Label, th.Terms, th.Count, quotes)
		}
	}
}

// TestThemeCountInterval: themes found in a sample carry the 95% interval
// of their estimated count (the Wilson interval of their share of the
// sample's 60 target items, scaled by 10: 20 of 60 → 0.227292615235 to
// 0.459431335479 by impact/testdata/reference.py's wilson(20, 60), so 136
// to 276 of 600);
// with every item read they carry none.
func TestThemeCountInterval(t *testing.T) {
	for _, scale := range []float64{10, 1} {
		tf, add := themeItems()
		tf.Scale = scale
		neg := saydo.Analysis{Label: "negative", Sentiment: -0.6}
		for i := 0; i < 20; i++ {
			add("The courier lost my parcel twice.", "en", neg)
		}
		for i := 0; i < 40; i++ {
			add(fmt.Sprintf("Something else went wrong, case %d.", i), "en", neg)
			add("How do I change my plan?", "en", saydo.Analysis{Label: "neutral"})
		}
		got := tf.Themes(5, 3)
		var parcel *saydo.Theme
		for i := range got {
			if strings.Contains(strings.Join(got[i].Quotes, " "), "courier") {
				parcel = &got[i]
			}
		}
		if parcel == nil {
			t.Fatalf("scale %g: no parcel theme in %+v", scale, got)
		}
		switch {
		case scale == 1 && parcel.CountCI != nil:
			t.Errorf("every item read: CountCI %v, want none", *parcel.CountCI)
		case scale == 10 && (parcel.Count != 200 || parcel.CountCI == nil || *parcel.CountCI != [2]int64{136, 276}):
			t.Errorf("sampled: count %d, CountCI %v; want 200 and [136 276]", parcel.Count, parcel.CountCI)
		}
	}
}
