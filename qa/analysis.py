"""The keyword analyser: text to the keywords BM25 indexes and questions are matched on.

Snowball stems without stop words; compounds also as their parts ("overnamepoging" -> overname,
poging) and hyphenated ones also joined ("AI-bedrijf" -> AIbedrijf); a question's verb form the
corpus never writes as the verb's stem ("ontvangt" -> ontvang). For the answer step, not the
index, a separable verb its clause splits is also joined ("kondigde de deal aan" -> aankondigde).
The languages are a parameter: the corpus language first (its stemmer, compound and verb rules),
then the languages readers ask in (their stop words). Their words come from qa/lang; scoring
lives in index and retrieval.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Iterator, Mapping

from . import lang

DEFAULT_LANGUAGES = "nl,en"
ANALYSER_RULES = "joined-compounds+compound-parts/7"  # change it when tokens change: caches key on it


def parse_languages(languages: str) -> list[str]:
    """"nl,en" -> ["nl", "en"]; an unknown code is an error naming the ones there are."""
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    unknown = [code for code in codes if code not in lang.languages()]
    if not codes or unknown:
        raise ValueError(f"QA_LANGUAGES={languages!r}: languages are codes among {', '.join(lang.languages())}")
    return codes


def analyser_version(languages: str = DEFAULT_LANGUAGES) -> str:
    """What the tokens of an index were made by: a change of it means a keyword rebuild."""
    codes = parse_languages(languages)
    return f"{codes[0]}-snowball+{'-'.join(codes)}-stopwords+{ANALYSER_RULES}"


@functools.cache
def stopwords(languages: str = DEFAULT_LANGUAGES) -> frozenset[str]:
    return frozenset().union(*(lang.stopwords(code) for code in parse_languages(languages)))


@functools.cache
def question_words(languages: str = DEFAULT_LANGUAGES) -> frozenset[str]:
    """The words questions are asked with in the languages given ("wie", "how"): not what is asked."""
    return frozenset(word for code in parse_languages(languages) for word in lang.get(code).QUESTION_WORDS)


class KeywordTokenizer:
    """Snowball stems of the corpus language without the stop words of the languages given.

    Single characters are kept: "4", "F" and "$" amounts carry meaning in news.
    """

    pattern = r"(?u)\b\w+\b"

    def __init__(self, languages: str = DEFAULT_LANGUAGES) -> None:
        import Stemmer

        self.languages = languages
        self.language = lang.get(parse_languages(languages)[0])
        self.version = analyser_version(languages)
        self.stemmer = Stemmer.Stemmer(self.language.SNOWBALL)
        self.stopwords = sorted(stopwords(languages))
        self._compounds = CompoundSplitter(self.language.CODE, stopwords(languages))

    def __call__(self, texts: list[str], joined_verbs: bool = False) -> list[list[str]]:
        """The keywords of each text; ``joined_verbs``: also each separable verb its clauses split
        (see _joined_verbs), as the answer step reads sentences; the index does not."""
        # Parts of the words as written: a joined "clouddeals" would add "cloud" and "deals" twice.
        texts = [_with_joined_compounds(self._compounds.with_parts(_nfkc(t))) for t in texts]
        return self._stems([self._with_joined_verbs(t) for t in texts] if joined_verbs else texts)

    def without_parts(self, text: str) -> tuple[list[str], list[tuple[list[str], list[str]]], list[str]]:
        """The text's keywords without compound parts; for each compound in it the keywords of the
        word and of its parts (a question's compound should count once); and apart, the keywords
        of the separable verbs its clauses split, joined, as the answer step reads them."""
        text = _nfkc(text)
        written = _with_joined_compounds(text)
        joined = _joined_verbs(written, self.language.CODE, stopwords(self.languages))
        compounds = [(word, " ".join(parts)) for word in _LONG_WORD.findall(text)
                     if (parts := self._compounds.parts(word.lower()))]
        stems = self._stems([written, " ".join(joined)] + [t for pair in compounds for t in pair])
        return stems[0], list(zip(stems[2::2], stems[3::2])), stems[1]

    def as_the_corpus_writes(self, stems: list[str], vocabulary: dict) -> list[str]:
        """A question's stems, each one the corpus never uses that is a verb form in "-t" or "-d"
        ("ontvangt", "leidt", "betaalt", "verdiend") replaced by its verb's stem when the corpus
        uses that: Snowball keeps the ending, and articles mostly write another tense
        ("ontvangen", "leiding"). A noun ending so ("plant", "paard") is left: its word without
        the ending is no verb ("planen")."""
        return [stem if stem in vocabulary else self._verb_stem(stem, vocabulary) for stem in stems]

    def _verb_stem(self, stem: str, vocabulary: dict) -> str:
        from .word_frequency import zipf

        endings, infinitive_ending = self.language.VERB_ENDINGS, self.language.INFINITIVE_ENDING
        if not endings or len(stem) < 5 or stem[-1] not in endings:
            return stem
        base = stem[:-1]
        single = re.sub(self.language.LONG_VOWEL_SINGLE, r"\1\2", base)
        for infinitive in dict.fromkeys((base + infinitive_ending, single + infinitive_ending)):
            if zipf(infinitive, self.language.WORDFREQ) >= VERB_ZIPF:
                verb = self.stemmer.stemWord(infinitive)
                return verb if verb in vocabulary else stem
        return stem

    def _with_joined_verbs(self, text: str) -> str:
        """The text plus each separable verb its clauses split, joined ("Het kabinet stapte op"
        -> "opstapte"): see _joined_verbs."""
        joined = _joined_verbs(text, self.language.CODE, stopwords(self.languages))
        return f"{text} {' '.join(joined)}" if joined else text

    def _stems(self, texts: list[str]) -> list[list[str]]:
        import bm25s

        return bm25s.tokenize(texts, token_pattern=self.pattern, stopwords=self.stopwords,
                              stemmer=self.stemmer, return_ids=False, show_progress=False)


VERB_ZIPF = 3.0  # a verb of the language: about once per million words (wordfreq's Zipf scale)


def _nfkc(text: str) -> str:
    """Compatibility forms folded ("ĳ" -> "ij", "ﬁ" -> "fi"), as the word lists spell them. A
    fraction or superscript after a digit stays apart: "1½" and "10³" are not 11 and 103."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", _OTHER_NUMBER_AFTER_DIGIT.sub(" ", text))


