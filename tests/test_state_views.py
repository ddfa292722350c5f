"""State views (``EcrPublicMock.repositories``): read-only snapshots of the mock's state.

Source: ``EcrPublicMock.repositories``'s docstring ("a read-only snapshot of every
repository, its images, tags and layers") and ``ecrpublic_mock/_views.py`` (frozen
dataclasses; mappings are ``MappingProxyType``; repositories in creation order, images in
push order; "later changes don't show"). A view must say what the API says: every field is
checked against the Describe*/Get* answer for the same state.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Mapping

import boto3
import pytest

from ecrpublic_mock import ImageView, LayerView, RepositoryView, mock_ecr_public

ACCOUNT = "123456789012"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "pull",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["ecr-public:BatchCheckLayerAvailability"],
            }
        ],
    }
)


def described_images(client, repo: str) -> dict[str, dict]:
    return {
        d["imageDigest"]: d for d in client.describe_images(repositoryName=repo)["imageDetails"]
    }


def described_tags(client, repo: str) -> dict[str, str]:
    details = client.describe_image_tags(repositoryName=repo)["imageTagDetails"]
    return {d["imageTag"]: d["imageDetail"]["imageDigest"] for d in details}


def assert_repository_matches_api(client, view: RepositoryView) -> None:
    """Every field of the view against what the API answers for it."""
    (described,) = client.describe_repositories(repositoryNames=[view.name])["repositories"]
    assert view.arn == described["repositoryArn"]
    assert view.uri == described["repositoryUri"]
    assert view.created_at == described["createdAt"]
    catalog = client.get_repository_catalog_data(repositoryName=view.name)["catalogData"]
    assert as_lists(view.catalog_data) == catalog
    tags = client.list_tags_for_resource(resourceArn=view.arn)["tags"]
    assert dict(view.resource_tags) == {t["Key"]: t["Value"] for t in tags}
    try:
        policy = client.get_repository_policy(repositoryName=view.name)["policyText"]
    except client.exceptions.RepositoryPolicyNotFoundException:
        policy = None
    assert view.policy == policy
    images = described_images(client, view.name)
    assert list(view.images) == list(images)
    for digest, image in view.images.items():
        detail = images[digest]
        assert image.digest == digest
        assert list(image.tags) == detail.get("imageTags", [])
        assert image.size == detail["imageSizeInBytes"]
        assert image.pushed_at == detail["imagePushedAt"]
        assert image.media_type == detail["imageManifestMediaType"]
        assert image.artifact_media_type == detail.get("artifactMediaType")
    assert dict(view.tags) == described_tags(client, view.name)
    if view.layers:
        answer = client.batch_check_layer_availability(
            repositoryName=view.name, layerDigests=list(view.layers)
        )
        assert answer["failures"] == []
        assert {layer.digest: (layer.size, layer.media_type) for layer in view.layers.values()} == {
            a["layerDigest"]: (a["layerSize"], a["mediaType"]) for a in answer["layers"]
        }
    assert all(digest == layer.digest for digest, layer in view.layers.items())


# --- imports and types ------------------------------------------------------------------


def test_public_names():
    import ecrpublic_mock

    for name in ("RepositoryView", "ImageView", "LayerView", "Call"):
        assert name in ecrpublic_mock.__all__
        assert dataclasses.is_dataclass(getattr(ecrpublic_mock, name))


def test_empty_mock_has_no_repositories(ecr):
    assert isinstance(ecr.repositories, Mapping)
    assert dict(ecr.repositories) == {}


def test_views_are_the_documented_types(ecr, client):
    client.create_repository(repositoryName="app")
    digest = ecr.push_image("app", tag="v1")
    view = ecr.repositories["app"]
    assert type(view) is RepositoryView
    assert type(view.images[digest]) is ImageView
    assert {type(layer) for layer in view.layers.values()} == {LayerView}
    assert [f.name for f in dataclasses.fields(RepositoryView)] == [
        "name",
        "arn",
        "uri",
        "created_at",
        "image_tag_mutability",
        "catalog_data",
        "resource_tags",
        "policy",
        "images",
        "tags",
        "layers",
    ]
    assert [f.name for f in dataclasses.fields(ImageView)] == [
        "digest",
        "tags",
        "manifest",
        "media_type",
        "artifact_media_type",
        "size",
        "pushed_at",
        "references",
    ]
    assert [f.name for f in dataclasses.fields(LayerView)] == ["digest", "size", "media_type"]


# --- the views say what the API says ----------------------------------------------------


@pytest.mark.parametrize("names", [["app"], ["team/app", "ab", "zeta", "b-1"]])
def test_created_repositories_in_creation_order(ecr, client, names):
    for name in names:
        client.create_repository(repositoryName=name)
    assert list(ecr.repositories) == names
    for name in names:
        view = ecr.repositories[name]
        assert view.name == name
        assert view.arn == f"arn:aws:ecr-public::{ACCOUNT}:repository/{name}"
        assert view.uri == f"public.ecr.aws/{ecr.registry_alias}/{name}"
        assert view.image_tag_mutability == "MUTABLE"
        assert view.policy is None
        assert dict(view.images) == dict(view.tags) == dict(view.layers) == {}
        assert_repository_matches_api(client, view)


def test_account_option_shows_in_arn():
    with mock_ecr_public(account_id="111122223333") as handle:
        boto3.client("ecr-public", region_name="us-east-1").create_repository(repositoryName="xy")
        assert handle.repositories["xy"].arn == "arn:aws:ecr-public::111122223333:repository/xy"


@pytest.mark.parametrize("media_type", [DOCKER_MANIFEST, OCI_MANIFEST])
def test_pushed_image(ecr, client, media_type):
    client.create_repository(repositoryName="app")
    layers = [b"first layer", b"second layer!"]
    digest = ecr.push_image("app", tag="v1", layers=layers, media_type=media_type)
    view = ecr.repositories["app"]
    image = view.images[digest]
    assert image.tags == ("v1",)
    assert image.media_type == media_type
    assert image.references == ()
    assert image.size == sum(len(layer) for layer in layers)
    manifest = json.loads(image.manifest)
    assert manifest["mediaType"] == media_type
    assert image.artifact_media_type == manifest["config"]["mediaType"]
    wanted = {manifest["config"]["digest"]} | {layer["digest"] for layer in manifest["layers"]}
    assert set(view.layers) == wanted
    for descriptor in [manifest["config"], *manifest["layers"]]:
        layer = view.layers[descriptor["digest"]]
        assert (layer.size, layer.media_type) == (descriptor["size"], descriptor["mediaType"])
    assert dict(view.tags) == {"v1": digest}
    assert_repository_matches_api(client, view)


def test_image_put_through_the_api(ecr, client):
    """The view reads state, not the helpers' records: a client's PutImage shows too."""
    client.create_repository(repositoryName="app")
    digest = ecr.push_image("app", tag="v1")
    manifest = ecr.repositories["app"].images[digest].manifest
    client.put_image(repositoryName="app", imageManifest=manifest, imageTag="v2")
    view = ecr.repositories["app"]
    assert view.images[digest].tags == ("v1", "v2")
    assert dict(view.tags) == {"v1": digest, "v2": digest}
    assert_repository_matches_api(client, view)


@pytest.mark.parametrize(
    ("media_type", "index_type"), [(DOCKER_MANIFEST, DOCKER_LIST), (OCI_MANIFEST, OCI_INDEX)]
)
def test_manifest_list_shows_references(ecr, client, media_type, index_type):
    client.create_repository(repositoryName="app")
    amd = ecr.push_image("app", tag="amd64", layers=[b"a" * 3], media_type=media_type)
    arm = ecr.push_image(
        "app", tag="arm64", layers=[b"b" * 7], media_type=media_type, platform=("linux", "arm64")
    )
    index = ecr.push_index("app", tag="latest", images=[amd, arm])
    view = ecr.repositories["app"]
    assert list(view.images) == [amd, arm, index]
    listed = view.images[index]
    assert listed.references == (amd, arm)
    assert listed.media_type == index_type
    assert listed.artifact_media_type is None
    assert [m["digest"] for m in json.loads(listed.manifest)["manifests"]] == [amd, arm]
    assert view.images[amd].references == view.images[arm].references == ()
    assert dict(view.tags) == {"amd64": amd, "arm64": arm, "latest": index}
    assert_repository_matches_api(client, view)


def test_retag_moves_the_tag(ecr, client):
    client.create_repository(repositoryName="app")
    first = ecr.push_image("app", tag="latest", layers=[b"one"])
    second = ecr.push_image("app", tag="latest", layers=[b"two"])
    view = ecr.repositories["app"]
    assert view.images[first].tags == ()
    assert view.images[second].tags == ("latest",)
    assert dict(view.tags) == {"latest": second}
    assert_repository_matches_api(client, view)


def test_untag_and_delete_images(ecr, client):
    client.create_repository(repositoryName="app")
    kept = ecr.push_image("app", tag="keep", layers=[b"keep"])
    client.put_image(
        repositoryName="app",
        imageManifest=ecr.repositories["app"].images[kept].manifest,
        imageTag="drop-tag",
    )
    gone = ecr.push_image("app", tag="gone", layers=[b"gone"])
    client.batch_delete_image(
        repositoryName="app", imageIds=[{"imageTag": "drop-tag"}, {"imageDigest": gone}]
    )
    view = ecr.repositories["app"]
    assert list(view.images) == [kept]
    assert view.images[kept].tags == ("keep",)
    assert dict(view.tags) == {"keep": kept}
    assert_repository_matches_api(client, view)


def test_deleted_repository_disappears(ecr, client):
    for name in ("a1", "b2", "c3"):
        client.create_repository(repositoryName=name)
    ecr.push_image("b2", tag="v1")
    client.delete_repository(repositoryName="b2", force=True)
    assert list(ecr.repositories) == ["a1", "c3"]
    assert "b2" not in ecr.repositories


@pytest.mark.parametrize("mutability", ["IMMUTABLE", "MUTABLE"])
def test_set_image_tag_mutability_shows(ecr, client, mutability):
    client.create_repository(repositoryName="app")
    client.create_repository(repositoryName="other")
    ecr.set_image_tag_mutability("app", mutability)
    assert ecr.repositories["app"].image_tag_mutability == mutability
    assert ecr.repositories["other"].image_tag_mutability == "MUTABLE"


def test_mutability_option_shows():
    with mock_ecr_public(image_tag_mutability="IMMUTABLE") as handle:
        boto3.client("ecr-public", region_name="us-east-1").create_repository(repositoryName="xy")
        assert handle.repositories["xy"].image_tag_mutability == "IMMUTABLE"


def as_lists(catalog_data):
    """The view holds tuples (read-only); the API answers lists."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in catalog_data.items()}


