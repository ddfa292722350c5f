"""An insertion-ordered map whose iteration resumes after any position, deleted or not.

Pagination tokens name a position (a sequence number), not an index: a page boundary then
never loses or repeats an item when the collection changes between pages, and resuming
costs O(log n + page), never O(everything stored).
"""

from __future__ import annotations

import secrets
from bisect import bisect_right
from typing import Generic, TypeVar, cast

V = TypeVar("V")


class OrderedIndex(Generic[V]):
    """``identity`` tells this index from any other (a repository deleted and created
    again gets a new one), so a position can be named together with its index."""

    __slots__ = ("_dead", "_entries", "_identity", "_keys", "_next", "_seqs", "_sorted", "_values")

    def __init__(self) -> None:
        self._identity: str | None = None
        self._entries: dict[str, tuple[int, V]] = {}
        self._seqs: list[int] = []  # ascending; parallel to _keys
        self._keys: list[str | None] = []  # None marks a removed entry until compaction
        # The values in order, parallel to _keys (None where removed): a page of an index
        # with nothing removed is a slice, not a look-up per item.
        self._values: list[V | None] = []
        self._dead = 0
        self._next = 0
        self._sorted: list[str] | None = None  # the keys sorted, until the next change

    @property
    def identity(self) -> str:
        # Drawn when first asked for (a token is issued): most indexes never are.
        if self._identity is None:
            self._identity = secrets.token_hex(8)
        return self._identity

    @property
    def issued(self) -> int:
        """The highest position ever assigned (-1 for none): no later one can be named."""
        return self._next - 1

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __getitem__(self, key: str) -> V:
        return self._entries[key][1]

    def sorted_keys(self) -> list[str]:
        """Every key in lexical order (not to be changed by the caller): sorted once after
        each change, so paging through an unchanged index costs each page its own size."""
        if self._sorted is None:
            self._sorted = sorted(self._entries)
        return self._sorted

    def get(self, key: str) -> V | None:
        entry = self._entries.get(key)
        return None if entry is None else entry[1]

    def add(self, key: str, value: V) -> None:
        """Append ``key`` (which must be absent) at the end of the order."""
        seq = self._next
        self._next += 1
        self._sorted = None
        self._entries[key] = (seq, value)
        self._seqs.append(seq)
        self._keys.append(key)
        self._values.append(value)

    def remove(self, key: str) -> V:
        seq, value = self._entries.pop(key)
        self._sorted = None
        slot = bisect_right(self._seqs, seq) - 1
        self._keys[slot] = None
        self._values[slot] = None
        self._dead += 1
        if self._dead > 64 and self._dead * 2 > len(self._keys):
            self._compact()
        return value

    def _compact(self) -> None:
        """Drop removed slots; amortised O(1) per removal since it runs when half are dead."""
        live = [key for key in self._keys if key is not None]
        self._seqs = [self._entries[key][0] for key in live]
        self._values = [self._entries[key][1] for key in live]
        self._keys = list(live)
        self._dead = 0

    def page(self, after: int, limit: int) -> tuple[list[V], int | None]:
        """Up to ``limit`` values positioned after ``after`` (-1: from the start).

        Returns them with the position to resume from, or None when nothing follows.
        """
        index = bisect_right(self._seqs, after)
        values = self._values
        if not self._dead and limit > 0:  # every slot holds a value: the page is a slice
            stop = index + limit
            page = cast("list[V]", values[index:stop])
            return page, self._seqs[stop - 1] if stop < len(values) else None
        found: list[V] = []
        keys = self._keys
        last = after
        while index < len(keys):
            key = keys[index]
            index += 1
            if key is None:
                continue
            if len(found) == limit:
                return found, last
            found.append(values[index - 1])  # type: ignore[arg-type]  # a live slot
            last = self._seqs[index - 1]
        return found, None
