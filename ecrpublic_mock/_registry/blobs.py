"""Blobs: a layer or a config, whole or a byte range, by digest."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._core.digests import ALGORITHM, DIGEST
from .._core.uploads import find_layer
from . import errors
from .context import API_VERSION, Response, number

if TYPE_CHECKING:
    from .context import Context

_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")


def digest(value: str | None) -> str:
    """``value`` if it is a digest, else DIGEST_INVALID."""
    if value is None or not DIGEST.fullmatch(value):
        raise errors.error(errors.DIGEST_MALFORMED, digest=value or "")
    return value


def check_algorithm(value: str) -> None:
    """A digest the registry could store: sha256 (AWS's API speaks of "the sha256
    digest"; it leaves other algorithms undocumented, and the mock refuses them)."""
    algorithm = value.partition(":")[0]
    if algorithm != ALGORITHM:
        raise errors.error(errors.DIGEST_ALGORITHM, algorithm=algorithm)


def get(ctx: Context) -> Response:
    """GET streams the blob's bytes as stored; HEAD says what GET would send, to a token
    that may push. public.ecr.aws answers HEAD with an anonymous token 401 and the
    challenge, while GET of the same blob succeeds (aws/containers-roadmap#2671,
    distribution/distribution#4383, buildbuddy-io/buildbuddy#12566)."""
    if ctx.request.method == "HEAD" and ctx.grant is not None and not ctx.grant.push:
        raise errors.error(errors.NO_TOKEN)
    wanted_digest = digest(ctx.ref)
    with ctx.state.lock:
        blob = find_layer(ctx.repository(), wanted_digest)
    if blob is None:
        raise errors.error(errors.BLOB_NOT_FOUND)
    headers = {
        "Content-Type": "application/octet-stream",
        "Docker-Content-Digest": wanted_digest,
        "Accept-Ranges": "bytes",
        "ETag": f'"{wanted_digest}"',
    }
    start, stop, status = 0, blob.size, 200
    wanted = _byte_range(ctx.request.headers.get("range", ""), blob.size)
    if wanted is not None:
        (start, stop), status = wanted, 206
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{blob.size}"
    stream = blob.iter_range(start, stop) if ctx.request.method == "GET" else None
    return Response(status, {**API_VERSION, **headers}, stream=stream, length=stop - start)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The bytes [start, stop) a single ``Range`` asks for: ``bytes=a-b``, ``bytes=a-``
    (to the end) or ``bytes=-n`` (the last n). None for no range, or one that is ignored
    (another unit, several ranges); an unsatisfiable one is refused (416)."""
    wanted = _RANGE.fullmatch(header.strip())
    if wanted is None or not (wanted[1] or wanted[2]):
        return None
    first = number(wanted[1]) if wanted[1] else None
    last = number(wanted[2]) if wanted[2] else None
    if first is None:
        start, stop = max(size - (last or 0), 0), size
    else:
        start, stop = first, size if last is None else min(last + 1, size)
    if start >= size or (last is not None and first is not None and last < first):
        raise errors.error(
            errors.RANGE_REFUSED, {"Content-Range": f"bytes */{size}"}, range=wanted[0], size=size
        )
    return start, stop
