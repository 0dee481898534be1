"""The web page's Artikelen tab and its endpoints (/articles, /upload, /remove, /restore,
/rebuild): the list of indexed articles, uploads, the trash, pages fetched by address, and
the index update with a progress bar. The work itself is qa/library.py's; this is the page.
"""

from __future__ import annotations

import inspect
import time
from pathlib import Path

from .answer import escape_markdown
from .library import BuildStatus, Library, LibraryError
from .retrieval import Retriever

HEADERS = ["Titel", "Datum", "Bron", "Bestand", "Passages"]
PROGRESS_SECONDS = 0.5  # how often the update's progress bar is redrawn
# Articles the list (and the remove selector) shows at a time: the page carries them, so an
# archive of thousands would make it megabytes. A search by title or file finds the others.
ARTICLES_SHOWN = 200
NOT_YET = "Nog niet in de index: klik **Index bijwerken**."


class ArticlesTab:
    """What the tab shows and does, for the page and for programs alike."""

    def __init__(self, library: Library, retriever: Retriever):
        self.library = library
        self.retriever = retriever

    # --- what is shown ---

    def rows(self, search: str = "", every: bool = False) -> list[list]:
        """The newest articles whose title or file holds ``search``: ARTICLES_SHOWN of them, or ``every`` one."""
        self.retriever.reload_if_changed()
        limit = None if every else ARTICLES_SHOWN
        return [[a["title"], a["date"], a["source"], a["path"], a["passages"]]
                for a in self.retriever.articles((search or "").strip(), limit)]

    def summary(self, search: str = "", listed: int | None = None) -> str:
        """The index's articles and trash, and whether the list (``listed`` rows) leaves some out."""
        stats = self.retriever.corpus_stats()
        trashed = len(self.library.trashed())
        parts = [f"**{stats['articles']} artikelen** in de index, uit `{self.library.corpus_dir}`"]
        if (len(self.rows(search)) if listed is None else listed) >= ARTICLES_SHOWN:  # full: there may be more
            which = f"met “{escape_markdown(search.strip())}” " if search.strip() else ""
            parts.append(f"de nieuwste {ARTICLES_SHOWN} {which}staan in de lijst; zoek verder voor de andere")
        if trashed:
            parts.append(f"{trashed} bestand(en) in de prullenbak")
        return " · ".join(parts)

    # --- the endpoints (also the buttons' handlers) ---

    def api_articles(self, search: str = "") -> list[dict]:
        """Every article in the index, newest first (title, date, source, file, passages);
        only those whose title or file holds ``search`` when given. ("file", not "path": gradio_client
        downloads any dict with a "path" as a file.)"""
        return [dict(zip(["title", "date", "source", "file", "passages"], row))
                for row in self.rows(search, every=True)]

    def api_upload(self, files: list) -> list[dict]:
        """Save article files into the corpus (.txt, .md, .html, .jsonl); each result says where
        it was saved (name) or why it was refused (problem). The index changes at /rebuild."""
        # Gradio hands each file over as a dict of FileData's fields, the upload already on disk.
        given = [(f.get("orig_name") or Path(f["path"]).name, Path(f["path"])) for f in files or []]
        return [vars(result) for result in self.library.upload(given)]

    def upload_from_page(self, paths: list[str] | None) -> str:
        """The page's upload box: Gradio keeps each file's own name as the last part of its path."""
        given = [(Path(p).name, Path(p)) for p in paths or []]
        return upload_markdown([vars(result) for result in self.library.upload(given)])

    def api_remove(self, path: str) -> str:
        """Move an article's file (its path as /articles gives it) to the trash."""
        try:
            where = self.library.remove(path)
        except LibraryError as err:
            return f"Niet verwijderd: {err}"
        return f"`{path.split('#', 1)[0]}` staat in de prullenbak (`{where}`). {NOT_YET}"

    def api_restore(self, path: str) -> str:
        """Put a file back from the trash (its path as the trash list gives it)."""
        try:
            where = self.library.restore(path)
        except LibraryError as err:
            return f"Niet teruggezet: {err}"
        return f"`{where}` staat weer in de corpusmap. {NOT_YET}"

    def api_rebuild(self, progress=None) -> str:
        """Update the index (incremental, in the background) and wait for it; the chat answers
        from the current index meanwhile and switches when the new one lands."""
        status = self.library.start_build()
        while status.running:
            if progress is not None and status.total:
                progress((status.done, status.total), desc="Passages inbedden", unit="passages")
            time.sleep(PROGRESS_SECONDS)
            status = self.library.status
        self.retriever.reload_if_changed()
        return status_markdown(status)


def files_of(rows: list[list]) -> list[str]:
    """The files of the articles listed, for the remove selector (a JSONL file once, however many records)."""
    return sorted({row[3].split("#", 1)[0] for row in rows})


def upload_markdown(results: list[dict]) -> str:
    lines = []
    for r in results:
        if r["saved_as"]:
            renamed = f" als `{r['saved_as']}`" if r["saved_as"] != r["name"] else ""
            line = f"Toegevoegd: `{r['name']}`{renamed} ({r['articles']} artikel(en))"
            if r["notes"]:
                line += "; overgeslagen: " + "; ".join(r["notes"])
        else:
            line = f"Geweigerd: `{r['name']}`: {r['problem']}"
        lines.append(line)
    if any(r["saved_as"] for r in results):
        lines.append(NOT_YET)
    return "\n\n".join(lines) or "Kies eerst een of meer bestanden."


