"""Corpus: read a folder of articles (.txt, .md, .html, .jsonl) into Article records.

Metadata (title, date, source, byline) is read the way a person would read it and
the date/source lines are taken out of the body, so they are not embedded as text.
A file that cannot be read is reported with a reason and never stops the scan.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import yaml

from .errors import CorpusError
from .lang import patterns as P

TEXT_EXTENSIONS = {".txt", ".text"}
MARKDOWN_EXTENSIONS = {".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm"}
JSONL_EXTENSIONS = {".jsonl"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS


@dataclass
class Article:
    id: str
    title: str
    body: str
    path: str  # relative to the corpus folder; "file.jsonl#12" for a JSONL line
    date: str = ""  # ISO 8601, as precise as the source ("2025-02", "2025-09-12T02:46")
    source: str = ""
    url: str = ""
    byline: str = ""
    # What reading it left out, for the build report ("date 'gisteren' is no date"); not stored.
    notes: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that ends up in the index changes."""
        payload = "\x1f".join([self.title, self.date, self.source, self.url, self.byline, self.body])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class CorpusScan:
    articles: list[Article] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): could not be read
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): not an article file
    notes: list[tuple[str, str]] = field(default_factory=list)  # (path, note): read, with something left out


# --- reading files -----------------------------------------------------------------------

def scan_corpus(corpus: str | os.PathLike | Sequence[str | os.PathLike]) -> CorpusScan:
    """Read every article below a folder (or a single file, or several of either).

    Never raises for a single bad file: it lands in ``skipped`` with the reason.
    """
    scan = CorpusScan()
    seen_ids: set[str] = set()
    for path, rel in _corpus_files(corpus, scan):
        try:
            for article in _read_file(path, rel, scan):
                article.id = _unique_id(article.id, seen_ids)
                scan.articles.append(article)
                scan.notes += [(article.path, note) for note in article.notes]
        except SkipFile as why:
            scan.skipped.append((rel, str(why)))
        except OSError as err:
            scan.skipped.append((rel, f"unreadable: {err.strerror or err}"))
    return scan


def corpus_fingerprint(corpus: str | os.PathLike | Sequence[str | os.PathLike]) -> dict[str, list[int]]:
    """``{path: [size, mtime_ns]}`` of every article file: a cheap way to notice changes."""
    found: dict[str, list[int]] = {}
    for path, rel in _corpus_files(corpus, CorpusScan(), missing_ok=True):
        try:
            stat = path.stat()
        except OSError:
            continue
        found[rel] = [stat.st_size, stat.st_mtime_ns]
    return found


