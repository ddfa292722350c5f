"""A recorder of every outbound network attempt: ``socket.connect``/``connect_ex`` and
``getaddrinfo``. Loopback (and Unix sockets) are allowed; any other target is recorded
and refused, so a test can assert that nothing left the machine even where the code under
test swallows the connection error (botocore's metadata lookups do)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkAttempt(OSError):
    """Raised in place of a connection to a non-loopback address."""


def is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host is None or host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _mock_serving() -> bool:
    from ecrpublic_mock._activation import hook as _hook

    return _hook.current() is not None


class Recorder:
    """Installed with ``install(monkeypatch)``; ``attempts`` lists the refused targets made
    while a mock (or moto's ``mock_aws`` bridge) was serving, ``outside`` the others (a
    client created outside any mock looks up credentials as botocore does)."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self.outside: list[str] = []

    def install(self, monkeypatch: Any) -> Recorder:
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_getaddrinfo = socket.getaddrinfo
        recorder = self

        def check(address: Any, how: str) -> None:
            if isinstance(address, (str, bytes)):  # AF_UNIX path
                return
            host = address[0] if isinstance(address, tuple) else address
            if not is_loopback(host):
                seen = recorder.attempts if _mock_serving() else recorder.outside
                seen.append(f"{how} {address!r}")
                raise NetworkAttempt(f"test tried to reach {address!r}")

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                check(address, "connect")
            return real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                check(address, "connect_ex")
            return real_connect_ex(sock, address)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            check((host,), "getaddrinfo")
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return self


# The same recorder for a fresh interpreter (tests that must run before any import):
# prints one line per refused attempt on stderr, prefixed NETWORK-ATTEMPT.
SUBPROCESS_PRELUDE = """
import ipaddress, socket
def _loopback(host):
    if isinstance(host, bytes): host = host.decode()
    if host is None or host in ("localhost", "localhost.localdomain", "ip6-localhost"): return True
    try: return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError: return False
_real_connect, _real_gai = socket.socket.connect, socket.getaddrinfo
def _connect(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        import sys; print("NETWORK-ATTEMPT", address, file=sys.stderr); raise OSError("refused")
    return _real_connect(sock, address)
def _gai(host, *a, **k):
    if not _loopback(host):
        import sys; print("NETWORK-ATTEMPT", host, file=sys.stderr); raise OSError("refused")
    return _real_gai(host, *a, **k)
socket.socket.connect, socket.getaddrinfo = _connect, _gai
"""
