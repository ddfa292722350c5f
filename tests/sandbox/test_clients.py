"""Real clients, run unmodified in the sandbox: what they do is what the mock then holds.

Each test runs a command as a project's own scripts would (no ``--endpoint-url``, no
TLS-skipping flag, no endpoint in the SDK's configuration) in ``mock.sandbox()``, where
``public.ecr.aws`` and ``api.ecr-public.<region>.amazonaws.com`` are the mock over HTTPS,
then asserts, with exact values, on the handle (``mock.repositories``, ``mock.calls``):
the AWS CLI, boto3 and the JavaScript SDK v3 against the API; docker, skopeo, podman and
oras-py against the registry, logged in with ``get-login-password``'s password as AWS
documents it (https://docs.aws.amazon.com/AmazonECR/latest/public/public-registry-auth.html,
https://docs.aws.amazon.com/cli/latest/reference/ecr-public/get-login-password.html)
and speaking the OCI distribution protocol
(https://github.com/opencontainers/distribution-spec/blob/main/spec.md). The last tests
show the other side: nothing but the mock is reachable, and no packet can leave. The
end pins down two sandbox failures any client here can meet: the holder's messages in
either order, and a machine that runs containerd.

Where a client is missing its tests skip, unless ``ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1``
(CI) makes that a failure (``_clients.missing``); likewise a machine that cannot make
the sandbox's namespaces (``_sandboxes.sandbox_or_skip``). The AWS CLI is the exception:
it pins botocore, so it is no test extra (``tox -e cli`` installs it) and its tests skip
without it, as tests/server/test_awscli.py does; the docker, skopeo and podman tests
then take the password from boto3 in the sandbox (GetAuthorizationToken, decoded as
get-login-password decodes it), so they do not depend on the AWS CLI.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import functools
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from _clients import (
    DOCKER_CONFIG,
    DOCKER_MANIFEST,
    JS,
    OCI_MANIFEST,
    TIMEOUT,
    Podman,
    Skopeo,
    docker_tarball,
    find,
    image,
    node_with_sdk,
    oras_client_class,
    sha256,
    write_layout,
)
from _sandboxes import sandbox_or_skip

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ecrpublic_mock import EcrPublicMock, Sandbox

REGION = "us-east-1"
REGISTRY = "public.ecr.aws"
API = f"https://api.ecr-public.{REGION}.amazonaws.com"
# AWS documents these two commands, piped, as the way to log docker in to ECR Public.
GET_LOGIN_PASSWORD = f"aws ecr-public get-login-password --region {REGION}"
DOCKER_LOGIN = f"docker login --username AWS --password-stdin {REGISTRY}"
# The AWS CLI and SDKs read no configuration file of the machine's (a profile's output
# format, region or endpoint would change what a command prints or where it goes): the
# sandbox's placeholder credentials and region are all they get.
HERMETIC = {"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
# What the sandbox sets itself and a client's private environment must not override: its
# credential stores (where logins must land) and PATH.
SANDBOX_OWN = frozenset({"PATH", "DOCKER_CONFIG", "REGISTRY_AUTH_FILE", "NO_PROXY", "no_proxy"})
UNREACHABLE = "Could not connect to the endpoint URL: "
S3_ENDPOINT = r'"https://s3(\.us-east-1)?\.amazonaws\.com/"'

# get-login-password through boto3: GetAuthorizationToken's token is base64 of
# ``AWS:<password>``; the AWS CLI prints the password.
PASSWORD_SCRIPT = """\
import base64, boto3
client = boto3.client("ecr-public", region_name="us-east-1")
token = client.get_authorization_token()["authorizationData"]["authorizationToken"]
print(base64.b64decode(token).decode().partition(":")[2])
"""
# A project's own boto3 code: no endpoint_url, AWS's host; uploads, PutImage, DescribeImages.
BOTO3_SCRIPT = """\
import hashlib, json, sys
import boto3

