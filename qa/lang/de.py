"""German: the words and phrases the pipeline recognises, as data (qa/lang/__init__.py builds
the patterns). Written as the proof that a language is one file: nothing else names German."""

CODE = "de"
NAME = "Deutsch"
SNOWBALL = "german"
WORDFREQ = "de"
SENTENCEX = "de"

BM25S_STOPWORDS = "STOPWORDS_GERMAN"  # the stop list bm25s keeps for the language

FUNCTION_WORDS = {
    "der", "die", "das", "ein", "eine", "einen", "wer", "wann", "wo", "warum", "wieso", "welche", "welcher", "welches",
    "ist", "sind", "hat", "haben", "wurde", "und", "nicht", "mit", "von", "dem", "den", "des", "auf", "im", "auch",
    "wie", "viel", "wieviel", "viele", "sich", "noch", "nach",
}

ABBREVIATIONS = {"ca", "nr", "dr", "prof", "bzw", "usw", "z.b", "d.h", "u.a", "vgl", "mio", "mrd", "tsd", "st", "jan",
                 "feb", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez", "inkl", "ggf", "evtl"}

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]
MONTH_ABBREVIATIONS = {"jän": 1, "dez": 12}
AMBIGUOUS_MONTHS: set[str] = set()
WEEKDAYS = ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"]
WEEKDAY_ABBREVIATIONS: list[str] = []
CLOCK_WORD = "Uhr"
RELATIVE_DAYS = ["gestern", "heute"]
DATE_PHRASES = [r"(dieses|letztes|nächstes|vorigen) jahr(es)?", r"vor \S+ jahren", r"(\d+\.|\w+ten) jahrhundert",
                r"(die|den) \d0er( jahre)?"]

BYLINE_OPENERS = ["von"]
BYLINE_ROLES = ["redakteur", "redakteurin", "korrespondent", "korrespondentin", "reporter", "reporterin"]
NAME_PARTICLES = ["von", "zu"]
BOILERPLATE_LINES = {"lesen sie auch:", "anzeige", "werbung"}
SOURCE_LABELS = ["quelle"]

ARTICLE_NOUNS = ["Artikel", "Bericht", "Beitrag", "Meldung"]
DETERMINERS = ["der", "dieser", "den", "diesen", "dem", "diesem"]
THIS = ["dieser", "diesen", "diesem"]
NAMED_BEFORE: list[str] = []
ABOUT = ["über"]
PUBLISHING_WORDS = ["erschienen", "erschien", "veröffentlicht", "geschrieben", "verfasst"]
DATING_WORDS = ["datiert"]
PREPOSITIONS = ["laut", "in", "aus", "nach", "von", "über", "auf", "bei", "mit", "für", "zu"]

ASKS_SOURCE = [r"(aus |von )?welche[rmns]? (nachrichten)?(seite|quelle|zeitung|website|medium)",
               r"wer (veröffentlichte|publizierte) {article}", r"wo (erschien|stand) {article}"]
ASKS_DATE = [r"an welchem (tag|datum)", r"welches datum", r"in welchem (monat|jahr)"]
ASKS_AUTHOR = [r"wer (hat|schrieb) {article}", r"von wem (ist|stammt|wurde) {article}",
               r"wer ist der \w*(autor|verfasser|redakteur|journalist)"]

FIELD_WORDS = {
    "date": ["datum", "wann", "erscheinungsdatum"],
    "author": ["autor", "autorin", "verfasser", "redakteur", "journalist", "schrieb", "geschrieben"],
    "source": ["quelle", "zeitung", "seite", "website", "medium", "verlag", "veröffentlichte", "wo"],
}
FIELD_NOUNS = {
    "source": ["quelle", "zeitung", "seite", "website", "medium", "verlag"],
    "author": ["autor", "autorin", "verfasser"],
    "date": ["erscheinungsdatum"],
}
FIELD_FILLER = ["erschien", "erschienen", "veröffentlicht", "geschrieben", "kommt", "kam", "stammt", "steht", "stand"]
FIELD_QUESTIONS = {"date": "Wann erschien der Artikel '{}'?", "author": "Wer schrieb den Artikel '{}'?",
                   "source": "Aus welcher Quelle stammt der Artikel '{}'?"}

