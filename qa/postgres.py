"""Index in PostgreSQL + pgvector: the same index as a folder's, at a ``postgresql://`` address.

Tables, in the schema ``qa`` (created and migrated by qa):

    meta           the manifest (model, chunking, counts, build number) and the settings, as JSON
    articles       one row per article: its fields, body, content hash and number of keywords
    chunks         one row per chunk: its place in its article, its vector (pgvector, HNSW index on
                   inner product) and its number of keywords
    postings       per keyword and chunk, how often the chunk says it: the inverted index of BM25;
                   article_postings: the same per article
    terms          per keyword, how many chunks hold it; article_terms: how many articles
    files          size and modification time of each article file: "nothing changed" at no cost

and ``qa_cache.vectors``: vectors of a build that has not committed yet, so that a killed build
loses no embedding work (committed vectors are found in ``qa.chunks``).

The keywords are this project's analyser's (qa/analysis.py) and BM25 is computed in SQL from the
postings with bm25s's formula: both backends find the same words and score them alike, so the
fusion weight measured for folders holds here. Fusion stays in Python (qa/retrieval.py). (Our
keywords as tsvectors, scored from their positions, took 40-100 ms a question at 17k chunks;
the postings take 2-3 ms: docs/decisions.md.)

An incremental build writes its changes in one transaction: readers (other app servers, read
replicas) see the previous index until it commits, and a killed build leaves it serving. A full
build fills the schema ``qa_next`` and swaps it for ``qa`` in one short transaction, as a folder
index switches generations. An advisory lock lets one build run at a time.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Callable, Iterator, Sequence

import numpy as np

from .analysis import KeywordTokenizer, analyser_version
from .config import Settings
from .corpus import Article, corpus_fingerprint, corpus_roots, scan_corpus
from .embedding import Embedder, resolve_model, torch_threads, usable_cpus
from .errors import BuildLockedError, IndexLoadError, first_line
from .index import (FORMAT_VERSION, BuildReport, _articles_and_report, _chunking_record, _count_changes,
                    _embed_with_cache, _keyword_text, _needs_full_build, _token_budget, embedding_text,
                    empty_corpus_error, redact, text_key)
from .chunking import Chunk, chunk_article
from .retrieval import Retriever, spec_of

SCHEMA_VERSION = 1
SCHEMA, STAGING, CACHE_SCHEMA = "qa", "qa_next", "qa_cache"
# pgvector's HNSW graph: neighbours per node (its default), and the candidate list while
# building it (its default is 64; more costs build time and gives a better graph). The search
# depth is the hnsw_ef_search setting, as for a folder index.
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 100
MAX_TF = 32_767  # a keyword's count in one chunk or article (smallint)
BUILD_LOCK = 7_101_999  # the advisory lock key of qa builds
ROWS_PER_WRITE = 10_000  # COPY rows sent to the server at once
INDEX_BUILD_MEMORY = "512MB"  # a full build's graph: about 2.3 kB a chunk, so 200k chunks fit


# --- the address ---------------------------------------------------------------------------

def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise IndexLoadError('a PostgreSQL index needs psycopg and pgvector: pip install -e ".[postgres]"') from None
    return psycopg


def connect(url: str, for_reading: bool = False):
    """A connection in autocommit mode (transactions are explicit); a one-line error naming the
    fix when the server cannot be reached or refuses the login."""
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="qa",
                               prepare_threshold=None)
    except psycopg.Error as err:
        raise IndexLoadError(connection_problem(url, err)) from None
    if for_reading:
        # One snapshot per search: its statements never straddle a build's commit.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
    return conn


def connection_problem(url: str, err: Exception) -> str:
    where, said = redact(url), first_line(err, 300)
    if "password" in said or "authentication" in said:
        return (f"PostgreSQL at {where} refused the login ({said}): check the user and password "
                f"(in the address, PGPASSWORD or ~/.pgpass)")
    if "does not exist" in said and "database" in said:
        return f"PostgreSQL at {where}: {said}; create it (createdb) or name another in the address"
    return f"cannot reach PostgreSQL at {where} ({said}): is the server running and the address right?"


def _use_vectors(conn) -> None:
    from pgvector.psycopg import register_vector

    register_vector(conn)


def ensure_vector_extension(conn, url: str) -> None:
    """pgvector in the database, created when this user may; else a one-line error saying how."""
    psycopg = _psycopg()
    if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone():
        return
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except psycopg.errors.InsufficientPrivilege:
        raise IndexLoadError(f"the database at {redact(url)} lacks the vector extension and this user may not "
                             f"create it: ask its owner to run CREATE EXTENSION vector;") from None
    except psycopg.Error as err:
        raise IndexLoadError(
            f"PostgreSQL at {redact(url)} has no pgvector ({first_line(err, 200)}): install it (Debian/Ubuntu: "
            f"apt install postgresql-NN-pgvector; managed services: enable the vector extension)") from None


# --- the schema ------------------------------------------------------------------------------

def _tables(schema: str, dim: int) -> str:
    return f"""
