"""The Artikelen tab end to end: a real server on a corpus of its own, headless Chromium for
the tab, gradio_client for its endpoints and for questions asked while the index updates."""

import shutil
import threading
import time
from pathlib import Path

import pytest

from test_web import ARTIFACTS, ask, browser, start_server  # noqa: F401 - browser is a fixture

pytestmark = pytest.mark.slow

ZWOLLE = ("Zwolle opent fietsenstalling onder het station\n\nDe gemeente Zwolle opent op 3 maart een "
          "ondergrondse fietsenstalling onder het station. De stalling biedt plaats aan 5200 fietsen en "
          "kostte 31 miljoen euro.\n")
DELFZIJL = ("Haven Delfzijl krijgt twaalf kranen\n\nHet havenbedrijf Groningen Seaports plaatst in de haven "
            "van Delfzijl twaalf nieuwe elektrische kranen. Ze vervangen de dieselkranen uit 1985.\n")


@pytest.fixture(scope="module")
def site(sample_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles-tab")
    corpus = folder / "corpus"
    shutil.copytree(sample_corpus, corpus)
    process, url = start_server(folder, corpus)
    yield {"url": url, "folder": folder, "corpus": corpus}
    process.terminate()
    process.wait(timeout=20)


def upload_files(folder: Path) -> list[Path]:
    files = []
    for name, text in (("zwolle.txt", ZWOLLE), ("delfzijl.txt", DELFZIJL)):
        path = folder / "te-uploaden" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def update_index(page) -> str:
    """Click the update and wait for its own result. The status shows the last one till then,
    with Gradio's progress around it while the build runs ("0.0s", "processing | 0.3/2.1s"): the
    text differs then too, but its result line is the old one."""
    status = page.locator("#qa-build-status")
    before = status.inner_text()
    page.locator("#qa-rebuild").click()
    page.wait_for_function(
        """before => {
            const result = text => (text.match(/(Index bijgewerkt|mislukt)[^\\n]*/) || [''])[0];
            const now = result(document.querySelector('#qa-build-status').innerText);
            return now !== '' && now !== result(before);
        }""", arg=before, timeout=300_000)
    return status.inner_text()


def choose(page, selector: str, option: str) -> None:
    page.locator(f"{selector} input").click()
    page.get_by_role("option", name=option).click()


def test_the_tab_lists_the_newest_articles_and_a_search_finds_the_others(sample_corpus, sample_index, monkeypatch):
    # It listed every article of the index in the page, and every file in the remove selector.
    import qa
    from qa import web_articles
    from qa.library import Library
    from qa.web_articles import files_of

    monkeypatch.setattr(web_articles, "ARTICLES_SHOWN", 1)
    tab = web_articles.ArticlesTab(Library(sample_corpus, sample_index), qa.Retriever.load(sample_index, load_model=False))
    assert [row[3] for row in tab.rows()] == ["microsoft-openai-deal.txt"] and files_of(tab.rows()) == ["microsoft-openai-deal.txt"]
    assert files_of(tab.rows("musk")) == ["musk-bod-openai.txt"]
    assert "**2 artikelen**" in tab.summary() and "de nieuwste 1 staan in de lijst" in tab.summary()
    assert "de nieuwste 1 met “openai” staan" in tab.summary("openai")
    assert files_of(tab.rows("BOD-OPENAI.txt")) == ["musk-bod-openai.txt"]  # by its file, whatever its title
    assert "in de lijst" not in tab.summary("zwembad")  # none found: the list holds all there are
    assert len(tab.rows(every=True)) == len(tab.api_articles()) == 2


def test_articles_are_uploaded_removed_and_restored_in_the_browser(site, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(site["url"])
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    question = "Hoeveel fietsen passen in de stalling in Zwolle?"
    assert "5200" not in ask(page, question, 1)

    page.get_by_role("tab", name="Artikelen").click()
    articles = page.locator("#qa-articles")
    articles.wait_for(timeout=30_000)
    assert "Elon Musk versus OpenAI" in articles.inner_text()
    page.locator("#qa-upload input[type=file]").set_input_files([str(p) for p in upload_files(site["folder"])])
    page.locator("#qa-upload-button").click()
    message = page.locator("#qa-library-message")
    page.wait_for_function("() => document.querySelector('#qa-library-message').innerText.includes('delfzijl.txt')",
                           timeout=60_000)
    assert "zwolle.txt" in message.inner_text() and "Geweigerd" not in message.inner_text()
    assert (site["corpus"] / "zwolle.txt").read_text(encoding="utf-8") == ZWOLLE
    assert "4 articles" in update_index(page)
    page.wait_for_function("() => document.querySelector('#qa-articles').innerText.includes('Haven Delfzijl')",
                           timeout=30_000)
    assert "4 artikelen" in page.locator("body").inner_text()  # the header counts the new ones
    page.locator("#qa-article-search textarea").fill("delfzijl")
    page.wait_for_function("() => !document.querySelector('#qa-articles').innerText.includes('Elon Musk')",
                           timeout=30_000)
    assert "Haven Delfzijl" in articles.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "articles.png"), full_page=True)

    page.get_by_role("tab", name="Vragen").click()
    answer = ask(page, question, 2)
    assert "5200 fietsen" in answer and "Zwolle opent fietsenstalling" in answer

    page.get_by_role("tab", name="Artikelen").click()
    # The remove selector offers the files of the articles listed: those the search finds.
    page.locator("#qa-article-search textarea").fill("zwolle")
    page.wait_for_function("() => !document.querySelector('#qa-articles').innerText.includes('Haven Delfzijl')",
                           timeout=30_000)
    choose(page, "#qa-remove-file", "zwolle.txt")
    page.locator("#qa-remove").click()
    page.wait_for_function("() => document.querySelector('#qa-library-message').innerText.includes('prullenbak')",
                           timeout=30_000)
    assert not (site["corpus"] / "zwolle.txt").exists()
    assert "removed 1" in update_index(page)
    page.get_by_role("tab", name="Vragen").click()
    assert "Zwolle opent fietsenstalling" not in ask(page, question, 3)

    page.get_by_role("tab", name="Artikelen").click()
    choose(page, "#qa-trash-file", "zwolle.txt")
    page.locator("#qa-restore").click()
    page.wait_for_function("() => document.querySelector('#qa-library-message').innerText.includes('weer in')",
                           timeout=30_000)
    assert "added 1" in update_index(page)
    page.screenshot(path=str(ARTIFACTS / "articles-restored.png"), full_page=True)
    page.get_by_role("tab", name="Vragen").click()
    assert "5200 fietsen" in ask(page, question, 4)


