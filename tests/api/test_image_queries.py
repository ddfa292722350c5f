"""DescribeImages and DescribeImageTags against the mock.

Sources: ``docs/aws-behaviour.md``, sections "Describe and pagination" (pagination, the
ImageNotFoundException text, maxResults/nextToken exclusive with imageIds) and
"Manifests and PutImage" (imageSizeInBytes, imageManifestMediaType, artifactMediaType,
imagePushedAt); where AWS leaves them undocumented, the mock chooses the field lists,
push order and page sizes.
"""

import datetime as dt

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
    all_tags,
    build_image,
    config_blob,
    descriptor,
    ensure_uploaded,
    image_manifest,
    manifest_list,
    put,
    schema1_manifest,
    sha256,
    upload,
)
from _support import ACCOUNT, assert_error, repo_not_found
from freezegun import freeze_time

REPO = "app"
OTHER = "other"
SHARED_LAYER = b"shared-layer"

# 4-byte minimum parts, so small test layers can be uploaded in several parts.
pytestmark = pytest.mark.ecr_public(min_layer_part_size=4)
T1 = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
T2 = dt.datetime(2024, 6, 1, 0, 0, 1, tzinfo=dt.timezone.utc)
T3 = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


@pytest.fixture
def repositories():
    return (REPO, OTHER)


def not_found(digest, tag, repo=REPO):
    d = "null" if digest is None else digest
    t = "null" if tag is None else tag
    return (
        f"The image with imageId {{imageDigest:'{d}', imageTag:'{t}'}} does not exist within "
        f"the repository with name '{repo}' in the registry with id '{ACCOUNT}'"
    )


def strip(detail):
    """A detail with its imageTags sorted (their order is not specified)."""
    out = dict(detail)
    if "imageTags" in out:
        out["imageTags"] = sorted(out["imageTags"])
    return out


def many_images(client, count, repo=REPO, tag_prefix=None, start=0):
    """``count`` distinct OCI images sharing one config and one layer; digests in push order."""
    ensure_uploaded(client, repo, config_blob())
    ensure_uploaded(client, repo, SHARED_LAYER)
    digests = []
    for i in range(start, start + count):
        digests.append(
            put(
                client,
                repo,
                numbered_manifest(i),
                None if tag_prefix is None else f"{tag_prefix}{i}",
            )
        )
    return digests


def numbered_manifest(i):
    """The OCI manifest of image number ``i``: the shared config and layer, annotated ``n``."""
    return image_manifest(
        descriptor(config_blob(), OCI_CONFIG),
        [descriptor(SHARED_LAYER, OCI_LAYER)],
        media_type=OCI_MANIFEST,
        annotations={"n": str(i)},
        indent=None,
    )


def pages(client, operation, key, **kwargs):
    """Walk ``operation`` by nextToken; return the list of pages (each a list of items)."""
    found = []
    while True:
        page = getattr(client, operation)(repositoryName=REPO, **kwargs)
        found.append(page[key])
        if "nextToken" not in page:
            return found
        assert page["nextToken"]
        kwargs["nextToken"] = page["nextToken"]


# --------------------------------------------------------------------------------------
# DescribeImages: the detail
# --------------------------------------------------------------------------------------


def test_describe_image_detail_docker(client):
    """imageDetails fields (AWS leaves the list undocumented; the mock chooses it):
    registryId, repositoryName, imageDigest, imageTags, imageSizeInBytes = sum of
    layers[].size (config excluded), imagePushedAt = push time (freezegun),
    imageManifestMediaType, artifactMediaType = the config's mediaType."""
    layers = (b"a" * 11, b"b" * 23, b"c" * 5)
    with freeze_time(T1):
        manifest = build_image(client, REPO, layers=layers)
        put(client, REPO, manifest, "v1")
        put(client, REPO, manifest, "latest")
    details = client.describe_images(repositoryName=REPO)["imageDetails"]
    assert [strip(d) for d in details] == [
        {
            "registryId": ACCOUNT,
            "repositoryName": REPO,
            "imageDigest": sha256(manifest),
            "imageTags": ["latest", "v1"],
            "imageSizeInBytes": 39,
            "imagePushedAt": T1,
            "imageManifestMediaType": DOCKER_MANIFEST,
            "artifactMediaType": DOCKER_CONFIG,
        }
    ]


