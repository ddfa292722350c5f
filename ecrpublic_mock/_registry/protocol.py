"""The OCI Distribution API's push and pull side, and ECR Public's token endpoint.

Each request is answered by :func:`handle`, in a worker thread: it takes the registry's
lock only around the core's operations, never while bytes travel, so a 1 GiB layer moving
in or out holds nobody up. Bodies arrive through ``read`` (the next part, ``b""`` at the
end) and are hashed and kept as they come; blob answers are the stored chunks, streamed.

Every rule is the core's: a manifest PUT is PutImage, an upload is the API's upload
without its part rules, a manifest DELETE is BatchDeleteImage's. Their errors are the
core's texts under the distribution-spec's codes (``errors.py``).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import cache, partial
from typing import TYPE_CHECKING

from .._core import messages
from .._core.errors import CredentialRefused, ServiceError
from .._core.images import find_image, push_manifest, remove
from .._core.manifests import DIGEST, IMAGE_TYPES, LIST_TYPES, V1_TYPES, image_id
from .._core.media_types import DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST
from .._core.premium import check_deletable, entitled_products
from .._core.repositories import find_repository
from .._core.state import ENTITLED_PATH, FREE, PREMIUM, PREMIUM_PATH
from .._core.tokens import Grant, anonymous_grant, check_password, check_token, registry_token
from .._core.uploads import append, end_upload, find_upload, start_upload, store_upload
from .._harness.calls import Call
from .._harness.faults import take_fault
from .._model import service_model
from . import errors

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .._core.state import Repository, Upload
    from .._harness.service import Service

    Read = Callable[[], bytes]

# The registry endpoint's service name, in its challenge (docs/aws-behaviour.md).
SERVICE = "public.ecr.aws"
_API_VERSION = {"Docker-Distribution-API-Version": "registry/2.0"}
_JSON = "application/json; charset=utf-8"

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
_CONTENT_RANGE = re.compile(r"(?:bytes[= ])?([0-9]+)-([0-9]+)")
_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")
_COUNT = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() takes "²" too
_ROUTES = (
    ("manifest", re.compile(r"/v2/(?P<name>.+)/manifests/(?P<ref>[^/]+)")),
    ("upload", re.compile(r"/v2/(?P<name>.+)/blobs/uploads/(?P<ref>[^/]*)")),
    ("blob", re.compile(r"/v2/(?P<name>.+)/blobs/(?P<ref>[^/]+)")),
    ("tags", re.compile(r"/v2/(?P<name>.+)/tags/(?P<ref>list)")),
)
# The methods of the two endpoints that are no route of ``_HANDLERS`` (which says the rest).
_ENDPOINT_METHODS = {"base": ("GET", "HEAD"), "token": ("GET",)}


@dataclass
class Request:
    """What the protocol reads of an HTTP request."""

    method: str
    path: str  # percent-decoded
    query: dict[str, str]  # the first value of each parameter
    headers: dict[str, str]  # lower-case names; a repeated header's values joined by ", "
    base: str  # "http://host:port", as the client addressed the server


@dataclass
class Response:
    """``body``, or ``length`` bytes from ``stream`` (chunks sent as they come)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    stream: Iterable[bytes] | None = None
    length: int | None = None


def handle(service: Service, request: Request, read: Read) -> Response:
    """Answer one request; every refusal is the protocol's error answer."""
    try:
        if request.path in ("/token", "/token/"):
            _allow(request, "token")
            return _token(service, request)
        return _v2(service, request, read)
    except ServiceError as error:  # the core's rules, an injected fault
        return _error(request, errors.from_service(error))
    except CredentialRefused as refused:
        return _error(request, errors.error(_REFUSED[refused.expired]))
    except errors.RegistryError as error:
        return _error(request, error)


# A credential the registry did not issue, or one that expired.
_REFUSED = {False: errors.NOT_AUTHORIZED, True: errors.TOKEN_EXPIRED}


def _error(request: Request, error: errors.RegistryError) -> Response:
    headers = error.headers
    if error.code.status == 401:
        headers = {**headers, "WWW-Authenticate": challenge(request.base)}
    return error_answer(error.code.status, error.code.value, error.message, headers)


