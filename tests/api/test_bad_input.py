"""Bad input gets AWS's answer: never a crash, never a silent success, state unchanged.

Sources: docs/aws-behaviour.md, sections "Service" (JSON 1.1 protocol: a body the service
cannot deserialize is ``SerializationException``), "Validation", "Layer upload",
"Manifests and PutImage", "Describe and pagination" (``nextToken`` is opaque), and "Where
the mock chooses" (messages AWS leaves undocumented). Raw bodies, which botocore's
serializer would never produce, go straight to ``ecrpublic_mock._api.dispatch.answer``.
"""

from __future__ import annotations

import base64
import json

import boto3
import pytest
from _manifests import DOCKER_MANIFEST, OCI_MANIFEST, build_image, descriptor, image_manifest
from _support import ACCOUNT, assert_error, invalid

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._api.dispatch import answer
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._harness.state import MockState


def raw(registry, operation, body):
    """(status, parsed answer) of a raw request body."""
    status, _, data = answer(registry, operation, "us-east-1", body)
    return status, json.loads(data)


def ok(registry, operation, params):
    status, payload = raw(registry, operation, json.dumps(params))
    assert status == 200, payload
    return payload


@pytest.fixture
def registry():
    state = MockState(Settings())
    ok(state, "CreateRepository", {"repositoryName": "app"})
    return state


def serialization_error(registry, operation, body, message=None):
    status, payload = raw(registry, operation, body)
    assert status == 400
    assert payload["__type"] == "SerializationException"
    if message is not None:
        assert payload["message"] == message
    return payload


# -- blobs: decoded once, strictly ---------------------------------------------------------


@pytest.mark.parametrize(
    "blob",
    [
        pytest.param("not base64!", id="bad-characters"),
        pytest.param("YWJj", id="valid"),  # the control
        pytest.param("YWJjZA", id="missing-padding"),
        pytest.param("YW Jj", id="space"),
        pytest.param("YWJj\n", id="newline"),
        pytest.param("YWJ-", id="urlsafe-alphabet"),
        pytest.param("\u00e9\u00e9\u00e9\u00e9", id="non-ascii"),
    ],
)
def test_invalid_base64_layer_part_is_a_serialization_error(registry, blob):
    upload_id = ok(registry, "InitiateLayerUpload", {"repositoryName": "app"})["uploadId"]
    body = {
        "repositoryName": "app",
        "uploadId": upload_id,
        "partFirstByte": 0,
        "partLastByte": 2,
        "layerPartBlob": blob,
    }
    if blob == "YWJj":  # the control: valid base64 of b"abc" is accepted
        assert ok(registry, "UploadLayerPart", body)["lastByteReceived"] == 2
        assert registry.calls[-1].params["layerPartBlob"] == "<3 bytes>"
        return
    serialization_error(
        registry,
        "UploadLayerPart",
        json.dumps(body),
        "Invalid base64 value in payload at 'layerPartBlob'",
    )
    assert registry.calls[-1].outcome == "SerializationException"
    # Nothing was received: the upload still expects byte 0.
    assert (
        ok(registry, "UploadLayerPart", {**body, "layerPartBlob": "YWJj"})["lastByteReceived"] == 2
    )


def test_invalid_base64_logo_is_a_serialization_error(registry):
    serialization_error(
        registry,
        "CreateRepository",
        json.dumps({"repositoryName": "other", "catalogData": {"logoImageBlob": "%%%%"}}),
        "Invalid base64 value in payload at 'catalogData.logoImageBlob'",
    )
    serialization_error(
        registry,
        "PutRepositoryCatalogData",
        json.dumps({"repositoryName": "app", "catalogData": {"logoImageBlob": "a"}}),
    )
    assert len(registry.registry.repositories) == 1
    assert ok(registry, "GetRepositoryCatalogData", {"repositoryName": "app"}) == {
        "catalogData": {}
    }


def test_a_blob_of_another_json_type_is_a_serialization_error(registry):
    serialization_error(
        registry,
        "PutRepositoryCatalogData",
        json.dumps({"repositoryName": "app", "catalogData": {"logoImageBlob": 12}}),
        "Unexpected value type in payload at 'catalogData.logoImageBlob': expected blob",
    )


