"""Dutch: the words and phrases the pipeline recognises, as data (qa/lang/__init__.py builds
the patterns). Phrases are regular-expression fragments, matched case-insensitively between
word boundaries."""

CODE = "nl"
NAME = "Nederlands"
SNOWBALL = "dutch"  # PyStemmer's name for the keyword stemmer
WORDFREQ = "nl"  # wordfreq's code: how common a word is
SENTENCEX = "nl"  # sentencex's code for the sentence splitter

BM25S_STOPWORDS = "STOPWORDS_DUTCH"  # the stop list bm25s keeps for the language

# --- telling the language apart -------------------------------------------------------------

FUNCTION_WORDS = {
    "de", "het", "een", "wat", "wie", "wanneer", "waar", "waarom", "hoe", "welke", "welk", "is", "zijn",
    "was", "heeft", "hebben", "van", "en", "over", "hoeveel", "die", "dat", "voor", "met", "bij", "niet",
}

# --- sentences --------------------------------------------------------------------------------

# Abbreviations after which the sentence splitter may wrongly end a sentence.
ABBREVIATIONS = {
    "ca", "mln", "mld", "mrd", "nr", "dhr", "mevr", "mr", "dr", "prof", "drs", "ir", "ing", "bijv",
    "bv", "o.a", "i.p.v", "t.o.v", "m.b.t", "z.g.a.n", "e.d", "enz", "etc", "jl", "jr", "st", "vs",
    "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec", "blz", "art",
    "incl", "excl", "resp", "evt", "vgl", "zgn", "min", "max", "gem", "ong", "tel", "afb", "hfdst",
}

# --- dates ------------------------------------------------------------------------------------

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                       "okt": 10, "nov": 11, "dec": 12}
AMBIGUOUS_MONTHS: set[str] = set()  # month names that are mostly another word
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
WEEKDAY_ABBREVIATIONS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
CLOCK_WORD = "uur"  # "12 september 2025, 14.30 uur"
RELATIVE_DAYS = ["gisteren", "vandaag"]
# A date may be a span back, an era or a season: "22.000 jaar geleden", "de 19e eeuw", "de jaren 90",
# "voor de zomer".
DATE_PHRASES = [r"(dit|vorig|volgend) jaar", r"jaar geleden", r"(\d+e|\w+(de|ste)) eeuw", r"(de|the) jaren '?\d0",
                r"[vn]\.\s?Chr", r"(voor|na|in|tijdens|deze|dit|komende|volgende|vorige|afgelopen|begin|eind|medio) "
                r"(de |het )?(zomer|winter|lente|herfst|voorjaar|najaar)"]

# --- articles: lines around the text, and the words for an article's fields -------------------

BYLINE_OPENERS = ["door", r"van onze \w+"]  # "Door Jan de Vries", "Van onze correspondent Piet Jansen"
BYLINE_ROLES = ["redacteur", "redactrice", "correspondent", "verslaggever", "journalist"]
NAME_PARTICLES = ["van", "de", "der", "den", "ten", "ter"]  # "Jan van der Berg"
BOILERPLATE_LINES = {"in dit artikel:", "in dit artikel", "lees ook:", "advertentie"}
SOURCE_LABELS = ["bron"]  # "Bron: Het Parool"

ARTICLE_NOUNS = ["artikel", "bericht", "stuk", "analyse", "nieuwsbericht"]
DETERMINERS = ["het", "dit", "de"]  # before "artikel": "het Musk-artikel", "dit stuk"
THIS = ["dit"]  # "dit artikel": the one just cited
NAMED_BEFORE: list[str] = []  # a determiner whose words up to "artikel" name it ("the Musk article")
ABOUT = ["over"]  # "het artikel over X"
PUBLISHING_WORDS = ["verscheen", "verschenen", "gepubliceerd", "geschreven", "stamt", "dateert"]
DATING_WORDS: list[str] = []
PREPOSITIONS = ["volgens", "in", "uit", "naar", "van", "over", "op", "bij", "met", "voor"]

