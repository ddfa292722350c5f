"""Pagination: ``nextToken``/``maxResults`` over an ordered index of the core.

A token names a listing and a position in it, signed with the service's key. AWS
documents nextToken only as opaque; the mock chooses tokens that no caller can forge or
edit, so a bad token is always an error, never a silent page (docs/aws-behaviour.md,
section "Where the mock chooses").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING, Any, TypeVar

from .._core import messages

if TYPE_CHECKING:
    from collections.abc import Callable

    from .._core.ordered import OrderedIndex

V = TypeVar("V")
E = TypeVar("E")

DEFAULT_PAGE = 100
_MAC_SIZE = 32


def _mac(key: bytes, payload: bytes) -> bytes:
    """Keyed BLAKE2b, a MAC by design: every listing page signs a token, and an HMAC
    through OpenSSL costs ten times as much in a client's call (its set-up per key)."""
    return hashlib.blake2b(payload, key=key, digest_size=_MAC_SIZE).digest()


def _listing(kind: str, index: OrderedIndex[Any]) -> bytes:
    return f"{kind}:{index.identity}:".encode()


def _encode(key: bytes, index: OrderedIndex[Any], kind: str, position: int, skip: int = 0) -> str:
    place = f"{position}.{skip}" if skip else str(position)
    payload = _listing(kind, index) + place.encode()
    return base64.urlsafe_b64encode(payload + _mac(key, payload)).decode()


def _decode(key: bytes, index: OrderedIndex[Any], kind: str, token: str | None) -> tuple[int, int]:
    """The position after which a page starts (-1 for the first page), and how many of
    the next item's entries the previous page already gave (``page_entries``)."""
    if token is None:
        return -1, 0
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except ValueError:  # binascii.Error and UnicodeError are ValueErrors
        raw = b""
    if base64.urlsafe_b64encode(raw).decode() != token:  # one spelling per token
        raw = b""
    payload, mac = raw[:-_MAC_SIZE], raw[-_MAC_SIZE:]
    name, place = _listing(kind, index), payload.rpartition(b":")[2]
    position, _, skip = place.partition(b".")
    # Signed by this registry, so well formed: the checks guard against another listing's.
    if (
        len(raw) > _MAC_SIZE
        and hmac.compare_digest(mac, _mac(key, payload))
        and payload == name + place
        and int(position) <= index.issued
    ):
        return int(position), int(skip or 0)
    raise messages.invalid(messages.INVALID_TOKEN)


def page(
    key: bytes, index: OrderedIndex[V], kind: str, params: dict[str, Any]
) -> tuple[list[V], dict[str, Any]]:
    """One page of ``index`` as ``params`` (``nextToken``, ``maxResults``) ask for it.

    Returns the items and what the answer adds to them: ``nextToken`` when more follow.
    """
    after, _ = _decode(key, index, kind, params.get("nextToken"))
    items, more = index.page(after, params.get("maxResults", DEFAULT_PAGE))
    extra: dict[str, Any] = {}
    if more is not None:
        extra["nextToken"] = _encode(key, index, kind, more)
    return items, extra


def page_entries(
    key: bytes,
    index: OrderedIndex[V],
    kind: str,
    params: dict[str, Any],
    entries_of: Callable[[V], list[E]],
) -> tuple[list[E], dict[str, Any]]:
    """A page of the entries each item of ``index`` stands for (none or several): at most
    ``maxResults`` entries, from at most ``maxResults`` items, so a page can hold fewer
    entries, or none, and still carry a ``nextToken`` (DescribeEntitledRepositories'
    documented paging). An item's entries can run over two pages."""
    after, skip = _decode(key, index, kind, params.get("nextToken"))
    limit = params.get("maxResults", DEFAULT_PAGE)
    found: list[E] = []
    for _ in range(limit):
        items, more = index.page(after, 1)
        if not items:
            break
        entries = entries_of(items[0])[skip:]
        room = limit - len(found)
        if len(entries) > room:
            found += entries[:room]
            return found, {"nextToken": _encode(key, index, kind, after, skip + room)}
        found += entries
        skip = 0
        if more is None:
            break
        after = more
    else:
        return found, {"nextToken": _encode(key, index, kind, after)}
    return found, {}
