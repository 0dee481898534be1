"""Torch thread count vs. a busy machine: query-embedding latency and passage throughput.

qa's Embedder runs torch with its default thread count (one per core). When another process
keeps a core busy, every parallel region of the forward pass waits for a thread that is not
scheduled, and a one-question embedding can become tens of times slower. This measures, side
by side in one run, the project's Embedder with torch's default threads and with 1 thread:

  * without extra load from this script (whatever else runs on the machine still counts), and
  * with --burners busy-loop processes started (and stopped, by pid) by this script.

    python bench/threads.py
    python bench/threads.py --burners 1 --queries 30 --chunks 64
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_ARTICLES, machine, percentile, read_jsonl, table  # noqa: E402

BURN = "import time\nwhile True:\n    pass\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES, help="news JSONL (titles are the queries)")
    parser.add_argument("--queries", type=int, default=30, help="single-question embeddings per setting")
    parser.add_argument("--chunks", type=int, default=64, help="passages for the throughput pass (0: skip)")
    parser.add_argument("--burners", type=int, default=1, help="busy-loop processes for the loaded case")
    parser.add_argument("--precision", default=None, help="auto|fp32|bf16 (default: QA_PRECISION or auto)")
    args = parser.parse_args(argv)

    import torch

    import qa
    from qa.embedding import resolve_model

    print(f"machine: {machine()}")
    settings = qa.Settings.from_env(precision=args.precision)
    embedder = qa.Embedder(resolve_model(settings), precision=settings.precision)
    records = read_jsonl(args.articles, limit=max(args.queries, 200))
    queries = [str(r["title"]) for r in records[: args.queries]]
    passages = [r["text"][:1000] for r in records[: args.chunks]]
    default_threads = torch.get_num_threads()
    print(f"precision {embedder.precision}; torch default threads {default_threads}")

    def run(threads: int) -> tuple[float, float, float]:
        torch.set_num_threads(threads)
        embedder.encode_queries([queries[0]])
        times = []
        for q in queries:
            start = time.perf_counter()
            embedder.encode_queries([q])
            times.append((time.perf_counter() - start) * 1000)
        rate = float("nan")
        if passages:
            start = time.perf_counter()
            embedder.encode_passages(passages)
            rate = len(passages) / (time.perf_counter() - start)
        return percentile(times, 50), percentile(times, 95), rate

    rows = []
    for condition in ("as is", f"+{args.burners} busy process(es)"):
        burners = []
        if condition != "as is":
            burners = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(args.burners)]
            time.sleep(0.5)
        try:
            load = os.getloadavg()[0]
            for threads in (default_threads, 1):
                p50, p95, rate = run(threads)
                rows.append([condition, threads, f"{p50:.1f}", f"{p95:.1f}", f"{rate:.1f}", f"{load:.2f}"])
                print(f"  {condition}, {threads} thread(s): query p50 {p50:.1f} ms, {rate:.1f} passages/s",
                      flush=True)
        finally:
            for proc in burners:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
    torch.set_num_threads(default_threads)
    print()
    print(table(rows, ["extra load", "torch threads", "query embed p50 ms", "p95 ms", "passages/s (batch 32)",
                       "load avg"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