# Not "tegen / aan welke krant zei hij dat?": whom he spoke to, not where the article appeared.
ASKS_SOURCE = [r"(?<!tegen )(?<!aan )(van )?welke (nieuws)?(site|bron|krant|website|medium)", r"van welk medium",
               r"wie (publiceerde|plaatste) {article}", r"waar (verscheen|komt|stond) {article}"]
ASKS_DATE = [r"welke datum", r"wanneer", r"op welke dag", r"(in|uit) welke maand", r"welke maand", r"(in|uit) welk jaar"]
ASKS_AUTHOR = [r"wie (heeft|schreef) {article}", r"door wie (is|werd) {article}",
               r"wie is de \w*(auteur|schrijver|redacteur|verslaggever|journalist)"]

# A follow-up naming a field of the article just cited ("En de datum?", "Wie schreef het?").
FIELD_WORDS = {
    "date": ["datum", "wanneer", "publicatiedatum"],
    "author": ["auteur", "schrijver", "redacteur", "journalist", "verslaggever", "schreef", "geschreven"],
    "source": ["bron", "krant", "site", "website", "nieuwssite", "medium", "uitgever", "publiceerde", "waar"],
}
# After an answer from the text, only these name a field of its article: "wanneer", "waar" and
# "schreef" there mostly ask about what the answer told.
FIELD_NOUNS = {
    "source": ["bron", "krant", "site", "website", "nieuwssite", "medium", "uitgever"],
    "author": ["auteur", "schrijver"],
    "date": ["publicatiedatum"],
}
FIELD_FILLER = ["verscheen", "verschenen", "gepubliceerd", "geschreven", "komt", "kwam", "staat", "stond", "vandaan"]
FIELD_QUESTIONS = {"date": "Wanneer verscheen het artikel '{}'?", "author": "Wie schreef het artikel '{}'?",
                   "source": "Van welke bron komt het artikel '{}'?"}

# --- what a question asks ---------------------------------------------------------------------

QUESTION_WORDS = ["wie", "wat", "waar", "wanneer", "waarom", "hoe", "hoeveel", "welk", "welke", "en", "ook", "dan",
                  "maar"]
