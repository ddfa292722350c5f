"""Errors the mock answers with, as the service would put them on the wire."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An AWS error answer: becomes a JSON ``{"__type", "message"}`` body, never a Python raise."""

    def __init__(self, code: str, message: str, status: int = 400, **fields: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields


class EcrPublicMockBug(RuntimeError):
    """Raised to the caller when our own code fails: a bug must never pass for an AWS error."""


def invalid_parameter(path: str, constraint: str) -> ServiceError:
    """The server-side validation error, in ECR's own wording (reference page)."""
    return ServiceError(
        "InvalidParameterException",
        f"Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'",
    )


def repository_not_found(name: str, registry_id: str) -> ServiceError:
    return ServiceError(
        "RepositoryNotFoundException",
        f"The repository with name '{name}' does not exist in the registry with id '{registry_id}'",
    )
