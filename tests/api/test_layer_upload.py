"""InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, BatchCheckLayerAvailability.

Sources: ``docs/aws-behaviour.md`` (sections "Layer upload", "Quotas", "Identifiers")
and, where AWS leaves a point undocumented, the mock's choice (exact messages of
InvalidLayerPartException, the part/size quotas, LayerAlreadyExists, the size wording of
LayerPartTooSmall, the media type of a layer no manifest references yet, per-repository
layer presence).

Every failing call is followed by a check that nothing changed (layer availability,
images, tags), and, where the mock defines it, that the upload is gone or still usable.
"""

import contextlib
import re
import uuid

import boto3
import pytest
from _manifests import (
    DOCKER_LAYER,
    UPLOADED_LAYER_MEDIA_TYPE,
    build_image,
    put,
    sha256,
    snapshot,
    upload,
)
from _support import ACCOUNT, assert_error, registry_not_found, repo_not_found
from hypothesis import given, settings
from hypothesis import strategies as st

from ecrpublic_mock import mock_ecr_public

MIB = 1024 * 1024
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
REPO = "app"
OTHER = "other"
OTHER_ACCOUNT = "210987654321"

# 4-byte minimum parts, so small test layers can be uploaded in several parts.
pytestmark = pytest.mark.ecr_public(min_layer_part_size=4)


@pytest.fixture
def repositories():
    return (REPO, OTHER)


def initiate(client, repo=REPO):
    return client.initiate_layer_upload(repositoryName=repo)["uploadId"]


def part(client, upload_id, first, blob, last=None, repo=REPO, **extra):
    if last is None:
        last = first + len(blob) - 1
    return client.upload_layer_part(
        repositoryName=repo,
        uploadId=upload_id,
        partFirstByte=first,
        partLastByte=last,
        layerPartBlob=blob,
        **extra,
    )


def complete(client, upload_id, digests, repo=REPO, **extra):
    return client.complete_layer_upload(
        repositoryName=repo, uploadId=upload_id, layerDigests=list(digests), **extra
    )


def availability(client, digest, repo=REPO):
    return client.batch_check_layer_availability(repositoryName=repo, layerDigests=[digest])[
        "layers"
    ][0]["layerAvailability"]


@contextlib.contextmanager
def unchanged(client, digests=()):
    """The block's failing call leaves images, tags and layer availability as they were."""
    before = snapshot(client, (REPO, OTHER), tuple(digests))
    yield
    assert snapshot(client, (REPO, OTHER), tuple(digests)) == before


def upload_not_found(upload_id, repo=REPO, registry=ACCOUNT):
    return (
        f"The upload with id '{upload_id}' does not exist in the repository with name "
        f"'{repo}' in registry with id '{registry}'"
    )


# --------------------------------------------------------------------------------------
# InitiateLayerUpload
# --------------------------------------------------------------------------------------


def test_initiate_returns_uuid_and_default_part_size(client):
    """Layer upload: uploadId is a UUID; Quotas: partSize is 10,485,760."""
    answer = client.initiate_layer_upload(repositoryName=REPO)
    assert UUID_RE.match(answer["uploadId"])
    uuid.UUID(answer["uploadId"])
    assert answer["partSize"] == 10_485_760
    assert set(answer) == {"uploadId", "partSize", "ResponseMetadata"}


@pytest.mark.ecr_public(max_layer_part_size=64)
def test_initiate_part_size_is_the_max_part_size_setting(client):
    """docs/aws-behaviour.md, section "Quotas": partSize = max_layer_part_size."""
    assert client.initiate_layer_upload(repositoryName=REPO)["partSize"] == 64


def test_initiate_ids_are_unique(client):
    ids = {initiate(client) for _ in range(20)}
    assert len(ids) == 20


def test_initiate_unknown_repository(client):
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.initiate_layer_upload(repositoryName="missing")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("missing"))


