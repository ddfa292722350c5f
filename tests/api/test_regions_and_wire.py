"""Regions, the wire (status codes, request ids), interception and coexistence with moto.

Region behaviour is from docs/aws-behaviour.md, section "Regions": repository, image,
registry and catalog operations exist only in us-east-1; us-west-2 answers every
operation, GetAuthorizationToken included, with ``UnsupportedCommandException``
``<Operation> command is only supported in us-east-1.`` (real text, seen for
DescribeRepositories and GetAuthorizationToken); any other region has no endpoint (no DNS),
so the client sees ``EndpointConnectionError``. Error answers are HTTP 400 JSON bodies
(section "Service").
"""

import boto3
import botocore.exceptions
import botocore.httpsession
import pytest
from _support import assert_unsupported_in_us_west_2
from botocore.awsrequest import AWSResponse

from ecrpublic_mock import mock_ecr_public

FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

# Valid input for a selection of operations (from the model's required members).
OPERATIONS = {
    "DescribeRepositories": ("describe_repositories", {}),
    "CreateRepository": ("create_repository", {"repositoryName": "app"}),
    "DeleteRepository": ("delete_repository", {"repositoryName": "app"}),
    "DescribeRegistries": ("describe_registries", {}),
    "DescribeImages": ("describe_images", {"repositoryName": "app"}),
    "DescribeImageTags": ("describe_image_tags", {"repositoryName": "app"}),
    "GetRegistryCatalogData": ("get_registry_catalog_data", {}),
    "GetRepositoryPolicy": ("get_repository_policy", {"repositoryName": "app"}),
    "InitiateLayerUpload": ("initiate_layer_upload", {"repositoryName": "app"}),
    "PutImage": ("put_image", {"repositoryName": "app", "imageManifest": "{}"}),
    "ListTagsForResource": (
        "list_tags_for_resource",
        {"resourceArn": "arn:aws:ecr-public::123456789012:repository/app"},
    ),
}


class NetworkUsed(Exception):
    """Raised by the patched HTTP session: nothing may reach the network."""


def block_network(monkeypatch):
    """From now on botocore's HTTP session raises if anything tries to send a request
    (credential lookups included). Returns the list of URLs that were attempted."""
    calls = []

    def send(self, request):
        calls.append(request.url)
        raise NetworkUsed(request.url)

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", send)
    return calls


@pytest.fixture
def no_network(ecr, monkeypatch):
    """Network blocked while the mock is active (clients are created inside the mock)."""
    return block_network(monkeypatch)


# --------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_us_west_2_answers_unsupported_command(ecr, no_network, operation):
    """docs/aws-behaviour.md, section "Regions": ``<Operation> command is only supported
    in us-east-1.``"""
    method, params = OPERATIONS[operation]
    assert_unsupported_in_us_west_2(operation, method, **params)
    assert no_network == []


def test_us_west_2_changes_nothing_in_us_east_1(ecr):
    east = boto3.client("ecr-public", region_name="us-east-1")
    west = boto3.client("ecr-public", region_name="us-west-2")
    east.create_repository(repositoryName="keep")
    with pytest.raises(west.exceptions.UnsupportedCommandException):
        west.create_repository(repositoryName="app")
    with pytest.raises(west.exceptions.UnsupportedCommandException):
        west.delete_repository(repositoryName="keep")
    names = [r["repositoryName"] for r in east.describe_repositories()["repositories"]]
    assert names == ["keep"]


def test_us_west_2_refuses_get_authorization_token_too(ecr, no_network):
    """docs/aws-behaviour.md, section "Regions" (real text): "GetAuthorizationToken
    command is only supported in us-east-1." (codeship-library/aws-utilities#117,
    aws/aws-cdk#24244): an answer of the endpoint, never a connection error."""
    assert_unsupported_in_us_west_2("GetAuthorizationToken", "get_authorization_token")
    assert no_network == []


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2", "us-east-2", "eu-central-1"])
@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("describe_repositories", {}),
        ("create_repository", {"repositoryName": "app"}),
        ("get_authorization_token", {}),
    ],
    ids=["describe", "create", "token"],
)
def test_other_regions_have_no_endpoint(ecr, no_network, region, method, params):
    """docs/aws-behaviour.md, section "Regions": any other region has no endpoint at all
    (no DNS): the client sees ``EndpointConnectionError``, never an HTTP answer. The
    mock answers at once: one attempt, no retry back-off, no real network."""
    other = boto3.client("ecr-public", region_name=region)
    attempts = []
    other.meta.events.register(
        "needs-retry.ecr-public", lambda **kwargs: attempts.append(kwargs) and None
    )
    with pytest.raises(botocore.exceptions.EndpointConnectionError) as excinfo:
        getattr(other, method)(**params)
    assert region in str(excinfo.value)
    # No retry was even considered (so no back-off): unit tests assert no timings.
    assert attempts == [], f"{len(attempts)} retry decisions"
    assert no_network == []
    east = boto3.client("ecr-public", region_name="us-east-1")
    assert east.describe_repositories()["repositories"] == []