def corpus_roots(corpus: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """The corpus folders or files given: one, or several."""
    return [Path(corpus)] if isinstance(corpus, (str, os.PathLike)) else [Path(c) for c in corpus]


def _corpus_files(
    corpus: str | os.PathLike | Sequence[str | os.PathLike], scan: CorpusScan, missing_ok: bool = False,
) -> Iterator[tuple[Path, str]]:
    """(file, path as reported) for every article file; with several roots the reported
    path starts with the root's name so that equal names in two roots stay apart."""
    roots = corpus_roots(corpus)
    for root in roots:
        if not root.exists():
            if missing_ok:
                continue
            raise CorpusError(f"corpus not found: {root}")
        prefix = f"{root.name}/" if len(roots) > 1 else ""
        base = root.parent if root.is_file() else root
        for path in [root] if root.is_file() else _walk(root, scan):
            yield path, prefix + path.relative_to(base).as_posix()


def _walk(root: Path, scan: CorpusScan) -> Iterator[Path]:
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if name.startswith(".") or name.lower() in {"readme.md", "readme.txt"}:
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    scan.ignored.append((rel, "symlink pointing outside the corpus"))
                    continue
            if not path.is_file():  # FIFOs, sockets, devices: reading could block the build forever
                scan.ignored.append((rel, "not a regular file"))
                continue
            if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                scan.ignored.append((rel, f"unknown file type {path.suffix or '(none)'}"))
                continue
            yield path


class SkipFile(Exception):
    """Raised by a reader for a file that holds no usable article."""


def _read_file(path: Path, rel: str, scan: CorpusScan) -> list[Article]:
    suffix = path.suffix.lower()
    if suffix in JSONL_EXTENSIONS:
        return list(_read_jsonl(path, rel, scan))
    text = decode_bytes(path.read_bytes())
    if suffix in HTML_EXTENSIONS:
        article = parse_html(text, rel)
    elif suffix in MARKDOWN_EXTENSIONS:
        article = parse_markdown(text, rel)
    else:
        article = parse_plain_text(text, rel)
    if not article.body.strip():
        raise SkipFile("no article text")
    return [article]


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as cp1252 (latin-1 for its 5 holes), one at a time, so a
    cp1252 file and a UTF-8 file with one stray cp1252 byte both keep their accents."""
    byte = error.object[error.start:error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error("qa-cp1252-fallback", _cp1252_fallback)


def decode_bytes(data: bytes) -> str:
    """UTF-16 when it says so (BOM), else UTF-8 with a per-byte cp1252 fallback; binary is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SkipFile("invalid UTF-16 text") from None
        if not text.strip():
            raise SkipFile("empty file")
        return text
    if not data.strip():
        raise SkipFile("empty file")
    if _looks_binary(data):
        raise SkipFile("binary file, not text")
    return data.decode("utf-8-sig", errors="qa-cp1252-fallback")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > len(head) * 0.05


def _read_jsonl(path: Path, rel: str, scan: CorpusScan) -> Iterator[Article]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{rel}:{number}"
            try:
                record = json.loads(decode_bytes(raw))
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
                article = parse_record(record, f"{rel}#{number}")
            except SkipFile as why:
                scan.skipped.append((where, str(why)))
                continue
            except ValueError as err:
                scan.skipped.append((where, f"malformed JSON line: {err}"))
                continue
            if not article.body.strip():
                scan.skipped.append((where, "no article text"))
                continue
            yield article


def _unique_id(candidate: str, seen: set[str]) -> str:
    article_id, n = candidate, 2
    while article_id in seen:
        article_id, n = f"{candidate}~{n}", n + 1
    seen.add(article_id)
    return article_id


def _id_from_path(rel: str) -> str:
    return rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel


# --- parsing -----------------------------------------------------------------------------

_DATE_HEADER = re.compile(r"^\s*date:?\s+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[ \t]*", re.IGNORECASE)


def parse_plain_text(text: str, rel: str, title: str = "", **meta: str) -> Article:
    """Split a plain-text article into metadata and body."""
    lines = _normalize_newlines(text).split("\n")
    date, source = normalize_date(meta.get("date", "")), meta.get("source", "")
    notes = [f"date {meta['date']!r} is no date; left out"] if meta.get("date") and not date else []
    lines, header_date = _take_date_header(lines)
    date = date or header_date
    lines, line_date, line_source = _take_date_line(lines)
    date, source = date or line_date, source or line_source
    lines, labelled_source = _take_source_line(lines)
    source = source or labelled_source
    if not title:
        lines, title = _take_title_line(lines)
    paragraphs = _paragraphs(lines)
    byline = meta.get("byline", "") or _find_byline(paragraphs)
    body = "\n\n".join(paragraphs)
    if not title:
        title = _title_from_body(paragraphs) or Path(rel).stem
    if byline.strip() == title.strip():  # a headline such as "Door Rood Licht" or "By The Numbers"
        byline = ""
    return Article(
        id=meta.get("id") or _id_from_path(rel), title=title.strip(), body=body, path=rel,
        date=date, source=source.strip(), url=meta.get("url", ""), byline=byline, notes=notes,
    )


def parse_markdown(text: str, rel: str) -> Article:
    meta, body = _split_front_matter(_normalize_newlines(text))
    # Heading markers are layout, not words: "## Kop" becomes "Kop".
    body = re.sub(r"^#{1,6}[ \t]+", "", body, flags=re.MULTILINE)
    return parse_plain_text(body, rel, title=meta.pop("title", ""), **meta)


def parse_html(text: str, rel: str) -> Article:
    import trafilatura  # heavy import, only when HTML is present

    def extract(html_text: str) -> dict:
        # The date only from the page's metadata (meta tags, <time>, the URL): searched for in the
        # text too, "die in 2016 overleed" became the article's date, 1 January 2016.
        found = trafilatura.bare_extraction(html_text, with_metadata=True, include_comments=False, include_tables=True,
                                            date_extraction_params={"extensive_search": False, "original_date": True})
        return found.as_dict() if found is not None else {}

    doc = extract(text)
    if not (doc.get("text") or "").strip():
        # A fragment that opens with its paragraph ("<p>...</p>") is read as no document at all.
        doc = extract(f"<html><body>{text}</body></html>")
    if not (doc.get("text") or "").strip():
        raise SkipFile("no article text found in HTML")
    # trafilatura separates paragraphs by single newlines.
    body = "\n\n".join(line for line in doc["text"].split("\n") if line.strip())
    meta = {
        "date": str(doc.get("date") or ""), "source": str(doc.get("sitename") or doc.get("hostname") or ""),
        "url": str(doc.get("url") or ""), "byline": str(doc.get("author") or ""),
    }
    return parse_plain_text(body, rel, title=str(doc.get("title") or ""), **meta)


_MARKUP = re.compile(r"</?(?:p|br|div|span|a|em|strong|b|i|li|ul|ol|h[1-6]|blockquote)\b[^>]*>|"
                     r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
_BLOCKS = ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")


def _text_of_markup(markup: str) -> str:
    """The text of an HTML fragment: its blocks as paragraphs, a <br> as a line break, entities
    decoded ("Financi&euml;n" -> "Financiën"), tags and scripts gone."""
    import lxml.html

    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for element in root.iter("script", "style"):
        element.drop_tree()
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    return root.text_content()


_RECORD_ALIASES = {"author": "byline", "pubDate": "date", "published": "date"}


def parse_record(record: dict, rel: str) -> Article:
    """One JSONL record: ``id``, ``title``, ``text``, optional ``date``, ``source``, ``url``,
    ``byline`` (or the names feeds use: ``author``, ``pubDate``, ``published``)."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SkipFile("record has no 'text'")
    if _MARKUP.search(text):  # feeds export their text as HTML: "<p>... Financi&euml;n</p>"
        text = _text_of_markup(text)
    for alias, field in _RECORD_ALIASES.items():
        if record.get(field) in (None, "") and record.get(alias) not in (None, ""):
            record = {**record, field: record[alias]}
    meta = {k: str(record[k]) for k in ("id", "date", "source", "url", "byline") if record.get(k) not in (None, "")}
    title = str(record.get("title") or "")
    if "id" not in meta:
        # Stable under reordering: named by the file and the content, not by the line number.
        digest = hashlib.sha256(f"{title}\x1f{text}".encode("utf-8")).hexdigest()[:12]
        meta["id"] = f"{_id_from_path(rel.split('#')[0])}-{digest}"
    return parse_plain_text(text, rel, title=title, **meta)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """The fields of a YAML front matter and the text after it. A broken front matter skips the
    file with the reason: indexed as text, its YAML became the article's title and first lines."""
    opening = re.match(r"^---[ \t]*\n", text)
    if not opening:
        return {}, text
    if not re.match(r"\s*([\w-]+[ \t]*:|---[ \t]*(\n|$))", text[opening.end():]):
        return {}, text[opening.end():]  # a horizontal rule ("---" then Markdown), not front matter
    match = re.match(r"^---[ \t]*\n(.*?\n)?(---|\.\.\.)[ \t]*(\n|$)", text, flags=re.DOTALL)
    if not match:
        raise SkipFile("front matter has no closing '---' line")
    try:
        data = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        # problem_mark counts lines of the YAML from 0; the file's line 1 is the opening '---'.
        line = f" (line {where.line + 2})" if where is not None else ""
        raise SkipFile(f"front matter is not valid YAML{line}: {getattr(err, 'problem', None) or err}") from None
    if not isinstance(data, dict):
        raise SkipFile("front matter is not made of 'field: value' lines")
    keep = ("title", "date", "source", "url", "byline", "author")
    meta = {k: str(data[k]) for k in keep if data.get(k) is not None}
    if "author" in meta:
        meta.setdefault("byline", meta.pop("author"))
    return meta, text[match.end():]


def _first_content_index(lines: list[str], start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].strip():
            return i
    return None


def _opening_lines(lines: list[str], count: int) -> list[int]:
    """The indexes of the first ``count`` lines that are not blank: where metadata lines stand."""
    return [i for i, line in enumerate(lines) if line.strip()][:count]


def _take_date_header(lines: list[str]) -> tuple[list[str], str]:
    """A leading ``date 2025-02`` header, possibly glued to the first paragraph."""
    i = _first_content_index(lines)
    if i is None:
        return lines, ""
    match = _DATE_HEADER.match(lines[i])
    if not match:
        return lines, ""
    rest = lines[i][match.end():]
    return lines[:i] + ([rest] if rest.strip() else []) + lines[i + 1:], match.group("date")


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?)?)?"
                       r"(?:Z|[+-]\d{2}:?\d{2})?$")