@pytest.mark.parametrize(
    ("operation", "params", "path", "expected"),
    [
        ("DescribeImages", {"imageIds": ["v1"]}, "imageIds", "structure"),
        ("PutRepositoryCatalogData", {"catalogData": ["x"]}, "catalogData", "structure"),
    ],
    ids=["holds-no-blob", "holds-a-blob"],
)
def test_a_structure_of_another_json_type_is_a_serialization_error(
    registry, operation, params, path, expected
):
    """Whether or not the structure has members to convert, its value is left for the
    validation to refuse."""
    serialization_error(
        registry,
        operation,
        json.dumps({"repositoryName": "app", **params}),
        f"Unexpected value type in payload at '{path}': expected {expected}",
    )


def test_blobs_reach_the_handlers_as_bytes_once(registry):
    """A valid logo: the URL is made from the decoded bytes; the call log keeps the size."""
    logo = base64.b64encode(b"\x89PNG-data").decode()
    catalog = ok(
        registry,
        "PutRepositoryCatalogData",
        {"repositoryName": "app", "catalogData": {"logoImageBlob": logo}},
    )["catalogData"]
    assert catalog["logoUrl"].endswith(".png")
    assert registry.calls[-1].params["catalogData"]["logoImageBlob"] == "<9 bytes>"


# -- null members are absent members -------------------------------------------------------


def test_null_max_results_pages_at_the_default_size():
    registry = MockState(Settings())
    for i in range(101):
        ok(registry, "CreateRepository", {"repositoryName": f"r{i:03}"})
    page = ok(registry, "DescribeRepositories", {"maxResults": None, "nextToken": None})
    assert len(page["repositories"]) == 100
    rest = ok(
        registry, "DescribeRepositories", {"maxResults": None, "nextToken": page["nextToken"]}
    )
    assert [r["repositoryName"] for r in rest["repositories"]] == ["r100"]


def test_null_display_name_does_not_erase_it(registry):
    ok(registry, "PutRegistryCatalogData", {"displayName": "Mine"})
    assert ok(registry, "PutRegistryCatalogData", {"displayName": None}) == {
        "registryCatalogData": {"displayName": "Mine"}
    }
    assert ok(registry, "GetRegistryCatalogData", {}) == {
        "registryCatalogData": {"displayName": "Mine"}
    }


def test_null_tag_value_is_an_empty_value(registry):
    arn = f"arn:aws:ecr-public::{ACCOUNT}:repository/app"
    ok(registry, "TagResource", {"resourceArn": arn, "tags": [{"Key": "k", "Value": None}]})
    assert ok(registry, "ListTagsForResource", {"resourceArn": arn}) == {
        "tags": [{"Key": "k", "Value": ""}]
    }


def test_null_in_a_nested_structure_of_a_list(registry):
    """imageIds entries are structures: a null member there is absent too."""
    answer_ = ok(
        registry,
        "BatchDeleteImage",
        {"repositoryName": "app", "imageIds": [{"imageDigest": None, "imageTag": "nope"}]},
    )
    assert answer_["failures"] == [
        {
            "imageId": {"imageTag": "nope"},
            "failureCode": "ImageNotFound",
            "failureReason": "Requested image not found",
        }
    ]


def test_a_null_required_member_is_still_missing(registry):
    status, payload = raw(registry, "CreateRepository", json.dumps({"repositoryName": None}))
    assert (status, payload) == (
        400,
        {
            "__type": "InvalidParameterException",
            "message": invalid("repositoryName", "must not be null"),
        },
    )


# -- request bodies in another encoding ----------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda t: t.encode("utf-16-le"), id="utf-16-le"),
        pytest.param(lambda t: t.encode("utf-16-be"), id="utf-16-be"),
        pytest.param(lambda t: t.encode("utf-32"), id="utf-32-bom"),
        pytest.param(lambda t: t.encode("utf-32-le"), id="utf-32-le"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("latin-1") + b"\xff", id="not-utf-8"),
    ],
)
def test_bodies_not_in_plain_utf8_are_serialization_errors(encode):
    registry = MockState(Settings())
    serialization_error(
        registry,
        "CreateRepository",
        encode('{"repositoryName": "app"}'),
        "The request body is not valid JSON",
    )
    assert len(registry.registry.repositories) == 0