plan = json.load(open(sys.argv[1]))
repository = plan["repository"]
client = boto3.client("ecr-public", region_name="us-east-1")
client.create_repository(repositoryName=repository)
for path in plan["blobs"]:
    data = open(path, "rb").read()
    upload = client.initiate_layer_upload(repositoryName=repository)["uploadId"]
    client.upload_layer_part(
        repositoryName=repository,
        uploadId=upload,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    client.complete_layer_upload(repositoryName=repository, uploadId=upload, layerDigests=[digest])
put = client.put_image(
    repositoryName=repository,
    imageManifest=open(plan["manifest"]).read(),
    imageManifestMediaType=plan["mediaType"],
    imageTag=plan["tag"],
)
described = client.describe_images(repositoryName=repository)["imageDetails"]
print(json.dumps(
    {
        "endpoint": client.meta.endpoint_url,
        "digest": put["image"]["imageId"]["imageDigest"],
        "described": described,
    },
    default=lambda value: value.isoformat(),
))
"""
# The same outside ECR Public: S3, whose host is not the mock's, with one attempt.
S3_SCRIPT = """\
import boto3, botocore.config, botocore.exceptions
s3 = boto3.client("s3", config=botocore.config.Config(retries={"total_max_attempts": 1}))
try:
    s3.list_buckets()
except botocore.exceptions.EndpointConnectionError as error:
    print(error)
"""
# oras-py as its README shows it: log in (the password from GetAuthorizationToken), push
# a file as an artifact, pull it back; the login goes to the sandbox's DOCKER_CONFIG.
ORAS_SCRIPT = """\
import base64, json, os, sys
import boto3, oras.client

target, out = sys.argv[1], sys.argv[2]
api = boto3.client("ecr-public", region_name="us-east-1")
token = api.get_authorization_token()["authorizationData"]["authorizationToken"]
user, _, password = base64.b64decode(token).decode().partition(":")
client = oras.client.OrasClient(hostname="public.ecr.aws")
config = os.path.join(os.environ["DOCKER_CONFIG"], "config.json")
login = client.login(user, password, hostname="public.ecr.aws", config_path=config)
pushed = client.push(target=target, files=["notes.txt"])
pulled = client.pull(target=target, outdir=out)
print(json.dumps({
    "login": login,
    "status": pushed.status_code,
    "digest": pushed.headers["Docker-Content-Digest"],
    "pulled": pulled,
}))
"""
# The JavaScript SDK v3 as its documentation shows it: a client with a region, commands.
JS_SCRIPT = """\
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRPUBLICClient,
} from "@aws-sdk/client-ecr-public";

const client = new ECRPUBLICClient({ region: "us-east-1" });
const created = await client.send(new CreateRepositoryCommand({ repositoryName: "js-app" }));
const described = await client.send(
  new DescribeRepositoriesCommand({ repositoryNames: ["js-app"] }),
);
console.log(JSON.stringify({
  status: created.$metadata.httpStatusCode,
  created: created.repository,
  described: described.repositories,
}));
"""
# Where each connection attempt of a list ends: "connected", the errno's name (or the
# exception's, for a timeout), and how long it took.
CONNECT_SCRIPT = """\
import errno, json, socket, sys, time
results = {}
for target in json.loads(sys.argv[1]):
    family = socket.AF_UNIX if isinstance(target, str) else socket.AF_INET
    address = target if isinstance(target, str) else tuple(target)
    started = time.monotonic()
    try:
        if family == socket.AF_UNIX:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.connect(address)
        else:
            socket.create_connection(address, timeout=5).close()
        outcome = "connected"
    except OSError as error:
        outcome = errno.errorcode.get(error.errno, type(error).__name__)  # a timeout: None
    results[str(target)] = [outcome, time.monotonic() - started]
