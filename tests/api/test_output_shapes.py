"""Every answer has the shape botocore's model gives it: success outputs and error bodies.

A small recursive validator (tests/_shapes.py) walks botocore's shapes: a structure has
its required members and no member the model does not define, a list holds valid items, a
map valid keys and values, a string is a string (in its enum, of its length, matching its
pattern), an integer or long an int (never a bool, a long within 64 bits), a boolean a
bool, a timestamp a datetime once parsed, a blob bytes.

botocore's parser silently drops members the model does not define, so the raw JSON body
of each answer (captured with an ``after-call`` handler) is validated too, with the JSON
types the protocol uses: timestamps are numbers (epoch seconds), blobs base64 strings.

Error bodies are ``{"__type", "message"}`` plus only the members the error's shape
defines (InvalidLayerPartException carries registryId, repositoryName, uploadId and
lastValidByteReceived); their code is one the operation declares (or a service-wide one).

Output lists are not held to their ``min``: BatchDeleteImage answers ``"imageIds": []``
when nothing was deleted, as the service does, although ImageIdentifierList has min 1.

The operations (and members) botocore 1.44.18's model added have their scenarios in a
registry that may hold premium repositories (verified, custom alias:
docs/aws-behaviour.md, section "Premium repositories"); under an older model, which lacks
them, those scenarios are left out, and the answers carry only that model's members.
"""

from __future__ import annotations

import datetime
import functools
import json
from typing import Any

import boto3
import pytest
from _manifests import (
    DOCKER_LIST,
    DOCKER_MANIFEST,
    DOCKER_SCHEMA1_SIGNED,
    HELM_CONFIG,
    OCI_INDEX,
    OCI_MANIFEST,
    build_image,
    descriptor,
    image_manifest,
    manifest_list,
    put,
    schema1_manifest,
    sha256,
    upload,
)
from _shapes import violations
from _support import MODEL as SERVICE
from _support import PREMIUM_MODEL
from botocore.exceptions import ClientError

from ecrpublic_mock import mock_ecr_public

OPERATIONS = list(SERVICE.operation_names)
ERROR_SHAPES = {shape.name: shape for shape in SERVICE.error_shapes}
GENERIC_ERRORS = {
    "InvalidParameterException",
    "SerializationException",
    "UnsupportedCommandException",
    "ServerException",
}
LOGO = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


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
    if "ImageScanFinding" in SERVICE.shape_names:  # doubles came with botocore 1.44.18's model
        finding = SERVICE.shape_for("ImageScanFinding")
        assert violations(finding, {"score": 7.5, "title": "t"}, raw=True) == []
        assert violations(finding, {"score": True}, raw=True) == [
            "$.score: expected a number, got True"
        ]


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


def _seeded(ecr) -> dict[str, Any]:
    """Clients in both regions with their wire captured, and a seeded ``app``."""
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
    return {"ecr": ecr, "east": east, "west": west, "wire": wire, "digests": [amd, arm, oci]}


@pytest.fixture
def world():
    """A mock (the default registry: not verified, no custom alias) seeded by ``_seeded``."""
    with mock_ecr_public() as ecr:
        yield _seeded(ecr)


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


if "description" in SERVICE.operation_model("PutRegistryCatalogData").input_shape.members:
    # The registry catalog's description and logo came with the model of botocore 1.44.18.
    SUCCESS["PutRegistryCatalogData", "description and logo"] = lambda w: w[
        "east"
    ].put_registry_catalog_data(displayName="Mine", description="Ours", logoImageBlob=LOGO)
    SUCCESS["GetRegistryCatalogData", "description and logo"] = lambda w: (
        w["east"].put_registry_catalog_data(description="Ours", logoImageBlob=LOGO),
        w["east"].get_registry_catalog_data(),
    )[1]


# -- the premium side: the operations (and members) botocore 1.44.18's model added ----------------

# An older model has none of them: its world has no premium scenarios.
PREMIUM = "PREMIUM"
UTC = datetime.timezone.utc


