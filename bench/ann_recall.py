"""Approximate vector search vs exact search: recall@10, speed and memory of the FAISS index
kinds `qa` can write (flat, flat-sq8, hnsw, hnsw-sq8), on the vectors of a real index.

    python bench/ann_recall.py --index .qa-eval/<some eval index> [--queries 500] [--ef 64,128,256]

The queries are the embeddings of real questions when --questions is given (JSONL with a
"question" field), else vectors of the index itself (leave-one-in: a vector's own id is
not counted). Recall@10 = share of the exact top 10 that the index also returns.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index.search(queries, k)[1]


def build(kind: str, vectors: np.ndarray, ef_construction: int = 80):
    import faiss

    dim = vectors.shape[1]
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "flat-sq8":
        index = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
    elif kind == "ivf":
        nlist = max(16, int(4 * np.sqrt(len(vectors))))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    elif kind == "hnsw-sq8":
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
    else:
        raise ValueError(kind)
    started = time.perf_counter()
    if not index.is_trained:
        index.train(vectors)
    index.add(vectors)
    return index, time.perf_counter() - started


def index_bytes(index) -> int:
    import faiss

    return len(faiss.serialize_index(index))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", required=True, help="a qa index folder (its serving generation is read)")
    parser.add_argument("--questions", help="JSONL questions to embed as queries (default: index vectors)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--ef", default="64,128,256,512,1024", help="HNSW efSearch values to try")
    parser.add_argument("--ef-construction", type=int, default=200, help="HNSW efConstruction (qa uses 200)")
    parser.add_argument("--nprobe", default="8,16,32,64", help="IVF nprobe values to try")
    parser.add_argument("--kinds", default="flat,flat-sq8,hnsw,hnsw-sq8,ivf")
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args()

    import faiss
    import qa
    from qa.index import current_generation

    generation = current_generation(Path(args.index))
    stored = faiss.read_index(str(generation / "vectors.faiss"))
    vectors = np.vstack([stored.reconstruct(i) for i in range(stored.ntotal)]).astype(np.float32)
    rng = np.random.default_rng(7)
    if args.questions:
        retriever = qa.Retriever.load(args.index)
        questions = [json.loads(line)["question"] for line in Path(args.questions).read_text().splitlines() if line.strip()]
        picked = rng.choice(len(questions), size=min(args.queries, len(questions)), replace=False)
        queries = retriever.embedder.encode_queries([questions[i] for i in picked])
        source = f"{len(queries)} questions from {args.questions}"
    else:
        picked = rng.choice(len(vectors), size=min(args.queries, len(vectors)), replace=False)
        queries = vectors[picked]
        source = f"{len(queries)} vectors of the index"
    truth = exact_top(vectors, queries, args.k)
    print(f"{len(vectors)} vectors of {vectors.shape[1]} dimensions from {generation}; queries: {source}\n")
    print("| index | efSearch / nprobe | recall@10 | ms per query | build s | bytes per vector |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in args.kinds.split(","):
        index, build_seconds = build(kind, vectors, args.ef_construction)
        size = index_bytes(index) / len(vectors)
        knobs = {"hnsw": args.ef, "ivf": args.nprobe}.get(kind.split("-")[0])
        for ef in ([int(e) for e in knobs.split(",")] if knobs else [None]):
            if ef is not None and kind.startswith("hnsw"):
                index.hnsw.efSearch = ef
            elif ef is not None:
                index.nprobe = ef
            started = time.perf_counter()
            found = np.vstack([index.search(q[None, :], args.k)[1] for q in queries])
            per_query = (time.perf_counter() - started) / len(queries) * 1e3
            recall = np.mean([len(set(f) & set(t)) / args.k for f, t in zip(found, truth)])
            print(f"| {kind} | {ef or '-'} | {recall:.3f} | {per_query:.2f} | {build_seconds:.1f} | {size:.0f} |")


if __name__ == "__main__":
    main()
