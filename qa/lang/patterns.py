"""The patterns built from the language tables (qa/lang/nl.py, en.py, ...): every regex that
recognises a language's words lives here, compiled once. What a question asks is recognised in
every language at once (the union of the tables); nothing else here names a word."""

from __future__ import annotations

import functools
import re

from . import DEFAULT, ANSWER_KINDS, either, every, every_of, get, languages, merged, stopwords, words_of

I = re.IGNORECASE

# --- dates ------------------------------------------------------------------------------------

# Month names as a question or an answer may write them (an ambiguous one, English "May", left out).
MONTH = either(list(dict.fromkeys(m.lower() for m in every("MONTHS") if m not in every("AMBIGUOUS_MONTHS"))))
WEEKDAY = words_of(every("WEEKDAYS"))
YEAR = r"\b(1\d{3}|20\d\d)\b"  # 1000-2099: history is asked about too ("Wanneer ... 1773?")
RECENT_YEAR = r"\b(1[89]\d\d|20\d\d)\b"  # what a number question takes for a year, not a count

# Month number of every month name and abbreviation a date line may use ("12 sept. 2025").
MONTH_NUMBERS = ({m.lower(): n for module in languages().values() for n, m in enumerate(module.MONTHS, 1)}
                 | merged("MONTH_ABBREVIATIONS"))
# Weekdays in date lines, abbreviated too: "vr 12 september 2025", "Mon, 3 March 2024".
ANY_WEEKDAY = words_of(every("WEEKDAYS") + every("WEEKDAY_ABBREVIATIONS"), capture=False)
CLOCK_WORDS = words_of([m.CLOCK_WORD for m in languages().values() if m.CLOCK_WORD], capture=False)
# A date line: "vrijdag, 12 september 2025 (02:46) - IEX.nl", "12 sept. 2025, 14.30 uur",
# "Freitag, 14. März 2025 - Märkische Zeitung"; the month is looked up in MONTH_NUMBERS.
DATE_LINE = re.compile(
    rf"^\s*(?:{ANY_WEEKDAY}\.?,?\s+)?(?P<day>\d{{1,2}})\.?\s+(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{{4}})"
    rf"(?:,?\s*\(?(?P<hour>\d{{1,2}})[:.](?P<minute>\d{{2}})\)?(?:\s*{CLOCK_WORDS})?)?"
    r"\s*(?:[-–—|]\s*(?P<source>.{1,80}?))?\s*$", I)

# --- lines around an article's text ------------------------------------------------------------

BYLINE = re.compile(
    rf"^\s*(?i:{either(every('BYLINE_OPENERS'), capture=False)}|\w*{words_of(every('BYLINE_ROLES'), capture=False)})"
    rf"\s+(?P<name>[A-ZÀ-Ý][\w.'’-]*(?:\s+(?:{'|'.join(every('NAME_PARTICLES'))}|[A-ZÀ-Ý][\w.'’-]*)){{0,4}})\s*$")
BOILERPLATE_LINES = set(every("BOILERPLATE_LINES"))
# The source may have dots inside ("NU.nl"), not end a sentence.
SOURCE_LINE = re.compile(rf"^\s*{words_of(every('SOURCE_LABELS'), capture=False)}\s*:\s*"
                         r"(?P<source>(?:[^.!?]|\.(?=\S)){1,60}?)\s*$", I)

# --- questions about the article itself (source, date, author) ----------------------------------

ARTICLE = words_of(every("ARTICLE_NOUNS"))


def _an_article(group: str) -> str:
    """"het artikel", "the Musk article", "het Musk-artikel": the words that name which one go
    to the named group."""
    return rf"{words_of(every('DETERMINERS'))} (?P<{group}>([\w'’-]+ ){{1,3}}?|[\w'’]+-)?{ARTICLE}"


def _asking(table: str, prefix: str) -> str:
    """The asking phrases of a table, each "{article}" in them named by its own group."""
    phrases = every(table)
    return either([p.replace("{article}", _an_article(f"{prefix}{i}")) for i, p in enumerate(phrases)])


