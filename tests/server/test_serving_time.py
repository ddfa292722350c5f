"""A served mock under ``freezegun.freeze_time``: the server keeps real time, the mock's
clock follows the freeze.

The rules (``ecrpublic_mock._server.runner``, its module docstring and ``_RealTimeLoop``):

* ``EcrPublicMock.serve()``, ``BackgroundServer.stop()`` and the ``ecr_public_server``
  fixture return under a freeze, frozen or ticking, after ``move_to`` (forwards or back)
  and ``tick``, whenever the freeze started: the server's event loop reads
  ``CLOCK_MONOTONIC`` through ``time.clock_gettime``, which freezegun does not replace
  (it replaces ``time.monotonic``, which asyncio's loop reads, so that every timer of the
  server would stand still, or fire at once).
* Every timer of the server runs in real seconds under a freeze: the request head's
  deadline and the body's (408), uvicorn's keep-alive (an idle connection is closed) and
  its graceful shutdown (a request still in flight is cancelled, and ``stop()`` returns).
* The mock's clock follows the freeze over HTTP as in-process (tests/api/test_freezegun.py;
  docs/aws-behaviour.md, section "Renderings"): a repository's ``createdAt`` is the frozen
  instant to the millisecond, GetAuthorizationToken's ``expiresAt`` is it + 12 hours, and
  the registry password it hands out is refused once the frozen clock is past that.

An in-process boto3 client is answered by the active mock itself, ``endpoint_url`` or not
(docs/server-mode.md), so boto3 reaches the server from a client process of its own
(``remote``); raw HTTP checks the rest. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._server import runner

pytest_plugins = ["pytester"]
# Slow: boto3 in a client process of its own, servers started and stopped, pytester runs.
pytestmark = pytest.mark.slow

UTC = dt.timezone.utc
TWELVE_HOURS = dt.timedelta(hours=12)
T0 = dt.datetime(2021, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
T1 = dt.datetime(2022, 8, 9, 10, 11, 12, 654321, tzinfo=UTC)
# Before the machine's real monotonic clock began: a frozen loop clock would stand below
# every timer the loop set before the freeze.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
TARGET = "SpencerFrontendService."
TOKEN_EXPIRED = "Your authorization token has expired. Reauthenticate and try again."

# A boto3 client process: one JSON line in (endpoint, method, parameters), one out (the
# answer without its metadata, datetimes in ISO form; or the error and the retries made).
CLIENT = r"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

clients = {}
for line in sys.stdin:
    url, method, params, retries = json.loads(line)
    key = (url, json.dumps(retries, sort_keys=True))
    if key not in clients:
        config = Config(retries=retries) if retries else None
        clients[key] = boto3.client(
            "ecr-public", region_name="us-east-1", endpoint_url=url, config=config
        )
    try:
        answer = getattr(clients[key], method)(**params)
        answer.pop("ResponseMetadata")
    except ClientError as error:
        answer = {
            "Error": error.response["Error"],
            "HTTPStatusCode": error.response["ResponseMetadata"]["HTTPStatusCode"],
            "RetryAttempts": error.response["ResponseMetadata"]["RetryAttempts"],
        }
    print(json.dumps(answer, default=lambda value: value.isoformat()), flush=True)
"""


class Remote:
    """boto3 in a client process of its own, pointed at a server's URL."""

    def __init__(self) -> None:
        env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
        env.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", CLIENT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def __call__(self, url: str, method: str, retries: dict | None = None, **params):
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps([url, method, params, retries]) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the client process ended"
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.stdout.close()
        assert self.process.wait() == 0


@pytest.fixture
def remote():
    client = Remote()
    yield client
    client.close()


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def ms(moment: dt.datetime) -> dt.datetime:
    """A repository's ``createdAt`` and a token's ``expiresAt``: to the millisecond."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def host_port(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def http_request(url, method, path, body=None, headers=None):
    """One request on a connection of its own: (status, headers, body)."""
    connection = http.client.HTTPConnection(*host_port(url), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def api(url, operation, payload=None):
    """An API call over raw HTTP: (status, the JSON answer)."""
    headers = {
        "X-Amz-Target": TARGET + operation,
        "Content-Type": "application/x-amz-json-1.1",
    }
    status, _, body = http_request(url, "POST", "/", json.dumps(payload or {}), headers)
    return status, json.loads(body)


def created_over_http(url, name):
    """CreateRepository over raw HTTP: its ``createdAt`` (epoch seconds, a float)."""
    status, answer = api(url, "CreateRepository", {"repositoryName": name})
    assert status == 200, answer
    return answer["repository"]["createdAt"]


def assert_created_now(url, name):
    """A repository created over HTTP now has the (frozen or ticking) clock's time."""
    before = dt.datetime.now(UTC)
    created = created_over_http(url, name)
    assert ms(before).timestamp() <= created <= dt.datetime.now(UTC).timestamp()