def test_a_utf8_body_with_non_ascii_text_is_read():
    registry = MockState(Settings())
    ok(registry, "PutRegistryCatalogData", {"displayName": "caf\u00e9"})
    status, payload = raw(
        registry, "PutRegistryCatalogData", '{"displayName": "d\u00e9j\u00e0"}'.encode()
    )
    assert (status, payload) == (200, {"registryCatalogData": {"displayName": "d\u00e9j\u00e0"}})


def send_part(client, repo: str, upload_id: str, first: int, data: bytes, last: int | None = None):
    """One UploadLayerPart; ``last`` defaults to the part's true last byte."""
    return client.upload_layer_part(
        repositoryName=repo,
        uploadId=upload_id,
        partFirstByte=first,
        partLastByte=first + len(data) - 1 if last is None else last,
        layerPartBlob=data,
    )


# -- layer parts ---------------------------------------------------------------------------


def test_an_empty_layer_part_is_refused(ecr, client):
    """AWS leaves the message undocumented; the mock chooses one. The part is not counted:
    the upload goes on as before."""
    client.create_repository(repositoryName="app")
    upload_id = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    send_part(client, "app", upload_id, 0, b"abcd")
    with pytest.raises(client.exceptions.InvalidLayerPartException) as excinfo:
        send_part(client, "app", upload_id, 4, b"", last=3)
    response = assert_error(
        excinfo, "InvalidLayerPartException", "The layer part starting at byte 4 is empty"
    )
    assert (
        response["registryId"],
        response["repositoryName"],
        response["uploadId"],
        response["lastValidByteReceived"],
    ) == (ACCOUNT, "app", upload_id, 3)
    # With one small part counted, completion works (the empty one would have been a
    # too-small middle part).
    from _manifests import sha256

    done = client.complete_layer_upload(
        repositoryName="app", uploadId=upload_id, layerDigests=[sha256(b"abcd")]
    )
    assert done["layerDigest"] == sha256(b"abcd")


# -- images --------------------------------------------------------------------------------


def test_summed_layer_sizes_beyond_a_long_are_refused(client):
    """imageSizeInBytes is a Long; AWS leaves the message undocumented (the mock chooses)."""
    client.create_repository(repositoryName="app")
    half = 2**62
    manifest = image_manifest(
        descriptor("sha256:" + "a" * 64, "application/vnd.docker.container.image.v1+json", 10),
        [
            descriptor(
                "sha256:" + "b" * 64, "application/vnd.docker.image.rootfs.diff.tar.gzip", half
            ),
            descriptor(
                "sha256:" + "c" * 64, "application/vnd.docker.image.rootfs.diff.tar.gzip", half
            ),
        ],
    )
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.put_image(repositoryName="app", imageManifest=manifest, imageTag="big")
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("ImageManifest", f"Sum of layer sizes must be less than or equal to {2**63 - 1}"),
    )
    assert client.describe_images(repositoryName="app")["imageDetails"] == []


def test_the_same_bytes_under_another_media_type_report_the_stored_one(client):
    """A manifest without its own mediaType, pushed as Docker then as OCI with a new tag:
    one image, whose media type the PutImage answer and DescribeImages agree on."""
    client.create_repository(repositoryName="app")
    manifest = build_image(client, "app", media_type=None)
    first = client.put_image(
        repositoryName="app",
        imageManifest=manifest,
        imageManifestMediaType=DOCKER_MANIFEST,
        imageTag="docker",
    )["image"]
    second = client.put_image(
        repositoryName="app",
        imageManifest=manifest,
        imageManifestMediaType=OCI_MANIFEST,
        imageTag="oci",
    )["image"]
    assert first["imageManifestMediaType"] == second["imageManifestMediaType"] == DOCKER_MANIFEST
    [image] = client.describe_images(repositoryName="app")["imageDetails"]
    assert image["imageManifestMediaType"] == DOCKER_MANIFEST
    assert image["imageTags"] == ["docker", "oci"]


# -- pagination tokens ---------------------------------------------------------------------

BAD_TOKEN = invalid("nextToken", "must be a valid pagination token")


@pytest.fixture
def listed(ecr, client):
    """Two repositories, two images (two tags) in "app": every listing has a second page."""
    client.create_repository(repositoryName="app")
    client.create_repository(repositoryName="other")
    ecr.push_image("app", tag="one", layers=[b"1"])
    ecr.push_image("app", tag="two", layers=[b"2"])
    return {
        "repositories": client.describe_repositories(maxResults=1)["nextToken"],
        "images": client.describe_images(repositoryName="app", maxResults=1)["nextToken"],
        "tags": client.describe_image_tags(repositoryName="app", maxResults=1)["nextToken"],
    }


