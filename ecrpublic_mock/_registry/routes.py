"""The registry endpoint's routes in one table, and the one way every request is served.

A route is its path, its methods with their handlers, and the API operation each method
amounts to in the call log (CloudTrail shows registry pushes under those names:
docs/aws-behaviour.md, section "Registry protocol"). Every request but the token
endpoint's needs a bearer token first; a request that changes anything (and every request
of an upload session) needs a token that may push. Faults injected for the operation a
method amounts to are taken before it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._core.errors import CredentialRefused, ServiceError
from .._core.manifests import image_id
from .._core.paths import RepositoryPath, check_access
from .._harness.calls import Call
from .._harness.faults import take_fault
from . import auth, blobs, errors, manifests, referrers, tags, uploads
from .context import BodyCut, Context, Request, Response, challenge, error_answer

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .._harness.state import MockState
    from .context import Body

    # A handler answers at once, or reads the body first (a generator: context.Body).
    Handler = Callable[[Context], Response | Body[Response]]


@dataclass(frozen=True)
class Route:
    """``methods``: each method's handler and the API operation it is logged as (None: a
    read, not logged). ``pushing``: every method pushes (an upload session's do)."""

    pattern: re.Pattern[str]
    methods: Mapping[str, tuple[Handler, str | None]]
    pushing: bool = False
    token_needed: bool = True


def _route(path: str, methods: Mapping[str, tuple[Handler, str | None]], **flags: bool) -> Route:
    return Route(re.compile(path), methods, **flags)


_REPOSITORY = r"/v2/(?P<name>.+)"
ROUTES = (
    _route(r"/token/?", {"GET": (auth.token, None)}, token_needed=False),
    _route(r"/v2/?", {"GET": (auth.base, None), "HEAD": (auth.base, None)}),
    _route(
        _REPOSITORY + r"/manifests/(?P<ref>[^/]+)",
        {
            "GET": (manifests.get, None),
            "HEAD": (manifests.get, None),
            "PUT": (manifests.put, "PutImage"),
            "DELETE": (manifests.delete, "BatchDeleteImage"),
        },
    ),
    _route(_REPOSITORY + r"/blobs/uploads/", {"POST": (uploads.start, "InitiateLayerUpload")}),
    _route(
        _REPOSITORY + r"/blobs/uploads/(?P<ref>[^/]+)",
        {
            "GET": (uploads.status, None),
            "PATCH": (uploads.patch, "UploadLayerPart"),
            "PUT": (uploads.finish, "CompleteLayerUpload"),
            "DELETE": (uploads.cancel, None),
        },
        pushing=True,
    ),
    _route(
        _REPOSITORY + r"/blobs/(?P<ref>[^/]+)",
        {"GET": (blobs.get, None), "HEAD": (blobs.get, None)},
    ),
    _route(_REPOSITORY + r"/tags/list", {"GET": (tags.listing, None)}),
    # OCI 1.1 (distribution-spec v1.1, "Listing Referrers"): a read, not logged.
    _route(_REPOSITORY + r"/referrers/(?P<ref>[^/]+)", {"GET": (referrers.listing, None)}),
)
_READS = ("GET", "HEAD")


def exchange(state: MockState, request: Request) -> Body[Response]:
    """Answer one request, its body sent in part by part as ``context.Body`` says (a
    request with no body to read answers at the first step); every refusal is the
    protocol's error answer. A body that will not come whole is thrown in as
    ``BodyCut``, which ends the exchange with it."""
    try:
        return (yield from _serve(state, request))
    except (ServiceError, CredentialRefused, errors.RegistryError) as refusal:
        error = errors.answer_for(refusal)
        headers = error.headers
        if error.code.status == 401:
            headers = {**headers, "WWW-Authenticate": challenge(request.base)}
        return error_answer(error.code.status, error.code.value, error.message, headers)


def _serve(state: MockState, request: Request) -> Body[Response]:
    matched = _match(request.path)
    # Every path but the token endpoint's wants a token first, even one nothing is at.
    token_needed = matched is None or matched[0].token_needed
    grant = auth.grant(state, request) if token_needed else None
    if matched is None:
        raise errors.error(errors.NO_ROUTE)
    route, fields = matched
    endpoint = route.methods.get(request.method)
    if endpoint is None:
        raise errors.error(errors.OPERATION_UNSUPPORTED, {"Allow": ", ".join(route.methods)})
    handler, operation = endpoint
    pushing = route.pushing or request.method not in _READS
    name, ref = fields.get("name", ""), fields.get("ref", "")
    ctx = Context(state, request, name, ref, pushing, grant)
    if grant is not None:
        with state.lock:
            check_access(state.registry, ctx.path, grant, pushing=ctx.pushing)
    if operation is None:
        return (yield from _run(handler, ctx))
    return (yield from _as_operation(ctx, operation, handler))


def _run(handler: Handler, ctx: Context) -> Body[Response]:
    answered = handler(ctx)
    if isinstance(answered, Response):
        return answered
    return (yield from answered)


def _match(path: str) -> tuple[Route, dict[str, str]] | None:
    """The first route whose pattern the path is, with what the pattern named in it."""
    for route in ROUTES:
        match = route.pattern.fullmatch(path)
        if match is not None:
            return route, match.groupdict()
    return None


def _as_operation(ctx: Context, operation: str, handler: Handler) -> Body[Response]:
    """Run a push as the API operation it amounts to: its injected faults first, then the
    request, logged with its outcome: ``success``, the code refused with, ``BodyCut``'s
    code, or ``InternalFailure`` (a bug in the mock); never a Python class name."""
    state, outcome = ctx.state, "success"
    named = ctx.ref  # an upload's id, once the session starts
    try:
        with state.lock:
            take_fault(state.faults, operation)
        return (yield from _run(handler, ctx))
    except (ServiceError, BodyCut) as error:
        outcome = error.code
        raise
    except errors.RegistryError as error:
        outcome = error.code.value
        raise
    except BaseException:
        outcome = "InternalFailure"
        raise
    finally:
        with state.lock:
            state.calls.append(Call(operation, _logged(operation, ctx.path, named), outcome))


def _logged(operation: str, path: RepositoryPath, ref: str) -> dict[str, object]:
    """The parameters the API call would have had."""
    params: dict[str, object] = {"repositoryName": path.name}
    if path.section:
        params["repositoryType"] = path.kind
    digest, _ = image_id(ref)
    named = {"imageDigest" if digest else "imageTag": ref}
    if operation in ("UploadLayerPart", "CompleteLayerUpload"):
        params["uploadId"] = ref
    elif operation == "PutImage":
        params.update(named)
    elif operation == "BatchDeleteImage":
        params["imageIds"] = [named]
    return params
