"""Builds on Ray against builds on this machine alone, side by side in one run.

Each variant is a fresh `qa build` (new index folder, so an empty embedding cache) of the same
news-nl articles, in its own process, timed from launch to exit:

  local            this machine's cores, torch threads = cores (today's build)
  ray, 1 x N       `--ray local`: a Ray cluster of this machine, one actor of all N cores
  local, 1 core    the build pinned to one core (taskset), one torch thread
  ray, N x 1       `--ray local` with one actor per core: N workers of 1 CPU, the 2-node
                   cluster simulated on one machine, to show how embedding scales per worker

The first pair shows Ray's overhead (cluster start, actor start-up with a model load each,
serialisation); the second pair how the work divides over workers. The same two builds of the
first 2 articles give the fixed part of that overhead, and with it the embedding rate of each
variant once started: (wall - the fixed time of its kind) / chunks. Ray is kept on loopback.

    python bench/ray_build.py --limit 300
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_ARTICLES, cleanup, machine, make_workdir, read_jsonl, table, write_txt_corpus  # noqa: E402

QA = str(Path(sys.executable).parent / "qa")


def run_build(corpus: Path, index: Path, ray: str = "", actor_cpus: int = 0, pin_core: bool = False) -> dict:
    env = dict(os.environ, RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0", RAY_USAGE_STATS_ENABLED="0")
    command = [QA, "build", "--corpus", str(corpus), "--index", str(index), "--quiet"]
    if ray:
        command += ["--ray", ray]
        env["QA_RAY_ACTOR_CPUS"] = str(actor_cpus)
    if pin_core:
        command = ["taskset", "-c", "0"] + command
    started = time.perf_counter()
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"build failed: {run.stderr.strip().splitlines()[-1]}")
    chunks = int(re.search(r"(\d+) chunks in", run.stdout).group(1))
    return {"wall": wall, "chunks": chunks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--workdir")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    work, created = make_workdir(args.workdir, "qa-bench-ray-")
    try:
        corpus, tiny = work / "corpus", work / "tiny"
        records = read_jsonl(args.articles, args.limit)
        write_txt_corpus(records, corpus)
        write_txt_corpus(records[:2], tiny)
        variants = [
            ("local", {}),
            (f"ray, 1 x {cores}", {"ray": "local", "actor_cpus": cores}),
            ("local, 1 core", {"pin_core": True}),
            (f"ray, {cores} x 1", {"ray": "local", "actor_cpus": 1}),
        ]
        results = {}
        for number, (name, options) in enumerate(variants):
            results[name] = run_build(corpus, work / f"index-{number}", **options)
            print(f"{name}: {results[name]['wall']:.1f} s", file=sys.stderr)
        fixed = {"local": run_build(tiny, work / "tiny-local"),
                 "ray": run_build(tiny, work / "tiny-ray", ray="local", actor_cpus=cores)}
        pair = {name: "local, 1 core" if name.endswith(" x 1") or "1 core" in name else "local" for name in results}
        rows = []
        for name, result in results.items():
            start_cost = fixed["ray" if name.startswith("ray") else "local"]["wall"]
            rate = (result["chunks"] - fixed["local"]["chunks"]) / max(1e-9, result["wall"] - start_cost)
            rows.append([name, result["chunks"], result["wall"], result["wall"] / results[pair[name]]["wall"], rate])
        rows += [[f"{kind}, first 2 articles", r["chunks"], r["wall"], float("nan"), float("nan")]
                 for kind, r in (("local", fixed["local"]), (f"ray, 1 x {cores}", fixed["ray"]))]
        print(f"\n{machine()}\n{args.limit} news-nl articles; each build fresh, in its own process\n")
        print(table(rows, ["build", "chunks", "wall s", "time vs its local pair", "chunks/s once started"]))
    finally:
        cleanup(work, created, args.keep)


if __name__ == "__main__":
    main()
