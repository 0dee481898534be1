"""The guard for refactors: every answer the chat gives to the project's question sets, as JSONL.

Run it before and after a change that must not alter behaviour; the two files must be
identical (``diff before.jsonl after.jsonl``), or each difference explained.

    python bench/answers_snapshot.py --out /tmp/before.jsonl
    python bench/answers_snapshot.py --out /tmp/after.jsonl --xquad ../shared/eval/xquad-nl

Sets asked: the own, held-out and second held-out sets (answerable, unanswerable, dialogues)
over the sample corpus; XQuAD-NL's questions over its own paragraphs and, as unanswerable,
over the sample corpus. Each line: set, id, question(s), answer text, declined, confidence,
cited sources (article id and span). Indexes are built once under --work and reused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import qa  # noqa: E402
from qa.evaluation import read_jsonl  # noqa: E402

SAMPLE_SETS = [
    "questions", "unanswerable", "dialogues", "heldout_questions", "heldout_unanswerable",
    "heldout2_questions", "heldout2_unanswerable", "heldout2_dialogues",
]


def answer_record(set_name: str, record_id: str, asked: list[str], answer: qa.Answer) -> dict:
    return {
        "set": set_name, "id": record_id, "asked": asked, "resolved": answer.resolved_question,
        "answer": answer.text, "declined": answer.abstained, "confidence": round(answer.confidence, 4),
        "sources": [[s.passage.doc_id, s.passage.start, s.passage.end, list(s.highlight or [])]
                    for s in answer.sources],
    }


def ask_set(retriever: qa.Retriever, set_name: str, records: list[dict]) -> list[dict]:
    lines = []
    for number, record in enumerate(records):
        turns = record.get("turns") or [record["question"]]
        session = qa.ChatSession(retriever)
        for turn in turns:
            answer = session.ask(turn)
        lines.append(answer_record(set_name, str(record.get("id", number)), turns, answer))
    return lines


def retriever_for(corpus: list[str], folder: Path) -> qa.Retriever:
    qa.build_index(corpus, folder, progress=False)
    return qa.Retriever.load(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--work", default="/tmp/qa-answers-snapshot", help="where the indexes are built")
    parser.add_argument("--xquad", default=str(REPO.parent / "shared" / "eval" / "xquad-nl"),
                        help="folder with XQuAD-NL's corpus.jsonl and queries.jsonl ('' to skip)")
    args = parser.parse_args()
    work = Path(args.work)
    lines: list[dict] = []
    sample = retriever_for([str(REPO / "corpus")], work / "sample")
    for name in SAMPLE_SETS:
        lines += ask_set(sample, name, read_jsonl(REPO / "eval" / f"{name}.jsonl"))
    if args.xquad:
        xquad = Path(args.xquad)
        queries = read_jsonl(xquad / "queries.jsonl")
        lines += ask_set(sample, "xquad_on_sample", queries)
        lines += ask_set(retriever_for([str(xquad / "corpus.jsonl")], work / "xquad"), "xquad", queries)
    with open(args.out, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(lines)} answers -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