def error_answer(status: int, code: str, message: str, headers: dict[str, str]) -> Response:
    """The distribution-spec's error answer: ``{"errors": [{"code", "message"}]}``."""
    body = json.dumps({"errors": [{"code": code, "message": message}]})
    return Response(status, {**_API_VERSION, "Content-Type": _JSON, **headers}, body.encode())


def challenge(base: str) -> str:
    """ECR Public's challenge, with this server's token endpoint as the realm."""
    return f'Bearer realm="{base}/token/",service="{SERVICE}",scope="aws"'


def _allow(request: Request, route: str) -> None:
    allowed = _METHODS[route]
    if request.method not in allowed:
        raise errors.error(errors.OPERATION_UNSUPPORTED, {"Allow": ", ".join(allowed)})


# -- the token endpoint ----------------------------------------------------------------


def _token(service: Service, request: Request) -> Response:
    """A token for the registry: pull-only without credentials; with ``AWS:<password>``
    (a password of this registry's GetAuthorizationToken), pull and push until the
    password expires. The query (scope, service, account, ...) grants nothing more."""
    authorization = request.headers.get("authorization")
    with service.lock:
        registry = service.registry
        if authorization is None:
            grant = anonymous_grant()
        else:
            username, password = _basic(authorization)
            grant = Grant(push=True, expires=check_password(registry, username, password))
        token = registry_token(registry, grant)
    body = json.dumps({"token": token}).encode()
    return Response(200, {"Content-Type": _JSON}, body)


def _basic(authorization: str) -> tuple[str, str]:
    scheme, _, credentials = authorization.partition(" ")
    try:
        if scheme.lower() != "basic":
            raise ValueError(scheme)
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
        raise errors.error(errors.NOT_AUTHORIZED) from None
    username, _, password = decoded.partition(":")
    return username, password


# -- /v2/ -------------------------------------------------------------------------------


def _v2(service: Service, request: Request, read: Read) -> Response:
    grant = _grant(service, request)
    if request.path in ("/v2", "/v2/"):
        _allow(request, "base")
        return _ok(200, {"Content-Type": _JSON}, b"{}")
    for route, pattern in _ROUTES:
        match = pattern.fullmatch(request.path)
        if match is not None:
            name, ref = match["name"], match["ref"]
            if route == "upload" and ref:
                route = "session"
            _allow(request, route)
            # Every upload route is a push, its status included.
            pushing = route == "session" or request.method not in ("GET", "HEAD")
            if pushing and not grant.push:
                raise errors.error(errors.NOT_AUTHORIZED)
            _check_premium(service, name, grant, pushing=pushing)
            answer = _HANDLERS[route, request.method]
            operation = _LOGGED.get((route, request.method))
            if operation is None:
                return answer(service, request, read, name, ref)
            run = partial(answer, service, request, read, name, ref)
            return _as_operation(service, operation, name, ref, run)
    raise errors.RegistryError(
        errors.Code(errors.UNSUPPORTED.value, 404), errors.OPERATION_UNSUPPORTED.template
    )


def _split(name: str) -> tuple[str, str, str]:
    """A repository path as (path kind, alias, repository name): the path kind is
    ``premium`` or ``entitled`` for the premium paths, else empty (docs/aws-behaviour.md,
    section "Premium repositories")."""
    first, _, rest = name.partition("/")
    path = first if first in (PREMIUM_PATH, ENTITLED_PATH) and rest else ""
    alias, _, repository = (rest if path else name).partition("/")
    return path, alias, repository


def _check_premium(service: Service, name: str, grant: Grant, *, pushing: bool) -> None:
    """The premium paths: the publisher's needs the account's credentials; the buyer's is
    pull-only and needs them and an entitlement to the repository (while AVAILABLE or
    HIDDEN). Every refusal is the registry's DENIED."""
    path, alias, repository = _split(name)
    if not path:
        return
    if not grant.push or (path == ENTITLED_PATH and pushing):
        raise errors.error(errors.NOT_AUTHORIZED)
    if path == ENTITLED_PATH:
        with service.lock:
            registry = service.registry
            repo = registry.premium.get(repository) if alias in registry.aliases else None
            if repo is None or not entitled_products(registry, repo):
                raise errors.error(errors.NOT_AUTHORIZED)