# The cues of each kind of answer ("Waar gaat het over?" asks what, not where), tried in the order of
# ANSWER_KINDS (qa/lang/__init__.py): "time" and "age" before "number" ("hoeveel jaar oud"). A cue at the
# question's opening words wins over one further on (questions.expected_answer_type).
ANSWER_CUES = {
    "amount": [r"hoeveel (geld|omzet|winst)", r"welk bedrag", r"wat kost", r"hoeveel (kost|verdien|betaal)\w*", r"(hoeveel|wat) is .* waard",
               r"^\W*(\w+ ){0,2}(welke?|wat (is|was) de) (\w+ )?(boete|geldboete|geldbedrag|schadevergoeding|vergoeding|subsidie|salaris|som)\b"],
    "number": [r"hoeveel", r"percentage", r"procent", r"welk (deel|aandeel|belang)"],
    "age": [r"hoe oud", r"hoeveel jaar oud", r"^\W*(\w+ ){0,2}(welke|wat (is|was) de) leeftijd"],
    "measure": [r"hoe (groot|lang|hoog|ver|zwaar|breed|diep|vaak)",
                r"^\W*(\w+ ){0,2}(welke?|wat (is|was) de) (\w+ )?(hoogte|diepte|lengte|breedte|afstand|diameter|snelheid|temperatuur|celstraf|gevangenisstraf)\b"],
    "year": [r"welk jaar", r"in welk jaar"],
    "day": [r"welke datum", r"op welke dag", r"welke dag"],
    # "Hoe laat het kabinet weten ...?" is the verb "laten", not the time
    "time": [r"hoe laat(?!.*\b(weten|zien|blijken|horen|merken|voelen)\b)", r"^\W*(\w+ ){0,2}(welk|wat voor) tijdstip"],
    "date": [r"wanneer", r"^\W*(\w+ ){0,2}welke? (maand|week|weekend|weekeinde)\b"],
    "person": [r"wie", r"van wie"],
    "name": ['hoe (?:heet|heten|heette|heetten)', '(?:wat|welke) (?:is|was|zijn|waren) de (?:naam|namen)', 'welke naam', 'welke?'],
    "place": [r'waar(?!.*\b(over|om|aan|mee|voor|van|naar|op|door|toe|uit|bij)\s*\?)', '(in|naar|uit|vanuit|op|bij|via) welke (\\w+ )?(stad|steden|stadsdelen|plaats|plaatsen|provincies?|gemeenten?|gemeentes|regio|regio\'s|land|landen|wijk|wijken|dorp|dorpen|straat|straten)\\b', 'waarheen', 'waarvandaan', '(in|naar|uit|vanuit|op|bij|via) welk (\\w+ )?(land|buurland|dorp|gebied|eiland|park|stadsdeel)\\b',
              'in welke (\\w+ )?sta(at|ten)\\b'],  # "In welke Amerikaanse staat"; not "Op welke manier staat ..."
    "reason": ['waarom', 'om welke reden', 'hoe komt het', 'wat is de reden', 'wat was de reden', 'waardoor'],
}
# A place: a capitalised name after one of these ("in Rotterdam"); a reason: one of these words.
PLACE_PREPOSITIONS = ['in', 'bij', 'te', 'uit', 'naar', 'nabij', 'op', 'rond']
REASON_WORDS = ['omdat', 'doordat', 'want', 'vanwege', 'wegens', 'daardoor', 'daarom', 'zodat', 'oorzaak', 'reden', 'om te', 'door de', 'door het', 'dankzij']
ASKS_NAME_OF = [r"hoe (?:heet|heten|heette|heetten)", r"(?:wat|welke) (?:is|was|zijn|waren) de (?:naam|namen) van"]
# "Hoe heet de advocaat ...?" asks what someone or something is called: a proper name, which news
# writes beside its role. "Wat is de naam van de eigenschap ...?" as often asks a term ("primaliteit").
ASKS_WHAT_CALLED = [r"hoe (?:heet|heten|heette|heetten)"]
ARTICLES = ["de", "het", "een"]  # the grammatical ones: "Hoe heet de chatbot ...?"
# A description after a name opens with one of these: "Sean Fitzgerald, een gezaghebbende
# Amerikaanse asbestonderzoeker" (see APPOSITION; not "die": "Anna, die haar advocaat belde").
APPOSITION_ARTICLES = ["een", "de", "het"]
# A list goes on with these: "de burgemeester, Rijkswaterstaat en de politie" names no one.
LIST_JOINERS = ["en", "of"]
WHICH_WORDS = ["welk", "welke", "wat is de", "wat was de"]  # "Welke boete ...?": the asking words name the thing
# Nouns for anyone: news names a man or a woman after an age or a role ("de 34-jarige Ergün S.", "het
# slachtoffer, Shannon Mak"), not beside these words: asked the name of one, any person's name will do.
GENERIC_PERSON_NOUNS = ["man", "mannen", "vrouw", "vrouwen", "jongen", "jongens", "meisje", "meisjes", "persoon",
                        "personen", "mensen", "kind", "kinderen"]
# Words of an organisation's name, or the end of one ("Omroep Flevoland", "Openbaar Ministerie",
# "Rijksuniversiteit Groningen"): two capitalised words with one of these name no person.
ORGANISATION_WORDS = ["omroep", "rtv", "ministerie", "universiteit", "hogeschool", "gemeente", "provincie", "politie",
                      "stichting", "vereniging", "bank", "rechtbank", "partij", "museum", "ziekenhuis", "school",
                      "college", "krant", "dagblad", "courant", "nieuws", "bureau", "instituut", "dienst", "fonds",
                      "groep", "holding", "unie", "raad", "kamer", "zaken", "beheer", "airlines", "centrum"]
