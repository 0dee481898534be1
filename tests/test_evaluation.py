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
