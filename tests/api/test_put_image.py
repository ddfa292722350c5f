"""PutImage against the mock, every row of the PutImage table in docs/aws-behaviour.md.

Sources: ``docs/aws-behaviour.md``, section "Manifests and PutImage" (accepted formats,
digest rule, the case table and its messages, foreign layers, immutability as a test
setting) and section "Identifiers". Where AWS leaves a point undocumented, the mock
chooses (media-type mismatch/unsupported messages, the image and tag quota messages,
digest-list order and format, the order of the checks, schema 1).

Blobs are uploaded with the explicit InitiateLayerUpload / UploadLayerPart /
CompleteLayerUpload calls (``tests/_manifests.py``), never with the mock's ``push_image``.
After every failing call the repository's images, tags and layer availability are
compared with a snapshot taken before it.
"""

import json

import boto3
import pytest
from _manifests import (
    DOCKER_CONFIG,
    DOCKER_FOREIGN_LAYER,
    DOCKER_LAYER,
    DOCKER_LIST,
    DOCKER_MANIFEST,
    DOCKER_SCHEMA1_SIGNED,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_LAYER,
    OCI_MANIFEST,
    OCI_NONDISTRIBUTABLE,
    all_images,
    build_image,
    config_blob,
    descriptor,
    image_manifest,
    manifest_list,
    put,
    schema1_manifest,
    sha256,
    snapshot,
    tags_of,
    upload,
)
from _support import ACCOUNT, assert_error, registry_not_found, repo_not_found

from ecrpublic_mock import mock_ecr_public

REPO = "team/app"
OTHER = "other"

# 4-byte minimum parts, so small test layers can be uploaded in several parts.
pytestmark = pytest.mark.ecr_public(min_layer_part_size=4)

INVALID_JSON = (
    "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"
)
MEDIA_MISMATCH = (
    "Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: "
    "'must match the mediaType of the manifest'"
)
MEDIA_UNSUPPORTED = (
    "Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: "
    "'Invalid manifest media type'"
)
TOO_MANY_LAYERS = (
    "Invalid parameter at 'ImageManifest' failed to satisfy constraint: "
    "'Limit on number of layers per image exceeded'"
)


def already_exists(digest, tag, repo=REPO):
    return (
        f"Image with digest '{digest}' and tag '{tag}' already exists in the repository with "
        f"name '{repo}' in registry with id '{ACCOUNT}'"
    )


def tag_immutable(tag, repo=REPO):
    return (
        f"The image tag '{tag}' already exists in the '{repo}' repository and cannot be "
        "overwritten because the repository is immutable."
    )


def _required_not_found(kind, digests, repo):
    return (
        f"{kind} with digests '[{', '.join(digests)}]' required for pushing image into "
        f"repository with name '{repo}' in the registry with id '{ACCOUNT}' do not exist"
    )


def layers_not_found(digests, repo=REPO):
    return _required_not_found("Layers", digests, repo)


def images_not_found(digests, repo=REPO):
    return _required_not_found("Images", digests, repo)


def digest_mismatch(given, repo=REPO):
    return (
        f"The image with digest '{given}' in repository '{repo}' and registry ID '{ACCOUNT}' "
        "does not match the image digest that Amazon ECR has calculated."
    )


def image_quota(limit, repo=REPO):
    return (
        f"The maximum number of images ({limit}) in the repository with name '{repo}' "
        "has been reached"
    )


def tag_quota(digest, limit):
    return f"The image with digest '{digest}' cannot have more than {limit} tags"


@pytest.fixture
def repositories():
    return (REPO, OTHER)


def failing_put(client, exception_code, message, digests=(), **kwargs):
    """PutImage must fail with ``exception_code``/``message`` and change nothing."""
    kwargs.setdefault("repositoryName", REPO)
    repos = (REPO, OTHER)
    before = snapshot(client, repos, tuple(digests))
    with pytest.raises(client.exceptions.ClientError) as excinfo:
        client.put_image(**kwargs)
    assert_error(excinfo, exception_code, message)
    assert snapshot(client, repos, tuple(digests)) == before
    return excinfo


