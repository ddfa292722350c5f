"""Every answer has the shape botocore's model gives it: success outputs and error bodies.

A small recursive validator walks botocore's shapes: a structure has its required members
and no member the model does not define, a list holds valid items, a map valid keys and
values, a string is a string (in its enum, of its length, matching its pattern), an
integer or long an int (never a bool, a long within 64 bits), a boolean a bool, a
timestamp a datetime once parsed, a blob bytes.

botocore's parser silently drops members the model does not define, so the raw JSON body
of each answer (captured with an ``after-call`` handler) is validated too, with the JSON
types the protocol uses: timestamps are numbers (epoch seconds), blobs base64 strings.

Error bodies are ``{"__type", "message"}`` plus only the members the error's shape
defines (InvalidLayerPartException carries registryId, repositoryName, uploadId and
lastValidByteReceived); their code is one the operation declares (or a service-wide one).

Output lists are not held to their ``min``: BatchDeleteImage answers ``"imageIds": []``
when nothing was deleted, as the service does, although ImageIdentifierList has min 1.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from typing import Any

import boto3
import botocore.session
import pytest
from _manifests import (
    DOCKER_LIST,
    DOCKER_MANIFEST,
    DOCKER_SCHEMA1_SIGNED,
    OCI_INDEX,
    OCI_MANIFEST,
    build_image,
    manifest_list,
    put,
    schema1_manifest,
    sha256,
    upload,
)
from botocore.exceptions import ClientError

from ecrpublic_mock import mock_ecr_public

SERVICE = botocore.session.get_session().get_service_model("ecr-public")
OPERATIONS = list(SERVICE.operation_names)
ERROR_SHAPES = {shape.name: shape for shape in SERVICE.error_shapes}
GENERIC_ERRORS = {
    "InvalidParameterException",
    "SerializationException",
    "UnsupportedCommandException",
    "ServerException",
}
LONG = (-(2**63), 2**63 - 1)
INTEGER = (-(2**31), 2**31 - 1)
LOGO = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


# -- the validator ------------------------------------------------------------------------------


def violations(shape, value: Any, *, raw: bool, path: str = "$") -> list[str]:
    """Every way ``value`` departs from ``shape`` (empty when it conforms).

    ``raw`` validates a JSON body (timestamps as numbers, blobs as base64 strings); otherwise
    botocore's parsed answer (datetimes, bytes).
    """
    kind = shape.type_name
    found: list[str] = []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        for name in shape.required_members:
            if name not in value:
                found.append(f"{path}: required member {name!r} missing")
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                found.append(f"{path}: member {name!r} not in {shape.name}")
            else:
                found += violations(member, item, raw=raw, path=f"{path}.{name}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        high = shape.metadata.get("max")
        if high is not None and len(value) > high:
            found.append(f"{path}: {len(value)} items, more than {high}")
        for index, item in enumerate(value):
            found += violations(shape.member, item, raw=raw, path=f"{path}[{index}]")
        return found
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {type(value).__name__}"]
        for key, item in value.items():
            found += violations(shape.key, key, raw=raw, path=f"{path}<key>")
            found += violations(shape.value, item, raw=raw, path=f"{path}[{key!r}]")
        return found
    if kind == "string":
        return _string(shape, value, path)
    if kind in ("integer", "long"):
        low, high = LONG if kind == "long" else INTEGER
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: expected an int, got {type(value).__name__}"]
        if not low <= value <= high:
            return [f"{path}: {value} out of the {kind} range"]
        minimum = shape.metadata.get("min")
        if minimum is not None and value < minimum:
            return [f"{path}: {value} under the minimum {minimum}"]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a bool, got {value!r}"]
    if kind == "timestamp":
        if raw:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            return [] if ok else [f"{path}: expected epoch seconds, got {value!r}"]
        ok = isinstance(value, datetime.datetime) and value.tzinfo is not None
        return [] if ok else [f"{path}: expected an aware datetime, got {value!r}"]
    if kind == "blob":
        if not raw:
            return [] if isinstance(value, bytes) else [f"{path}: expected bytes"]
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, TypeError, ValueError):
            return [f"{path}: expected a base64 string, got {value!r:.40}"]
        return []
    return [f"{path}: no check for {kind}"]  # pragma: no cover - unused by ecr-public


def _string(shape, value: Any, path: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{path}: expected a string, got {type(value).__name__}"]
    found = []
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        found.append(f"{path}: {value!r} not in {shape.name} {enum}")
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        found.append(f"{path}: length {len(value)} under {low}")
    if high is not None and len(value) > high:
        found.append(f"{path}: length {len(value)} over {high}")
    pattern = shape.metadata.get("pattern")
    if pattern is not None and re.search(pattern, value) is None:
        found.append(f"{path}: {value!r} does not match {pattern}")
    return found


def test_the_validator_catches_what_it_should():
    output = SERVICE.operation_model("DescribeRegistries").output_shape
    alias = {
        "name": "ab12",
        "status": "ACTIVE",
        "primaryRegistryAlias": True,
        "defaultRegistryAlias": True,
    }
    registry = {
        "registryId": "123456789012",
        "registryArn": "arn:aws:ecr-public::123456789012:registry/123456789012",
        "registryUri": "public.ecr.aws/ab12",
        "verified": False,
        "aliases": [alias],
    }
    assert violations(output, {"registries": [registry]}, raw=True) == []
    assert violations(output, {}, raw=True) == ["$: required member 'registries' missing"]
    bad = {**registry, "verified": 0, "extra": 1, "aliases": [{**alias, "status": "GONE"}]}
    problems = violations(output, {"registries": [bad], "nextToken": 5}, raw=True)
    assert len(problems) == 4, problems
    tags = SERVICE.operation_model("DescribeImageTags").output_shape
    detail = {"imageTag": "v1", "createdAt": 1.5, "imageDetail": {"imageSizeInBytes": True}}
    assert len(violations(tags, {"imageTagDetails": [detail]}, raw=True)) == 1
    assert len(violations(tags, {"imageTagDetails": [detail]}, raw=False)) == 2


# -- capturing what was on the wire -------------------------------------------------------------


class Wire:
    """The raw body of each answer a client receives, in order."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def __call__(self, http_response, **kwargs) -> None:
        self.bodies.append(http_response.content)

    @property
    def last(self) -> Any:
        return json.loads(self.bodies[-1])


