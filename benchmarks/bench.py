"""Benchmarks of ecrpublic-mock, each against a baseline measured in the same run.

    python benchmarks/bench.py            # everything (a few minutes)
    python benchmarks/bench.py --quick    # smaller sizes, for a smoke run
    python benchmarks/bench.py --server   # only server mode (needs the 'bench' extra)
    python benchmarks/bench.py --registry # only skopeo push/pull vs docker-registry

Prints one table of ratios; timings are medians of repeated runs in this one process, so
machines and load cancel out of the ratios. Not part of the test suite: unit tests never
assert timings.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gc
import gzip
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from botocore.awsrequest import AWSResponse

from ecrpublic_mock import mock_ecr_public
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
    registry = ecr._service.registry
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
    registry = ecr._service.registry
    for n in range(start, start + count):
        put_image(registry, registry.repositories[repo], manifest(layer, config, n))


def bench_calls(rows: list[Row], repeat: int) -> None:
    """Per-call time of four operations: ours, botocore's floor, moto's private ECR.

    Rounds of ours and of the floor alternate (the mock switched on and off between them,
    its state kept), so drift in the machine's speed falls on both alike.
    """
    from moto import mock_aws

    from ecrpublic_mock._activation import hook as _hook

    counter = iter(range(10**9))
    ecr = mock_ecr_public().start()
    client = boto3.client("ecr-public", region_name=REGION, **CREDENTIALS)
    client.create_repository(repositoryName="bench")
    layer, config = seed(ecr, "bench")
    fill(ecr, "bench", 120, start=10**8)

    def calls(c: Any) -> dict[str, tuple[str, Callable[[], Any]]]:
        return {
            "put_image": (
                "PutImage",
                lambda: c.put_image(
                    repositoryName="bench", imageManifest=manifest(layer, config, next(counter))
                ),
            ),
            "describe_images": (
                "DescribeImages",
                lambda: c.describe_images(repositoryName="bench"),
            ),
            "create_repository": (
                "CreateRepository",
                lambda: c.create_repository(repositoryName=f"r{next(counter)}"),
            ),
            "batch_check_layer_availability": (
                "BatchCheckLayerAvailability",
                lambda: c.batch_check_layer_availability(
                    repositoryName="bench", layerDigests=[layer["digest"]]
                ),
            ),
        }

    cases = calls(client)
    # The floor answers with the very bytes the mock answers.
    bodies = {operation: ecr_last_body(client, operation, fn) for operation, fn in cases.values()}
    floor_cases = calls(floor_client(bodies))
    service = ecr._service
    ecr.stop()
    ours: dict[str, list[float]] = {name: [] for name in cases}
    floors: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(5):
        for name in cases:
            _hook.activate(service)
            ours[name].append(per_call(cases[name][1], repeat, rounds=1))
            _hook.deactivate(service)
            floors[name].append(per_call(floor_cases[name][1], repeat, rounds=1))
    with mock_aws():
        ecr_private = boto3.client("ecr", region_name=REGION, **CREDENTIALS)
        ecr_private.create_repository(repositoryName="bench")
        private_manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": config,
                "layers": [layer],
            }
        )
        moto_cases = {
            "put_image": lambda: ecr_private.put_image(
                repositoryName="bench", imageManifest=private_manifest, imageTag=f"t{next(counter)}"
            ),
            "describe_images": lambda: ecr_private.describe_images(repositoryName="bench"),
            "create_repository": lambda: ecr_private.create_repository(
                repositoryName=f"r{next(counter)}"
            ),
            "batch_check_layer_availability": lambda: ecr_private.batch_check_layer_availability(
                repositoryName="bench", layerDigests=[layer["digest"]]
            ),
        }
        motos: dict[str, float | None] = {}
        for name, fn in moto_cases.items():
            try:
                motos[name] = per_call(fn, max(repeat // 10, 20))
            except NotImplementedError:  # moto's ECR lacks some operations
                motos[name] = None
    for name in cases:
        t_ours, t_floor = statistics.median(ours[name]), statistics.median(floors[name])
        rows.append(
            Row(
                f"{name}: per call vs botocore floor",
                us(t_ours),
                us(t_floor),
                t_ours / t_floor,
                "<= 0.8",
                t_ours / t_floor <= 0.8,
            )
        )
        moto_time = motos[name]
        rows.append(
            Row(
                f"{name}: per call vs moto (private ECR)",
                us(t_ours),
                us(moto_time) if moto_time else "not in moto",
                t_ours / moto_time if moto_time else float("nan"),
                "(info)",
                True,
            )
        )


MOTO_SERVER = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
print("ready", flush=True)
sys.stdin.read()
server.stop()
"""