# --------------------------------------------------------------------------------------
# Success paths and the response
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("media_type", [DOCKER_MANIFEST, OCI_MANIFEST])
def test_new_manifest_with_tag_response(client, media_type):
    """Table row "new manifest, tag T": image created with tag T. Response shape
    (docs/aws-behaviour.md, section "Manifests and PutImage"): registryId,
    repositoryName, imageId {imageDigest, imageTag}, imageManifest byte for byte,
    imageManifestMediaType. Digest = sha256 of the exact string."""
    manifest = build_image(client, REPO, layers=(b"layer-a", b"layer-b"), media_type=media_type)
    answer = client.put_image(repositoryName=REPO, imageManifest=manifest, imageTag="v1")
    digest = sha256(manifest)
    assert answer["image"] == {
        "registryId": ACCOUNT,
        "repositoryName": REPO,
        "imageId": {"imageDigest": digest, "imageTag": "v1"},
        "imageManifest": manifest,
        "imageManifestMediaType": media_type,
    }
    assert tags_of(client, REPO) == {digest: ["v1"]}


@pytest.mark.parametrize(
    "decorate",
    [
        lambda m: m + "\n",
        lambda m: "  " + m + "\r\n\t ",
        lambda m: json.dumps(json.loads(m), indent="\t"),
        lambda m: json.dumps(json.loads(m), separators=(",", ":")),
        lambda m: json.dumps(json.loads(m), indent=7, sort_keys=True),
    ],
)
def test_manifest_stored_byte_for_byte(client, decorate):
    """Manifests and PutImage: digest of the EXACT string; stored and returned byte for
    byte, whitespace included (checked in the response; DescribeImages reports the
    same digest)."""
    manifest = decorate(build_image(client, REPO))
    answer = client.put_image(repositoryName=REPO, imageManifest=manifest, imageTag="ws")
    assert answer["image"]["imageManifest"] == manifest
    assert answer["image"]["imageId"]["imageDigest"] == sha256(manifest)
    assert [d["imageDigest"] for d in all_images(client, REPO)] == [sha256(manifest)]


def test_digest_is_sha256_of_utf8_bytes(client):
    """Digest = sha256 of the manifest's UTF-8 bytes (non-ASCII annotation, unescaped)."""
    config = config_blob()
    layer = b"utf8-layer"
    upload(client, REPO, config)
    upload(client, REPO, layer)
    doc = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": descriptor(config, OCI_CONFIG),
        "layers": [descriptor(layer, OCI_LAYER)],
        "annotations": {"org.opencontainers.image.title": "café ☕ 日本"},
    }
    manifest = json.dumps(doc, ensure_ascii=False, indent=2)
    answer = client.put_image(repositoryName=REPO, imageManifest=manifest)
    assert answer["image"]["imageId"]["imageDigest"] == sha256(manifest.encode("utf-8"))
    assert answer["image"]["imageManifest"] == manifest


def test_push_by_digest_is_untagged(client):
    """Table row "new manifest, no tag": untagged image; imageId has no imageTag."""
    manifest = build_image(client, REPO)
    answer = client.put_image(repositoryName=REPO, imageManifest=manifest)
    assert answer["image"]["imageId"] == {"imageDigest": sha256(manifest)}
    details = all_images(client, REPO)
    assert len(details) == 1
    assert "imageTags" not in details[0]


def test_correct_image_digest_parameter_accepted(client):
    manifest = build_image(client, REPO)
    answer = client.put_image(
        repositoryName=REPO, imageManifest=manifest, imageTag="v1", imageDigest=sha256(manifest)
    )
    assert answer["image"]["imageId"] == {"imageDigest": sha256(manifest), "imageTag": "v1"}


def test_tag_moves_from_previous_image(client):
    """Table row "new manifest, tag T": T removed from whichever image held it (that image
    stays, untagged if T was its last tag)."""
    first = put(client, REPO, build_image(client, REPO, salt="1"), "t")
    put(client, REPO, build_image(client, REPO, salt="1"), "u")  # same manifest, second tag
    second = put(client, REPO, build_image(client, REPO, salt="2"), "t")
    assert tags_of(client, REPO) == {first: ["u"], second: ["t"]}
    third = put(client, REPO, build_image(client, REPO, salt="3"), "u")
    assert tags_of(client, REPO) == {first: [], second: ["t"], third: ["u"]}


def test_same_manifest_new_tag_adds_tag(client):
    """Table row "same manifest, a tag it does not yet carry": success, both tags, the
    response echoes the new tag."""
    manifest = build_image(client, REPO)
    put(client, REPO, manifest, "v1")
    answer = client.put_image(repositoryName=REPO, imageManifest=manifest, imageTag="latest")
    assert answer["image"]["imageId"] == {"imageDigest": sha256(manifest), "imageTag": "latest"}
    assert answer["image"]["imageManifest"] == manifest
    assert tags_of(client, REPO) == {sha256(manifest): ["latest", "v1"]}


