"""Serving a mock safely: which server URIs name, and what a stopped mock's server does.

The rules (``MockState.serve_at``/``stop_serving``, ``EcrPublicMock.stop()``,
``ecrpublic_mock._server.runner._Refusing``; docs/server-mode.md):

* URIs (``repositoryUri``, ``registryUri``) name the newest server still serving the
  mock's state. Stopping a server, in any order, never makes them name its closed port,
  nor AWS's host while another server still serves; once none does they are what they
  were before any served, ``public.ecr.aws/...``. ``reset()`` keeps the host they name.
  With ``public_uris=True`` they are AWS's throughout.
* Stopping a mock stops the servers of its activation before ``stop()`` returns: their
  threads end and their ports close (a connection is refused at once), none of another
  mock's.
* A server never answers from the state of a mock that has stopped: a request that
  reaches one (while the mock stops, or a server started on a stopped mock's state) is
  refused 410 Gone with ``Connection: close``, in its surface's error form:
  ``{"__type": "MockStopped", "message": ...}`` for the API, the control plane and
  report links, ``{"errors": [{"code": "UNAVAILABLE", "message": ...}]}`` for the
  registry. boto3 does not retry it, whatever its retry mode.
"""

from __future__ import annotations

import http.client
import itertools
import json
import socket
import threading

import boto3
import pytest
from test_serving_time import Remote

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._harness.state import MockState
from ecrpublic_mock._server import runner

# Slow: servers started and stopped, boto3 in a client process of its own.
pytestmark = pytest.mark.slow

TARGET = "SpencerFrontendService."
MESSAGE = "The mock this server served has stopped; serve an active mock instead"


def address(server):
    return server.url.removeprefix("http://")


def repository_uri(host, ecr):
    return f"{host}/{ecr.registry_alias}/app"


def uris(client):
    """(repositoryUri of ``app``, registryUri), as in-process clients see them."""
    [repo] = client.describe_repositories(repositoryNames=["app"])["repositories"]
    [registry] = client.describe_registries()["registries"]
    return repo["repositoryUri"], registry["registryUri"]


def expected(host, ecr):
    return repository_uri(host, ecr), f"{host}/{ecr.registry_alias}"


