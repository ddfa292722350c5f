"""The call log (``EcrPublicMock.calls``): every call served, in order, as sent on the wire.

Source: ``EcrPublicMock.calls``'s docstring ("every call served so far, in order (the
helpers' own calls are not counted)"), ``ecrpublic_mock/_faults.py`` (``Call``: operation,
params, outcome "success" or the error code; ``succeeded``) and ``_dispatch.answer`` (the
params are the request's JSON body, except that blobs, base64 text on the wire, are kept as
``"<N bytes>"`` since commit 1c1a3eb). Region rules are docs/aws-behaviour.md's: us-west-2 answers
``UnsupportedCommandException`` for everything, ``GetAuthorizationToken`` included.
"""

from __future__ import annotations

import dataclasses
import hashlib

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError, ParamValidationError

from ecrpublic_mock import Call, EcrPublicMockBug, mock_ecr_public
from ecrpublic_mock._api import operations as _operations

NO_RETRY = Config(retries={"total_max_attempts": 1})


@pytest.fixture
def client(ecr):
    return boto3.client("ecr-public", region_name="us-east-1", config=NO_RETRY)


def summary(ecr) -> list[tuple[str, str]]:
    return [(c.operation, c.outcome) for c in ecr.calls]


# --- what is logged ---------------------------------------------------------------------


def test_every_call_in_order(ecr, client):
    client.create_repository(repositoryName="app")
    client.describe_repositories()
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.describe_images(repositoryName="missing")
    client.delete_repository(repositoryName="app")
    assert summary(ecr) == [
        ("CreateRepository", "success"),
        ("DescribeRepositories", "success"),
        ("DescribeImages", "RepositoryNotFoundException"),
        ("DeleteRepository", "success"),
    ]
    assert [c.succeeded for c in ecr.calls] == [True, True, False, True]


def test_calls_are_call_records(ecr, client):
    client.create_repository(repositoryName="app")
    (record,) = ecr.calls
    assert type(record) is Call
    assert record == Call("CreateRepository", {"repositoryName": "app"}, "success")


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("describe_repositories", {}),
        ("describe_repositories", {"maxResults": 5}),
        ("create_repository", {"repositoryName": "team/app"}),
        (
            "create_repository",
            {
                "repositoryName": "app",
                "catalogData": {"description": "d", "architectures": ["x86-64", "ARM 64"]},
                "tags": [{"Key": "team", "Value": "a"}],
            },
        ),
        ("describe_registries", {}),
        ("put_registry_catalog_data", {"displayName": "mine"}),
    ],
)
def test_params_are_the_request_body(ecr, client, method, params):
    """Exactly what botocore serialised: given parameters, no defaults added."""
    getattr(client, method)(**params)
    (record,) = ecr.calls
    assert record.params == params
    assert record.succeeded


