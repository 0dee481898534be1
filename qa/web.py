"""Web chat: the Gradio page (``python app.py`` / ``qa serve``) and its two API endpoints.

Article text is always shown as text: the chat bubbles get escaped Markdown and the
sources panel is HTML built here with every article field escaped, so an article that
contains ``<script>`` or a Markdown image renders inert.
"""

from __future__ import annotations

import argparse
import errno
import html
import importlib.abc
import importlib.machinery
import os
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import lang
from .answer import Answer, ChatSession, escape_markdown, format_date, source_line
from .errors import Exit, reported
from .index import changed_since_build, index_exists, index_location, keywords_outdated, shown
from .library import Library
from .retrieval import FilterError, Retriever
from .web_articles import ArticlesTab, build_tab

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
MAX_SOURCES = 10
MODEL_CONCURRENCY = max(2, os.cpu_count() or 2)
ALL_SOURCES = "Alle bronnen"  # the source selector's "no filter"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

CSS = """
#qa-sources .qa-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; margin-bottom: 8px; }
#qa-sources .qa-meta { color: var(--body-text-color); opacity: 0.8; font-size: 0.9em; }
#qa-sources .qa-source p, #qa-sources .qa-meta { overflow-wrap: anywhere; }  /* long web addresses wrap */
#qa-sources mark { background: #fde68a; color: #1f2937; padding: 0 2px; }  /* readable in dark mode too */
#qa-sources .qa-related { border-style: dashed; }
.qa-notice { border-left: 4px solid #f59e0b; padding-left: 8px; }
"""


class _NoStubWriting(importlib.abc.MetaPathFinder):
    """Gradio rewrites the type stubs (.pyi) of its components in site-packages every time it is
    imported (gradio/component_meta.py, create_or_modify_pyi: for editors of Gradio's own source).
    That parses its sources twice over: 1.0-1.1 s of a 2.3-2.5 s import on this machine, all of it
    before the page can answer. This finder loads gradio.component_meta as usual and then makes
    that function do nothing; the stubs installed with Gradio stay as they are."""

    def find_spec(self, name, path, target=None):
        if name != "gradio.component_meta":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        # A loader of its own for this one file (not a zip's, shared by many modules).
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        run = spec.loader.exec_module

        def exec_module(module) -> None:
            run(module)
            if hasattr(module, "create_or_modify_pyi"):  # a Gradio without it is left as it is
                module.create_or_modify_pyi = _write_no_stubs

        spec.loader.exec_module = exec_module
        return spec


def _write_no_stubs(*_args, **_kwargs) -> None:
    """In place of Gradio's create_or_modify_pyi (see _NoStubWriting)."""


def import_gradio():
    """``import gradio``, without its rewriting of type stubs (see _NoStubWriting)."""
    if "gradio" not in sys.modules:
        # New lists rather than changes to the one another thread's import may be walking.
        finder = _NoStubWriting()
        sys.meta_path = [finder, *sys.meta_path]
        try:
            import gradio  # noqa: F401
        finally:
            sys.meta_path = [f for f in sys.meta_path if f is not finder]
    return sys.modules["gradio"]


@contextmanager
def _one_app_at_launch(gr) -> Iterator[None]:
    """Gradio makes the FastAPI app of a Blocks when the Blocks is made (for its queue), again
    when its ``with`` block closes, and a third time at launch, the one that serves. While the
    page is built the first two are not made (0.1-0.2 s sooner ready on this machine,
    docs/benchmarks.md section 27); launch makes its own as before."""
    app_class = gr.routes.App
    make = app_class.__dict__.get("create_app")
    if make is None:  # a Gradio that makes it otherwise is left as it is
        yield
        return
    app_class.create_app = staticmethod(_no_app)
    try:
        yield
    finally:
        app_class.create_app = make


def _no_app(*_args, **_kwargs) -> None:
    """In place of Gradio's App.create_app while the page is built (see _one_app_at_launch)."""


