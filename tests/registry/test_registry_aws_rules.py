"""Where public.ecr.aws answers differently from a lenient registry: throttling, the pull
rate quotas, the chunk size rule, a last chunk out of order, digest algorithms, and the
manifest HEAD an anonymous token may still make. Every answer is checked whole, over raw
HTTP (docs/aws-behaviour.md, section "Registry protocol")."""

from __future__ import annotations

import base64
import datetime as dt

import freezegun
import pytest
from _manifests import sha256
from test_registry_protocol import (
    API_VERSION,
    Answer,
    assert_error,
    created_headers,
    session_headers,
)

pytestmark = pytest.mark.slow

RATE_EXCEEDED = "Rate exceeded"


@pytest.fixture
def repositories():
    return ("app",)


@pytest.mark.parametrize(
    ("code", "message"),
    [("ThrottlingException", None), ("TOOMANYREQUESTS", None), ("ThrottlingException", "Slow")],
)
def test_a_throttled_push_is_429_toomanyrequests(wire, ecr_public, code, message):
    """A throttled registry request is ``429`` ``{"errors":[{"code":"TOOMANYREQUESTS",
    "message":"Rate exceeded"}]}``, which docker prints as "toomanyrequests: Rate exceeded"
    (ECR's troubleshooting page quoted in mitogen-hq/mitogen#790; aws/aws-cdk#23923)."""
    text = wire.image()
    ecr_public.inject_fault(code, operation="PutImage", message=message)
    answer = wire.put("v1", text)
    assert_error(answer, 429, "TOOMANYREQUESTS", message or RATE_EXCEEDED)
    assert wire.put("v1", text).status == 201  # the fault is spent
    # The call log keeps the API's outcome: the code injected.
    assert [call.outcome for call in ecr_public.calls[-2:]] == [code, "success"]


def test_pull_rate_quotas_are_off_by_default(wire):
    wire.push_image("v1")
    with freezegun.freeze_time("2026-01-01"):
        for _ in range(12):
            assert (
                wire.request("GET", f"/v2/{wire.name()}/manifests/v1", token=wire.pull).status
                == 200
            )


@pytest.mark.ecr_public(pull_rate_limits=True)
def test_pull_rate_quotas_when_asked_for(wire):
    """ECR Public's quota page: "Rate of unauthenticated image pulls: 1 per second" (per
    source IP address) and "Rate of authenticated image pulls: 10 per second" (per account)
    (https://docs.aws.amazon.com/AmazonECR/latest/public/public-service-quotas.html). A
    manifest GET is a pull; HEAD and blobs are not counted (the mock's choice)."""
    digest, _ = wire.push_image("v1")
    path = f"/v2/{wire.name()}/manifests/v1"
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    with freezegun.freeze_time(start) as frozen:
        assert wire.request("GET", path, token=wire.pull).status == 200
        assert_error(
            wire.request("GET", path, token=wire.pull), 429, "TOOMANYREQUESTS", RATE_EXCEEDED
        )
        # Not pulls: a HEAD of the manifest, a blob.
        assert wire.request("HEAD", path, token=wire.pull).status == 200
        # Authenticated pulls count apart, ten a second.
        for _ in range(10):
            assert wire.request("GET", path).status == 200
        assert_error(wire.request("GET", path), 429, "TOOMANYREQUESTS", RATE_EXCEEDED)
        frozen.tick(dt.timedelta(seconds=1))
        assert (
            wire.request("GET", f"/v2/{wire.name()}/manifests/{digest}", token=wire.pull).status
            == 200
        )
        assert wire.request("GET", path).status == 200


@pytest.mark.ecr_public(min_layer_part_size=4)
def test_every_chunk_but_the_last_is_at_least_the_minimum_part_size(wire):
    """ECR "require[s] all chunked uploads to be at least 5MB in size, except the last
    chunk" (dotnet/sdk#33019) and refuses the upload with ``BLOB_UPLOAD_INVALID``, a 400
    (dotnet/sdk-container-builds#472); the text is the API's LayerPartTooSmallException
    (real, from CloudTrail: dotnet/sdk-container-builds#424). The rule is the minimum part
    size of the API's UploadLayerPart (``min_layer_part_size``, 5 MiB by default): it is
    checked when the upload closes, as CompleteLayerUpload checks it."""
    name = wire.name()
    for chunks in ([b"abcd", b"e"], [b"abcdefg"], [b"abcd", b"efgh", b""]):
        data = b"".join(chunks)
        location = wire.session()
        for chunk in chunks:
            assert wire.request("PATCH", location, chunk).status == 202
        answer = wire.request("PUT", f"{location}?digest={sha256(data)}")
        assert answer.status == 201, chunks
    location = wire.session()
    for chunk in (b"xyz", b"01234"):
        assert wire.request("PATCH", location, chunk).status == 202
    answer = wire.request("PUT", f"{location}?digest={sha256(b'xyz01234')}")
    message = "All layer parts except the last part should be at least 4 bytes"
    assert_error(answer, 400, "BLOB_UPLOAD_INVALID", message)
    # The upload is over, as a refused CompleteLayerUpload's is.
    assert wire.request("GET", location).status == 404
    assert wire.request("HEAD", f"/v2/{name}/blobs/{sha256(b'xyz01234')}").status == 404


