"""Torch-free query embedding: the sentence-transformers model exported once to ONNX and run
with OpenVINO (long-lived processes: quicker per question) or ONNX Runtime (`qa ask`: smaller),
so questions are embedded without importing torch or sentence-transformers (6 s and 800 MB of a
cold start; docs/benchmarks.md, sections 17 and 22).

The export is made locally from the model folder the index was built with, the way the bundled
model is unpacked, into a folder whose name changes when its source changes. It holds:

    model.onnx       the transformer, pooling and normalization, fp32, from token vectors on
    model-int8.onnx  the same with int8 weights, for ONNX Runtime (QA_QUERY_PRECISION=int8)
    words.f32        the word-embedding table (250,000 x 384 for e5, raw little-endian float32),
                     read a row at a time: its 384 MB are never loaded
    unigram-*        the bundled model's vocabulary for qa/unigram.py, else tokenizer.json
    export.json      pooling, window and format, read at load
    openvino/        model.onnx in OpenVINO's format (fp16 weights), and its compiled form,
                     made at OpenVINO's first use
    openvino-int8-v1/  the same with int8 weights (OpenVINO's int8, the default where the CPU has VNNI)

Vectors match sentence-transformers in fp32 (cosine above 0.99999), so questions embedded
here search passages embedded by a torch build as before. Builds keep torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import threading
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

from .bundled_model import built_once, models_folder
from .embedding import RememberingEncoder, ModelSpec

EXPORT_VERSION = 3  # of the exported folder; a new version exports again
_POOLINGS = ("mean", "cls")
PRECISIONS = {"fp32": "model.onnx", "int8": "model-int8.onnx"}  # ONNX Runtime's files, by Settings.query_precision
OPENVINO_PRECISIONS = ("fp32", "bf16", "int8")
# OpenVINO int8: the inputs of matrix products are quantized in groups of this many values, as
# they go (coarser groups measured less exact and no quicker: docs/benchmarks.md, section 23).
INT8_ACTIVATION_GROUP = 32
INT8_MAX = 127  # symmetric int8 weights: -127..127, so a scale maps both signs alike
# The folders OpenVINO's conversions live in, beside the export; a new version converts again.
OPENVINO_FOLDERS = {False: "openvino", True: "openvino-int8-v1"}


class ExportError(Exception):
    """The model cannot be exported (an unusual architecture or pooling): use torch."""


def exported_folder(source: Path) -> Path:
    """Where the export of the model folder ``source`` lives. Its name carries the source's path
    and the size and time of its weights: a changed model exports anew."""
    source = source.resolve()
    weights = next((source / n for n in ("model.safetensors", "pytorch_model.bin") if (source / n).is_file()), source)
    stat = weights.stat()
    key = hashlib.sha1(f"{source}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return models_folder() / f"{source.name}-onnx-v{EXPORT_VERSION}-{key}"


def ensure_exported(source: Path, write_vocabulary: Callable[[Path], bool] | None = None) -> Path:
    """The export of ``source``, made on first use (about 10 s, with torch)."""
    folder = built_once(exported_folder(source), "export.json", lambda staging: export(source, staging, write_vocabulary))
    remove_outdated_exports(folder.parent)
    return folder


def remove_outdated_exports(parent: Path) -> list[Path]:
    """Exports whose model folder is gone (an outdated unpack, removed) or that an older qa
    wrote in another format: nothing loads them any more."""
    removed = []
    for folder in parent.glob("*-onnx-v*-*"):
        try:
            meta = json.loads((folder / "export.json").read_text())
        except (OSError, ValueError):
            continue  # being written, or not ours: left alone
        if meta.get("format") != EXPORT_VERSION or not Path(meta.get("source", "")).is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def export(source: Path, folder: Path, write_vocabulary: Callable[[Path], bool] | None = None) -> None:
    """Write the ONNX export of the sentence-transformers folder ``source`` into ``folder``.
    ``write_vocabulary`` may write qa/unigram.py's files there instead of tokenizer.json."""
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.disable_progress_bar()
    model = SentenceTransformer(str(source), device="cpu", local_files_only=True)
    transformer, pooling = _parts(model)
    auto_model = transformer.auto_model.float().eval()
    words = auto_model.get_input_embeddings().weight.detach().cpu().numpy().astype(np.float32)
    (folder / "words.f32").write_bytes(words.astype("<f4").tobytes())
    graph = _graph_module(auto_model, pooling, normalize=len(model) == 3)
    example = (torch.zeros(2, 8, words.shape[1]), torch.ones(2, 8, dtype=torch.long))
    with warnings.catch_warnings():  # the tracer's notes on shapes it fixes: the mask is always given
        warnings.simplefilter("ignore")
        torch.onnx.export(
            graph, example, str(folder / "model.onnx"), input_names=["inputs_embeds", "attention_mask"],
            output_names=["embedding"], opset_version=17, dynamo=False,
            dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "embedding": {0: "batch"}},
        )
    _quantize(folder / "model.onnx", folder / "model-int8.onnx")
    unigram = bool(write_vocabulary and write_vocabulary(folder))
    if not unigram:
        model.tokenizer.backend_tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "export.json").write_text(json.dumps({
        "format": EXPORT_VERSION, "source": str(source), "pooling": pooling, "dim": int(words.shape[1]),
        "max_length": int(model.max_seq_length or 512), "tokenizer": "unigram" if unigram else "tokenizers",
        "pad_id": int(model.tokenizer.pad_token_id or 0),
    }, indent=1))