def _finding(digest: str) -> dict[str, Any]:
    """An Inspector finding with every ImageScanFinding member the mock leaves to the test,
    nested timestamps and doubles included; the mock fills in the id, account and times."""
    vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    return {
        "description": "A heap overflow in the TLS handshake",
        "title": "CVE-2024-0001 - openssl",
        "severity": "HIGH",
        "score": 7.5,
        "scoreDetails": {
            "cvss": {
                "adjustments": [{"metric": "AV", "reason": "reachable from the network"}],
                "score": 7.5,
                "scoreSource": "NVD",
                "scoringVector": vector,
                "version": "3.1",
            }
        },
        "packageVulnerabilityDetails": {
            "cvss": [
                {"baseScore": 7.5, "scoringVector": vector, "source": "NVD", "version": "3.1"}
            ],
            "referenceUrls": ["https://nvd.nist.gov/vuln/detail/CVE-2024-0001"],
            "relatedVulnerabilities": ["CVE-2023-9999"],
            "source": "NVD",
            "sourceUrl": "https://nvd.nist.gov/vuln/detail/CVE-2024-0001",
            "vendorCreatedAt": datetime.datetime(2024, 1, 2, tzinfo=UTC),
            "vendorSeverity": "HIGH",
            "vendorUpdatedAt": datetime.datetime(2024, 1, 3, 12, 30, tzinfo=UTC),
            "vulnerabilityId": "CVE-2024-0001",
            "vulnerablePackages": [
                {
                    "arch": "x86_64",
                    "epoch": 0,
                    "filePath": "/usr/lib/libssl.so.3",
                    "name": "openssl",
                    "packageManager": "OS",
                    "release": "1.el9",
                    "sourceLayerHash": sha256(b"pro amd"),
                    "version": "3.0.1",
                    "fixedInVersion": "3.0.2",
                }
            ],
        },
        "remediation": {"recommendation": {"url": "https://example.com/fix", "text": "Upgrade"}},
        "resources": [
            {
                "type": "AWS_ECR_CONTAINER_IMAGE",
                "details": {
                    "containerImage": {
                        "architecture": "amd64",
                        "author": "acme",
                        "imageHash": digest,
                        "imageTags": ["amd64"],
                        "platform": "LINUX",
                        "pushedAt": datetime.datetime(2024, 1, 1, tzinfo=UTC),
                        "registry": "123456789012",
                        "repositoryName": "pro",
                    }
                },
            }
        ],
        "fixAvailable": "YES",
        "exploitAvailable": "NO",
    }


@pytest.fixture
def premium_world():
    """A verified registry with the custom alias ``acme`` (premium ENABLED), seeded as
    ``world`` is, and with three premium repositories: ``pro`` (AVAILABLE, associated with
    the free ``app``, a policy, two platform images, a helm chart and a DEPRECATED list,
    findings on ``amd64``), ``draft`` (DRAFT, one image, a catalog) and ``bare`` (DRAFT,
    nothing); the account is entitled to prod-2; two publisher reports."""
    with mock_ecr_public(registry_verified=True, registry_alias="acme") as ecr:
        w = _seeded(ecr)
        east = w["east"]
        east.put_registry_catalog_data(displayName="Acme")
        east.create_premium_repository(
            repositoryName="pro",
            marketplaceProducts=["prod-1", "prod-2"],
            catalogData={
                "description": "Hardened app",
                "categories": ["SECURITY", "BASE_IMAGES"],
                "logoImageBlob": LOGO,
            },
            tags=[{"Key": "team", "Value": "core"}],
        )
        east.create_premium_repository(
            repositoryName="draft",
            marketplaceProducts=["prod-3"],
            catalogData={"description": "Work in progress"},
        )
        east.create_premium_repository(repositoryName="bare", marketplaceProducts=["prod-4"])
        push = functools.partial(ecr.push_image, repository_type=PREMIUM)
        amd = push("pro", tag="amd64", layers=[b"pro amd"])
        arm = push("pro", tag="arm64", layers=[b"pro arm"], platform=("linux", "arm64"))
        chart = push(
            "pro",
            tag="chart",
            layers=[b"chart"],
            media_type=OCI_MANIFEST,
            config_media_type=HELM_CONFIG,
        )
        index = ecr.push_index("pro", tag="latest", images=[amd, arm], repository_type=PREMIUM)
        push("draft", tag="wip", layers=[b"wip"])
        ecr.set_scan_findings("pro", "amd64", [_finding(amd), {"severity": "LOW"}])
        east.set_premium_repository_policy(repositoryName="pro", policyText=POLICY)
        east.set_repository_state(repositoryName="pro", repositoryType=PREMIUM, state="AVAILABLE")
        east.set_image_status(
            repositoryName="pro",
            repositoryType=PREMIUM,
            imageId={"imageTag": "latest"},
            status="DEPRECATED",
            deprecationPeriodDays=90,
        )
        _associate(w, "app", "FREE", "pro", PREMIUM)
        ecr.entitle("prod-2")
        ecr.add_publisher_report("2024-01-01", b"product,subscribers\nprod-1,3\n")
        ecr.add_publisher_report(
            "2024-01-01", b"week,pulls\n1,10\n", report_type="TRENDS", granularity="WEEKLY"
        )
        w["premium"] = {"amd64": amd, "arm64": arm, "chart": chart, "latest": index}
        yield w


