"""Index: build and store everything a query needs, as plain files.

Layout of an index folder::

    index/
      CURRENT              name of the generation that is serving (swapped atomically)
      cache.sqlite         passage vectors by model + text hash, keyword tokens by text hash
                           (what makes rebuilds cheap); a build drops the texts it no longer uses
      gen-000001/
        manifest.json      format, model, chunking settings, counts: what describes the index
        config.json        the settings the generation was built with (the others where not the default)
        store.sqlite       articles (with their content hashes), chunks, and the size and
                           modification time of every article file
        vectors.faiss      inner product on normalized vectors, ids = chunk ids
        bm25/              bm25s keyword index of the chunks (Dutch stemmer and stop words)
        bm25-articles/     the same over whole articles: article-level evidence for ranking

A build writes a new generation next to the serving one and switches ``CURRENT`` only
when it is complete, so an interrupted build never damages what is serving.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from .analysis import KeywordTokenizer, analyser_version
from .chunking import CHUNKING_VERSION, Chunk, chunk_article
from .config import Settings
from .corpus import Article, CorpusScan, corpus_fingerprint, corpus_roots, scan_corpus
from .errors import BuildLockedError, EmptyCorpusError, IndexLoadError, first_line
from .embedding import Embedder, ModelSpec, resolve_model, torch_threads, usable_cpus

FORMAT_VERSION = 3  # 2: manifest records vector_mean; 3: articles and files in store.sqlite, not the manifest


@dataclass
class BuildReport:
    articles: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0  # chunks whose vectors were computed (not taken from the cache)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # read, with something left out
    duplicates: list[tuple[str, list[str]]] = field(default_factory=list)  # (article id, all its paths)
    full: bool = False
    full_reason: str = ""
    model: str = ""
    notice: str = ""
    generation: str = ""
    seconds: float = 0.0
    vectors_reused: bool = False  # an ANN graph was updated in place instead of rebuilt
    retired_vectors: int = 0  # graph entries of removed chunks, skipped at search time
    cache_dropped: int = 0  # cached vectors and tokens no article needs any more

    def summary(self) -> str:
        lines = [
            f"{self.articles} articles, {self.chunks} chunks in {self.seconds:.1f} s "
            f"({'full build' + (': ' + self.full_reason if self.full_reason else '') if self.full else 'incremental'})",
            f"added {self.added}, updated {self.updated}, removed {self.removed}, unchanged {self.unchanged}, "
            f"skipped {len(self.skipped)}; {self.embedded} chunks embedded",
        ]
        if self.vectors_reused:
            lines.append(f"vector graph updated in place ({self.retired_vectors} retired entries)")
        if self.cache_dropped:
            lines.append(f"cache: {self.cache_dropped} entries no article needs any more were dropped")
        lines += [f"skipped {path}: {reason}" for path, reason in self.skipped]
        lines += [f"ignored {path}: {reason}" for path, reason in self.ignored]
        lines += [f"note {path}: {note}" for path, note in self.notes]
        lines += [f"duplicate article {aid} indexed once: {', '.join(paths)}" for aid, paths in self.duplicates]
        return "\n".join(lines)


# --- paths and the serving generation ------------------------------------------------------

def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return index_dir / name if name else None


def read_manifest(generation: Path) -> dict:
    try:
        manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexLoadError(f"index at {generation} has no manifest: run `qa build --full`") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IndexLoadError(f"index manifest {generation / 'manifest.json'} is damaged: run `qa build --full`") from None
    if not isinstance(manifest, dict):
        raise IndexLoadError(f"index manifest {generation / 'manifest.json'} is damaged: run `qa build --full`")
    if manifest.get("format", 0) > FORMAT_VERSION:
        raise IndexLoadError(
            f"index was written by a newer version of qa (format {manifest.get('format')}, "
            f"this one reads {FORMAT_VERSION}): upgrade qa or run `qa build --full`"
        )
    if not {"format", "model", "counts"} <= manifest.keys() \
            or not isinstance(manifest["model"], dict) or "name" not in manifest["model"]:
        raise IndexLoadError(f"index manifest {generation / 'manifest.json'} is incomplete: run `qa build --full`")
    return manifest


def changed_articles(corpus: str | os.PathLike | Sequence[str | os.PathLike], files: dict) -> int:
    """How many article files were added, changed or removed since a build recorded ``files``
    ({path: [size, mtime_ns]}: stored_files)."""
    now = corpus_fingerprint(corpus)
    return sum(1 for path in now.keys() | files.keys() if now.get(path) != files.get(path))


def stored_files(generation: Path, manifest: dict) -> dict[str, list[int]]:
    """The article files a generation was built from: {path: [size, mtime_ns]}."""
    if "files" in manifest:  # format 2
        return manifest["files"]
    return {path: [size, mtime] for path, size, mtime in _read_store(generation, "SELECT path, size, mtime_ns FROM files")}


def stored_articles(generation: Path, manifest: dict) -> dict[str, dict]:
    """The articles of a generation: {id: {"hash": content hash, "path": file}}."""
    if "articles" in manifest:  # format 2
        return manifest["articles"]
    return {aid: {"hash": digest, "path": path}
            for aid, digest, path in _read_store(generation, "SELECT id, hash, path FROM articles")}


def _read_store(generation: Path, sql: str) -> list[tuple]:
    try:
        with closing(sqlite3.connect(f"file:{generation / 'store.sqlite'}?mode=ro", uri=True)) as db:
            return db.execute(sql).fetchall()
    except sqlite3.DatabaseError:
        return []  # a damaged or missing store: nothing known, so everything counts as changed


def corpora_to_check(manifest: dict, given: Sequence[str | os.PathLike] | None = None) -> list[str]:
    """The corpus folders to compare with an index for changes: those given, else the ones it
    was built from; once those are gone (the project moved), folders of the same names here;
    ./corpus for an index from an older qa; [] when there is nothing sure to compare."""
    if given:
        return [str(corpus) for corpus in given]
    built = list(manifest.get("corpora") or [])
    if not built:
        return ["corpus"]
    if any(Path(corpus).exists() for corpus in built):
        return built
    # The manifest's file paths are relative to these names, so only the same names compare.
    here = [Path(corpus).name for corpus in built]
    return here if all(Path(corpus).exists() for corpus in here) else []


def changed_since_build(manifest: dict, files: dict, given: Sequence[str | os.PathLike] | None = None) -> int:
    """How many article files changed since the build (which recorded ``files``) in the folders
    corpora_to_check names; 0 when none of them exists (nothing to compare, rather than every
    file counted as removed)."""
    corpora = corpora_to_check(manifest, given)
    if not any(Path(corpus).exists() for corpus in corpora):
        return 0
    return changed_articles(corpora, files)


def keywords_outdated(manifest: dict) -> bool:
    """Whether the keyword index was written by another tokenizer than this code's (an older or
    newer qa): it still serves, but query keywords it lacks match nothing until `qa build`."""
    return manifest.get("tokenizer") != analyser_version(manifest.get("languages", Settings.languages))


def _switch_current(index_dir: Path, generation: Path) -> None:
    tmp = index_dir / "CURRENT.tmp"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    _fsync_dir(index_dir)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """An exclusive flock: the kernel drops it when the holder dies, so a killed build never blocks."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLockedError(f"another build is running on {index_dir} ({holder}); try again when it ends") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- the embedding cache -----------------------------------------------------------------

