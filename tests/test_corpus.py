import json
import os
from pathlib import Path

import pytest

from qa.corpus import CorpusError, decode_bytes, scan_corpus, SkipFile
from conftest import SAMPLE_CORPUS


def articles_by_id(folder):
    return {a.id: a for a in scan_corpus(folder).articles}


def test_seed_with_date_header_glued_to_first_paragraph():
    article = articles_by_id(SAMPLE_CORPUS)["musk-bod-openai"]
    assert article.date == "2025-02"
    assert not article.body.lstrip().startswith("date")
    assert article.body.startswith("Het bod komt op een moment dat OpenAI")
    # No title line: the first heading of the article names it, not the byline.
    assert article.title == "Elon Musk versus OpenAI: een machtsstrijd in de AI-wereld"
    assert article.byline == "Techredacteur Sam Verbeek"
    assert article.body.rstrip().endswith("doet gniffelen.")


def test_seed_with_dutch_date_line_and_source():
    article = articles_by_id(SAMPLE_CORPUS)["microsoft-openai-deal"]
    assert article.title == "Microsoft en OpenAI sluiten niet-bindende deal voor mogelijke herstructurering OpenAI"
    assert article.date == "2025-09-12T02:46"
    assert article.source == "IEX.nl"
    assert "IEX.nl" not in article.body
    assert "vrijdag" not in article.body
    assert "In dit artikel" not in article.body
    assert article.title not in article.body
    assert article.body.startswith("Microsoft en OpenAI kondigden donderdag")


@pytest.mark.parametrize("dateline, date, source", [
    ("Rotterdam, 4 maart 2025", "2025-03-04", ""),
    ("DEN HAAG, 3 juni 2024 - ANP", "2024-06-03", "ANP"),
    ("Den Haag, 3 juni 2024 - De Kamer stemde in met de motie.", "2024-06-03", ""),
])
def test_a_dateline_with_its_place_gives_the_date_and_stays_in_the_body(tmp_path, dateline, date, source):
    (tmp_path / "haven.txt").write_text(
        f"Haven verwerkt recordaantal containers\n\n{dateline}\n\nDe haven verwerkte vorig jaar 14,5 miljoen "
        "containers, een record.\n", encoding="utf-8")
    article = articles_by_id(tmp_path)["haven"]
    assert (article.title, article.date, article.source) == ("Haven verwerkt recordaantal containers", date, source)
    assert article.body.startswith(dateline.split(",")[0] + ",") and "14,5 miljoen" in article.body


@pytest.mark.parametrize("lines, date, source", [
    ("2024-03-12", "2024-03-12", ""),
    ("12-03-2024 - NOS", "2024-03-12", "NOS"),  # day first, as Dutch writes it
    ("March 3, 2024", "2024-03-03", ""),
    ("3 maart 2024\n\nBron: Het Parool", "2024-03-03", "Het Parool"),
    ("3 maart 2024\n\nBron: NU.nl", "2024-03-03", "NU.nl"),
    ("3 March 2024", "2024-03-03", ""),
    ("Sun, 03 Mar 2024 - NOS", "2024-03-03", "NOS"),  # a weekday is no place: the line goes
    ("Vrijdag, 12 september 2025 (02:46) - IEX.nl", "2025-09-12T02:46", "IEX.nl"),
    ("1984", "", ""),  # a bare year is as often a title: kept
])
def test_date_and_source_lines_in_other_forms(tmp_path, lines, date, source):
    (tmp_path / "a.txt").write_text(f"Haven verwerkt recordaantal containers\n\n{lines}\n\nDe haven verwerkte "
                                    "vorig jaar 14,5 miljoen containers.\n", encoding="utf-8")
    article = articles_by_id(tmp_path)["a"]
    assert (article.date, article.source) == (date, source)
    assert article.body.startswith("1984" if lines == "1984" else "De haven verwerkte")


def test_a_first_paragraph_that_opens_with_a_place_and_a_date_is_no_dateline(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Titel van het stuk\n\nAmsterdam, 4 maart 2025 was de dag waarop de gemeenteraad na lang vergaderen "
        "eindelijk besloot om de nieuwe brug over het IJ toch te gaan bouwen.\n", encoding="utf-8")
    assert articles_by_id(tmp_path)["a"].date == ""