QUESTION_WORDS = ["wer", "wen", "wem", "wessen", "wann", "wo", "woher", "wohin", "warum", "wieso", "weshalb", "wieviel",
                  "welche", "welcher", "welches", "welchen", "welchem", "und", "auch", "aber"]
ANSWER_CUES = {
    "amount": [r"wie ?viel (geld|umsatz|gewinn)", r"welche[nr]? betrag", r"was kostet\w*", r"wie ?viel kostet\w*",
               r"wie ?viel ist .* wert"],
    "number": [r"wie ?viele?", r"prozent", r"welche[nr]? (anteil|teil)"],
    "age": [r"wie alt", r"welches alter"],
    "measure": [r"wie (groß|lang|hoch|weit|schwer|breit|tief|oft)"],
    "year": [r"welchem jahr", r"welches jahr"],
    "day": [r"welchem tag", r"welches datum", r"welchem datum"],
    "time": [r"um wie ?viel uhr", r"wie spät"],
    "date": [r"wann"],
    "person": [r"wer", r"wem", r"wen", r"wessen"],
    "name": ['wie (?:heißt|heißen|hieß|hießen)', '(?:was|wie) (?:ist|war) der name', 'welche[rmns]?'],
    "place": ['wo', 'wohin', 'woher', 'in welche[rmns]? (\\w+ )?(stadt|ort|land|region|gemeinde|viertel|dorf)'],
    "reason": ['warum', 'wieso', 'weshalb', 'aus welchem grund'],
}
# A place: a capitalised name after one of these ("in Rotterdam"); a reason: one of these words.
PLACE_PREPOSITIONS = ['in', 'bei', 'aus', 'nach', 'nahe']
REASON_WORDS = ['weil', 'da', 'wegen', 'deshalb', 'aufgrund', 'grund', 'dadurch', 'sodass', 'dank']
ASKS_NAME_OF = [r"wie (?:heißt|heißen|hieß|hießen)", r"(?:was|wie) (?:ist|war) der name (?:von|des|der)"]
ASKS_WHAT_CALLED = [r"wie (?:heißt|heißen|hieß|hießen)"]  # see nl.py
ARTICLES = ["der", "die", "das", "ein", "eine"]
APPOSITION_ARTICLES = ["ein", "eine", "der", "das"]  # see nl.py; not "die", Dutch for "who"
LIST_JOINERS = ["und", "oder"]  # see nl.py
WHICH_WORDS = ["welche", "welcher", "welches", "welchem", "welchen"]  # see nl.py
ORGANISATION_WORDS = ["universität", "ministerium", "polizei", "stiftung", "verein", "bank", "partei", "museum",
                      "krankenhaus", "schule", "zeitung", "rundfunk", "institut", "dienst", "fonds", "gruppe",
                      "gericht", "amt", "zentrum"]  # see nl.py
PERSON_ROLE_NOUNS = ["anwalt", "richter", "bürgermeister", "direktor", "eigentümer", "vorsitzende", "sprecher",
                     "leiter", "gründer", "lehrer", "lehrerin", "trainer", "arzt", "ärztin", "mutter", "vater",
                     "bruder", "schwester", "sohn", "tochter", "nachbar"]  # see nl.py
GENERIC_PERSON_NOUNS = ["mann", "männer", "frau", "frauen", "junge", "mädchen", "person", "personen", "menschen", "kind",
                        "kinder"]  # see nl.py
WHICH_ONE_WORDS = ["neu", "neue", "neuen", "alte", "erste", "zweite", "letzte", "ehemalige", "eigene", "andere"]  # see nl.py

AMOUNT_UNITS = ["milliarden", "milliarde", "millionen", "million", "mrd", "mio", "euro", "prozent"]
NUMBER_WORDS = ["zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf", "zwanzig",
                "dreißig", "vierzig", "fünfzig", "hundert", "tausend", "dutzend"]
