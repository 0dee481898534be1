"""Crash test: kill -9 `qa build` at random moments and check the index is never half-written.

Builds an index of ~200 news articles (one .txt file each, under /tmp), records the top-3
passages (doc id + text) for 10 fixed questions, measures how long a normal CLI build takes
(and when its staging folder appears and CURRENT switches), then repeats:

  1. modify a few articles (new text each round, so there is real embedding work);
  2. start `python -m qa.cli build --quiet` and SIGKILL it after a seeded random delay:
     most rounds spread the delay over the whole build, the "targeted" rounds kill at a
     random moment after the staging folder appears (the file-writing window);
  3. check: qa.Retriever.load works, the generation named in CURRENT is complete
     (store, vectors, BM25 and manifest agree), and its answers equal either the old
     generation's (baseline) or, if the new generation landed, those of a clean reference
     build of the modified corpus;
  4. revert the modifications, run a new build (must not be blocked by the killed build's
     lock) and check the answers are the baseline's again.

    python bench/crash.py                 # 20 rounds, 200 articles
    python bench/crash.py --rounds 5 --n 100
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (DEFAULT_ARTICLES, REPO, cleanup, machine, make_workdir, read_jsonl, table,  # noqa: E402
                     write_txt_corpus)
from qa.index import stored_articles  # noqa: E402


def answers(retriever, questions: list[str]) -> list[list[tuple[str, str]]]:
    return [[(p.doc_id, p.text) for p in retriever.search(q, k=3)] for q in questions]


def cache_rows(index: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{index / 'cache.sqlite'}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM vectors").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return -1


def consistency(retriever) -> list[str]:
    """Problems found inside the loaded generation (empty list: consistent)."""
    problems = []
    store, manifest = retriever.store, retriever.manifest
    chunks = store.execute("SELECT count(*) FROM chunks").fetchone()[0]
    hashes = dict(store.execute("SELECT id, hash FROM articles").fetchall())
    if retriever.vectors.ntotal != chunks:
        problems.append(f"{retriever.vectors.ntotal} vectors for {chunks} chunks")
    if int(retriever.keywords.scores["num_docs"]) != chunks:
        problems.append(f"chunk BM25 has {retriever.keywords.scores['num_docs']} docs for {chunks} chunks")
    if int(retriever.article_keywords.scores["num_docs"]) != len(hashes):
        problems.append("article BM25 does not match the articles")
    if manifest.get("counts", {}).get("chunks") != chunks:
        problems.append("manifest chunk count differs from the store")
    return problems


def corpus_hashes(corpus: Path) -> dict[str, str]:
    import qa

    return {a.id: a.content_hash for a in qa.scan_corpus(corpus).articles}


def run_build(cmd: list[str], index: Path, kill_after: float | None = None, after_staging: float | None = None,
              poll: float = 0.002) -> dict:
    """Run the CLI build; kill it after `kill_after` s, or `after_staging` s after the staging
    folder appears. Records when staging appeared and CURRENT changed."""
    before = (index / "CURRENT").read_text().strip() if (index / "CURRENT").exists() else ""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t_stage = t_switch = None
    deadline = None if kill_after is None else start + kill_after
    killed = False
    while proc.poll() is None:
        now = time.perf_counter()
        if t_stage is None and any(index.glob(".staging-*")):
            t_stage = now - start
            if after_staging is not None:
                deadline = now + after_staging
        if t_switch is None and (index / "CURRENT").exists():
            try:
                if (index / "CURRENT").read_text().strip() != before:
                    t_switch = now - start
            except OSError:
                pass
        if deadline is not None and now >= deadline:
            os.kill(proc.pid, signal.SIGKILL)  # our own child, by its pid
            killed = True
            break
        if now - start > 600:
            os.kill(proc.pid, signal.SIGKILL)
            raise RuntimeError("build took over 10 minutes")
        time.sleep(poll)
    stderr = proc.communicate()[1]
    return {"seconds": time.perf_counter() - start, "killed": killed, "rc": proc.returncode,
            "t_stage": t_stage, "t_switch": t_switch, "stderr": stderr or ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES, help="news JSONL (id,title,text,source)")
    parser.add_argument("--n", type=int, default=200, help="articles in the corpus (default 200)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--targeted", type=int, default=6,
                        help="of the rounds, how many kill inside the file-writing window (default 6)")
    parser.add_argument("--modify", type=int, default=5, help="articles modified per round (default 5)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--workdir", help="work folder (default: a fresh one under /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)

    import qa
    from qa.index import current_generation

    rng = random.Random(args.seed)
    records = read_jsonl(args.articles, limit=args.n)
    work, created = make_workdir(args.workdir, "qa-bench-crash-")
    corpus, index = work / "corpus", work / "index"
    paths = write_txt_corpus(records, corpus)
    originals = {p: p.read_text(encoding="utf-8") for p in paths}
    cmd = [sys.executable, "-m", "qa.cli", "build", "--corpus", str(corpus), "--index", str(index), "--quiet"]
    print(f"machine: {machine()}")
    print(f"work folder: {work}")

    start = time.perf_counter()
    report = qa.build_index(corpus, index)
    print(f"initial build: {report.articles} articles, {report.chunks} chunks in {time.perf_counter() - start:.1f} s")
    step = max(1, len(records) // 10)
    questions = [str(r["title"]) for r in records[::step]][:10]
    baseline = answers(qa.Retriever.load(index), questions)
    base_hashes = corpus_hashes(corpus)

    def modify(round_no: int) -> list[Path]:
        chosen = rng.sample(paths, args.modify)
        for path in chosen:
            donor = rng.choice(records)["text"].split(". ")[0]
            path.write_text(originals[path].rstrip("\n") + f"\n\nUpdate {round_no}: {donor}.\n", encoding="utf-8")
        return chosen

    def revert(chosen: list[Path]) -> None:
        for path in chosen:
            path.write_text(originals[path], encoding="utf-8")

    # A normal build of the same kind (modified articles), to spread the kill delays over.
    chosen = modify(0)
    normal = run_build(cmd, index)
    revert(chosen)
    if normal["rc"] != 0:
        print(f"normal build failed: {normal['stderr'][-500:]}")
        return 1
    qa.build_index(corpus, index)  # back to the baseline corpus
    if answers(qa.Retriever.load(index), questions) != baseline:
        print("answers changed after a clean rebuild of the same corpus: the check below would be meaningless")
        return 1
    duration = normal["seconds"]
    window = max(0.02, (normal["t_switch"] or duration) - (normal["t_stage"] or duration))
    print(f"normal CLI build: {duration:.2f} s (staging folder at {normal['t_stage'] or float('nan'):.2f} s, "
          f"CURRENT switched at {normal['t_switch'] or float('nan'):.2f} s)\n")

    spread = args.rounds - min(args.targeted, args.rounds)
    plan = [("spread", duration * 1.05 * (i + rng.random()) / max(spread, 1)) for i in range(spread)]
    plan += [("targeted", rng.uniform(0, window * 1.2)) for _ in range(args.rounds - spread)]

    rows, ok_count = [], 0
    for number, (mode, delay) in enumerate(plan, start=1):
        chosen = modify(number)
        new_hashes = corpus_hashes(corpus)
        rows_before = cache_rows(index)
        gen_before = current_generation(index).name
        result = run_build(cmd, index, kill_after=delay if mode == "spread" else None,
                           after_staging=delay if mode == "targeted" else None)
        landed = current_generation(index).name if current_generation(index) else "(none)"
        staging_left = any(index.glob(".staging-*"))
        orphans = sorted(p.name for p in index.glob("gen-*") if p.name not in (gen_before, landed) and
                         int(p.name.split("-")[1]) > int(gen_before.split("-")[1]))
        if not result["killed"]:
            phase = "finished before kill" if result["rc"] == 0 else f"failed rc={result['rc']}"
        elif landed != gen_before:
            phase = "after CURRENT switch"
        elif orphans:
            phase = "after rename, before switch"
        elif staging_left:
            phase = "writing staging files"
        elif cache_rows(index) > rows_before:
            phase = "embedding"
        else:
            phase = "before any write (start-up..embedding)"

        problems = []
        try:
            retriever = qa.Retriever.load(index)
            problems += consistency(retriever)
            served = {k: v["hash"] for k, v in stored_articles(retriever.generation, retriever.manifest).items()}
            got = answers(retriever, questions)
            if served == base_hashes:
                generation = "old"
                if got != baseline:
                    problems.append("old generation gives other answers")
            elif served == new_hashes:
                generation = "new"
                ref_dir = work / f"reference-{number}"
                ref_dir.mkdir()
                src = sqlite3.connect(index / "cache.sqlite")
                dst = sqlite3.connect(ref_dir / "cache.sqlite")
                src.backup(dst)
                src.close()
                dst.close()
                qa.build_index(corpus, ref_dir)
                if got != answers(qa.Retriever.load(ref_dir), questions):
                    problems.append("new generation differs from a clean build of the new corpus")
            else:
                generation = "mixed"
                problems.append("served articles match neither the old nor the new corpus")
        except Exception as err:  # a failed load is exactly what this benchmark looks for
            generation = "LOAD FAILED"
            problems.append(f"{type(err).__name__}: {err}")
            traceback.print_exc()

        revert(chosen)
        try:
            recovery = qa.build_index(corpus, index)
            if answers(qa.Retriever.load(index), questions) != baseline:
                problems.append("answers differ from the baseline after the recovery build")
            recovered = f"ok ({recovery.embedded} embedded)"
        except Exception as err:
            recovered = f"FAILED {type(err).__name__}"
            problems.append(f"recovery build: {type(err).__name__}: {err}")
        ok = not problems
        ok_count += ok
        rows.append([number, mode, f"{delay:.2f}", phase, generation, recovered, "OK" if ok else "; ".join(problems)])
        print(f"round {number:2d}: {mode:8s} kill at {delay:5.2f} s -> {phase}; serving {generation}; "
              f"{'OK' if ok else 'PROBLEM: ' + '; '.join(problems)}", flush=True)

    print()
    print(table(rows, ["round", "mode", "delay s", "killed during", "serving gen", "new build", "result"]))
    print(f"\n{ok_count}/{len(plan)} OK (index loads, is complete, answers match the old or the new "
          f"generation, and the next build succeeds)")
    cleanup(work, created, args.keep)
    return 0 if ok_count == len(plan) else 1


if __name__ == "__main__":
    sys.exit(main())