def normalize_date(raw: object) -> str:
    """A date given as metadata, as ISO ("2024-03-03", "2024-03-03T10:00", "2024-03", "2024");
    '' when it is none ("gisteren", 12345). Feeds and exports write dates in many ways: ISO with
    seconds and a time zone, "3 maart 2024", "Sun, 03 Mar 2024 10:00:00 GMT". The clock time is
    kept as written, not moved to another time zone."""
    text = " ".join(str(raw or "").split())
    if not text:
        return ""
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day, hour, minute = iso.groups()
        if month and not (1 <= int(month) <= 12) or day and not (1 <= int(day) <= 31):
            return ""
        return year + "".join(f"-{part}" for part in (month, day) if part) + (f"T{hour}:{minute}" if hour else "")
    dutch = P.DATE_LINE.match(text)
    if dutch and _dutch_date(dutch):  # "3 March 2024" matches too, with a month it does not know
        return _dutch_date(dutch)
    if not re.search(r"\b\d{4}\b", text) or not re.search(r"[A-Za-z]{3}|\d[/.-]\d", text):
        return ""  # no year, or a bare number
    return _parsed_date(text)


def _parsed_date(text: str) -> str:
    """ISO of a date dateutil reads ("Sun, 03 Mar 2024 10:00:00 GMT", "03/04/2024" day first, as
    Dutch writes it), to the precision written: dateutil fills a missing day or month in from
    a default, so two defaults are tried and only what both agree on is kept ("June 2024" ->
    "2024-06", not the day of the build)."""
    from datetime import datetime

    from dateutil import parser

    try:
        one, other = (parser.parse(text, dayfirst=True, default=datetime(*default))
                      for default in ((2000, 1, 1), (2001, 2, 2)))
    except (ValueError, OverflowError):
        return ""
    if one.year != other.year or one.month != other.month:
        return ""  # no year or month written
    if one.day != other.day:
        return one.strftime("%Y-%m")
    clock = re.search(r"\b\d{1,2}:\d{2}\b", text)
    return one.strftime("%Y-%m-%dT%H:%M" if clock else "%Y-%m-%d")


