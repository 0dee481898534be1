"""Builds whose embedding runs on a Ray cluster (qa/cluster.py): a real local cluster, kept on
loopback, started once for the module; a second one, run as its own processes, is stopped in
the middle of a build."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np
import pytest

import qa
from qa import cluster
from qa.index import current_generation
from postgres_server import free_port

pytestmark = pytest.mark.slow
# Kept on loopback: Ray otherwise replaces 127.0.0.1 in a cluster address with this machine's
# interface address (RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 makes it use the loopback address, as
# on a laptop), and sends usage reports unless told not to.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
ray = pytest.importorskip("ray", reason='the ray extra: pip install -e ".[ray]"')

BIN = Path(sys.executable).parent
QUESTIONS = ["Hoeveel bood Musk voor OpenAI?", "Wat voor overeenkomst sloten Microsoft en OpenAI?",
             "Wie leidt OpenAI?"]


@pytest.fixture(scope="module")
def local_cluster():
    """Ray in this process, on loopback, as the issue's tests start it; builds use it by "auto"."""
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1")
    yield ray
    ray.shutdown()


def sentences_of_sample(sample_corpus: Path) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(sample_corpus.glob("*.txt")))
    return [s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s.split()) > 4]


@pytest.fixture()
def larger_corpus(sample_corpus, tmp_path) -> Path:
    """The sample articles plus 30 articles of their sentences in other orders: enough chunks
    for several tasks per actor."""
    folder = tmp_path / "corpus"
    shutil.copytree(sample_corpus, folder)
    sentences = sentences_of_sample(sample_corpus)
    for i in range(30):
        picked = [sentences[(i * 7 + j * 3) % len(sentences)] for j in range(12)]
        (folder / f"bericht-{i:02d}.txt").write_text(f"Bericht {i}\n\n" + " ".join(picked) + "\n", encoding="utf-8")
    return folder


def stored_vectors(index: Path) -> np.ndarray:
    stored = faiss.read_index(str(current_generation(index) / "vectors.faiss"))
    return faiss.downcast_index(stored.index).reconstruct_n(0, stored.ntotal)


def stored_chunks(index: Path) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(current_generation(index) / "store.sqlite") as db:
        return db.execute("SELECT * FROM chunks ORDER BY 1").fetchall()


def results(index: Path | str) -> list[list[tuple[str, int, int]]]:
    retriever = qa.Retriever.load(index)
    return [[(p.doc_id, p.start, p.end) for p in retriever.search(q, k=5)] for q in QUESTIONS]


def test_a_build_on_the_cluster_equals_a_local_build(sample_corpus, tmp_path):
    """Through the driver process qa starts (first in this module: no connection here yet)."""
    assert not ray.is_initialized()
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    qa.build_index(sample_corpus, local)
    report = qa.build_index(sample_corpus, on_ray, ray="local")
    assert report.embedded == report.chunks > 0
    assert stored_chunks(on_ray) == stored_chunks(local)
    cosines = np.sum(stored_vectors(local) * stored_vectors(on_ray), axis=1)
    assert cosines.min() >= 0.9999
    assert results(on_ray) == results(local)
    assert not ray.is_initialized()  # Ray stayed in the driver process


def test_a_process_with_its_own_connection_builds_through_it(local_cluster, sample_corpus, tmp_path):
    report = qa.build_index(sample_corpus, tmp_path / "index", ray="auto")
    assert report.embedded == report.chunks > 0
    assert results(tmp_path / "index")[0]
    assert ray.is_initialized()  # the caller's connection is left open


def test_a_build_on_the_cluster_fills_a_postgresql_index_too(local_cluster, sample_corpus, postgres_url, tmp_path):
    from postgres_server import fresh_database

    url = fresh_database(postgres_url, "qa_on_ray")
    report = qa.build_index(sample_corpus, url, ray="auto")
    assert report.embedded == report.chunks > 0
    qa.build_index(sample_corpus, tmp_path / "local")
    assert results(url) == results(tmp_path / "local")


