"""How common a word is in a language, from wordfreq's lists, kept once per language as a SQLite
table beside the models. A question looks up its few words there in microseconds; opening
wordfreq and its lists cost 0.25 s at every `qa ask` and app start (docs/benchmarks.md, section
22). A build, which looks up hundreds of thousands, reads the whole table into memory.

``zipf(word, code)`` is wordfreq's ``zipf_frequency(word, code)``: for words of letters (with
hyphens and apostrophes inside) it is computed here, as wordfreq does for a language it only
case-folds (Dutch, English, German); anything else (figures, say) is asked of wordfreq itself.
"""

from __future__ import annotations

import functools
import math
import re
import sqlite3
import threading
import unicodedata
from importlib.metadata import version
from pathlib import Path
from typing import Iterator, Mapping

from .bundled_model import built_once, models_folder

TABLE_VERSION = 1
TABLE_FILE = "words.sqlite"
# Lookups one process makes before it reads the whole table (0.2 s): a question makes a few
# hundred, a build's compound splitter hundreds of thousands.
LOOKUPS_BEFORE_LOADING = 5_000
_LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")  # letters, with apostrophes inside


def zipf(word: str, code: str) -> float:
    """wordfreq's ``zipf_frequency(word, code)``: 0 for an unknown word, 3 for one in a million,
    6 for one in a thousand."""
    table = frequencies(code)
    parts = word.replace("\u2019", "'").split("-")  # wordfreq splits at hyphens, keeps "zo'n" whole
    if not (table.plain and all(_LETTERS.fullmatch(part) for part in parts)):
        from wordfreq import zipf_frequency

        return zipf_frequency(word, code)
    # A word of several parts is rarer than each: 1 / f = 1 / f1 + 1 / f2, as in wordfreq.
    inverse = 0.0
    for part in parts:
        frequency = table.get(unicodedata.normalize("NFC", part).casefold(), 0.0)
        if frequency <= 0:
            return 0.0
        inverse += 1 / frequency
    return round(math.log10(max(_three_digits(1 / inverse), 1e-9)) + 9, 2)


def _three_digits(frequency: float) -> float:
    """As wordfreq rounds: its data is precise to 1 % at best."""
    if frequency <= 0:
        return 0.0
    return round(frequency, math.floor(-math.log10(frequency)) + 3)


@functools.cache
def frequencies(code: str) -> "WordFrequencies":
    """The frequency of each word wordfreq knows in language ``code`` (a proportion of all words)."""
    return WordFrequencies(_table_folder(code), code)


class WordFrequencies(Mapping[str, float]):
    """A read-only mapping over the table of one language, made on first use in ``folder``, whole
    or not at all (``built_once``: two processes writing at once both end with one table)."""

    def __init__(self, folder: Path, code: str):
        path = built_once(folder, TABLE_FILE, lambda staging: _write_table(staging / TABLE_FILE, code)) / TABLE_FILE
        self._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.plain = self._meta("plain") == "1"
        self._lookups = 0
        self._all: dict[str, float] | None = None

    def get(self, word: str, default: float | None = None) -> float | None:
        """Without raising KeyError for an unknown word: the compound splitter asks mostly those."""
        if self._all is None:
            self._lookups += 1
            if self._lookups <= LOOKUPS_BEFORE_LOADING:
                with self._lock:
                    row = self._connection.execute("SELECT frequency FROM words WHERE word = ?", (word,)).fetchone()
                return default if row is None else row[0]
            self._load_all()
        return self._all.get(word, default)

    def __getitem__(self, word: str) -> float:
        frequency = self.get(word)
        if frequency is None:
            raise KeyError(word)
        return frequency

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return iter(self._all)

    def __len__(self) -> int:
        self._load_all()
        return len(self._all)

    def _load_all(self) -> None:
        if self._all is None:
            with self._lock:
                self._all = dict(self._connection.execute("SELECT word, frequency FROM words"))

    def _meta(self, key: str) -> str | None:
        row = self._connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


def _table_folder(code: str) -> Path:
    """Named after wordfreq's version: a new wordfreq makes a new table."""
    return models_folder() / f"wordfreq-{code}-{version('wordfreq')}-v{TABLE_VERSION}"


def _write_table(path: Path, code: str) -> None:
    """wordfreq's list for ``code`` as a table at ``path``."""
    from wordfreq import get_frequency_dict
    from wordfreq.language_info import get_language_info

    info = get_language_info(code)
    # What zipf() may compute itself: wordfreq only NFC-normalizes and case-folds these words.
    plain = (info["tokenizer"] == "regex" and info["normal_form"] == "NFC" and not info["remove_marks"]
             and not info["dotless_i"] and not info["diacritics_under"] and not info["transliteration"])
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, frequency REAL NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.executemany("INSERT INTO words VALUES (?, ?)", get_frequency_dict(code, "best").items())
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("plain", "1" if plain else "0"),
                                                          ("wordfreq", version("wordfreq"))])
    db.close()


def prepare(codes: list[str]) -> None:
    """Make the tables of these languages now (setup.sh), not at the first question."""
    for code in codes:
        frequencies(code)
