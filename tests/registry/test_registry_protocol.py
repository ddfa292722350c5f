"""The registry protocol over raw HTTP: ``/token/`` and the OCI Distribution API at ``/v2/``.

Every request is sent as it is written here (``http.client`` on one kept-alive connection,
or a raw socket where a client must misbehave: HTTP/1.0 without a Host, a body that stalls
or stops), and every answer is checked whole: status, headers (all but ``date``) and the
exact ``{"errors": [{"code", "message"}]}`` body, with the texts the distribution-spec, the
registry endpoint and the core's API give (``docs/aws-behaviour.md``, "Registry protocol").

Each test costs a served mock (some 0.5 s to stop), so a test walks a table of cases
through one server where the cases leave each other's state alone.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import random
import re
import socket
import threading
import time
from dataclasses import dataclass

import boto3
import freezegun
import pytest
from _manifests import (
    ACCOUNT,
    DOCKER_CONFIG,
    DOCKER_LAYER,
    DOCKER_LIST,
    DOCKER_MANIFEST,
    DOCKER_SCHEMA1,
    DOCKER_SCHEMA1_SIGNED,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_LAYER,
    OCI_MANIFEST,
    config_blob,
    descriptor,
    image_manifest,
    manifest_list,
    schema1_manifest,
    sha256,
)

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._registry import routes
from ecrpublic_mock._server.runner import BackgroundServer

# Slow: every test serves its mock, and stopping a server takes some 0.5 s.
pytestmark = pytest.mark.slow

API_VERSION = {"docker-distribution-api-version": "registry/2.0"}
JSON_TYPE = "application/json; charset=utf-8"
MIB = 1024 * 1024
MANIFEST_LIMIT = 4 * MIB  # PutImage's imageManifest, 4 MiB in the model
PUSH = object()  # the default credential of a request: the wire's push token
NOT_AUTHORIZED = "Not Authorized"
INVALID = "Your Authorization Token is invalid."
EXPIRED = "Your authorization token has expired. Reauthenticate and try again."
UNSUPPORTED = "The operation is unsupported."
IMAGE_NOT_FOUND = "Requested image not found"


@pytest.fixture
def repositories():
    """Every test starts with one repository, ``app``."""
    return ("app",)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names, every header but ``date``
    body: bytes

    def json(self):
        return json.loads(self.body)


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def password_of(client) -> str:
    """The password of GetAuthorizationToken's ``AWS:<password>``."""
    token = client.get_authorization_token()["authorizationData"]["authorizationToken"]
    username, _, password = base64.b64decode(token).decode().partition(":")
    assert username == "AWS"
    return password


def oci_error(code: str, message: str) -> bytes:
    """Compact, with a newline, as public.ecr.aws sends it (the 58-byte 401 body:
    fluxcd/flux#3492)."""
    body = {"errors": [{"code": code, "message": message}]}
    return json.dumps(body, separators=(",", ":")).encode() + b"\n"


def assert_error(answer: Answer, status: int, code: str, message: str, head=False, **headers):
    """``answer`` is exactly the protocol's error: status, headers (``headers`` besides the
    usual ones, ``www_authenticate`` for ``www-authenticate``) and JSON body (none to HEAD)."""
    body = oci_error(code, message)
    expected = {
        **API_VERSION,
        "content-type": JSON_TYPE,
        **{name.replace("_", "-"): value for name, value in headers.items()},
        "content-length": str(len(body)),
    }
    assert (answer.status, answer.headers, answer.body) == (
        status,
        expected,
        b"" if head else body,
    )


def repo_not_found(name: str, registry_id: str) -> str:
    return (
        f"The repository with name '{name}' does not exist in the registry with id '{registry_id}'"
    )


def upload_not_found(upload_id: str, repo: str = "app") -> str:
    return (
        f"The upload with id '{upload_id}' does not exist in the repository with name "
        f"'{repo}' in registry with id '{ACCOUNT}'"
    )


