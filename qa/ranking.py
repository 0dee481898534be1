"""Which sentence answers, and whether to answer at all: two small logistic models over
features of the evidence, fitted on questions with known answers (scripts/fit_answer_model.py)
and kept as plain numbers in qa/answer_model.json beside this file.

The sentence model scores each candidate sentence of the retrieved passages: the probability
that it holds the answer. The answer model turns the evidence for the whole question into the
probability that the articles answer it; below ``Settings.answer_threshold`` the chat declines.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

MODEL_PATH = Path(__file__).with_name("answer_model.json")

# What a candidate sentence is, for the sentence model (computed in answer.py).
SENTENCE_FEATURES = (
    "coverage",        # share of the question's IDF weight the sentence says
    "coverage_gap",    # the best candidate's coverage minus this one's
    "bound",           # holds a new thing of the kind asked for and a word of what is asked about
                       # ("Hoeveel messen ...?": a count and "messen"); see ChatSession._bound_answers
    "bound_near",      # the same, at most NEAR_CHARACTERS apart ("312 messen")
    "typed",           # holds the kind of answer asked for (a figure, a date, a name, a place, a reason)
    "new_answer",      # holds such a thing that the question does not already say
    "new_figure",      # the same, for a figure or a date asked for
    "new_entity",      # the same, for a person, a name or a place asked for
    "new_reason",      # the same, for a reason asked for ("omdat", "doordat")
    "says_focus",      # says what the question asks for in its own words ("welke burgemeester")
    "novelty",         # share of its keywords the question does not have: it tells something new
    "context",         # best coverage among the two sentences before and after it: news names the
                       # subject in one sentence and gives the detail in the next
    "new_in_context",  # new_answer times context: a new name or figure beside the subject
    "passage_rank",    # 0 for the first retrieved passage
    "passage_score",   # the passage's fused score over the first one's
    "first_article",   # from the article of the first passage
    "lead",            # the article's first sentence
    "leans_back",      # opens with a pronoun or a link back
    "length",          # log(1 + words)
)

# What the evidence for a question is, for the answer model.
QUESTION_FEATURES = (
    "best_sentence",   # the sentence model's logit of the best sentence, over the runner-up's
    "coverage",        # share of the question's IDF weight the first passage says
    "margin",          # closest passage's cosine over the corpus average, times the model's scale
    "best_coverage",   # coverage of the best sentence
    "typed",           # the best sentence (or the one after it) holds the kind asked for; 1 when none is asked
    "best_new",        # the best sentence holds such a thing that the question does not say
    "focus_said",      # some sentence says what the question asks for ("welke burgemeester")
    "focus_answered",  # some sentence says it and holds a new thing of the kind asked for
    "kind_asked",      # the question asks for a kind of answer
    "same_article",    # share of the top 3 passages from the first one's article
    "other_language",  # the question is in another language than the corpus
    "bound_best",      # the best sentence is bound (see SENTENCE_FEATURES)
    "bound_found",     # one of the three best sentences is
)

# How close a new thing of the kind asked for and a word of what is asked about stand for
# "bound_near": a few words ("312 in beslag genomen messen").
NEAR_CHARACTERS = 30


def answer_features(question: Mapping[str, float], candidates: Sequence[Mapping[str, float]],
                    sentence: "LogisticModel") -> dict[str, float]:
    """The answer model's features: the question's own, and those of its best sentence (by the
    sentence model) and of all its candidates. The same for the chat and for the fitting."""
    logits = [sentence.logit(c) for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: -logits[i])
    best = candidates[order[0]]
    runner_up = logits[order[1]] if len(order) > 1 else logits[order[0]] - 1.0
    values = dict(question)
    values.update(
        best_sentence=logits[order[0]] - runner_up,
        best_coverage=best["coverage"],
        typed=1.0 if not question["kind_asked"] else float(best["typed"] or best["next_typed"]),
        best_new=best["new_answer"],
        focus_said=float(any(c["says_focus"] for c in candidates)),
        focus_answered=float(any(c["says_focus"] and c["new_answer"] for c in candidates)),
        bound_best=best["bound"],
        bound_found=max(candidates[i]["bound"] for i in order[:3]),
    )
    return values


def sigmoid(logit: float) -> float:
    """The logistic function, clipped where exp would overflow."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