def _quantize(model: Path, out: Path) -> None:
    """int8 weights, one scale per output channel; activations quantized as they come (dynamic).
    Per channel keeps question vectors at cosine 0.996 to fp32 where one scale per matrix gives 0.986."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process the model, at every export
    quantize_dynamic(str(model), str(out), weight_type=QuantType.QInt8, per_channel=True)


def _parts(model) -> tuple:
    """The transformer and pooling of a Transformer → Pooling (→ Normalize) model, or ExportError."""
    from sentence_transformers.models import Normalize, Pooling, Transformer

    modules = list(model)
    kinds = [type(m) for m in modules]
    if kinds not in ([Transformer, Pooling], [Transformer, Pooling, Normalize]):
        raise ExportError(f"modules {[k.__name__ for k in kinds]} are not Transformer, Pooling, Normalize")
    pooling = modules[1].pooling_mode
    if pooling not in _POOLINGS:
        raise ExportError(f"pooling {pooling!r} is not one of {_POOLINGS}")
    return modules[0], pooling


def _graph_module(auto_model, pooling: str, normalize: bool):
    """The module that is exported: token vectors and mask in, one sentence vector out."""
    import torch

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = auto_model

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            if pooling == "cls":
                vector = hidden[:, 0]
            else:
                weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
                vector = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(vector, dim=-1) if normalize else vector

    return Graph()


class ExportedEmbedder(RememberingEncoder):
    """Questions and answer sentences to vectors with the exported model; no torch. Subclasses
    say which runtime runs the graph (``_run``)."""

    runtime = ""

    def __init__(self, spec: ModelSpec, folder: Path, precision: str):
        super().__init__(spec)
        meta = json.loads((folder / "export.json").read_text())
        self.dim, self.max_length, self.pad_id = meta["dim"], meta["max_length"], meta["pad_id"]
        self.precision = precision
        self.words = WordTable(folder / "words.f32", self.dim)
        self._token_ids = _tokenizer(folder, meta)

    def _run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def _encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches = []
        for start in range(0, len(texts), 32):
            ids = [self._token_ids(t) for t in texts[start:start + 32]]
            width = max(map(len, ids))
            tokens = np.full((len(ids), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(ids), width), dtype=np.int64)
            for row, token_ids in enumerate(ids):
                tokens[row, :len(token_ids)], mask[row, :len(token_ids)] = token_ids, 1
            batches.append(self._run({"inputs_embeds": self.words.rows(tokens), "attention_mask": mask}))
        return np.vstack(batches).astype(np.float32, copy=False)


class OnnxEmbedder(ExportedEmbedder):
    """The export run by ONNX Runtime, in fp32 or int8: the smallest and quickest to start."""

    runtime = "onnx"

    def __init__(self, spec: ModelSpec, folder: Path, threads: int = 1, precision: str = "fp32"):
        import onnxruntime

        super().__init__(spec, folder, precision)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # Prepacked weights are a second copy of them (56 MB) and measured no faster here.
        options.add_session_config_entry("session.disable_prepacking", "1")
        self.session = onnxruntime.InferenceSession(str(folder / PRECISIONS[precision]), options,
                                                    providers=["CPUExecutionProvider"])

    def _run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        return self.session.run(None, feed)[0]


class OpenVinoEmbedder(ExportedEmbedder):
    """The export run by OpenVINO, in fp32; bf16 where the CPU computes in it (AVX-512-BF16, AMX;
    elsewhere OpenVINO keeps fp32); or int8 weights with int8 products (VNNI, AMX). Its threads
    work together on one question, where ONNX Runtime's do not (docs/benchmarks.md, sections 22
    and 23). One stream: questions asked at once take turns, each on all its threads. The model
    is converted once and its compiled form cached beside the export: a second start skips both
    (0.3 against 0.9 s)."""

    runtime = "openvino"

    def __init__(self, spec: ModelSpec, folder: Path, threads: int = 0, precision: str = "fp32"):
        if precision not in OPENVINO_PRECISIONS:
            raise ValueError(f"OpenVINO runs {', '.join(OPENVINO_PRECISIONS)}, not {precision!r}")
        openvino = import_openvino()
        core = openvino.Core()
        super().__init__(spec, folder, precision)
        config = {
            "INFERENCE_PRECISION_HINT": "bf16" if precision == "bf16" else "f32",
            "INFERENCE_NUM_THREADS": threads or len(os.sched_getaffinity(0)),
            "NUM_STREAMS": 1, "PERFORMANCE_HINT": "LATENCY",
        }
        if precision == "int8":  # the property is newer than the other ones: asked for only here
            config["DYNAMIC_QUANTIZATION_GROUP_SIZE"] = INT8_ACTIVATION_GROUP
        self.model = core.compile_model(_openvino_model(core, folder, int8=precision == "int8"), "CPU", config)
        # One stream runs one question at a time anyway. One request per thread instead crashed
        # the web app at exit (its worker threads outlive the model).
        self._request = self.model.create_infer_request()
        self._request_lock = threading.Lock()

    def _run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        with self._request_lock:
            return np.array(self._request.infer(feed)[0], dtype=np.float32)  # a copy: the next question reuses the buffer


def import_openvino():
    """The openvino package, without its usage statistics: at import its model converter sends
    them to Google Analytics unless a consent file in ~/intel says no. Without the
    openvino_telemetry package it uses its own stub, which sends nothing."""
    if "openvino" not in sys.modules:
        sys.modules.setdefault("openvino_telemetry", None)  # its import fails: the stub
    import openvino

    return openvino


def _openvino_model(core, folder: Path, int8: bool = False):
    """The export's model converted for OpenVINO (with int8 weights if asked), as the path of its
    file, with its compiled form cached beside it; where the models folder cannot be written
    (shared, read-only), model.onnx as it is, converted anew in memory and compiled at each start."""
    try:
        converted = built_once(folder / OPENVINO_FOLDERS[int8], "model.xml",
                               lambda staging: _convert_to_openvino(core, folder, staging, int8))
        _remove_outdated_conversions(folder)
    except OSError:
        return _read_model(core, folder, int8)
    try:
        core.set_property({"CACHE_DIR": str(converted / "compiled")})
    except RuntimeError:  # OpenVINO cannot make its cache folder: compiled at each start
        pass
    return str(converted / "model.xml")


def _remove_outdated_conversions(folder: Path) -> None:
    """Conversions an older qa made beside the export (another version, another layout): nothing
    loads them any more. A process still running one has it in memory."""
    for old in folder.glob("openvino-*"):
        if old.is_dir() and old.name not in OPENVINO_FOLDERS.values():
            shutil.rmtree(old, ignore_errors=True)


def _convert_to_openvino(core, folder: Path, staging: Path, int8: bool = False) -> None:
    """model.onnx in OpenVINO's format, with its weights in fp16 (half the file, and 80 MB less
    memory than reading model.onnx; the bundled model's weights were 4-bit, so fp16 holds them),
    or in int8."""
    openvino = import_openvino()
    openvino.save_model(_read_model(core, folder, int8), str(staging / "model.xml"), compress_to_fp16=True)


def _read_model(core, folder: Path, int8: bool):
    """The export's model.onnx as OpenVINO reads it, with int8 weights if asked."""
    model = core.read_model(str(folder / "model.onnx"))
    return with_int8_weights(model) if int8 else model