def test_untagged_image_then_tag_it(client):
    manifest = build_image(client, REPO)
    put(client, REPO, manifest)
    put(client, REPO, manifest, "later")
    assert tags_of(client, REPO) == {sha256(manifest): ["later"]}


def test_media_type_from_parameter(client):
    """Manifests and PutImage: without a ``mediaType`` member the parameter gives it."""
    manifest = build_image(client, REPO, media_type=None)
    assert "mediaType" not in json.loads(manifest)
    answer = client.put_image(
        repositoryName=REPO, imageManifest=manifest, imageManifestMediaType=OCI_MANIFEST
    )
    assert answer["image"]["imageManifestMediaType"] == OCI_MANIFEST
    assert all_images(client, REPO)[0]["imageManifestMediaType"] == OCI_MANIFEST


@pytest.mark.parametrize("media_type", [DOCKER_MANIFEST, OCI_MANIFEST])
def test_media_type_parameter_equal_to_manifest_is_accepted(client, media_type):
    manifest = build_image(client, REPO, media_type=media_type)
    answer = client.put_image(
        repositoryName=REPO, imageManifest=manifest, imageManifestMediaType=media_type
    )
    assert answer["image"]["imageManifestMediaType"] == media_type


@pytest.mark.parametrize(
    ("list_type", "child_type"), [(DOCKER_LIST, DOCKER_MANIFEST), (OCI_INDEX, OCI_MANIFEST)]
)
def test_manifest_list_and_index(client, list_type, child_type):
    """Accepted: Docker manifest list and OCI image index referencing images of this
    repository."""
    one = build_image(client, REPO, media_type=child_type, salt="amd64")
    two = build_image(client, REPO, media_type=child_type, salt="arm64")
    d1, d2 = put(client, REPO, one), put(client, REPO, two)
    index = manifest_list([(d1, len(one)), (d2, len(two))], list_type, child_type)
    answer = client.put_image(repositoryName=REPO, imageManifest=index, imageTag="multi")
    assert answer["image"]["imageId"] == {"imageDigest": sha256(index), "imageTag": "multi"}
    assert answer["image"]["imageManifestMediaType"] == list_type
    assert tags_of(client, REPO) == {d1: [], d2: [], sha256(index): ["multi"]}


def test_oci_index_without_media_type_member(client):
    one = build_image(client, REPO, media_type=OCI_MANIFEST)
    d1 = put(client, REPO, one)
    index = manifest_list([(d1, len(one))], None, OCI_MANIFEST)
    answer = client.put_image(
        repositoryName=REPO, imageManifest=index, imageManifestMediaType=OCI_INDEX
    )
    assert answer["image"]["imageManifestMediaType"] == OCI_INDEX


def test_foreign_docker_layer_not_required(client):
    """Foreign layers are never uploaded and are not required (docs/aws-behaviour.md,
    section "Manifests and PutImage")."""
    config, layer = config_blob(), b"regular"
    upload(client, REPO, config)
    upload(client, REPO, layer)
    foreign = descriptor(sha256(b"windows base"), DOCKER_FOREIGN_LAYER, size=1234)
    foreign["urls"] = ["https://mcr.microsoft.com/v2/windows/blobs/x"]
    manifest = image_manifest(
        descriptor(config, DOCKER_CONFIG), [foreign, descriptor(layer, DOCKER_LAYER)]
    )
    assert put(client, REPO, manifest, "win") == sha256(manifest)


@pytest.mark.parametrize("media_type", OCI_NONDISTRIBUTABLE)
def test_oci_nondistributable_layer_not_required(client, media_type):
    config, layer = config_blob(), b"regular"
    upload(client, REPO, config)
    upload(client, REPO, layer)
    foreign = descriptor(sha256(b"nondistributable"), media_type, size=99)
    foreign["urls"] = ["https://example.com/blob"]
    manifest = image_manifest(
        descriptor(config, OCI_CONFIG),
        [descriptor(layer, OCI_LAYER), foreign],
        media_type=OCI_MANIFEST,
    )
    assert put(client, REPO, manifest, "nd") == sha256(manifest)