NUMBER_WORD_ENDINGS = [r"fach\w*", r"mal"]
HALF = ["hälfte"]
FIGURE_UNITS = {  # see nl.py
    "money": ["euro", "cent", "dollar", "franken"],
    "percent": ["prozent", "prozentpunkte", "%"],
    "duration": ["jahr", "jahre", "jahren", "monat", "monate", "monaten", "woche", "wochen", "tag", "tage", "tagen",
                 "stunde", "stunden", "minute", "minuten", "sekunden", "jahrhundert", "jahrzehnte"],
    "length": ["meter", "kilometer", "km", "zentimeter", "cm"],
    "area": ["hektar", "quadratmeter"],
    "weight": ["kilo", "kilogramm", "gramm", "tonnen"],
    "volume": ["liter"],
    "temperature": ["grad"],
}
FIGURE_MULTIPLIERS = ["millionen", "million", "milliarden", "milliarde", "tausend", "hundert", "mio", "mrd"]
NUMBER_COMPOUNDS = [r"\w*(?:hundert|tausend)e?", r"\w*(?:millionen|milliarden)"]  # see nl.py
FRACTIONS = ["hälfte", "ein drittel", "zwei drittel", "ein viertel", "drei viertel"]
ASKED_MEASURES = {  # see nl.py
    "duration": [r"wie ?viel zeit", r"welche (haft|gefängnis)strafe"],
    "percent": [r"welche[nr]? prozentsatz"],
}
# A German plural ends as its adjectives and singulars do ("-e", "-en", "-er"): a count is not told apart.
COUNT_CUES = []
SUBJECT_OPENERS = []
ADJECTIVE_ENDINGS = []
PLURAL_ENDINGS = []
TIME_PATTERNS = [r"\b(?:[01]?\d|2[0-4])[.:][0-5]\d\b(?![.,]\d|\s*(?:euro|dollar|prozent|%))", r"\b(?:[01]?\d|2[0-4]) uhr\b",
                 r"\bmitternacht\b"]  # see nl.py
PERSONS_OF_AN_AGE = ["mann", "frau", "junge", "mädchen", "kind"]  # "ein Mann von 43 Jahren"
PERSON_AGE_PATTERNS = [r"(?-i:(?<=[a-z])) \(\d{1,3}\)", r"\b\d{1,3}-jährigen?\b",  # see nl.py
                       rf"\b(?:{'|'.join(PERSONS_OF_AN_AGE)}) von \d{{1,3}}(?: jahren\b|(?=[,;:)](?!\d)| aus\b))"]
AGE_PATTERNS = PERSON_AGE_PATTERNS + [r"\(\d{1,3}\)", r"\d{1,3}-jährig\w*", r"(?<![\d.,])[.,]?\d[\d.,]* (?:millionen |milliarden )?jahre alt"]

LEADS_IN = ["und", "aber", "auch", "und was", "was ist mit", "und wie"]
POINTS_BACK = ["er", "sie", "ihm", "ihn", "ihr", "ihre", "ihren", "dessen", "deren", "diese", "dieser", "dort",
               "davon", "deshalb", "das unternehmen", "der mann", "die frau"]
POINTS_BACK_BEFORE_NOUN: list[str] = []
LEANS_BACK = ["er", "sie", "ihr", "ihre", "dies", "diese", "deshalb", "dadurch", "danach", "damit", "daher"]
PRONOUNS_AFTER_VERB = ["er", "sie"]  # German puts the verb second: "Zugleich gründete er xAI"

KNOWN_WORDS = ["bekannt", "bekanntgegeben", "veröffentlicht", "öffentlich", "enthüllt"]
CONJUNCTIONS = ["und", "aber", "also"]
YES_NO_VERBS = ["ist", "sind", "war", "waren", "wird", "werden", "wurde", "wurden", "hat", "haben", "hatte", "hatten",
                "kann", "können", "soll", "sollen", "muss", "müssen", "gibt"]
