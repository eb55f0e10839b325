package voice

// The word lists below are saydo's own, written for customer-service
// language in English and Romanian. Valences use VADER's scale (-4..4) so
// they combine with VADER's crowd-rated English lexicon, which saydo reuses
// (see sentiment.go). Words are given in dictionary form; the analyzer stems
// them (Snowball English or Romanian) and folds diacritics, so inflections
// and text typed without ș ț ă â î match too.

// stopwords lists frequent function words per language, for language
// detection and to keep them out of promise terms and themes.
var stopwords = map[string][]string{
	"en": {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "was", "were", "be", "been", "it", "this", "that", "i", "you", "he", "she", "we", "they", "my", "your", "our", "their", "me", "us", "them", "have", "has", "had", "do", "does", "did", "not", "no", "but", "so", "if", "at", "by", "from", "as", "what", "why", "how", "when", "where", "who", "which", "there", "here", "can", "could", "would", "should", "will", "just", "get", "got", "its", "it's", "i'm", "i've", "don't", "can't", "any", "all", "about", "still", "again", "yet", "am", "than", "then", "too", "very", "would", "into", "out", "up", "after", "before", "also", "one", "some", "more", "only", "every", "within", "our", "ours", "these", "those", "being", "hi", "hello", "please", "thanks", "ever", "much", "need", "felt", "something", "actually", "really", "even", "like", "want", "wanted", "know", "make", "made", "take", "took", "way", "thing", "things", "since", "because", "while", "other", "same", "day", "new"},
	"ro": {"și", "si", "în", "in", "la", "de", "pe", "cu", "pentru", "că", "ca", "nu", "un", "o", "este", "e", "sunt", "am", "ai", "are", "au", "a", "al", "ale", "lui", "mi", "mă", "ma", "îmi", "imi", "m", "s", "n", "v", "l", "se", "să", "sa", "din", "despre", "dar", "mai", "foarte", "acest", "această", "aceasta", "acum", "când", "cand", "unde", "cine", "ce", "care", "cum", "de", "după", "dupa", "până", "pana", "fost", "fi", "vă", "va", "voi", "noi", "eu", "tu", "el", "ea", "ei", "ele", "meu", "mea", "mele", "mei", "dumneavoastră", "dumneavoastra", "dvs", "vostru", "voastră", "nici", "iar", "încă", "inca", "tot", "deja", "doar", "decât", "decat", "prin", "fără", "fara", "astăzi", "azi", "ieri", "bună", "buna", "ziua", "vă", "rog", "deloc", "niciodată", "nimeni", "nimic", "avea", "aveți", "aveti", "sau", "ori", "iar", "asta", "ăsta", "acolo", "aici", "am", "ați", "ati", "fiecare", "toate", "toți", "toti", "tuturor", "toată", "toata", "gata", "cei", "cele", "îmi", "mi", "măcar", "macar", "vreau", "trebuie", "trebuit", "poate", "putea", "face", "făcut", "lucru", "ceva", "altceva", "foarte", "acasă"},
	"fr": {"le", "la", "les", "des", "est", "et", "je", "vous", "nous", "pas", "une", "pour", "avec", "sur", "que", "qui", "dans", "ce", "mon", "très", "merci", "ne", "du", "au"},
	"de": {"der", "die", "das", "und", "ist", "nicht", "ich", "sie", "wir", "ein", "eine", "mit", "für", "auf", "den", "dem", "zu", "es", "auch", "sehr", "danke", "kein", "mein"},
	"es": {"el", "la", "los", "las", "que", "y", "es", "no", "por", "para", "con", "una", "un", "mi", "muy", "pero", "como", "del", "gracias", "está", "esta", "se"},
	"it": {"il", "lo", "gli", "che", "è", "e", "non", "per", "con", "una", "sono", "mi", "molto", "ma", "della", "del", "grazie", "questo"},
	"pt": {"o", "os", "que", "é", "não", "nao", "para", "com", "uma", "um", "meu", "muito", "mas", "obrigado", "está", "voce", "você"},
	"nl": {"de", "het", "een", "en", "is", "niet", "ik", "je", "van", "met", "voor", "op", "dat", "zijn", "maar", "heel", "bedankt"},
}

// detectionWords are frequent content words that tell the languages apart
// when a text has few function words ("Great, another delay.").
var detectionWords = map[string][]string{
	"en": {"another", "great", "service", "thanks", "thank", "good", "bad", "time", "call", "called", "waiting", "never", "nothing", "love", "hate", "delay", "again", "help", "worst", "best", "awesome", "terrible", "card", "money", "refund", "bill", "week", "days", "nobody", "still"},
	"ro": {"mulțumesc", "multumesc", "foarte", "apel", "telefon", "factura", "factură", "nimeni", "niciodată", "bani", "zile", "săptămână", "aștept", "astept", "rău", "prost", "bine", "super", "tot", "încă", "oră", "ore", "vreau", "trebuie", "poate", "nu", "nicio", "niciun", "merge", "problema", "problemă", "rețeaua", "reteaua"},
}

// negations are the words that flip the valence of what follows.
var negations = map[string][]string{
	"en": {"not", "no", "never", "nobody", "none", "nothing", "nowhere", "neither", "nor", "without", "cannot", "can't", "cant", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "weren't", "werent", "won't", "wont", "wouldn't", "wouldnt", "couldn't", "couldnt", "shouldn't", "shouldnt", "haven't", "havent", "hasn't", "hasnt", "hadn't", "hadnt", "ain't", "aint", "rarely", "seldom", "barely", "hardly", "n't"},
	"ro": {"nu", "n", "nici", "niciodată", "nimeni", "nimic", "niciun", "nicio", "fără", "deloc", "nicăieri"},
}

// boosters intensify the next sentiment word.
var boosters = map[string][]string{
	"en": {"very", "really", "so", "extremely", "absolutely", "completely", "totally", "utterly", "incredibly", "highly", "super", "truly", "most", "too", "seriously", "deeply"},
	"ro": {"foarte", "extrem", "super", "absolut", "complet", "total", "cu adevărat", "atât", "prea", "mult", "tare", "groaznic", "teribil"},
}

// contrasts shift weight to what follows them: "good phone but awful service".
var contrasts = map[string][]string{
	"en": {"but", "however", "although", "though", "yet"},
	"ro": {"dar", "însă", "totuși", "deși", "insa", "totusi"},
}

// sarcasmOpeners are praise words that, opening a clause that goes on to
// name a failure, mean their opposite: "great, another delay".
var sarcasmOpeners = map[string][]string{
	"en": {"great", "wonderful", "fantastic", "brilliant", "perfect", "lovely", "awesome", "thanks", "thank", "nice", "love", "amazing", "excellent", "superb", "cool", "good", "congratulations", "bravo"},
	"ro": {"minunat", "super", "perfect", "bravo", "felicitări", "mulțumesc", "mersi", "genial", "frumos", "excelent", "grozav", "bine"},
}

// failureWords name what goes wrong in service; after a sarcasm opener they
// turn praise into complaint.
var failureWords = map[string][]string{
	"en": {"another", "again", "delay", "delayed", "late", "still", "outage", "down", "charged", "charge", "hold", "waiting", "wait", "broken", "cancelled", "canceled", "lost", "dropped", "disconnected", "bill", "fee", "error", "crash", "failed", "nothing", "no", "never", "more"},
	"ro": {"iar", "din nou", "încă", "întârziere", "întârziat", "alt", "altă", "nou", "taxat", "factură", "așteptare", "aștept", "defect", "stricat", "pierdut", "eroare", "nimic", "niciodată", "nu"},
}

