"""ECR Public's auth flow: the token endpoint, and the bearer token every ``/v2/`` request
carries (docs/aws-behaviour.md, section "Registry protocol")."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING

from .._core.errors import CredentialRefused
from .._core.tokens import anonymous_grant, bearer_grant, password_grant, registry_token
from . import errors
from .context import JSON, Response, ok

if TYPE_CHECKING:
    from .._core.tokens import Grant
    from .._harness.state import MockState
    from .context import Context, Request


def token(ctx: Context) -> Response:
    """A token for the registry: pull-only without credentials; with ``AWS:<password>``
    (a password of this registry's GetAuthorizationToken), pull and push until the
    password expires. The query (scope, service, account, ...) grants nothing more."""
    authorization = ctx.request.headers.get("authorization")
    with ctx.state.lock:
        registry = ctx.registry
        if authorization is None:
            grant = anonymous_grant()
        else:
            grant = password_grant(registry, *_basic(authorization))
        issued = registry_token(registry, grant)
    return Response(200, {"Content-Type": JSON}, json.dumps({"token": issued}).encode())


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


def grant(state: MockState, request: Request) -> Grant:
    """What the request's bearer token grants. Without credentials, the challenge (401);
    with a token the registry did not issue, an expired one, or credentials of another
    scheme (Basic), 400 and no challenge, as public.ecr.aws answers them."""
    authorization = request.headers.get("authorization")
    if authorization is None:
        raise errors.error(errors.NO_TOKEN)
    scheme, _, presented = authorization.partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise CredentialRefused(expired=False)
        with state.lock:
            return bearer_grant(state.registry, presented.strip())
    except CredentialRefused:
        raise errors.error(errors.TOKEN_INVALID) from None


def base(ctx: Context) -> Response:
    """``/v2/``: the API version check a client makes before anything else."""
    return ok(200, {"Content-Type": JSON}, b"{}")
