"""Managing the corpus from the web page (qa/library.py): safe uploads, the trash, and the
index updated in the background."""

import shutil
from pathlib import Path

import pytest

from qa.config import Settings
from qa.library import Library, LibraryError, safe_file_name

ARTICLE = ("Gemeente Zwolle opent nieuwe fietsenstalling\n\nDe gemeente Zwolle opent op 3 maart een "
           "ondergrondse fietsenstalling bij het station. De stalling biedt plaats aan 5200 fietsen.\n")


@pytest.fixture()
def library(tmp_path) -> Library:
    (tmp_path / "corpus").mkdir()
    return Library(tmp_path / "corpus", tmp_path / "index", Settings(upload_max_bytes=2000))


def given(tmp_path: Path, name: str, content: bytes | str) -> tuple[str, Path]:
    """A file as the browser hands it over: the name the user gave, and where it was stored."""
    stored = tmp_path / "uploaded" / f"{len(list((tmp_path).glob('uploaded/*')))}.bin"
    stored.parent.mkdir(exist_ok=True)
    stored.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return name, stored


@pytest.mark.parametrize("name, safe", [
    ("../../x.txt", "x.txt"),
    ("/etc/cron.d/job.md", "job.md"),
    ("..\\..\\windows.html", "windows.html"),
    ("nieuws\u202etxt.exe.txt", "nieuwstxt-exe.txt"),  # a right-to-left override hides the real end
    ("ｂｅｒｉｃｈｔ.TXT", "bericht.txt"),  # full-width letters
    (".verborgen.md", "verborgen.md"),  # hidden files are no articles
    ("café nieuws (1).md", "café-nieuws-1.md"),
    ("README.md", "artikel-readme.md"),  # README files are left out of a corpus
    ("\x00\x07.txt", "artikel.txt"),
])
def test_names_are_made_safe(name, safe):
    assert safe_file_name(name) == safe


def test_a_long_name_keeps_its_extension():
    assert safe_file_name("x" * 300 + ".jsonl").endswith("x.jsonl") and len(safe_file_name("x" * 300 + ".jsonl")) == 100


def test_an_upload_is_saved_under_a_safe_name_inside_the_corpus(library, tmp_path):
    [result] = library.upload([given(tmp_path, "../../buiten.txt", ARTICLE)])
    assert (result.saved_as, result.problem, result.articles) == ("buiten.txt", "", 1)
    assert (library.corpus_dir / "buiten.txt").read_text(encoding="utf-8") == ARTICLE
    assert not (tmp_path / "buiten.txt").exists()
    assert [p.name for p in library.corpus_dir.iterdir()] == ["buiten.txt"]  # no staging left behind


def test_a_name_that_exists_is_kept_apart(library, tmp_path):
    (library.corpus_dir / "stalling.txt").write_text("Oud\n\nHet bestaande artikel blijft staan.\n", encoding="utf-8")
    first, second = library.upload([given(tmp_path, "stalling.txt", ARTICLE), given(tmp_path, "stalling.txt", ARTICLE)])
    assert (first.saved_as, second.saved_as) == ("stalling-2.txt", "stalling-3.txt")
    assert "bestaande" in (library.corpus_dir / "stalling.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, content, reason", [
    ("groot.txt", "x " * 2000, "groter dan de grens van 2 kB (QA_UPLOAD_MAX_BYTES)"),
    ("leeg.md", "", "empty file"),
    ("plaatje.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("leeg.html", "<html><body><script>var x = 1;</script></body></html>", "no article text"),
    ("kapot.jsonl", "{niet goed\n[1, 2]\n", "malformed JSON line"),
    ("verslag.pdf", "%PDF-1.4", "geen artikelbestand (.pdf)"),
])
def test_a_file_that_holds_no_article_is_refused_with_its_reason_and_the_others_are_kept(
        library, tmp_path, name, content, reason):
    refused, kept = library.upload([given(tmp_path, name, content), given(tmp_path, "goed.txt", ARTICLE)])
    assert refused.saved_as == "" and reason in refused.problem
    assert kept.saved_as == "goed.txt"
    assert sorted(p.name for p in library.corpus_dir.iterdir()) == ["goed.txt"]


def test_a_jsonl_file_with_some_broken_lines_is_kept_and_says_which(library, tmp_path):
    lines = '{"title": "A", "text": "De haven van Delfzijl krijgt twaalf nieuwe kranen."}\n{kapot\n'
    [result] = library.upload([given(tmp_path, "haven.jsonl", lines)])
    assert result.saved_as == "haven.jsonl" and result.articles == 1
    assert result.notes and "haven.jsonl:2: malformed JSON line" in result.notes[0]


def test_a_removed_file_goes_to_the_trash_beside_the_index_and_comes_back(library):
    (library.corpus_dir / "sub").mkdir()
    (library.corpus_dir / "sub" / "stalling.txt").write_text(ARTICLE, encoding="utf-8")
    assert library.remove("sub/stalling.txt") == "sub/stalling.txt"
    assert not (library.corpus_dir / "sub" / "stalling.txt").exists()
    assert library.trash_dir == library.index_dir.parent / "index-trash"
    assert library.trashed() == ["sub/stalling.txt"]
    (library.corpus_dir / "sub" / "stalling.txt").write_text("Nieuw\n\nEen ander artikel met die naam.\n",
                                                             encoding="utf-8")
    assert library.restore("sub/stalling.txt") == "sub/stalling-2.txt"  # the newer file stays
    assert library.trashed() == []
    assert (library.corpus_dir / "sub" / "stalling-2.txt").read_text(encoding="utf-8") == ARTICLE


def test_a_jsonl_record_is_removed_with_its_file(library):
    (library.corpus_dir / "feed.jsonl").write_text('{"text": "Een"}\n{"text": "Twee"}\n', encoding="utf-8")
    assert library.remove("feed.jsonl#2") == "feed.jsonl"


@pytest.mark.parametrize("path", ["../index/manifest.json", "/etc/passwd", "", "bestaat-niet.txt"])
def test_only_files_of_the_corpus_can_be_removed(library, tmp_path, path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "manifest.json").write_text("{}")
    with pytest.raises(LibraryError, match="geen bestand in de corpusmap"):
        library.remove(path)
    assert (tmp_path / "index" / "manifest.json").exists()


def test_only_files_of_the_trash_can_be_restored(library, tmp_path):
    (tmp_path / "elders.txt").write_text(ARTICLE)
    with pytest.raises(LibraryError, match="niet in de prullenbak"):
        library.restore("../elders.txt")


@pytest.mark.slow
def test_the_background_update_reports_progress_and_a_failure(library, sample_corpus, tmp_path):
    for path in sample_corpus.glob("*.txt"):
        shutil.copy(path, library.corpus_dir / path.name)
    seen = []
    library._progress = lambda done, total: seen.append((done, total))  # noqa: SLF001 - recording the calls
    status = library.start_build()
    assert status.running
    status = library.wait(600)
    assert not status.running and not status.failed and status.builds == 1
    assert "2 articles" in status.summary
    assert seen and seen[-1][0] == seen[-1][1] > 0
    for path in library.corpus_dir.iterdir():
        library.remove(path.name)
    status = library.start_build()
    status = library.wait(600)
    assert status.failed and "no readable articles" in status.summary and status.builds == 2


@pytest.mark.slow
def test_an_update_asked_during_one_follows_it(library, sample_corpus):
    for path in sample_corpus.glob("*.txt"):
        shutil.copy(path, library.corpus_dir / path.name)
    library.start_build()
    (library.corpus_dir / "stalling.txt").write_text(ARTICLE, encoding="utf-8")
    assert library.start_build().queued
    status = library.wait(600)
    assert not status.running and status.builds == 2 and not status.failed
    assert "3 articles" in status.summary
