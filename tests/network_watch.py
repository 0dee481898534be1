"""The opening of a script a test runs in a new interpreter to see whether it calls out: every
name lookup and connection it would make is written to a log file, and fails."""

from pathlib import Path

_PRELUDE = """\
import socket, time
ALLOWED = {allowed!r}
real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect
def record(host):
    with open({log!r}, 'a') as log:
        log.write(repr(host) + '\\n')
    raise OSError('no network in this test')
def getaddrinfo(host, *args, **kwargs):
    return real_getaddrinfo(host, *args, **kwargs) if host in ALLOWED else record(host)
def connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    return real_connect(self, address) if host in ALLOWED else record(host)
socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
"""
LOOPBACK = (None, "127.0.0.1", "localhost", "::1")


def network_watch(log: Path, allowed: tuple = ()) -> str:
    """Python source that records (and refuses) any lookup or connection but to ``allowed`` hosts."""
    return _PRELUDE.format(allowed=tuple(allowed), log=str(log))