def http_request(url, method, path, body=None, headers=None):
    """One request on a connection of its own: (status, headers, body)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def served_uri(url):
    """The repositoryUri of ``app`` as a server answers it over HTTP."""
    headers = {"X-Amz-Target": TARGET + "DescribeRepositories"}
    status, _, body = http_request(url, "POST", "/", b"{}", headers)
    assert status == 200
    [repo] = json.loads(body)["repositories"]
    return repo["repositoryUri"]


def refused_connection(port):
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=30).close()
    return True


# -- which server URIs name ----------------------------------------------------------------


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=str)
def test_the_state_names_the_newest_server_still_serving(order):
    """``serve_at``/``stop_serving`` on the state alone, three servers stopped in each
    order: the newest still serving is named, AWS's host once none serves; a reset in
    between keeps the host."""
    state = MockState(Settings())
    before = state.registry.host
    assert before == "public.ecr.aws"
    addresses = ["127.0.0.1:1001", "127.0.0.1:1002", "[::1]:1003"]
    for served in addresses:
        state.serve_at(served)
        assert state.registry.host == served
    serving = list(addresses)
    for index in order:
        state.stop_serving(addresses[index])
        serving.remove(addresses[index])
        assert state.registry.host == (serving[-1] if serving else before)
        state.reset()
        assert state.registry.host == (serving[-1] if serving else before)
    assert state.serving == []


def test_public_uris_never_name_a_server():
    state = MockState(Settings(public_uris=True))
    state.serve_at("127.0.0.1:1001")
    state.serve_at("127.0.0.1:1002")
    assert state.registry.host == "public.ecr.aws"
    state.stop_serving("127.0.0.1:1002")
    assert state.registry.host == "public.ecr.aws"
    assert state.serving == ["127.0.0.1:1001"]


@pytest.mark.parametrize("newest_first", [True, False], ids=["newest-first", "oldest-first"])
def test_two_servers_of_one_mock_stopped_in_either_order(newest_first):
    """URIs name the newest server still serving, over HTTP and in-process; never the
    closed port, never AWS's host while one serves; AWS's once none does."""
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        public = uris(client)
        assert public == expected("public.ecr.aws", ecr)

        first = ecr.serve()
        assert uris(client) == expected(address(first), ecr)
        second = ecr.serve()
        assert uris(client) == expected(address(second), ecr)
        assert (
            served_uri(first.url) == served_uri(second.url) == repository_uri(address(second), ecr)
        )

        stopped, kept = (second, first) if newest_first else (first, second)
        closed_port = stopped.port
        stopped.stop()
        assert refused_connection(closed_port)
        assert uris(client) == expected(address(kept), ecr)
        assert served_uri(kept.url) == repository_uri(address(kept), ecr)
        # A reset over the control plane of the server still serving keeps its host.
        assert http_request(kept.url, "POST", "/_ecrpublic_mock/reset")[0] == 200
        client.create_repository(repositoryName="app")
        assert uris(client) == expected(address(kept), ecr)

        kept.stop()
        assert uris(client) == public


def test_a_server_leaves_the_uris_before_its_port_closes(monkeypatch):
    """The state stops naming a server while its port still accepts connections, whether
    the server or its mock stops it: no moment when URIs name a closed port."""
    left = []
    with mock_ecr_public() as ecr:
        stop_serving = ecr._state.stop_serving

        def leaving(served):
            host, port = served.rsplit(":", 1)
            socket.create_connection((host, int(port)), timeout=30).close()  # still listening
            left.append(served)
            stop_serving(served)

        monkeypatch.setattr(ecr._state, "stop_serving", leaving)
        first, second = ecr.serve(), ecr.serve()
        second.stop()
        assert left == [address(second)]
        assert refused_connection(second.port)
        assert ecr._state.registry.host == address(first)
    assert left == [address(second), address(first)]
    assert refused_connection(first.port)
    assert ecr._state.registry.host == "public.ecr.aws"


def test_a_server_started_after_one_stopped_is_named():
    with mock_ecr_public() as ecr, ecr.serve() as first:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        with ecr.serve() as second:
            assert uris(client) == expected(address(second), ecr)
        with ecr.serve() as third:
            assert uris(client) == expected(address(third), ecr)
        assert uris(client) == expected(address(first), ecr)


# -- a mock that stops stops its servers ----------------------------------------------------


def test_stopping_the_mock_stops_a_server_left_running():
    """A server kept beyond the mock's ``with``: its thread has ended and its port is
    closed when the ``with`` ends; stopping it again does nothing."""
    before = set(threading.enumerate())
    with mock_ecr_public() as ecr:
        server = ecr.serve()
        other = ecr.serve()
        port, other_port = server.port, other.port
    assert repr(server) == f"<BackgroundServer http://127.0.0.1:{port} stopped>"
    assert repr(other) == f"<BackgroundServer http://127.0.0.1:{other_port} stopped>"
    assert set(threading.enumerate()) == before
    assert refused_connection(port)
    assert refused_connection(other_port)
    server.stop()
    # The next activation of the same handle has new state, and serves nothing.
    with ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        assert uris(client) == expected("public.ecr.aws", ecr)
    assert refused_connection(port)


def test_stopping_a_mock_leaves_another_mocks_servers_serving():
    with mock_ecr_public() as outer, outer.serve() as outer_server:
        with mock_ecr_public() as inner:
            inner_server = inner.serve()
            inner_port = inner_server.port
        assert refused_connection(inner_port)
        headers = {"X-Amz-Target": TARGET + "DescribeRegistries"}
        assert http_request(outer_server.url, "POST", "/", b"{}", headers)[0] == 200
        assert repr(outer_server).endswith(" serving>")


def test_a_mock_that_served_nothing_stops_no_server():
    """Stopping a mock that served nothing leaves the servers of other mocks alone."""
    with mock_ecr_public() as served, served.serve() as server:
        with mock_ecr_public():
            pass
        assert repr(server).endswith(" serving>")


# -- a stopped mock's state is never served -------------------------------------------------

REFUSALS = [
    pytest.param("POST", "/", "api", id="api"),
    pytest.param("GET", "/_ecrpublic_mock/state", "api", id="control-plane"),
    pytest.param("POST", "/_ecrpublic_mock/reset", "api", id="control-reset"),
    pytest.param("GET", "/_ecrpublic_mock/reports/x", "api", id="report-link"),
    pytest.param("GET", "/nowhere", "api", id="unknown-path"),
    pytest.param("GET", "/v2/", "registry", id="registry-base"),
    pytest.param("GET", "/v2", "registry", id="registry-base-no-slash"),
    pytest.param("GET", "/v2/app/manifests/latest", "registry", id="registry-manifest"),
    pytest.param("GET", "/token/", "registry", id="token"),
    pytest.param("GET", "/token", "registry", id="token-no-slash"),
    pytest.param("GET", "/v2x", "api", id="not-the-registry"),
]


@pytest.fixture
def stopped():
    """(a mock that has stopped, with a repository ``app``; a server started on its state,
    as the registry tests start one: ``BackgroundServer(state)``, serving until the test
    ends)."""
    with mock_ecr_public() as ecr:
        boto3.client("ecr-public", region_name="us-east-1").create_repository(repositoryName="app")
    with runner.BackgroundServer(ecr._state) as server:
        yield ecr, server


@pytest.mark.parametrize(("method", "path", "form"), REFUSALS)
def test_a_server_on_a_stopped_mocks_state_refuses_every_request(stopped, method, path, form):
    """410 with ``Connection: close``, in the form of the path's surface: the API's JSON
    1.1 error (its ``__type`` and ``message``) everywhere but the registry endpoint, whose
    answers are the distribution-spec's ``{"errors": [...]}`` with its version header
    (``_registry.context.error_answer``, as every registry error)."""
    _, server = stopped
    status, headers, body = http_request(server.url, method, path, b'{"repositoryName": "x"}')
    assert status == 410
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    if form == "api":
        assert headers["content-type"] == "application/json"
        assert json.loads(body) == {"__type": "MockStopped", "message": MESSAGE}
    else:
        assert headers["content-type"] == "application/json; charset=utf-8"
        assert body == (
            json.dumps(
                {"errors": [{"code": "UNAVAILABLE", "message": MESSAGE}]}, separators=(",", ":")
            ).encode()
            + b"\n"
        )
        assert headers["docker-distribution-api-version"] == "registry/2.0"


def test_a_head_request_is_refused_without_a_body(stopped):
    """A HEAD answer has no body (RFC 9110, 9.3.2): uvicorn sends the head alone."""
    status, headers, body = http_request(stopped[1].url, "HEAD", "/v2/app/blobs/x")
    assert (status, body) == (410, b"")
    assert headers["connection"] == "close"


def test_nothing_of_the_stopped_state_is_read_or_changed(stopped):
    """Refused before the app: the call log and the repositories stay as the mock left
    them, a reset included."""
    ecr, server = stopped
    calls = ecr.calls
    assert [call.operation for call in calls] == ["CreateRepository"]
    headers = {"X-Amz-Target": TARGET + "CreateRepository"}
    assert http_request(server.url, "POST", "/", b'{"repositoryName": "new"}', headers)[0] == 410
    assert http_request(server.url, "POST", "/_ecrpublic_mock/reset")[0] == 410
    assert ecr.calls == calls
    assert list(ecr.repositories) == ["app"]


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_boto3_fails_at_once_against_a_stopped_mocks_server(stopped, mode):
    """The error code and message reach boto3, and the call is not retried (410 is no
    transient status in any retry mode), so the test fails at its first call."""
    remote = Remote()
    try:
        answer = remote(stopped[1].url, "describe_repositories", retries={"mode": mode})
    finally:
        remote.close()
    assert answer == {
        "Error": {"Code": "MockStopped", "Message": MESSAGE},
        "HTTPStatusCode": 410,
        "RetryAttempts": 0,
    }


def test_a_request_reaching_a_server_while_its_mock_stops_is_refused(monkeypatch):
    """The mock marks its state stopped before it stops its servers: a request that
    arrives in between is refused, not answered from the state."""
    answers = []
    stop_servers = runner.stop_servers

    def stopping(state):
        [server] = [s for s in runner._STARTED if s.state is state]
        answers.append(http_request(server.url, "GET", "/_ecrpublic_mock/state")[:1])
        stop_servers(state)

    monkeypatch.setattr(runner, "stop_servers", stopping)
    with mock_ecr_public() as ecr:
        server = ecr.serve()
        assert http_request(server.url, "GET", "/_ecrpublic_mock/state")[0] == 200
    assert answers == [(410,)]
    assert repr(server).endswith(" stopped>")
