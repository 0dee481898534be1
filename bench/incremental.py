"""Incremental build benchmark: full build vs. a small update vs. a no-change rebuild.

Writes the first N news articles as one .txt file each (title line, blank line, text) into a
fresh folder under /tmp, builds a fresh index there (so the embeddings cache starts empty),
then changes 1 article, adds 1 and deletes 1 and runs the incremental build. Also times a
rebuild with nothing changed and, optionally, the same small update through the CLI
(`python -m qa.cli build`), which adds interpreter start-up and imports.

Phase times come from wrapping the helpers of qa.index in this process (the package itself
is not changed).

    python bench/incremental.py                    # N=1000
    python bench/incremental.py --n 300 --no-cli   # quicker
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (DEFAULT_ARTICLES, REPO, article_file_text, cleanup, folder_bytes, machine,  # noqa: E402
                     make_workdir, read_jsonl, safe_name, table, write_txt_corpus)

PHASES = [
    "corpus_fingerprint", "scan_corpus", "_deduplicate", "resolve_model", "Embedder", "_previous_manifest",
    "_chunk_all", "_embed_with_cache", "_write_store", "_write_vectors", "_write_bm25", "_write_manifest",
    "_fsync_tree", "_switch_current", "_prune_generations",
]


class PhaseTimer:
    """Wraps module-level helpers of qa.index to accumulate their wall time per build."""

    def __init__(self):
        import qa.index as index_module

        self.module = index_module
        self.times: dict[str, float] = defaultdict(float)
        self.originals = {}
        for name in PHASES:
            original = getattr(index_module, name, None)
            if original is None:  # a helper this version of qa does not have
                continue
            self.originals[name] = original
            setattr(index_module, name, self._wrap(name, original))

    def _wrap(self, name, original):
        @functools.wraps(original)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.times[name] += time.perf_counter() - start
        return timed

    def take(self) -> dict[str, float]:
        times, self.times = dict(self.times), defaultdict(float)
        return times

    def restore(self) -> None:
        for name, original in self.originals.items():
            setattr(self.module, name, original)


def timed_build(corpus: Path, index: Path, settings, phases: PhaseTimer):
    import qa

    start = time.perf_counter()
    report = qa.build_index(corpus, index, settings)
    wall = time.perf_counter() - start
    return report, wall, phases.take()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES, help="news JSONL (id,title,text,source)")
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--workdir", help="folder for corpus and index (default: a fresh one under /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--precision", help="embedding precision (auto|fp32|bf16; default: QA_PRECISION or auto)")
    parser.add_argument("--no-cli", action="store_true", help="skip the update through the CLI subprocess")
    args = parser.parse_args(argv)

    records = read_jsonl(args.articles, limit=args.n + 1)
    if len(records) < args.n + 1:
        parser.error(f"{args.articles} has fewer than {args.n + 1} articles")
    base, extra = records[: args.n], records[args.n]
    work, created = make_workdir(args.workdir, "qa-bench-incremental-")
    corpus, index = work / "corpus", work / "index"
    if index.exists() and any(index.iterdir()):
        parser.error(f"{index} is not empty: the full build needs a fresh index (and embeddings cache)")
    print(f"machine: {machine()}")
    print(f"work folder: {work}")

    # Import the heavy libraries first so no build is charged for them.
    import faiss  # noqa: F401
    import bm25s  # noqa: F401
    import sentence_transformers  # noqa: F401
    import qa

    settings = qa.Settings.from_env(precision=args.precision)
    write_txt_corpus(base, corpus)
    phases = PhaseTimer()
    rows, phase_rows = [], {}
    try:
        full, full_wall, phase_rows["full"] = timed_build(corpus, index, settings, phases)
        rows.append(["full (fresh index + cache)", full, full_wall])

        same, same_wall, phase_rows["no change"] = timed_build(corpus, index, settings, phases)
        rows.append(["no change", same, same_wall])

        # 1 changed, 1 added, 1 deleted.
        changed = corpus / safe_name(base[1], 1)
        changed.write_text(changed.read_text(encoding="utf-8").rstrip("\n")
                           + "\n\nDit artikel is bijgewerkt voor de benchmark.\n", encoding="utf-8")
        (corpus / safe_name(extra, args.n)).write_text(article_file_text(extra), encoding="utf-8")
        (corpus / safe_name(base[2], 2)).unlink()
        update, update_wall, phase_rows["1+1+1"] = timed_build(corpus, index, settings, phases)
        rows.append(["change 1, add 1, delete 1", update, update_wall])
    finally:
        phases.restore()

    cli_wall = None
    if not args.no_cli:
        changed = corpus / safe_name(base[3], 3)
        changed.write_text(changed.read_text(encoding="utf-8").rstrip("\n")
                           + "\n\nOok dit artikel is bijgewerkt.\n", encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "qa.cli", "build", "--corpus", str(corpus), "--index",
                               str(index), "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=600)
        cli_wall = time.perf_counter() - start
        if done.returncode != 0:
            print(f"CLI build failed ({done.returncode}): {done.stderr.strip()[-500:]}")
            cli_wall = None
        else:
            print(f"CLI build output: {done.stdout.strip().splitlines()[-1]}")

    print()
    print(f"{args.n} articles, {full.chunks} chunks, model {full.model}, precision "
          f"{settings.precision}; index {folder_bytes(index) / 1e6:.1f} MB on disk")
    print(table(
        [[name, f"{wall:.2f}", f"{r.seconds:.2f}", f"{100 * wall / full_wall:.2f}%", r.added, r.updated, r.removed,
          r.unchanged, r.embedded, r.chunks, "full" if r.full else "incremental"] for name, r, wall in rows]
        + ([["1 change via CLI subprocess", f"{cli_wall:.2f}", "", f"{100 * cli_wall / full_wall:.2f}%",
             "", "", "", "", "", "", "incl. python start + imports"]] if cli_wall else []),
        ["build", "wall s", "report s", "of full", "added", "updated", "removed", "unchanged", "embedded",
         "chunks", "kind"]))
    ratio = update_wall / full_wall
    print(f"\nupdate/full = {100 * ratio:.2f}% (target <= 2%: {'met' if ratio <= 0.02 else 'NOT met'})")
    # The news set has a few duplicate texts: each is indexed once, so count from the full build.
    expected = (1, 1, 1, full.articles - 2)
    got = (update.added, update.updated, update.removed, update.unchanged)
    print(f"update report counts added/updated/removed/unchanged = {got}: "
          f"{'as expected' if got == expected else f'EXPECTED {expected}'}"
          f" ({args.n} files, {full.articles} distinct articles: {len(full.duplicates)} duplicate texts)")

    print("\nwhere the time goes (s, per phase of build_index):")
    names = [n for n in PHASES if any(phase_rows[b].get(n, 0) > 0.0005 for b in phase_rows)]
    print(table([[n] + [f"{phase_rows[b].get(n, 0):.3f}" for b in phase_rows] for n in names],
                ["phase"] + list(phase_rows)))
    cleanup(work, created, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
