"""``python -m ecrpublic_mock demo``: an in-process scenario that prints what it did."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import boto3

from ._activation.mock import mock_ecr_public
from ._core.media_types import DOCKER_LIST, DOCKER_MANIFEST

if TYPE_CHECKING:
    from collections.abc import Callable

# The demo shows premium repositories where the installed model has them.
PREMIUM_OPERATION = "CreatePremiumRepository"


def _upload(client: Any, repository: str, data: bytes) -> dict[str, Any]:
    """One blob through InitiateLayerUpload, UploadLayerPart and CompleteLayerUpload.

    Like ``docker push``, it first asks BatchCheckLayerAvailability and skips a blob the
    repository already has (uploading it again is LayerAlreadyExistsException).
    """
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    check = client.batch_check_layer_availability(repositoryName=repository, layerDigests=[digest])
    if check["layers"][0]["layerAvailability"] == "AVAILABLE":
        return {"size": len(data), "digest": digest}
    upload_id = client.initiate_layer_upload(repositoryName=repository)["uploadId"]
    client.upload_layer_part(
        repositoryName=repository,
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    client.complete_layer_upload(
        repositoryName=repository, uploadId=upload_id, layerDigests=[digest]
    )
    return {"size": len(data), "digest": digest}


def _image_manifest(client: Any, repository: str, arch: str, build: str) -> str:
    """Upload a config and a layer, and return the manifest that names them."""
    config = json.dumps({"architecture": arch, "os": "linux"}).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": DOCKER_MANIFEST,
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            **_upload(client, repository, config),
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                **_upload(client, repository, f"{build} rootfs for {arch}".encode()),
            }
        ],
    }
    return json.dumps(manifest)


def run(say: Callable[[str], object] = print) -> None:
    """Drive a real boto3 client against the mock; no network, no credentials."""
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        say(f"mock active: account {ecr.account_id}, registry alias {ecr.registry_alias}")
        repo = client.create_repository(repositoryName="demo/web")["repository"]
        say(f"created {repo['repositoryName']}: {repo['repositoryUri']}")

        entries = []
        for arch in ("amd64", "arm64"):
            text = _image_manifest(client, "demo/web", arch, "v1")
            pushed = client.put_image(repositoryName="demo/web", imageManifest=text, imageTag=arch)
            digest = pushed["image"]["imageId"]["imageDigest"]
            say(f"uploaded layers and pushed demo/web:{arch} ({digest[:19]}...)")
            entries.append(
                {
                    "mediaType": DOCKER_MANIFEST,
                    "size": len(text),
                    "digest": digest,
                    "platform": {"architecture": arch, "os": "linux"},
                }
            )
        index = json.dumps({"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": entries})
        client.put_image(repositoryName="demo/web", imageManifest=index, imageTag="latest")
        say("pushed the manifest list demo/web:latest over both platforms")
        for image in client.describe_images(repositoryName="demo/web")["imageDetails"]:
            say(
                f"  {image['imageDigest'][:19]}... tags={image.get('imageTags', [])} "
                f"size={image['imageSizeInBytes']} type={image['imageManifestMediaType']}"
            )

        ecr.set_image_tag_mutability("demo/web", "IMMUTABLE")
        say("made demo/web tag-immutable (a test setting of the mock)")
        rebuild = _image_manifest(client, "demo/web", "amd64", "v2")
        try:
            client.put_image(repositoryName="demo/web", imageManifest=rebuild, imageTag="latest")
        except client.exceptions.ImageTagAlreadyExistsException as error:
            say(f"caught {error.response['Error']['Code']}: {error.response['Error']['Message']}")
        client.delete_repository(repositoryName="demo/web", force=True)
        say("deleted demo/web with its images (force=True)")
    if PREMIUM_OPERATION in client.meta.service_model.operation_names:  # botocore 1.44.18+
        _premium(say)
    say("mock stopped: nothing was sent to the network")


def _premium(say: Callable[[str], object]) -> None:
    """A premium repository, published and bought by one account."""
    with mock_ecr_public(registry_verified=True, registry_alias="demo-corp") as ecr:
        # Any: the published type stubs predate the premium operations.
        client: Any = boto3.client("ecr-public", region_name="us-east-1")
        created = client.create_premium_repository(
            repositoryName="demo/paid", marketplaceProducts=["prod-demo"]
        )["premiumRepository"]
        name, state, uri = (created[key] for key in ("repositoryName", "state", "repositoryUri"))
        say(f"created premium {name} ({state}): {uri}")
        ecr.push_image("demo/paid", "1.0", repository_type="PREMIUM")
        client.set_repository_state(
            repositoryName="demo/paid", repositoryType="PREMIUM", state="AVAILABLE"
        )
        ecr.entitle("prod-demo")
        for entry in client.describe_entitled_repositories()["repositories"]:
            say(
                f"entitled through {entry['entitledViaProductId']}: "
                f"{entry['repositoryName']} ({entry['state']}) at {entry['repositoryUri']}"
            )