@pytest.mark.parametrize("use_alias", [False, True])
def test_registry_id_account_or_alias_accepted_for_whole_upload(ecr, client, use_alias):
    """Identifiers: the six RegistryIdOrAlias operations accept the account id or alias;
    responses name the account id."""
    registry = ecr.registry_alias if use_alias else ACCOUNT
    upload_id = client.initiate_layer_upload(repositoryName=REPO, registryId=registry)["uploadId"]
    answer = part(client, upload_id, 0, b"abcdef", registryId=registry)
    assert answer["registryId"] == ACCOUNT
    done = complete(client, upload_id, [sha256(b"abcdef")], registryId=registry)
    assert done["registryId"] == ACCOUNT
    layers = client.batch_check_layer_availability(
        repositoryName=REPO, registryId=registry, layerDigests=[sha256(b"abcdef")]
    )["layers"]
    assert layers[0]["layerAvailability"] == "AVAILABLE"


@pytest.mark.parametrize("given", [OTHER_ACCOUNT, "zz9z9z9z", "a1"])
def test_registry_not_found_every_upload_operation(ecr, client, given):
    """Identifiers: an unknown registry (other 12-digit id, unknown alias) is
    RegistryNotFoundException where declared: all four layer operations declare it."""
    assert given != ecr.registry_alias
    upload_id = initiate(client)
    message = registry_not_found(given)
    calls = [
        lambda: client.initiate_layer_upload(repositoryName=REPO, registryId=given),
        lambda: part(client, upload_id, 0, b"abcd", registryId=given),
        lambda: complete(client, upload_id, [sha256(b"abcd")], registryId=given),
        lambda: client.batch_check_layer_availability(
            repositoryName=REPO, registryId=given, layerDigests=[sha256(b"abcd")]
        ),
    ]
    for call in calls:
        with (
            unchanged(client, [sha256(b"abcd")]),
            pytest.raises(client.exceptions.RegistryNotFoundException) as excinfo,
        ):
            call()
        assert_error(excinfo, "RegistryNotFoundException", message)
    # The failed calls did not touch the upload: it still completes.
    part(client, upload_id, 0, b"abcd")
    assert complete(client, upload_id, [sha256(b"abcd")])["layerDigest"] == sha256(b"abcd")


# --------------------------------------------------------------------------------------
# UploadLayerPart
# --------------------------------------------------------------------------------------


def test_upload_parts_response_and_last_byte(client):
    """Layer upload: inclusive byte ranges; each part starts at lastByteReceived + 1."""
    upload_id = initiate(client)
    first = part(client, upload_id, 0, b"0123")
    assert {k: v for k, v in first.items() if k != "ResponseMetadata"} == {
        "registryId": ACCOUNT,
        "repositoryName": REPO,
        "uploadId": upload_id,
        "lastByteReceived": 3,
    }
    assert part(client, upload_id, 4, b"45678")["lastByteReceived"] == 8
    assert part(client, upload_id, 9, b"9")["lastByteReceived"] == 9
    assert complete(client, upload_id, [sha256(b"0123456789")])["layerDigest"] == sha256(
        b"0123456789"
    )


def _invalid_part(excinfo, upload_id, message, last_valid):
    response = assert_error(excinfo, "InvalidLayerPartException", message)
    assert response["registryId"] == ACCOUNT
    assert response["repositoryName"] == REPO
    assert response["uploadId"] == upload_id
    assert response["lastValidByteReceived"] == last_valid


@pytest.mark.parametrize(
    ("before", "first", "blob", "last", "message", "last_valid"),
    [
        # contiguity (docs/aws-behaviour.md, section "Layer upload": "First byte of the
        # layer part is 0 instead of 11304960")
        ([], 1, b"abcd", None, "First byte of the layer part is 1 instead of 0", -1),
        ([], 10, b"abcd", None, "First byte of the layer part is 10 instead of 0", -1),
        ([b"abcd"], 5, b"efgh", None, "First byte of the layer part is 5 instead of 4", 3),
        ([b"abcd"], 3, b"efgh", None, "First byte of the layer part is 3 instead of 4", 3),
        ([b"abcd"], 0, b"abcd", None, "First byte of the layer part is 0 instead of 4", 3),
        ([b"abcd", b"efgh"], 4, b"ef", None, "First byte of the layer part is 4 instead of 8", 7),
        # length mismatch: blob length must equal last - first + 1
        ([], 0, b"abcd", 5, "Last byte of the layer part is 5 instead of 3", -1),
        ([], 0, b"abcd", 2, "Last byte of the layer part is 2 instead of 3", -1),
        ([b"abcd"], 4, b"efgh", 100, "Last byte of the layer part is 100 instead of 7", 3),
        # an empty part is refused, whatever its last byte (the mock's choice of message)
        ([], 0, b"", 0, "The layer part starting at byte 0 is empty", -1),
        ([b"abcd"], 4, b"", 3, "The layer part starting at byte 4 is empty", 3),
    ],
)
def test_invalid_layer_part(client, before, first, blob, last, message, last_valid):
    """Layer upload: InvalidLayerPartException with lastValidByteReceived set (-1 before
    any part, the mock's choice); the other messages are the mock's wording. A failed
    part changes nothing: the next correct part is accepted and the layer completes."""
    upload_id = initiate(client)
    received = b""
    for blob_before in before:
        part(client, upload_id, len(received), blob_before)
        received += blob_before
    with (
        unchanged(client, [sha256(received + b"tail")]),
        pytest.raises(client.exceptions.InvalidLayerPartException) as excinfo,
    ):
        part(client, upload_id, first, blob, last)
    _invalid_part(excinfo, upload_id, message, last_valid)
    nxt = part(client, upload_id, len(received), b"tail")
    assert nxt["lastByteReceived"] == len(received) + 3
    data = received + b"tail"
    assert complete(client, upload_id, [sha256(data)])["layerDigest"] == sha256(data)
    assert availability(client, sha256(data)) == "AVAILABLE"


@pytest.mark.ecr_public(min_layer_part_size=4, max_layer_part_size=8)
@pytest.mark.parametrize("size", [9, 16])
def test_part_larger_than_max_part_size(client, size):
    """Quotas: maximum layer part size; the mock's wording. The upload stays usable."""
    upload_id = initiate(client)
    with (
        unchanged(client, [sha256(b"x" * size)]),
        pytest.raises(client.exceptions.InvalidLayerPartException) as excinfo,
    ):
        part(client, upload_id, 0, b"x" * size)
    _invalid_part(
        excinfo,
        upload_id,
        f"The layer part size {size} exceeds the maximum layer part size 8",
        -1,
    )
    part(client, upload_id, 0, b"y" * 8)  # exactly the maximum is fine
    with pytest.raises(client.exceptions.InvalidLayerPartException) as excinfo:
        part(client, upload_id, 8, b"x" * size)
    _invalid_part(
        excinfo,
        upload_id,
        f"The layer part size {size} exceeds the maximum layer part size 8",
        7,
    )
    part(client, upload_id, 8, b"z")
    assert complete(client, upload_id, [sha256(b"y" * 8 + b"z")])


@pytest.mark.ecr_public(min_layer_part_size=1, max_layer_parts=3)
def test_too_many_parts(client):
    """Quotas: 1,000 parts per upload (here 3); the 4th part is LimitExceededException
    (the mock's wording) and changes nothing: the three parts still complete."""
    upload_id = initiate(client)
    for i in range(3):
        part(client, upload_id, i, b"p")
    with (
        unchanged(client, [sha256(b"ppp"), sha256(b"pppq")]),
        pytest.raises(client.exceptions.LimitExceededException) as excinfo,
    ):
        part(client, upload_id, 3, b"q")
    assert_error(
        excinfo,
        "LimitExceededException",
        f"The upload with id '{upload_id}' has exceeded the limit of 3 layer parts",
    )
    assert complete(client, upload_id, [sha256(b"ppp")])["layerDigest"] == sha256(b"ppp")


@pytest.mark.ecr_public(min_layer_part_size=4, max_layer_size=10)
def test_layer_larger_than_max_layer_size(client):
    """Quotas: maximum layer size (here 10 bytes); the mock's wording. Exactly the
    maximum is accepted; the failing part changes nothing."""
    upload_id = initiate(client)
    part(client, upload_id, 0, b"abcd")
    part(client, upload_id, 4, b"efgh")
    with (
        unchanged(client, [sha256(b"abcdefghij")]),
        pytest.raises(client.exceptions.LimitExceededException) as excinfo,
    ):
        part(client, upload_id, 8, b"ijk")
    assert_error(
        excinfo, "LimitExceededException", "The layer exceeds the maximum layer size of 10 bytes"
    )
    assert part(client, upload_id, 8, b"ij")["lastByteReceived"] == 9
    assert complete(client, upload_id, [sha256(b"abcdefghij")])


@pytest.mark.ecr_public(max_layer_size=5)
def test_single_part_larger_than_max_layer_size(client):
    upload_id = initiate(client)
    with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
        part(client, upload_id, 0, b"abcdef")
    assert_error(
        excinfo, "LimitExceededException", "The layer exceeds the maximum layer size of 5 bytes"
    )


def test_upload_part_unknown_upload(client):
    """Layer upload: an unknown upload id is UploadNotFoundException (same text as
    CompleteLayerUpload's, the mock's choice)."""
    unknown = str(uuid.uuid4())
    with (
        unchanged(client, [sha256(b"abcd")]),
        pytest.raises(client.exceptions.UploadNotFoundException) as excinfo,
    ):
        part(client, unknown, 0, b"abcd")
    assert_error(excinfo, "UploadNotFoundException", upload_not_found(unknown))


def test_upload_part_in_other_repository(client):
    """An upload belongs to the repository it was initiated in."""
    upload_id = initiate(client, OTHER)
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        part(client, upload_id, 0, b"abcd", repo=REPO)
    assert_error(excinfo, "UploadNotFoundException", upload_not_found(upload_id, REPO))
    part(client, upload_id, 0, b"abcd", repo=OTHER)
    assert complete(client, upload_id, [sha256(b"abcd")], repo=OTHER)


def test_upload_part_unknown_repository(client):
    upload_id = initiate(client)
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        part(client, upload_id, 0, b"abcd", repo="missing")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("missing"))


# --------------------------------------------------------------------------------------
# CompleteLayerUpload
# --------------------------------------------------------------------------------------


def test_complete_success_response_and_upload_gone(client):
    """Layer upload (the API reference's CompleteLayerUpload response): success answers
    registryId, repositoryName, uploadId, layerDigest; the layer is AVAILABLE; the
    upload id is gone afterwards."""
    data = b"hello layer"
    upload_id = initiate(client)
    part(client, upload_id, 0, data)
    answer = complete(client, upload_id, [sha256(data)])
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {
        "registryId": ACCOUNT,
        "repositoryName": REPO,
        "uploadId": upload_id,
        "layerDigest": sha256(data),
    }
    layers = client.batch_check_layer_availability(repositoryName=REPO, layerDigests=[sha256(data)])
    assert layers["layers"] == [
        {
            "layerDigest": sha256(data),
            "layerAvailability": "AVAILABLE",
            "layerSize": len(data),
            "mediaType": UPLOADED_LAYER_MEDIA_TYPE,
        }
    ]
    assert layers["failures"] == []
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        complete(client, upload_id, [sha256(data)])
    assert_error(excinfo, "UploadNotFoundException", upload_not_found(upload_id))
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        part(client, upload_id, len(data), b"more")
    assert_error(excinfo, "UploadNotFoundException", upload_not_found(upload_id))


def test_complete_one_of_several_digests_matches(client):
    """Layer upload: InvalidLayer only when NONE of layerDigests matches."""
    data = b"several"
    upload_id = initiate(client)
    part(client, upload_id, 0, data)
    digests = [sha256(b"nope"), sha256(data), sha256(b"nope2")]
    assert complete(client, upload_id, digests)["layerDigest"] == sha256(data)


def test_complete_multipart_layer(client):
    """Every part but the last is at least min_layer_part_size (4); the last may be smaller."""
    data = b"abcdefghij"
    assert upload(client, REPO, data, part_size=4) == sha256(data)
    assert availability(client, sha256(data)) == "AVAILABLE"
    sizes = client.batch_check_layer_availability(repositoryName=REPO, layerDigests=[sha256(data)])
    assert sizes["layers"][0]["layerSize"] == 10


def test_complete_unknown_upload(client):
    unknown = str(uuid.uuid4())
    before = snapshot(client, REPO)
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        complete(client, unknown, [sha256(b"x")])
    assert_error(excinfo, "UploadNotFoundException", upload_not_found(unknown))
    assert snapshot(client, REPO) == before


def test_complete_in_other_repository_leaves_upload(client):
    """AWS leaves this undocumented; the mock chooses: an upload of another repository
    is UploadNotFound, which does not consume it."""
    data = b"belongs to other"
    upload_id = initiate(client, OTHER)
    part(client, upload_id, 0, data, repo=OTHER)
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        complete(client, upload_id, [sha256(data)], repo=REPO)
    assert_error(excinfo, "UploadNotFoundException", upload_not_found(upload_id, REPO))
    assert availability(client, sha256(data), REPO) == "UNAVAILABLE"
    assert complete(client, upload_id, [sha256(data)], repo=OTHER)
    assert availability(client, sha256(data), OTHER) == "AVAILABLE"
    assert availability(client, sha256(data), REPO) == "UNAVAILABLE"


def test_complete_unknown_repository_leaves_upload(client):
    data = b"abcd"
    upload_id = initiate(client)
    part(client, upload_id, 0, data)
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        complete(client, upload_id, [sha256(data)], repo="missing")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("missing"))
    assert complete(client, upload_id, [sha256(data)])["layerDigest"] == sha256(data)


def test_complete_invalid_parameter_leaves_upload(client):
    """AWS leaves this undocumented; the mock chooses: InvalidParameterException does
    not consume the upload."""
    data = b"abcd"
    upload_id = initiate(client)
    part(client, upload_id, 0, data)
    with pytest.raises(client.exceptions.InvalidParameterException):
        complete(client, upload_id, ["not-a-digest"])
    assert complete(client, upload_id, [sha256(data)])["layerDigest"] == sha256(data)


def _assert_upload_gone(client, upload_id, data=b"abcd"):
    """AWS leaves this undocumented; the mock chooses: after any other
    CompleteLayerUpload failure the upload is gone."""
    with pytest.raises(client.exceptions.UploadNotFoundException) as excinfo:
        complete(client, upload_id, [sha256(data)])
    assert_error(excinfo, "UploadNotFoundException", upload_not_found(upload_id))
    with pytest.raises(client.exceptions.UploadNotFoundException):
        part(client, upload_id, 0, data)


def test_complete_empty_upload(client):
    """Layer upload: no parts is EmptyUploadException (real text); the upload is gone."""
    upload_id = initiate(client)
    before = snapshot(client, REPO)
    with pytest.raises(client.exceptions.EmptyUploadException) as excinfo:
        complete(client, upload_id, [sha256(b"")])
    assert_error(
        excinfo,
        "EmptyUploadException",
        f"The upload with id '{upload_id}' in the repository with name '{REPO}' in registry "
        f"with id '{ACCOUNT}' cannot be completed because it does not have any parts",
    )
    assert snapshot(client, REPO) == before
    _assert_upload_gone(client, upload_id)


@pytest.mark.parametrize(
    ("min_size", "parts", "text"),
    [
        (None, [b"a", b"b"], "5MB"),  # the default: real CloudTrail text
        (4, [b"abc", b"d"], "4 bytes"),
        (4, [b"abcd", b"abc", b"d"], "4 bytes"),
        (1048577, [b"a", b"b"], "1048577 bytes"),
        (2 * MIB, [b"a", b"b"], "2MB"),
        (MIB, [b"a", b"b"], "1MB"),
    ],
)
def test_complete_part_too_small(min_size, parts, text):
    """Layer upload: a non-last part under the minimum is LayerPartTooSmallException
    (real text for 5 MiB; the mock's wording for other settings); the upload is gone."""
    options = {} if min_size is None else {"min_layer_part_size": min_size}
    with mock_ecr_public(**options):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName=REPO)
        data = b"".join(parts)
        upload_id = initiate(client)
        offset = 0
        for blob in parts:
            part(client, upload_id, offset, blob)
            offset += len(blob)
        before = snapshot(client, REPO, (sha256(data),))
        with pytest.raises(client.exceptions.LayerPartTooSmallException) as excinfo:
            complete(client, upload_id, [sha256(data)])
        assert_error(
            excinfo,
            "LayerPartTooSmallException",
            f"All layer parts except the last part should be at least {text}",
        )
        assert snapshot(client, REPO, (sha256(data),)) == before
        assert availability(client, sha256(data)) == "UNAVAILABLE"
        _assert_upload_gone(client, upload_id, data)


@pytest.mark.ecr_public(min_layer_part_size=4)
def test_complete_parts_exactly_minimum_and_small_last(client):
    data = b"abcd" + b"efgh" + b"i"
    assert upload(client, REPO, data, part_size=4) == sha256(data)


def test_complete_digest_mismatch(client):
    """Layer upload: InvalidLayerException (real text); the layer is not stored; the
    upload is gone."""
    data = b"actual bytes"
    upload_id = initiate(client)
    part(client, upload_id, 0, data)
    before = snapshot(client, REPO, (sha256(data),))
    with pytest.raises(client.exceptions.InvalidLayerException) as excinfo:
        complete(client, upload_id, [sha256(b"other bytes"), "sha256:" + "0" * 64])
    assert_error(
        excinfo,
        "InvalidLayerException",
        "None of the provided layer digests match the calculated layer digest",
    )
    assert snapshot(client, REPO, (sha256(data),)) == before
    assert availability(client, sha256(data)) == "UNAVAILABLE"
    _assert_upload_gone(client, upload_id, data)


def test_complete_layer_already_exists(client):
    """Layer upload: digest already a layer of this repository is LayerAlreadyExists
    (the mock's wording); the layer stays; the upload is gone."""
    data = b"twice"
    upload(client, REPO, data)
    upload_id = initiate(client)
    part(client, upload_id, 0, data)
    before = snapshot(client, REPO, (sha256(data),))
    with pytest.raises(client.exceptions.LayerAlreadyExistsException) as excinfo:
        complete(client, upload_id, [sha256(data)])
    assert_error(
        excinfo,
        "LayerAlreadyExistsException",
        f"Layer with digest '{sha256(data)}' already exists in the repository with name "
        f"'{REPO}' in registry with id '{ACCOUNT}'",
    )
    assert snapshot(client, REPO, (sha256(data),)) == before
    assert availability(client, sha256(data)) == "AVAILABLE"
    _assert_upload_gone(client, upload_id, data)


def test_layers_are_per_repository(client):
    """AWS leaves this undocumented; the mock chooses: a layer uploaded to A is
    UNAVAILABLE in B; uploading the same bytes to B works (content-addressed store,
    per-repository presence)."""
    data = b"shared layer bytes"
    upload(client, REPO, data)
    assert availability(client, sha256(data), REPO) == "AVAILABLE"
    assert availability(client, sha256(data), OTHER) == "UNAVAILABLE"
    assert upload(client, OTHER, data) == sha256(data)
    assert availability(client, sha256(data), OTHER) == "AVAILABLE"
    assert availability(client, sha256(data), REPO) == "AVAILABLE"


def test_concurrent_uploads_are_independent(client):
    a, b = initiate(client), initiate(client)
    part(client, a, 0, b"aaaa")
    part(client, b, 0, b"bbbbbb")
    part(client, a, 4, b"AA")
    assert complete(client, b, [sha256(b"bbbbbb")])["layerDigest"] == sha256(b"bbbbbb")
    assert complete(client, a, [sha256(b"aaaaAA")])["layerDigest"] == sha256(b"aaaaAA")


# --------------------------------------------------------------------------------------
# BatchCheckLayerAvailability
# --------------------------------------------------------------------------------------


def test_batch_check_mixed(client):
    """Layer upload: well-formed digests go to layers[] (AVAILABLE with size and media
    type, or UNAVAILABLE); malformed to failures[] InvalidLayerDigest; empty is
    MissingLayerDigest (AWS leaves the reasons undocumented; the mock chooses them)."""
    data = b"present"
    upload(client, REPO, data)
    absent = sha256(b"absent")
    answer = client.batch_check_layer_availability(
        repositoryName=REPO,
        layerDigests=[sha256(data), "sha256", absent, "", "sha256:xyz"],
    )
    assert answer["layers"] == [
        {
            "layerDigest": sha256(data),
            "layerAvailability": "AVAILABLE",
            "layerSize": len(data),
            "mediaType": UPLOADED_LAYER_MEDIA_TYPE,
        },
        {"layerDigest": absent, "layerAvailability": "UNAVAILABLE"},
    ]
    assert answer["failures"] == [
        {
            "layerDigest": "sha256",
            "failureCode": "InvalidLayerDigest",
            "failureReason": "Invalid layer digest",
        },
        {
            "layerDigest": "",
            "failureCode": "MissingLayerDigest",
            "failureReason": "Missing layer digest",
        },
        {
            "layerDigest": "sha256:xyz",
            "failureCode": "InvalidLayerDigest",
            "failureReason": "Invalid layer digest",
        },
    ]


@pytest.mark.parametrize(
    "bad", ["sha256", "sha256:", ":abcdef", "sha256:ghij", "sha 256:abcd", "sha256:ab:cd", "abc"]
)
def test_batch_check_malformed_digest(client, bad):
    answer = client.batch_check_layer_availability(repositoryName=REPO, layerDigests=[bad])
    assert answer["layers"] == []
    assert answer["failures"] == [
        {
            "layerDigest": bad,
            "failureCode": "InvalidLayerDigest",
            "failureReason": "Invalid layer digest",
        }
    ]


@pytest.mark.parametrize(
    "good", ["sha256:" + "a" * 64, "sha512:" + "0" * 128, "sha384:" + "Ab" * 48]
)
def test_batch_check_wellformed_unknown_digest(client, good):
    answer = client.batch_check_layer_availability(repositoryName=REPO, layerDigests=[good])
    assert answer["layers"] == [{"layerDigest": good, "layerAvailability": "UNAVAILABLE"}]
    assert answer["failures"] == []


def test_batch_check_unknown_repository(client):
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.batch_check_layer_availability(repositoryName="missing", layerDigests=[sha256(b"x")])
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("missing"))


def test_layer_media_type_follows_manifest(client):
    """AWS leaves this undocumented; the mock chooses: before any manifest the
    uploaded-layer media type; after a manifest that references the layer is pushed,
    that manifest's layer mediaType."""
    layer = b"layer for manifest"
    upload(client, REPO, layer)
    before = client.batch_check_layer_availability(
        repositoryName=REPO, layerDigests=[sha256(layer)]
    )["layers"][0]
    assert before["mediaType"] == UPLOADED_LAYER_MEDIA_TYPE
    manifest = build_image(client, REPO, layers=(layer,), layer_media_type=DOCKER_LAYER)
    put(client, REPO, manifest, "v1")
    after = client.batch_check_layer_availability(
        repositoryName=REPO, layerDigests=[sha256(layer)]
    )["layers"][0]
    assert after == {
        "layerDigest": sha256(layer),
        "layerAvailability": "AVAILABLE",
        "layerSize": len(layer),
        "mediaType": DOCKER_LAYER,
    }


def test_deleting_repository_forgets_its_layers(client):
    """A recreated repository starts without layers (presence is per repository)."""
    upload(client, REPO, b"gone with repo")
    client.delete_repository(repositoryName=REPO, force=True)
    client.create_repository(repositoryName=REPO)
    assert availability(client, sha256(b"gone with repo")) == "UNAVAILABLE"


# --------------------------------------------------------------------------------------
# Property: any split of any bytes into valid parts gives the layer's sha256 and size
# --------------------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(data=st.binary(min_size=1, max_size=64), part_size=st.integers(min_value=4, max_value=70))
def test_any_valid_split_reassembles(data, part_size):
    """Layer upload: parts are concatenated in order; the digest is sha256 of the bytes."""
    with mock_ecr_public(min_layer_part_size=4, max_layer_part_size=70):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName=REPO)
        assert upload(client, REPO, data, part_size=part_size) == sha256(data)
        layer = client.batch_check_layer_availability(
            repositoryName=REPO, layerDigests=[sha256(data)]
        )["layers"][0]
        assert layer["layerAvailability"] == "AVAILABLE"
        assert layer["layerSize"] == len(data)