class TextCache:
    """Derived data (vectors, keyword tokens) by a hash of namespace + text, in one SQLite file
    beside the generations: text that did not change is never processed twice. Each row records
    its namespace (model or tokenizer version), so pruning can spare another model's vectors."""

    def __init__(self, path: Path, table: str, namespace: str):
        self.path, self.table, self.namespace = path, table, namespace
        self.asked: set[str] = set()  # what this build needs (see forget_unused)
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL, namespace TEXT)")
        if "namespace" not in {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}:
            self.db.execute(f"ALTER TABLE {table} ADD COLUMN namespace TEXT")  # a cache from before pruning

    def key(self, text: str) -> str:
        return text_key(self.namespace, text)

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        self.asked.update(keys)
        found: dict[str, bytes] = {}
        for i in range(0, len(keys), 900):  # SQLite's parameter limit
            batch = keys[i:i + 900]
            found.update(self.db.execute(
                f"SELECT key, value FROM {self.table} WHERE key IN ({','.join('?' * len(batch))})", batch))
        return found

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        self.db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, value, namespace) VALUES (?, ?, ?)",
                            ((key, value, self.namespace) for key, value in items))
        self.db.commit()

    def forget_unused(self, every_namespace: bool = False) -> int:
        """Drop the rows of this namespace that this build did not ask for (edited or removed
        articles), or of every namespace (an older tokenizer's tokens); returns how many went."""
        with closing(sqlite3.connect(self.path)) as db:
            db.execute("CREATE TEMP TABLE keep (key TEXT PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in self.asked))
            # Rows cached before namespaces were recorded: those this build used are its own.
            db.execute(f"UPDATE {self.table} SET namespace = ? WHERE namespace IS NULL "
                       f"AND key IN (SELECT key FROM keep)", (self.namespace,))
            where, args = ("", ()) if every_namespace else ("namespace = ? AND ", (self.namespace,))
            dropped = db.execute(f"DELETE FROM {self.table} WHERE {where}key NOT IN (SELECT key FROM keep)", args).rowcount
            db.commit()
        return dropped

    def close(self) -> None:
        self.db.close()


def text_key(namespace: str, text: str) -> str:
    """What derived data of a text is found by: the text and what derived it (model, tokenizer)."""
    return hashlib.sha256(f"{namespace}\x00{text}".encode("utf-8")).hexdigest()


def cache_path(index_dir: Path) -> Path:
    return index_dir / "cache.sqlite"


DATABASE_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(index: str | os.PathLike) -> bool:
    """Whether an index is a PostgreSQL address (qa/postgres.py) rather than a folder."""
    return isinstance(index, str) and index.startswith(DATABASE_SCHEMES)


def index_location(index: str | os.PathLike) -> str | Path:
    """A folder as a Path; a database address as it is (a Path would fold its "//")."""
    return index if is_database_url(index) else Path(index)


def shown(index: str | os.PathLike) -> str:
    """An index as messages and logs name it: a database address without its password."""
    return redact(index) if is_database_url(index) else str(index)


def redact(url: str) -> str:
    """The address without its password (in the user part or a password= parameter)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:***@{netloc.rsplit('@', 1)[1]}"
    query = urlencode([(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query)])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def index_exists(index: str | os.PathLike) -> bool:
    """Whether a build has landed at the index (a folder's CURRENT, a database's tables)."""
    if is_database_url(index):
        from .postgres import index_exists as in_database

        return in_database(index)
    return current_generation(Path(index)) is not None


# How a build runs on the machine it runs on, not what it makes: not carried to the next build.
PER_BUILD_SETTINGS = ("ray", "ray_actor_cpus", "batch_size")


def generation_settings(generation: Path) -> Settings:
    """The settings a generation was built with (defaults for a generation that keeps none). A
    damaged config.json is a one-line error: serving or building on defaults would silently
    change thresholds, or re-embed everything with the default model."""
    path = generation / "config.json"
    try:
        return Settings.load(path)
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError, TypeError) as err:
        raise IndexLoadError(f"index settings {path} are damaged ({first_line(err)}): run `qa build --full` "
                             "with the flags or QA_* variables you want") from None


def saved_settings(index: str | os.PathLike, *, full: bool = False) -> Settings:
    """The settings kept with the index, which its next build starts from (under ``QA_*``
    variables and flags): a threshold or ``today`` set at one build is not lost at the next.
    Defaults where there is no index yet; damaged settings are an IndexLoadError unless the build
    is ``full``, which starts from the defaults."""
    try:
        if is_database_url(index):
            from .postgres import saved_config

            saved = _settings_from(saved_config(str(index)), redact(str(index)))
        else:
            generation = current_generation(Path(index))
            saved = generation_settings(generation) if generation else Settings()
    except IndexLoadError:
        if not full:
            raise
        saved = Settings()
    return dataclasses.replace(saved, **{name: getattr(Settings(), name) for name in PER_BUILD_SETTINGS})


def _settings_from(saved: dict, where: str) -> Settings:
    try:
        return Settings.from_dict(saved)
    except (ValueError, TypeError) as err:
        raise IndexLoadError(f"the settings kept in {where} are damaged ({first_line(err)}): run "
                             f"`qa build --full --index {where}` with the flags or QA_* variables you want") from None


def is_default_index(index_dir: str | os.PathLike) -> bool:
    """Whether a folder is ./index however it is written: the one a plain `qa build` makes."""
    return os.path.abspath(index_dir) == os.path.abspath("index")


def _forget_unused(vectors: TextCache, tokens: TextCache, report: BuildReport) -> None:
    """After a build has landed, drop what it no longer needs, so the cache does not grow with
    every edit. Other models' vectors stay: a build that fell back to the offline model must
    not cost the real one a full re-embedding. A failure here is noted, not raised: the new
    generation already serves. The file is compacted once more than half of it is free."""
    try:
        report.cache_dropped = vectors.forget_unused() + tokens.forget_unused(every_namespace=True)
        with closing(sqlite3.connect(vectors.path)) as db:
            free, pages = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("freelist_count", "page_count"))
            if free * 2 > pages:
                db.execute("VACUUM")
    except sqlite3.Error as err:
        report.notes.append((vectors.path.name, f"unused entries not dropped: {err}"))


# --- building ------------------------------------------------------------------------------

def build_index(
    corpus: str | os.PathLike | Sequence[str | os.PathLike],
    index: str | os.PathLike = "index",
    settings: Settings | None = None,
    *,
    full: bool = False,
    progress: bool = False,
    ray: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build or update the index for a corpus folder (or several); returns what was done.

    ``ray``: embed on a Ray cluster ("auto", "local" or "ray://host:10001"; qa/cluster.py);
    default the ``ray`` setting, empty for this machine alone. ``on_progress(done, total)``:
    called as chunks are embedded (the web page's progress bar)."""
    settings = settings or Settings.from_env(base=saved_settings(index, full=full))
    ray_address = settings.ray if ray is None else ray
    if ray_address:  # before any work: a missing extra is found in a second, not after chunking
        from .cluster import import_ray

        import_ray()
    if is_database_url(index):
        from .postgres import build_postgres_index

        return build_postgres_index(corpus, str(index), settings, full=full, progress=progress,
                                    ray_address=ray_address, on_progress=on_progress)
    index_dir = Path(index)
    started = time.perf_counter()
    with build_lock(index_dir):
        fingerprint = corpus_fingerprint(corpus)
        # Recorded so that `qa ask` and the chat check these folders for changes by default.
        # Absolute, not resolved: a symlinked corpus is followed to wherever it points later.
        corpora = [os.path.abspath(root) for root in corpus_roots(corpus)]
        scan = scan_corpus(corpus)
        previous = _previous_manifest(index_dir)
        if not scan.articles:
            # The index is kept (a folder unmounted or mistyped must not wipe it), so say how to empty it.
            raise empty_corpus_error(corpus, scan, previous, f"{index_dir}", "(to empty it, remove that folder)")
        spec = resolve_model(settings)
        articles, report = _articles_and_report(scan, spec)
        budget, embedder = _token_budget(previous, spec, settings)
        report.full, report.full_reason = _needs_full_build(previous, spec, settings, budget, full)
        old_articles = {} if report.full else stored_articles(current_generation(index_dir), previous)
        _count_changes(report, articles, old_articles)
        if _up_to_date(report, previous, fingerprint, corpora, settings, index_dir):
            report.articles, report.chunks = len(articles), previous["counts"]["chunks"]
            report.generation, report.seconds = previous["generation"], time.perf_counter() - started
            return report
        embedder = embedder or Embedder(spec, precision=settings.precision, batch_size=settings.batch_size)

        chunks = _chunk_all(articles, embedder, settings, budget, _previous_store(index_dir), old_articles)
        cache = TextCache(cache_path(index_dir), "vectors", spec.name)
        try:
            with torch_threads(usable_cpus()):
                vectors, report.embedded = _embed_with_cache(chunks, embedder, cache, progress, ray_address,
                                                             settings.ray_actor_cpus, on_progress)
        finally:
            cache.close()

        generation = _next_generation_dir(index_dir)
        staging = index_dir / f".staging-{generation.name}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        _write_store(staging / "store.sqlite", articles, chunks, fingerprint)
        previous_vectors = None if report.full else _previous_vectors(index_dir, previous)
        index_type, retired = _write_vectors(
            staging / "vectors.faiss", vectors, settings, [embedding_text(c) for c in chunks], previous_vectors)
        report.vectors_reused, report.retired_vectors = retired is not None, retired or 0
        tokens = TextCache(cache_path(index_dir), "tokens", analyser_version(settings.languages))
        try:
            _write_bm25(staging / "bm25", [_keyword_text(a, c) for a, c in _with_articles(articles, chunks)],
                        settings, tokens)
            _write_bm25(staging / "bm25-articles", [f"{a.title}\n{a.body}" for a in articles], settings, tokens)
        finally:
            tokens.close()
        report.articles, report.chunks = len(articles), len(chunks)
        report.seconds = time.perf_counter() - started
        report.generation = generation.name
        settings.save(staging / "config.json")
        _write_manifest(staging, spec, embedder, settings, budget, index_type, report, corpora, vectors.mean(axis=0))
        _fsync_tree(staging)
        os.replace(staging, generation)
        _fsync_dir(index_dir)
        previous_generation = current_generation(index_dir)
        _switch_current(index_dir, generation)
        _prune_generations(index_dir, keep={generation, previous_generation})
        _forget_unused(cache, tokens, report)
    return report


def empty_corpus_error(corpus, scan: CorpusScan, previous: dict, index: str, how_to_empty: str = "") -> EmptyCorpusError:
    """No readable article: the first reasons, and that the index still serves its last build."""
    problems = "; ".join(f"{p}: {r}" for p, r in scan.skipped[:5]) or "no article files found"
    served = previous.get("counts", {}).get("articles", 0)
    kept = f"; {index} still serves the {served} articles of its last build" if served else ""
    kept += f" {how_to_empty}" if kept and how_to_empty else ""
    return EmptyCorpusError(f"no readable articles in {corpus} ({problems}); nothing was indexed{kept}")


def _articles_and_report(scan: CorpusScan, spec: ModelSpec) -> tuple[list[Article], BuildReport]:
    """The articles, each text once, and the report a build starts from."""
    articles, duplicates = _deduplicate(scan)
    return articles, BuildReport(skipped=scan.skipped, ignored=scan.ignored, notes=scan.notes,
                                 duplicates=duplicates, model=spec.name, notice=spec.notice)


def _token_budget(previous: dict, spec: ModelSpec, settings: Settings) -> tuple[int, Embedder | None]:
    """The chunks' token budget, and the model when it had to be loaded for it: loading costs
    seconds, and an unchanged model and chunking reuse the previous build's budget."""
    budget = _reusable_budget(previous, spec, settings)
    if budget is not None:
        return budget, None
    embedder = Embedder(spec, precision=settings.precision, batch_size=settings.batch_size)
    return embedder.token_budget(settings.chunk_tokens), embedder


def _deduplicate(scan: CorpusScan) -> tuple[list[Article], list[tuple[str, list[str]]]]:
    """The same text under two names is indexed once; the report names every path."""
    by_text: dict[str, Article] = {}
    paths: dict[str, list[str]] = {}
    for article in scan.articles:
        key = hashlib.sha256(article.body.encode("utf-8")).hexdigest()
        if key in by_text:
            paths[key].append(article.path)
        else:
            by_text[key], paths[key] = article, [article.path]
    duplicates = [(by_text[k].id, p) for k, p in paths.items() if len(p) > 1]
    return list(by_text.values()), duplicates


def _previous_manifest(index_dir: Path) -> dict:
    generation = current_generation(index_dir)
    if generation is None:
        return {}
    try:
        return read_manifest(generation)
    except IndexLoadError:
        return {}


def _previous_store(index_dir: Path) -> Path | None:
    generation = current_generation(index_dir)
    store = generation / "store.sqlite" if generation else None
    return store if store and store.exists() else None


def _needs_full_build(previous: dict, spec: ModelSpec, settings: Settings, budget: int, asked: bool) -> tuple[bool, str]:
    if asked:
        return True, "asked for (--full)"
    if not previous:
        return True, "no previous index"
    if previous.get("model", {}).get("name") != spec.name:
        return True, f"embedding model changed ({previous.get('model', {}).get('name')} -> {spec.name})"
    chunking = _chunking_record(settings, budget)
    if previous.get("chunking") != chunking:
        return True, "chunking settings changed"
    return False, ""


def _reusable_budget(previous: dict, spec: ModelSpec, settings: Settings) -> int | None:
    """The previous build's token budget, when the model and chunking settings are the same."""
    chunking = previous.get("chunking", {})
    same_model = previous.get("model", {}).get("name") == spec.name
    same_chunking = {k: v for k, v in chunking.items() if k != "token_budget"} == \
        {k: v for k, v in _chunking_record(settings, 0).items() if k != "token_budget"}
    return chunking.get("token_budget") if same_model and same_chunking else None


def _up_to_date(report: BuildReport, previous: dict, fingerprint: dict, corpora: list[str], settings: Settings,
                index_dir: Path) -> bool:
    """Nothing changed since the serving generation: same files and folders, same settings, no article changes."""
    generation = current_generation(index_dir)
    if report.full or report.added or report.updated or report.removed \
            or previous.get("corpora") != corpora or previous.get("format") != FORMAT_VERSION \
            or keywords_outdated(previous) or stored_files(generation, previous) != fingerprint:
        return False  # a new tokenizer re-tokenizes the keyword index (the vectors are reused)
    try:
        return Settings.load(generation / "config.json") == settings
    except (OSError, ValueError, TypeError):
        return False


def _chunking_record(settings: Settings, budget: int) -> dict:
    """Everything that decides chunk boundaries; any change re-chunks (and so rebuilds) all."""
    return dict(settings.chunking_key(), token_budget=budget, version=CHUNKING_VERSION)


def _count_changes(report: BuildReport, articles: list[Article], old: dict) -> None:
    current = {a.id: a.content_hash for a in articles}
    for article_id, digest in current.items():
        if article_id not in old:
            report.added += 1
        elif old[article_id]["hash"] != digest:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = sum(1 for article_id in old if article_id not in current)


def _chunk_all(
    articles: list[Article], embedder: Embedder, settings: Settings, budget: int,
    previous_store: Path | None, old_articles: dict,
) -> list[Chunk]:
    """Chunks for every article; unchanged articles reuse the previous generation's chunks."""
    reusable = {a.id for a in articles if old_articles.get(a.id, {}).get("hash") == a.content_hash}
    old_chunks = _load_chunks(previous_store, reusable) if previous_store and reusable else {}
    chunks: list[Chunk] = []
    for article in articles:
        if article.id in old_chunks:
            chunks.extend(old_chunks[article.id])
        else:
            chunks.extend(chunk_article(
                article, embedder.count_tokens, budget,
                settings.overlap_sentences, settings.heading_max_words,
            ))
    return chunks


def _load_chunks(store: Path, article_ids: set[str]) -> dict[str, list[Chunk]]:
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT article_id, ordinal, paragraph, heading, start, end, text FROM chunks ORDER BY id"
        ).fetchall()
    except sqlite3.DatabaseError:
        return {}  # a damaged previous store only costs re-chunking
    finally:
        db.close()
    found: dict[str, list[Chunk]] = {}
    for row in rows:
        if row[0] in article_ids:
            found.setdefault(row[0], []).append(Chunk(*row))
    return found


