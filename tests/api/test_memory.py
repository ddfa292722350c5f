"""Memory returns when data is deleted: what the mock holds above an idle baseline stays
within 1.3x the bytes still stored, after any run of pushes and deletes, through every
path (docs/aws-behaviour.md, "Layers and uploads that nobody uses"; docs/user-guide,
"The call log": entries are bounded however large the request).

Measured with ``tracemalloc`` (Python's own allocations, exact and independent of the
allocator): each loop churns far more than the bound allows, so a leak of any one layer
per round fails.
"""

from __future__ import annotations

import gc
import hashlib
import random
import tracemalloc

import boto3
import pytest
from _support import open_upload, upload_layer
from botocore.exceptions import ClientError

from ecrpublic_mock import mock_ecr_public

LAYER = 256 * 1024
ROUNDS = 40  # 10 MiB churned at least
# What a few hundred calls' log entries and the indexes may take.
SLACK = 1024 * 1024


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def api_push(ecr, client, repo: str, data: bytes) -> str:
    """An image of one layer through the API's upload path; its digest."""
    config = b'{"architecture":"amd64","os":"linux"}'
    for blob in (config, data):
        check = client.batch_check_layer_availability(repositoryName=repo, layerDigests=[sha(blob)])
        if check["layers"][0]["layerAvailability"] == "UNAVAILABLE":  # else: the last config
            upload_layer(client, repo, blob)
    manifest = (
        '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'
        f'"config":{{"mediaType":"application/vnd.docker.container.image.v1+json",'
        f'"size":{len(config)},"digest":"{sha(config)}"}},'
        f'"layers":[{{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip",'
        f'"size":{len(data)},"digest":"{sha(data)}"}}]}}'
    )
    return client.put_image(repositoryName=repo, imageManifest=manifest)["image"]["imageId"][
        "imageDigest"
    ]


def helper_push(ecr, client, repo: str, data: bytes) -> str:
    return ecr.push_image(repo, layers=[data])


def held() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@pytest.fixture
def traced():
    tracemalloc.start()
    yield
    tracemalloc.stop()


@pytest.mark.slow
@pytest.mark.parametrize("push", [api_push, helper_push], ids=["api", "helpers"])
@pytest.mark.parametrize("delete", ["image", "repository"])
def test_pushing_and_deleting_holds_no_more_than_what_is_stored(traced, push, delete):
    rng = random.Random(0)
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        push(ecr, client, "app", rng.randbytes(LAYER))  # warm: every code path loaded
        baseline = held()
        for _ in range(ROUNDS):
            digest = push(ecr, client, "app", rng.randbytes(LAYER))
            if delete == "image":
                client.batch_delete_image(repositoryName="app", imageIds=[{"imageDigest": digest}])
            else:
                client.delete_repository(repositoryName="app", force=True)
                client.create_repository(repositoryName="app")
        kept = [rng.randbytes(LAYER) for _ in range(4)]  # what stays stored
        for data in kept:
            push(ecr, client, "app", data)
        stored = sum(layer.size for layer in ecr.repositories["app"].layers.values())
        assert stored >= len(kept) * LAYER
        assert held() - baseline <= 1.3 * stored + SLACK


def test_an_unused_layer_and_an_idle_upload_are_freed_at_expiry(traced):
    """Bytes no image took (an upload left open, a layer uploaded and never named) are
    released once their hour is up (the next look-up applies the deadline)."""
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time("2026-01-01") as clock, mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        baseline = held()
        for _ in range(ROUNDS):
            upload_layer(client, "app", random.randbytes(LAYER))
            open_upload(client, "app", random.randbytes(LAYER))
        assert held() - baseline >= 2 * ROUNDS * LAYER  # all there, until the deadline
        clock.tick(3600)
        assert ecr.repositories["app"].layers == {}
        assert ecr.repositories["app"].uploads == {}
        assert held() - baseline <= SLACK


def test_a_run_of_large_failed_requests_is_not_kept_by_the_call_log(traced):
    """Twenty 4 MiB PutImage requests that fail: the log keeps each manifest as its size
    and digest, not its text."""
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        manifest = "x" * (4 * 1024 * 1024)
        baseline = held()
        for _ in range(20):
            with pytest.raises(ClientError):
                client.put_image(repositoryName="nope", imageManifest=manifest)
        assert held() - baseline <= SLACK
        digest = sha(manifest.encode())
        assert ecr.calls[-1].params == {
            "repositoryName": "nope",
            "imageManifest": f"<{len(manifest)} bytes, {digest}>",
        }