# Roles news writes beside the name of who holds them ("advocaat Robert Snorn", "Frank Oranje was
# notaris", "de burgemeester van Almelo, Arjen Gerritsen"); a compound ends in one ("sekteleider").
# "Hoe heet de advocaat ...?" is not answered by an article that names no one beside its role.
# Not the roles news names after an age ("de verdachte, de 34-jarige Ergün S."): verdachte, slachtoffer.
PERSON_ROLE_NOUNS = ["advocaat", "rechter", "officier", "burgemeester", "wethouder", "minister", "premier",
                     "president", "directeur", "eigenaar", "voorzitter", "woordvoerder", "leider", "oprichter",
                     "docent", "leraar", "lerares", "instructeur", "trainer", "coach", "arts", "dokter", "agent",
                     "rechercheur", "ambtenaar", "diplomaat", "ambassadeur", "notaris", "moeder", "vader", "broer",
                     "zus", "zoon", "dochter", "vriend", "vriendin", "echtgenoot", "echtgenote", "buurman",
                     "buurvrouw", "chauffeur", "piloot", "kapitein", "journalist", "verslaggever", "fotograaf",
                     "schrijver", "zanger", "zangeres", "acteur", "actrice", "regisseur", "kunstenaar", "ondernemer",
                     "medewerker", "beveiliger", "bestuurder", "topman", "topvrouw", "manager", "onderzoeker",
                     "hoogleraar", "wetenschapper", "deskundige", "speler", "keeper", "winnaar", "kandidaat",
                     "lijsttrekker", "politicus", "raadslid", "kamerlid", "commissaris", "predikant", "priester",
                     "imam", "dominee"]
# Words before what a question asks for that say which one, not what ("de nieuwe trainer", "het eigen bedrijf").
WHICH_ONE_WORDS = ["nieuw", "nieuwe", "oud", "oude", "huidig", "huidige", "voormalig", "voormalige", "vorige", "eerste",
                   "tweede", "derde", "laatste", "volgende", "eigen", "andere", "ander", "groot", "grote", "klein",
                   "kleine", "jonge", "bekende", "zelfde", "hele"]

# Figures: units after a number, counts written out (also inside a word: "Zesvoudig"), halves.
AMOUNT_UNITS = ["miljard", "miljoen", "duizend", "euro", "procent"]
NUMBER_WORDS = ["twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf", "dertien",
                "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien", "twintig", "dertig",
                "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig", "honderd", "duizend", "dozijn"]
