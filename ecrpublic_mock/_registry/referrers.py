"""The OCI 1.1 referrers API: ``GET /v2/<name>/referrers/<digest>``.

The distribution-spec v1.1
(https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers)
answers 200 with an image index of the manifests whose ``subject`` is the digest, an
empty one when there are none (the digest need not exist), filtered by ``artifactType``
when asked (and then says so in ``OCI-Filters-Applied``). ECR Public supports OCI 1.1
(https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-ecr-oci-image-distribution-version-1-1);
whether it filters, pages, or answers an anonymous token AWS leaves undocumented: the mock
filters, never pages, and answers any token that may pull (docs/aws-behaviour.md, "OCI 1.1
referrers and manifest conversion").
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .._core.digests import DIGEST
from .._core.media_types import OCI_INDEX
from .._core.referrers import referrers
from . import errors
from .context import ok

if TYPE_CHECKING:
    from .._core.referrers import Referrer
    from .context import Context, Response

FILTER = "artifactType"


def listing(ctx: Context) -> Response:
    """The referrers of the digest in the path, as an OCI image index."""
    if not DIGEST.fullmatch(ctx.ref):
        raise errors.error(errors.DIGEST_MALFORMED, digest=ctx.ref)
    artifact_type = ctx.request.query.get(FILTER)
    with ctx.state.lock:
        found = referrers(ctx.repository(), ctx.ref, artifact_type)
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [_descriptor(referrer) for referrer in found],
    }
    headers = {"Content-Type": OCI_INDEX}
    if artifact_type is not None:
        headers["OCI-Filters-Applied"] = FILTER
    return ok(200, headers, json.dumps(index).encode())


def _descriptor(referrer: Referrer) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "mediaType": referrer.media_type,
        "size": referrer.size,
        "digest": referrer.digest,
    }
    if referrer.artifact_type is not None:
        descriptor["artifactType"] = referrer.artifact_type
    if referrer.annotations is not None:
        descriptor["annotations"] = referrer.annotations
    return descriptor
