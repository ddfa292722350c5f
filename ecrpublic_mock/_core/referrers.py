"""OCI 1.1 referrers: the images of a repository that name a manifest as their ``subject``.

The distribution-spec v1.1 lists them as descriptors of an image index
(https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers):
each with its media type, size, digest, artifact type (the manifest's ``artifactType``,
else its config's media type) and its annotations. ECR Public supports OCI 1.1
(https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-ecr-oci-image-distribution-version-1-1).
The repository keeps them by subject (``Repository.referring``, maintained as images are
stored and deleted), so listing them costs what they are, not what the repository holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import Image, Repository


@dataclass(frozen=True)
class Referrer:
    """One referrer, as the referrers index describes it."""

    digest: str
    media_type: str
    size: int  # of its manifest's bytes
    artifact_type: str | None  # None: neither an artifactType nor a config
    annotations: dict[str, Any] | None  # None: the manifest has none


def referrers(repo: Repository, subject: str, artifact_type: str | None = None) -> list[Referrer]:
    """The images of ``repo`` whose subject is ``subject``, in push order; only those of
    ``artifact_type`` when one is given. The subject need not be in the repository: a
    referrer may be pushed before it, and stays when it is deleted."""
    found = (_referrer(repo.images[digest]) for digest in repo.referring.get(subject, {}))
    return [r for r in found if artifact_type is None or r.artifact_type == artifact_type]


def _referrer(image: Image) -> Referrer:
    document: dict[str, Any] = json.loads(image.manifest)
    artifact_type = document.get("artifactType")
    if not isinstance(artifact_type, str):
        artifact_type = image.artifact_media_type
    annotations = document.get("annotations")
    return Referrer(
        digest=image.digest,
        media_type=image.media_type,
        size=len(image.manifest.encode()),
        artifact_type=artifact_type,
        annotations=annotations if isinstance(annotations, dict) else None,
    )