def assert_stopped(server, port):
    """The thread has ended and the port is free again."""
    assert repr(server) == f"<BackgroundServer http://127.0.0.1:{port} stopped>"
    assert not [t for t in threading.enumerate() if t.name == f"ecrpublic_mock {server.url}"]
    socket.create_server(("127.0.0.1", port)).close()


# -- the loop's clock ----------------------------------------------------------------------


@pytest.mark.parametrize("moment", [T0, EPOCH], ids=["2021", "1970"])
def test_the_servers_loop_reads_the_real_monotonic_clock_under_a_freeze(moment):
    """``_RealTimeLoop.time()`` is CLOCK_MONOTONIC, not freezegun's ``time.monotonic``."""
    loop = runner._RealTimeLoop()
    try:
        with freeze_time(moment):
            frozen = time.monotonic()
            before = time.clock_gettime(time.CLOCK_MONOTONIC)
            now = loop.time()
            after = time.clock_gettime(time.CLOCK_MONOTONIC)
            assert time.monotonic() == frozen  # freezegun's clock stands still
        assert before <= now <= after
        assert not before <= frozen <= after
    finally:
        loop.close()


# -- serve() and stop() under a freeze -----------------------------------------------------

FREEZES = [
    pytest.param({"time_to_freeze": T0}, id="frozen"),
    pytest.param({"time_to_freeze": EPOCH}, id="frozen-before-the-real-monotonic-clock"),
    pytest.param({"time_to_freeze": T0, "tick": True}, id="ticking"),
    pytest.param({"time_to_freeze": T0, "auto_tick_seconds": 7}, id="auto-tick"),
    pytest.param({"time_to_freeze": T0, "real_asyncio": True}, id="real-asyncio"),
]


@pytest.mark.parametrize("freeze", FREEZES)
def test_serve_and_stop_return_under_a_freeze(freeze):
    """serve() returns once the port accepts connections, stop() once the thread has ended
    and the port is free, whatever the freeze; in between the server answers."""
    with freeze_time(**freeze), mock_ecr_public() as ecr:
        server = ecr.serve()
        port = server.port
        assert_created_now(server.url, "app")
        assert list(ecr.repositories) == ["app"]
        server.stop()
        assert_stopped(server, port)


@pytest.mark.parametrize("freeze", FREEZES)
def test_a_freeze_started_while_serving_and_stopped_after(freeze):
    """A freeze that starts after the server (its timers set on the real clock) and ends
    after it stops."""
    with mock_ecr_public() as ecr:
        server = ecr.serve()
        port = server.port
        with freeze_time(**freeze) as frozen:
            assert_created_now(server.url, "app")
            frozen.move_to(EPOCH)
            assert_created_now(server.url, "old")
            frozen.tick(dt.timedelta(hours=1))
            assert_created_now(server.url, "later")
            server.stop()
        assert_stopped(server, port)


FROZEN_BEFORE_IMPORT = """
import datetime as dt
import json
import urllib.request

from freezegun import freeze_time

freezer = freeze_time("2021-03-04 05:06:07.123")
freezer.start()
from ecrpublic_mock import mock_ecr_public  # imported under the freeze, the server too

with mock_ecr_public() as ecr, ecr.serve() as server:
    request = urllib.request.Request(
        server.url,
        data=b'{"repositoryName": "app"}',
        headers={"X-Amz-Target": "SpencerFrontendService.CreateRepository"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        print(json.loads(response.read())["repository"]["createdAt"])
freezer.stop()
print("stopped")
"""