def _as_operation(
    service: Service, operation: str, name: str, ref: str, run: Callable[[], Response]
) -> Response:
    """Run a push as the API operation it amounts to: its injected faults first, then the
    request, logged with its outcome."""
    outcome = "success"
    try:
        with service.lock:
            take_fault(service.faults, operation)
        return run()
    except BaseException as error:  # whatever ended it: a refusal, a timeout, ...
        code = getattr(error, "code", type(error).__name__)
        outcome = code.value if isinstance(code, errors.Code) else code
        raise
    finally:
        _log(service, operation, name, ref, outcome)


# The registry's pushes in the call log, as CloudTrail shows them: under the API operation
# each request amounts to (docs/aws-behaviour.md, "Registry protocol").
_LOGGED = {
    ("upload", "POST"): "InitiateLayerUpload",
    ("session", "PATCH"): "UploadLayerPart",
    ("session", "PUT"): "CompleteLayerUpload",
    ("manifest", "PUT"): "PutImage",
    ("manifest", "DELETE"): "BatchDeleteImage",
}


def _log(service: Service, operation: str, name: str, ref: str, outcome: str) -> None:
    path, _, repository = _split(name)
    params: dict[str, object] = {"repositoryName": repository}
    if path:
        params["repositoryType"] = PREMIUM
    digest, _ = image_id(ref)
    named = {"imageDigest" if digest else "imageTag": ref}
    if operation in ("UploadLayerPart", "CompleteLayerUpload"):
        params["uploadId"] = ref
    elif operation == "PutImage":
        params.update(named)
    elif operation == "BatchDeleteImage":
        params["imageIds"] = [named]
    with service.lock:
        service.calls.append(Call(operation, params, outcome))


def _grant(service: Service, request: Request) -> Grant:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    grant = None
    if scheme.lower() == "bearer":
        with service.lock:
            grant = check_token(service.registry, token.strip())
    if grant is None:
        raise errors.error(errors.NO_TOKEN)
    return grant


def _ok(status: int, headers: dict[str, str], body: bytes = b"") -> Response:
    return Response(status, {**_API_VERSION, **headers}, body)


def _repository(service: Service, name: str, *, pushing: bool) -> Repository:
    """The repository ``[premium/|entitled/]<alias>/<name>`` names; caller holds the lock.
    The error names the registry by its alias to a pull (as pulls from public.ecr.aws
    print it) and by its account to a push."""
    registry = service.registry
    path, alias, rest = _split(name)
    if alias not in registry.aliases or not rest:
        raise messages.repository_not_found(rest or name, alias if rest else registry.alias)
    kind = PREMIUM if path else FREE
    if rest not in registry.namespace(kind):
        owner = registry.account_id if pushing else registry.alias
        raise messages.repository_not_found(rest, owner)
    return find_repository(registry, rest, kind)  # its expired images gone


def _digest(value: str | None) -> str:
    if value is None or not DIGEST.fullmatch(value):
        raise errors.error(errors.DIGEST_MALFORMED, digest=value or "")
    return value


# -- blobs ------------------------------------------------------------------------------


