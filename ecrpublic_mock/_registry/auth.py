"""ECR Public's auth flow: the token endpoint, and the bearer token every ``/v2/`` request
carries (docs/aws-behaviour.md, section "Registry protocol")."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING

from .._core.tokens import Grant, anonymous_grant, check_password, check_token, registry_token
from . import errors
from .context import JSON, Response, ok

if TYPE_CHECKING:
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
            username, password = _basic(authorization)
            grant = Grant(push=True, expires=check_password(registry, username, password))
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
    """What the request's bearer token grants; without one, the challenge (401)."""
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    granted = None
    if scheme.lower() == "bearer":
        with state.lock:
            granted = check_token(state.registry, presented.strip())
    if granted is None:
        raise errors.error(errors.NO_TOKEN)
    return granted


def base(ctx: Context) -> Response:
    """``/v2/``: the API version check a client makes before anything else."""
    return ok(200, {"Content-Type": JSON}, b"{}")
