"""The call log: every call the API served, in the order it served them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, SupportsIndex

from .._model import model_operations, operation_model

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class Call:
    """One call the mock served: what was asked and how it ended."""

    operation: str
    params: dict[str, Any]
    outcome: str  # "success", or the error code answered

    @property
    def succeeded(self) -> bool:
        return self.outcome == "success"


def blob_length(encoded: str) -> int:
    """Decoded size of a base64 blob, without decoding it (parts are up to 20 MiB)."""
    size = len(encoded)
    return size * 3 // 4 - encoded[-2:].count("=") if size else 0


def logged(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters as the call log keeps them: blobs become ``"<N bytes>"``.

    A layer part is up to 20 MiB of base64; keeping every one would make the log hold
    every layer ever uploaded a second time.
    """
    # Only the model's operations are cached: a server's callers can send any name.
    paths = _blob_paths(operation) if operation in model_operations() else ()
    if not paths:
        return params
    kept = dict(params)
    for parent, member in paths:
        holder = kept if parent is None else kept.get(parent)
        if isinstance(holder, dict) and isinstance(holder.get(member), str):
            if parent is not None:
                holder = kept[parent] = dict(holder)
            holder[member] = f"<{blob_length(holder[member])} bytes>"
    return kept


@cache
def _blob_paths(operation: str) -> tuple[tuple[str | None, str], ...]:
    """Blob members of an operation's input, top-level or one structure down."""
    shape: Any = operation_model(operation).input_shape
    found: list[tuple[str | None, str]] = []
    for name, member in shape.members.items():
        if member.type_name == "blob":
            found.append((None, name))
        elif member.type_name == "structure":
            found += [(name, inner) for inner, m in member.members.items() if m.type_name == "blob"]
    return tuple(found)


class CallRing(list[Call]):
    """The call log of a long-running server: only the last ``size`` calls are kept.

    A list, so ``state.calls`` keeps its type and ``answer()`` its ``append``; dropping
    the oldest entry moves ``size`` pointers, nothing more. ``size`` 0 keeps nothing.
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def append(self, call: Call, /) -> None:
        if self.size:
            super().append(call)
            if len(self) > self.size:
                del self[0]

    def extend(self, calls: Iterable[Call], /) -> None:
        for call in calls:
            self.append(call)

    def insert(self, index: SupportsIndex, call: Call, /) -> None:
        raise TypeError("the call log is append-only")