// enLexicon adds to VADER's English lexicon words customer service uses
// that VADER lacks or scores as neutral.
var enLexicon = map[string]float64{
	"overcharged": -2.5, "overcharge": -2.5, "outage": -2.0, "unresolved": -2.0, "unreachable": -1.8,
	"disconnected": -1.5, "disconnect": -1.2, "delay": -1.5, "delayed": -1.6, "late": -1.2, "slow": -1.5,
	"broken": -2.0, "useless": -2.3, "ripoff": -3.0, "unhelpful": -2.2, "unprofessional": -2.4,
	"nightmare": -2.8, "shambles": -2.5, "incorrect": -1.5, "issue": -0.8, "glitch": -1.5, "bug": -1.0,
	"crash": -1.8, "crashing": -1.8, "freezes": -1.2, "frozen": -1.0, "stuck": -1.5, "lag": -1.2, "lagging": -1.4,
	"buffering": -1.3, "unanswered": -2.0, "overpriced": -2.0, "expensive": -1.0, "fee": -0.5,
	"faulty": -2.0, "defective": -2.2, "malfunction": -2.0, "missing": -1.2, "lost": -1.3, "cancelled": -1.0,
	"canceled": -1.0, "refused": -1.6, "ignored": -2.0, "ignoring": -2.0, "misleading": -2.3, "misled": -2.3,
	"hidden": -0.8, "wrongly": -1.8, "incompetence": -2.8, "worthless": -2.7, "rubbish": -2.3, "garbage": -2.3,
	"joke": -0.5, "unreliable": -2.2, "patchy": -1.5, "intermittent": -1.3, "dead": -1.5, "dropped": -1.2,
	"drops": -1.0, "downtime": -1.8, "overdue": -1.3, "unacceptable": -2.8, "disgraceful": -3.0,
	"apalling": -3.0, "appalling": -3.0, "lied": -2.5, "lying": -2.5, "scammed": -3.0, "cheated": -3.0,
	"quick": 1.3, "quickly": 1.3, "fast": 1.3, "prompt": 1.6, "promptly": 1.6, "resolved": 1.6, "fixed": 1.4,
	"sorted": 1.2, "smooth": 1.5, "seamless": 1.8, "reliable": 1.8, "knowledgeable": 1.8, "courteous": 2.0,
	"polite": 1.8, "responsive": 1.6, "efficient": 1.8, "recommend": 1.8, "recommended": 1.8,
	"legend": 2.0, "legends": 2.0,
	// Words customer service uses as requests or names, not feelings.
	"please": 0, "help": 0, "united": 0, "care": 0.4, "spirit": 0, "amazon": 0, "want": 0,
	"easy": 1.6, "effortless": 1.8, "professional": 1.6, "on-time": 1.4, "works": 0.8, "worked": 0.6, "love": 3.2,
	// Words VADER rates as feelings that customer service and billing
	// use as names of things: a credit, interest, a security deposit, a
	// third party, an agreement, customer support. Rated on social media,
	// they make complaints read as praise.
	"credit": 0, "credits": 0, "credited": 0.3, "interest": 0, "security": 0, "original": 0, "number": 0,
	"party": 0, "parties": 0, "agreement": 0, "agreed": 0.3, "approved": 0.5, "approval": 0.5, "value": 0.3,
	"consent": 0, "entitled": 0, "legal": 0, "active": 0, "significant": 0, "increased": 0, "matter": 0,
	"matters": 0, "wells": 0, "ability": 0, "allow": 0, "support": 0, "supporting": 0, "validate": 0,
	"reached": 0, "giving": 0.3, "accept": 0.5, "true": 0.4, "clear": 0.6, "clearly": 0.5, "resolve": 0.4,
	"free": 0.8, "promise": 0, "promised": 0, "promises": 0, "assured": 0.3, "ensure": 0, "honor": 0.6,
	"sure": 0, "well": 0, "like": 0.6, "fyi": 0, "joking": 0, "kind": 0.6, "pretty": 0.6, "hope": 0, "fair": 0.6, "ok": 0,
	"okay": 0, "luck": 0.4, "lol": 0.4, "secure": 0.5, "positively": 1.0,
	// Answers to a support agent's questions, and what a product does:
	// "yes, still happening", "yep, 11.0.2", "it won't play". VADER rates
	// them as feelings.
	"yes": 0, "yeah": 0, "yep": 0, "yup": 0, "play": 0, "playing": 0, "share": 0.3, "surprised": 0,
	"hoping": 0, "hopefully": 0, "thx": 1.5, "thnx": 1.5, "thnks": 1.5, "thanx": 1.5,
	// What a product does and holds, and the small words around a
	// request: "saved songs", "recently played", "friend activity",
	// "create a playlist", "any chance you could", "looking for a
	// solution", "reaching out". VADER rates them as
	// feelings; in a support message they are names of things (the
	// "&gt;" of a quoted tweet too). Words reviews use as praise ("fits
	// perfectly", "definitely recommend", "free shipping") keep VADER's
	// rating.
	"saved": 0, "played": 0, "plays": 0, "friend": 0, "friends": 0, "create": 0, "created": 0,
	"creating": 0, "chance": 0, "solution": 0, "solutions": 0, "reaching": 0, "certain": 0,
	"curious": 0, "progress": 0, "gt": 0, "lt": 0, "amp": 0,
	"sharing": 0, "save": 0, "restore": 0, "ideally": 0,
	"gone": -0.8, "disappeared": -1.5, "impossible": -1.5, "virus": -2.0, "malware": -2.0, "trojan": -2.0, "vanished": -1.5, "wiped": -1.0, "greyed": -1.0, "grayed": -1.0,
	// Quality of what was delivered: food, goods, rooms.
	"cold": -1.0, "soggy": -1.8, "stale": -1.6, "burnt": -1.5, "undercooked": -1.8, "lukewarm": -1.2,
	"greasy": -1.2, "filthy": -2.5, "smelly": -1.8, "noisy": -1.2, "leaking": -1.5, "leaks": -1.2,
	"cracked": -1.4, "expired": -1.2, "spoiled": -1.8, "moldy": -2.2, "mouldy": -2.2, "stained": -1.5,
	"torn": -1.2, "shattered": -1.5, "smashed": -1.5, "dented": -1.2, "wrong": -2.1,
	// Travel and delivery failures.
	"stranded": -2.2, "overbooked": -1.8, "bumped": -1.0, "misplaced": -1.5, "diverted": -0.8,
	"undelivered": -2.0, "unusable": -2.3, "unavailable": -1.2, "declined": -1.2, "denied": -1.6,
}

// roLexicon is saydo's Romanian sentiment lexicon.
var roLexicon = map[string]float64{
	// positive
	"bun": 1.9, "bună": 1.9, "buni": 1.9, "bine": 1.5, "excelent": 3.2, "excelentă": 3.2, "minunat": 3.0,
	"super": 2.5, "perfect": 3.0, "mulțumit": 2.2, "mulțumită": 2.2, "mulțumesc": 1.5, "mersi": 1.5,
	"mulțumiri": 1.8, "recomand": 2.0, "rapid": 1.5, "repede": 1.2, "prompt": 1.8, "amabil": 2.2,
	"amabilă": 2.2, "politicos": 1.9, "politicoasă": 1.9, "profesionist": 2.0, "profesionistă": 2.0,
	"util": 1.6, "utilă": 1.6, "eficient": 1.8, "eficientă": 1.8, "fericit": 2.7, "încântat": 2.6,
	"frumos": 2.0, "ok": 0.8, "corect": 1.2, "plăcut": 2.0, "rezolvat": 1.5, "rezolvată": 1.5,
	"simplu": 1.0, "ieftin": 1.0, "stabil": 1.3, "impecabil": 3.0, "extraordinar": 3.0, "fantastic": 3.0,
	"genial": 3.0, "bravo": 2.5, "felicitări": 2.5, "apreciez": 2.0, "satisfăcut": 2.0, "promptitudine": 1.8,
	"iubesc": 3.0, "ador": 3.0, "recunoscător": 2.3, "profesionalism": 2.0, "grozav": 2.8, "cool": 1.5,
	"wow": 2.0, "ajutat": 1.5, "operativ": 1.6, "amabilitate": 2.2, "calm": 1.0, "fiabil": 1.8,
	"mulțumire": 1.8, "ușor": 1.2, "rezonabil": 1.0, "punctual": 1.8, "punctuală": 1.8, "la timp": 1.2,
	// negative
	"rău": -2.5, "rea": -2.5, "prost": -2.5, "proastă": -2.5, "proaste": -2.5, "groaznic": -3.0,
	"oribil": -3.0, "îngrozitor": -3.2, "dezastru": -3.0, "dezastruos": -3.0, "jalnic": -2.8, "penibil": -2.5,
	"nemulțumit": -2.3, "nemulțumită": -2.3, "nemulțumire": -2.2, "supărat": -2.2, "supărată": -2.2,
	"furios": -3.0, "furioasă": -3.0, "revoltat": -3.0, "revoltată": -3.0, "revoltător": -3.0,
	"inadmisibil": -3.0, "inacceptabil": -3.0, "scandalos": -3.0, "rușine": -2.5, "rușinos": -2.8,
	"țeapă": -3.0, "țepari": -3.0, "hoți": -3.0, "hoție": -3.0, "escroci": -3.0, "escrocherie": -3.0,
	"înșelătorie": -3.0, "minciună": -2.5, "mincinoși": -2.8, "mințit": -2.5, "problemă": -1.5,
	"probleme": -1.5, "defect": -2.0, "defectă": -2.0, "stricat": -2.0, "stricată": -2.0,
	"întârziere": -1.8, "întârzieri": -1.8, "întârziat": -1.8, "întârzie": -1.6, "lent": -1.5, "lentă": -1.5,
	"încet": -1.0, "scump": -1.5, "scumpă": -1.5, "greșit": -1.8, "greșită": -1.8, "greșeală": -1.8,
	"eroare": -1.5, "nepoliticos": -2.5, "nepoliticoasă": -2.5, "obraznic": -2.5, "arogant": -2.5,
	"incompetent": -2.8, "incompetenți": -2.8, "incompetență": -2.8, "inutil": -2.2, "degeaba": -2.0,
	"plângere": -1.5, "reclamație": -1.5, "nervos": -2.0, "frustrat": -2.5, "frustrare": -2.5,
	"dezamăgit": -2.5, "dezamăgită": -2.5, "dezamăgire": -2.5, "enervant": -2.3, "întrerupere": -1.5,
	"întreruperi": -1.5, "abuziv": -2.8, "abuz": -2.5, "amenințare": -2.5, "umilitor": -2.8, "haos": -2.2,
	"slab": -1.8, "slabă": -1.8, "mizerabil": -3.0, "mizerie": -2.8, "nesimțit": -3.0, "nesimțiți": -3.0,
	"nesimțire": -3.0, "săturat": -2.5, "sătul": -2.0, "blocat": -1.5, "ignorat": -2.2, "ignorată": -2.2,
	"refuzat": -1.8, "imposibil": -1.8, "greu": -1.2, "dificil": -1.3, "complicat": -1.3, "stres": -2.0,
	"stresant": -2.3, "pierdut": -1.5, "pierdere": -1.5, "lipsă": -1.0, "fraudă": -3.0, "anulat": -1.0,
	"suspendat": -1.2, "deconectat": -1.5, "căzut": -1.2, "panică": -2.0, "îngrijorat": -1.6, "păcălit": -2.5,
	"jignitor": -2.8, "lamentabil": -2.8, "catastrofal": -3.0, "catastrofă": -3.0, "nasol": -2.2,
	"urât": -2.2, "ură": -2.8, "urăsc": -3.0, "regret": -1.5, "bătaie": -1.0,
	// quality of what was delivered
	"rece": -0.8, "murdar": -2.0, "murdară": -2.0, "spart": -1.5, "spartă": -1.5, "zgomotos": -1.2,
	"expirat": -1.2, "deteriorat": -1.8, "deteriorată": -1.8, "ars": -1.2, "crud": -0.8, "rânced": -1.8,
	"mucegăit": -2.2, "lovit": -1.0, "udă": -0.8, "ud": -0.8, "înmuiat": -1.0, "greșite": -1.8,
	// billing words that are names of things, not feelings
	"credit": 0, "dobândă": 0, "gratuit": 0.8, "promis": 0, "promisiune": 0,
}

