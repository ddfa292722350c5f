"""Manifests: pulled by tag or digest, pushed as PutImage, deleted as BatchDeleteImage."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from .._core.conversion import convert
from .._core.digests import DIGEST, digest_of
from .._core.images import find_image, push_manifest, remove
from .._core.manifests import IMAGE_TYPES, LIST_TYPES, V1_TYPES, image_id
from .._core.media_types import DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST
from .._core.premium import check_deletable
from .._core.pulls import take_pull
from .._model import service_model
from . import errors
from .blobs import check_algorithm
from .context import API_VERSION, Response, ok

if TYPE_CHECKING:
    from .context import Body, Context

# How a manifest kind is named when a client's Accept header leaves it out.
_KINDS = {
    OCI_MANIFEST: ("OCI manifest", "OCI manifests"),
    OCI_INDEX: ("OCI index", "OCI indexes"),
    DOCKER_MANIFEST: ("schema 2 manifest", "schema 2 manifests"),
    DOCKER_LIST: ("manifest list", "manifest lists"),
    **dict.fromkeys(V1_TYPES, ("schema 1 manifest", "schema 1 manifests")),
}
# The distribution-spec's tag grammar.
_TAG = re.compile(r"[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}")
_KNOWN = IMAGE_TYPES | LIST_TYPES | V1_TYPES


def get(ctx: Context) -> Response:
    """The manifest as pushed, if the client accepts its type; pulled by tag, else converted
    to a type it accepts where there is a conversion (``_core/conversion.py``: AWS's
    "Amazon ECR image manifest conversion",
    https://docs.aws.amazon.com/AmazonECR/latest/public/image-manifest-formats.html). HEAD
    says what GET would. A GET is an image pull, counted against the pull rate quotas
    where the mock has them on (``_core/pulls.py``)."""
    if ctx.request.method == "GET":
        authenticated = ctx.grant is not None and ctx.grant.push
        with ctx.state.lock:
            pulled = take_pull(ctx.registry, ctx.request.client, authenticated=authenticated)
        if not pulled:
            raise errors.error(errors.RATE_EXCEEDED)
    by_digest, tag = image_id(ctx.ref)
    with ctx.state.lock:
        image = find_image(ctx.repository(), by_digest, tag)
        if image is None:
            raise errors.error(errors.IMAGE_NOT_FOUND)
        text, media_type, digest = image.manifest, image.media_type, image.digest
    accepted = frozenset(
        value.split(";")[0].strip() for value in ctx.request.headers.get("accept", "").split(",")
    ) - {""}
    if accepted and not accepted & {media_type, "*/*", "application/*"}:
        converted = None if tag is None else convert(text, media_type, accepted)
        if converted is None:
            kind, kinds = _KINDS[media_type]
            raise errors.error(errors.NOT_ACCEPTED, kind=kind, kinds=kinds)
        text, media_type = converted
        digest = digest_of(text.encode())
    body = text.encode()
    headers = {"Content-Type": media_type, "Docker-Content-Digest": digest, "ETag": f'"{digest}"'}
    if ctx.request.method == "HEAD":
        return Response(200, {**API_VERSION, **headers}, length=len(body))
    return ok(200, headers, body)


@cache
def manifest_limit() -> int:
    """The largest manifest PutImage takes (the model's imageManifest length)."""
    limit: int = service_model().shape_for("ImageManifest").metadata["max"]
    return limit


def put(ctx: Context) -> Body[Response]:
    """PutImage by tag or by digest; the type is the manifest's, or its Content-Type's."""
    if DIGEST.fullmatch(ctx.ref):
        check_algorithm(ctx.ref)
    elif not _TAG.fullmatch(ctx.ref):
        raise errors.error(errors.TAG_MALFORMED, tag=ctx.ref)
    parts, size, limit = [], 0, manifest_limit()
    while chunk := (yield):
        size += len(chunk)
        if size > limit:
            raise errors.error(errors.MANIFEST_TOO_LARGE, limit=limit)
        parts.append(chunk)
    try:
        text = b"".join(parts).decode()
    except UnicodeDecodeError:
        raise errors.error(errors.MANIFEST_NOT_UTF8) from None
    content_type = ctx.request.headers.get("content-type", "").split(";")[0].strip()
    media_type = content_type if content_type in _KNOWN else None
    with ctx.state.lock:
        image = push_manifest(ctx.registry, ctx.repository(), text, ctx.ref, media_type)
    digest = image.digest
    headers = {"Location": ctx.url(f"manifests/{digest}"), "Docker-Content-Digest": digest}
    # OCI 1.1: a registry that keeps referrers says so by naming the subject (distribution-
    # spec v1.1, "Pushing Manifests with Subject").
    if image.subject is not None:
        headers["OCI-Subject"] = image.subject
    return ok(201, headers)


def delete(ctx: Context) -> Response:
    """BatchDeleteImage of one image id: by digest the image goes, by tag the tag."""
    with ctx.state.lock:
        repo = ctx.repository()
        check_deletable(repo)
        result = remove(repo, *image_id(ctx.ref))
    if result.failure is not None:
        raise errors.from_failure(*result.failure)
    return ok(202, {})
