"""A typed user test module: what a project checked with ``mypy --strict`` writes.

Not collected by the suite (the name has no ``test_`` prefix): tests/activation/test_typing.py runs
mypy on it, and runs it with pytest to show it is a working test module too.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.exceptions import ClientError

from ecrpublic_mock import EcrPublicMock, mock_ecr_public

if TYPE_CHECKING:
    from collections.abc import Mapping

    from types_boto3_ecr_public import ECRPublicClient
    from types_boto3_ecr_public.type_defs import ImageDetailTypeDef, RepositoryTypeDef


def client() -> ECRPublicClient:
    return boto3.client("ecr-public", region_name="us-east-1")


def upload(ecr: ECRPublicClient, repository: str, data: bytes) -> dict[str, str | int]:
    upload_id: str = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=repository,
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    ecr.complete_layer_upload(repositoryName=repository, uploadId=upload_id, layerDigests=[digest])
    return {"digest": digest, "size": len(data)}


def test_fixtures(ecr_public_client: ECRPublicClient, ecr_public: EcrPublicMock) -> None:
    repo: RepositoryTypeDef = ecr_public_client.create_repository(repositoryName="app")[
        "repository"
    ]
    assert repo["repositoryUri"] == f"public.ecr.aws/{ecr_public.registry_alias}/app"
    digest: str = ecr_public.push_image("app", tag="v1", layers=[b"layer"])
    ecr_public.set_image_tag_mutability("app", "IMMUTABLE")
    details: list[ImageDetailTypeDef] = ecr_public_client.describe_images(repositoryName="app")[
        "imageDetails"
    ]
    assert [d["imageDigest"] for d in details] == [digest]
    tags: Mapping[str, str] = ecr_public.repositories["app"].tags
    assert tags["v1"] == digest
    assert ecr_public.active


@pytest.mark.ecr_public(account_id="111122223333")
def test_marker(ecr_public_client: ECRPublicClient, ecr_public: EcrPublicMock) -> None:
    registry_id: str = ecr_public_client.create_repository(repositoryName="app")["repository"][
        "registryId"
    ]
    assert registry_id == ecr_public.account_id == "111122223333"


def test_modeled_exception(ecr_public_client: ECRPublicClient) -> None:
    with pytest.raises(ecr_public_client.exceptions.RepositoryNotFoundException) as excinfo:
        ecr_public_client.describe_repositories(repositoryNames=["missing"])
    assert excinfo.value.response["Error"]["Code"] == "RepositoryNotFoundException"


@mock_ecr_public
def test_decorator() -> None:
    ecr = client()
    ecr.create_repository(repositoryName="app")
    names = [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]
    assert names == ["app"]


@mock_ecr_public(account_id="111122223333", image_tag_mutability="IMMUTABLE", max_repositories=1)
def test_decorator_with_options() -> None:
    ecr = client()
    ecr.create_repository(repositoryName="app")
    with pytest.raises(ClientError) as excinfo:
        ecr.create_repository(repositoryName="other")
    assert excinfo.value.response["Error"]["Code"] == "LimitExceededException"


@mock_ecr_public
async def repository_names() -> list[str]:
    ecr = client()
    ecr.create_repository(repositoryName="app")
    return [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]


def test_async_decorator_keeps_the_coroutine_type() -> None:
    names: list[str] = asyncio.run(repository_names())
    assert names == ["app"]


def test_context_manager() -> None:
    with mock_ecr_public() as mock:
        handle: EcrPublicMock = mock
        ecr = client()
        ecr.create_repository(repositoryName="app")
        layer = upload(ecr, "app", b"rootfs")
        config = upload(ecr, "app", b'{"architecture": "amd64", "os": "linux"}')
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"mediaType": "application/vnd.docker.container.image.v1+json", **config},
                "layers": [
                    {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", **layer}
                ],
            }
        )
        pushed = ecr.put_image(repositoryName="app", imageManifest=manifest, imageTag="v1")
        digest: str = pushed["image"]["imageId"]["imageDigest"]
        amd: str = handle.push_image("app", tag="amd64", layers=[b"one", b"two"])
        arm: str = handle.push_image(
            "app", tag="arm64", layers=[b"arm"], platform=("linux", "arm64")
        )
        index: str = handle.push_index("app", tag="latest", images=[amd, arm])
        assert len({digest, amd, arm, index}) == 4
        token = ecr.get_authorization_token()["authorizationData"]
        assert token["authorizationToken"]
    assert not handle.active


def test_start_stop() -> None:
    mock: EcrPublicMock = mock_ecr_public(max_repositories=5)
    started: EcrPublicMock = mock.start()
    try:
        assert started is mock
        client().create_repository(repositoryName="app")
        assert list(mock.repositories) == ["app"]
    finally:
        mock.stop()


@mock_ecr_public
class TestClass:
    def test_method(self) -> None:
        client().create_repository(repositoryName="app")