class Wire:
    """A served mock's registry, through one kept-alive connection, with its tokens."""

    def __init__(self, server, client) -> None:
        self.url = server.url
        self.host, port = server.url.removeprefix("http://").rsplit(":", 1)
        self.port = int(port)
        self.conn = http.client.HTTPConnection(self.host.strip("[]"), self.port, timeout=30)
        self.client = client
        self.alias = client.describe_registries()["registries"][0]["aliases"][0]["name"]
        self.password = password_of(client)
        self.pull = self.token()
        self.push = self.token(basic("AWS", self.password))

    def close(self) -> None:
        self.conn.close()

    def name(self, repo: str = "app") -> str:
        """The repository's name on the wire."""
        return f"{self.alias}/{repo}"

    def token(self, authorization: str | None = None) -> str:
        headers = {} if authorization is None else {"Authorization": authorization}
        answer = self.request("GET", "/token/", headers=headers, token=None)
        assert answer.status == 200, answer
        return answer.json()["token"]

    def send(self, method, path, headers=(), body=None, chunks=None, skip_host=False) -> Answer:
        """One request as given (``headers`` a list of pairs: a name may repeat); ``chunks``
        sends the body chunked, one chunk each."""
        conn = self.conn
        conn.putrequest(method, path, skip_host=skip_host, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if chunks is not None:
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for chunk in chunks:
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.send(b"0\r\n\r\n")
        else:
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
        response = conn.getresponse()
        data = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        headers.pop("date", None)
        return Answer(response.status, headers, data)

    def request(self, method, path, body=None, headers=None, token=PUSH, chunks=None) -> Answer:
        """A request with ``token`` as its bearer (the push token unless told; None sends
        no Authorization)."""
        pairs = list((headers or {}).items())
        if token is PUSH:
            token = self.push
        if token is not None:
            pairs.append(("Authorization", f"Bearer {token}"))
        return self.send(method, path, pairs, body, chunks)

    # -- pushing --------------------------------------------------------------------------

    def upload(self, data: bytes, repo: str = "app") -> str:
        """A whole blob in one POST; its digest."""
        digest = sha256(data)
        answer = self.request("POST", f"/v2/{self.name(repo)}/blobs/uploads/?digest={digest}", data)
        assert answer.status == 201, answer
        return digest

    def session(self, repo: str = "app") -> str:
        """A new upload session's path (its Location, without the server)."""
        answer = self.request("POST", f"/v2/{self.name(repo)}/blobs/uploads/")
        assert answer.status == 202, answer
        return answer.headers["location"].removeprefix(self.url)

    def image(self, layers=(b"layer",), media_type=OCI_MANIFEST, salt="", repo="app") -> str:
        """An image manifest over uploaded blobs (not pushed)."""
        oci = media_type in (OCI_MANIFEST, None)
        config = config_blob(salt=salt)
        for blob in (config, *layers):
            self.upload(blob, repo)
        return image_manifest(
            descriptor(config, OCI_CONFIG if oci else DOCKER_CONFIG),
            [descriptor(layer, OCI_LAYER if oci else DOCKER_LAYER) for layer in layers],
            media_type=media_type,
        )

    def put(self, ref: str, text: str | bytes, content_type: str | None = None, repo="app"):
        headers = {} if content_type is None else {"Content-Type": content_type}
        body = text.encode() if isinstance(text, str) else text
        return self.request("PUT", f"/v2/{self.name(repo)}/manifests/{ref}", body, headers)

    def push_image(self, ref: str, **build) -> tuple[str, str]:
        """Build and push an image by ``ref``: (its digest, its manifest)."""
        repo = build.get("repo", "app")
        text = self.image(**build)
        answer = self.put(ref, text, repo=repo)
        assert answer.status == 201, answer
        return answer.headers["docker-content-digest"], text

    def status_of(self, location: str) -> int:
        """The bytes an upload has received (its GET status)."""
        answer = self.request("GET", location)
        assert answer.status == 204, answer
        last = int(answer.headers["range"].split("-")[1])
        return last + 1 if last else 0  # "0-0" is no byte (the tests never leave just one)


def raw(wire_or_server, timeout=10) -> socket.socket:
    host, port = wire_or_server.url.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def hostless_get(wire_or_server) -> tuple[str, dict[str, str], bytes]:
    """``GET /v2/`` in HTTP/1.0 with no Host header, and its answer."""
    with raw(wire_or_server) as sock:
        sock.sendall(b"GET /v2/ HTTP/1.0\r\n\r\n")
        return read_answer(sock)


def read_answer(sock: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """One answer read off ``sock``: (status line, headers but ``date``, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {n.lower(): v.strip() for n, _, v in (line.partition(":") for line in lines)}
    headers.pop("date", None)
    while len(rest) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, rest
        rest += chunk
    return status_line, headers, rest


def closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def challenge(base: str) -> str:
    return f'Bearer realm="{base}/token/",service="public.ecr.aws",scope="aws"'


def wait_for(predicate, what: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def blob_bytes(size: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


# -- the challenge and the token endpoint ----------------------------------------------


def test_the_challenge_names_the_token_endpoint_of_the_host_addressed(wire):
    """Without credentials: 401, the challenge, and public.ecr.aws's 58-byte body
    ``{"errors":[{"code":"DENIED","message":"Not Authorized"}]}`` (real output in
    fluxcd/flux#3492 and helm/helm#11698)."""
    answer = wire.request("GET", "/v2/", token=None)
    realm = challenge(f"http://127.0.0.1:{wire.port}")
    assert answer.body == b'{"errors":[{"code":"DENIED","message":"Not Authorized"}]}\n'
    assert len(answer.body) == 58
    assert_error(answer, 401, "DENIED", NOT_AUTHORIZED, www_authenticate=realm)
    # HEAD: the same answer without its body.
    answer = wire.request("HEAD", "/v2/", token=None)
    assert_error(answer, 401, "DENIED", NOT_AUTHORIZED, head=True, www_authenticate=realm)
    # The realm is the Host the client sent, whatever it is.
    answer = wire.send("GET", "/v2/", [("Host", "registry.example:5000")], skip_host=True)
    realm = challenge("http://registry.example:5000")
    assert_error(answer, 401, "DENIED", NOT_AUTHORIZED, www_authenticate=realm)
    # Every /v2/ path wants a token first, even one nothing is served at.
    for path in ("/v2/_catalog", f"/v2/{wire.name()}/manifests/latest"):
        answer = wire.request("GET", path, token=None)
        assert (answer.status, answer.headers["www-authenticate"]) == (
            401,
            challenge(f"http://127.0.0.1:{wire.port}"),
        ), path
    # HTTP/1.0 may send no Host: the realm is the address the client reached.
    status_line, headers, body = hostless_get(wire)
    assert status_line == "HTTP/1.1 401 Unauthorized"
    assert headers["www-authenticate"] == challenge(f"http://127.0.0.1:{wire.port}")
    assert body == oci_error("DENIED", NOT_AUTHORIZED)


def ipv6_loopback() -> bool:
    try:
        socket.create_server(("::1", 0), family=socket.AF_INET6).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_without_a_host_the_realm_is_the_ipv6_address_reached(ecr, client):
    with ecr.serve(host="::1") as srv:
        assert srv.url == f"http://[::1]:{srv.port}"
        assert client.create_repository(repositoryName="six")["repository"]["repositoryUri"] == (
            f"[::1]:{srv.port}/{ecr.registry_alias}/six"
        )
        status_line, headers, _ = hostless_get(srv)
    assert status_line == "HTTP/1.1 401 Unauthorized"
    assert headers["www-authenticate"] == challenge(f"http://[::1]:{srv.port}")


def test_a_token_it_did_not_issue_is_400_without_a_challenge(wire):
    """A bearer token the registry did not issue, and credentials of another scheme (Basic)
    sent straight to /v2/: 400 ``DENIED`` "Your Authorization Token is invalid." and no
    WWW-Authenticate (real output: kreuzwerker/terraform-provider-docker#666 for Basic,
    oras-project/oras-go#1227, aws/containers-roadmap#2835)."""
    pull_claims = base64.urlsafe_b64decode(wire.pull + "=" * (-len(wire.pull) % 4))
    # A pull token turned into a push token: its MAC no longer matches.
    forged = base64.urlsafe_b64encode(b"1" + pull_claims[1:]).decode().rstrip("=")
    for authorization in (
        "Bearer a",  # not base64 (one character too many)
        "Bearer \u00e9",  # not ASCII
        "Bearer !!!",  # nothing once decoded
        "Bearer ",
        "Bearer",
        f"Bearer {wire.pull[:-4]}",  # cut short
        f"Bearer {forged}",
        f"Basic {base64.b64encode(b'AWS:' + wire.password.encode()).decode()}",
        f"Token {wire.push}",
        "",
    ):
        answer = wire.send("GET", "/v2/", [("Authorization", authorization)])
        assert_error(answer, 400, "DENIED", INVALID)
    # The scheme is case-insensitive, and blanks around the token do not count.
    for authorization in (f"bearer {wire.pull}", f"BEARER  {wire.push} "):
        answer = wire.send("GET", "/v2/", [("Authorization", authorization)])
        assert answer.status == 200, authorization


def test_the_authorization_token_itself_is_a_bearer_token(wire):
    """GetAuthorizationToken's ``authorizationToken`` works as a bearer token on /v2/, with
    the password's rights (kreuzwerker/terraform-provider-docker#666 lists tags with it)."""
    token = wire.client.get_authorization_token()["authorizationData"]["authorizationToken"]
    answer = wire.request("GET", f"/v2/{wire.name()}/tags/list", token=token)
    assert (answer.status, answer.json()) == (200, {"name": wire.name(), "tags": []})
    assert wire.request("POST", f"/v2/{wire.name()}/blobs/uploads/", token=token).status == 202
    # As Basic credentials on /v2/, the same token is refused (the same thread).
    answer = wire.request("GET", "/v2/", headers={"Authorization": f"Basic {token}"}, token=None)
    assert_error(answer, 400, "DENIED", INVALID)


def test_the_token_endpoint_hands_out_pull_and_push_tokens(wire):
    name = wire.name()
    for path in ("/token/", "/token", "/token/?scope=aws&service=public.ecr.aws", "/token?x"):
        answer = wire.request("GET", path, token=None)
        assert answer.status == 200, path
        token = answer.json()["token"]
        assert answer.headers == {
            "content-type": JSON_TYPE,
            "content-length": str(len(answer.body)),
        }
        assert answer.body == json.dumps({"token": token}).encode()
        # Anonymous: it pulls, it does not push, whatever the query asked for.
        assert wire.request("GET", "/v2/", token=token).status == 200
        answer = wire.request("POST", f"/v2/{name}/blobs/uploads/", token=token)
        assert_error(answer, 403, "DENIED", NOT_AUTHORIZED)
    credentials = base64.b64encode(f"AWS:{wire.password}".encode()).decode()
    for query in ("", "?scope=repository:x/app:pull,push", "?account=AWS&client_id=docker"):
        for authorization in (
            f"Basic {credentials}",
            f"basic {credentials}",
            f"BASIC  {credentials} ",
        ):
            headers = {"Authorization": authorization}
            answer = wire.request("GET", f"/token/{query}", headers=headers, token=None)
            token = answer.json()["token"]
            assert answer == Answer(
                200,
                {"content-type": JSON_TYPE, "content-length": str(len(answer.body))},
                json.dumps({"token": token}).encode(),
            )
            # It pushes, whatever the query asked for.
            answer = wire.request("POST", f"/v2/{name}/blobs/uploads/", token=token)
            assert answer.status == 202, (query, authorization)


def test_the_token_endpoint_refuses_bad_credentials(wire):
    def password(document) -> str:
        return base64.b64encode(json.dumps(document).encode()).decode()

    real = json.loads(base64.b64decode(wire.password))
    tampered = {**real, "expiration": real["expiration"] + 3600}
    cases = {
        "wrong username": basic("bob", wire.password),
        "no username": basic("", wire.password),
        "garbage base64": "Basic !!!not-base64",
        "not UTF-8": "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
        "no credentials": "Basic",
        "bearer scheme": f"Bearer {wire.push}",
        "digest scheme": "Digest username=AWS",
        "empty header": "",
        "password not base64": basic("AWS", "not base64!"),
        "password not JSON": basic("AWS", base64.b64encode(b"{nope").decode()),
        "password a JSON list": basic("AWS", password([1, 2])),
        "no payload": basic("AWS", password({"expiration": real["expiration"]})),
        "payload not base64": basic("AWS", password({**real, "payload": "%%%"})),
        "expiration a string": basic("AWS", password({**real, "expiration": "9999999999"})),
        "expiration moved": basic("AWS", password(tampered)),
    }
    for case, authorization in cases.items():
        answer = wire.request(
            "GET", "/token/", headers={"Authorization": authorization}, token=None
        )
        # Refused, and no new challenge.
        assert answer.status == 403, case
        assert_error(answer, 403, "DENIED", NOT_AUTHORIZED)


def test_credentials_of_another_mock_are_refused(wire):
    with mock_ecr_public() as other, other.serve() as other_server:
        other_client = boto3.client("ecr-public", region_name="us-east-1")
        other_client.create_repository(repositoryName="app")
        foreign = Wire(other_server, other_client)
        foreign.close()
    assert foreign.alias == wire.alias  # same account, same alias: only the key differs
    answer = wire.request(
        "GET", "/token/", headers={"Authorization": basic("AWS", foreign.password)}, token=None
    )
    assert_error(answer, 403, "DENIED", NOT_AUTHORIZED)
    for token in (foreign.pull, foreign.push):
        answer = wire.request("GET", f"/v2/{wire.name()}/tags/list", token=token)
        assert_error(answer, 400, "DENIED", INVALID)


def test_passwords_and_tokens_expire_on_the_mocks_clock(wire):
    """The registry's tokens last 1 hour ("Public ECR tokens expire after 1 hour":
    oras-project/oras-go#1227), never past the password they came from; the password of
    GetAuthorizationToken lasts 12 hours. An expired token is 400 "Your Authorization Token
    is invalid." (the same thread's real output); an expired password at /token/ is 403."""
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    name = wire.name()
    hour = dt.timedelta(hours=1)
    # The server keeps real time for its own timers under the freeze (docs/server-mode.md).
    with freezegun.freeze_time(start) as frozen:
        data = wire.client.get_authorization_token()["authorizationData"]
        password = base64.b64decode(data["authorizationToken"]).decode().removeprefix("AWS:")
        push, pull = wire.token(basic("AWS", password)), wire.token()
        frozen.move_to(start + hour - dt.timedelta(seconds=1))
        for token in (push, pull):
            assert wire.request("GET", "/v2/", token=token).status == 200
        frozen.move_to(start + hour)
        for token in (push, pull):
            for method, path in (("GET", "/v2/"), ("POST", f"/v2/{name}/blobs/uploads/")):
                assert_error(wire.request(method, path, token=token), 400, "DENIED", INVALID)
        # Drawn half an hour before the password expires: it lasts that half hour.
        frozen.move_to(start + 11 * hour + hour / 2)
        late = wire.token(basic("AWS", password))
        assert wire.request("POST", f"/v2/{name}/blobs/uploads/", token=late).status == 202
        # The authorization token as a bearer lasts as long as the password.
        bearer = data["authorizationToken"]
        assert wire.request("GET", "/v2/", token=bearer).status == 200
        frozen.move_to(start + 12 * hour)
        for token in (late, bearer):
            assert_error(wire.request("GET", "/v2/", token=token), 400, "DENIED", INVALID)
        answer = wire.request(
            "GET", "/token/", headers={"Authorization": basic("AWS", password)}, token=None
        )
        assert_error(answer, 403, "DENIED", EXPIRED)
        # A new password works again.
        fresh = wire.token(basic("AWS", password_of(wire.client)))
        assert wire.request("POST", f"/v2/{name}/blobs/uploads/", token=fresh).status == 202


# -- /v2/ itself, unknown paths and methods, names ----------------------------------------


def test_the_base_endpoint_unknown_paths_and_methods(wire):
    name = wire.name()
    for path in ("/v2/", "/v2"):
        for token in (wire.push, wire.pull):
            answer = wire.request("GET", path, token=token)
            assert answer == Answer(
                200, {**API_VERSION, "content-type": JSON_TYPE, "content-length": "2"}, b"{}"
            )
            answer = wire.request("HEAD", path, token=token)
            assert answer == Answer(
                200, {**API_VERSION, "content-type": JSON_TYPE, "content-length": "2"}, b""
            )
    for path in (
        "/v2/_catalog",
        "/v2/x",
        "/v2//",
        f"/v2/{name}",
        f"/v2/{name}/tags/other",
        f"/v2/{name}/tags/list/",
        f"/v2/{name}/manifests/",
        f"/v2/{name}/manifests/a/b",
        f"/v2/{name}/blobs/",
        f"/v2/{name}/blobs/uploads/a/b",
        "/v2/tags/list",
        "/token/x",
    ):
        for method in ("GET", "PUT"):
            answer = wire.request(method, path)
            assert_error(answer, 404, "UNSUPPORTED", UNSUPPORTED)
    # Beside the registry's paths: the server's own 404, no login challenge.
    answer = wire.request("GET", "/tokens")
    assert (answer.status, json.loads(answer.body)["__type"]) == (404, "NotFound")
    session = wire.session()
    blob = f"/v2/{name}/blobs/sha256:{'0' * 64}"
    for method, path, allow in (
        ("POST", "/v2/", "GET, HEAD"),
        ("DELETE", "/v2", "GET, HEAD"),
        ("POST", "/token/", "GET"),
        ("HEAD", "/token", "GET"),
        ("PUT", "/token/", "GET"),
        ("POST", f"/v2/{name}/manifests/latest", "GET, HEAD, PUT, DELETE"),
        ("PATCH", f"/v2/{name}/manifests/latest", "GET, HEAD, PUT, DELETE"),
        ("GET", f"/v2/{name}/blobs/uploads/", "POST"),
        ("PUT", f"/v2/{name}/blobs/uploads/", "POST"),
        ("POST", session, "GET, PATCH, PUT, DELETE"),
        ("HEAD", session, "GET, PATCH, PUT, DELETE"),
        ("DELETE", blob, "GET, HEAD"),
        ("PUT", blob, "GET, HEAD"),
        ("POST", f"/v2/{name}/blobs/uploads", "GET, HEAD"),  # a blob named "uploads"
        ("PUT", f"/v2/{name}/tags/list", "GET"),
        ("HEAD", f"/v2/{name}/tags/list", "GET"),
    ):
        for token in (wire.push, wire.pull):  # 405 before any push check
            answer = wire.request(method, path, token=token)
            head = method == "HEAD"
            assert_error(answer, 405, "UNSUPPORTED", UNSUPPORTED, head=head, allow=allow)


def test_an_anonymous_token_pushes_nothing(wire):
    digest, _ = wire.push_image("v1")
    session = wire.session()
    name = wire.name()
    for method, path in (
        ("POST", f"/v2/{name}/blobs/uploads/"),
        ("POST", f"/v2/{name}/blobs/uploads/?digest={sha256(b'x')}"),
        ("PATCH", session),
        ("PUT", f"{session}?digest={sha256(b'')}"),
        ("DELETE", session),
        ("PUT", f"/v2/{name}/manifests/v2"),
        ("DELETE", f"/v2/{name}/manifests/v1"),
        ("DELETE", f"/v2/{name}/manifests/{digest}"),
        ("PUT", f"/v2/{wire.alias}/nope/manifests/v1"),  # before the repository is looked up
    ):
        answer = wire.request(method, path, b"x", token=wire.pull)
        assert_error(answer, 403, "DENIED", NOT_AUTHORIZED)
    # Nothing changed: the session is open and empty, the image still tagged.
    assert wire.status_of(session) == 0
    assert wire.request("GET", f"/v2/{name}/tags/list", token=wire.pull).json()["tags"] == ["v1"]
    assert wire.request("GET", f"/v2/{name}/manifests/{digest}", token=wire.pull).status == 200
    # An upload is a push: even its status needs a push token.
    assert wire.request("GET", session, token=wire.pull).status == 403


def test_names_that_are_no_repository(wire):
    alias = wire.alias
    session = wire.session().rsplit("/", 1)[1]
    refs = {
        "manifests/latest": ("GET", "HEAD", "PUT", "DELETE"),
        f"blobs/sha256:{'0' * 64}": ("GET", "HEAD"),
        "blobs/uploads/": ("POST",),
        f"blobs/uploads/{session}": ("GET", "PATCH", "PUT", "DELETE"),
        "tags/list": ("GET",),
    }
    # A missing repository of this registry: a pull names the registry by its alias, a
    # push (an upload's status included) by its account, whatever the token.
    owner = object()
    cases = [
        ("other/app", "app", "other"),  # another registry's alias
        ("app", "app", alias),  # no alias
        (alias, alias, alias),  # no repository
        (f"{alias}/nope", "nope", owner),
        (f"{alias}/app/x", "app/x", owner),
    ]
    for token in (wire.pull, wire.push):
        for name, repo, named in cases:
            for ref, methods in refs.items():
                for method in methods:
                    pushing = method not in ("GET", "HEAD") or "uploads" in ref
                    if token is wire.pull and pushing:  # refused before any look-up
                        continue
                    if token is wire.pull and method == "HEAD" and ref.startswith("blobs/"):
                        continue  # challenged before any look-up (test_blob_head_and_get)
                    registry = (ACCOUNT if pushing else alias) if named is owner else named
                    body = b"{}" if method in ("PUT", "PATCH") else None
                    query = (
                        f"?digest={sha256(b'{}')}" if method == "PUT" and "uploads" in ref else ""
                    )
                    answer = wire.request(method, f"/v2/{name}/{ref}{query}", body, token=token)
                    assert_error(
                        answer,
                        404,
                        "NAME_UNKNOWN",
                        repo_not_found(repo, registry),
                        head=method == "HEAD",
                    )


def test_nested_repository_names(wire, client):
    """A name of several segments, even ones the routes use (``manifests``, ``blobs``,
    ``tags``): the last segments of a path say what it is."""
    for repo in ("team/app", "x/manifests/y", "x/blobs", "x/tags/list", "blobs/uploads"):
        client.create_repository(repositoryName=repo)
        digest, text = wire.push_image("v1", repo=repo, salt=repo)
        name = wire.name(repo)
        for ref in ("v1", digest):
            answer = wire.request("GET", f"/v2/{name}/manifests/{ref}")
            assert (answer.status, answer.body) == (200, text.encode()), repo
        answer = wire.request("GET", f"/v2/{name}/tags/list")
        assert answer.json() == {"name": name, "tags": ["v1"]}, repo
        config = json.loads(text)["config"]["digest"]
        answer = wire.request("GET", f"/v2/{name}/blobs/{config}")
        assert (answer.status, sha256(answer.body)) == (200, config), repo
    # ... and nothing of it under "app".
    answer = wire.request("GET", f"/v2/{wire.name()}/manifests/{digest}")
    assert_error(answer, 404, "MANIFEST_UNKNOWN", IMAGE_NOT_FOUND)


# -- blobs ---------------------------------------------------------------------------------


def blob_headers(digest: str, length: int, **extra) -> dict[str, str]:
    return {
        **API_VERSION,
        "content-type": "application/octet-stream",
        "docker-content-digest": digest,
        "accept-ranges": "bytes",
        "etag": f'"{digest}"',
        **{name.replace("_", "-"): value for name, value in extra.items()},
        "content-length": str(length),
    }


def test_blob_head_and_get(wire, client):
    data = b"some layer bytes"
    digest = wire.upload(data)
    path = f"/v2/{wire.name()}/blobs/{digest}"
    for token in (wire.push, wire.pull):
        assert wire.request("GET", path, token=token) == Answer(
            200, blob_headers(digest, len(data)), data
        )
    assert wire.request("HEAD", path, token=wire.push) == Answer(
        200, blob_headers(digest, len(data)), b""
    )
    # HEAD with an anonymous token is 401 and the challenge, while GET of the same blob
    # succeeds (aws/containers-roadmap#2671, distribution/distribution#4383,
    # buildbuddy-io/buildbuddy#12566); a HEAD of a manifest is served (buildbuddy#12635).
    realm = challenge(f"http://127.0.0.1:{wire.port}")
    answer = wire.request("HEAD", path, token=wire.pull)
    assert_error(answer, 401, "DENIED", NOT_AUTHORIZED, head=True, www_authenticate=realm)
    # Unknown to this repository: never pushed, or pushed to another one.
    client.create_repository(repositoryName="other")
    other = wire.upload(b"other bytes", repo="other")
    for missing in (f"sha256:{'0' * 64}", other, "sha512:" + "ab" * 64):
        for method in ("GET", "HEAD"):
            answer = wire.request(method, f"/v2/{wire.name()}/blobs/{missing}")
            assert_error(
                answer, 404, "BLOB_UNKNOWN", "blob unknown to registry", head=method == "HEAD"
            )
    for malformed in ("sha256:xyz", "nocolon", "sha256:", ":abc", "sha256:ab cd"):
        answer = wire.request("GET", f"/v2/{wire.name()}/blobs/{malformed.replace(' ', '%20')}")
        assert_error(answer, 400, "DIGEST_INVALID", f"invalid digest '{malformed}'")


def range_cases(size: int):
    """(Range header, expected (first, last) served, or None for the whole blob, or
    "416")."""
    return [
        ("bytes=0-9", (0, 9)),
        ("bytes=10-10", (10, 10)),
        (f"bytes=0-{size - 1}", (0, size - 1)),
        (f"bytes=5-{size + 50}", (5, size - 1)),
        (f"bytes={size - 1}-", (size - 1, size - 1)),
        ("bytes=90-", (90, size - 1)),
        ("bytes=-10", (size - 10, size - 1)),
        ("bytes=-1", (size - 1, size - 1)),
        (f"bytes=-{size}", (0, size - 1)),
        (f"bytes=-{size + 200}", (0, size - 1)),
        ("  bytes=3-4  ", (3, 4)),
        (f"bytes={size}-", "416"),
        (f"bytes={size}-{size + 5}", "416"),
        (f"bytes={size + 10}-{size + 20}", "416"),
        ("bytes=10-5", "416"),
        ("bytes=-0", "416"),
        # Not a single byte range this server understands: ignored, the whole blob.
        ("bytes=-", None),
        ("bytes=0-1,5-6", None),
        ("bytes=a-b", None),
        ("items=0-9", None),
        ("bytes 0-9", None),
        ("0-9", None),
        ("", None),
    ]


def assert_ranges(wire, digest: str, data: bytes, cases) -> None:
    path = f"/v2/{wire.name()}/blobs/{digest}"
    size = len(data)
    for header, expected in cases:
        for method in ("GET", "HEAD"):
            answer = wire.request(method, path, headers={"Range": header})
            if expected is None:
                body = data if method == "GET" else b""
                assert answer == Answer(200, blob_headers(digest, size), body), header
            elif expected == "416":
                message = (
                    f"the range '{header.strip()}' is not satisfiable: the blob has {size} bytes"
                )
                assert_error(
                    answer,
                    416,
                    "RANGE_NOT_SATISFIABLE",
                    message,
                    head=method == "HEAD",
                    content_range=f"bytes */{size}",
                )
            else:
                first, last = expected
                headers = blob_headers(
                    digest, last - first + 1, content_range=f"bytes {first}-{last}/{size}"
                )
                body = data[first : last + 1] if method == "GET" else b""
                assert answer == Answer(206, headers, body), header


def test_blob_ranges(wire):
    data = bytes(range(100))
    digest = wire.upload(data)
    assert_ranges(wire, digest, data, range_cases(len(data)))


@pytest.mark.ecr_public(min_layer_part_size=1)  # the 5 MiB rule has its own test
def test_ranges_across_the_stored_chunks_of_a_blob(wire, ecr):
    """A blob PATCHed in bodies over 1 MiB is stored in parts of about 1 MiB: every range
    is cut from the right parts (within one, across two or three, at the edges)."""
    data = blob_bytes(5 * MIB + 12345)
    location = wire.session()
    pieces = [data[: int(2.5 * MIB)], data[int(2.5 * MIB) : 4 * MIB], data[4 * MIB :]]
    offset = 0
    for piece in pieces:
        answer = wire.request("PATCH", location, piece)
        offset += len(piece)
        assert (answer.status, answer.headers["range"]) == (202, f"0-{offset - 1}")
    digest = sha256(data)
    assert wire.request("PUT", f"{location}?digest={digest}").status == 201
    chunks = ecr._state.registry.blobs[digest].chunks
    assert b"".join(chunks) == data
    assert len(chunks) >= 5, [len(c) for c in chunks]
    edges = [0]
    for chunk in chunks:
        edges.append(edges[-1] + len(chunk))
    size = len(data)
    a, b, c = edges[1], edges[2], edges[3]
    cases = [
        (f"bytes={a + 10}-{a + 20}", (a + 10, a + 20)),  # inside one part
        (f"bytes={a}-{b - 1}", (a, b - 1)),  # exactly one part
        (f"bytes={a - 1}-{a}", (a - 1, a)),  # across one edge
        (f"bytes={a - 5}-{c + 5}", (a - 5, c + 5)),  # across three parts
        (f"bytes={b}-", (b, size - 1)),  # from an edge to the end
        (f"bytes=0-{a - 1}", (0, a - 1)),  # the first part
        (f"bytes=-{size - a + 1}", (a - 1, size - 1)),
        (f"bytes={size - 1}-", (size - 1, size - 1)),
        (f"bytes={size}-", "416"),
        ("bytes=-", None),
    ]
    assert_ranges(wire, digest, data, cases)


def test_an_empty_blob(wire):
    digest = wire.upload(b"")
    assert digest == sha256(b"")
    path = f"/v2/{wire.name()}/blobs/{digest}"
    assert wire.request("GET", path) == Answer(200, blob_headers(digest, 0), b"")
    assert_ranges(wire, digest, b"", [("bytes=0-", "416"), ("bytes=-5", "416"), ("x", None)])


# -- uploads -------------------------------------------------------------------------------


def session_headers(wire, upload_id: str, received: int, status: int = 202) -> dict[str, str]:
    """An upload session's headers; a 204 (its status) has no Content-Length (RFC 9110)."""
    headers = {
        **API_VERSION,
        "location": f"{wire.url}/v2/{wire.name()}/blobs/uploads/{upload_id}",
        "range": f"0-{max(received - 1, 0)}",
        "docker-upload-uuid": upload_id,
    }
    return headers if status == 204 else {**headers, "content-length": "0"}


def created_headers(wire, digest: str) -> dict[str, str]:
    return {
        **API_VERSION,
        "location": f"{wire.url}/v2/{wire.name()}/blobs/{digest}",
        "docker-content-digest": digest,
        "content-length": "0",
    }


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.mark.ecr_public(min_layer_part_size=1)  # the 5 MiB rule has its own test
def test_an_upload_in_chunks(wire):
    answer = wire.request("POST", f"/v2/{wire.name()}/blobs/uploads/")
    upload_id = answer.headers["docker-upload-uuid"]
    assert UUID.fullmatch(upload_id)
    assert answer == Answer(202, session_headers(wire, upload_id, 0), b"")
    location = answer.headers["location"].removeprefix(wire.url)
    assert wire.request("GET", location) == Answer(
        204, session_headers(wire, upload_id, 0, 204), b""
    )
    data = b"0123456789abcdefghijklmnopqrstuvwxyz"
    steps = [  # (Content-Range or None, the bytes)
        (None, data[:5]),
        ("5-9", data[5:10]),
        ("bytes 10-14", data[10:15]),
        ("bytes=15-19", data[15:20]),
        (" 20-20 ", data[20:21]),
        (None, data[21:30]),
    ]
    received = 0
    for content_range, part in steps:
        headers = {} if content_range is None else {"Content-Range": content_range}
        answer = wire.request("PATCH", location, part, headers)
        received += len(part)
        assert answer == Answer(202, session_headers(wire, upload_id, received), b""), part
        assert wire.request("GET", location) == Answer(
            204, session_headers(wire, upload_id, received, 204), b""
        )
    # The closing PUT carries the last bytes.
    digest = sha256(data)
    answer = wire.request("PUT", f"{location}?digest={digest}", data[30:])
    assert answer == Answer(201, created_headers(wire, digest), b"")
    answer = wire.request("GET", f"/v2/{wire.name()}/blobs/{digest}")
    assert (answer.status, answer.body) == (200, data)
    # The session is over.
    answer = wire.request("GET", location)
    assert_error(answer, 404, "BLOB_UPLOAD_UNKNOWN", upload_not_found(upload_id))


@pytest.mark.ecr_public(min_layer_part_size=1)  # the 5 MiB rule has its own test
def test_a_chunked_body_and_a_put_without_a_body(wire):
    data = blob_bytes(3 * MIB + 7, seed=1)
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    # Chunked (no Content-Length), with a Content-Range and without one.
    first = [data[:10], data[10:20]]
    answer = wire.request("PATCH", location, headers={"Content-Range": "0-19"}, chunks=first)
    assert answer == Answer(202, session_headers(wire, upload_id, 20), b"")
    rest = [data[i : i + 300_000] for i in range(20, len(data), 300_000)]
    answer = wire.request("PATCH", location, chunks=rest)
    assert answer == Answer(202, session_headers(wire, upload_id, len(data)), b"")
    digest = sha256(data)
    answer = wire.request("PUT", f"{location}?digest={digest}")
    assert answer == Answer(201, created_headers(wire, digest), b"")
    assert wire.request("GET", f"/v2/{wire.name()}/blobs/{digest}").body == data
    # Pushed again: already there, still 201, still the same bytes.
    again = wire.session()
    assert wire.request("PATCH", again, data).status == 202
    answer = wire.request("PUT", f"{again}?digest={digest}")
    assert answer == Answer(201, created_headers(wire, digest), b"")
    answer = wire.request("POST", f"/v2/{wire.name()}/blobs/uploads/?digest={digest}", data)
    assert answer == Answer(201, created_headers(wire, digest), b"")
    # A closing PUT with a chunked body.
    small = b"chunked close"
    location = wire.session()
    digest = sha256(small)
    answer = wire.request("PUT", f"{location}?digest={digest}", chunks=[small[:4], small[4:]])
    assert answer == Answer(201, created_headers(wire, digest), b"")
    assert wire.request("GET", f"/v2/{wire.name()}/blobs/{digest}").body == small


def test_a_whole_blob_in_one_post_and_mount_requests(wire, client):
    name = wire.name()
    data = b"monolithic"
    digest = sha256(data)
    answer = wire.request("POST", f"/v2/{name}/blobs/uploads/?digest={digest}", data)
    assert answer == Answer(201, created_headers(wire, digest), b"")
    assert wire.request("HEAD", f"/v2/{name}/blobs/{digest}").status == 200
    # Bytes that do not match: refused, nothing stored.
    wrong = sha256(b"something else")
    answer = wire.request("POST", f"/v2/{name}/blobs/uploads/?digest={wrong}", data + b"!")
    assert_error(answer, 400, "DIGEST_INVALID", "provided digest did not match uploaded content")
    for target in (wrong, sha256(data + b"!")):
        assert wire.request("HEAD", f"/v2/{name}/blobs/{target}").status == 404
    for malformed in ("bad", "", "sha256:zz"):
        answer = wire.request("POST", f"/v2/{name}/blobs/uploads/?digest={malformed}", b"x")
        assert_error(answer, 400, "DIGEST_INVALID", f"invalid digest '{malformed}'")
    # A mount is an ordinary session (202), whether or not the blob is elsewhere.
    client.create_repository(repositoryName="other")
    elsewhere = wire.upload(b"in other", repo="other")
    for query in (
        f"?mount={elsewhere}&from={wire.name('other')}",
        f"?mount={sha256(b'nowhere')}&from={wire.name('other')}",
        f"?mount={elsewhere}",
    ):
        answer = wire.request("POST", f"/v2/{name}/blobs/uploads/{query}")
        upload_id = answer.headers["docker-upload-uuid"]
        assert answer == Answer(202, session_headers(wire, upload_id, 0), b""), query
    assert wire.request("HEAD", f"/v2/{name}/blobs/{elsewhere}").status == 404


def test_patches_out_of_order_are_refused(wire):
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    assert wire.request("PATCH", location, b"abc").status == 202
    for content_range, body in (
        ("0-2", b"def"),  # not where the upload is
        ("4-6", b"def"),
        ("3-5", b"de"),  # longer than the body
        ("3-4", b"def"),  # shorter than the body
        ("3-2", b""),  # ends before it starts
        ("x", b"def"),
        ("3-", b"def"),
        ("bytes 3-5,6-7", b"def"),
        ("bytes=3-5/6", b"def"),
        ("", b"def"),
        ("-3-5", b"def"),
    ):
        answer = wire.request("PATCH", location, body, {"Content-Range": content_range})
        message = f"invalid content range '{content_range}': the upload has 3 bytes"
        assert_error(answer, 416, "BLOB_UPLOAD_INVALID", message)
        # Nothing was taken, and the connection still serves.
        assert wire.request("GET", location) == Answer(
            204, session_headers(wire, upload_id, 3, 204), b""
        )
    answer = wire.request("PATCH", location, b"def", {"Content-Range": "3-5"})
    assert answer == Answer(202, session_headers(wire, upload_id, 6), b"")


def test_cancelled_closed_and_foreign_upload_ids(wire, client):
    name = wire.name()
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    assert wire.request("PATCH", location, b"abc").status == 202
    # PUT without a digest, or a malformed one: refused, the upload goes on.
    for query in ("", "?digest=", "?digest=nope", "?other=1"):
        answer = wire.request("PUT", f"{location}{query}", b"def")
        digest = query.partition("digest=")[2]
        assert_error(answer, 400, "DIGEST_INVALID", f"invalid digest '{digest}'")
    assert wire.status_of(location) == 3
    answer = wire.request("DELETE", location)
    assert answer == Answer(204, API_VERSION, b"")
    gone = upload_not_found(upload_id)
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        query = f"?digest={sha256(b'abc')}" if method == "PUT" else ""
        answer = wire.request(method, f"{location}{query}", b"x" if method == "PATCH" else None)
        assert_error(answer, 404, "BLOB_UPLOAD_UNKNOWN", gone)
    # With a Content-Range, the upload is looked up first.
    answer = wire.request("PATCH", location, b"x", {"Content-Range": "0-0"})
    assert_error(answer, 404, "BLOB_UPLOAD_UNKNOWN", gone)
    unknown = "00000000-0000-0000-0000-000000000000"
    answer = wire.request("GET", f"/v2/{name}/blobs/uploads/{unknown}")
    assert_error(answer, 404, "BLOB_UPLOAD_UNKNOWN", upload_not_found(unknown))
    # A PUT whose bytes do not match closes the upload.
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    answer = wire.request("PUT", f"{location}?digest={sha256(b'other')}", b"abc")
    assert_error(answer, 400, "DIGEST_INVALID", "provided digest did not match uploaded content")
    answer = wire.request("GET", location)
    assert_error(answer, 404, "BLOB_UPLOAD_UNKNOWN", upload_not_found(upload_id))
    # Another repository's upload is unknown here, and stays usable there.
    client.create_repository(repositoryName="other")
    theirs = wire.session("other")
    upload_id = theirs.rsplit("/", 1)[1]
    here = f"/v2/{name}/blobs/uploads/{upload_id}"
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        query = f"?digest={sha256(b'x')}" if method == "PUT" else ""
        answer = wire.request(method, f"{here}{query}", b"x" if method != "GET" else None)
        assert_error(answer, 404, "BLOB_UPLOAD_UNKNOWN", upload_not_found(upload_id))
    assert wire.request("PATCH", theirs, b"x").status == 202
    assert wire.request("PUT", f"{theirs}?digest={sha256(b'x')}").status == 201


@pytest.mark.ecr_public(max_layer_size=10, min_layer_part_size=1)
def test_the_layer_size_quota(wire):
    name = wire.name()
    over = "The layer exceeds the maximum layer size of 10 bytes"
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    assert_error(wire.request("PATCH", location, b"x" * 11), 403, "DENIED", over)
    assert wire.status_of(location) == 0
    answer = wire.request("PATCH", location, b"x" * 6)
    assert answer == Answer(202, session_headers(wire, upload_id, 6), b"")
    assert_error(wire.request("PATCH", location, b"y" * 5), 403, "DENIED", over)
    digest = sha256(b"x" * 6 + b"y" * 5)
    assert_error(wire.request("PUT", f"{location}?digest={digest}", b"y" * 5), 403, "DENIED", over)
    answer = wire.request("PUT", f"{location}?digest={sha256(b'x' * 10)}", b"x" * 4)
    assert answer.status == 201
    digest = sha256(b"z" * 11)
    answer = wire.request("POST", f"/v2/{name}/blobs/uploads/?digest={digest}", b"z" * 11)
    assert_error(answer, 403, "DENIED", over)


# -- manifests -----------------------------------------------------------------------------


def manifest_created(wire, digest: str, repo: str = "app") -> dict[str, str]:
    return {
        **API_VERSION,
        "location": f"{wire.url}/v2/{wire.name(repo)}/manifests/{digest}",
        "docker-content-digest": digest,
        "content-length": "0",
    }


def manifest_headers(media_type: str, digest: str, length: int) -> dict[str, str]:
    return {
        **API_VERSION,
        "content-type": media_type,
        "docker-content-digest": digest,
        "etag": f'"{digest}"',
        "content-length": str(length),
    }


def test_manifest_put_by_tag_and_by_digest(wire):
    docker = wire.image(media_type=DOCKER_MANIFEST)
    digest = sha256(docker)
    for _ in range(2):  # pushed again: already there, still 201
        answer = wire.put("v1", docker, DOCKER_MANIFEST)
        assert answer == Answer(201, manifest_created(wire, digest), b"")
    oci = wire.image(salt="by digest")
    for _ in range(2):
        answer = wire.put(sha256(oci), oci, OCI_MANIFEST)
        assert answer == Answer(201, manifest_created(wire, sha256(oci)), b"")
    # An OCI manifest may leave mediaType out: its Content-Type says what it is.
    bare = wire.image(media_type=None, salt="bare")
    answer = wire.put("bare", bare, OCI_MANIFEST + "; charset=utf-8")
    assert answer == Answer(201, manifest_created(wire, sha256(bare)), b"")
    # A Content-Type that is no manifest type counts for nothing.
    typed = wire.image(salt="typed")
    answer = wire.put("typed", typed, "application/json")
    assert answer == Answer(201, manifest_created(wire, sha256(typed)), b"")
    untyped = wire.image(salt="untyped")
    assert wire.put("untyped", untyped).status == 201
    for ref, media_type, text in (
        ("v1", DOCKER_MANIFEST, docker),
        (sha256(oci), OCI_MANIFEST, oci),
        ("bare", OCI_MANIFEST, bare),
        ("typed", OCI_MANIFEST, typed),
        ("untyped", OCI_MANIFEST, untyped),
    ):
        answer = wire.request("GET", f"/v2/{wire.name()}/manifests/{ref}")
        headers = manifest_headers(media_type, sha256(text), len(text.encode()))
        assert answer == Answer(200, headers, text.encode()), ref
    tags = wire.request("GET", f"/v2/{wire.name()}/tags/list").json()["tags"]
    assert tags == ["bare", "typed", "untyped", "v1"]
    # The longest tag the grammar allows.
    answer = wire.put("t" * 128, docker, DOCKER_MANIFEST)
    assert answer == Answer(201, manifest_created(wire, digest), b"")
    # A manifest of exactly the largest size PutImage takes.
    padded = docker + " " * (MANIFEST_LIMIT - len(docker.encode()))
    answer = wire.put("padded", padded, DOCKER_MANIFEST)
    assert answer == Answer(201, manifest_created(wire, sha256(padded)), b"")


def invalid(path: str, constraint: str) -> str:
    return f"Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'"


def test_manifest_put_refusals(wire):
    """None of the refusals stores anything. What PutImage refuses as
    InvalidParameterException is 405 ``UNSUPPORTED`` with PutImage's text, as ECR answers
    it (``{"errors":[{"code":"UNSUPPORTED","message":"Invalid parameter at 'ImageManifest'
    failed to satisfy constraint: 'Invalid JSON syntax'"}]}``: opcr-io/policy#149,
    oras-project/oras#1133); every other refusal is a 400."""
    name = wire.name()
    good = wire.image(media_type=DOCKER_MANIFEST).encode()
    missing_layer = image_manifest(
        descriptor(config_blob(), DOCKER_CONFIG), [descriptor(b"never uploaded", DOCKER_LAYER)]
    )
    never = config_blob(salt="never")
    missing_config = image_manifest(descriptor(never, OCI_CONFIG), [], media_type=OCI_MANIFEST)
    untyped = image_manifest(descriptor(config_blob(), OCI_CONFIG), [], media_type=None)
    orphan = sha256(b"no such image")
    index = manifest_list([(orphan, 10)], OCI_INDEX, OCI_MANIFEST)
    in_app = (
        "required for pushing image into repository with name 'app' in the registry with id "
        f"'{ACCOUNT}' do not exist"
    )
    wrong = f"sha256:{'0' * 64}"
    syntax = ("UNSUPPORTED", invalid("ImageManifest", "Invalid JSON syntax"))
    too_large = (
        "MANIFEST_INVALID",
        f"the manifest is larger than the service's {MANIFEST_LIMIT} bytes",
    )
    mismatch = invalid("imageManifestMediaType", "must match the mediaType of the manifest")
    unknown_type = invalid("imageManifestMediaType", "Invalid manifest media type")
    cases = [  # (reference, body, Content-Type, (code, message))
        ("v1", b"{not json", None, syntax),
        ("v1", b"[]", None, syntax),
        ("v1", untyped.encode(), None, syntax),  # no mediaType, and no Content-Type to say it
        ("v1", b"\xff\xfe{}", None, ("MANIFEST_INVALID", "the manifest is not UTF-8 text")),
        ("v1", good + b" " * (MANIFEST_LIMIT + 1 - len(good)), DOCKER_MANIFEST, too_large),
        ("v1", b" " * (6 * MIB), None, too_large),
        ("v1", good, OCI_MANIFEST, ("UNSUPPORTED", mismatch)),
        (
            "v1",
            b'{"schemaVersion": 2, "mediaType": "text/plain"}',
            None,
            ("UNSUPPORTED", unknown_type),
        ),
        (
            "v1",
            missing_layer.encode(),
            None,
            (
                "MANIFEST_BLOB_UNKNOWN",
                f"Layers with digests '[{sha256(b'never uploaded')}]' {in_app}",
            ),
        ),
        (
            "v1",
            missing_config.encode(),
            None,
            ("MANIFEST_BLOB_UNKNOWN", f"Layers with digests '[{sha256(never)}]' {in_app}"),
        ),
        (
            "v1",
            index.encode(),
            None,
            ("MANIFEST_BLOB_UNKNOWN", f"Images with digests '[{orphan}]' {in_app}"),
        ),
        (
            wrong,
            good,
            None,
            (
                "DIGEST_INVALID",
                f"The image with digest '{wrong}' in repository 'app' and registry ID "
                f"'{ACCOUNT}' does not match the image digest that Amazon ECR has calculated.",
            ),
        ),
    ]
    for tag in ("-bad", ".bad", "a" * 129, "bad!", "bad:tag", "sp ace"):
        cases.append((tag, good, None, ("TAG_INVALID", f"invalid tag '{tag}'")))
    for ref, body, content_type, (code, message) in cases:
        answer = wire.put(ref.replace(" ", "%20"), body, content_type)
        assert_error(answer, 405 if code == "UNSUPPORTED" else 400, code, message)
    assert wire.request("GET", f"/v2/{name}/tags/list").json() == {"name": name, "tags": []}
    answer = wire.request("GET", f"/v2/{name}/manifests/{sha256(good)}")
    assert_error(answer, 404, "MANIFEST_UNKNOWN", IMAGE_NOT_FOUND)


@pytest.mark.ecr_public(image_tag_mutability="IMMUTABLE")
def test_an_immutable_repository_keeps_its_tags(wire):
    digest, text = wire.push_image("v1")
    immutable = (
        "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten "
        "because the repository is immutable."
    )
    other = wire.image(salt="other")
    assert_error(wire.put("v1", other), 400, "TAG_INVALID", immutable)
    # The same content under the same tag is refused too (as ECR refuses it).
    assert_error(wire.put("v1", text), 400, "TAG_INVALID", immutable)
    # By digest, or under a new tag, it is accepted.
    assert wire.put(digest, text) == Answer(201, manifest_created(wire, digest), b"")
    assert wire.put("v2", text) == Answer(201, manifest_created(wire, digest), b"")
    assert wire.put(sha256(other), other).status == 201
    answer = wire.request("GET", f"/v2/{wire.name()}/manifests/v1")
    assert answer.headers["docker-content-digest"] == digest
    tags = wire.request("GET", f"/v2/{wire.name()}/tags/list").json()["tags"]
    assert tags == ["v1", "v2"]


@pytest.mark.ecr_public(max_images_per_repository=1)
def test_the_image_quota(wire):
    wire.push_image("v1")
    answer = wire.put("v2", wire.image(salt="second"))
    message = "The maximum number of images (1) in the repository with name 'app' has been reached"
    assert_error(answer, 403, "DENIED", message)


def test_manifest_get_and_head(wire):
    name = wire.name()
    digest, text = wire.push_image("v1", media_type=DOCKER_MANIFEST)
    headers = manifest_headers(DOCKER_MANIFEST, digest, len(text.encode()))
    for ref in ("v1", digest):
        for token in (wire.push, wire.pull):
            path = f"/v2/{name}/manifests/{ref}"
            assert wire.request("GET", path, token=token) == Answer(200, headers, text.encode())
            assert wire.request("HEAD", path, token=token) == Answer(200, headers, b"")
    for ref in ("v2", f"sha256:{'0' * 64}", "bad!tag", "sha256:abc"):
        for method in ("GET", "HEAD"):
            answer = wire.request(method, f"/v2/{name}/manifests/{ref}")
            head = method == "HEAD"
            assert_error(answer, 404, "MANIFEST_UNKNOWN", IMAGE_NOT_FOUND, head=head)


def test_accept_negotiation(wire):
    name = wire.name()
    docker, _ = wire.push_image("docker", media_type=DOCKER_MANIFEST, salt="d")
    oci, _ = wire.push_image("oci", salt="o")
    layer = wire.upload(b"v1 layer")
    signed = schema1_manifest([layer], tag="signed")
    unsigned = schema1_manifest([layer], tag="unsigned")
    kinds = {"docker": (DOCKER_MANIFEST, "schema 2 manifest", "schema 2 manifests")}
    kinds["oci"] = (OCI_MANIFEST, "OCI manifest", "OCI manifests")
    for tag, text, media_type, kind, plural in (
        ("list", manifest_list([(docker, 10)]), DOCKER_LIST, "manifest list", "manifest lists"),
        (
            "index",
            manifest_list([(oci, 10)], OCI_INDEX, OCI_MANIFEST),
            OCI_INDEX,
            "OCI index",
            "OCI indexes",
        ),
        ("signed", signed, DOCKER_SCHEMA1_SIGNED, "schema 1 manifest", "schema 1 manifests"),
        ("unsigned", unsigned, DOCKER_SCHEMA1, "schema 1 manifest", "schema 1 manifests"),
    ):
        assert wire.put(tag, text, media_type).status == 201, tag
        kinds[tag] = (media_type, kind, plural)
    others = {OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST, DOCKER_SCHEMA1}
    for tag, (media_type, kind, plural) in kinds.items():
        for method in ("GET", "HEAD"):
            for accept in (
                [],
                ["*/*"],
                ["application/*"],
                [media_type],
                [f"{media_type}; q=0.5"],
                [f"text/html, {media_type};q=0.9"],
                ["text/html", media_type],  # two headers: both count
                [" , *,", media_type],
            ):
                headers = [("Accept", value) for value in accept]
                headers.append(("Authorization", f"Bearer {wire.pull}"))
                answer = wire.send(method, f"/v2/{name}/manifests/{tag}", headers)
                assert (answer.status, answer.headers["content-type"]) == (200, media_type)
            # Pulled by tag, schema 2 and OCI manifests convert into each other
            # (test_manifest_conversion.py): leave the counterpart out.
            counterpart = {DOCKER_MANIFEST: OCI_MANIFEST, OCI_MANIFEST: DOCKER_MANIFEST}
            refused = others - {media_type, counterpart.get(media_type)}
            for accept in (
                [", ".join(sorted(refused))],
                sorted(refused),
                ["application/json"],
                ["text/*"],
            ):
                headers = [("Accept", value) for value in accept]
                headers.append(("Authorization", f"Bearer {wire.pull}"))
                answer = wire.send(method, f"/v2/{name}/manifests/{tag}", headers)
                message = f"{kind} found, but accept header does not support {plural}"
                assert_error(answer, 404, "MANIFEST_UNKNOWN", message, head=method == "HEAD")


def test_manifest_delete(wire, client):
    name = wire.name()

    def described():
        images = client.describe_images(repositoryName="app")["imageDetails"]
        return {image["imageDigest"]: sorted(image.get("imageTags", [])) for image in images}

    a, _ = wire.push_image("a1", salt="a")
    assert wire.put("a2", wire.request("GET", f"/v2/{name}/manifests/a1").body).status == 201
    accepted = Answer(202, {**API_VERSION, "content-length": "0"}, b"")
    # By tag: only the tag, while the image has another.
    assert wire.request("DELETE", f"/v2/{name}/manifests/a1") == accepted
    assert described() == {a: ["a2"]}
    assert_error(
        wire.request("GET", f"/v2/{name}/manifests/a1"), 404, "MANIFEST_UNKNOWN", IMAGE_NOT_FOUND
    )
    assert wire.request("GET", f"/v2/{name}/manifests/{a}").status == 200
    # Its last tag takes the image with it (BatchDeleteImage).
    assert wire.request("DELETE", f"/v2/{name}/manifests/a2") == accepted
    assert described() == {}
    # By digest: the image and every tag.
    b, _ = wire.push_image("b1", salt="b")
    assert wire.put("b2", wire.request("GET", f"/v2/{name}/manifests/b1").body).status == 201
    assert wire.request("DELETE", f"/v2/{name}/manifests/{b}") == accepted
    assert described() == {}
    for ref in (b, "b1", "b2"):
        answer = wire.request("GET", f"/v2/{name}/manifests/{ref}")
        assert_error(answer, 404, "MANIFEST_UNKNOWN", IMAGE_NOT_FOUND)
        answer = wire.request("DELETE", f"/v2/{name}/manifests/{ref}")
        assert_error(answer, 404, "MANIFEST_UNKNOWN", IMAGE_NOT_FOUND)
    # An image an index names stays, by digest or by its only tag.
    c, _ = wire.push_image("c", salt="c")
    index = manifest_list([(c, 10)], OCI_INDEX, OCI_MANIFEST)
    assert wire.put("idx", index, OCI_INDEX).status == 201
    for ref in (c, "c"):
        answer = wire.request("DELETE", f"/v2/{name}/manifests/{ref}")
        message = f"Requested image referenced by manifest list: [{sha256(index)}]"
        assert_error(answer, 409, "DENIED", message)
    assert described() == {c: ["c"], sha256(index): ["idx"]}
    assert wire.request("DELETE", f"/v2/{name}/manifests/{sha256(index)}") == accepted
    assert wire.request("DELETE", f"/v2/{name}/manifests/c") == accepted
    assert described() == {}


def test_tags_list(wire):
    name = wire.name()
    path = f"/v2/{name}/tags/list"

    def page(tags):
        body = json.dumps({"name": name, "tags": tags}).encode()
        return {**API_VERSION, "content-type": JSON_TYPE, "content-length": str(len(body))}, body

    headers, body = page([])
    assert wire.request("GET", path, token=wire.pull) == Answer(200, headers, body)
    _, text = wire.push_image("b")
    for tag in ("a", "c10", "c2", "A", "_x"):
        assert wire.put(tag, text).status == 201
    ordered = ["A", "_x", "a", "b", "c10", "c2"]
    for query, tags, link in (
        ("", ordered, None),
        ("?n=10", ordered, None),
        ("?n=6", ordered, None),
        ("?n=2", ["A", "_x"], "n=2&last=_x"),
        ("?n=2&last=_x", ["a", "b"], "n=2&last=b"),
        ("?n=2&last=b", ["c10", "c2"], None),
        ("?n=3&last=a", ["b", "c10", "c2"], None),
        ("?n=1&last=c", ["c10"], "n=1&last=c10"),
        ("?last=b", ["c10", "c2"], None),
        ("?last=", ordered, None),
        ("?last=zzz", [], None),
        ("?n=0", [], None),
        ("?n=0&last=a", [], None),
        ("?n=007", ordered, None),
        ("?n=1&n=5", ["A"], "n=1&last=A"),  # the first value counts
    ):
        headers, body = page(tags)
        if link is not None:
            headers["link"] = f'</v2/{name}/tags/list?{link}>; rel="next"'
        answer = wire.request("GET", path + query, token=wire.pull)
        assert answer == Answer(200, headers, body), query
    for bad in ("abc", "-1", "", "1.5", "+1", " 1", "0x10"):
        encoded = bad.replace(" ", "%20").replace("+", "%2B")
        answer = wire.request("GET", f"{path}?n={encoded}")
        message = f"invalid number of results requested: '{bad}'"
        assert_error(answer, 400, "PAGINATION_NUMBER_INVALID", message)
    # A listing follows every change, a removal as much as an addition.
    assert wire.request("DELETE", f"/v2/{name}/manifests/c10").status == 202
    assert wire.request("GET", path).json()["tags"] == ["A", "_x", "a", "b", "c2"]


def test_tags_list_with_a_superscript_digit_is_a_bad_number(wire):
    answer = wire.request("GET", f"/v2/{wire.name()}/tags/list?n=%C2%B2")
    assert_error(
        answer, 400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested: '\u00b2'"
    )


# -- one backend: what /v2/ pushes the API sees, and the other way round -------------------


def test_an_image_pushed_over_v2_is_the_apis(wire, client, ecr):
    layers = (b"first layer", blob_bytes(2 * MIB, seed=2))
    digest, text = wire.push_image("v1", layers=layers)
    assert wire.put("latest", text).status == 201
    size = sum(len(layer) for layer in layers)
    (detail,) = client.describe_images(repositoryName="app")["imageDetails"]
    pushed_at = detail.pop("imagePushedAt")
    assert isinstance(pushed_at, dt.datetime)
    assert detail == {
        "registryId": ACCOUNT,
        "repositoryName": "app",
        "imageDigest": digest,
        "imageTags": ["v1", "latest"],
        "imageSizeInBytes": size,
        "imageManifestMediaType": OCI_MANIFEST,
        "artifactMediaType": OCI_CONFIG,
    }
    tags = client.describe_image_tags(repositoryName="app")["imageTagDetails"]
    assert [(t["imageTag"], t["imageDetail"]) for t in tags] == [
        (
            tag,
            {
                "imageDigest": digest,
                "imageSizeInBytes": size,
                "imagePushedAt": pushed_at,
                "imageManifestMediaType": OCI_MANIFEST,
                "artifactMediaType": OCI_CONFIG,
            },
        )
        for tag in ("v1", "latest")
    ]
    layer_digests = [sha256(layer) for layer in layers]
    available = client.batch_check_layer_availability(
        repositoryName="app", layerDigests=layer_digests
    )["layers"]
    assert [(lay["layerDigest"], lay["layerSize"], lay["mediaType"]) for lay in available] == [
        (sha256(layer), len(layer), OCI_LAYER) for layer in layers
    ]
    view = ecr.repositories["app"]
    assert sorted(view.tags) == ["latest", "v1"]


def test_an_image_the_helper_pushed_pulls_byte_for_byte(wire, ecr):
    layers = [b"one", blob_bytes(3 * MIB + 1, seed=3)]
    digest = ecr.push_image("app", "v1", layers=layers)
    name = wire.name()
    answer = wire.request("GET", f"/v2/{name}/manifests/v1", token=wire.pull)
    assert (answer.status, answer.headers["docker-content-digest"]) == (200, digest)
    assert sha256(answer.body) == digest
    manifest = json.loads(answer.body)
    assert manifest["mediaType"] == answer.headers["content-type"] == DOCKER_MANIFEST
    blobs = [manifest["config"], *manifest["layers"]]
    pulled = []
    for item in blobs:
        answer = wire.request("GET", f"/v2/{name}/blobs/{item['digest']}", token=wire.pull)
        assert answer.status == 200
        assert (sha256(answer.body), len(answer.body)) == (item["digest"], item["size"])
        pulled.append(answer.body)
    assert pulled[1:] == layers
    assert json.loads(pulled[0])["rootfs"]["diff_ids"] == [sha256(layer) for layer in layers]


def test_pushes_are_in_the_call_log_and_pulls_are_not(wire, ecr):
    name = wire.name()
    before = len(ecr.calls)
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    wire.request("PATCH", location, b"abc")
    wire.request("PATCH", location, b"abc", {"Content-Range": "0-2"})
    wire.request("PUT", f"{location}?digest={sha256(b'abc')}")
    wire.request("GET", f"/v2/{name}/blobs/{sha256(b'abc')}")
    wire.request("GET", f"/v2/{name}/tags/list")
    text = image_manifest(descriptor(b"abc", OCI_CONFIG), [], media_type=OCI_MANIFEST)
    wire.put("v1", text)
    wire.put(sha256(text), text)
    wire.put("v2", "{}")
    wire.request("GET", f"/v2/{name}/manifests/v1")
    wire.request("DELETE", f"/v2/{name}/manifests/v1")
    # Gone with its last tag: this one fails, and is logged with the registry's code.
    wire.request("DELETE", f"/v2/{name}/manifests/{sha256(text)}")
    cancelled = wire.session()
    wire.request("DELETE", cancelled)
    wire.request("POST", f"/v2/{wire.alias}/nope/blobs/uploads/")
    wire.request("POST", f"/v2/{name}/blobs/uploads/", token=wire.pull)  # refused: not logged
    calls = [(c.operation, c.params, c.outcome) for c in ecr.calls[before:]]
    assert calls == [
        ("InitiateLayerUpload", {"repositoryName": "app"}, "success"),
        ("UploadLayerPart", {"repositoryName": "app", "uploadId": upload_id}, "success"),
        (
            "UploadLayerPart",
            {"repositoryName": "app", "uploadId": upload_id},
            "BLOB_UPLOAD_INVALID",
        ),
        ("CompleteLayerUpload", {"repositoryName": "app", "uploadId": upload_id}, "success"),
        ("PutImage", {"repositoryName": "app", "imageTag": "v1"}, "success"),
        ("PutImage", {"repositoryName": "app", "imageDigest": sha256(text)}, "success"),
        ("PutImage", {"repositoryName": "app", "imageTag": "v2"}, "InvalidParameterException"),
        (
            "BatchDeleteImage",
            {"repositoryName": "app", "imageIds": [{"imageTag": "v1"}]},
            "success",
        ),
        (
            "BatchDeleteImage",
            {"repositoryName": "app", "imageIds": [{"imageDigest": sha256(text)}]},
            "MANIFEST_UNKNOWN",
        ),
        ("InitiateLayerUpload", {"repositoryName": "app"}, "success"),
        ("InitiateLayerUpload", {"repositoryName": "nope"}, "RepositoryNotFoundException"),
    ]


# -- injected faults ----------------------------------------------------------------------


def test_a_fault_injected_for_put_image_fails_a_manifest_push_once(wire, ecr):
    """``inject_fault`` reaches the registry's pushes by the API operation each amounts
    to: the push fails with the fault's code, message and status, changes nothing, is
    logged, and the next push succeeds."""
    text = wire.image()
    ecr.inject_fault("ServerException", operation="PutImage")
    assert_error(wire.put("v1", text), 500, "ServerException", "Internal Server Error")
    assert wire.request("GET", f"/v2/{wire.name()}/manifests/v1").status == 404
    assert (ecr.calls[-1].operation, ecr.calls[-1].outcome) == ("PutImage", "ServerException")
    assert wire.put("v1", text).status == 201


@pytest.mark.parametrize(
    ("operation", "method", "path"),
    [
        ("InitiateLayerUpload", "POST", "/v2/{name}/blobs/uploads/"),
        ("UploadLayerPart", "PATCH", "{session}"),
        ("CompleteLayerUpload", "PUT", "{session}?digest={digest}"),
        ("BatchDeleteImage", "DELETE", "/v2/{name}/manifests/v1"),
    ],
)
def test_a_fault_takes_the_status_and_code_a_test_gives(wire, ecr, operation, method, path):
    """The distribution-spec's 429 ``TOOMANYREQUESTS``, say, is one fault away."""
    wire.push_image("v1")
    path = path.format(name=wire.name(), session=wire.session(), digest=sha256(b"x"))
    ecr.inject_fault("TOOMANYREQUESTS", operation=operation, message="slow down", status=429)
    # A pull is no operation of the API: no fault applies to it.
    assert wire.request("GET", f"/v2/{wire.name()}/manifests/v1").status == 200
    assert_error(wire.request(method, path, b"x"), 429, "TOOMANYREQUESTS", "slow down")
    assert ecr._state.faults == []  # used up


# -- URIs while served ---------------------------------------------------------------------


def test_uris_name_the_server_while_it_serves(ecr, client):
    alias = ecr.registry_alias
    assert client.describe_repositories()["repositories"][0]["repositoryUri"] == (
        f"public.ecr.aws/{alias}/app"
    )
    with ecr.serve() as srv:
        host = f"127.0.0.1:{srv.port}"
        created = client.create_repository(repositoryName="web")["repository"]
        assert created["repositoryUri"] == f"{host}/{alias}/web"
        uris = [r["repositoryUri"] for r in client.describe_repositories()["repositories"]]
        assert uris == [f"{host}/{alias}/app", f"{host}/{alias}/web"]
        assert client.describe_registries()["registries"][0]["registryUri"] == f"{host}/{alias}"
        # A reset keeps serving at the same address.
        connection = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        connection.request("POST", "/_ecrpublic_mock/reset")
        assert connection.getresponse().status == 200
        connection.close()
        created = client.create_repository(repositoryName="after")["repository"]
        assert created["repositoryUri"] == f"{host}/{alias}/after"
    assert client.describe_repositories()["repositories"][0]["repositoryUri"] == (
        f"public.ecr.aws/{alias}/after"
    )
    assert client.describe_registries()["registries"][0]["registryUri"] == f"public.ecr.aws/{alias}"


@pytest.mark.ecr_public(public_uris=True)
def test_public_uris_keep_the_aws_form_while_served(ecr, client, ecr_public_server):
    alias = ecr.registry_alias
    created = client.create_repository(repositoryName="web")["repository"]
    assert created["repositoryUri"] == f"public.ecr.aws/{alias}/web"
    assert client.describe_registries()["registries"][0]["registryUri"] == f"public.ecr.aws/{alias}"
    # ... and the server is a registry all the same.
    wire = Wire(ecr_public_server, client)
    try:
        digest, _ = wire.push_image("v1", repo="web")
        assert (
            client.describe_images(repositoryName="web")["imageDetails"][0]["imageDigest"] == digest
        )
    finally:
        wire.close()


# -- the wire misbehaving ------------------------------------------------------------------


def test_a_reset_ends_uploads_tokens_and_passwords(wire, client):
    name = wire.name()
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    assert wire.request("PATCH", location, b"abc").status == 202
    # A reset while a PATCH body is under way: the rest of it finds no repository.
    data = blob_bytes(MIB + MIB // 2, seed=4)
    streaming = wire.session()
    other = http.client.HTTPConnection("127.0.0.1", wire.port, timeout=30)
    other.putrequest("PATCH", streaming)
    other.putheader("Authorization", f"Bearer {wire.push}")
    other.putheader("Transfer-Encoding", "chunked")
    other.endheaders()
    other.send(b"%x\r\n%s\r\n" % (len(data), data))
    received = wait_for(lambda: wire.status_of(streaming), "the first part of the PATCH")
    assert MIB <= received < len(data)
    answer = wire.request("POST", "/_ecrpublic_mock/reset", token=None)
    assert (answer.status, answer.body) == (200, b'{"reset": true}')
    other.send(b"4\r\ntail\r\n0\r\n\r\n")
    response = other.getresponse()
    body = response.read()
    other.close()
    assert (response.status, body) == (
        404,
        oci_error("NAME_UNKNOWN", repo_not_found("app", ACCOUNT)),
    )
    # The registry's key is new: its old tokens and passwords mean nothing.
    answer = wire.request("GET", location)
    assert_error(answer, 400, "DENIED", INVALID)
    answer = wire.request(
        "GET", "/token/", headers={"Authorization": basic("AWS", wire.password)}, token=None
    )
    assert_error(answer, 403, "DENIED", NOT_AUTHORIZED)
    # With new credentials and the repository again, the upload is still unknown.
    client.create_repository(repositoryName="app")
    push = wire.token(basic("AWS", password_of(client)))
    for path in (location, streaming):
        answer = wire.request("PATCH", path, b"def", token=push)
        assert_error(answer, 404, "BLOB_UPLOAD_UNKNOWN", upload_not_found(path.rsplit("/", 1)[1]))
    assert upload_id != streaming.rsplit("/", 1)[1]
    assert wire.request("GET", f"/v2/{name}/tags/list", token=push).status == 200


def test_a_client_gone_mid_patch_leaves_the_upload_where_it_was(wire):
    data = blob_bytes(3 * MIB, seed=5)
    location = wire.session()
    sock = raw(wire)
    head = (
        f"PATCH {location} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {wire.push}\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode()
    sock.sendall(head + data[: 2 * MIB])
    received = wait_for(lambda: wire.status_of(location), "the first part of the PATCH")
    sock.close()
    assert MIB <= received < 2 * MIB
    # The server notices, and serves on; the upload resumes where it stopped.
    time.sleep(0.2)
    assert wire.status_of(location) == received
    assert wire.request("GET", "/v2/").status == 200
    answer = wire.request(
        "PATCH", location, data[received:], {"Content-Range": f"{received}-{len(data) - 1}"}
    )
    assert (answer.status, answer.headers["range"]) == (202, f"0-{len(data) - 1}")
    digest = sha256(data)
    assert wire.request("PUT", f"{location}?digest={digest}").status == 201
    assert wire.request("GET", f"/v2/{wire.name()}/blobs/{digest}").body == data


@pytest.fixture
def quick(ecr, client):
    """The test's mock served again, by a server that waits only 0.5 s for a body."""
    with BackgroundServer(ecr._state, request_timeout=0.5) as srv:
        w = Wire(srv, client)
        yield w
        w.close()


def stall(wire, method: str, path: str) -> tuple[str, dict[str, str], bytes, float, bool]:
    """A request whose body stops after 3 of its 100 bytes: the answer, how long it took,
    and whether the server then closed the connection."""
    sock = raw(wire)
    try:
        sock.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {wire.push}\r\n"
            "Content-Length: 100\r\n\r\nabc".encode()
        )
        started = time.monotonic()
        status_line, headers, body = read_answer(sock)
        return status_line, headers, body, time.monotonic() - started, closed(sock)
    finally:
        sock.close()


def test_a_stalled_body_is_408_and_closes_the_connection(quick):
    name = quick.name()
    message = (
        b'{"errors":[{"code":"RequestTimeout",'
        b'"message":"The request body came too slowly: each 1 MiB of it, or all of a '
        b'shorter body, must arrive within 0.5 s"}]}\n'
    )
    location = quick.session()
    for method, path in (
        ("PATCH", location),
        ("PUT", f"{location}?digest={sha256(b'abc')}"),
        ("POST", f"/v2/{name}/blobs/uploads/?digest={sha256(b'abc')}"),
        ("PUT", f"/v2/{name}/manifests/v1"),
    ):
        status_line, headers, body, took, was_closed = stall(quick, method, path)
        assert status_line == "HTTP/1.1 408 Request Timeout"
        assert headers == {
            "docker-distribution-api-version": "registry/2.0",
            "content-type": "application/json; charset=utf-8",
            "connection": "close",
            "content-length": str(len(message)),
        }
        assert body == message
        assert 0.4 < took < 5
        assert was_closed
    # The bytes of a part cut short were not kept; the upload is open, the server serves.
    assert quick.status_of(location) == 0
    assert quick.request("GET", "/v2/").status == 200


def test_a_stalled_body_is_answered_with_the_registrys_error_body(quick):
    _, _, body, _, _ = stall(quick, "PATCH", quick.session())
    errors = json.loads(body)
    assert list(errors) == ["errors"]
    assert [e["message"] for e in errors["errors"]] == [
        "The request body came too slowly: each 1 MiB of it, or all of a shorter body, "
        "must arrive within 0.5 s"
    ]


def test_a_stalled_patch_is_logged_with_its_failure(quick, ecr):
    location = quick.session()
    stall(quick, "PATCH", location)
    call = ecr.calls[-1]
    assert (call.operation, call.outcome) == ("UploadLayerPart", "RequestTimeout")


def test_a_204_has_no_content_length(wire):
    location = wire.session()
    assert "content-length" not in wire.request("GET", location).headers
    assert "content-length" not in wire.request("DELETE", location).headers


def test_a_bug_is_a_500_with_a_traceback_on_stderr(wire, monkeypatch, capsys):
    def broken(*args):
        raise ZeroDivisionError("boom")

    (tags,) = [route for route in routes.ROUTES if route.pattern.pattern.endswith("/tags/list")]
    monkeypatch.setitem(tags.methods, "GET", (broken, None))
    answer = wire.request("GET", f"/v2/{wire.name()}/tags/list")
    body = b'{"errors":[{"code":"InternalFailure","message":"ZeroDivisionError(\'boom\')"}]}\n'
    assert answer == Answer(
        500,
        {
            "docker-distribution-api-version": "registry/2.0",
            "content-type": "application/json; charset=utf-8",
            "content-length": str(len(body)),
        },
        body,
    )
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "ZeroDivisionError: boom" in err
    # The server serves on, on the same connection.
    assert wire.request("GET", "/v2/").status == 200


def test_a_bug_in_a_push_is_logged_as_internal_failure(wire, ecr, monkeypatch, capsys):
    """The call log records an error code, never a Python class name: a bug in a push
    is ``InternalFailure``, the code the 500 answer carries."""

    def broken(*args):
        raise ValueError("boom")

    (route,) = [r for r in routes.ROUTES if r.pattern.pattern.endswith("/manifests/(?P<ref>[^/]+)")]
    monkeypatch.setitem(route.methods, "DELETE", (broken, "BatchDeleteImage"))
    answer = wire.request("DELETE", f"/v2/{wire.name()}/manifests/v1")
    assert answer.status == 500
    assert json.loads(answer.body)["errors"][0]["code"] == "InternalFailure"
    call = ecr.calls[-1]
    assert (call.operation, call.outcome) == ("BatchDeleteImage", "InternalFailure")
    assert "ValueError: boom" in capsys.readouterr().err


def test_a_download_cut_short_leaves_the_server_serving(wire, capsys):
    data = blob_bytes(8 * MIB, seed=6)
    digest = wire.upload(data)
    for _ in range(3):
        sock = raw(wire)
        sock.sendall(
            f"GET /v2/{wire.name()}/blobs/{digest} HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {wire.pull}\r\n\r\n".encode()
        )
        assert sock.recv(12) == b"HTTP/1.1 200"
        sock.close()
    answer = wire.request("GET", f"/v2/{wire.name()}/blobs/{digest}", headers={"Range": "bytes=-3"})
    assert (answer.status, answer.body) == (206, data[-3:])
    assert wire.request("GET", f"/v2/{wire.name()}/blobs/{digest}").body == data
    assert "Traceback" not in capsys.readouterr().err


def test_concurrent_uploads_do_not_wait_for_each_other(wire):
    """A PATCH whose body is still coming holds no lock: another upload completes."""
    slow = wire.session()
    other = http.client.HTTPConnection("127.0.0.1", wire.port, timeout=30)
    other.putrequest("PATCH", slow)
    other.putheader("Authorization", f"Bearer {wire.push}")
    other.putheader("Content-Length", "10")
    other.endheaders()
    other.send(b"12345")
    done = threading.Event()
    digest = []

    def push():
        digest.append(wire.upload(b"meanwhile"))
        done.set()

    thread = threading.Thread(target=push)
    thread.start()
    assert done.wait(10)
    thread.join()
    other.send(b"67890")
    response = other.getresponse()
    response.read()
    other.close()
    assert (response.status, response.getheader("Range")) == (202, "0-9")
    assert digest == [sha256(b"meanwhile")]