NUMBER_WORD_ENDINGS = [r"voudig\w*", r"maal", r"tal", r"jarig\w*"]
HALF = ["helft"]
# What a figure measures, by the word after it, past a multiplier ("3,6 miljard euro" is money, "20
# meter" a length); a figure followed by none of these counts something ("336 wapens").
FIGURE_UNITS = {
    "money": ["euro", "euro's", "eurocent", "cent", "dollar", "dollars", "dollarcent", "yen", "yuan", "roebel", "kronen"],
    "percent": ["procent", "procentpunt", "procentpunten", "%"],
    "duration": ["jaar", "jaren", "maand", "maanden", "week", "weken", "dag", "dagen", "etmaal", "etmalen", "nacht",
                 "nachten", "uur", "uren", "minuut", "minuten", "seconde", "seconden", "kwartier", "eeuw", "eeuwen",
                 "decennium", "decennia"],
    "length": ["meter", "meters", "m", "kilometer", "kilometers", "km", "centimeter", "cm", "millimeter", "mm", "mijl"],
    "area": ["hectare", "vierkante", "m2", "km2"],
    "weight": ["kilo", "kilo's", "kilogram", "kg", "gram", "ton", "tonnen"],
    "volume": ["liter", "liters", "kuub", "m3"],
    "temperature": ["graden"],
}
FIGURE_MULTIPLIERS = ["miljoen", "miljard", "duizend", "honderd", "biljoen", "mln", "mld"]
# Counts written as one word besides NUMBER_WORDS ("tienduizend", "duizenden", "tientallen", "een
# miljoen"), and shares ("twee derde": read as a percentage is).
NUMBER_COMPOUNDS = [r"\w*(?:honderd|duizend|miljoen|miljard)(?:en)?", r"(?:tien|honderd|duizend)tallen"]
FRACTIONS = ["helft", "een derde", "twee derde", "een kwart", "driekwart", "drie kwart"]
# What a question opening with these asks a figure of, besides the unit after its count cue ("Hoeveel
# hectare ...?"). Not "Hoe lang ...?": a span ("van 1870 tot 1939"), a count ("500 woorden") answers it too.
ASKED_MEASURES = {
    "duration": [r"hoeveel tijd", r"(welke?|wat (is|was) de) (cel|gevangenis)straf"],
    "percent": [r"(welk|wat (is|was) het) percentage"],
}
# "Hoeveel messen ...?" asks a count: after the cue, past up to two adjectives ("Hoeveel gewapende
# mannen") and a multiplier ("Hoeveel miljoen euro": a unit), a word with a plural ending; not a verb,
# which its subject follows ("Hoeveel stegen de huurprijzen ...?"). "Hoeveel bedroeg ...?" may ask anything.
COUNT_CUES = ["hoeveel"]
SUBJECT_OPENERS = ["de", "het", "een", "er", "hij", "zij", "ze", "we", "wij", "je", "jij", "u", "die", "deze", "dit",
                   "dat"]
ADJECTIVE_ENDINGS = ["e"]
PLURAL_ENDINGS = ["en", "s", "'s"]
# A time of day: "21.00 uur", "09.30", "om 8 uur", "half negen", "middernacht".
TIME_PATTERNS = [r"\b(?:[01]?\d|2[0-4])[.:][0-5]\d\b(?![.,]\d|\s*(?:euro|dollar|procent|%))",
                 r"\b(?:om|rond|tegen|omstreeks|vanaf|tot) (?:[01]?\d|2[0-4]) uur\b",
                 rf"\bhalf (?:{'|'.join(NUMBER_WORDS[:11])}|een)\b", r"\bmiddernacht\b"]
# An age as news writes it: "Kilicsoy (49)", "de 34-jarige", "zevenjarige", "2500 jaar oud", "ouder dan 18
# jaar"; a find's age as how long ago ("ongeveer 515 miljoen jaar geleden"), a building's as its year ("uit 1420").
# "een meneer van 75 jaar", "een vrouw van 27 uit Almelo": an age after a word for a person, closed
# by "jaar", a comma or "uit" ("een man van 1,90 meter", "een vrouw van 80 kilo" are no ages).
PERSONS_OF_AN_AGE = ["man", "vrouw", "jongen", "meisje", "meneer", "mevrouw", "jongeman", "kind", "baby", "peuter"]
PERSON_AGE_PATTERNS = [r"(?-i:(?<=[a-z])) \(\d{1,3}\)", r"\b\d{1,3}-jarigen?\b", rf"\b(?:{'|'.join(NUMBER_WORDS)})-?jarigen?\b",
                       rf"\b(?:{'|'.join(PERSONS_OF_AN_AGE)}) van \d{{1,3}}(?: jaar\b|(?=[,;:)](?!\d)| uit\b))"]