def _associate(w, name, kind, other, other_kind, method="associate_repositories"):
    return getattr(w["east"], method)(
        repositoryName=name,
        repositoryType=kind,
        associatedRepositoryName=other,
        associatedRepositoryType=other_kind,
    )


def _premium_complete(w):
    upload_id = w["east"].initiate_layer_upload(repositoryName="pro", repositoryType=PREMIUM)[
        "uploadId"
    ]
    w["east"].upload_layer_part(
        repositoryName="pro",
        repositoryType=PREMIUM,
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(b"fresh layer") - 1,
        layerPartBlob=b"fresh layer",
    )
    return w["east"].complete_layer_upload(
        repositoryName="pro",
        repositoryType=PREMIUM,
        uploadId=upload_id,
        layerDigests=[sha256(b"fresh layer")],
    )


def _premium_put(w):
    """A new image version pushed into ``pro`` past DRAFT (publishers may)."""
    config = b'{"architecture": "amd64", "os": "linux"}'
    for blob in (config, b"new version"):
        upload(w["east"], "pro", blob, repositoryType=PREMIUM)
    manifest = image_manifest(
        descriptor(config, "application/vnd.docker.container.image.v1+json"),
        [descriptor(b"new version", "application/vnd.docker.image.rootfs.diff.tar.gzip")],
    )
    return w["east"].put_image(
        repositoryName="pro", repositoryType=PREMIUM, imageManifest=manifest, imageTag="v2"
    )


def _deleted_after_association(w):
    _associate(w, "empty", "FREE", "bare", PREMIUM)
    return w["east"].delete_premium_repository(repositoryName="bare")


def _status(tag: str, status: str, days: int | None = None):
    def call(w):
        extra = {} if days is None else {"deprecationPeriodDays": days}
        return w["east"].set_image_status(
            repositoryName="pro",
            repositoryType=PREMIUM,
            imageId={"imageTag": tag},
            status=status,
            **extra,
        )

    return call


def _download_url(w):
    report = w["east"].list_publisher_reports(reportType="SUMMARY")["reports"][0]
    return w["east"].get_download_url_for_publisher_report(reportId=report["reportId"])


def _scan(tag: str, **extra):
    return lambda w: w["east"].describe_image_scan_findings(
        repositoryName="pro", repositoryType=PREMIUM, imageId={"imageTag": tag}, **extra
    )


PRO = {"repositoryName": "pro", "repositoryType": PREMIUM}
ENTITLED = {"repositoryName": "pro", "registryAlias": "acme"}
SCANNED = {**PRO, "imageId": {"imageTag": "amd64"}}

