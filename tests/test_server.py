"""Server mode: the mock over HTTP on loopback, for the AWS CLI and other SDKs.

Real boto3 clients reach an in-process server (``make_server`` in a thread) through
``endpoint_url`` and must see what in-process clients see. ``python -m ecrpublic_mock
serve`` is driven as a subprocess, by boto3 and by the ``aws`` executable. Every request
goes to 127.0.0.1.
"""

import hashlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading

import boto3
import pytest
from _manifests import DOCKER_MANIFEST, build_image, put
from botocore.config import Config

from ecrpublic_mock import _server, mock_ecr_public
from ecrpublic_mock.__main__ import main
from ecrpublic_mock._api import operations as _operations
from ecrpublic_mock._core.settings import Settings

# Slow: each in-thread server takes some 0.5 s to shut down, and ``serve`` runs as a
# subprocess.
pytestmark = pytest.mark.slow

CREDENTIALS = {"aws_access_key_id": "x", "aws_secret_access_key": "y"}
TARGET = "SpencerFrontendService."
SIGV4 = "AWS4-HMAC-SHA256"


@pytest.fixture
def server():
    """A server on a free loopback port, serving from a thread for the test's duration."""
    srv = _server.make_server("127.0.0.1", 0, Settings())
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(10)


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


def test_us_west_2_serves_only_the_token(server):
    west = client_of(server.url, "us-west-2")
    with pytest.raises(west.exceptions.UnsupportedCommandException) as excinfo:
        west.describe_repositories()
    assert excinfo.value.response["Error"]["Message"] == (
        "DescribeRepositories command is only supported in us-east-1."
    )
    assert west.get_authorization_token()["authorizationData"]["authorizationToken"]


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
    [None, "", "DescribeRepositories", "Other.DescribeRepositories", TARGET + "Nope", TARGET],
)
def test_unknown_target(server, target):
    status, body = post(server.url, target)
    assert status == 400
    assert body["__type"] == "UnknownOperationException"
    assert body["message"] == f"Unknown operation {target or ''!r}"


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
    connection = http.client.HTTPConnection(*server.server_address, timeout=10)
    try:
        connection.putrequest("POST", "/")
        connection.putheader("X-Amz-Target", TARGET + "DescribeRegistries")
        connection.putheader("Content-Length", length)
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 400
        assert json.loads(response.read())["__type"] == "SerializationException"
        assert response.getheader("Connection") == "close"
    finally:
        connection.close()


def test_get_is_not_found(server):
    connection = http.client.HTTPConnection(*server.server_address, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert (response.status, response.read()) == (404, b"")
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
    monkeypatch.setattr(_server, "serve", lambda *args: seen.append(args) or 0)
    argv = ["serve", "--port", "8123", "--account-id", "111122223333"]
    argv += ["--image-tag-mutability", "IMMUTABLE", "--max-repositories", "5"]
    assert main(argv) == 0
    ((host, port, settings),) = seen
    assert (host, port) == ("127.0.0.1", 8123)
    assert settings == Settings(
        account_id="111122223333", image_tag_mutability="IMMUTABLE", max_repositories=5
    )


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
        if process.poll() is None:
            process.kill()
            process.wait(10)
        process.stdout.close()
        process.stderr.close()


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
    assert repo["repositoryUri"].startswith("public.ecr.aws/")

    code, out, err = aws(url, "describe-repositories")
    assert code == 0, err
    assert [r["repositoryName"] for r in json.loads(out)["repositories"]] == ["app"]

    code, out, err = aws(url, "create-repository", "--repository-name", "app")
    assert code != 0
    assert "(RepositoryAlreadyExistsException)" in err
    stop(process, signal.SIGINT)