def _dutch_date(match: re.Match) -> str:
    """ISO of a DATE_LINE match (qa/lang/patterns.py) ("vrijdag, 12 september 2025 (02:46)"); '' for an unknown month."""
    month = P.MONTH_NUMBERS.get(match.group("month").lower())
    if not month:
        return ""
    date = f"{int(match.group('year')):04d}-{month:02d}-{int(match.group('day')):02d}"
    if match.group("hour"):
        date += f"T{int(match.group('hour')):02d}:{match.group('minute')}"
    return date


# A dateline that opens with the place: "Rotterdam, 4 maart 2025", "DEN HAAG, 3 juni 2024 - ANP".
_PLACE = re.compile(rf"^\s*(?!(?i:{P.ANY_WEEKDAY})\w*\.?,)"  # a weekday is no place
                    r"[A-ZÀ-Ý][\w'’.-]*(?: [A-Za-zÀ-ÿ][\w'’.-]*){0,3},\s+(?=\d)")




def _take_source_line(lines: list[str]) -> tuple[list[str], str]:
    """A "Bron: Het Parool" line among the first lines: the source, out of the body."""
    for i in _opening_lines(lines, 5):
        match = P.SOURCE_LINE.match(lines[i])
        if match:
            return lines[:i] + lines[i + 1:], match.group("source")
    return lines, ""