class ChatApp:
    """The state shared by every browser session: one retriever, reloaded when a build lands."""

    def __init__(self, index_dir: Path, corpus_dir: Path | None, read_only: bool = False):
        self.index_dir = index_location(index_dir)
        self.corpus_dir = Path(corpus_dir) if corpus_dir else None
        # The page does not need the model: load it beside the server start, not before it.
        self.retriever = Retriever.load(self.index_dir, load_model=False)
        self.read_only = read_only
        self.library = None if read_only else Library(self.managed_corpus(), self.index_dir)
        self.model_ready = threading.Event()
        threading.Thread(target=self._load_model, name="load-model", daemon=True).start()

    def managed_corpus(self) -> Path:
        """The folder the Artikelen tab saves into: --corpus, else the one the index was built from."""
        if self.corpus_dir:
            return self.corpus_dir
        folders = [Path(c) for c in self.retriever.manifest.get("corpora", []) if not Path(c).is_file()]
        return folders[0] if folders else Path("corpus")

    def _load_model(self) -> None:
        try:
            self.retriever.embedder  # noqa: B018 - loading is the point
        except Exception as err:  # shown once in the log; each question then reports it too
            print(f"qa: error: {err}", file=sys.stderr)
        finally:
            self.model_ready.set()

    def refresh(self) -> None:
        self.retriever.reload_if_changed()

    # --- what the page shows ---

    def header_markdown(self) -> str:
        self.refresh()
        stats = self.retriever.corpus_stats()
        span = ""
        if stats["first_date"]:
            first, last = format_date(stats["first_date"][:10]), format_date(stats["last_date"][:10])
            span = f", {first}" + (f" – {last}" if last != first else "")
        lines = ["# Vraag het de artikelen",
                 f"Doorzoekt **{stats['articles']} artikelen**{escape_markdown(span)}. "
                 "Elk antwoord is letterlijk geciteerd uit de artikelen, met bronvermelding."]
        return "\n\n".join(lines)

    def notices_markdown(self) -> str:
        notices = []
        if self.retriever.model_notice:
            notices.append("⚠️ Er wordt een Engelstalig offline model gebruikt; Nederlandse vragen worden minder goed "
                           "begrepen. Installeer het Nederlandstalige model met `qa models pull` en bouw opnieuw met "
                           "`qa build --full`.")
        if keywords_outdated(self.retriever.manifest):
            notices.append("⚠️ De index is gebouwd door een andere versie van qa: voer `qa build` uit "
                           "(alleen de trefwoorden worden opnieuw gemaakt, in enkele seconden).")
        # The folder given with --corpus, by default those the index was built from.
        changed = changed_since_build(self.retriever.manifest, self.retriever.stored_files(),
                                      [self.corpus_dir] if self.corpus_dir else None)
        if changed:
            notices.append(f"⚠️ {changed} artikel(en) gewijzigd sinds de index is gebouwd: voer `qa build` uit.")
        return "\n\n".join(f'<div class="qa-notice">\n\n{n}\n\n</div>' for n in notices)

    def example_questions(self, count: int = 3) -> list[str]:
        """Questions about the newest articles, so the examples always fit the corpus."""
        return [f"Waar gaat het artikel '{title}' over?" for title in self.retriever.newest_titles(count)]

    # --- the handlers ---

    @staticmethod
    def show_question(message: str, chat: list) -> list:
        """The chat with the user's question added, shown while the answer is made."""
        return list(chat or []) + [{"role": "user", "content": escape_markdown(message or "")}]

    def respond(self, message: str, chat: list, turns: list, k: float, source: str = ALL_SOURCES,
                since: str = "", until: str = ""):
        """One chat turn, its question already shown: returns (chat, turns, sources panel). It
        never raises: a failed turn would leave the question box locked (see build_ui).
        ``source``, ``since``, ``until``: the page's filter (ALL_SOURCES and "" for none)."""
        try:
            self.refresh()
            session = ChatSession(self.retriever, k=_sources(k))
            session.history = list(turns or [])
            source = "" if source in (None, ALL_SOURCES) else source
            answer = session.ask(message or "", source=source, since=(since or "").strip(), until=(until or "").strip())
        except FilterError as err:  # a date in the filter that is none: said in the page's words, to fix there
            text = escape_markdown(filter_problem(err))
            return list(chat or []) + [{"role": "assistant", "content": text}], list(turns or []), PANEL_START
        except Exception as err:  # an index swapped mid-build, a model that failed to load, ...
            print(f"qa: error answering {message!r}: {err!r}", file=sys.stderr)
            failed = f"Er ging iets mis bij het beantwoorden ({escape_markdown(str(err))}). Probeer het opnieuw."
            return list(chat or []) + [{"role": "assistant", "content": failed}], list(turns or []), PANEL_START
        chat = list(chat or []) + [{"role": "assistant", "content": answer_markdown(answer)}]
        return chat, session.history, sources_html(answer)

    def source_choices(self):
        """The source selector with the sources of the index as it is now (a build adds some)."""
        import gradio as gr

        return gr.Dropdown(choices=[ALL_SOURCES, *self.retriever.sources()])

    def api_chat(self, message: str, k: int = 5, source: str = "", since: str = "", until: str = "") -> str:
        """One question, one answer (Markdown with numbered citations and sources); no history.
        ``source``, ``since``, ``until``: only articles of that source and period (ISO dates)."""
        self.refresh()
        session = ChatSession(self.retriever, k=_sources(k))
        with _reported_to_the_client():
            return session.ask(message or "", source=source, since=since, until=until).to_markdown()

    def api_search(self, query: str, k: int = 5, source: str = "", since: str = "", until: str = "") -> list[dict]:
        """The retrieved passages as JSON: text, score, title, source, date, file, start, end,
        citation; of that source and period only, when given."""
        self.refresh()
        with _reported_to_the_client():
            passages = self.retriever.search(query or "", k=max(1, min(int(k), 50)), source=source, since=since,
                                             until=until)
        return [p.to_dict() for p in passages]