CREATE SCHEMA {schema};
CREATE TABLE {schema}.meta (key text PRIMARY KEY, value jsonb NOT NULL);
CREATE TABLE {schema}.articles (
    id text PRIMARY KEY, title text, date text, source text, url text, byline text, path text, hash text,
    body text, keyword_count integer, added bigserial);
CREATE TABLE {schema}.chunks (
    id bigserial PRIMARY KEY, article_id text NOT NULL REFERENCES {schema}.articles(id) ON DELETE CASCADE,
    ordinal integer, paragraph integer, heading text, start integer, "end" integer, text text,
    vector_key text, embedding vector({dim}), keyword_count integer);
CREATE INDEX ON {schema}.chunks (article_id, ordinal);
CREATE INDEX ON {schema}.chunks (vector_key);
-- Read by token (index-only scans); a chunk's or an article's rows are deleted by its own tokens.
CREATE TABLE {schema}.postings (token text, chunk_id bigint, tf smallint, length integer,
    PRIMARY KEY (token, chunk_id) INCLUDE (tf, length));
CREATE TABLE {schema}.article_postings (token text, article_id text, tf smallint, length integer,
    PRIMARY KEY (token, article_id) INCLUDE (tf, length));
CREATE TABLE {schema}.terms (token text PRIMARY KEY, chunks integer NOT NULL);
CREATE TABLE {schema}.article_terms (token text PRIMARY KEY, articles integer NOT NULL);
CREATE TABLE {schema}.files (path text PRIMARY KEY, size bigint, mtime_ns bigint);
"""


def _add_search_indexes(conn, schema: str) -> None:
    """After a full build's rows are in: one pass builds the graph much faster than row by row,
    and a vacuumed table lets the postings be read from their index alone."""
    # pgvector builds the graph far faster while it fits in this memory (for the build alone).
    conn.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    conn.execute(f"CREATE INDEX ON {schema}.chunks USING hnsw (embedding vector_ip_ops) "
                 f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})")
    for table in ("postings", "article_postings", "chunks", "articles", "terms", "article_terms"):
        conn.execute(f"VACUUM ANALYZE {schema}.{table}")


def read_meta(conn, url: str, schema: str = SCHEMA) -> dict | None:
    """``{"manifest": ..., "config": ...}`` of the index, None when there is none; a one-line
    error for a schema another qa version wrote."""
    if conn.execute("SELECT to_regclass(%s)", (f"{schema}.meta",)).fetchone()[0] is None:
        return None
    meta = dict(conn.execute(f"SELECT key, value FROM {schema}.meta").fetchall())
    version = meta.get("manifest", {}).get("schema", 0)
    if version > SCHEMA_VERSION:
        raise IndexLoadError(f"the index at {redact(url)} was written by a newer qa (schema {version}, this one "
                             f"reads {SCHEMA_VERSION}): upgrade qa")
    if version < SCHEMA_VERSION:
        raise IndexLoadError(f"the index at {redact(url)} was written by an older qa (schema {version}): run "
                             f"`qa build --full --index {redact(url)}` to rewrite it")
    return meta


# --- keywords as postings ---------------------------------------------------------------------

def bm25_idf(df: int, documents: int) -> float:
    """bm25s's (Lucene's) inverse document frequency."""
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


def _bm25_sql(postings: str, key: str, extra_where: str = "") -> str:
    """BM25 of the rows holding any query keyword, as bm25s computes it: idf * tf / (tf + k1 *
    (1 - b + b * length / average length)). %(tokens)s and %(idf)s list the known query keywords
    (repeats count again, as in bm25s); %(flat)s = k1 * (1 - b), %(per_word)s = k1 * b / average."""
    return f"""
