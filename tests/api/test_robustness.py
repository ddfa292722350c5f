"""Malformed requests never crash the mock, and the mock's own bugs are never disguised.

The mock's rule: bad input never crashes; every malformed request gets the ClientError
AWS would send, and an unexpected exception inside the mock is a bug that surfaces to
the test with the operation named, never disguised as an AWS error. JSON services answer
a body they cannot deserialize with ``SerializationException`` (botocore's JSON protocol
docs; docs/aws-behaviour.md, sections "Validation" and "Where the mock chooses"); the
exact texts are the mock's own.
"""

import json

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from ecrpublic_mock import Call, EcrPublicMockBug, mock_ecr_public
from ecrpublic_mock._api import operations as _operations
from ecrpublic_mock._api.dispatch import answer
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._harness.state import MockState


@pytest.fixture
def unvalidated():
    """A client that sends whatever it is given, as another SDK or a raw caller could."""
    with mock_ecr_public() as ecr:
        yield (
            ecr,
            boto3.client(
                "ecr-public", region_name="us-east-1", config=Config(parameter_validation=False)
            ),
        )


@pytest.mark.parametrize(
    ("operation", "params", "path", "expected"),
    [
        ("create_repository", {"repositoryName": 5}, "repositoryName", "string"),
        ("describe_repositories", {"maxResults": "10"}, "maxResults", "integer"),
        ("delete_repository", {"repositoryName": "app", "force": "yes"}, "force", "boolean"),
        (
            "create_repository",
            {"repositoryName": "app", "catalogData": {"description": 3}},
            "catalogData.description",
            "string",
        ),
    ],
)
def test_wrong_json_types_are_serialization_errors(unvalidated, operation, params, path, expected):
    """A member of the wrong JSON type cannot be deserialized: SerializationException."""
    _, client = unvalidated
    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(**params)
    error = excinfo.value.response["Error"]
    assert error["Code"] == "SerializationException"
    assert error["Message"] == (
        f"Unexpected value type in payload at '{path}': expected {expected}"
    )
    assert client.describe_repositories()["repositories"] == []


def test_missing_required_member_is_invalid_parameter(unvalidated):
    """A required member left out reaches the state, which says it must not be null."""
    _, client = unvalidated
    with pytest.raises(ClientError) as excinfo:
        client.create_repository()
    assert excinfo.value.response["Error"] == {
        "Code": "InvalidParameterException",
        "Message": "Invalid parameter at 'repositoryName' failed to satisfy constraint: "
        "'must not be null'",
    }


@pytest.mark.parametrize(
    ("body", "path", "expected"),
    [
        ({"repositoryNames": "app"}, "repositoryNames", "list"),
        ({"repositoryNames": [7]}, "repositoryNames", "string"),
        ({"maxResults": True}, "maxResults", "integer"),
    ],
)
def test_wrong_json_types_in_raw_bodies(body, path, expected):
    """Bodies botocore's serializer would never produce, as another client could send."""
    state = MockState(Settings())
    status, _, data = answer(state, "DescribeRepositories", "us-east-1", json.dumps(body))
    assert status == 400
    assert json.loads(data) == {
        "__type": "SerializationException",
        "message": f"Unexpected value type in payload at '{path}': expected {expected}",
    }


@pytest.mark.parametrize("operation", ["create_repository", "tag_resource"])
def test_a_tag_without_a_key(unvalidated, operation):
    """The model does not make Tag.Key required; a tag without one is still refused."""
    _ecr, client = unvalidated
    arn = client.create_repository(repositoryName="app")["repository"]["repositoryArn"]
    call = (
        (lambda: client.create_repository(repositoryName="other", tags=[{"Value": "v"}]))
        if operation == "create_repository"
        else (lambda: client.tag_resource(resourceArn=arn, tags=[{"Value": "v"}]))
    )
    with pytest.raises(ClientError) as excinfo:
        call()
    assert excinfo.value.response["Error"] == {
        "Code": "InvalidParameterException",
        "Message": "Invalid parameter at 'tags' failed to satisfy constraint: "
        "'must satisfy constraint: [Key must not be null]'",
    }
    assert [r["repositoryName"] for r in client.describe_repositories()["repositories"]] == ["app"]
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == []


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', "{bad"])
def test_bodies_that_are_not_a_json_object(body):
    """Bytes or text that are not a JSON object: SerializationException, state untouched."""
    state = MockState(Settings())
    status, headers, data = answer(state, "CreateRepository", "us-east-1", body)
    assert status == 400
    assert json.loads(data)["__type"] == "SerializationException"
    assert headers["x-amzn-RequestId"]
    assert len(state.registry.repositories) == 0