def _get_blob(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    digest = _digest(ref)
    with service.lock:
        layer = _repository(service, name, pushing=False).layers.get(digest)
        if layer is None:
            raise errors.error(errors.BLOB_NOT_FOUND)
        blob = layer.blob
    headers = {
        "Content-Type": "application/octet-stream",
        "Docker-Content-Digest": digest,
        "Accept-Ranges": "bytes",
        "ETag": f'"{digest}"',
    }
    start, stop, status = 0, blob.size, 200
    wanted = _byte_range(request.headers.get("range", ""), blob.size)
    if wanted is not None:
        (start, stop), status = wanted, 206
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{blob.size}"
    stream = blob.iter_range(start, stop) if request.method == "GET" else None
    return Response(status, {**_API_VERSION, **headers}, stream=stream, length=stop - start)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The bytes [start, stop) a single ``Range`` asks for: ``bytes=a-b``, ``bytes=a-``
    (to the end) or ``bytes=-n`` (the last n). None for no range, or one that is ignored
    (another unit, several ranges); an unsatisfiable one is refused (416)."""
    wanted = _RANGE.fullmatch(header.strip())
    if wanted is None or not (wanted[1] or wanted[2]):
        return None
    first = int(wanted[1]) if wanted[1] else None
    last = int(wanted[2]) if wanted[2] else None
    if first is None:
        start, stop = max(size - (last or 0), 0), size
    else:
        start, stop = first, size if last is None else min(last + 1, size)
    if start >= size or (last is not None and first is not None and last < first):
        raise errors.error(
            errors.RANGE_REFUSED, {"Content-Range": f"bytes */{size}"}, range=wanted[0], size=size
        )
    return start, stop


def _start_upload(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    """A session (a mount request gets one too), or a whole blob with ``?digest=``."""
    expected = _digest(request.query["digest"]) if "digest" in request.query else None
    with service.lock:
        upload = start_upload(service.registry, _repository(service, name, pushing=True))
    if expected is not None:
        _receive(service, upload.upload_id, read, name)
        return _finish(service, request, name, upload.upload_id, expected)
    return _session(request, name, upload.upload_id, 0, 202)


def _session(request: Request, name: str, upload_id: str, received: int, status: int) -> Response:
    return _ok(
        status,
        {
            "Location": f"{request.base}/v2/{name}/blobs/uploads/{upload_id}",
            "Range": f"0-{max(received - 1, 0)}",
            "Docker-Upload-UUID": upload_id,
        },
    )


def _upload(service: Service, name: str, upload_id: str) -> Upload:
    """An open upload of the repository ``name`` names; caller holds the lock."""
    return find_upload(service.registry, _repository(service, name, pushing=True), upload_id)


def _receive(service: Service, upload_id: str, read: Read, name: str) -> int:
    """Append the request's body to the upload as it arrives; the bytes received so far."""
    while True:
        chunk = read()
        with service.lock:
            upload = _upload(service, name, upload_id)
            if not chunk:
                return upload.received
            append(service.registry, upload, chunk)


def _finish(
    service: Service, request: Request, name: str, upload_id: str, expected: str
) -> Response:
    with service.lock:
        registry = service.registry
        repo = _repository(service, name, pushing=True)
        upload = find_upload(registry, repo, upload_id)
        digest = end_upload(registry, upload)  # over, whether it completes or fails
        if digest != expected:
            raise errors.error(errors.DIGEST_MISMATCH)
        if digest not in repo.layers:  # pushed again: the layer is already there
            store_upload(registry, upload, digest)
    headers = {
        "Location": f"{request.base}/v2/{name}/blobs/{digest}",
        "Docker-Content-Digest": digest,
    }
    return _ok(201, headers)


def _upload_status(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    with service.lock:
        received = _upload(service, name, ref).received
    return _session(request, name, ref, received, 204)


def _patch(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    """A chunk, in order: ``Content-Range`` (optional) must start where the upload is."""
    content_range = request.headers.get("content-range")
    if content_range is not None:
        with service.lock:
            received = _upload(service, name, ref).received
        match = _CONTENT_RANGE.fullmatch(content_range.strip())
        length = request.headers.get("content-length")
        if (
            match is None
            or int(match[1]) != received
            or int(match[2]) < int(match[1])
            or (length is not None and int(length) != int(match[2]) - int(match[1]) + 1)
        ):
            raise errors.error(errors.CONTENT_RANGE_INVALID, range=content_range, received=received)
    received = _receive(service, ref, read, name)
    return _session(request, name, ref, received, 202)


def _put_upload(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    expected = _digest(request.query.get("digest"))
    _receive(service, ref, read, name)
    return _finish(service, request, name, ref, expected)


def _cancel(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    with service.lock:
        registry = service.registry
        end_upload(registry, _upload(service, name, ref))
    return _ok(204, {})


# -- manifests --------------------------------------------------------------------------


def _get_manifest(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    with service.lock:
        image = find_image(_repository(service, name, pushing=False), *image_id(ref))
        if image is None:
            raise errors.error(errors.IMAGE_NOT_FOUND)
        text, media_type, digest = image.manifest, image.media_type, image.digest
    accepted = {
        value.split(";")[0].strip() for value in request.headers.get("accept", "").split(",")
    } - {""}
    if accepted and not accepted & {media_type, "*/*", "application/*"}:
        kind, kinds = _KINDS[media_type]
        raise errors.error(errors.NOT_ACCEPTED, kind=kind, kinds=kinds)
    body = text.encode()
    headers = {"Content-Type": media_type, "Docker-Content-Digest": digest, "ETag": f'"{digest}"'}
    if request.method == "HEAD":
        return Response(200, {**_API_VERSION, **headers}, length=len(body))
    return _ok(200, headers, body)


@cache
def manifest_limit() -> int:
    """The largest manifest PutImage takes (the model's imageManifest length)."""
    limit: int = service_model().shape_for("ImageManifest").metadata["max"]
    return limit


def _put_manifest(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    """PutImage by tag or by digest; the type is the manifest's, or its Content-Type's."""
    if not DIGEST.fullmatch(ref) and not _TAG.fullmatch(ref):
        raise errors.error(errors.TAG_MALFORMED, tag=ref)
    parts, size, limit = [], 0, manifest_limit()
    while chunk := read():
        size += len(chunk)
        if size > limit:
            raise errors.error(errors.MANIFEST_TOO_LARGE, limit=limit)
        parts.append(chunk)
    try:
        text = b"".join(parts).decode()
    except UnicodeDecodeError:
        raise errors.error(errors.MANIFEST_NOT_UTF8) from None
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    known = IMAGE_TYPES | LIST_TYPES | V1_TYPES
    with service.lock:
        repo = _repository(service, name, pushing=True)
        media_type = content_type if content_type in known else None
        image = push_manifest(service.registry, repo, text, ref, media_type)
        digest = image.digest
    headers = {"Location": f"{request.base}/v2/{name}/manifests/{digest}"}
    return _ok(201, {**headers, "Docker-Content-Digest": digest})


def _delete_manifest(
    service: Service, request: Request, read: Read, name: str, ref: str
) -> Response:
    """BatchDeleteImage of one image id: by digest the image goes, by tag the tag."""
    with service.lock:
        repo = _repository(service, name, pushing=True)
        check_deletable(repo)
        result = remove(repo, *image_id(ref))
    if result.failure is not None:
        raise errors.from_failure(*result.failure)
    return _ok(202, {})


# -- tags -------------------------------------------------------------------------------


def _tags(service: Service, request: Request, read: Read, name: str, ref: str) -> Response:
    """The tags in lexical order, ``n`` at a time after ``last`` (distribution-spec)."""
    count = request.query.get("n")
    if count is not None and not _COUNT.fullmatch(count):
        raise errors.error(errors.COUNT_INVALID, n=count)
    with service.lock:
        tags = _repository(service, name, pushing=False).image_tags.sorted_keys()
        start = bisect.bisect_right(tags, request.query["last"]) if "last" in request.query else 0
        stop = len(tags) if count is None else min(start + int(count), len(tags))
        page, more = tags[start:stop], stop < len(tags)
    headers = {"Content-Type": _JSON}
    if more and page:
        query = urllib.parse.urlencode({"n": count, "last": page[-1]})
        headers["Link"] = f'</v2/{name}/tags/list?{query}>; rel="next"'
    return _ok(200, headers, json.dumps({"name": name, "tags": page}).encode())


_HANDLERS: dict[tuple[str, str], Callable[..., Response]] = {
    ("manifest", "GET"): _get_manifest,
    ("manifest", "HEAD"): _get_manifest,
    ("manifest", "PUT"): _put_manifest,
    ("manifest", "DELETE"): _delete_manifest,
    ("upload", "POST"): _start_upload,
    ("session", "GET"): _upload_status,
    ("session", "PATCH"): _patch,
    ("session", "PUT"): _put_upload,
    ("session", "DELETE"): _cancel,
    ("blob", "GET"): _get_blob,
    ("blob", "HEAD"): _get_blob,
    ("tags", "GET"): _tags,
}
# Each route's methods, in the table's order (a 405's Allow lists them).
_METHODS = {
    **_ENDPOINT_METHODS,
    **{route: tuple(m for r, m in _HANDLERS if r == route) for route, _ in _HANDLERS},
}
