"""`qa add`: pages and feeds from a local HTTP server on 127.0.0.1 (no test needs the internet)."""

import http.server
import threading
import time
from pathlib import Path

import pytest

from qa.adding import AddError, add_articles, feed_items
from qa.config import Settings
from qa.corpus import scan_corpus

ARTICLE = """<html><head><title>Brug dicht | Stadsblad</title>
<meta property="og:site_name" content="Stadsblad"><meta name="author" content="Jan Jansen">
<meta property="article:published_time" content="2024-03-05T10:00:00"></head>
<body><nav>Home | Nieuws | Sport</nav><article><h1>Brug over de IJssel twee weken dicht</h1>
<p>De brug over de IJssel bij Zwolle gaat vanaf maandag twee weken dicht voor onderhoud. Dat meldt de gemeente.</p>
<p>Fietsers kunnen omrijden via de Hanzeboog. Het onderhoud kost 1,2 miljoen euro en wordt betaald door de provincie.</p>
</article><footer>© Stadsblad</footer></body></html>"""
SECOND = ARTICLE.replace("Brug over de IJssel twee weken dicht", "Nieuwe veerpont vaart vanaf april").replace(
    "De brug over de IJssel", "Een nieuwe veerpont tussen Zwolle en Hattem vaart vanaf april; de brug")
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Stadsblad</title>
<item><title>Brug dicht</title><link>{base}/artikel.html</link></item>
<item><title>Veerpont</title><link>{base}/veerpont.html</link></item>
</channel></rss>"""


class Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {
            "/artikel.html": (200, "text/html; charset=utf-8", ARTICLE),
            "/veerpont.html": (200, "text/html; charset=utf-8", SECOND),
            "/feed.xml": (200, "application/rss+xml", FEED.format(base=base)),
            "/rapport.pdf": (200, "application/pdf", "%PDF-1.4"),
            "/leeg.html": (200, "text/html", "<html><body><nav>Home</nav></body></html>"),
        }
        if self.path == "/weg":
            self.send_response(302)
            self.send_header("Location", "http://elders.invalid/artikel.html")
            self.end_headers()
            return
        if self.path == "/traag.html":
            time.sleep(2)
        status, kind, body = routes.get(self.path, (404, "text/html", "weg"))
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the client that gave up on /traag.html
        pass


@pytest.fixture(scope="module")
def site():
    server = QuietServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_page_is_saved_with_its_metadata_and_read_by_the_corpus(site, tmp_path):
    added = add_articles([f"{site}/artikel.html"], tmp_path)
    assert [a.reason for a in added] == [""] and added[0].path == tmp_path / "brug-over-de-ijssel-twee-weken-dicht.md"
    [article] = scan_corpus(tmp_path).articles
    assert article.title == "Brug over de IJssel twee weken dicht"
    assert (article.date, article.source, article.byline) == ("2024-03-05", "Stadsblad", "Jan Jansen")
    assert article.url == f"{site}/artikel.html"
    assert "1,2 miljoen euro" in article.body and "Home | Nieuws" not in article.body
    again = add_articles([f"{site}/artikel.html"], tmp_path)
    assert again[0].reason == "already in the corpus" and len(list(tmp_path.glob("*.md"))) == 1


def test_a_feed_adds_only_the_items_not_there_yet(site, tmp_path):
    add_articles([f"{site}/artikel.html"], tmp_path)
    first = add_articles([f"{site}/feed.xml"], tmp_path)
    assert [a.title for a in first] == ["Nieuwe veerpont vaart vanaf april"]
    assert add_articles([f"{site}/feed.xml"], tmp_path) == []  # run again: nothing new
    saved = tmp_path / "feed.xml"
    saved.write_text(FEED.format(base=site), encoding="utf-8")
    other = tmp_path / "other"
    assert {a.title for a in add_articles([str(saved)], other)} == {
        "Brug over de IJssel twee weken dicht", "Nieuwe veerpont vaart vanaf april"}


def test_a_name_that_exists_is_kept_apart_never_overwritten(site, tmp_path):
    taken = tmp_path / "brug-over-de-ijssel-twee-weken-dicht.md"
    taken.write_text("Mijn eigen notitie\n\nniet overschrijven", encoding="utf-8")
    [added] = add_articles([f"{site}/artikel.html"], tmp_path)
    assert added.path == tmp_path / "brug-over-de-ijssel-twee-weken-dicht-2.md"
    assert taken.read_text(encoding="utf-8").endswith("niet overschrijven")


def test_each_failure_is_one_line_and_writes_nothing(site, tmp_path):
    settings = Settings(fetch_timeout=0.5)
    addresses = [f"{site}/rapport.pdf", f"{site}/weg", f"{site}/traag.html", f"{site}/ontbreekt.html",
                 f"{site}/leeg.html", "http://127.0.0.1:9/", "ftp://example.org/x", "geen-adres"]
    reasons = [a.reason for a in add_articles(addresses, tmp_path, settings)]
    assert reasons == [
        "not a web page or a feed (application/pdf)",
        "redirected to another site (elders.invalid)",
        "no answer within 0.5 s",
        "the server answered 404 Not Found",
        "no article text in the page",
        reasons[5],
        "not a web address (http:// or https://) nor a feed file",
        "not a web address (http:// or https://) nor a feed file",
    ]
    assert reasons[5].startswith("cannot reach 127.0.0.1 (") and all("\n" not in r for r in reasons)
    assert [p.name for p in tmp_path.iterdir()] == []  # no file, not even a half-written one


def test_a_broken_feed_file_is_a_reason():
    with pytest.raises(AddError, match="not a readable feed"):
        feed_items(b"<rss><channel><item>")


@pytest.mark.slow
def test_qa_add_saves_builds_and_the_article_answers(site, tmp_path):
    import json
    import subprocess
    import sys

    def qa(*args):
        return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, timeout=300)

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    added = qa("add", f"{site}/feed.xml", f"{site}/rapport.pdf", "--corpus", str(corpus), "--index", str(index),
               "--quiet")
    assert added.returncode == 2  # one address failed; the others were added and built
    assert added.stdout.count("\nadded /") + added.stdout.startswith("added /") == 2 and "2 articles" in added.stdout
    assert added.stderr.strip() == f"not added {site}/rapport.pdf: not a web page or a feed (application/pdf)"
    asked = qa("ask", "Hoeveel kost het onderhoud aan de brug over de IJssel?", "--index", str(index), "--json")
    data = json.loads(asked.stdout)
    assert "1,2 miljoen euro" in data["answer"] and data["sources"][0]["source"] == "Stadsblad"
    again = qa("add", f"{site}/feed.xml", "--corpus", str(corpus), "--index", str(index))
    assert again.returncode == 0 and again.stdout.strip() == "nothing new"
    # Saving without a build needs no index: not even a database that cannot be reached.
    saved_only = qa("add", f"{site}/feed.xml", "--corpus", str(tmp_path / "other"), "--no-build",
                    "--index", "postgresql://qa@127.0.0.1:1/none")
    assert saved_only.returncode == 0 and saved_only.stdout.count("added ") == 2, saved_only.stderr
