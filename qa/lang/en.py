"""English: the words and phrases the pipeline recognises, as data (qa/lang/__init__.py builds
the patterns). Readers ask in English over Dutch articles too."""

CODE = "en"
NAME = "English"
SNOWBALL = "english"
WORDFREQ = "en"
SENTENCEX = "en"

BM25S_STOPWORDS = "STOPWORDS_EN"  # the stop list bm25s keeps for the language

FUNCTION_WORDS = {
    "the", "what", "who", "when", "where", "why", "how", "which", "is", "are", "was", "were", "did", "does",
    "do", "of", "to", "and", "about", "much", "many", "has", "have", "with", "for", "from", "it",
}

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "approx", "no",
                 "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTH_ABBREVIATIONS: dict[str, int] = {}
AMBIGUOUS_MONTHS = {"May"}  # mostly the verb
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_ABBREVIATIONS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CLOCK_WORD = ""
RELATIVE_DAYS = ["yesterday", "today"]
DATE_PHRASES = [r"(this|last|next) year", r"years ago", r"\w+(st|nd|rd|th) century", r"\d0s",
                r"(this|last|next|before the|after the|in the|during the) (summer|winter|spring|autumn|fall)"]

BYLINE_OPENERS = ["by"]
BYLINE_ROLES: list[str] = []
NAME_PARTICLES: list[str] = []
BOILERPLATE_LINES: set[str] = set()
SOURCE_LABELS = ["source"]

ARTICLE_NOUNS = ["article", "story", "piece", "report"]
DETERMINERS = ["the", "this"]
THIS = ["this"]
NAMED_BEFORE = ["the"]  # "the Musk article"
ABOUT = ["about", "on"]
PUBLISHING_WORDS = ["published", "written"]
DATING_WORDS = ["dated?"]
PREPOSITIONS = ["according", "in", "to", "about", "with", "for", "of", "from"]

ASKS_SOURCE = [r"who published {article}", r"(?<!to )(which|what) (news )?(site|source|paper|newspaper|outlet|publication)",
               r"where (was|did) {article}"]
ASKS_DATE = [r"when", r"what date", r"(in |from )?(which|what) (month|year)"]
ASKS_AUTHOR = [r"who wrote {article}", r"(by whom|who) (was|is) {article} written",
               r"who is the (author|\w*reporter|\w*editor|writer)"]

FIELD_WORDS = {
    "date": ["date", "when"],
    "author": ["author", "writer", "reporter", "wrote", "written", "byline"],
    "source": ["source", "outlet", "paper", "newspaper", "publisher", "published", "where"],
}
FIELD_NOUNS = {
    "source": ["source", "outlet", "paper", "newspaper", "publisher"],
    "author": ["author", "writer", "byline"],
    "date": ["publication date"],
}
FIELD_FILLER = ["appear", "appears", "appeared", "come", "comes", "came", "from", "published", "written"]
FIELD_QUESTIONS = {"date": "When was the article '{}' published?", "author": "Who wrote the article '{}'?",
                   "source": "Which source published the article '{}'?"}

# "much" and "many" are asked with; the auxiliaries and possessives are bm25s's short English
# stop list's gaps: they are not what is asked.
QUESTION_WORDS = ["who", "what", "where", "when", "why", "how", "much", "many", "which", "and", "about",
                  "did", "does", "do", "has", "have", "had", "his", "her", "its", "their", "s"]