def test_schema1_signed_manifest(client):
    """Accepted: Docker v2 schema 1 (signed), media type from the parameter; its layers
    are fsLayers[].blobSum (AWS leaves this undocumented; the mock chooses it)."""
    l1, l2 = b"s1-layer-1", b"s1-layer-2"
    upload(client, REPO, l1)
    upload(client, REPO, l2)
    manifest = schema1_manifest([sha256(l2), sha256(l1), sha256(l2)])
    answer = client.put_image(
        repositoryName=REPO,
        imageManifest=manifest,
        imageManifestMediaType=DOCKER_SCHEMA1_SIGNED,
        imageTag="old",
    )
    assert answer["image"]["imageManifestMediaType"] == DOCKER_SCHEMA1_SIGNED
    assert answer["image"]["imageId"] == {"imageDigest": sha256(manifest), "imageTag": "old"}


def test_schema1_missing_layers(client):
    """Schema 1 blobSums must be present; the list is in manifest order, deduplicated."""
    present = b"s1-present"
    upload(client, REPO, present)
    m1, m2 = sha256(b"missing-1"), sha256(b"missing-2")
    manifest = schema1_manifest([m1, sha256(present), m2, m1])
    failing_put(
        client,
        "LayersNotFoundException",
        layers_not_found([m1, m2]),
        repositoryName=REPO,
        imageManifest=manifest,
        imageManifestMediaType=DOCKER_SCHEMA1_SIGNED,
    )


@pytest.mark.parametrize("use_alias", [False, True])
def test_registry_id_account_or_alias(ecr, client, use_alias):
    """Identifiers: PutImage takes RegistryIdOrAlias; the response names the account."""
    registry = ecr.registry_alias if use_alias else ACCOUNT
    manifest = build_image(client, REPO)
    answer = client.put_image(
        repositoryName=REPO, imageManifest=manifest, imageTag="v1", registryId=registry
    )
    assert answer["image"]["registryId"] == ACCOUNT


@pytest.mark.parametrize("given", ["210987654321", "q1w2e3r4"])
def test_registry_not_found(client, given):
    """Identifiers: PutImage declares RegistryNotFoundException."""
    manifest = build_image(client, REPO)
    failing_put(
        client,
        "RegistryNotFoundException",
        registry_not_found(given),
        repositoryName=REPO,
        imageManifest=manifest,
        registryId=given,
    )


def test_repository_not_found(client):
    manifest = build_image(client, REPO)
    failing_put(
        client,
        "RepositoryNotFoundException",
        repo_not_found("missing"),
        repositoryName="missing",
        imageManifest=manifest,
    )


# --------------------------------------------------------------------------------------
# Manifest JSON and media type
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("manifest", "param"),
    [
        ("not json", None),
        ("{", None),
        ('{"schemaVersion": 2, "mediaType": ', DOCKER_MANIFEST),
        ("not json", DOCKER_MANIFEST),
        ('{"schemaVersion": 2, "config": {}, "layers": []}', None),  # no media type at all
    ],
)
def test_invalid_json_syntax(client, manifest, param):
    """Manifests and PutImage: JSON that does not parse, or no media type anywhere, is
    InvalidParameterException 'Invalid JSON syntax'."""
    kwargs = {"repositoryName": REPO, "imageManifest": manifest}
    if param is not None:
        kwargs["imageManifestMediaType"] = param
    failing_put(client, "InvalidParameterException", INVALID_JSON, **kwargs)


_DIGEST = "sha256:" + "ab" * 32
_CONFIG = {"mediaType": DOCKER_CONFIG, "size": 2, "digest": _DIGEST}


