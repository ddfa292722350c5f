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

from .clock import now
from .errors import CredentialRefused

if TYPE_CHECKING:
    from .state import Registry

TOKEN_LIFETIME = datetime.timedelta(hours=12)
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
    expires = now() + TOKEN_LIFETIME
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
    except (ValueError, TypeError, KeyError, binascii.Error):
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


def anonymous_grant() -> Grant:
    return Grant(push=False, expires=int((now() + TOKEN_LIFETIME).timestamp()))


def check_token(registry: Registry, token: str) -> Grant | None:
    """The grant of a token this registry issued and that is still valid; None for any
    token it did not issue. An expired one is refused."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return None
    claims, dot, mac = raw[: -_MAC - 1], raw[-_MAC - 1 : -_MAC], raw[-_MAC:]
    if dot != b"." or not hmac.compare_digest(mac, _mac(registry, b"registry-token", claims)):
        return None
    push, _, expires = claims.partition(b".")  # well formed: this registry signed them
    grant = Grant(push=push == b"1", expires=int(expires))
    if grant.expires <= now().timestamp():
        raise CredentialRefused(expired=True)
    return grant
