"""Search latency on real questions, by what embeds them: torch, ONNX Runtime fp32 and int8,
OpenVINO fp32, bf16 and int8; for one or more checkouts of the code side by side.

Each variant runs in a fresh process on the same built index (QA_QUERY_RUNTIME /
QA_QUERY_PRECISION / QA_QUERY_THREADS set for it), with the same questions: warm-up searches
first, then every question once, ``Retriever.search`` (k=5) timed whole and split into
embedding, dense, keyword and fusion (``retriever.last_timings``). Variants (and --code
checkouts, default this one) take turns with --repeats > 1 and the best pass of each counts.

    python bench/search_latency.py --index /tmp/newsidx \\
        --questions eval/news_dev_questions.jsonl --questions ../shared/eval/xquad-nl/queries.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SEARCH_PARTS, machine, percentile, read_jsonl, table, timed_searches  # noqa: E402

PARTS = SEARCH_PARTS
VARIANTS = {  # name: (runtime, precision)
    "torch": ("torch", "fp32"),
    "onnx": ("onnx", "fp32"),
    "onnx-int8": ("onnx", "int8"),
    "openvino-fp32": ("openvino", "fp32"),
    "openvino-bf16": ("openvino", "bf16"),
    "openvino-int8": ("openvino", "int8"),
}


def measure(index: str, questions: list[str], warmup: int, code: str) -> dict:
    sys.path.insert(0, code)
    import qa

    retriever = qa.Retriever.load(index)
    return {**timed_searches(retriever, questions, warmup), "chunks": retriever.vectors.ntotal,
            "encoder": type(retriever.embedder).__name__}


def _label(code: str, codes: list[str]) -> str:
    """A checkout's folder name, or its path where two share a name."""
    name = Path(code).name
    return name if sum(Path(c).name == name for c in codes) == 1 else code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", action="append", required=True, help="JSONL with a question field (repeatable)")
    parser.add_argument("--limit", type=int, default=200, help="questions per file (default 200)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--threads", type=int, default=0,
                        help="QA_QUERY_THREADS (default 0: each runtime's own, 1 for torch and ONNX Runtime, all cores for OpenVINO)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--code", action="append", help="a checkout of this repository (repeatable; default: this one)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    questions = [r["question"] for path in args.questions for r in read_jsonl(path, args.limit)]
    codes = [str(Path(c).resolve()) for c in args.code or [REPO]]
    if args.child:
        print(json.dumps(measure(args.index, questions, args.warmup, codes[0])))
        return 0

    print(f"machine: {machine()}")
    best: dict[str, dict] = {}
    for _ in range(args.repeats):
        for code in codes:
            for variant in args.variants.split(","):
                runtime, precision = VARIANTS[variant]
                env = dict(os.environ, QA_QUERY_RUNTIME=runtime, QA_QUERY_PRECISION=precision,
                           QA_QUERY_THREADS=str(args.threads))
                command = [sys.executable, __file__, "--child", variant, "--index", args.index, "--limit",
                           str(args.limit), "--warmup", str(args.warmup), "--code", code,
                           ] + [a for q in args.questions for a in ("--questions", q)]
                done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
                name = variant if len(codes) == 1 else f"{_label(code, codes)}: {variant}"
                if done.returncode:  # an older checkout without this variant
                    print(f"{name}: failed: {(done.stderr.strip().splitlines() or [''])[-1]}")
                    continue
                result = json.loads(done.stdout.strip().splitlines()[-1])
                if name not in best or percentile(result["total"], 50) < percentile(best[name]["total"], 50):
                    best[name] = result
    if not best:
        sys.exit("no variant ran")
    first = next(iter(best.values()))
    print(f"\n{len(questions)} questions ({', '.join(args.questions)}), index {args.index} ({first['chunks']} chunks), "
          f"{args.threads or 'default'} thread(s) per question; milliseconds")
    rows = []
    for name, result in best.items():
        rows.append([name, result["encoder"],
                     f"{percentile(result['total'], 50):.1f} / {percentile(result['total'], 95):.1f}",
                     *(f"{percentile(result[p], 50):.1f} / {percentile(result[p], 95):.1f}" for p in PARTS)])
    print(table(rows, ["variant", "encoder", "search p50 / p95", "embed", "dense", "keyword", "fusion"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