ASKS_SOURCE = re.compile(rf"\b{_asking('ASKS_SOURCE', 's')}\b", I)
PUBLISHING = re.compile(rf"\b({ARTICLE}|{'|'.join(every('PUBLISHING_WORDS'))})\b", I)
# Only questions about the article itself: "Op welke datum gaat OpenAI naar de beurs?" is not one,
# nor "Wanneer vertrok Musk volgens het artikel?": up to four words between the asking and the
# publishing words, none of them a preposition.
_NO_PREPOSITION = rf"(?!{words_of(every('PREPOSITIONS'))}\b)"
PUBLICATION_DATE = words_of(every_of("FIELD_NOUNS", "date"))
ASKS_DATE = re.compile(
    rf"\b{either(every('ASKS_DATE'))}\b"
    rf"(?P<between>( {_NO_PREPOSITION}[\w'’]+(-(?={ARTICLE}))?){{0,4}}?)[ -]?"
    rf"\b({'|'.join(every('PUBLISHING_WORDS') + every('DATING_WORDS'))}|{ARTICLE})\b|\b{PUBLICATION_DATE}\b", I)
ASKS_AUTHOR = re.compile(rf"\b{_asking('ASKS_AUTHOR', 'a')}\b", I)

# "het artikel over X", "the Musk article", "dit artikel", or by its title in quotes: one of the
# corpus's own articles, not one a text speaks of.
_NAMED_BEFORE = every("NAMED_BEFORE")
ONE_OF_OURS = re.compile("|".join(filter(None, [
    rf"\b{ARTICLE}\s+{words_of(every('ABOUT'))}\b",
    rf"\b{words_of(_NAMED_BEFORE)} ([\w'’-]+ ){{1,3}}{ARTICLE}\b" if _NAMED_BEFORE else "",
    rf"\b[\w'’]+-{ARTICLE}\b",
    rf"\b{words_of(every('THIS'))} {ARTICLE}\b",
    rf"\b{ARTICLE}\s+['‘\"“]",
])), I)
MENTIONS_ARTICLE = re.compile(rf"\b{ARTICLE}", I)

# A follow-up naming a field of the article just cited; the words it may say besides.
FIELD_FOLLOWUP = {kind: re.compile(rf"\b{words_of(every_of('FIELD_WORDS', kind))}\b", I)
                  for kind in ("date", "author", "source")}
FIELD_NOUN = {kind: re.compile(rf"\b{words_of(every_of('FIELD_NOUNS', kind))}\b", I)
              for kind in ("source", "author", "date")}
FIELD_FILLER = re.compile(rf"\b{words_of(every('FIELD_FILLER'))}\b", I)


def field_question(language: str, kind: str) -> str:
    """The self-contained question for a field of an article, in a language ("{}" for its title)."""
    return get(language).FIELD_QUESTIONS[kind]


# --- what kind of answer -----------------------------------------------------------------------

# Matched against the lower-cased question.
ANSWER_CUES = {kind: re.compile(rf"\b{either(every_of('ANSWER_CUES', kind))}\b") for kind in ANSWER_KINDS}
# Words a question quotes ask for nothing: "Hoe heet de docent die 'Volkert, waar ben je?' schreef?"
# asks for a name, not a place. An apostrophe inside a word ("auto's") opens no quote.
QUOTED = re.compile(r"""(?<!\w)(?:'[^']{2,}'|"[^"]{2,}"|‘[^’]{2,}’|“[^”]{2,}”|„[^”“]{2,}[”“])(?!\w)""")
AMOUNT = re.compile(rf"[$€£]\s?\d|(?<![\d.,])[.,]?\d[\d.,]*\s*({'|'.join(every('AMOUNT_UNITS'))}|%)", I)
# A count may be written out, also inside a word: "twaalf", "Zesvoudig Grammy-winnares", "de helft",
# "een miljoen", "tienduizend" (not "miljarden": no count, measured on the second held-out set).
QUANTITY = re.compile(rf"\d|\b{words_of(every('NUMBER_WORDS'))}{either(every('NUMBER_WORD_ENDINGS'))}?\b|"
                      rf"\b{words_of(every('HALF'))}\b|\b\w*{words_of(every('FIGURE_MULTIPLIERS'), capture=False)}\b", I)