ANSWER_CUES = {
    "amount": [r"how much (money|revenue)", r"what amount", r"how much .* (cost|worth)",
               r"^\W*(\w+ ){0,2}(which|what)( (is|was) the)? (\w+ )?(fine|sum|compensation|subsidy|salary)\b"],
    "number": [r"how much", r"how many", r"percentage", r"what (share|stake)"],
    "age": [r"how old", r"how many years old", r"^\W*(\w+ ){0,2}(which|what) age", r"at what age", r"what (is|was) (his|her|their|the) age"],
    "measure": [r"how (big|large|long|high|far|heavy|wide|deep|often)",
                r"^\W*(\w+ ){0,2}(which|what)( (is|was) the)? (\w+ )?(height|depth|length|width|distance|diameter|speed|temperature|prison sentence|jail sentence)\b"],
    "year": [r"what year", r"which year"],
    "day": [r"what (exact )?date", r"which day", r"on what day"],
    "time": [r"what time", r"^\W*(\w+ ){0,2}(which|what) hour"],
    "date": [r"when", r"^\W*(\w+ ){0,2}(which|what) (month|week|weekend)\b"],
    "person": [r"who", r"whom", r"whose"],
    "name": ['what (?:is|was|are|were) the names?', 'what (?:is|was) .* called', 'which'],
    "place": ['where', '(in|to|from|on|at|near|via) which (\\w+ )?(city|cities|town|country|countries|province|region|place|district|village|street|state|island|park)', '(in|to|from|on|at) what (city|town|country|place)'],
    "reason": ['why', 'for what reason', 'what (is|was) the reason', 'how come'],
}
# A place: a capitalised name after one of these ("in Rotterdam"); a reason: one of these words.
PLACE_PREPOSITIONS = ['in', 'at', 'near', 'from', 'to']
REASON_WORDS = ['because', 'due to', 'since', 'as a result', 'so that', 'reason', 'owing to', 'thanks to']
ASKS_NAME_OF = [r"what (?:is|was|are|were) the names? of"]
ASKS_WHAT_CALLED = []  # see nl.py; "What is X called?" asks a term as often
ARTICLES = ["the", "a", "an"]
APPOSITION_ARTICLES = ["a", "an", "the"]  # see nl.py
LIST_JOINERS = ["and", "or"]  # see nl.py
WHICH_WORDS = ["which", "what is the", "what was the"]  # see nl.py
ORGANISATION_WORDS = ["university", "ministry", "department", "police", "foundation", "bank", "party", "museum",
                      "hospital", "school", "college", "news", "times", "bureau", "institute", "service",
                      "fund", "group", "union", "council", "airlines", "agency", "court", "center", "centre"]  # see nl.py
PERSON_ROLE_NOUNS = []  # see nl.py; unused: this language asks no "Hoe heet ...?" (ASKS_WHAT_CALLED)
GENERIC_PERSON_NOUNS = ["man", "men", "woman", "women", "boy", "boys", "girl", "girls", "person", "people", "child",
                        "children"]  # see nl.py
WHICH_ONE_WORDS = ["new", "old", "current", "former", "previous", "first", "second", "third", "last", "next", "own",
                   "other", "big", "large", "small", "young", "famous", "same", "whole"]  # see nl.py

AMOUNT_UNITS = ["dollar", "billion", "million"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
                "thirty", "forty", "fifty", "hundred", "thousand", "dozen"]
NUMBER_WORD_ENDINGS = [r"fold"]
HALF = ["half"]
FIGURE_UNITS = {  # see nl.py
    "money": ["dollar", "dollars", "euros", "cents"],
    "percent": ["percent", "%"],
    "duration": ["year", "years", "month", "months", "week", "weeks", "day", "days", "night", "nights", "hour", "hours",
                 "minute", "minutes", "second", "seconds", "century", "centuries", "decade", "decades"],
    "length": ["metre", "metres", "meter", "meters", "kilometre", "kilometres", "mile", "miles", "feet", "foot",
               "inches"],
    "area": ["acre", "acres", "hectares", "square"],
    "weight": ["kilos", "kilograms", "tons", "tonnes", "grams"],
    "volume": ["litres", "liters", "gallons"],
    "temperature": ["degrees"],
}
FIGURE_MULTIPLIERS = ["million", "billion", "thousand", "hundred", "trillion", "bn"]
NUMBER_COMPOUNDS = [r"\w*(?:hundred|thousand|million|billion)s?", r"dozens"]  # see nl.py
FRACTIONS = ["half", "a third", "two thirds", "a quarter", "three quarters"]
ASKED_MEASURES = {  # see nl.py
    "duration": [r"how much time", r"(which|what)( (is|was) the)? (prison|jail) sentence"],
    "percent": [r"(which|what)( (is|was) the)? percentage"],
}
COUNT_CUES = ["how many"]
SUBJECT_OPENERS = []  # "how many" is followed by its noun
ADJECTIVE_ENDINGS = []  # an English adjective has no ending of its own
PLURAL_ENDINGS = ["s"]
TIME_PATTERNS = [r"\b(?:[01]?\d|2[0-4])[.:][0-5]\d\b(?![.,]\d|\s*(?:dollars?|euros?|percent|%))",
                 r"\b\d{1,2}\s*(?:a\.m\.|p\.m\.|(?-i:am|pm)|o'clock)(?!\w)", r"\bmidnight\b", r"\bnoon\b"]  # see nl.py
PERSONS_OF_AN_AGE = ["man", "woman", "boy", "girl", "child"]  # "a woman of 80, from Leeds"
PERSON_AGE_PATTERNS = [r"(?-i:(?<=[a-z])) \(\d{1,3}\)", r"\b\d{1,3}-year-olds?\b",  # see nl.py
                       rf"\b(?:{'|'.join(PERSONS_OF_AN_AGE)}) of \d{{1,3}}(?: years\b|(?=[,;:)](?!\d)| from\b))"]
