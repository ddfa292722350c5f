"""uvicorn, started and stopped: in the foreground (``serve``) or in a background thread.

The only module that imports uvicorn; it is imported only to serve.

uvicorn's h11 protocol is used with two additions: TCP_NODELAY on every connection, and a
deadline for the request head.
uvicorn closes a connection that stays idle ``timeout_keep_alive`` seconds after a
response, but arms no timer on a new connection and cancels its timer at the first byte
of the next request: a client that connects and sends nothing, or half of its headers,
would hold its connection (and a place in the server's shutdown) forever. Here the head
must arrive whole within ``request_timeout`` seconds of the connection or of its first
byte: a half-sent head is then answered 408, an empty connection closed. The body has its
own inactivity deadline in the app (``MockApp._body``). Malformed framing (two
Content-Length values, bad chunking, bytes that are no HTTP such as a TLS ClientHello) is
refused by h11; uvicorn answers it with a 400 status line, which this protocol sends with
a JSON error body like every other error of the server.

Every timer of the server (the head and body deadlines, keep-alive, graceful shutdown, the
startup wait) runs in real time under freezegun (``_RealTimeLoop``), while the mock's clock
(timestamps, expiries) follows the freeze. A stopped mock's state is never served
(``_Refusing``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import ipaddress
import logging
import signal
import socket
import threading
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .._api.dispatch import error_body
from .._registry.context import error_answer
from .app import MockApp

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterator
    from types import FrameType

    from typing_extensions import Self

    from .._harness.state import MockState

DEFAULT_REQUEST_TIMEOUT = 10.0
# AWS leaves its idle timeout undocumented for this API; 60 s is the default idle timeout
# AWS documents for its load balancers, longer than SDK connection pools wait to reuse.
KEEP_ALIVE_TIMEOUT = 60
# How long stopping waits for requests in flight before it cancels them.
SHUTDOWN_TIMEOUT = 5
BACKLOG = 2048
# Requests served at once; more wait for a worker (each holds one while it runs).
WORKERS = 64


class _ExpectedRefusals(logging.Filter):
    """Drops uvicorn's warning for malformed framing: the 400 it comes with is this
    server's answer by design (a TLS hello from a registry client probing for https gets
    it on every command), not news for the console."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "Invalid HTTP request received."


# uvicorn's logger for its protocol's messages, as a child of its own ("uvicorn.error").
_LOGGER = logging.getLogger("uvicorn.error.ecrpublic_mock")
_LOGGER.addFilter(_ExpectedRefusals())


class _Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request head (module docstring)."""

    head_timeout = DEFAULT_REQUEST_TIMEOUT
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.logger = _LOGGER
        # Each answer goes out at once, not held back by Nagle's algorithm until the client
        # acknowledges the previous segment (which a client may delay by 40 ms). asyncio
        # sets this only on sockets whose protocol number says TCP, and a socket made by
        # socket.create_server() says 0.
        sock = transport.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            if self._head_timer is None:  # the first byte of a head after keep-alive
                self._arm_head_timer()
        else:
            self._cancel_head_timer()

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
        if self.conn.trailing_data[0]:
            message = f"The request head did not arrive whole within {self.head_timeout:g} s"
            self._send_error(408, "RequestTimeout", message)
        else:  # nothing was asked: nobody waits for an answer
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        self._send_error(400, "BadRequest", f"{msg} (malformed HTTP/1.1 framing)")

    def _send_error(self, status: int, code: str, message: str) -> None:
        data = error_body(code, message)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
            (b"connection", b"close"),
        ]
        try:
            for event in (
                h11.Response(status_code=status, headers=headers, reason=HTTPStatus(status).phrase),
                h11.Data(data=data),
                h11.EndOfMessage(),
            ):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:  # pragma: no cover - a response is already under way
            pass
        self.transport.close()


class _Server(uvicorn.Server):
    """uvicorn's server; signals are the caller's (uvicorn re-raises those it caught)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _serving(server: _Server, sock: socket.socket) -> None:
    """Serve with a worker pool of its own: a registry upload or download holds a worker
    thread for as long as its bytes travel, and asyncio's default pool (cores + 4
    threads) would make the next requests wait for them. ``_run`` shuts it down (after
    cancelling what still runs, which ends a worker waiting for a body)."""
    pool = concurrent.futures.ThreadPoolExecutor(WORKERS, "ecrpublic_mock")
    asyncio.get_running_loop().set_default_executor(pool)
    await server.serve(sockets=[sock])


# asyncio's loop reads time.monotonic, which freezegun (1.5) replaces while a freeze lasts
# (with time.time, perf_counter, their _ns forms and any module attribute bound to them): its
# timers would stand still, or all fire at once. clock_gettime is real whenever the freeze
# began; without it (Windows), time.monotonic as bound at import, real unless frozen then.
_monotonic: Callable[[], float] = (
    functools.partial(time.clock_gettime, time.CLOCK_MONOTONIC)
    if hasattr(time, "clock_gettime")
    else time.monotonic
)


class _RealTimeLoop(asyncio.SelectorEventLoop):
    """asyncio's selector loop on the real clock whatever freezegun does; a class of its
    own, which freezegun's ``real_asyncio`` and a test's event loop policy leave alone."""

    def time(self) -> float:
        return _monotonic()