@pytest.mark.ecr_public(min_layer_part_size=1)
def test_a_closing_put_with_a_last_chunk_out_of_order_is_416_and_the_session_lives(wire):
    """distribution-spec, "Pushing a blob in chunks": a chunk that does not start where the
    upload is gets ``416``; the closing PUT's last chunk too. The session stays usable."""
    location = wire.session()
    upload_id = location.rsplit("/", 1)[1]
    assert wire.request("PATCH", location, b"abc").status == 202
    digest = sha256(b"abcdef")
    bad = {"Content-Range": "5-7", "Content-Type": "application/octet-stream"}
    answer = wire.request("PUT", f"{location}?digest={digest}", b"def", headers=bad)
    message = "invalid content range '5-7': the upload has 3 bytes"
    assert_error(answer, 416, "BLOB_UPLOAD_INVALID", message)
    assert wire.request("GET", location) == Answer(
        204, session_headers(wire, upload_id, 3, 204), b""
    )
    good = {"Content-Range": "3-5"}
    answer = wire.request("PUT", f"{location}?digest={digest}", b"def", headers=good)
    assert answer == Answer(201, created_headers(wire, digest), b"")


def test_only_sha256_digests_are_stored(wire):
    """AWS's API documents layer digests as "the sha256 digest of the image layer"
    (https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_Layer.html) and
    leaves other algorithms undocumented: the mock refuses them, naming the algorithm."""
    sha512 = "sha512:" + "ab" * 64
    answer = wire.request("POST", f"/v2/{wire.name()}/blobs/uploads/?digest={sha512}", b"x")
    message = "unsupported digest algorithm 'sha512': the registry stores sha256"
    assert_error(answer, 400, "DIGEST_INVALID", message)
    # A session closed with a sha512 digest, and a manifest PUT by one: the same answer.
    location = wire.session()
    assert_error(
        wire.request("PUT", f"{location}?digest={sha512}", b"x"), 400, "DIGEST_INVALID", message
    )
    assert_error(wire.put(sha512, wire.image()), 400, "DIGEST_INVALID", message)
    assert wire.request("GET", f"/v2/{wire.name()}/tags/list").json()["tags"] == []


def test_an_anonymous_token_may_head_a_manifest(wire):
    """Only blob HEADs are refused to an anonymous token: HEAD on a manifest is accepted
    (buildbuddy-io/buildbuddy#12635)."""
    digest, text = wire.push_image("v1")
    answer = wire.request("HEAD", f"/v2/{wire.name()}/manifests/v1", token=wire.pull)
    assert (answer.status, answer.headers["docker-content-digest"], answer.body) == (
        200,
        digest,
        b"",
    )
    assert answer.headers["content-length"] == str(len(text))
    assert API_VERSION.items() <= answer.headers.items()


@pytest.mark.parametrize(
    ("code", "status", "answered"),
    [
        ("DENIED", 429, (429, "DENIED")),
        ("RepositoryNotFoundException", 500, (500, "NAME_UNKNOWN")),
        ("RepositoryNotFoundException", None, (404, "NAME_UNKNOWN")),
        ("SomethingOfMyOwn", 418, (418, "SomethingOfMyOwn")),
    ],
)
def test_an_injected_fault_has_the_status_the_test_gave(wire, ecr_public, code, status, answered):
    """A fault's status, where the test names one, is the registry's answer too; else the
    status of the registry's code for it."""
    text = wire.image()
    ecr_public.inject_fault(code, operation="PutImage", status=status, message="injected")
    assert_error(wire.put("v1", text), *answered, "injected")


@pytest.mark.ecr_public(min_layer_part_size=1)
def test_numbers_of_any_length_are_answered_never_crashed_on(wire):
    """A 5,000-digit number (Python's int() refuses more than 4,300 digits) in ``?n=``, a
    ``Range`` or a ``Content-Range`` gets the protocol's answer: 400 or 416."""
    huge = "9" * 5000
    name = wire.name()
    answer = wire.request("GET", f"/v2/{name}/tags/list?n={huge}")
    assert_error(
        answer, 400, "PAGINATION_NUMBER_INVALID", f"invalid number of results requested: '{huge}'"
    )
    digest = wire.upload(b"some bytes")
    answer = wire.request("GET", f"/v2/{name}/blobs/{digest}", headers={"Range": f"bytes={huge}-"})
    message = f"the range 'bytes={huge}-' is not satisfiable: the blob has 10 bytes"
    assert_error(answer, 416, "RANGE_NOT_SATISFIABLE", message, content_range="bytes */10")
    answer = wire.request("GET", f"/v2/{name}/blobs/{digest}", headers={"Range": f"bytes=-{huge}"})
    assert (answer.status, answer.body) == (206, b"some bytes")
    location = wire.session()
    answer = wire.request("PATCH", location, b"abc", headers={"Content-Range": f"0-{huge}"})
    message = f"invalid content range '0-{huge}': the upload has 0 bytes"
    assert_error(answer, 416, "BLOB_UPLOAD_INVALID", message)


def test_a_password_nested_too_deep_is_refused(wire):
    """A password that is JSON nested deeper than the decoder goes is no password of this
    registry: 403 DENIED, as any other."""
    nested = base64.b64encode(b"[" * 5_000).decode()  # deeper than the decoder goes
    credentials = base64.b64encode(f"AWS:{nested}".encode()).decode()
    answer = wire.request(
        "GET", "/token/", headers={"Authorization": f"Basic {credentials}"}, token=None
    )
    assert_error(answer, 403, "DENIED", "Not Authorized")