print(json.dumps(results))
"""


# -- finding what the tests need -------------------------------------------------------------


@functools.cache
def awscli() -> str | None:
    """The AWS CLI on PATH, if it runs (a pyenv shim can name a CLI its Python lacks); in
    ``tox -e cli``, the env's own."""
    path = shutil.which("aws")
    if path is None:
        return None
    try:
        done = subprocess.run([path, "--version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if done.returncode == 0 else None


def needs_awscli() -> None:
    """Skip without the AWS CLI, even under CI: it pins botocore, so it is no test extra."""
    if awscli() is None:
        pytest.skip("the AWS CLI is not installed (it pins botocore); run `tox -e cli`")


@pytest.fixture
def sandbox(ecr_public: EcrPublicMock, request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A sandbox of this test's own mock (``ecr_public``), with a private dockerd under
    ``@pytest.mark.ecr_public_sandbox(docker=True)`` (the plugin fixture's marker). A
    machine that cannot run it skips the test (fails it under CI), as one without
    dockerd does for the docker tests; a sandbox that fails to set up fails it."""
    marker = request.node.get_closest_marker("ecr_public_sandbox")
    docker = bool(marker is not None and marker.kwargs.get("docker"))
    if docker:
        find("dockerd")
        find("docker")
    with sandbox_or_skip(ecr_public, docker=docker) as started:
        yield started


@pytest.fixture
def get_login_password(tmp_path: Path) -> str:
    """The shell command that prints the registry's password: the AWS CLI's
    ``get-login-password`` where it is installed, else the same through boto3."""
    if awscli() is not None:
        return GET_LOGIN_PASSWORD
    script = tmp_path / "get_login_password.py"
    script.write_text(PASSWORD_SCRIPT)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


# -- helpers ------------------------------------------------------------------------------


def run(
    sandbox: Sandbox, args: str | list[str], **options: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in the sandbox: output captured as text, a timeout, no AWS config file."""
    env = {**HERMETIC, **options.pop("env", {})}
    return sandbox.run(args, capture_output=True, text=True, timeout=TIMEOUT, env=env, **options)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    """Assert the command succeeded; its stdout."""
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def create_repository(name: str) -> str:
    """Create ``name`` through the API (in-process, the same mock); its repositoryUri."""
    client = boto3.client("ecr-public", region_name=REGION)
    return client.create_repository(repositoryName=name)["repository"]["repositoryUri"]


def operations(mock: EcrPublicMock) -> collections.Counter[str]:
    return collections.Counter(call.operation for call in mock.calls)


def private_env(tool: Any) -> dict[str, str]:
    """A client's private configuration (storage, registries.conf, HOME), without what
    the sandbox sets for every command."""
    return {name: value for name, value in tool.env.items() if name not in SANDBOX_OWN}


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def assert_a_password_of_the_registry(auth: str) -> None:
    """``auth`` (a credential store's entry) is base64 of ``AWS:<password>``, the password
    GetAuthorizationToken's form: base64 of JSON with a payload, a data key, version 3,
    type DATA_KEY and its expiry, 12 hours on."""
    user, _, password = base64.b64decode(auth).decode().partition(":")
    assert user == "AWS"
    document = json.loads(base64.b64decode(password))
    assert sorted(document) == ["datakey", "expiration", "payload", "type", "version"]
    assert (document["version"], document["type"]) == ("3", "DATA_KEY")
    left = document["expiration"] - dt.datetime.now(dt.timezone.utc).timestamp()
    assert 12 * 3600 - 300 < left <= 12 * 3600


def registry_logins(path: Path) -> dict[str, str]:
    """The ``auths`` of a docker config.json or containers auth.json: host -> auth."""
    document = json.loads(path.read_text())
    assert list(document) == ["auths"], document
    return {host: entry["auth"] for host, entry in document["auths"].items()}


# -- docker -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.ecr_public_sandbox(docker=True)
def test_docker_logs_in_with_get_login_password_then_pushes_and_pulls(
    sandbox, get_login_password, tmp_path
):
    """AWS's documented login, ``aws ecr-public get-login-password --region us-east-1 |
    docker login --username AWS --password-stdin public.ecr.aws``
    (https://docs.aws.amazon.com/AmazonECR/latest/public/docker-push-ecr-image.html), then
    ``docker build``, ``docker push`` and ``docker pull`` of ``public.ecr.aws/<alias>/app:1.0``
    with the sandbox's own dockerd. The digest docker reports for the push is the image the
    mock holds under tag 1.0, its config is the image docker built, the pull downloads that
    digest again; the login is stored under the sandbox's DOCKER_CONFIG
    (https://docs.docker.com/reference/cli/docker/login/), never in the machine's
    ~/.docker. dockerd trusts the sandbox's CA through /etc/docker/certs.d
    (https://docs.docker.com/engine/security/certificates/)."""
    mock = sandbox.mock
    uri = create_repository("app")
    assert uri == f"{REGISTRY}/{mock.registry_alias}/app"
    reference = f"{uri}:1.0"
    context = tmp_path / "context"
    context.mkdir()
    (context / "hello.txt").write_text("hello from the sandbox\n")
    (context / "Dockerfile").write_text("FROM scratch\nCOPY hello.txt /hello.txt\n")
    machines = Path.home() / ".docker" / "config.json"
    before = read_or_none(machines)

    # The docker CLI talks to the sandbox's dockerd: its data is the sandbox's.
    docker_host = ok(run(sandbox, 'printf %s "$DOCKER_HOST"'))
    assert docker_host == sandbox.env["DOCKER_HOST"]
    assert docker_host.startswith("unix://")
    root = ok(run(sandbox, ["docker", "info", "--format", "{{.DockerRootDir}}"])).strip()
    assert Path(root).is_relative_to(sandbox.root)

    login = run(sandbox, f"{get_login_password} | {DOCKER_LOGIN}")
    assert ok(login) == "Login Succeeded\n"
    logins = registry_logins(Path(sandbox.env["DOCKER_CONFIG"]) / "config.json")
    assert list(logins) == [REGISTRY]
    assert_a_password_of_the_registry(logins[REGISTRY])
    assert Path(sandbox.env["DOCKER_CONFIG"]).is_relative_to(sandbox.root)
    assert read_or_none(machines) == before

    ok(run(sandbox, ["docker", "build", "--tag", reference, str(context)]))
    image_id = ok(run(sandbox, ["docker", "image", "inspect", "--format", "{{.Id}}", reference]))
    pushed = ok(run(sandbox, ["docker", "push", reference]))
    (digest,) = re.findall(r"^1\.0: digest: (sha256:[0-9a-f]{64}) size: \d+$", pushed, re.M)

    repository = mock.repositories["app"]
    assert repository.tags == {"1.0": digest}
    assert list(repository.images) == [digest]
    held = repository.images[digest]
    assert held.tags == ("1.0",)
    assert sha256(held.manifest.encode()) == digest
    assert (held.media_type, held.artifact_media_type) == (DOCKER_MANIFEST, DOCKER_CONFIG)
    manifest = json.loads(held.manifest)
    assert manifest["config"]["digest"] == image_id.strip()
    (layer,) = manifest["layers"]
    assert held.size == layer["size"]
    assert set(repository.layers) == {manifest["config"]["digest"], layer["digest"]}
    made = operations(mock)
    assert made["GetAuthorizationToken"] == 1
    assert made["PutImage"] == 1
    assert made["InitiateLayerUpload"] == made["CompleteLayerUpload"] == 2
    put = next(call for call in mock.calls if call.operation == "PutImage")
    assert (put.params, put.outcome) == ({"repositoryName": "app", "imageTag": "1.0"}, "success")

    ok(run(sandbox, ["docker", "rmi", reference]))
    pulled = ok(run(sandbox, ["docker", "pull", reference]))
    assert f"Digest: {digest}\n" in pulled
    assert f"Status: Downloaded newer image for {reference}\n" in pulled
    inspect = ["docker", "image", "inspect", "--format", "{{.Id}} {{json .RepoDigests}}"]
    pulled_id, repo_digests = ok(run(sandbox, [*inspect, reference])).split(" ", 1)
    assert pulled_id == image_id.strip()
    assert json.loads(repo_digests) == [f"{uri}@{digest}"]


# -- skopeo -------------------------------------------------------------------------------


def test_skopeo_copies_an_oci_layout_to_public_ecr_aws_with_the_password(
    sandbox, get_login_password, tmp_path
):
    """``skopeo copy --dest-creds AWS:$(aws ecr-public get-login-password ...)
    oci:<layout>:v1 docker://public.ecr.aws/<alias>/tools/skopeo:v1``, no TLS flag
    (https://github.com/containers/skopeo/blob/main/docs/skopeo-copy.1.md): skopeo trusts
    the sandbox's CA through /etc/containers/certs.d
    (https://github.com/containers/image/blob/main/docs/containers-certs.d.5.md). The mock
    holds the layout's manifest byte for byte under its digest, with its config and both
    layers, and ``skopeo inspect --raw`` reads the same bytes back. (--policy and
    --registries.d keep the machine's signature configuration out; they touch no TLS.)"""
    mock = sandbox.mock
    skopeo = Skopeo(tmp_path / "skopeo")
    uri = create_repository("tools/skopeo")
    built = image("sandbox-skopeo", layers=2)
    layout = write_layout(tmp_path / "layout", "v1", built)
    prefix = shlex.join([skopeo.exe, *skopeo.prefix()])
    destination = f"docker://{uri}:v1"

    copied = run(
        sandbox,
        f"{prefix} copy --preserve-digests --dest-creds AWS:$({get_login_password}) "
        f"oci:{layout}:v1 {destination}",
        env=private_env(skopeo),
    )
    assert "Writing manifest to image destination\n" in ok(copied)

    repository = mock.repositories["tools/skopeo"]
    assert repository.tags == {"v1": built.digest}
    held = repository.images[built.digest]
    assert held.manifest == built.manifest.data.decode()
    assert (held.media_type, held.size) == (OCI_MANIFEST, built.size)
    assert set(repository.layers) == {built.config.digest, *(x.digest for x in built.layers)}
    assert operations(mock) == {
        "CreateRepository": 1,
        "GetAuthorizationToken": 1,
        "InitiateLayerUpload": 3,
        "UploadLayerPart": 3,
        "CompleteLayerUpload": 3,
        "PutImage": 1,
    }
    raw = ok(run(sandbox, f"{prefix} inspect --raw {destination}", env=private_env(skopeo)))
    assert raw == built.manifest.data.decode()


# -- podman -------------------------------------------------------------------------------


def test_podman_logs_in_pushes_and_pulls(sandbox, get_login_password, tmp_path):
    """``get-login-password | podman login --username AWS --password-stdin public.ecr.aws``,
    then ``podman push`` and ``podman pull`` with no TLS flag
    (https://docs.podman.io/en/latest/markdown/podman-login.1.html): the login lands in
    the sandbox's REGISTRY_AUTH_FILE, the digest podman writes is the one the mock holds
    under v1, and the pull gets that digest back. podman runs with the storage options
    that make it work as root here (vfs, cgroupfs, no events: tests/_clients.py)."""
    mock = sandbox.mock
    podman = Podman(tmp_path / "podman")
    try:
        uri = create_repository("podman-app")
        reference = f"{uri}:v1"
        prefix = shlex.join([podman.exe, *podman.prefix()])
        policy = shlex.join(podman.policy())
        env = private_env(podman)

        login = run(
            sandbox,
            f"{get_login_password} | {prefix} login --username AWS --password-stdin {REGISTRY}",
            env=env,
        )
        assert ok(login) == "Login Succeeded!\n"
        logins = registry_logins(Path(sandbox.env["REGISTRY_AUTH_FILE"]))
        assert list(logins) == [REGISTRY]
        assert_a_password_of_the_registry(logins[REGISTRY])

        tarball = docker_tarball(tmp_path / "rootfs.tar", "podman-app")
        ok(run(sandbox, f"{prefix} import {tarball} {reference}", env=env))
        digest_file = tmp_path / "digest"
        ok(run(sandbox, f"{prefix} push {policy} --digestfile {digest_file} {reference}", env=env))
        digest = digest_file.read_text().strip()

        repository = mock.repositories["podman-app"]
        assert repository.tags == {"v1": digest}
        held = repository.images[digest]
        assert sha256(held.manifest.encode()) == digest
        assert held.media_type == OCI_MANIFEST
        assert operations(mock)["PutImage"] == 1

        ok(run(sandbox, f"{prefix} rmi {reference}", env=env))
        ok(run(sandbox, f"{prefix} pull {policy} {reference}", env=env))
        inspect = f"{prefix} image inspect --format '{{{{.Digest}}}}' {reference}"
        inspected = run(sandbox, inspect, env=env)
        assert ok(inspected) == f"{digest}\n"
    finally:
        podman.close()


# -- the AWS CLI --------------------------------------------------------------------------


def test_awscli_creates_a_repository_and_describes_its_images(sandbox):
    """``aws ecr-public create-repository`` and ``describe-images``
    (https://docs.aws.amazon.com/cli/latest/reference/ecr-public/) over HTTPS to
    api.ecr-public.us-east-1.amazonaws.com, the sandbox's CA trusted through
    AWS_CA_BUNDLE (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html):
    the JSON the CLI prints is the mock's state, field for field, and the mock logged
    exactly those two calls."""
    needs_awscli()
    mock = sandbox.mock
    created = ok(
        run(sandbox, "aws ecr-public create-repository --repository-name web --region us-east-1")
    )
    repository = mock.repositories["web"]
    assert json.loads(created) == {
        "repository": {
            "repositoryArn": f"arn:aws:ecr-public::{mock.account_id}:repository/web",
            "registryId": mock.account_id,
            "repositoryName": "web",
            "repositoryUri": f"{REGISTRY}/{mock.registry_alias}/web",
            "createdAt": repository.created_at.timestamp(),
        },
        "catalogData": {},
    }
    assert repository.arn == f"arn:aws:ecr-public::{mock.account_id}:repository/web"

    digest = mock.push_image("web", "v1")
    described = ok(
        run(sandbox, "aws ecr-public describe-images --repository-name web --region us-east-1")
    )
    held = mock.repositories["web"].images[digest]
    assert json.loads(described) == {
        "imageDetails": [
            {
                "registryId": mock.account_id,
                "repositoryName": "web",
                "imageDigest": digest,
                "imageTags": ["v1"],
                "imageSizeInBytes": held.size,
                "imagePushedAt": held.pushed_at.timestamp(),
                "imageManifestMediaType": DOCKER_MANIFEST,
                "artifactMediaType": DOCKER_CONFIG,
            }
        ]
    }
    assert [(call.operation, call.params, call.outcome) for call in mock.calls] == [
        ("CreateRepository", {"repositoryName": "web"}, "success"),
        ("DescribeImages", {"repositoryName": "web"}, "success"),
    ]


# -- boto3 and the JavaScript SDK -----------------------------------------------------------


def test_a_boto3_script_with_no_endpoint_pushes_an_image_through_the_api(sandbox, tmp_path):
    """A project's boto3 code, unchanged, run with this Python: its client's endpoint is
    AWS's own, https://api.ecr-public.us-east-1.amazonaws.com, and what it creates,
    uploads and puts is what the mock holds; DescribeImages answers it from that state."""
    mock = sandbox.mock
    built = image("sandbox-boto3", layers=2)
    blobs = []
    for blob in (built.config, *built.layers):
        path = tmp_path / blob.digest.removeprefix("sha256:")
        path.write_bytes(blob.data)
        blobs.append(str(path))
    (tmp_path / "manifest.json").write_bytes(built.manifest.data)
    plan = {
        "repository": "py-app",
        "tag": "v1",
        "blobs": blobs,
        "manifest": str(tmp_path / "manifest.json"),
        "mediaType": built.manifest.media_type,
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    (tmp_path / "script.py").write_text(BOTO3_SCRIPT)

    result = json.loads(ok(run(sandbox, [sys.executable, "script.py", "plan.json"], cwd=tmp_path)))

    assert result["endpoint"] == API
    assert result["digest"] == built.digest
    repository = mock.repositories["py-app"]
    assert repository.tags == {"v1": built.digest}
    held = repository.images[built.digest]
    assert held.manifest == built.manifest.data.decode()
    assert set(repository.layers) == {built.config.digest, *(x.digest for x in built.layers)}
    assert result["described"] == [
        {
            "registryId": mock.account_id,
            "repositoryName": "py-app",
            "imageDigest": built.digest,
            "imageTags": ["v1"],
            "imageSizeInBytes": built.size,
            "imagePushedAt": held.pushed_at.isoformat(),
            "imageManifestMediaType": OCI_MANIFEST,
            "artifactMediaType": built.config.media_type,
        }
    ]
    assert [call.operation for call in mock.calls] == [
        "CreateRepository",
        *["InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"] * 3,
        "PutImage",
        "DescribeImages",
    ]
    assert all(call.succeeded for call in mock.calls)


def test_the_javascript_sdk_with_no_endpoint_creates_and_describes(sandbox):
    """``@aws-sdk/client-ecr-public`` (the AWS SDK for JavaScript v3,
    https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/client/ecr-public/) with only a
    region: node trusts the sandbox's CA through NODE_EXTRA_CA_CERTS
    (https://nodejs.org/api/cli.html#node_extra_ca_certsfile), and what it prints is the
    repository the mock holds."""
    node = node_with_sdk()
    mock = sandbox.mock
    done = run(sandbox, [node, "--input-type=module"], input=JS_SCRIPT, cwd=JS)
    result = json.loads(ok(done))
    repository = mock.repositories["js-app"]
    created_at = repository.created_at.astimezone(dt.timezone.utc)
    expected = {
        "repositoryArn": f"arn:aws:ecr-public::{mock.account_id}:repository/js-app",
        "registryId": mock.account_id,
        "repositoryName": "js-app",
        "repositoryUri": f"{REGISTRY}/{mock.registry_alias}/js-app",
        "createdAt": created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    assert result == {"status": 200, "created": expected, "described": [expected]}
    assert [(call.operation, call.params, call.outcome) for call in mock.calls] == [
        ("CreateRepository", {"repositoryName": "js-app"}, "success"),
        ("DescribeRepositories", {"repositoryNames": ["js-app"]}, "success"),
    ]


# -- oras-py ------------------------------------------------------------------------------


def test_oras_py_pushes_and_pulls_an_artifact(sandbox, tmp_path):
    """oras-py (https://oras-project.github.io/oras-py/) logs in with GetAuthorizationToken's
    password, pushes a file to ``public.ecr.aws/<alias>/notes:v1`` and pulls it back, with
    TLS verified through REQUESTS_CA_BUNDLE: the mock holds an OCI manifest whose one
    layer is the file, titled ``notes.txt``, and the login is in the sandbox's
    DOCKER_CONFIG."""
    oras_client_class()
    mock = sandbox.mock
    uri = create_repository("notes")
    work = tmp_path / "work"
    work.mkdir()
    content = b"an artifact, not an image\n" * 8
    (work / "notes.txt").write_bytes(content)
    (tmp_path / "oras_push.py").write_text(ORAS_SCRIPT)
    out = tmp_path / "out"

    command = [sys.executable, str(tmp_path / "oras_push.py"), f"{uri}:v1", str(out)]
    result = json.loads(ok(run(sandbox, command, cwd=work)))

    assert result["login"] == {"Status": "Login Succeeded"}
    assert result["status"] == 201
    assert result["pulled"] == [str(out / "notes.txt")]
    assert (out / "notes.txt").read_bytes() == content
    digest = result["digest"]
    repository = mock.repositories["notes"]
    assert repository.tags == {"v1": digest}
    held = repository.images[digest]
    assert sha256(held.manifest.encode()) == digest
    manifest = json.loads(held.manifest)
    (layer,) = manifest["layers"]
    assert layer["digest"] == sha256(content)
    assert layer["annotations"] == {"org.opencontainers.image.title": "notes.txt"}
    assert (held.media_type, held.artifact_media_type) == (
        OCI_MANIFEST,
        manifest["config"]["mediaType"],
    )
    logins = registry_logins(Path(sandbox.env["DOCKER_CONFIG"]) / "config.json")
    assert list(logins) == [REGISTRY]
    assert_a_password_of_the_registry(logins[REGISTRY])


# -- nothing else is reachable ---------------------------------------------------------------


def test_curl_reaches_the_mock_and_resolves_no_other_host(sandbox):
    """curl verifies the mock's certificate for public.ecr.aws (CURL_CA_BUNDLE; the
    registry's 401 challenge, verify result 0), and cannot even resolve example.com: exit
    status 6, CURLE_COULDNT_RESOLVE_HOST (https://curl.se/libcurl/c/libcurl-errors.html)."""
    find("curl")
    probe = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}"]
    assert ok(run(sandbox, [*probe, f"https://{REGISTRY}/v2/"])) == "401 0"
    done = run(sandbox, ["curl", "-sS", "https://example.com"])
    assert (done.returncode, done.stdout) == (6, "")
    assert done.stderr == "curl: (6) Could not resolve host: example.com\n"


def test_awscli_cannot_reach_any_other_aws_service(sandbox):
    """``aws s3 ls``: S3's host is not the mock's, and nothing else is reachable; the CLI
    fails to connect (exit status 255, its failure for any error). One attempt
    (AWS_MAX_ATTEMPTS): the retries would only repeat the failure."""
    needs_awscli()
    done = run(sandbox, "aws s3 ls --region us-east-1", env={"AWS_MAX_ATTEMPTS": "1"})
    assert (done.returncode, done.stdout) == (255, "")
    assert re.fullmatch(rf"\n{UNREACHABLE}{S3_ENDPOINT}\n", done.stderr), done.stderr


def test_boto3_cannot_reach_any_other_aws_service(sandbox, tmp_path):
    """The same through boto3 (no AWS CLI needed): S3's ListBuckets raises
    EndpointConnectionError."""
    (tmp_path / "s3.py").write_text(S3_SCRIPT)
    done = run(sandbox, [sys.executable, str(tmp_path / "s3.py")])
    assert re.fullmatch(rf"{UNREACHABLE}{S3_ENDPOINT}\n", ok(done)), done.stdout
    assert sandbox.mock.calls == ()


def test_no_packet_can_leave_the_sandbox(sandbox, tmp_path):
    """The network namespace has one interface, loopback, and no route
    (https://man7.org/linux/man-pages/man7/network_namespaces.7.html): ``ip route`` prints
    nothing, ``ip route get 1.1.1.1`` is refused with "Network is unreachable",
    /proc/net/dev lists ``lo`` alone, and a TCP connection to 1.1.1.1:443 fails at once
    with ENETUNREACH (https://man7.org/linux/man-pages/man2/connect.2.html) rather than
    waiting out its 5-second timeout."""
    find("ip")
    routes = run(sandbox, ["ip", "route"])
    assert (routes.returncode, routes.stdout, routes.stderr) == (0, "", "")
    route = run(sandbox, ["ip", "route", "get", "1.1.1.1"])
    assert (route.returncode, route.stdout) == (2, "")
    assert route.stderr == "RTNETLINK answers: Network is unreachable\n"
    devices = ok(run(sandbox, ["cat", "/proc/net/dev"])).splitlines()[2:]
    assert [line.split(":")[0].strip() for line in devices] == ["lo"]
    (tmp_path / "connect.py").write_text(CONNECT_SCRIPT)
    targets = json.dumps([["1.1.1.1", 443]])
    result = json.loads(ok(run(sandbox, [sys.executable, str(tmp_path / "connect.py"), targets])))
    outcome, seconds = result[str(["1.1.1.1", 443])]
    assert outcome == "ENETUNREACH"
    assert seconds < 1


def test_the_machines_docker_daemon_is_out_of_reach(ecr_public, request, monkeypatch, tmp_path):
    """A daemon outside would pull and push from the machine's own network. Its socket, the
    one DOCKER_HOST names (here a stand-in listening outside) and /run/docker.sock where
    the machine has one, refuses connections inside; DOCKER_HOST is unset there without
    docker=True, and the docker CLI finds no daemon."""
    folder = Path(tempfile.mkdtemp(prefix="ecrpm-daemon-", dir="/tmp"))  # sockets: 107 bytes
    stand_in = folder / "docker.sock"
    try:
        with socket.socket(socket.AF_UNIX) as outside:
            outside.bind(str(stand_in))
            outside.listen()
            monkeypatch.setenv("DOCKER_HOST", f"unix://{stand_in}")
            sandbox = request.getfixturevalue("sandbox")
            (tmp_path / "connect.py").write_text(CONNECT_SCRIPT)
            machines = [p for p in ("/run/docker.sock", "/var/run/docker.sock") if Path(p).exists()]
            targets = [str(stand_in), *machines]
            probe = [sys.executable, str(tmp_path / "connect.py"), json.dumps(targets)]

            seen_outside = json.loads(
                ok(subprocess.run(probe, capture_output=True, text=True, timeout=TIMEOUT))
            )
            assert seen_outside[str(stand_in)][0] == "connected"
            seen_inside = json.loads(ok(run(sandbox, probe)))
            assert {target: seen[0] for target, seen in seen_inside.items()} == dict.fromkeys(
                targets, "ECONNREFUSED"
            )
            assert ok(run(sandbox, 'printf %s "${DOCKER_HOST-unset}"')) == "unset"
            assert "DOCKER_HOST" not in sandbox.env
            if shutil.which("docker") is not None:
                done = run(sandbox, ["docker", "version", "--format", "{{.Server.Version}}"])
                assert done.returncode == 1
                assert "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." in (
                    done.stderr
                )
    finally:
        shutil.rmtree(folder)


# -- what every client above needs of the sandbox --------------------------------------------

# The holder's parent sends {"pid"} with send() (the sendto system call) after fork(); its
# child sends {"ready"} with sendmsg() once set up. strace delays the parent's send by
# 0.2 s, as a parent descheduled right after fork() would be.
DELAYED_PID = ["-f", "-qq", "-e", "trace=sendto", "-e", "inject=sendto:delay_enter=200000"]
# A machine where docker's packages run containerd: its socket exists (a stand-in here, in
# a mount namespace of the test's own with a tmpfs on /run), and the sandbox hides it.
CONTAINERD_SCRIPT = """\
import json, os, socket, subprocess
os.makedirs("/run/containerd")
outside = socket.socket(socket.AF_UNIX)
outside.bind("/run/containerd/containerd.sock")
outside.listen()
from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._sandbox import sandbox as module
module.DOCKERD_TIMEOUT = 20.0  # dockerd answers in a second or two; this one gives up in 60
with mock_ecr_public() as mock:
    try:
        with mock.sandbox(docker=True) as sandbox:
            done = sandbox.run(["docker", "info", "--format", "{{.ServerVersion}}"],
                               capture_output=True, text=True)
            print(json.dumps([done.returncode, done.stderr]))
    except Exception as error:
        print(json.dumps([None, f"{type(error).__name__}: {error}"]))
"""


def test_commands_run_whichever_of_the_holders_messages_comes_first(ecr_public, monkeypatch):
    """The holder's two processes report the namespaces' first process ({"pid"}) and
    the sockets ({"ready"}) in either order; ``start()`` waits for both. When it returned
    at {"ready"}, a {"pid"} still on its way left ``run()`` with pid 0 (``nsenter: neither
    filename nor target pid supplied for ns/net``, exit status 1) for any client; seen
    unprovoked on a 2-core VM (a node run). strace's fault injection makes that order
    certain."""
    from ecrpublic_mock._sandbox import sandbox as sandbox_module

    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    real = subprocess.Popen

    def holder_delayed(argv: list[str], *args: Any, **kwargs: Any) -> Any:
        if any(str(arg).endswith("holder.py") for arg in argv):
            argv = [strace, "-o", os.devnull, *DELAYED_PID, *argv]
        return real(argv, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(sandbox_module.subprocess, "Popen", holder_delayed)
        started = sandbox_or_skip(ecr_public)
    with started as sandbox:
        done = run(sandbox, ["true"])
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.slow
def test_docker_runs_on_a_machine_whose_containerd_is_running(tmp_path):
    """On a machine running containerd (docker's own packages, docker-ce with
    containerd.io, start one), /run/containerd/containerd.sock exists. dockerd takes an
    existing socket there for a running containerd and dials it: were the socket merely
    made unreachable inside (/dev/null over it), dockerd would dial until it gave up
    ("failed to dial \\"/run/containerd/containerd.sock\\""). The sandbox empties the
    folder (a tmpfs over it), so its dockerd starts a containerd of its own."""
    find("dockerd")
    find("docker")
    unshare = find("unshare")
    if os.geteuid() != 0:
        pytest.skip("docker=True and a mount namespace of the test's own need root")
    (tmp_path / "containerd.py").write_text(CONTAINERD_SCRIPT)
    inner = f"mount -t tmpfs tmpfs /run && exec {shlex.quote(sys.executable)} containerd.py"
    command = [unshare, "--mount", "--propagation", "private", "sh", "-c", inner]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [0, ""]
