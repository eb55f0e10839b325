package lint

// Categories of the built-in lexicons. Workspace rules use categories
// from catRule upward (catRule + rule index).
const (
	catGreeting int32 = iota
	catReason
	catAction
	catThreat   // a consequence that is a threat in any frame
	catSanction // a consequence that is a threat when announced (will, may...)
	catModal
	catNegation
	catApology
	catCondition
	catDeadline
	catNextStep
	catHarsh
	catSubst
	catStopEN
	catStopRO
	catNumber  // a number word; arg is its value
	catRefusal // the company refuses further contact or dismisses the customer
	catRule
)

// threat labels, the arg of catThreat and catSanction entries.
var threatLabels = []string{
	"the credit bureau", "legal action", "suspension", "a cut-off",
	"a collection agency", "termination", "bailiffs", "a penalty",
	"reporting the debt",
}

const (
	thCredit = iota
	thLegal
	thSuspend
	thCutoff
	thAgency
	thTerminate
	thBailiff
	thPenalty
	thReport
)

type lexItem struct {
	cat  int32
	arg  int32
	lang langMask
	list []string
}

// packLexicon holds the words and phrases the built-in rules look for, in
// English and Romanian. Romanian entries are written with diacritics and
// match text with or without them, with comma-below or cedilla ș ț.
var packLexicon = []lexItem{
	{catGreeting, 0, maskEN, []string{
		"hello", "hi", "hey", "dear", "good morning", "good afternoon", "good evening",
		"greetings", "thank you", "thanks", "welcome", "congratulations", "happy",
	}},
	{catGreeting, 0, maskRO, []string{
		"bună", "bună ziua", "bună dimineața", "bună seara", "salut", "salutare", "stimate",
		"stimată", "stimați", "dragă", "dragi", "mulțumim", "vă mulțumim", "îți mulțumim",
		"felicitări", "bine ați venit", "bine ai venit", "hei",
	}},
	{catReason, 0, maskEN, []string{
		"because", "since", "due to", "due on", "was due", "is due", "are due", "overdue",
		"following", "so that", "so we", "so you", "in order to", "to avoid", "to keep", "to make sure",
		"to ensure", "for your", "invoice*", "bill", "bills", "billing", "subscription*",
		"order", "orders", "contract*", "fee", "fees", "charge", "charges", "plan", "renewal",
		"expired", "expires", "expiring", "outstanding", "unpaid", "missed", "reason", "why",
		"we noticed", "we haven't received", "we have not received", "not yet received",
		"late payment", "annual fee*", "instalment*", "installment*", "loan", "repayment",
	}},
	{catReason, 0, maskRO, []string{
		"deoarece", "pentru că", "fiindcă", "întrucât", "din cauza", "datorită", "ca urmare",
		"urmare a", "astfel încât", "pentru a", "ca să", "factur*", "abonament*", "comand*",
		"contract*", "comision*", "tax*", "rat*", "scaden*", "neachitat*", "neplătit*",
		"expir*", "motiv*", "de ce", "pentru serviciile", "pentru serviciul", "nu am primit",
		"nu a fost achitat*", "creditul", "creditului", "împrumut*", "comision*",
	}},
	{catAction, 0, maskEN, []string{
		"please pay", "pay", "settle", "make a payment", "make the payment", "update your",
		"verify your", "confirm your", "send us", "return the", "top up", "renew",
	}},
	{catAction, 0, maskRO, []string{
		"plătiți", "plătește", "achitați", "achită", "să achitați", "să plătiți", "efectuați plata",
		"efectuați", "actualizați", "confirmați", "verificați", "trimiteți", "reîncărcați",
		"reînnoiți", "vă rugăm să achitați", "vă rugăm să plătiți",
	}},
	{catThreat, thCredit, maskEN, []string{
		"credit bureau*", "credit reference agenc*", "credit reporting agenc*", "credit file",
		"credit record", "credit rating", "credit score",
	}},
	{catThreat, thCredit, maskRO, []string{
		"biroul de credit", "biroului de credit", "birou de credit", "biroului de credite",
		"centrala riscului*", "centralei riscului*", "istoricul de credit",
	}},
	{catThreat, thLegal, maskEN, []string{
		"legal action", "legal proceedings", "to court", "in court", "court action", "court proceedings", "lawsuit", "sue you", "solicitor*", "lawyer*",
		"attorney*", "litigation",
	}},
	{catThreat, thLegal, maskRO, []string{
		"instanță", "instanța", "instanței", "în justiție", "acțiune în justiție", "avocat*",
		"proces*", "acționa în judecată", "chemare în judecată", "dosar penal", "plângere penală",
	}},
	{catThreat, thAgency, maskEN, []string{
		"collection agenc*", "debt collector*", "collections agenc*", "debt recovery", "recovery agenc*",
	}},
	{catThreat, thAgency, maskRO, []string{
		"firm* de recuperare", "agenți* de recuperare", "societat* de recuperare", "recuperare a debitelor",
		"recuperarea debitului", "recuperatori", "cesiona*", "firmă de colectare", "agenție de colectare",
	}},
	{catThreat, thBailiff, maskEN, []string{"bailiff*", "enforcement agent*", "seize", "seizure", "repossess*", "garnish*"}},
	{catThreat, thBailiff, maskRO, []string{"executor*", "executar* silit*", "executării silite", "poprir*", "sechestr*"}},
	{catSanction, thSuspend, maskEN, []string{"suspend*"}},
	{catSanction, thSuspend, maskRO, []string{"suspend*", "suspendar*", "blocat*", "blocăm", "blocare*", "blocarea"}},
	{catSanction, thCutoff, maskEN, []string{"disconnect*", "cut off", "cut-off", "switched off", "shut off", "block your", "blocked"}},
	{catSanction, thCutoff, maskRO, []string{"deconect*", "sistar*", "sista*", "întrerup*", "debranș*", "oprirea serviciului"}},
	{catSanction, thTerminate, maskEN, []string{"terminate*", "termination", "close your account", "account will be closed", "cancel your contract"}},
	{catSanction, thTerminate, maskRO, []string{"rezili*", "încetarea contractului", "închiderea contului", "închide contul"}},
	{catSanction, thPenalty, maskEN, []string{"penalt*", "late fee*", "late charge*"}},
	{catSanction, thPenalty, maskRO, []string{"penalit*", "penaliz*", "dobânzi penalizatoare"}},
	{catThreat, thReport, maskEN, []string{
		"report you", "report your", "report the debt", "report the overdue*", "report the amount",
		"report the arrears", "report the balance", "be reported", "are reported", "is reported",
		"report it to",
	}},
	{catThreat, thReport, maskRO, []string{
		"se raportează", "vom raporta", "raportăm", "vor fi raportate", "va fi raportată",
		"va fi raportat", "fi raportat*", "raportarea către", "raportate către", "raportată către",
	}},
	{catThreat, thSuspend, maskRO, []string{"suspendăm", "vă suspendăm", "vom suspenda"}},
	{catThreat, thCutoff, maskRO, []string{"deconectăm", "vom deconecta", "vom sista", "sistăm", "întrerupem", "vom întrerupe"}},
	{catModal, 0, maskEN, []string{
		"will", "'ll", "we'll", "you'll", "it'll", "may", "might", "shall", "could", "would", "going to",
		"be", "have to", "must", "otherwise", "risk",
	}},
	{catModal, 0, maskRO, []string{
		"vom", "vor", "veți", "poate", "putea", "putem", "urmează", "fi", "riscați", "altfel",
		"o să", "trebui*",
	}},
	{catNegation, 0, maskEN, []string{"not", "never", "no", "won't", "don't", "doesn't", "isn't", "aren't", "without", "avoid", "nothing", "can't", "cannot", "wasn't"}},
	{catNegation, 0, maskRO, []string{"nu", "niciodată", "fără", "evita", "evitați", "evitarea", "nici"}},
	{catApology, 0, maskEN, []string{"sorry", "apologize", "apologise", "apologies", "apologies for", "we regret"}},
	{catApology, 0, maskRO, []string{"ne pare rău", "scuze", "ne cerem scuze", "regretăm"}},
	{catCondition, 0, maskEN, []string{
		"if", "unless", "otherwise", "to avoid", "in case", "should you", "should we",
		"if not", "failing which", "or else",
	}},
	{catCondition, 0, maskRO, []string{
		"dacă", "în cazul în care", "în caz contrar", "în cazul", "altfel", "pentru a evita", "ca să evitați",
		"în lipsa", "în absența", "dacă nu", "cu excepția",
	}},
	{catDeadline, 0, maskEN, []string{
		"by {}", "by #", "before {}", "before #", "until {}", "until #", "within", "no later than",
		"in the next", "deadline", "by the end of", "by monday", "by tuesday", "by wednesday",
		"by thursday", "by friday", "by saturday", "by sunday", "by tomorrow", "by today",
		"by january", "by february", "by march", "by april", "by may", "by june", "by july",
		"by august", "by september", "by october", "by november", "by december", "by then",
		"due date", "days from", "from today", "in # days", "after {}", "after #",
	}},
	{catDeadline, 0, maskRO, []string{
		"până la", "până pe", "până în", "până cel târziu", "cel târziu", "în termen de",
		"înainte de", "termen", "termenul", "data scadentă", "în următoarele", "în # zile",
		"după {}", "după #", "de la data",
	}},
	{catNextStep, 0, maskEN, []string{
		"call", "phone", "ring", "contact", "reply", "respond", "text us", "write to", "email us",
		"e-mail us", "visit", "go to", "log in", "login", "sign in", "app", "website", "online",
		"our site", "chat", "talk to", "speak to", "speak with", "talk with", "reach", "help", "questions",
		"question", "dm", "direct message", "get in touch", "let us know", "you can", "feel free",
		"pay online", "pay at", "click", "tap", "follow", "find out", "learn more", "more info",
		"store", "branch", "helpline", "hotline", "support", "team", "arrange", "payment plan",
		"track", "here", "below",
	}},
	{catNextStep, 0, maskRO, []string{
		"sunați", "sună", "sunându-ne", "apelați", "apel", "contactați", "contactează", "contact",
		"ne puteți", "puteți", "poți", "răspundeți", "răspunde", "scrieți", "scrie-ne", "vizitați",
		"accesați", "intrați", "aplicați*", "aplicație", "aplicația", "online", "site", "site-ul",
		"magazin*", "agenți*", "telefon*", "la numărul", "întrebări", "ajut*", "vorbi*", "detalii",
		"asistență", "suport", "echipa", "plan de plată", "eșalonare", "aici", "linkul", "link",
	}},
	{catHarsh, 0, maskEN, []string{
		"failure to", "failed to pay", "you failed", "you must", "pay immediately", "immediate payment",
		"contact us immediately", "final notice",
		"final demand", "final warning", "last warning", "demand", "no exceptions", "delinquent",
		"defaulter", "your fault", "obviously", "as previously stated", "as stated", "as we already told you",
		"non-compliance", "noncompliance", "must be paid", "without further notice", "without further warning",
		"urgent", "urgently", "act now", "we will not tolerate", "not tolerate", "you should have",
		"we have no choice", "ignored", "you ignored", "debtor",
	}},
	{catHarsh, 0, maskRO, []string{
		"plătiți imediat", "achitați imediat", "plata imediată", "achitarea imediată", "obligatoriu", "în mod obligatoriu", "somație", "somația", "ultima somație",
		"ultimul avertisment", "rău-platnic", "rău platnic", "rău-platnici", "restanțier*", "trebuie să plătiți",
		"trebuie să achitați", "fără alt avertisment", "fără preaviz", "fără alte notificări", "urgent",
		"de urgență", "nu tolerăm", "ați ignorat", "vina dumneavoastră", "debitor*", "neplatnic*", "datornic*",
	}},
	// Blame: the customer is told the fault is theirs.
	{catHarsh, 0, maskEN, []string{
		"due to your failure", "your failure to", "because you failed", "it is your responsibility",
		"it was your responsibility", "you are responsible for", "you were responsible for", "as you were told",
		"as you were informed", "you were clearly informed", "you should have read", "you chose to",
		"at your own risk", "through no fault of ours", "not our fault", "not our problem",
	}},
	{catHarsh, 0, maskRO, []string{
		"din vina dumneavoastră", "din culpa dumneavoastră", "este responsabilitatea dumneavoastră",
		"era responsabilitatea dumneavoastră", "așa cum vi s-a spus", "așa cum ați fost informat*",
		"cum v-am mai spus", "nu este vina noastră", "nu este problema noastră", "pe propria răspundere",
	}},
	// Refusals and dismissals: the conversation is closed on the customer.
	{catRefusal, 0, maskEN, []string{
		"no further correspondence", "no further communication", "no further contact", "no further action",
		"will not enter into", "will not be entering into", "will not discuss", "will no longer discuss",
		"will not be discussing", "no longer discuss", "further messages will", "further correspondence will",
		"further emails will", "further calls will", "will be ignored", "will not be answered",
		"will not be responded to", "will not receive a response", "this matter is closed", "the matter is closed",
		"this matter is now closed", "the matter is now closed", "we consider this matter closed",
		"we consider the matter closed", "we regard this matter as closed", "our decision is final",
		"the decision is final", "this decision is final", "decision is final", "nothing more we can do",
		"nothing further we can do", "nothing else we can do", "there is nothing we can do",
		"we are unable to assist further", "unable to assist you further", "cannot assist you further",
		"can't assist you further", "stop contacting us", "cease contacting us", "we do not accept responsibility",
		"we accept no responsibility", "we will not be offering", "we are not obliged",
	}},
	{catRefusal, 0, maskRO, []string{
		"nu vom mai purta corespondență", "orice altă corespondență", "orice alt mesaj", "mesajele ulterioare",
		"vor fi ignorate", "va fi ignorat*", "nu vor primi răspuns", "nu veți mai primi răspuns",
		"cazul este închis", "cazul a fost închis definitiv", "considerăm cazul închis", "considerăm închis",
		"dosarul este închis", "decizia este definitivă", "decizia noastră este definitivă", "decizia este finală",
		"decizia noastră este finală", "nu mai putem face nimic", "nu putem face nimic", "nu vă mai putem ajuta",
		"nu ne asumăm nicio responsabilitate", "nu ne asumăm responsabilitatea", "încetați să ne contactați",
		"nu mai insistați",
	}},
	{catStopEN, 0, maskAll, []string{
		"the", "and", "you", "your", "is", "are", "to", "of", "we", "for", "please", "will", "this",
		"that", "with", "have", "has", "our", "be", "it", "on", "an", "at", "by", "if", "can", "i'm", "we're",
		"thanks", "hi", "hello", "dear", "amount", "due", "what", "about", "sorry",
	}},
	{catStopRO, 0, maskAll, []string{
		"și", "este", "vă", "să", "de", "la", "pentru", "nu", "cu", "suma", "că", "vom", "dumneavoastră",
		"ați", "pe", "din", "mulțumim", "bună", "ziua", "sunt", "care", "sau", "ne", "noi", "dvs", "va",
		"datorată", "restanțele", "plata", "fost", "aveți", "această", "acest", "puteți", "până",
	}},
}