@pytest.fixture
def world():
    """A mock, clients in both regions with their wire captured, and a seeded ``app``."""
    with mock_ecr_public() as ecr:
        wire = Wire()
        east = boto3.client("ecr-public", region_name="us-east-1")
        west = boto3.client("ecr-public", region_name="us-west-2")
        for client in (east, west):
            client.meta.events.register("after-call.ecr-public.*", wire)
        east.create_repository(
            repositoryName="app",
            catalogData={
                "description": "An app",
                "architectures": ["x86-64", "ARM 64"],
                "operatingSystems": ["Linux"],
                "logoImageBlob": LOGO,
                "aboutText": "# About",
                "usageText": "# Usage",
            },
            tags=[{"Key": "team", "Value": "core"}, {"Key": "empty", "Value": ""}],
        )
        east.create_repository(repositoryName="empty")
        amd = ecr.push_image("app", tag="amd64", layers=[b"amd layer"])
        arm = ecr.push_image("app", tag="arm64", layers=[b"arm layer"], platform=("linux", "arm64"))
        oci = ecr.push_image("app", tag="oci", layers=[b"oci layer"], media_type=OCI_MANIFEST)
        ecr.push_index("app", tag="latest", images=[amd, arm])
        ecr.push_index("app", tag="oci-index", images=[oci])
        east.set_repository_policy(repositoryName="app", policyText=POLICY)
        yield {"ecr": ecr, "east": east, "west": west, "wire": wire, "digests": [amd, arm, oci]}


POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": "*", "Action": "ecr:*"}],
    }
)


# -- realistic success calls: (operation, scenario) -> the call ------------------------------------


def _upload_id(w) -> str:
    return w["east"].initiate_layer_upload(repositoryName="app")["uploadId"]