def filter_problem(err: FilterError) -> str:
    """What is wrong with the page's period, in the page's words."""
    if err.field == "order":
        return "Het filter klopt niet: de datum bij Vanaf ligt na die bij Tot en met."
    label = {"since": "Vanaf", "until": "Tot en met"}[err.field]
    return (f"Het filter klopt niet: '{err.value}' bij {label} is geen datum. "
            "Schrijf een jaar, maand of dag: 2024, 2024-03 of 2024-03-31.")


@contextmanager
def _reported_to_the_client() -> Iterator[None]:
    """A bad filter (a date that is none) reaches the program that called as its one-line message."""
    try:
        yield
    except ValueError as err:
        import gradio as gr

        raise gr.Error(str(err), print_exception=False) from None


def _sources(k: float) -> int:
    """The number of passages to answer from, within the slider's range whatever was typed."""
    return max(1, min(int(k), MAX_SOURCES))


def answer_markdown(answer: Answer) -> str:
    """The chat bubble: the answer with its citation numbers and a short source list."""
    labels = lang.messages(answer.language)
    if answer.related_only:
        text = f"**{answer.text_markdown()}**"
        if answer.sources:
            titles = dict.fromkeys(s.passage.title for s in answer.sources)  # two passages of one article: once
            text += f"\n\n_{labels['related']}:_ " + "; ".join(escape_markdown(t) for t in titles)
        return text
    note = "".join(f"_{escape_markdown(note)}_\n\n" for note in answer.notes())
    lines = []
    for source in answer.sources:
        meta = source_line(source.passage, answer.language)
        lines.append(f"[{source.number}] {escape_markdown(source.passage.title)}" + (f" — {escape_markdown(meta)}" if meta else ""))
    return note + answer.text_markdown() + "\n\n" + "\n".join(lines)


