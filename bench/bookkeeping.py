"""The index's bookkeeping at archive sizes: the manifest with every article and file in it
(format 2, before) against the manifest that describes the index alone, with the per-article and
per-file records in store.sqlite (format 3, now). No model is needed: generations are written
with synthetic articles (one .txt file each) by the index module's own writers.

    python bench/bookkeeping.py --sizes 10000,100000

Measured per size: the manifest's size; loading it (what every Retriever.load, `qa ask` and
app start pays: read_manifest); and what an incremental build reads to find the changes (the
articles' hashes and the files' sizes and times).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import cleanup, machine, make_workdir, table  # noqa: E402


def synthetic(count: int):
    from qa.corpus import Article

    for number in range(count):
        yield Article(id=f"nos-{number:07d}", title=f"Bericht {number}", body=f"Tekst van bericht {number}.",
                      path=f"nos-{number:07d}.txt", date="2024-03-01", source="NOS")


def write_generation(folder: Path, count: int, old_format: bool) -> None:
    from qa.index import _write_store

    folder.mkdir(parents=True)
    articles = list(synthetic(count))
    files = {a.path: [1200 + len(a.id), 1_700_000_000_000_000_000 + i] for i, a in enumerate(articles)}
    _write_store(folder / "store.sqlite", articles, [], {} if old_format else files)
    manifest = {"format": 2 if old_format else 3, "generation": folder.name, "model": {"name": "m", "dim": 384},
                "chunking": {}, "counts": {"articles": count, "chunks": 4 * count}, "corpora": ["/data/corpus"],
                "vector_mean": [0.01] * 384}
    if old_format:
        manifest["articles"] = {a.id: {"hash": a.content_hash, "path": a.path} for a in articles}
        manifest["files"] = files
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    from qa.index import read_manifest, stored_articles, stored_files

    work, created = make_workdir(args.workdir, "qa-bench-books-")
    print(f"machine: {machine()}")
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        for label, old in (("before: in the manifest (format 2)", True), ("now: in store.sqlite (format 3)", False)):
            generation = work / f"{size}-{'old' if old else 'new'}" / "gen-000001"
            write_generation(generation, size, old)
            load = best_of(args.repeats, lambda: read_manifest(generation))
            manifest = read_manifest(generation)
            changes = best_of(args.repeats, lambda: (stored_articles(generation, manifest),
                                                      stored_files(generation, manifest)))
            assert len(stored_articles(generation, manifest)) == size == len(stored_files(generation, manifest))
            rows.append([size, label, (generation / "manifest.json").stat().st_size / 1e6, load * 1000,
                         changes * 1000])
    print(table(rows, ["articles", "records", "manifest MB", "load manifest ms", "read hashes + files ms"]))
    cleanup(work, created, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