SELECT p.{key} AS id, sum(q.idf * p.tf / (p.tf + %(flat)s + %(per_word)s * p.length)) AS score
FROM unnest(%(tokens)s::text[], %(idf)s::float8[]) AS q(token, idf)
JOIN {postings} p ON p.token = q.token {extra_where}
GROUP BY p.{key}"""


def postings_of(owner, tokens: Sequence[str]) -> list[tuple]:
    """(token, owner, how often, the owner's number of keywords) for each keyword once."""
    return [(token, owner, min(n, MAX_TF), len(tokens)) for token, n in Counter(tokens).items()]


def _copy_text(conn, sql: str, rows) -> None:
    """COPY rows in PostgreSQL's text format, written in blocks: a million postings in seconds."""
    with conn.cursor().copy(sql) as copy:
        block: list[str] = []
        for row in rows:
            block.append("\t".join(_copy_field(v) for v in row))
            if len(block) == ROWS_PER_WRITE:
                copy.write("\n".join(block) + "\n")
                block = []
        if block:
            copy.write("\n".join(block) + "\n")


def _copy_field(value) -> str:
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _count_keywords(conn, table: str, column: str, token_sets: Sequence[set[str]], sign: int) -> None:
    """Add (sign +1) or take away (-1) the documents holding each keyword; none left: no row."""
    counts = Counter(token for tokens in token_sets for token in tokens)
    if not counts:
        return
    conn.execute(f"INSERT INTO {table} AS t (token, {column}) SELECT * FROM unnest(%s::text[], %s::int[]) "
                 f"ON CONFLICT (token) DO UPDATE SET {column} = t.{column} + excluded.{column}",
                 (list(counts), [sign * n for n in counts.values()]))
    if sign < 0:
        conn.execute(f"DELETE FROM {table} WHERE {column} <= 0")


# --- the embedding cache -----------------------------------------------------------------------

class VectorCache:
    """The TextCache of a folder index (qa/index.py), in the database: a vector is looked up
    among the committed chunks first, then among those of builds that did not commit."""

    def __init__(self, conn, namespace: str, schema: str = SCHEMA):
        self.conn, self.namespace, self.schema = conn, namespace, schema
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {CACHE_SCHEMA}")
        conn.execute(f"CREATE TABLE IF NOT EXISTS {CACHE_SCHEMA}.vectors "
                     f"(key text PRIMARY KEY, namespace text NOT NULL, vector bytea NOT NULL)")

    def key(self, text: str) -> str:
        return text_key(self.namespace, text)

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        found = dict(self.conn.execute(f"SELECT key, vector FROM {CACHE_SCHEMA}.vectors WHERE key = ANY(%s)",
                                       (list(keys),)).fetchall())
        if self.conn.execute("SELECT to_regclass(%s)", (f"{self.schema}.chunks",)).fetchone()[0] is not None:
            rows = self.conn.execute(f"SELECT DISTINCT ON (vector_key) vector_key, embedding FROM {self.schema}.chunks "
                                     f"WHERE vector_key = ANY(%s)", (list(keys),))
            found.update((key, _array(vector).tobytes()) for key, vector in rows)
        return {key: bytes(value) for key, value in found.items()}

    def put_many(self, items) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {CACHE_SCHEMA}.vectors VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                               [(key, self.namespace, value) for key, value in items])

    def forget_committed(self) -> int:
        """After a build commits its chunks hold its vectors: the cache keeps none of this model."""
        return self.conn.execute(f"DELETE FROM {CACHE_SCHEMA}.vectors WHERE namespace = %s",
                                 (self.namespace,)).rowcount