def _run(main: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run(main)`` on a ``_RealTimeLoop`` (asyncio.run takes a loop factory from
    Python 3.12 on, asyncio.Runner from 3.11; the package supports 3.10)."""
    loop = _RealTimeLoop()
    try:
        loop.run_until_complete(main)
    finally:
        try:
            loop.run_until_complete(_cancel_the_rest())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()


async def _cancel_the_rest() -> None:
    """Cancel the loop's other tasks and wait for them to end, as asyncio.run does."""
    rest = asyncio.gather(*(asyncio.all_tasks() - {asyncio.current_task()}), return_exceptions=True)
    rest.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await rest


STOPPED_MESSAGE = "The mock this server served has stopped; serve an active mock instead"


class _Refusing:
    """``MockApp`` until the mock whose state it serves stops (``MockState.stopped``), then
    a refusal of every request: 410 Gone, ``Connection: close``, the body left unread, in
    the form of the path's surface: ``{"errors": [{"code": "UNAVAILABLE", "message"}]}``
    under ``/v2`` and ``/token``, else ``{"__type": "MockStopped", "message"}``. 410, not
    503: the state never comes back (a mock started again has new state, and new servers),
    and SDKs and registry clients retry a 503 with back-off, which only delays the failure.
    The mock stops its servers as it stops: this answers a request reaching one meanwhile,
    and a server started on a stopped mock's state (``BackgroundServer(state)``).
    """

    def __init__(self, app: MockApp, state: MockState) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.state.stopped:
            await self.app(scope, receive, send)
            return
        close = {"Connection": "close"}
        if scope["path"].partition("/")[2].partition("/")[0] in ("v2", "token"):
            answer = error_answer(410, "UNAVAILABLE", STOPPED_MESSAGE, close)
            headers, body = answer.headers, answer.body
        else:
            headers = {"Content-Type": "application/json", **close}
            body = error_body("MockStopped", STOPPED_MESSAGE)
        fields = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        fields.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 410, "headers": fields})
        await send({"type": "http.response.body", "body": body})


def _config(state: MockState, request_timeout: float) -> uvicorn.Config:
    class Protocol(_Protocol):
        head_timeout = request_timeout

    return uvicorn.Config(
        _Refusing(MockApp(state, request_timeout), state),
        http=Protocol,
        ws="none",
        lifespan="off",
        interface="asgi3",
        loop="asyncio",
        access_log=False,
        log_config=None,
        proxy_headers=False,
        server_header=False,
        backlog=BACKLOG,
        timeout_keep_alive=KEEP_ALIVE_TIMEOUT,
        timeout_graceful_shutdown=SHUTDOWN_TIMEOUT,
    )


def exposure(host: str) -> str | None:
    """The warning for serving beyond this machine (None on a loopback address): the
    command line prints it, ``EcrPublicMock.serve()`` warns with it."""
    if ipaddress.ip_address(host).is_loopback:
        return None
    return (
        f"serving on {host}, beyond this machine: the server has no authentication, "
        "whoever reaches it can read and change the mock's state"
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on an IP literal (IPv4 or IPv6); port 0 picks a free port."""
    family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG)


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(sock: socket.socket, state: MockState, request_timeout: float) -> int:
    """Serve ``sock`` until SIGINT or SIGTERM; the first stdout line gives the URL."""
    server = _Server(_config(state, request_timeout))
    state.serve_at(url_of(sock).removeprefix("http://"))

    def stop(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    # SIGINT too: a shell starts background jobs with it ignored, and Python keeps that.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    print(f"ecrpublic_mock serving on {url_of(sock)}", flush=True)
    _run(_serving(server, sock))
    return 0


# The background servers started and not yet stopped, oldest first (any thread may start
# or stop one: append, remove and the slice's copy are atomic).
_STARTED: list[BackgroundServer] = []


def stop_servers(state: MockState) -> None:
    """Stop the background servers serving ``state``, newest first (its mock stopped)."""
    for server in [server for server in _STARTED[::-1] if server.state is state]:
        server.stop()


class BackgroundServer:
    """A mock's state served on a loopback port from a thread of this process.

    ``start()`` returns once the port accepts connections; ``stop()`` returns once the
    thread has ended and the port is closed, under freezegun too. A context manager doing
    both. URIs name the newest server of the state still serving (``MockState.serve_at``):
    a server leaves them to the others before its port closes.
    """

    def __init__(
        self,
        state: MockState,
        host: str = "127.0.0.1",
        port: int = 0,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    ) -> None:
        self.state = state
        self._address = (host, port)
        self._request_timeout = request_timeout
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.url = ""

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError("this server is already started")
        sock = bind(*self._address)
        self._socket, self.url = sock, url_of(sock)
        self.state.serve_at(self.url.removeprefix("http://"))
        _STARTED.append(self)
        server = self._server = _Server(_config(self.state, self._request_timeout))
        ready = threading.Event()
        failure: list[BaseException] = []

        async def run() -> None:
            task = asyncio.ensure_future(_serving(server, sock))
            while not (server.started or task.done()):
                await asyncio.sleep(0.001)
            ready.set()
            await task

        def main() -> None:
            try:
                _run(run())
            except BaseException as error:  # pragma: no cover - reported by start()
                failure.append(error)
            finally:
                ready.set()

        self._thread = threading.Thread(target=main, name=f"ecrpublic_mock {self.url}", daemon=True)
        self._thread.start()
        ready.wait()
        if not server.started:  # pragma: no cover - uvicorn failed to start
            self.stop()
            raise RuntimeError(f"the server did not start: {failure!r}")
        return self

    @property
    def port(self) -> int:
        assert self.url, "not started"
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        """Stop serving, wait for the thread, free the port (idempotent)."""
        if self._socket is not None:
            self.state.stop_serving(self.url.removeprefix("http://"))
            _STARTED.remove(self)
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> Self:
        # EcrPublicMock.serve() hands out a started server, for use in ``with`` or not.
        return self if self._thread is not None else self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "serving" if self._thread is not None else "stopped"
        return f"<{type(self).__name__} {self.url or 'unbound'} {state}>"