@pytest.mark.parametrize(
    "document",
    [
        ["a JSON array, not an object"],
        {"schemaVersion": 2, "mediaType": 7},
        {"schemaVersion": 2, "mediaType": DOCKER_MANIFEST, "config": "x", "layers": []},
        {"schemaVersion": 2, "mediaType": DOCKER_MANIFEST, "config": _CONFIG},
        {"schemaVersion": 2, "mediaType": DOCKER_MANIFEST, "config": _CONFIG, "layers": {}},
        {"schemaVersion": 2, "mediaType": DOCKER_MANIFEST, "config": _CONFIG, "layers": [1]},
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {**_CONFIG, "digest": "not-a-digest"},
            "layers": [],
        },
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {**_CONFIG, "size": "2"},
            "layers": [],
        },
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {**_CONFIG, "mediaType": ["x"]},
            "layers": [],
        },
        *(
            {
                "schemaVersion": 2,
                "mediaType": DOCKER_MANIFEST,
                "config": {**_CONFIG, "size": size},
                "layers": [],
            }
            for size in (-1, True, 2**63)
        ),
        {"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": "x"},
        {"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": [{"digest": 5}]},
        {"schemaVersion": 1, "mediaType": DOCKER_SCHEMA1_SIGNED, "fsLayers": ["x"]},
        {"schemaVersion": 1, "mediaType": DOCKER_SCHEMA1_SIGNED, "fsLayers": [{}]},
    ],
)
def test_manifests_without_their_types_shape(client, document):
    """docs/aws-behaviour.md, section "Where the mock chooses" (broken manifests): JSON
    that parses but lacks the structure of its media type (a config that is not an
    object, layers that are not a list, a malformed digest, a size that is not a
    non-negative 64-bit number) is answered like unparseable JSON: 'Invalid JSON
    syntax'."""
    failing_put(
        client, "InvalidParameterException", INVALID_JSON, imageManifest=json.dumps(document)
    )


@pytest.mark.parametrize(
    ("manifest_type", "param"),
    [
        (DOCKER_MANIFEST, OCI_MANIFEST),
        (OCI_MANIFEST, DOCKER_MANIFEST),
        (DOCKER_MANIFEST, DOCKER_LIST),
    ],
)
def test_media_type_mismatch(client, manifest_type, param):
    """mediaType member and parameter both present and different (AWS leaves the message
    undocumented; the mock chooses it)."""
    manifest = build_image(client, REPO, media_type=manifest_type)
    failing_put(
        client,
        "InvalidParameterException",
        MEDIA_MISMATCH,
        imageManifest=manifest,
        imageManifestMediaType=param,
    )


@pytest.mark.parametrize(
    ("member", "param"),
    [
        ("application/json", None),
        ("text/plain", "text/plain"),
        (None, "application/vnd.example.unknown+json"),
    ],
)
def test_unsupported_media_type(client, member, param):
    """A media type outside the five accepted formats (AWS leaves the message
    undocumented; the mock chooses it)."""
    manifest = build_image(client, REPO, media_type=None)
    if member is not None:
        doc = json.loads(manifest)
        doc["mediaType"] = member
        manifest = json.dumps(doc)
    kwargs = {"imageManifest": manifest}
    if param is not None:
        kwargs["imageManifestMediaType"] = param
    failing_put(client, "InvalidParameterException", MEDIA_UNSUPPORTED, **kwargs)


@pytest.mark.ecr_public(min_layer_part_size=4, max_layers_per_image=2)
def test_too_many_layers(client):
    """Manifests and PutImage: 'Limit on number of layers per image exceeded'
    (max_layers_per_image=2: three layers fail, two pass)."""
    layers = (b"l-1", b"l-2", b"l-3")
    manifest = build_image(client, REPO, layers=layers)
    failing_put(
        client,
        "InvalidParameterException",
        TOO_MANY_LAYERS,
        [sha256(x) for x in layers],
        imageManifest=manifest,
        imageTag="big",
    )
    assert put(client, REPO, build_image(client, REPO, layers=layers[:2]), "ok")


def test_image_digest_does_not_match(client):
    """Manifests and PutImage: imageDigest given and different from the computed one."""
    manifest = build_image(client, REPO)
    given = sha256(b"something else")
    failing_put(
        client,
        "ImageDigestDoesNotMatchException",
        digest_mismatch(given),
        imageManifest=manifest,
        imageDigest=given,
        imageTag="v1",
    )


# --------------------------------------------------------------------------------------
# Layers and referenced images
# --------------------------------------------------------------------------------------


def test_config_not_uploaded(client):
    """Table row "config blob or a layer not uploaded to this repository"."""
    layer = b"only-layer"
    upload(client, REPO, layer)
    config = config_blob(salt="missing")
    manifest = image_manifest(descriptor(config, DOCKER_CONFIG), [descriptor(layer, DOCKER_LAYER)])
    failing_put(
        client,
        "LayersNotFoundException",
        layers_not_found([sha256(config)]),
        [sha256(config), sha256(layer)],
        imageManifest=manifest,
        imageTag="v1",
    )