def bench_server(rows: list[Row], repeat: int) -> None:
    """Server mode: a kept-alive boto3 client over loopback HTTP, per call.

    ``python -m ecrpublic_mock serve`` (a process of its own, as the AWS CLI and other
    SDKs use it) against the same call in-process (the mock active, no HTTP) and against
    moto's server (``ThreadedMotoServer`` in a process of its own, private ECR's
    ``describe_repositories``), each holding the same ten repositories; rounds alternate.
    The in-process served mode (``EcrPublicMock.serve()``, server and client sharing one
    interpreter and its GIL) is reported too.
    """
    import socket

    from botocore.config import Config

    config = Config(retries={"total_max_attempts": 1})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        moto_port = probe.getsockname()[1]
    moto = subprocess.Popen(
        [sys.executable, "-c", MOTO_SERVER, str(moto_port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    ours = subprocess.Popen(
        [sys.executable, "-m", "ecrpublic_mock", "serve"], stdout=subprocess.PIPE, text=True
    )
    mock = mock_ecr_public()
    served: Any = None
    try:
        assert moto.stdout is not None
        assert ours.stdout is not None
        assert moto.stdout.readline().strip() == "ready"
        url = ours.stdout.readline().split()[-1]

        def client(service: str, endpoint: str | None) -> Any:
            return boto3.client(
                service, region_name=REGION, endpoint_url=endpoint, config=config, **CREDENTIALS
            )

        remote = client("ecr-public", url)
        moto_client = client("ecr", f"http://127.0.0.1:{moto_port}")
        local = client("ecr-public", None)
        for c in (remote, moto_client):
            for n in range(10):
                c.create_repository(repositoryName=f"r{n}")
        mock.start()
        served = mock.serve()
        for n in range(10):
            local.create_repository(repositoryName=f"r{n}")
        # While the mock is active it would answer any client in this process itself: the
        # in-thread server is measured with raw HTTP/1.1 requests of the same call.
        thread_call = raw_caller(served.url)
        samples: dict[str, list[float]] = {"server": [], "local": [], "moto": [], "thread": []}
        for _ in range(5):
            samples["local"].append(per_call(local.describe_repositories, repeat, 1))
            samples["thread"].append(per_call(thread_call, repeat, 1))
            mock.stop()
            samples["server"].append(per_call(remote.describe_repositories, repeat, 1))
            samples["moto"].append(per_call(moto_client.describe_repositories, repeat, 1))
            mock.start()
            for n in range(10):
                local.create_repository(repositoryName=f"r{n}")
    finally:
        if served is not None:
            served.stop()
        if mock.active:
            mock.stop()
        ours.terminate()
        ours.wait(10)
        if moto.stdin is not None:
            moto.stdin.close()
        moto.wait(10)
    t_server, t_local, t_moto, t_thread = (statistics.median(v) for v in samples.values())
    what = "describe_repositories (10 repos), kept-alive boto3 over HTTP"
    rows.append(
        Row(
            f"{what}: serve vs in-process",
            us(t_server),
            us(t_local),
            t_server / t_local,
            "<= 2",
            t_server / t_local <= 2,
        )
    )
    rows.append(
        Row(
            f"{what}: serve vs moto's server",
            us(t_server),
            us(t_moto),
            t_server / t_moto,
            "<= 0.5",
            t_server / t_moto <= 0.5,
        )
    )
    rows.append(
        Row(
            "the same call as raw HTTP/1.1 to EcrPublicMock.serve() (in-thread) vs in-process",
            us(t_thread),
            us(t_local),
            t_thread / t_local,
            "(info)",
            True,
        )
    )


def raw_caller(url: str) -> Callable[[], Any]:
    """A kept-alive raw HTTP/1.1 describe_repositories (unsigned: served as us-east-1)."""
    import http.client

    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port))
    headers = {
        "X-Amz-Target": "SpencerFrontendService.DescribeRepositories",
        "Content-Type": "application/x-amz-json-1.1",
    }

    def call() -> Any:
        connection.request("POST", "/", b"{}", headers)
        return json.loads(connection.getresponse().read())

    return call


def ecr_last_body(client: Any, operation: str, fn: Callable[[], Any]) -> bytes:
    """The raw JSON body the mock answers for ``fn`` (captured from botocore's parser input)."""
    captured: list[bytes] = []

    def grab(http_response: Any, **kwargs: Any) -> None:
        captured.append(http_response.content)

    event = f"after-call.ecr-public.{operation}"
    client.meta.events.register(event, grab)
    try:
        fn()
    finally:
        client.meta.events.unregister(event, grab)
    return bytes(captured[-1])


def bench_start_stop(rows: list[Row]) -> None:
    from moto import mock_aws

    mock = mock_ecr_public()

    def ours() -> None:
        mock.start()
        mock.stop()

    def moto() -> None:
        m = mock_aws()
        m.start()
        m.stop()

    t_ours = per_call(ours, 20_000)
    t_moto = per_call(moto, 50)
    rows.append(Row("start + stop", us(t_ours), "20 us", t_ours / 20e-6, "<= 1", t_ours <= 20e-6))
    rows.append(
        Row(
            "start + stop vs moto.mock_aws",
            us(t_ours),
            us(t_moto),
            t_ours / t_moto,
            "<= 0.01",
            t_ours / t_moto <= 0.01,
        )
    )


def bench_scale(rows: list[Row], big: int) -> None:
    """PutImage cost does not grow with the repository; paging is linear in its size."""
    with mock_ecr_public(max_images_per_repository=big + 10**6) as ecr:
        client = boto3.client("ecr-public", region_name=REGION)
        for repo in ("empty", "full", "tenth"):
            client.create_repository(repositoryName=repo)
        fill(ecr, "full", big)
        fill(ecr, "tenth", big // 10)
        counters = {
            "empty": iter(range(10**8, 2 * 10**8)),
            "full": iter(range(2 * 10**8, 3 * 10**8)),
        }
        layer, config = seed(ecr, "empty")
        seed(ecr, "full")

        def put(repo: str) -> Callable[[], Any]:
            return lambda: client.put_image(
                repositoryName=repo, imageManifest=manifest(layer, config, next(counters[repo]))
            )

        t_empty, t_full = per_call(put("empty"), 300), per_call(put("full"), 300)
        rows.append(
            Row(
                f"put_image into {big:,} images vs empty",
                us(t_full),
                us(t_empty),
                t_full / t_empty,
                "<= 1.1",
                t_full / t_empty <= 1.1,
            )
        )

        def page_all(repo: str) -> Callable[[], Any]:
            def run() -> None:
                for _ in client.get_paginator("describe_images").paginate(
                    repositoryName=repo, PaginationConfig={"PageSize": 1000}
                ):
                    pass

            return run

        t_big = per_call(page_all("full"), 1, rounds=3)
        t_small = per_call(page_all("tenth"), 1, rounds=3)
        rows.append(
            Row(
                f"page describe_images {big:,} vs {big // 10:,}",
                ms(t_big),
                ms(t_small),
                t_big / t_small,
                "<= 11",
                t_big / t_small <= 11,
            )
        )


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


def bench_import(rows: list[Row]) -> None:
    """Import time of ecrpublic_mock beyond boto3's own, in fresh interpreters.

    Bytecode is compiled first, as an installed package has it (this machine sets
    PYTHONDONTWRITEBYTECODE, which would otherwise time the compiler too).
    """
    import compileall

    import ecrpublic_mock

    compileall.compile_dir(Path(ecrpublic_mock.__file__).parent, quiet=1)
    code = (
        "import time, boto3; t = time.perf_counter(); import ecrpublic_mock; "
        "print(time.perf_counter() - t)"
    )
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(9)
    ]
    extra = statistics.median(samples)
    rows.append(
        Row(
            "import ecrpublic_mock beyond boto3",
            ms(extra),
            "20 ms",
            extra / 0.020,
            "<= 1",
            extra <= 0.020,
        )
    )


# -- the registry protocol: skopeo push and pull, ours against docker-registry ----------

OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
# Where skopeo, run as root, remembers which blobs it has seen where: left in place, a
# push skips blobs it believes the destination has, and a pull may reuse them.
BLOB_INFO_CACHE = Path("/var/lib/containers/cache/blob-info-cache-v1.boltdb")
SERVING = "ecrpublic_mock serving on "
TAG = "bench"
# Seconds one skopeo copy may take (a 1 GiB image moves in well under a minute).
COPY_TIMEOUT = 600


class _Hashing:
    """A file object for GzipFile: writes through to ``out`` and hashes what it writes."""

    def __init__(self, out: Any) -> None:
        self.out, self.hasher, self.size = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.hasher.update(data)
        self.size += len(data)
        return int(self.out.write(data))

    def flush(self) -> None:
        self.out.flush()


def oci_layout(root: Path, layers: int, layer_size: int) -> int:
    """An OCI image layout at ``root`` tagged ``TAG``: ``layers`` layers of ``layer_size``
    random bytes each, every one a real gzip stream (level 0: stored, so the bytes on the
    wire are about the random bytes); the bytes a registry stores for it (layers, config,
    manifest)."""
    blobs = root / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    descriptors, diff_ids = [], []
    chunk = MIB
    for n in range(layers):
        partial = blobs / f"layer{n}.partial"
        plain = hashlib.sha256()
        with partial.open("wb") as out:
            hashing = _Hashing(out)
            with gzip.GzipFile(fileobj=hashing, mode="wb", compresslevel=0, mtime=0) as stream:
                for _ in range(layer_size // chunk):
                    data = os.urandom(chunk)
                    plain.update(data)
                    stream.write(data)
        digest = hashing.hasher.hexdigest()
        partial.rename(blobs / digest)
        descriptors.append(
            {"mediaType": OCI_LAYER, "digest": f"sha256:{digest}", "size": hashing.size}
        )
        diff_ids.append(f"sha256:{plain.hexdigest()}")

    def blob(data: bytes) -> dict[str, Any]:
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        return {"digest": f"sha256:{digest}", "size": len(data)}

    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        }
    ).encode()
    config_descriptor = {"mediaType": OCI_CONFIG, **blob(config)}
    manifest_bytes = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": config_descriptor,
            "layers": descriptors,
        }
    ).encode()
    manifest_descriptor = {
        "mediaType": OCI_MANIFEST,
        **blob(manifest_bytes),
        "annotations": {"org.opencontainers.image.ref.name": TAG},
    }
    (root / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    (root / "index.json").write_text(
        json.dumps({"schemaVersion": 2, "manifests": [manifest_descriptor]})
    )
    return sum(d["size"] for d in descriptors) + len(config) + len(manifest_bytes)


class _Skopeo:
    """skopeo with a private HOME, XDG dirs, policy, registries.conf and tmpdir, so that
    nothing of the machine's configuration takes part."""

    def __init__(self, exe: str, root: Path) -> None:
        self.exe, self.root = exe, root
        home, tmp = root / "home", root / "tmp"
        for directory in (home, tmp, root / "registries.d"):
            directory.mkdir(parents=True)
        (root / "policy.json").write_text(
            json.dumps({"default": [{"type": "insecureAcceptAnything"}]})
        )
        (root / "registries.conf").write_text("")
        (root / "auth.json").write_text(json.dumps({"auths": {}}))
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(tmp),
            "TMPDIR": str(tmp),
            "REGISTRY_AUTH_FILE": str(root / "auth.json"),
            "CONTAINERS_REGISTRIES_CONF": str(root / "registries.conf"),
            "NO_PROXY": "127.0.0.1",
            "no_proxy": "127.0.0.1",
        }

    def copy(self, *args: str) -> float:
        """``skopeo copy ARGS``, timed (seconds), with no blob-info cache to consult."""
        BLOB_INFO_CACHE.unlink(missing_ok=True)
        command = [
            self.exe,
            "--policy",
            str(self.root / "policy.json"),
            "--registries.d",
            str(self.root / "registries.d"),
            "--registries-conf",
            str(self.root / "registries.conf"),
            "--tmpdir",
            str(self.root / "tmp"),
            "copy",
            "--retry-times",
            "0",
            *args,
        ]
        start = time.perf_counter()
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=COPY_TIMEOUT
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
        if "skipped" in done.stdout:  # a blob not copied: the timing would not be a full copy
            raise RuntimeError(f"{' '.join(command)} skipped blobs:\n{done.stdout}")
        return elapsed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(20)