def test_a_freeze_started_before_the_package_is_imported():
    """The server's clock is no binding made at import: a freeze that began before the
    package (and its server module) was imported changes nothing."""
    done = subprocess.run(
        [sys.executable, "-c", FROZEN_BEFORE_IMPORT],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    assert done.stdout.split() == [str(T0.replace(microsecond=123000).timestamp()), "stopped"]


def test_served_timestamps_follow_the_freeze_move_to_and_tick(remote):
    """Through boto3 at the server's URL: ``createdAt`` is the frozen instant to the
    millisecond, ``expiresAt`` that + 12 hours, after ``move_to`` (back in time too) and
    ``tick`` as before them; the server stops after them."""
    with freeze_time(T0) as frozen, mock_ecr_public() as ecr:
        server = ecr.serve()
        port = server.port
        url = server.url
        created = remote(url, "create_repository", repositoryName="first")["repository"]
        assert utc(created["createdAt"]) == ms(T0)
        token = remote(url, "get_authorization_token")["authorizationData"]
        assert utc(token["expiresAt"]) == ms(T0) + TWELVE_HOURS

        frozen.move_to(T1)
        created = remote(url, "create_repository", repositoryName="second")["repository"]
        assert utc(created["createdAt"]) == ms(T1)

        frozen.move_to(EPOCH)  # back in time, before the real monotonic clock
        frozen.tick(dt.timedelta(minutes=5, microseconds=7000))
        later = EPOCH + dt.timedelta(minutes=5, microseconds=7000)
        created = remote(url, "create_repository", repositoryName="third")["repository"]
        assert utc(created["createdAt"]) == ms(later)
        token = remote(url, "get_authorization_token")["authorizationData"]
        assert utc(token["expiresAt"]) == ms(later) + TWELVE_HOURS

        described = remote(url, "describe_repositories")["repositories"]
        assert {r["repositoryName"]: utc(r["createdAt"]) for r in described} == {
            "first": ms(T0),
            "second": ms(T1),
            "third": ms(later),
        }
        server.stop()
        assert_stopped(server, port)


def test_a_password_got_under_a_freeze_is_refused_after_the_frozen_clock_passes_12_hours(
    remote,
):
    """GetAuthorizationToken's password, got through boto3 at the server's URL, buys a
    registry token at ``/token/`` while the frozen clock is before its expiry (12 hours);
    13 hours later it is refused 403 DENIED "Your authorization token has expired..."
    (the real text: aws/aws-cli#6580), and a registry token it bought (1 hour) 400 "Your
    Authorization Token is invalid." (oras-project/oras-go#1227)."""
    with freeze_time(T0) as frozen, mock_ecr_public() as ecr, ecr.serve() as server:
        data = remote(server.url, "get_authorization_token")["authorizationData"]
        assert utc(data["expiresAt"]) == ms(T0) + TWELVE_HOURS
        basic = {"Authorization": "Basic " + data["authorizationToken"]}
        assert base64.b64decode(data["authorizationToken"]).startswith(b"AWS:")

        status, _, body = http_request(server.url, "GET", "/token/", headers=basic)
        assert status == 200
        bearer = {"Authorization": "Bearer " + json.loads(body)["token"]}
        assert http_request(server.url, "GET", "/v2/", headers=bearer)[0] == 200

        frozen.tick(dt.timedelta(hours=11))
        assert http_request(server.url, "GET", "/token/", headers=basic)[0] == 200
        frozen.tick(dt.timedelta(hours=2))
        status, _, body = http_request(server.url, "GET", "/token/", headers=basic)
        assert (status, json.loads(body)) == (
            403,
            {"errors": [{"code": "DENIED", "message": TOKEN_EXPIRED}]},
        )
        status, _, body = http_request(server.url, "GET", "/v2/", headers=bearer)
        assert (status, json.loads(body)) == (
            400,
            {"errors": [{"code": "DENIED", "message": "Your Authorization Token is invalid."}]},
        )


# -- the server's timers under a freeze -----------------------------------------------------


@pytest.fixture(params=[T0, EPOCH], ids=["2021", "1970"])
def frozen(request):
    with freeze_time(request.param) as factory:
        yield factory


def raw(server):
    sock = socket.create_connection(host_port(server.url), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_answer(sock):
    """One HTTP/1.1 answer: (status, headers, body), the body read per Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {n.lower(): v.strip() for n, _, v in (line.partition(":") for line in lines)}
    while len(body) < int(headers["content-length"]):
        body += sock.recv(65536)
    return int(status_line.split()[1]), headers, body


def closed(sock):
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def until_closed(sock):
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def api_request(body=b"{}", length=None):
    length = len(body) if length is None else length
    return (
        f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {TARGET}DescribeRegistries\r\n"
        f"Content-Type: application/x-amz-json-1.1\r\nContent-Length: {length}\r\n\r\n"
    ).encode() + body


def assert_408(sock):
    """A 408 RequestTimeout, and the connection closed: (its message)."""
    status, headers, body = read_answer(sock)
    answer = json.loads(body)
    assert (status, answer["__type"], headers["connection"]) == (408, "RequestTimeout", "close")
    assert closed(sock)
    return answer["message"]


def quick(ecr):
    """A server of ``ecr`` whose request deadlines are 0.2 s."""
    return runner.BackgroundServer(ecr._state, request_timeout=0.2)


def test_the_head_deadline_runs_in_real_time_under_a_freeze(frozen):
    """A half-sent head is answered 408 after ``request_timeout`` real seconds."""
    with mock_ecr_public() as ecr, quick(ecr) as srv, raw(srv) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar")
        assert assert_408(sock) == "The request head did not arrive whole within 0.2 s"


def test_the_body_deadline_runs_in_real_time_under_a_freeze(frozen):
    """A body that stops coming is answered 408 after ``request_timeout`` real seconds
    (the app's body deadline, on the server loop's clock)."""
    with mock_ecr_public() as ecr, quick(ecr) as srv, raw(srv) as sock:
        sock.sendall(api_request(b"{}", length=5000))
        assert "0.2 s" in assert_408(sock)


def test_keep_alive_runs_in_real_time_under_a_freeze(frozen, monkeypatch):
    """An idle kept-alive connection is closed after the keep-alive timeout (uvicorn's
    timer), in real seconds."""
    monkeypatch.setattr(runner, "KEEP_ALIVE_TIMEOUT", 0.2)
    with mock_ecr_public() as ecr, ecr.serve() as srv, raw(srv) as sock:
        sock.sendall(api_request())
        assert read_answer(sock)[0] == 200
        assert closed(sock)


def test_graceful_shutdown_runs_in_real_time_under_a_freeze(frozen, monkeypatch):
    """stop() with a request still in flight (its body stalled) waits the graceful
    shutdown's timeout in real seconds, cancels the request (uvicorn answers it 500) and
    returns; the connection is closed."""
    monkeypatch.setattr(runner, "SHUTDOWN_TIMEOUT", 0.2)
    with mock_ecr_public() as ecr:
        srv = runner.BackgroundServer(ecr._state, request_timeout=3600).start()
        port = srv.port
        with raw(srv) as sock:
            sock.sendall(api_request(b"{}", length=5000))
            while not srv._server.server_state.tasks:  # until uvicorn runs the request
                threading.Event().wait(0.01)
            srv.stop()
            assert until_closed(sock).startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
        assert_stopped(srv, port)


# -- the ecr_public_server fixture under a freeze -------------------------------------------


@pytest.fixture
def _not_an_xdist_worker(monkeypatch):
    """Under ``pytest -n``, hide the worker's variables: inner sessions are not workers."""
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)


INNER = """
import datetime as dt
import json
import urllib.request

import pytest
from freezegun import freeze_time

UTC = dt.timezone.utc
T0 = dt.datetime(2021, 3, 4, 5, 6, 7, 123000, tzinfo=UTC)
T1 = dt.datetime(2022, 8, 9, 10, 11, 12, 654000, tzinfo=UTC)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def created(url, name):
    request = urllib.request.Request(
        url,
        data=json.dumps({"repositoryName": name}).encode(),
        headers={"X-Amz-Target": "SpencerFrontendService.CreateRepository"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["repository"]["createdAt"]


@pytest.fixture
def frozen():
    with freeze_time(T0) as factory:
        yield factory


@pytest.fixture
def ticking():
    with freeze_time(T0, tick=True) as factory:
        yield factory


def test_frozen_before_the_server_and_after_it(frozen, ecr_public_server, ecr_public):
    assert created(ecr_public_server.url, "first") == T0.timestamp()
    frozen.move_to(T1)
    assert created(ecr_public_server.url, "second") == T1.timestamp()
    frozen.move_to(EPOCH)
    frozen.tick(dt.timedelta(seconds=3))
    assert created(ecr_public_server.url, "third") == 3.0
    assert list(ecr_public.repositories) == ["first", "second", "third"]


def test_ticking_before_the_server_and_after_it(ticking, ecr_public_server):
    before = dt.datetime.now(UTC).timestamp()
    assert before <= created(ecr_public_server.url, "app") <= dt.datetime.now(UTC).timestamp()
    ticking.move_to(EPOCH)
    assert 0 <= created(ecr_public_server.url, "old") <= dt.datetime.now(UTC).timestamp()


def test_frozen_after_the_server_and_thawed_before_it_stops(ecr_public_server, frozen):
    assert created(ecr_public_server.url, "app") == T0.timestamp()


def test_frozen_in_the_test(ecr_public_server):
    with freeze_time(EPOCH):
        assert created(ecr_public_server.url, "app") == 0.0
"""


@pytest.mark.usefixtures("_not_an_xdist_worker")
def test_the_server_fixture_under_a_freeze(pytester):
    """``ecr_public_server`` starts and stops inside a freeze (a fixture set up before it
    and torn down after), frozen or ticking, after ``move_to`` and ``tick``; with the
    freeze set up after it, or inside the test. The served timestamps are the frozen ones."""
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest("-p", "no:randomly", "-v")
    result.assert_outcomes(passed=4)