@pytest.mark.parametrize("media_type", [DOCKER_MANIFEST, OCI_MANIFEST])
def test_layers_not_uploaded_in_manifest_order_deduplicated(client, media_type):
    """AWS leaves the digest list's order undocumented; the mock chooses manifest order
    (config first), deduplicated, '[a, b]'."""
    config = config_blob(salt="x")
    present = b"present-layer"
    upload(client, REPO, present)
    m1, m2 = b"missing-z", b"missing-a"
    layer_type = OCI_LAYER if media_type == OCI_MANIFEST else DOCKER_LAYER
    config_type = OCI_CONFIG if media_type == OCI_MANIFEST else DOCKER_CONFIG
    manifest = image_manifest(
        descriptor(config, config_type),
        [descriptor(x, layer_type) for x in (m1, present, m2, m1)],
        media_type=media_type,
    )
    failing_put(
        client,
        "LayersNotFoundException",
        layers_not_found([sha256(config), sha256(m1), sha256(m2)]),
        [sha256(present)],
        imageManifest=manifest,
        imageTag="v1",
    )


def test_layers_of_another_repository_are_not_found(client):
    """Table row: a layer "not uploaded to this repository" (uploaded elsewhere)."""
    manifest = build_image(client, OTHER, layers=(b"elsewhere",))
    digests = [sha256(config_blob()), sha256(b"elsewhere")]
    failing_put(
        client,
        "LayersNotFoundException",
        layers_not_found(digests),
        digests,
        imageManifest=manifest,
        imageTag="v1",
    )
    assert put(client, OTHER, manifest, "v1") == sha256(manifest)


@pytest.mark.parametrize(
    ("list_type", "child_type"), [(DOCKER_LIST, DOCKER_MANIFEST), (OCI_INDEX, OCI_MANIFEST)]
)
def test_referenced_images_not_found(client, list_type, child_type):
    """Table row "list/index referencing a manifest not in this repository" (real text);
    manifest order, deduplicated (AWS leaves the order undocumented; the mock chooses
    it)."""
    present = build_image(client, REPO, media_type=child_type)
    dp = put(client, REPO, present, "present")
    m1, m2 = sha256(b"missing manifest 1"), sha256(b"missing manifest 0")
    index = manifest_list([(m1, 10), (dp, len(present)), (m2, 20), (m1, 10)], list_type, child_type)
    failing_put(
        client,
        "ReferencedImagesNotFoundException",
        images_not_found([m1, m2]),
        imageManifest=index,
        imageTag="multi",
    )


def test_referenced_image_in_another_repository_not_found(client):
    other_manifest = build_image(client, OTHER)
    d_other = put(client, OTHER, other_manifest, "v1")
    index = manifest_list([(d_other, len(other_manifest))])
    failing_put(
        client,
        "ReferencedImagesNotFoundException",
        images_not_found([d_other]),
        imageManifest=index,
    )


# --------------------------------------------------------------------------------------
# Already exists, immutability
# --------------------------------------------------------------------------------------


def test_same_manifest_same_tag_already_exists(client):
    """Table row "same manifest, a tag it already carries"."""
    manifest = build_image(client, REPO)
    put(client, REPO, manifest, "v1")
    put(client, REPO, manifest, "v2")
    failing_put(
        client,
        "ImageAlreadyExistsException",
        already_exists(sha256(manifest), "v1"),
        imageManifest=manifest,
        imageTag="v1",
    )


@pytest.mark.parametrize("tagged", [False, True])
def test_same_manifest_no_tag_already_exists(client, tagged):
    """Table row "same manifest, no tag, already present": same text with tag 'null'."""
    manifest = build_image(client, REPO)
    put(client, REPO, manifest, "v1" if tagged else None)
    failing_put(
        client,
        "ImageAlreadyExistsException",
        already_exists(sha256(manifest), "null"),
        imageManifest=manifest,
    )


def test_same_manifest_list_already_exists(client):
    one = build_image(client, REPO)
    d1 = put(client, REPO, one)
    index = manifest_list([(d1, len(one))])
    put(client, REPO, index, "multi")
    failing_put(
        client,
        "ImageAlreadyExistsException",
        already_exists(sha256(index), "multi"),
        imageManifest=index,
        imageTag="multi",
    )