def _embed_with_cache(
    chunks: list[Chunk], embedder: Embedder, cache: TextCache, progress: bool, ray_address: str = "",
    ray_actor_cpus: int = 1, on_progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, int]:
    texts = [embedding_text(c) for c in chunks]
    keys = [cache.key(t) for t in texts]
    found = {k: np.frombuffer(v, dtype=np.float32) for k, v in cache.get_many(list(dict.fromkeys(keys))).items()}
    text_of = dict(zip(keys, texts))
    # Longest first across the whole build, not only within one encode call: batches of
    # similar length waste no compute on padding.
    missing = sorted(dict.fromkeys(k for k in keys if k not in found), key=lambda k: -len(text_of[k]))
    bar = _progress_bar(len(missing), progress)
    cached = len(found)

    def receive(part: list[str], vectors: np.ndarray) -> None:
        # Written to the cache as produced: an interrupted build keeps its work.
        cache.put_many((k, v.astype(np.float32).tobytes()) for k, v in zip(part, vectors))
        found.update(zip(part, vectors))
        bar.update(len(part))
        if on_progress:
            on_progress(len(found) - cached, len(missing))

    try:
        if ray_address and missing:
            from .cluster import embed_on_cluster

            embed_on_cluster(ray_address, ray_actor_cpus, embedder, missing, [text_of[k] for k in missing], receive)
        else:
            batch = 512
            for i in range(0, len(missing), batch):
                part = missing[i:i + batch]
                receive(part, embedder.encode_passages([text_of[k] for k in part]))
    finally:
        bar.close()
    matrix = np.vstack([found[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, embedder.dim), np.float32)
    return matrix, len(missing)


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="chunk", desc="embedding", disable=not enabled or total == 0, file=sys.stderr)


