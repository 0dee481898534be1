"""Answers: extractive, cited answers built from retrieved passages, and an honest "not in
the articles" when the evidence is weak (questions.py says what a question asks). No
language model: every sentence of an answer is quoted from an article and carries the
number of its source.
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import lang
from .chat import Turn, resolve_followup
from .chunking import is_heading, split_sentences
from .config import today
from .lang import patterns as P
from .ranking import NEAR_CHARACTERS, AnswerModel, answer_features, load_answer_model, sigmoid
from .questions import (REQUIRED_KINDS, answers_type, asked_measures, asks_about_article, asks_for_latest, asks_if_known,
                        asks_what_called, detect_language, figure_measures, fits_measure,
                        expected_answer_type, focus_words, new_answer, new_answer_spans, metadata_kind,
                        metadata_topic, named_kind, names_in,
                        names_one_of_our_articles, question_names, reporting_filter, says_undisclosed,
                        speaks_of_an_article, topic_words)
from .retrieval import ArticleFilter, Passage, Retriever, clean_question, spelled_alike

# --- answers --------------------------------------------------------------------------------

@dataclass
class Source:
    number: int
    passage: Passage
    highlight: tuple[int, int] | None = None  # span of the answering sentence within passage.text

    def to_dict(self) -> dict:
        data = self.passage.to_dict()
        data["number"] = self.number
        data["highlight"] = list(self.highlight) if self.highlight else None
        return data


@dataclass
class Answer:
    question: str
    resolved_question: str
    text: str
    sources: list[Source] = field(default_factory=list)
    abstained: bool = False
    language: str = "nl"
    confidence: float = 0.0  # rules step: the evidence (evidence_for); learned: the answer model's probability
    passages: list[Passage] = field(default_factory=list)  # everything retrieved, cited or not
    declined_because: str = ""  # the check that declined (DECLINE_CHECKS); "" for an answer
    filtered_by: str = ""  # the articles it kept to, as the reader reads it ("van NOS vanaf maart 2024")
    unsure: bool = False  # answered, but the answer model finds it unlikely (below unsure_below)
    article_filter: ArticleFilter | None = None  # ... as the search took it; a follow-up keeps to it too

    @property
    def related_only(self) -> bool:
        """Declined, and the sources are only possibly related: none of them is quoted (a
        decline that quotes the sentence saying the fact is unknown cites it like an answer)."""
        return self.abstained and not any(s.highlight for s in self.sources)

    def text_markdown(self) -> str:
        """The answer itself, escaped, with its citation numbers."""
        return escape_markdown(self.text) if self.related_only else _escape_keeping_citations(self.text)

    def to_markdown(self) -> str:
        """The answer and its numbered sources as Markdown; article text is escaped so it
        stays text (no HTML, links or images from an article ever render)."""
        labels = lang.messages(self.language)
        lines = [f"_{escape_markdown(note)}_\n" for note in self.notes()] + [self.text_markdown(), ""]
        if self.sources:
            lines.append(f"**{labels['related'] if self.related_only else labels['sources']}**")
            lines.append("")
            for source in self.sources:
                meta = source_line(source.passage, self.language)
                lines.append(f"[{source.number}] *{escape_markdown(source.passage.title)}*"
                             + (f" — {escape_markdown(meta)}" if meta else ""))
                lines.append(f"> {_marked_passage(source)}")
                lines.append("")
        return "\n".join(lines).strip()

    def to_dict(self) -> dict:
        return {
            "question": self.question, "resolved_question": self.resolved_question, "answer": self.text,
            "abstained": self.abstained, "declined_because": self.declined_because, "language": self.language,
            "confidence": round(self.confidence, 4), "unsure": self.unsure, "filtered_by": self.filtered_by,
            "sources": [s.to_dict() for s in self.sources],
        }

    def filter_note(self) -> str:
        """"(artikelen van maart 2021)": which articles the answer kept to, when it kept to some
        (a decline for want of them says so itself)."""
        if not self.filtered_by or self.declined_because == "filtered_out":
            return ""
        return f"({lang.messages(self.language)['articles']} {self.filtered_by})"

    def notes(self) -> list[str]:
        """What a reader is told before the answer: the articles it kept to, and that it is unsure."""
        notes = [self.filter_note()] if self.filter_note() else []
        if self.unsure:
            notes.append(lang.messages(self.language)["unsure"])
        return notes


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


# A web address as Markdown renderers link it by themselves (GFM autolinks, also mid-word), and
# the punctuation they leave out of it at its end.
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)  # or an e-mail address
_URL_END_PUNCTUATION = ".,;:!?'*_~”’»"


def escape_markdown(text: str) -> str:
    """Make article text inert in Markdown: HTML escaped to entities, Markdown syntax
    backslashed, line breaks folded (so no line can start a list or heading). A web address
    becomes an explicit link showing it as written: left to the renderer's autolinking, the
    backslashes went into the link and its text ("jaarverslag\\_2024.pdf")."""
    text = re.sub(r"\s+", " ", text)
    parts, position = [], 0
    for match in _URL.finditer(text):
        url = _trim_url(match.group(0))
        parts += [_escape_text(text[position:match.start()]), _markdown_link(url)]
        position = match.start() + len(url)
    escaped = "".join(parts) + _escape_text(text[position:])
    return re.sub(r"^(\d+)\.|^-", lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], escaped)


def _escape_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _trim_url(url: str) -> str:
    """The address without the sentence's punctuation after it ("zie https://x.nl/a).",
    "„https://x.nl/a”"): a closing bracket is the address's own only when it opened one."""
    while url:
        last = url[-1]
        closes_nothing = last in ")]" and url.count(last) > url.count("(" if last == ")" else "[")
        if last not in _URL_END_PUNCTUATION and not closes_nothing:
            break
        url = url[:-1]
    return url


def _markdown_link(url: str) -> str:
    if "://" in url:
        target = url
    else:
        target = f"mailto:{url}" if "@" in url and not url.lower().startswith("www.") else f"http://{url}"
    for char, code in (("\\", "%5C"), ("(", "%28"), (")", "%29")):
        target = target.replace(char, code)
    return f"[{_escape_text(url)}]({target})"


def _escape_keeping_citations(text: str) -> str:
    parts = re.split(r"(\s\[\d+\])", text)
    return "".join(p if re.fullmatch(r"\s\[\d+\]", p) else escape_markdown(p) for p in parts)


def _marked_passage(source: Source) -> str:
    text = source.passage.text
    if not source.highlight:
        return escape_markdown(text)
    start, end = source.highlight
    return f"{escape_markdown(text[:start])}**{escape_markdown(text[start:end])}**{escape_markdown(text[end:])}"


def source_line(passage: Passage, language: str = "nl") -> str:
    """'IEX.nl, 12 september 2025, 02:46': who published it and when, for citations."""
    return ", ".join(x for x in (passage.source, format_date(passage.date, language)) if x)


def format_date(date: str, language: str = "nl") -> str:
    """'2025-09-12T02:46' -> '12 september 2025, 02:46'; partial dates stay partial."""
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}:\d{2}))?", date or "")
    if not match:
        return date or ""
    year, month, day, clock = match.groups()
    months = lang.get(language).MONTHS
    if not month or not 1 <= int(month) <= 12:
        return year
    text = f"{months[int(month) - 1]} {year}"
    if day:
        text = f"{int(day)} {text}"
    return f"{text}, {clock}" if clock else text


