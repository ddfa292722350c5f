"""The ECR Public API of one registry: the registry and what the API adds to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core.ordered import OrderedIndex
from .._core.state import Registry

if TYPE_CHECKING:
    from .._core.settings import Settings
    from .calls import Call
    from .faults import Fault


class Service:
    """A registry served through the API: with the listing DescribeRegistries pages
    through (one registry, the caller's own), the faults a test injected, and the log of
    the calls it served. Its pagination tokens are signed with the registry's key."""

    def __init__(self, settings: Settings) -> None:
        self.registry = Registry(settings)
        self.lock = self.registry.lock
        self.faults: list[Fault] = []
        self.calls: list[Call] = []
        self._fresh_listing()

    def _fresh_listing(self) -> None:
        account = self.registry.account_id
        self.registries: OrderedIndex[str] = OrderedIndex()
        self.registries.add(account, account)

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
            self._fresh_listing()