// phrase valences: customer-service expressions VADER misses. Pattern
// syntax (see pattern.go): words are stemmed; a|b alternatives; ~N skips up
// to N words; #neg any negation; #num a number (#num10: at least 10).
var enPhrases = map[string]float64{
	"still wait":                        -2.0,
	"still #neg":                        -1.5,
	"still no":                          -1.5,
	"still haven't|hasn't|have|has not": -1.5,
	"on hold":                           -1.5,
	"no one|1 ~1 answer|respond|repli|help|pick|call|care|get|tell|explain":            -2.5,
	"nobody|noone ~1 answer|respond|repli|help|pick|call|care|get|know|tell|explain":   -2.5,
	"no answer|respons|repli|help|updat|feedback|explan|solut|resolut":                 -2.0,
	"never answer|respond|repli|got|receiv|arriv|came|call|show|turn|fix|resolv|deliv": -2.0,
	"thank|thanks ~1 for nothing": -3.0,
	"wast ~1 of time|money":       -2.5,
	"never again":                 -2.5,
	"#neg ~2 work":                -2.0,
	"stop work":                   -2.0,
	"#neg ~3 arriv|receiv|deliv|come|came|show|turn|credit|process|reflect|refund|appear": -1.8,
	"#neg ~2 fix|resolv|solv|sort": -1.8,
	"hung|hang up ~2 on":           -2.5,
	"cut me off":                   -2.0,
	"charg ~1 twice|doubl":         -2.5,
	"doubl charg":                  -2.5,
	"what a joke":                  -2.5,
	"yeah right":                   -2.0,
	"oh great":                     -1.5,
	"how hard ~1 is":               -1.5,
	"fed up":                       -2.5,
	"sick of":                      -2.5,
	"tire of":                      -2.0,
	"had enough":                   -2.0,
	"rip off":                      -3.0,
	"no signal|servic|internet|connect|network|coverag|wifi|broadband|power|dial": -2.0,
	"lost connect|signal":                            -1.5,
	"keep|kept crash|drop|disconnect|cut|fail|freez": -2.0,
	"again and again":                                -1.5,
	"over and over":                                  -1.5,
	"too long":                                       -1.5,
	"took|take ~2 forev|age":                         -2.0,
	"for age":                                        -1.5,
	"for hour":                                       -1.2,
	"for week":                                       -1.0,
	"worst ~3 ever":                                  -1.0,
	"go|went down":                                   -1.0,
	"not happi":                                      -0.3,
	"where is my|the":                                -1.0,
	"as usual":                                       -1.0,
	"customer care|service|support|servic":           0,
	"feel|felt|look|seem|sound|would|i'd like": 0,
	"where's my": -1.0,
	"switch ~2 provid|compani|network|carrier|bank|servic|app|platform|stream|anoth|other": -1.5,
	"cancel ~2 contract|account|subscript|servic":                                          -1.2,
	"had to ~3 again":                  -1.2,
	"rather than":                      0,
	"no problem|prob|probs|issu|worri": 0.8,
	// Praise idioms with no praise word VADER knows: "no complaints",
	// "keep it up", "rock solid".
	"no complaint":                   1.0,
	"keep it|them ~1 up":             1.5,
	"keep up the ~1 good|great|work": 1.5,
	"rock solid":                     1.5,
	// Slang praise that VADER reads as swearing, and surprise that is
	// no complaint: "you guys are the shit", "hell yeah", "holy shit I
	// didn't know Spotify actually cares".
	"are|is|you're|youre|ur the shit|bomb": 2.0,
	"hell yeah|yes|yea|ya":                 2.0,
	"holy shit|crap|cow|moli|moly":         0,
	"not a problem":                        0.8,
	"work great|perfect|fine|well":         2.0,
	"thank ~2 so much":                     1.0,
	// A failure that came back; a broken promise cited.
	"late|delay|cancel|down|broken|wrong|miss|fail|crash|charg|lost|out|gone again": -1.5,
	"as promis":                  -1.0,
	"you promis":                 -1.5,
	"was|were promis|told|assur": -1.0,
	"#num hour|hr|minut|min|day late|delay|wait|behind": -1.5,
	"hour|day|week ~1 late|delay":                       -1.2,
	"unabl to":                                          -1.2,
	"can't|cannot|couldn't|cant get|reach|log|access|connect|find|book|use|open": -1.2,
	"pleas fix":      -1.0,
	"what happen to": -1.0,
	"outstand balanc|debt|amount|payment|bill|invoic|charg": 0,
	"fair credit":    0,
	"custom support": 0,
	// A customer leaving, a wish in the past, a wait still running, a
	// rhetorical question.
	"never ~3 again": -2.5,
	"would|could have been nice|good|great|help|use|polit": -1.5,
	"and count":                      -1.5,
	"what's|whats|what ~1 the point": -1.5,
	// What a customer tells support after trying: it still fails, the
	// advice did not help, it used to work. No feeling word, yet a
	// complaint.
	"can't|cannot|couldn't|cant|won't|wont|doesn't|doesnt|didn't|didnt|isn't|not ~1 play|load|sync|open|connect|log|sign|subscrib|pay|download|find|see|hear|skip|add|remov|chang|post|search|access|stream|start|updat|instal|show|let|respond|save|stop|drag|find|shuffl|repeat|cast|queue|follow|import|export|link|transfer|reset|verifi|activ|cancel|unsubscrib|upgrad|downgrad|redeem|receiv|login": -1.5,
	"#neg ~2 help":           -1.5,
	"no|made|make ~1 differ": -1.5,
	"no chang":               -1.2,
	"no luck":                -1.5,
	"none ~4 appli|relev|help|work|issu|problem|case":                        -1.5,
	"still ~2 gone|happen|same|there|occur|broken|stuck|miss|show|come|#neg": -1.5,
	"it|this|that|problem|issu ~2 happen|occur":                              -1.0,
	"#neg ~2 had this|that|these|such ~1 issu|problem|bug":                   -1.2,
	"#neg ~1 ok|okay|accept":                                                 -1.5,
	"#neg ~1 good enough":                                                    -1.5,
	"good morn|afternoon|even":                                               0,
	"as well":                                                                0,
	"would be great|nice|good|cool|awesom ~2 to|if":                          0,
	"previous ~2 work|fine":                                                  -1.5,
	"use to work|be":                                                         -1.2,
	"was fine ~3 until|then|before|prior":                                    -1.5,
	"surpris ~3 #neg":                                                        -1.2,
	"why ~3 #neg":                                                            -1.0,
	"why did i have to":                                                      -1.5,
	// A customer who cannot follow the answer they were given.
	"don't|dont|didn't ~1 understand": -1.2,
	"do|did not ~1 understand":        -1.2,
	"don't|dont know what ~3 mean":    -1.2,
	"not sure why":                    -1.0,
	"keep|kept ~1 happen|show|pop|skip|stop|paus|restart|log|sign|remov|delet|chang|save|add|come|turn|get|getting|go|goe|say|tell|ask|send|jump|drop|freez|buffer|load|crash": -1.5,
	// An open problem told as a fact, with no feeling word: where and how
	// often it happens, what does nothing, what the customer still gets,
	// what was taken away, what the agent did not say, what was tried.
	"happen|occur|appear ~2 on|for|with|to|every|all|each|whenev|random|sometim|last|again": -1.0,
	"nothing ~3 happen|work|load|show|play|chang|download|popul|appear|sync|come":           -1.5,
	"get|got|gets|getting nothing":              -1.2,
	"no way ~1 to|of":                           -1.2,
	"still ~2 #neg":                             -1.5,
	"still ~1 got|see|saw|have|has|receiv|hear": -1.0,
	"log|logged|kick|kicked|sign|signed|throw|thrown ~1 me|us|out ~1 out|of": -1.5,
	"put|bring ~2 back":                  -1.0,
	"=fix it|this|that":                  -1.0,
	"must|need|needs ~1 to ~1 be ~1 fix": -1.0,
	"should|could|would ~1 at least":     -1.5,
	"thought|assum ~6 but":               -1.2,
	"tri|tried|tries ~6 but":             -1.2,
	"but ~1 it|that|this|nothing|still didn't|doesn't|won't|wasn't|nope|nothing #end": -1.2,
	"#neg ~2 give|explain|repli|respond|answer|updat|inform":                          -1.2,
	"#neg ~2 tell|told me|us": -1.2,
	"take|tak ~1 so|too long": -1.5,
	"why is|does|do|are|did|has|have|would|won't|can't|isn't|doesn't": -0.8,
	// Grudging thanks, a wish, an offer: no praise.
	"only when|if|on|with ~1 i|it|my|the|this|that|some|certain": -0.8,
	"all i ~1 get|see|hear|got":                                  -1.0,
	"no idea|clue":                                               -0.5,
	"pay|paid|charg ~2 again|twice":                              -1.5,
	"afraid not":                                                 -1.2,
	"#neg ~1 want|wanna ~1 to ~1 work|play|load|open|start|connect|sync":                                                           -1.5,
	"#neg ~1 allow|allowed|permit|permitted":                                                                                       -1.2,
	"#neg ~2 request|author|authoris|authoriz|order":                                                                               -1.2,
	"work ~1 fine|great|well|perfect|perfectly ~3 but|except":                                                                      -1.5,
	"late|earli #num|januari|februari|march|april|may|june|juli|august|septemb|octob|novemb|decemb|morn|night|afternoon|even|last": 0,
	"=worked|=working|=work ~1 yesterday|earlier|before":                                                                           -1.5,
	"=worked|=working ~1 last week|night|month|time":                                                                               -1.5,
	"at first ~1 but":               -1.2,
	"back to ~1 do|doing|the same":  -1.2,
	"#neg ~2 make sens":             -1.5,
	"me again":                      -1.0,
	"#num ~1 year|yr|yrs|month ago": -0.8,
	"a year|month ago":              -0.8,
	"must|pleas fix":                -1.0,
	"hope|hopefully ~3 =fixed|=sorted|=resolved|=solved|fix|sort|resolv": -1.0,
	"charg|bill ~1 me|us":                         -1.0,
	"it|that|this ~1 didn't|not #end":             -1.2,
	"about time":                                  -1.5,
	"how|what|why on earth":                       -1.5,
	"for month|year":                              -1.0,
	"not ~1 the problem|issu":                     -0.8,
	"thank|thanks ~1 i guess":                     -1.5,
	"thank|thanks|thx|ty|cheer ~2 anyway|anyways": -0.8,
	"would|i'd love":                              0,
	"feel free":                                   0,
	// What the customer misses, hopes back, expects more of, gave up on;
	// a demand ("I better get it"), a preference ("best if"), a
	// suggestion or a retort ("what gives?"): no praise.
	"wish|hope|hoping ~2 it|this|that|they ~2 back": -1.2,
	// Round 5: a thing hoped back however it is named ("I hope the
	// lyrics option on desktop comes back").
	"wish|hope|hoping ~6 come|comes|coming|be|bring|brought|put back": -1.2,
	// A fix hoped to last is relief, not an open problem ("I hope this
	// won't happen again").
	"hope|hopefully ~3 #neg ~2 happen|occur ~1 again": 0,
	// A recurrence supposed is no failure ("I'll let you know if it
	// happens again", "next time it happens").
	"if|when it|this|that ~2 happen|occur|start|come ~1 again|back": 0,
	"next time ~2 it|this|that ~1 happen|occur":                     0,
	// How long it has been so; a sameness denied; a belief in the
	// product denied ("it's been like this for a while", "it is not the
	// same", "I don't think it's doing a good job").
	"been ~1 like this|that":                                       -1.2,
	"not|isn't|isnt|ain't ~1 the same":                             -1.2,
	"#neg ~1 think|believ ~5 good|great|well|fine|right|work|help": -1.5,
	"expect|expected|expecting more|better":                        -1.5,
	"give|gave|giving up":                                          -1.5,
	"you|u|you'd better":                                           -1.0,
	"best|better if":                                               0,
	"what give":                                                    -1.5,
	"wast my|our time|money":                                       -2.0,
	"can't|cant|cannot wait":                                       1.5,
	// Formulas that open or close a message are no feeling: "best
	// regards", "kind regards", "have a nice day".
	"best|kind|warm|warmest|kindest ~1 regard|wish": 0,
	"=regards":                            0,
	"please|pls|plz ~1 call|ring me back": 0,
	// How long the customer has stayed is no topic of its own: "a
	// customer for 8 years", "a loyal client of 10 years".
	"custom|client ~1 for|of ~1 #num|many|over ~1 year|years": 0,
	"all the best": 0,
	"have a good|great|nice|love|wonder day|weekend|one|even": 0,
	"don't|dont ~1 worri": 0,
	"no need to worri":    0,
	// A threat to leave: "or I'm going to Apple Music", "or else".
	"or i'm|i'll|i|we|we'll ~2 go|leav|switch|cancel|move": -1.5,
	"or els": -1.0,
	// The customer's apology and self-blame are no complaint: "sorry for
	// bothering", "my bad", "just me being stupid".
	"sorri ~1 for|to ~1 bother|bothering|troubl|disturb|spam|confus": 0,
	"my bad|fault|mistak":                    0,
	"me being ~1 stupid|dumb|silli|thick|an": 0,
	"silli|stupid|dumb me":                   0,
	"user error":                             0,
	// What an action does not do, what stays the same, what the agent
	// does not do, what was taken; a customer chasing.
	"do|does|did|doing nothing":                   -1.5,
	"do|does|did|doing the same":                  -1.2,
	"still ~1 do|does|doing ~1 it|that|this":      -1.5,
	"#neg ~2 listen|notic":                        -1.5,
	"=deleted|=removed ~1 my|me|our|all":          -1.2,
	"any progress|updat|news #end":                -1.0,
	"problem|issu|bug|error|glitch|crash ~2 back": -1.5,
	// A product that only does so much, a thing no longer there.
	"only =plays|=shows|=works|=lets|=gives|=loads|=shuffles|=offers|=allows|=supports|=lists|=downloads|=syncs": -1.0,
	"#neg ~4 anymor|any more": -1.2,
	"shouldn't|shouldnt":      -1.0,
	"should not":              -1.0,
	// An escalation threatened is a complaint however calmly put: "I will
	// report you to the consumer authority", "see you in court".
	"report ~2 you|u|this|them ~2 to":                   -2.0,
	"consumer ~1 authority|protection|rights|ombudsman": -1.5,
	"legal action":                 -2.0,
	"see you in court":             -2.0,
	"my lawyer|solicitor|attorney": -2.0,
	// Selling under pressure: "kept insisting I switch", "pushed an
	// upgrade I didn't want", "would not take no for an answer".
	"kept|keep|keeps|keeping ~1 insisting|pushing|pressuring":                             -1.5,
	"=pushed|=pressured|=pressurised|=forced ~3 upgrade|plan|contract|deal|offer|into|me": -1.5,
	"felt|feel ~1 pressured|pressurised|pushed|forced":                                    -1.5,
	"would not|wouldn't|won't|didn't take no":                                             -2.0,
	// Where it works locates the problem, it praises nothing: "it
	// works perfectly fine on my laptop", "on my tablet it works
	// perfect".
	// In the past it is a regression ("it previously worked fine on my
	// laptop", above).
	"=work|=works|=working ~2 fine|great|perfect|perfectly|well|ok|okay ~1 on|everywher": 0,
	"on my|the|a ~2 =work|=works ~1 fine|great|perfect|perfectly|well|ok|okay":           0,
	// Formulas of speech: "to be honest", "just to be clear", "fair
	// enough".
	"to|i'll|i'm|i ~1 be honest|clear|fair|frank": 0,
	"fair enough": 0,
	// Praise in the past is a loss: "I used to use that feature as an
	// example of great UX", "it used to be the best app".
	"used|use to ~8 great|good|love|best|nice|awesom|amaz|perfect|excel|fantast|brilliant": -1.5,
	"hurri up": -1.0,
	// A customer who has the same problem ("same here", "I'm the same
	// on my iPhone"), who was not understood ("that's not what I
	// asked"), who counts the time ("only been waiting 5 years", "2
	// days in a row"), who chases a reply ("please answer my DM").
	"same here":                            -1.2,
	"same thing ~1 in|on|with|here|happen": -1.2,
	"i'm|im the same":                      -1.2,
	"i am the same":                        -1.2,
	"same for|with me|my|us":               -1.2,
	"not what i|we ~1 ask|asked|meant|want|wanted|order|ordered": -1.5,
	"been wait|waiting": -1.5,
	"#num|few|sever ~1 day|week|month|year|time ~1 in a row":          -1.2,
	"you've|you have had ~1 month|week|year|age":                      -1.2,
	"answer|repli|respond ~2 my|to|our ~1 dm|messag|email|tweet|mail": -1.2,
	"chanc of a repli|respons|answer":                                 -1.2,
	"pleas hurri":                                                     -1.0,
}