@pytest.mark.parametrize("how", ["handle", "option"])
def test_immutable_tag_cannot_move(how):
    """Table row "tag already on another image, repository tag-immutable" (real text);
    immutability is a test setting (per repository on the handle, or the default option).
    Nothing is stored: the new manifest does not appear even untagged."""
    options = {"min_layer_part_size": 4}
    if how == "option":
        options["image_tag_mutability"] = "IMMUTABLE"
    with mock_ecr_public(**options) as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName=REPO)
        client.create_repository(repositoryName=OTHER)
        if how == "handle":
            ecr.set_image_tag_mutability(REPO, "IMMUTABLE")
        put(client, REPO, build_image(client, REPO, salt="1"), "t")
        second = build_image(client, REPO, salt="2")
        failing_put(
            client,
            "ImageTagAlreadyExistsException",
            tag_immutable("t"),
            imageManifest=second,
            imageTag="t",
        )
        # Allowed in an immutable repository: new tags, push by digest, more tags.
        d2 = put(client, REPO, second, "t2")
        put(client, REPO, second, "t3")
        third = build_image(client, REPO, salt="3")
        d3 = put(client, REPO, third)
        assert tags_of(client, REPO)[d2] == ["t2", "t3"]
        assert tags_of(client, REPO)[d3] == []
        if how == "option":
            # the default applies to every repository
            put(client, OTHER, build_image(client, OTHER, salt="1"), "t")
            with pytest.raises(client.exceptions.ImageTagAlreadyExistsException):
                put(client, OTHER, build_image(client, OTHER, salt="2"), "t")


def test_immutable_can_be_switched_back(ecr, client):
    ecr.set_image_tag_mutability(REPO, "IMMUTABLE")
    d1 = put(client, REPO, build_image(client, REPO, salt="1"), "t")
    with pytest.raises(client.exceptions.ImageTagAlreadyExistsException):
        put(client, REPO, build_image(client, REPO, salt="2"), "t")
    ecr.set_image_tag_mutability(REPO, "MUTABLE")
    d2 = put(client, REPO, build_image(client, REPO, salt="2"), "t")
    assert tags_of(client, REPO) == {d1: [], d2: ["t"]}


def test_immutability_is_per_repository(ecr, client):
    ecr.set_image_tag_mutability(REPO, "IMMUTABLE")
    put(client, OTHER, build_image(client, OTHER, salt="1"), "t")
    assert put(client, OTHER, build_image(client, OTHER, salt="2"), "t")


# --------------------------------------------------------------------------------------
# Quotas
# --------------------------------------------------------------------------------------


@pytest.mark.ecr_public(min_layer_part_size=4, max_images_per_repository=2)
def test_image_quota(client):
    """Table row "repository already holds the image quota" (the mock's wording;
    docs/aws-behaviour.md, section "Where the mock chooses"). Tagging an existing image
    is still fine at the quota; deleting one frees a slot."""
    d1 = put(client, REPO, build_image(client, REPO, salt="1"), "one")
    put(client, REPO, build_image(client, REPO, salt="2"), "two")
    third = build_image(client, REPO, salt="3")
    failing_put(
        client, "LimitExceededException", image_quota(2), imageManifest=third, imageTag="three"
    )
    failing_put(client, "LimitExceededException", image_quota(2), imageManifest=third)
    put(client, REPO, build_image(client, REPO, salt="1"), "again")  # existing image: ok
    client.batch_delete_image(repositoryName=REPO, imageIds=[{"imageDigest": d1}])
    assert put(client, REPO, third, "three") == sha256(third)
    assert put(client, OTHER, build_image(client, OTHER, salt="1"))  # quota is per repository


@pytest.mark.ecr_public(min_layer_part_size=4, max_tags_per_image=2)
def test_tag_quota(client):
    """Table row "image would exceed 1,000 tags" (here 2; the mock's wording;
    docs/aws-behaviour.md, section "Where the mock chooses")."""
    manifest = build_image(client, REPO)
    put(client, REPO, manifest, "a")
    put(client, REPO, manifest, "b")
    failing_put(
        client,
        "LimitExceededException",
        tag_quota(sha256(manifest), 2),
        imageManifest=manifest,
        imageTag="c",
    )
    # a tag moving onto the full image is refused too, and stays where it was
    other = put(client, REPO, build_image(client, REPO, salt="o"), "c")
    failing_put(
        client,
        "LimitExceededException",
        tag_quota(sha256(manifest), 2),
        imageManifest=manifest,
        imageTag="c",
    )
    assert tags_of(client, REPO)[other] == ["c"]


