"""Retrieval: hybrid search (dense vectors + BM25) over a built index, returning
source-cited passages.

Both legs propose candidates; their scores are min-max normalized over the union and
mixed with a weight chosen by measurement (see docs/evaluation.md). Overlapping or
adjacent hits from one article are merged into one passage.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import json
import math
import re
import shlex
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .config import Settings
from .embedding import ModelError, ModelSpec, RememberingEncoder, load_query_encoder
from .analysis import KeywordTokenizer, question_words
from .index import (IndexLoadError, current_generation, generation_settings, is_database_url, is_default_index,
                    read_manifest, stored_files)

MAX_QUERY_CHARS = 2000  # longer questions are cut: no reader types more, and encoders truncate anyway
NEWEST_DEPTH = 3  # "het laatste nieuws": passages considered per passage returned
# One question's vector search runs on this many FAISS threads. A team of two waits on the
# question model's threads, which hold both cores: 3.0 against 1.5 ms per search on 17k chunks.
SEARCH_THREADS = 1
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class FilterError(ValueError):
    """A filter that can match nothing: ``field`` "since" or "until" is no date, or "order" (since
    after until); ``value`` is what was given."""

    def __init__(self, message: str, field: str, value: str):
        super().__init__(message)
        self.field, self.value = field, value


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles may answer: one source (as the articles record it, any case) and a
    period (ISO dates, inclusive; ``2024-03`` is all of March). An article without a date never
    matches a period; a partly dated one ("2025-02") matches when its span overlaps it."""

    source: str = ""
    since: str = ""
    until: str = ""

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value and not _ISO_DATE.fullmatch(value):
                raise FilterError(f"{name} {value!r} is no date: write it as 2024, 2024-03 or 2024-03-31", name, value)
        if self.since and self.until and date_span(self.since)[0] > date_span(self.until)[1]:
            raise FilterError(f"since {self.since} is after until {self.until}: nothing can match", "order",
                              self.since)

    def __bool__(self) -> bool:
        return bool(self.source or self.since or self.until)

    def admits(self, date: str, source: str) -> bool:
        if self.source and source.casefold() != self.source.casefold():
            return False
        if not (self.since or self.until):
            return True
        if not date:
            return False
        first, last = date_span(date)
        return (not self.since or last >= date_span(self.since)[0]) and (not self.until or first <= date_span(self.until)[1])


def date_span(date: str) -> tuple[str, str]:
    """The first and last day an ISO date (or its year or month) stands for, as comparable
    strings; "-31" ends every month, which compares right whatever its length."""
    day = date[:10]
    if len(day) == 4:
        return f"{day}-01-01", f"{day}-12-31"
    if len(day) == 7:
        return f"{day}-01", f"{day}-31"
    return day, day


def spelled_alike(a: str, b: str) -> bool:
    """Whether two words differ by a letter or two: "ghandi"/"gandhi", "cypiddiden"/"cydippiden"."""
    if abs(len(a) - len(b)) > 2 or a[:1] != b[:1]:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


@dataclass
class Passage:
    text: str
    score: float
    doc_id: str
    title: str
    date: str
    source: str
    path: str
    start: int
    end: int
    heading: str = ""
    byline: str = ""
    chunk_ids: list[int] = field(default_factory=list)
    dense: float = 0.0  # best cosine similarity of its chunks to the question
    keyword: float = 0.0  # best raw BM25 score of its chunks

    def citation(self) -> str:
        """``Title — Source, date (file, chars start-end)``: enough to find the passage again."""
        where = ", ".join(x for x in (self.source, self.date) if x)
        head = f"{self.title} — {where}" if where else self.title
        return f"{head} ({self.path}, chars {self.start}-{self.end})"

    def to_dict(self) -> dict:
        """JSON-ready; the path is under "file" (gradio_client would take a "path" key for an upload)."""
        return {
            "text": self.text, "score": round(self.score, 4), "doc_id": self.doc_id, "title": self.title,
            "date": self.date, "source": self.source, "file": self.path, "start": self.start,
            "end": self.end, "heading": self.heading, "citation": self.citation(),
        }


@dataclass
class SearchTimings:
    embed_ms: float = 0.0
    dense_ms: float = 0.0
    keyword_ms: float = 0.0
    fusion_ms: float = 0.0


