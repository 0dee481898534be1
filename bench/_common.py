"""Helpers shared by the benchmark scripts in bench/ (not part of the qa package).

The news articles are read from the shared evaluation set by path and never copied into
the project: temporary corpora and indexes go under /tmp.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Benchmarks talk to loopback only: gradio_client reports itself to the Hugging Face Hub unless
# told not to, and its analytics_enabled=False does not (gradio_client 2.7 falls back to this variable).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
DEFAULT_ARTICLES = str((REPO / ".." / "shared" / "eval" / "news-nl" / "articles.jsonl").resolve())


def read_jsonl(path: str | os.PathLike, limit: int | None = None) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                records.append(json.loads(line))
                if limit is not None and len(records) >= limit:
                    break
    return records


def article_file_text(record: dict) -> str:
    """One article as a .txt file the way a person saves it: title line, blank line, text."""
    title = " ".join(str(record.get("title") or "").split())
    paragraphs = [p.strip() for p in str(record["text"]).replace("\r\n", "\n").split("\n") if p.strip()]
    return f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def safe_name(record: dict, number: int) -> str:
    raw = str(record.get("id") or f"article-{number:05d}")
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in raw) + ".txt"


def write_txt_corpus(records: list[dict], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, record in enumerate(records):
        path = folder / safe_name(record, number)
        path.write_text(article_file_text(record), encoding="utf-8")
        paths.append(path)
    return paths


def make_workdir(given: str | None, prefix: str) -> tuple[Path, bool]:
    """A work folder under /tmp (fresh unless given); returns (path, created_here)."""
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        return path, False
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp")), True


def cleanup(path: Path, created: bool, keep: bool) -> None:
    if created and not keep:
        shutil.rmtree(path, ignore_errors=True)
    elif keep or not created:
        print(f"(work folder kept: {path})")


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def table(rows: list[list], headers: list[str]) -> str:
    """A plain Markdown table (reads fine in a terminal, pastes into docs/benchmarks.md)."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells[1:]]
    return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        if value != value:  # nan
            return "-"
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current RSS, peak RSS) in MB from /proc."""
    now = peak = float("nan")
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    return now, peak


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        mem = "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores ({model}), {mem} RAM, load avg {load:.2f}, "
            f"Python {platform.python_version()}, qa at commit {git_head()}")


def git_head() -> str:
    """The commit of the working tree (qa/ changes under a shared checkout: record what ran)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "qa"], cwd=REPO, capture_output=True,
                               text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return (head or "?") + (" + uncommitted qa/ changes" if dirty else "")


class Stopwatch:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        return False


def real_vectors(index_dir: str | os.PathLike):
    """All vectors of a built index (its current generation), as a float32 matrix."""
    import faiss

    from qa.index import current_generation
    from qa.retrieval import stored_index

    vectors = faiss.read_index(str(current_generation(Path(index_dir)) / "vectors.faiss"))
    base = stored_index(vectors)  # owned by ``vectors``, which must outlive it
    return base.reconstruct_n(0, base.ntotal)


SEARCH_PARTS = ("embed_ms", "dense_ms", "keyword_ms", "fusion_ms")  # Retriever.last_timings


def timed_searches(retriever, questions: list[str], warmup: int) -> dict[str, list[float]]:
    """Warm-up searches, then every question once (k=5): milliseconds, whole ("total") and
    by part (SEARCH_PARTS)."""
    for question in questions[:warmup]:
        retriever.search(question)
    times: dict[str, list[float]] = {"total": [], **{part: [] for part in SEARCH_PARTS}}
    for question in questions:
        started = time.perf_counter()
        retriever.search(question)
        times["total"].append((time.perf_counter() - started) * 1000)
        for part in SEARCH_PARTS:
            times[part].append(getattr(retriever.last_timings, part))
    return times