// numberWords are the spelled-out numbers a quantity may use.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
	"forty": 40, "forty-eight": 48, "sixty": 60, "ninety": 90, "hundred": 100, "a": 1, "an": 1,
	"half": 0.5, "single": 1,
	"unu": 1, "una": 1, "un": 1, "o": 1, "doi": 2, "două": 2, "trei": 3, "patru": 4, "cinci": 5,
	"șase": 6, "șapte": 7, "opt": 8, "nouă": 9, "zece": 10, "unsprezece": 11, "doisprezece": 12,
	"douăsprezece": 12, "cincisprezece": 15, "douăzeci": 20, "treizeci": 30, "patruzeci": 40,
	"șaizeci": 60, "nouăzeci": 90, "jumătate": 0.5,
}

// packSubstitutions are the terms the saydo pack replaces, per language:
// term to avoid, term to use.
var packSubstitutions = map[langMask][][2]string{
	maskEN: {
		{"utilize", "use"}, {"utilise", "use"}, {"in order to", "to"}, {"kindly", "please"},
		{"as per", "as"}, {"herewith", "with this message"}, {"the undersigned", "we"},
		{"debtor", "customer"}, {"delinquent", "overdue"}, {"arrears", "the overdue amount"},
		{"revert back", "reply"}, {"per our records", "we see that"}, {"hereby", "now"},
		{"pursuant to", "under"}, {"failure to pay", "if you don't pay"}, {"prior to", "before"},
		{"in the event that", "if"}, {"at this point in time", "now"}, {"remit", "pay"},
		{"commence", "start"}, {"endeavour", "try"}, {"endeavor", "try"}, {"valued customer", "your name"},
		{"dear customer", "your name"}, {"dear sir/madam", "your name"},
	},
	maskRO: {
		{"debitor", "client"}, {"debitorul", "clientul"}, {"restanțele", "suma neachitată"},
		{"restanța", "suma neachitată"}, {"restanțier", "client"}, {"suma datorată", "suma de plată"},
		{"în vederea", "pentru"}, {"subsemnatul", "noi"}, {"vă aducem la cunoștință", "vă anunțăm"},
		{"prezenta", "acest mesaj"}, {"stimate client", "numele clientului"}, {"stimate abonat", "numele clientului"},
		{"în conformitate cu", "conform"}, {"a se achita", "vă rugăm să plătiți"}, {"se impune", "trebuie"},
		{"neplată", "plată întârziată"}, {"rău-platnic", "client"},
	},
}
