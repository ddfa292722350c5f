"""Server mode: the mock over HTTP on loopback, for the AWS CLI and other SDKs.

Real boto3 clients reach an in-process server (``BackgroundServer``: uvicorn in a thread)
through ``endpoint_url`` and must see what in-process clients see. ``python -m ecrpublic_mock
serve`` is driven as a subprocess, by boto3 and by the ``aws`` executable. Every request
goes to 127.0.0.1.
"""

import asyncio
import base64
import dataclasses
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import warnings

import boto3
import botocore.session
import freezegun
import pytest
from _clients import Docker, dockerd  # noqa: F401 - dockerd: the session's private dockerd
from _manifests import DOCKER_MANIFEST, build_image, put
from _support import needs_premium, open_upload, upload_layer
from botocore.config import Config

from ecrpublic_mock import _server, mock_ecr_public
from ecrpublic_mock.__main__ import main
from ecrpublic_mock._api import operations as _operations
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._harness.calls import Call, CallRing
from ecrpublic_mock._harness.state import MockState
from ecrpublic_mock._server import runner

# Slow: each in-thread server takes some 0.5 s to shut down, and ``serve`` runs as a
# subprocess.
pytestmark = pytest.mark.slow

CREDENTIALS = {"aws_access_key_id": "x", "aws_secret_access_key": "y"}
OPERATIONS = botocore.session.get_session().get_service_model("ecr-public").operation_names
TARGET = "SpencerFrontendService."
SIGV4 = "AWS4-HMAC-SHA256"


@pytest.fixture
def server():
    """A server on a free loopback port, serving from a thread for the test's duration."""
    with runner.BackgroundServer(MockState(Settings(), 1000)) as srv:
        yield srv


def address(srv):
    return srv.url.removeprefix("http://").rsplit(":", 1)[0], srv.port


def client_of(url, region="us-east-1"):
    # One attempt: a retried error would hide which answer came back.
    return boto3.client(
        "ecr-public",
        region_name=region,
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1}),
        **CREDENTIALS,
    )


@pytest.fixture
def remote(server):
    return client_of(server.url)


def push(client, repo, tag):
    """Upload a config and a layer and PutImage them through ``client``: (digest, manifest)."""
    manifest = build_image(client, repo)
    return put(client, repo, manifest, tag), manifest


