"""Server mode: the served mock against the in-process one and moto's server."""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import boto3
from _common import CREDENTIALS, REGION, Row, per_call, us

from ecrpublic_mock import mock_ecr_public

if TYPE_CHECKING:
    from collections.abc import Callable


MOTO_SERVER = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
print("ready", flush=True)
sys.stdin.read()
server.stop()
"""


# The served floor: an HTTP server that answers every request with the same canned bytes,
# as fast as Python's asyncio can (no parsing beyond finding the end of the request). What
# a boto3 call over loopback HTTP costs with a server that does no work at all.
CANNED_SERVER = """
import asyncio, json, sys
body = sys.stdin.readline().strip().encode()
answer = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/x-amz-json-1.1\\r\\n"
          b"Content-Length: " + str(len(body)).encode() + b"\\r\\n\\r\\n" + body)

class Canned(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
    def data_received(self, data):
        self.buffer += data
        while b"\\r\\n\\r\\n" in self.buffer:
            head, _, rest = self.buffer.partition(b"\\r\\n\\r\\n")
            length = 0
            for line in head.split(b"\\r\\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(rest) < length:
                return
            self.buffer = rest[length:]
            self.transport.write(answer)

async def main():
    server = await asyncio.get_running_loop().create_server(Canned, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
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
    canned: subprocess.Popen[str] | None = None
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
        canned = subprocess.Popen(
            [sys.executable, "-c", CANNED_SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert canned.stdin is not None
        assert canned.stdout is not None
        canned.stdin.write(
            ecr_last_body(remote, "DescribeRepositories", remote.describe_repositories).decode()
            + "\n"
        )
        canned.stdin.flush()
        floor = client("ecr-public", f"http://127.0.0.1:{canned.stdout.readline().strip()}")
        assert floor.describe_repositories() == remote.describe_repositories() | {
            "ResponseMetadata": floor.describe_repositories()["ResponseMetadata"]
        }
        samples: dict[str, list[float]] = {
            "server": [],
            "local": [],
            "moto": [],
            "thread": [],
            "floor": [],
        }
        for _ in range(5):
            # The mock's servers stop with it: each round serves a new activation.
            mock.start()
            served = mock.serve()
            for n in range(10):
                local.create_repository(repositoryName=f"r{n}")
            samples["local"].append(per_call(local.describe_repositories, repeat, 1))
            # While the mock is active it would answer any client in this process itself:
            # the in-thread server is measured with raw HTTP/1.1 requests of the same call.
            samples["thread"].append(per_call(raw_caller(served.url), repeat, 1))
            mock.stop()
            served = None
            samples["server"].append(per_call(remote.describe_repositories, repeat, 1))
            samples["moto"].append(per_call(moto_client.describe_repositories, repeat, 1))
            samples["floor"].append(per_call(floor.describe_repositories, repeat, 1))
    finally:
        if canned is not None:
            canned.kill()
            canned.wait(10)
        if served is not None:
            served.stop()
        if mock.active:
            mock.stop()
        ours.terminate()
        ours.wait(10)
        if moto.stdin is not None:
            moto.stdin.close()
        moto.wait(10)
    t_server, t_local, t_moto, t_thread, t_floor = (statistics.median(v) for v in samples.values())
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
            f"{what}: a server answering canned bytes (the HTTP floor) vs in-process",
            us(t_floor),
            us(t_local),
            t_floor / t_local,
            "(info)",
            True,
        )
    )
    rows.append(
        Row(
            f"{what}: serve vs the HTTP floor",
            us(t_server),
            us(t_floor),
            t_server / t_floor,
            "(info)",
            True,
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