AGE_PATTERNS = PERSON_AGE_PATTERNS + [
    r"\(\d{1,3}\)", r"\d{1,3}-jarig\w*", r"leeftijd van \d{1,3}", r"\b(?:werd|was|is|wordt|zijn|waren) \d{1,3} jaar\b",
    r"(?<![\d.,])[.,]?\d[\d.,]* (?:miljoen |miljard )?jaar (?:oud|geleden)", r"ouder dan \d{1,3} jaar", r"\d{1,3} jaar of ouder",
    r"\buit (?:het jaar )?\d{4}\b", r"\b\d{1,2}e eeuw\b"]

# --- follow-ups -------------------------------------------------------------------------------

LEADS_IN = ["en", "maar", "ook", "en wat", "wat dan", "en hoe"]  # "En begin 2023?"
# Words that point back ("dat" only before a noun: mostly a conjunction). The pronominal adverbs
# ("erbij", "daarna") stand for a thing the last turn named: "Hoeveel ministers zaten erbij?".
POINTS_BACK = ["die", "deze", "daar", "daarvan", "daarom", "hij", "zij", "ze", "hem", "haar", "hun", "hen",
               "het bedrijf", "de man", "de vrouw", "erbij", "daarbij", "ervan", "erover", "daarover", "erin",
               "daarin", "ermee", "daarmee", "ertegen", "daartegen", "erna", "daarna", "ervoor", "daarvoor",
               "eraan", "daaraan", "erop", "daarop"]
POINTS_BACK_BEFORE_NOUN = ["dat", "dit"]  # "Wie leidt dat onderzoek?", not "Klopt het dat de ...?"
# A sentence opening with one of these cannot be read alone: the one before says who or what.
LEANS_BACK = ["hij", "zij", "ze", "zijn", "haar", "hun", "dit", "deze", "daarom", "daardoor", "daarna", "daarmee",
              "hierdoor"]
# Dutch puts the verb second: "Tegelijk richtte hij xAI op" leans back too.
PRONOUNS_AFTER_VERB = ["hij", "zij", "ze"]

# --- whether something is known ----------------------------------------------------------------

# "Openbaar vervoer" (public transport) is not about being known.
KNOWN_WORDS = ["bekend", "bekendgemaakt", r"openbaar(?!\s+vervoer)", "vrijgegeven", "onthuld"]
CONJUNCTIONS = ["en", "maar", "dus"]  # may open a yes/no question: "En is het al bekend?"
YES_NO_VERBS = ["is", "zijn", "was", "waren", "wordt", "worden", "werd", "werden", "heeft", "hebben", "had", "hadden",
                "kan", "kunnen", "zal", "zullen", "zou", "zouden", "mag", "mogen", "moet", "moeten", "gaat", "gaan",
                "komt", "komen", "weet", "weten", "staat", "staan"]
# A sentence saying the fact asked for is not known: quoting it is more honest than an answer.
UNDISCLOSED = [r"\b(niet|noch)\b[^.;]*\b(bekendgemaakt|bekend|vrijgegeven|openbaar gemaakt)\b", r"\bonbekend\b"]

# --- keywords ---------------------------------------------------------------------------------

# Compounds are written as one word ("overnamepoging"): the analyser adds their parts, joined by
# these linking letters, never a derivational suffix ("partner-schap").
COMPOUND_LINKS = ("", "s", "e", "en")
COMPOUND_SUFFIXES = {"schap", "schappen", "heid", "heden", "lijk", "lijke", "baar", "bare", "zaam", "zame", "isch",
                     "ische", "ling", "lingen", "ende", "ering", "eringen"}