def _part(w, upload_id: str, data: bytes = b"fresh layer") -> None:
    w["east"].upload_layer_part(
        repositoryName="app",
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )


def _complete(w):
    upload_id = _upload_id(w)
    _part(w, upload_id)
    return w["east"].complete_layer_upload(
        repositoryName="app", uploadId=upload_id, layerDigests=[sha256(b"fresh layer")]
    )


def _put_manifest(w, media_type):
    east = w["east"]
    if media_type in (DOCKER_MANIFEST, OCI_MANIFEST):
        manifest = build_image(east, "app", layers=(b"new layer",), media_type=media_type)
        return east.put_image(
            repositoryName="app",
            imageManifest=manifest,
            imageTag="new",
            imageDigest=sha256(manifest),
        )
    if media_type in (DOCKER_LIST, OCI_INDEX):
        child = DOCKER_MANIFEST if media_type == DOCKER_LIST else OCI_MANIFEST
        digest = put(east, "app", build_image(east, "app", media_type=child, salt="child"))
        size = len(w["ecr"].repositories["app"].images[digest].manifest.encode())
        manifest = manifest_list([(digest, size)], media_type=media_type, child_media_type=child)
        return east.put_image(repositoryName="app", imageManifest=manifest, imageTag="list")
    digest = upload(east, "app", b"schema one layer")
    return east.put_image(
        repositoryName="app",
        imageManifest=schema1_manifest([digest]),
        imageManifestMediaType=DOCKER_SCHEMA1_SIGNED,
    )


def _second_page(method: str, **params):
    def call(w):
        first = getattr(w["east"], method)(maxResults=1, **params)
        return getattr(w["east"], method)(nextToken=first["nextToken"], maxResults=2, **params)

    return call