def embedding_text(chunk: Chunk) -> str:
    """What the dense model sees: the chunk text as it stands in the article."""
    return chunk.text


def _keyword_text(article: Article, chunk: Chunk) -> str:
    """What BM25 sees: the chunk plus its article's title, which names the subject."""
    return f"{article.title}\n{chunk.text}"


def _with_articles(articles: list[Article], chunks: list[Chunk]) -> Iterable[tuple[Article, Chunk]]:
    by_id = {a.id: a for a in articles}
    return ((by_id[c.article_id], c) for c in chunks)


def _next_generation_dir(index_dir: Path) -> Path:
    numbers = [int(p.name.split("-")[1]) for p in index_dir.glob("gen-*") if p.name.split("-")[1].isdigit()]
    return index_dir / f"gen-{max(numbers, default=0) + 1:06d}"


def _prune_generations(index_dir: Path, keep: set[Path | None]) -> None:
    """Drop every generation but the new one and the one it replaced (a running retriever may
    still read that one), and any staging leftovers of killed builds."""
    for folder in index_dir.glob("gen-*"):
        if folder.is_dir() and folder not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    for leftover in index_dir.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    """Flush every file of a finished generation before it becomes visible (power-loss safety)."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


# --- writing the files ---------------------------------------------------------------------

STORE_SCHEMA = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY, title TEXT, date TEXT, source TEXT, url TEXT, byline TEXT,
    path TEXT, hash TEXT, body TEXT
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY, article_id TEXT REFERENCES articles(id), ordinal INTEGER,
    paragraph INTEGER, heading TEXT, start INTEGER, end INTEGER, text TEXT
);
CREATE INDEX chunks_by_article ON chunks(article_id, ordinal);
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER);
"""


