"""Manifest conversion on pull by tag, the core's pure function: AWS's "Amazon ECR image
manifest conversion" (https://docs.aws.amazon.com/AmazonECR/latest/public/image-manifest-formats.html,
https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-manifest-formats.html): Docker
v2 schema 2 <-> OCI, no translation for schema 1. What AWS leaves undocumented (lists and
indexes, types without a counterpart, the serialization) is the mock's choice
(docs/aws-behaviour.md, "OCI 1.1 referrers and manifest conversion")."""

from __future__ import annotations

import json

import pytest

from ecrpublic_mock._core import media_types as types
from ecrpublic_mock._core.conversion import convert

D = "sha256:" + "d" * 64
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_FOREIGN = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
URLS = ["https://example.com/layer"]


def manifest(top: str | None, config: str, layers: list[str], **extra: object) -> dict:
    doc: dict = {"schemaVersion": 2}
    if top is not None:
        doc["mediaType"] = top
    doc["config"] = {"mediaType": config, "size": 7, "digest": D}
    doc["layers"] = [{"mediaType": t, "size": 9, "digest": D, "urls": URLS} for t in layers]
    doc.update(extra)
    return doc


def test_docker_schema_2_converts_to_oci_and_back():
    """Docker V2 schema 2 -> OCI for an OCI-only client, and OCI -> Docker V2 schema 2 for
    a schema-2-only client ("Amazon ECR image manifest conversion"); every other member kept."""
    docker = manifest(types.DOCKER_MANIFEST, DOCKER_CONFIG, [DOCKER_LAYER, DOCKER_FOREIGN])
    oci = manifest(types.OCI_MANIFEST, OCI_CONFIG, [OCI_LAYER, OCI_FOREIGN])
    text, media_type = convert(
        json.dumps(docker), types.DOCKER_MANIFEST, frozenset({types.OCI_MANIFEST})
    )
    assert (json.loads(text), media_type) == (oci, types.OCI_MANIFEST)
    assert text == json.dumps(oci, indent=3)  # deterministic: indented by 3, as Docker sends
    text, media_type = convert(
        json.dumps(oci), types.OCI_MANIFEST, frozenset({types.DOCKER_MANIFEST})
    )
    assert (json.loads(text), media_type) == (docker, types.DOCKER_MANIFEST)


def test_members_other_than_the_media_types_are_kept_in_their_order():
    """The converted manifest is the same document with its media types switched."""
    subject = {"mediaType": types.OCI_MANIFEST, "size": 3, "digest": D}
    oci = manifest(
        types.OCI_MANIFEST, OCI_CONFIG, [OCI_LAYER], subject=subject, annotations={"a": "b"}
    )
    text, _ = convert(
        json.dumps(oci), types.OCI_MANIFEST, frozenset({types.DOCKER_MANIFEST, types.DOCKER_LIST})
    )
    converted = json.loads(text)
    assert list(converted) == [
        "schemaVersion",
        "mediaType",
        "config",
        "layers",
        "subject",
        "annotations",
    ]
    assert (converted["subject"], converted["annotations"]) == (subject, {"a": "b"})


def test_a_manifest_without_its_media_type_member_gains_one():
    """An OCI manifest may leave ``mediaType`` out (its type came with the push): the
    converted one names its type, after ``schemaVersion`` or else first."""
    oci = manifest(None, OCI_CONFIG, [OCI_LAYER])
    text, _ = convert(json.dumps(oci), types.OCI_MANIFEST, frozenset({types.DOCKER_MANIFEST}))
    assert list(json.loads(text)) == ["schemaVersion", "mediaType", "config", "layers"]
    del oci["schemaVersion"]
    text, _ = convert(json.dumps(oci), types.OCI_MANIFEST, frozenset({types.DOCKER_MANIFEST}))
    assert list(json.loads(text)) == ["mediaType", "config", "layers"]


@pytest.mark.parametrize(
    ("config", "layers"),
    [
        ("application/vnd.cncf.helm.config.v1+json", [OCI_LAYER]),  # an artifact's config
        (OCI_CONFIG, ["application/vnd.oci.image.layer.v1.tar+zstd"]),  # no Docker zstd
        (OCI_CONFIG, ["application/vnd.oci.image.layer.v1.tar"]),
    ],
)
def test_a_type_without_a_counterpart_is_not_converted(config, layers):
    """The mock's choice: a config or layer type Docker has no name for stops the conversion."""
    oci = json.dumps(manifest(types.OCI_MANIFEST, config, layers))
    assert convert(oci, types.OCI_MANIFEST, frozenset({types.DOCKER_MANIFEST})) is None


def test_a_descriptor_without_a_media_type_is_not_converted():
    oci = manifest(types.OCI_MANIFEST, OCI_CONFIG, [OCI_LAYER])
    del oci["layers"][0]["mediaType"]
    assert convert(json.dumps(oci), types.OCI_MANIFEST, frozenset({types.DOCKER_MANIFEST})) is None


@pytest.mark.parametrize(
    ("stored", "accepted"),
    [
        (
            types.DOCKER_MANIFEST,
            {types.DOCKER_LIST, types.OCI_INDEX, "application/json"},
        ),  # nothing it becomes
        (types.OCI_MANIFEST, {types.OCI_INDEX}),
        (
            types.DOCKER_LIST,
            {types.OCI_INDEX, types.OCI_MANIFEST},
        ),  # lists and indexes: the mock's choice
        (types.OCI_INDEX, {types.DOCKER_LIST, types.DOCKER_MANIFEST}),
        (
            types.DOCKER_V1_SIGNED,
            {types.DOCKER_MANIFEST, types.OCI_MANIFEST},
        ),  # "No translation available"
        (types.DOCKER_V1, {types.DOCKER_MANIFEST, types.OCI_MANIFEST}),
    ],
)
def test_no_conversion(stored, accepted):
    assert convert("{}", stored, frozenset(accepted)) is None
