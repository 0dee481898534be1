"""Chunking: split article bodies into sentence-aligned chunks sized in model tokens.

Chunks never cross a paragraph, never cut a sentence (unless one sentence alone is
longer than the window), overlap by one sentence, and carry the short heading or
byline that precedes their paragraph. ``body[start:end] == chunk.text`` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from sentencex import segment

from .corpus import Article
from .lang import DEFAULT as DEFAULT_LANGUAGE
from .lang import get as language_data
from .lang import patterns as P

TokenCounter = Callable[[str], int]

# Bump when a change to this module moves chunk boundaries: the next build is then a full one.
CHUNKING_VERSION = 2

_LAST_WORD = re.compile(r"([\w.]+)\.\s*$")


@dataclass
class Chunk:
    article_id: str
    ordinal: int  # position within the article
    paragraph: int  # index of the paragraph within the body
    heading: str  # the heading/byline glued in front of this paragraph, if any
    start: int
    end: int
    text: str


# --- sentences ---------------------------------------------------------------------------

def split_sentences(text: str, offset: int = 0, language: str = DEFAULT_LANGUAGE) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text`` (shifted by ``offset``), whitespace trimmed,
    by the rules of a language of qa/lang (the corpus language by default)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    rules = language_data(language)
    for piece in segment(rules.SENTENCEX, text):
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # the splitter changed the text; fall back to the rest as one sentence
            start = cursor
            piece = text[cursor:].strip()
            if not piece:
                break
            start = text.find(piece, cursor)
        end = start + len(piece)
        if spans and _continues_sentence(text[spans[-1][0] - offset:spans[-1][1] - offset], piece, rules.ABBREVIATIONS):
            spans[-1] = (spans[-1][0], end + offset)
        else:
            spans.append((start + offset, end + offset))
        cursor = end
    return spans


def _continues_sentence(previous: str, piece: str, abbreviations: set[str]) -> bool:
    """Undo splits after abbreviations ("ca. 1,5 mln. euro") and before lower-case words."""
    first = piece[0]
    if first.islower() and not piece.startswith(("'s ", "'t ")):
        return True
    match = _LAST_WORD.search(previous)
    return bool(match) and match.group(1).lower() in abbreviations and (first.isdigit() or first.islower())


# --- paragraphs and headings -------------------------------------------------------------

def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of a body whose paragraphs are separated by blank lines."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", body)]


def is_heading(text: str, max_words: int) -> bool:
    """A short line without closing punctuation, or a byline: glued to what follows."""
    stripped = text.strip()
    if P.BYLINE.match(stripped):
        return True
    return len(stripped.split()) <= max_words and not stripped.endswith((".", "!", ",", ";", ":"))


# --- chunks ------------------------------------------------------------------------------

MAX_GLUED_HEADINGS = 2  # a longer run of short lines is text (quotes, lists), not headings


def chunk_article(
    article: Article,
    count_tokens: TokenCounter,
    max_tokens: int = 200,
    overlap_sentences: int = 1,
    heading_max_words: int = 12,
) -> list[Chunk]:
    """Chunks of one article, in reading order, none longer than ``max_tokens``."""
    body = article.body
    chunks: list[Chunk] = []
    pending: list[tuple[int, int, int]] = []  # (number, start, end) of headings waiting for a paragraph
    spans = paragraph_spans(body)

    def emit(number: int, p_start: int, p_end: int, headings: list[tuple[int, int, int]]) -> None:
        heading = " / ".join(body[s:e] for _, s, e in headings)
        reserved = count_tokens(body[headings[0][1]:headings[-1][2]]) if headings else 0
        sentences = split_sentences(body[p_start:p_end], offset=p_start)
        windows = _pack_sentences(body, sentences, count_tokens, max_tokens, overlap_sentences, reserved)
        for i, (start, end) in enumerate(windows):
            if i == 0 and headings:
                start = headings[0][1]  # the heading joins the paragraph's first chunk
            chunks.append(Chunk(article_id=article.id, ordinal=len(chunks), paragraph=number,
                                heading=heading, start=start, end=end, text=body[start:end]))

    for number, (p_start, p_end) in enumerate(spans):
        text = body[p_start:p_end]
        if number < len(spans) - 1 and is_heading(text, heading_max_words) \
                and count_tokens(text) <= max_tokens // 4:
            pending.append((number, p_start, p_end))
            if len(pending) > MAX_GLUED_HEADINGS:
                emit(*pending.pop(0), [])
            continue
        emit(number, p_start, p_end, pending)
        pending = []
    return chunks


def _pack_sentences(
    body: str,
    sentences: list[tuple[int, int]],
    count_tokens: TokenCounter,
    max_tokens: int,
    overlap: int,
    reserved_first: int = 0,
) -> list[tuple[int, int]]:
    """Greedy packing of consecutive sentences into windows of at most ``max_tokens``
    (the first window keeps ``reserved_first`` tokens free for a glued heading)."""
    units: list[tuple[int, int, int]] = []  # (start, end, tokens)
    for start, end in sentences:
        tokens = count_tokens(body[start:end])
        if tokens <= max_tokens - reserved_first:
            units.append((start, end, tokens))
        else:  # pieces that fit even the first window, beside its heading
            units.extend(_split_long_sentence(body, start, end, count_tokens, max_tokens - reserved_first))
    windows: list[tuple[int, int]] = []
    current: list[tuple[int, int, int]] = []
    for unit in units:
        limit = max_tokens - (reserved_first if not windows else 0)
        if current and sum(u[2] for u in current) + unit[2] > limit:
            windows.append((current[0][0], current[-1][1]))
            kept = current[-overlap:] if overlap else []
            # Overlap only when it still leaves room for the new sentence.
            current = kept if kept and sum(u[2] for u in kept) + unit[2] <= max_tokens else []
        current.append(unit)
    if current:
        windows.append((current[0][0], current[-1][1]))
    return windows


def _split_long_sentence(
    body: str, start: int, end: int, count_tokens: TokenCounter, max_tokens: int
) -> list[tuple[int, int, int]]:
    """Cut an over-long sentence at word boundaries into pieces that fit the window."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", body[start:end])]

    def tokens(first: int, count: int) -> int:
        return count_tokens(body[words[first][0]:words[first + count - 1][1]])

    pieces: list[tuple[int, int, int]] = []
    i = 0
    while i < len(words):
        # Binary search for the most words that fit; a word is at least one token.
        lo, hi = 1, min(len(words) - i, max_tokens)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if tokens(i, mid) <= max_tokens else (lo, mid - 1)
        pieces.append((words[i][0], words[i + lo - 1][1], tokens(i, lo)))
        i += lo
    return pieces
