"""Evaluation: retrieval quality (recall@k, MRR) on a question set against a corpus.

Reads the XQuAD format (``question``, ``gold_ctx_id``, ``answer_text``) and the
project's own (``question``, ``doc``, ``answer``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .retrieval import Retriever


@dataclass
class Query:
    question: str
    gold: str  # article id
    answer: str = ""


@dataclass
class RetrievalScores:
    questions: int
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float
    answer_at_1: float  # the answer string is inside the first passage
    answer_at_5: float

    def table(self) -> str:
        return (f"questions {self.questions}  R@1 {self.recall_at_1:.3f}  R@5 {self.recall_at_5:.3f}  "
                f"MRR@10 {self.mrr_at_10:.3f}  answer-in-passage@1 {self.answer_at_1:.3f}  @5 {self.answer_at_5:.3f}")


def load_queries(path: str | Path) -> list[Query]:
    queries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        gold = record.get("gold_ctx_id") or record.get("doc") or ""
        answer = record.get("answer_text") or record.get("answer") or ""
        queries.append(Query(record["question"], str(gold), str(answer)))
    return queries


def evaluate_retrieval(retriever: Retriever, queries: Sequence[Query]) -> RetrievalScores:
    r1 = r5 = mrr = a1 = a5 = 0.0
    for query in queries:
        passages = retriever.search(query.question, k=10)
        ranking = list(dict.fromkeys(p.doc_id for p in passages))
        rank = ranking.index(query.gold) + 1 if query.gold in ranking else 0
        r1 += rank == 1
        r5 += 0 < rank <= 5
        mrr += 1 / rank if 0 < rank <= 10 else 0
        answer = query.answer.casefold()
        if answer:
            a1 += any(answer in p.text.casefold() for p in passages[:1])
            a5 += any(answer in p.text.casefold() for p in passages[:5])
    n = max(len(queries), 1)
    return RetrievalScores(len(queries), r1 / n, r5 / n, mrr / n, a1 / n, a5 / n)


def eval_index_dir(corpora: Sequence[str | Path], base: str | Path = ".qa-eval") -> Path:
    """One reusable index folder per corpus combination."""
    key = "|".join(str(Path(c).resolve()) for c in corpora)
    name = "-".join(Path(c).stem for c in corpora)[:60]
    return Path(base) / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
