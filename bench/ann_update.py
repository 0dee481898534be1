"""HNSW updated in place vs rebuilt: what an incremental build pays for its vector index, and
what the retired entries cost in recall.

    python bench/ann_update.py --index .qa-eval/<an eval index> --size 100000

Vectors: the real vectors of --index, and beyond their number synthetic ones made from them
(a real vector plus Gaussian noise of --noise per dimension, renormalized), so that the
neighbourhoods look like real text rather than uniform noise. Each vector stands for a chunk
whose text is "chunk <n>"; the index files are written with qa.index's own code
(`_write_vectors`, which calls `_update_hnsw`, and `_write_store` for the chunk texts).

Steps, all at --size vectors, one process, side by side:
  1. full build of the HNSW graph (what every build paid before the in-place update);
  2. for each --changes share: that many chunks replaced by new ones (retired + added) and
     the index written by `_write_vectors` with the previous generation given, i.e. updated;
  3. recall@10 against exact search of the updated graph and of a graph built from scratch on
     the same final vectors, for --queries real vectors of the final set (their own id counts).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # qa
sys.path.insert(0, str(Path(__file__).resolve().parent))  # _common

from _common import machine, real_vectors  # noqa: E402


def grow(real: np.ndarray, size: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    if size <= len(real):
        return real[rng.permutation(len(real))[:size]]
    extra = real[rng.integers(0, len(real), size - len(real))]
    extra = extra + rng.normal(0, noise, extra.shape).astype(np.float32)
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    return np.vstack([real, extra])


def write_store(path: Path, texts: list[str]) -> None:
    """The chunk store `_update_hnsw` reads, written by qa.index itself: one article whose
    chunks are the texts."""
    from qa.chunking import Chunk
    from qa.corpus import Article
    from qa.index import _write_store

    chunks = [Chunk("bench", i, 0, "", 0, len(text), text) for i, text in enumerate(texts)]
    _write_store(path, [Article("bench", "bench", "", "bench")], chunks)


def recall_at_10(index, vectors: np.ndarray, queries: np.ndarray, params=None) -> float:
    import faiss

    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    truth = exact.search(queries, 10)[1]
    found = index.search(queries, 10, params=params)[1]
    return float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--index", required=True, help="an index whose vectors seed the set")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--changes", default="0.001,0.01,0.05", help="shares of chunks replaced per update")
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import faiss

    from qa.config import Settings
    from qa.index import _write_vectors

    print(f"machine: {machine()}")
    rng = np.random.default_rng(args.seed)
    vectors = grow(real_vectors(Path(args.index)), args.size, args.noise, rng)
    settings = Settings(flat_max_chunks=0)  # HNSW at any size
    params = faiss.SearchParametersHNSW()
    params.efSearch = settings.hnsw_ef_search
    params.sel = selector = faiss.IDSelectorRange(0, 2**62)  # noqa: F841 (kept alive)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        texts = [f"chunk {i}" for i in range(len(vectors))]
        started = time.perf_counter()
        _write_vectors(work / "full.faiss", vectors, settings)
        full_seconds = time.perf_counter() - started
        write_store(work / "full.sqlite", texts)
        rows.append(("full build", f"{len(vectors):,}", "-", f"{full_seconds:.1f}", "100 %", "", ""))
        next_text = len(vectors)
        for share in [float(s) for s in args.changes.split(",")]:
            changed = rng.choice(len(vectors), int(share * len(vectors)), replace=False)
            new_vectors, new_texts = vectors.copy(), list(texts)
            replacement = grow(vectors, len(vectors) + len(changed), args.noise, rng)[len(vectors):]
            new_vectors[changed] = replacement
            for i in changed:
                new_texts[i], next_text = f"chunk {next_text}", next_text + 1
            started = time.perf_counter()
            _, retired = _write_vectors(work / "updated.faiss", new_vectors, settings, new_texts,
                                        (work / "full.faiss", work / "full.sqlite", "hnsw"))
            update_seconds = time.perf_counter() - started
            updated = faiss.read_index(str(work / "updated.faiss"))
            faiss.downcast_index(updated.index).hnsw.efSearch = settings.hnsw_ef_search
            queries = new_vectors[rng.choice(len(new_vectors), args.queries, replace=False)]
            started = time.perf_counter()
            _write_vectors(work / "fresh.faiss", new_vectors, settings)
            fresh_seconds = time.perf_counter() - started
            fresh = faiss.read_index(str(work / "fresh.faiss"))
            rows.append((f"update, {share:.1%} replaced", f"{len(changed):,}", f"{retired:,}", f"{update_seconds:.1f}",
                         f"{update_seconds / full_seconds:.1%}",
                         f"{recall_at_10(updated, new_vectors, queries, params):.3f}",
                         f"{recall_at_10(fresh, new_vectors, queries, params):.3f} (rebuilt in {fresh_seconds:.1f} s)"))
    print(f"\n{len(vectors):,} vectors of dimension {vectors.shape[1]}; efConstruction 200, efSearch "
          f"{settings.hnsw_ef_search}; {args.queries} queries\n")
    print("| step | chunks replaced | retired entries | seconds | of full build | recall@10 updated | recall@10 rebuilt |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