def _write_store(path: Path, articles: list[Article], chunks: list[Chunk], files: dict[str, list[int]]) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(STORE_SCHEMA)
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((a.id, a.title, a.date, a.source, a.url, a.byline, a.path, a.content_hash, a.body) for a in articles),
        )
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((i, c.article_id, c.ordinal, c.paragraph, c.heading, c.start, c.end, c.text) for i, c in enumerate(chunks)),
        )
        db.executemany("INSERT INTO files VALUES (?, ?, ?)", ((p, size, mtime) for p, (size, mtime) in files.items()))
        db.commit()
    finally:
        db.close()


def _write_vectors(
    path: Path, vectors: np.ndarray, settings: Settings, texts: Sequence[str] = (),
    previous: tuple[Path, Path, str] | None = None,
) -> tuple[str, int | None]:
    """Exact search up to ``flat_max_chunks``, HNSW beyond; optionally 8-bit scalar-quantized
    vectors (4x smaller) for corpora of millions of chunks. Ids are the chunk ids.

    An HNSW graph takes minutes to build at 100k+ chunks, so an incremental build updates
    the previous one (``previous``: its vectors file, store and index type) instead: see
    ``_update_hnsw``. Returns the index type and the number of retired graph entries (None
    when the index was built anew)."""
    import faiss

    kind = _index_kind(len(vectors), settings)
    if previous is not None and kind.startswith("hnsw") and previous[2] == kind:
        updated = _update_hnsw(previous[0], previous[1], vectors, texts)
        if updated is not None:
            index, retired = updated
            faiss.write_index(index, str(path))
            return kind, retired
    index = _new_vector_index(kind, vectors.shape[1])
    if not index.is_trained:
        index.train(vectors)
    index = faiss.IndexIDMap2(index)
    index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    faiss.write_index(index, str(path))
    return kind, None


