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
    from .._core.ordered import OrderedIndex

V = TypeVar("V")

DEFAULT_PAGE = 100
_MAC_SIZE = hashlib.sha256().digest_size


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def _listing(kind: str, index: OrderedIndex[Any]) -> bytes:
    return f"{kind}:{index.identity}:".encode()


def _encode(key: bytes, index: OrderedIndex[Any], kind: str, position: int) -> str:
    payload = _listing(kind, index) + str(position).encode()
    return base64.urlsafe_b64encode(payload + _mac(key, payload)).decode()


def _decode(key: bytes, index: OrderedIndex[Any], kind: str, token: str | None) -> int:
    """The position after which a page starts (-1 for the first page)."""
    if token is None:
        return -1
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except ValueError:  # binascii.Error and UnicodeError are ValueErrors
        raw = b""
    if base64.urlsafe_b64encode(raw).decode() != token:  # one spelling per token
        raw = b""
    payload, mac = raw[:-_MAC_SIZE], raw[-_MAC_SIZE:]
    name, position = _listing(kind, index), payload.rpartition(b":")[2]
    if (
        len(raw) > _MAC_SIZE
        and hmac.compare_digest(mac, _mac(key, payload))
        and payload == name + position
        and position.isdigit()
        and int(position) <= index.issued
    ):
        return int(position)
    raise messages.invalid(messages.INVALID_TOKEN)


def page(
    key: bytes, index: OrderedIndex[V], kind: str, params: dict[str, Any]
) -> tuple[list[V], dict[str, Any]]:
    """One page of ``index`` as ``params`` (``nextToken``, ``maxResults``) ask for it.

    Returns the items and what the answer adds to them: ``nextToken`` when more follow.
    """
    after = _decode(key, index, kind, params.get("nextToken"))
    items, more = index.page(after, params.get("maxResults", DEFAULT_PAGE))
    extra: dict[str, Any] = {}
    if more is not None:
        extra["nextToken"] = _encode(key, index, kind, more)
    return items, extra