var roPhrases = map[string]float64{
	"tot aștept":            -2.0,
	"ca de obicei":          -1.2,
	"încă aștept":           -2.0,
	"încă nu":               -1.5,
	"tot nu":                -1.5,
	"nu răspunde ~1 nimeni": -2.5,
	"nimeni nu ~2 răspunde|ajută|sună|rezolvă|știe": -2.5,
	"niciun|nici răspuns":                           -2.0,
	"nici un răspuns":                               -2.0,
	"fără ~1 răspuns|rezultat|soluție":              -2.0,
	"bătaie de joc":                                 -3.0,
	"#neg ~2 funcționează|merge|mergea|funcționa":   -2.0,
	"#neg ~3 primit|ajuns|venit|sosit|livrat|returnat|rambursat|rezolvat|remediat": -1.8,
	"pierdere de timp":             -2.5,
	"mulțumesc|mersi pentru nimic": -3.0,
	"întârzie|întârziat|întârziată|picat|căzut|stricat|greșit|lipsă|taxat ~1 iar|iarăși": -1.5,
	"iar ~1 întârzie|întârziat|întârziată|picat|căzut|stricat|greșit|taxat":              -1.5,
	"cum ~1 ați|ai|mi s promis":                                -1.0,
	"mi ați|s promis":                                          -1.5,
	"#num ore|zile|minute întârziere":                          -1.5,
	"nu pot să|sa ~1 intru|accesez|plătesc|mă conectez|găsesc": -1.2,
	"închis ~1 telefonul":                                      -2.0,
	"în așteptare":                                             -1.5,
	"de ore întregi":                                           -1.5,
	"zile întregi":                                             -1.0,
	"fără semnal|internet|net|conexiune|curent":                -2.0,
	"#neg ~2 semnal|internet|net|conexiune|acoperire":          -2.0,
	"taxat ~1 de două ori":                                     -2.5,
	"schimb ~1 operatorul|furnizorul|rețeaua|banca":            -1.5,
	"reziliez ~2 contractul|abonamentul":                       -1.5,
	"vă rog ~2 rezolvați":                                      -0.8,
	"unde este|e ~1 comanda|coletul|banii|cardul":              -1.0,
	"nicio|nici problemă":                                      0.8,
	"totul ~1 perfect|bine|ok":                                 2.0,
	"niciodată ~3 nu mai":                                      -2.5,
	"ar fi fost frumos|bine|util|normal|politicos":             -1.5,
	"care e|este rostul":                                       -1.5,
	// The same as in English: it still fails, the advice did not help,
	// it used to work.
	"nu pot|poți|putem ~2 intra|plăti|descărca|asculta|reda|găsi|vedea|accesa|conecta|schimba|anula|abona|instala|porni|șterge": -1.5,
	"nu se ~1 deschide|încarcă|conectează|sincronizează|aude|vede|oprește|pornește":                                             -1.5,
	"#neg ~2 ajutat|ajută":        -1.5,
	"nicio schimbare":             -1.2,
	"nici o schimbare":            -1.2,
	"tot ~1 la fel":               -1.5,
	"la fel ~1 ca înainte":        -1.2,
	"încă ~1 se întâmplă":         -1.5,
	"înainte ~2 mergea|funcționa": -1.5,
	"de ce ~3 #neg":               -1.0,
	"bună ziua|seara|dimineața":   0,
	"nu înțeleg":                  -1.2,
	"nu știu ce ~3 înseamnă":      -1.2,
	"nu știu de ce":               -1.0,
	"dispărut|dispărută|dispărute|șters|ștearsă|șterse": -1.2,
	// An open problem told as a fact, as in English: where and how often
	// it happens, what does nothing, what was taken away, what the agent
	// did not say, what was tried; grudging thanks.
	"se întâmplă|întâmplat ~2 la|cu|mereu|fiecare|iar|nou|des|uneori": -1.0,
	"nu se întâmplă nimic":                                 -1.5,
	"nimic nu ~2 merge|funcționează|încarcă|apare|schimbă": -1.5,
	"m a|au ~1 delogat|deconectat|scos":                    -1.5,
	"puneți|aduceți|readuceți ~2 înapoi":                   -1.0,
	"ar|ați ~1 putea|trebui ~1 măcar":                      -1.5,
	"încercat ~6 dar":                                      -1.2,
	"credeam|crezut ~6 dar":                                -1.2,
	"nu ~2 răspuns|răspuns|explicat|spus|zis|informat":     -1.2,
	"durează ~1 atât|prea|mult":                            -1.5,
	"de ce ~1 e|este|se|mi|nu":                             -0.8,
	"mulțumesc|mersi ~1 oricum":                            -1.0,
	// As in English: what the customer hopes back, expected more of,
	// gave up on; what should not be.
	"sper|speram|speră ~3 revină|revina|înapoi":                             -1.2,
	"așteptam|așteptat la mai mult|altceva":                                 -1.5,
	"am renunțat|renunțat":                                                  -1.5,
	"nu|n ar ~1 trebui":                                                     -1.0,
	"scuze ~2 deranj|deranjez|deranjul":                                     0,
	"altfel ~2 plec|trec|renunț|anulez|reziliez":                            -1.5,
	"doar ~1 redă|arată|merge|funcționează|permite|oferă|afișează|descarcă": -1.0,
	"nu|n mai ~1 apare|apar|găsesc|văd|am|există":                           -1.2,
	"cu stimă|respect":                                                      0,
	"ce să|sa zic|spun":                                                     0,
	"toate cele bune":                                                       0,
	"o zi|seară bună|frumoasă|plăcută":                                      0,
	"greșeala|vina mea":                                                     0,
	"nu ~1 face|făcut nimic":                                                -1.5,
	"#neg ~2 ascultați|ascultă|citiți":                                      -1.5,
	"vreo noutate":                                                          -1.0,
	// As in English: an escalation threatened, selling under pressure.
	"vă|va ~1 reclam":                    -2.0,
	"reclamație|reclamatie ~2 la":        -1.5,
	"protecția|protectia consumatorului": -1.5,
	"anpc|ancom":                         -1.5,
	"=insistat|=insistă|=insista ~2 să|sa|întruna|intruna": -1.5,
	"=băgat|=bagat ~1 pe ~1 gât|gat":                       -2.0,
	"=presat|=presată|=presata|=forțat|=fortat":            -1.5,
	// Where it works locates the problem ("pe laptop merge perfect");
	// praise in the past is a loss ("înainte era super"); a demand
	// ("grăbiți-vă"). (The formulas of speech need no mirror: "sincer"
	// has no valence here.)
	"merge|funcționează|mergea ~2 bine|perfect|ok ~1 pe":                           0,
	"pe ~3 merge|funcționează ~1 bine|perfect|ok":                                  0,
	"înainte ~1 era|mergea ~2 bun|bună|bine|perfect|super|excelent|minunat|grozav": -1.5,
	"grăbiți ~1 vă": -1.0,
	// The same problem, not understood, the time counted, a reply
	// chased ("la fel și la mine", "nu asta am întrebat", "aștept de 5
	// ani", "de 3 zile la rând", "răspundeți-mi la mesaj").
	"la fel ~1 și ~1 la ~1 mine|noi":                 -1.2,
	"aceeași ~1 problemă":                            -1.2,
	"nu asta ~1 am ~1 întrebat|cerut|vrut":           -1.5,
	"aștept de":                                      -1.5,
	"#num ~1 zile|săptămâni|luni|ani|ori ~1 la rând": -1.2,
	"răspundeți ~2 la ~2 mesaj|email|mail":           -1.2,
}