UNDISCLOSED = [r"\bnicht\b[^.;]*\b(bekanntgegeben|bekannt|veröffentlicht|öffentlich gemacht)\b", r"\bunbekannt\b"]

COMPOUND_LINKS = ("", "s", "es", "n", "en", "e")
COMPOUND_SUFFIXES = {"schaft", "schaften", "heit", "heiten", "keit", "keiten", "lich", "liche", "bar", "bare", "ung",
                     "ungen", "isch", "ische"}
VERB_ENDINGS = ""  # German question verbs are stemmed alike by Snowball; no rewrite needed
INFINITIVE_ENDING = ""
LONG_VOWEL_SINGLE = ""
# Separable verbs, as in nl.py: "Die Firma kündigte den Deal an" -> "ankündigte".
SEPARABLE_PARTICLES = {"ab", "an", "auf", "aus", "bei", "ein", "fest", "fort", "her", "hin", "los", "mit", "nach",
                       "vor", "weg", "zu", "zurück", "zusammen", "bekannt", "statt", "teil"}
CLAUSE_OPENERS = {"und", "aber", "denn", "dass", "weil", "nachdem", "als", "wenn", "um"}
PHRASE_AFTER_PARTICLE = {"in", "auf", "an", "bei", "mit", "nach", "von", "vor", "durch", "über", "gegen", "aus",
                         "unter", "wegen", "während", "seit", "bis"}

NAME_ADJECTIVE_ENDINGS: list[str] = []  # adjectives of place names to not require as names
NAME_ADJECTIVE_WORDS: set[str] = set()  # see nl.py
REGION_PREFIXES: list[str] = []  # see nl.py
NAMES_FROM_ENGLISH: dict[str, list[str]] = {}
PEOPLE_ADJECTIVES: set[str] = set()  # see en.py

# --- asking about the reporting: which articles, not which fact (qa/questions.py) -------------
REPORTED_BY = ["laut", "meldete", "meldet", "schrieb", "schreibt", "berichtete", "berichtet"]
SOURCE_DETERMINERS = ["der", "die", "das", "dem"]
REPORTING_NOUNS = ["berichte", "nachrichten", "meldungen"]
PERIOD_OF = ["von", "vom"]
SOURCE_PERIOD_OF = ["im"]
RELATIVE_PERIODS = {"heute": ("day", 0), "gestern": ("day", 1), "diese woche": ("week", 0),
                    "letzte woche": ("week", 1), "diesen monat": ("month", 0), "letzten monat": ("month", 1),
                    "dieses jahr": ("year", 0), "letztes jahr": ("year", 1)}

ASKS_LATEST = [r"(neueste|aktuellste)n? (nachrichten|meldungen|zahlen|berichte)"]

MESSAGES = {
    "not_found": "Das finde ich in den Artikeln nicht.",
    "unsure": "Nicht sicher: die Artikel beantworten das vielleicht nicht.",
    "undisclosed": "Das steht nicht in den Artikeln; sie berichten aber:",
    "related": "Möglicherweise verwandt",
    "sources": "Quellen",
    "empty": "Stellen Sie eine Frage zu den Artikeln.",
    "passage": "Passage",
    "file": "Datei",
    "characters": "Zeichen",
    "understood": "verstanden als",
    "retrieved": "Gefundene Passagen",
    "no_source": "Bei diesem Artikel steht keine Quelle.",
    "no_date": "Bei diesem Artikel steht kein Datum.",
    "no_author": "Bei diesem Artikel steht kein Autor.",
    "article_source": "Der Artikel stammt von {}.",
    "article_date_on": "Der Artikel erschien am {}.",
    "article_date_in": "Der Artikel erschien im {}.",
    "article_author": "Der Artikel ist von {}.",
    "filtered_out": "Es gibt keine Artikel {}.",
    "articles": "Artikel",
    "filter_source": "von {}",
    "filter_since": "ab {}",
    "filter_until": "bis {}",
    "known_sources": "Die Artikel stammen von: {}.",
    "no_sources": "Kein Artikel nennt eine Quelle.",
}
