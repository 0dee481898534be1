"""Cold start: what a user waits for in a new process, by what embeds questions, side by side.

For each query runtime (QA_QUERY_RUNTIME=torch, the old path; onnx; openvino; auto, the default:
ONNX Runtime for `qa ask`, OpenVINO for app.py), alternating, --repeat times:
  qa ask      `python -m qa.cli ask QUESTION` on a built index: wall time and peak memory (the
              child's ru_maxrss from wait4)
  app.py      `python app.py` on a free loopback port: seconds until GET / answers 200, and until
              the first /chat answer comes back (counted from the launch)
and once: `qa build` with nothing changed, `qa --help`.

The index is built from the repo's sample corpus/ into /tmp unless --index is given. The ONNX
export is made before timing (once per model, like the unpacking of the bundled model), so
every runtime starts with its model files on disk and in the page cache.

    python bench/cold_start.py
    python bench/cold_start.py --index /tmp/newsidx --question "Wie won de verkiezingen?" --repeat 3
    git worktree add /tmp/before <commit>
    python bench/cold_start.py --runtimes auto --code /tmp/before --code .
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine  # noqa: E402
from serve import HOST, free_port, stop, wait_for_http  # noqa: E402

RUNTIMES = ("torch", "onnx", "openvino", "auto")


def timed_run(command: list[str], env: dict, code: Path = REPO) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB, exit code and stderr of one command, run in checkout ``code``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        message = err.read().decode(errors="replace")
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), message


def app_start(index: str, corpus: str, env: dict, question: str, code: Path = REPO) -> tuple[float, float]:
    """Seconds from launching checkout ``code``'s app.py until its page answers, and until its first answer."""
    from gradio_client import Client

    port = free_port()
    url = f"http://{HOST}:{port}/"
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "app.py", "--index", index, "--corpus", corpus, "--host", HOST,
                                 "--port", str(port)], cwd=code, env=env, stdout=log, stderr=log)
        try:
            if wait_for_http(url, proc, 180) is None:
                log.seek(0)
                raise RuntimeError(f"app.py did not start: {log.read().decode(errors='replace')[-600:]}")
            page = time.perf_counter() - started
            answer = Client(url, verbose=False).predict(question, 5, api_name="/chat")
            first = time.perf_counter() - started
            if not isinstance(answer, str) or not answer.strip():
                raise RuntimeError(f"empty first answer: {answer!r}")
        finally:
            stop(proc)
    return page, first


def built_from(index: str) -> list[str]:
    """The corpora a folder index was built from, as its manifest records them."""
    from qa.index import current_generation, read_manifest

    return read_manifest(current_generation(Path(index)))["corpora"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", help="built index (default: build the sample corpus into /tmp)")
    parser.add_argument("--corpus", default=str(REPO / "corpus"))
    parser.add_argument("--question", default="Hoeveel heeft Microsoft in OpenAI geïnvesteerd?")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-app", action="store_true", help="skip the app.py measurements")
    parser.add_argument("--runtimes", default=",".join(RUNTIMES), help="QA_QUERY_RUNTIME values, comma-separated")
    parser.add_argument("--code", action="append", help="a checkout of this repository (repeatable; default: this one)")
    args = parser.parse_args(argv)
    codes, runtimes = [Path(c).resolve() for c in args.code or [str(REPO)]], args.runtimes.split(",")
    # A column per checkout and runtime, named by the checkout's folder where there are several.
    variants = {(f"{code.name}:" if len(codes) > 1 else "") + runtime: (code, runtime)
                for code in codes for runtime in runtimes}
    if len(variants) < len(codes) * len(runtimes):
        parser.error("--code folders must have different names")
    print(f"machine: {machine()}")
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    qa = [sys.executable, "-m", "qa.cli"]
    index = args.index or str(Path(tempfile.mkdtemp(prefix="qa-bench-cold-", dir="/tmp")) / "index")
    if not args.index:
        subprocess.run([*qa, "build", "--corpus", args.corpus, "--index", index, "--quiet"], cwd=REPO, env=env,
                       check=True, capture_output=True)
    # The export and OpenVINO's compiled model, once, outside the timing (setup.sh makes them too).
    for code in codes:
        for runtime in ("onnx", "openvino"):
            subprocess.run([*qa, "ask", args.question, "--index", index], cwd=code,
                           env=dict(env, QA_QUERY_RUNTIME=runtime), check=True, capture_output=True)

    results: dict[str, dict[str, list[float]]] = {v: {"ask_s": [], "ask_mb": [], "page_s": [], "answer_s": []}
                                                   for v in variants}
    for _ in range(args.repeat):
        for variant, (code, runtime) in variants.items():
            run_env = dict(env, QA_QUERY_RUNTIME=runtime)
            seconds, mb, status, err = timed_run([*qa, "ask", args.question, "--index", index], run_env, code)
            if status != 0:
                print(f"qa ask failed ({variant}): {err.strip()[-400:]}")
                return 1
            results[variant]["ask_s"].append(seconds)
            results[variant]["ask_mb"].append(mb)
            if not args.no_app:
                page, first = app_start(index, args.corpus, run_env, args.question, code)
                results[variant]["page_s"].append(page)
                results[variant]["answer_s"].append(first)

    def median(variant: str, key: str) -> float:
        values = results[variant][key]
        return statistics.median(values) if values else float("nan")

    print(f"\nindex {index}; question {args.question!r}; medians of {args.repeat} runs each, interleaved")
    width = max(9, *(len(v) for v in variants))
    print(f"{'measure':32s}" + "".join(f" {v:>{width}s}" for v in variants))
    for key, label in [("ask_s", "qa ask wall (s)"), ("ask_mb", "qa ask peak RSS (MB)"),
                       ("page_s", "app.py page ready (s)"), ("answer_s", "app.py first answer (s)")]:
        print(f"{label:32s}" + "".join(f" {median(v, key):{width}.2f}" for v in variants))
    # The index's own corpora: --corpus (the sample) would rebuild a given index from other articles.
    corpora = [arg for corpus in built_from(index) for arg in ("--corpus", corpus)]
    for label, command in [("qa build, nothing changed (s)", [*qa, "build", "--index", index, *corpora, "--quiet"]),
                           ("qa --help (s)", [*qa, "--help"])]:
        times = [timed_run(command, env)[0] for _ in range(args.repeat)]
        print(f"{label:32s} {statistics.median(times):9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