def _index_kind(count: int, settings: Settings) -> str:
    if settings.vector_compression not in {"none", "sq8"}:
        raise ValueError(f"vector_compression must be none or sq8, not {settings.vector_compression!r}")
    kind = "hnsw" if count > settings.flat_max_chunks else "flat"
    return kind + ("-sq8" if settings.vector_compression == "sq8" else "")


def _new_vector_index(kind: str, dim: int):
    import faiss

    if kind == "hnsw-sq8":
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    elif kind == "flat-sq8":
        index = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexFlatIP(dim)
    if kind.startswith("hnsw"):
        index.hnsw.efConstruction = 200  # measured: efSearch 256 then reaches recall@10 0.96 (bench/ann_recall.py)
    return index


# Above this share of retired entries the graph is rebuilt: searches skip them, but they cost
# memory and, at high shares, recall.
MAX_RETIRED_SHARE = 0.2


def _update_hnsw(old_vectors: Path, old_store: Path, vectors: np.ndarray, texts: Sequence[str]):
    """The previous HNSW graph with its ids renumbered to the new chunk ids, chunks that are
    gone retired (id -1, skipped at search time: HNSW cannot delete) and new chunks added.
    A chunk is matched by its text: same model and chunking (else the build is full), so the
    same text has the same vector. None when the graph should be rebuilt instead."""
    import faiss

    try:
        index = faiss.read_index(str(old_vectors))
        db = sqlite3.connect(f"file:{old_store}?mode=ro", uri=True)
        try:
            # The old chunks as the model saw them, whatever embedding_text() adds to a chunk.
            fields = list(Chunk.__dataclass_fields__)
            old_text = {row[0]: embedding_text(Chunk(**dict(zip(fields, row[1:])))) for row in db.execute(
                f"SELECT id, {', '.join(fields)} FROM chunks")}
        finally:
            db.close()
    except (RuntimeError, OSError, sqlite3.DatabaseError):
        return None  # a damaged previous generation only costs a rebuild
    if not hasattr(index, "id_map") or index.d != vectors.shape[1]:
        return None
    unplaced: dict[str, list[int]] = {}
    for new_id in range(len(texts) - 1, -1, -1):
        unplaced.setdefault(texts[new_id], []).append(new_id)
    ids = faiss.vector_to_array(index.id_map)
    for slot, old_id in enumerate(ids):
        same = unplaced.get(old_text.get(int(old_id), "")) if old_id >= 0 else None
        ids[slot] = same.pop() if same else -1
    added = np.array(sorted(i for left in unplaced.values() for i in left), dtype=np.int64)
    retired = int((ids < 0).sum())
    if retired > MAX_RETIRED_SHARE * (len(ids) + len(added)):
        return None
    faiss.copy_array_to_vector(ids, index.id_map)
    index.construct_rev_map()
    if len(added):
        index.add_with_ids(vectors[added], added)
    return index, retired


