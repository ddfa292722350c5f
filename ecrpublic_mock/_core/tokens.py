"""Authorization tokens, of the real form (docs/aws-behaviour.md, "Authorization token")."""

from __future__ import annotations

import base64
import datetime
import json
import os

from .clock import now

TOKEN_LIFETIME = datetime.timedelta(hours=12)


def authorization_token() -> tuple[str, datetime.datetime]:
    """base64 of ``AWS:<password>`` and its expiry, twelve hours from now.

    The password is base64 of compact JSON, as the AWS CLI's get-login-password example
    decodes to.
    """
    expires = now() + TOKEN_LIFETIME
    password = json.dumps(
        {
            "payload": base64.b64encode(os.urandom(96)).decode(),
            "datakey": base64.b64encode(os.urandom(48)).decode(),
            "version": "3",
            "type": "DATA_KEY",
            "expiration": int(expires.timestamp()),
        },
        separators=(",", ":"),
    )
    token = f"AWS:{base64.b64encode(password.encode()).decode()}"
    return base64.b64encode(token.encode()).decode(), expires
