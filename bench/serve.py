"""Web app benchmark: start-up time of app.py and /chat latency under concurrent load.

Starts `python app.py --index DIR --corpus DIR --host 127.0.0.1 --port P` on a free loopback
port (the index is built first from the repo's sample corpus/ into /tmp when --index is not
given, so the start time is measured with an index present), times how long until
GET / answers HTTP 200, sends one warm-up question, then N questions from
eval/questions.jsonl concurrently (a thread pool; each worker has its own gradio_client
Client) to the /chat endpoint with a per-request timeout. Reports errors, p50/p99 latency,
total time and the server's memory, then stops the server (SIGINT, then SIGKILL).

    python bench/serve.py
    python bench/serve.py --index /tmp/some-index --corpus /tmp/some-corpus -n 100 --workers 8
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine, mean, percentile, rss_mb, table  # noqa: E402

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.05)
    return None


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)  # app.py ends cleanly on KeyboardInterrupt
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", help="existing index folder (default: build one from --corpus under /tmp)")
    parser.add_argument("--corpus", default=str(REPO / "corpus"), help="corpus folder (default: the repo's corpus/)")
    parser.add_argument("--questions", default=str(REPO / "eval" / "questions.jsonl"))
    parser.add_argument("-n", "--requests", type=int, default=50, help="questions to send (default 50)")
    parser.add_argument("--workers", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("-k", type=int, default=5, help="sources per answer (default 5)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per request (default 120)")
    parser.add_argument("--start-timeout", type=float, default=180, help="seconds to wait for the server")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-threads", type=int,
                        help="OMP_NUM_THREADS for the server (torch threads; default: unset, one per core)")
    parser.add_argument("--burners", type=int, default=0,
                        help="busy-loop processes to run during the requests, to mimic a shared machine (default 0)")
    parser.add_argument("--log", help="file for the server's output (default: a temp file)")
    args = parser.parse_args(argv)

    print(f"machine: {machine()}")
    work = None
    index = args.index
    if not index:
        work = Path(tempfile.mkdtemp(prefix="qa-bench-serve-", dir="/tmp"))
        index = str(work / "index")
        built = subprocess.run([sys.executable, "-m", "qa.cli", "build", "--corpus", args.corpus, "--index", index,
                                "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=1800)
        if built.returncode != 0:
            print(f"building the index failed: {built.stderr.strip()[-800:]}")
            return 1
        print(f"built index {index}: {built.stdout.strip().splitlines()[0]}")
    questions = [json.loads(line)["question"] for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    rng = random.Random(args.seed)
    asked = [questions[i % len(questions)] for i in range(args.requests)]
    rng.shuffle(asked)

    port = args.port or free_port()
    url = f"http://{HOST}:{port}/"
    log_path = Path(args.log) if args.log else Path(tempfile.mkstemp(prefix="qa-bench-serve-", suffix=".log",
                                                                      dir="/tmp")[1])
    burners: list[subprocess.Popen] = []
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    if args.server_threads:
        env["OMP_NUM_THREADS"] = str(args.server_threads)
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "app.py", "--index", index, "--corpus", args.corpus,
                                 "--host", HOST, "--port", str(port)], cwd=REPO, stdout=log, stderr=log, env=env)
    try:
        start_time = wait_for_http(url, proc, args.start_timeout)
        if start_time is None:
            print(f"server did not answer HTTP 200 within {args.start_timeout:.0f} s "
                  f"(exit code {proc.poll()}); log: {log_path}")
            print(log_path.read_text()[-1500:])
            return 1
        rss_idle = rss_mb(proc.pid)
        print(f"server pid {proc.pid} answered HTTP 200 after {start_time:.2f} s ({url})")

        from gradio_client import Client

        clients: queue.Queue = queue.Queue()
        connect_times = []
        for _ in range(args.workers):
            t0 = time.perf_counter()
            clients.put(Client(url, verbose=False))
            connect_times.append(time.perf_counter() - t0)

        def ask(question: str) -> tuple[float, str | None]:
            client = clients.get()
            try:
                t0 = time.perf_counter()
                try:
                    job = client.submit(question, args.k, api_name="/chat")
                    answer = job.result(timeout=args.timeout)
                    error = None if isinstance(answer, str) and answer.strip() else f"empty answer: {answer!r}"
                except Exception as err:  # timeouts and server errors are what we count
                    error = f"{type(err).__name__}: {err}"
                return time.perf_counter() - t0, error
            finally:
                clients.put(client)

        for _ in range(args.burners):  # our own children, killed by pid below
            burners.append(subprocess.Popen([sys.executable, "-c", "while True:\n    pass\n"]))
        first_latency, first_error = ask(questions[0])
        print(f"warm-up question: {first_latency * 1000:.0f} ms{' ERROR ' + first_error if first_error else ''}")

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            results = list(pool.map(ask, asked))
        total = time.perf_counter() - t0
        rss_after = rss_mb(proc.pid)
        latencies = [lat * 1000 for lat, err in results if err is None]
        errors = [err for _, err in results if err is not None]
        for err in sorted(set(errors))[:5]:
            print(f"error: {err[:300]}")
        while not clients.empty():
            try:
                clients.get_nowait().close()
            except Exception:
                pass
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
        stop(proc)

    print()
    print(table([
        ["server torch threads (OMP_NUM_THREADS)", f"{args.server_threads or 'default'}"],
        ["busy-loop processes during the requests", f"{args.burners}"],
        ["start time (launch -> HTTP 200, index present)", f"{start_time:.2f} s"],
        ["gradio_client connect, mean of workers", f"{mean(connect_times) * 1000:.0f} ms"],
        ["warm-up question (first /chat)", f"{first_latency * 1000:.0f} ms"],
        ["requests / workers", f"{args.requests} / {args.workers}"],
        ["errors (incl. timeouts)", f"{len(errors)}"],
        ["latency p50", f"{percentile(latencies, 50):.0f} ms"],
        ["latency p99", f"{percentile(latencies, 99):.0f} ms"],
        ["latency max", f"{max(latencies) if latencies else float('nan'):.0f} ms"],
        ["total time", f"{total:.2f} s"],
        ["throughput", f"{len(latencies) / total:.1f} answers/s"],
        ["server RSS idle / after load (peak)", f"{rss_idle[0]:.0f} / {rss_after[0]:.0f} ({rss_after[1]:.0f}) MB"],
    ], ["measure", "value"]))
    print(f"server stopped (exit code {proc.returncode})" + (f"; log: {log_path}" if args.log or errors else ""))
    if not args.log and not errors:
        log_path.unlink(missing_ok=True)
    if work:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
