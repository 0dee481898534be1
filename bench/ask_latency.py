"""Answer latency and accuracy: ChatSession.ask on XQuAD-NL questions against an existing
index, for one or more checkouts of the code side by side in one run.

Each --code folder (a checkout of this repository; default: this one) is measured in its
own subprocess that imports qa from it: one warm-up question, then every XQuAD-NL question
whose answer string occurs in its gold article, each in a new ChatSession. Reported per
checkout: p50/p95 milliseconds per ask, the share answered, the share whose answer text holds
the expected string, and p50 relative to the first checkout.

    git worktree add /tmp/before <commit>
    python bench/ask_latency.py --index .qa-eval/corpus-articles-ef71c9be \\
        --queries ../shared/eval/xquad-nl/queries.jsonl --code . --code /tmp/before

The index is the one `qa eval ... --corpus ../shared/eval/xquad-nl/corpus.jsonl --corpus
../shared/eval/news-nl/articles.jsonl` builds. Sentence embeddings are remembered within a
process (Embedder.encode_remembered), so questions about the same paragraph get cheaper:
the figures are for a session of many questions, as in the web app.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

MEASURE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import qa
from qa.answer import ChatSession
retriever = qa.Retriever.load(sys.argv[2])
questions = [json.loads(line) for line in open(sys.argv[3], encoding="utf-8") if line.strip()]
limit = int(sys.argv[4])
ChatSession(retriever).ask("Wat staat er in de artikelen?")
times, answered, correct, asked = [], 0, 0, 0
for q in questions:
    expected = q.get("answer_text", q.get("answer", ""))  # XQuAD-NL's fields, or eval/news_*'s
    body = retriever.article_body(q.get("gold_ctx_id", q.get("doc"))).casefold()
    if expected.casefold() not in body:
        continue
    start = time.perf_counter()
    answer = ChatSession(retriever).ask(q["question"])
    times.append((time.perf_counter() - start) * 1e3)
    asked += 1
    answered += not answer.abstained
    correct += (not answer.abstained) and expected.casefold() in answer.text.casefold()
    if asked == limit:
        break
if not times:
    sys.exit("no question's gold article is in this index: build it over the questions' corpus")
times.sort()
print(json.dumps({"code": qa.__file__, "questions": asked, "p50": times[len(times) // 2],
                  "p95": times[int(len(times) * 0.95)], "answered": answered / asked, "correct": correct / asked}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", required=True, help="an index built over XQuAD-NL (and distractors)")
    parser.add_argument("--queries", required=True, help="XQuAD-NL queries.jsonl, or eval/news_*_questions.jsonl")
    parser.add_argument("--code", action="append", help="a checkout of this repository (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many questions (0: all)")
    args = parser.parse_args()
    rows = []
    for code in args.code or ["."]:
        result = subprocess.run([sys.executable, "-c", MEASURE, str(Path(code).resolve()), args.index, args.queries,
                                 str(args.limit)], capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"{code}: the measurement failed:\n{result.stderr}")
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
    print("| code | questions | ask p50 (ms) | p95 (ms) | p50 vs first | answered | answer holds the expected string |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {Path(row['code']).parent.parent} | {row['questions']} | {row['p50']:.0f} | {row['p95']:.0f} | "
              f"{row['p50'] / rows[0]['p50']:.2f}x | {row['answered']:.3f} | {row['correct']:.3f} |")


if __name__ == "__main__":
    main()