def describe_filter(only: ArticleFilter, language: str) -> str:
    """'van NOS, vanaf maart 2024 tot en met 31 maart 2024': the filter as the reader set it."""
    labels = lang.messages(language)
    parts = [labels["filter_source"].format(only.source)] if only.source else []
    if only.since and only.since == only.until:  # "van maart 2021"
        parts.append(labels["filter_source"].format(format_date(only.since, language)))
    else:
        parts += [labels[f"filter_{name}"].format(format_date(getattr(only, name), language))
                  for name in ("since", "until") if getattr(only, name)]
    return " ".join(parts)


def metadata_answer(question: str, passage: Passage, language: str) -> str:
    """Answer "which site / what date / who wrote it" from the cited article's metadata."""
    labels = lang.messages(language)
    kind = metadata_kind(question)
    if kind == "source" and passage.source:
        return labels["article_source"].format(passage.source)
    if kind == "date" and passage.date:
        on_a_day = bool(re.match(r"\d{4}-\d{2}-\d{2}", passage.date))
        return labels["article_date_on" if on_a_day else "article_date_in"].format(format_date(passage.date, language))
    if kind == "author" and passage.byline:
        return labels["article_author"].format(passage.byline)
    return ""


# --- choosing the sentences ------------------------------------------------------------------

@dataclass
class _Candidate:
    passage_index: int
    start: int  # within passage.text
    end: int
    text: str
    score: float = 0.0
    coverage: float = 0.0
    cosine: float = 0.0
    typed: bool = False  # holds the kind of answer asked for (an amount, a year, ...)
    words: set[str] = field(default_factory=set)  # its keyword stems
    features: dict[str, float] = field(default_factory=dict)  # what the sentence model weighs (qa/ranking.py)


def with_context(chosen: list[_Candidate], passages: list[Passage], language: str = lang.DEFAULT) -> list[_Candidate]:
    """The chosen sentences, each one that leans back preceded by the sentence before it in its
    passage (when the passage holds one, not counting headings, and it is not chosen already),
    in reading order."""
    taken = {(c.passage_index, c.start) for c in chosen}
    result = list(chosen)
    for candidate in chosen:
        if not P.leans_back(language).match(candidate.text):
            continue
        text = passages[candidate.passage_index].text
        before = [(start, end) for start, end in split_sentences(text)
                  if end <= candidate.start and not is_heading(text[start:end], max_words=14)]
        if before and (candidate.passage_index, before[-1][0]) not in taken:
            start, end = before[-1]
            result.append(_Candidate(candidate.passage_index, start, end, text[start:end]))
            taken.add((candidate.passage_index, start))
    return sorted(result, key=lambda c: (c.passage_index, c.start))


def _next_one_answers(kind: str, best: _Candidate, chosen: list[_Candidate], passages: list[Passage]) -> bool:
    """Whether the sentence right after the best one, itself chosen, holds the kind of answer
    asked for: "... een nieuwe fietsbrug over het Zwarte Water. De brug kost 12 miljoen euro."
    (a news sentence names the subject, the next one gives its figure). Any other chosen
    sentence with a number was measured to answer unanswerable questions (docs/decisions.md, "Answers")."""
    after = _sentence_after(best, passages)
    return after is not None and any((c.passage_index, c.start) == (best.passage_index, after[0])
                                     and answers_type(kind, c.text) for c in chosen)


def _sentence_after(best: _Candidate, passages: list[Passage]) -> tuple[int, int] | None:
    """The span of the sentence right after the best one in its passage; None at its end."""
    text = passages[best.passage_index].text
    return next(((start, end) for start, end in split_sentences(text) if start >= best.end), None)


def with_continuation(chosen: list[_Candidate], best: _Candidate, passages: list[Passage],
                      language: str = lang.DEFAULT) -> list[_Candidate]:
    """The chosen sentences plus the one right after the best sentence in its passage, when that
    one continues it: same paragraph, not a heading, and it opens with a pronoun or a link back
    (see LEANS_BACK in qa/lang/patterns.py)."""
    after = _sentence_after(best, passages)
    if after is None:
        return chosen
    text = passages[best.passage_index].text
    start, end = after
    sentence = text[start:end]
    if ("\n\n" in text[best.end:start] or is_heading(sentence, max_words=14) or not P.leans_back(language).match(sentence)
            or any((c.passage_index, c.start) == (best.passage_index, start) for c in chosen)):
        return chosen
    return sorted([*chosen, _Candidate(best.passage_index, start, end, sentence)],
                  key=lambda c: (c.passage_index, c.start))


def _repeats(candidate: _Candidate, chosen: list[_Candidate], overlap: float) -> bool:
    """Whether a sentence says again what a quoted one says, as the same story does in another
    article of the archive ("... wordt uitgebaat door Ingram Micro" after "... is van Ingram
    Micro"): at least ``overlap`` of its keywords are the quoted one's, and all its figures, since
    "op 3 februari" after "op 13 februari" is another fact."""
    for quoted in chosen:
        if candidate.text == quoted.text:
            return True
        words, shared = candidate.words, candidate.words & quoted.words
        figures_said = all(word in quoted.words for word in words if word[0].isdigit())
        if words and figures_said and len(shared) >= overlap * len(words):
            return True
    return False


def _span(sentences: list[_Candidate], text: str) -> tuple[int, int]:
    """The span to mark in a passage: its first quoted sentence, joined by those that follow it
    directly (a context sentence and the one it explains); never text that is not quoted."""
    ordered = sorted(sentences, key=lambda c: c.start)
    start, end = ordered[0].start, ordered[0].end
    for sentence in ordered[1:]:
        if text[end:sentence.start].strip():
            break
        end = max(end, sentence.end)
    return start, end


def paragraphs_around(body: str, start: int, end: int) -> str:
    """The paragraphs (blank-line separated) of an article body that hold body[start:end]."""
    before = body.rfind("\n\n", 0, start)
    after = body.find("\n\n", end)
    return body[0 if before < 0 else before + 2:len(body) if after < 0 else after]


def _where_names_count(passage: Passage, body: str) -> str:
    """The article's title and the paragraphs the passage lies in: a passage is often one
    chunk of a paragraph whose other chunk names the subject."""
    return f"{passage.title.replace('_', ' ')}\n{paragraphs_around(body, passage.start, passage.end)}"


def _coverage(weights: dict[str, float], words: list[str]) -> float:
    """The share of the question's IDF weight whose words (stems) a text's words contain."""
    total = sum(weights.values())
    found = set(words)
    return sum(w for t, w in weights.items() if t in found) / total if total else 0.0


def _says(stem: str, said: set[str]) -> bool:
    """Whether a text's stems hold a stem, a compound with or part of it of at least four letters
    ("olie" for "olieproducent", "producent" for it too), or a near spelling ("ctenoforen")."""
    if stem in said:
        return True
    for word in said:
        short, long = sorted((stem, word), key=len)
        if len(short) >= 4 and (long.startswith(short) or long.endswith(short)):
            return True
        if spelled_alike(stem, word):
            return True
    return False


COVERAGE_WEIGHT = 0.75  # of question words found, against the cosine excess (see evidence)
# A capitalised word of a question in another language than the articles that no retrieved article
# has is taken for a word the articles translate when it is at least this common in the question's
# language (Zipf scale: "University" 5.4, "Brewery" 3.7) and this much more common there than in
# the articles' language ("Brewery" 3.7 against 2.3 in Dutch); otherwise for a name they lack:
# "Anthropic" (1.9), "Apple" (4.8 in English, 4.6 in Dutch). Higher declines more such questions.
TRANSLATED_WORD_ZIPF = 3.0
TRANSLATED_WORD_MARGIN = 1.0

