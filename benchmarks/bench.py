"""Benchmarks of ecrpublic-mock, each against a baseline measured in the same run.

    python benchmarks/bench.py            # everything (a few minutes)
    python benchmarks/bench.py --quick    # smaller sizes, for a smoke run
    python benchmarks/bench.py --server   # only server mode (needs the 'bench' extra)

Prints one table of ratios; timings are medians of repeated runs in this one process, so
machines and load cancel out of the ratios. Not part of the test suite: unit tests never
assert timings.
"""

from __future__ import annotations

import argparse
import base64
import gc
import hashlib
import json
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from botocore.awsrequest import AWSResponse

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._core.images import put_image
from ecrpublic_mock._handle.push import upload_blob

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


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} us"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--server", action="store_true", help="only the server-mode rows")
    args = parser.parse_args()
    rows: list[Row] = []
    bench_server(rows, repeat=200 if args.quick else 1000)
    if not args.server:
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