def with_int8_weights(model):
    """``model`` with the weights of its matrix products in int8, one scale per output column
    (symmetric), in the form OpenVINO's CPU plugin runs as compressed weights: int8 -> f16 ->
    times the scale -> f32. With dynamic quantization of the inputs the products run in int8
    (VNNI): a question's vector takes 0.7 of the fp32 time, at cosine 0.9998 to it. Raises
    ExportError when no product has weights of that form (nothing to gain: use fp32)."""
    import openvino.opset13 as ops
    from openvino import Type

    rewritten = 0
    for node in model.get_ops():
        if node.get_type_name() != "MatMul":
            continue
        weights = _constant_weights(node.input(1).get_source_output().get_node())
        if weights is None:
            continue  # attention's products of two activations
        transposed = node.get_attributes()
        by_output = weights if transposed["transpose_b"] else weights.T  # (out, in)
        # The scale as f16 stores it, so the int8 values are divided by what multiplies them back.
        scale = (np.abs(by_output).max(axis=1, keepdims=True) / INT8_MAX).astype(np.float16)
        if not np.isfinite(scale).all() or (scale == 0).any():
            continue  # beyond f16's range (or an empty column): left in full precision
        quantized = np.clip(np.round(by_output / scale.astype(np.float32)), -INT8_MAX, INT8_MAX).astype(np.int8)
        decompressed = ops.multiply(ops.convert(ops.constant(quantized, dtype=Type.i8), Type.f16), ops.constant(scale))
        product = ops.matmul(node.input(0).get_source_output(), ops.convert(decompressed, Type.f32),
                             transposed["transpose_a"], True)
        for target in node.output(0).get_target_inputs():
            target.replace_source_output(product.output(0))
        rewritten += 1
    if not rewritten:
        raise ExportError("the model has no matrix product with constant 2-D weights to store in int8")
    model.validate_nodes_and_infer_types()
    return model


