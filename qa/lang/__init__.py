"""Language knowledge: one module of data per language (nl.py, en.py, de.py, ...), and the
patterns built from those tables, in this one place.

A language is a module here with the same names (see nl.py); adding one is adding a file.
Patterns that recognise what a question asks are the union over every language, as readers
mix them ("Wie is the CEO?"); labels and messages follow the question's detected language.
Detection chooses among the languages that have a module.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from types import ModuleType

DEFAULT = "nl"  # the corpus and most readers are Dutch; a tie in detection goes here

# The kinds of answer a question may ask for, in the order their cues are tried.
ANSWER_KINDS = ("amount", "time", "age", "number", "measure", "year", "day", "date", "person", "place", "reason", "name")


@functools.cache
def languages() -> dict[str, ModuleType]:
    """Every language module (named by its two-letter ISO 639-1 code), the default first."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if len(info.name) != 2:  # patterns.py and other helpers
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.CODE] = module
    return {code: found[code] for code in sorted(found, key=lambda c: (c != DEFAULT, c))}


def get(code: str) -> ModuleType:
    """The language module for a code; the default language for an unknown one."""
    return languages().get(code) or languages()[DEFAULT]


@functools.cache
def stopwords(code: str) -> frozenset[str]:
    """The stop words of a language: the list bm25s keeps for it (named by BM25S_STOPWORDS)."""
    import bm25s.stopwords

    return frozenset(getattr(bm25s.stopwords, get(code).BM25S_STOPWORDS))


def messages(code: str) -> dict[str, str]:
    """The interface messages in a language."""
    return get(code).MESSAGES


# --- tables over every language ----------------------------------------------------------------

def every(name: str) -> list:
    """The entries of one table in every language, in order, without repeats."""
    return list(dict.fromkeys(item for module in languages().values() for item in getattr(module, name)))


def every_of(name: str, key: str) -> list:
    """The entries under ``key`` of one dict-of-lists table in every language."""
    return list(dict.fromkeys(item for module in languages().values() for item in getattr(module, name).get(key, [])))


def merged(name: str) -> dict:
    """One dict table of every language merged (the default language's entries first)."""
    result: dict = {}
    for module in languages().values():
        for key, value in getattr(module, name).items():
            result.setdefault(key, value)
    return result


NEVER = "(?!)"  # the pattern of an empty table: matches nothing


def either(items: list[str], capture: bool = True) -> str:
    """A regex group of alternatives (regex fragments); one that never matches for none."""
    return ("(" if capture else "(?:") + "|".join(items) + ")" if items else NEVER


def words_of(items, capture: bool = True) -> str:
    """A regex group of literal words (or phrases); one that never matches for none."""
    return either([re.escape(w) for w in items], capture)


# --- telling the language apart ------------------------------------------------------------------

def detect_language(text: str) -> str:
    """The code of the language a text is written in. Function words decide, language against
    language: each one's own words, not the other's; without them ("Is Microsoft investing?")
    the words in lower case (not names) far more frequent in one language do. The default
    language is the first contender and wins ties."""
    written = re.findall(r"[a-zA-Z']+", text)
    words = [w.lower() for w in written]
    codes = list(languages())
    winner = codes[0]
    for challenger in codes[1:]:
        if _beats(challenger, winner, words, written):
            winner = challenger
    return winner


def _beats(challenger: str, holder: str, words: list[str], written: list[str]) -> bool:
    own, other = get(challenger).FUNCTION_WORDS, get(holder).FUNCTION_WORDS
    theirs = sum(w in own and w not in other for w in words)
    ours = sum(w in other and w not in own for w in words)
    if theirs == ours:
        from ..word_frequency import zipf

        leaning = [zipf(w, get(challenger).WORDFREQ) - zipf(w, get(holder).WORDFREQ)
                   for w in written if w.islower()]
        theirs, ours = sum(d >= 1 for d in leaning), sum(d <= -1 for d in leaning)
    return theirs > ours