def test_describe_untagged_image_omits_tags(client):
    with freeze_time(T2):
        manifest = build_image(client, REPO, layers=(b"x" * 7,), media_type=OCI_MANIFEST)
        put(client, REPO, manifest)
    assert client.describe_images(repositoryName=REPO)["imageDetails"] == [
        {
            "registryId": ACCOUNT,
            "repositoryName": REPO,
            "imageDigest": sha256(manifest),
            "imageSizeInBytes": 7,
            "imagePushedAt": T2,
            "imageManifestMediaType": OCI_MANIFEST,
            "artifactMediaType": OCI_CONFIG,
        }
    ]


def test_artifact_media_type_is_config_media_type(client):
    """artifactMediaType is the config's mediaType, whatever it is (OCI artifacts)."""
    artifact = "application/vnd.example.artifact.config.v1+json"
    manifest = build_image(client, REPO, media_type=OCI_MANIFEST, config_media_type=artifact)
    put(client, REPO, manifest, "art")
    assert (
        client.describe_images(repositoryName=REPO)["imageDetails"][0]["artifactMediaType"]
        == artifact
    )


def test_size_counts_foreign_layers(client):
    """imageSizeInBytes: the sum of the manifest's layers[].size (foreign layers too)."""
    config, layer = config_blob(), b"r" * 10
    upload(client, REPO, config)
    upload(client, REPO, layer)
    foreign = descriptor(sha256(b"f"), DOCKER_FOREIGN_LAYER, size=1000)
    foreign["urls"] = ["https://example.com/f"]
    manifest = image_manifest(
        descriptor(config, DOCKER_CONFIG), [foreign, descriptor(layer, DOCKER_LAYER)]
    )
    put(client, REPO, manifest, "win")
    assert (
        client.describe_images(repositoryName=REPO)["imageDetails"][0]["imageSizeInBytes"] == 1010
    )


@pytest.mark.parametrize(
    ("list_type", "child_type"), [(DOCKER_LIST, DOCKER_MANIFEST), (OCI_INDEX, OCI_MANIFEST)]
)
def test_list_size_is_largest_referenced_image(client, list_type, child_type):
    """imageSizeInBytes of a list/index: the largest size among the images it references
    (image sizes, not the descriptors' manifest lengths); no config, no artifactMediaType."""
    small = build_image(client, REPO, layers=(b"s" * 3,), media_type=child_type, salt="s")
    big = build_image(client, REPO, layers=(b"b" * 50, b"B" * 25), media_type=child_type, salt="b")
    mid = build_image(client, REPO, layers=(b"m" * 40,), media_type=child_type, salt="m")
    refs = [(put(client, REPO, m), len(m)) for m in (small, big, mid)]
    with freeze_time(T3):
        index = manifest_list(refs, list_type, child_type)
        put(client, REPO, index, "multi")
    detail = client.describe_images(repositoryName=REPO, imageIds=[{"imageTag": "multi"}])[
        "imageDetails"
    ][0]
    assert detail == {
        "registryId": ACCOUNT,
        "repositoryName": REPO,
        "imageDigest": sha256(index),
        "imageTags": ["multi"],
        "imageSizeInBytes": 75,
        "imagePushedAt": T3,
        "imageManifestMediaType": list_type,
    }


def test_schema1_has_no_artifact_media_type(client):
    upload(client, REPO, b"s1")
    manifest = schema1_manifest([sha256(b"s1")])
    put(client, REPO, manifest, "old", imageManifestMediaType=DOCKER_SCHEMA1_SIGNED)
    detail = client.describe_images(repositoryName=REPO)["imageDetails"][0]
    assert detail["imageManifestMediaType"] == DOCKER_SCHEMA1_SIGNED
    assert "artifactMediaType" not in detail


def test_order_is_push_order_and_pushed_at(client):
    """AWS leaves this undocumented; the mock chooses: DescribeImages lists images in
    push order; imagePushedAt is each push time."""
    pushed = []
    for when, salt, tag in [(T2, "1", "c"), (T1, "2", "a"), (T3, "3", "b")]:
        with freeze_time(when):
            pushed.append((put(client, REPO, build_image(client, REPO, salt=salt), tag), when))
    details = client.describe_images(repositoryName=REPO)["imageDetails"]
    assert [(d["imageDigest"], d["imagePushedAt"]) for d in details] == pushed


