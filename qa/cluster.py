"""Embedding on a Ray cluster: a build's one heavy step spread over every node.

The texts that still need vectors go in tasks of ``TEXTS_PER_TASK`` to a pool of Ray actors
that each hold the model (``ray.util.ActorPool``, one task at a time per actor, so the work
spreads evenly), and the vectors stream back to the build, which writes them into the embedding
cache and the index exactly as a local build does. Ray core actors rather than Ray Data's
``map_batches``: the same actor pool, and they also work through Ray Client (``ray://``), which
Ray Data does not. Ray is an optional extra; no other module imports it.

The Ray driver runs in a child process (``python -m qa.cluster``) unless the caller has its
own connection: a Ray driver whose cluster goes away is ended by Ray itself, without an
exception, so the build must outlive it to say what happened and leave the index as it was.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .embedding import Embedder, ModelSpec, usable_cpus
from .errors import QAError, first_line

INSTALL_COMMAND = 'pip install -e ".[ray]"'
# Texts per task sent to an actor: enough to fill a few of the model's batches, few enough that
# the work spreads evenly (with 256 a 1000-chunk build was 4 tasks, and one actor of two got
# most of them), a killed worker loses little, and the progress bar moves.
TEXTS_PER_TASK = 64
ERROR_PREFIX = "qa-cluster: "  # the child's own one-line errors, told apart from Ray's logs
CONNECT_SECONDS = 5.0  # to find a cluster's address listening
CLIENT_ATTEMPTS = 3  # connections through Ray Client (see _init_with_retries)
START_HINT = ("start one with `ray start --head --node-ip-address=127.0.0.1`, set RAY_ADDRESS, "
              "or build on this machine alone with --ray local")

Receiver = Callable[[list[str], np.ndarray], None]


class ClusterError(QAError):
    """No Ray, no cluster at the address, or a cluster that went away mid-build."""


@dataclass
class ClusterJob:
    """What the cluster needs to embed like this machine: where, the model the build resolved,
    in the precision it chose, and how many CPUs each actor takes (one model copy, ~0.5 GB)."""

    address: str
    spec: dict
    precision: str
    batch_size: int
    actor_cpus: int


def import_ray():
    try:
        import ray
        import ray.util  # noqa: F401  (ActorPool)
    except ImportError:
        raise ClusterError(f"building with --ray needs Ray: {INSTALL_COMMAND}") from None
    return ray


def embed_on_cluster(address: str, actor_cpus: int, embedder: Embedder, keys: Sequence[str],
                     texts: Sequence[str], receive: Receiver) -> None:
    """Embed ``texts`` on the cluster at ``address``; ``receive(keys, vectors)`` gets each batch
    as it lands (in any order), so an interrupted build keeps what was done."""
    ray = import_ray()
    job = ClusterJob(address, embedder.spec.to_dict(), embedder.precision, embedder.batch_size, actor_cpus)
    if ray.is_initialized():  # the caller's own connection: used, and left open
        _run_job(ray, job, keys, texts, receive)
    else:
        _run_in_child(job, keys, texts, receive)


# --- the build's side ------------------------------------------------------------------------

def _run_in_child(job: ClusterJob, keys: Sequence[str], texts: Sequence[str], receive: Receiver) -> None:
    with tempfile.TemporaryDirectory(prefix="qa-cluster-") as folder:
        request = Path(folder) / "request.json"
        request.write_text(json.dumps({"job": asdict(job), "keys": list(keys), "texts": list(texts)}),
                           encoding="utf-8")
        log_path = Path(folder) / "driver.log"
        with open(log_path, "w+", encoding="utf-8", errors="replace") as log:
            child = subprocess.Popen([sys.executable, "-m", "qa.cluster", str(request)],
                                     stdout=subprocess.PIPE, stderr=log)
            received = 0
            try:
                while (batch := _read_batch(child.stdout)) is not None:
                    receive(*batch)
                    received += len(batch[0])
                child.wait()
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
            if child.returncode != 0 or received != len(keys):
                log.seek(0)
                raise _child_failure(job.address, log.read())


def _child_failure(address: str, log: str) -> ClusterError:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    own = [line[len(ERROR_PREFIX):] for line in lines if line.startswith(ERROR_PREFIX)]
    if own:
        return ClusterError(own[-1])
    # Ray ends a driver that lost the cluster's head (its GCS) with a long log line, no exception.
    if any("GCS" in line for line in lines):
        why = "its head stopped answering"
    else:
        why = f"the Ray driver ended: {lines[-1][:200]}" if lines else "the Ray driver ended"
    return ClusterError(
        f"the Ray cluster at {address!r} went away during the build ({why}); the index was not "
        "changed, and the vectors embedded so far are kept for the next build")


class _Pipe:
    """A pipe as numpy must use it: by read() and write() alone (on a real file it calls fromfile
    and tofile, which ask for the position, and a pipe has none)."""

    def __init__(self, stream) -> None:
        self.read, self.write = getattr(stream, "read", None), getattr(stream, "write", None)


def _read_batch(stream) -> tuple[list[str], np.ndarray] | None:
    stream = _Pipe(stream)
    try:
        keys = np.lib.format.read_array(stream)
        vectors = np.lib.format.read_array(stream)
    except (ValueError, EOFError):  # the child ended, cleanly or not
        return None
    return [str(k) for k in keys], np.asarray(vectors, dtype=np.float32)


# --- the driver (in the child, or in a caller's connected process) -----------------------------

@contextmanager
def connected(address: str) -> Iterator[object]:
    """A connection to the cluster for the length of a build.

    ``auto``: the cluster at ``RAY_ADDRESS`` or the one ``ray start --head`` runs on this
    machine. ``local``: a cluster of this machine alone, started for the build and kept on
    loopback. ``host:port`` or ``ray://host:10001``: that cluster.
    """
    ray = import_ray()
    # Ray reports usage to its makers unless told not to; a build sends nothing anywhere.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    _quiet_ray_logs()
    options = dict(include_dashboard=False, logging_level=logging.WARNING)
    if address != "local":
        _check_reachable(address)
    try:
        if address == "local":
            ray.init(address="local", num_cpus=usable_cpus(), _node_ip_address="127.0.0.1", **options)
        else:
            _init_with_retries(ray, address, options)
    except ConnectionError as err:
        if type(err.__cause__ or err.__context__).__name__ == "AuthenticationError":
            raise ClusterError(
                f"the Ray cluster at {address!r} refused this process's token: set RAY_AUTH_MODE=token "
                "and give the cluster's token in ~/.ray/auth_token or RAY_AUTH_TOKEN") from None
        raise ClusterError(f"no Ray cluster at {address!r} ({first_line(err, 300)}): {START_HINT}") from None
    except (ValueError, RuntimeError) as err:
        raise ClusterError(f"cannot connect to the Ray cluster at {address!r}: {first_line(err, 300)}") from None
    try:
        yield ray
    finally:
        ray.shutdown()


def _init_with_retries(ray, address: str, options: dict) -> None:
    """Ray Client's server at times fails to start the driver it runs for a new connection
    ("Initialization failure from server", in about one of four test runs here, the next
    attempt fine): it gets CLIENT_ATTEMPTS tries. Other failures are final at once."""
    for attempt in range(1, CLIENT_ATTEMPTS + 1):
        try:
            ray.init(address=address, **options)
            return
        except ConnectionError as err:
            if attempt == CLIENT_ATTEMPTS or "Initialization failure" not in str(err):
                raise
            time.sleep(2.0)


def _check_reachable(address: str) -> None:
    """Fail in seconds where nothing listens: Ray itself retries an absent cluster for minutes."""
    target = (os.environ.get("RAY_ADDRESS") or address) if address == "auto" else address
    if target == "auto":  # the cluster `ray start` recorded on this machine, found as Ray finds it
        try:
            from ray._private.services import canonicalize_bootstrap_address

            target = canonicalize_bootstrap_address("auto") or ""
        except ConnectionError as err:
            raise ClusterError(f"no Ray cluster found ({first_line(err, 300)}): {START_HINT}") from None
        except Exception:  # Ray's own lookup changed: let ray.init judge
            return
    host, _, port = target.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # an address form this check does not know: ray.init judges it
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as err:
        raise ClusterError(f"no Ray cluster at {target!r} ({err}): {START_HINT}") from None


def actor_count(ray, actor_cpus: int) -> tuple[int, int]:
    """(actors, CPUs each): as many actors as the cluster's CPUs allow, at least one."""
    cpus = int(ray.cluster_resources().get("CPU", 1))
    per_actor = max(1, min(actor_cpus, cpus))
    return max(1, cpus // per_actor), per_actor


def actor_class(job: ClusterJob, threads: int) -> type:
    """The actor that holds one model on one worker. Its settings are bound in the class, not
    passed as constructor arguments: Ray keeps those in the object store, and an actor restarted
    after its worker died could lose them."""

    class EmbedActor:
        def __init__(self) -> None:
            import torch

            torch.set_num_threads(threads)
            self.embedder = Embedder(ModelSpec(**job.spec), precision=job.precision, batch_size=job.batch_size)

        def embed(self, keys: list[str], texts: list[str]) -> tuple[list[str], np.ndarray]:
            return keys, self.embedder.encode_passages(texts)

    return EmbedActor


def _run_job(ray, job: ClusterJob, keys: Sequence[str], texts: Sequence[str], receive: Receiver) -> None:
    from ray.util import ActorPool

    actors, cpus = actor_count(ray, job.actor_cpus)
    # A worker that dies is restarted, and the task it held is run again.
    remote = ray.remote(num_cpus=cpus, max_restarts=-1, max_task_retries=-1)(actor_class(job, cpus))
    pool = ActorPool([remote.remote() for _ in range(actors)])
    tasks = [(list(keys[i:i + TEXTS_PER_TASK]), list(texts[i:i + TEXTS_PER_TASK]))
             for i in range(0, len(keys), TEXTS_PER_TASK)]
    try:
        for done_keys, vectors in pool.map_unordered(lambda actor, task: actor.embed.remote(*task), tasks):
            receive(done_keys, np.asarray(vectors, dtype=np.float32))
    except (KeyboardInterrupt, QAError):
        raise
    except Exception as err:  # Ray raises many kinds when its cluster fails
        raise ClusterError(
            f"the Ray cluster at {job.address!r} failed during the build ({type(err).__name__}: "
            f"{first_line(err, 300)}); the index was not changed, and the vectors embedded so far "
            "are kept for the next build") from None


def _quiet_ray_logs() -> None:
    """Keep the build's output to its own bar and summary: Ray announces token authentication
    on every local start."""
    logging.getLogger("ray._private.authentication").setLevel(logging.ERROR)


def _child_main(request_path: str) -> int:
    """``python -m qa.cluster REQUEST``: embed the request's texts, write (keys, vectors) pairs
    of arrays to stdout as they land; a failure is one line on stderr and status 2."""
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    job = ClusterJob(**request["job"])
    # The arrays get stdout to themselves: anything else printed there (Ray forwards its
    # workers' output to the driver's) goes to stderr, the log, instead of into a frame.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    frames = _Pipe(out)

    def send(keys: list[str], vectors: np.ndarray) -> None:
        np.lib.format.write_array(frames, np.array(keys))
        np.lib.format.write_array(frames, vectors.astype(np.float32))
        out.flush()

    try:
        with connected(job.address) as ray:
            _run_job(ray, job, request["keys"], request["texts"], send)
    except QAError as err:
        print(f"{ERROR_PREFIX}{err}", file=sys.stderr, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1]))