# Between a digit and a character of Unicode category No ("½", "³", "₂"); of the BMP, where they all are.
_OTHER_NUMBER_AFTER_DIGIT = re.compile(
    r"(?<=\d)(?=[" + "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.category(chr(c)) == "No") + "])")


# A main clause splits a separable verb and ends on its particle: "Microsoft kondigde de deal
# gisteren aan", where an article writes "aangekondigd" or "de aankondiging" and a question
# "Wanneer werd de deal aangekondigd?". A particle that closes its clause (SEPARABLE_PARTICLES,
# before punctuation, the end, a word of CLAUSE_OPENERS or a phrase put after the verb,
# PHRASE_AFTER_PARTICLE: "vond plaats in Clapham") is also joined to each word of the
# clause with which it makes a known word (wordfreq, Zipf >= JOINED_VERB_ZIPF: "aankondigde"
# 3.2, "meedeelde" 2.0), not a stop word ("op" + "de"). The stems then meet ("aankond",
# "opstap"); a wrong join adds a weak keyword and takes nothing away, as a compound's parts.
JOINED_VERB_ZIPF = 2.0
_CLAUSE_END = re.compile(r"[.,;:!?()\[\]\"“”„«»\n]+")
_LETTERS = re.compile(r"[^\W\d_]+")


def _joined_verbs(text: str, code: str, stop: frozenset[str]) -> list[str]:
    """The separable verbs the text's clauses split, joined, lower case ("opstapte")."""
    language = lang.get(code)
    if not language.SEPARABLE_PARTICLES:
        return []
    frequency = _frequencies(code)
    joined = []
    for clause in _CLAUSE_END.split(text.lower()):
        words = _LETTERS.findall(clause)
        start = 0  # where the clause the word stands in begins
        for at, word in enumerate(words):
            after = words[at + 1] if at + 1 < len(words) else ""
            closes = not after or after in language.CLAUSE_OPENERS or after in language.PHRASE_AFTER_PARTICLE
            if closes and word in language.SEPARABLE_PARTICLES:
                joined += [word + verb for verb in words[start:at] if verb not in stop and len(verb) > 1
                           and frequency.get(word + verb, 0.0) >= 10 ** (JOINED_VERB_ZIPF - 9)]
            if word in language.CLAUSE_OPENERS:  # after the particle: "om" is either ("kwamen om")
                start = at + 1
    return joined


MAX_COMPOUND_PARTS = 4  # "niet-gouvernementele-organisatie" is long; "a-b-c-d-e-..." is no word
_HYPHENATED = re.compile(r"\b\w+(?:-\w+)+\b")


