"""A large layer through the real upload path: throughput and peak memory."""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import time
import tracemalloc
from typing import Any

import boto3
from _common import CREDENTIALS, MIB, REGION, Row, _Raw
from botocore.awsrequest import AWSResponse

from ecrpublic_mock import mock_ecr_public


def bench_layer(rows: list[Row], size: int) -> None:
    """A large layer in 10 MiB parts: throughput against a floor that decodes and drops."""
    part = 10 * MIB
    data = bytes(range(256)) * (part // 256)
    parts = size // part

    def upload(client: Any, repo: str) -> None:
        upload_id = client.initiate_layer_upload(repositoryName=repo)["uploadId"]
        hasher = hashlib.sha256()
        for index in range(parts):
            first = index * part
            client.upload_layer_part(
                repositoryName=repo,
                uploadId=upload_id,
                partFirstByte=first,
                partLastByte=first + part - 1,
                layerPartBlob=data,
            )
            hasher.update(data)
        client.complete_layer_upload(
            repositoryName=repo, uploadId=upload_id, layerDigests=["sha256:" + hasher.hexdigest()]
        )

    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name=REGION)
        client.create_repository(repositoryName="big")
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        upload(client, "big")
        t_ours = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        stored = ecr.repositories["big"].layers
        assert sum(layer.size for layer in stored.values()) == parts * part

    def decode_and_drop(request: Any, event_name: str, **kwargs: Any) -> AWSResponse:
        operation = event_name.rpartition(".")[2]
        params = json.loads(request.body)
        if operation == "UploadLayerPart":
            base64.b64decode(params["layerPartBlob"])
        answers = {
            "InitiateLayerUpload": {
                "uploadId": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
                "partSize": part,
            },
            "UploadLayerPart": {"lastByteReceived": params.get("partLastByte", 0)},
            "CompleteLayerUpload": {"layerDigest": "sha256:" + "0" * 64},
        }
        return AWSResponse(request.url, 200, {}, _Raw(json.dumps(answers[operation]).encode()))

    floor = boto3.client("ecr-public", region_name=REGION, **CREDENTIALS)
    floor.meta.events.register_first("before-send.ecr-public", decode_and_drop)
    start = time.perf_counter()
    upload(floor, "big")
    t_floor = time.perf_counter() - start
    mib = size / MIB
    rows.append(
        Row(
            f"{mib:,.0f} MiB layer upload: throughput vs floor",
            f"{mib / t_ours:,.0f} MiB/s",
            f"{mib / t_floor:,.0f} MiB/s",
            t_floor / t_ours,
            ">= 0.8",
            t_floor / t_ours >= 0.8,
        )
    )
    rows.append(
        Row(
            f"{mib:,.0f} MiB layer upload: peak memory / layer size",
            f"{peak / MIB:,.0f} MiB",
            f"{mib:,.0f} MiB",
            peak / size,
            "<= 1.3",
            peak / size <= 1.3,
        )
    )