PREMIUM_SUCCESS = {
    ("AssociateRepositories", "free with premium"): lambda w: _associate(
        w, "empty", "FREE", "bare", PREMIUM
    ),
    ("AssociateRepositories", "premium with free"): lambda w: _associate(
        w, "draft", PREMIUM, "empty", "FREE"
    ),
    ("BatchCheckLayerAvailability", "premium"): lambda w: w["east"].batch_check_layer_availability(
        layerDigests=[sha256(b"pro amd"), sha256(b"absent"), "not-a-digest"], **PRO
    ),
    ("BatchDeleteImage", "premium in DRAFT"): lambda w: w["east"].batch_delete_image(
        repositoryName="draft",
        repositoryType=PREMIUM,
        imageIds=[{"imageTag": "wip"}, {"imageTag": "missing"}],
    ),
    ("CompleteLayerUpload", "premium"): _premium_complete,
    ("CreatePremiumRepository", "bare"): lambda w: w["east"].create_premium_repository(
        repositoryName="new", marketplaceProducts=["prod-9"]
    ),
    ("CreatePremiumRepository", "catalog, logo and tags"): lambda w: w[
        "east"
    ].create_premium_repository(
        repositoryName="team/full",
        marketplaceProducts=["prod-5", "prod-6"],
        catalogData={
            "description": "d",
            "architectures": ["ARM"],
            "operatingSystems": ["Linux"],
            "logoImageBlob": LOGO,
            "aboutText": "a",
            "usageText": "u",
            "categories": ["AI_ML"],
        },
        tags=[{"Key": "k", "Value": "v"}],
    ),
    ("DeletePremiumRepository", "empty"): lambda w: w["east"].delete_premium_repository(
        repositoryName="bare"
    ),
    ("DeletePremiumRepository", "associated"): _deleted_after_association,
    ("DeletePremiumRepositoryPolicy", "set"): lambda w: w["east"].delete_premium_repository_policy(
        repositoryName="pro"
    ),
    ("DescribeEntitledImageTags", "all"): lambda w: w["east"].describe_entitled_image_tags(
        **ENTITLED
    ),
    ("DescribeEntitledImageTags", "next page"): _second_page(
        "describe_entitled_image_tags", **ENTITLED
    ),
    ("DescribeEntitledImages", "all"): lambda w: w["east"].describe_entitled_images(**ENTITLED),
    ("DescribeEntitledImages", "by id"): lambda w: w["east"].describe_entitled_images(
        imageIds=[{"imageTag": "latest"}, {"imageDigest": w["premium"]["chart"]}], **ENTITLED
    ),
    ("DescribeEntitledImages", "next page"): _second_page("describe_entitled_images", **ENTITLED),
    ("DescribeEntitledRepositories", "all"): lambda w: w["east"].describe_entitled_repositories(),
    ("DescribeEntitledRepositories", "next page"): _second_page("describe_entitled_repositories"),
    ("DescribeImageScanFindings", "findings"): _scan("amd64"),
    ("DescribeImageScanFindings", "none found"): _scan("arm64"),
    ("DescribeImageScanFindings", "manifest list"): _scan("latest"),
    ("DescribeImageScanFindings", "next page"): _second_page(
        "describe_image_scan_findings", **SCANNED
    ),
    ("DescribeImageTags", "premium"): lambda w: w["east"].describe_image_tags(**PRO),
    ("DescribeImages", "premium, one deprecated"): lambda w: w["east"].describe_images(**PRO),
    ("DescribePremiumRepositories", "all"): lambda w: w["east"].describe_premium_repositories(),
    ("DescribePremiumRepositories", "by name"): lambda w: w["east"].describe_premium_repositories(
        repositoryNames=["bare", "pro"]
    ),
    ("DescribePremiumRepositories", "next page"): _second_page("describe_premium_repositories"),
    ("DescribeRegistries", "premium enabled"): lambda w: w["east"].describe_registries(),
    ("DescribeRepositories", "associated"): lambda w: w["east"].describe_repositories(),
    ("DisassociateRepositories", "app and pro"): lambda w: _associate(
        w, "pro", PREMIUM, "app", "FREE", "disassociate_repositories"
    ),
    ("GetDownloadUrlForPublisherReport", "summary"): _download_url,
    ("GetPremiumRepositoryCatalogData", "logo, categories, artifact types"): lambda w: w[
        "east"
    ].get_premium_repository_catalog_data(repositoryName="pro"),
    ("GetPremiumRepositoryPolicy", "set"): lambda w: w["east"].get_premium_repository_policy(
        repositoryName="pro"
    ),
    ("GetRepositoryCatalogData", "associated"): lambda w: w["east"].get_repository_catalog_data(
        repositoryName="app"
    ),
    ("InitiateLayerUpload", "premium"): lambda w: w["east"].initiate_layer_upload(
        repositoryName="pro", repositoryType=PREMIUM
    ),
    ("ListPublisherReports", "all"): lambda w: w["east"].list_publisher_reports(),
    ("ListPublisherReports", "filtered"): lambda w: w["east"].list_publisher_reports(
        reportType="TRENDS", granularity="WEEKLY"
    ),
    ("ListPublisherReports", "next page"): _second_page("list_publisher_reports"),
    ("ListTagsForResource", "premium"): lambda w: w["east"].list_tags_for_resource(
        resourceArn=w["ecr"].premium_repositories["pro"].arn
    ),
    ("PutImage", "premium past DRAFT"): _premium_put,
    ("PutPremiumRepositoryCatalogData", "merged, logo removed"): lambda w: w[
        "east"
    ].put_premium_repository_catalog_data(
        repositoryName="pro", catalogData={"usageText": "docker pull", "logoImageBlob": b""}
    ),
    ("PutPremiumRepositoryProducts", "one added"): lambda w: w[
        "east"
    ].put_premium_repository_products(
        repositoryName="pro", marketplaceProducts=["prod-2", "prod-1", "prod-7"]
    ),
    ("SetImageStatus", "deprecated"): _status("arm64", "DEPRECATED", 120),
    ("SetImageStatus", "active again"): _status("latest", "ACTIVE"),
    ("SetImageStatus", "active already"): _status("chart", "ACTIVE"),
    ("SetPremiumRepositoryPolicy", "allow"): lambda w: w["east"].set_premium_repository_policy(
        repositoryName="draft", policyText=POLICY
    ),
    ("SetRepositoryState", "DRAFT to AVAILABLE"): lambda w: w["east"].set_repository_state(
        repositoryName="draft", repositoryType=PREMIUM, state="AVAILABLE"
    ),
    ("SetRepositoryState", "AVAILABLE to HIDDEN"): lambda w: w["east"].set_repository_state(
        state="HIDDEN", **PRO
    ),
    ("TagResource", "premium"): lambda w: w["east"].tag_resource(
        resourceArn=w["ecr"].premium_repositories["pro"].arn, tags=[{"Key": "new", "Value": "v"}]
    ),
    ("UntagResource", "premium"): lambda w: w["east"].untag_resource(
        resourceArn=w["ecr"].premium_repositories["pro"].arn, tagKeys=["team"]
    ),
    ("UploadLayerPart", "premium"): lambda w: w["east"].upload_layer_part(
        uploadId=w["east"].initiate_layer_upload(**PRO)["uploadId"],
        partFirstByte=0,
        partLastByte=2,
        layerPartBlob=b"abc",
        **PRO,
    ),
}
if not PREMIUM_MODEL:
    PREMIUM_SUCCESS = {}


