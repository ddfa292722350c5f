"""Assertion and message helpers shared by the test modules.

The message texts are the ones the reference page ``shared/reference/ecr-public-behaviour.md``
gives (sections "Identifiers", "Repositories, policies, tags" and "Service"): every error is
an HTTP 400 answer, RepositoryNotFoundException and RegistryNotFoundException carry the
texts below, and a server-side constraint violation is an InvalidParameterException
``Invalid parameter at '<path>' failed to satisfy constraint: '<constraint>'``.
"""

from __future__ import annotations

import boto3
import pytest

ACCOUNT = "123456789012"


def assert_error(excinfo, code: str, message: str | None = None) -> dict:
    """The ClientError is an HTTP 400 answer with ``code`` and exactly ``message`` if given
    (else some non-empty message); returns the error response."""
    response = excinfo.value.response
    assert response["Error"]["Code"] == code, response["Error"]
    if message is not None:
        assert response["Error"]["Message"] == message
    else:
        assert response["Error"]["Message"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return response


def body(response: dict) -> dict:
    """The answer without botocore's ResponseMetadata."""
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def invalid(path: str, constraint: str) -> str:
    """The InvalidParameterException message for ``path`` failing ``constraint``."""
    return f"Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'"


def repo_not_found(repo: str, registry: str = ACCOUNT) -> str:
    return f"The repository with name '{repo}' does not exist in the registry with id '{registry}'"


def registry_not_found(registry: str) -> str:
    return f"The registry with id '{registry}' does not exist"


def assert_unsupported_in_us_west_2(operation: str, method: str, **params) -> None:
    """Region section (real text): in us-west-2 the client's ``method`` answers
    UnsupportedCommandException ``<operation> command is only supported in us-east-1.``"""
    west = boto3.client("ecr-public", region_name="us-west-2")
    with pytest.raises(west.exceptions.UnsupportedCommandException) as excinfo:
        getattr(west, method)(**params)
    assert_error(
        excinfo,
        "UnsupportedCommandException",
        f"{operation} command is only supported in us-east-1.",
    )
