"""OCI 1.1 referrers in the core: the repository keeps, by subject, the images naming it
(distribution-spec v1.1, "Listing Referrers",
https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers;
ECR Public supports OCI 1.1,
https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-ecr-oci-image-distribution-version-1-1).
A subject need not be there; deleting it by hand leaves its referrers (the mock's choice,
docs/aws-behaviour.md, "OCI 1.1 referrers and manifest conversion")."""

from __future__ import annotations

import json

from ecrpublic_mock._core.digests import digest_of
from ecrpublic_mock._core.images import put_image, remove
from ecrpublic_mock._core.media_types import OCI_INDEX, OCI_MANIFEST
from ecrpublic_mock._core.referrers import Referrer, referrers
from ecrpublic_mock._core.uploads import upload_layer

OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
SBOM, SIGNATURE = "application/spdx+json", "application/vnd.dev.cosign.artifact.sig.v1+json"
EMPTY = "application/vnd.oci.empty.v1+json"


def manifest(registry, repo, config_type=OCI_CONFIG, subject=None, **extra) -> str:
    config, layer = digest_of(b"{}"), digest_of(b"layer")
    for data in (b"{}", b"layer"):
        if digest_of(data) not in repo.layers:
            upload_layer(registry, repo, data)
    doc: dict = {"schemaVersion": 2, "mediaType": OCI_MANIFEST}
    doc["config"] = {"mediaType": config_type, "size": 2, "digest": config}
    doc["layers"] = [{"mediaType": "application/octet-stream", "size": 5, "digest": layer}]
    if subject is not None:
        doc["subject"] = {"mediaType": OCI_MANIFEST, "size": 1, "digest": subject}
    doc.update(extra)
    return json.dumps(doc)


def push(registry, repo, text: str, tag: str | None = None) -> str:
    return put_image(registry, repo, text, tag).digest


def test_referrers_are_listed_by_subject_with_their_artifact_types(registry, repo):
    """Each descriptor's artifactType is the manifest's ``artifactType``, else its config's
    media type; its annotations are the manifest's (spec: "Listing Referrers")."""
    base = push(registry, repo, manifest(registry, repo), "v1")
    sbom_text = manifest(registry, repo, EMPTY, base, artifactType=SBOM, annotations={"a": "1"})
    sbom = push(registry, repo, sbom_text)
    sig_text = manifest(registry, repo, SIGNATURE, base)
    sig = push(registry, repo, sig_text)
    assert referrers(repo, base) == [
        Referrer(sbom, OCI_MANIFEST, len(sbom_text), SBOM, {"a": "1"}),
        Referrer(sig, OCI_MANIFEST, len(sig_text), SIGNATURE, None),
    ]
    assert [r.digest for r in referrers(repo, base, SIGNATURE)] == [sig]
    assert referrers(repo, base, "text/plain") == []
    assert referrers(repo, sbom) == []
    assert repo.referring == {base: {sbom: None, sig: None}}


def test_an_index_with_a_subject_and_no_artifact_type_has_none(registry, repo):
    """An index has no config: without its own ``artifactType`` it has none to list."""
    base = push(registry, repo, manifest(registry, repo))
    doc = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}
    doc["subject"] = {"mediaType": OCI_MANIFEST, "size": 1, "digest": base}
    text = json.dumps(doc)
    index = push(registry, repo, text)
    assert referrers(repo, base) == [Referrer(index, OCI_INDEX, len(text), None, None)]


def test_a_referrer_pushed_before_its_subject_is_listed(registry, repo):
    """A manifest whose subject is not in the repository MUST be accepted (spec)."""
    absent = "sha256:" + "0" * 64
    referrer = push(registry, repo, manifest(registry, repo, SIGNATURE, absent))
    assert [r.digest for r in referrers(repo, absent)] == [referrer]


def test_deleting_a_subject_leaves_its_referrers_and_a_referrer_leaves_the_index(registry, repo):
    base = push(registry, repo, manifest(registry, repo), "v1")
    referrer = push(registry, repo, manifest(registry, repo, SIGNATURE, base))
    other = push(registry, repo, manifest(registry, repo, SBOM, base))
    assert remove(repo, base, None).failure is None
    assert [r.digest for r in referrers(repo, base)] == [referrer, other]
    assert remove(repo, referrer, None).failure is None
    assert [r.digest for r in referrers(repo, base)] == [other]
    assert remove(repo, other, None).failure is None
    assert referrers(repo, base) == []
    assert repo.referring == {}