# Kinds of answer whose new figures, or new names, the sentence model weighs apart.
FIGURE_KINDS = {"amount", "number", "age", "measure", "year", "day", "time", "date"}
# The kinds whose figure must stand among the question's words (figure_of_other): a sum or a count.
# Not an age: it belongs to whom the sentence names ("John Elway, die op 38-jarige leeftijd ...
# leidde"); not a date: news gives it in a short sentence of its own ("Dat plan moet eind maart op
# tafel liggen"), and on the read sets the check declined only answerable date questions.
OWN_FIGURE_KINDS = {"amount", "number"}
ENTITY_KINDS = {"person", "name", "place"}
NAMED_KINDS = {"person", "name"}  # a premise sentence holds names too: the detail must hold a new one

# Every way the chat declines, by the name Answer.declined_because records.
SOURCES_SHOWN = 10  # when an unknown source is asked for, the most frequent sources named instead

DECLINE_CHECKS = {
    "empty": "no question was asked",
    "no_passages": "retrieval found nothing",
    "filtered_out": "no article is of the source and period asked for (the answer names them)",
    "weak_evidence": "the passages are barely closer to the question than the corpus at large and say few of "
                     "its words (below abstain_threshold; both steps)",
    "topic_absent": "no passage says one of the question's uncommon words",
    "field_absent": "the article asked about has no such field (source, date, author)",
    "names_absent": "no passage's paragraphs name what the question names",
    "undisclosed": "the best sentence says the fact is not known (and is quoted)",
    "unlikely": "the answer model's probability is below answer_threshold (the learned step)",
    "no_figure": "a figure or date is asked and neither the best sentence nor the one after it holds one (for a "
                 "follow-up without words of its own, nor any sentence of the article the last answer quoted)",
    "other_measure": "a count, a sum or a size is asked and every figure of the quoted sentences measures "
                     "something else ('3,6 miljard euro' for 'Hoeveel machines ...?')",
    "figure_of_other": "the best sentence's figure is of something else than what is asked",
    "no_name": "what something is called is asked ('Hoe heet de advocaat ...?') and no sentence holds a new name "
               "beside what is named (for a man or a woman: no sentence of the best one's article names a person; "
               "for a role, 'Hoe heet de directeur ...?': none names a person beside the role)",
}
# The check that declines for a confidence below the threshold, by answer step.
LOW_CONFIDENCE_CHECK = {"rules": "weak_evidence", "learned": "unlikely"}


@functools.cache
def _answer_model() -> AnswerModel:
    """The fitted models (scripts/fit_answer_model.py writes them)."""
    return load_answer_model()


# The hand-set answer step's weights (docs/decisions.md, "Answers"): a sentence scores its
# coverage plus its cosine, plus a bonus when it holds the kind of answer asked for, less a
# little per passage rank; others are quoted at RULES_RATIO of the best score.
RULES_TYPED_BONUS = 0.25
RULES_RANK_PENALTY = 0.05
RULES_RATIO = 0.85
RULES_KINDS = {"amount", "number", "age", "measure", "year", "day", "date", "person"}

# A role of at least this many letters also counts as the end of a compound ("hoteleigenaar");
# a shorter one only as a word of its own or after a hyphen: "arts" ends "huiswaarts", "zus" "Jezus".
COMPOUND_ROLE_LETTERS = 5


def _new_person(name: str, asked: set[str], common: frozenset[str]) -> bool:
    """Whether a PERSON_NAME match names someone the question does not (none of the name's words
    among ``asked``, the question's words in lower case), its first word no common one ("De
    Markerwaarddijk"), none an organisation's ("Omroep Flevoland"). Only the name's capitalised
    words are compared: a question with "van" in it does not name "Anna van Dijk"."""
    words = [word.casefold() for word in name.split() if word[:1].isupper()]
    # _UPPER's Latin Extended range holds lower-case letters too ("ćwierć ściana"): no name.
    return (bool(words) and words[0] not in common and not asked & set(words)
            and not any(P.ORGANISATION_WORD.fullmatch(word) for word in words))


def _person_names(sentence: str) -> Iterator[re.Match]:
    """The PERSON_NAME matches of a sentence that do not run on into an organisation's name: not
    "Pieter Baan" of "het Pieter Baan Centrum"."""
    for match in P.PERSON_NAME.finditer(sentence):
        following = P.NEXT_WORD.match(sentence, match.end(1))
        if not (following and following.group(1)[:1].isupper() and P.ORGANISATION_WORD.fullmatch(following.group(1))):
            yield match


def _names_a_person(sentence: str, asked: set[str], common: frozenset[str]) -> bool:
    """Whether a sentence names someone ("de 34-jarige Ergün S.") whom the question does not."""
    return any(_new_person(match.group(1), asked, common) for match in _person_names(sentence))


def _names_beside_role(sentence: str, role: str, asked: set[str], common: frozenset[str]) -> bool:
    """Whether a sentence names someone the question does not within NEAR_CHARACTERS of ``role``
    or of a compound ending in it: "advocaat Robert Snorn", "Frank Oranje was notaris",
    "hoteleigenaar Ardi Anker"; by a surname right after it ("burgemeester Halsema", "een zoon,
    Jochi"); or with the role in the description after the name ("Sean Fitzgerald, een
    gezaghebbende Amerikaanse asbestonderzoeker"). Not "de moeder zegt in het AD"."""
    compound = r"[\w-]*" if len(role) >= COMPOUND_ROLE_LETTERS else r"(?:[\w-]*-)?"
    role_word = re.compile(rf"{compound}{re.escape(role)}", re.I)
    roles = [m.span() for m in re.finditer(rf"\b{role_word.pattern}\b", sentence, re.I)]
    for _, role_end in roles:
        surname = P.SURNAME_AFTER.match(sentence, role_end)
        # After a comma, a list may go on instead: "de burgemeester, Rijkswaterstaat en de politie".
        in_a_list = surname and surname.group(1) and P.LIST_GOES_ON.match(sentence, surname.end(2))
        if surname and not in_a_list and _new_person(surname.group(2), asked, common):
            return True

    def described_as_role(name_end: int) -> bool:
        description = P.APPOSITION.match(sentence, name_end)
        return bool(description) and any(role_word.fullmatch(word) for word in description.group(1).split())

    return any(_new_person(match.group(1), asked, common)
               and (described_as_role(match.end(1))
                    or any(match.start(1) - role_end <= NEAR_CHARACTERS and role_start - match.end(1) <= NEAR_CHARACTERS
                           for role_start, role_end in roles))
               for match in _person_names(sentence))


def _context_coverage(same_passage: list["_Candidate"], at: int, reach: int = 2) -> float:
    """The best coverage of the question among the sentences around candidate ``at`` of its
    passage's candidates (up to ``reach`` before or after it): the answer often sits beside the
    sentence that names the subject, not in it."""
    around = same_passage[max(0, at - reach):at] + same_passage[at + 1:at + 1 + reach]
    return max((c.coverage for c in around), default=0.0)


def _next_typed(candidates: list["_Candidate"], passages: list[Passage]) -> dict[int, bool]:
    """For each candidate (by id), whether the sentence right after it in its passage is a
    candidate holding the kind of answer asked for; each passage is split into sentences once."""
    spans = {i: split_sentences(passages[i].text) for i in {c.passage_index for c in candidates}}
    typed_at = {(c.passage_index, c.start) for c in candidates if c.typed}
    result = {}
    for c in candidates:
        after = next((start for start, _ in spans[c.passage_index] if start >= c.end), None)
        result[id(c)] = after is not None and (c.passage_index, after) in typed_at
    return result


