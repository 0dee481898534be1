"""The chat's memory: the turns of a conversation, and the self-contained question a follow-up
("En begin 2023?", "Waarom?", "Wie schreef die memo?") stands for given the previous turn."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .chunking import split_sentences
from .lang import detect_language
from .lang import patterns as P
from .questions import (NUMERIC, WORD, REQUIRED_KINDS, asks_about_article, content_words, expected_answer_type,
                        metadata_kind, question_names, with_borrowed, without_borrowed)

if TYPE_CHECKING:
    from .answer import Answer


@dataclass
class Turn:
    question: str
    resolved: str
    answer: "Answer"


# How many content words a question may have and still lean on the last turn: any question this
# short ("Waarom?", "Wie sprak hem tegen?"); one with a word pointing back ("die memo", "erbij")
# up to POINTING_FOLLOW_UP_WORDS ("Hoeveel ministers zaten erbij?"), and up to
# LONG_POINTING_FOLLOW_UP_WORDS unless it names what the last turn never spoke of ("Bij welke stad
# voerde zij jarenlang verzet tegen een illegale vuilnisbelt?"; "die" also opens a relative clause
# of a new question). Higher treats more questions as follow-ups.
SHORT_FOLLOW_UP_WORDS = 2
POINTING_FOLLOW_UP_WORDS = 4
LONG_POINTING_FOLLOW_UP_WORDS = 8


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
    language = detect_language(question)
    leads_in, points_back = bool(P.leads_in(language).search(question)), bool(P.points_back(language).search(question))
    # "En begin 2023?", "Waarom?", or a pronoun in a question with little subject of its own.
    leans = leads_in or len(own) <= SHORT_FOLLOW_UP_WORDS or (points_back and len(own) <= LONG_POINTING_FOLLOW_UP_WORDS)
    pointing = points_back and len(own) <= POINTING_FOLLOW_UP_WORDS  # a follow-up even if it names something new
    if not leans or (not leads_in and not pointing and _names_a_new_subject(question, previous)):
        return question
    entities = _entities(previous)
    if expected_answer_type(question) in REQUIRED_KINDS or len(own) > 1:
        # The old answer's numbers would mislead: "En wanneer vertrok Musk?" asks for a new date,
        # "Wie schreef die memo?" names a subject of its own. "Waarom (deed hij dat)?" keeps them.
        entities = [w for w in entities if not NUMERIC.fullmatch(w)]
    borrowed = content_words(without_borrowed(previous.resolved)) + entities
    borrowed = [w for w in dict.fromkeys(borrowed) if not _replaced_by(w, own)]
    if not borrowed:
        return question
    return with_borrowed(question, borrowed)


def _about_the_same_article(question: str, previous: Turn) -> str:
    """The whole question when a bare one asks a field of the article the last turn was answered
    from; '' otherwise. After a question about an article: "En de datum?", "Wie schreef het?",
    "And the source?". After an answer from the text: "Van welke site komt dit artikel?", "Wie
    schreef het artikel?", "En de bron?" (see the FIELD_NOUNS tables in qa/lang). The article is named by its title,
    which finds it again."""
    if not previous.answer.sources:
        return ""
    if asks_about_article(previous.resolved):
        fields = P.FIELD_FOLLOWUP
    elif previous.answer.abstained:  # a decline's passages are only possibly related
        return ""
    elif asks_about_article(question):  # "Van welke site komt dit artikel?"
        kind = metadata_kind(question)
        fields = {kind: P.FIELD_FOLLOWUP[kind]}
    else:  # "En de bron?"
        fields = {k: pattern for k, pattern in P.FIELD_FOLLOWUP.items() if P.FIELD_NOUN[k].search(question)}
    kind = next((k for k, pattern in fields.items() if pattern.search(question)), "")
    if not kind:
        return ""
    rest = P.FIELD_FILLER.sub(" ", re.sub(rf"\b{P.ARTICLE}\b", " ", P.FIELD_FOLLOWUP[kind].sub(" ", question)))
    if content_words(rest):  # "Wanneer verliet Musk OpenAI?" asks something else
        return ""
    return P.field_question(detect_language(question), kind).format(previous.answer.sources[0].passage.title)


def _names_a_new_subject(question: str, previous: Turn) -> bool:
    """A short question naming something the last turn never spoke of ("Wat is xAI?" after a
    turn on Microsoft's investment) is a new question, not a follow-up."""
    said = f"{previous.resolved} {previous.answer.text}"
    # An abbreviation ("CEO", "VS") is mostly a role or a place the last turn implied, not a new subject.
    return any(not re.search(rf"\b{re.escape(name)}\b", said, re.I)
               for name in question_names(question) if not name.isupper())


def _entities(turn: Turn, limit: int = 6) -> list[str]:
    """Names and amounts from the previous answer: what "die", "hij" or "why" usually point at."""
    if turn.answer.abstained:
        return []
    text = re.sub(r"\s\[\d+\]", "", turn.answer.text)
    common = P.stop_words(turn.answer.language)
    # A capital that opens a sentence is mostly an ordinary word ("Volgens", "De"); it counts
    # as a name ("Musk was destijds ...") when the sources also write it capitalised mid-sentence.
    names = set().union(*(_mid_sentence_capitals(t) for t in [text] + [s.passage.text for s in turn.answer.sources]))
    found = [w for w in re.findall(rf"{NUMERIC.pattern}|{WORD}", text)
             if NUMERIC.fullmatch(w) or w in names]
    return [w for w in dict.fromkeys(found) if w.lower() not in common][:limit]


def _mid_sentence_capitals(text: str) -> set[str]:
    """Capitalised words that do not open their sentence."""
    names: set[str] = set()
    for start, end in split_sentences(text):
        words = re.findall(WORD, text[start:end])
        names.update(w for w in words[1:] if w[0].isupper())
    return names


def _replaced_by(word: str, own: list[str]) -> bool:
    """A year or number in the new question replaces the old one; the same word is not repeated."""
    lowered = {w.lower() for w in own}
    if word.lower() in lowered:
        return True
    return bool(NUMERIC.fullmatch(word)) and any(NUMERIC.fullmatch(w) for w in own)