# A question's verb form in "-t"/"-d" ("ontvangt") is the corpus's "ontvangen": the endings and
# the infinitive ending (Snowball keeps the ending, articles mostly write another tense).
VERB_ENDINGS = "td"
INFINITIVE_ENDING = "en"
LONG_VOWEL_SINGLE = r"([aeou])\1([^aeiou])$"  # "betaal" -> "betalen": single before "-en"
# A main clause splits a separable verb and ends on its particle ("Microsoft kondigde de deal
# aan", "het kabinet stapte op"), where an article writes "aangekondigd" or "opstappen": the
# answer step's keywords join such a particle to the word of its clause it makes a verb with.
# The particle closes its clause before punctuation or a word that opens the next clause
# ("kondigde aan dat ..."), and before a phrase the clause puts after it ("vond plaats in Clapham").
SEPARABLE_PARTICLES = {"aan", "af", "bij", "door", "in", "mee", "na", "om", "op", "over", "terug", "toe", "uit",
                       "voor", "weg", "samen", "vast", "los", "neer", "langs", "tegen", "dicht", "open", "plaats",
                       "bekend", "goed", "binnen", "buiten", "rond", "achter", "teweeg", "kwijt", "stil"}
CLAUSE_OPENERS = {"en", "maar", "want", "dus", "dat", "om", "omdat", "nadat", "toen", "zodat", "terwijl", "als"}
PHRASE_AFTER_PARTICLE = {"in", "op", "aan", "bij", "met", "naar", "van", "voor", "door", "over", "tegen", "uit",
                         "onder", "na", "vanwege", "wegens", "tijdens", "sinds", "tot", "rond"}

# Endings of adjectives made from a place name ("Utrechtse", "Nijmeegse", "Bosnische"): the
# article may name the place ("Nijmegen") instead, so a question's such word is no name to require.
NAME_ADJECTIVE_ENDINGS = [r"[^aeiouys]se", r"sche"]  # not "-sse": "klasse", "secretaresse"
# The same adjectives uninflected ("een Brits tijdschrift"), where the article inflects them
# ("het Britse tijdschrift") or names the country: no names to require either ("Frans" and "Engels"
# are first names too; after them the surname stays required).
NAME_ADJECTIVE_WORDS = {
    "Afghaans", "Afrikaans", "Amerikaans", "Arabisch", "Armeens", "Australisch", "Aziatisch", "Belgisch", "Bosnisch",
    "Brabants", "Braziliaans", "Brits", "Canadees", "Chinees", "Deens", "Duits", "Egyptisch", "Engels", "Europees",
    "Fins", "Frans", "Gronings", "Grieks", "Hongaars", "Iers", "Indiaas", "Indonesisch", "Iraaks", "Iraans",
    "Israëlisch", "Italiaans", "Japans", "Koreaans", "Limburgs", "Marokkaans", "Mexicaans", "Nederlands", "Noors",
    "Oekraïens", "Oostenrijks", "Palestijns", "Pools", "Portugees", "Roemeens", "Russisch", "Saoedisch", "Schots",
    "Spaans", "Surinaams", "Syrisch", "Tsjechisch", "Turks", "Vlaams", "Zeeuws", "Zweeds", "Zwitsers",
    # inflected after a vowel, which NAME_ADJECTIVE_ENDINGS leave to names ("Louise"):
    "Europese", "Chinese", "Indiase", "Portugese", "Congolese", "Libanese", "Vietnamese", "Maltese",
}
# A region named by a point of the compass and a place ("Zuid-Californië") that the article
# writes as the place after the point of the compass ("in het zuiden van Californië",
# "zuidelijk Afrika"). Not "Midden": "Midden-Oosten" is one name.
REGION_PREFIXES = ["Noord", "Zuid", "Oost", "West", "Noordoost", "Noordwest", "Zuidoost", "Zuidwest"]
PEOPLE_ADJECTIVES: set[str] = set()  # for questions in another language (en.py); Dutch ones: NAME_ADJECTIVE_WORDS

# English names that Dutch articles write otherwise ("Netherlands" -> "Nederland").
NAMES_FROM_ENGLISH = {
    "Netherlands": ["Nederland"], "Holland": ["Nederland"], "Dutch": ["Nederland"], "Germany": ["Duitsland"],
    "Belgium": ["België"], "France": ["Frankrijk"], "Spain": ["Spanje"], "Italy": ["Italië"],
    "Britain": ["Brittannië"], "England": ["Engeland"], "Europe": ["Europa"], "European": ["Europ"],
    "Russia": ["Rusland"], "Ukraine": ["Oekraïne"], "Poland": ["Polen"], "Brussels": ["Brussel"],
    "Hague": ["Haag"], "States": ["Staten", "VS"], "US": ["VS"], "USA": ["VS"], "UK": ["VK"],
    "Turkey": ["Turkije"], "Israel": ["Israël"], "Syria": ["Syrië"], "Egypt": ["Egypte"],
}

