"""The ASGI application: one Starlette router over the three surfaces of a served mock.

    POST /                      the service's API (JSON 1.1), as botocore sends it
    /v2/..., /token/            the registry endpoint (``_registry``), its own answers
    /_ecrpublic_mock/...        the control plane, and publisher reports' download links

Each surface answers its errors in its own form, from its own table: the API's and the
router's (``_API_ANSWERS``: a JSON 1.1 error body), the registry's (``_REGISTRY_ANSWERS``:
the distribution-spec's ``{"errors": [...]}``), the control plane's
(``_CONTROL_ANSWERS``). A 404 or 405 is Starlette's, rendered by the table of the surface
it comes from. Starlette's routing, not the handling of bodies, is used: bodies are read
here, with the limits below, and answers are sent as they are made.

Every API request goes through the same ``answer()`` the in-process hook uses. A request
of up to ``_INLINE`` bytes is answered on the event loop: its work is a few microseconds
(the lock is only ever held for one operation's work, never while waiting for a client),
and a hop to a worker thread and back would cost more than the call. A larger one (a
layer part, up to 20 MiB to decode and hash) goes to a worker thread, so that the event
loop never waits for it.

Regions come from the SigV4 credential scope of the ``Authorization`` header, the only
place a request over a custom endpoint names one. us-east-1 and us-west-2 get the service's
rules (``answer()`` applies them). Real ECR Public has no endpoint elsewhere, which an
HTTP server cannot reproduce (the client already reached it), so any other region is
answered ``UnsupportedCommandException`` ``<Operation> command is only supported in
us-east-1.`` for every operation, GetAuthorizationToken included. An unsigned request
(no scope) is served as us-east-1, so ``curl`` works. Signatures are not checked.

Bodies are read with a limit derived from botocore's model (``max_body_size``): a larger
one is answered 413 before it is read. A body must come at 1 MiB per ``request_timeout``
seconds at least (``bodies.BodyReader``): a slower one, a byte now and then included, is
answered 408. Both answers close the connection: the rest of the body, if it ever comes,
is not read as a next request. Bodies are received on the event loop; a worker thread only
ever handles a part that has arrived whole, so slow clients hold no thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import traceback
import urllib.parse
from functools import partial
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.responses import Response as StarletteResponse
from starlette.routing import Mount, Route, Router

from .._api.dispatch import CONTENT_TYPE, answer, error_body
from .._api.regions import HOME_REGION, SERVED_REGIONS, scope_region
from .._core import messages
from .._core.errors import EcrPublicMockBug
from .._core.reports import PATH as REPORTS
from .._core.reports import download
from .._model import service_model
from .._registry.context import BodyCut, error_answer
from .._registry.context import Request as RegistryRequest
from .._registry.routes import exchange
from .bodies import BodyReader, Disconnected, EarlyAnswer, max_body_size, too_large
from .control import PREFIX, ControlError
from .control import ROUTES as CONTROL_ROUTES

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping, MutableMapping

    from starlette.requests import Request

    from .._harness.state import MockState
    from .._registry.context import Body
    from .._registry.context import Response as RegistryResponse
    from .control import Operation

    Scope = MutableMapping[str, Any]
    Message = MutableMapping[str, Any]
    Receive = Callable[[], Awaitable[Message]]
    Send = Callable[[Message], Awaitable[None]]
    Answer = tuple[int, dict[str, str], bytes]

_JSON = {"Content-Type": "application/json"}
# API requests up to this size are answered on the event loop (module docstring).
_INLINE = 64 * 1024


def _advance(steps: Body[RegistryResponse], part: bytes | None) -> RegistryResponse | None:
    """Run the exchange up to its next request for a part (None) or to its answer."""
    try:
        steps.send(part)  # type: ignore[arg-type]  # None starts the generator
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    return None


def _cut(steps: Body[RegistryResponse], cut: BodyCut) -> None:
    """The body will not come whole: the exchange ends with it (its handler ends what it
    began, the call log records the cut's code)."""
    with contextlib.suppress(BodyCut, StopIteration):
        steps.throw(cut)


class MockApp:
    """ASGI 3 application serving one mock's state."""

    def __init__(self, state: MockState, request_timeout: float) -> None:
        self.state = state
        self.request_timeout = request_timeout
        self.body_limit = max_body_size()
        registry = ExceptionMiddleware(_Asgi(self._registry), _REGISTRY_ANSWERS)
        control_routes = [
            Route(f"/{name}", _Asgi(partial(self._control, operations)), methods=list(operations))
            for name, operations in CONTROL_ROUTES.items()
        ]
        control_routes.append(
            Route(
                REPORTS.removeprefix(PREFIX[:-1]) + "{report}", _Asgi(self._report), methods=["GET"]
            )
        )
        control_plane = Router(control_routes, redirect_slashes=False)
        self.router = ExceptionMiddleware(
            Router(
                [
                    Route("/", _Asgi(self._api), methods=["POST"]),
                    Route("/v2", registry),
                    Mount("/v2", registry),
                    Route("/token", registry),
                    Mount("/token", registry),
                    Mount(PREFIX[:-1], ExceptionMiddleware(control_plane, _CONTROL_ANSWERS)),
                ],
                redirect_slashes=False,
            ),
            _API_ANSWERS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is off and websockets are not served
            return
        scope["app"] = self  # Starlette's routes raise their 404 and 405 to the tables
        try:
            await self.router(scope, receive, send)
        except Disconnected:
            return

    async def _api(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await self._body(scope, receive)
        if len(body) <= _INLINE:
            status, headers, data = self._api_answer(scope, body)
        else:
            status, headers, data = await asyncio.to_thread(self._api_answer, scope, body)
        await _respond(send, status, headers, data, len(data))

    async def _registry(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The registry protocol: each step of the exchange (``_registry.routes``) runs in a
        worker thread once the part of the body it asks for has arrived whole, received
        here on the event loop; no thread waits for a client's bytes. A streamed answer
        is sent chunk by chunk, as uvicorn's flow control lets it out."""
        steps = exchange(self.state, _registry_request(scope))
        body = BodyReader(receive, self.request_timeout)
        response = await asyncio.to_thread(_advance, steps, None)
        while response is None:
            try:
                part = await body.part()
            except (EarlyAnswer, Disconnected) as cut:
                code = cut.code if isinstance(cut, EarlyAnswer) else "ClientDisconnected"
                await asyncio.to_thread(_cut, steps, BodyCut(code, str(cut)))
                if isinstance(cut, Disconnected):
                    return  # nobody to answer
                raise
            response = await asyncio.to_thread(_advance, steps, part)
        length = len(response.body) if response.length is None else response.length
        await _respond(send, response.status, response.headers, response.body, length, more=True)
        for chunk in response.stream or ():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def _control(
        self, operations: Mapping[str, Operation], scope: Scope, receive: Receive, send: Send
    ) -> None:
        body = await self._body(scope, receive)
        # HEAD is GET's, without the body (the router allows it wherever GET is).
        operation = operations[scope["method"]] if scope["method"] != "HEAD" else operations["GET"]
        status, payload = await asyncio.to_thread(operation, self.state, body)
        data = json.dumps(payload).encode()
        await _respond(send, status, _JSON, data, len(data))

    async def _report(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A publisher report's download link (GetDownloadUrlForPublisherReport): the
        compressed CSV while the link is good; 403 for an expired or forged one."""
        fields = urllib.parse.parse_qs(scope["query_string"].decode("latin-1"))
        state = self.state
        with state.lock:
            content = download(
                state.registry,
                scope["path_params"]["report"],
                fields.get("expires", [""])[0],
                fields.get("signature", [""])[0],
            )
        if content is None:
            message = "The link is expired, or it is not a publisher report's link"
            raise ControlError(403, "AccessDenied", message)
        await _respond(send, 200, {"Content-Type": "application/gzip"}, content, len(content))

    async def _body(self, scope: Scope, receive: Receive) -> bytes:
        """The request body, refused (413) past the limit and (408) when it comes too
        slowly (``BodyReader``)."""
        for name, value in scope["headers"]:
            # The parser (llhttp) has checked it: digits only, and a single such header.
            if name == b"content-length" and int(value) > self.body_limit:
                raise too_large(int(value), self.body_limit)
        body = BodyReader(receive, self.request_timeout, self.body_limit)
        parts: list[bytes] = []
        while part := await body.part():
            parts.append(part)
        return b"".join(parts)

    def _api_answer(self, scope: Scope, body: bytes) -> Answer:
        headers = dict(scope["headers"])
        target = headers.get(b"x-amz-target", b"").decode("latin-1")
        prefix, _, operation = target.partition(".")
        json_headers = {"Content-Type": CONTENT_TYPE}
        # An operation of the service the mock does not serve is answer()'s to refuse (and
        # log), as in-process; a target of another service is no call of this one.
        if prefix != service_model().metadata["targetPrefix"] or not operation:
            message = f"Unknown operation {target!r}"
            return 400, json_headers, error_body("UnknownOperationException", message)
        region = scope_region(headers.get(b"authorization", b"").decode("latin-1"))
        if region not in SERVED_REGIONS:
            error = messages.error(
                messages.UNSUPPORTED_COMMAND, operation=operation, home=HOME_REGION
            )
            return 400, json_headers, error_body(error.code, error.message)
        try:
            status, answered, data = answer(self.state, operation, region, body)
        except EcrPublicMockBug as bug:
            # A bug in the mock: never passed off as an AWS error, and shown with its cause.
            traceback.print_exc(file=sys.stderr)
            return 500, json_headers, error_body("InternalFailure", str(bug))
        answered.pop("Content-Length", None)  # sent by _respond
        return status, answered, data


# -- each surface's exceptions, as it answers them ---------------------------------------


def _json_error(status: int, code: str, message: str, **headers: str) -> StarletteResponse:
    if status in (408, 413):  # the rest of the body, if it ever comes, is not read
        headers["Connection"] = "close"
    return StarletteResponse(error_body(code, message), status, {**_JSON, **headers})


def _refusal(request: Request, error: HTTPException) -> tuple[int, str, str, dict[str, str]]:
    """A 404 or 405 of the router's: (status, code, message, headers) in this server's
    words. The methods a 405 allows are listed in a stable order."""
    path, method = request.url.path, request.method
    if error.status_code == 405:
        allow = ", ".join(sorted((error.headers or {})["Allow"].split(", ")))
        return 405, "MethodNotAllowed", f"{path} accepts {allow}, not {method}", {"Allow": allow}
    return 404, "NotFound", f"Nothing is served at {path!r}", {}


async def _api_refusal(request: Request, error: Exception) -> StarletteResponse:
    assert isinstance(error, HTTPException)
    status, code, message, headers = _refusal(request, error)
    return _json_error(status, code, message, **headers)


async def _early(request: Request, error: Exception) -> StarletteResponse:
    assert isinstance(error, EarlyAnswer)
    return _json_error(error.status, error.code, error.message)


async def _control_refusal(request: Request, error: Exception) -> StarletteResponse:
    if isinstance(error, HTTPException):
        status, code, message, headers = _refusal(request, error)
        if status == 404:
            served = ", ".join(CONTROL_ROUTES)
            message = f"No control endpoint at {request.url.path!r}; there are: {served}"
    else:
        assert isinstance(error, ControlError)
        status, code, message, headers = error.status, error.code, error.message, {}
    return _json_error(status, code, message, **headers)


async def _registry_failure(request: Request, error: Exception) -> StarletteResponse:
    """The body stalled (408), or a bug in the mock (500, shown with its cause): answered
    in the protocol's form, as every other registry answer."""
    if isinstance(error, EarlyAnswer):
        status, code, message = error.status, error.code, error.message
        headers = {"Connection": "close"}
    else:
        traceback.print_exception(error, file=sys.stderr)
        status, code, message, headers = 500, "InternalFailure", repr(error), {}
    answered = error_answer(status, code, message, headers)
    return StarletteResponse(answered.body, answered.status, answered.headers)


_API_ANSWERS: dict[Any, Any] = {HTTPException: _api_refusal, EarlyAnswer: _early}
_CONTROL_ANSWERS: dict[Any, Any] = {
    HTTPException: _control_refusal,
    ControlError: _control_refusal,
    EarlyAnswer: _early,
}
# The registry answers its own refusals (``_registry.routes.handle``); what is left is the
# server's: a stalled body, or a bug.
_REGISTRY_ANSWERS: dict[Any, Any] = {Exception: _registry_failure}


async def _respond(
    send: Send,
    status: int,
    headers: dict[str, str],
    data: bytes,
    length: int,
    *,
    more: bool = False,
) -> None:
    fields = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    # A 204 must not say it has no body; a 304 need not repeat the 200's length and does
    # not (RFC 9110, 8.6): neither carries Content-Length.
    if status not in (204, 304):
        fields.append((b"content-length", str(length).encode()))
    await send({"type": "http.response.start", "status": status, "headers": fields})
    await send({"type": "http.response.body", "body": data, "more_body": more})


def _registry_request(scope: Scope) -> RegistryRequest:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    query = urllib.parse.parse_qs(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    host = headers.get("host")
    if host is None:  # HTTP/1.0 may name no host: the address it reached
        address, port = scope["server"]
        host = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    return RegistryRequest(
        method=scope["method"],
        path=scope["path"],
        query={key: values[0] for key, values in query.items()},
        headers=headers,
        base=f"{scope.get('scheme', 'http')}://{host}",
        client=(scope.get("client") or ("",))[0],
    )


class _Asgi:
    """An ASGI endpoint as it is: Starlette takes a function or method for a request
    handler (a Request in, a Response out), and this server's endpoints stream."""

    def __init__(self, serve: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.serve = serve

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.serve(scope, receive, send)