def _previous_vectors(index_dir: Path, previous: dict) -> tuple[Path, Path, str] | None:
    generation = current_generation(index_dir)
    if generation is None or not previous.get("index_type", "").startswith("hnsw"):
        return None
    return generation / "vectors.faiss", generation / "store.sqlite", previous["index_type"]


def _write_bm25(folder: Path, texts: list[str], settings: Settings, cache: TextCache) -> None:
    """A bm25s index of the texts; only texts not seen by an earlier build are tokenized."""
    import bm25s

    keys = [cache.key(t) for t in texts]
    known = {k: v.decode("utf-8").split("\n") if v else [] for k, v in cache.get_many(keys).items()}
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    if missing:
        text_of = dict(zip(keys, texts))
        fresh = KeywordTokenizer(settings.languages)([text_of[k] for k in missing])
        cache.put_many((k, "\n".join(t).encode("utf-8")) for k, t in zip(missing, fresh))
        known.update(zip(missing, fresh))
    model = bm25s.BM25(k1=settings.bm25_k1, b=settings.bm25_b)
    model.index([known[k] for k in keys], show_progress=False)
    model.save(str(folder), show_progress=False)


def _write_manifest(
    folder: Path, spec: ModelSpec, embedder: Embedder, settings: Settings, budget: int, index_type: str,
    report: BuildReport, corpora: list[str], vector_mean: np.ndarray,
) -> None:
    manifest = {
        "format": FORMAT_VERSION,
        "generation": report.generation,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(report.seconds, 3),
        "model": dict(spec.to_dict(), dim=embedder.dim, precision=embedder.precision),
        "chunking": _chunking_record(settings, budget),
        "index_type": index_type,
        "tokenizer": analyser_version(settings.languages),
        "languages": settings.languages,
        "retired_vectors": report.retired_vectors,
        "counts": {"articles": report.articles, "chunks": report.chunks, "skipped": len(report.skipped)},
        "corpora": corpora,
        # The answer step's baseline: a question's mean similarity to the corpus (Retriever.average_similarity).
        "vector_mean": [round(float(x), 6) for x in vector_mean],
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
