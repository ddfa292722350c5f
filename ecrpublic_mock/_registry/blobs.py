"""Blobs: a layer or a config, whole or a byte range, by digest; GET and HEAD conditional
on the blob's ETag (RFC 9110, section 13), as the CNCF distribution registry answers them
through Go's ``http.ServeContent`` (docs/aws-behaviour.md, "Conditional requests on blobs")."""

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
# RFC 9110 8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E /
# obs-text (header values are read as latin-1, so obs-text is \x80-\xff).
_ENTITY_TAG = r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"'
_TAG = re.compile(_ENTITY_TAG)
# RFC 9110 5.6.1: #entity-tag, a comma-separated list whose empty elements a recipient
# accepts. Written so that every character has one reading (no backtracking on any value).
_TAG_LIST = re.compile(rf"[ \t,]*(?:{_ENTITY_TAG}[ \t]*(?:,[ \t,]*|\Z))*")
_OWS = " \t"


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
    # The digest is the blob's strong validator, as distribution sends it: ETag: "<digest>".
    validators = {"Docker-Content-Digest": wanted_digest, "ETag": f'"{wanted_digest}"'}
    refused = _precondition(ctx.request.headers, wanted_digest)
    if refused is not None:
        # 304 (RFC 9110 15.4.5): the validators, no representation metadata, no content
        # (and no Content-Length, which 8.6 allows it to leave out). 412: no content.
        return Response(refused, {**API_VERSION, **validators})
    headers = {
        "Content-Type": "application/octet-stream",
        "Docker-Content-Digest": wanted_digest,
        "Accept-Ranges": "bytes",
        "ETag": validators["ETag"],
    }
    start, stop, status = 0, blob.size, 200
    wanted = None
    if _range_allowed(ctx.request.headers.get("if-range"), validators["ETag"]):
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


def _precondition(headers: dict[str, str], digest: str) -> int | None:
    """The status a failed precondition answers, None if they all hold, taken in the order
    of RFC 9110 13.2.2: "If-Match [...] if false, respond 412 (Precondition Failed)",
    then "If-None-Match [...] if false for GET/HEAD, respond 304 (Not Modified)". Both
    come before the Range (step 5), so a matching If-None-Match is 304 even with an
    unsatisfiable Range, as in Go's ServeContent. The two date conditions are ignored:
    a blob has no Last-Modified, and "A recipient MUST ignore the If-Unmodified-Since
    header field if the resource does not have a modification date available" (13.1.4;
    13.1.3 says the same of If-Modified-Since)."""
    if_match = headers.get("if-match")
    # 13.1.1: "An origin server MUST use the strong comparison function".
    if if_match is not None and not _matches(if_match, digest, strong=True):
        return 412
    if_none_match = headers.get("if-none-match")
    # 13.1.2: "A recipient MUST use the weak comparison function".
    if if_none_match is not None and _matches(if_none_match, digest, strong=False):
        return 304
    return None


def _matches(value: str, digest: str, *, strong: bool) -> bool:
    """Whether If-Match's or If-None-Match's value names the blob: "*" names any current
    representation (13.1.1, 13.1.2), else one of its entity tags must be the blob's under
    the comparison given (8.8.3.2: strong, "both are not weak and their opaque-tags match
    character-by-character"; weak, "regardless of either or both being tagged as
    'weak'"). A value that is neither names nothing (the RFC's "Otherwise, the condition
    is false" for If-Match, "true" for If-None-Match): never an error."""
    if value.strip(_OWS) == "*":
        return True
    if _TAG_LIST.fullmatch(value) is None:
        return False
    return any(opaque == digest and not (strong and weak) for weak, opaque in _TAG.findall(value))


def _range_allowed(if_range: str | None, etag: str) -> bool:
    """Whether a Range may be served: without If-Range, yes; with it, only if it is a strong
    match of the ETag (13.1.5: "the condition is true if the entity tag is a strong match";
    an HTTP-date is compared with Last-Modified, which a blob does not have, so it is false;
    "If the validator does not match, then the server MUST ignore the Range header field").
    A strong match of a strong ETag is the same tag, character for character."""
    return if_range is None or if_range.strip(_OWS) == etag