def _memory(pid: int, field: str) -> int:
    """``VmRSS``/``VmHWM`` of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _report_errors(log: Path, round_: int) -> None:
    """Whatever the server wrote to stderr (nothing, when all went well)."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    if lines:
        print(f"server stderr (round {round_}):", *lines, sep="\n", file=sys.stderr)


@dataclass
class _Target:
    """A running registry: where to push, the credentials, the process."""

    reference: str  # host:port/name:tag
    process: subprocess.Popen[Any]
    creds: str | None
    log: Path


@contextlib.contextmanager
def _ours(work: Path) -> Iterator[_Target]:
    """``python -m ecrpublic_mock serve`` in a process of its own, a repository created
    through boto3, and a password from GetAuthorizationToken."""
    log = work / "ours.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "ecrpublic_mock", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(SERVING):
            raise RuntimeError(f"the server did not start: {line!r}\n{log.read_text()}")
        client = boto3.client(
            "ecr-public",
            endpoint_url=line[len(SERVING) :].strip(),
            region_name=REGION,
            aws_access_key_id="x",
            aws_secret_access_key="y",
        )
        uri = client.create_repository(repositoryName="bench")["repository"]["repositoryUri"]
        token = client.get_authorization_token()["authorizationData"]["authorizationToken"]
        password = base64.b64decode(token).decode().removeprefix("AWS:")
        yield _Target(f"{uri}:{TAG}", process, f"AWS:{password}", log)
    finally:
        _stop(process)


