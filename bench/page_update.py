"""The web app's memory while the Artikelen tab updates the index, and the answers meanwhile.

Starts `python app.py` on a news-nl corpus, uploads more articles through /upload, runs
/rebuild, and samples the app process's RSS (its own, and with its children) every 0.2 s,
while a client asks a question every second. Reports RSS before, the peak during, and after.

    python bench/page_update.py --limit 200 --add 100
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (DEFAULT_ARTICLES, cleanup, machine, make_workdir, read_jsonl, rss_mb,  # noqa: E402
                     table, write_txt_corpus)

REPO = Path(__file__).resolve().parent.parent


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def tree_rss(pid: int) -> float:
    return rss_mb(pid)[0] + sum(tree_rss(child) for child in children(pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=DEFAULT_ARTICLES)
    parser.add_argument("--limit", type=int, default=200, help="articles in the corpus at start")
    parser.add_argument("--add", type=int, default=100, help="articles uploaded, then indexed")
    parser.add_argument("--workdir")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    from gradio_client import Client, handle_file

    work, created = make_workdir(args.workdir, "qa-bench-page-")
    records = read_jsonl(args.articles, args.limit + args.add)
    write_txt_corpus(records[:args.limit], work / "corpus")
    uploads = write_txt_corpus(records[args.limit:], work / "uploads")
    subprocess.run([sys.executable, "-m", "qa.cli", "build", "--corpus", str(work / "corpus"), "--index",
                    str(work / "index"), "--quiet"], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--index", str(work / "index"), "--corpus",
                            str(work / "corpus"), "--port", str(port)], cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(240):
            try:
                client = Client(url, verbose=False)
                break
            except Exception:
                time.sleep(0.5)
        client.predict("Wat gebeurde er?", api_name="/chat")  # the model loaded: the app at rest
        time.sleep(2)
        before = rss_mb(app.pid)[0]
        client.predict([handle_file(str(p)) for p in uploads], api_name="/upload")
        samples, answers, errors, running = [], [], [], True

        def sample() -> None:
            while running:
                samples.append((rss_mb(app.pid)[0], tree_rss(app.pid)))
                time.sleep(0.2)

        def ask() -> None:
            asker = Client(url, verbose=False)
            while running:
                started = time.perf_counter()
                try:
                    asker.predict(records[len(answers) % args.limit]["title"] + "?", api_name="/chat")
                    answers.append(time.perf_counter() - started)
                except Exception as err:  # counted
                    errors.append(repr(err))
                time.sleep(1)

        threads = [threading.Thread(target=sample), threading.Thread(target=ask)]
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        summary = client.predict(api_name="/rebuild")
        build_seconds = time.perf_counter() - started
        running = False
        for thread in threads:
            thread.join()
        time.sleep(3)
        after = rss_mb(app.pid)[0]
        print(f"\n{machine()}\n{args.limit} articles, {args.add} uploaded and indexed from the page\n{summary}\n")
        rows = [["app process RSS, MB", before, max(s[0] for s in samples), after],
                ["app and its children, MB", before, max(s[1] for s in samples), after]]
        print(table(rows, ["", "before", "peak during the update", "after"]))
        print(f"\nupdate {build_seconds:.1f} s; {len(answers)} questions answered meanwhile, {len(errors)} errors, "
              f"median {sorted(answers)[len(answers) // 2] * 1000:.0f} ms" if answers else "no answers")
    finally:
        app.terminate()
        app.wait(timeout=30)
        cleanup(work, created, args.keep)


if __name__ == "__main__":
    main()
