"""What every benchmark shares: a result row, timing, the botocore floor client, seeding."""

from __future__ import annotations

import gc
import hashlib
import json
import statistics
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.awsrequest import AWSResponse

from ecrpublic_mock._core.images import put_image
from ecrpublic_mock._helpers.push import upload_blob

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


MIB = 1024 * 1024
REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


@dataclass
class Row:
    what: str
    ours: str
    baseline: str
    ratio: float
    target: str
    met: bool


def per_call(fn: Callable[[], Any], repeat: int, rounds: int = 5) -> float:
    """Median seconds per call over ``rounds`` rounds of ``repeat`` calls."""
    for _ in range(min(repeat, 50)):
        fn()
    samples = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        samples.append((time.perf_counter() - start) / repeat)
    return statistics.median(samples)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body


def floor_client(bodies: dict[str, bytes]) -> Any:
    """botocore's floor: the same call, answered by a before-send handler with canned bytes.

    It pays everything botocore does for a call (serialising, signing, parsing the same
    answer) and nothing a mock adds.
    """
    client = boto3.client("ecr-public", region_name=REGION, **CREDENTIALS)

    def canned(request: Any, event_name: str, **kwargs: Any) -> AWSResponse:
        body = bodies[event_name.rpartition(".")[2]]
        return AWSResponse(request.url, 200, {"x-amzn-RequestId": "floor"}, _Raw(body))

    client.meta.events.register_first("before-send.ecr-public", canned)
    return client


def manifest(layer: dict[str, Any], config: dict[str, Any], n: int) -> str:
    """A distinct OCI manifest over the same blobs (an annotation carries ``n``)."""
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": config,
            "layers": [layer],
            "annotations": {"n": str(n)},
        }
    )


def seed(ecr: Any, repo: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Upload one config and one layer (once per repository); return their descriptors."""
    layer_bytes, config_bytes = b"layer" * 100, b'{"architecture":"amd64","os":"linux"}'
    registry = ecr._state.registry
    for blob in (layer_bytes, config_bytes):
        upload_blob(registry, registry.repositories[repo], blob)

    def descriptor(data: bytes, media_type: str) -> dict[str, Any]:
        return {
            "mediaType": media_type,
            "size": len(data),
            "digest": "sha256:" + hashlib.sha256(data).hexdigest(),
        }

    return (
        descriptor(layer_bytes, "application/vnd.oci.image.layer.v1.tar+gzip"),
        descriptor(config_bytes, "application/vnd.oci.image.config.v1+json"),
    )


def fill(ecr: Any, repo: str, count: int, start: int = 0) -> None:
    """``count`` images straight through the core's PutImage (no client: seeding only)."""
    layer, config = seed(ecr, repo)
    registry = ecr._state.registry
    for n in range(start, start + count):
        put_image(registry, registry.repositories[repo], manifest(layer, config, n))


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} us"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"