def test_an_empty_body_is_an_empty_request():
    state = MockState(Settings())
    status, _, data = answer(state, "DescribeRepositories", "us-east-1", b"")
    assert (status, json.loads(data)) == (200, {"repositories": []})


def test_a_bug_in_the_mock_surfaces_with_the_operation_named(monkeypatch):
    """Never a ClientError: a test must see that the mock, not AWS, failed."""

    def broken(request):
        raise KeyError("oops")

    monkeypatch.setitem(_operations.HANDLERS, "DescribeRepositories", broken)
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1")
        with pytest.raises(EcrPublicMockBug, match="while serving DescribeRepositories") as info:
            client.describe_repositories()
    assert isinstance(info.value.__cause__, KeyError)


# -- an operation of a newer model --------------------------------------------------------

UNSERVED = "FrobnicateRepository"


@pytest.fixture
def newer_botocore(tmp_path):
    """A botocore session whose ecr-public model has one operation more than the
    installed one (as a newer botocore's would): the installed service-2.json, plus
    FrobnicateRepository, in a data directory searched before botocore's own."""
    # A fresh session's loader: the dict changed below is no other session's cached model.
    loader = botocore.session.get_session().get_component("data_loader")
    document = loader.load_service_model("ecr-public", "service-2")
    document["operations"][UNSERVED] = {
        "name": UNSERVED,
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "FrobnicateRepositoryRequest"},
        "output": {"shape": "FrobnicateRepositoryResponse"},
        "errors": [{"shape": "RepositoryNotFoundException"}],
    }
    document["shapes"]["FrobnicateRepositoryRequest"] = {
        "type": "structure",
        "required": ["repositoryName"],
        "members": {
            "repositoryName": {"shape": "RepositoryName"},
            "maxResults": {"shape": "MaxResults"},
        },
    }
    document["shapes"]["FrobnicateRepositoryResponse"] = {"type": "structure", "members": {}}
    folder = tmp_path / "ecr-public" / document["metadata"]["apiVersion"]
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(document))
    session = botocore.session.Session()
    session.get_component("data_loader").search_paths.insert(0, str(tmp_path))
    assert UNSERVED in session.get_service_model("ecr-public").operation_names
    return session


def test_an_operation_the_mock_does_not_serve_is_a_clean_error(newer_botocore):
    """docs/aws-behaviour.md, section "Premium repositories" ("Older and newer
    botocore"): an operation a newer botocore's client sends, which the mock has no
    handler for, is ``UnknownOperationException`` (HTTP 400) ``ecrpublic-mock does not
    serve the operation <Name> yet``: a ClientError, never a crash. The call log records
    it with that outcome, and the mock serves on, its state untouched."""
    with mock_ecr_public() as ecr:
        client = newer_botocore.create_client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        with pytest.raises(ClientError) as excinfo:
            client.frobnicate_repository(repositoryName="app", maxResults=5)
        assert excinfo.value.response["Error"] == {
            "Code": "UnknownOperationException",
            "Message": "ecrpublic-mock does not serve the operation FrobnicateRepository yet",
        }
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert excinfo.value.operation_name == UNSERVED
        assert ecr.calls[-1] == Call(
            UNSERVED, {"repositoryName": "app", "maxResults": 5}, "UnknownOperationException"
        )
        assert not ecr.calls[-1].succeeded
        names = [r["repositoryName"] for r in client.describe_repositories()["repositories"]]
        assert names == ["app"]
        assert [call.operation for call in ecr.calls] == [
            "CreateRepository",
            UNSERVED,
            "DescribeRepositories",
        ]
