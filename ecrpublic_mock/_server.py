"""``python -m ecrpublic_mock serve``: the mock over HTTP, for clients outside Python.

The AWS CLI (``--endpoint-url``) and other SDKs speak the JSON protocol to it: a POST with
``X-Amz-Target: SpencerFrontendService.<Operation>`` and a JSON body, answered by the same
``answer()`` the in-process hook uses, against one registry that lives as long as the
server. Standard library only, so serving needs nothing the package does not already have.

Regions come from the SigV4 credential scope of the ``Authorization`` header, the only
place a request over a custom endpoint names one. us-east-1 and us-west-2 get the service's
rules (``answer()`` applies them). Real ECR Public has no endpoint elsewhere, which an
HTTP server cannot reproduce (the client already reached it), so any other region is
answered ``UnsupportedCommandException`` ``<Operation> command is only supported in
us-east-1.`` for every operation, GetAuthorizationToken included. An unsigned request
(no scope) is served as us-east-1, so ``curl`` works. Signatures are not checked.
"""

from __future__ import annotations

import signal
import sys
import traceback
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from ._api.dispatch import answer, encode, error_payload
from ._api.model import service_model
from ._api.regions import HOME_REGION, SERVED_REGIONS, scope_region
from ._api.service import Service
from ._core import messages
from ._core.errors import EcrPublicMockBug, ServiceError

if TYPE_CHECKING:
    from types import FrameType

    from ._core.settings import Settings


class MockServer(ThreadingHTTPServer):
    """A threading HTTP server holding the one service its requests are answered from."""

    def __init__(self, address: tuple[str, int], settings: Settings) -> None:
        self.service = Service(settings)
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: MockServer
    # Keep-alive, as AWS: botocore reuses its pooled connections.
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        target = self.headers.get("X-Amz-Target", "")
        prefix, _, operation = target.partition(".")
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError(length)
        except ValueError:
            status, headers, data = _error(
                ServiceError("SerializationException", "Invalid Content-Length")
            )
            # The body's end is unknown, so is the next request's start: close.
            self._send(status, {**headers, "Connection": "close"}, data)
            return
        body = self.rfile.read(length)
        if prefix != service_model().metadata["targetPrefix"] or operation not in _operations():
            self._send(
                *_error(ServiceError("UnknownOperationException", f"Unknown operation {target!r}"))
            )
            return
        region = scope_region(self.headers.get("Authorization"))
        if region not in SERVED_REGIONS:
            self._send(
                *_error(
                    messages.error(
                        messages.UNSUPPORTED_COMMAND, operation=operation, home=HOME_REGION
                    )
                )
            )
            return
        try:
            self._send(*answer(self.server.service, operation, region, body))
        except EcrPublicMockBug as bug:
            # A bug in the mock: never passed off as an AWS error, and shown with its cause.
            traceback.print_exc(file=sys.stderr)
            self._send(*_error(ServiceError("InternalFailure", str(bug), 500)))

    def do_GET(self) -> None:
        """Nothing is served by GET: the service's API is POST only."""
        self._send(404, {"Content-Length": "0"}, b"")

    def _send(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No line per request: a test suite's output stays its own (errors still log)."""


def _error(error: ServiceError) -> tuple[int, dict[str, str], bytes]:
    return encode(error.status, error_payload(error))


@cache
def _operations() -> frozenset[str]:
    return frozenset(service_model().operation_names)


def make_server(host: str, port: int, settings: Settings) -> MockServer:
    """Bind (port 0 picks a free one); the caller runs ``serve_forever()`` and stops it."""
    return MockServer((host, port), settings)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(host: str, port: int, settings: Settings) -> int:
    """Serve until SIGINT or SIGTERM; the first stdout line tells a test the URL to use."""
    server = make_server(host, port, settings)
    # SIGINT too: a shell starts background jobs with it ignored, and Python keeps that.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    print(f"ecrpublic_mock serving on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