def test_markdown_front_matter(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Kabinet valt\ndate: 2024-06-01\nsource: NOS\nurl: https://example.org/a\n---\n"
        "# Kabinet valt\n\nHet kabinet is gevallen na een ruzie over asiel.\n", encoding="utf-8")
    article = articles_by_id(tmp_path)["a"]
    assert (article.title, article.date, article.source, article.url) == (
        "Kabinet valt", "2024-06-01", "NOS", "https://example.org/a")
    assert "---" not in article.body and "#" not in article.body
    assert "gevallen" in article.body


def test_a_broken_front_matter_skips_the_file_with_the_reason(tmp_path):
    # Indexed as text, the YAML once became the title ("---") and the first lines of the article.
    body = "Het kabinet is gevallen na een ruzie over asiel.\n"
    (tmp_path / "yaml.md").write_text(f"---\ntitle: Kabinet valt\ndate: 1 juni: 2025\n---\n{body}", encoding="utf-8")
    (tmp_path / "open.md").write_text(f"---\ntitle: Kabinet valt\n\n{body}", encoding="utf-8")
    (tmp_path / "leeg.md").write_text(f"---\n---\n# Kabinet valt\n\n{body}", encoding="utf-8")
    (tmp_path / "pandoc.md").write_text(f"---\ntitle: Kabinet valt\n...\n{body}", encoding="utf-8")
    # A horizontal rule first is Markdown, not front matter: the article is read, without the rule.
    (tmp_path / "lijn.md").write_text(f"---\n\n# Kabinet valt\n\n{body}\n---\n\nMeer tekst.\n", encoding="utf-8")
    scan = scan_corpus(tmp_path)
    titles = {a.id: a.title for a in scan.articles}
    assert titles == {"leeg": "Kabinet valt", "pandoc": "Kabinet valt", "lijn": "Kabinet valt"}
    reasons = dict(scan.skipped)
    assert reasons["yaml.md"].startswith("front matter is not valid YAML (line 3)")  # the line of "date"
    assert reasons["open.md"] == "front matter has no closing '---' line"


def test_html_keeps_text_and_drops_scripts_styles_navigation(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Brug dicht</title><style>p{color:red}</style>"
        "<script>var secret='tracker';</script></head><body><nav><a href='/'>Home</a> | Sport</nav>"
        "<article><h1>Brug dicht</h1><p>De brug over de Waal blijft tot maandag dicht voor onderhoud aan het wegdek.</p>"
        "<p>Automobilisten moeten omrijden via Nijmegen, meldt Rijkswaterstaat in een verklaring.</p></article>"
        "<footer>Cookie-instellingen</footer></body></html>", encoding="utf-8")
    article = articles_by_id(tmp_path)["page"]
    assert "Waal" in article.body and "omrijden" in article.body
    assert "tracker" not in article.body and "color" not in article.body
    assert article.title == "Brug dicht"


def test_an_html_fragment_is_read_and_an_html_file_without_text_is_skipped_with_the_reason(tmp_path):
    # "<p>...</p>" alone was skipped as "no article text found".
    (tmp_path / "kort.html").write_text("<p>De nieuwe fietsbrug in Zwolle is vandaag geopend door de burgemeester. "
                                        "Hij kostte 12 miljoen euro.</p>\n", encoding="utf-8")
    (tmp_path / "leeg.html").write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    scan = scan_corpus(tmp_path)
    assert [a.id for a in scan.articles] == ["kort"]
    assert "12 miljoen euro" in scan.articles[0].body
    assert dict(scan.skipped)["leeg.html"] == "no article text found in HTML"


def test_an_html_page_takes_its_date_from_its_metadata_never_from_its_text(tmp_path):
    page = ("<html><head><title>Thaise jongeren</title>{meta}</head><body><h1>Thaise jongeren</h1><p>De Thaise "
            "jongeren herdenken koning Bhumibol, die in 2016 overleed, met een stille tocht door Bangkok.</p>"
            "<p>Duizenden mensen liepen mee.</p></body></html>")
    (tmp_path / "bare.html").write_text(page.format(meta=""), encoding="utf-8")
    (tmp_path / "dated.html").write_text(page.format(
        meta='<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">'), encoding="utf-8")
    articles = articles_by_id(tmp_path)
    assert articles["bare"].date == ""  # it was 2016-01-01, from "die in 2016 overleed"
    assert articles["dated"].date == "2024-03-05"


@pytest.mark.parametrize("line", ["Door Piet de Vries", "By John Smith", "door Piet de Vries",
                                  "Van onze correspondent Jan Jansen", "redacteur Jan Jansen"])