def _with_joined_compounds(text: str) -> str:
    """The text plus each hyphenated compound written as one word ("AI-bedrijf" -> "AIbedrijf"):
    its parts are common ("ai", "bedrijf"), the compound is what a question names. Of a longer
    one every run of two or more parts ("non-profit-bedrijf": "nonprofit", "profitbedrijf", ...)."""
    joined = []
    for match in _HYPHENATED.finditer(text):
        parts = match.group(0).split("-")
        if len(parts) > MAX_COMPOUND_PARTS:  # a slug or a code, not a compound: its runs would explode
            continue
        joined += ["".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1)]
    return f"{text} {' '.join(joined)}" if joined else text


# Dutch (and German) write compounds as one word: a question asks for "de poging", the article
# says "overnamepoging". Each long word also yields its parts, split where the geometric mean of
# the parts' frequencies beats the word's own (Koehn & Knight 2003), with the language's linking
# letters between them, as Lucene's dictionary compound filter keeps the word and adds its parts.
# A part is a known word (wordfreq, Zipf >= 3), not a stop word or a derivational suffix
# ("partner-schap"); the last part, the head of the compound, has five letters or more.
MIN_COMPOUND_LETTERS = 9
PART_ZIPF = 3.0
_LONG_WORD = re.compile(rf"\b[^\W\d_]{{{MIN_COMPOUND_LETTERS},}}\b")


class CompoundSplitter:
    """The parts of a language's compounds; a language without linking letters has none."""

    def __init__(self, code: str, stop: frozenset[str]) -> None:
        self.language = lang.get(code)
        self.stop = stop

    def with_parts(self, text: str) -> str:
        """The text plus the parts of each compound in it ("overnamepoging" -> "overname poging")."""
        if not self.language.COMPOUND_LINKS:
            return text
        parts = [p for word in _LONG_WORD.findall(text) for p in self.parts(word.lower())]
        return f"{text} {' '.join(parts)}" if parts else text

    def parts(self, word: str) -> tuple[str, ...]:
        if not self.language.COMPOUND_LINKS:
            return ()
        return _compound_parts(word, self.language.CODE, self.stop)


def compound_parts(word: str, code: str = lang.DEFAULT, languages: str = DEFAULT_LANGUAGES) -> tuple[str, ...]:
    """The parts of a compound ("kostenbesparingscampagne" -> kosten, besparing, campagne); ()
    for a word that is not one, or is more common than its parts."""
    return CompoundSplitter(code, stopwords(languages)).parts(word)


@functools.lru_cache(maxsize=65_536)  # a news vocabulary's long words; about 20 MB
def _compound_parts(word: str, code: str, stop: frozenset[str]) -> tuple[str, ...]:
    frequency = _frequencies(code)
    own = frequency.get(word, 0.0)
    splits = [(parts, math.prod(frequency[p] for p in parts) ** (1 / len(parts)))
              for parts in _segmentations(word, 3, code, stop) if len(parts) > 1]
    # Fewest parts first: "ziekenhuisopname" is ziekenhuis + opname, though the short common
    # words of ziek + huis + opname have the higher mean.
    better = [(len(parts), -score, parts) for parts, score in splits if score > own]
    return min(better)[2] if better else ()


def _segmentations(word: str, max_parts: int, code: str, stop: frozenset[str]) -> Iterator[tuple[str, ...]]:
    if _is_part(word, True, code, stop):
        yield (word,)
    if max_parts == 1:
        return
    for i in range(4, len(word) - 4):
        head = word[:i]
        if not _is_part(head, False, code, stop):
            continue
        for link in lang.get(code).COMPOUND_LINKS:
            rest = word[i:]
            if rest.startswith(link) and len(rest) - len(link) >= 5:
                for tail in _segmentations(rest[len(link):], max_parts - 1, code, stop):
                    yield (head, *tail)


def _is_part(word: str, last: bool, code: str, stop: frozenset[str]) -> bool:
    return (len(word) >= (5 if last else 4) and word not in stop and word not in lang.get(code).COMPOUND_SUFFIXES
            and _frequencies(code).get(word, 0.0) >= 10 ** (PART_ZIPF - 9))


@functools.cache  # asked once per segment tried, hundreds of thousands of times in a build
def _frequencies(code: str) -> Mapping[str, float]:
    from .word_frequency import frequencies

    return frequencies(lang.get(code).WORDFREQ)
