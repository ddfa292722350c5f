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

    def reset(self) -> None:
        """Fresh, empty state in this same object, so whoever holds it (a mock's handle,
        the hook, a server) sees the reset; the lock and the log's own kind stay."""
        with self.lock:
            registry = Registry(self.registry.settings)
            registry.lock = self.lock  # it may be held by the caller
            registry.host = self.registry.host  # a server serving it still does
            self.registry = registry
            self.faults.clear()
            self.calls.clear()

    def serve_at(self, address: str) -> str:
        """While served at ``address`` (``host:port``), URIs name it (unless the mock
        keeps AWS's form); the host they named before, for ``stop_serving``."""
        registry = self.registry
        previous = registry.host
        if not registry.settings.public_uris:
            registry.host = address
        return previous

    def stop_serving(self, previous: str) -> None:
        self.registry.host = previous
