"""Adding articles by web address or feed (``qa add``): fetch the page, take its text and
metadata (title, date, author, site) with trafilatura, and save it into the corpus as Markdown
with front matter, which ``qa build`` reads like any other article.

An RSS or Atom feed, by address or as a saved file, adds each of its items the corpus does not
hold yet (by address), so running it again brings in only the new ones. Every failure is one
line naming the address and the reason; a file is written whole or not at all, and never over
another.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import Settings
from .corpus import scan_corpus

PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")
USER_AGENT = "qa-news (adds articles to a local archive)"
NAME_CHARACTERS = 60  # of a saved file's name, before ".md"


class AddError(Exception):
    """Why one address was not added (one line)."""


@dataclass
class Added:
    """What became of one address: saved as ``path``, or not, for ``reason``."""

    url: str
    path: Path | None = None
    title: str = ""
    reason: str = ""


def add_articles(addresses: list[str], corpus: Path, settings: Settings | None = None) -> list[Added]:
    """Fetch each address (a page or a feed; a feed may also be a saved file) into ``corpus``."""
    settings = settings or Settings.from_env()
    corpus.mkdir(parents=True, exist_ok=True)
    known = {a.url for a in scan_corpus(corpus).articles if a.url}
    results: list[Added] = []
    for address in addresses:
        try:
            if Path(address).is_file():
                results += _add_feed(feed_items(Path(address).read_bytes()), corpus, known, settings)
                continue
            data, kind, final = fetch(address, settings)
            if kind == "feed":
                results += _add_feed(feed_items(data), corpus, known, settings)
            elif final in known or address in known:
                results.append(Added(address, reason="already in the corpus"))
            else:
                results.append(save_page(data, final, corpus))
                known.add(final)
        except AddError as err:
            results.append(Added(address, reason=str(err)))
    return results


def _add_feed(items: list[str], corpus: Path, known: set[str], settings: Settings) -> list[Added]:
    results = []
    for item in items:
        if item in known:
            continue  # added by an earlier run
        try:
            data, kind, final = fetch(item, settings)
            if kind != "page":
                raise AddError("a feed item that is a feed itself")
            results.append(save_page(data, final, corpus))
            known.update({item, final})
        except AddError as err:
            results.append(Added(item, reason=str(err)))
    return results


# --- fetching ------------------------------------------------------------------------------------

class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect within the site asked for; one to another site is refused, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if target.hostname != urllib.parse.urlsplit(req.full_url).hostname:
            raise AddError(f"redirected to another site ({target.hostname})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, settings: Settings) -> tuple[bytes, str, str]:
    """The body of ``url``, whether it is a "page" or a "feed", and the address it came from."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddError("not a web address (http:// or https://) nor a feed file")
    opener = urllib.request.build_opener(_SameSiteRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=settings.fetch_timeout) as response:
            kind = _kind(response.headers.get_content_type())
            data = response.read(settings.fetch_max_bytes + 1)
            final = response.geturl()
    except urllib.error.HTTPError as err:
        raise AddError(f"the server answered {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise AddError(f"no answer within {settings.fetch_timeout:g} s") from None
        raise AddError(f"cannot reach {parts.hostname} ({reason})") from None
    except TimeoutError:
        raise AddError(f"no answer within {settings.fetch_timeout:g} s") from None
    except OSError as err:  # a connection reset halfway
        raise AddError(f"the connection failed ({err})") from None
    if len(data) > settings.fetch_max_bytes:
        raise AddError(f"larger than {settings.fetch_max_bytes // 1_000_000} MB (QA_FETCH_MAX_BYTES)")
    if kind == "page" and _looks_like_feed(data):
        kind = "feed"  # feeds served as text/html exist
    return data, kind, final


def _kind(content_type: str) -> str:
    if content_type in PAGE_TYPES:
        return "page"
    if content_type in FEED_TYPES:
        return "feed"
    raise AddError(f"not a web page or a feed ({content_type})")


def _looks_like_feed(data: bytes) -> bool:
    return bool(re.match(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", data[:2000], re.S))


def feed_items(data: bytes) -> list[str]:
    """The item addresses of an RSS 2.0, RSS 1.0 or Atom feed, in its order."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        raise AddError(f"not a readable feed ({err})") from None
    links = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("item", "entry"):
            for child in element:
                if child.tag.rsplit("}", 1)[-1] != "link":
                    continue
                link = (child.get("href") if child.get("rel", "alternate") == "alternate" else None) or (child.text or "")
                if link.strip():
                    links.append(link.strip())
                    break
    if not links and root.tag.rsplit("}", 1)[-1] not in ("rss", "feed", "RDF"):
        raise AddError("not an RSS or Atom feed")
    return list(dict.fromkeys(links))


# --- saving --------------------------------------------------------------------------------------

def save_page(html: bytes, url: str, corpus: Path) -> Added:
    """Save the article in ``html`` as Markdown with front matter; AddError when it holds none."""
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    text = (document.text or "").strip() if document else ""
    if not text:
        raise AddError("no article text in the page")
    title = " ".join((document.title or "").split()) or text.splitlines()[0][:120]
    lines = text.splitlines()
    if lines and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    body = "\n\n".join(line.strip() for line in lines if line.strip())
    if not body:
        raise AddError("no article text in the page")
    meta = {"title": title, "date": document.date or "", "source": document.sitename or document.hostname or "",
            "byline": document.author or "", "url": url}
    page = "---\n" + yaml.safe_dump({k: v for k, v in meta.items() if v}, allow_unicode=True, sort_keys=False) + "---\n\n"
    return Added(url, _write_new(corpus, _file_name(title), page + body + "\n"), title)


def _file_name(title: str) -> str:
    """A safe, readable file name from a headline: ASCII letters, digits and dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:NAME_CHARACTERS].strip("-")
    return slug or "artikel"


def _write_new(folder: Path, name: str, text: str) -> Path:
    """Write ``name``.md whole, under a new name if that one is taken (never over a file)."""
    handle, staging = tempfile.mkstemp(prefix=".adding-", suffix=".md", dir=folder)  # hidden: no build reads it
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        for number in range(1, 1000):
            target = folder / (f"{name}.md" if number == 1 else f"{name}-{number}.md")
            try:
                os.link(staging, target)  # fails if the name exists: nothing is overwritten
                return target
            except FileExistsError:
                continue
        raise AddError(f"too many files named {name}-*.md")
    finally:
        os.unlink(staging)