@contextlib.contextmanager
def _reference(exe: str, work: Path) -> Iterator[_Target]:
    """The CNCF distribution registry on loopback, storing on disk under ``work``."""
    port = _free_port()
    config = work / "registry.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {work / 'registry-data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    log = work / "registry.log"
    with log.open("wb") as err:
        process = subprocess.Popen([exe, "serve", str(config)], stdout=err, stderr=err)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError) as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = f"docker-registry did not start:\n{log.read_text()}"
                    raise RuntimeError(message) from error
                time.sleep(0.05)
        yield _Target(f"127.0.0.1:{port}/bench/bench:{TAG}", process, None, log)
    finally:
        _stop(process)


def bench_registry(rows: list[Row], layers: int, layer_size: int, rounds: int = 3) -> None:
    """skopeo push and pull of one image (``layers`` gzip layers of random bytes) to
    ``python -m ecrpublic_mock serve`` and to docker-registry, in alternating rounds,
    each against a fresh server; the server's peak memory during the pushes."""
    skopeo_exe, registry_exe = shutil.which("skopeo"), shutil.which("docker-registry")
    if skopeo_exe is None or registry_exe is None:
        print("registry benchmark skipped: skopeo or docker-registry not found", file=sys.stderr)
        return
    root = Path(tempfile.mkdtemp(prefix="ecrpublic-bench-registry-"))
    try:
        layout = root / "layout"
        stored = oci_layout(layout, layers, layer_size)
        skopeo = _Skopeo(skopeo_exe, root / "skopeo")
        times: dict[str, dict[str, list[float]]] = {
            "ours": {"push": [], "pull": []},
            "reference": {"push": [], "pull": []},
        }
        memory: list[float] = []
        for n in range(rounds):
            order = ("ours", "reference") if n % 2 == 0 else ("reference", "ours")
            for which in order:
                work = root / f"{which}{n}"
                work.mkdir()
                with _ours(work) if which == "ours" else _reference(registry_exe, work) as target:
                    pid = target.process.pid
                    before = _memory(pid, "VmRSS")
                    dest = ["--dest-creds", target.creds] if target.creds else []
                    times[which]["push"].append(
                        skopeo.copy(
                            "--dest-tls-verify=false",
                            *dest,
                            f"oci:{layout}:{TAG}",
                            f"docker://{target.reference}",
                        )
                    )
                    if which == "ours":
                        memory.append((_memory(pid, "VmHWM") - before) / stored)
                    pulled = work / "pulled"
                    times[which]["pull"].append(
                        skopeo.copy(
                            "--src-tls-verify=false",
                            f"docker://{target.reference}",
                            f"oci:{pulled}:{TAG}",
                        )
                    )
                    received = sum(f.stat().st_size for f in pulled.glob("blobs/*/*"))
                    if received != stored:
                        raise RuntimeError(f"pulled {received} bytes of {stored}")
                    if which == "ours":
                        _report_errors(target.log, n)
                shutil.rmtree(work)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if os.environ.get("BENCH_VERBOSE"):
        print(json.dumps(times), file=sys.stderr)
    mb = stored / 1e6
    size = f"{layers} x {layer_size // MIB} MiB image"
    for direction in ("push", "pull"):
        t_ours = statistics.median(times["ours"][direction])
        t_ref = statistics.median(times["reference"][direction])
        rows.append(
            Row(
                f"skopeo {direction}, {size}: serve vs docker-registry (throughput)",
                f"{mb / t_ours:,.0f} MB/s",
                f"{mb / t_ref:,.0f} MB/s",
                t_ref / t_ours,
                ">= 0.8",
                t_ref / t_ours >= 0.8,
            )
        )
    peak = statistics.median(memory)
    rows.append(
        Row(
            f"skopeo push, {size}: serve's peak RSS growth / bytes stored",
            f"{peak * stored / MIB:,.0f} MiB",
            f"{stored / MIB:,.0f} MiB",
            peak,
            "<= 1.3",
            peak <= 1.3,
        )
    )


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} us"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--server", action="store_true", help="only the server-mode rows")
    parser.add_argument(
        "--registry", action="store_true", help="only skopeo push and pull vs docker-registry"
    )
    args = parser.parse_args()
    rows: list[Row] = []
    if not args.registry:
        bench_server(rows, repeat=200 if args.quick else 1000)
    if args.registry or not args.server:
        bench_registry(rows, layers=4, layer_size=(16 if args.quick else 256) * MIB)
    if not args.server and not args.registry:
        bench_calls(rows, repeat=200 if args.quick else 1000)
        bench_start_stop(rows)
        bench_scale(rows, big=10_000 if args.quick else 100_000)
        bench_layer(rows, size=(100 if args.quick else 1024) * MIB)
        bench_import(rows)
    width = max(len(row.what) for row in rows)
    print(f"{'benchmark':<{width}}  {'ours':>14}  {'baseline':>14}  {'ratio':>7}  target    met")
    for row in rows:
        print(
            f"{row.what:<{width}}  {row.ours:>14}  {row.baseline:>14}  {row.ratio:>7.3f}  "
            f"{row.target:<8}  {'yes' if row.met else 'NO'}"
        )
    return 0


if __name__ == "__main__":
    threading.stack_size(0)
    sys.exit(main())
