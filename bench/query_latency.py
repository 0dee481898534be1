"""Query latency at scale: Retriever.search split into embed/dense/keyword/fusion, memory,
disk per chunk and cold start, for a real news index and synthetic 10k/100k(/1M) indexes.

Indexes measured:
  tiny       the repo's sample corpus/ (2 articles): the baseline for memory per chunk
  real       news articles built with qa.build_index (--real-articles N, default 200), and/or
             existing indexes given with --index (repeatable)
  synthetic  one per --sizes entry. Chunk texts are real sentences of the news corpus
             resampled at random (seeded) until each chunk reaches a character length drawn
             from the real chunks' lengths; chunks are grouped into articles with chunk counts
             drawn from the real articles' counts; titles/dates/sources are resampled real ones.
             Vectors are random unit vectors (Gaussian, normalized; the real model's dimension),
             or with --vectors-from INDEX real vectors of that index plus Gaussian noise (0.02 per
             dimension), renormalized: clustered like real text, which is what HNSW is built for.
             The generation folder is written with qa.index's own writers (_write_store,
             _write_vectors, _write_bm25, _write_manifest) and switched in with CURRENT, so
             Retriever.load reads it like any other index (FAISS flat up to flat_max_chunks,
             HNSW above: the 1M size uses HNSW).

Each index is measured in a fresh subprocess: imports, then Retriever.load + first query
(cold start; the files are in the OS page cache, so this is a warm-disk cold start), then
--queries searches (k=5) with retriever.last_timings per search, and RSS from /proc.

    python bench/query_latency.py                              # real 200 articles + 10k + 100k
    python bench/query_latency.py --index /tmp/idx --real-articles 0 --sizes 10000
    python bench/query_latency.py --million                    # adds 1M (slow: see --help)

Cost: on the 2-core test machine the 100k synthetic index took ~15 s to write (BM25 tokenizing
dominates) and 370 MB of disk; each size is then measured with 200 searches. --million adds
1M chunks: ~10x that for texts/BM25/store (a few minutes), plus the HNSW graph of 1M vectors
(above flat_max_chunks; estimated tens of minutes on 2 cores, not run), several GB of RAM
and ~3.7 GB of disk. Use --workdir to keep and reuse the synthetic indexes between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (DEFAULT_ARTICLES, REPO, cleanup, folder_bytes, machine, make_workdir, mean,  # noqa: E402
                     percentile, read_jsonl, real_vectors, table)

PARTS = ("embed_ms", "dense_ms", "keyword_ms", "fusion_ms")


# --- the measurement, in a fresh process ---------------------------------------------------

def measure_child(index: str, queries_file: str, count: int, k: int) -> dict:
    from _common import rss_mb

    t0 = time.perf_counter()
    import bm25s  # noqa: F401
    import faiss  # noqa: F401
    import sentence_transformers  # noqa: F401
    import torch  # noqa: F401

    import qa

    imports = time.perf_counter() - t0
    rss_imports = rss_mb()[0]
    queries = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    t1 = time.perf_counter()
    retriever = qa.Retriever.load(index)
    t2 = time.perf_counter()
    retriever.search(queries[0], k=k)
    t3 = time.perf_counter()
    rss_loaded = rss_mb()[0]
    totals, parts = [], {p: [] for p in PARTS}
    for i in range(count):
        q = queries[(i + 1) % len(queries)]
        start = time.perf_counter()
        retriever.search(q, k=k)
        totals.append((time.perf_counter() - start) * 1000)
        for p in PARTS:
            parts[p].append(getattr(retriever.last_timings, p))
    rss_end, rss_peak = rss_mb()
    return {
        "imports_s": imports, "load_s": t2 - t1, "first_query_s": t3 - t2, "rss_imports": rss_imports,
        "rss_loaded": rss_loaded, "rss_end": rss_end, "rss_peak": rss_peak, "totals": totals, "parts": parts,
        "chunks": int(retriever.vectors.ntotal), "index_type": retriever.manifest.get("index_type", "?"),
        "generation": str(retriever.generation),
    }


def measure(index: Path, queries_file: Path, count: int, k: int, threads: int | None = None) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads)) if threads else None
    done = subprocess.run([sys.executable, __file__, "--measure-child", str(index), "--queries-file",
                           str(queries_file), "--queries", str(count), "-k", str(k)],
                          cwd=REPO, capture_output=True, text=True, timeout=3600, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {index} failed: {done.stderr.strip()[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- synthetic indexes ---------------------------------------------------------------------

def sentence_pool(articles, limit_articles: int, rng: random.Random) -> list[str]:
    from qa.chunking import paragraph_spans, split_sentences

    pool = []
    for article in rng.sample(articles, min(limit_articles, len(articles))):
        body = article.body
        for p_start, p_end in paragraph_spans(body):
            pool.extend(body[s:e] for s, e in split_sentences(body[p_start:p_end], offset=p_start))
    return [s for s in pool if len(s) > 15]


def write_synthetic(index_dir: Path, size: int, articles, chunk_lengths: list[int], chunks_per_article: list[int],
                    pool: list[str], seed: int, vectors_from: str | None = None, noise: float = 0.02) -> dict:
    """A generation folder of `size` synthetic chunks, written with qa.index's own writers."""
    import numpy as np

    import qa
    from qa.embedding import resolve_model
    from qa.analysis import analyser_version
    from qa.index import (BuildReport, TextCache, _keyword_text, _switch_current, _with_articles, _write_bm25,
                          _write_manifest, _write_store, _write_vectors)

    rng = random.Random(seed + size)
    settings = qa.Settings.from_env()
    spec = resolve_model(settings)
    embedder = qa.Embedder(spec, precision=settings.precision)
    budget = embedder.token_budget(settings.chunk_tokens)
    times = {}

    start = time.perf_counter()
    out_articles, out_chunks = [], []
    number = 0
    while len(out_chunks) < size:
        template = rng.choice(articles)
        wanted = min(rng.choice(chunks_per_article), size - len(out_chunks))
        article_id = f"syn-{number:07d}"
        texts = []
        for _ in range(wanted):
            target, parts, length = rng.choice(chunk_lengths), [], 0
            while length < target:
                sentence = rng.choice(pool)
                parts.append(sentence)
                length += len(sentence) + 1
            texts.append(" ".join(parts))
        body = ""
        for ordinal, text in enumerate(texts):
            if body:
                body += "\n\n"
            begin = len(body)
            body += text
            out_chunks.append(qa.Chunk(article_id=article_id, ordinal=ordinal, paragraph=ordinal, heading="",
                                       start=begin, end=len(body), text=text))
        out_articles.append(qa.Article(id=article_id, title=template.title, body=body,
                                       path=f"synthetic/{article_id}.txt", date=template.date,
                                       source=template.source))
        number += 1
    times["texts"] = time.perf_counter() - start

    start = time.perf_counter()
    generator = np.random.default_rng(seed + size)
    vectors = np.empty((size, embedder.dim), dtype=np.float32)
    real = real_vectors(vectors_from) if vectors_from else None
    for i in range(0, size, 100_000):
        count = min(100_000, size - i)
        if real is None:
            block = generator.standard_normal((count, embedder.dim), dtype=np.float32)
        else:  # a real vector plus Gaussian noise: neighbourhoods like real text, not uniform noise
            block = real[generator.integers(0, len(real), count)]
            block = block + generator.normal(0, noise, block.shape).astype(np.float32)
        vectors[i:i + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    times["vectors"] = time.perf_counter() - start

    index_dir.mkdir(parents=True, exist_ok=True)
    generation = index_dir / "gen-000001"
    staging = index_dir / ".staging-gen-000001"
    shutil.rmtree(staging, ignore_errors=True)  # an interrupted run's
    staging.mkdir()
    start = time.perf_counter()
    _write_store(staging / "store.sqlite", out_articles, out_chunks, files={})
    times["store"] = time.perf_counter() - start
    start = time.perf_counter()
    index_type, _ = _write_vectors(staging / "vectors.faiss", vectors, settings)
    times["faiss"] = time.perf_counter() - start
    vector_mean = vectors.mean(axis=0)
    del vectors
    start = time.perf_counter()
    tokens = TextCache(staging.parent / "cache.sqlite", "tokens", analyser_version(settings.languages))
    _write_bm25(staging / "bm25", [_keyword_text(a, c) for a, c in _with_articles(out_articles, out_chunks)],
                settings, tokens)
    _write_bm25(staging / "bm25-articles", [f"{a.title}\n{a.body}" for a in out_articles], settings, tokens)
    tokens.close()
    times["bm25"] = time.perf_counter() - start
    report = BuildReport(articles=len(out_articles), chunks=len(out_chunks), model=spec.name, notice=spec.notice,
                         generation=generation.name, seconds=sum(times.values()))
    settings.save(staging / "config.json")
    _write_manifest(staging, spec, embedder, settings, budget, index_type, report, [], vector_mean)
    os.replace(staging, generation)
    _switch_current(index_dir, generation)
    (index_dir / "SYNTHETIC").write_text(json.dumps({"size": size, "seed": seed, "times": times}) + "\n")
    return times


# --- main ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES, help="news JSONL (id,title,text,source)")
    parser.add_argument("--sizes", default="10000,100000", help="synthetic index sizes in chunks (default 10000,100000)")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 synthetic chunks (slow, see above)")
    parser.add_argument("--index", action="append", default=[], help="an existing index to measure too (repeatable)")
    parser.add_argument("--vectors-from", help="an index whose real vectors, plus noise, make the synthetic vectors "
                                                "(default: random unit vectors, the hardest case for HNSW)")
    parser.add_argument("--real-articles", type=int, default=200,
                        help="build a real index of the first N news articles (0: none; default 200)")
    parser.add_argument("--queries", type=int, default=200, help="searches per index (default 200)")
    parser.add_argument("--questions", action="append", help="JSONL with a question field: readers' questions to "
                        "search with (repeatable; default: eval/questions.jsonl and news headlines)")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--torch-threads", type=int,
                        help="OMP_NUM_THREADS for the measuring process (default: unset, one thread per core)")
    parser.add_argument("--workdir", help="work folder; synthetic indexes in it are reused (default: fresh under /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--measure-child", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure_child:
        print(json.dumps(measure_child(args.measure_child, args.queries_file, args.queries, args.k)))
        return 0

    import qa
    from qa.index import current_generation

    print(f"machine: {machine()}")
    work, created = make_workdir(args.workdir, "qa-bench-latency-")
    print(f"work folder: {work}")
    rng = random.Random(args.seed)

    # Queries: readers' questions (--questions), else the project's questions plus news headlines.
    records = read_jsonl(args.articles)
    if args.questions:
        queries = [r["question"] for path in args.questions for r in read_jsonl(path)]
        rng.shuffle(queries)
        queries = queries[: args.queries + 1]
        if len(queries) <= args.queries:
            print(f"note: {len(queries)} questions in --questions, fewer than --queries {args.queries}")
    else:
        questions = [json.loads(line)["question"] for line in (REPO / "eval" / "questions.jsonl").read_text().splitlines()
                     if line.strip()]
        titles = [str(r["title"]) for r in rng.sample(records, min(len(records), max(args.queries, 200)))]
        queries = (questions + titles)[: max(args.queries + 1, 50)]
        rng.shuffle(queries)
    queries_file = work / "queries.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")

    targets: list[tuple[str, Path, str]] = []  # (label, index dir, how it was made)
    build_notes = {}
    tiny = work / "tiny-index"
    if current_generation(tiny) is None:
        qa.build_index(REPO / "corpus", tiny)
    targets.append(("tiny (sample corpus)", tiny, "real"))
    if args.real_articles:
        real_corpus = work / f"news-{args.real_articles}.jsonl"
        if not real_corpus.exists():
            with real_corpus.open("w", encoding="utf-8") as handle:
                for record in records[: args.real_articles]:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        real = work / f"real-{args.real_articles}"
        start = time.perf_counter()
        report = qa.build_index(real_corpus, real)
        build_notes[str(real)] = f"build_index {time.perf_counter() - start:.0f} s ({report.embedded} chunks embedded)"
        targets.append((f"real: {args.real_articles} news articles", real, "real"))
    for given in args.index:
        targets.append((f"real: {given}", Path(given), "real (given)"))

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] + ([1_000_000] if args.million else [])
    if sizes:
        start = time.perf_counter()
        scan = qa.scan_corpus(args.articles)
        articles = scan.articles
        settings = qa.Settings.from_env()
        embedder = qa.Embedder(qa.embedding.resolve_model(settings), precision=settings.precision)
        budget = embedder.token_budget(settings.chunk_tokens)
        sample = rng.sample(articles, min(300, len(articles)))
        chunked = [qa.chunk_article(a, embedder.count_tokens, budget, settings.overlap_sentences,
                                    settings.heading_max_words) for a in sample]
        chunk_lengths = [len(c.text) for chunks in chunked for c in chunks]
        chunks_per_article = [len(chunks) for chunks in chunked if chunks]
        pool = sentence_pool(articles, 2000, rng)
        print(f"synthetic material: {len(pool)} real sentences; real chunks {mean(chunk_lengths):.0f} chars on "
              f"average, {mean(chunks_per_article):.1f} chunks per article ({time.perf_counter() - start:.1f} s)")
        del embedder
    for size in sizes:
        folder = work / f"synthetic-{size}"
        if current_generation(folder) is None:
            start = time.perf_counter()
            times = write_synthetic(folder, size, articles, chunk_lengths, chunks_per_article, pool, args.seed,
                                    args.vectors_from)
            build_notes[str(folder)] = (f"written in {time.perf_counter() - start:.0f} s ("
                                        + ", ".join(f"{k} {v:.0f}" for k, v in times.items()) + ")")
            print(f"synthetic {size}: {build_notes[str(folder)]}", flush=True)
        targets.append((f"synthetic {size:,}", folder, "synthetic"))

    results = []
    for label, folder, kind in targets:
        print(f"measuring {label} ...", flush=True)
        result = measure(folder, queries_file, args.queries, args.k, args.torch_threads)
        result.update(label=label, kind=kind, folder=folder)
        result["disk"] = folder_bytes(Path(result["generation"]))
        result["files"] = {p.name: folder_bytes(p) if p.is_dir() else p.stat().st_size
                           for p in Path(result["generation"]).iterdir()}
        cache = folder / "cache.sqlite"
        result["cache"] = cache.stat().st_size if cache.exists() else 0
        results.append(result)

    base = results[0]
    print(f"\n{args.queries} searches per index, k={args.k}, torch threads {args.torch_threads or 'default'}; milliseconds (p50 / p95); "
          f"'other' = search() total minus the four timed parts (passage assembly, SQLite reads)\n")
    rows = []
    for r in results:
        other = [t - sum(r["parts"][p][i] for p in PARTS) for i, t in enumerate(r["totals"])]
        cells = [f"{percentile(r['parts'][p], 50):.1f} / {percentile(r['parts'][p], 95):.1f}" for p in PARTS]
        rows.append([r["label"], f"{r['chunks']:,}", r["index_type"]] + cells
                    + [f"{percentile(other, 50):.1f} / {percentile(other, 95):.1f}",
                       f"{percentile(r['totals'], 50):.1f} / {percentile(r['totals'], 95):.1f}"])
    print(table(rows, ["index", "chunks", "faiss", "embed", "dense", "keyword", "fusion", "other", "total"]))

    print()
    rows = []
    for r in results:
        extra = r["chunks"] - base["chunks"]
        per_chunk_mem = (r["rss_loaded"] - base["rss_loaded"]) * 1024 * 1024 / extra if extra > 0 else float("nan")
        files = r["files"]
        rows.append([
            r["label"], f"{r['load_s']:.2f}", f"{r['first_query_s'] * 1000:.0f}", f"{r['imports_s']:.1f}",
            f"{r['rss_loaded']:.0f}", f"{r['rss_peak']:.0f}",
            "-" if extra <= 0 else f"{per_chunk_mem:.0f}",
            f"{r['disk'] / 1e6:.1f}", f"{r['disk'] / r['chunks']:.0f}",
            " ".join(f"{k.split('.')[0]} {v / r['chunks']:.0f}" for k, v in sorted(files.items()) if v > 4096),
            f"{r['cache'] / max(1, r['chunks']):.0f}" if r["cache"] else "-",
        ])
    print(table(rows, ["index", "load s", "1st query ms", "imports s", "RSS MB", "peak MB", "RSS B/chunk*",
                       "disk MB", "disk B/chunk", "per file B/chunk", "cache B/chunk"]))
    print("* RSS after load + first query, minus the tiny index's, per extra chunk "
          "(the model and libraries are in the tiny baseline).")
    for folder, note in build_notes.items():
        print(f"built {folder}: {note}")
    cleanup(work, created, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