AGE = re.compile(either(every("AGE_PATTERNS"), capture=False), I)
# What a figure measures, by the unit after it (past a multiplier: "3,6 miljard euro"); see FIGURE_UNITS.
UNIT_MEASURE = {unit: measure for module in languages().values() for measure, units in module.FIGURE_UNITS.items()
                for unit in units}
UNIT_AFTER = re.compile(rf"\s*(?:{words_of(every('FIGURE_MULTIPLIERS'), capture=False)}\s+)*(?P<unit>%|[^\W\d_][\w']*)", I)
# At the question's opening, as the answer cues that open it: "Welke celstraf ...?", not "... naast zijn celstraf?"
ASKED_MEASURES = {measure: re.compile(rf"^\W*(?:\w+ ){{0,2}}{either(every_of('ASKED_MEASURES', measure))}\b", I)
                  for measure in dict.fromkeys(m for module in languages().values() for m in module.ASKED_MEASURES)}
COUNT_CUE = re.compile(rf"\b{either(every('COUNT_CUES'))}\s+(?P<rest>.*)", I)
FIGURE_MULTIPLIERS = {word.lower() for word in every("FIGURE_MULTIPLIERS")}
SUBJECT_OPENERS = set(every("SUBJECT_OPENERS"))
ADJECTIVE_ENDING = re.compile(rf"\w+{either(every('ADJECTIVE_ENDINGS'), capture=False)}", I)
PLURAL_ENDING = re.compile(rf"\w[\w-]*{either(every('PLURAL_ENDINGS'), capture=False)}", I)