def test_empty_repository(client):
    answer = client.describe_images(repositoryName=REPO)
    assert answer["imageDetails"] == []
    assert "nextToken" not in answer
    tags = client.describe_image_tags(repositoryName=REPO)
    assert tags["imageTagDetails"] == []
    assert "nextToken" not in tags


# --------------------------------------------------------------------------------------
# DescribeImages by imageIds
# --------------------------------------------------------------------------------------


@pytest.fixture
def three(client):
    """Three images: d1 tagged v1+latest, d2 tagged v2, d3 untagged."""
    d1 = put(client, REPO, build_image(client, REPO, salt="1"), "v1")
    put(client, REPO, build_image(client, REPO, salt="1"), "latest")
    d2 = put(client, REPO, build_image(client, REPO, salt="2"), "v2")
    d3 = put(client, REPO, build_image(client, REPO, salt="3"))
    return d1, d2, d3


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (lambda d: [{"imageDigest": d[0]}], [0]),
        (lambda d: [{"imageTag": "v2"}], [1]),
        (lambda d: [{"imageTag": "latest"}], [0]),
        (lambda d: [{"imageDigest": d[0], "imageTag": "v1"}], [0]),
        (lambda d: [{"imageDigest": d[2]}], [2]),
        (lambda d: [{"imageDigest": d[2]}, {"imageTag": "v2"}], [2, 1]),
    ],
)
def test_describe_by_image_ids(client, three, ids, expected):
    details = client.describe_images(repositoryName=REPO, imageIds=ids(three))["imageDetails"]
    assert sorted(d["imageDigest"] for d in details) == sorted(three[i] for i in expected)
    assert "nextToken" not in client.describe_images(repositoryName=REPO, imageIds=ids(three))


@pytest.mark.parametrize(
    ("ids", "digest", "tag"),
    [
        (lambda d: [{"imageDigest": sha256(b"nope")}], sha256(b"nope"), None),
        (lambda d: [{"imageTag": "nope"}], None, "nope"),
        (lambda d: [{"imageDigest": d[1], "imageTag": "v1"}], 1, "v1"),  # tag on another image
        (lambda d: [{"imageDigest": d[0]}, {"imageTag": "gone"}], None, "gone"),
    ],
)
def test_describe_image_not_found(client, three, ids, digest, tag):
    """docs/aws-behaviour.md, section "Describe and pagination": ImageNotFoundException
    with the imageId, 'null' for an absent part."""
    if isinstance(digest, int):
        digest = three[digest]
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        client.describe_images(repositoryName=REPO, imageIds=ids(three))
    assert_error(excinfo, "ImageNotFoundException", not_found(digest, tag))


def test_image_of_another_repository_is_not_found(client):
    d = put(client, OTHER, build_image(client, OTHER), "v1")
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        client.describe_images(repositoryName=REPO, imageIds=[{"imageDigest": d}])
    assert_error(excinfo, "ImageNotFoundException", not_found(d, None))


@pytest.mark.parametrize(
    "extra", [{"maxResults": 10}, {"nextToken": "abc"}, {"maxResults": 1, "nextToken": "abc"}]
)
def test_max_results_or_token_with_image_ids(client, three, extra):
    """docs/aws-behaviour.md, section "Describe and pagination": maxResults or nextToken
    together with imageIds is invalid."""
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_images(repositoryName=REPO, imageIds=[{"imageTag": "v1"}], **extra)
    assert_error(excinfo, "InvalidParameterException")


@pytest.mark.parametrize("operation", ["describe_images", "describe_image_tags"])
def test_max_results_over_1000(client, operation):
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        getattr(client, operation)(repositoryName=REPO, maxResults=1001)
    assert_error(excinfo, "InvalidParameterException")


@pytest.mark.parametrize("operation", ["describe_images", "describe_image_tags"])
def test_unknown_repository(client, operation):
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        getattr(client, operation)(repositoryName="missing")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("missing"))