def test_every_operation_has_a_success_scenario():
    """Every operation of the installed model (23 before botocore 1.44.18's premium
    operations, 42 with them) has a scenario, and no scenario names another."""
    covered = {operation for operation, _ in SUCCESS} | {op for op, _ in PREMIUM_SUCCESS}
    assert covered == set(OPERATIONS)
    assert len(OPERATIONS) == (42 if PREMIUM_MODEL else 23)


def _assert_conforms(shape, value, *, raw: bool) -> None:
    problems = violations(shape, value, raw=raw)
    assert problems == [], "\n".join(problems)


def _check_success(w, call, operation: str) -> None:
    response = call(w)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    shape = SERVICE.operation_model(operation).output_shape
    parsed = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    _assert_conforms(shape, parsed, raw=False)
    raw = w["wire"].last
    _assert_conforms(shape, raw, raw=True)
    # The parser dropped nothing: the raw body's members are the parsed answer's.
    assert set(raw) == set(parsed)
    assert w["ecr"].calls[-1].operation == operation


@pytest.mark.parametrize(("operation", "scenario"), list(SUCCESS), ids=" / ".join)
def test_success_output_matches_the_model(world, operation, scenario):
    _check_success(world, SUCCESS[operation, scenario], operation)


@pytest.mark.parametrize(("operation", "scenario"), list(PREMIUM_SUCCESS), ids=" / ".join)
def test_premium_success_output_matches_the_model(premium_world, operation, scenario):
    _check_success(premium_world, PREMIUM_SUCCESS[operation, scenario], operation)