@pytest.mark.parametrize(
    "catalog",
    [
        {"description": "An app"},
        {
            "description": "d",
            "architectures": ["x86-64", "ARM 64"],
            "operatingSystems": ["Linux"],
            "aboutText": "# About",
            "usageText": "docker pull",
        },
    ],
)
def test_catalog_data_shows(ecr, client, catalog):
    client.create_repository(repositoryName="app")
    assert dict(ecr.repositories["app"].catalog_data) == {}
    client.put_repository_catalog_data(repositoryName="app", catalogData=catalog)
    view = ecr.repositories["app"]
    assert as_lists(view.catalog_data) == catalog
    assert all(not isinstance(value, list) for value in view.catalog_data.values())
    assert_repository_matches_api(client, view)


def test_catalog_logo_shows_as_the_served_url(ecr, client):
    client.create_repository(repositoryName="app", catalogData={"logoImageBlob": b"\x89PNG"})
    view = ecr.repositories["app"]
    assert set(view.catalog_data) == {"logoUrl"}
    assert view.catalog_data["logoUrl"].startswith("https://")
    assert_repository_matches_api(client, view)


def test_policy_shows_and_goes(ecr, client):
    client.create_repository(repositoryName="app")
    client.set_repository_policy(repositoryName="app", policyText=POLICY)
    view = ecr.repositories["app"]
    assert json.loads(view.policy) == json.loads(POLICY)
    assert_repository_matches_api(client, view)
    client.delete_repository_policy(repositoryName="app")
    assert ecr.repositories["app"].policy is None


