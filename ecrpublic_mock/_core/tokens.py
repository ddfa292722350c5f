"""Credentials: GetAuthorizationToken's passwords and the registry endpoint's tokens.

A password is of the real form (docs/aws-behaviour.md, "Authorization token"); its
``payload`` carries a MAC under the registry's key over its expiry, so the registry
endpoint can tell its own passwords (and their expiry, on the mock's clock) from anyone
else's without keeping a list of the passwords it issued. The endpoint's bearer tokens are
signed the same way and carry what they grant: pull only (anonymous) or pull and push.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .clock import now, now_in_milliseconds
from .errors import CredentialRefused

if TYPE_CHECKING:
    from .state import Registry

# GetAuthorizationToken's password lasts 12 hours (its expiresAt); a token of the registry
# endpoint lasts 1 hour, and never past the password it came from (oras-project/oras-go#1227:
# "Public ECR tokens expire after 1 hour").
PASSWORD_LIFETIME = datetime.timedelta(hours=12)
REGISTRY_TOKEN_LIFETIME = datetime.timedelta(hours=1)
USERNAME = "AWS"
_NONCE = 64  # the payload is 96 bytes, as in real passwords: a nonce and a SHA-256 MAC
_MAC = hashlib.sha256().digest_size


def _mac(registry: Registry, *parts: bytes) -> bytes:
    return hmac.new(registry.key, b"\x00".join(parts), hashlib.sha256).digest()


def authorization_token(registry: Registry) -> tuple[str, datetime.datetime]:
    """base64 of ``AWS:<password>`` and its expiry, twelve hours from now.

    The password is base64 of compact JSON, as the AWS CLI's get-login-password example
    decodes to.
    """
    expires = now_in_milliseconds() + PASSWORD_LIFETIME
    expiration = int(expires.timestamp())
    nonce = os.urandom(_NONCE)
    payload = nonce + _mac(registry, b"password", nonce, str(expiration).encode())
    password = json.dumps(
        {
            "payload": base64.b64encode(payload).decode(),
            "datakey": base64.b64encode(os.urandom(48)).decode(),
            "version": "3",
            "type": "DATA_KEY",
            "expiration": expiration,
        },
        separators=(",", ":"),
    )
    token = f"{USERNAME}:{base64.b64encode(password.encode()).decode()}"
    return base64.b64encode(token.encode()).decode(), expires


def check_password(registry: Registry, username: str, password: str) -> int:
    """The expiry (epoch seconds) of a password this registry issued to ``AWS``; any other
    credential is refused as the registry endpoint refuses it."""
    try:
        document = json.loads(base64.b64decode(password, validate=True))
        payload = base64.b64decode(document["payload"], validate=True)
        expiration = document["expiration"]
    # A password nested too deep for the JSON decoder (RecursionError) is no password either.
    except (ValueError, TypeError, KeyError, RecursionError, binascii.Error):
        raise CredentialRefused(expired=False) from None
    nonce, mac = payload[:_NONCE], payload[_NONCE:]
    signed = str(expiration).encode()
    if (
        username != USERNAME
        or not isinstance(expiration, int)
        or not hmac.compare_digest(mac, _mac(registry, b"password", nonce, signed))
    ):
        raise CredentialRefused(expired=False)
    if expiration <= now().timestamp():
        raise CredentialRefused(expired=True)
    return expiration


@dataclass(frozen=True)
class Grant:
    """What a registry token allows, until when (epoch seconds)."""

    push: bool
    expires: int


def registry_token(registry: Registry, grant: Grant) -> str:
    """A bearer token for the registry endpoint: the grant and a MAC of it."""
    claims = f"{int(grant.push)}.{grant.expires}".encode()
    mac = _mac(registry, b"registry-token", claims)
    return base64.urlsafe_b64encode(claims + b"." + mac).decode().rstrip("=")


def _login(authorization_token: str) -> tuple[str, str]:
    """(username, password) of an ``authorizationToken``: base64 of ``AWS:<password>``."""
    try:
        decoded = base64.b64decode(authorization_token, validate=True).decode()
    except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
        raise CredentialRefused(expired=False) from None
    username, _, password = decoded.partition(":")
    return username, password


def _token_expiry() -> int:
    return int((now() + REGISTRY_TOKEN_LIFETIME).timestamp())


def anonymous_grant() -> Grant:
    """What a token asked for without credentials grants: pulls, for an hour."""
    return Grant(push=False, expires=_token_expiry())


def password_grant(registry: Registry, username: str, password: str) -> Grant:
    """What a token asked for with GetAuthorizationToken's password grants: pulls and
    pushes, for an hour, and never past the password's own expiry."""
    return Grant(
        push=True, expires=min(check_password(registry, username, password), _token_expiry())
    )


def bearer_grant(registry: Registry, token: str) -> Grant:
    """What a bearer token grants: a token of this registry's endpoint, or the
    ``authorizationToken`` of GetAuthorizationToken itself, which the endpoint takes as a
    bearer token too (kreuzwerker/terraform-provider-docker#666 lists tags with it). Any
    other token, or an expired one, is refused."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        raw = b""
    claims, dot, mac = raw[: -_MAC - 1], raw[-_MAC - 1 : -_MAC], raw[-_MAC:]
    if dot != b"." or not hmac.compare_digest(mac, _mac(registry, b"registry-token", claims)):
        return Grant(push=True, expires=check_password(registry, *_login(token)))
    push, _, expires = claims.partition(b".")  # well formed: this registry signed them
    grant = Grant(push=push == b"1", expires=int(expires))
    if grant.expires <= now().timestamp():
        raise CredentialRefused(expired=True)
    return grant
