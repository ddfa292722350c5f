"""Process-wide patches that only a serving mock needs: on with the first, off with the last.

A run where no mock is active, such as every pytest run of an environment that merely has
the plugin installed, never sees them (time-machine works the same way). Each patch
replaces one attribute and is restored exactly: a class attribute that was inherited is
deleted again rather than copied down.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

_MISSING = object()


class Patch(NamedTuple):
    """Replace ``owner.name`` with ``make(original)`` while installed."""

    owner: Any
    name: str
    make: Callable[[Any], Any]


class PatchSet:
    """Reference-counted: ``acquire`` installs on the first call, ``release`` undoes on the
    last. ``patches`` is called at install time, so patches of modules loaded late (such as
    aiobotocore) are found when they are there."""

    def __init__(self, patches: Callable[[], Sequence[Patch]]) -> None:
        self._patches = patches
        self._list: list[Patch] | None = None
        self._count = 0
        self._saved: list[tuple[Any, str, Any]] = []
        # Replacements made once per original: a later activation installs them again
        # without building them anew (start/stop stays in microseconds).
        self._made: dict[tuple[int, str], tuple[Any, Any]] = {}
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            self._count += 1
            if self._count == 1:
                if self._list is None:
                    self._list = list(self._patches())
                for patch in self._list:
                    self._install(patch)

    def add(self, patch: Patch) -> None:
        """Install one more patch until the last release (once, however often added)."""
        with self._lock:
            if self._count and not any(
                owner is patch.owner and name == patch.name for owner, name, _ in self._saved
            ):
                self._install(patch)

    def _install(self, patch: Patch) -> None:
        owner, name = patch.owner, patch.name
        saved = vars(owner).get(name, _MISSING)
        key = (id(owner), name)  # owners live as long as the patch list holds them
        made = self._made.get(key)
        if made is None or made[0] is not saved:  # first time, or replaced since
            made = self._made[key] = (saved, patch.make(getattr(owner, name)))
        self._saved.append((owner, name, saved))
        setattr(owner, name, made[1])

    def release(self) -> None:
        with self._lock:
            if self._count == 0:
                raise RuntimeError("released more often than acquired")
            self._count -= 1
            if self._count == 0:
                for owner, name, saved in reversed(self._saved):
                    if saved is _MISSING:
                        delattr(owner, name)
                    else:
                        setattr(owner, name, saved)
                self._saved.clear()