class Retriever:
    """Loads the serving generation of an index and answers questions with passages."""

    def __init__(self, index_dir: Path, settings: Settings | None = None, load_model: bool = True):
        self.index_dir = self._location(index_dir)
        self._settings_override = settings
        self._load_model_now = load_model
        self._lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._embedders: dict[str, RememberingEncoder] = {}
        self.last_timings = SearchTimings()
        self._load_generation()

    @classmethod
    def load(cls, index: str | Path = "index", settings: Settings | None = None,
             load_model: bool = True) -> "Retriever":
        """The index in a folder, or in PostgreSQL at a ``postgresql://`` address (qa/postgres.py)."""
        if is_database_url(index):
            from .postgres import PostgresRetriever

            return PostgresRetriever(str(index), settings, load_model)
        return cls(Path(index), settings, load_model)

    # --- loading -------------------------------------------------------------------------

    @staticmethod
    def _location(index: str | Path) -> Path | str:
        return Path(index)

    def _load_generation(self) -> None:
        import bm25s
        import faiss

        generation = current_generation(self.index_dir)
        if generation is None or not generation.is_dir():
            build = ("qa build" if is_default_index(self.index_dir)
                     else f"qa build --corpus <articles> --index {shlex.quote(str(self.index_dir))}")
            raise IndexLoadError(f"no index in {self.index_dir}: run `{build}` first")
        manifest = read_manifest(generation)
        settings = self._settings_override or _saved_settings(generation)
        try:
            vectors = faiss.read_index(str(generation / "vectors.faiss"))
            keywords = bm25s.BM25.load(str(generation / "bm25"), show_progress=False)
            article_keywords = bm25s.BM25.load(str(generation / "bm25-articles"), show_progress=False)
            store = sqlite3.connect(f"file:{generation / 'store.sqlite'}?mode=ro", uri=True, check_same_thread=False)
            # SQLite's lower() folds ASCII only: "Één" is found by "één" (articles(search=...)).
            store.create_function("casefold", 1, lambda text: (text or "").casefold(), deterministic=True)
            try:
                chunk_articles = _chunk_articles(store)
            except BaseException:
                store.close()
                raise
        except (RuntimeError, OSError, ValueError, json.JSONDecodeError, sqlite3.DatabaseError) as err:
            raise IndexLoadError(f"index files in {generation} are damaged ({err}): run `qa build --full`") from None
        search_params = _search_params(vectors, settings, manifest)
        spec = spec_of(manifest)
        settings = settings.calibrated(spec.name)
        if self._load_model_now:
            self._model_for(spec, settings)
        self.generation, self.manifest, self.settings, self.spec = generation, manifest, settings, spec
        self.vectors, self.keywords, self.store, self._chunk_articles = vectors, keywords, store, chunk_articles
        self._search_params = search_params
        self.article_keywords = article_keywords
        # Document frequency per keyword: the column lengths of bm25s's sparse score matrix.
        self._use_keywords(keywords.vocab_dict, np.diff(np.asarray(keywords.scores["indptr"])),
                           int(keywords.scores["num_docs"]), manifest, settings)
        self.vector_mean = _vector_mean(manifest, vectors)

    def _use_keywords(self, vocabulary: dict[str, int], df: np.ndarray, documents: int, manifest: dict,
                      settings: Settings) -> None:
        """What the answer step asks of the keyword side, whichever backend holds it: each
        keyword's number (its place in ``df``), how many chunks hold it, and how many chunks there are."""
        self.vocabulary, self._df, self.keyword_documents = vocabulary, df, documents
        self.tokenize = KeywordTokenizer(manifest.get("languages", settings.languages))
        self._question_stems = set(sum(self.tokenize(sorted(question_words(self.tokenize.languages))), []))
        self._sorted_vocabulary: list[str] | None = None  # for spelled_differently, built on first use
        self._sources: list[str] | None = None  # for sources(), read on first use

    @property
    def embedder(self) -> RememberingEncoder:
        """The query model named by the manifest, loaded on first use when the retriever was
        opened with ``load_model=False`` (the web app shows its page while the model loads)."""
        return self._model_for(self.spec, self.settings)

    def _model_for(self, spec: ModelSpec, settings: Settings) -> RememberingEncoder:
        with self._model_lock:
            embedder = self._embedders.get(spec.name)
            if embedder is None:
                try:
                    embedder = load_query_encoder(spec, settings)
                except ModelError as err:
                    raise IndexLoadError(f"{err} (the index was built with it)") from None
                self._embedders = {spec.name: embedder}
            return embedder

    def reload_if_changed(self) -> bool:
        """Switch to a newer generation if a build finished since loading; True if it did."""
        generation = current_generation(self.index_dir)
        if generation is None or generation == self.generation:
            return False
        with self._lock:
            if current_generation(self.index_dir) == self.generation:
                return False  # another thread reloaded while this one waited
            old_store = self.store
            try:
                self._load_generation()
            except IndexLoadError as err:  # keep serving what works
                print(f"warning: keeping {self.generation.name}: {err}", file=sys.stderr)
                return False
            old_store.close()
        return True

    @property
    def model_notice(self) -> str:
        return self.spec.notice

    # --- searching -----------------------------------------------------------------------

    def search(self, question: str, k: int = 5, source: str | None = None, since: str | None = None,
               until: str | None = None, newest: bool = False) -> list[Passage]:
        """The ``k`` best passages for a question, best first; [] for an empty question, or when
        no article is of ``source`` and within ``since`` .. ``until`` (ArticleFilter). ``newest``:
        of the passages that fit nearly as well as the best (``newest_relevance``), the newest
        articles' first ("het laatste nieuws over X")."""
        only = ArticleFilter(source or "", since or "", until or "")
        question = clean_question(question)
        if not question or k <= 0:
            return []
        with self._lock, self._snapshot():
            allowed = self._chunks_admitted(only) if only else None
            if allowed is not None and not len(allowed):
                return []
            scored, rows = self._score_chunks(question, allowed)
            passages = self._passages(scored, rows, k * NEWEST_DEPTH if newest else k)
        return _newest_first(passages, self.settings.newest_relevance)[:k] if newest else passages

    def sources(self) -> list[str]:
        """The sources the articles record, most articles first."""
        with self._lock:
            if self._sources is None:
                rows = self._query("SELECT source FROM articles WHERE source != '' GROUP BY source "
                                   "ORDER BY count(*) DESC, source")
                self._sources = [r[0] for r in rows]
            return self._sources

    def _chunks_admitted(self, only: ArticleFilter) -> np.ndarray:
        """Ids of the chunks of the articles the filter admits."""
        articles = [a for a, date, source in self._query("SELECT id, date, source FROM articles")
                    if only.admits(date or "", source or "")]
        rows = self._chunks_of(articles)
        return np.array(sorted(r[0] for r in rows), dtype=np.int64)

    def _score_chunks(self, question: str, allowed: np.ndarray | None = None
                      ) -> tuple[list[tuple[int, float, float, float]], dict]:
        """Candidates of both legs as (chunk id, fused score, cosine, bm25), best first, and their
        rows; only ``allowed`` chunks when given."""
        t0 = time.perf_counter()
        query_vector = self.embedder.encode_queries([question])
        t1 = time.perf_counter()
        depth = min(self.settings.candidates, self.keyword_documents if allowed is None else len(allowed))
        dense = self._dense_scores(query_vector[0], depth, allowed)
        t2 = time.perf_counter()
        tokens = self._as_the_corpus_writes(self.tokenize([question])[0])
        keyword = self._keyword_scores(tokens, depth, allowed)
        t3 = time.perf_counter()
        dense.update(self._cosines(list(keyword.keys() - dense.keys()), query_vector[0]))
        rows = self._chunk_rows(list(dense))
        article_bonus = self._article_bonus(tokens, rows)
        fused = fuse(dense, keyword, self.settings.dense_weight, article_bonus, self.settings.article_weight)
        t4 = time.perf_counter()
        self.last_timings = SearchTimings(
            (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, (t4 - t3) * 1e3)
        return [(cid, score, dense[cid], keyword.get(cid, 0.0)) for cid, score in fused], rows

    # What each backend answers (PostgresRetriever answers them in SQL).

    def _dense_scores(self, query_vector: np.ndarray, depth: int, allowed: np.ndarray | None) -> dict[int, float]:
        """The ``depth`` chunks closest to the question's vector: chunk id -> cosine."""
        params = self._search_params if allowed is None else _only(allowed, self._search_params)
        with faiss_threads(SEARCH_THREADS):
            scores, ids = self.vectors.search(query_vector[None, :], depth, params=params)
        return {int(i): float(s) for i, s in zip(ids[0], scores[0]) if i >= 0}

    def _keyword_scores(self, tokens: list[str], depth: int, allowed: np.ndarray | None) -> dict[int, float]:
        """The ``depth`` best BM25 scores of the chunks: chunk id -> score."""
        return _top_scores(self.keywords, tokens, depth, allowed)

    def _cosines(self, chunk_ids: list[int], query_vector: np.ndarray) -> dict[int, float]:
        """The cosine of chunks the dense leg did not propose."""
        return {cid: float(self.vectors.reconstruct(cid) @ query_vector) for cid in chunk_ids}

    def _article_bonus(self, tokens: list[str], rows: Mapping) -> dict[int, float]:
        """Per chunk, its article's BM25 score as a whole over the best article's (0..1)."""
        scores = _all_scores(self.article_keywords, tokens)
        if scores is None or scores.max() <= 0:
            return {}
        best = float(scores.max())
        return {cid: float(scores[self._chunk_articles[cid]]) / best for cid in rows}

    def _passages(self, scored: list[tuple[int, float, float, float]], rows: Mapping, k: int) -> list[Passage]:
        """Turn ranked chunks into passages; a chunk that overlaps a better one of the same
        article (the one-sentence overlap) widens that passage instead of repeating it."""
        passages: list[Passage] = []
        for chunk_id, score, cosine, bm25 in scored:
            if len(passages) == k:
                break
            article_id, start, end, heading, _ = rows[chunk_id]
            merged = next((p for p in passages if p.doc_id == article_id and start < p.end and end > p.start), None)
            if merged:
                merged.start, merged.end = min(merged.start, start), max(merged.end, end)
                merged.chunk_ids.append(chunk_id)
                merged.dense, merged.keyword = max(merged.dense, cosine), max(merged.keyword, bm25)
                continue
            passages.append(Passage(
                text="", score=score, doc_id=article_id, title="", date="", source="", path="",
                start=start, end=end, heading=heading, chunk_ids=[chunk_id], dense=cosine, keyword=bm25,
            ))
        self._fill_article_fields(passages)
        return passages

    # The article store: SQL both backends run (SQLite's ? marks; PostgresRetriever adapts them).
    _insertion_order = "rowid"

    def _query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        return self.store.execute(sql, params).fetchall()

    def _snapshot(self):
        """What one search reads in: files do not change under a loaded generation."""
        return contextlib.nullcontext()

    def stored_files(self) -> dict[str, list[int]]:
        """The article files the index was built from: {path: [size, mtime_ns]} (for the check
        that the corpus has not changed since)."""
        return stored_files(self.generation, self.manifest)

    def article_ids(self) -> set[str]:
        return {row[0] for row in self._query("SELECT id FROM articles")}

    def _chunks_of(self, article_ids: list[str]) -> list[tuple[int]]:
        return self._query("SELECT id FROM chunks WHERE article_id IN (SELECT value FROM json_each(?))",
                           (json.dumps(article_ids),))

    def _chunk_rows(self, chunk_ids: list[int]) -> Mapping[int, tuple[str, int, int, str, int]]:
        """chunk id -> (article id, start, end, heading, article number in the article BM25 index),
        each read when first asked for: passages are made of the first few of a hundred candidates,
        and at a million chunks each row read from the store was a page read (16 of 56 ms a search,
        docs/benchmarks.md, section 23). The candidates' articles are in ``_chunk_articles``."""
        store, chunk_articles = self.store, self._chunk_articles  # this generation's, whatever loads later

        def read(chunk_id: int) -> tuple[str, int, int, str, int]:
            row = store.execute('SELECT article_id, start, "end", heading FROM chunks WHERE id = ?', (chunk_id,)).fetchone()
            return (*row, int(chunk_articles[chunk_id]))

        return _RowsReadWhenAsked(chunk_ids, read)

    def _fill_article_fields(self, passages: list[Passage]) -> None:
        ids = list({p.doc_id for p in passages})
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        rows = self._query(
            f"SELECT id, title, date, source, path, byline, body FROM articles WHERE id IN ({marks})", ids)
        articles = {r[0]: r[1:] for r in rows}
        for p in passages:
            p.title, p.date, p.source, p.path, p.byline, body = articles[p.doc_id]
            p.text = body[p.start:p.end]

    def term_weights(self, question: str) -> dict[str, float]:
        """IDF of each content word of a question (question words left out); a word the
        corpus never uses weighs most, which is what makes "not in the articles" visible.
        A compound counts once: its parts weigh in only when the corpus never uses the whole
        word ("clouddeals": then "cloud" is what a passage can say). A verb its clause splits counts
        joined only when the corpus writes it so: "Waar is dat goed voor?" joins to "voorgoed", a
        word but not this one, which would otherwise weigh most, as a word the articles lack."""
        n = self.keyword_documents
        vocabulary = self.vocabulary
        tokens, compounds, joined = self.tokenize.without_parts(question)
        tokens = self._as_the_corpus_writes(tokens) + [stem for stem in joined if stem in vocabulary]
        for whole, parts in compounds:
            if not all(stem in vocabulary for stem in whole):
                tokens += parts
        weights = {}
        for token in tokens:
            if token in self._question_stems:
                continue
            token_id = vocabulary.get(token)
            df = int(self._df[token_id]) if token_id is not None and token_id < len(self._df) else 0
            weights[token] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return weights

    def _as_the_corpus_writes(self, stems: list[str]) -> list[str]:
        """The stems as the corpus writes them (verb forms; see KeywordTokenizer.as_the_corpus_writes)."""
        return self.tokenize.as_the_corpus_writes(stems, self.vocabulary)

    def spelled_differently(self, word: str) -> bool:
        """Whether the corpus never uses the word but uses one spelled nearly the same
        ("Ghandi" for "Gandhi", "Maastrich" for "Maastricht"): a typo or a variant spelling."""
        stems = self.tokenize([word])[0]
        if len(stems) != 1 or stems[0] in self.vocabulary:
            return False
        stem = stems[0]
        if self._sorted_vocabulary is None:
            self._sorted_vocabulary = sorted(self.vocabulary)
        vocabulary = self._sorted_vocabulary
        same_start = vocabulary[bisect.bisect_left(vocabulary, stem[0]):bisect.bisect_left(vocabulary, stem[0] + "\uffff")]
        return any(spelled_alike(stem, known) for known in same_start)

    def average_similarity(self, question: str) -> float:
        """The question's mean cosine similarity to every chunk of the corpus (its dot
        product with the mean chunk vector): the baseline a relevant passage must beat."""
        return float(self.embedder.encode_queries([question])[0] @ self.vector_mean)

    # --- corpus facts for the app ----------------------------------------------------------

    def article_body(self, article_id: str) -> str:
        with self._lock:
            rows = self._query("SELECT body FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else ""

    def article_passage(self, article_id: str, at: int = 0) -> Passage:
        """The article's first chunk that holds character ``at`` of its body (or comes after it):
        what an answer about the article itself cites, at its byline or opening."""
        with self._lock:
            row = self._query('SELECT id, start, "end", heading FROM chunks WHERE article_id = ? AND "end" > ? '
                              "ORDER BY start LIMIT 1", (article_id, at))[0]
            passage = Passage(text="", score=0.0, doc_id=article_id, title="", date="", source="", path="",
                              start=row[1], end=row[2], heading=row[3], chunk_ids=[row[0]])
            self._fill_article_fields([passage])
        return passage

    def newest_titles(self, count: int) -> list[str]:
        with self._lock:
            rows = self._query(f"SELECT title FROM articles ORDER BY date DESC, {self._insertion_order} LIMIT ?", (count,))
            return [title for (title,) in rows]

    def _holds(self, column: str) -> str:
        """This backend's SQL for "the column holds the search text, case aside"."""
        return f"instr(casefold({column}), casefold(?)) > 0"

    def articles(self, search: str = "", limit: int | None = None) -> list[dict]:
        """The articles of the index, newest first: title, date, source, path (the file, and
        ``#line`` for a JSONL record) and its number of passages. Only those whose title or file
        holds ``search`` (case aside) when given; at most ``limit``. Passages are counted for the
        articles returned only: the web page lists a few hundred of an archive of millions."""
        where, params = (f"WHERE {self._holds('title')} OR {self._holds('path')}", [search, search]) if search \
            else ("", [])
        newest = "ORDER BY coalesce(nullif(date, ''), '0') DESC, title"
        bounded = f"{newest} LIMIT {int(limit)}" if limit is not None else newest
        with self._lock:
            rows = self._query(
                "SELECT title, date, source, path, (SELECT count(*) FROM chunks c WHERE c.article_id = a.id) "
                f"FROM (SELECT id, title, date, source, path FROM articles {where} {bounded}) a {newest}", params)
        return [dict(title=t, date=d or "", source=s or "", path=p, passages=n) for t, d, s, p, n in rows]

    def corpus_stats(self) -> dict:
        with self._lock:
            count, first, last = self._query(
                "SELECT count(*), min(nullif(date, '')), max(nullif(date, '')) FROM articles")[0]
            chunks = self._query("SELECT count(*) FROM chunks")[0][0]
        return {"articles": count, "chunks": chunks, "first_date": first or "", "last_date": last or ""}


def spec_of(manifest: dict) -> ModelSpec:
    """The model an index was built with, as its manifest records it."""
    return ModelSpec(**{k: v for k, v in manifest["model"].items() if k in ModelSpec.__dataclass_fields__})


def stored_index(vectors):
    """The FAISS index inside the id map a vectors file holds (flat, HNSW, ...)."""
    import faiss

    return faiss.downcast_index(vectors.index) if hasattr(vectors, "index") else vectors


def _search_params(vectors, settings: Settings, manifest: dict):
    """HNSW search depth, and for a graph updated in place a filter that skips the entries of
    removed chunks (id -1); None for exact search."""
    import faiss

    base = stored_index(vectors)
    if not hasattr(base, "hnsw"):
        return None
    params = faiss.SearchParametersHNSW()
    params.efSearch = settings.hnsw_ef_search
    if manifest.get("retired_vectors", 0):
        params.sel = faiss.IDSelectorRange(0, 2**62)
        params._keep = params.sel  # SWIG does not keep the selector alive on its own
    return params


@contextlib.contextmanager
def faiss_threads(count: int):
    """FAISS on ``count`` threads in this thread for the block (OpenMP's setting is per thread),
    as before after it: a build in the same thread keeps its threads."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


class _RowsReadWhenAsked(Mapping):
    """The rows of some chunks, read one at a time by ``read`` when first asked for."""

    def __init__(self, chunk_ids: list[int], read: Callable[[int], tuple]):
        self._ids, self._read, self._rows = set(chunk_ids), read, {}

    def __getitem__(self, chunk_id: int) -> tuple:
        if chunk_id not in self._rows:
            if chunk_id not in self._ids:
                raise KeyError(chunk_id)
            self._rows[chunk_id] = self._read(chunk_id)
        return self._rows[chunk_id]

    def __contains__(self, chunk_id: object) -> bool:  # without reading the row
        return chunk_id in self._ids

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _chunk_articles(store: sqlite3.Connection) -> np.ndarray:
    """Per chunk id, its article's number in the article BM25 index (its row in the store, from
    0): read from the store's index of chunks by article, not its rows (0.7 s at a million chunks)."""
    count = store.execute("SELECT coalesce(max(id), -1) + 1 FROM chunks").fetchone()[0]
    numbers = np.full(count, -1, dtype=np.int32)
    rows = store.execute("SELECT c.id, a.rowid - 1 FROM chunks c JOIN articles a ON a.id = c.article_id").fetchall()
    if rows:
        ids, article_numbers = np.array(rows, dtype=np.int64).T
        numbers[ids] = article_numbers
    if (numbers < 0).any():  # a chunk without its article: the store is not as a build writes it
        raise ValueError(f"{int((numbers < 0).sum())} chunks have no article in the store")
    return numbers


def _newest_first(passages: list[Passage], relevance: float) -> list[Passage]:
    """The passages scoring at least ``relevance`` of the best, newest article first (undated
    last), then the others in their order."""
    if not passages:
        return passages
    floor = passages[0].score * relevance
    fitting = [p for p in passages if p.score >= floor]
    fitting.sort(key=lambda p: date_span(p.date)[1] if p.date else "", reverse=True)  # stable: ties keep rank
    return fitting + [p for p in passages if p.score < floor]


def _only(allowed: np.ndarray, params):
    """Search parameters that keep the vector search to the ``allowed`` ids (and the HNSW depth)."""
    import faiss

    selector = faiss.IDSelectorBatch(allowed)
    if params is None:
        only = faiss.SearchParameters()
    else:
        only = faiss.SearchParametersHNSW()
        only.efSearch = params.efSearch
    only.sel = selector
    only._keep = (selector, allowed)  # SWIG does not keep them alive on its own
    return only


def _vector_mean(manifest: dict, vectors) -> np.ndarray:
    """The mean chunk vector, from the manifest; indexes written before it was recorded get it
    computed once from the stored vectors."""
    if manifest.get("vector_mean"):
        return np.asarray(manifest["vector_mean"], dtype=np.float32)
    base = stored_index(vectors)
    total = np.zeros(vectors.d, dtype=np.float64)
    for start in range(0, base.ntotal, 65536):
        total += base.reconstruct_n(start, min(65536, base.ntotal - start)).sum(axis=0)
    return (total / max(base.ntotal, 1)).astype(np.float32)


def _saved_settings(generation: Path) -> Settings:
    """The settings the index was built with, with ``QA_*`` variables on top (query-time knobs)."""
    return Settings.from_env(base=generation_settings(generation))


def clean_question(question: str) -> str:
    """Whitespace folded and length bounded; emoji-only or empty questions come out empty."""
    text = " ".join(str(question or "").split())[:MAX_QUERY_CHARS]
    return text if any(ch.isalnum() for ch in text) else ""


def fuse(
    dense: dict[int, float],
    keyword: dict[int, float],
    dense_weight: float,
    article_bonus: dict[int, float] | None = None,
    article_weight: float = 0.0,
) -> list[tuple[int, float]]:
    """Min-max weighted fusion over the union of candidates, best first.

    A leg that proposes nothing (no query word is in the vocabulary) drops out instead
    of dragging every score to zero. ``article_bonus`` (0..1 per chunk) adds evidence
    from the whole article the chunk belongs to.
    """
    ids = list(dense.keys() | keyword.keys())
    d = _min_max(np.array([dense.get(i, 0.0) for i in ids]))
    fused = d
    if keyword:
        kw = _min_max(np.array([keyword.get(i, 0.0) for i in ids]))
        fused = dense_weight * d + (1 - dense_weight) * kw
    if article_bonus:
        fused = fused + article_weight * np.array([article_bonus.get(i, 0.0) for i in ids])
    order = np.argsort(-fused, kind="stable")
    return [(ids[j], float(fused[j])) for j in order]


def _all_scores(model, tokens: list[str]) -> np.ndarray | None:
    known = [t for t in tokens if t in model.vocab_dict]
    return model.get_scores(known) if known else None


def _top_scores(model, tokens: list[str], depth: int, allowed: np.ndarray | None = None) -> dict[int, float]:
    """The ``depth`` best BM25 scores (sparse scoring in bm25s; no Python loop over documents),
    of the ``allowed`` documents only when given."""
    scores = _all_scores(model, tokens)
    if scores is None:
        return {}
    # Ranked among the documents holding a question's word, not all: at a million chunks a
    # quarter of them, and half the time (8.6 -> 4.1 ms).
    held = np.flatnonzero(scores > 0)
    if allowed is not None:
        held = np.intersect1d(held, allowed, assume_unique=True)
    if len(held) > depth:
        held = held[np.argpartition(-scores[held], depth - 1)[:depth]]
    return {int(i): float(scores[i]) for i in held}


def _min_max(x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return x
    low, high = float(x.min()), float(x.max())
    return (x - low) / (high - low) if high > low else np.ones_like(x)
