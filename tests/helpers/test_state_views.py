"""State views (``EcrPublicMock.repositories``): read-only snapshots of the mock's state.

Source: ``EcrPublicMock.repositories``'s docstring ("a read-only snapshot of every (free)
repository, its images, tags and layers"), ``EcrPublicMock.premium_repositories``'s ("the
same snapshot of every premium repository (with its state and products)") and
``ecrpublic_mock/_helpers/views.py`` (frozen dataclasses; mappings are
``MappingProxyType``; repositories in creation order, images in push order; "later
changes don't show"; "deprecated images whose time has come are gone"). A view must say
what the API says: every field is checked against the Describe*/Get* answer for the same
state. ``catalog_data`` holds what was set; the members the service derives
(``artifactTypes``, ``badges``: docs/aws-behaviour.md, "Premium repositories") are the API's alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
from collections.abc import Mapping

import boto3
import botocore.exceptions
import botocore.session
import pytest
from _manifests import HELM_CONFIG
from _support import MODEL, PREMIUM_OPTIONS, needs_premium
from freezegun import freeze_time

from ecrpublic_mock import ImageView, LayerView, RepositoryView, UploadView, mock_ecr_public

ACCOUNT = "123456789012"
# Members and operations botocore 1.44.18's model added: an older model's answers lack them.
IMAGE_DETAIL = set(MODEL.shape_for("ImageDetail").members)
REPOSITORY = set(MODEL.shape_for("Repository").members)
DERIVED_CATALOG = ("badges", "artifactTypes")


def premium_test(test):
    """A test of premium repositories: skipped under a model without them; its ``ecr`` is a
    registry that may create them (verified, custom alias: docs/aws-behaviour.md, "Premium
    repositories")."""
    return needs_premium(pytest.mark.ecr_public(**PREMIUM_OPTIONS)(test))


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


def described_images(client, repo: str, **typed) -> dict[str, dict]:
    details = client.describe_images(repositoryName=repo, **typed)["imageDetails"]
    return {d["imageDigest"]: d for d in details}


def described_tags(client, repo: str, **typed) -> dict[str, str]:
    details = client.describe_image_tags(repositoryName=repo, **typed)["imageTagDetails"]
    return {d["imageTag"]: d["imageDetail"]["imageDigest"] for d in details}


def get_catalog(get, **which) -> dict | None:
    """A premium repository's catalog; None for one never set, which the API answers
    with RepositoryCatalogDataNotFoundException (docs/aws-behaviour.md, "Premium repositories")."""
    try:
        return get(**which)["catalogData"]
    except botocore.exceptions.ClientError as error:
        code = error.response["Error"]["Code"]
    assert code == "RepositoryCatalogDataNotFoundException"
    return None


def expected_artifact_types(view: RepositoryView) -> list[str]:
    """docs/aws-behaviour.md, "Premium repositories": IMAGE when an image whose config is not a helm
    chart's is stored, HELM when a helm chart is; IMAGE first."""
    kinds = [image.artifact_media_type == HELM_CONFIG for image in view.images.values()]
    return [kind for kind, held in (("IMAGE", False in kinds), ("HELM", True in kinds)) if held]


def assert_repository_matches_api(client, view: RepositoryView) -> None:
    """Every field of the view against what the API answers for it (free or premium)."""
    assert view.repository_type in ("FREE", "PREMIUM")
    premium = view.repository_type == "PREMIUM"
    which = {"repositoryName": view.name}
    typed = {"repositoryType": "PREMIUM"} if premium else {}
    if premium:
        described = client.describe_premium_repositories(repositoryNames=[view.name])
        (described,) = described["repositories"]
        catalog = get_catalog(client.get_premium_repository_catalog_data, **which)
        assert view.state == described["state"]
        assert view.marketplace_products == tuple(described["marketplaceProducts"])
        get_policy = client.get_premium_repository_policy
    else:
        (described,) = client.describe_repositories(repositoryNames=[view.name])["repositories"]
        catalog = client.get_repository_catalog_data(**which)["catalogData"]
        assert (view.state, view.marketplace_products) == (None, ())
        get_policy = client.get_repository_policy
    assert view.arn == described["repositoryArn"]
    assert view.uri == described["repositoryUri"]
    assert view.created_at == described["createdAt"]
    if "associatedRepositories" in REPOSITORY:
        associated = [
            (other["repositoryName"], other["repositoryType"])
            for other in described.get("associatedRepositories", [])
        ]
        assert [view.associated_repository] == (associated or [None])
    if catalog is None:
        assert dict(view.catalog_data) == {}
    else:
        derived = {key: catalog.pop(key) for key in DERIVED_CATALOG if key in catalog}
        assert as_lists(view.catalog_data) == catalog
        if "artifactTypes" in MODEL.shape_for("RepositoryCatalogData").members:
            assert derived.get("artifactTypes", []) == expected_artifact_types(view)
    tags = client.list_tags_for_resource(resourceArn=view.arn)["tags"]
    assert dict(view.resource_tags) == {t["Key"]: t["Value"] for t in tags}
    try:
        policy = get_policy(**which)["policyText"]
    except client.exceptions.RepositoryPolicyNotFoundException:
        policy = None
    assert view.policy == policy
    images = described_images(client, view.name, **typed)
    assert list(view.images) == list(images)
    for digest, image in view.images.items():
        detail = images[digest]
        assert image.digest == digest
        assert list(image.tags) == detail.get("imageTags", [])
        assert image.size == detail["imageSizeInBytes"]
        assert image.pushed_at == detail["imagePushedAt"]
        assert image.media_type == detail["imageManifestMediaType"]
        assert image.artifact_media_type == detail.get("artifactMediaType")
        if "subjectManifestDigest" in IMAGE_DETAIL:
            assert image.subject == detail.get("subjectManifestDigest")
        if not premium:
            assert (image.status, image.scheduled_deletion_at) == (None, None)
        elif "imageStatus" in IMAGE_DETAIL:
            assert image.status == detail["imageStatus"]
            assert image.scheduled_deletion_at == detail.get("scheduledDeletionAt")
    assert dict(view.tags) == described_tags(client, view.name, **typed)
    if view.layers:
        answer = client.batch_check_layer_availability(
            repositoryName=view.name, layerDigests=list(view.layers), **typed
        )
        assert answer["failures"] == []
        assert {layer.digest: (layer.size, layer.media_type) for layer in view.layers.values()} == {
            a["layerDigest"]: (a["layerSize"], a["mediaType"]) for a in answer["layers"]
        }
    assert all(digest == layer.digest for digest, layer in view.layers.items())


# --- imports and types ------------------------------------------------------------------


def test_public_names():
    import ecrpublic_mock

    for name in ("RepositoryView", "ImageView", "LayerView", "UploadView", "Call"):
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
        "uploads",
        "repository_type",
        "state",
        "marketplace_products",
        "associated_repository",
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
        "subject",
        "status",
        "scheduled_deletion_at",
    ]
    assert [f.name for f in dataclasses.fields(LayerView)] == [
        "digest",
        "size",
        "media_type",
        "images",
        "expires_at",
    ]
    assert [f.name for f in dataclasses.fields(UploadView)] == [
        "upload_id",
        "received",
        "expires_at",
    ]


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