@pytest.mark.parametrize("data", [b"x", b"layer bytes", b"\x00\xff\x10", bytes(range(256))])
def test_blobs_are_logged_as_their_size(ecr, client, data):
    """Commit 1c1a3eb (``_faults.logged``): a blob is logged as ``"<N bytes>"``, N its
    decoded size, not as the base64 text sent (a layer part is up to 20 MiB); the other
    parameters are as sent."""
    client.create_repository(repositoryName="app")
    upload_id = client.initiate_layer_upload(repositoryName="app")["uploadId"]
    client.upload_layer_part(
        repositoryName="app",
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    record = ecr.calls[-1]
    assert record == Call(
        "UploadLayerPart",
        {
            "repositoryName": "app",
            "uploadId": upload_id,
            "partFirstByte": 0,
            "partLastByte": len(data) - 1,
            "layerPartBlob": f"<{len(data)} bytes>",
        },
        "success",
    )


@pytest.mark.parametrize("method", ["create_repository", "put_repository_catalog_data"])
def test_nested_blob_is_logged_as_its_size(ecr, client, method):
    """The catalog's logo is a blob one structure down: logged as its size too."""
    logo = b"\x89PNG\r\n\x1a\n"
    if method == "put_repository_catalog_data":
        client.create_repository(repositoryName="app")
    catalog = {"description": "d", "logoImageBlob": logo}
    getattr(client, method)(repositoryName="app", catalogData=catalog)
    assert ecr.calls[-1].params == {
        "repositoryName": "app",
        "catalogData": {"description": "d", "logoImageBlob": f"<{len(logo)} bytes>"},
    }
    assert ecr.calls[-1].succeeded


def test_a_mock_bug_is_logged(ecr, client, monkeypatch):
    """A call that hits a bug in the mock raises EcrPublicMockBug to the caller and is
    logged as ``InternalFailure``, the code a served mock answers it with: an outcome is
    an error code, never a Python class name."""

    def broken(registry, params):
        raise KeyError("oops")

    monkeypatch.setitem(_operations.HANDLERS, "DescribeRegistries", broken)
    with pytest.raises(EcrPublicMockBug):
        client.describe_registries(maxResults=5)
    assert ecr.calls == (Call("DescribeRegistries", {"maxResults": 5}, "InternalFailure"),)
    assert not ecr.calls[0].succeeded


@pytest.mark.parametrize(
    ("method", "params", "operation"),
    [
        ("create_repository", {"repositoryName": "UPPER"}, "CreateRepository"),
        (
            "describe_repositories",
            {"repositoryNames": ["ok", "Bad Name"]},
            "DescribeRepositories",
        ),
        ("describe_images", {"repositoryName": "app", "maxResults": 1001}, "DescribeImages"),
    ],
)
def test_server_side_validation_errors_are_logged(ecr, client, method, params, operation):
    """Constraints botocore does not check client-side reach the mock, which answers
    InvalidParameterException; the call is logged with what was sent."""
    with pytest.raises(client.exceptions.InvalidParameterException):
        getattr(client, method)(**params)
    assert ecr.calls == (Call(operation, params, "InvalidParameterException"),)
    assert not ecr.calls[0].succeeded


def test_client_side_validation_errors_are_not_logged(ecr, client):
    """botocore refuses these before sending: the service (and the mock) never sees them."""
    with pytest.raises(ParamValidationError):
        client.create_repository(repositoryName="a")  # below the model's min length 2
    with pytest.raises(ParamValidationError):
        client.describe_repositories(maxResults="ten")
    assert ecr.calls == ()


WEST_CALLS = [
    ("get_authorization_token", {}, "GetAuthorizationToken"),
    ("describe_repositories", {}, "DescribeRepositories"),
    ("create_repository", {"repositoryName": "app"}, "CreateRepository"),
    ("describe_registries", {}, "DescribeRegistries"),
    ("describe_images", {"repositoryName": "app"}, "DescribeImages"),
]


@pytest.mark.parametrize(("method", "params", "operation"), WEST_CALLS)
def test_us_west_2_refusals_are_logged(ecr, method, params, operation):
    west = boto3.client("ecr-public", region_name="us-west-2", config=NO_RETRY)
    with pytest.raises(west.exceptions.UnsupportedCommandException):
        getattr(west, method)(**params)
    boto3.client("ecr-public", region_name="us-east-1").get_authorization_token()
    assert [(c.operation, c.outcome) for c in ecr.calls] == [
        (operation, "UnsupportedCommandException"),
        ("GetAuthorizationToken", "success"),
    ]


def _west_params_case(case):
    return pytest.param(*case, id=case[0])


@pytest.mark.parametrize(
    ("method", "params", "operation"), [_west_params_case(case) for case in WEST_CALLS]
)
def test_us_west_2_refusals_log_the_params_sent(ecr, method, params, operation):
    west = boto3.client("ecr-public", region_name="us-west-2", config=NO_RETRY)
    with pytest.raises(west.exceptions.UnsupportedCommandException):
        getattr(west, method)(**params)
    assert ecr.calls == (Call(operation, params, "UnsupportedCommandException"),)


def test_a_region_without_endpoint_never_reaches_the_log(ecr):
    """README: any region other than us-east-1/us-west-2 fails as a host with no DNS entry
    would, before anything is sent: nothing reaches the state, nothing is logged."""
    other = boto3.client("ecr-public", region_name="eu-west-1", config=NO_RETRY)
    with pytest.raises(EndpointConnectionError):
        other.describe_repositories()
    assert ecr.calls == ()


def test_injected_faults_are_logged_with_their_code(ecr, client):
    ecr.inject_fault("ThrottlingException", operation="CreateRepository")
    with pytest.raises(ClientError):
        client.create_repository(repositoryName="app")
    client.create_repository(repositoryName="app")
    assert ecr.calls == (
        Call("CreateRepository", {"repositoryName": "app"}, "ThrottlingException"),
        Call("CreateRepository", {"repositoryName": "app"}, "success"),
    )


def test_each_retry_attempt_is_logged(ecr):
    retrying = boto3.client("ecr-public", region_name="us-east-1")
    ecr.inject_fault("ServerException", times=2)
    retrying.describe_registries()
    assert summary(ecr) == [
        ("DescribeRegistries", "ServerException"),
        ("DescribeRegistries", "ServerException"),
        ("DescribeRegistries", "success"),
    ]


# --- what is not logged -----------------------------------------------------------------


def test_helper_calls_are_not_logged(ecr, client):
    client.create_repository(repositoryName="app")
    amd = ecr.push_image("app", tag="amd64", layers=[b"one", b"two"])
    arm = ecr.push_image("app", tag="arm64", platform=("linux", "arm64"))
    ecr.push_index("app", tag="latest", images=[amd, arm])
    assert summary(ecr) == [("CreateRepository", "success")]
    client.describe_images(repositoryName="app")
    assert summary(ecr) == [("CreateRepository", "success"), ("DescribeImages", "success")]


def test_failing_helper_calls_are_not_logged(ecr, client):
    with pytest.raises(ClientError):
        ecr.push_image("missing", tag="v1")
    assert ecr.calls == ()


def test_helpers_do_not_use_up_injected_faults(ecr, client):
    """The helpers serve operations directly, past the fault queue: a fault waits for a
    client's call."""
    client.create_repository(repositoryName="app")
    ecr.inject_fault("ServerException", operation="PutImage")
    ecr.push_image("app", tag="v1")
    with pytest.raises(client.exceptions.ServerException):
        client.put_image(repositoryName="app", imageManifest="{}")
    assert summary(ecr) == [("CreateRepository", "success"), ("PutImage", "ServerException")]


# --- activations and snapshots ----------------------------------------------------------


def test_each_activation_starts_with_an_empty_log():
    handle = mock_ecr_public()
    client = boto3.client("ecr-public", region_name="us-east-1")
    assert handle.calls == ()
    with handle:
        client.create_repository(repositoryName="app")
        assert len(handle.calls) == 1
    assert len(handle.calls) == 1, "the log stays readable after stop()"
    with handle:
        assert handle.calls == ()
        client.describe_repositories()
        assert summary(handle) == [("DescribeRepositories", "success")]


def test_each_decorated_call_starts_with_an_empty_log():
    seen = []
    handle = mock_ecr_public()

    @handle
    def work():
        boto3.client("ecr-public", region_name="us-east-1").describe_registries()

    # The decorator runs a fresh activation per call; the handle itself stays inactive.
    work()
    work()
    assert handle.calls == ()
    with mock_ecr_public() as outer:
        work()
        seen.append(outer.calls)
    assert seen == [()]


def test_only_the_serving_mock_logs(client):
    """The innermost active mock serves, and only it logs the call."""
    with mock_ecr_public() as outer:
        client.describe_registries()
        with mock_ecr_public() as inner:
            client.describe_repositories()
        client.get_registry_catalog_data()
    assert summary(outer) == [
        ("DescribeRegistries", "success"),
        ("GetRegistryCatalogData", "success"),
    ]
    assert summary(inner) == [("DescribeRepositories", "success")]


def test_calls_is_a_tuple_snapshot(ecr, client):
    client.describe_registries()
    earlier = ecr.calls
    assert isinstance(earlier, tuple)
    client.describe_repositories()
    client.create_repository(repositoryName="app")
    assert summary(ecr)[1:] == [
        ("DescribeRepositories", "success"),
        ("CreateRepository", "success"),
    ]
    assert earlier == (Call("DescribeRegistries", {}, "success"),)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_counting_an_operation(ecr, client, count):
    """The README-style assertion ``[...].count("PutImage") == n`` works on the log."""
    client.create_repository(repositoryName="app")
    for _ in range(count):
        with pytest.raises(client.exceptions.InvalidParameterException):
            client.put_image(repositoryName="app", imageManifest="not json")
    client.describe_images(repositoryName="app")
    assert [c.operation for c in ecr.calls].count("PutImage") == count
    assert [c.operation for c in ecr.calls].count("CreateRepository") == 1


def test_call_is_frozen():
    record = Call("PutImage", {}, "success")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.outcome = "ServerException"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("outcome", "succeeded"),
    [("success", True), ("ServerException", False), ("InvalidParameterException", False)],
)
def test_succeeded(outcome, succeeded):
    assert Call("DescribeImages", {}, outcome).succeeded is succeeded


