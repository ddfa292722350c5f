"""uvicorn, started and stopped: in the foreground (``serve``) or in a background thread.

The only module that imports uvicorn; it is imported only to serve.

uvicorn runs with the protocol of ``protocols`` (httptools, with TCP_NODELAY, a deadline
for the request head and JSON error bodies); the body's pace rule is the app's.

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
import signal
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

import uvicorn

from .._api.dispatch import error_body
from .._registry.context import error_answer
from .app import MockApp
from .protocols import Protocol as _Protocol

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


def _config(
    state: MockState, request_timeout: float, tls: tuple[str, str] | None = None
) -> uvicorn.Config:
    """uvicorn's configuration; ``tls`` (certificate file, key file) serves HTTPS."""

    class Protocol(_Protocol):
        head_timeout = request_timeout

    certificate, key = tls or (None, None)
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
        ssl_certfile=certificate,
        ssl_keyfile=key,
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


def url_of(sock: socket.socket, scheme: str = "http") -> str:
    host, port = sock.getsockname()[:2]
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


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

    # What a subclass may change: whether the URIs name this server (the sandbox's do
    # not: there the mock answers for AWS's own hosts), and HTTPS (certificate, key).
    advertise = True
    tls: tuple[str, str] | None = None

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
        sock = self._listen()
        self._socket, self.url = sock, url_of(sock, "https" if self.tls else "http")
        if self.advertise:
            self.state.serve_at(self.url.removeprefix("http://"))
        _STARTED.append(self)
        server = self._server = _Server(_config(self.state, self._request_timeout, self.tls))
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

    def _listen(self) -> socket.socket:
        """The listening socket to serve."""
        return bind(*self._address)

    @property
    def port(self) -> int:
        assert self.url, "not started"
        return int(self.url.rsplit(":", 1)[1])

    def _ask_to_stop(self) -> None:
        """Have the server begin stopping, without waiting: several then stop together
        (uvicorn looks every 0.1 s, and each takes two looks). A started server's."""
        assert self._server is not None, "not started"
        self._server.should_exit = True

    def stop(self) -> None:
        """Stop serving, wait for the thread, free the port (idempotent)."""
        if self._socket is not None:
            if self.advertise:
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