AGE_PATTERNS = PERSON_AGE_PATTERNS + [r"\(\d{1,3}\)", r"aged \d{1,3}", r"age of \d{1,3}",
                                      r"(?<![\d.,])[.,]?\d[\d.,]* (?:million |billion )?years? (?:old|ago)"]

LEADS_IN = ["and", "but", "what about", "how about"]
# "it" and "that" are left out: mostly fillers.
POINTS_BACK = ["he", "she", "they", "him", "her", "them", "its", "those", "these", "there"]
POINTS_BACK_BEFORE_NOUN: list[str] = []
LEANS_BACK = ["he", "she", "they", "his", "her", "their", "this", "these", "it"]
PRONOUNS_AFTER_VERB: list[str] = []

KNOWN_WORDS = ["disclosed", r"(?<!the )public", "released", "known", "revealed"]  # not "the public"
CONJUNCTIONS = ["and", "but", "so"]
YES_NO_VERBS = ["are", "were", "has", "have", "did", "does", "do", "can", "will", "would", "could", "should"]
UNDISCLOSED = [r"\bnot (been )?(disclosed|released|known|made public)\b", r"\bundisclosed\b"]

# English writes compounds apart: nothing to split.
COMPOUND_LINKS: tuple[str, ...] = ()
COMPOUND_SUFFIXES: set[str] = set()
VERB_ENDINGS = ""
INFINITIVE_ENDING = ""
LONG_VOWEL_SINGLE = ""
SEPARABLE_PARTICLES: set[str] = set()  # English writes "take over" apart in every tense
CLAUSE_OPENERS: set[str] = set()
PHRASE_AFTER_PARTICLE: set[str] = set()

NAME_ADJECTIVE_ENDINGS: list[str] = []  # adjectives of place names to not require as names
NAME_ADJECTIVE_WORDS: set[str] = set()  # see nl.py
REGION_PREFIXES: list[str] = []  # see nl.py
NAMES_FROM_ENGLISH: dict[str, list[str]] = {}
# Adjectives of countries and peoples, capitalised in English and translated in articles in
# another language ("Dutch" -> "Nederlandse"): an English question's words, not names to require.
PEOPLE_ADJECTIVES = {
    "Afghan", "African", "American", "Arab", "Armenian", "Asian", "Australian", "Austrian", "Belgian",
    "Brazilian", "British", "Canadian", "Chinese", "Czech", "Danish", "Dutch", "Egyptian", "English",
    "European", "Finnish", "French", "German", "Greek", "Hungarian", "Indian", "Iranian", "Iraqi", "Irish",
    "Israeli", "Italian", "Japanese", "Korean", "Mexican", "Moroccan", "Norwegian", "Palestinian", "Polish",
    "Portuguese", "Russian", "Saudi", "Scottish", "Spanish", "Swedish", "Swiss", "Syrian", "Turkish",
    "Ukrainian", "Welsh",
}

# --- asking about the reporting: which articles, not which fact (qa/questions.py) -------------
REPORTED_BY = ["according to", "reported", "reports", "wrote", "writes"]
SOURCE_DETERMINERS = ["the"]
REPORTING_NOUNS = ["articles", "reports", "news", "stories"]
PERIOD_OF = ["from"]
SOURCE_PERIOD_OF = ["in"]
RELATIVE_PERIODS = {"today": ("day", 0), "yesterday": ("day", 1), "this week": ("week", 0), "last week": ("week", 1),
                    "this month": ("month", 0), "last month": ("month", 1), "this year": ("year", 0),
                    "last year": ("year", 1)}

ASKS_LATEST = [r"(latest|most recent|newest) (news|reports|figures|articles|stories)"]

MESSAGES = {
    "not_found": "I cannot find this in the articles.",
    "unsure": "Not sure: the articles may not answer this.",
    "undisclosed": "The articles do not say; they do report:",
    "related": "Possibly related",
    "sources": "Sources",
    "empty": "Ask a question about the articles.",
    "passage": "Passage",
    "file": "file",
    "characters": "characters",
    "understood": "understood as",
    "retrieved": "Retrieved passages",
    "no_source": "The article does not say where it comes from.",
    "no_date": "The article has no date.",
    "no_author": "The article does not say who wrote it.",
    "article_source": "The article comes from {}.",
    "article_date_on": "The article was published on {}.",
    "article_date_in": "The article was published in {}.",
    "article_author": "The article is by {}.",
    "filtered_out": "There are no articles {}.",
    "articles": "articles",
    "filter_source": "from {}",
    "filter_since": "since {}",
    "filter_until": "until {}",
    "known_sources": "The articles come from: {}.",
    "no_sources": "No article records a source.",
}
