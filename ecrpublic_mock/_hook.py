"""The botocore event handlers that answer ecr-public requests while a mock is active.

Handlers go on the ``ecr-public`` events only, so no other service pays for them, and they
are registered first: a more specific event runs before moto's generic ``before-send``
handler whatever the import order. With no mock active each costs a list check and a
dictionary lookup.
"""

from __future__ import annotations

import contextvars
import re
import sys
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import botocore
import botocore.credentials
import botocore.endpoint
import botocore.handlers
import botocore.retries.bucket
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from ._dispatch import HOME_REGION, SERVED_REGIONS, answer
from ._moto import moto_registry

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

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


def current() -> Registry | None:
    """The state that answers now: the innermost mock, else moto's ``mock_aws``, else none."""
    return _active[-1] if _active else moto_registry()


@lru_cache(maxsize=256)
def region_of(url: str) -> str:
    """The region whose endpoint ``url`` names; a custom endpoint is served as us-east-1."""
    match = _AWS_HOST.match(url)
    return match.group(1) if match else HOME_REGION


def _choose_signer(**kwargs: Any) -> object:
    """Skip signing while active: the mock verifies no signature, and needs no credentials.

    The state chosen here answers the call, even if its mock stops (in another thread)
    before the request goes out: an unsigned request must never reach the network.
    """
    registry = current()
    _serving.set(registry)
    return botocore.UNSIGNED if registry is not None else None


def _before_sign(request: Any, **kwargs: Any) -> None:
    """A region with no endpoint fails as an unresolvable host would, before any retry."""
    if region_of(request.url) not in SERVED_REGIONS and current() is not None:
        raise EndpointConnectionError(endpoint_url=request.url)


class _Content(bytes):
    """Response bytes that aiobotocore may also ``await`` (its responses' content is async)."""

    def __await__(self) -> Generator[Any, None, bytes]:
        return self
        yield  # pragma: no cover - makes this a generator: awaiting it returns at once


class _Answer(AWSResponse):
    """A canned HTTP answer that both botocore's and aiobotocore's parsers read."""

    def __init__(self, url: str, status: int, headers: dict[str, str], body: bytes) -> None:
        super().__init__(url, status, headers, None)  # type: ignore[arg-type]
        self._content: bytes = _Content(body)

    @property
    def content(self) -> bytes:
        return self._content


def _before_send(request: Any, event_name: str, **kwargs: Any) -> AWSResponse | None:
    registry = _serving.get() or current()
    if registry is None:
        return None
    # The waits botocore adds to this call (retry back-off, adaptive mode's rate limiter)
    # would be waits for nothing: the answer is already here.
    _skip_sleep.set(True)
    _patch_aiobotocore()
    operation = event_name.rpartition(".")[2]
    status, headers, body = answer(registry, operation, region_of(request.url), request.body)
    return _Answer(request.url, status, headers, body)


# Set while a call is answered by a mock; cleared when botocore is done with the call. A
# context variable, so one thread's (or task's) call never affects another's waits.
_skip_sleep: contextvars.ContextVar[bool] = contextvars.ContextVar("_skip_sleep", default=False)
# The state answering the call in progress (chosen when botocore chose not to sign it).
_serving: contextvars.ContextVar[Registry | None] = contextvars.ContextVar("_serving", default=None)


def _call_over(**kwargs: Any) -> None:
    _skip_sleep.set(False)
    _serving.set(None)


class _Clock:
    """Stands in for ``time`` in botocore.endpoint: retry sleeps of mocked calls are skipped."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        if not _skip_sleep.get():
            time.sleep(seconds)


class _AsyncClock:
    """The same for ``asyncio`` in aiobotocore.endpoint (imported late: it costs 30 ms)."""

    def __getattr__(self, name: str) -> Any:
        import asyncio

        return getattr(asyncio, name)

    @staticmethod
    async def sleep(seconds: float) -> None:
        import asyncio

        if not _skip_sleep.get():
            await asyncio.sleep(seconds)


def _patch_aiobotocore() -> None:
    """aiobotocore sleeps with asyncio; patch it once it is loaded (never import it here)."""
    module = sys.modules.get("aiobotocore.endpoint")
    if module is not None and not isinstance(getattr(module, "asyncio", None), _AsyncClock):
        endpoint: Any = module
        endpoint.asyncio = _AsyncClock()


def _acquire_unless_mocked(acquire: Callable[..., Any]) -> Callable[..., Any]:
    """Adaptive retry mode's token bucket would make a mocked call wait for a token."""

    def guarded(self: Any, amount: int = 1, block: bool = True) -> Any:
        return True if _skip_sleep.get() else acquire(self, amount, block)

    guarded.__wrapped__ = acquire  # type: ignore[attr-defined]
    return guarded


def _skip_while_active(load: Callable[..., Any]) -> Callable[..., Any]:
    """Metadata-service credential lookups are network calls: none happen while active."""

    def guarded(self: Any) -> Any:
        return None if current() is not None else load(self)

    guarded.__wrapped__ = load  # type: ignore[attr-defined]
    return guarded


_FIRST = (
    ("choose-signer.ecr-public", _choose_signer),
    ("before-sign.ecr-public", _before_sign),
    ("before-send.ecr-public", _before_send),
)
_LAST = (
    ("after-call.ecr-public", _call_over),
    ("after-call-error.ecr-public", _call_over),
)
HANDLERS = _FIRST + _LAST


def install() -> None:
    """Register on every botocore session created from now on, and on boto3's default one."""
    builtin = botocore.handlers.BUILTIN_HANDLERS
    if any(spec[1] is _before_send for spec in builtin):
        return
    for event, handler in _FIRST:
        builtin.append((event, handler, botocore.handlers.REGISTER_FIRST))
    for event, handler in _LAST:
        builtin.append((event, handler, botocore.handlers.REGISTER_LAST))
    import boto3

    if boto3.DEFAULT_SESSION is not None:
        events = boto3.DEFAULT_SESSION._session.get_component("event_emitter")
        for event, handler in _FIRST:
            events.register_first(event, handler)
        for event, handler in _LAST:
            events.register_last(event, handler)
    endpoint: Any = botocore.endpoint  # typed loosely: stubs don't declare its imports
    endpoint.time = _Clock()
    bucket: Any = botocore.retries.bucket.TokenBucket
    bucket.acquire = _acquire_unless_mocked(bucket.acquire)
    for provider in (
        botocore.credentials.InstanceMetadataProvider,
        botocore.credentials.ContainerProvider,
    ):
        provider.load = _skip_while_active(provider.load)  # type: ignore[method-assign]