def test_mutating_logged_params_does_not_change_state(ecr, client):
    client.create_repository(repositoryName="app", catalogData={"architectures": ["x86-64"]})
    ecr.calls[0].params["catalogData"]["architectures"].append("ARM")
    answer = client.get_repository_catalog_data(repositoryName="app")["catalogData"]
    assert answer["architectures"] == ["x86-64"]


def test_a_large_request_is_logged_within_its_budget():
    """A body over 64 KiB keeps its strings while they add up to 64 KiB: a longer string
    becomes its UTF-8 size and digest, the items past the budget one summary each
    (docs/user-guide/call-log-and-views.md, "The call log")."""
    from ecrpublic_mock._harness.calls import KEPT, logged

    big = "é" * KEPT  # over the budget by itself: 2 bytes a character in UTF-8
    encoded = big.encode()
    params = {
        "repositoryName": "app",
        "imageManifest": big,
        "many": ["a" * 1000] * 100,
        "more": {f"k{i}": i for i in range(100_000)},
    }
    kept = logged("PutImage", params, size=KEPT + 1)
    digest = "sha256:" + hashlib.sha256(encoded).hexdigest()
    assert kept["repositoryName"] == "app"
    assert kept["imageManifest"] == f"<{len(encoded)} bytes, {digest}>"
    summary = f"<1000 bytes, sha256:{hashlib.sha256(b'a' * 1000).hexdigest()}>"
    whole = kept["many"].index(summary)
    summarised = kept["many"].count(summary)
    rest = len(params["many"]) - whole - summarised
    assert whole == 65  # the budget less the names and summaries before
    assert kept["many"] == ["a" * 1000] * whole + [summary] * summarised + [f"<{rest} more items>"]
    assert summarised > 0
    assert rest > 0
    assert kept["..."] == "<1 more items>"  # "more": the budget is spent
    assert list(kept) == ["repositoryName", "imageManifest", "many", "..."]
    # A body within the budget is kept as it came.
    assert logged("PutImage", params, size=KEPT) is params