@dataclass
class LogisticModel:
    """A fitted logistic model: standardise the features, weigh them, add the bias."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def logit(self, values: Mapping[str, float]) -> float:
        return self.bias + sum(w * (values[name] - m) / s for name, m, s, w
                               in zip(self.features, self.mean, self.scale, self.weights))

    def probability(self, values: Mapping[str, float]) -> float:
        return sigmoid(self.logit(values))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "weights": list(self.weights), "bias": self.bias}

    @classmethod
    def from_dict(cls, data: dict) -> "LogisticModel":
        return cls(tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]),
                   float(data["bias"]))


@dataclass
class AnswerModel:
    sentence: LogisticModel
    answer: LogisticModel
    fitted_on: dict  # what the models were fitted on, and their figures there

    @classmethod
    def neutral(cls) -> "AnswerModel":
        """Models that weigh nothing, over the current features: what the fitting script traces
        with, so tracing never needs a previous fit of other features."""
        def zero(features: tuple[str, ...]) -> LogisticModel:
            n = len(features)
            return LogisticModel(features, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0)
        return cls(zero(SENTENCE_FEATURES), zero(QUESTION_FEATURES), {})

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {"sentence": self.sentence.to_dict(), "answer": self.answer.to_dict(), "fitted_on": self.fitted_on}
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def load_answer_model(path: Path = MODEL_PATH) -> AnswerModel:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return AnswerModel(LogisticModel.from_dict(data["sentence"]), LogisticModel.from_dict(data["answer"]),
                       data.get("fitted_on", {}))


def fit_logistic(rows: Sequence[Mapping[str, float]], labels: Sequence[int], features: Sequence[str],
                 weights: Sequence[float] | None = None, c: float = 1.0) -> LogisticModel:
    """A logistic model fitted with scikit-learn (only the fitting script needs it)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = _matrix(rows, features)
    mean, scale = _standardisation(x)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    return LogisticModel(tuple(features), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                         tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0]))


def fit_pairwise(groups: Sequence[tuple[Sequence[Mapping[str, float]], Sequence[int]]], features: Sequence[str],
                 c: float = 1.0, group_weights: Sequence[float] | None = None) -> LogisticModel:
    """A ranking model fitted on pairs (learning to rank, as RankSVM and RankNet do): within each
    group (the candidates of one question), every sentence that holds the answer against every
    one that does not. Each group weighs the same, or its given weight. The logit ranks; its
    level means nothing."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardisation(_matrix([row for rows, _ in groups for row in rows], features))
    diffs, labels, weights = [], [], []
    for number, (rows, marks) in enumerate(groups):
        x = (_matrix(rows, features) - mean) / scale
        good = [i for i, mark in enumerate(marks) if mark]
        bad = [i for i, mark in enumerate(marks) if not mark]
        if not good or not bad:
            continue
        weight = (group_weights[number] if group_weights else 1.0) / (len(good) * len(bad))
        for i in good:
            for j in bad:
                diffs += [x[i] - x[j], x[j] - x[i]]
                labels += [1, 0]
                weights += [weight, weight]
    model = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)
    model.fit(np.array(diffs), np.array(labels), sample_weight=np.array(weights))
    return LogisticModel(tuple(features), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                         tuple(float(v) for v in model.coef_[0]), 0.0)


def _matrix(rows: Sequence[Mapping[str, float]], features: Sequence[str]):
    import numpy as np

    return np.array([[row[name] for name in features] for row in rows], dtype=np.float64)


def _standardisation(x):
    """Each feature's mean and standard deviation (1 for a constant one), as the models keep them."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale
