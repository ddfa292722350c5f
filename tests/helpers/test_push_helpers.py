"""The handle's push helpers: ``push_image`` and ``push_index``.

Source: the mock's own API, as README.md describes it (section "Pushing images in a
test": push_image uploads the config and layers through the real upload path, then
PutImage's a Docker v2 schema 2 or OCI manifest and returns its digest; push_index puts
a Docker manifest list by default or an OCI index, and returns its digest). What the
helpers produce is checked only through the public API (DescribeImages,
DescribeImageTags, BatchCheckLayerAvailability, BatchDeleteImage), against the rules
docs/aws-behaviour.md gives for those operations.
"""

import datetime as dt
import json

import boto3
import botocore.exceptions
import pytest
from _manifests import (
    DOCKER_CONFIG,
    DOCKER_LIST,
    DOCKER_MANIFEST,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_MANIFEST,
    all_images,
    build_image,
    put,
    sha256,
    tags_of,
)
from _support import ACCOUNT
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public

REPO = "team/app"
DOCKER_LAYER_TYPES = {
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar",
}
OCI_LAYER_TYPES = {
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
}


@pytest.fixture
def repositories():
    return (REPO,)


def detail(client, digest):
    return client.describe_images(repositoryName=REPO, imageIds=[{"imageDigest": digest}])[
        "imageDetails"
    ][0]


def layer_info(client, digests):
    answer = client.batch_check_layer_availability(repositoryName=REPO, layerDigests=list(digests))
    assert answer["failures"] == []
    return {layer["layerDigest"]: layer for layer in answer["layers"]}


def test_push_image_returns_the_described_digest(ecr, client):
    """push_image returns the digest DescribeImages reports; the tag is on it; the
    manifest is Docker v2 schema 2 with a Docker config; size = sum of the layers."""
    when = dt.datetime(2024, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc)
    layers = [b"layer-1", b"layer-two"]
    with freeze_time(when):
        digest = ecr.push_image(REPO, tag="v1", layers=layers)
    assert digest.startswith("sha256:")
    assert len(digest) == len("sha256:") + 64
    assert detail(client, digest) == {
        "registryId": ACCOUNT,
        "repositoryName": REPO,
        "imageDigest": digest,
        "imageTags": ["v1"],
        "imageSizeInBytes": sum(len(x) for x in layers),
        "imagePushedAt": when,
        "imageManifestMediaType": DOCKER_MANIFEST,
        "artifactMediaType": DOCKER_CONFIG,
    }


def test_push_image_layers_are_available(ecr, client):
    """The layers went through the upload path: AVAILABLE in the repository, with their
    sizes and the manifest's layer media type."""
    layers = [b"alpha", b"beta-beta", b"gamma"]
    ecr.push_image(REPO, tag="v1", layers=layers)
    info = layer_info(client, [sha256(x) for x in layers])
    for layer in layers:
        entry = info[sha256(layer)]
        assert entry["layerAvailability"] == "AVAILABLE"
        assert entry["layerSize"] == len(layer)
        assert entry["mediaType"] in DOCKER_LAYER_TYPES


def test_push_image_default_layer(ecr, client):
    """Default layers=(b"layer",)."""
    digest = ecr.push_image(REPO, tag="v1")
    assert (
        layer_info(client, [sha256(b"layer")])[sha256(b"layer")]["layerAvailability"] == "AVAILABLE"
    )
    assert detail(client, digest)["imageSizeInBytes"] == len(b"layer")


def test_push_image_by_digest_is_untagged(ecr, client):
    digest = ecr.push_image(REPO, layers=[b"untagged"])
    assert tags_of(client, REPO) == {digest: []}
    assert "imageTags" not in detail(client, digest)


def test_push_image_oci(ecr, client):
    layers = [b"oci-layer"]
    digest = ecr.push_image(REPO, tag="oci", layers=layers, media_type=OCI_MANIFEST)
    found = detail(client, digest)
    assert found["imageManifestMediaType"] == OCI_MANIFEST
    assert found["artifactMediaType"] == OCI_CONFIG
    assert (
        layer_info(client, [sha256(layers[0])])[sha256(layers[0])]["mediaType"] in OCI_LAYER_TYPES
    )


def test_push_image_custom_config(ecr, client):
    """config: bytes is uploaded as the config blob as given."""
    config = b'{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    ecr.push_image(REPO, tag="cfg", layers=[b"l"], config=config)
    entry = layer_info(client, [sha256(config)])[sha256(config)]
    assert entry["layerAvailability"] == "AVAILABLE"
    assert entry["layerSize"] == len(config)


@pytest.mark.parametrize(
    "config",
    [b"not json", b'{"os": "linux"}', b'["a list"]'],
    ids=["not-json", "no-architecture", "not-an-object"],
)
def test_push_index_platform_of_an_unusual_config(ecr, client, config):
    """An image whose config does not declare os/architecture is listed as 'unknown'."""
    digest = ecr.push_image(REPO, layers=[b"l"], config=config)
    ecr.push_index(REPO, tag="multi", images=[digest])
    manifest = json.loads(ecr_manifest(ecr, "multi"))
    assert manifest["manifests"][0]["platform"] == {"architecture": "unknown", "os": "unknown"}


@pytest.mark.parametrize("method", ["push_image", "push_index"])
def test_helpers_refuse_a_media_type_they_cannot_build(ecr, method):
    """A media type the helper cannot build is the caller's mistake: ValueError, at once."""
    with pytest.raises(ValueError, match="media_type must be one of"):
        getattr(ecr, method)(REPO, media_type="text/plain")


def ecr_manifest(ecr, tag):
    """The stored manifest behind ``tag`` (the API has no BatchGetImage in ECR Public)."""
    repo = ecr._state.registry.repositories.get(REPO)
    return repo.images[repo.image_tags[tag].digest].manifest


def test_push_image_platform_changes_config(ecr, client):
    """platform goes into the config JSON: two platforms, same layers, two images."""
    amd = ecr.push_image(REPO, tag="amd", layers=[b"same"])
    arm = ecr.push_image(REPO, tag="arm", layers=[b"same"], platform=("linux", "arm64"))
    assert amd != arm
    assert tags_of(client, REPO) == {amd: ["amd"], arm: ["arm"]}


def test_push_image_same_content_twice_adds_tag(ecr, client):
    """Shared layers are not re-uploaded (no LayerAlreadyExists surfaces); the same
    content pushed with a new tag is the same image carrying both tags."""
    first = ecr.push_image(REPO, tag="v1", layers=[b"base", b"app"])
    second = ecr.push_image(REPO, tag="latest", layers=[b"base", b"app"])
    assert first == second
    third = ecr.push_image(REPO, tag="v2", layers=[b"base", b"app-2"])
    assert third != first
    assert tags_of(client, REPO) == {first: ["latest", "v1"], third: ["v2"]}


def test_push_image_tag_moves(ecr, client):
    first = ecr.push_image(REPO, tag="t", layers=[b"one"])
    second = ecr.push_image(REPO, tag="t", layers=[b"two"])
    assert tags_of(client, REPO) == {first: [], second: ["t"]}


def test_push_image_large_layer_uses_parts():
    """With the real quotas (5 MiB minimum, 10 MiB maximum part) an 11 MiB layer needs
    several parts: the helper must split it as a client would."""
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName=REPO)
        big = bytes(range(256)) * (11 * 1024 * 4)  # 11 MiB
        digest = ecr.push_image(REPO, tag="big", layers=[big])
        assert detail(client, digest)["imageSizeInBytes"] == len(big)
        assert layer_info(client, [sha256(big)])[sha256(big)]["layerSize"] == len(big)


def test_push_image_respects_small_part_settings():
    with mock_ecr_public(min_layer_part_size=4, max_layer_part_size=8) as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName=REPO)
        layer = b"0123456789abcdefXYZ"
        digest = ecr.push_image(REPO, tag="v", layers=[layer], config=b'{"os":"linux"}')
        assert detail(client, digest)["imageSizeInBytes"] == len(layer)


def test_push_image_matches_explicit_api(ecr, client):
    """An image pushed with the helper is an ordinary image: explicit-API images coexist
    with it, in push order."""
    helper = ecr.push_image(REPO, tag="helper", layers=[b"h"])
    manual = put(client, REPO, build_image(client, REPO, layers=(b"m",)), "manual")
    assert [d["imageDigest"] for d in all_images(client, REPO)] == [helper, manual]


# --------------------------------------------------------------------------------------
# push_index
# --------------------------------------------------------------------------------------


def test_push_index_default_docker_list(ecr, client):
    """push_index: Docker manifest list by default; its digest is the described one; its
    size is the largest referenced image's; it references the images (they cannot be
    deleted while it exists)."""
    d1 = ecr.push_image(REPO, layers=[b"a" * 10], platform=("linux", "amd64"))
    d2 = ecr.push_image(REPO, layers=[b"b" * 30], platform=("linux", "arm64"))
    index = ecr.push_index(REPO, tag="multi", images=[d1, d2])
    found = detail(client, index)
    assert found["imageManifestMediaType"] == DOCKER_LIST
    assert found["imageTags"] == ["multi"]
    assert found["imageSizeInBytes"] == 30
    assert "artifactMediaType" not in found
    answer = client.batch_delete_image(
        repositoryName=REPO, imageIds=[{"imageDigest": d1}, {"imageDigest": d2}]
    )
    reason = f"Requested image referenced by manifest list: [{index}]"
    assert [(f["failureCode"], f["failureReason"]) for f in answer["failures"]] == [
        ("ImageReferencedByManifestList", reason),
        ("ImageReferencedByManifestList", reason),
    ]


@pytest.mark.parametrize(
    ("child_types", "expected"),
    [
        ((OCI_MANIFEST,), OCI_INDEX),
        ((OCI_MANIFEST, OCI_MANIFEST), OCI_INDEX),
        ((DOCKER_MANIFEST,), DOCKER_LIST),
        ((OCI_MANIFEST, DOCKER_MANIFEST), DOCKER_LIST),
    ],
)
def test_push_index_default_media_type_follows_the_images(ecr, client, child_types, expected):
    """README: push_index builds an OCI index over OCI images, else a Docker manifest list
    (a Docker list naming only OCI manifests is a mix registries' clients don't produce)."""
    digests = [
        ecr.push_image(REPO, layers=[f"layer {i}".encode()], media_type=media_type)
        for i, media_type in enumerate(child_types)
    ]
    index = ecr.push_index(REPO, tag="multi", images=digests)
    assert detail(client, index)["imageManifestMediaType"] == expected


def test_push_index_oci(ecr, client):
    d1 = ecr.push_image(REPO, layers=[b"o1"], media_type=OCI_MANIFEST)
    d2 = ecr.push_image(
        REPO, layers=[b"o2" * 9], media_type=OCI_MANIFEST, platform=("linux", "arm64")
    )
    index = ecr.push_index(REPO, tag="oci", images=[d1, d2], media_type=OCI_INDEX)
    found = detail(client, index)
    assert found["imageManifestMediaType"] == OCI_INDEX
    assert found["imageSizeInBytes"] == 18
    assert tags_of(client, REPO)[index] == ["oci"]


def test_push_index_untagged_and_order(ecr, client):
    d1 = ecr.push_image(REPO, tag="one", layers=[b"x1"])
    index = ecr.push_index(REPO, images=[d1])
    assert tags_of(client, REPO) == {d1: ["one"], index: []}
    assert [d["imageDigest"] for d in all_images(client, REPO)] == [d1, index]


def test_push_index_of_missing_image_fails(ecr, client):
    """push_index goes through PutImage: a digest not in the repository is refused with
    PutImage's ClientError and nothing is stored."""
    missing = sha256(b"not pushed")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ecr.push_index(REPO, tag="multi", images=[missing])
    assert excinfo.value.response["Error"]["Code"] == "ReferencedImagesNotFoundException"
    assert all_images(client, REPO) == []


def test_push_image_to_missing_repository_fails(ecr, client):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ecr.push_image("missing", tag="v1")
    assert excinfo.value.response["Error"]["Code"] == "RepositoryNotFoundException"


def test_push_image_immutable_repository(ecr, client):
    """Helpers raise the API's errors: an immutable tag cannot move."""
    ecr.set_image_tag_mutability(REPO, "IMMUTABLE")
    ecr.push_image(REPO, tag="t", layers=[b"1"])
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ecr.push_image(REPO, tag="t", layers=[b"2"])
    assert excinfo.value.response["Error"]["Code"] == "ImageTagAlreadyExistsException"


def test_helper_errors_are_the_clients_modeled_exceptions():
    """A helper's failure is caught by ``client.exceptions.X`` of a boto3.client(), as the
    same failure through the client would be."""
    with mock_ecr_public(image_tag_mutability="IMMUTABLE") as handle:
        c = boto3.client("ecr-public", region_name="us-east-1")
        c.create_repository(repositoryName=REPO)
        handle.push_image(REPO, tag="v1", layers=[b"first"])
        with pytest.raises(c.exceptions.ImageTagAlreadyExistsException) as excinfo:
            handle.push_image(REPO, tag="v1", layers=[b"second"])
        assert excinfo.value.operation_name == "PutImage"
        with pytest.raises(c.exceptions.RepositoryNotFoundException):
            handle.push_image("missing", layers=[b"x"])


@pytest.mark.parametrize("compressed", [True, False], ids=["gzip", "plain"])
def test_push_image_config_names_the_uncompressed_layers(ecr, client, compressed):
    """The generated config's ``rootfs.diff_ids`` are the digests of the uncompressed
    layers, which docker and podman check on pull (a gzip layer is hashed decompressed)."""
    import gzip
    import hashlib

    tar = b"a tar's bytes" * 100
    layer = gzip.compress(tar) if compressed else tar
    digest = ecr.push_image(REPO, tag="v1", layers=[layer])
    manifest = json.loads(ecr._state.registry.repositories[REPO].images[digest].manifest)
    config = ecr._state.registry.blobs[manifest["config"]["digest"]].read()
    assert json.loads(config)["rootfs"]["diff_ids"] == [f"sha256:{hashlib.sha256(tar).hexdigest()}"]
