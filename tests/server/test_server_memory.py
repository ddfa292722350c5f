"""A long-running server gives memory back: after rounds of registry pushes deleted with
their repository, its resident memory above the baseline stays within 1.3x the bytes
still stored, plus what the allocator keeps of freed memory (docs/aws-behaviour.md,
"Layers and uploads that nobody uses"). Exact accounting is tests/api/test_memory.py's
(tracemalloc); this is the process as the system sees it.

Measured on ``python -m ecrpublic_mock serve`` as users run it, from /proc (VmRSS): the
rounds churn six times the allowance, so a leak of the deleted layers fails.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import random
import subprocess
import sys

import boto3
import pytest

MIB = 1024 * 1024
LAYERS = 24  # of 1 MiB, a round
# What the allocator may keep of freed memory (the worker threads' malloc arenas, the
# buffers of requests in flight): up to one round's bytes, a sixth of what the measured
# rounds churn; a leak of the deleted layers would be all of it.
SLACK = LAYERS * MIB

pytestmark = pytest.mark.slow


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")  # pragma: no cover - Linux always has it


class Registry:
    """The served registry over one kept-alive connection, with a push token."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.api = boto3.client(
            "ecr-public",
            region_name="us-east-1",
            endpoint_url=url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        token = self.api.get_authorization_token()["authorizationData"]["authorizationToken"]
        basic = base64.b64encode(base64.b64decode(token)).decode()
        answer = self.request("GET", "/token/", headers={"Authorization": f"Basic {basic}"})
        self.bearer = {"Authorization": "Bearer " + json.loads(answer)["token"]}
        registry = self.api.describe_registries()["registries"][0]
        self.alias = registry["aliases"][0]["name"]

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> bytes:
        self.conn.request(method, path, body=body, headers=headers or {})
        response = self.conn.getresponse()
        data = response.read()
        assert response.status < 300, (response.status, data)
        return data

    def push_layers(self, repo: str, rng: random.Random) -> int:
        for _ in range(LAYERS):
            data = rng.randbytes(MIB)
            digest = "sha256:" + hashlib.sha256(data).hexdigest()
            path = f"/v2/{self.alias}/{repo}/blobs/uploads/?digest={digest}"
            self.request("POST", path, data, self.bearer)
        return LAYERS * MIB


def test_rounds_of_pushes_and_deletes_give_the_memory_back():
    server = subprocess.Popen(
        [sys.executable, "-m", "ecrpublic_mock", "serve"], stdout=subprocess.PIPE, text=True
    )
    registry = None
    try:
        assert server.stdout is not None
        registry = Registry(server.stdout.readline().split()[-1])
        rng = random.Random(0)
        for _ in range(2):  # warm: every path loaded, the allocator grown
            registry.api.create_repository(repositoryName="app")
            registry.push_layers("app", rng)
            registry.api.delete_repository(repositoryName="app", force=True)
        baseline = rss(server.pid)
        for _ in range(6):  # 144 MiB churned
            registry.api.create_repository(repositoryName="app")
            registry.push_layers("app", rng)
            registry.api.delete_repository(repositoryName="app", force=True)
        assert rss(server.pid) - baseline <= SLACK
        registry.api.create_repository(repositoryName="kept")
        stored = registry.push_layers("kept", rng)
        assert rss(server.pid) - baseline <= 1.3 * stored + SLACK
    finally:
        if registry is not None:
            registry.conn.close()
        server.terminate()
        server.wait(10)
        assert server.stdout is not None
        server.stdout.close()