def post(url, target, body=b"{}", headers=None):
    """A raw POST: (status, parsed JSON body or None)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        sent = {"Content-Type": "application/x-amz-json-1.1", **(headers or {})}
        if target is not None:
            sent["X-Amz-Target"] = target
        connection.request("POST", "/", body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None
    finally:
        connection.close()


# -- boto3 over HTTP ----------------------------------------------------------------------


def test_push_and_describe_over_http(remote):
    repo = remote.create_repository(repositoryName="team/app")["repository"]
    assert repo["repositoryArn"] == "arn:aws:ecr-public::123456789012:repository/team/app"
    digest, manifest = push(remote, "team/app", "v1")
    assert digest == "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()
    (image,) = remote.describe_images(repositoryName="team/app")["imageDetails"]
    assert image["imageDigest"] == digest
    assert image["imageTags"] == ["v1"]
    names = [r["repositoryName"] for r in remote.describe_repositories()["repositories"]]
    assert names == ["team/app"]


def test_state_lives_as_long_as_the_server(server):
    """One registry per server: a second client sees what the first created."""
    client_of(server.url).create_repository(repositoryName="app")
    again = client_of(server.url).describe_repositories(repositoryNames=["app"])
    assert again["repositories"][0]["repositoryName"] == "app"


def error_of(client, script):
    """Run ``script(client)``; the (code, message, status) of the ClientError it ends with."""
    with pytest.raises(client.exceptions.ClientError) as excinfo:
        script(client)
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def create_twice(c):
    c.create_repository(repositoryName="app")
    c.create_repository(repositoryName="app")


MISSING_CONFIG = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": DOCKER_MANIFEST,
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "digest": "sha256:" + "1" * 64,
            "size": 3,
        },
        "layers": [],
    }
)

SCRIPTS = {
    "RepositoryAlreadyExistsException": create_twice,
    "RepositoryNotFoundException": lambda c: c.describe_repositories(repositoryNames=["nope"]),
    "InvalidParameterException": lambda c: c.create_repository(repositoryName="UPPER"),
    "UploadNotFoundException": lambda c: (
        c.create_repository(repositoryName="app"),
        c.complete_layer_upload(
            repositoryName="app",
            uploadId="00000000-0000-0000-0000-000000000000",
            layerDigests=["sha256:" + "0" * 64],
        ),
    ),
    "RepositoryPolicyNotFoundException": lambda c: (
        c.create_repository(repositoryName="app"),
        c.get_repository_policy(repositoryName="app"),
    ),
    "LayersNotFoundException": lambda c: (
        c.create_repository(repositoryName="app"),
        c.put_image(repositoryName="app", imageManifest=MISSING_CONFIG, imageTag="v1"),
    ),
}


@pytest.mark.parametrize(("code", "script"), SCRIPTS.items(), ids=SCRIPTS.keys())
def test_errors_are_the_in_process_ones(server, code, script):
    over_http = error_of(client_of(server.url), script)
    # In-process second: while a mock is active it would answer the server's client too.
    with mock_ecr_public():
        in_process = error_of(boto3.client("ecr-public", region_name="us-east-1"), script)
    assert over_http == in_process
    assert (over_http[0], over_http[2]) == (code, 400)


@pytest.mark.parametrize("method", ["describe_repositories", "get_authorization_token"])
def test_us_west_2_serves_nothing(server, method):
    """docs/aws-behaviour.md, section "Regions" (real text, aws/aws-cdk#24244)."""
    west = client_of(server.url, "us-west-2")
    with pytest.raises(west.exceptions.UnsupportedCommandException) as excinfo:
        getattr(west, method)()
    operation = west.meta.method_to_api_mapping[method]
    assert excinfo.value.response["Error"]["Message"] == (
        f"{operation} command is only supported in us-east-1."
    )


@pytest.mark.parametrize("method", ["describe_repositories", "get_authorization_token"])
def test_another_region_is_unsupported_for_everything(server, method):
    """No endpoint exists there; over HTTP the nearest answer is UnsupportedCommand."""
    eu = client_of(server.url, "eu-west-1")
    with pytest.raises(eu.exceptions.UnsupportedCommandException) as excinfo:
        getattr(eu, method)()
    operation = eu.meta.method_to_api_mapping[method]
    assert excinfo.value.response["Error"]["Message"] == (
        f"{operation} command is only supported in us-east-1."
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# -- the raw wire -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [None, "", "DescribeRepositories", "Other.DescribeRepositories", TARGET],
)
def test_unknown_target(server, target):
    """A target that names no operation of this state."""
    status, body = post(server.url, target)
    assert status == 400
    assert body["__type"] == "UnknownOperationException"
    assert body["message"] == f"Unknown operation {target or ''!r}"


@pytest.mark.parametrize("operation", ["FrobnicateRepository", "Nope", "__class__"])
def test_an_operation_the_mock_does_not_serve(operation):
    """An operation of this service the mock does not serve (one a newer botocore would
    send, FrobnicateRepository) is answered as in-process: 400 JSON
    ``UnknownOperationException`` naming it, logged with that outcome; nothing is served,
    and the mock serves on."""
    with mock_ecr_public() as ecr, ecr.serve() as srv:
        status, body = post(srv.url, TARGET + operation, b'{"repositoryName": "app"}')
        assert (status, body) == (
            400,
            {
                "__type": "UnknownOperationException",
                "message": f"ecrpublic-mock does not serve the operation {operation} yet",
            },
        )
        assert list(ecr.repositories) == []
        assert ecr.calls == (
            Call(operation, {"repositoryName": "app"}, "UnknownOperationException"),
        )
        status, body = post(srv.url, TARGET + "CreateRepository", b'{"repositoryName": "app"}')
        assert (status, body["repository"]["repositoryName"]) == (200, "app")


def test_unsigned_request_is_served_as_us_east_1(server):
    status, body = post(server.url, TARGET + "DescribeRegistries")
    assert status == 200
    assert body["registries"][0]["registryId"] == "123456789012"


def test_signed_scope_names_the_region(server):
    west = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/ecr-public/aws4_request, x=y"
    status, body = post(server.url, TARGET + "DescribeRegistries", headers={"Authorization": west})
    assert (status, body["__type"]) == (400, "UnsupportedCommandException")


def test_body_that_is_not_json(server):
    status, body = post(server.url, TARGET + "DescribeRegistries", body=b"{not json")
    assert (status, body["__type"]) == (400, "SerializationException")


@pytest.mark.parametrize("length", ["many", "-1"])
def test_bad_content_length(server, length):
    connection = http.client.HTTPConnection(*address(server), timeout=10)
    try:
        connection.putrequest("POST", "/")
        connection.putheader("X-Amz-Target", TARGET + "DescribeRegistries")
        connection.putheader("Content-Length", length)
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 400
        assert json.loads(response.read())["__type"] == "BadRequest"
        assert response.getheader("Connection") == "close"
    finally:
        connection.close()


def test_get_of_the_api_is_method_not_allowed(server):
    """The service's API is POST only: another method on it is a 405 naming POST."""
    connection = http.client.HTTPConnection(*address(server), timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert (response.status, response.getheader("Allow")) == (405, "POST")
        assert json.loads(response.read())["__type"] == "MethodNotAllowed"
    finally:
        connection.close()


def test_a_bug_is_a_500_with_its_text_and_a_traceback_on_stderr(server, monkeypatch, capsys):
    def broken(request):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(_operations.HANDLERS, "DescribeRegistries", broken)
    status, body = post(server.url, TARGET + "DescribeRegistries")
    assert status == 500
    assert body == {
        "__type": "InternalFailure",
        "message": "ecrpublic_mock failed while serving DescribeRegistries; "
        "this is a bug in the mock",
    }
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "ZeroDivisionError: boom" in err


# -- the serve subcommand -----------------------------------------------------------------


def test_serve_options_reach_the_settings(monkeypatch):
    seen = []
    monkeypatch.setattr(runner, "serve", lambda *args: seen.append(args) or 0)
    argv = ["serve", "--port", "0", "--account-id", "111122223333"]
    argv += ["--image-tag-mutability", "IMMUTABLE", "--max-repositories", "5"]
    argv += ["--call-log-size", "7", "--request-timeout", "2.5"]
    assert main(argv) == 0
    ((sock, state, timeout),) = seen
    sock.close()
    assert sock.family == socket.AF_INET
    assert timeout == 2.5
    assert state.calls.size == 7
    assert state.registry.settings == Settings(
        account_id="111122223333", image_tag_mutability="IMMUTABLE", max_repositories=5
    )


@pytest.mark.parametrize(
    ("flags", "public"), [([], None), (["--public-uris"], True), (["--no-public-uris"], False)]
)
def test_serve_public_uris_flag(monkeypatch, flags, public):
    """A bool option is a --flag/--no-flag pair; neither keeps the default."""
    seen = []
    monkeypatch.setattr(runner, "serve", lambda *args: seen.append(args) or 0)
    assert main(["serve", "--port", "0", *flags]) == 0
    ((sock, state, _),) = seen
    sock.close()
    expected = Settings() if public is None else Settings(public_uris=public)
    assert state.registry.settings == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--account-id", "123"], "account_id must be 12 digits, got '123'"),
        (["--max-repositories", "0"], "max_repositories must be a positive int, got 0"),
        (["--image-tag-mutability", "SOMETIMES"], "invalid choice: 'SOMETIMES'"),
    ],
)
def test_serve_rejects_bad_options(argv, message, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["serve", *argv])
    assert excinfo.value.code == 2
    assert message in capsys.readouterr().err


