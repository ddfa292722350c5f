"""The OCI 1.1 referrers API over raw HTTP: ``GET /v2/<name>/referrers/<digest>`` and the
``OCI-Subject`` a manifest PUT answers, every answer checked whole.

Sources: the distribution-spec v1.1
(https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers,
"Pushing Manifests with Subject"); AWS's announcement that ECR, the public registry
included, supports OCI 1.1
(https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-ecr-oci-image-distribution-version-1-1),
and the referrers API seen working on public.ecr.aws
(https://github.com/aws-observability/aws-otel-java-instrumentation/pull/1427). Filtering,
no pagination, anonymous reads and referrers outliving a subject deleted by hand are the
mock's choices (docs/aws-behaviour.md, "OCI 1.1 referrers and manifest conversion").
"""

from __future__ import annotations

import json
import urllib.parse

import botocore.session
import pytest
from _manifests import ACCOUNT, OCI_INDEX, OCI_MANIFEST, sha256
from test_registry_protocol import (
    API_VERSION,
    UNSUPPORTED,
    Answer,
    Wire,
    assert_error,
    repo_not_found,
)

pytestmark = pytest.mark.slow

SBOM = "application/spdx+json"
SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json"
EMPTY = "application/vnd.oci.empty.v1+json"
SUBJECT_MEMBER = "subjectManifestDigest" in (
    botocore.session.get_session().get_service_model("ecr-public").shape_for("ImageDetail").members
)


@pytest.fixture
def repositories():
    return ("app",)


def referrer(wire: Wire, subject: str, config_type: str = EMPTY, **extra: object) -> str:
    """An OCI 1.1 artifact manifest naming ``subject`` (its blobs uploaded, not pushed)."""
    config, layer = b"{}", f"payload of {config_type} {extra}".encode()
    for blob in (config, layer):
        wire.upload(blob)
    doc: dict = {"schemaVersion": 2, "mediaType": OCI_MANIFEST}
    doc.update(extra)
    doc["config"] = {"mediaType": config_type, "size": len(config), "digest": sha256(config)}
    doc["layers"] = [
        {"mediaType": "application/octet-stream", "size": len(layer), "digest": sha256(layer)}
    ]
    doc["subject"] = {"mediaType": OCI_MANIFEST, "size": 100, "digest": subject}
    return json.dumps(doc)


def index_answer(descriptors: list[dict], filtered: bool = False) -> Answer:
    body = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": descriptors})
    headers = {**API_VERSION, "content-type": OCI_INDEX}
    if filtered:
        headers["oci-filters-applied"] = "artifactType"
    headers["content-length"] = str(len(body))
    return Answer(200, headers, body.encode())


def described(text: str, artifact_type: str, annotations: dict | None = None) -> dict:
    descriptor = {"mediaType": OCI_MANIFEST, "size": len(text), "digest": sha256(text)}
    descriptor["artifactType"] = artifact_type
    if annotations is not None:
        descriptor["annotations"] = annotations
    return descriptor


def filtered(path: str, artifact_type: str) -> str:
    """``path?artifactType=`` (a ``+`` in a query is a space: it goes percent-encoded)."""
    return f"{path}?{urllib.parse.urlencode({'artifactType': artifact_type})}"


def put_referrer(wire: Wire, text: str, subject: str) -> None:
    """Pushed by digest, as oras pushes a referrer: 201 with ``OCI-Subject`` (spec,
    "Pushing Manifests with Subject")."""
    digest = sha256(text)
    answer = wire.put(digest, text, OCI_MANIFEST)
    assert answer == Answer(
        201,
        {
            **API_VERSION,
            "location": f"{wire.url}/v2/{wire.name()}/manifests/{digest}",
            "docker-content-digest": digest,
            "oci-subject": subject,
            "content-length": "0",
        },
        b"",
    )


def test_referrers_of_an_image_with_two_artifact_types_and_filtering(wire):
    """Two referrers: one with its own ``artifactType`` (and annotations), one typed by its
    config. The index lists both in push order; ``?artifactType=`` keeps one, and the
    answer says it filtered (``OCI-Filters-Applied: artifactType``). A pull token reads
    them (the mock's choice: it is a read)."""
    base, _ = wire.push_image("v1")
    annotations = {"org.opencontainers.image.created": "2024-06-27T00:00:00Z"}
    sbom = referrer(wire, base, artifactType=SBOM, annotations=annotations)
    signature = referrer(wire, base, SIGNATURE)
    put_referrer(wire, sbom, base)
    put_referrer(wire, signature, base)
    path = f"/v2/{wire.name()}/referrers/{base}"
    both = [described(sbom, SBOM, annotations), described(signature, SIGNATURE)]
    for token in (wire.push, wire.pull):
        assert wire.request("GET", path, token=token) == index_answer(both)
    answer = wire.request("GET", filtered(path, SIGNATURE), token=wire.pull)
    assert answer == index_answer([described(signature, SIGNATURE)], filtered=True)
    answer = wire.request("GET", filtered(path, SBOM))
    assert answer == index_answer([described(sbom, SBOM, annotations)], filtered=True)
    answer = wire.request("GET", filtered(path, "text/plain"))
    assert answer == index_answer([], filtered=True)
    # A manifest without a subject has no OCI-Subject; the referrers have none themselves.
    assert "oci-subject" not in wire.put("v2", wire.image(salt="plain")).headers
    assert wire.request("GET", f"/v2/{wire.name()}/referrers/{sha256(sbom)}") == index_answer([])


