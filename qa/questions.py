"""Questions: what a question asks and what it leans on, without a language model.

Its language (for the labels of the answer), the kind of answer it wants (an amount, a
year, a day, ...), the words and names it is about, whether it asks about the article itself (its
source, date or author), and, for a follow-up ("En begin 2023?", "Waarom?"), the
self-contained question it stands for given the previous turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .chunking import split_sentences
from .corpus import MONTHS_EN, MONTHS_NL
from .index import STOPWORDS
from .retrieval import QUESTION_WORDS

if TYPE_CHECKING:
    from .answer import Answer

# --- language --------------------------------------------------------------------------------

_EN_MARKERS = {
    "the", "what", "who", "when", "where", "why", "how", "which", "is", "are", "was", "were", "did", "does",
    "do", "of", "to", "and", "about", "much", "many", "did", "has", "have", "with", "for", "from", "it",
}
_NL_MARKERS = {
    "de", "het", "een", "wat", "wie", "wanneer", "waar", "waarom", "hoe", "welke", "welk", "is", "zijn",
    "was", "heeft", "hebben", "van", "en", "over", "hoeveel", "die", "dat", "voor", "met", "bij", "niet",
}


def detect_language(text: str) -> str:
    """'en' or 'nl' (the default: the corpus and most users are Dutch). Function words decide;
    without them ("Is Microsoft investing?") the words in lower case (not names) far more
    frequent in one language do."""
    written = re.findall(r"[a-zA-Z']+", text)
    words = [w.lower() for w in written]
    english = sum(w in _EN_MARKERS and w not in _NL_MARKERS for w in words)
    dutch = sum(w in _NL_MARKERS and w not in _EN_MARKERS for w in words)
    if english == dutch:
        from wordfreq import zipf_frequency

        leaning = [zipf_frequency(w, "en") - zipf_frequency(w, "nl") for w in written if w.islower()]
        english, dutch = sum(d >= 1 for d in leaning), sum(d <= -1 for d in leaning)
    return "en" if english > dutch else "nl"


# --- follow-up questions ------------------------------------------------------------------------

_LEADS_IN = re.compile(r"^(en|maar|ook|and|but|what about|how about|en wat|wat dan|en hoe)\b", re.IGNORECASE)
# Words that point back; "dat", "it" and "that" are left out: they are mostly conjunctions/fillers.
_POINTS_BACK = re.compile(
    r"\b(die|deze|daar|daarvan|daarom|hij|zij|ze|hem|haar|hun|het bedrijf|de man|de vrouw|"
    r"he|she|they|him|her|them|its|those|these|there)\b", re.IGNORECASE)


@dataclass
class Turn:
    question: str
    resolved: str
    answer: "Answer"


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w$€%'-]+", text) if not _is_common(w)]


def resolve_followup(question: str, history: list[Turn]) -> str:
    """Rewrite a question that leans on the previous turn into a self-contained one.

    Deterministic: a short question, or one that starts with "En ..."/"What about ..." or
    refers back with a pronoun, borrows the content words of the previous (resolved)
    question that it does not replace. Only the last turn is used, so a change of
    subject is not polluted by older ones. A self-contained question is returned as is.
    """
    if not history:
        return question
    own = content_words(question)
    previous = history[-1]
    same_article = _about_the_same_article(question, previous)
    if same_article:
        return same_article
    leads_in, points_back = bool(_LEADS_IN.search(question)), bool(_POINTS_BACK.search(question))
    # "En begin 2023?", "Waarom?", or a pronoun in a question with little subject of its own.
    leans = leads_in or len(own) <= 2 or (points_back and len(own) <= 4)
    if not leans or (not leads_in and not points_back and _names_a_new_subject(question, previous)):
        return question
    entities = _entities(previous)
    if expected_answer_type(question) in REQUIRED_KINDS or len(own) > 1:
        # The old answer's numbers would mislead: "En wanneer vertrok Musk?" asks for a new date,
        # "Wie schreef die memo?" names a subject of its own. "Waarom (deed hij dat)?" keeps them.
        entities = [w for w in entities if not _NUMERIC.fullmatch(w)]
    borrowed = content_words(previous.resolved.split(" (")[0]) + entities
    borrowed = [w for w in dict.fromkeys(borrowed) if not _replaced_by(w, own)]
    if not borrowed:
        return question
    return f"{question} ({' '.join(borrowed)})"


# "En de datum?" after "Wie schreef het artikel over X?": another field of the article just cited.
_FIELD_FOLLOWUP = {
    "date": re.compile(r"\b(datum|wanneer|publicatiedatum|date|when)\b", re.I),
    "author": re.compile(r"\b(auteur|schrijver|redacteur|journalist|verslaggever|schreef|geschreven|author|writer|"
                         r"reporter|wrote|written|byline)\b", re.I),
    "source": re.compile(r"\b(bron|krant|site|website|nieuwssite|medium|uitgever|publiceerde|waar|source|outlet|"
                         r"paper|newspaper|publisher|published|where)\b", re.I),
}
_FIELD_FILLER = re.compile(r"\b(verscheen|verschenen|gepubliceerd|geschreven|komt|kwam|staat|stond|vandaan|"
                           r"appear|appears|appeared|come|comes|came|from|published|written)\b", re.I)
# After an answer from the text, only these name a field of the article it came from: "En de bron?",
# "Wie is de auteur?". Not "wanneer", "waar", "datum" or "schreef": "Wanneer?", "Waar?", "En de
# datum?" and "Wie schreef het?" there mostly ask about what the answer told.
_FIELD_NOUN = {
    "source": re.compile(r"\b(bron|krant|site|website|nieuwssite|medium|uitgever|source|outlet|paper|newspaper|"
                         r"publisher)\b", re.I),
    "author": re.compile(r"\b(auteur|schrijver|author|writer|byline)\b", re.I),
    "date": re.compile(r"\b(publicatiedatum|publication date)\b", re.I),
}
_FIELD_QUESTION = {
    "nl": {"date": "Wanneer verscheen het artikel '{}'?", "author": "Wie schreef het artikel '{}'?",
           "source": "Van welke bron komt het artikel '{}'?"},
    "en": {"date": "When was the article '{}' published?", "author": "Who wrote the article '{}'?",
           "source": "Which source published the article '{}'?"},
}


def _about_the_same_article(question: str, previous: Turn) -> str:
    """The whole question when a bare one asks a field of the article the last turn was answered
    from; '' otherwise. After a question about an article: "En de datum?", "Wie schreef het?",
    "And the source?". After an answer from the text: "Van welke site komt dit artikel?", "Wie
    schreef het artikel?", "En de bron?" (see _FIELD_NOUN). The article is named by its title,
    which finds it again."""
    if not previous.answer.sources:
        return ""
    if asks_about_article(previous.resolved):
        fields = _FIELD_FOLLOWUP
    elif previous.answer.abstained:  # a decline's passages are only possibly related
        return ""
    elif asks_about_article(question):  # "Van welke site komt dit artikel?"
        kind = metadata_kind(question)
        fields = {kind: _FIELD_FOLLOWUP[kind]}
    else:  # "En de bron?"
        fields = {k: pattern for k, pattern in _FIELD_FOLLOWUP.items() if _FIELD_NOUN[k].search(question)}
    kind = next((k for k, pattern in fields.items() if pattern.search(question)), "")
    if not kind:
        return ""
    rest = _FIELD_FILLER.sub(" ", re.sub(rf"\b{_ARTICLE}\b", " ", _FIELD_FOLLOWUP[kind].sub(" ", question)))
    if content_words(rest):  # "Wanneer verliet Musk OpenAI?" asks something else
        return ""
    return _FIELD_QUESTION[detect_language(question)][kind].format(previous.answer.sources[0].passage.title)


def _names_a_new_subject(question: str, previous: Turn) -> bool:
    """A short question naming something the last turn never spoke of ("Wat is xAI?" after a
    turn on Microsoft's investment) is a new question, not a follow-up."""
    said = f"{previous.resolved} {previous.answer.text}"
    # An abbreviation ("CEO", "VS") is mostly a role or a place the last turn implied, not a new subject.
    return any(not re.search(rf"\b{re.escape(name)}\b", said, re.I)
               for name in question_names(question) if not name.isupper())


_NUMERIC = re.compile(r"[$€]?\d[\d.,]*%?")  # "2019", "$10", "25%"
_WORD = r"\b[^\W\d_][\w-]*"  # a word that starts with a letter


def _entities(turn: Turn, limit: int = 6) -> list[str]:
    """Names and amounts from the previous answer: what "die", "hij" or "why" usually point at."""
    if turn.answer.abstained:
        return []
    text = re.sub(r"\s\[\d+\]", "", turn.answer.text)
    # A capital that opens a sentence is mostly an ordinary word ("Volgens", "De"); it counts
    # as a name ("Musk was destijds ...") when the sources also write it capitalised mid-sentence.
    names = set().union(*(_mid_sentence_capitals(t) for t in [text] + [s.passage.text for s in turn.answer.sources]))
    found = [w for w in re.findall(rf"{_NUMERIC.pattern}|{_WORD}", text)
             if _NUMERIC.fullmatch(w) or w in names]
    return [w for w in dict.fromkeys(found) if w.lower() not in STOPWORDS][:limit]


def _mid_sentence_capitals(text: str) -> set[str]:
    """Capitalised words that do not open their sentence."""
    names: set[str] = set()
    for start, end in split_sentences(text):
        words = re.findall(_WORD, text[start:end])
        names.update(w for w in words[1:] if w[0].isupper())
    return names


def _replaced_by(word: str, own: list[str]) -> bool:
    """A year or number in the new question replaces the old one; the same word is not repeated."""
    lowered = {w.lower() for w in own}
    if word.lower() in lowered:
        return True
    return bool(_NUMERIC.fullmatch(word)) and any(_NUMERIC.fullmatch(w) for w in own)


# --- questions about the article itself (source, date, author) --------------------------------

_ARTICLE = r"(artikel|bericht|stuk|analyse|nieuwsbericht|article|story|piece|report)"


def _an_article(group: str) -> str:
    """"het artikel", "the Musk article", "the Elon Musk story", "het Musk-artikel": the words
    that name which one go to the named group (each pattern needs its own name)."""
    return rf"(het|dit|de|the|this) (?P<{group}>([\w'’-]+ ){{1,3}}?|[\w'’]+-)?{_ARTICLE}"


_ASKS_SOURCE = re.compile(r"\b((van )?welke (nieuws)?(site|bron|krant|website|medium)|van welk medium|"
                          rf"wie (publiceerde|plaatste) {_an_article('s1')}|who published {_an_article('s2')}|"
                          rf"waar (verscheen|komt|stond) {_an_article('s3')}|"
                          r"(which|what) (news )?(site|source|paper|newspaper|outlet|publication)|"
                          rf"where (was|did) {_an_article('s4')})\b", re.I)
_PUBLISHING = re.compile(rf"\b({_ARTICLE}|verscheen|verschenen|gepubliceerd|geschreven|stamt|dateert|published|"
                         r"written)\b", re.I)
# Only questions about the article itself: "Op welke datum gaat OpenAI naar de beurs?" is not one,
# nor "Wanneer vertrok Musk volgens het artikel?": up to four words between the asking and the
# publishing words, none of them a preposition.
_NO_PREPOSITION = r"(?!(volgens|according|in|uit|naar|to|van|over|about|op|bij|met|with|for|voor|of|from)\b)"
_ASKS_DATE = re.compile(r"\b(welke datum|wanneer|op welke dag|(in|uit) welke maand|welke maand|(in|uit) welk jaar|"
                        r"when|what date|(in |from )?(which|what) (month|year))\b"
                        rf"(?P<between>( {_NO_PREPOSITION}[\w'’]+(-(?={_ARTICLE}))?){{0,4}}?)[ -]?\b(verscheen|verschenen|"
                        rf"gepubliceerd|geschreven|stamt|dateert|published|written|dated?|{_ARTICLE})\b|"
                        r"\b(publicatiedatum|publication date)\b", re.I)
_ASKS_AUTHOR = re.compile(rf"\b(wie (heeft|schreef) {_an_article('a1')}|door wie (is|werd) {_an_article('a2')}|"
                          r"wie is de \w*(auteur|schrijver|redacteur|verslaggever|journalist)|"
                          rf"who wrote {_an_article('a3')}|(by whom|who) (was|is) {_an_article('a4')} written|"
                          r"who is the (author|\w*reporter|\w*editor|writer))\b", re.I)


def asks_about_article(question: str) -> bool:
    """Whether the question asks for an article's source, date or author."""
    return any(p.search(question) for p in (_ASKS_SOURCE, _ASKS_DATE, _ASKS_AUTHOR))


# "het artikel over X", "the Musk article", "dit artikel": one of the corpus's own articles, not
# one a text speaks of ("Wie schreef het artikel waarop de grafiek is gebaseerd?").
_ONE_OF_OURS = re.compile(rf"\b{_ARTICLE}\s+(over|about|on)\b|\bthe ([\w'’-]+ ){{1,3}}{_ARTICLE}\b|\b[\w'’]+-{_ARTICLE}\b|"
                          rf"\b(dit|this) {_ARTICLE}\b|"
                          rf"\b{_ARTICLE}\s+['‘\"“]", re.I)  # or by its title in quotes


def names_one_of_our_articles(question: str) -> bool:
    """Whether a question about an article says which of the corpus's articles it means."""
    return bool(_ONE_OF_OURS.search(question))


_MENTIONS_ARTICLE = re.compile(rf"\b{_ARTICLE}", re.I)


def speaks_of_an_article(text: str) -> bool:
    """Whether a text itself mentions an article ("Het artikel over de relativiteitstheorie werd
    geschreven door Einstein"): then it may answer who wrote one."""
    return bool(_MENTIONS_ARTICLE.search(text))


def metadata_topic(question: str) -> str:
    """What a question about an article's source, date or author is about: the question
    without its asking part ("Op welke datum verscheen het bericht over X?" -> "Op het over X?");
    '' for other questions, or when nothing is left."""
    for pattern in (_ASKS_SOURCE, _ASKS_DATE, _ASKS_AUTHOR):
        match = pattern.search(question)
        if match:
            # "When was the Musk article published?": the subject may lie inside the asking words.
            inside = " ".join(part for part in match.groupdict().values() if part and content_words(part))
            rest = f"{question[:match.start()]} {inside} {question[match.end():]}"
            rest = " ".join(re.sub(_PUBLISHING, " ", rest).split())  # "het stuk ... gepubliceerd"
            return rest if content_words(rest) else ""
    return ""




def metadata_kind(question: str) -> str:
    """'source', 'date' or 'author' for a question about the article itself, else ''."""
    for kind, pattern in (("source", _ASKS_SOURCE), ("date", _ASKS_DATE), ("author", _ASKS_AUTHOR)):
        if pattern.search(question):
            return kind
    return ""


# --- what kind of answer --------------------------------------------------------------------

def expected_answer_type(question: str) -> str:
    """What kind of answer the question asks for: amount, number, measure, year, day, date, person or ''."""
    q = question.lower()
    if re.search(r"\b(hoeveel (geld|omzet|winst)|welk bedrag|wat kost|hoeveel kost|(hoeveel|wat) is .* waard|"
                 r"how much (money|revenue)|what amount|how much .* (cost|worth))\b", q):
        return "amount"
    if re.search(r"\b(hoeveel|how much|how many|percentage|procent|welk (deel|aandeel|belang)|what (share|stake))\b", q):
        return "number"
    if re.search(r"\bhoe (groot|oud|lang|hoog|ver|zwaar|breed|diep|vaak)\b|"
                 r"\bhow (big|large|old|long|high|far|heavy|wide|deep|often)\b", q):
        return "measure"
    if re.search(r"\b(welk jaar|in welk jaar|what year|which year)\b", q):
        return "year"
    if re.search(r"\b(welke datum|op welke dag|welke dag|what date|which day|on what day)\b", q):
        return "day"
    if re.search(r"\b(wanneer|when)\b", q):
        return "date"
    if re.search(r"\b(wie|van wie|who|whom|whose)\b", q):
        return "person"
    return ""


# English "may" is left out: mostly the verb.
_MONTH = "(" + "|".join(dict.fromkeys(m.lower() for m in MONTHS_NL + MONTHS_EN if m != "May")) + ")"
_WEEKDAY = r"(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|thursday|friday)"
_YEAR = r"\b(1\d{3}|20\d\d)\b"  # 1000-2099: history is asked about too ("Wanneer ... 1773?")
_RECENT_YEAR = r"\b(1[89]\d\d|20\d\d)\b"  # what a number question takes for a year, not a count
_AMOUNT = re.compile(r"[$€£]\s?\d|\d[\d.,]*\s*(miljard|miljoen|duizend|dollar|euro|procent|%|billion|million)", re.I)
# A count may be written out, also inside a word: "twaalf", "Zesvoudig Grammy-winnares", "de helft".
_NUMBER_WORDS = ("twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|"
                 "zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|"
                 "honderd|duizend|dozijn|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 "forty|fifty|hundred|thousand|dozen")
_QUANTITY = re.compile(rf"\d|\b({_NUMBER_WORDS})(voudig\w*|maal|tal|jarig\w*|fold)?\b|\b(helft|half)\b", re.I)
_DAY = re.compile(rf"\b\d{{1,2}} {_MONTH}\b|\b{_WEEKDAY}\b|\b\d{{4}}-\d\d-\d\d\b|\b(gisteren|vandaag|yesterday|today)\b", re.I)
# A date may also be a span back or an era: "22.000 jaar geleden", "de 19e eeuw", "de jaren 90",
# "11.600 BP" (not "BP-stations"); not a length of time ("een halve eeuw", "de komende jaren 30 ...").
_DATE = re.compile(rf"{_YEAR}|\b{_MONTH}\b|\b{_WEEKDAY}\b|\b(dit|vorig|volgend) jaar\b|\b(this|last|next) year\b|"
                   r"\bjaar geleden\b|\byears ago\b|\b(\d+e|\w+(de|ste)) eeuw\b|\b\w+(st|nd|rd|th) century\b|"
                   r"\b(de|the) jaren '?\d0\b|\b\d0s\b|\d\s?(?-i:BP)\b(?!-)|\b[vn]\.\s?Chr\b", re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+")


def answers_type(kind: str, sentence: str) -> bool:
    """Whether a sentence holds the kind of answer asked for (a bare year is no amount)."""
    if kind == "amount":
        return bool(_AMOUNT.search(sentence))
    if kind in ("number", "measure"):
        return bool(_AMOUNT.search(sentence) or _QUANTITY.search(re.sub(_RECENT_YEAR, "", sentence)))
    if kind == "year":
        return bool(re.search(_YEAR, sentence))
    if kind == "day":
        return bool(_DAY.search(sentence))
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "person":
        return bool(_NAME.search(sentence))
    return True


# Kinds whose absence from every likely sentence means the articles do not hold the answer.
# Not "person": "wie" is as often answered by a role or an organisation as by a name; not
# "measure": "Hoe groot is de kans ...?" is as often answered by "klein" as by a number.
REQUIRED_KINDS = {"amount", "number", "year", "day", "date"}


# --- what it is about ------------------------------------------------------------------------

# Words at least this common in Dutch or English (Zipf scale, wordfreq: 5 is once in 100 000
# words: "maak", "goede", "stap") say nothing of what a question is about.
COMMON_ZIPF = 5.0


def topic_words(question: str) -> list[str]:
    """The question's words that are not common Dutch or English words: what it is about
    ("Hoe maak je een goede erwtensoep?" -> ["erwtensoep"])."""
    from wordfreq import zipf_frequency

    return [word for word in re.findall(_WORD, question)
            if max(zipf_frequency(word, "nl"), zipf_frequency(word, "en")) < COMMON_ZIPF]


_ASKS_NAME_OF = re.compile(r"\b(?:hoe (?:heet|heten|heette|heetten)|(?:wat|welke) (?:is|was|zijn|waren) de (?:naam|namen) van|"
                           r"what (?:is|was|are|were) the names? of)\s+(?:(?:de|het|een|the|a|an)\s+)?([\w-]+)", re.I)


def named_kind(question: str) -> list[str]:
    """What a question asks the name of, when that is an uncommon word: "Hoe heet de chatbot van
    xAI?" -> ["chatbot"]; "Hoe heet het bedrijf ...?" -> [] ("bedrijf" is too common to test)."""
    match = _ASKS_NAME_OF.search(question)
    if not match or re.fullmatch(r"[A-Z][a-z]+", match.group(1)):  # "Hoe heet Musk ...?" asks of a name
        return []
    return topic_words(match.group(1))


# --- names ----------------------------------------------------------------------------------

def question_names(question: str) -> list[str]:
    """The names a question is about ("Microsoft" in "Wie is de CEO van Microsoft?"): its
    capitalised words, except the opening one. Of a person's name ("Sam Altman") only the
    surname is kept: articles mostly use it alone after the first mention. A question in
    title case or capitals ("Hoeveel Geld Wil OpenAI Steken In Stargate?") has no names
    that can be told apart."""
    # Quotation marks are not part of a name ("Wat is 'Stargate'?", "het 'xAI'-bedrijf"); an
    # apostrophe between letters is ("O’Brien").
    words = [_UNQUOTED.sub("", w) for w in re.findall(r"[\w'’‘-]+", question)]
    words = [w for w in words if w.strip("-")]
    if any(_has_capital(w) and _is_common(w) for w in words[1:]):
        return []
    names: list[str] = []
    after_first_name = False
    for position, word in enumerate(words):
        bare = re.sub(r"['’]s$", "", word)
        person = _is_person_word(bare)
        parts = [bare] if person else bare.split("-")  # "Jean-Luc" stays whole; "OpenAI-CEO" splits
        found = [part for i, part in enumerate(parts) if (position or i) and _has_capital(part)
                 and not _is_common(part)]
        if found and person and after_first_name:
            names.pop()  # "Sam Altman": the first name goes
        names.extend(found)
        after_first_name = bool(found) and person and bare == word  # not after a possessive
    return names


_UNQUOTED = re.compile(r"(?<!\w)['’‘]|['’‘](?!\w)")  # a quotation mark: not between two letters


def _has_capital(word: str) -> bool:
    return any(ch.isupper() for ch in word)


def _is_common(word: str) -> bool:
    return word.lower() in STOPWORDS or word.lower() in QUESTION_WORDS


def _is_person_word(word: str) -> bool:
    """Capitalised like a person's (first) name: "Sam", "Altman", "Jean-Luc"; not "CEO", "OpenAI"."""
    return all(part[:1].isupper() and part[1:].islower() for part in word.split("-"))


# English names that Dutch articles mostly write differently (a name the articles lack
# declines); the English spelling counts too ("Public Health England").
_DUTCH_NAMES = {
    "Netherlands": ["Nederland"], "Holland": ["Nederland"], "Dutch": ["Nederland"], "Germany": ["Duitsland"],
    "Belgium": ["België"], "France": ["Frankrijk"], "Spain": ["Spanje"], "Italy": ["Italië"],
    "Britain": ["Brittannië"], "England": ["Engeland"], "Europe": ["Europa"], "European": ["Europ"],
    "Russia": ["Rusland"], "Ukraine": ["Oekraïne"], "Poland": ["Polen"], "Brussels": ["Brussel"],
    "Hague": ["Haag"], "States": ["Staten", "VS"], "US": ["VS"], "USA": ["VS"], "UK": ["VK"],
    "Turkey": ["Turkije"], "Israel": ["Israël"], "Syria": ["Syrië"], "Egypt": ["Egypte"],
}


def names_in(names: list[str], text: str) -> bool:
    """Whether the text mentions every name. A name must be a whole word or, six letters or
    more, the head of a compound ("Carnotrendement"), not a piece of another word ("Sam" is not "samen",
    "OpenAI" not "open"); one with capitals inside keeps them, a plain capitalised word may be
    written in lower case ("de Delta", "de delta"); a genitive or possessive counts
    ("Musks", "Musk's"), a longer plain name may end differently ("Californië" for
    "California", "Altmans" for "Altman"), and spaces or hyphens may differ ("Super Bowl")."""
    text = text.replace("’", "'")
    return all(any(re.search(pattern, text) for pattern in _name_patterns(name)) for name in names)


def _name_patterns(name: str) -> list[str]:
    """An English place name ("England") as its Dutch forms, or as written in English: "Europe"
    must not match "euro" through the looser rules of _name_pattern."""
    if name not in _DUTCH_NAMES:
        return [_name_pattern(name)]
    return [_name_pattern(form) for form in _DUTCH_NAMES[name]] + [rf"\b{re.escape(name)}(s|'s)?\b"]


def _name_pattern(name: str) -> str:
    name = name.replace("’", "'")
    if len(name) > 3 and name.endswith("s") and name[-2].islower():
        name = name[:-1]  # Dutch genitive: "Musks actie"
    capital, rest = re.escape(name[0]), name[1:]
    if not rest.islower():  # "OpenAI", "UMC": as written
        return rf"\b{capital}(?i:{_spaced(rest)})(s|'s)?\b"
    # A capitalised plain word may be a common noun the question capitalises ("de Delta",
    # "Cydippiden"): written whole, the article may have it in lower case; a short one ("Bos")
    # keeps its capital.
    either = f"[{capital}{re.escape(name[0].lower())}]" if len(name) >= 5 else capital
    if len(name) <= 5:
        return rf"\b{either}(?i:{_spaced(rest)})(s|'s)?\b"
    # Another ending keeps the capital ("Californië"; "Schoof" is not "school"); the name as the
    # head of a compound ("Carnotrendement") also covers it written whole, genitive or not.
    return rf"\b{capital}(?i:{_spaced(rest[:-2])})\w{{0,3}}\b|\b{either}(?i:{_spaced(rest)})\w*"


def _spaced(letters: str) -> str:
    """The letters, with a space or hyphen allowed between any two: "Superbowl", "Super Bowl"."""
    return r"[\s-]?".join(re.escape(ch) for ch in letters)


# --- whether something is known -------------------------------------------------------------

# "Is het aandeel al bekendgemaakt?": the sentence saying it is not is the answer. Only a
# yes/no question (it opens with its verb) asks that: "Op welke dag maakten ze het akkoord
# bekend?" asks for a day ("bekendmaken" is to announce).
# "Openbaar vervoer" (public transport) and "the public" (the people) are not about being known.
_ASKS_IF_KNOWN = re.compile(r"\b(bekend|bekendgemaakt|openbaar(?!\s+vervoer)|vrijgegeven|onthuld|disclosed|"
                            r"(?<!the )public|released|known|revealed)\b", re.I)
# A conjunction ("En is het al bekend?", "So, is it known?") or an opening quote may come
# before the verb.
_YES_NO = re.compile(r"^\W*(?:(?:en|maar|dus|and|but|so)[\s,]+)?"
                     r"(is|zijn|was|waren|wordt|worden|werd|werden|heeft|hebben|had|hadden|kan|kunnen|zal|zullen|"
                     r"zou|zouden|mag|mogen|moet|moeten|gaat|gaan|komt|komen|weet|weten|staat|staan|"
                     r"are|were|has|have|did|does|do|can|will|would|could|should)\b", re.I)


def asks_if_known(question: str) -> bool:
    """Whether the question asks if something is known or public."""
    return bool(_YES_NO.match(question.strip()) and _ASKS_IF_KNOWN.search(question))