def reap(process):
    """End a ``serve`` subprocess (if it still runs) and close its pipes."""
    if process.poll() is None:
        process.kill()
    process.wait(10)
    process.stdout.close()
    process.stderr.close()


@pytest.fixture
def served():
    """``python -m ecrpublic_mock serve --port 0`` as a subprocess: its URL, then it ends."""
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ecrpublic_mock", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = process.stdout.readline()
        prefix = "ecrpublic_mock serving on http://127.0.0.1:"
        assert line.startswith(prefix), (line, process.stderr.read())
        yield process, line.removeprefix("ecrpublic_mock serving on ").strip()
    finally:
        reap(process)


def stop(process, signum):
    process.send_signal(signum)
    assert process.wait(10) == 0
    assert process.stderr.read() == ""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_subcommand(served, signum):
    process, url = served
    client = client_of(url)
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryAlreadyExistsException):
        client.create_repository(repositoryName="app")
    push(client, "app", "v1")
    assert client.describe_images(repositoryName="app")["imageDetails"][0]["imageTags"] == ["v1"]
    stop(process, signum)


def aws(url, *args):
    """Run the ``aws`` executable against ``url``: (exit code, stdout, stderr)."""
    executable = shutil.which("aws")
    if executable is None:
        pytest.skip("the AWS CLI is not installed; run `tox -e cli`")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "y",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "NO_PROXY": "127.0.0.1",
    }
    for name in ("HOME", "PYENV_VERSION", "PYENV_ROOT", "VIRTUAL_ENV"):
        if name in os.environ:
            env[name] = os.environ[name]
    done = subprocess.run(
        [executable, "ecr-public", *args, "--endpoint-url", url, "--region", "us-east-1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_aws_cli_against_the_served_mock(served):
    process, url = served
    code, out, err = aws(url, "create-repository", "--repository-name", "app")
    assert code == 0, err
    repo = json.loads(out)["repository"]
    assert repo["repositoryName"] == "app"
    assert repo["repositoryArn"] == "arn:aws:ecr-public::123456789012:repository/app"
    # While served, the URI names the server, so that a push to it lands in the mock.
    assert repo["repositoryUri"] == f"{url.removeprefix('http://')}/j4s2x6f8/app"

    code, out, err = aws(url, "describe-repositories")
    assert code == 0, err
    assert [r["repositoryName"] for r in json.loads(out)["repositories"]] == ["app"]

    code, out, err = aws(url, "create-repository", "--repository-name", "app")
    assert code != 0
    assert "(RepositoryAlreadyExistsException)" in err
    stop(process, signal.SIGINT)


# -- the wire, against everything a client can get wrong ---------------------------------


@pytest.fixture
def quick():
    """A server whose clients may stall only half a second before they are answered."""
    with runner.BackgroundServer(MockState(Settings(), 1000), request_timeout=0.5) as srv:
        yield srv


def test_docker_login_with_the_cli_s_login_password(served, dockerd, tmp_path):  # noqa: F811
    """docker logs in to the served mock with the AWS CLI's password, as a shell runs it:
    ``docker login -u AWS -p "$(aws ecr-public get-login-password ...)" HOST``."""
    _, url = served
    aws(url, "describe-registries")  # skips where the AWS CLI is not installed
    docker = Docker(tmp_path, dockerd)
    env = {
        **docker.env,
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "y",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    login = (
        f'docker -H {dockerd.host} login -u AWS -p "$(aws ecr-public get-login-password '
        f'--region us-east-1 --endpoint-url {url})" {url.removeprefix("http://")}'
    )
    done = subprocess.run(
        ["sh", "-c", login], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Login Succeeded" in done.stdout


def raw(srv, timeout=10):
    sock = socket.create_connection(address(srv), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_responses(sock, count):
    """``count`` HTTP/1.1 answers from ``sock``: (status, headers, body, status line) each,
    every body read per its Content-Length."""
    data, answers = b"", []
    while len(answers) < count:
        if b"\r\n\r\n" in data:
            head, _, rest = data.partition(b"\r\n\r\n")
            status_line, *lines = head.decode("latin-1").split("\r\n")
            headers = {n.lower(): v.strip() for n, _, v in (h.partition(":") for h in lines)}
            length = int(headers["content-length"])
            if len(rest) >= length:
                answers.append((int(status_line.split()[1]), headers, rest[:length], status_line))
                data = rest[length:]
                continue
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a whole answer: {data!r}"
        data += chunk
    assert data == b"", data
    return answers


def read_response(sock):
    return read_responses(sock, 1)[0]


def closed(sock):
    """The server closed ``sock`` (EOF, or a reset) without sending anything more."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def request(target="DescribeRegistries", body=b"{}", extra=""):
    return (
        f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {TARGET}{target}\r\n"
        f"Content-Type: application/x-amz-json-1.1\r\n{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def still_serves(srv):
    status, body = post(srv.url, TARGET + "DescribeRegistries")
    assert status == 200
    assert body["registries"][0]["registryId"] == "123456789012"


def test_keep_alive_answers_every_request_on_one_connection_with_nodelay(server):
    """Answers go out at once (TCP_NODELAY on the server's side: no Nagle stall), and one
    connection carries request after request."""
    with raw(server) as sock:
        for _ in range(5):
            sock.sendall(request())
            status, _, body, _ = read_response(sock)
            assert status == 200
            assert json.loads(body)["registries"]
        (connection,) = server._server.server_state.connections
        accepted = connection.transport.get_extra_info("socket")
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_a_kept_alive_boto3_client_reuses_its_connection(server):
    remote = client_of(server.url)
    for n in range(20):
        remote.create_repository(repositoryName=f"r{n}")
    assert len(remote.describe_repositories()["repositories"]) == 20
    # Every call went over the one pooled connection: the server has seen only it.
    assert len(server._server.server_state.connections) == 1


def test_two_requests_pipelined_are_both_answered(server):
    with raw(server) as sock:
        sock.sendall(request() + request("DescribeRepositories"))
        first, second = read_responses(sock, 2)
        assert json.loads(first[2])["registries"]
        assert json.loads(second[2]) == {"repositories": []}


def test_a_chunked_body_is_read(server):
    body = b'{"repositoryName": "chunked"}'
    head = request("CreateRepository").split(b"Content-Length")[0]
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:7], body[7:]))
    with raw(server) as sock:
        sock.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")
        status, _, answer_body, _ = read_response(sock)
    assert status == 200, answer_body
    assert json.loads(answer_body)["repository"]["repositoryName"] == "chunked"


def test_a_body_over_the_limit_is_413_before_it_is_read(server):
    with raw(server) as sock:
        huge = b"Content-Length: %d" % 10**12
        sock.sendall(request(body=b"").replace(b"Content-Length: 0", huge))
        status, headers, body, _ = read_response(sock)
        assert (status, json.loads(body)["__type"]) == (413, "PayloadTooLarge")
        assert headers["connection"] == "close"
        assert closed(sock)
    still_serves(server)


def test_a_chunked_body_over_the_limit_is_413(server):
    limit = _server.bodies.max_body_size()
    head = request("UploadLayerPart").split(b"Content-Length")[0]
    part = b"x" * (1024 * 1024)
    with raw(server, timeout=30) as sock:
        sock.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
        sent = 0
        while sent <= limit:
            sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
            sent += len(part)
        status, _, body, _ = read_response(sock)
    assert (status, json.loads(body)["__type"]) == (413, "PayloadTooLarge")
    still_serves(server)


def test_the_limit_is_the_models_largest_request():
    """UploadLayerPart's blob, at the model's maximum, in base64, fits; its envelope too."""
    from ecrpublic_mock._model import operation_model

    blob = operation_model("UploadLayerPart").input_shape.members["layerPartBlob"]
    largest = len(base64.b64encode(b"\0" * blob.metadata["max"]))
    assert largest < _server.bodies.max_body_size() <= largest + 64 * 1024


def test_a_body_at_the_limit_is_read_and_answered(server):
    """Not refused for its size: the service answers it (it is no JSON)."""
    body = b"x" * _server.bodies.max_body_size()
    assert post(server.url, TARGET + "UploadLayerPart", body=body)[1]["__type"] == (
        "SerializationException"
    )


def test_two_different_content_lengths_are_400(server):
    with raw(server) as sock:
        sock.sendall(request(body=b"{}", extra="Content-Length: 3\r\n"))
        status, headers, body, _ = read_response(sock)
        assert status == 400
        assert json.loads(body)["__type"] == "BadRequest"
        assert headers["connection"] == "close"
        assert closed(sock)
    still_serves(server)


def test_bad_chunking_is_400(server):
    head = request().split(b"Content-Length")[0]
    with raw(server) as sock:
        sock.sendall(head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        status, headers, _, _ = read_response(sock)
        assert (status, headers["connection"]) == (400, "close")
        assert closed(sock)
    still_serves(server)


def client_hello():
    """The first flight of a real TLS client: its ClientHello record."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read(), tls, incoming


def test_a_tls_client_hello_gets_a_plain_http_400(server):
    """A Go client falls back to plain HTTP only when its hello is answered this way."""
    hello, tls, incoming = client_hello()
    assert hello[0] == 0x16  # a TLS handshake record
    with raw(server) as sock:
        sock.sendall(hello)
        _, _, body, status_line = read_response(sock)
        assert status_line == "HTTP/1.1 400 Bad Request"
        assert json.loads(body)["__type"] == "BadRequest"
        assert closed(sock)
    # What the TLS client makes of it: a record that is no TLS (Go: "server gave HTTP
    # response to HTTPS client", then its fallback to HTTP).
    incoming.write(status_line.encode() + b"\r\n")
    with pytest.raises(ssl.SSLError):
        tls.do_handshake()
    still_serves(server)


def test_a_tls_probe_leaves_the_serve_console_quiet(served):
    """Registry clients probe for https on every command; the 400 they get is by design,
    so ``serve`` prints nothing about it (uvicorn would warn each time)."""
    process, url = served
    host, port = url.removeprefix("http://").rsplit(":", 1)
    hello, _, _ = client_hello()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(hello)
        assert sock.recv(64).startswith(b"HTTP/1.1 400 Bad Request")
    stop(process, signal.SIGTERM)  # and its stderr is empty


def test_other_uvicorn_warnings_still_reach_the_serve_console(served):
    """Only the expected refusal is silenced: uvicorn's other warnings are still shown."""
    process, url = served
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 401 ")
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
    assert "Unsupported upgrade request." in process.stderr.read()


def assert_timed_out(sock):
    """A stalled request is answered 408 RequestTimeout, and the connection closed."""
    status, headers, body, _ = read_response(sock)
    assert (status, json.loads(body)["__type"]) == (408, "RequestTimeout")
    assert headers["connection"] == "close"
    assert closed(sock)


def test_a_half_sent_head_is_answered_408_in_bounded_time(quick):
    with raw(quick) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar")
        assert_timed_out(sock)
    still_serves(quick)


def test_a_half_sent_head_after_a_kept_alive_request_is_408(quick):
    with raw(quick) as sock:
        sock.sendall(request())
        assert read_response(sock)[0] == 200
        sock.sendall(b"POST / HTTP/1.1\r\n")
        assert read_response(sock)[0] == 408
        assert closed(sock)


def test_a_connection_that_sends_nothing_is_closed(quick):
    with raw(quick) as sock:
        assert closed(sock)
    still_serves(quick)


def test_a_short_body_under_a_large_content_length_is_408(quick):
    with raw(quick) as sock:
        sock.sendall(request(body=b"{}").replace(b"Content-Length: 2", b"Content-Length: 5000"))
        assert_timed_out(sock)
    still_serves(quick)


def test_a_client_gone_mid_body_leaves_the_server_serving(quick):
    with raw(quick) as sock:
        sock.sendall(request(body=b"{}").replace(b"Content-Length: 2", b"Content-Length: 5000"))
    still_serves(quick)


def test_unknown_paths_are_404_json(server):
    connection = http.client.HTTPConnection(*address(server), timeout=10)
    try:
        connection.request("POST", "/v1/", body=b"{}")
        response = connection.getresponse()
        assert response.status == 404
        assert json.loads(response.read())["__type"] == "NotFound"
    finally:
        connection.close()


def test_two_hundred_clients_at_once(served):
    """200 clients, each 50 requests over one kept-alive connection: every one answered."""
    process, url = served
    host, port = url.removeprefix("http://").rsplit(":", 1)
    clients, requests = 200, 50

    async def one_client():
        reader, writer = await asyncio.open_connection(host, int(port))
        answered = 0
        try:
            for _ in range(requests):
                writer.write(request())
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                body = await reader.readexactly(length)
                if head.startswith(b"HTTP/1.1 200 ") and b"registries" in body:
                    answered += 1
        finally:
            writer.close()
        return answered

    async def everyone():
        return await asyncio.wait_for(
            asyncio.gather(*(one_client() for _ in range(clients)), return_exceptions=True), 240
        )

    results = asyncio.run(everyone())
    errors = [result for result in results if isinstance(result, BaseException)]
    assert errors == []
    assert sum(results) == clients * requests
    still_serves_url(url)
    stop(process, signal.SIGTERM)


def still_serves_url(url):
    assert post(url, TARGET + "DescribeRegistries")[0] == 200


# -- the control plane --------------------------------------------------------------------


def control(srv, method, name, payload=None):
    connection = http.client.HTTPConnection(*address(srv), timeout=10)
    try:
        body = json.dumps(payload).encode() if payload is not None else None
        connection.request(method, "/_ecrpublic_mock/" + name, body=body)
        response = connection.getresponse()
        return response.status, json.loads(response.read()), response.getheader("Allow")
    finally:
        connection.close()


def test_control_reset_gives_fresh_state(server):
    remote = client_of(server.url)
    remote.create_repository(repositoryName="app")
    control(server, "POST", "faults", {"code": "ServerException"})
    assert control(server, "POST", "reset")[:2] == (200, {"reset": True})
    assert remote.describe_repositories()["repositories"] == []
    assert control(server, "GET", "faults")[1] == {"faults": []}
    calls = control(server, "GET", "calls")[1]["calls"]
    assert [call["operation"] for call in calls] == ["DescribeRepositories"]
    # The bound survives the reset.
    assert server.state.calls.size == 1000


def test_control_calls_is_the_call_log(server):
    remote = client_of(server.url)
    remote.create_repository(repositoryName="app")
    with pytest.raises(remote.exceptions.RepositoryNotFoundException):
        remote.describe_repositories(repositoryNames=["nope"])
    status, body, _ = control(server, "GET", "calls")
    assert status == 200
    assert body == {
        "calls": [
            {
                "operation": "CreateRepository",
                "params": {"repositoryName": "app"},
                "outcome": "success",
            },
            {
                "operation": "DescribeRepositories",
                "params": {"repositoryNames": ["nope"]},
                "outcome": "RepositoryNotFoundException",
            },
        ],
        "size": 1000,
    }


@pytest.mark.parametrize("size", [0, 3])
def test_the_call_log_keeps_the_last_n_calls(size):
    with runner.BackgroundServer(MockState(Settings(), size)) as srv:
        remote = client_of(srv.url)
        for n in range(10):
            remote.create_repository(repositoryName=f"r{n}")
        calls = control(srv, "GET", "calls")[1]["calls"]
        kept = [f"r{n}" for n in range(10 - size, 10)]
        assert [call["params"]["repositoryName"] for call in calls] == kept
        assert len(srv.state.calls) == size


def test_the_call_ring_only_appends():
    ring = CallRing(2)
    calls = [Call("DescribeRegistries", {"n": n}, "success") for n in range(3)]
    ring.extend(calls)
    assert ring == calls[1:]
    with pytest.raises(TypeError, match="append-only"):
        ring.insert(0, calls[0])


def test_control_faults_inject_as_the_handle_does(server):
    status, body, _ = control(
        server, "POST", "faults", {"code": "ServerException", "operation": "describe_repositories"}
    )
    assert (status, body["fault"]["operation"], body["fault"]["status"]) == (
        201,
        "DescribeRepositories",
        500,
    )
    assert control(server, "GET", "faults")[1]["faults"] == [body["fault"]]
    remote = client_of(server.url)
    with pytest.raises(remote.exceptions.ServerException):
        remote.describe_repositories()
    assert remote.describe_repositories()["repositories"] == []
    teapot = {"code": "Teapot", "times": 2, "message": "no", "status": 418}
    control(server, "POST", "faults", teapot)
    for _ in range(2):
        code, message, http_status = error_of(remote, lambda c: c.describe_registries())
        assert (code, message, http_status) == ("Teapot", "no", 418)
    remote.describe_registries()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (None, "the body is not valid JSON"),
        ([], "the body must be a JSON object"),
        ({"code": "X", "when": 1}, "unknown ['when']"),
        ({}, "code must be a str, got None"),
        ({"code": ""}, "code must be a non-empty str, got ''"),
        ({"code": "X", "operation": 3}, "operation must be None or a str, got 3"),
        ({"code": "X", "message": []}, "message must be None or a str, got []"),
        ({"code": "X", "status": 200}, "status must be an HTTP error status (400-599), got 200"),
        ({"code": "X", "status": True}, "status must be None or an int, got True"),
        ({"code": "X", "times": 0}, "times must be a positive int, got 0"),
        ({"code": "X", "operation": "Nope"}, "'Nope' is not an ecr-public operation"),
    ],
)
def test_control_faults_refuse_bad_input(server, payload, message):
    connection = http.client.HTTPConnection(*address(server), timeout=10)
    try:
        body = b"{nope" if payload is None else json.dumps(payload).encode()
        connection.request("POST", "/_ecrpublic_mock/faults", body=body)
        response = connection.getresponse()
        answer = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 400
    assert answer["__type"] == "InvalidRequest"
    assert message in answer["message"]
    assert control(server, "GET", "faults")[1] == {"faults": []}


def test_control_state_is_a_snapshot(server):
    remote = client_of(server.url)
    remote.create_repository(repositoryName="app")
    digest, manifest = push(remote, "app", "v1")
    status, state, _ = control(server, "GET", "state")
    assert status == 200
    assert (state["registryId"], len(state["registryAlias"])) == ("123456789012", 8)
    (repo,) = state["repositories"]
    assert repo["name"] == "app"
    assert repo["tags"] == {"v1": digest}
    assert repo["images"][digest]["manifest"] == manifest
    assert repo["images"][digest]["tags"] == ["v1"]
    assert repo["images"][digest]["pushed_at"].endswith("+00:00")
    assert len(repo["layers"]) == 2
    # the new view fields, and the premium side (none here; no entitlement).
    assert (repo["repository_type"], repo["state"], repo["marketplace_products"]) == (
        "FREE",
        None,
        [],
    )
    assert repo["associated_repository"] is None
    image = repo["images"][digest]
    assert (image["subject"], image["status"], image["scheduled_deletion_at"]) == (None,) * 3
    assert (state["premiumRepositories"], state["entitlements"]) == ([], [])


def test_control_state_shows_open_uploads_and_what_names_each_layer():
    """Each open upload with its bytes so far and when it expires; each layer with how many
    images name it and, for a layer no image names, when it expires (docs/aws-behaviour.md,
    "Layers and uploads that nobody uses")."""
    frozen = freezegun.freeze_time("2026-01-01T00:00:00Z")
    with frozen, mock_ecr_public() as ecr, ecr.serve() as srv:
        remote = client_of(srv.url)
        remote.create_repository(repositoryName="app")
        ecr.push_image("app", layers=[b"named"])
        upload_id = open_upload(remote, "app", b"abc")
        digest = upload_layer(remote, "app", b"unused")
        status, state, _ = control(srv, "GET", "state")
    assert status == 200
    (repo,) = state["repositories"]
    assert repo["uploads"] == {
        upload_id: {
            "upload_id": upload_id,
            "received": 3,
            "expires_at": "2026-01-01T01:00:00+00:00",
        }
    }
    assert repo["layers"][digest] == {
        "digest": digest,
        "size": 6,
        "media_type": "application/vnd.docker.container.image.rootfs.diff+x-gtar",
        "images": 0,
        "expires_at": "2026-01-01T01:00:00+00:00",
    }
    named = "sha256:" + hashlib.sha256(b"named").hexdigest()
    assert (repo["layers"][named]["images"], repo["layers"][named]["expires_at"]) == (1, None)


@needs_premium
def test_control_state_shows_premium_repositories_and_entitlements():
    """GET /_ecrpublic_mock/state: ``premiumRepositories`` are the premium views (as
    ``repositories`` are the free ones) and ``entitlements`` the products the account is
    entitled to, in the order granted; while served, the premium URIs name the server's
    host and port (docs/aws-behaviour.md, "Premium repositories")."""
    options = {"registry_verified": True, "registry_alias": "acme"}
    with mock_ecr_public(**options) as ecr, ecr.serve() as srv:
        remote = client_of(srv.url)
        remote.create_premium_repository(repositoryName="pro", marketplaceProducts=["p1", "p2"])
        digest = ecr.push_image("pro", tag="v1", repository_type="PREMIUM")
        remote.set_repository_state(
            repositoryName="pro", repositoryType="PREMIUM", state="AVAILABLE"
        )
        ecr.entitle("p2")
        ecr.entitle("p9")
        host = srv.url.removeprefix("http://")
        (registry,) = remote.describe_registries()["registries"]
        assert registry["premiumRegistryUri"] == f"{host}/premium/acme"
        status, state, _ = control(srv, "GET", "state")
    assert status == 200
    assert (state["registryAlias"], state["repositories"]) == ("acme", [])
    assert state["entitlements"] == ["p2", "p9"]
    (repo,) = state["premiumRepositories"]
    assert repo["name"] == "pro"
    assert repo["arn"] == "arn:aws:ecr-public::123456789012:premium-repository/pro"
    assert repo["uri"] == f"{host}/premium/acme/pro"
    assert (repo["repository_type"], repo["state"], repo["marketplace_products"]) == (
        "PREMIUM",
        "AVAILABLE",
        ["p1", "p2"],
    )
    assert repo["tags"] == {"v1": digest}
    assert (repo["images"][digest]["status"], repo["images"][digest]["scheduled_deletion_at"]) == (
        "ACTIVE",
        None,
    )


@pytest.mark.parametrize(
    ("method", "name", "status", "allow"),
    [
        ("GET", "reset", 405, "POST"),
        ("DELETE", "faults", 405, "GET, HEAD, POST"),
        ("POST", "state", 405, "GET, HEAD"),
        ("GET", "nope", 404, None),
    ],
)
def test_control_refuses_unknown_paths_and_methods(server, method, name, status, allow):
    answered, body, allowed = control(server, method, name)
    assert (answered, allowed) == (status, allow)
    assert body["__type"] == ("MethodNotAllowed" if status == 405 else "NotFound")


# -- the serve subcommand's flags ---------------------------------------------------------


def run_serve(*argv, timeout=30):
    return subprocess.run(
        [sys.executable, "-m", "ecrpublic_mock", "serve", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "99999"], "argument --port: '99999' is not a port number (0-65535)"),
        (["--port", "x"], "argument --port: 'x' is not an integer"),
        (["--host", "[::1]"], "argument --host: '[::1]' is not an IPv4 or IPv6 address"),
        (["--host", "localhost"], "is not an IPv4 or IPv6 address"),
        (["--call-log-size", "-1"], "argument --call-log-size: '-1' is negative"),
        (["--request-timeout", "0"], "'0' is not a positive number of seconds"),
        (["--request-timeout", "soon"], "'soon' is not a positive number of seconds"),
        (["--max-repositories", "many"], "argument --max-repositories: 'many' is not an integer"),
    ],
)
def test_a_bad_flag_is_one_line_of_usage_error(argv, message):
    done = run_serve(*argv)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("python -m ecrpublic_mock serve: error: ")
    assert message in line


def test_a_port_in_use_is_a_usage_error():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        done = run_serve("--port", str(taken.getsockname()[1]))
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "cannot listen on 127.0.0.1 port" in line
    assert "Address already in use" in line


@pytest.mark.parametrize(
    "field", [f for f in dataclasses.fields(Settings) if f.type == "int"], ids=lambda f: f.name
)
def test_every_int_setting_has_a_flag_with_the_mocks_checks(field, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["serve", "--" + field.name.replace("_", "-"), "-5"])
    assert excinfo.value.code == 2
    assert f"{field.name} must be a positive int, got -5" in capsys.readouterr().err


def serve_process(*argv):
    process = subprocess.Popen(
        [sys.executable, "-m", "ecrpublic_mock", "serve", "--port", "0", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, process.stdout.readline()


def ipv6_loopback():
    try:
        with socket.create_server(("::1", 0), family=socket.AF_INET6):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_serve_on_ipv6_loopback():
    process, line = serve_process("--host", "::1")
    try:
        assert line.startswith("ecrpublic_mock serving on http://[::1]:"), process.stderr.read()
        url = line.removeprefix("ecrpublic_mock serving on ").strip()
        remote = client_of(url)
        remote.create_repository(repositoryName="six")
        assert remote.describe_repositories()["repositories"][0]["repositoryName"] == "six"
        stop(process, signal.SIGINT)
    finally:
        reap(process)


def test_a_host_beyond_loopback_is_warned_about():
    process, line = serve_process("--host", "0.0.0.0")
    try:
        assert line.startswith("ecrpublic_mock serving on http://0.0.0.0:")
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        (warning,) = process.stderr.read().splitlines()
        assert warning.startswith("warning: serving on 0.0.0.0, beyond this machine")
        assert "no authentication" in warning
    finally:
        reap(process)


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1"])
def test_serve_in_process_warns_as_the_command_line_does(host):
    """``EcrPublicMock.serve()`` beyond loopback warns with the command line's text."""
    with mock_ecr_public() as ecr, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ecr.serve(host=host) as served:
            assert served.url.startswith(f"http://{host}:")
    texts = [str(warning.message) for warning in caught if warning.category is UserWarning]
    if host == "127.0.0.1":
        assert texts == []
    else:
        assert texts == [
            "serving on 0.0.0.0, beyond this machine: the server has no authentication, "
            "whoever reaches it can read and change the mock's state"
        ]


def without_uvicorn(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    monkeypatch.delitem(sys.modules, "ecrpublic_mock._server.runner", raising=False)
    monkeypatch.delattr(_server, "runner", raising=False)


def test_serve_without_uvicorn_is_a_usage_error(monkeypatch, capsys):
    without_uvicorn(monkeypatch)
    with pytest.raises(SystemExit) as excinfo:
        main(["serve"])
    assert excinfo.value.code == 2
    assert "pip install 'ecrpublic-mock[server]'" in capsys.readouterr().err


def test_nothing_imports_uvicorn_unless_serving():
    code = (
        "import sys, boto3, ecrpublic_mock, pytest_ecrpublic_mock, ecrpublic_mock.__main__\n"
        "from ecrpublic_mock import mock_ecr_public\n"
        "with mock_ecr_public():\n"
        "    boto3.client('ecr-public', region_name='us-east-1').describe_registries()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('uvicorn', 'h11')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- in-process served mode ---------------------------------------------------------------


def test_served_mode_shares_the_activations_state():
    before = set(threading.enumerate())
    with mock_ecr_public() as ecr, ecr.serve() as srv:
        assert srv.url == f"http://127.0.0.1:{srv.port}"
        assert repr(srv) == f"<BackgroundServer {srv.url} serving>"
        boto3.client("ecr-public", region_name="us-east-1").create_repository(repositoryName="app")
        # Over HTTP, the activation's own repository; and what HTTP creates, the handle sees.
        _, body = post(srv.url, TARGET + "DescribeRepositories")
        assert [r["repositoryName"] for r in body["repositories"]] == ["app"]
        post(srv.url, TARGET + "CreateRepository", body=b'{"repositoryName": "other"}')
        assert list(ecr.repositories) == ["app", "other"]
        # A reset over the control plane resets the activation.
        assert control(srv, "POST", "reset")[0] == 200
        assert list(ecr.repositories) == []
        assert [call.operation for call in ecr.calls] == []
        port = srv.port
    assert repr(srv) == f"<BackgroundServer {srv.url} stopped>"
    assert set(threading.enumerate()) == before
    # The port is free again.
    socket.create_server(("127.0.0.1", port)).close()
    srv.stop()  # idempotent


def test_served_mode_needs_an_active_mock():
    with pytest.raises(RuntimeError, match="needs an active mock"):
        mock_ecr_public().serve()


def test_served_mode_without_uvicorn_says_what_to_install(monkeypatch):
    without_uvicorn(monkeypatch)
    with mock_ecr_public() as ecr, pytest.raises(ImportError, match=r"ecrpublic-mock\[server\]"):
        ecr.serve()


def test_the_app_serves_http_only():
    """uvicorn runs it with lifespan off and no websockets; any other scope is ignored."""
    app = _server.app.MockApp(MockState(Settings(), 0), 1.0)
    assert asyncio.run(app({"type": "lifespan"}, None, None)) is None


def test_stopping_a_server_never_started_does_nothing():
    srv = runner.BackgroundServer(MockState(Settings(), 0))
    srv.stop()
    assert repr(srv).endswith("unbound stopped>")


def test_a_background_server_starts_once():
    with (
        runner.BackgroundServer(MockState(Settings(), 0)) as srv,
        pytest.raises(RuntimeError, match="already started"),
    ):
        srv.start()
    assert repr(runner.BackgroundServer(MockState(Settings(), 0))).endswith("unbound stopped>")


def test_served_mode_for_the_aws_cli(tmp_path):
    with mock_ecr_public() as ecr, ecr.serve() as srv:
        code, _, err = aws(srv.url, "create-repository", "--repository-name", "cli")
        assert code == 0, err
        assert list(ecr.repositories) == ["cli"]
        code, _, err = aws(srv.url, "describe-repositories", "--repository-names", "nope")
        assert code != 0
        assert "(RepositoryNotFoundException)" in err