def _other_date_line(line: str) -> tuple[str, str]:
    """(date, source) of a line that is a date in another form, with a source after a dash or bar:
    "2024-03-12", "12-03-2024 - NOS", "March 3, 2024"; ('', '') for any other line. A bare year
    ("1984") is a title as often as a date."""
    parts = re.split(r"\s+[-–—|]\s+", line.strip(), maxsplit=1)
    when, source = parts[0], parts[1] if len(parts) > 1 else ""
    if len(when.split()) > 6 or len(source.split()) > 3:
        return "", ""
    date = normalize_date(when)
    month_known = len(date) >= len("2024-03")  # a bare year
    return (date, source) if month_known else ("", "")


def _take_date_line(lines: list[str]) -> tuple[list[str], str, str]:
    """A Dutch date line among the first lines: ``vrijdag, 12 september 2025 (02:46) - IEX.nl``.
    A dateline with a place stays in the body, which the place is part of."""
    for i in _opening_lines(lines, 4):
        line = lines[i]
        place = _PLACE.match(line)
        dateline = line[place.end():] if place else line
        match = P.DATE_LINE.match(dateline)
        date, source = (_dutch_date(match), match.group("source") or "") if match else ("", "")
        if not date:  # "12-03-2024 - NOS", "3 March 2024"
            date, source = _other_date_line(dateline)
        if not date:
            continue
        if not place:
            return lines[:i] + lines[i + 1:], date, source
        # "DEN HAAG, 3 juni 2024 - De Kamer stemde in.": after the dash a lead, not a source.
        if len(source.split()) > 3 or source.endswith("."):
            source = ""
        return lines, date, source
    return lines, "", ""


def _looks_like_heading(line: str, max_words: int = 20) -> bool:
    stripped = line.strip()
    return (
        0 < len(stripped.split()) <= max_words
        and not stripped.endswith((".", ",", ";"))
        and not P.BYLINE.match(stripped)
        and stripped.lower() not in P.BOILERPLATE_LINES
    )


def _take_title_line(lines: list[str]) -> tuple[list[str], str]:
    """The first line is the title when it reads like one (short, no closing full stop)."""
    i = _first_content_index(lines)
    if i is None or not _looks_like_heading(lines[i]):
        return lines, ""
    nxt = _first_content_index(lines, i + 1)
    if nxt is None:  # a one-line file is a body, not a title
        return lines, ""
    return lines[:i] + lines[i + 1:], lines[i].strip()


def _paragraphs(lines: list[str]) -> list[str]:
    content = "\n".join(lines).strip().split("\n")
    if len(content) > 1 and all(line.strip() for line in content) and not _hard_wrapped(content):
        # No blank lines at all: each line is a paragraph (common in exports).
        lines = [part for line in content for part in (line, "")]
    paragraphs, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraph = " ".join(current)
            current = []
            if paragraph.lower() not in P.BOILERPLATE_LINES:
                paragraphs.append(paragraph)
    return paragraphs


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines cut at a fixed width (most end mid-sentence) belong to one paragraph."""
    open_ended = sum(1 for line in lines if not line.rstrip().endswith((".", "!", "?", ":", '"', "”")))
    return len(lines) >= 3 and open_ended > 0.6 * len(lines) and sum(map(len, lines)) / len(lines) > 50


def _find_byline(paragraphs: list[str]) -> str:
    for paragraph in paragraphs[:4]:
        match = P.BYLINE.match(paragraph)
        if match:
            return paragraph
    return ""


def _title_from_body(paragraphs: list[str]) -> str:
    """No title line: the first heading inside the article, else its first words."""
    for paragraph in paragraphs[:12]:
        if _looks_like_heading(paragraph, max_words=14):
            return paragraph
    if paragraphs:
        words = paragraphs[0].split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")
    return ""