# --- asking about the reporting: which articles, not which fact (qa/questions.py) -------------
# After one of these words one of the index's own sources says where it was reported ("volgens
# de NOS", "Wat meldde het AD"); "volgens Musk" names no source, so it is no filter.
REPORTED_BY = ["volgens", "meldde", "meldt", "melden", "meldden", "schreef", "schrijft", "schreven",
               "berichtte", "berichtten", "bericht", "noemde", "noemt"]
SOURCE_DETERMINERS = ["de", "het"]
# The reporting itself, and the word before its period: "de artikelen van maart 2021", "het nieuws
# van gisteren". A date without them belongs to the fact ("Hoeveel investeerde Microsoft in 2019?"),
# and so does one article a text speaks of ("de informatie uit het artikel uit 1999", XQuAD-NL).
REPORTING_NOUNS = ["artikelen", "berichten", "nieuws", "nieuwsberichten"]
PERIOD_OF = ["van"]
# A period right after the source is when it reported: "Wat schreef Trouw in maart 2023", "het
# AD-bericht van juni 2025".
SOURCE_PERIOD_OF = ["in", "van"]
# Periods counted back from today (QA_TODAY): unit, and how many of them back. With a reporting
# word anywhere in the question ("Wat meldde de NOS vorige week over ...") they filter too.
RELATIVE_PERIODS = {"vandaag": ("day", 0), "gisteren": ("day", 1), "deze week": ("week", 0),
                    "vorige week": ("week", 1), "afgelopen week": ("week", 1), "deze maand": ("month", 0),
                    "vorige maand": ("month", 1), "dit jaar": ("year", 0), "vorig jaar": ("year", 1)}

# Asking for the newest reporting ("Wat is het laatste nieuws over ...", "de meest recente cijfers"):
# the newest of the relevant articles come first.
# Of the reporting, not of a fact: "het meest recente tijdperk" (XQuAD-NL) is no such question.
ASKS_LATEST = [r"laatste nieuws", r"(meest recente|recentste|laatste|nieuwste) (cijfers|berichten|artikelen|nieuws)"]

# --- what the reader sees ----------------------------------------------------------------------

MESSAGES = {
    "not_found": "Ik kan dit niet vinden in de artikelen.",
    "unsure": "Niet zeker: de artikelen beantwoorden dit mogelijk niet.",
    "undisclosed": "Dat staat niet in de artikelen; ze melden wel:",
    "related": "Mogelijk gerelateerd",
    "sources": "Bronnen",
    "empty": "Stel een vraag over de artikelen.",
    "passage": "Passage",
    "file": "bestand",
    "characters": "tekens",
    "understood": "opgevat als",
    "retrieved": "Gevonden passages",
    "no_source": "Bij dit artikel staat geen bron.",
    "no_date": "Bij dit artikel staat geen datum.",
    "no_author": "Bij dit artikel staat geen auteur.",
    "article_source": "Het artikel komt van {}.",
    "article_date_on": "Het artikel verscheen op {}.",
    "article_date_in": "Het artikel verscheen in {}.",
    "article_author": "Het artikel is van {}.",
    "filtered_out": "Er zijn geen artikelen {}.",
    "articles": "artikelen",
    "filter_source": "van {}",
    "filter_since": "vanaf {}",
    "filter_until": "tot en met {}",
    "known_sources": "De artikelen komen van: {}.",
    "no_sources": "Bij geen enkel artikel staat een bron.",
}
