"""Questions: what a question asks, without a language model.

Its language (for the labels of the answer), the kind of answer it wants (an amount, a year, a
day, ...), the words and names it is about, and whether it asks about the article itself (its
source, date or author). The words it recognises are data in qa/lang; follow-ups are the chat's
(qa/chat.py).
"""

from __future__ import annotations

import datetime
import functools
import re

from . import lang
from .lang import ANSWER_KINDS, detect_language
from .lang import patterns as P

__all__ = ["detect_language"]  # re-exported: what language a question is in

NUMERIC = re.compile(r"[$€]?\d[\d.,]*%?")  # "2019", "$10", "25%"
WORD = r"\b[^\W\d_][\w-]*"  # a word that starts with a letter


def content_words(text: str) -> list[str]:
    common = P.common_words(detect_language(text))
    return [w for w in re.findall(r"[\w$€%'-]+", text) if w.lower() not in common]


# --- questions that say which articles: "volgens de NOS", "het nieuws van gisteren" -----------

def reporting_filter(question: str, sources: list[str], language: str,
                     today: datetime.date) -> tuple[dict[str, str], str]:
    """The articles a question keeps to by how it speaks of the reporting, as ArticleFilter's
    fields, and the question without the words that said so (they name no part of the fact, and
    "NOS" is in no article's text): a source of the index after a reporting word ("volgens de
    NOS", "Wat meldde het AD"), a period after a reporting noun ("de artikelen van maart 2021",
    "het nieuws van gisteren"), a relative period ("vorige week") where the question speaks of the
    reporting at all. ({}, question) for a question about the fact alone: "Hoeveel investeerde
    Microsoft in 2019?" keeps its date."""
    words = lang.get(language)
    cue, nouns = _alternatives(words.REPORTED_BY), _alternatives(words.REPORTING_NOUNS)
    of, determiners = _alternatives(words.PERIOD_OF), _alternatives(words.SOURCE_DETERMINERS)
    months = [m.casefold() for m in words.MONTHS]
    period = rf"(?:(?P<month>{_alternatives(months)})\s+)?(?P<year>\d{{4}})\b"
    found, said, dated = {}, [], None
    for source in sorted(sources, key=len, reverse=True):  # "NOS Jeugdjournaal" before "NOS"
        name = rf"(?:(?:{determiners})\s+)?{re.escape(source)}(?!\w)"
        match = re.search(rf"\b(?:{cue})\s+(?P<name>{name})|(?<!\w)(?P<first>{name})\s+(?:{cue})\b", question, re.I)
        if match:
            found["source"] = source
            start, end = match.span("name") if match["name"] else match.span("first")
            said.append((start, end))
            # "Trouw in maart 2023", "het AD-bericht van juni 2025": when the source reported.
            dated = re.compile(rf"(?:-\w+)?\s+(?:{_alternatives(words.SOURCE_PERIOD_OF)})\s+{period}", re.I).match(
                question, end)
            break
    dated = dated or re.search(rf"\b(?:{nouns})\s+(?:{of})\s+{period}", question, re.I)
    if dated:
        month = dated["month"]
        found["since"] = found["until"] = dated["year"] + (f"-{months.index(month.casefold()) + 1:02d}" if month else "")
        said.append(dated.span())
    elif found or re.search(rf"\b(?:{nouns})\b", question, re.I):
        for phrase, (unit, back) in words.RELATIVE_PERIODS.items():
            relative = re.search(rf"(?:\b(?:{nouns})\s+(?:{of})\s+)?\b{re.escape(phrase)}\b", question, re.I)
            if relative:
                first, last = _period_back(unit, back, today)
                found["since"], found["until"] = first.isoformat(), last.isoformat()
                said.append(relative.span())
                break
    for start, end in sorted(said, reverse=True):
        question = question[:start] + question[end:]
    return found, re.sub(r"\s+(?=[?!.,])", "", " ".join(question.split()))


