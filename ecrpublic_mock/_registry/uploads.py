"""Blob uploads: monolithic (``POST ?digest=``), and sessions in chunks (``PATCH``) closed
with ``PUT ?digest=``, over the core's upload session. Bodies go to the core as they
arrive; the lock is held for each part, never while bytes travel."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._core.uploads import (
    check_parts,
    close_upload,
    end_part,
    find_upload,
    finish_upload,
    is_open,
    open_upload,
    receive,
)
from . import errors
from .blobs import check_algorithm, digest
from .context import number, ok

if TYPE_CHECKING:
    from .._core.state import Upload
    from .context import Body, Context, Response

_CONTENT_RANGE = re.compile(r"(?:bytes[= ])?([0-9]+)-([0-9]+)")


def start(ctx: Context) -> Body[Response]:
    """A session (a mount request gets one too), or a whole blob with ``?digest=``: its
    upload is closed whatever ends it, since no client was told its id."""
    query = ctx.request.query
    expected = digest(query["digest"]) if "digest" in query else None
    with ctx.state.lock:
        upload = open_upload(ctx.registry, ctx.repository())
    ctx.ref = upload.upload_id
    if expected is None:
        return _session(ctx, 0, 202)
    try:
        yield from _receive(ctx)
        return _finish(ctx, expected)
    finally:
        with ctx.state.lock:
            if is_open(ctx.registry, upload):
                close_upload(ctx.registry, upload)


def status(ctx: Context) -> Response:
    with ctx.state.lock:
        received = _upload(ctx).received
    return _session(ctx, received, 204)


def patch(ctx: Context) -> Body[Response]:
    """A chunk, in order: ``Content-Range`` (optional) must start where the upload is."""
    _check_range(ctx)
    return _session(ctx, (yield from _receive(ctx)), 202)


def _check_range(ctx: Context) -> None:
    """A chunk's ``Content-Range``, where it has one, starts where the upload is and says
    the body's length; else 416, and the session stays as it was (distribution-spec)."""
    content_range = ctx.request.headers.get("content-range")
    if content_range is not None:
        with ctx.state.lock:
            received = _upload(ctx).received
        match = _CONTENT_RANGE.fullmatch(content_range.strip())
        length = ctx.request.headers.get("content-length")
        if (
            match is None
            or number(match[1]) != received
            or number(match[2]) < number(match[1])
            or (length is not None and number(length) != number(match[2]) - received + 1)
        ):
            raise errors.error(errors.CONTENT_RANGE_INVALID, range=content_range, received=received)


def finish(ctx: Context) -> Body[Response]:
    """The closing PUT, with the last chunk or none: a last chunk out of order is refused
    as a PATCH's is (416), before the upload is touched, so the session stays usable."""
    expected = digest(ctx.request.query.get("digest"))
    _check_range(ctx)
    yield from _receive(ctx)
    return _finish(ctx, expected)


def cancel(ctx: Context) -> Response:
    with ctx.state.lock:
        close_upload(ctx.registry, _upload(ctx))
    return ok(204, {})


def _upload(ctx: Context) -> Upload:
    """The open upload ``ctx.ref`` of the repository; the caller holds the lock."""
    return find_upload(ctx.registry, ctx.repository(), ctx.ref)


def _session(ctx: Context, received: int, status: int) -> Response:
    return ok(
        status,
        {
            "Location": ctx.url(f"blobs/uploads/{ctx.ref}"),
            "Range": f"0-{max(received - 1, 0)}",
            "Docker-Upload-UUID": ctx.ref,
        },
    )


def _receive(ctx: Context) -> Body[int]:
    """Append the request's body to the upload as it arrives; the bytes received so far.
    The upload is found once; closed meanwhile, it is looked for again, so that the error
    says what went (its repository, or the upload). The request's body is one part."""
    with ctx.state.lock:
        upload = _upload(ctx)
    size = 0
    while True:
        chunk = yield
        with ctx.state.lock:
            if not is_open(ctx.registry, upload):
                _upload(ctx)  # raises: NAME_UNKNOWN or BLOB_UPLOAD_UNKNOWN
            if not chunk:
                end_part(upload, size)
                return upload.received
            receive(ctx.registry, upload, chunk)
        size += len(chunk)


def _finish(ctx: Context, expected: str) -> Response:
    """Close the upload; its bytes become the layer ``expected`` names, or it fails. A layer
    the repository has already is taken as pushed (the distribution-spec's PUT)."""
    with ctx.state.lock:
        upload = _upload(ctx)
        computed = close_upload(ctx.registry, upload)  # over, whether it completes or fails
        check_parts(ctx.registry, upload)
        check_algorithm(expected)
        if computed != expected:
            raise errors.error(errors.DIGEST_MISMATCH)
        finish_upload(ctx.registry, upload, computed)
    return ok(201, {"Location": ctx.url(f"blobs/{computed}"), "Docker-Content-Digest": computed})
