"""uvicorn's HTTP/1.1 protocol (httptools, the llhttp parser) with what this server adds.

- TCP_NODELAY on every connection: each answer goes out at once, not held back by
  Nagle's algorithm until the client acknowledges the previous segment (which a client
  may delay by 40 ms). asyncio sets it only on sockets whose protocol number says TCP,
  and a socket made by socket.create_server() says 0.
- A deadline for the request head. uvicorn closes a connection that stays idle
  ``timeout_keep_alive`` seconds after a response, but arms no timer on a new connection
  and cancels its timer at the first byte of the next request: a client that connects and
  sends nothing, or half of its headers, would hold its connection (and a place in the
  server's shutdown) forever. Here the head must arrive whole within ``head_timeout``
  seconds of the connection or of its first byte: a half-sent head is then answered 408,
  an empty connection closed. (The body has its own pace rule: ``bodies.BodyReader``.)
- Malformed framing (two Content-Length values, bad chunking, bytes that are no HTTP such
  as a TLS ClientHello) is refused by the parser; uvicorn answers it with a 400 status
  line, sent here with a JSON error body like every other error of the server.

httptools rather than h11 (uvicorn's pure-Python parser): a served call costs the server
about half the CPU (benchmarks/README.md, "Server mode").
"""

from __future__ import annotations

import logging
import socket
from http import HTTPStatus
from typing import TYPE_CHECKING

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .._api.dispatch import error_body

if TYPE_CHECKING:
    import asyncio


class _ExpectedRefusals(logging.Filter):
    """Drops uvicorn's warning for malformed framing: the 400 it comes with is this
    server's answer by design (a TLS hello from a registry client probing for https gets
    it on every command), not news for the console."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "Invalid HTTP request received."


# uvicorn's logger for its protocol's messages, as a child of its own ("uvicorn.error").
_LOGGER = logging.getLogger("uvicorn.error.ecrpublic_mock")
_LOGGER.addFilter(_ExpectedRefusals())


class Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the additions of the module docstring; a server
    sets ``head_timeout`` on a subclass of its own."""

    head_timeout: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None
    _in_head = False  # between a request's first byte and the end of its head

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.logger = _LOGGER
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._arm_head_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        if self._head_timer is None:  # the first byte of a head after keep-alive
            self._arm_head_timer()

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():  # pragma: no cover - closed, connection_lost pending
            return
        if self._in_head:
            message = f"The request head did not arrive whole within {self.head_timeout:g} s"
            self._send_error(408, "RequestTimeout", message)
        else:  # nothing was asked: nobody waits for an answer
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        self._send_error(400, "BadRequest", f"{msg} (malformed HTTP/1.1 framing)")

    def _send_error(self, status: int, code: str, message: str) -> None:
        """An error answer written as it is, the connection then closed (whatever the
        parser's state: the request is not read further)."""
        data = error_body(code, message)
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "content-type: application/json\r\n"
            f"content-length: {len(data)}\r\n"
            "connection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + data)
        self.transport.close()