def status_markdown(status: BuildStatus) -> str:
    if status.running:
        return f"Bezig met bijwerken: {status.done} van {status.total} passages ingebed."
    if not status.builds:
        return ""
    mark = "Bijwerken mislukt" if status.failed else "Index bijgewerkt"
    return f"{mark}: {status.summary}".replace("\n", "  \n")


def build_tab(tab: ArticlesTab, on_change):
    """The tab's components and events, inside the caller's ``gr.Tab``. ``on_change``: the
    page's (function, outputs) that redraw the header once the index changed."""
    import gradio as gr

    private = {"api_visibility": "private"}
    listed = tab.rows()  # once for the summary, the table and the remove selector
    summary = gr.Markdown(tab.summary(listed=len(listed)), elem_id="qa-library-summary")
    with gr.Row():
        search = gr.Textbox(label="Zoek op titel of bestand", elem_id="qa-article-search", scale=3)
        rebuild = gr.Button("Index bijwerken", variant="primary", elem_id="qa-rebuild", scale=1)
    build_state = gr.Markdown("", elem_id="qa-build-status")
    table = gr.Dataframe(listed, headers=HEADERS, datatype=["str", "str", "str", "str", "number"],
                         interactive=False, wrap=True, elem_id="qa-articles", max_height=420)
    with gr.Row():
        with gr.Column():
            uploads = gr.File(label="Artikelen toevoegen (.txt, .md, .html, .jsonl)", file_count="multiple",
                              file_types=[".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"],
                              elem_id="qa-upload")
            add = gr.Button("Toevoegen aan de corpusmap", elem_id="qa-upload-button")
            address = gr.Textbox(label="Of een webadres of feed", placeholder="https://…", elem_id="qa-url")
            fetch = gr.Button("Ophalen", elem_id="qa-fetch")
        with gr.Column():
            remove_choice = gr.Dropdown(files_of(listed), label="Bestand", elem_id="qa-remove-file")
            remove = gr.Button("Naar de prullenbak", variant="stop", elem_id="qa-remove")
            trash_choice = gr.Dropdown(tab.library.trashed(), label="Prullenbak", elem_id="qa-trash-file")
            restore = gr.Button("Terugzetten", elem_id="qa-restore")
    message = gr.Markdown("", elem_id="qa-library-message")

    def found(search_text: str = ""):
        rows = tab.rows(search_text)
        return tab.summary(search_text, len(rows)), rows, gr.Dropdown(choices=files_of(rows), value=None)

    def redraw(search_text: str = ""):
        return *found(search_text), gr.Dropdown(choices=tab.library.trashed(), value=None)

    shown = [summary, table, remove_choice, trash_choice]
    search.change(found, search, shown[:3], queue=False, **private)

    add.click(tab.upload_from_page, uploads, message, **private) \
        .then(lambda: None, None, uploads, queue=False, **private) \
        .then(redraw, search, shown, queue=False, **private)
    fetch.click(lambda url: fetch_markdown(tab, url), address, message, **private) \
        .then(redraw, search, shown, queue=False, **private)
    remove.click(tab.api_remove, remove_choice, message, **private) \
        .then(redraw, search, shown, queue=False, **private)
    restore.click(tab.api_restore, trash_choice, message, **private) \
        .then(redraw, search, shown, queue=False, **private)

    def update_index(progress=gr.Progress()):
        return tab.api_rebuild(progress)

    rebuild.click(lambda: "Bezig met bijwerken…", None, build_state, queue=False, **private) \
        .then(update_index, None, build_state, api_name="rebuild", concurrency_id="rebuild",
              concurrency_limit=None) \
        .then(redraw, search, shown, queue=False, **private) \
        .then(on_change[0], None, on_change[1], queue=False, **private)
    # For programs apart from the buttons: a selector only takes the choices it was drawn with.
    gr.api(tab.api_articles, api_name="articles")
    gr.api(_typed(tab.api_upload, files=list[gr.FileData], returns=list[dict]), api_name="upload")
    gr.api(tab.api_remove, api_name="remove")
    gr.api(tab.api_restore, api_name="restore")
    return shown, redraw, search


def fetch_markdown(tab: ArticlesTab, url: str) -> str:
    """A web page or feed fetched into the corpus (qa/adding.py), one line per address."""
    from .adding import add_articles

    addresses = (url or "").split()
    if not addresses:
        return "Vul een webadres in."
    # From the page only web addresses: a path would read a file of the server as a feed.
    refused = [a for a in addresses if not a.lower().startswith(("http://", "https://"))]
    if refused:
        return f"Geen webadres (http:// of https://): {refused[0]}"
    lines = []
    for result in add_articles(addresses, tab.library.corpus_dir, tab.library.settings):
        if result.path:
            lines.append(f"Opgeslagen: `{result.url}` als `{Path(result.path).name}`: {result.title}")
        else:
            lines.append(f"Niet opgeslagen: `{result.url}`: {result.reason}")
    if any(line.startswith("Opgeslagen") for line in lines):
        lines.append(NOT_YET)
    return "\n\n".join(lines) or "Niets nieuws."


def _typed(method, returns, **parameters):
    """``method`` with the type hints gr.api reads to make its endpoint (files for upload), which
    this module cannot write in its signatures without importing Gradio for every `qa ask`."""
    def endpoint(*args, **kwargs):
        return method(*args, **kwargs)

    endpoint.__name__, endpoint.__doc__ = method.__name__, method.__doc__
    endpoint.__signature__ = inspect.signature(method)
    endpoint.__annotations__ = dict(parameters, **{"return": returns})
    return endpoint