PERSON_AGE = re.compile(either(every("PERSON_AGE_PATTERNS"), capture=False), I)  # blanked for a count
TIME = re.compile(either(every("TIME_PATTERNS"), capture=False), I)
# What says how many or how old ("de twee Britse tieners", "de 43-jarige vrouw"), not what.
COUNTING_WORD = re.compile(rf"{words_of(every('NUMBER_WORDS'))}?-?{either(every('NUMBER_WORD_ENDINGS'))}?", I)
WHICH_ONE_WORDS = set(every("WHICH_ONE_WORDS"))  # "de nieuwe trainer": which one, not what
WHICH = re.compile(rf"\b{words_of(every('WHICH_WORDS'), capture=False)}\b", I)  # "Welke boete": the asking words name it
DAY = re.compile(rf"\b\d{{1,2}} {MONTH}\b|\b{WEEKDAY}\b|\b\d{{4}}-\d\d-\d\d\b|\b{words_of(every('RELATIVE_DAYS'))}\b", I)
# A date may also be a span back or an era ("22.000 jaar geleden", "de 19e eeuw", "11.600 BP", not
# "BP-stations"); not a length of time ("een halve eeuw").
DATE = re.compile(rf"{YEAR}|\b{MONTH}\b|\b{WEEKDAY}\b|\b{either(every('DATE_PHRASES'))}\b|\d\s?(?-i:BP)\b(?!-)", I)
NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+")
# A capitalised word that does not open its sentence: a name of a person, a place, an organisation.
# Not after a colon, nor after an opening quote unless it closes within three words ("heet 'Gemma'",
# not ",,Pas daarna ..."); after a letter an apostrophe is part of the name ("d'Ancona").
CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)(?<![\w-])(?:(?<![,„“\"‘'])|(?<=\w')|(?=[\w'’-]+(?:\s+[\w'’-]+){0,2}[”\"’']))"
                         r"[A-ZÀ-Ý][\w'’-]+")
PLACE = re.compile(rf"\b{words_of(every('PLACE_PREPOSITIONS'), capture=False)} (?:(?:de|het|the|der|die|den) )?"
                   r"(?-i:[A-ZÀ-Ý][\w'’-]+)", I)
REASON = re.compile(rf"\b{words_of(every('REASON_WORDS'), capture=False)}\b", I)
NUMBER = re.compile(r"\d[\d.,]*")
GENERIC_PERSON_NOUNS = set(every("GENERIC_PERSON_NOUNS"))
PERSON_ROLE = re.compile(rf"\w*{words_of(every('PERSON_ROLE_NOUNS'), capture=False)}", I)  # fullmatch: "sekteleider"
# A person's name: two capitalised words, name particles between ("Fred van Leer", "Anne-Marie
# Jorritsma"), a word and an initial ("Ergün S."), or initials and a word ("J.P. Balkenende"); not a
# place alone ("Lelystad"), which is what an article that names no one has. NAME (above) takes two
# ASCII words only and no initial. Inside a lookahead, so that every start is tried: "Toen Mark
# Rutte" holds "Mark Rutte" (the caller drops a common first word).
_UPPER = "[A-ZÀ-ÖØ-ÞĀ-ſ]"
_NAME_WORD = rf"{_UPPER}(?:['’]{_UPPER})?[^\W\d_'’]+(?:-{_UPPER}[^\W\d_'’]+)*"  # "O'Brien", "Anne-Marie"
PERSON_NAME = re.compile(rf"(?<![\w-])(?=((?:{_NAME_WORD}|(?:{_UPPER}\.){{1,3}})"
                         rf"(?:\s+(?:{'|'.join(every('NAME_PARTICLES'))}))*\s+(?:{_NAME_WORD}|{_UPPER}\.)))")
SURNAME_AFTER = re.compile(rf"(,?)\s+({_NAME_WORD})")  # match at a role's end: "burgemeester Halsema", "zoon, Jochi"
# The description a name is given after a comma: "Sean Fitzgerald, een 45-jarige Amerikaanse
# asbestonderzoeker" (match at the name's end; the description is group 1, up to four words).
APPOSITION = re.compile(rf",\s+{words_of(every('APPOSITION_ARTICLES'), capture=False)}\s+((?:[\w-]+\s+){{0,3}}[\w-]+)", I)
LIST_GOES_ON = re.compile(rf"\s+{words_of(every('LIST_JOINERS'), capture=False)}\b", I)  # match after a word
NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")  # match after a name: the word that follows it
ORGANISATION_WORD = re.compile(rf"\w*{words_of(every('ORGANISATION_WORDS'), capture=False)}", I)  # fullmatch
ASKS_NAME_OF = re.compile(rf"\b{either(every('ASKS_NAME_OF'), capture=False)}\s+"
                          rf"(?:{words_of(every('ARTICLES'), capture=False)}\s+)?([\w-]+)", I)
ASKS_WHAT_CALLED = re.compile(rf"^\W*(?:\w+\s+)?{either(every('ASKS_WHAT_CALLED'), capture=False)}\b", I)  # "(En) hoe heet ..."

# --- reading by language ------------------------------------------------------------------------

# Pronouns and small words collide across languages (German "er" and "die" are Dutch words too),
# so the words that tell how a text leans on another are read in its own language. Dutch and
# English, the archive's languages, are read together: readers mix them.
MIXED = ("nl", "en")


def read_as(language: str) -> list:
    """The language modules a text in this language is read with."""
    codes = MIXED if language in MIXED else (language,)
    return [get(code) for code in codes if code in languages()]


def _table(language: str, name: str) -> list:
    return list(dict.fromkeys(item for module in read_as(language) for item in getattr(module, name)))


@functools.cache
def leads_in(language: str) -> re.Pattern:
    """A follow-up's opening: "En begin 2023?", "What about Google?"."""
    return re.compile(rf"^{words_of(_table(language, 'LEADS_IN'))}\b", I)


@functools.cache
def points_back(language: str) -> re.Pattern:
    """A word that points back to the last turn: "die memo", "hij", "they"; and a demonstrative
    that is also a conjunction before a noun (POINTS_BACK_BEFORE_NOUN: "over dat dossier", not
    "zei dat de minister ..." or "dat Musk ...")."""
    pointing = rf"\b{words_of(_table(language, 'POINTS_BACK'))}\b"
    before_noun = _table(language, "POINTS_BACK_BEFORE_NOUN")
    if not before_noun:
        return re.compile(pointing, I)
    not_a_stop_word = rf"(?!{words_of(sorted(stop_words(language)), capture=False)}\b)"
    return re.compile(rf"{pointing}|\b{words_of(before_noun)}\s+{not_a_stop_word}(?-i:[a-zà-ÿ])", I)


@functools.cache
def leans_back(language: str) -> re.Pattern:
    """A sentence opening with a pronoun or a link back ("Hij beschrijft ook ...") cannot be
    read alone; in a verb-second language a pronoun after the opening word leans back too
    ("Tegelijk richtte hij xAI op", "Terwijl hij ..."). Not covered: an opening of several words
    ("In 2019 verliet hij ..."); a pronoun that points forward gets context it did not need."""
    return re.compile(rf"{words_of(_table(language, 'LEANS_BACK'))}\b|"
                      rf"[^\W\d_]+,? ((?-i:[a-zà-ÿ][\w-]*) )?{words_of(_table(language, 'PRONOUNS_AFTER_VERB'))}\b", I)


@functools.cache
def figure(language: str) -> re.Pattern:
    """A figure in a text of this language: "336", "twee", "tienduizend", "duizenden", both ends of
    "27-30%"; not "A12" or "Covid-19"; its own number words only ("ten noorden" holds no English
    ten, "om half negen" no English half)."""
    module = get(language)
    return re.compile(rf"(?<!\w)(?<![^\W\d_]-)\d[\d.,]*|\b{words_of(module.NUMBER_WORDS, capture=False)}\b|"
                      rf"\b{either(module.NUMBER_COMPOUNDS, capture=False)}\b", I)


@functools.cache
def fraction(language: str) -> re.Pattern:
    """A share written out in a text of this language ("de helft", "twee derde")."""
    return re.compile(rf"\b{words_of(get(language).FRACTIONS, capture=False)}\b", I)


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language (read as above)."""
    return frozenset().union(*(stopwords(module.CODE) for module in read_as(language)))


@functools.cache
def common_words(language: str) -> frozenset[str]:
    """Stop words and question words of a language (read as above): no names, no subject."""
    return stop_words(language) | frozenset(_table(language, "QUESTION_WORDS"))

# --- whether something is known ----------------------------------------------------------------

ASKS_IF_KNOWN = re.compile(rf"\b{either(every('KNOWN_WORDS'))}\b", I)
# A yes/no question opens with its verb, after a conjunction or an opening quote maybe.
YES_NO = re.compile(rf"^\W*(?:{words_of(every('CONJUNCTIONS'), capture=False)}[\s,]+)?"
                    rf"{words_of(every('YES_NO_VERBS'))}\b", I)
UNDISCLOSED = re.compile("|".join(every("UNDISCLOSED")), I)

# --- names ---------------------------------------------------------------------------------------

# Names that articles in the corpus language write otherwise, by the English name.
NAMES_FROM_ENGLISH: dict[str, list[str]] = merged("NAMES_FROM_ENGLISH")
NAME_ADJECTIVE = re.compile(rf"\w{{3,}}{either(every('NAME_ADJECTIVE_ENDINGS'), capture=False)}")  # "Utrechtse"
NAME_ADJECTIVE_WORDS = set(every("NAME_ADJECTIVE_WORDS"))  # "Brits"
REGION_PREFIXES = set(every("REGION_PREFIXES"))  # "Zuid-"

def abbreviations(language: str = DEFAULT) -> set[str]:
    """Abbreviations after which the sentence splitter may wrongly end a sentence."""
    return set(get(language).ABBREVIATIONS)