def test_an_incremental_build_sends_only_the_changed_articles(local_cluster, sample_corpus, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(sample_corpus, corpus)
    qa.build_index(corpus, index, ray="auto")
    (corpus / "nieuw.txt").write_text("Nieuw bericht\n\nDe gemeente Utrecht opent in juni een nieuwe "
                                      "fietsenstalling voor 4000 fietsen onder het station.\n", encoding="utf-8")
    report = qa.build_index(corpus, index, ray="auto")
    assert (report.added, report.unchanged) == (1, 2)
    assert report.embedded == 1
    top = qa.Retriever.load(index).search("Hoeveel fietsen passen in de nieuwe stalling in Utrecht?", k=1)
    assert top[0].path.endswith("nieuw.txt")


def embedding_actors(session: int | None = None) -> list[int]:
    """Process ids of the embedding actors (Ray titles them after the actor class), of the
    cluster whose head leads ``session`` if given."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or b"EmbedActor" not in (entry / "cmdline").read_bytes():
                continue
            if session is None or int((entry / "stat").read_text().rsplit(")", 1)[1].split()[3]) == session:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_a_worker_killed_mid_build_is_replaced(local_cluster, larger_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "TEXTS_PER_TASK", 4)  # many small tasks: the kill lands between them
    local = tmp_path / "local"
    qa.build_index(larger_corpus, local)
    outcome: dict = {}
    build = threading.Thread(target=lambda: outcome.update(
        report=qa.build_index(larger_corpus, tmp_path / "ray", qa.Settings(ray_actor_cpus=1), ray="auto")))
    build.start()
    deadline = time.time() + 120
    while not embedding_actors() and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # the model is loaded and batches are under way
    victims = embedding_actors()
    assert victims and build.is_alive(), "the build ended before a worker could be killed"
    os.kill(victims[0], signal.SIGKILL)
    build.join(timeout=600)
    assert not build.is_alive() and "report" in outcome
    assert outcome["report"].chunks == len(stored_chunks(local))
    cosines = np.sum(stored_vectors(local) * stored_vectors(tmp_path / "ray"), axis=1)
    assert cosines.min() >= 0.9999


@contextmanager
def ray_head(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, dict, int, int]]:
    """A cluster of its own, as a user starts one (`ray start --head`): (its head process, the
    environment to reach it with, its port, its Ray Client port)."""
    port, client_port = free_port(), free_port()
    ray_folder = tempfile.mkdtemp(prefix="qa-ray-")  # short: Ray's socket paths must fit in 107 characters
    env = dict(os.environ, RAY_AUTH_MODE="token")  # the cluster's token, from ~/.ray/auth_token
    env.pop("RAY_ADDRESS", None)
    head = subprocess.Popen(
        [str(BIN / "ray"), "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}",
         f"--ray-client-server-port={client_port}", "--num-cpus=1", "--include-dashboard=false",
         f"--temp-dir={ray_folder}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        # --block keeps `ray start` in the foreground, so it cannot say when the head is up: ask.
        deadline = time.time() + 120
        while subprocess.run([str(BIN / "ray"), "status", f"--address=127.0.0.1:{port}"], env=env,
                             capture_output=True, timeout=60).returncode != 0:
            assert time.time() < deadline and head.poll() is None, "the Ray head did not start"
            time.sleep(1)
        yield head, env, port, client_port
    finally:
        if head.poll() is None:
            os.killpg(head.pid, signal.SIGKILL)  # the head and every process it started
        head.wait()
        shutil.rmtree(ray_folder, ignore_errors=True)


def test_a_build_through_ray_client_on_a_started_cluster(sample_corpus, tmp_path):
    local = tmp_path / "local"
    qa.build_index(sample_corpus, local)
    with ray_head(tmp_path) as (_, env, _port, client_port):
        run = subprocess.run(
            [str(BIN / "qa"), "build", "--corpus", str(sample_corpus), "--index", str(tmp_path / "ray"),
             "--ray", f"ray://127.0.0.1:{client_port}", "--quiet"],
            env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert stored_chunks(tmp_path / "ray") == stored_chunks(local)
    assert np.sum(stored_vectors(local) * stored_vectors(tmp_path / "ray"), axis=1).min() >= 0.9999


def test_a_cluster_that_goes_away_fails_the_build_and_keeps_the_index(larger_corpus, tmp_path):
    """The cluster is stopped while the build embeds: one line names what happened, and the
    index serves its previous build."""
    index = tmp_path / "index"
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(next(larger_corpus.glob("*.txt")), small)
    qa.build_index(small, index)
    before = current_generation(index)
    with ray_head(tmp_path) as (head, env, port, _):
        build = subprocess.Popen(
            [str(BIN / "qa"), "build", "--corpus", str(larger_corpus), "--index", str(index),
             "--ray", f"127.0.0.1:{port}", "--quiet"],
            # the driver gives up on a lost cluster after 5 s instead of Ray's 60
            env=dict(env, QA_RAY_ACTOR_CPUS="1", RAY_gcs_rpc_server_reconnect_timeout_s="5"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 180
        while not embedding_actors(head.pid) and time.time() < deadline and build.poll() is None:
            time.sleep(0.2)
        assert build.poll() is None and embedding_actors(head.pid), "the build did not reach the cluster"
        os.killpg(head.pid, signal.SIGKILL)
        out, err = build.communicate(timeout=300)
    assert build.returncode == 2, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("qa: error: the Ray cluster at") and "the index was not changed" in last
    assert current_generation(index) == before
    assert qa.Retriever.load(index).search("Bericht", k=1)


def test_without_ray_the_error_names_the_install_command(sample_corpus, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails, as where it is not installed
    with pytest.raises(cluster.ClusterError, match=r'pip install -e "\.\[ray\]"'):
        qa.build_index(sample_corpus, tmp_path / "index", ray="auto")
    assert current_generation(tmp_path / "index") is None


def test_a_missing_cluster_is_one_line_that_says_how_to_start_one(sample_corpus, tmp_path):
    env = dict(os.environ, RAY_ADDRESS=f"127.0.0.1:{free_port()}")
    run = subprocess.run([str(BIN / "qa"), "build", "--corpus", str(sample_corpus),
                          "--index", str(tmp_path / "index"), "--ray", "auto", "--quiet"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("qa: error:") and "ray start --head" in last
    assert not (tmp_path / "index").exists() or current_generation(tmp_path / "index") is None


def test_a_local_build_does_not_import_ray(sample_corpus, tmp_path):
    code = ("import sys, qa; qa.build_index(sys.argv[1], sys.argv[2]); "
            "import qa.web, qa.cli; print('ray' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code, str(sample_corpus), str(tmp_path / "index")],
                         capture_output=True, text=True, timeout=300)
    assert run.stdout.strip() == "False", run.stderr