def _constant_weights(node) -> np.ndarray | None:
    """A constant 2-D matrix (possibly stored in f16 and converted), as float32; else None."""
    if node.get_type_name() == "Convert":
        node = node.input(0).get_source_output().get_node()
    if node.get_type_name() != "Constant" or len(node.get_output_shape(0)) != 2:
        return None
    return node.get_data().astype(np.float32)


class WordTable:
    """The word-embedding table on disk, read a row at a time. Not memory-mapped: the kernel maps
    16 cached pages around each row touched: 140 MB more at the peak of a `qa ask` (488 against 346 MB)."""

    def __init__(self, path: Path, dim: int):
        self.file = open(path, "rb")  # noqa: SIM115 - open as long as the model
        self.dim = dim
        self.row_bytes = dim * 4  # little-endian float32

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """``table[ids]`` for an array of token ids of any shape."""
        unique, where = np.unique(ids, return_inverse=True)
        data = b"".join(os.pread(self.file.fileno(), self.row_bytes, int(i) * self.row_bytes) for i in unique)
        table = np.frombuffer(data, dtype="<f4").reshape(len(unique), self.dim)
        return np.ascontiguousarray(table[where.reshape(ids.shape)], dtype=np.float32)


def _tokenizer(folder: Path, meta: dict) -> Callable[[str], list[int]]:
    if meta["tokenizer"] == "unigram":
        from .unigram import UnigramTokenizer

        return UnigramTokenizer.load(folder).encode
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(meta["max_length"])
    tokenizer.no_padding()
    return lambda text: tokenizer.encode(text).ids
