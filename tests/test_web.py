"""The web chat end to end: a real server process, gradio_client, and headless Chromium."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from network_watch import LOOPBACK, network_watch
from postgres_server import free_port

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]

XSS_ARTICLE = """Fietsbrug <img src=x onerror=alert(1)> krijgt groen licht

De gemeenteraad van Zwolle heeft dinsdag ingestemd met de bouw van een nieuwe fietsbrug over het Zwarte Water. <script>alert(2)</script> De brug kost 12 miljoen euro.

Wethouder Jansen noemde het ![plaatje](http://127.0.0.1:9/x.png) een [historisch besluit](javascript:alert(3)) voor de fietsers van de stad. <b onmouseover=alert(4)>Vet</b>

Het volledige raadsbesluit staat op https://www.zwolle.nl/raadsbesluiten/fietsbrug_zwarte_water_2025_(definitief)_raadsvoorstel.pdf voor wie het wil nalezen.
"""
RAADSBESLUIT = "https://www.zwolle.nl/raadsbesluiten/fietsbrug_zwarte_water_2025_(definitief)_raadsvoorstel.pdf"


def start_server(folder: Path, corpus: Path, *flags: str, index: str = "") -> tuple[subprocess.Popen, str]:
    """`python app.py` on a free loopback port, its output in folder/server.log; (process, url).
    The index is folder/index, or the database address ``index``."""
    port = free_port()
    with open(folder / "server.log", "w") as log:  # the server writes to its own copy
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--index", index or str(folder / "index"), "--corpus", str(corpus),
             "--port", str(port), *flags], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited: {(folder / 'server.log').read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.5)
    process.kill()
    pytest.fail("server did not start")


# The page over either backend: app.py builds the index on its first start, in a folder or in
# PostgreSQL, and serves it.
@pytest.fixture(scope="module", params=["folder", "postgres"])
def server(request, sample_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    corpus = folder / "corpus"
    shutil.copytree(sample_corpus, corpus)
    (corpus / "fietsbrug.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    index = ""
    if request.param == "postgres":
        from postgres_server import fresh_database

        index = fresh_database(request.getfixturevalue("postgres_url"), "qa_web")
    process, url = start_server(folder, corpus, index=index)
    yield url
    process.terminate()
    process.wait(timeout=20)
    # The start-up lines are ours: Gradio's own offered a public share link, which is never made.
    started = (folder / "server.log").read_text()
    assert "page ready in" in started and "share=True" not in started and "public link" not in started


def test_chat_and_search_endpoints(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    answer = client.predict("Hoeveel investeerde Microsoft in 2019 in OpenAI?", api_name="/chat")
    assert "$1 miljard in 2019" in answer and "[1]" in answer and "IEX.nl" in answer
    passages = client.predict("Welke procureurs-generaal moeten instemmen?", 3, api_name="/search")
    assert 1 <= len(passages) <= 3
    assert any("Californië en Delaware" in p["text"] for p in passages)
    assert {"text", "score", "title", "source", "date", "file", "start", "end", "citation"} <= set(passages[0])
    declined = client.predict("Wie won de Tour de France van 1998?", api_name="/chat")
    assert "Ik kan dit niet vinden in de artikelen." in declined


def test_the_endpoints_keep_to_a_source_and_period(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    question = "Welke procureurs-generaal moeten instemmen?"
    kept = client.predict(question, 5, "IEX.nl", "2025-09-01", "2025-09-30", api_name="/search")
    assert kept and {p["source"] for p in kept} == {"IEX.nl"}
    assert client.predict(question, 5, "", "2026-01-01", "", api_name="/search") == []
    answer = client.predict(question, 5, "NOS", "", "", api_name="/chat")
    assert answer.startswith("Er zijn geen artikelen van NOS. De artikelen komen van: IEX.nl.")
    with pytest.raises(Exception, match="is no date"):
        client.predict(question, 5, "", "maart", "", api_name="/search")


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `bash scripts/setup.sh --test`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def ask(page, question: str, turn: int) -> str:
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-send").click()
    page.wait_for_function(
        """n => {
            const bots = document.querySelectorAll('#qa-chat .message.bot');
            return bots.length >= n && bots[n - 1].innerText.trim() !== ''
                && !bots[n - 1].innerText.includes('Loading');
        }""", arg=turn, timeout=60_000)
    return page.locator("#qa-chat .message.bot").nth(turn - 1).inner_text()


def test_conversation_in_the_browser(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    assert "3 artikelen" in page.locator("body").inner_text()

    first = ask(page, "Hoeveel investeerde Microsoft in 2019 in OpenAI?", 1)
    assert "$1 miljard in 2019" in first and "[1]" in first
    panel = page.locator("#qa-sources")
    panel.locator("mark").first.wait_for(timeout=30_000)
    assert "IEX.nl" in panel.inner_text() and "microsoft-openai-deal.txt" in panel.inner_text()
    assert "$1 miljard in 2019" in panel.locator("mark").first.inner_text()

    follow_up = ask(page, "En begin 2023?", 2)
    assert "$10 miljard" in follow_up

    declined = ask(page, "Wie won de Tour de France van 1998?", 3)
    assert "Ik kan dit niet vinden in de artikelen." in declined

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    assert not dialogs


def test_the_chats_trash_icon_starts_a_new_conversation(server, browser):
    # It once emptied the screen only: "Waarom?" was then answered from a turn no longer shown.
    page = browser.new_page()
    page.goto(server)
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    assert "Musk" in ask(page, "Wanneer verliet Musk OpenAI?", 1)
    page.locator("#qa-chat button[aria-label='Clear']").click()
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .message').length === 0", timeout=10_000)
    # The clear event's reply (the empty sources panel) says the server has forgotten the turns.
    page.wait_for_function("() => document.querySelector('#qa-sources').innerText.includes('verschijnen hier')",
                           timeout=10_000)
    assert "Ik kan dit niet vinden in de artikelen." in ask(page, "Waarom?", 1)


def test_an_answer_arriving_after_a_clear_does_not_bring_the_conversation_back(server, browser):
    # The late answer was shown in the emptied chat, and its turns were restored with it.
    page = browser.new_page()
    page.goto(server)
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    assert "Musk" in ask(page, "Wanneer verliet Musk OpenAI?", 1)
    # Clear the moment the second question shows: its answer is still being made.
    page.evaluate("""() => new MutationObserver((_, observer) => {
        if (document.querySelectorAll('#qa-chat .message.user').length === 2) {
            observer.disconnect();
            [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Nieuw gesprek').click();
        }
    }).observe(document.body, {subtree: true, childList: true})""")
    page.locator("#qa-question textarea").fill("Waarom verliet Musk OpenAI en wat vond hij van de commerciële tak?")
    page.locator("#qa-send").click()
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .message').length === 0", timeout=10_000)
    # The box unlocks once the answer has arrived, and been dropped.
    page.wait_for_function("() => !document.querySelector('#qa-question textarea').disabled", timeout=60_000)
    assert page.locator("#qa-chat .message").count() == 0
    assert "verschijnen hier" in page.locator("#qa-sources").inner_text()
    assert "Ik kan dit niet vinden in de artikelen." in ask(page, "Waarom?", 1)


def test_the_question_shows_at_once_and_the_box_waits_for_its_answer(server, browser):
    # A second question sent while the first was answered was lost: dropped, then its box emptied.
    page = browser.new_page()
    page.goto(server)
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    page.evaluate("""() => {
        window.qaLocked = false;
        new MutationObserver(() => {
            const box = document.querySelector('#qa-question textarea');
            if (box && box.disabled && document.querySelector('#qa-send').disabled) window.qaLocked = true;
        }).observe(document.body, {subtree: true, childList: true, attributes: true});
    }""")
    answer = ask(page, "Hoeveel investeerde Microsoft in 2019 in OpenAI?", 1)
    assert "$1 miljard in 2019" in answer
    assert page.evaluate("window.qaLocked")
    page.wait_for_function("() => !document.querySelector('#qa-question textarea').disabled", timeout=10_000)
    assert page.locator("#qa-chat .message.user").count() == 1
    assert "Hoeveel investeerde Microsoft" in page.locator("#qa-chat .message.user").first.inner_text()
    assert "$10 miljard" in ask(page, "En begin 2023?", 2)


def test_article_html_and_markdown_render_inert(server, browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    answer = ask(page, "Wat besloot de gemeenteraad van Zwolle over de fietsbrug?", 1)
    assert "fietsbrug over het Zwarte Water" in answer
    panel = page.locator("#qa-sources")
    panel.locator(".qa-source").first.wait_for(timeout=30_000)
    assert "<script>alert(2)</script> De brug kost 12 miljoen euro." in panel.inner_text()
    page.wait_for_timeout(1000)  # give any injected handler the chance to fire
    text = page.locator("body").inner_text()
    assert "<img src=x onerror=alert(1)>" in text or "<script>alert(2)</script>" in text  # shown as text
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("img[src*='127.0.0.1:9']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("#qa-chat script, #qa-sources script, #qa-sources b[onmouseover]").count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror],[onmouseover]').length") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "xss.png"), full_page=True)
    assert not dialogs


def test_a_web_address_is_quoted_and_linked_as_written_and_wraps_on_a_phone(server, browser):
    # Escaped for Markdown, it read "fietsbrug\\_zwarte..." and its link pointed there too; in the
    # sources panel it ran past the card's edge on a phone.
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server)
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    answer = ask(page, "Waar kan ik het volledige raadsbesluit over de fietsbrug nalezen?", 1)
    assert RAADSBESLUIT in answer and "\\" not in answer
    links = page.evaluate("() => [...document.querySelectorAll('#qa-chat .message.bot a')]"
                          ".map(a => [a.innerText, decodeURI(a.href).replaceAll('%28', '(').replaceAll('%29', ')')])")
    assert [RAADSBESLUIT, RAADSBESLUIT] in links
    page.locator("#qa-sources mark").first.wait_for(timeout=30_000)
    widths = page.evaluate("() => [...document.querySelectorAll('#qa-sources .qa-source p')]"
                           ".map(p => p.scrollWidth - p.clientWidth)")
    assert widths and max(widths) <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-url.png"), full_page=True)


def _contrast(page, selector: str) -> float:
    """WCAG contrast ratio of an element's text colour on its own background colour."""
    return page.evaluate("""selector => {
        const style = getComputedStyle(document.querySelector(selector));
        const luminance = color => {
            const [r, g, b] = color.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(c => {
                c /= 255;
                return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }""", selector)


def test_the_page_is_usable_from_the_keyboard_and_readable_in_dark_mode(server, browser):
    page = browser.new_page(color_scheme="dark")
    page.goto(server)
    box = page.get_by_role("textbox", name="Vraag")  # the box has an accessible name
    box.wait_for(timeout=60_000)
    box.press("Enter")  # an empty question adds no turn
    page.wait_for_timeout(1000)
    assert page.locator("#qa-chat .message").count() == 0
    box.fill("Wanneer verliet Musk OpenAI?")
    box.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .message.bot').length === 1", timeout=60_000)
    # Locking the box while it answered took its focus: the follow-up was typed into nothing.
    page.wait_for_function("() => document.activeElement === document.querySelector('#qa-question textarea')",
                           timeout=10_000)
    page.keyboard.type("Waarom?")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#qa-chat .message.bot').length === 2", timeout=60_000)
    page.locator("#qa-sources mark").first.wait_for(timeout=30_000)
    # The answering sentence kept the dark theme's light text on its yellow mark (1.1 : 1).
    assert _contrast(page, "#qa-sources mark") >= 4.5
    # Every button of the chat says what it does (Gradio's share button had no name, and no use here).
    names = page.evaluate("() => [...document.querySelectorAll('#qa-chat button')]"
                          ".map(b => (b.getAttribute('aria-label') || b.title || b.innerText).trim())")
    assert names and all(names)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dark.png"), full_page=True)


def test_the_sources_panel_speaks_the_questions_language_and_skips_missing_fields():
    from qa.answer import Answer, Source
    from qa.retrieval import Passage
    from qa.web import sources_html

    with_meta = Passage("Tekst.", 1.0, "d", "Titel", "2025-09-12", "IEX.nl", "deal.txt", 0, 6)
    english = sources_html(Answer("When?", "When?", "Tekst. [1]", [Source(1, with_meta, (0, 6))], language="en"))
    assert "IEX.nl, 12 September 2025 · file: <code>deal.txt</code> (characters 0–6)" in english
    bare = Passage("Tekst.", 1.0, "d", "Titel", "", "", "brug.txt", 0, 6)
    dutch = sources_html(Answer("Wat?", "Wat?", "Tekst. [1]", [Source(1, bare, (0, 6))]))
    assert '<div class="qa-meta">bestand: <code>brug.txt</code> (tekens 0–6)</div>' in dutch


def test_a_port_in_use_names_the_flag_to_change(tmp_path, capsys):
    from qa.web import serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(["--port", str(port), "--index", str(tmp_path / "index")]) == 2
    error = capsys.readouterr().err
    assert f"port {port}" in error and "--port" in error and "launch()" not in error
    assert not (tmp_path / "index").exists()  # nothing was built for a server that cannot start
    # Any other reason it cannot listen is not "in use".
    assert serve(["--host", "nosuchhost.invalid", "--auth", "a:b", "--index", str(tmp_path / "index")]) == 2
    error = capsys.readouterr().err
    assert "cannot listen on nosuchhost.invalid" in error and "--host" in error and "in use" not in error


def test_a_failed_turn_is_answered_with_the_error_not_raised():
    # Raised, it left the question box locked for good: the unlock step runs after an answer.
    from qa.web import ChatApp

    class IndexBeingSwapped:
        def reload_if_changed(self):
            raise OSError("manifest.json: no such file")

    app = ChatApp.__new__(ChatApp)  # no index or model needed for this
    app.retriever = IndexBeingSwapped()
    shown = [{"role": "user", "content": "Wat bood Musk?"}]
    chat, turns, panel = app.respond("Wat bood Musk?", shown, ["earlier turn"], 5)
    assert chat[:1] == shown and "Er ging iets mis" in chat[1]["content"] and "manifest.json" in chat[1]["content"]
    assert turns == ["earlier turn"]


def test_a_declines_related_articles_are_named_once_each():
    from qa.answer import Answer, Source
    from qa.retrieval import Passage
    from qa.web import answer_markdown

    def passage(title: str, start: int) -> Passage:
        return Passage("tekst", 1.0, title, title, "", "", f"{title}.txt", start, start + 5)

    sources = [Source(1, passage("Musk en OpenAI", 0)), Source(2, passage("Musk en OpenAI", 90)),
               Source(3, passage("De deal", 0))]
    bubble = answer_markdown(Answer("v", "v", "Ik kan dit niet vinden in de artikelen.", sources, abstained=True))
    assert bubble.endswith("_Mogelijk gerelateerd:_ Musk en OpenAI; De deal")


def test_an_unsure_answer_says_so_in_its_bubble_before_the_answer():
    from qa.answer import Answer, Source
    from qa.retrieval import Passage
    from qa.web import answer_markdown

    source = Source(1, Passage("Het kostte 5 euro.", 1.0, "deal", "De deal", "", "", "deal.txt", 0, 18), (0, 18))
    bubble = answer_markdown(Answer("v", "v", "Het kostte 5 euro. [1]", [source], unsure=True, filtered_by="van NOS"))
    assert bubble.startswith("_\\(artikelen van NOS\\)_\n\n_Niet zeker: de artikelen beantwoorden dit mogelijk niet._\n\n"
                             "Het kostte 5 euro. [1]")


def test_the_page_asks_for_a_build_when_the_keyword_index_is_from_an_older_version(sample_corpus, tmp_path):
    import json

    import qa
    from qa.index import current_generation
    from qa.web import ChatApp

    def notices() -> str:
        app = ChatApp(index, sample_corpus)
        app.model_ready.wait(120)  # its model-loading thread must not outlive the test
        return app.notices_markdown()

    index = tmp_path / "index"
    qa.build_index(sample_corpus, index)
    assert "andere versie van qa" not in notices()
    manifest_path = current_generation(index) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["tokenizer"]  # as an index written before the tokenizer was recorded
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert "andere versie van qa" in notices()
    qa.build_index(sample_corpus, index)  # re-tokenizes; the notice goes
    assert "andere versie van qa" not in notices()


def test_the_page_checks_the_folders_the_index_was_built_from(sample_corpus, tmp_path):
    import shutil

    import qa
    from qa.web import ChatApp

    def notices() -> str:
        app = ChatApp(index, None)  # no --corpus given
        app.model_ready.wait(120)
        return app.notices_markdown()

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(sample_corpus, corpus)
    qa.build_index(corpus, index)
    assert "gewijzigd" not in notices()
    (corpus / "extra.txt").write_text("Extra\n\nEen nieuw artikel over de haven van Rotterdam.\n")
    assert "1 artikel(en) gewijzigd" in notices()


def test_the_page_filter_keeps_answers_to_a_source_and_period(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server)
    page.wait_for_selector("#qa-question textarea", timeout=60_000)
    page.get_by_text("Alleen artikelen van een bron of periode").click()
    since, until = page.locator("#qa-since textarea"), page.locator("#qa-until textarea")
    since.fill("2026")
    question = "Hoeveel investeerde Microsoft in 2019 in OpenAI?"
    assert "Er zijn geen artikelen vanaf 2026." in ask(page, question, 1)
    since.fill("2025-09")
    until.fill("2025-09-30")
    assert "$1 miljard in 2019" in ask(page, question, 2)
    since.fill("maart")
    assert "Het filter klopt niet: 'maart' bij Vanaf is geen datum." in ask(page, question, 3)
    since.fill("")
    until.fill("")
    # Left as a reader leaves a field (a CI run under load once sent the earlier 'maart' along).
    until.press("Tab")
    page.wait_for_function("() => document.querySelector('#qa-since textarea').value === ''")
    page.locator("#qa-source input").click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    assert {"Alle bronnen", "IEX.nl"} <= {text.split("\n")[-1] for text in options.all_inner_texts()}  # "✓" marks the chosen one
    page.get_by_role("option", name="IEX.nl").click()
    answer = ask(page, "Wie moet de herstructurering van OpenAI goedkeuren?", 4)
    assert "IEX.nl" in answer and "Er zijn geen artikelen" not in answer
    page.screenshot(path=str(ARTIFACTS / "filter.png"), full_page=True)


def test_the_pages_filter_problems_are_said_in_its_words():
    from qa.retrieval import ArticleFilter, FilterError
    from qa.web import filter_problem

    def problem(since: str, until: str) -> str:
        with pytest.raises(FilterError) as caught:
            ArticleFilter("", since, until)
        return filter_problem(caught.value)

    assert "'vorige week' bij Vanaf is geen datum" in problem("vorige week", "")
    assert "'31-03-2024' bij Tot en met is geen datum" in problem("2024", "31-03-2024")
    assert "Vanaf ligt na die bij Tot en met" in problem("2024-05", "2024-03")


def test_gradio_is_imported_without_rewriting_its_type_stubs():
    # In a new interpreter: this one may have imported Gradio already.
    script = ("import qa.web\n"
              "gr = qa.web.import_gradio()\n"
              "import gradio.blocks_events as events, gradio.component_meta as meta\n"
              # Gradio calls it by its module's name when a component class is made: the no-op is what runs.
              "assert 'create_or_modify_pyi' in meta.ComponentMeta.__new__.__code__.co_names\n"
              "assert meta.create_or_modify_pyi is qa.web._write_no_stubs, meta.create_or_modify_pyi\n"
              "assert events.create_or_modify_pyi is qa.web._write_no_stubs\n"
              "assert not any(isinstance(f, qa.web._NoStubWriting) for f in __import__('sys').meta_path)\n"
              "with gr.Blocks() as demo:\n"
              "    gr.Textbox(label='vraag')\n"
              "print(type(demo).__name__)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "Blocks"


def test_the_page_makes_its_web_app_once_at_launch(sample_index, monkeypatch):
    # Gradio made one when the Blocks was made and one when its block closed; launch made the one
    # that serves, and only that one may be made.
    import json
    import urllib.request

    from qa.web import CSS, ChatApp, build_ui, import_gradio

    routes = import_gradio().routes
    made = []
    create_app = routes.App.create_app

    def counted(*args, **kwargs):
        made.append(args[0])
        return create_app(*args, **kwargs)

    monkeypatch.setattr(routes.App, "create_app", staticmethod(counted))
    demo = build_ui(ChatApp(sample_index, None, read_only=True))
    assert made == [] and routes.App.create_app is counted
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    try:
        assert made == [demo]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=30) as response:
            labels = {c.get("props", {}).get("label") for c in json.load(response)["components"]}
        assert "Gesprek" in labels and "Doorzochte passages" in labels
    finally:
        demo.close()


def test_the_web_chat_sends_gradio_no_usage_statistics(sample_index, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADIO_")}
    plain = tmp_path / "plain.txt"  # the control: Gradio as it comes asks api.gradio.app
    control = network_watch(plain, LOOPBACK) + "import gradio as gr\ngr.Blocks()\ntime.sleep(2)\n"
    done = subprocess.run([sys.executable, "-c", control], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    if not plain.exists():
        pytest.skip("this Gradio sends no usage statistics")
    assert "gradio.app" in plain.read_text()
    ours = tmp_path / "ours.txt"
    port = free_port()
    script = network_watch(ours, LOOPBACK) + (
        "import urllib.request\n"
        "from pathlib import Path\n"
        "from qa.web import CSS, ChatApp, build_ui\n"
        f"demo = build_ui(ChatApp(Path({str(sample_index)!r}), None, read_only=True))\n"
        f"demo.launch(server_name='127.0.0.1', server_port={port}, prevent_thread_lock=True, quiet=True, css=CSS)\n"
        f"assert urllib.request.urlopen('http://127.0.0.1:{port}/', timeout=30).status == 200\n"
        "time.sleep(2)\n"
        "demo.close()\n")
    # Not offline: Gradio's own telemetry is what is tested, not that of the Hugging Face libraries.
    env = {k: v for k, v in env.items() if k not in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not ours.exists(), ours.read_text()