# --------------------------------------------------------------------------------------
# Order of the checks (AWS leaves it undocumented; the mock chooses): repository,
# manifest JSON/media type, layer count, digest match, layers, referenced images,
# already-exists, immutability, quotas.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "kwargs"),
    [
        pytest.param(
            "RepositoryNotFoundException",
            repo_not_found("missing"),
            {"repositoryName": "missing", "imageManifest": "not json"},
            id="repository-before-json",
        ),
        pytest.param(
            "RegistryNotFoundException",
            registry_not_found("210987654321"),
            {"registryId": "210987654321", "imageManifest": "not json"},
            id="registry-before-json",
        ),
        pytest.param(
            "InvalidParameterException",
            INVALID_JSON,
            {"imageManifest": "not json", "imageDigest": sha256(b"x")},
            id="json-before-digest",
        ),
    ],
)
def test_order_of_first_checks(client, code, message, kwargs):
    failing_put(client, code, message, **kwargs)


@pytest.mark.ecr_public(min_layer_part_size=4, max_layers_per_image=1)
def test_order_media_type_before_layer_count(client):
    manifest = build_image(client, REPO, layers=(b"a1", b"a2"))
    failing_put(
        client,
        "InvalidParameterException",
        MEDIA_MISMATCH,
        imageManifest=manifest,
        imageManifestMediaType=OCI_MANIFEST,
    )


@pytest.mark.ecr_public(min_layer_part_size=4, max_layers_per_image=1)
def test_order_layer_count_before_digest(client):
    manifest = image_manifest(
        descriptor(config_blob(), DOCKER_CONFIG),
        [descriptor(b"n1", DOCKER_LAYER), descriptor(b"n2", DOCKER_LAYER)],
    )
    failing_put(
        client,
        "InvalidParameterException",
        TOO_MANY_LAYERS,
        imageManifest=manifest,
        imageDigest=sha256(b"wrong"),
    )


def test_order_digest_before_layers(client):
    manifest = image_manifest(
        descriptor(config_blob(), DOCKER_CONFIG), [descriptor(b"never uploaded", DOCKER_LAYER)]
    )
    failing_put(
        client,
        "ImageDigestDoesNotMatchException",
        digest_mismatch(sha256(b"wrong")),
        imageManifest=manifest,
        imageDigest=sha256(b"wrong"),
    )


def test_order_already_exists_before_immutability(ecr, client):
    manifest = build_image(client, REPO)
    put(client, REPO, manifest, "t")
    ecr.set_image_tag_mutability(REPO, "IMMUTABLE")
    failing_put(
        client,
        "ImageAlreadyExistsException",
        already_exists(sha256(manifest), "t"),
        imageManifest=manifest,
        imageTag="t",
    )


@pytest.mark.ecr_public(min_layer_part_size=4, max_images_per_repository=1, max_tags_per_image=1)
def test_order_already_exists_before_quotas(client):
    manifest = build_image(client, REPO)
    put(client, REPO, manifest, "t")
    failing_put(
        client,
        "ImageAlreadyExistsException",
        already_exists(sha256(manifest), "t"),
        imageManifest=manifest,
        imageTag="t",
    )


@pytest.mark.ecr_public(
    min_layer_part_size=4, max_images_per_repository=1, image_tag_mutability="IMMUTABLE"
)
def test_order_immutability_before_image_quota(client):
    put(client, REPO, build_image(client, REPO, salt="1"), "t")
    failing_put(
        client,
        "ImageTagAlreadyExistsException",
        tag_immutable("t"),
        imageManifest=build_image(client, REPO, salt="2"),
        imageTag="t",
    )


@pytest.mark.ecr_public(min_layer_part_size=4, max_images_per_repository=1)
def test_order_layers_before_image_quota(client):
    put(client, REPO, build_image(client, REPO, salt="1"), "t")
    missing = config_blob(salt="missing")
    manifest = image_manifest(descriptor(missing, DOCKER_CONFIG), [])
    failing_put(
        client,
        "LayersNotFoundException",
        layers_not_found([sha256(missing)]),
        imageManifest=manifest,
        imageTag="u",
    )


@pytest.mark.ecr_public(min_layer_part_size=4, max_images_per_repository=1)
def test_order_referenced_images_before_image_quota(client):
    put(client, REPO, build_image(client, REPO, salt="1"), "t")
    missing = sha256(b"no such manifest")
    failing_put(
        client,
        "ReferencedImagesNotFoundException",
        images_not_found([missing]),
        imageManifest=manifest_list([(missing, 5)]),
        imageTag="u",
    )