# --- building --------------------------------------------------------------------------------

@contextmanager
def build_lock(conn, url: str) -> Iterator[None]:
    """One build at a time per database; the server drops the lock when a killed build's
    connection goes."""
    if not conn.execute("SELECT pg_try_advisory_lock(%s)", (BUILD_LOCK,)).fetchone()[0]:
        holder = build_lock_holder(conn)
        who = f"server process {holder}" if holder else "another process"
        raise BuildLockedError(f"another build is running on {redact(url)} ({who}); try again when it ends")
    try:
        yield
    finally:
        if not conn.closed:
            conn.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK,))


def build_lock_holder(conn) -> int | None:
    """The server process that holds this database's build lock, None when none does."""
    # A one-key advisory lock shows as classid 0 (its high half), objid, objsubid 1.
    row = conn.execute("SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                       "WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.classid = 0 "
                       "AND l.objid = %s AND l.objsubid = 1 AND l.granted", (BUILD_LOCK,)).fetchone()
    return row[0] if row else None


def build_postgres_index(
    corpus, url: str, settings: Settings, *, full: bool = False, progress: bool = False, ray_address: str = "",
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """build_index for a PostgreSQL address: only new and changed articles are chunked,
    embedded and written; what is gone is deleted; all of it in one transaction."""
    started = time.perf_counter()
    conn = connect(url)
    try:
        # The server notices a killed build within a second even mid-statement (an index being
        # built), and lets its lock go.
        conn.execute("SET client_connection_check_interval = '1s'")
        ensure_vector_extension(conn, url)
        _use_vectors(conn)
        with build_lock(conn, url):
            conn.execute(f"DROP SCHEMA IF EXISTS {STAGING} CASCADE")  # a killed full build's leftovers
            return _build(conn, corpus, url, settings, full, progress, ray_address, on_progress, started)
    finally:
        conn.close()


def _build(conn, corpus, url, settings, full, progress, ray_address, on_progress, started) -> BuildReport:
    try:
        meta = read_meta(conn, url) or {}
    except IndexLoadError:
        if not full:
            raise
        meta = {}  # --full rewrites an index of another qa version
    previous = meta.get("manifest", {})
    fingerprint = corpus_fingerprint(corpus)
    corpora = [os.path.abspath(root) for root in corpus_roots(corpus)]
    scan = scan_corpus(corpus)
    if not scan.articles:
        raise empty_corpus_error(corpus, scan, previous, redact(url))
    spec = resolve_model(settings)
    old_model = previous.get("model", {})
    if old_model and old_model.get("name") != spec.name and not full:
        raise IndexLoadError(
            f"the index at {redact(url)} holds vectors of {old_model.get('name')} ({old_model.get('dim')} dimensions), "
            f"this build would use {spec.name}: run `qa build --full --index {redact(url)}` to re-embed every "
            f"article with it, or set QA_EMBEDDING_MODEL={old_model.get('name')}")
    articles, report = _articles_and_report(scan, spec)
    budget, embedder = _token_budget(previous, spec, settings)
    report.full, report.full_reason = _full_reason(previous, spec, settings, budget, full)
    old_hashes = {} if report.full else dict(conn.execute(f"SELECT id, hash FROM {SCHEMA}.articles").fetchall())
    _count_changes(report, articles, {k: {"hash": v} for k, v in old_hashes.items()})
    stored_files = {} if report.full else {p: [s, m] for p, s, m in conn.execute(
        f"SELECT path, size, mtime_ns FROM {SCHEMA}.files")}
    if not (report.full or report.added or report.updated or report.removed) and stored_files == fingerprint \
            and previous.get("corpora") == corpora and Settings.from_dict(meta.get("config", {})) == settings:
        report.articles, report.chunks = len(articles), previous["counts"]["chunks"]
        report.generation, report.seconds = previous["generation"], time.perf_counter() - started
        return report
    embedder = embedder or Embedder(spec, precision=settings.precision, batch_size=settings.batch_size)

    fresh = [a for a in articles if old_hashes.get(a.id) != a.content_hash]
    chunks = [c for a in fresh for c in chunk_article(a, embedder.count_tokens, budget, settings.overlap_sentences,
                                                       settings.heading_max_words)]
    schema = STAGING if report.full else SCHEMA
    cache = VectorCache(conn, spec.name)
    with torch_threads(usable_cpus()):
        vectors, report.embedded = _embed_with_cache(chunks, embedder, cache, progress, ray_address,
                                                     settings.ray_actor_cpus, on_progress)
    tokenize = KeywordTokenizer(settings.languages)
    by_id = {a.id: a for a in fresh}
    chunk_tokens = tokenize([_keyword_text(by_id[c.article_id], c) for c in chunks])
    article_tokens = tokenize([f"{a.title}\n{a.body}" for a in fresh])

    build = int(previous.get("build", 0)) + 1
    current = {a.id: a.content_hash for a in articles}
    gone = [i for i, digest in old_hashes.items() if current.get(i) != digest]  # removed or changed
    if report.full:
        conn.execute(_tables(STAGING, embedder.dim))
    with conn.transaction():
        if gone:
            _delete_articles(conn, schema, gone, tokenize)
        _copy_rows(conn, schema, fresh, article_tokens, chunks, vectors, chunk_tokens, cache)
        conn.execute(f"DELETE FROM {schema}.files")
        with conn.cursor().copy(f"COPY {schema}.files (path, size, mtime_ns) FROM STDIN") as copy:
            for path, (size, mtime) in fingerprint.items():
                copy.write_row((path, size, mtime))
        report.articles, report.chunks = len(articles), _count(conn, schema, "chunks")
        report.generation = f"build-{build:06d}"
        report.seconds = time.perf_counter() - started
        manifest = _manifest(conn, schema, build, spec, embedder, settings, budget, report, corpora)
        conn.execute(f"INSERT INTO {schema}.meta VALUES ('manifest', %s), ('config', %s) ON CONFLICT (key) "
                     f"DO UPDATE SET value = excluded.value", (_json(manifest), _json(settings.saved_dict())))
    if report.full:
        _add_search_indexes(conn, STAGING)
        with conn.transaction():  # the switch: readers wait a moment, then see the new index whole
            conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            conn.execute(f"ALTER SCHEMA {STAGING} RENAME TO {SCHEMA}")
    cache.forget_committed()
    return report


def _full_reason(previous: dict, spec, settings: Settings, budget: int, asked: bool) -> tuple[bool, str]:
    """A folder index's reasons for a full build, and one more: another keyword analyser (a
    folder re-tokenizes its keyword files; here the postings of every article are rewritten)."""
    full, reason = _needs_full_build(previous, spec, settings, budget, asked)
    if not full and previous.get("tokenizer") != analyser_version(settings.languages):
        return True, "keyword analyser changed"
    return full, reason


def _copy_rows(conn, schema: str, articles: list[Article], article_tokens: list[list[str]], chunks: list[Chunk],
               vectors: np.ndarray, chunk_tokens: list[list[str]], cache: VectorCache) -> None:
    """The new and changed articles, their chunks, postings and keyword counts."""
    with conn.cursor().copy(f"COPY {schema}.articles (id, title, date, source, url, byline, path, hash, body, "
                            f"keyword_count) FROM STDIN") as copy:
        for a, tokens in zip(articles, article_tokens):
            copy.write_row((a.id, a.title, a.date, a.source, a.url, a.byline, a.path, a.content_hash, a.body,
                            len(tokens)))
    ids = [row[0] for row in conn.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                                          "FROM generate_series(1, %s)", (f"{schema}.chunks", len(chunks)))]
    with conn.cursor().copy(f'COPY {schema}.chunks (id, article_id, ordinal, paragraph, heading, start, "end", '
                            f"text, vector_key, embedding, keyword_count) FROM STDIN") as copy:
        for chunk_id, c, vector, tokens in zip(ids, chunks, vectors, chunk_tokens):
            copy.write_row((chunk_id, c.article_id, c.ordinal, c.paragraph, c.heading, c.start, c.end, c.text,
                            cache.key(embedding_text(c)), vector, len(tokens)))
    _copy_text(conn, f"COPY {schema}.postings (token, chunk_id, tf, length) FROM STDIN",
               (row for chunk_id, tokens in zip(ids, chunk_tokens) for row in postings_of(chunk_id, tokens)))
    _copy_text(conn, f"COPY {schema}.article_postings (token, article_id, tf, length) FROM STDIN",
               (row for a, tokens in zip(articles, article_tokens) for row in postings_of(a.id, tokens)))
    _count_keywords(conn, f"{schema}.terms", "chunks", [set(t) for t in chunk_tokens], +1)
    _count_keywords(conn, f"{schema}.article_terms", "articles", [set(t) for t in article_tokens], +1)