@pytest.mark.parametrize("operation", ["describe_images", "describe_image_tags"])
def test_other_registry_id(client, operation):
    """Identifiers: neither operation declares RegistryNotFoundException."""
    assert getattr(client, operation)(repositoryName=REPO, registryId=ACCOUNT)
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        getattr(client, operation)(repositoryName=REPO, registryId="210987654321")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found(REPO, "210987654321"))


# --------------------------------------------------------------------------------------
# Pagination
# --------------------------------------------------------------------------------------


@pytest.fixture
def images_250(client):
    return many_images(client, 250)


@pytest.mark.parametrize("extra", [{}, {"maxResults": 100}])
def test_describe_images_pages_of_100(client, images_250, extra):
    """docs/aws-behaviour.md, section "Describe and pagination": default page 100; 250
    images give 100, 100, 50 and no nextToken on the last page; push order across
    pages."""
    found = pages(client, "describe_images", "imageDetails", **extra)
    assert [len(p) for p in found] == [100, 100, 50]
    assert [d["imageDigest"] for p in found for d in p] == images_250


@pytest.mark.parametrize(
    ("size", "counts"), [(1000, [250]), (250, [250]), (249, [249, 1]), (120, [120, 120, 10])]
)
def test_describe_images_page_sizes(client, images_250, size, counts):
    found = pages(client, "describe_images", "imageDetails", maxResults=size)
    assert [len(p) for p in found] == counts
    assert [d["imageDigest"] for p in found for d in p] == images_250


def test_describe_images_paginator(client, images_250):
    paginator = client.get_paginator("describe_images")
    seen = [
        d["imageDigest"]
        for page in paginator.paginate(repositoryName=REPO, PaginationConfig={"PageSize": 33})
        for d in page["imageDetails"]
    ]
    assert seen == images_250


def test_changes_between_pages_never_lose_or_repeat(client, images_250):
    """docs/aws-behaviour.md, section "Describe and pagination": a page boundary never
    loses or repeats an item even if the collection changes between pages (deletes
    before and after the boundary, new pushes, a tag added to an already-listed
    image)."""
    first = client.describe_images(repositoryName=REPO, maxResults=100)
    seen = [d["imageDigest"] for d in first["imageDetails"]]
    assert seen == images_250[:100]
    deleted_seen = images_250[10:15]
    deleted_unseen = images_250[150:155]
    client.batch_delete_image(
        repositoryName=REPO, imageIds=[{"imageDigest": d} for d in deleted_seen + deleted_unseen]
    )
    new = many_images(client, 3, tag_prefix="new", start=1000)
    token = first["nextToken"]
    while token:
        page = client.describe_images(repositoryName=REPO, maxResults=100, nextToken=token)
        seen.extend(d["imageDigest"] for d in page["imageDetails"])
        token = page.get("nextToken")
    assert len(seen) == len(set(seen)), "an image was repeated"
    survivors = [d for d in images_250 if d not in deleted_unseen]
    for digest in survivors:
        assert seen.count(digest) == 1
    for digest in deleted_unseen:
        assert digest not in seen
    assert set(seen) - set(images_250) <= set(new)


def test_retag_between_pages_does_not_repeat(client, images_250):
    first = client.describe_images(repositoryName=REPO, maxResults=100)
    seen = [d["imageDigest"] for d in first["imageDetails"]]
    # Re-put the first image's manifest with a tag: same image, must not show up again.
    detail = client.describe_images(repositoryName=REPO, imageIds=[{"imageDigest": seen[0]}])
    assert detail["imageDetails"][0]["imageDigest"] == seen[0]
    _retag(client, seen[0], "retagged")
    token = first["nextToken"]
    while token:
        page = client.describe_images(repositoryName=REPO, maxResults=100, nextToken=token)
        seen.extend(d["imageDigest"] for d in page["imageDetails"])
        token = page.get("nextToken")
    assert seen == images_250


def _retag(client, digest, tag):
    """Add ``tag`` to the image ``digest`` by re-putting its manifest (from many_images)."""
    for i in range(250):
        manifest = numbered_manifest(i)
        if sha256(manifest) == digest:
            put(client, REPO, manifest, tag)
            return
    raise AssertionError("manifest not found")


# --------------------------------------------------------------------------------------
# DescribeImageTags
# --------------------------------------------------------------------------------------