def sources_html(answer: Answer) -> str:
    """The sources panel; every article field is escaped, the answering sentence is <mark>ed."""
    labels = lang.messages(answer.language)
    if not answer.sources:
        return f"<p>{html.escape(labels['empty'] if not answer.resolved_question else labels['not_found'])}</p>"
    heading = labels["related"] if answer.related_only else labels["sources"]
    parts = [f"<h3>{html.escape(heading)}</h3>"]
    for source in answer.sources:
        p = source.passage
        text = p.text
        if source.highlight:
            start, end = source.highlight
            body = (html.escape(text[:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>"
                    + html.escape(text[end:]))
        else:
            body = html.escape(text)
        where = (f"{html.escape(labels['file'])}: <code>{html.escape(p.path)}</code> "
                 f"({html.escape(labels['characters'])} {p.start}–{p.end})")
        meta = " · ".join(x for x in (html.escape(source_line(p, answer.language)), where) if x)
        css = "qa-source qa-related" if answer.related_only else "qa-source"
        parts.append(
            f'<div class="{css}" data-source="{source.number}">'
            f"<div><b>[{source.number}] {html.escape(p.title)}</b></div>"
            f'<div class="qa-meta">{meta}</div>'
            f"<p>{body.replace(chr(10), '<br>')}</p></div>")
    return "\n".join(parts)


PANEL_START = "<p>De bronnen van het antwoord verschijnen hier.</p>"
# Locking the box took its focus; the next question is typed without reaching for the mouse.
FOCUS_QUESTION = """() => {
    const focus = (tries) => {
        const box = document.querySelector('#qa-question textarea');  // found anew: Gradio may re-render it
        if (box && !box.disabled) {
            box.focus();
        } else if (tries > 0) {  // the unlock may not have reached the page yet
            setTimeout(() => focus(tries - 1), 25);
        }
    };
    focus(40);
}"""


def build_ui(app: ChatApp):
    gr = import_gradio()

    # No telemetry: Gradio would ask api.gradio.app for its latest version and report each launch.
    with _one_app_at_launch(gr), gr.Blocks(title="Vraag het de artikelen", analytics_enabled=False) as demo:
        header = gr.Markdown(app.header_markdown())
        notices = gr.Markdown(app.notices_markdown())
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("Vragen", elem_id="qa-tab-chat"), gr.Row():
                with gr.Column(scale=3):
                    # No "share" button: it posts to Hugging Face Spaces discussions.
                    chat = gr.Chatbot(label="Gesprek", height=520, sanitize_html=True, render_markdown=True, latex_delimiters=[],
                                      allow_tags=False, elem_id="qa-chat", buttons=["copy", "copy_all"])
                    with gr.Row():
                        box = gr.Textbox(label="Vraag", placeholder="Stel een vraag over de artikelen…", show_label=False,
                                         scale=5, elem_id="qa-question", autofocus=True)
                        send = gr.Button("Vraag", variant="primary", scale=1, elem_id="qa-send")
                    gr.Examples(app.example_questions(), inputs=box, label="Voorbeeldvragen")
                    with gr.Row():
                        # The passages an answer is chosen from; it cites only those it quotes.
                        sources_k = gr.Slider(1, MAX_SOURCES, value=5, step=1, label="Doorzochte passages",
                                              info="Het antwoord kiest zijn zinnen hieruit en noemt alleen de passages die het citeert.")
                        clear = gr.Button("Nieuw gesprek", variant="secondary")
                    with gr.Accordion("Alleen artikelen van een bron of periode", open=False, elem_id="qa-filter"):
                        with gr.Row():
                            source = gr.Dropdown([ALL_SOURCES, *app.retriever.sources()], value=ALL_SOURCES,
                                                 label="Bron", elem_id="qa-source")
                            since = gr.Textbox(label="Vanaf", placeholder="2024-03-01", elem_id="qa-since",
                                               info="Een jaar, maand of dag: 2024, 2024-03, 2024-03-01")
                            until = gr.Textbox(label="Tot en met", placeholder="2024-03-31", elem_id="qa-until",
                                               info="Tot en met: 2024-03 is heel maart")
                with gr.Column(scale=2):
                    panel = gr.HTML(PANEL_START, elem_id="qa-sources")
            if app.library:  # --read-only: no tab, and none of its endpoints
                with gr.Tab("Artikelen", elem_id="qa-tab-articles"):
                    on_change = (lambda: (app.header_markdown(), app.notices_markdown(), app.source_choices()),
                                 [header, notices, source])
                    build_tab(ArticlesTab(app.library, app.retriever), on_change)

        question = gr.State("")
        # A clear starts a new conversation; an answer to the one before it is dropped on arrival,
        # or it would bring the cleared turns back.
        conversation, asked_in = gr.State(0), gr.State(0)
        reply = gr.State(None)
        # Everything that runs the model shares one queue sized to the CPU, not 4 per event.
        model = {"concurrency_id": "model", "concurrency_limit": MODEL_CONCURRENCY}
        private = {"api_visibility": "private"}

        # The question shows at once and the box is locked until its answer: a second question
        # sent meanwhile was dropped, and the first answer then emptied the box that held it.
        def lock(message: str, shown: list, current: int):
            if not (message or "").strip():
                # An empty submit adds no turn; raising stops its chain (.success), whose unlock
                # would otherwise free the box while a real question is still being answered.
                raise gr.Error("empty question", visible=False, print_exception=False)
            locked = (gr.Textbox(value="", interactive=False), gr.Button(interactive=False))
            return (*locked, app.show_question(message, shown), message, current, None)

        def answer(message: str, shown: list, history: list, k: float, asked: int, source: str, since: str,
                   until: str):
            return {"conversation": asked, "outputs": app.respond(message, shown, history, k, source, since, until)}

        def deliver(made: dict | None, current: int):
            # None: the answer step never ran (a queue error); the last turn's reply is not resent.
            return made["outputs"] if made and made["conversation"] == current else (gr.skip(),) * 3

        def unlock():
            return gr.Textbox(interactive=True), gr.Button(interactive=True)

        for sent in (box.submit, send.click):
            (sent(lock, [box, chat, conversation], [box, send, chat, question, asked_in, reply], queue=False, **private)
             .success(answer, [question, chat, turns, sources_k, asked_in, source, since, until], reply, **model,
                      **private)
             .then(deliver, [reply, conversation], [chat, turns, panel], queue=False, **private)
             .then(unlock, None, [box, send], queue=False, **private)
             .then(None, js=FOCUS_QUESTION))

        def new_conversation(current: int):
            return [], [], PANEL_START, current + 1

        # Outside the queue, like lock: a question asked right after the clear must not overtake it.
        clear.click(new_conversation, conversation, [chat, turns, panel, conversation], queue=False, **private)
        # The chat's own trash icon empties the conversation too, not only the screen.
        chat.clear(lambda current: new_conversation(current)[1:], conversation, [turns, panel, conversation],
                   queue=False, **private)
        demo.load(lambda: (app.header_markdown(), app.notices_markdown(), app.source_choices()), None,
                  [header, notices, source], api_visibility="private")
        gr.api(app.api_chat, api_name="chat", **model)
        gr.api(app.api_search, api_name="search", **model)
    return demo


# --- starting the server -------------------------------------------------------------------

def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth takes user:password")
    return [(user, password)]


def ensure_port_free(host: str, port: int) -> None:
    """Say which flag to change (Gradio's own message names its launch() parameter)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: a port in TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as err:  # socket.gaierror too: a host name that does not resolve
            if err.errno == errno.EADDRINUSE:
                raise OSError(f"port {port} on {host} is in use: choose another with --port "
                              "(or GRADIO_SERVER_PORT)") from None
            raise OSError(f"cannot listen on {host}:{port} ({err.strerror or err}): check --host") from None


def ensure_index(index_dir: Path | str, corpus_dir: Path) -> None:
    """No index yet: build it first, with a progress bar, so the chat opens ready."""
    if index_exists(index_dir):
        return
    from .index import build_index

    print(f"Geen index in {shown(index_dir)}: de index wordt eerst gebouwd uit {corpus_dir} …", file=sys.stderr)
    report = build_index(corpus_dir, index_dir, progress=True)
    print(report.summary(), file=sys.stderr)


def serve(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qa serve", description="Start the web chat.")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=None,
                        help=f"port (default: GRADIO_SERVER_PORT or {DEFAULT_PORT})")
    parser.add_argument("--index", default=os.environ.get("QA_INDEX") or "index",
                        help="index folder or postgresql:// address (default: QA_INDEX, else index)")
    parser.add_argument("--corpus", default=None,
                        help="built from when there is no index yet (default: corpus); checked for changes "
                             "(default: the folders the index was built from)")
    parser.add_argument("--auth", default=None,
                        help="user:password required to open the chat (better: the QA_AUTH variable, "
                             "which other users cannot see in the process list)")
    parser.add_argument("--read-only", action="store_true",
                        help="no Artikelen tab: articles cannot be added or removed from the page (or QA_READ_ONLY=1)")
    args = parser.parse_args(argv)
    read_only = args.read_only or os.environ.get("QA_READ_ONLY", "").lower() in ("1", "true", "yes")
    started = time.perf_counter()
    try:
        with reported():
            port = args.port or int(os.environ.get("GRADIO_SERVER_PORT") or DEFAULT_PORT)
            auth = parse_auth(args.auth or os.environ.get("QA_AUTH"))
            if args.host not in LOOPBACK and not auth:
                raise ValueError(f"--host {args.host} makes the chat reachable from other machines: "
                                 "set a password with QA_AUTH=user:password (or --auth)")
            ensure_port_free(args.host, port)
            ensure_index(index_location(args.index), Path(args.corpus or "corpus"))
            app = ChatApp(index_location(args.index), Path(args.corpus) if args.corpus else None, read_only=read_only)
            demo = build_ui(app)  # queued: Blocks sets up its queue itself, with these defaults
            demo.launch(server_name=args.host, server_port=port, share=False, auth=auth,
                        prevent_thread_lock=True, show_error=False, css=CSS, footer_links=["api"],
                        quiet=True)  # our own line says where; Gradio's offered a share link we never make
    except Exit as stop:  # an OSError is a port in use
        return stop.status
    print(f"page ready in {time.perf_counter() - started:.1f} s: http://{args.host}:{port}", file=sys.stderr)
    app.model_ready.wait()
    print(f"model ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0