def test_a_byline_is_found_whichever_case_its_first_word_has(tmp_path, line):
    (tmp_path / "p.txt").write_text(f"Gemeente verhoogt parkeertarief\n\n{line}\n\nDe gemeente verhoogt het "
                                    "tarief naar 7,50 euro per uur.\n", encoding="utf-8")
    assert articles_by_id(tmp_path)["p"].byline == line


def test_a_headline_that_reads_like_a_byline_is_the_title_only(tmp_path):
    (tmp_path / "p.txt").write_text("Door Rood Licht\n\nDe gemeente zet de lichten op rood.\n", encoding="utf-8")
    article = articles_by_id(tmp_path)["p"]
    assert (article.title, article.byline) == ("Door Rood Licht", "")


@pytest.mark.parametrize("written, iso", [
    ("June 2024", "2024-06"),  # was 2024-06-01, or the day of the build: dateutil fills in today's parts
    ("3 March 2024", "2024-03-03"), ("Sun, 03 Mar 2024 10:00:00 GMT", "2024-03-03T10:00"), ("Sun 2024", ""),
])
def test_a_date_keeps_the_precision_it_is_written_with(written, iso):
    from qa.corpus import normalize_date

    assert normalize_date(written) == iso


def test_jsonl_text_written_as_html_is_read_as_text(tmp_path):
    # Kept raw, "Financi&euml;n" matched no question's "Financiën" and the tags were quoted.
    record = {"id": "h1", "title": "Begroting", "text": "<p>De minister van Financi&euml;n zei:</p><p>Het tekort "
              "<b>groeit</b> &amp; de schuld ook.<br>Volgend jaar meer.</p><script>alert(1)</script>"}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    body = articles_by_id(tmp_path)["h1"].body
    # Blocks are paragraphs; a <br> is a line break, folded into its paragraph as in a text file.
    assert body == "De minister van Financiën zei:\n\nHet tekort groeit & de schuld ook. Volgend jaar meer."


def test_jsonl_takes_the_author_and_date_fields_feeds_use(tmp_path):
    record = {"id": "d1", "title": "Parkeertarief omhoog", "text": "De gemeente verhoogt het tarief.",
              "author": "Karin Bakker", "pubDate": "Tue, 05 Mar 2024 08:00:00 +0100"}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    article = articles_by_id(tmp_path)["d1"]
    assert (article.byline, article.date) == ("Karin Bakker", "2024-03-05T08:00")


def test_jsonl_bad_line_is_reported_and_the_rest_loads(tmp_path):
    lines = [
        json.dumps({"id": "n1", "title": "Een", "text": "Eerste artikel over de gemeenteraad.", "source": "NOS"}),
        "{this is not json",
        json.dumps({"id": "n2", "title": "Twee", "text": "Tweede artikel over het weer.", "date": "2021-03-04"}),
        json.dumps({"id": "n3", "title": "Leeg"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    scan = scan_corpus(tmp_path)
    assert [a.id for a in scan.articles] == ["n1", "n2"]
    assert scan.articles[0].source == "NOS" and scan.articles[1].date == "2021-03-04"
    reasons = dict(scan.skipped)
    assert "malformed JSON" in reasons["feed.jsonl:2"]
    assert "feed.jsonl:4" in reasons


@pytest.mark.parametrize("given, stored", [
    ("2024-06-01T10:15:00+02:00", "2024-06-01T10:15"),  # the clock as written, not moved
    ("Sun, 03 Mar 2024 10:00:00 GMT", "2024-03-03T10:00"),  # RSS
    ("3 maart 2024", "2024-03-03"), ("03/04/2024", "2024-04-03"),  # day first, as Dutch writes it
    ("2024-06", "2024-06"), ("2024", "2024"),
    ("gisteren", ""), (12345, ""), ("2024-13-01", ""), ("3 maart", ""),  # no date: left out
])
def test_dates_given_as_metadata_are_stored_as_iso(tmp_path, given, stored):
    # They were stored as given: "gisteren" then showed as the article's date and sorted among them.
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "a", "title": "Haven", "date": given,
                                                     "text": "De haven van Rotterdam groeide."}) + "\n")
    (tmp_path / "b.md").write_text(f"---\ntitle: Brug\ndate: {json.dumps(given)}\n---\nDe brug is klaar.\n")
    scan = scan_corpus(tmp_path)
    assert [a.date for a in scan.articles] == [stored, stored]
    # One left out is said in the build report, not dropped unseen.
    notes = dict(scan.notes)
    assert (notes == {}) if stored else (notes["b.md"] == notes["feed.jsonl#1"] == f"date {str(given)!r} is no date; left out")