def _delete_articles(conn, schema: str, article_ids: list[str], tokenize: KeywordTokenizer) -> None:
    """Articles gone or changed, with their chunks, postings and keyword counts. Their postings
    are found by their own keywords, tokenized again from the stored text (the same analyser
    wrote them: another one makes the build full), through the (token, owner) keys."""
    articles = conn.execute(f"SELECT id, title, body FROM {schema}.articles WHERE id = ANY(%s)",
                            (article_ids,)).fetchall()
    chunks = conn.execute(f"SELECT c.id, a.title, c.text FROM {schema}.chunks c JOIN {schema}.articles a "
                          f"ON a.id = c.article_id WHERE c.article_id = ANY(%s)", (article_ids,)).fetchall()
    chunk_tokens = tokenize([_keyword_text(SimpleNamespace(title=title), SimpleNamespace(text=text))
                             for _, title, text in chunks])
    article_tokens = tokenize([f"{title}\n{body}" for _, title, body in articles])
    for table, key, kind, owners, tokens in (
            ("postings", "chunk_id", "bigint", [c[0] for c in chunks], chunk_tokens),
            ("article_postings", "article_id", "text", [a[0] for a in articles], article_tokens)):
        pairs = [(token, owner) for owner, words in zip(owners, tokens) for token in set(words)]
        conn.execute(f"DELETE FROM {schema}.{table} p USING unnest(%s::text[], %s::{kind}[]) AS d(token, owner) "
                     f"WHERE p.token = d.token AND p.{key} = d.owner",
                     ([t for t, _ in pairs], [o for _, o in pairs]))
    _count_keywords(conn, f"{schema}.terms", "chunks", [set(t) for t in chunk_tokens], -1)
    _count_keywords(conn, f"{schema}.article_terms", "articles", [set(t) for t in article_tokens], -1)
    conn.execute(f"DELETE FROM {schema}.articles WHERE id = ANY(%s)", (article_ids,))  # and their chunks


