"""The table of served operations, and what every handler shares."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from ._errors import ServiceError, invalid_parameter, repository_not_found
from ._model import operation_model
from ._state import Listing, Registry, Repository

V = TypeVar("V")

Params = dict[str, Any]
Handler = Callable[[Registry, Params], Params]

HANDLERS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register the handler of operation ``name``.

    The model is not loaded here (that would cost every importer ~70 ms); a test checks
    that the handled names are exactly the model's operations.
    """

    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def declares(operation_name: str, error_code: str) -> bool:
    return any(shape.name == error_code for shape in operation_model(operation_name).error_shapes)


@cache
def _registry_member(operation_name: str) -> str | None:
    """The model's shape name for the operation's ``registryId`` (alias allowed or not)."""
    shape = operation_model(operation_name).input_shape
    member = shape.members.get("registryId") if shape is not None else None
    return member.name if member is not None else None


def registry_id(registry: Registry, operation_name: str, params: Params, name: str = "") -> str:
    """Check ``registryId`` names the caller's registry (its account id, or alias where allowed).

    An unknown registry is ``RegistryNotFoundException`` where the operation declares it,
    else ``RepositoryNotFoundException`` (reference page, Identifiers).
    """
    given = params.get("registryId")
    if given is None or given == registry.account_id:
        return registry.account_id
    alias_allowed = _registry_member(operation_name) == "RegistryIdOrAlias"
    if alias_allowed and given == registry.alias:
        return registry.account_id
    if declares(operation_name, "RegistryNotFoundException"):
        raise ServiceError(
            "RegistryNotFoundException", f"The registry with id '{given}' does not exist"
        )
    raise repository_not_found(name, given)


def repository(registry: Registry, operation_name: str, params: Params) -> Repository:
    """The repository a request names, in the registry it names."""
    name = params["repositoryName"]
    account = registry_id(registry, operation_name, params, name)
    found = registry.repositories.get(name)
    if found is None:
        raise repository_not_found(name, account)
    return found


# Pagination: a token names a listing and a position in it, signed with the registry's
# key. AWS documents nextToken only as opaque; the mock chooses tokens that no caller can
# forge or edit, so a bad token is always an error, never a silent page.
DEFAULT_PAGE = 100
_MAC_SIZE = hashlib.sha256().digest_size


def _mac(registry: Registry, payload: bytes) -> bytes:
    return hmac.new(registry.token_key, payload, hashlib.sha256).digest()


def _listing_name(kind: str, index: Listing[Any]) -> str:
    return f"{kind}:{index.identity}:"


def _encode_token(registry: Registry, index: Listing[Any], kind: str, position: int) -> str:
    payload = f"{_listing_name(kind, index)}{position}".encode()
    return base64.urlsafe_b64encode(payload + _mac(registry, payload)).decode()


def _decode_token(registry: Registry, index: Listing[Any], kind: str, token: str | None) -> int:
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
    name, position = _listing_name(kind, index).encode(), payload.rpartition(b":")[2]
    if (
        len(raw) > _MAC_SIZE
        and hmac.compare_digest(mac, _mac(registry, payload))
        and payload == name + position
        and position.isdigit()
        and int(position) <= index.issued
    ):
        return int(position)
    raise invalid_parameter("nextToken", "must be a valid pagination token")


def page(
    registry: Registry, index: Listing[V], kind: str, params: Params
) -> tuple[list[V], Params]:
    """One page of ``index`` as ``params`` (``nextToken``, ``maxResults``) ask for it.

    Returns the items and what the answer adds to them: ``nextToken`` when more follow.
    """
    after = _decode_token(registry, index, kind, params.get("nextToken"))
    items, more = index.page(after, params.get("maxResults", DEFAULT_PAGE))
    extra: Params = {}
    if more is not None:
        extra["nextToken"] = _encode_token(registry, index, kind, more)
    return items, extra


def exclusive(params: Params, listed: str) -> None:
    """``maxResults``/``nextToken`` cannot be combined with an explicit list (reference page)."""
    if params.get(listed) is None:
        return
    for member in ("maxResults", "nextToken"):
        if member in params:
            raise invalid_parameter(member, f"cannot be used together with {listed}")
