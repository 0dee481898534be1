"""The answer step's two logistic models: fitted on data, kept as plain JSON, read back alike."""

import json
import random

import pytest

from qa.ranking import (MODEL_PATH, QUESTION_FEATURES, SENTENCE_FEATURES, AnswerModel, LogisticModel, fit_logistic,
                        load_answer_model)


def test_a_fitted_model_learns_which_feature_tells_the_label():
    rng = random.Random(1)
    rows = [{"signal": rng.random(), "noise": rng.random()} for _ in range(400)]
    labels = [int(row["signal"] > 0.5) for row in rows]
    model = fit_logistic(rows, labels, ("signal", "noise"))
    assert model.weights[0] > 5 * abs(model.weights[1])
    assert model.probability({"signal": 0.9, "noise": 0.5}) > 0.8 > 0.2 > model.probability({"signal": 0.1, "noise": 0.5})


def test_a_model_is_saved_as_plain_numbers_and_reads_back_the_same(tmp_path):
    sentence = LogisticModel(("a", "b"), (0.5, 1.0), (2.0, 1.0), (1.5, -0.5), 0.25)
    answer = LogisticModel(("c",), (0.0,), (1.0,), (2.0,), -1.0)
    path = tmp_path / "model.json"
    AnswerModel(sentence, answer, {"sets": 3}).save(path)
    data = json.loads(path.read_text())
    assert data["sentence"]["weights"] == [1.5, -0.5] and data["fitted_on"] == {"sets": 3}
    again = load_answer_model(path)
    values = {"a": 1.0, "b": 2.0}
    assert again.sentence.logit(values) == pytest.approx(sentence.logit(values))
    assert again.sentence.logit(values) == pytest.approx(0.25 + 1.5 * 0.25 - 0.5 * 1.0)


def test_the_shipped_model_weighs_every_feature_the_answer_step_computes():
    model = load_answer_model(MODEL_PATH)
    assert model.sentence.features == SENTENCE_FEATURES
    assert model.answer.features == QUESTION_FEATURES
    assert all(scale > 0 for scale in model.sentence.scale + model.answer.scale)


def test_the_learned_step_records_the_evidence_it_weighs_and_answers_by_it(sample_index):
    import qa
    from qa.ranking import answer_features

    retriever = qa.Retriever.load(sample_index, qa.Settings(answer_step="learned"))
    session = qa.ChatSession(retriever)
    session.trace = []
    answer = session.ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?")
    evidence = session.trace[-1]
    assert set(SENTENCE_FEATURES) <= set(evidence["candidates"][0])
    model = load_answer_model()
    assert answer.confidence == pytest.approx(
        model.answer.probability(answer_features(evidence["question"], evidence["candidates"], model.sentence)))
    assert not answer.abstained and "$1 miljard" in answer.text
    # The rules step records nothing: the fitting script must ask with the learned one.
    rules = qa.ChatSession(qa.Retriever.load(sample_index, qa.Settings(answer_step="rules")))
    rules.trace = []
    rules.ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?")
    assert rules.trace == []