// effort patterns, by signal.
var enEffort = map[string][]string{
	"repeat_contact": {
		"call|phone|ring|contact|email|wrote|write|messag|chat|tri|spoke|speak ~4 #num time",
		"#num2 call|email|messag|ticket|complaint|attempt",
		"multipl|sever|mani|numer|countless|endless|repeat call|email|time|attempt|messag|ticket|complaint",
		"second|third|fourth|fifth|sixth|seventh|umpteenth|nth|2nd|3rd|4th|5th|6th time",
		"call|phone|contact|email ~3 again|repeat|back",
		"keep|kept call|contact|ring|chase|email|phone",
		"yet again", "call back ~3 again",
	},
	"transfer": {
		"was|were|got|get|been|be|keep|kept transfer",
		"transfer me|us",
		"transfer ~1 twice|again|sever|multipl|around|repeat",
		"transfer ~4 depart|agent|team|colleagu|person|operat|someon|anoth|differ|manag|supervisor",
		"pass|bounc|shuffl|shunt|pingpong ~3 around|between|back|from",
		"anoth|differ|wrong|other depart|agent|team|person|operat|advisor|colleagu",
		"from one ~3 to anoth",
		"put through to",
	},
	"long_hold": {
		"hold|wait|queue|line ~5 hour|forev|age|eterniti",
		"hold|wait|queue|line ~5 #num10 min|minut|mins",
		"hour|#num10 minut|min|mins ~4 hold|wait|queue",
		"hold music ~3 for",
	},
	"hold_loop": {
		"call|calls ~1 is|are import",
		"your call ~2 import",
		"pleas hold", "stay on the line",
		"all ~2 agent|oper|advisor|repres|line ~2 busi",
		"high|heavi ~2 call volum|demand",
		"call volum",
		"hold music",
		"autom|automat|record ~2 messag|system|menu|voic|robot|respons|repli|answer",
		"press #num", "endless menu", "robot|bot keep",
		"same ~2 messag|record ~3 again|over",
		"in a loop", "go|went|goe ~1 round in circl",
	},
}

var roEffort = map[string][]string{
	"repeat_contact": {
		"sunat|scris|contactat|revenit|încercat|apelat ~4 de #num ori",
		"a doua|treia|patra|cincea|șasea|zecea|n oară",
		"de mai multe ori", "de nenumărate ori", "de zeci de ori",
		"sunat|scris|contactat ~2 din nou|iar|zilnic|mereu|întruna|repetat",
		"iar ~1 am sunat|scris",
		"nenumărate|multe|repetate|zeci apeluri|telefoane|reclamații|mesaje|sesizări",
		"#num2 apeluri|reclamații|mesaje|sesizări|telefoane",
	},
	"transfer": {
		"transferat|transferată|transferă|redirecționat ~3 la|către|de",
		"m au ~1 transferat|pasat|plimbat",
		"pasat|plimbat ~3 de la",
		"de la unul la altul",
		"alt|altă departament|operator|coleg|coleg|ghișeu",
		"alt departament",
	},
	"long_hold": {
		"aștept|așteptat|așteptare|coadă|linie ~5 oră|ore|ora|veșnicie|secole|eternitate",
		"aștept|așteptat|așteptare|coadă|linie ~5 #num10 ~1 minute|min",
		"oră|ore ~4 aștept|așteptare|linie|coadă|telefon",
		"#num10 ~1 minute|min ~4 aștept|așteptare|linie|coadă|telefon",
	},
	"hold_loop": {
		"apelul ~3 important",
		"toți operatorii ~2 ocupați",
		"operatorii ~2 ocupați",
		"vă rugăm ~2 așteptați|reveniți",
		"robot|robotul",
		"mesaj|mesajul ~1 automat|înregistrat",
		"apăsați|tasta #num",
		"muzica|muzică ~3 așteptare",
		"în buclă",
	},
}

// anger cues with weights; a customer is angry when the cues add up (see
// signals.go).
var enAnger = map[string]float64{
	"furious": 2, "livid": 2, "outrag": 2, "infuriat": 2, "angri": 1.5, "mad": 1, "piss": 2, "disgust": 1.5,
	"unaccept": 1.5, "ridicul": 1.2, "pathet": 1.2, "disgrac": 1.5, "appal": 1.5, "shambl": 1.2,
	"incompet": 1.5, "useless": 1.2, "scam": 2, "fraud": 2, "thiev": 2, "crook": 2, "liar": 2, "lie": 1,
	"worst": 1.2, "hate": 1.5, "fuck": 2.5, "fucking": 2.5, "shit": 2, "damn": 1, "crap": 1.5,
	"bullshit": 2.5, "wtf": 2, "bloodi": 1, "joke": 1, "insult": 1.5, "horribl": 1, "terribl": 1, "aw": 0.5,
	"fed up": 1.5, "sick of": 1.5, "had enough": 1.5, "enough is enough": 2, "screw you": 2,
	"lawyer|solicitor|attorney|court|sue": 1.5, "ombudsman|regul|ofcom|fcc|bbb|cfpb|anpc|ancom": 1.5,
	"cancel ~2 contract|account|subscript|servic": 1, "switch ~2 provid|compani|network|carrier|bank": 1,
	"never again": 1, "report ~2 you": 1.5, "thank|thanks ~1 for nothing": 1.5, "what a joke": 1.5,
	"how mani time": 1.5, "sort it out": 1, "unbeliev": 1, "ridiculous": 1.2,
}

var roAnger = map[string]float64{
	"furios": 2, "furioasă": 2, "nervos": 1.5, "revoltat": 2, "revoltător": 2, "scandalos": 1.5,
	"inadmisibil": 1.5, "inacceptabil": 1.5, "bătaie de joc": 2, "rușine": 1.5, "să vă fie rușine": 2.5,
	"hoți": 2, "țepari": 2, "țeapă": 1.5, "escroci": 2, "nesimțiți": 2, "nesimțire": 2, "incompetenți": 1.5,
	"săturat": 1.5, "mizerie": 1.5, "dracu": 2, "naiba": 1.5, "avocat": 1.5, "instanță|judecată|tribunal": 1.5,
	"anpc|ancom|protecția consumatorului": 1.5, "reziliez": 1, "schimb ~1 operatorul|furnizorul": 1,
	"penibil": 1.2, "jalnic": 1.2, "bătaia de joc": 2, "de câte ori": 1.5, "mulțumesc pentru nimic": 1.5,
}

// numberWords are spelled numbers, folded.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "hundred": 100, "dozen": 12, "couple": 2, "several": 3, "few": 3,
	"unu": 1, "una": 1, "doi": 2, "doua": 2, "trei": 3, "patru": 4, "cinci": 5, "sase": 6, "sapte": 7,
	"opt": 8, "zece": 10, "douazeci": 20, "treizeci": 30, "patruzeci": 40, "cincizeci": 50, "suta": 100,
}

// concepts group words that name the same thing in service, across both
// languages, so that a promise written in English maps Romanian feedback
// and "nobody picks up the phone" maps "we answer every call".
var concepts = map[string][]string{
	"call":        {"call", "phone", "telephone", "ring", "line", "hotline", "helpline", "apel", "apela", "suna", "sunat", "telefon", "telefonul"},
	"wait":        {"wait", "waiting", "hold", "queue", "aștepta", "aștept", "așteptare", "coadă"},
	"answer":      {"answer", "respond", "response", "reply", "pick", "răspunde", "răspuns", "preia"},
	"time":        {"minute", "minutes", "hour", "hours", "second", "seconds", "min", "minut", "minute", "oră", "ore", "secundă", "secunde"},
	"day":         {"day", "days", "week", "weeks", "zi", "zile", "săptămână", "săptămâni"},
	"deliver":     {"deliver", "delivery", "arrive", "arrival", "ship", "shipping", "shipment", "courier", "parcel", "package", "dispatch", "livra", "livrare", "livrat", "curier", "colet", "sosi", "sosit", "ajunge", "ajuns", "expediere", "receive", "received", "receipt", "primi", "primit", "primesc", "come", "came", "coming", "vine", "venit", "veni"},
	"install":     {"install", "installation", "setup", "technician", "engineer", "instala", "instalare", "instalat", "tehnician", "montaj"},
	"refund":      {"refund", "reimburse", "reimbursement", "repay", "ramburs", "rambursare", "restituire", "returnare"},
	"bill":        {"bill", "billing", "invoice", "statement", "factură", "facturare", "facturat"},
	"charge":      {"charge", "charged", "fee", "fees", "overcharge", "taxa", "taxă", "taxat", "comision", "cost", "costs"},
	"price":       {"price", "pricing", "expensive", "tariff", "preț", "prețul", "scump", "tarif"},
	"outage":      {"outage", "down", "offline", "disconnect", "disconnected", "signal", "coverage", "întrerupere", "deconectat", "semnal", "acoperire", "cădere"},
	"internet":    {"internet", "broadband", "wifi", "connection", "speed", "mbps", "net", "conexiune", "viteză", "viteza"},
	"fix":         {"fix", "repair", "resolve", "solve", "sort", "repara", "reparat", "rezolva", "rezolvat", "remedia", "soluționa"},
	"late":        {"late", "delay", "delayed", "overdue", "slow", "întârzia", "întârziere", "întârziat", "târziu"},
	"cancel":      {"cancel", "terminate", "termination", "anula", "anulare", "reziliere", "rezilia"},
	"contract":    {"contract", "subscription", "plan", "abonament", "contractul"},
	"staff":       {"agent", "operator", "staff", "representative", "rep", "advisor", "adviser", "consultant", "angajat", "operatoare"},
	"rude":        {"rude", "impolite", "polite", "courteous", "disrespectful", "respect", "nepoliticos", "politicos", "obraznic", "respect"},
	"debt":        {"debt", "collection", "collector", "arrears", "overdue", "datorie", "restanță", "restanțe", "recuperare", "somație"},
	"remind":      {"remind", "reminder", "warning", "notice", "notify", "notification", "warn", "aviza", "notificare", "avertisment", "înștiințare"},
	"threat":      {"threat", "threaten", "amenința", "amenințare"},
	"card":        {"card", "cardul"},
	"transfer":    {"transfer", "transferred", "transfera"},
	"money":       {"money", "fund", "funds", "cash", "bani", "banii", "suma"},
	"account":     {"account", "cont", "contul"},
	"credit":      {"credit", "bureau"},
	"store":       {"store", "shop", "magazin"},
	"fuel":        {"fuel", "mpg", "consumption", "litre", "liter", "gallon", "consum", "carburant", "combustibil", "litri"},
	"first":       {"first", "prima", "primul"},
	"exchange":    {"exchange", "rate", "conversion", "currency", "curs", "valutar"},
	"pay":         {"pay", "payment", "paid", "plată", "plata", "plătit", "achitat"},
	"withdraw":    {"withdraw", "withdrawal", "atm", "retragere", "bancomat"},
	"message":     {"message", "messages", "sms", "mesaj", "mesajul", "mesaje"},
	"appointment": {"appointment", "appointments", "booking", "slot", "programare", "programarea", "programări", "programat"},
	"upgrade":     {"upgrade", "upsell", "upsold"},
	"tell":        {"tell", "tells", "told", "spune", "spus", "zice"},
	"different":   {"different", "differently", "altceva", "diferit", "diferită"},
}

// reachVerbs, persons and purposes make a wait to reach a person
// (mapping.go): a verb of reaching someone ("talk", "speak"; "vorbesc")
// with, within four words after it, someone to reach ("a human", "an
// agent", "someone"; "un om", "cineva"; the staff concept too), in a
// sentence that says the customer waited ("on hold", "in the queue"), or
// that counts the time spent to reach them: a time amount and the verb
// after a purpose word ("45 minutes to talk to a human", "40 de minute
// să vorbesc cu un om"; not "I spoke to someone 10 minutes ago").
var (
	reachVerbs = map[string][]string{
		"en": {"talk", "talking", "speak", "speaking", "spoke", "spoken", "reach", "reaching", "chat"},
		"ro": {"vorbi", "vorbesc", "vorbești", "vorbească", "vorbim", "vorbiți", "vorbit", "discuta", "discut", "discute"},
	}
	persons = map[string][]string{
		"en": {"human", "humans", "person", "someone", "somebody", "anyone", "anybody", "manager", "supervisor"},
		"ro": {"om", "omul", "cineva", "persoană", "persoana", "operator", "operatorul", "reprezentant", "consultant"},
	}
	purposes = map[string][]string{
		"en": {"to"},
		"ro": {"să", "sa"},
	}
)

// unitWords are dropped from metric names: call_wait_seconds is about
// calls and waiting, not seconds.
var unitWords = []string{"seconds", "second", "secs", "sec", "minutes", "minute", "mins", "min", "hours", "hour", "days", "day", "weeks", "ms", "share", "rate", "ratio", "count", "pct", "percent", "total", "number", "n", "per", "kb", "mb", "l", "km", "100km", "flag", "is", "on", "ok", "score", "value", "avg", "mean"}

// emojiLexicon rates the emoji customers put in tweets and chats on
// VADER's scale, saydo's own reading of what they say in customer service:
// a sad, crying or angry face, a facepalm or a thumbs down with a problem;
// a smile, a heart, thumbs up or applause with thanks. Laughing faces and
// the nervous sweat smile are left out: in complaints they laugh at the
// service as often as with it.
var emojiLexicon = map[rune]float64{
	'😔': -1.5, '😞': -1.8, '😢': -2.0, '😭': -2.0, '😩': -2.0, '😫': -2.0, '😡': -2.8, '😠': -2.5,
	'🤬': -3.0, '😤': -1.8, '😒': -1.5, '🙄': -1.5, '🤦': -1.8, '👎': -2.0, '💔': -2.0, '😕': -1.2,
	'😟': -1.5, '😣': -1.5, '😖': -1.8, '☹': -1.8, '🙁': -1.5, '😑': -1.0, '😪': -1.2, '😓': -1.2,
	'😊': 2.0, '😀': 2.0, '😃': 2.0, '😄': 2.0, '😁': 2.0, '🙂': 1.2, '😍': 2.8, '🥰': 2.8,
	'😘': 2.2, '❤': 2.5, '💜': 2.5, '💙': 2.5, '💚': 2.5, '💛': 2.5, '🧡': 2.5, '💕': 2.5,
	'👍': 1.8, '👌': 1.5, '🙌': 2.0, '🎉': 2.0, '👏': 1.8, '🙏': 1.0, '😎': 1.5, '🤗': 2.0,
	'💯': 1.5, '☺': 2.0, '🥳': 2.5,
	// The wink is left out, like the laughing faces: it teases or
	// closes details as often as it pleases ("you guys go deep on data
	// enough to design an algorithm just for me 😉").
	// A grimace says "yikes".
	'😬': -1.5,
}

// politeWords are the words of politeness. Customers write them to
// support whatever they feel: a thanks is praise when it thanks ("that
// worked, thank you!"), politeness when a problem is still open ("the app
// keeps crashing, thanks") or the customer is asking ("where do I find
// it? Thank you!"). See Analyzer.score.
var politeWords = map[string][]string{
	"en": {"thanks", "thank", "thankyou", "thx", "thnx", "thnks", "thanx", "ty", "cheers", "appreciate", "appreciated", "please", "pls", "plz", "kindly", "hi", "hello", "hey", "welcome", "dear"},
	"ro": {"mulțumesc", "mulțumim", "mulțumiri", "mersi", "rog", "apreciez", "salut", "bună", "stimate", "stimată"},
}

// hypotheticals make what follows in their clause not (yet) true, or no
// longer: "I hope it's fixed soon", "it should be working", "I thought
// this was sorted", "it previously worked"; "sper să fie rezolvat",
// "credeam că s-a rezolvat", "înainte mergea".
var hypotheticals = map[string][]string{
	"en": {"hope", "hoping", "hopefully", "if", "should", "thought", "supposed", "suppose", "until", "unless", "whether", "maybe", "wish", "would", "could", "might", "expected", "said", "told", "claimed", "meant", "when", "once", "will", "able", "previously", "before", "earlier", "always", "used", "usually", "shall", "i'll", "we'll", "you'll", "it'll", "they'll", "i'd", "we'd", "you'd"},
	"ro": {"sper", "speram", "sperăm", "dacă", "daca", "ar", "trebui", "trebuia", "trebuie", "credeam", "crezut", "când", "cand", "până", "pana", "poate", "zis", "spus", "promis", "va", "vor", "înainte", "inainte", "mereu", "întotdeauna", "intotdeauna"},
}

