"""The botocore event handlers that answer ecr-public requests while a mock is active.

Handlers go on the ``ecr-public`` events only, so no other service pays for them, and they
are registered first: a more specific event runs before moto's generic ``before-send``
handler whatever the import order. With no mock active each costs a tuple check and a
list check.

Which mock serves a call: the innermost one the calling thread or asyncio task started
itself (a context variable), else the most recently started one in the process (so worker
threads a test spawns are served too), else moto's ``mock_aws`` state, else none.
"""

from __future__ import annotations

import contextvars
import sys
import time
from functools import cache
from typing import TYPE_CHECKING, Any

import botocore
import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from .._api.regions import endpoint_region, served
from .moto import moto_state
from .patches import Patch, PatchSet

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from .._harness.state import MockState

# Every active service in the process, in start order (plain list operations are atomic
# under the GIL), and the ones the current thread or task started, innermost last.
_active: list[MockState] = []
_local: contextvars.ContextVar[tuple[MockState, ...]] = contextvars.ContextVar(
    "ecrpublic_mock_local", default=()
)


def activate(state: MockState) -> None:
    PATCHES.acquire()
    _active.append(state)
    _local.set((*_local.get(), state))


def deactivate(state: MockState) -> None:
    # Registries compare by identity: an outer mock stopped first leaves the inner serving.
    _active.remove(state)
    mine = _local.get()
    if state in mine:
        _local.set(tuple(other for other in mine if other is not state))
    PATCHES.release()


def current() -> MockState | None:
    """The state that answers a call made now, in this thread or task."""
    for state in reversed(_local.get()):
        # A task's copy of the context may name a mock that another task has stopped.
        if state in _active:
            return state
    return _active[-1] if _active else moto_state()


def _choose_signer(**kwargs: Any) -> object:
    """Skip signing while active: the mock verifies no signature, and needs no credentials.

    The state chosen here answers the call, even if its mock stops (in another thread)
    before the request goes out: an unsigned request must never reach the network.
    """
    state = current()
    _serving.set(state)
    return botocore.UNSIGNED if state is not None else None


def _before_sign(request: Any, **kwargs: Any) -> None:
    """A region with no endpoint fails as an unresolvable host would, before any retry."""
    if (_serving.get() or current()) is not None and not served(endpoint_region(request.url)):
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
        # Awaitable only where an aiobotocore client can be reading it: making one copies
        # the body, which is most of a large listing's cost in the mock.
        self._content: bytes = _Content(body) if "aiobotocore" in sys.modules else body

    @property
    def content(self) -> bytes:
        return self._content


def _serve(state: MockState, operation: str, request: Any) -> _Answer:
    region = endpoint_region(request.url)
    status, headers, body = _answer()(state, operation, region or "", request.body)
    return _Answer(request.url, status, headers, body)


@cache
def _answer() -> Callable[..., tuple[int, dict[str, str], bytes]]:
    """The API front end's ``answer``, loaded with the first call served, not with the
    package (most of an importer's processes never serve one), and looked up once."""
    from .._api.dispatch import answer

    return answer


def _before_send(request: Any, event_name: str, **kwargs: Any) -> AWSResponse | None:
    state = _serving.get() or current()
    if state is None:
        return None
    # The waits botocore adds to this call (retry back-off, adaptive mode's rate limiter)
    # would be waits for nothing: the answer is already here.
    _skip_sleep.set(True)
    if not _active and not _holding.get():
        # Served by moto's mock_aws, which no activation of ours brackets: the patches
        # are held for this one call (its retries included) and let go when it ends.
        PATCHES.acquire()
        _holding.set(True)
    _patch_aiobotocore()
    return _serve(state, event_name.rpartition(".")[2], request)


# Set while a call is answered by a mock; cleared when botocore is done with the call. A
# context variable, so one thread's (or task's) call never affects another's waits.
_skip_sleep: contextvars.ContextVar[bool] = contextvars.ContextVar("_skip_sleep", default=False)
# The state answering the call in progress (chosen when botocore chose not to sign it).
_serving: contextvars.ContextVar[MockState | None] = contextvars.ContextVar(
    "_serving", default=None
)


# Set while this context holds the patches for a call served through moto's mock_aws.
_holding: contextvars.ContextVar[bool] = contextvars.ContextVar("_holding", default=False)


def _call_over(**kwargs: Any) -> None:
    _skip_sleep.set(False)
    _serving.set(None)
    if _holding.get():
        _holding.set(False)
        PATCHES.release()


_FIRST = (
    ("choose-signer.ecr-public", _choose_signer),
    ("before-sign.ecr-public", _before_sign),
    ("before-send.ecr-public", _before_send),
)
_LAST = (
    ("after-call.ecr-public", _call_over),
    ("after-call-error.ecr-public", _call_over),
)


def _hooked(**kwargs: Any) -> None:  # pragma: no cover - a marker: its event is never emitted
    """Marks an emitter that carries the handlers above (see ``hooked``)."""