SUCCESS = {
    ("BatchCheckLayerAvailability", "mixed"): lambda w: w["east"].batch_check_layer_availability(
        repositoryName="app",
        layerDigests=[sha256(b"amd layer"), sha256(b"absent"), "", "not-a-digest"],
    ),
    ("BatchDeleteImage", "tag, image, failures"): lambda w: w["east"].batch_delete_image(
        repositoryName="app",
        imageIds=[
            {"imageTag": "latest"},
            {"imageDigest": sha256(b"nothing")},
            {"imageDigest": "bad"},
            {},
            {"imageTag": "amd64", "imageDigest": w["digests"][1]},
            {"imageDigest": w["digests"][0]},
        ],
    ),
    ("BatchDeleteImage", "nothing deleted"): lambda w: w["east"].batch_delete_image(
        repositoryName="app", imageIds=[{"imageTag": "missing"}]
    ),
    ("CompleteLayerUpload", "one part"): _complete,
    ("CreateRepository", "bare"): lambda w: w["east"].create_repository(repositoryName="bare"),
    ("CreateRepository", "catalog, logo and tags"): lambda w: w["east"].create_repository(
        repositoryName="team/full",
        catalogData={"description": "d", "logoImageBlob": LOGO, "architectures": ["ARM"]},
        tags=[{"Key": "k", "Value": "v"}],
    ),
    ("DeleteRepository", "empty"): lambda w: w["east"].delete_repository(repositoryName="empty"),
    ("DeleteRepository", "forced"): lambda w: w["east"].delete_repository(
        repositoryName="app", force=True
    ),
    ("DeleteRepositoryPolicy", "set"): lambda w: w["east"].delete_repository_policy(
        repositoryName="app"
    ),
    ("DescribeImageTags", "all"): lambda w: w["east"].describe_image_tags(repositoryName="app"),
    ("DescribeImageTags", "first page"): lambda w: w["east"].describe_image_tags(
        repositoryName="app", maxResults=2
    ),
    ("DescribeImageTags", "next page"): _second_page("describe_image_tags", repositoryName="app"),
    ("DescribeImages", "all"): lambda w: w["east"].describe_images(repositoryName="app"),
    ("DescribeImages", "first page"): lambda w: w["east"].describe_images(
        repositoryName="app", maxResults=1
    ),
    ("DescribeImages", "next page"): _second_page("describe_images", repositoryName="app"),
    ("DescribeImages", "by id"): lambda w: w["east"].describe_images(
        repositoryName="app", imageIds=[{"imageTag": "latest"}, {"imageDigest": w["digests"][2]}]
    ),
    ("DescribeImages", "empty repository"): lambda w: w["east"].describe_images(
        repositoryName="empty"
    ),
    ("DescribeRegistries", "all"): lambda w: w["east"].describe_registries(),
    ("DescribeRegistries", "one a page"): lambda w: w["east"].describe_registries(maxResults=1),
    ("DescribeRepositories", "all"): lambda w: w["east"].describe_repositories(),
    ("DescribeRepositories", "first page"): lambda w: w["east"].describe_repositories(maxResults=1),
    ("DescribeRepositories", "next page"): _second_page("describe_repositories"),
    ("DescribeRepositories", "by name"): lambda w: w["east"].describe_repositories(
        repositoryNames=["empty", "app"], registryId="123456789012"
    ),
    ("GetAuthorizationToken", "us-east-1"): lambda w: w["east"].get_authorization_token(),
    ("GetAuthorizationToken", "us-west-2"): lambda w: w["west"].get_authorization_token(),
    ("GetRegistryCatalogData", "unset"): lambda w: w["east"].get_registry_catalog_data(),
    ("GetRegistryCatalogData", "set"): lambda w: (
        w["east"].put_registry_catalog_data(displayName="My registry"),
        w["east"].get_registry_catalog_data(),
    )[1],
    ("GetRepositoryCatalogData", "with logo"): lambda w: w["east"].get_repository_catalog_data(
        repositoryName="app"
    ),
    ("GetRepositoryCatalogData", "none"): lambda w: w["east"].get_repository_catalog_data(
        repositoryName="empty"
    ),
    ("GetRepositoryPolicy", "set"): lambda w: w["east"].get_repository_policy(repositoryName="app"),
    ("InitiateLayerUpload", "app"): lambda w: w["east"].initiate_layer_upload(repositoryName="app"),
    ("ListTagsForResource", "tagged"): lambda w: w["east"].list_tags_for_resource(
        resourceArn=w["ecr"].repositories["app"].arn
    ),
    ("ListTagsForResource", "untagged"): lambda w: w["east"].list_tags_for_resource(
        resourceArn=w["ecr"].repositories["empty"].arn
    ),
    ("PutImage", "docker v2 schema 2"): lambda w: _put_manifest(w, DOCKER_MANIFEST),
    ("PutImage", "oci manifest"): lambda w: _put_manifest(w, OCI_MANIFEST),
    ("PutImage", "docker manifest list"): lambda w: _put_manifest(w, DOCKER_LIST),
    ("PutImage", "oci index"): lambda w: _put_manifest(w, OCI_INDEX),
    ("PutImage", "docker v2 schema 1"): lambda w: _put_manifest(w, DOCKER_SCHEMA1_SIGNED),
    ("PutRegistryCatalogData", "display name"): lambda w: w["east"].put_registry_catalog_data(
        displayName="Mine"
    ),
    ("PutRegistryCatalogData", "nothing"): lambda w: w["east"].put_registry_catalog_data(),
    ("PutRepositoryCatalogData", "with logo"): lambda w: w["east"].put_repository_catalog_data(
        repositoryName="empty",
        catalogData={"logoImageBlob": LOGO, "operatingSystems": ["Linux"], "usageText": "u"},
    ),
    ("PutRepositoryCatalogData", "emptied"): lambda w: w["east"].put_repository_catalog_data(
        repositoryName="app", catalogData={}
    ),
    ("SetRepositoryPolicy", "allow"): lambda w: w["east"].set_repository_policy(
        repositoryName="empty", policyText=POLICY
    ),
    ("TagResource", "add"): lambda w: w["east"].tag_resource(
        resourceArn=w["ecr"].repositories["app"].arn, tags=[{"Key": "new", "Value": "v"}]
    ),
    ("UntagResource", "remove"): lambda w: w["east"].untag_resource(
        resourceArn=w["ecr"].repositories["app"].arn, tagKeys=["team", "absent"]
    ),
    ("UploadLayerPart", "first part"): lambda w: w["east"].upload_layer_part(
        repositoryName="app",
        uploadId=_upload_id(w),
        partFirstByte=0,
        partLastByte=2,
        layerPartBlob=b"abc",
    ),
}