def asks_for_latest(question: str, language: str) -> bool:
    """Whether the question asks for the newest reporting: "het laatste nieuws over X", "de meest
    recente cijfers" (the words in qa/lang, ASKS_LATEST)."""
    return any(re.search(rf"\b{pattern}\b", question, re.I) for pattern in lang.get(language).ASKS_LATEST)


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w.casefold()) for w in words)


def _period_back(unit: str, back: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The day, week (Monday to Sunday), month or year ``back`` of them before today's."""
    if unit == "day":
        day = today - datetime.timedelta(days=back)
        return day, day
    if unit == "week":
        monday = today - datetime.timedelta(days=today.weekday() + 7 * back)
        return monday, monday + datetime.timedelta(days=6)
    if unit == "month":
        month_index = today.year * 12 + today.month - 1 - back
        first = datetime.date(month_index // 12, month_index % 12 + 1, 1)
        following = datetime.date((month_index + 1) // 12, (month_index + 1) % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    year = today.year - back
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- questions about the article itself (source, date, author) --------------------------------

def asks_about_article(question: str) -> bool:
    """Whether the question asks for an article's source, date or author."""
    return any(p.search(question) for p in (P.ASKS_SOURCE, P.ASKS_DATE, P.ASKS_AUTHOR))


def names_one_of_our_articles(question: str) -> bool:
    """Whether a question about an article says which of the corpus's articles it means
    ("het artikel over X", "the Musk article", "dit artikel"), not one a text speaks of ("Wie
    schreef het artikel waarop de grafiek is gebaseerd?")."""
    return bool(P.ONE_OF_OURS.search(question))


def speaks_of_an_article(text: str) -> bool:
    """Whether a text itself mentions an article ("Het artikel over de relativiteitstheorie werd
    geschreven door Einstein"): then it may answer who wrote one."""
    return bool(P.MENTIONS_ARTICLE.search(text))


def metadata_topic(question: str) -> str:
    """What a question about an article's source, date or author is about: the question
    without its asking part ("Op welke datum verscheen het bericht over X?" -> "Op het over X?");
    '' for other questions, or when nothing is left."""
    for pattern in (P.ASKS_SOURCE, P.ASKS_DATE, P.ASKS_AUTHOR):
        match = pattern.search(question)
        if match:
            # "When was the Musk article published?": the subject may lie inside the asking words.
            inside = " ".join(part for part in match.groupdict().values() if part and content_words(part))
            rest = f"{question[:match.start()]} {inside} {question[match.end():]}"
            rest = " ".join(re.sub(P.PUBLISHING, " ", rest).split())  # "het stuk ... gepubliceerd"
            return rest if content_words(rest) else ""
    return ""


def metadata_kind(question: str) -> str:
    """'source', 'date' or 'author' for a question about the article itself, else ''."""
    for kind, pattern in (("source", P.ASKS_SOURCE), ("date", P.ASKS_DATE), ("author", P.ASKS_AUTHOR)):
        if pattern.search(question):
            return kind
    return ""




# --- what kind of answer --------------------------------------------------------------------

def expected_answer_type(question: str) -> str:
    """What kind of answer the question asks for: one of ANSWER_KINDS (amount, time, age, number,
    measure, year, day, date, person, place, reason, name) or ''."""
    q = P.QUOTED.sub(" ", question).lower()
    if asks_a_name(q):  # "Hoe heet de gevangenis waar ...?" asks a name, not a place
        return "name"
    # The words that open a question ask: "Waarom waren er daklozen in de kerk waar ...?" asks a
    # reason, "Which company did Musk found when ...?" a name. "Welke" opens many questions and asks
    # a name only when nothing else is asked at the opening ("Welk percentage ...?" asks a count).
    q = q.strip()
    second_word = re.search(r"\s\S", q)
    opening = second_word.end() if second_word else len(q)
    cued = [(kind, match) for kind in ANSWER_KINDS if (match := P.ANSWER_CUES[kind].search(q))]
    at_opening = [kind for kind, match in cued if match.start() < opening]
    if at_opening:
        return next((kind for kind in at_opening if kind != "name"), "name")
    return cued[0][0] if cued else ""


def asks_a_name(question: str) -> bool:
    """Whether the question opens by asking a name ("Hoe heet ...", "En wat is de naam van ...")."""
    match = P.ASKS_NAME_OF.search(question)
    return bool(match) and len(question[:match.start()].split()) <= 1


def asks_what_called(question: str) -> bool:
    """Whether the question opens by asking what someone or something is called ("Hoe heet de
    advocaat ...?"): a proper name, not a term ("Wat is de naam van de eigenschap ...?")."""
    return bool(P.ASKS_WHAT_CALLED.search(question))


def answers_type(kind: str, sentence: str) -> bool:
    """Whether a sentence holds the kind of answer asked for (a bare year is no amount)."""
    if kind == "amount":
        return bool(P.AMOUNT.search(sentence))
    if kind in ("number", "measure"):
        return bool(P.AMOUNT.search(sentence) or P.QUANTITY.search(_without_years(kind, sentence)))
    if kind == "age":
        return bool(P.AGE.search(sentence))
    if kind == "time":
        return bool(P.TIME.search(sentence))
    if kind == "year":
        return bool(re.search(P.YEAR, sentence))
    if kind == "day":
        return bool(P.DAY.search(sentence))
    if kind == "date":
        return bool(P.DATE.search(sentence))
    if kind == "person":
        return bool(P.NAME.search(sentence))
    if kind == "place":
        return bool(P.PLACE.search(sentence))
    if kind == "reason":
        return bool(P.REASON.search(sentence))
    if kind == "name":
        return bool(P.CAPITALISED.search(sentence))
    return True


def _without_years(kind: str, sentence: str) -> str:
    """The sentence with its years blanked out, and for a count people's ages too: "Hoeveel
    werknemers ...?" is not answered by "op 90-jarige leeftijd" or "Koos Vegter (90)" (but "De PVV
    (37)" and "het 25-jarig bestaan" stay). Blanks keep the other figures' places."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    sentence = re.sub(P.RECENT_YEAR, blank, sentence)
    return P.PERSON_AGE.sub(blank, sentence) if kind == "number" else sentence


# The kinds whose figure measures something: a sum, a count, a size ("Hoeveel hectare ...?").
MEASURED_KINDS = {"amount", "number", "measure"}


def asked_measures(question: str, kind: str) -> set[str]:
    """What a figure answering the question may measure (a measure of FIGURE_UNITS, or "count"):
    "Hoeveel hectare ...?" an area, "Welke celstraf ...?" a duration, "Hoeveel messen ...?" a count,
    "Hoeveel geld ...?" money or a bare figure ("2 miljoen"); empty when any figure may answer ("Hoe
    hoog is de schade?", "Hoeveel bedroeg ...?", "Hoe lang duurde ...?")."""
    if kind not in MEASURED_KINDS:
        return set()
    own = P.QUOTED.sub(" ", without_borrowed(question))
    asked = {measure for measure, pattern in P.ASKED_MEASURES.items() if pattern.search(own)}
    if kind == "amount":
        asked.add("money")
    thing = _counted(own) if kind == "number" else ""
    if thing.lower() in P.UNIT_MEASURE:
        asked.add(P.UNIT_MEASURE[thing.lower()])
    elif thing and P.PLURAL_ENDING.fullmatch(thing) and thing.lower() not in P.common_words(detect_language(own)):
        asked.add("count")
    if "money" in asked:
        asked.add("count")  # a sum without its unit: "Het kabinet trekt er 12 miljoen voor uit."
    if "duration" in asked:
        asked.add("clock")  # "met nog 3:08 te gaan"
    return asked


def _counted(question: str) -> str:
    """The word after a count cue, past up to two adjectives and a multiplier ("Hoeveel gewapende
    mannen ...?" -> "mannen", "Hoeveel miljoen euro ...?" -> "euro"); '' for a verb, which its subject
    follows ("Hoeveel stegen de huurprijzen ...?")."""
    match = P.COUNT_CUE.search(question)
    words = re.findall(r"[\w%'’-]+", match["rest"]) if match else []
    words = [w for w in words[:4] if w.lower() not in P.FIGURE_MULTIPLIERS] or [""]
    at = next((i for i, w in enumerate(words[:2]) if w.lower() in P.UNIT_MEASURE or not P.ADJECTIVE_ENDING.fullmatch(w)),
              min(2, len(words) - 1))
    following = words[at + 1].lower() if at + 1 < len(words) else ""
    return "" if following in P.SUBJECT_OPENERS else words[at]


def figure_measures(kind: str, sentence: str, language: str = lang.DEFAULT) -> set[str]:
    """What the sentence's figures measure, by the unit after each ("3,6 miljard euro": money, "20
    meter": a length, "14.00 uur": a time of day, "336 wapens": a count, "de helft": a percentage);
    the years and, for a count, people's ages left out (as answers_type does). ``language``: the
    sentence's, whose number words count."""
    text = _without_years(kind, sentence)
    clocks = [m.span() for m in P.TIME.finditer(text)]
    found, read_to = set(), 0
    for figure in P.figure(language).finditer(text):
        if figure.start() < read_to:
            continue  # the multiplier of the figure before: "2 miljoen"
        unit = P.UNIT_AFTER.match(text, figure.end())
        read_to = unit.start("unit") if unit else figure.end()
        measure = P.UNIT_MEASURE.get(unit["unit"].lower()) if unit else None
        if re.search(r"[$€£]\s?$", text[max(0, figure.start() - 2):figure.start()]):
            measure = "money"  # "€12.50" is no time of day
        elif measure in (None, "duration") and any(start <= figure.start() < end for start, end in clocks):
            measure = "clock"  # "om 14.00 uur", not "1.45 meter"
        found.add(measure or "count")
    return found | ({"percent"} if P.fraction(language).search(text) else set())


def fits_measure(asked: set[str], kind: str, sentence: str, language: str = lang.DEFAULT) -> bool:
    """Whether a sentence's figures may answer a question asking ``asked`` (asked_measures): one of
    them measures what is asked, or it has none that can be read."""
    if not asked:
        return True
    found = figure_measures(kind, sentence, language)
    return not found or bool(found & asked)


def new_answer(kind: str, sentence: str, question: str) -> bool:
    """Whether a sentence holds the kind of answer asked for that the question does not already
    say: an amount, a count, a date, a name or a place of its own. A sentence that restates the
    question holds its words, not the answer."""
    asked = question.casefold()
    if kind == "amount":
        found = [m.group(0) for m in P.AMOUNT.finditer(sentence)]
    elif kind in ("number", "measure"):
        found = [m.group(0) for m in P.AMOUNT.finditer(sentence)] + [
            m.group(0) for m in P.QUANTITY.finditer(_without_years(kind, sentence)) if m.group(0).strip()]
        found = P.NUMBER.findall(" ".join(found)) or found
    elif kind in ("year", "day", "date"):
        found = [m.group(0) for m in (P.DAY if kind == "day" else P.DATE).finditer(sentence)]
    elif kind in ("age", "time"):
        found = [m.group(0) for m in _SPAN_PATTERNS[kind].finditer(sentence)]
    elif kind == "person":
        found = [word for name in P.NAME.findall(sentence) for word in _name_words(name)]
    elif kind == "name":
        found = P.CAPITALISED.findall(sentence)
    elif kind == "place":
        found = [m.group(0).split()[-1] for m in P.PLACE.finditer(sentence)]
    else:
        return answers_type(kind, sentence)
    return any(f.strip().casefold() not in asked for f in found if f.strip())


def new_answer_spans(kind: str, sentence: str, question: str) -> list[tuple[int, int]]:
    """Where a sentence holds a thing of the kind asked for that the question does not already
    say (see new_answer): the spans of its amounts, numbers, dates, names, places or reasons."""
    asked = question.casefold()
    if kind in ("number", "measure"):
        without_years = _without_years(kind, sentence)
        found = [m for m in P.NUMBER.finditer(without_years)] + [
            m for m in P.QUANTITY.finditer(without_years) if not m.group(0)[:1].isdigit() and m.group(0).strip()]
    else:
        pattern = _SPAN_PATTERNS.get(kind)
        found = list(re.finditer(pattern, sentence) if isinstance(pattern, str) else
                     pattern.finditer(sentence)) if pattern is not None else []
    spans = []
    for match in found:
        text = match.group(0).strip()
        parts = _name_words(text) if kind == "person" else [text]
        if text and any(part.casefold() not in asked for part in parts):
            spans.append((match.start(), match.end()))
    return spans


def _name_words(name: str) -> list[str]:
    """The words of a name that may be a person's: "het Utrechtse Wilnis" names a place, and
    "Utrechtse" is its adjective, no one new."""
    return [word for word in name.split() if not P.NAME_ADJECTIVE.fullmatch(word)]


_SPAN_PATTERNS = {"amount": P.AMOUNT, "age": P.AGE, "time": P.TIME, "year": P.YEAR, "day": P.DAY, "date": P.DATE, "person": P.NAME,
                  "name": P.CAPITALISED, "place": P.PLACE, "reason": P.REASON}


def focus_words(question: str) -> list[str]:
    """The thing a question asks for, in its own words: "Hoe heet de directeur van ...?" ->
    ["directeur"], "Hoeveel minderjarigen ...?" -> ["minderjarigen"], "In welke Londense wijk
    ...?" -> ["Londense", "wijk"]; [] for a kind that names none ("Wie ...?", "Waarom ...?")."""
    kind = expected_answer_type(question)
    if kind not in FOCUSED_KINDS:
        return []
    # Its own words: not those a follow-up borrowed ("Hoe heet hij? (verdedigt oud-bestuurder)"),
    # nor those it quotes.
    own = P.QUOTED.sub(lambda m: " " * len(m.group(0)), without_borrowed(question))
    match = P.ANSWER_CUES[kind].search(own.lower())
    common = P.common_words(detect_language(question))
    if match is None:
        return []
    asking = [w for w in re.findall(WORD, own[match.start():match.end()]) if w.lower() not in common]
    if kind == "place":  # the thing is inside the asking words: "in welke Londense wijk"
        return asking
    # "Welke boete ...?", "Van welke hoogte ...?": the asking words end in the thing (not in "Wat is
    # de naam van ...?": the name is of the thing after them).
    things = [w for w in asking if not _tells_which(w)]
    if kind != "name" and things and P.WHICH.search(own[match.start():match.end()]):
        return things[-1:]
    after = [w for w in re.findall(WORD, own[match.end():])]
    first = next((w for w in after if w.lower() not in common and not _tells_which(w)), None)
    return [first] if first else []


def with_borrowed(question: str, borrowed: list[str]) -> str:
    """A follow-up completed with the words it borrowed from the last turn, after it in
    parentheses: "Waarom? (Musk vertrok OpenAI)" (qa/chat.py)."""
    return f"{question} ({' '.join(borrowed)})"


def without_borrowed(question: str) -> str:
    """The question without the words a follow-up borrowed (with_borrowed); a parenthesis of its
    own stays ("Wat zei Rutte (VVD) over de formatie?")."""
    return _BORROWED.sub("", question)


_BORROWED = re.compile(r"\s*\([^()]*\)\s*$")


def _tells_which(word: str) -> bool:
    """Whether a word before the thing asked for says how many, how old, which one or of which place
    it is ("Hoe heten de twee Britse tieners ...?", "de 43-jarige vrouw", "de nieuwe trainer"): the
    thing is the next word."""
    return bool(P.COUNTING_WORD.fullmatch(word) or _is_place_adjective(word) or word.lower() in P.WHICH_ONE_WORDS)


def _is_place_adjective(word: str) -> bool:
    """Whether a word is an adjective of a place or a people, inflected ("Utrechtse") or not ("Brits")."""
    return bool(P.NAME_ADJECTIVE.fullmatch(word)) or word in P.NAME_ADJECTIVE_WORDS


# The kinds whose asking words are followed by what is asked for ("welke burgemeester").
FOCUSED_KINDS = {"amount", "number", "age", "measure", "name", "place"}


# Kinds whose absence from every likely sentence means the articles do not hold the answer.
# Not "person": "wie" is as often answered by a role or an organisation as by a name; not
# "measure": "Hoe groot is de kans ...?" is as often answered by "klein" as by a number.
REQUIRED_KINDS = {"amount", "number", "age", "year", "day", "date"}


# --- what it is about ------------------------------------------------------------------------

# Words at least this common in the question's language (Zipf scale, wordfreq: 5 is once in 100 000
# words: "maak", "goede", "stap") say nothing of what a question is about.
COMMON_ZIPF = 5.0


def topic_words(question: str) -> list[str]:
    """The question's words that are not common words of its language (Dutch and English are
    read together): what it is about ("Hoe maak je een goede erwtensoep?" -> ["erwtensoep"])."""
    from .word_frequency import zipf

    codes = [module.WORDFREQ for module in P.read_as(detect_language(question))]
    return [word for word in re.findall(WORD, question) if max(zipf(word, code) for code in codes) < COMMON_ZIPF]


def named_kind(question: str) -> list[str]:
    """What a question asks the name of, when that is an uncommon word: "Hoe heet de chatbot van
    xAI?" -> ["chatbot"]; "Hoe heet het bedrijf ...?" -> [] ("bedrijf" is too common to test)."""
    match = P.ASKS_NAME_OF.search(question)
    if not match or re.fullmatch(r"[A-Z][a-z]+", match.group(1)):  # "Hoe heet Musk ...?" asks of a name
        return []
    return topic_words(match.group(1))


# --- names ----------------------------------------------------------------------------------

def question_names(question: str) -> list[str]:
    """The names a question is about ("Microsoft" in "Wie is de CEO van Microsoft?"): its
    capitalised words, except the opening one and adjectives of a place ("Utrechtse"). Of a person's name ("Sam Altman") only the
    surname is kept: articles mostly use it alone after the first mention. A question in
    title case or capitals ("Hoeveel Geld Wil OpenAI Steken In Stargate?") has no names
    that can be told apart."""
    # Quotation marks are not part of a name ("Wat is 'Stargate'?", "het 'xAI'-bedrijf"); an
    # apostrophe between letters is ("O’Brien").
    words = [_UNQUOTED.sub("", w) for w in re.findall(r"[\w'’‘-]+", question)]
    words = [w for w in words if w.strip("-")]
    common = P.common_words(detect_language(question))
    if any(_has_capital(w) and w.lower() in common for w in words[1:]):
        return []
    names: list[str] = []
    after_first_name = False
    for position, word in enumerate(words):
        bare = re.sub(r"['’]s$", "", word)
        person = _is_person_word(bare)
        parts = [bare] if person else bare.split("-")  # "Jean-Luc" stays whole; "OpenAI-CEO" splits
        found = [part for i, part in enumerate(parts) if (position or i) and _has_capital(part)
                 and part.lower() not in common and not _is_place_adjective(part)]
        if found and person and after_first_name:
            names.pop()  # "Sam Altman": the first name goes
        names.extend(found)
        after_first_name = bool(found) and person and bare == word  # not after a possessive
    return names


_UNQUOTED = re.compile(r"(?<!\w)['’‘]|['’‘](?!\w)")  # a quotation mark: not between two letters


def _has_capital(word: str) -> bool:
    return any(ch.isupper() for ch in word)


def _is_person_word(word: str) -> bool:
    """Capitalised like a person's (first) name: "Sam", "Altman", "Jean-Luc"; not "CEO", "OpenAI"."""
    return all(part[:1].isupper() and part[1:].islower() for part in word.split("-"))


def names_in(names: list[str], text: str) -> bool:
    """Whether the text mentions every name. A name must be a whole word or, six letters or
    more, the head of a compound ("Carnotrendement"), not a piece of another word ("Sam" is not "samen",
    "OpenAI" not "open"); one with capitals inside keeps them, a plain capitalised word may be
    written in lower case ("de Delta", "de delta"); a genitive or possessive counts
    ("Musks", "Musk's"), a longer plain name may end differently ("Californië" for
    "California", "Altmans" for "Altman"), and spaces or hyphens may differ ("Super Bowl").
    Some names may be written otherwise (_name_patterns): an English one in Dutch, an acronym
    spelled out, a region as its place, a pair as its two names."""
    text = text.replace("’", "'")
    return all(any(re.search(pattern, text) for pattern in _name_patterns(name)) for name in names)


def _name_patterns(name: str) -> list[str]:
    """An English place name ("England") as its Dutch forms, or as written in English: "Europe"
    must not match "euro" through the looser rules of _name_pattern. An acronym of three letters
    or more ("IOM") may be spelled out; a region ("Zuid-Californië") may be its place after the
    point of the compass ("het zuiden van Californië"); a pair of long names
    ("Heyendaalseweg-Erasmuslaan") may be the two, each as written."""
    if name in P.NAMES_FROM_ENGLISH:
        return [_name_pattern(form) for form in P.NAMES_FROM_ENGLISH[name]] + [rf"\b{re.escape(name)}(s|'s)?\b"]
    patterns = [_name_pattern(name)]
    if 3 <= len(name) <= 5 and name.isalpha() and name.isupper():
        patterns.append(_spelled_out(name))
    first, _, rest = name.partition("-")
    if rest and first in P.REGION_PREFIXES:
        # "in het zuiden van de Amerikaanse staat Californië": a few words may come between
        patterns.append(rf"(?i:\b{re.escape(first)}(?:en|elijke?)?\b)(?:[^\S\n]+\w+){{0,4}}[^\S\n]+{re.escape(rest)}\b")
    elif rest and all(len(part) >= PAIR_PART_LETTERS for part in name.split("-")):
        patterns.append(r"\A" + "".join(rf"(?=[\s\S]*?\b{re.escape(part)}\b)" for part in name.split("-")))
    return patterns


PAIR_PART_LETTERS = 6  # "Nieuw-Zeeland" is no pair: "een nieuw gemaal in Zeeland" is not it


@functools.lru_cache(maxsize=256)
def _spelled_out(acronym: str) -> str:
    """Capitalised words on one line whose initials are the acronym's letters, at most two
    lower-case words between them ("Internationale Organisatie voor Migratie" for "IOM"); none of
    them a common word ("In Over Mijn", "Voorzitter Van Dam" are no spelling of IOM or VVD)."""
    common = "|".join(re.escape(w) for w in sorted(P.common_words(P.DEFAULT), key=len, reverse=True))
    word = rf"(?!(?i:{common})\b)[A-ZÀ-Ý][a-zà-ÿ]+"
    between = r"[^\S\n]+(?:[a-zà-ÿ]+[^\S\n]+){0,2}"
    return r"\b" + between.join(f"(?={re.escape(letter)}){word}" for letter in acronym)


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

def asks_if_known(question: str) -> bool:
    """Whether the question asks if something is known or public ("Is het aandeel al
    bekendgemaakt?"): the sentence saying it is not is then the answer. Only a yes/no question
    (it opens with its verb) asks that: "Op welke dag maakten ze het akkoord bekend?" asks for
    a day ("bekendmaken" is to announce)."""
    return bool(P.YES_NO.match(question.strip()) and P.ASKS_IF_KNOWN.search(question))


def says_undisclosed(sentence: str) -> bool:
    """Whether a sentence says the fact is not known ("Het bedrag is niet bekendgemaakt")."""
    return bool(P.UNDISCLOSED.search(sentence))