def test_describe_image_tags_detail(client):
    """imageTagDetails (AWS leaves the shape undocumented; the mock chooses it): one per
    tag, {imageTag, createdAt, imageDetail {imageDigest, imageSizeInBytes,
    imagePushedAt, imageManifestMediaType, artifactMediaType}}; untagged images have
    none."""
    with freeze_time(T1):
        m1 = build_image(client, REPO, layers=(b"1" * 12,), salt="1")
        d1 = put(client, REPO, m1, "v1")
        put(client, REPO, m1, "latest")
        d2 = put(
            client,
            REPO,
            build_image(client, REPO, layers=(b"2" * 8,), media_type=OCI_MANIFEST, salt="2"),
            "oci",
        )
        put(client, REPO, build_image(client, REPO, salt="3"))  # untagged
    details = sorted(
        client.describe_image_tags(repositoryName=REPO)["imageTagDetails"],
        key=lambda t: t["imageTag"],
    )
    docker_detail = {
        "imageDigest": d1,
        "imageSizeInBytes": 12,
        "imagePushedAt": T1,
        "imageManifestMediaType": DOCKER_MANIFEST,
        "artifactMediaType": DOCKER_CONFIG,
    }
    assert details == [
        {"imageTag": "latest", "createdAt": T1, "imageDetail": docker_detail},
        {
            "imageTag": "oci",
            "createdAt": T1,
            "imageDetail": {
                "imageDigest": d2,
                "imageSizeInBytes": 8,
                "imagePushedAt": T1,
                "imageManifestMediaType": OCI_MANIFEST,
                "artifactMediaType": OCI_CONFIG,
            },
        },
        {"imageTag": "v1", "createdAt": T1, "imageDetail": docker_detail},
    ]


def test_describe_image_tags_follow_moves_and_deletes(client):
    d1 = put(client, REPO, build_image(client, REPO, salt="1"), "t")
    put(client, REPO, build_image(client, REPO, salt="1"), "keep")
    d2 = put(client, REPO, build_image(client, REPO, salt="2"), "t")
    assert {t["imageTag"]: t["imageDetail"]["imageDigest"] for t in all_tags(client, REPO)} == {
        "t": d2,
        "keep": d1,
    }
    client.batch_delete_image(repositoryName=REPO, imageIds=[{"imageTag": "keep"}])
    assert {t["imageTag"]: t["imageDetail"]["imageDigest"] for t in all_tags(client, REPO)} == {
        "t": d2
    }


@pytest.mark.parametrize("extra", [{}, {"maxResults": 100}])
def test_describe_image_tags_pages_of_100(client, extra):
    """Paginated the same way: 250 tags give 100, 100, 50, no nextToken at the end."""
    many_images(client, 250, tag_prefix="tag-")
    found = pages(client, "describe_image_tags", "imageTagDetails", **extra)
    assert [len(p) for p in found] == [100, 100, 50]
    tags = [t["imageTag"] for p in found for t in p]
    assert sorted(tags) == sorted(f"tag-{i}" for i in range(250))


def test_describe_image_tags_many_tags_on_few_images(client):
    manifest = build_image(client, REPO)
    for i in range(130):
        put(client, REPO, manifest, f"x{i}")
    found = pages(client, "describe_image_tags", "imageTagDetails", maxResults=50)
    assert [len(p) for p in found] == [50, 50, 30]
    assert {t["imageDetail"]["imageDigest"] for p in found for t in p} == {sha256(manifest)}
    assert len({t["imageTag"] for p in found for t in p}) == 130


def test_describe_image_tags_changes_between_pages(client):
    many_images(client, 150, tag_prefix="t")
    first = client.describe_image_tags(repositoryName=REPO, maxResults=100)
    seen = [t["imageTag"] for t in first["imageTagDetails"]]
    unseen = sorted({f"t{i}" for i in range(150)} - set(seen))
    client.batch_delete_image(
        repositoryName=REPO, imageIds=[{"imageTag": seen[0]}, {"imageTag": unseen[0]}]
    )
    page = client.describe_image_tags(
        repositoryName=REPO, maxResults=100, nextToken=first["nextToken"]
    )
    assert "nextToken" not in page
    rest = [t["imageTag"] for t in page["imageTagDetails"]]
    assert sorted(seen + rest) == sorted({f"t{i}" for i in range(150)} - {unseen[0]})