# --- premium repositories and the fields the premium operations added -----------------------


def test_free_views_carry_no_premium_fields(ecr, client):
    """A free repository's view: type FREE, no state, no products, no association; its
    images have no status and no scheduled deletion (views.py: "None in a free
    repository"); a mock without premium repositories has an empty premium view."""
    client.create_repository(repositoryName="app")
    digest = ecr.push_image("app", tag="v1")
    view = ecr.repositories["app"]
    assert (view.repository_type, view.state, view.marketplace_products) == ("FREE", None, ())
    assert view.associated_repository is None
    image = view.images[digest]
    assert (image.subject, image.status, image.scheduled_deletion_at) == (None, None, None)
    assert isinstance(ecr.premium_repositories, Mapping)
    assert dict(ecr.premium_repositories) == {}
    assert_repository_matches_api(client, view)


def test_subject_shows_in_the_view(ecr, client):
    """An OCI 1.1 manifest with a ``subject``: the view's ``subject`` is that manifest's
    digest (ImageView: "the digest of its OCI 1.1 subject"), as DescribeImages'
    subjectManifestDigest is where the model has it."""
    client.create_repository(repositoryName="app")
    base = ecr.push_image("app", tag="v1", media_type=OCI_MANIFEST)
    manifest = json.loads(ecr.repositories["app"].images[base].manifest)
    size = len(ecr.repositories["app"].images[base].manifest.encode())
    manifest["subject"] = {"mediaType": OCI_MANIFEST, "size": size, "digest": base}
    manifest["annotations"] = {"org.example.kind": "signature"}
    referrer = client.put_image(repositoryName="app", imageManifest=json.dumps(manifest))
    digest = referrer["image"]["imageId"]["imageDigest"]
    view = ecr.repositories["app"]
    assert view.images[digest].subject == base
    assert view.images[base].subject is None
    assert_repository_matches_api(client, view)


