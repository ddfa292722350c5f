"""The two kinds of failure: an answer AWS would give, and a bug of the mock's own."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An error AWS would answer: its code, message, HTTP status and extra members.

    Front ends turn it into their own answer (the API's JSON error body, a registry
    protocol error, a botocore ``ClientError``); it never escapes to a caller as itself.
    """

    def __init__(self, code: str, message: str, status: int = 400, **fields: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields


class CredentialRefused(Exception):
    """A registry password or token this registry did not issue, or one that expired:
    the registry protocol answers it in its own terms."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "not issued here")
        self.expired = expired


class EcrPublicMockBug(RuntimeError):
    """Raised to the caller when our own code fails: a bug must never pass for an AWS error."""
