"""The table of served operations, and what every handler shares."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import cache
from typing import Any

from ._errors import ServiceError, invalid_parameter, repository_not_found
from ._model import operation_model
from ._state import Registry, Repository

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


# Pagination: tokens are opaque to callers; they carry the kind of listing and a position.
DEFAULT_PAGE = 100


def encode_token(kind: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{position}".encode()).decode()


def decode_token(kind: str, params: Params) -> int:
    """The position after which a page starts (-1 for the first page)."""
    token = params.get("nextToken")
    if token is None:
        return -1
    try:
        found_kind, _, position = base64.urlsafe_b64decode(token.encode()).decode().rpartition(":")
        if found_kind == kind and position.isdigit():
            return int(position)
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise invalid_parameter("nextToken", "must be a valid pagination token")


def exclusive(params: Params, listed: str) -> None:
    """``maxResults``/``nextToken`` cannot be combined with an explicit list (reference page)."""
    if params.get(listed) is None:
        return
    for member in ("maxResults", "nextToken"):
        if member in params:
            raise invalid_parameter(member, f"cannot be used together with {listed}")