def test_cp1252_accents_survive(tmp_path):
    (tmp_path / "oud.txt").write_bytes("Café in Zeeuws-Vlaanderen\n\nDe eigenaar van het café zegt: ‘Het ging één keer mis.’\n".encode("cp1252"))
    article = articles_by_id(tmp_path)["oud"]
    assert article.title == "Café in Zeeuws-Vlaanderen"
    assert "één" in article.body and "‘" in article.body


def test_bad_files_are_skipped_or_ignored_with_reasons(tmp_path):
    (tmp_path / "goed.txt").write_text("Titel\n\nEen gewone zin over het nieuws van vandaag.\n", encoding="utf-8")
    (tmp_path / "leeg.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "plaatje.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("Geheim\n\nDit staat buiten het corpus.\n", encoding="utf-8")
    os.symlink(outside, tmp_path / "link.txt")
    scan = scan_corpus(tmp_path)
    assert [a.id for a in scan.articles] == ["goed"]
    skipped, ignored = dict(scan.skipped), dict(scan.ignored)
    assert skipped["leeg.txt"] == "empty file"
    assert "binary" in skipped["plaatje.txt"]
    assert "unknown file type" in ignored["data.csv"]
    assert "outside" in ignored["link.txt"]


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    (tmp_path / "dicht.txt").write_text("Titel\n\nTekst over de raad.\n", encoding="utf-8")
    (tmp_path / "open.txt").write_text("Titel\n\nTekst over de markt.\n", encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(self):  # chmod 000 does not stop root, so refuse the read here
        if self.name == "dicht.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    scan = scan_corpus(tmp_path)
    assert [a.id for a in scan.articles] == ["open"]
    assert dict(scan.skipped)["dicht.txt"] == "unreadable: Permission denied"


def test_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        scan_corpus(tmp_path / "nope")


def test_decode_refuses_binary_and_empty():
    with pytest.raises(SkipFile):
        decode_bytes(b"")
    with pytest.raises(SkipFile):
        decode_bytes(b"abc\x00def")
    assert decode_bytes("één".encode("utf-8")) == "één"


def test_utf16_and_stray_cp1252_bytes_decode(tmp_path):
    (tmp_path / "utf16.txt").write_bytes("Titel\n\nDe café bleef één dag dicht.\n".encode("utf-16"))
    (tmp_path / "mixed.txt").write_bytes("Titel\n\nHet café in Zürich".encode("utf-8") + b" sloot \x96 helaas \xe9\xe9n dag.\n")
    articles = articles_by_id(tmp_path)
    assert "café bleef één dag" in articles["utf16"].body
    assert "Het café in Zürich sloot – helaas één dag." in articles["mixed"].body


def test_jsonl_records_without_id_keep_their_id_when_lines_move(tmp_path):
    records = [{"title": "A", "text": "Tekst over de haven."}, {"title": "B", "text": "Tekst over de school."}]
    (tmp_path / "f.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    first = {a.title: a.id for a in scan_corpus(tmp_path).articles}
    (tmp_path / "f.jsonl").write_text("\n".join(json.dumps(r) for r in reversed(records)))
    assert {a.title: a.id for a in scan_corpus(tmp_path).articles} == first
    assert len(set(first.values())) == 2


def test_hard_wrapped_text_is_one_paragraph(tmp_path):
    text = ("Titel\n\nDe gemeenteraad heeft dinsdagavond na een lange vergadering besloten\n"
            "om de nieuwe brug over de rivier toch te bouwen, ondanks de bezwaren van\n"
            "omwonenden en de hoge kosten die de provincie eerder had genoemd.\n")
    (tmp_path / "wrapped.txt").write_text(text)
    body = articles_by_id(tmp_path)["wrapped"].body
    assert "\n\n" not in body and body.startswith("De gemeenteraad") and body.endswith("genoemd.")


def test_a_fifo_never_blocks_the_scan(tmp_path):
    os.mkfifo(tmp_path / "pijp.txt")
    (tmp_path / "goed.txt").write_text("Titel\n\nGewone tekst over het nieuws.\n")
    scan = scan_corpus(tmp_path)
    assert [a.id for a in scan.articles] == ["goed"]
    assert dict(scan.ignored)["pijp.txt"] == "not a regular file"