def create_premium(client, name, products=("prod-1",), **extra):
    return client.create_premium_repository(
        repositoryName=name, marketplaceProducts=list(products), **extra
    )["premiumRepository"]


@premium_test
def test_premium_views_say_what_the_premium_api_says(ecr, client):
    """``premium_repositories`` holds the premium namespace only, in creation order, and
    ``repositories`` the free one (docs/aws-behaviour.md, "Premium repositories": the same
    name can be in both);
    each premium view's fields are DescribePremiumRepositories', the premium catalog,
    policy and tags, and the images and layers the typed calls answer; the association
    shows on both sides as (name, type)."""
    client.create_repository(repositoryName="pro")
    create_premium(
        client,
        "pro",
        ["prod-1", "prod-2"],
        catalogData={"description": "Hardened", "categories": ["SECURITY"]},
        tags=[{"Key": "team", "Value": "core"}],
    )
    create_premium(client, "bare", ["prod-3"])
    amd = ecr.push_image("pro", tag="amd64", layers=[b"amd"], repository_type="PREMIUM")
    chart = ecr.push_image(
        "pro",
        tag="chart",
        layers=[b"chart"],
        media_type=OCI_MANIFEST,
        config_media_type=HELM_CONFIG,
        repository_type="PREMIUM",
    )
    index = ecr.push_index("pro", tag="latest", images=[amd], repository_type="PREMIUM")
    client.set_premium_repository_policy(repositoryName="pro", policyText=POLICY)
    client.set_repository_state(repositoryName="pro", repositoryType="PREMIUM", state="AVAILABLE")
    client.associate_repositories(
        repositoryName="pro",
        repositoryType="FREE",
        associatedRepositoryName="pro",
        associatedRepositoryType="PREMIUM",
    )
    assert list(ecr.premium_repositories) == ["pro", "bare"]
    assert list(ecr.repositories) == ["pro"]
    pro = ecr.premium_repositories["pro"]
    assert (pro.repository_type, pro.state) == ("PREMIUM", "AVAILABLE")
    assert pro.marketplace_products == ("prod-1", "prod-2")
    assert pro.associated_repository == ("pro", "FREE")
    assert ecr.repositories["pro"].associated_repository == ("pro", "PREMIUM")
    assert pro.arn == f"arn:aws:ecr-public::{ACCOUNT}:premium-repository/pro"
    assert pro.uri == "public.ecr.aws/premium/acme/pro"
    assert list(pro.images) == [amd, chart, index]
    assert {d: image.status for d, image in pro.images.items()} == dict.fromkeys(
        [amd, chart, index], "ACTIVE"
    )
    assert as_lists(pro.catalog_data) == {"description": "Hardened", "categories": ["SECURITY"]}
    assert expected_artifact_types(pro) == ["IMAGE", "HELM"]
    bare = ecr.premium_repositories["bare"]
    assert (bare.state, bare.marketplace_products, bare.associated_repository) == (
        "DRAFT",
        ("prod-3",),
        None,
    )
    for view in (pro, bare, ecr.repositories["pro"]):
        assert_repository_matches_api(client, view)


