"""Managing the articles from the web page: files uploaded into the corpus folder, removed
into a trash folder beside the index and put back, and the index updated in the background.

No Gradio here: the Artikelen tab (qa/web_articles.py) and its endpoints call this. Nothing a
user gives is trusted: file names are made safe, nothing is overwritten, and a file is only
kept when the corpus reader finds an article in it.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import queue
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .corpus import SUPPORTED_EXTENSIONS, scan_corpus
from .index import index_location, is_database_url

NAME_CHARACTERS = 100  # a safe name's length at most, extension included


@dataclass
class Upload:
    """What became of one uploaded file: saved under ``saved_as``, or refused for ``problem``."""

    name: str
    saved_as: str = ""
    problem: str = ""
    articles: int = 0
    notes: list[str] = field(default_factory=list)  # kept, with something left out (a broken JSONL line)


@dataclass
class BuildStatus:
    """The background index update, as the page shows it."""

    running: bool = False
    done: int = 0  # chunks embedded so far
    total: int = 0  # chunks to embed
    summary: str = ""  # the last build's report, or its error
    failed: bool = False
    builds: int = 0  # builds finished since the app started
    queued: bool = False  # changes made during this build: another one follows it


class LibraryError(ValueError):
    """A management request that cannot be done; the message says why."""


def safe_file_name(name: str) -> str:
    """A name that stays in the corpus folder and reads the same everywhere: no folders
    ("../../x.txt" -> "x.txt"), no hidden or control characters, letters and digits kept."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-_.") or "artikel"
    extension = re.sub(r"[^\w]+", "", extension).lower()
    if stem.lower() == "readme":  # the corpus reader leaves README files out
        stem = "artikel-readme"
    room = NAME_CHARACTERS - len(extension) - 1
    return f"{stem[:room]}.{extension}" if extension else stem[:NAME_CHARACTERS]


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3`` ... when taken: nothing is overwritten."""
    path = folder / name
    stem, suffix, number = path.stem, path.suffix, 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


class Library:
    """The corpus folder a web app manages, the trash beside its index, and its index updates.

    Settings given here are used for everything. Without them, the library's own work (upload
    and fetch limits, ``settings``) follows the environment, and builds start from the settings
    kept with the index (``build_settings`` None; build_index), as `qa build` does."""

    def __init__(self, corpus_dir: Path, index_dir: Path, settings: Settings | None = None):
        self.corpus_dir = Path(corpus_dir)
        self.index_dir = index_location(index_dir)
        self.build_settings = settings
        self.settings = settings or Settings.from_env()
        # Beside a folder index; beside the corpus for one in a database.
        beside = self.corpus_dir if is_database_url(index_dir) else self.index_dir
        self.trash_dir = beside.parent / f"{beside.name}-trash"
        self.status = BuildStatus()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # --- files in and out ---

    def upload(self, files: list[tuple[str, Path]]) -> list[Upload]:
        """Each (name as given, file) checked and saved into the corpus folder under a safe,
        free name; the others are kept whatever one of them holds."""
        self.corpus_dir.mkdir(parents=True, exist_ok=True)
        return [self._upload_one(name, Path(path)) for name, path in files]

    def _upload_one(self, given: str, path: Path) -> Upload:
        result = Upload(name=given)
        name = safe_file_name(given)
        extension = Path(name).suffix.lower()
        limit = self.settings.upload_max_bytes
        if extension not in SUPPORTED_EXTENSIONS:
            result.problem = f"geen artikelbestand ({extension or 'geen extensie'}): gebruik .txt, .md, .html of .jsonl"
        elif path.stat().st_size > limit:
            result.problem = f"groter dan de grens van {_size(limit)} (QA_UPLOAD_MAX_BYTES)"
        if result.problem:
            return result
        # Read where the build will not see it (a hidden folder in the corpus, so the move is a
        # rename on one disk), and kept only when the corpus reader finds an article.
        with tempfile.TemporaryDirectory(prefix=".upload-", dir=self.corpus_dir) as staging:
            staged = Path(staging) / name
            shutil.copyfile(path, staged)
            scan = scan_corpus(Path(staging))
            if not scan.articles:
                reasons = "; ".join(reason for _, reason in scan.skipped[:3]) or "geen artikeltekst"
                result.problem = f"niet te lezen: {reasons}"
                return result
            result.articles = len(scan.articles)
            result.notes = [f"{where}: {reason}" for where, reason in scan.skipped[:5]]
            target = self._claim(self.corpus_dir, name)
            os.replace(staged, target)
        result.saved_as = target.relative_to(self.corpus_dir).as_posix()
        return result

    @staticmethod
    def _claim(folder: Path, name: str) -> Path:
        """A free name in ``folder``, reserved by creating it (two uploads of one name at once
        get two files)."""
        while True:
            target = free_name(folder, name)
            try:
                with open(target, "x"):
                    return target
            except FileExistsError:
                continue

    def remove(self, listed_path: str) -> str:
        """Move the file of an article (as the list shows its path) to the trash; returns where
        it went, relative to the trash folder."""
        source = self._corpus_file(listed_path)
        relative = source.relative_to(self.corpus_dir.resolve())
        (self.trash_dir / relative.parent).mkdir(parents=True, exist_ok=True)
        target = self._claim(self.trash_dir / relative.parent, relative.name)
        _move(source, target)
        return target.relative_to(self.trash_dir).as_posix()

    def trashed(self) -> list[str]:
        if not self.trash_dir.is_dir():
            return []
        return sorted(p.relative_to(self.trash_dir).as_posix() for p in self.trash_dir.rglob("*") if p.is_file())

    def restore(self, trashed_path: str) -> str:
        """Put a file back from the trash; a file of that name made meanwhile is kept apart."""
        source = (self.trash_dir / trashed_path).resolve()
        if not source.is_relative_to(self.trash_dir.resolve()) or not source.is_file():
            raise LibraryError(f"niet in de prullenbak: {trashed_path}")
        relative = source.relative_to(self.trash_dir.resolve())
        folder = self.corpus_dir / relative.parent
        folder.mkdir(parents=True, exist_ok=True)
        target = self._claim(folder, relative.name)
        _move(source, target)
        return target.relative_to(self.corpus_dir).as_posix()

    def _corpus_file(self, listed_path: str) -> Path:
        file_part = (listed_path or "").split("#", 1)[0]  # a JSONL record: its whole file
        root = self.corpus_dir.resolve()
        path = (root / file_part).resolve()
        if not file_part or not path.is_relative_to(root) or not path.is_file():
            raise LibraryError(f"geen bestand in de corpusmap {self.corpus_dir}: {listed_path}")
        return path

    # --- the index update ---

    def start_build(self) -> BuildStatus:
        """An incremental build in a background thread; asked during one, another follows it
        (uploads and removals made meanwhile are in it)."""
        with self._lock:
            if self._thread and self._thread.is_alive():
                self.status.queued = True
                return self.status
            self.status = BuildStatus(running=True, builds=self.status.builds)
            self._thread = threading.Thread(target=self._build_until_settled, name="qa-build", daemon=True)
            self._thread.start()
            return self.status

    def wait(self, timeout: float | None = None) -> BuildStatus:
        thread = self._thread
        if thread:
            thread.join(timeout)
        return self.status

    def _build_until_settled(self) -> None:
        while True:
            summary, failed = self._build_in_child()
            with self._lock:
                self.status.summary, self.status.failed = summary, failed
                self.status.builds += 1
                if not self.status.queued:
                    self.status.running = False
                    return
                self.status.queued, self.status.done, self.status.total = False, 0, 0

    def _build_in_child(self) -> tuple[str, bool]:
        """One build in a process of its own, so the model it loads (about 1 GB) leaves with it
        and the page's process stays the size it was; returns (summary or error, failed)."""
        context = multiprocessing.get_context("spawn")  # not fork: the page's threads stay behind
        messages = context.Queue()
        child = context.Process(target=_build_child, name="qa-build", daemon=True,
                                args=(str(self.corpus_dir), str(self.index_dir),
                                      self.build_settings and self.build_settings.to_dict(), messages))
        child.start()
        while True:
            try:
                kind, *values = messages.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    child.join()
                    return f"the build process ended unexpectedly (exit status {child.exitcode})", True
                continue
            if kind == "progress":
                self._progress(*values)
                continue
            child.join()
            return values[0], kind == "failed"

    def _progress(self, done: int, total: int) -> None:
        self.status.done, self.status.total = done, total


def _build_child(corpus: str, index: str, settings: dict | None, messages) -> None:
    """The build process: progress and the outcome go back as messages; never raises."""
    from .index import build_index

    try:
        report = build_index(corpus, index, Settings(**settings) if settings else None,
                             on_progress=lambda done, total: messages.put(("progress", done, total)))
        messages.put(("done", report.summary()))
    except Exception as err:  # a build error is shown in the page, one line
        messages.put(("failed", f"{type(err).__name__}: {err}".splitlines()[0]))


def _move(source: Path, target: Path) -> None:
    """Rename onto ``target`` (claimed, empty); copied then removed where the trash is on
    another disk than the corpus."""
    try:
        os.replace(source, target)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        shutil.copy2(source, target)
        source.unlink()


def _size(count: int) -> str:
    return f"{count / 1e6:.0f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"