def test_every_operation_has_a_success_scenario():
    assert {operation for operation, _ in SUCCESS} == set(OPERATIONS)
    assert len(OPERATIONS) == 23


def _assert_conforms(shape, value, *, raw: bool) -> None:
    problems = violations(shape, value, raw=raw)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("operation", "scenario"), list(SUCCESS), ids=" / ".join)
def test_success_output_matches_the_model(world, operation, scenario):
    response = SUCCESS[operation, scenario](world)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    shape = SERVICE.operation_model(operation).output_shape
    parsed = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    _assert_conforms(shape, parsed, raw=False)
    raw = world["wire"].last
    _assert_conforms(shape, raw, raw=True)
    # The parser dropped nothing: the raw body's members are the parsed answer's.
    assert set(raw) == set(parsed)
    assert world["ecr"].calls[-1].operation == operation


def test_paginated_scenarios_do_paginate(world):
    for method, params in (
        ("describe_images", {"repositoryName": "app"}),
        ("describe_image_tags", {"repositoryName": "app"}),
        ("describe_repositories", {}),
    ):
        assert "nextToken" in getattr(world["east"], method)(maxResults=1, **params)


# -- error bodies ---------------------------------------------------------------------------------


def _new_upload_with_part(w, data: bytes) -> str:
    upload_id = _upload_id(w)
    _part(w, upload_id, data)
    return upload_id


def _layer_part_error(w):
    upload_id = _new_upload_with_part(w, b"12345")
    w["east"].upload_layer_part(
        repositoryName="app",
        uploadId=upload_id,
        partFirstByte=3,
        partLastByte=4,
        layerPartBlob=b"xy",
    )


ERRORS = {
    "EmptyUploadException": lambda w: w["east"].complete_layer_upload(
        repositoryName="app", uploadId=_upload_id(w), layerDigests=[sha256(b"")]
    ),
    "ImageAlreadyExistsException": lambda w: w["east"].put_image(
        repositoryName="app",
        imageManifest=w["ecr"].repositories["app"].images[w["digests"][0]].manifest,
    ),
    "ImageDigestDoesNotMatchException": lambda w: w["east"].put_image(
        repositoryName="app",
        imageManifest=build_image(w["east"], "app", salt="digest"),
        imageDigest=sha256(b"other"),
    ),
    "ImageNotFoundException": lambda w: w["east"].describe_images(
        repositoryName="app", imageIds=[{"imageTag": "missing"}]
    ),
    "InvalidLayerException": lambda w: w["east"].complete_layer_upload(
        repositoryName="app",
        uploadId=_new_upload_with_part(w, b"abc"),
        layerDigests=[sha256(b"not abc")],
    ),
    "InvalidLayerPartException": _layer_part_error,
    "InvalidParameterException": lambda w: w["east"].create_repository(repositoryName="Bad Name"),
    "InvalidTagParameterException": lambda w: w["east"].tag_resource(
        resourceArn=w["ecr"].repositories["app"].arn, tags=[{"Key": "aws:x", "Value": "v"}]
    ),
    "LayerAlreadyExistsException": lambda w: w["east"].complete_layer_upload(
        repositoryName="app",
        uploadId=_new_upload_with_part(w, b"amd layer"),
        layerDigests=[sha256(b"amd layer")],
    ),
    "LayerPartTooSmallException": lambda w: (_part_after(w, _new_upload_with_part(w, b"small")),),
    "LayersNotFoundException": lambda w: w["east"].put_image(
        repositoryName="app",
        imageManifest=json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": DOCKER_MANIFEST,
                "config": {"mediaType": "x", "size": 1, "digest": sha256(b"absent config")},
                "layers": [],
            }
        ),
    ),
    "ReferencedImagesNotFoundException": lambda w: w["east"].put_image(
        repositoryName="app", imageManifest=manifest_list([(sha256(b"absent image"), 10)])
    ),
    "RegistryNotFoundException": lambda w: w["east"].initiate_layer_upload(
        repositoryName="app", registryId="210987654321"
    ),
    "RepositoryAlreadyExistsException": lambda w: w["east"].create_repository(repositoryName="app"),
    "RepositoryNotEmptyException": lambda w: w["east"].delete_repository(repositoryName="app"),
    "RepositoryNotFoundException": lambda w: w["east"].describe_images(repositoryName="missing"),
    "RepositoryPolicyNotFoundException": lambda w: w["east"].get_repository_policy(
        repositoryName="empty"
    ),
    "TooManyTagsException": lambda w: w["east"].tag_resource(
        resourceArn=w["ecr"].repositories["app"].arn,
        tags=[{"Key": f"k{i}", "Value": "v"} for i in range(60)],
    ),
    "UnsupportedCommandException": lambda w: w["west"].describe_repositories(),
    "UploadNotFoundException": lambda w: w["east"].complete_layer_upload(
        repositoryName="app",
        uploadId="00000000-0000-0000-0000-000000000000",
        layerDigests=[sha256(b"")],
    ),
}