def _count(conn, schema: str, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]


def _manifest(conn, schema, build, spec, embedder, settings, budget, report, corpora) -> dict:
    chunk_length, mean = conn.execute(f"SELECT avg(keyword_count), avg(embedding) FROM {schema}.chunks").fetchone()
    article_length = conn.execute(f"SELECT avg(keyword_count) FROM {schema}.articles").fetchone()[0]
    return {
        "format": FORMAT_VERSION,
        "schema": SCHEMA_VERSION,
        "build": build,
        "generation": report.generation,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(report.seconds, 3),
        "model": dict(spec.to_dict(), dim=embedder.dim, precision=embedder.precision),
        "chunking": _chunking_record(settings, budget),
        "index_type": "hnsw (pgvector)",
        "tokenizer": analyser_version(settings.languages),
        "languages": settings.languages,
        "counts": {"articles": report.articles, "chunks": report.chunks, "skipped": len(report.skipped)},
        "keyword_lengths": {"chunks": float(chunk_length or 1.0), "articles": float(article_length or 1.0)},
        "corpora": corpora,
        "vector_mean": [round(float(x), 6) for x in (_array(mean) if mean is not None else [])],
    }


def _array(vector) -> np.ndarray:
    """A pgvector value as numpy."""
    return np.asarray(vector.to_numpy(), dtype=np.float32)


def _json(value):
    from psycopg.types.json import Jsonb

    return Jsonb(value)


# --- reading ---------------------------------------------------------------------------------