CALLS = {
    "repositories": lambda c, **kw: c.describe_repositories(**kw),
    "images": lambda c, **kw: c.describe_images(repositoryName="app", **kw),
    "tags": lambda c, **kw: c.describe_image_tags(repositoryName="app", **kw),
    "registries": lambda c, **kw: c.describe_registries(**kw),
}


def assert_bad_token(client, kind, token):
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        CALLS[kind](client, nextToken=token)
    assert_error(excinfo, "InvalidParameterException", BAD_TOKEN)


def edits(token):
    raw_bytes = base64.urlsafe_b64decode(token)
    flipped = bytearray(raw_bytes)
    flipped[0] ^= 1
    payload = raw_bytes[:-32]
    kind, _, position = payload.rpartition(b":")
    moved = kind + b":" + str(int(position) + 1).encode()
    return {
        "forged": base64.urlsafe_b64encode(b"repositories:0" + b"\0" * 32).decode(),
        "garbage": "not-a-token",
        "not-base64": "%%%%",
        "non-ascii": "t\u00f6ken",
        "empty": "",
        "flipped-byte": base64.urlsafe_b64encode(bytes(flipped)).decode(),
        "moved-position": base64.urlsafe_b64encode(moved + raw_bytes[-32:]).decode(),
        "truncated": token[:-4],
        "mac-only": base64.urlsafe_b64encode(raw_bytes[-32:]).decode(),
        "extra-characters": token + "AAAA",
        "unpadded": token.rstrip("="),
        "other-spelling": token.replace("-", "+").replace("_", "/"),
    }


@pytest.mark.parametrize("kind", ["repositories", "images", "tags"])
def test_edited_tokens_are_refused(client, listed, kind):
    token = listed[kind]
    for name, bad in edits(token).items():
        if bad == token:  # e.g. a token without padding or '-'/'_' to change
            continue
        try:
            assert_bad_token(client, kind, bad)
        except AssertionError:  # pragma: no cover - names the failing edit
            pytest.fail(f"{name} token was accepted")
    # The genuine token still works: the second (and last) page.
    page = CALLS[kind](client, nextToken=token, maxResults=1)
    assert "nextToken" not in page


@pytest.mark.parametrize("kind", ["repositories", "images", "tags"])
@pytest.mark.parametrize("source", ["repositories", "images", "tags"])
def test_a_token_of_another_listing_is_refused(client, listed, kind, source):
    if kind != source:
        assert_bad_token(client, kind, listed[source])


def test_a_token_for_another_repository_is_refused(ecr, client, listed):
    ecr.push_image("other", tag="one", layers=[b"1"])
    ecr.push_image("other", tag="two", layers=[b"2"])
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_images(repositoryName="other", nextToken=listed["images"])
    assert_error(excinfo, "InvalidParameterException", BAD_TOKEN)


def test_a_token_of_a_deleted_and_recreated_repository_is_refused(ecr, client, listed):
    client.delete_repository(repositoryName="app", force=True)
    client.create_repository(repositoryName="app")
    for tag in ("a", "b", "c"):
        ecr.push_image("app", tag=tag, layers=[tag.encode()])
    assert_bad_token(client, "images", listed["images"])
    assert_bad_token(client, "tags", listed["tags"])


def test_a_token_of_another_activation_is_refused(listed):
    with mock_ecr_public() as other:
        c = boto3.client("ecr-public", region_name="us-east-1")
        c.create_repository(repositoryName="app")
        c.create_repository(repositoryName="other")
        other.push_image("app", tag="one", layers=[b"1"])
        other.push_image("app", tag="two", layers=[b"2"])
        for kind, token in listed.items():
            assert_bad_token(c, kind, token)


def test_a_signed_position_beyond_anything_issued_is_refused(ecr, client, listed):
    """Only the mock's key can sign, so only a bug could make such a token; it is refused
    all the same."""
    from ecrpublic_mock._api.paging import _encode

    registry = ecr._state.registry
    key = registry.key
    repo = registry.repositories["app"]
    for kind, index in (
        ("repositories", registry.repositories),
        ("images", repo.images),
        ("tags", repo.image_tags),
    ):
        assert_bad_token(client, kind, _encode(key, index, kind, index.issued + 1))
        # The last position issued is in range: an empty last page.
        page = CALLS[kind](client, nextToken=_encode(key, index, kind, index.issued))
        assert "nextToken" not in page