class ChatSession:
    """A conversation over one retriever: keeps the last turns to resolve follow-ups."""

    def __init__(self, retriever: Retriever, k: int = 5, max_sentences: int | None = None,
                 threshold: float | None = None, history_turns: int = 1):
        self.retriever = retriever
        self.k = k
        self.max_sentences = max_sentences or retriever.settings.answer_sentences
        self.threshold = retriever.settings.decline_threshold() if threshold is None else threshold
        self.history_turns = history_turns
        self.history: list[Turn] = []
        self.trace: list[dict] | None = None  # set to [] to record the evidence of each question (fitting)

    def reset(self) -> None:
        self.history.clear()

    def ask(self, question: str, source: str | None = None, since: str | None = None,
            until: str | None = None) -> Answer:
        """Answer from the articles, or from those of ``source`` and within ``since`` ..
        ``until`` only (ISO dates, inclusive; see ArticleFilter)."""
        only = ArticleFilter(source or "", since or "", until or "")
        cleaned = clean_question(question)
        language = detect_language(cleaned or question or "")
        if not cleaned:
            return Answer(question, "", lang.messages(language)["empty"], abstained=True, language=language,
                          declined_because="empty")
        asked = question
        if not only:
            # "volgens de NOS", "het nieuws van gisteren": the question says which articles, and is
            # answered without the words that said so.
            said, without = reporting_filter(cleaned, self.retriever.sources(), language, today(self.retriever.settings))
            if said and clean_question(without):
                only, asked = ArticleFilter(**said), without
        resolved = resolve_followup(clean_question(asked), self.history[-self.history_turns:])
        if not only and self.history and resolved != clean_question(asked):
            # A follow-up ("En hoeveel kostte het?") asks within the articles the last turn kept to.
            only = self.history[-1].answer.article_filter or only
        # "Op welke datum verscheen het bericht over X?" is searched, and judged, as "over X".
        query = metadata_topic(resolved) or resolved
        passages = self.retriever.search(query, k=self.k, source=only.source, since=only.since, until=only.until,
                                         newest=asks_for_latest(cleaned, language))
        if only and not passages:
            answer = Answer(question, resolved, self._filtered_out(only, language), abstained=True, language=language,
                            declined_because="filtered_out")
        else:
            answer = self._compose(asked, resolved, query, passages, language)
            answer.question = question
        answer.passages = passages
        answer.filtered_by = describe_filter(only, language) if only else ""
        answer.article_filter = only or None
        self.history.append(Turn(cleaned, resolved, answer))
        del self.history[:-max(self.history_turns, 1)]
        return answer

    # --- the pieces of ask() ---

    def _filtered_out(self, only: ArticleFilter, language: str) -> str:
        """No article passes the filter: say which filter, and the sources there are when the
        one asked for is none of them (a typo, or another spelling)."""
        labels = lang.messages(language)
        text = labels["filtered_out"].format(describe_filter(only, language))
        known = self.retriever.sources()
        if only.source and only.source.casefold() not in {s.casefold() for s in known}:
            shown = ", ".join(known[:SOURCES_SHOWN]) + (", ..." if len(known) > SOURCES_SHOWN else "")
            text += " " + (labels["known_sources"].format(shown) if known else labels["no_sources"])
        return text

    def _compose(self, question: str, resolved: str, query: str, passages: list[Passage], language: str) -> Answer:
        if not passages:
            return Answer(question, resolved, lang.messages(language)["not_found"], abstained=True, language=language,
                          declined_because="no_passages")
        if self.retriever.settings.answer_step == "learned":
            return self._compose_learned(question, resolved, query, passages, language)
        return self._compose_by_rules(question, resolved, query, passages, language)

    def _compose_by_rules(self, question: str, resolved: str, query: str, passages: list[Passage],
                          language: str) -> Answer:
        """The hand-set answer step, the default until the learned one replaced it
        (docs/decisions.md, "The learned step by default")."""
        labels = lang.messages(language)
        confidence = self.evidence_for(query, passages)
        if confidence < self.threshold or not self._passages_speak_of(query, passages):
            because = LOW_CONFIDENCE_CHECK["rules"] if confidence < self.threshold else "topic_absent"
            return self._decline(question, resolved, passages, language, confidence, because)
        if asks_about_article(resolved):
            article, byline = self._article_cited(resolved, self._article_named(query, passages))
            about_article = metadata_answer(resolved, article, language)
            if about_article:
                return Answer(question, resolved, f"{about_article} [1]", [Source(1, article, byline)],
                              language=language, confidence=confidence)
            if names_one_of_our_articles(resolved) and not any(speaks_of_an_article(p.text) for p in passages):
                # Our article lacks the field; its sentences do not say it either (they were quoted).
                # "Wie schreef het artikel waarop ... is gebaseerd?", or a text that speaks of an
                # article ("Het artikel over ... werd geschreven door Einstein"): read on.
                return Answer(question, resolved, labels[f"no_{metadata_kind(resolved)}"], [Source(1, article)],
                              abstained=True, language=language, confidence=confidence,
                              declined_because="field_absent")
        # A passage that never names what the question is about does not answer it: "Wie is de
        # CEO van Microsoft?" is not answered by "OpenAI-CEO Sam Altman". The names are the
        # user's own, not those a follow-up borrowed, and a name the corpus spells otherwise
        # ("Ghandi") is a typo, not a sign the articles lack it.
        names = [name for name in question_names(question) if not self.retriever.spelled_differently(name)]
        candidates = self._score_sentences(resolved, passages, names)
        borrowed = resolved != clean_question(question)  # a follow-up, completed from the last turn
        own_stems = self._topic_stems(question) if borrowed else set()  # the user's own uncommon words
        if borrowed:
            candidates = self._keep_own_word_sentences(own_stems, candidates)
        best = max(candidates, key=lambda c: c.score) if candidates else None
        if best is None:
            return self._decline(question, resolved, passages, language, confidence,
                                 "names_absent" if names else "topic_absent")
        if says_undisclosed(best.text) and not asks_if_known(resolved):
            # The articles say the fact asked for is not known ("Welk aandeel krijgt Microsoft?").
            return self._undisclosed(question, resolved, passages, best, language, confidence)
        chosen = self._choose_by_rules(candidates, best)
        kind = expected_answer_type(resolved)
        if kind in REQUIRED_KINDS and not asks_if_known(resolved) and not answers_type(kind, best.text) \
                and not _next_one_answers(kind, best, chosen, passages):
            # "Hoeveel ..." and the best sentence holds no number: the articles do not say.
            # (Falling back to a lower-scoring sentence that has one was measured: it mostly
            # quotes the wrong number; docs/decisions.md, "Answers".)
            return self._decline(question, resolved, passages, language, confidence, "no_figure")
        if kind in OWN_FIGURE_KINDS and not self._figure_of_what_is_asked(resolved, best, candidates):
            return self._decline(question, resolved, passages, language, confidence, "figure_of_other")
        corpus_language = self.retriever.tokenize.language.CODE  # the passages' language
        chosen = with_context(chosen, passages, corpus_language)
        if borrowed and self._asks_more_of_last_answer(own_stems, best):
            chosen = with_continuation(chosen, best, passages, corpus_language)
        return self._cite(question, resolved, passages, chosen, language, confidence)

    def _compose_learned(self, question: str, resolved: str, query: str, passages: list[Passage],
                         language: str) -> Answer:
        """The learned answer step: the sentence model chooses, the answer model decides whether
        to answer (qa/ranking.py), and the hard checks below name why it declines."""
        if not self._passages_speak_of(query, passages):
            return self._decline(question, resolved, passages, language, 0.0, "topic_absent")
        if self.evidence_for(query, passages) < self.retriever.settings.abstain_threshold:
            # The answer model weighs the same evidence, but fitted mostly on on-topic questions it
            # lets an off-topic one through ("Wanneer werd de Eiffeltoren gebouwd?" of two
            # articles about OpenAI); the rules step's gate declines it.
            return self._decline(question, resolved, passages, language, 0.0, "weak_evidence")
        if asks_about_article(resolved):
            about_article = self._about_article(question, resolved, query, passages, language)
            if about_article:
                return about_article
        evidence = self.evidence(question, resolved, query, passages, language)
        if isinstance(evidence, str):
            return self._decline(question, resolved, passages, language, 0.0, evidence)
        candidates, question_features = evidence
        best = max(candidates, key=lambda c: c.score)
        restating = max(candidates, key=lambda c: c.coverage)  # the sentence that names the subject
        # The articles may say the fact asked for is not known, in the sentence the model ranks
        # best or in the one that restates the question. A follow-up restates the last turn with
        # its borrowed words: after "Wat voor overeenkomst kondigden ze aan?", "Wanneer maakten ze
        # die bekend?" matches "nog niet bekendgemaakt" best, while the day is elsewhere.
        borrowed = resolved != clean_question(question)  # a follow-up, completed from the last turn
        said = (best,) if borrowed else (best, restating)
        saying_unknown = next((c for c in said if says_undisclosed(c.text)), None)
        if saying_unknown and not asks_if_known(resolved):
            # The articles say the fact asked for is not known ("Welk aandeel krijgt Microsoft?").
            return self._undisclosed(question, resolved, passages, saying_unknown, language, 0.0)
        kind = expected_answer_type(resolved)
        detail = self._detail_after(kind, best, candidates, passages, resolved)
        confidence = self.answer_probability(question_features, candidates)
        if confidence < self.threshold:
            return self._decline(question, resolved, passages, language, confidence, LOW_CONFIDENCE_CHECK["learned"])
        if kind in REQUIRED_KINDS and not asks_if_known(resolved) and not answers_type(kind, best.text) \
                and detail is None:
            # "Hoeveel ..." and neither the best sentence nor the next holds a number: the articles
            # do not say. (Falling back to a lower-scoring sentence that has one was measured: it
            # mostly quotes the wrong number; docs/decisions.md, "Answers".) A follow-up that asks
            # only for the kind ("Hoe oud is hij?") asks it of the article the last answer quoted.
            held = self._kind_in_the_last_article(kind, question, resolved, candidates, passages) if borrowed else None
            if held is None:
                return self._decline(question, resolved, passages, language, confidence, "no_figure")
            best = held
        detail = detail or self._kind_further_on(kind, best, candidates, resolved)
        chosen = self._choose(candidates, best, detail)
        corpus_language = self.retriever.tokenize.language.CODE  # the passages' language
        if not asks_if_known(resolved) and self._measure_not_given(resolved, kind, chosen, corpus_language):
            return self._decline(question, resolved, passages, language, confidence, "other_measure")
        # Judged by the words a sentence shares with the question: not for another language's question.
        if kind in OWN_FIGURE_KINDS and language == corpus_language \
                and not self._figure_of_what_is_asked(resolved, best, candidates):
            return self._decline(question, resolved, passages, language, confidence, "figure_of_other")
        if language == corpus_language and self._name_not_given(resolved, best, candidates, passages):
            return self._decline(question, resolved, passages, language, confidence, "no_name")
        chosen = with_context(chosen, passages, corpus_language)
        if borrowed and self._asks_more_of_last_answer(self._topic_stems(question), best):
            chosen = with_continuation(chosen, best, passages, corpus_language)
        answer = self._cite(question, resolved, passages, chosen, language, confidence)
        answer.unsure = confidence < self.retriever.settings.unsure_below
        return answer

    def evidence(self, question: str, resolved: str, query: str, passages: list[Passage],
                 language: str) -> tuple[list[_Candidate], dict[str, float]] | str:
        """The candidate sentences, scored by the sentence model, and the features of the whole
        question for the answer model; or the name of the check that leaves no candidate."""
        # A passage that never names what the question is about does not answer it: "Wie is de
        # CEO van Microsoft?" is not answered by "OpenAI-CEO Sam Altman". The names are the
        # user's own, not those a follow-up borrowed, and a name the corpus spells otherwise
        # ("Ghandi") is a typo, not a sign the articles lack it.
        names = [name for name in question_names(question) if not self.retriever.spelled_differently(name)]
        written_by = None  # a question in the articles' language needs all its names
        if language != self.retriever.tokenize.language.CODE:
            written_by = self._names_the_articles_write(names, passages, language)
            if written_by is None:
                return "names_absent"
            names = [name for name in names if any(name in written for written in written_by.values())]
        own = clean_question(question)
        own_stems = self._topic_stems(question) if resolved != own else set()  # a follow-up's own words
        if own_stems:
            candidates = self._judged_by_own_words(own, resolved, passages, names, written_by)
        else:
            candidates = self._score_sentences(resolved, passages, names, written_by)
        if resolved != own:
            candidates = self._keep_own_word_sentences(own_stems, candidates)
        if not candidates:
            return "names_absent" if names else "topic_absent"
        features = {
            "coverage": self._coverage_of(query, passages[0]),
            "margin": self.retriever.settings.margin_scale * self._margin(query, passages),
            "kind_asked": float(bool(expected_answer_type(resolved))),
            "same_article": sum(p.doc_id == passages[0].doc_id for p in passages[:3]) / min(3, len(passages)),
            "other_language": float(language != self.retriever.tokenize.language.CODE),
        }
        if self.trace is not None:
            self.trace.append({"question": features, "candidates": [self._traced(c) for c in candidates]})
        return candidates, features

    def _judged_by_own_words(self, own: str, resolved: str, passages: list[Passage], names: list[str],
                             written_by: dict[str, list[str]] | None) -> list[_Candidate]:
        """A follow-up's borrowed words find the article, but they match the sentences the last
        answer quoted best ("Via welk kanaal liet ze dat weten?" after who she is): its sentences
        are scored by its own words. Unless those choose a sentence saying the thing is not yet
        known: "Wanneer maakten ze die bekend?" matches "nog niet bekendgemaakt", on other terms of
        the deal, while the borrowed "kondigden ... aan" (in ``resolved``) finds the day."""
        by_own = self._score_sentences(own, passages, names, written_by)
        if by_own:
            best = max(by_own, key=lambda c: c.score)
            if not (says_undisclosed(best.text) and not asks_if_known(own)):
                return by_own
        return self._score_sentences(resolved, passages, names, written_by)

    def _names_the_articles_write(self, names: list[str], passages: list[Passage],
                                  language: str) -> dict[str, list[str]] | None:
        """Of the names of a question in another language than the articles, those each retrieved
        article writes as the question does ("Microsoft", "Amsterdam"), by article id. A
        capitalised word none of them writes is one they translate ("the University of Amsterdam",
        "the Dutch brewery") when it is an adjective of a people or a common word of the question's
        language that is clearly rarer in theirs (TRANSLATED_WORD_ZIPF, TRANSLATED_WORD_MARGIN);
        otherwise it is a name they lack ("Who is the CEO of Anthropic?", "... of Apple?"): None.
        An article that writes only an adjective of a people of them counts for none when another
        article writes one of the other names."""
        if not names:
            return {}
        from .word_frequency import zipf

        written_by: dict[str, list[str]] = {}
        for passage in passages:
            if passage.doc_id not in written_by:
                article = f"{passage.title}\n{self.retriever.article_body(passage.doc_id)}"
                written_by[passage.doc_id] = [name for name in names if names_in([name], article)]
        written = set().union(*written_by.values())
        asked = lang.get(language)
        asked_in, written_in = asked.WORDFREQ, self.retriever.tokenize.language.WORDFREQ
        for name in names:
            if name in written or name in asked.PEOPLE_ADJECTIVES:
                continue
            here = zipf(name, asked_in)
            if here < TRANSLATED_WORD_ZIPF or here - zipf(name, written_in) < TRANSLATED_WORD_MARGIN:
                return None  # a name ("Anthropic"), or one the articles' language writes alike ("Apple")
        adjectives = asked.PEOPLE_ADJECTIVES
        if any(name not in adjectives for name in written):
            # "American" alone is no sign of "the American warheads at Volkel" when another
            # article writes "Volkel": it may be "American Airlines".
            written_by = {doc: found if any(name not in adjectives for name in found) else []
                          for doc, found in written_by.items()}
        return written_by

    @staticmethod
    def _traced(candidate: _Candidate) -> dict:
        """A candidate as the fitting script reads it: its features and its text."""
        return dict(candidate.features, text=candidate.text)

    def answer_probability(self, question_features: dict[str, float], candidates: list[_Candidate]) -> float:
        """The answer model's probability that the articles answer the question."""
        model = _answer_model()
        return model.answer.probability(answer_features(question_features, [c.features for c in candidates],
                                                        model.sentence))

    def _detail_after(self, kind: str, best: _Candidate, candidates: list[_Candidate],
                      passages: list[Passage], question: str) -> "_Candidate | None":
        """The sentence right after the best one when it holds the kind asked for and the best does
        not: "... een nieuwe fietsbrug over het Zwarte Water. De brug kost 12 miljoen euro." (news
        names the subject, then gives the figure, the name or the place). For a name or a person,
        one the question does not already say: "Het eerste kievitsei ... is gevonden in polder Groot
        Mijdrecht. De vinder is Otwin Nonnekes." holds names, none new. For a figure, one of the
        measure asked (``typed``): "Hoeveel kostte ...?" is not answered by "drie dagen"."""
        def holds(c: _Candidate) -> bool:
            return new_answer(kind, c.text, question) if kind in NAMED_KINDS else c.typed

        if not kind or holds(best):
            return None
        after = _sentence_after(best, passages)
        if after is None:
            return None
        return next((c for c in candidates if (c.passage_index, c.start) == (best.passage_index, after[0])
                     and holds(c)), None)

    @staticmethod
    def _kind_further_on(kind: str, best: _Candidate, candidates: list[_Candidate], question: str) -> "_Candidate | None":
        """For a place, a name or a person the best sentence does not give, the best ranked sentence
        of its passage that gives a new one, wherever it stands: "In de Utrechtse wijk Zuilen
        veroorzaken hanen overlast. ... De dieren zijn afkomstig uit het Julianapark." Other kinds
        keep to the sentence right after the best (_detail_after): further on, they gained no
        answer of the read sets (docs/decisions.md)."""
        if kind not in ENTITY_KINDS or new_answer(kind, best.text, question):
            return None
        same_passage = [c for c in candidates if c is not best and c.passage_index == best.passage_index
                        and new_answer(kind, c.text, question)]
        return max(same_passage, key=lambda c: c.score, default=None)

    @staticmethod
    def _decline(question: str, resolved: str, passages: list[Passage], language: str, confidence: float,
                 because: str) -> Answer:
        """"Not in the articles", with at most the two closest passages, marked as possibly related;
        ``because`` names the check (DECLINE_CHECKS)."""
        related = [Source(i + 1, p) for i, p in enumerate(passages[:2])]
        return Answer(question, resolved, lang.messages(language)["not_found"], related, abstained=True,
                      language=language, confidence=confidence, declined_because=because)

    def _about_article(self, question: str, resolved: str, query: str, passages: list[Passage],
                       language: str) -> Answer | None:
        """The answer to a question about an article's source, date or author, from its metadata;
        None when the passages' text should answer it instead."""
        article, byline = self._article_cited(resolved, self._article_named(query, passages))
        about_article = metadata_answer(resolved, article, language)
        if about_article:
            return Answer(question, resolved, f"{about_article} [1]", [Source(1, article, byline)],
                          language=language, confidence=1.0)
        if names_one_of_our_articles(resolved) and not any(speaks_of_an_article(p.text) for p in passages):
            # Our article lacks the field; its sentences do not say it either (they were quoted).
            # "Wie schreef het artikel waarop ... is gebaseerd?", or a text that speaks of an
            # article ("Het artikel over ... werd geschreven door Einstein"): read on.
            return Answer(question, resolved, lang.messages(language)[f"no_{metadata_kind(resolved)}"],
                          [Source(1, article)], abstained=True, language=language, declined_because="field_absent")
        return None

    def _article_cited(self, question: str, found: Passage) -> tuple[Passage, tuple[int, int] | None]:
        """The passage an answer about the article cites, not the one that happened to find the
        article: the one with its byline (and where in it) when the author is asked, else its
        opening, where the dateline stood."""
        at = -1
        if found.byline and metadata_kind(question) == "author":
            at = self.retriever.article_body(found.doc_id).find(found.byline)
        if at < 0:
            return self.retriever.article_passage(found.doc_id), None
        passage = self.retriever.article_passage(found.doc_id, at)
        start = at - passage.start
        return passage, (start, start + len(found.byline))

    def _article_named(self, query: str, passages: list[Passage]) -> Passage:
        """The passage whose article title says most of what the question names ("het bericht
        over het akkoord tussen Microsoft en OpenAI"); the first passage when no title does."""
        weights = self.retriever.term_weights(query)
        titles = self._stems([p.title for p in passages])
        overlap = [sum(weights.get(t, 0.0) for t in set(tokens)) for tokens in titles]
        return passages[max(range(len(passages)), key=lambda i: (overlap[i], -i))]

    @staticmethod
    def _undisclosed(question: str, resolved: str, passages: list[Passage], best: _Candidate, language: str,
                     confidence: float) -> Answer:
        """The articles say this is not known: decline, quoting the sentence that says so."""
        text = f"{lang.messages(language)['undisclosed']} {best.text} [1]"
        source = Source(1, passages[best.passage_index], (best.start, best.end))
        return Answer(question, resolved, text, [source], abstained=True, language=language, confidence=confidence,
                      declined_because="undisclosed")

    def _score_sentences(self, question: str, passages: list[Passage], names: list[str] = (),
                         written_by: dict[str, list[str]] | None = None) -> list[_Candidate]:
        """Every sentence of the passages that may answer (see _may_answer), described by the
        features of qa/ranking.py and scored by the sentence model. Beyond the first three
        passages only sentences with some of the question's words or the kind of answer asked for
        are embedded (the cost of a question is mostly these embeddings)."""
        weights = self.retriever.term_weights(question)
        kind = expected_answer_type(question)
        learned = self.retriever.settings.answer_step == "learned"
        if not learned and kind not in RULES_KINDS:
            kind = ""  # the kinds the hand-set weights were measured with
        measures = asked_measures(question, kind) if learned else set()
        corpus_language = self.retriever.tokenize.language.CODE
        named = set(self.retriever.term_weights(" ".join(named_kind(question))))
        bodies: dict[str, str] = {}  # passages of one article share its body
        candidates = []
        for index, passage in enumerate(passages):
            if (names or named) and not self._may_answer(passage, names, named, bodies, written_by):
                continue
            for start, end in split_sentences(passage.text):
                sentence = passage.text[start:end]
                if not is_heading(sentence, max_words=14):  # headings and bylines are not answers
                    candidates.append(_Candidate(index, start, end, sentence))
        tokens = self._stems([c.text for c in candidates])  # one call for all sentences
        for candidate, words in zip(candidates, tokens):
            candidate.words = set(words)
            candidate.coverage = _coverage(weights, words)
            candidate.typed = (bool(kind) and answers_type(kind, candidate.text)
                               and fits_measure(measures, kind, candidate.text, corpus_language))
        candidates = [c for c in candidates if c.passage_index < 3 or c.coverage > 0 or c.typed]
        if not candidates:
            return []
        if learned:  # the sentence model embeds nothing: it ranked better without (docs/decisions.md)
            self._describe(question, kind, measures, weights, candidates, passages)
            return candidates
        embedder = self.retriever.embedder
        query = embedder.encode_queries([question])[0]
        vectors = embedder.encode_sentences([c.text for c in candidates])
        for c, vector in zip(candidates, vectors):
            c.cosine = float(vector @ query)
            c.score = c.coverage + c.cosine + RULES_TYPED_BONUS * c.typed - RULES_RANK_PENALTY * c.passage_index
        return candidates

    def _describe(self, question: str, kind: str, measures: set[str], weights: dict[str, float],
                  candidates: list[_Candidate], passages: list[Passage]) -> None:
        """Each candidate's features (qa/ranking.py, SENTENCE_FEATURES, and next_typed for the
        answer model) and its score: the sentence model's logit. ``measures``: what a figure
        answering may measure (asked_measures)."""
        asked = set(weights)
        top_coverage = max(c.coverage for c in candidates)
        first_score = passages[0].score or 1.0
        corpus_language = self.retriever.tokenize.language.CODE
        focus = set(self.retriever.term_weights(" ".join(focus_words(question))))
        bound = self._bound_answers(question, kind, focus, candidates)
        by_passage: dict[int, list[_Candidate]] = {}
        for c in candidates:
            by_passage.setdefault(c.passage_index, []).append(c)
        position = {id(c): at for same in by_passage.values() for at, c in enumerate(same)}
        next_typed = _next_typed(candidates, passages)
        for c in candidates:
            context = _context_coverage(by_passage[c.passage_index], position[id(c)])
            new = float(bool(kind) and new_answer(kind, c.text, question)
                        and fits_measure(measures, kind, c.text, corpus_language))
            c.features = {
                "coverage": c.coverage,
                "coverage_gap": top_coverage - c.coverage,
                "bound": float(bound[id(c)] is not None),
                "bound_near": float(bound[id(c)] is not None and bound[id(c)] <= NEAR_CHARACTERS),
                "typed": float(c.typed),
                "new_answer": new,
                "new_figure": new if kind in FIGURE_KINDS else 0.0,
                "new_entity": new if kind in ENTITY_KINDS else 0.0,
                "new_reason": new if kind == "reason" else 0.0,
                "says_focus": float(any(_says(stem, c.words) for stem in focus)),
                "novelty": len(c.words - asked) / len(c.words) if c.words else 0.0,
                "context": context,
                "new_in_context": new * context,
                "passage_rank": float(c.passage_index),
                "passage_score": passages[c.passage_index].score / first_score,
                "first_article": float(passages[c.passage_index].doc_id == passages[0].doc_id),
                "lead": float(passages[c.passage_index].start + c.start == 0),
                "leans_back": float(bool(P.leans_back(corpus_language).match(c.text))),
                "length": math.log1p(len(c.text.split())),
                "next_typed": float(next_typed[id(c)]),
            }
        model = _answer_model()
        for c in candidates:
            c.score = model.sentence.logit(c.features)

    def _bound_answers(self, question: str, kind: str, focus: set[str],
                       candidates: list[_Candidate]) -> dict[int, int | None]:
        """For each candidate (by id), how many characters lie between a new thing of the kind
        asked for and a word saying what the question asks about: "Hoeveel messen ...?" is
        answered by "... 312 messen ...", not by a sentence with a count of something else. The
        words: its focus ("messen"), else its uncommon words other than names. None: no such pair."""
        result: dict[int, int | None] = {id(c): None for c in candidates}
        if not kind:
            return result
        anchors = focus or self._topic_stems_besides_names(question)
        spans = {id(c): new_answer_spans(kind, c.text, question) for c in candidates}
        with_spans = [c for c in candidates if spans[id(c)]]
        if not anchors or not with_spans:
            return result
        words = [(c, m.start(), m.end(), m.group(0)) for c in with_spans for m in re.finditer(r"\w[\w'-]*", c.text)]
        stems = self.retriever.tokenize([w for *_, w in words])  # one call for all words
        for (c, start, end, _), said in zip(words, stems):
            if said and any(_says(stem, set(said)) for stem in anchors):
                gap = min(max(0, a - end, start - b) for a, b in spans[id(c)])
                result[id(c)] = gap if result[id(c)] is None else min(result[id(c)], gap)
        return result

    def _figure_of_what_is_asked(self, question: str, best: _Candidate, candidates: list[_Candidate]) -> bool:
        """Whether the best sentence's figure can be of what is asked: "Hoeveel omzet maakte
        OpenAI vorig jaar?" is not answered by the sum Microsoft invested, when another sentence
        speaks of "omzet" without a figure. When some sentence says one of the question's
        uncommon words other than its names and the best sentence says none, it is not."""
        stems = self._topic_stems_besides_names(question)
        if not stems or any(_says(stem, best.words) for stem in stems):
            return True
        return not any(_says(stem, c.words) for c in candidates for stem in stems)

    @staticmethod
    def _measure_not_given(question: str, kind: str, chosen: list[_Candidate], language: str) -> bool:
        """Whether a count, a sum or a size is asked (asked_measures) and every figure of the chosen
        sentences measures something else: "Hoeveel EUV-machines ...?" is not answered by "voor een
        totaal bedrag van 3,6 miljard euro". Sentences without a figure say nothing either way."""
        measures = asked_measures(question, kind)
        quoted = set().union(*(figure_measures(kind, c.text, language) for c in chosen)) if measures else set()
        return bool(quoted) and not quoted & measures

    @staticmethod
    def _name_not_given(question: str, best: _Candidate, candidates: list[_Candidate], passages: list[Passage]) -> bool:
        """Whether a name is asked of something the question names ("Hoe heet de advocaat van
        ...?") and no sentence holds a new name close beside it ("advocaat Janbart Kalk"): news
        writes a name next to its role, so the articles found speak of the lawyer but do not name him.
        A sentence may also name the article's subject, which its title names, and call it by
        what is asked further on ("... OpenAI ..., terwijl Microsoft al eerder in de startup
        investeerde"). "Hoe heet de man ...?": a man or a woman is named after an age or a role
        ("de 34-jarige Ergün S."), so a person's name in any candidate sentence of the best
        sentence's article will do (the sentences the answer step read, not the whole article).
        "Hoe heet de directeur ...?" (a role, PERSON_ROLE_NOUNS): a person's name beside the role
        in one of them; a capitalised word beside it ("de moeder zegt in het AD") is no one.
        Not for "Wat is de naam van de eigenschap ...?", which asks a term as often."""
        focus = focus_words(question)
        if not asks_what_called(question) or not focus:
            return False
        article = passages[best.passage_index].doc_id
        asked = set(re.findall(r"[^\W\d_]+", question.casefold()))
        common = P.common_words(detect_language(question))
        in_article = [c for c in candidates if passages[c.passage_index].doc_id == article]
        if focus[0].lower() in P.GENERIC_PERSON_NOUNS:
            return not any(_names_a_person(c.text, asked, common) for c in in_article)
        if P.PERSON_ROLE.fullmatch(focus[0]):
            return not any(_names_beside_role(c.text, focus[0], asked, common) for c in in_article)

        def names_subject(c: _Candidate) -> bool:
            title = passages[c.passage_index].title
            return any(re.search(rf"\b{re.escape(c.text[start:end])}\b", title)
                       for start, end in new_answer_spans("name", c.text, question))

        return not any(c.features["bound_near"] or (c.features["bound"] and names_subject(c)) for c in candidates)

    def _kind_in_the_last_article(self, kind: str, question: str, resolved: str, candidates: list[_Candidate],
                                  passages: list[Passage]) -> "_Candidate | None":
        """For a follow-up without words of its own that asks a kind ("Hoe oud is hij?", "En
        hoeveel kostte het?"): the best ranked sentence of the article the last answer quoted first
        that holds a new thing of that kind and measure ("De 52-jarige voormalige zanger zegt ...");
        None if none does, or the last turn was declined (its passages are only possibly related).
        What is asked about is what that answer spoke of."""
        last = self.history[-1].answer if self.history else None
        if self._topic_stems(question) or last is None or last.abstained or not last.sources:
            return None
        article = last.sources[0].passage.doc_id
        held = [c for c in candidates if passages[c.passage_index].doc_id == article and c.features["new_answer"]]
        return max(held, key=lambda c: c.score, default=None)

    def _asks_more_of_last_answer(self, own_stems: set[str], best: _Candidate) -> bool:
        """A follow-up without uncommon words of its own (own_stems: "Waarom?", "Waarom deed hij
        dat?") whose best sentence the previous answer quoted already: the reader has seen it and
        asks what comes next ("Wanneer verliet Musk OpenAI?" ... "Waarom?": the reason is the
        sentence after it)."""
        return bool(self.history) and not own_stems and best.text in self.history[-1].answer.text

    @staticmethod
    def _keep_own_word_sentences(own_stems: set[str], candidates: list[_Candidate]) -> list[_Candidate]:
        """A follow-up's borrowed words can outweigh its own: after a turn on Microsoft's stake,
        "Wie schreef die memo?" (+ "aandeel Microsoft bekend") matched the sentence on the stake
        best. When some sentences say one of the user's own uncommon words ("memo"), only they,
        and those holding the kind of answer asked for ("Wanneer maakten ze die bekend?": a day),
        may answer (own_stems: the stems of its uncommon words). Measured: docs/evaluation.md."""
        saying = [any(_says(stem, c.words) for stem in own_stems) for c in candidates]
        if not any(saying):
            return candidates
        return [c for c, says in zip(candidates, saying) if says or c.typed]

    def _may_answer(self, passage: Passage, names: list[str], named: set[str], bodies: dict[str, str],
                    written_by: dict[str, list[str]] | None = None) -> bool:
        """Whether the article title and the paragraphs the passage lies in name what the question
        names (all of it; for a question in another language, at least one of its names and all
        those its article writes as the question does: ``written_by`` article id) and, for "Hoe
        heet de chatbot van xAI?", speak of a chatbot (stems of named_kind): a passage that never
        mentions one cannot say its name."""
        if passage.doc_id not in bodies:
            bodies[passage.doc_id] = self.retriever.article_body(passage.doc_id)
        around = _where_names_count(passage, bodies[passage.doc_id])
        if written_by is not None and names:
            names = written_by[passage.doc_id]
            if not names:
                return False
        if names and not names_in(names, around):
            return False
        said = set(self._stems([around])[0]) if named else set()
        return not named or any(_says(stem, said) for stem in named)

    def _stems(self, texts: list[str]) -> list[list[str]]:
        """The keywords of sentences and passages as the answer step reads them: with each verb
        their clauses split joined as well ("het kabinet stapte op": "opstap"), as the question's
        are (Retriever.term_weights). The index keeps its own keywords (docs/decisions.md)."""
        return self.retriever.tokenize(texts, joined_verbs=True)

    def evidence_for(self, question: str, passages: list[Passage]) -> float:
        """Evidence that the articles speak of what is asked (the rules step's confidence, and the
        gate both steps pass a question through first): how much closer the closest retrieved
        passage is to the question than the corpus is on average (a raw cosine says little: an
        English-only model puts every Dutch passage at 0.4-0.7), plus 0.75 x the share of the
        question's IDF-weighted words found in the first passage. Weights and threshold:
        docs/decisions.md, "Answers"."""
        if not passages:
            return 0.0
        return (COVERAGE_WEIGHT * self._coverage_of(question, passages[0])
                + self.retriever.settings.margin_scale * self._margin(question, passages))

    def _coverage_of(self, question: str, passage: Passage) -> float:
        """The share of the question's IDF weight a passage says."""
        return _coverage(self.retriever.term_weights(question), self._stems([passage.text])[0])

    def _margin(self, question: str, passages: list[Passage]) -> float:
        """How much closer the closest passage is to the question than the corpus on average."""
        return max(p.dense for p in passages) - self.retriever.average_similarity(question)

    def _passages_speak_of(self, question: str, passages: list[Passage]) -> bool:
        """Whether any passage says one of the question's uncommon words, a part of it or a near
        spelling: "Hoe maak je een goede erwtensoep?" has the confidence of an answerable question
        on a small corpus (its passages speak of "maken"), but none says "erwtensoep". A question
        of common words only passes. Measured: docs/decisions.md, "Answers"."""
        stems = self._topic_stems(question)
        if not stems:
            return True
        said = set().union(*self._stems([f"{p.title}\n{p.text}" for p in passages]))
        return any(_says(stem, said) for stem in stems)

    def _topic_stems(self, question: str) -> set[str]:
        """The stems of the question's uncommon words (see topic_words)."""
        return set(self.retriever.term_weights(" ".join(topic_words(question))))

    def _topic_stems_besides_names(self, question: str) -> set[str]:
        """The stems of the question's uncommon words other than its names: what it asks about."""
        names = set(self.retriever.term_weights(" ".join(question_names(question))))
        return self._topic_stems(question) - names

    def _choose(self, candidates: list[_Candidate], best: _Candidate,
                detail: "_Candidate | None" = None) -> list[_Candidate]:
        """The best sentence and its detail (the sentence after it, or further on for a place, a
        name or a person: _detail_after, _kind_further_on), plus others nearly as good: those the
        sentence model gives at least ``second_sentence_odds`` of ranking above the best one
        (the logistic of their score difference), at most max_sentences and, beyond the best and
        its detail, ``answer_characters`` in all, in reading order."""
        chosen: list[_Candidate] = [best] + ([detail] if detail else [])
        settings = self.retriever.settings
        length = sum(len(c.text) for c in chosen)
        for candidate in sorted(candidates, key=lambda c: -c.score):
            if len(chosen) >= self.max_sentences or sigmoid(candidate.score - best.score) < settings.second_sentence_odds:
                break
            if not _repeats(candidate, chosen, settings.repeat_overlap) \
                    and length + len(candidate.text) <= settings.answer_characters:
                chosen.append(candidate)
                length += len(candidate.text)
        return sorted(chosen, key=lambda c: (c.passage_index, c.start))

    def _choose_by_rules(self, candidates: list[_Candidate], best: _Candidate) -> list[_Candidate]:
        """The best sentence, plus up to max_sentences-1 others scoring at least RULES_RATIO of
        its score, in reading order."""
        ranked = sorted(candidates, key=lambda c: -c.score)
        chosen: list[_Candidate] = [best]
        for candidate in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if candidate.score >= RULES_RATIO * best.score and candidate.text not in {c.text for c in chosen}:
                chosen.append(candidate)
        return sorted(chosen, key=lambda c: (c.passage_index, c.start))

    @staticmethod
    def _cite(question: str, resolved: str, passages: list[Passage], chosen: list[_Candidate],
              language: str, confidence: float) -> Answer:
        numbers: dict[int, int] = {}
        for candidate in chosen:
            numbers.setdefault(candidate.passage_index, len(numbers) + 1)
        sources = [Source(n, passages[i], _span([c for c in chosen if c.passage_index == i], passages[i].text))
                   for i, n in numbers.items()]
        text = " ".join(f"{c.text} [{numbers[c.passage_index]}]" for c in chosen)
        return Answer(question, resolved, text, sources, abstained=False, language=language, confidence=confidence)