def test_paginated_scenarios_do_paginate(world):
    for method, params in (
        ("describe_images", {"repositoryName": "app"}),
        ("describe_image_tags", {"repositoryName": "app"}),
        ("describe_repositories", {}),
    ):
        assert "nextToken" in getattr(world["east"], method)(maxResults=1, **params)


@pytest.mark.skipif(not PREMIUM_MODEL, reason="this botocore's model has no premium operations")
@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("describe_entitled_image_tags", ENTITLED),
        ("describe_entitled_images", ENTITLED),
        ("describe_entitled_repositories", {}),
        ("describe_image_scan_findings", SCANNED),
        ("describe_premium_repositories", {}),
        ("list_publisher_reports", {}),
    ],
)
def test_premium_paginated_scenarios_do_paginate(premium_world, method, params):
    """The "next page" scenarios above do start from a page that has a next one."""
    assert "nextToken" in getattr(premium_world["east"], method)(maxResults=1, **params)


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
if PREMIUM_MODEL:
    # ``world``'s registry is neither verified nor has a custom alias.
    ERRORS["ValidationException"] = lambda w: w["east"].create_premium_repository(
        repositoryName="pro", marketplaceProducts=["prod-1"]
    )

PREMIUM_ERRORS = {
    "AssociationAlreadyExistsException": lambda w: _associate(w, "empty", "FREE", "pro", PREMIUM),
    "AssociationNotFoundException": lambda w: _associate(
        w, "empty", "FREE", "bare", PREMIUM, "disassociate_repositories"
    ),
    "DeletionNotAllowedException": lambda w: w["east"].batch_delete_image(
        imageIds=[{"imageTag": "amd64"}], **PRO
    ),
    "EntitlementNotFoundException": lambda w: w["east"].describe_entitled_images(
        repositoryName="draft", registryAlias="acme"
    ),
    "PublisherReportNotFoundException": lambda w: w["east"].get_download_url_for_publisher_report(
        reportId="0" * 32
    ),
    "RepositoryCatalogDataNotFoundException": lambda w: w[
        "east"
    ].get_premium_repository_catalog_data(repositoryName="bare"),
}
if not PREMIUM_MODEL:
    PREMIUM_ERRORS = {}


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


def _check_error(w, call, code: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        call(w)
    error = excinfo.value.response["Error"]
    assert error["Code"] == code
    operation = excinfo.value.operation_name
    declared = {shape.name for shape in SERVICE.operation_model(operation).error_shapes}
    assert code in declared | GENERIC_ERRORS
    raw = w["wire"].last
    assert raw["__type"] == code
    assert isinstance(raw["message"], str)
    assert raw["message"] == error["Message"]
    shape = ERROR_SHAPES[code]
    body = {key: value for key, value in raw.items() if key != "__type"}
    _assert_conforms(shape, body, raw=True)


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_error_body_has_only_modeled_members(world, code):
    _check_error(world, ERRORS[code], code)


@pytest.mark.parametrize("code", sorted(PREMIUM_ERRORS))
def test_premium_error_body_has_only_modeled_members(premium_world, code):
    _check_error(premium_world, PREMIUM_ERRORS[code], code)


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
    """Each error shape ecr-public can answer is checked. The mock never produces these,
    except by fault injection: ServerException; ConflictException (the mock gives it no
    rule: PutImage and SetImageStatus are served one at a time); ScanNotFoundException
    (docs/aws-behaviour.md, "Premium repositories": every image of a premium repository
    is scanned when stored).
    (Older botocore models have none of the errors of the premium operations, and no
    RepositoryCatalogDataNotFoundException, which only the premium catalog answers.)"""
    unreachable = {"ServerException", "ConflictException", "ScanNotFoundException"}
    if not PREMIUM_MODEL:
        # Declared by GetRepositoryCatalogData (1.44.8, say), answered by the premium
        # catalog alone: a free repository's catalog is never "not found".
        unreachable.add("RepositoryCatalogDataNotFoundException")
    assert not set(ERRORS) & set(PREMIUM_ERRORS)
    covered = set(ERRORS) | set(PREMIUM_ERRORS) | (unreachable & set(ERROR_SHAPES))
    assert covered == set(ERROR_SHAPES)