def test_describe_registries_never_issues_a_token_and_takes_none(client, listed):
    pages = client.describe_registries(maxResults=1)
    assert "nextToken" not in pages
    for token in (*listed.values(), "abc"):
        assert_bad_token(client, "registries", token)


# -- uploads die with their repository -----------------------------------------------------


def test_an_upload_dies_with_its_repository(ecr, client):
    client.create_repository(repositoryName="app")
    client.create_repository(repositoryName="keep")
    doomed = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    kept = client.initiate_layer_upload(repositoryName="keep")["uploadId"]
    send_part(client, "app", doomed, 0, b"abc")
    client.delete_repository(repositoryName="app")
    assert set(ecr._state.registry.uploads) == {kept}  # the doomed upload's bytes are freed
    client.create_repository(repositoryName="app")
    message = (
        f"The upload with id '{doomed}' does not exist in the repository with name 'app' "
        f"in registry with id '{ACCOUNT}'"
    )
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        send_part(client, "app", doomed, 3, b"def")
    assert_error(excinfo, "UploadNotFoundException", message)
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        client.complete_layer_upload(
            repositoryName="app", uploadId=doomed, layerDigests=["sha256:" + "0" * 64]
        )
    assert_error(excinfo, "UploadNotFoundException", message)
    # The other repository's upload is untouched.
    send_part(client, "keep", kept, 0, b"k")


def test_a_completed_upload_is_forgotten_by_its_repository(ecr, client):
    client.create_repository(repositoryName="app")
    from _manifests import upload

    upload(client, "app", b"data")
    assert ecr._state.registry.repositories["app"].uploads == {}
    assert ecr._state.registry.uploads == {}


# -- inject_fault checks its arguments -----------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"code": 5}, TypeError, "code must be a str, got 5"),
        ({"code": None}, TypeError, "code must be a str, got None"),
        ({"code": ""}, ValueError, "code must be a non-empty str, got ''"),
        ({"operation": 7}, TypeError, "operation must be None or a str, got 7"),
        (
            {"operation": "Nope"},
            ValueError,
            "operation 'Nope' is not an ecr-public operation",
        ),
        ({"times": 0}, ValueError, "times must be a positive int, got 0"),
        ({"times": "1"}, TypeError, "times must be a positive int, got '1'"),
        ({"message": 3}, TypeError, "message must be None or a str, got 3"),
        ({"message": b"x"}, TypeError, "message must be None or a str, got b'x'"),
        ({"status": "500"}, TypeError, "status must be None or an int, got '500'"),
        ({"status": True}, TypeError, "status must be None or an int, got True"),
        ({"status": 500.0}, TypeError, "status must be None or an int, got 500.0"),
        ({"status": 399}, ValueError, "status must be an HTTP error status (400-599), got 399"),
        ({"status": 600}, ValueError, "status must be an HTTP error status (400-599), got 600"),
        ({"status": 200}, ValueError, "status must be an HTTP error status (400-599), got 200"),
    ],
)
def test_inject_fault_checks_its_arguments(ecr, client, kwargs, error, message):
    arguments = {"code": "ServerException", **kwargs}
    code = arguments.pop("code")
    with pytest.raises(error) as excinfo:
        ecr.inject_fault(code, **arguments)
    assert str(excinfo.value) == message
    assert client.describe_repositories()["repositories"] == []  # no fault was queued


@pytest.mark.parametrize("status", [400, 451, 599])
def test_inject_fault_accepts_the_status_range(ecr, client, status):
    ecr.inject_fault("Custom", operation="describe_repositories", status=status, message="m")
    with pytest.raises(client.exceptions.ClientError) as excinfo:
        client.describe_repositories()
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert excinfo.value.response["Error"] == {"Code": "Custom", "Message": "m"}


def test_operation_names_are_mapped_once():
    from ecrpublic_mock._harness import faults as _faults

    _faults._operation_names.cache_clear()
    assert _faults._operation_name("put_image") == "PutImage"
    assert _faults._operation_name("PutImage") == "PutImage"
    info = _faults._operation_names.cache_info()
    assert (info.misses, info.hits) == (1, 1)