def test_an_unknown_digest_has_an_empty_index_and_bad_requests_are_refused(wire):
    """Spec: a digest with no referrers, or none in the repository, is 200 with an empty
    index; a path digest that is no digest is DIGEST_INVALID; a missing repository is
    NAME_UNKNOWN (as every route answers); only GET is served."""
    unknown = "sha256:" + "0" * 64
    path = f"/v2/{wire.name()}/referrers/{unknown}"
    assert wire.request("GET", path, token=wire.pull) == index_answer([])
    answer = wire.request("GET", f"/v2/{wire.name()}/referrers/nope")
    assert_error(answer, 400, "DIGEST_INVALID", "invalid digest 'nope'")
    answer = wire.request("GET", f"/v2/{wire.name('missing')}/referrers/{unknown}")
    assert_error(answer, 404, "NAME_UNKNOWN", repo_not_found("missing", wire.alias))
    for method in ("HEAD", "PUT", "DELETE"):
        answer = wire.request(method, path)
        assert_error(answer, 405, "UNSUPPORTED", UNSUPPORTED, head=method == "HEAD", allow="GET")


def test_a_subject_pushed_after_its_referrer(wire, client):
    """Spec: a manifest whose subject is not in the repository MUST be accepted, with
    ``OCI-Subject``; it is listed before its subject comes and after."""
    text = wire.image(salt="later")
    subject = sha256(text)
    signature = referrer(wire, subject, SIGNATURE)
    put_referrer(wire, signature, subject)
    path = f"/v2/{wire.name()}/referrers/{subject}"
    assert wire.request("GET", path) == index_answer([described(signature, SIGNATURE)])
    assert wire.put("v1", text).status == 201
    assert wire.request("GET", path) == index_answer([described(signature, SIGNATURE)])


@pytest.mark.skipif(not SUBJECT_MEMBER, reason="this botocore's ImageDetail has no subject")
def test_describe_images_names_the_subject_the_referrers_list_under(wire, client):
    """botocore 1.44.18's ImageDetail.subjectManifestDigest: "The digest of the manifest
    that this image refers to as its subject" agrees with the referrers API."""
    base, _ = wire.push_image("v1")
    signature = referrer(wire, base, SIGNATURE)
    put_referrer(wire, signature, base)
    details = {
        d["imageDigest"]: d for d in client.describe_images(repositoryName="app")["imageDetails"]
    }
    assert details[sha256(signature)]["subjectManifestDigest"] == base
    assert "subjectManifestDigest" not in details[base]
    listed = wire.request("GET", f"/v2/{wire.name()}/referrers/{base}").json()["manifests"]
    assert [m["digest"] for m in listed] == [sha256(signature)]


def test_deleting_a_subject_by_hand_leaves_its_referrers(wire, client):
    """AWS documents that a lifecycle-policy expiry deletes referrers with their subject
    (the OCI 1.1 announcement) but nothing for a manual delete, and shows deleting
    referrers yourself (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-artifact-delete.html):
    the mock's choice is that they stay, still listed under the subject's digest, until
    deleted themselves."""
    base, _ = wire.push_image("v1")
    other, _ = wire.push_image("v2", salt="other")
    signature, sbom = referrer(wire, base, SIGNATURE), referrer(wire, other, SBOM)
    put_referrer(wire, signature, base)
    put_referrer(wire, sbom, other)
    # One subject over the registry protocol, the other with BatchDeleteImage.
    assert wire.request("DELETE", f"/v2/{wire.name()}/manifests/{base}").status == 202
    client.batch_delete_image(repositoryName="app", imageIds=[{"imageDigest": other}])
    for subject, text, artifact_type in ((base, signature, SIGNATURE), (other, sbom, SBOM)):
        path = f"/v2/{wire.name()}/referrers/{subject}"
        assert wire.request("GET", path) == index_answer([described(text, artifact_type)])
        assert wire.request("GET", f"/v2/{wire.name()}/manifests/{sha256(text)}").status == 200
    # A referrer deleted leaves its subject's index.
    assert wire.request("DELETE", f"/v2/{wire.name()}/manifests/{sha256(signature)}").status == 202
    assert wire.request("GET", f"/v2/{wire.name()}/referrers/{base}") == index_answer([])
    images = client.describe_images(repositoryName="app")["imageDetails"]
    assert [d["imageDigest"] for d in images] == [sha256(sbom)]
    assert client.describe_registries()["registries"][0]["registryId"] == ACCOUNT


def test_an_index_without_an_artifact_type_is_listed_without_one(wire):
    """An index may carry a subject too; with no ``artifactType`` and no config it has no
    artifact type to list (spec: artifactType is the manifest's, else its config's)."""
    base, _ = wire.push_image("v1")
    doc = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}
    doc["subject"] = {"mediaType": OCI_MANIFEST, "size": 100, "digest": base}
    text = json.dumps(doc)
    answer = wire.put(sha256(text), text, OCI_INDEX)
    assert (answer.status, answer.headers["oci-subject"]) == (201, base)
    listed = {"mediaType": OCI_INDEX, "size": len(text), "digest": sha256(text)}
    assert wire.request("GET", f"/v2/{wire.name()}/referrers/{base}") == index_answer([listed])
