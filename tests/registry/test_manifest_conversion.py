"""Manifest conversion on a pull by tag, over raw HTTP: AWS's "Amazon ECR image manifest
conversion" (https://docs.aws.amazon.com/AmazonECR/latest/public/image-manifest-formats.html,
https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-manifest-formats.html): pulled
by tag, a manifest the client does not understand is converted, Docker V2 schema 2 <-> OCI;
schema 1 has no translation, and a pull by digest none either. Lists and indexes, types
without a counterpart and the converted text are the mock's choices (docs/aws-behaviour.md,
"OCI 1.1 referrers and manifest conversion").
"""

from __future__ import annotations

import json

import _manifests as mf
import pytest
from test_registry_protocol import API_VERSION, Answer, Wire, assert_error

pytestmark = pytest.mark.slow

SWITCHED = {
    mf.DOCKER_MANIFEST: mf.OCI_MANIFEST,
    mf.OCI_MANIFEST: mf.DOCKER_MANIFEST,
    mf.DOCKER_CONFIG: mf.OCI_CONFIG,
    mf.OCI_CONFIG: mf.DOCKER_CONFIG,
    mf.DOCKER_LAYER: mf.OCI_LAYER,
    mf.OCI_LAYER: mf.DOCKER_LAYER,
}


@pytest.fixture
def repositories():
    return ("app",)


def converted(text: str) -> str:
    """The stored manifest with its media types switched, as the mock serializes it."""
    doc = json.loads(text)
    doc["mediaType"] = SWITCHED[doc["mediaType"]]
    for item in (doc["config"], *doc["layers"]):
        item["mediaType"] = SWITCHED[item["mediaType"]]
    return json.dumps(doc, indent=3)


def pulled(wire: Wire, method: str, ref: str, accept: str) -> Answer:
    headers = [("Accept", accept), ("Authorization", f"Bearer {wire.pull}")]
    return wire.send(method, f"/v2/{wire.name()}/manifests/{ref}", headers)


def served(media_type: str, text: str, method: str) -> Answer:
    digest = mf.sha256(text)
    headers = {
        **API_VERSION,
        "content-type": media_type,
        "docker-content-digest": digest,
        "etag": f'"{digest}"',
        "content-length": str(len(text.encode())),
    }
    return Answer(200, headers, b"" if method == "HEAD" else text.encode())


@pytest.mark.parametrize("stored", [mf.DOCKER_MANIFEST, mf.OCI_MANIFEST])
def test_a_pull_by_tag_is_converted_to_the_format_the_client_understands(wire, stored):
    """ "If the stored image manifest format isn't understood by the client, Amazon ECR
    converts the image manifest into a format that is understood": the converted
    manifest's own digest and type, to GET and HEAD alike, the annotations kept."""
    salt = stored.split(".")[-2]
    text = wire.image(media_type=stored, salt=salt)
    doc = json.loads(text)
    doc["annotations"] = {"org.opencontainers.image.title": "kept"}
    text = json.dumps(doc)
    assert wire.put("v1", text).status == 201
    other = SWITCHED[stored]
    expected = converted(text)
    assert json.loads(expected)["annotations"] == doc["annotations"]
    for method in ("GET", "HEAD"):
        for accept in (
            other,
            f"{other};q=0.9, text/html",
            f"{mf.DOCKER_LIST}, {mf.OCI_INDEX}, {other}",
        ):
            assert pulled(wire, method, "v1", accept) == served(other, expected, method)
        # The stored format, where the client understands it.
        assert pulled(wire, method, "v1", f"{other}, {stored}") == served(stored, text, method)
        # "If you pull an image by digest, there is no translation available."
        answer = pulled(wire, method, mf.sha256(text), other)
        kind = {mf.DOCKER_MANIFEST: "schema 2 manifest", mf.OCI_MANIFEST: "OCI manifest"}[stored]
        message = f"{kind} found, but accept header does not support {kind}s"
        assert_error(answer, 404, "MANIFEST_UNKNOWN", message, head=method == "HEAD")
    # The converted manifest's digest names nothing stored: what is stored is unchanged.
    assert pulled(wire, "GET", mf.sha256(text), stored) == served(stored, text, "GET")
    answer = pulled(wire, "GET", mf.sha256(expected), other)
    assert_error(answer, 404, "MANIFEST_UNKNOWN", "Requested image not found")


def test_no_conversion_for_schema_1_lists_indexes_and_artifacts(wire):
    """Schema 1: "No translation available". Lists, indexes and manifests with a type that
    has no counterpart (a helm chart's config): the mock's choice, not converted."""
    docker, _ = wire.push_image("docker", media_type=mf.DOCKER_MANIFEST, salt="d")
    oci, _ = wire.push_image("oci", salt="o")
    layer = wire.upload(b"v1 layer")
    config = wire.upload(b"chart config")
    helm = mf.image_manifest(mf.descriptor(config, mf.HELM_CONFIG, 12), [], mf.OCI_MANIFEST)
    # What each stored type would be converted to, and an image type beside it.
    cases = (
        (
            "list",
            mf.manifest_list([(docker, 10)]),
            mf.DOCKER_LIST,
            [mf.OCI_INDEX, mf.OCI_MANIFEST],
        ),
        (
            "index",
            mf.manifest_list([(oci, 10)], mf.OCI_INDEX, mf.OCI_MANIFEST),
            mf.OCI_INDEX,
            [mf.DOCKER_LIST, mf.DOCKER_MANIFEST],
        ),
        (
            "v1",
            mf.schema1_manifest([layer], tag="v1"),
            mf.DOCKER_SCHEMA1,
            [mf.DOCKER_MANIFEST, mf.OCI_MANIFEST],
        ),
        ("helm", helm, mf.OCI_MANIFEST, [mf.DOCKER_MANIFEST]),
    )
    kinds = {
        mf.DOCKER_LIST: ("manifest list", "manifest lists"),
        mf.OCI_INDEX: ("OCI index", "OCI indexes"),
        mf.DOCKER_SCHEMA1: ("schema 1 manifest", "schema 1 manifests"),
        mf.OCI_MANIFEST: ("OCI manifest", "OCI manifests"),
    }
    for tag, text, media_type, accepted in cases:
        assert wire.put(tag, text, media_type).status == 201, tag
        kind, plural = kinds[media_type]
        for method in ("GET", "HEAD"):
            answer = pulled(wire, method, tag, ", ".join(accepted))
            message = f"{kind} found, but accept header does not support {plural}"
            assert_error(answer, 404, "MANIFEST_UNKNOWN", message, head=method == "HEAD")