def _tag_taken(w) -> None:
    w["ecr"].set_image_tag_mutability("app", "IMMUTABLE")
    manifest = w["ecr"].repositories["app"].images[w["digests"][1]].manifest
    w["east"].put_image(repositoryName="app", imageManifest=manifest, imageTag="amd64")


def _over_quota(w) -> None:
    """An inner mock with a one-repository quota serves the same client."""
    with mock_ecr_public(max_repositories=1):
        w["east"].create_repository(repositoryName="one")
        w["east"].create_repository(repositoryName="two")


ERRORS["ImageTagAlreadyExistsException"] = _tag_taken
ERRORS["LimitExceededException"] = _over_quota


def _part_after(w, upload_id: str) -> None:
    """A second part after a 5-byte first one, then completion: the first part is too small."""
    w["east"].upload_layer_part(
        repositoryName="app",
        uploadId=upload_id,
        partFirstByte=5,
        partLastByte=5,
        layerPartBlob=b"!",
    )
    w["east"].complete_layer_upload(
        repositoryName="app", uploadId=upload_id, layerDigests=[sha256(b"small!")]
    )


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_error_body_has_only_modeled_members(world, code):
    with pytest.raises(ClientError) as excinfo:
        ERRORS[code](world)
    error = excinfo.value.response["Error"]
    assert error["Code"] == code
    operation = excinfo.value.operation_name
    declared = {shape.name for shape in SERVICE.operation_model(operation).error_shapes}
    assert code in declared | GENERIC_ERRORS
    raw = world["wire"].last
    assert raw["__type"] == code
    assert isinstance(raw["message"], str)
    assert raw["message"] == error["Message"]
    shape = ERROR_SHAPES[code]
    body = {key: value for key, value in raw.items() if key != "__type"}
    _assert_conforms(shape, body, raw=True)


def test_invalid_layer_part_carries_its_fields(world):
    with pytest.raises(ClientError) as excinfo:
        _layer_part_error(world)
    raw = world["wire"].last
    upload_id = excinfo.value.response["uploadId"]
    assert raw == {
        "__type": "InvalidLayerPartException",
        "message": raw["message"],
        "registryId": "123456789012",
        "repositoryName": "app",
        "uploadId": upload_id,
        "lastValidByteReceived": 4,
    }
    # botocore hands the modeled members to the caller as well.
    assert excinfo.value.response["lastValidByteReceived"] == 4


def test_every_modeled_error_has_a_scenario():
    """Each error shape ecr-public can answer is checked (catalog-data-not-found and
    ServerException are never produced by the mock except by fault injection)."""
    # (older botocore models have no RepositoryCatalogDataNotFoundException at all)
    unreachable = {"RepositoryCatalogDataNotFoundException", "ServerException"}
    assert set(ERRORS) | (unreachable & set(ERROR_SHAPES)) == set(ERROR_SHAPES)