class PostgresRetriever(Retriever):
    """The Retriever over a PostgreSQL index: the same search and answers, in SQL."""

    _insertion_order = "added"

    def __init__(self, url: str, settings: Settings | None = None, load_model: bool = True):
        self.url, self.where = url, redact(url)
        self.conn = None
        super().__init__(url, settings, load_model)

    @staticmethod
    def _location(index) -> str:
        return str(index)

    def _load_generation(self) -> None:
        conn = self.conn or self._connect()
        meta = read_meta(conn, self.url)
        if meta is None:
            raise IndexLoadError(f"no index in {self.where}: run `qa build --corpus <articles> --index {self.where}` first")
        manifest = dict(meta["manifest"])
        settings = self._settings_override or Settings.from_env(base=Settings.from_dict(meta.get("config", {})))
        spec = spec_of(manifest)
        settings = settings.calibrated(spec.name)
        if self._load_model_now:
            self._model_for(spec, settings)
        rows = conn.execute(f"SELECT token, chunks FROM {SCHEMA}.terms ORDER BY token").fetchall()
        self.conn, self.generation, self.manifest, self.settings, self.spec = conn, manifest["generation"], manifest, \
            settings, spec
        self._use_keywords({token: i for i, (token, _) in enumerate(rows)},
                           np.array([df for _, df in rows], dtype=np.int64), manifest["counts"]["chunks"],
                           manifest, settings)
        self._articles_count = manifest["counts"]["articles"]
        conn.execute(f"SET hnsw.ef_search = {min(settings.hnsw_ef_search, 1000)}")  # pgvector's limit
        self.vector_mean = np.asarray(manifest["vector_mean"], dtype=np.float32)

    def _connect(self):
        conn = connect(self.url, for_reading=True)
        try:
            _use_vectors(conn)
        except Exception:  # psycopg's error when the extension is missing: no index was built here
            conn.close()
            raise IndexLoadError(f"no index in {self.where}: run `qa build --corpus <articles> --index "
                                 f"{self.where}` first") from None
        conn.execute(f"SET search_path = {SCHEMA}, public")
        conn.execute("SET hnsw.iterative_scan = relaxed_order")  # a filtered search still fills its depth
        return conn

    def reload_if_changed(self) -> bool:
        """Switch to the index a build committed since loading; True if it did."""
        psycopg = _psycopg()
        try:
            with self._lock:
                row = self.conn.execute(f"SELECT value->>'generation' FROM {SCHEMA}.meta "
                                        f"WHERE key = 'manifest'").fetchone()
                if row is None or row[0] == self.generation:
                    return False
                self._load_generation()
        except (IndexLoadError, psycopg.Error) as err:
            import sys

            print(f"warning: keeping {self.generation}: {first_line(err)}", file=sys.stderr)
            self._reconnect_if_broken()
            return False
        return True

    def _reconnect_if_broken(self) -> None:
        if self.conn is not None and self.conn.broken:
            try:
                self.conn = self._connect()
            except IndexLoadError:
                pass

    def stored_files(self) -> dict[str, list[int]]:
        with self._lock:
            return {p: [s, m] for p, s, m in self._query("SELECT path, size, mtime_ns FROM files")}

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def _snapshot(self):
        return self.conn.transaction()

    # The backend's answers to the search (see Retriever).

    def _dense_scores(self, query_vector, depth, allowed) -> dict[int, float]:
        where, args = ("WHERE id = ANY(%s)", [allowed.tolist()]) if allowed is not None else ("", [])
        rows = self.conn.execute(f"SELECT id, -(embedding <#> %s) FROM chunks {where} ORDER BY embedding <#> %s "
                                 f"LIMIT %s", [query_vector, *args, query_vector, depth])
        return {int(i): float(s) for i, s in rows}

    def _keyword_scores(self, tokens, depth, allowed) -> dict[int, float]:
        known = [t for t in tokens if t in self.vocabulary]
        if not known:
            return {}
        args = self._bm25_args(known, [int(self._df[self.vocabulary[t]]) for t in known], self.keyword_documents,
                               self.manifest["keyword_lengths"]["chunks"])
        where = ""
        if allowed is not None:
            where, args["allowed"] = "AND p.chunk_id = ANY(%(allowed)s)", allowed.tolist()
        rows = self.conn.execute(_bm25_sql("postings", "chunk_id", where) + " ORDER BY score DESC LIMIT %(depth)s",
                                 dict(args, depth=depth))
        return {int(i): float(s) for i, s in rows if s > 0}

    def _bm25_args(self, tokens: list[str], dfs: list[int], documents: int, average_length: float) -> dict:
        k1, b = self.settings.bm25_k1, self.settings.bm25_b
        return {"tokens": tokens, "idf": [bm25_idf(df, documents) for df in dfs],
                "flat": k1 * (1 - b), "per_word": k1 * b / average_length}

    def _cosines(self, chunk_ids, query_vector) -> dict[int, float]:
        if not chunk_ids:
            return {}
        rows = self.conn.execute("SELECT id, -(embedding <#> %s) FROM chunks WHERE id = ANY(%s)",
                                 (query_vector, chunk_ids))
        return {int(i): float(s) for i, s in rows}

    def _article_bonus(self, tokens, rows) -> dict[int, float]:
        df = dict(self.conn.execute("SELECT token, articles FROM article_terms WHERE token = ANY(%s)",
                                    (list(set(tokens)),)).fetchall())
        known = [t for t in tokens if t in df]
        if not known or not rows:
            return {}
        args = self._bm25_args(known, [df[t] for t in known], self._articles_count,
                               self.manifest["keyword_lengths"]["articles"])
        wanted = list({row[0] for row in rows.values()})
        found = self.conn.execute(f"WITH s AS ({_bm25_sql('article_postings', 'article_id')}) SELECT id, score FROM s WHERE id = ANY("
                                  f"%(wanted)s) UNION ALL SELECT NULL, max(score) FROM s",
                                  dict(args, wanted=wanted)).fetchall()
        best = max((s for i, s in found if i is None and s), default=0.0)
        if best <= 0:
            return {}
        scores = {i: s for i, s in found if i is not None}
        return {cid: float(scores.get(row[0], 0.0)) / best for cid, row in rows.items()}

    def _holds(self, column: str) -> str:
        # lower() follows the database's locale, which may fold ASCII only (C); PostgreSQL 17 and
        # later have a collation that folds every letter whatever the locale.
        if self.conn.info.server_version >= 170000 and self.conn.info.encoding == "utf-8":
            return f"strpos(lower({column} COLLATE pg_c_utf8), lower(CAST(? AS text) COLLATE pg_c_utf8)) > 0"
        return f"strpos(lower({column}), lower(CAST(? AS text))) > 0"

    def _query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        return self.conn.execute(sql.replace("?", "%s"), params).fetchall()

    def _chunks_of(self, article_ids: list[str]) -> list[tuple[int]]:
        return self._query("SELECT id FROM chunks WHERE article_id = ANY(%s)", (article_ids,))

    def _chunk_rows(self, chunk_ids: list[int]) -> dict[int, tuple[str, int, int, str, int]]:
        if not chunk_ids:
            return {}
        rows = self._query('SELECT id, article_id, start, "end", heading, 0 FROM chunks WHERE id = ANY(%s)',
                           (chunk_ids,))
        return {r[0]: r[1:] for r in rows}


def saved_config(url: str) -> dict:
    """The settings kept with the index at the address ({} when there is none), whichever qa
    version's schema holds them: the full build an older one needs keeps them too. A server it
    cannot reach is a one-line error."""
    conn = connect(url)
    try:
        if conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.meta",)).fetchone()[0] is None:
            return {}
        row = conn.execute(f"SELECT value FROM {SCHEMA}.meta WHERE key = 'config'").fetchone()
    finally:
        conn.close()
    return dict(row[0]) if row else {}


def index_exists(url: str) -> bool:
    """Whether a build has committed an index at the address (the web app builds one when not)."""
    conn = connect(url)
    try:
        return conn.execute("SELECT to_regclass('qa.meta')").fetchone()[0] is not None
    finally:
        conn.close()