# An event no one else emits: an emitter that answers it carries the handlers above.
_PROBE = "ecrpublic-mock-hooked"
HANDLERS = (*_FIRST, *_LAST, (_PROBE, _hooked))


def hooked(emitter: Any) -> bool:
    """Does ``emitter`` carry the handlers? Asked of its handler table, not by emitting:
    aiobotocore's emitters emit asynchronously."""
    inner = getattr(emitter, "_emitter", emitter)  # sessions and clients wrap theirs
    return any(handler is _hooked for handler in inner._handlers.prefix_search(_PROBE))


def hook_emitter(emitter: Any) -> None:
    """Give ``emitter`` (a session's or a client's) the handlers, unless it has them."""
    if hooked(emitter):
        return
    for event, handler in _FIRST:
        emitter.register_first(event, handler)
    for event, handler in _LAST:
        emitter.register_last(event, handler)
    emitter.register(_PROBE, _hooked)


def install() -> None:
    """Register on every botocore session created from now on, and on boto3's default one.

    This one process-wide registration stays for the life of the process: it is what lets
    a client created before a mock starts (a module-level client of the code under test)
    be served once it does. Inactive, it costs an ecr-public call a tuple and a list check
    and other services nothing. Everything else is installed only while a mock is active.
    """
    builtin = botocore.handlers.BUILTIN_HANDLERS
    if any(spec[1] is _before_send for spec in builtin):
        return
    for event, handler in _FIRST:
        builtin.append((event, handler, botocore.handlers.REGISTER_FIRST))
    for event, handler in _LAST:
        builtin.append((event, handler, botocore.handlers.REGISTER_LAST))
    builtin.append((_PROBE, _hooked))  # last: a session that answers it has them all
    import boto3

    if boto3.DEFAULT_SESSION is not None:
        hook_emitter(boto3.DEFAULT_SESSION._session.get_component("event_emitter"))


# -- what only an active mock needs ------------------------------------------------------


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
    if module is not None:
        PATCHES.add(Patch(module, "asyncio", lambda original: _AsyncClock()))


def _acquire_unless_mocked(acquire: Callable[..., Any]) -> Callable[..., Any]:
    """Adaptive retry mode's token bucket would make a mocked call wait for a token."""

    def guarded(self: Any, amount: int = 1, block: bool = True) -> Any:
        return True if _skip_sleep.get() else acquire(self, amount, block)

    guarded.__wrapped__ = acquire  # type: ignore[attr-defined]
    return guarded


def _nothing_while_active(lookup: Callable[..., Any]) -> Callable[..., Any]:
    """Instance-metadata and container lookups (credentials, the region of defaults_mode
    "auto") are network calls: none happen while a mock is active."""

    def guarded(self: Any) -> Any:
        return None if current() is not None else lookup(self)

    guarded.__wrapped__ = lookup  # type: ignore[attr-defined]
    return guarded


def _hooking_creator(init: Callable[..., Any]) -> Callable[..., Any]:
    """Every client creator hooks its session's emitter: a session made before this
    package was imported (so without the built-in handlers) makes served clients too."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        emitter = kwargs["event_emitter"] if "event_emitter" in kwargs else args[3]
        hook_emitter(emitter)
        init(self, *args, **kwargs)

    __init__.__wrapped__ = init  # type: ignore[attr-defined]
    return __init__


def _served_send(send: Callable[..., Any]) -> Callable[..., Any]:
    """The last line: an ecr-public request about to leave through a client that has no
    handlers (made before import from a session made before import) is answered here,
    and its client hooked for the calls that follow. Nothing ever reaches AWS."""

    def _send(self: Any, request: Any) -> Any:
        target = request.headers.get("X-Amz-Target")
        if isinstance(target, bytes):
            target = target.decode("latin-1")
        state = current()
        if state is None or not isinstance(target, str):
            return send(self, request)
        from .._model import service_model

        prefix, _, operation = target.partition(".")
        if prefix != service_model().metadata["targetPrefix"]:
            return send(self, request)
        hook_emitter(self._event_emitter)
        if not served(endpoint_region(request.url)):
            raise EndpointConnectionError(endpoint_url=request.url)
        return _serve(state, operation, request)

    _send.__wrapped__ = send  # type: ignore[attr-defined]
    return _send


def _patches() -> list[Patch]:
    """What the first activation installs (botocore's modules imported only then)."""
    import botocore.client
    import botocore.credentials
    import botocore.endpoint
    import botocore.retries.bucket
    import botocore.utils

    return [
        Patch(botocore.endpoint, "time", lambda original: _Clock()),
        Patch(botocore.retries.bucket.TokenBucket, "acquire", _acquire_unless_mocked),
        Patch(botocore.credentials.InstanceMetadataProvider, "load", _nothing_while_active),
        Patch(botocore.credentials.ContainerProvider, "load", _nothing_while_active),
        Patch(botocore.utils.IMDSRegionProvider, "provide", _nothing_while_active),
        Patch(botocore.client.ClientCreator, "__init__", _hooking_creator),
        Patch(botocore.endpoint.Endpoint, "_send", _served_send),
    ]


PATCHES = PatchSet(_patches)