// resolutions say the customer's problem is solved: a complaint told in
// the past, with the fix. Not when negated or hypothetical in their
// clause ("still not fixed", "I thought it was sorted"), nor in a question
// ("is it fixed?"). "=word" is the word as written: "fixed", not "fix".
var resolutions = map[string][]string{
	"en": {
		"=fixed|=resolved|=solved|=sorted",
		"=fixed|=resolved|=solved|=sorted ~2 problem|issu|bug|error|glitch|it",
		"fine|ok|okay|good|normal ~1 now", "up and running",
		"=found|=find ~3 fix|solut|workaround",
		"=working|=works|=worked|=playing|=loading|=syncing|=connected|=connecting|=back ~1 now|again",
		"now ~2 =working|=works|=syncing|=connected",
		"it|that|this|which ~2 =worked|=helped|=helps", "that|this|which ~1 =did it",
		"did|has|have|had|that|this|it help",
		"=started|=starts|=began ~1 =working", "=started|=starts|=began to work", "able to ~1 fix|solv|sort|resolv|get it",
		"did the trick", "=figured|=worked ~2 out", "got it ~1 =working|=fixed|=sorted", "got it to work",
		"all|everything ~1 good|well|set|fine|=works|=working|normal", "back to normal",
		"=stopped|=stops ~1 =happening|=crashing|=freezing",
		"seem|seems|seemed ~3 =working|=worked|=fixed|=solved|=resolved|=stopped|=helped",
		"seem|seems|seemed ~1 to work",
		// Round 5: the problem found or removed, a fix managed.
		"=removed|=cleared ~2 problem|issu|bug|error|glitch",
		"=found|=discovered|=figured ~2 the|what ~1 problem|issu|caus",
		"=managed to ~2 get|fix|sort|solv|find|resolv",
	},
	"ro": {
		"=rezolvat|=rezolvată|=rezolvata|=remediat|=remediată|=reparat|=reparată",
		"funcționează|merge|mers ~1 acum|perfect|iar|nou",
		"acum ~1 merge|funcționează", "acum e|este ok|bine",
		"m a|ați|ai|v ~1 ajutat", "a funcționat|mers",
		"totul ~2 ok|bine|normal", "în regulă",
	},
}

// emoticons are the sad faces customers type in ASCII, on VADER's scale
// (VADER's own ratings where it has them): "i did both but nope :(((",
// "okay :/ thanks!". ":/" is not read in "https://". Smiles are left out:
// on the labelled tweets a smile closes details and questions as often as
// thanks ("Sent :)", "Macbook Pro. :)"), a tone of voice, not a verdict;
// the thanks beside them speaks for itself.
var emoticons = []struct {
	face  string
	value float64
}{
	{":(", -1.9}, {":-(", -1.9}, {":'(", -2.2}, {":/", -1.4}, {":-/", -1.4}, {":\\", -1.4},
	{":|", -0.8}, {"-_-", -1.2}, {">:(", -2.5},
}

// absences are the negations that say a thing is absent: before a
// complaint word they make it no complaint, but no praise either ("no
// fraudulent activity", "no issues on my other phone"; "niciun
// problemă").
var absences = map[string][]string{
	"en": {"no", "without", "zero"},
	"ro": {"niciun", "nicio", "fără", "fara", "zero"},
}

// answers are the answers to an agent's question: "No." is not a
// complaint; answerLeads are the words after an answer ("No I haven't").
var answers = map[string][]string{
	"en": {"no", "nope", "nah", "nop"},
	"ro": {"nu"},
}

// conditionals open a clause that is not a fact: a failure in it is no
// open problem ("I'll let you know if I still have issues", "if it
// happens again I'll reinstall"; "dacă mai apare problema").
var conditionals = map[string][]string{
	"en": {"if", "unless", "whether"},
	"ro": {"dacă", "daca"},
}

// reopeners, after a resolution in its sentence, say the problem is not
// solved everywhere: "it works on my laptop but not on my phone". A
// trailing "though" concedes, it does not reopen ("that fixed it
// though").
var reopeners = map[string][]string{
	"en": {"but", "except", "however", "although", "till", "until"},
	"ro": {"dar", "însă", "insa", "doar", "numai", "exceptând", "exceptand", "până", "pana"},
}

// problemNouns name a problem: negated, they say it is absent or
// unsolved, never praise ("doesn't solve the problem", "no issues").
var problemNouns = map[string][]string{
	"en": {"problem", "issue", "error", "bug", "crash", "glitch", "trouble", "fault", "complaint"},
	"ro": {"problemă", "eroare", "defect", "reclamație", "plângere", "necaz"},
}

// inabilities say the customer cannot do something, or the product will
// not: "can't pause", "won't go", "not able to play"; "nu pot asculta".
// A negated ability followed by a verb that is no sentiment word is an
// open problem told as a fact, whatever the verb ("can't screenshot",
// "cannot control music"). abilities say it after a negation ("can
// not", "not able to"; "nu pot", "n-o poate"), abilityFills may come
// between it and the verb, abilityIdioms are the verbs that make an
// idiom of it, no complaint ("can't wait", "can't thank you enough",
// "can't complain"; "abia aștept").
var inabilities = map[string][]string{
	"en": {"can't", "cant", "cannot", "couldn't", "couldnt", "won't", "wont"},
	"ro": {},
}

var abilities = map[string][]string{
	"en": {"can", "could", "able"},
	"ro": {"pot", "poate", "poți", "putem", "puteți", "poată", "putut", "putea"},
}

var abilityFills = map[string][]string{
	"en": {"just", "even", "really", "seem", "seems", "to", "still", "ever", "quite", "always", "actually", "possibly", "be", "me", "it"},
	"ro": {"să", "sa", "mai", "încă", "deloc", "o", "îl", "le", "-o", "-l"},
}

var abilityIdioms = map[string][]string{
	"en": {"wait", "thank", "believe", "live", "complain", "beat", "recommend", "stop", "imagine", "say", "tell", "remember", "help", "express", "resist", "fault", "argue", "regret", "praise", "ask", "overstate", "emphasize", "stress"},
	"ro": {"aștepta", "mulțumi", "crede", "plânge", "recomanda", "spune", "imagina"},
}

// ironyMarkers say the writer means the opposite of their praise:
// "Like you loved the feedback of the other users? *irony*", "great
// update #sarcasm". See ironic.
var ironyMarkers = map[string][]string{
	"en": {"sarcasm", "sarcastic", "irony", "ironic", "ironically"},
	"ro": {"ironie", "ironic", "ironică", "sarcasm", "sarcastic", "sarcastică"},
}

// disbeliefs, alone before a question mark, are an exasperated question:
// "what is the odds that it will be back, really?", "Seriously?";
// "Serios?".
var disbeliefs = map[string][]string{
	"en": {"really", "seriously", "srsly"},
	"ro": {"serios", "realmente"},
}

// likers, just before "like", make it liking: "I like it", "we really
// like the app". Alone "like" compares or fills as often ("like
// Camelot", "it's like a tablet", "like even when I swipe") and weighs
// 0.6. See likingValence.
var likers = map[string][]string{
	"en": {"i", "we", "they", "really", "also", "totally", "definitely", "truly", "still", "actually", "absolutely", "sure", "do", "did", "kinda", "much"},
	"ro": {},
}

var answerLeads = map[string][]string{
	"en": {"i", "i'm", "i've", "i'd", "it", "it's", "its", "that", "that's", "this", "we", "we've", "you", "not", "never", "but", "sorry", "thanks", "thank", "worries", "problem", "need", "i'll", "nothing", "none", "neither", "just", "sir", "mam", "unfortunately", "sadly", "still", "same"},
	"ro": {},
}

// subjects are the subject pronouns: after a conditional and its own
// subject, one starts the clause that says what is ("if that worked I
// still got the ads"). Romanian drops its subjects: none.
var subjects = map[string][]string{
	"en": {"i", "i'm", "i'll", "i've", "i'd", "it", "it's", "you", "we", "they", "he", "she"},
	"ro": {},
}

// meantThanks follow a thanks that thanks for something: "thanks for the
// quick reply", "thank you so much"; "mulțumesc pentru ajutor", "mulțumesc
// mult".
var meantThanks = map[string][]string{
	"en": {"for", "so", "very", "a", "again", "heaps", "loads", "tons", "the", "your", "it", "all", "that", "everything"},
	"ro": {"pentru", "mult", "frumos", "tare"},
}

// addressees are who a thanks is said to, between it and what makes it
// meant: "thank you so much", "thanks guys for"; "vă mulțumesc".
var addressees = map[string][]string{
	"en": {"you", "u", "ya", "y'all", "guys"},
	"ro": {"vă", "va", "îți", "iti"},
}

// modals, before a praise word in its clause, make it a suggestion or a
// wish: "would be better", "could be easier", "ideally"; "ar fi mai
// bine", "ideal ar fi". See suggestedPraise.
var modals = map[string][]string{
	"en": {"would", "could", "i'd", "it'd", "ideally", "wouldn't", "couldn't"},
	"ro": {"ar", "ideal"},
}

// endorsements keep their praise after a modal: "I would recommend it to
// anyone" endorses; "aș recomanda".
var endorsements = map[string][]string{
	"en": {"recommend", "recommended"},
	"ro": {"recomand", "recomanda"},
}

// locators, right after a resolution, say where it works, which locates
// the problem, no fix: "merge perfect pe laptop". English says it with
// phrases of no valence ("works fine on my laptop"), which no resolution
// matches: none.
var locators = map[string][]string{
	"en": {},
	"ro": {"pe"},
}

// otherThings, before a resolution in its clause, make it a comparison
// that locates the problem, no fix: "other playlists seem to work as
// expected"; "alte melodii merg acum". See unsettled.
var otherThings = map[string][]string{
	"en": {"other", "others", "another", "rest"},
	"ro": {"alte", "altă", "alta", "alt", "celelalte", "ceilalți", "restul"},
}
