"""Assertion and message helpers shared by the test modules.

The message texts are the ones ``docs/aws-behaviour.md`` gives (sections "Identifiers",
"Repositories", "Service" and "Validation"): every client error is an HTTP 400 answer,
RepositoryNotFoundException and RegistryNotFoundException carry the texts below, and a
server-side constraint violation is an InvalidParameterException ``Invalid parameter at
'<path>' failed to satisfy constraint: '<constraint>'``.
"""

from __future__ import annotations

import hashlib

import boto3
import botocore.session
import pytest

ACCOUNT = "123456789012"

# The installed botocore's ecr-public model: what the tests take their expectations from.
MODEL = botocore.session.get_session().get_service_model("ecr-public")
# botocore 1.44.18's model added premium repositories (and 18 more operations); an older
# model has none, and their tests skip by model, never by version number.
PREMIUM_MODEL = "CreatePremiumRepository" in MODEL.operation_names
needs_premium = pytest.mark.skipif(
    not PREMIUM_MODEL, reason="this botocore's ecr-public model has no premium repositories"
)
# The options under which the mock may hold premium repositories (a verified registry with
# a custom alias).
PREMIUM_OPTIONS = {"registry_verified": True, "registry_alias": "acme"}
# The marks of a module of premium tests: skipped by model, and a mock that may hold them.
PREMIUM_MODULE = [needs_premium, pytest.mark.ecr_public(**PREMIUM_OPTIONS)]


def make_premium(client, name: str = "app", products=("prod-1",), state: str = "AVAILABLE"):
    """A premium repository with ``products``, moved from DRAFT to ``state``."""
    client.create_premium_repository(repositoryName=name, marketplaceProducts=list(products))
    for step in {"DRAFT": (), "AVAILABLE": ("AVAILABLE",), "HIDDEN": ("AVAILABLE", "HIDDEN")}[
        state
    ]:
        client.set_repository_state(repositoryName=name, repositoryType="PREMIUM", state=step)


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


# -- a probe that tells whether a mock answered --------------------------------------------

PROBE_HEADER = "x-ecrpublic-mock-test-probe"


class CannedBody:
    """A canned body: AWSResponse reads ``raw.stream()``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **kwargs):
        yield self._data


def probed_client():
    """A client whose last ``before-send`` handler offers a marked, empty answer.

    botocore calls every ``before-send`` handler and uses the first answer, so the probe is
    consulted even while a mock serves; only its marker header in the response says that
    nothing answered before it. One attempt, no retries.
    """
    import boto3
    from botocore.awsrequest import AWSResponse
    from botocore.config import Config

    ecr = boto3.client(
        "ecr-public",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )
    consulted: list[str] = []

    def probe(request, **kwargs):
        consulted.append(request.url)
        body = CannedBody(b'{"repositories": []}')
        return AWSResponse(request.url, 200, {PROBE_HEADER: "1"}, body)

    ecr.meta.events.register_last("before-send.ecr-public", probe)
    return ecr, consulted


def answered_by_probe(response) -> bool:
    return PROBE_HEADER in response["ResponseMetadata"]["HTTPHeaders"]


def assert_not_served() -> None:
    """No mock is active: a request goes through to the send stage unanswered."""
    ecr, consulted = probed_client()
    response = ecr.describe_repositories()
    assert consulted, "the request never reached the send stage"
    assert answered_by_probe(response), "something answered ecr-public before the probe"
    assert response["repositories"] == []


def open_upload(client, repo: str, data: bytes) -> str:
    """An upload of ``repo`` with ``data`` as its one part, left open; its id."""
    upload_id = client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    client.upload_layer_part(
        repositoryName=repo,
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    return upload_id


def upload_layer(client, repo: str, data: bytes) -> str:
    """``data`` as a layer of ``repo`` through the API's upload path, in one part; its
    digest."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    upload_id = open_upload(client, repo, data)
    client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[digest])
    return digest