def test_questions_asked_while_the_index_updates_are_all_answered(site, tmp_path):
    """20 questions during a build that adds 40 articles: no error, and every answer cites an
    article of the old index or of the new one, whole."""
    from gradio_client import Client, handle_file

    client = Client(site["url"], verbose=False)
    batch = []
    for i in range(40):
        path = tmp_path / f"bericht-{i:02d}.txt"
        path.write_text(f"Gemeenteraad {i} besluit\n\nDe gemeenteraad van dorp {i} besloot op dinsdag om "
                        f"{i * 10 + 7} nieuwe woningen te bouwen aan de rand van het dorp. " * 3 + "\n",
                        encoding="utf-8")
        batch.append(handle_file(str(path)))
    assert all(r["saved_as"] for r in client.predict(batch, api_name="/upload"))
    before = {a["title"] for a in client.predict(api_name="/articles")}
    job = client.submit(api_name="/rebuild")
    answers, errors = [], []

    def ask_one(question: str) -> None:
        try:
            client = Client(site["url"], verbose=False)
            answers.append(client.predict(question, api_name="/chat"))
        except Exception as err:  # counted, not raised in the thread
            errors.append(repr(err))

    questions = ["Hoeveel investeerde Microsoft in 2019 in OpenAI?", "Hoeveel woningen bouwt dorp 7?",
                 "Wie leidt OpenAI?", "Wat bood Musk voor OpenAI?"] * 5
    threads = []
    for question in questions:
        threads.append(threading.Thread(target=ask_one, args=(question,)))
        threads[-1].start()
        time.sleep(0.3)
    for thread in threads:
        thread.join(300)
    summary = job.result(timeout=600)
    assert "Index bijgewerkt" in summary
    after = {a["title"] for a in client.predict(api_name="/articles")}
    assert errors == [] and len(answers) == 20
    assert len(after) == len(before) + 40
    for answer in answers:
        cited = [line.split("*")[1] for line in answer.splitlines() if line.startswith("[") and "*" in line]
        assert set(cited) <= after, answer


def test_read_only_shows_no_tab_and_no_endpoints_for_it(sample_corpus, tmp_path):
    from gradio_client import Client

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    process, url = start_server(tmp_path, corpus, "--read-only")
    try:
        client = Client(url, verbose=False)
        endpoints = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
        assert {"/chat", "/search"} <= endpoints
        assert not endpoints & {"/articles", "/upload", "/remove", "/restore", "/rebuild"}
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_endpoints_refuse_paths_outside_the_corpus_and_bad_files(site, tmp_path):
    from gradio_client import Client, handle_file

    client = Client(site["url"], verbose=False)
    assert client.predict("../index/manifest.json", api_name="/remove").startswith("Niet verwijderd: geen bestand")
    assert client.predict("../../etc/passwd", api_name="/restore").startswith("Niet teruggezet")
    empty = tmp_path / "leeg.md"
    empty.write_text("")
    [result] = client.predict([handle_file(str(empty))], api_name="/upload")
    assert result["saved_as"] == "" and "empty file" in result["problem"]


def test_the_address_box_fetches_a_page_and_refuses_a_path_of_the_server(site, browser):  # noqa: F811
    from test_adding import Pages, QuietServer

    pages = QuietServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(site["url"])
        page.get_by_role("tab", name="Artikelen").click()
        address = page.locator("#qa-url textarea")
        address.fill("/etc/passwd")
        page.locator("#qa-fetch").click()
        page.wait_for_function("() => document.querySelector('#qa-library-message').innerText.includes('Geen webadres')",
                               timeout=30_000)
        address.fill(f"http://127.0.0.1:{pages.server_port}/artikel.html")
        page.locator("#qa-fetch").click()
        page.wait_for_function("() => document.querySelector('#qa-library-message').innerText.includes('Opgeslagen')",
                               timeout=60_000)
        assert (site["corpus"] / "brug-over-de-ijssel-twee-weken-dicht.md").exists()
    finally:
        pages.shutdown()


def test_with_a_password_only_logged_in_users_manage_articles(sample_corpus, tmp_path, monkeypatch):
    from gradio_client import Client

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    monkeypatch.setenv("QA_AUTH", "redactie:geheim-woord")
    process, url = start_server(tmp_path, corpus)
    try:
        with pytest.raises(Exception):
            Client(url, verbose=False).predict("", api_name="/articles")
        logged_in = Client(url, auth=("redactie", "geheim-woord"), verbose=False)
        assert len(logged_in.predict("", api_name="/articles")) == 2
    finally:
        process.terminate()
        process.wait(timeout=20)