def test_resource_tags_show(ecr, client):
    arn = client.create_repository(
        repositoryName="app", tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}]
    )["repository"]["repositoryArn"]
    assert dict(ecr.repositories["app"].resource_tags) == {"team": "a", "env": "dev"}
    client.tag_resource(resourceArn=arn, tags=[{"Key": "team", "Value": "b"}])
    client.untag_resource(resourceArn=arn, tagKeys=["env"])
    view = ecr.repositories["app"]
    assert dict(view.resource_tags) == {"team": "b"}
    assert_repository_matches_api(client, view)


def test_uploaded_layer_shows_before_any_manifest(ecr, client):
    """A completed upload is a layer of the repository, before any image names it."""
    client.create_repository(repositoryName="app")
    data = b"just uploaded"
    upload_id = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    client.upload_layer_part(
        repositoryName="app",
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    client.complete_layer_upload(repositoryName="app", uploadId=upload_id, layerDigests=[digest])
    view = ecr.repositories["app"]
    assert list(view.layers) == [digest]
    assert view.layers[digest].size == len(data)
    assert view.images == {}
    assert_repository_matches_api(client, view)


def test_views_are_readable_after_stop(client):
    with mock_ecr_public() as handle:
        client.create_repository(repositoryName="app")
        digest = handle.push_image("app", tag="v1")
    assert list(handle.repositories) == ["app"]
    assert dict(handle.repositories["app"].tags) == {"v1": digest}


def test_each_activation_starts_empty(client):
    handle = mock_ecr_public()
    with handle:
        client.create_repository(repositoryName="app")
    with handle:
        assert dict(handle.repositories) == {}


# --- snapshots --------------------------------------------------------------------------


def test_views_are_snapshots(ecr, client):
    """A view taken earlier does not follow later changes, at any depth."""
    arn = client.create_repository(repositoryName="app", tags=[{"Key": "k", "Value": "1"}])[
        "repository"
    ]["repositoryArn"]
    first = ecr.push_image("app", tag="v1", layers=[b"one"])
    registry_view = ecr.repositories
    view = ecr.repositories["app"]
    image = view.images[first]
    frozen = (
        list(registry_view),
        dict(view.images),
        dict(view.tags),
        dict(view.layers),
        dict(view.catalog_data),
        dict(view.resource_tags),
        view.policy,
        view.image_tag_mutability,
        image.tags,
    )

    second = ecr.push_image("app", tag="v1", layers=[b"two"])  # moves the tag
    client.put_image(repositoryName="app", imageManifest=image.manifest, imageTag="v0")
    client.tag_resource(resourceArn=arn, tags=[{"Key": "k", "Value": "2"}])
    client.put_repository_catalog_data(repositoryName="app", catalogData={"description": "x"})
    client.set_repository_policy(repositoryName="app", policyText=POLICY)
    ecr.set_image_tag_mutability("app", "IMMUTABLE")
    client.create_repository(repositoryName="later")

    assert (
        list(registry_view),
        dict(view.images),
        dict(view.tags),
        dict(view.layers),
        dict(view.catalog_data),
        dict(view.resource_tags),
        view.policy,
        view.image_tag_mutability,
        image.tags,
    ) == frozen
    now = ecr.repositories["app"]
    assert now.images[first].tags == ("v0",)
    assert dict(now.tags) == {"v1": second, "v0": first}
    assert list(ecr.repositories) == ["app", "later"]

    client.batch_delete_image(repositoryName="app", imageIds=[{"imageDigest": first}])
    client.delete_repository(repositoryName="app", force=True)
    assert list(view.images) == [first]
    assert "app" in registry_view
    assert "app" not in ecr.repositories


# --- read-only --------------------------------------------------------------------------


@pytest.fixture
def populated(ecr, client):
    client.create_repository(
        repositoryName="app",
        catalogData={"description": "d"},
        tags=[{"Key": "k", "Value": "v"}],
    )
    digest = ecr.push_image("app", tag="v1")
    view = ecr.repositories["app"]
    return view, view.images[digest], next(iter(view.layers.values()))


@pytest.mark.parametrize(
    ("which", "field"),
    [
        ("repository", "name"),
        ("repository", "policy"),
        ("repository", "images"),
        ("repository", "tags"),
        ("repository", "image_tag_mutability"),
        ("image", "tags"),
        ("image", "digest"),
        ("image", "references"),
        ("layer", "size"),
        ("layer", "media_type"),
    ],
)
def test_fields_cannot_be_assigned(populated, which, field):
    view, image, layer = populated
    target = {"repository": view, "image": image, "layer": layer}[which]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(target, field, None)


@pytest.mark.parametrize(
    "mapping", ["registry", "images", "tags", "layers", "catalog_data", "resource_tags"]
)
def test_mappings_refuse_item_assignment_and_deletion(ecr, populated, mapping):
    view = populated[0]
    target = ecr.repositories if mapping == "registry" else getattr(view, mapping)
    key = next(iter(target))
    with pytest.raises(TypeError):
        target["new"] = "value"
    with pytest.raises(TypeError):
        del target[key]
    assert key in target


@pytest.mark.parametrize("field", ["tags", "references"])
def test_image_sequences_are_tuples(ecr, populated, field):
    """Sequences in an image view are tuples: nothing to append to, nothing to reach."""
    view, image, _ = populated
    value = getattr(image, field)
    assert isinstance(value, tuple)
    with pytest.raises(AttributeError):
        value.append("sha256:" + "0" * 64)
    assert getattr(ecr.repositories["app"].images[image.digest], field) == value
    assert dict(view.tags) == dict(ecr.repositories["app"].tags)


def test_catalog_data_lists_are_read_only(ecr, client):
    client.create_repository(repositoryName="app", catalogData={"architectures": ["x86-64"]})
    view = ecr.repositories["app"]
    # An immutable sequence (what a read-only view should give) refuses the append.
    with contextlib.suppress(TypeError, AttributeError):
        view.catalog_data["architectures"].append("ARM")
    answer = client.get_repository_catalog_data(repositoryName="app")["catalogData"]
    assert answer["architectures"] == ["x86-64"]
    assert list(ecr.repositories["app"].catalog_data["architectures"]) == ["x86-64"]