# --------------------------------------------------------------------------------------
# The wire: status codes and request ids
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("delete_repository", {"repositoryName": "missing"}, "RepositoryNotFoundException"),
        ("describe_repositories", {"maxResults": 1001}, "InvalidParameterException"),
        ("create_repository", {"repositoryName": "Bad"}, "InvalidParameterException"),
    ],
)
def test_errors_are_http_400_with_request_id(client, method, params, code):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        getattr(client, method)(**params)
    response = excinfo.value.response
    metadata = response["ResponseMetadata"]
    assert response["Error"]["Code"] == code
    assert metadata["HTTPStatusCode"] == 400
    assert metadata["HTTPHeaders"]["x-amzn-requestid"]
    assert metadata["RequestId"] == metadata["HTTPHeaders"]["x-amzn-requestid"]


def test_already_exists_is_http_400(client):
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryAlreadyExistsException) as excinfo:
        client.create_repository(repositoryName="app")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert excinfo.value.response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]


def test_success_carries_request_id(client):
    created = client.create_repository(repositoryName="app")
    described = client.describe_repositories()
    ids = []
    for response in (created, described):
        metadata = response["ResponseMetadata"]
        assert metadata["HTTPStatusCode"] == 200
        assert metadata["RequestId"]
        assert metadata["HTTPHeaders"]["x-amzn-requestid"] == metadata["RequestId"]
        ids.append(metadata["RequestId"])
    assert ids[0] != ids[1], "request ids must differ from request to request"


def test_responses_are_json_1_1(client):
    """docs/aws-behaviour.md, section "Service": JSON 1.1 protocol."""
    metadata = client.describe_repositories()["ResponseMetadata"]
    assert metadata["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1"


def test_request_ids_are_unique_across_errors(client):
    seen = set()
    for _ in range(5):
        with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
            client.delete_repository(repositoryName="missing")
        seen.add(excinfo.value.response["ResponseMetadata"]["RequestId"])
    assert len(seen) == 5


# --------------------------------------------------------------------------------------
# Interception: which clients are served, and never the network
# --------------------------------------------------------------------------------------


def test_no_network_while_mocked(ecr, no_network):
    client = boto3.client("ecr-public", region_name="us-east-1")
    client.create_repository(repositoryName="app")
    assert [r["repositoryName"] for r in client.describe_repositories()["repositories"]] == ["app"]
    client.delete_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.delete_repository(repositoryName="app")
    assert no_network == []


@pytest.mark.parametrize("credentials", [{}, FAKE_CREDENTIALS], ids=["default", "explicit"])
def test_client_created_before_the_mock_is_served(monkeypatch, credentials):
    client = boto3.client("ecr-public", region_name="us-east-1", **credentials)
    attempted = block_network(monkeypatch)
    with mock_ecr_public() as ecr:
        repo = client.create_repository(repositoryName="app")["repository"]
        assert repo["repositoryUri"] == f"public.ecr.aws/{ecr.registry_alias}/app"
        assert client.describe_repositories()["repositories"] == [repo]
    assert attempted == []


def _probe(client):
    """A ``before-send`` handler that answers in place of the network, and records."""
    seen = []

    def handler(request, **kwargs):
        seen.append(request)
        return AWSResponse(request.url, 200, {}, _RawBody(b'{"repositories": []}'))

    client.meta.events.register("before-send.ecr-public", handler)
    return seen


class _RawBody:
    """The minimal raw stream AWSResponse reads its content from."""

    def __init__(self, data):
        self._data = data

    def stream(self, *args, **kwargs):
        yield self._data


@pytest.mark.parametrize("created", ["before", "during"])
def test_after_stop_requests_go_out_again(created):
    """Once the mock stops, a client's requests take botocore's real path again: a probe
    standing in for the network sees the request (and the mock's state is not used)."""
    client = None
    if created == "before":
        client = boto3.client("ecr-public", region_name="us-east-1", **FAKE_CREDENTIALS)
    with mock_ecr_public():
        if client is None:
            client = boto3.client("ecr-public", region_name="us-east-1", **FAKE_CREDENTIALS)
        client.create_repository(repositoryName="app")
    seen = _probe(client)
    response = client.describe_repositories()
    assert response["repositories"] == []
    assert len(seen) == 1
    request = seen[0]
    assert request.url == "https://api.ecr-public.us-east-1.amazonaws.com/"
    target = request.headers["X-Amz-Target"]
    target = target.decode() if isinstance(target, bytes) else target
    assert target == "SpencerFrontendService.DescribeRepositories"


def test_client_never_mocked_goes_out():
    """Control for the probe: a client in a process where no mock is active is answered
    by the probe."""
    client = boto3.client("ecr-public", region_name="us-east-1", **FAKE_CREDENTIALS)
    seen = _probe(client)
    assert client.describe_repositories()["repositories"] == []
    assert len(seen) == 1


# --------------------------------------------------------------------------------------
# Coexistence with moto
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["moto-outside", "moto-inside"])
def test_coexists_with_moto(order):
    """ecr-public calls are served by this mock whichever is entered first; other
    services (s3) still go to moto."""
    from moto import mock_aws

    first, second = (mock_aws(), mock_ecr_public())
    if order == "moto-inside":
        first, second = second, first
    with first as outer, second as inner:
        ecr = inner if order == "moto-outside" else outer
        client = boto3.client("ecr-public", region_name="us-east-1")
        repo = client.create_repository(repositoryName="app")["repository"]
        assert repo["repositoryUri"] == f"public.ecr.aws/{ecr.registry_alias}/app"
        assert client.describe_repositories()["repositories"] == [repo]
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="coexistence-bucket")
        assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["coexistence-bucket"]