@premium_test
def test_image_status_and_its_deletion_show_in_the_view(ecr, client):
    """SetImageStatus (docs/aws-behaviour.md, "Premium repositories"): DEPRECATED shows as
    the view's status with scheduled_deletion_at = now + the period (the mock's clock,
    whole seconds), the time SetImageStatus answered; ACTIVE cancels it; once the clock
    reaches the time the image is gone from the view, while a view taken earlier keeps
    it."""
    create_premium(client, "pro")
    with freeze_time("2025-03-01 12:00:00.250000") as frozen:
        kept = ecr.push_image("pro", tag="kept", layers=[b"kept"], repository_type="PREMIUM")
        old = ecr.push_image("pro", tag="old", layers=[b"old"], repository_type="PREMIUM")
        client.set_repository_state(
            repositoryName="pro", repositoryType="PREMIUM", state="AVAILABLE"
        )

        def set_status(status, **days):
            return client.set_image_status(
                repositoryName="pro",
                repositoryType="PREMIUM",
                imageId={"imageDigest": old},
                status=status,
                **days,
            )

        answer = set_status("DEPRECATED", deprecationPeriodDays=90)
        due = datetime.datetime(2025, 5, 30, 12, 0, tzinfo=datetime.timezone.utc)
        assert answer["scheduledDeletionAt"] == due
        image = ecr.premium_repositories["pro"].images[old]
        assert (image.status, image.scheduled_deletion_at) == ("DEPRECATED", due)
        assert_repository_matches_api(client, ecr.premium_repositories["pro"])
        set_status("ACTIVE")
        image = ecr.premium_repositories["pro"].images[old]
        assert (image.status, image.scheduled_deletion_at) == ("ACTIVE", None)
        set_status("DEPRECATED", deprecationPeriodDays=91)
        before = ecr.premium_repositories["pro"]
        frozen.move_to("2025-05-31 11:59:59")
        assert list(ecr.premium_repositories["pro"].images) == [kept, old]
        frozen.move_to("2025-05-31 12:00:00")
        view = ecr.premium_repositories["pro"]
        assert list(view.images) == [kept]
        assert dict(view.tags) == {"kept": kept}
        assert list(before.images) == [kept, old]
        assert_repository_matches_api(client, view)


@premium_test
def test_premium_views_are_read_only_snapshots(ecr, client):
    """The premium views are the same frozen, read-only snapshots: later state changes,
    product changes and associations don't show in a view taken before."""
    create_premium(client, "pro", ["prod-1"])
    client.create_repository(repositoryName="app")
    registry_view = ecr.premium_repositories
    view = registry_view["pro"]
    client.set_repository_state(repositoryName="pro", repositoryType="PREMIUM", state="AVAILABLE")
    client.put_premium_repository_products(
        repositoryName="pro", marketplaceProducts=["prod-1", "prod-2"]
    )
    client.associate_repositories(
        repositoryName="app",
        repositoryType="FREE",
        associatedRepositoryName="pro",
        associatedRepositoryType="PREMIUM",
    )
    create_premium(client, "later")
    assert (view.state, view.marketplace_products, view.associated_repository) == (
        "DRAFT",
        ("prod-1",),
        None,
    )
    assert list(registry_view) == ["pro"]
    now = ecr.premium_repositories["pro"]
    assert (now.state, now.marketplace_products, now.associated_repository) == (
        "AVAILABLE",
        ("prod-1", "prod-2"),
        ("app", "FREE"),
    )
    for field in ("state", "marketplace_products", "repository_type", "associated_repository"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(now, field, None)
    with pytest.raises(TypeError):
        ecr.premium_repositories["new"] = now
    with pytest.raises(TypeError):
        del ecr.premium_repositories["pro"]
