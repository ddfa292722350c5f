"""The call log: every call the API served, in the order it served them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, SupportsIndex

from .._core.digests import digest_of
from .._model import model_operations, operation_model

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class Call:
    """One call the mock served: what was asked and how it ended."""

    operation: str
    params: dict[str, Any]
    outcome: str  # "success", or the error code answered (InternalFailure: a mock bug)

    @property
    def succeeded(self) -> bool:
        return self.outcome == "success"


def blob_length(encoded: str) -> int:
    """Decoded size of a base64 blob, without decoding it (parts are up to 20 MiB)."""
    size = len(encoded)
    return size * 3 // 4 - encoded[-2:].count("=") if size else 0


# What the log keeps of one request: a body this size or smaller is kept whole (but its
# blobs); of a larger one, strings up to this many characters in all, in order.
KEPT = 64 * 1024
# What a kept number, boolean or null counts for against KEPT.
_SCALAR = 8


def logged(operation: str, params: dict[str, Any], size: int = 0) -> dict[str, Any]:
    """The parameters as the call log keeps them, a bounded amount however large the
    request (``size``: its body's length): blobs become ``"<N bytes>"``; in a request
    over ``KEPT`` bytes, what does not fit in ``KEPT`` is summarised (``_bounded``).

    A layer part is up to 20 MiB of base64, a manifest up to 4 MiB: a log of a thousand
    calls keeping them would hold gigabytes.
    """
    # Only the model's operations are cached: a server's callers can send any name.
    paths = _blob_paths(operation) if operation in model_operations() else ()
    kept = _blobs_summarised(params, paths) if paths else params
    return _bounded(kept, [KEPT]) if size > KEPT else kept


def _bounded(value: Any, budget: list[int]) -> Any:
    """``value`` with what exceeds ``budget`` (characters left, in a cell) summarised: a
    string too long as ``"<N bytes, sha256:...>"`` (its UTF-8 length and digest: a
    manifest's is its image digest; the summary counts against the budget), the items of
    a container once the budget is spent as one ``"<N more items>"`` entry."""
    if isinstance(value, str):
        if len(value) <= budget[0]:
            budget[0] -= len(value)
            return value
        data = value.encode("utf-8", "surrogatepass")
        summary = f"<{len(data)} bytes, {digest_of(data)}>"
        budget[0] -= len(summary)
        return summary
    if isinstance(value, dict):
        members: dict[str, Any] = {}
        for index, (key, item) in enumerate(value.items()):
            if budget[0] <= 0:
                members["..."] = f"<{len(value) - index} more items>"
                break
            name = _bounded(key, budget)  # before its value: the budget goes in order
            members[name] = _bounded(item, budget)
        return members
    if isinstance(value, list):
        items: list[Any] = []
        for index, item in enumerate(value):
            if budget[0] <= 0:
                items.append(f"<{len(value) - index} more items>")
                break
            items.append(_bounded(item, budget))
        return items
    budget[0] -= _SCALAR
    return value


def _blobs_summarised(
    params: dict[str, Any], paths: tuple[tuple[str | None, str], ...]
) -> dict[str, Any]:
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
