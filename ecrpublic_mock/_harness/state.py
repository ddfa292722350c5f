"""One mock's state: the registry (the domain), and what a test harness adds around it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core.state import Registry
from .calls import CallRing

if TYPE_CHECKING:
    from .._core.settings import Settings
    from .calls import Call
    from .faults import Fault


class MockState:
    """The registry, the faults a test injected and the log of the calls served, under
    the registry's lock: what an activation, its hook, its helpers and any server share.

    ``call_log_size`` bounds the call log to its newest entries (a long-running server's
    choice); None keeps every call, as an activation does.
    """

    def __init__(self, settings: Settings, call_log_size: int | None = None) -> None:
        self.registry = Registry(settings)
        self.lock = self.registry.lock
        self.faults: list[Fault] = []
        self.call_log_size = call_log_size
        self.calls: list[Call] = [] if call_log_size is None else CallRing(call_log_size)
        # The addresses (host:port) of the servers serving it, oldest first; the host URIs
        # name when none does.
        self.serving: list[str] = []
        self._unserved_host = self.registry.host
        # Set once the mock whose state this is has stopped: a server then refuses every
        # request rather than answer from it (``_server.runner._Refusing``).
        self.stopped = False

    def reset(self) -> None:
        """Fresh, empty state in this same object, so whoever holds it (a mock's handle,
        the hook, a server) sees the reset; the lock, the log's own kind, the servers
        serving it (and so the host URIs name) and whether its mock has stopped stay."""
        with self.lock:
            registry = Registry(self.registry.settings)
            registry.lock = self.lock  # it may be held by the caller
            registry.host = self.registry.host  # the servers serving it still do
            self.registry = registry
            self.faults.clear()
            self.calls.clear()

    def serve_at(self, address: str) -> None:
        """A server now serves this state at ``address`` (``host:port``): URIs name it,
        the newest server serving (unless the mock keeps AWS's form, ``public_uris``)."""
        with self.lock:
            self.serving.append(address)
            self._name_host()

    def stop_serving(self, address: str) -> None:
        """The server at ``address`` no longer serves this state: URIs name the newest
        server still serving it, whichever stopped (the newest, or an older one), and
        what they named before any served (``public.ecr.aws``) once none does."""
        with self.lock:
            self.serving.remove(address)  # the oldest entry: one address, one server at once
            self._name_host()

    def _name_host(self) -> None:
        if not self.registry.settings.public_uris:
            self.registry.host = self.serving[-1] if self.serving else self._unserved_host
