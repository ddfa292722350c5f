"""aiobotocore clients are served by the same mock, with the same errors.

aiobotocore pins botocore tightly, so these tests run in a tox env of their own
(``tox -e aio``); elsewhere the module is skipped with that reason.
"""

import asyncio

import pytest

aiobotocore_session = pytest.importorskip(
    "aiobotocore.session", reason="aiobotocore is not installed here; run `tox -e aio`"
)

from botocore.exceptions import ClientError, EndpointConnectionError  # noqa: E402

from ecrpublic_mock import mock_ecr_public  # noqa: E402


def run(coroutine):
    return asyncio.run(coroutine)


def client(region="us-east-1"):
    session = aiobotocore_session.get_session()
    return session.create_client(
        "ecr-public",
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_repositories_through_aiobotocore():
    async def scenario():
        async with mock_ecr_public() as ecr, client() as ecrpub:
            created = await ecrpub.create_repository(repositoryName="app")
            listed = await ecrpub.describe_repositories()
            return ecr, created, listed

    ecr, created, listed = run(scenario())
    assert created["repository"]["repositoryUri"] == f"public.ecr.aws/{ecr.registry_alias}/app"
    assert [r["repositoryName"] for r in listed["repositories"]] == ["app"]


def test_modeled_errors_through_aiobotocore():
    async def scenario():
        async with mock_ecr_public(), client() as ecrpub:
            await ecrpub.create_repository(repositoryName="app")
            with pytest.raises(ecrpub.exceptions.RepositoryAlreadyExistsException) as excinfo:
                await ecrpub.create_repository(repositoryName="app")
            return excinfo.value.response

    response = run(scenario())
    assert response["Error"] == {
        "Code": "RepositoryAlreadyExistsException",
        "Message": "The repository with name 'app' already exists in the registry with id "
        "'123456789012'",
    }
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_push_and_describe_through_aiobotocore():
    async def scenario():
        async with mock_ecr_public() as ecr, client() as ecrpub:
            await ecrpub.create_repository(repositoryName="app")
            digest = ecr.push_image("app", tag="v1", layers=[b"layer"])
            images = await ecrpub.describe_images(repositoryName="app")
            return digest, images["imageDetails"]

    digest, details = run(scenario())
    assert [(d["imageDigest"], d["imageTags"]) for d in details] == [(digest, ["v1"])]


def test_regions_through_aiobotocore():
    async def scenario():
        async with mock_ecr_public():
            async with client("us-east-1") as east:
                token = await east.get_authorization_token()
            async with client("us-west-2") as west:
                with pytest.raises(ClientError) as unsupported:
                    await west.describe_repositories()
            async with client("eu-west-1") as nowhere:
                with pytest.raises(EndpointConnectionError):
                    await nowhere.describe_repositories()
            return token, unsupported.value.response["Error"]

    token, error = run(scenario())
    assert token["authorizationData"]["authorizationToken"]
    assert error == {
        "Code": "UnsupportedCommandException",
        "Message": "DescribeRepositories command is only supported in us-east-1.",
    }


def test_injected_throttling_is_retried_without_sleeping(monkeypatch):
    """aiobotocore retries with asyncio.sleep; the mock's answers are retried at once."""
    slept = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds, *args, **kwargs):
        slept.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)

    async def scenario():
        async with mock_ecr_public() as ecr, client() as ecrpub:
            ecr.inject_fault("ThrottlingException", operation="DescribeRepositories", times=2)
            response = await ecrpub.describe_repositories()
            return ecr, response

    ecr, response = run(scenario())
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert [call.outcome for call in ecr.calls] == [
        "ThrottlingException",
        "ThrottlingException",
        "success",
    ]
    assert [s for s in slept if s > 0] == []
