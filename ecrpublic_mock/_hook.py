"""The botocore event handlers that answer ecr-public requests while a mock is active.

Handlers go on the ``ecr-public`` events only, so no other service pays for them, and they
are registered first: a more specific event runs before moto's generic ``before-send``
handler whatever the import order. With no mock active each costs one list check.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import botocore
import botocore.credentials
import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from ._dispatch import HOME_REGION, SERVED_REGIONS, answer

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._state import Registry

# Innermost activation last. Plain list operations are atomic under the GIL.
_active: list[Registry] = []

# Every endpoint form AWS lists: api.ecr-public, ecr-public, FIPS and dual-stack (api.aws).
_AWS_HOST = re.compile(
    r"https?://(?:api\.)?ecr-public(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com|api\.aws)(?:[:/]|$)"
)


def activate(registry: Registry) -> None:
    _active.append(registry)


def deactivate(registry: Registry) -> None:
    # Registries compare by identity: an outer mock stopped first leaves the inner serving.
    _active.remove(registry)


@lru_cache(maxsize=256)
def region_of(url: str) -> str:
    """The region whose endpoint ``url`` names; a custom endpoint is served as us-east-1."""
    match = _AWS_HOST.match(url)
    return match.group(1) if match else HOME_REGION


def _choose_signer(**kwargs: Any) -> object:
    """Skip signing while active: the mock verifies no signature, and needs no credentials."""
    return botocore.UNSIGNED if _active else None


def _before_sign(request: Any, **kwargs: Any) -> None:
    """A region with no endpoint fails as an unresolvable host would, before any retry."""
    if _active and region_of(request.url) not in SERVED_REGIONS:
        raise EndpointConnectionError(endpoint_url=request.url)


class _Body:
    """The ``raw`` of a canned AWSResponse: botocore reads it through ``stream()``."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **kwargs: Any) -> tuple[bytes]:
        return (self._data,)


def _before_send(request: Any, event_name: str, **kwargs: Any) -> AWSResponse | None:
    if not _active:
        return None
    operation = event_name.rpartition(".")[2]
    status, headers, body = answer(_active[-1], operation, region_of(request.url), request.body)
    return AWSResponse(request.url, status, headers, _Body(body))  # type: ignore[arg-type]


def _skip_while_active(load: Callable[..., Any]) -> Callable[..., Any]:
    """Metadata-service credential lookups are network calls: none happen while active."""

    def guarded(self: Any) -> Any:
        return None if _active else load(self)

    guarded.__wrapped__ = load  # type: ignore[attr-defined]
    return guarded


HANDLERS = (
    ("choose-signer.ecr-public", _choose_signer),
    ("before-sign.ecr-public", _before_sign),
    ("before-send.ecr-public", _before_send),
)


def install() -> None:
    """Register on every botocore session created from now on, and on boto3's default one."""
    builtin = botocore.handlers.BUILTIN_HANDLERS
    if any(spec[1] is _before_send for spec in builtin):
        return
    for event, handler in HANDLERS:
        builtin.append((event, handler, botocore.handlers.REGISTER_FIRST))
    import boto3

    if boto3.DEFAULT_SESSION is not None:
        events = boto3.DEFAULT_SESSION._session.get_component("event_emitter")
        for event, handler in HANDLERS:
            events.register_first(event, handler)
    for provider in (
        botocore.credentials.InstanceMetadataProvider,
        botocore.credentials.ContainerProvider,
    ):
        provider.load = _skip_while_active(provider.load)  # type: ignore[method-assign]
