"""Evaluation: retrieval quality (recall@k, MRR) on a question set against a corpus.

Reads the XQuAD format (``question``, ``gold_ctx_id``, ``answer_text``) and the
project's own (``question``, ``doc``, ``answer``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .retrieval import Retriever


@dataclass
class Query:
    question: str
    gold: str  # article id
    answer: str = ""
    language: str = ""


@dataclass
class RetrievalScores:
    questions: int
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float
    answer_at_1: float  # the answer string is inside the first passage (or its source line)
    answer_at_3: float
    answer_at_5: float

    def table(self) -> str:
        return (f"questions {self.questions}  R@1 {self.recall_at_1:.3f}  R@5 {self.recall_at_5:.3f}  "
                f"MRR@10 {self.mrr_at_10:.3f}  answer-in-passage@1/3/5 {self.answer_at_1:.3f} "
                f"{self.answer_at_3:.3f} {self.answer_at_5:.3f}")


def as_queries(records: Sequence[dict]) -> list[Query]:
    """Question records (``question``, ``doc`` or ``gold_ctx_id``, ``answer`` or ``answer_text``,
    ``lang``) as queries."""
    queries = []
    for record in records:
        gold = record.get("gold_ctx_id") or record.get("doc") or ""
        answer = record.get("answer_text") or record.get("answer") or ""
        queries.append(Query(str(record["question"]), str(gold), str(answer), str(record.get("lang", ""))))
    return queries


def evaluate_retrieval(retriever: Retriever, queries: Sequence[Query]) -> RetrievalScores:
    from .answer import source_line

    r1 = r5 = mrr = a1 = a3 = a5 = 0.0
    for query in queries:
        passages = retriever.search(query.question, k=10)
        ranking = list(dict.fromkeys(p.doc_id for p in passages))
        rank = ranking.index(query.gold) + 1 if query.gold in ranking else 0
        r1 += rank == 1
        r5 += 0 < rank <= 5
        mrr += 1 / rank if 0 < rank <= 10 else 0
        answer = query.answer.casefold()
        if answer:
            # What a reader sees of a passage: its text and its source line (site, date).
            shown = [f"{p.text} {source_line(p)}".casefold() for p in passages]
            a1 += any(answer in text for text in shown[:1])
            a3 += any(answer in text for text in shown[:3])
            a5 += any(answer in text for text in shown[:5])
    n = max(len(queries), 1)
    return RetrievalScores(len(queries), r1 / n, r5 / n, mrr / n, a1 / n, a3 / n, a5 / n)


def eval_index_dir(corpora: Sequence[str | Path], base: str | Path = ".qa-eval") -> Path:
    """One reusable index folder per corpus combination."""
    key = "|".join(str(Path(c).resolve()) for c in corpora)
    name = "-".join(Path(c).stem for c in corpora)[:60]
    return Path(base) / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


# --- answers, abstention and follow-ups (sample corpus) -----------------------------------------

@dataclass
class AnswerScores:
    answerable: int
    answered: float  # share of answerable questions that got an answer (no abstention)
    correct: float  # share of answerable questions whose answer text holds the expected string
    unanswerable: int
    abstained: float  # share of unanswerable questions where the bot said it cannot find it
    mean_chars: float = 0.0  # mean length of the answers given, in characters (citations included)
    declines: dict[str, int] = field(default_factory=dict)  # declines of answerable questions, by their check
    unanswerable_declines: dict[str, int] = field(default_factory=dict)  # of unanswerable ones
    # The answers marked unsure (learned step): of the answerable questions answered, the share
    # marked, and how many of the marked and of the other answers hold the expected string; of
    # the unanswerable questions answered anyway, the share marked.
    unsure: float = 0.0
    unsure_correct: float = 0.0
    sure_correct: float = 0.0
    unanswerable_unsure: float = 0.0

    def table(self) -> str:
        answers = (f"answerable {self.answerable}: answered {self.answered:.3f}, answer correct {self.correct:.3f}, "
                   f"{self.mean_chars:.0f} characters")
        declines = f"unanswerable {self.unanswerable}: abstained {self.abstained:.3f}"
        table = "; ".join(part for part, n in ((answers, self.answerable), (declines, self.unanswerable)) if n)
        for label, counts in (("answerable", self.declines), ("unanswerable", self.unanswerable_declines)):
            if counts:
                table += f"\n          {label} declined by: " + ", ".join(
                    f"{check} {n}" for check, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        if self.unsure or self.unanswerable_unsure:
            table += (f"\n          marked unsure: {self.unsure:.3f} of the answers ({self.unsure_correct:.3f} of them "
                      f"correct, {self.sure_correct:.3f} of the others), {self.unanswerable_unsure:.3f} of the "
                      "unanswerable questions answered")
        return table


@dataclass
class FollowupScores:
    dialogues: int
    with_history: float  # recall@3 of the last turn, resolved with the conversation
    alone: float  # recall@3 of the last turn asked on its own
    correct: float  # share of dialogues whose last answer (as the chat gives it) holds the expected string

    def table(self) -> str:
        return (f"dialogues {self.dialogues}: last-turn recall@3 with history {self.with_history:.3f}, "
                f"without {self.alone:.3f}; last answer correct {self.correct:.3f}")


@dataclass
class FilterScores:
    questions: int
    kept: float  # share of answers citing only articles of the asked source and period
    correct: float  # share of questions with an answer whose answer holds the expected string
    unmatched: int  # questions whose filter no article on the subject passes
    declined: float  # share of those the bot declined

    def table(self) -> str:
        return (f"questions {self.questions}: answers cite only the asked source and period {self.kept:.3f}, "
                f"answer correct {self.correct:.3f}; no article matches {self.unmatched}: declined {self.declined:.3f}")


def evaluate_filters(retriever: Retriever, records: Sequence[dict]) -> FilterScores:
    """Questions that keep to a source or period: in words ("Wat meldde de NOS over ..."; the
    record's ``asked`` is "words") or passed as fields (``asked`` "fields"). ``source``,
    ``since``, ``until`` are the filter either way; ``answer`` "" marks a filter no article on
    the subject passes."""
    from .answer import ChatSession
    from .retrieval import ArticleFilter

    kept = correct = declined = answered = 0
    with_answer = [r for r in records if r.get("answer")]
    for record in records:
        only = ArticleFilter(record.get("source", ""), record.get("since", ""), record.get("until", ""))
        passed = {"source": only.source, "since": only.since, "until": only.until} if record.get("asked") == "fields" else {}
        answer = ChatSession(retriever).ask(record["question"], **passed)
        if not record.get("answer"):
            declined += answer.abstained
            continue
        if answer.abstained:
            continue
        answered += 1
        kept += all(only.admits(s.passage.date, s.passage.source) for s in answer.sources)
        correct += _holds(answer.text, answer_forms(record["answer"]))
    unmatched = len(records) - len(with_answer)
    return FilterScores(len(records), kept / max(answered, 1), correct / max(len(with_answer), 1), unmatched,
                        declined / max(unmatched, 1))


def read_jsonl(path: str | Path, required: str = "") -> list[dict]:
    """Records of a JSONL file; a missing file or a bad line is a ValueError naming it."""
    if not Path(path).is_file():
        raise ValueError(f"{path}: no such file")
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}:{number}: invalid JSON ({err.msg})") from None
        if not isinstance(record, dict) or (required and required not in record):
            raise ValueError(f"{path}:{number}: expected a JSON object with {required or 'fields'!r}")
        records.append(record)
    return records


def answerable_questions(records: Sequence[dict], retriever: Retriever) -> list[dict]:
    """The questions with an expected answer, as {question, answer}. An XQuAD answer
    (``answer_text``) counts only when its article holds it: the Dutch translation of the
    paragraph often words it differently, and no extractive answer could contain it then."""
    questions = []
    for record in records:
        if record.get("answer"):
            questions.append({"question": record["question"], "answer": record["answer"]})
        elif record.get("answer_text"):
            body = retriever.article_body(str(record.get("gold_ctx_id", "")))
            if record["answer_text"].casefold() in body.casefold():
                questions.append({"question": record["question"], "answer": record["answer_text"]})
    return questions


def answer_forms(expected: str) -> set[str]:
    """The expected answer as the bot may write it, casefolded: an ISO date from an article's
    header ("2025-02") also as a reader reads it ("februari 2025", "February 2025")."""
    from .answer import format_date

    forms = {expected.casefold()}
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", expected.strip()):
        forms |= {format_date(expected.strip(), language).casefold() for language in ("nl", "en")}
    return forms


def _holds(text: str, forms: set[str]) -> bool:
    folded = text.casefold()
    return any(form in folded for form in forms)


def _passage_holds(passage, forms: set[str]) -> bool:
    """Whether a passage's text or its article's metadata (title, source, date, byline) holds the answer:
    "Which outlet reported on it?" is answered by the source."""
    return _holds("\n".join((passage.text, passage.title, passage.source, passage.date, passage.byline)), forms)


def evaluate_answers(retriever: Retriever, answerable: Sequence[dict], unanswerable: Sequence[str],
                     thresholds: Sequence[float | None] = (None,)) -> list[AnswerScores]:
    """Answer figures at each abstention threshold (None: the index's setting). Every question
    is asked once: a threshold only decides which of the answers' confidences are too low."""
    import math

    from .answer import LOW_CONFIDENCE_CHECK, ChatSession

    def ask(question: str):
        return ChatSession(retriever, threshold=-math.inf).ask(question)

    given = [(ask(r["question"]), answer_forms(r["answer"])) for r in answerable]
    asked_unanswerable = [ask(q) for q in unanswerable]
    n, m = max(len(answerable), 1), max(len(unanswerable), 1)
    # Asked without a threshold, a low confidence carries no check's name: the rules step's is its
    # evidence gate, the learned step's its answer model.
    below = LOW_CONFIDENCE_CHECK[retriever.settings.answer_step]
    scores = []
    for threshold in thresholds:
        limit = retriever.settings.decline_threshold() if threshold is None else threshold

        def declined(answer) -> bool:
            return answer.abstained or answer.confidence < limit

        answered = sum(not declined(a) for a, _ in given)
        correct = sum(not declined(a) and _holds(a.text, forms) for a, forms in given)
        abstained = sum(declined(a) for a in asked_unanswerable)
        lengths = [len(a.text) for a, _ in given if not declined(a)]
        def checks(answers) -> dict[str, int]:
            return dict(Counter(a.declined_because or below for a in answers if declined(a)))

        def share(part: int, whole: int) -> float:
            return part / whole if whole else 0.0

        marked = [_holds(a.text, forms) for a, forms in given if not declined(a) and a.unsure]
        others = [_holds(a.text, forms) for a, forms in given if not declined(a) and not a.unsure]
        answered_anyway = [a for a in asked_unanswerable if not declined(a)]
        scores.append(AnswerScores(len(answerable), answered / n, correct / n, len(unanswerable), abstained / m,
                                   sum(lengths) / max(len(lengths), 1), checks([a for a, _ in given]),
                                   checks(asked_unanswerable), share(len(marked), answered),
                                   share(sum(marked), len(marked)), share(sum(others), len(others)),
                                   share(sum(a.unsure for a in answered_anyway), len(answered_anyway))))
    return scores


def evaluate_followups(retriever: Retriever, dialogues: Sequence[dict], k: int = 3) -> FollowupScores:
    """Recall@k of the last turn (the answer string inside one of the top-k passages or their
    articles' metadata), with the conversation history and with the last question alone, and
    whether the chat's answer to the last turn holds the answer. The earlier turns are asked as
    the chat asks them (its default number of passages): the history a follow-up leans on is
    the answers a reader saw."""
    from .answer import ChatSession

    with_history = alone = correct = 0
    for dialogue in dialogues:
        *earlier, last = dialogue["turns"]
        session = ChatSession(retriever)
        for turn in earlier:
            session.ask(turn)
        answer = session.ask(last)  # resolved against the history, as the chat resolves it
        forms = answer_forms(dialogue["answer"])
        with_history += any(_passage_holds(p, forms) for p in retriever.search(answer.resolved_question, k=k))
        alone += any(_passage_holds(p, forms) for p in retriever.search(last, k=k))
        correct += not answer.abstained and _holds(answer.text, forms)
    n = max(len(dialogues), 1)
    return FollowupScores(len(dialogues), with_history / n, alone / n, correct / n)
