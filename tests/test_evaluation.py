"""The project's evaluation sets: each expected answer really is in the article it names."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted((ROOT / "eval").glob("*.jsonl"))


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_every_expected_answer_is_written_in_its_article(path):
    rows = records(path)
    assert rows and len({r["id"] for r in rows}) == len(rows), "ids must be unique"
    for row in rows:
        assert row.get("question") or len(row.get("turns", [])) >= 2, row["id"]
        if "answer" in row:
            text = (ROOT / "corpus" / f"{row['doc']}.txt").read_text(encoding="utf-8")
            assert row["answer"].casefold() in text.casefold(), (row["id"], row["answer"])


def test_an_xquad_answer_counts_only_where_its_article_holds_it(retriever):
    from qa.evaluation import answerable_questions

    records = [
        {"question": "a", "gold_ctx_id": "microsoft-openai-deal", "answer_text": "$10 miljard"},
        {"question": "b", "gold_ctx_id": "microsoft-openai-deal", "answer_text": "tien miljard"},  # not how it is written
        {"question": "c", "doc": "musk-bod-openai", "answer": "xAI"},
        {"question": "d", "doc": "musk-bod-openai"},  # no expected answer
    ]
    assert answerable_questions(records, retriever) == [
        {"question": "a", "answer": "$10 miljard"}, {"question": "c", "answer": "xAI"}]
