"""Slow and vanishing clients: bodies are received on the server's event loop, so no
client holds a worker thread while its bytes travel; a body must come at 1 MiB per
``request_timeout`` seconds at least (a byte now and then is cut, not only silence); a
body that will not come whole ends what its request began (docs/server-mode.md, "Limits";
docs/aws-behaviour.md, "Layers and uploads that nobody uses")."""

from __future__ import annotations

import json
import select
import time
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.config import Config
from test_registry_protocol import Wire, raw, read_answer, sha256, wait_for

from ecrpublic_mock._server.runner import WORKERS, BackgroundServer

if TYPE_CHECKING:
    import socket

TOO_SLOW = (
    "The request body came too slowly: each 1 MiB of it, or all of a shorter body, "
    "must arrive within {timeout:g} s"
)


def served(ecr, client, timeout: float) -> tuple[BackgroundServer, Wire]:
    """Repository ``app``, served with ``request_timeout`` seconds."""
    client.create_repository(repositoryName="app")
    server = BackgroundServer(ecr._state, request_timeout=timeout).start()
    return server, Wire(server, client)


def head(wire: Wire, method: str, path: str, length: int) -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {wire.push}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def answered(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


@pytest.mark.slow
def test_clients_trickling_their_bodies_stall_nobody(ecr, client):
    """Five times as many uploads as the server has worker threads, each sending a byte of
    its body and then nothing: the API, the registry and the control plane still answer on
    fresh connections, while every trickling client is still connected, unanswered."""
    server, wire = served(ecr, client, timeout=120)
    location = wire.session()
    slow = [raw(wire) for _ in range(5 * WORKERS)]
    try:
        for sock in slow:
            sock.sendall(head(wire, "PATCH", location, 1000) + b"x")
        api = boto3.client(
            "ecr-public",
            region_name="us-east-1",
            endpoint_url=server.url,
            config=Config(retries={"max_attempts": 1}, read_timeout=30),
        )
        assert api.describe_repositories()["repositories"][0]["repositoryName"] == "app"
        fresh = Wire(server, client)
        assert fresh.request("GET", "/v2/").status == 200
        assert fresh.request("GET", "/_ecrpublic_mock/calls", token=None).status == 200
        fresh.close()
        assert not any(answered(sock) for sock in slow)
    finally:
        for sock in slow:
            sock.close()
        wire.close()
        server.stop()


def test_a_byte_now_and_then_is_cut(ecr, client):
    """Never silent for ``request_timeout``, yet far slower than 1 MiB per
    ``request_timeout``: answered 408 before the body is half sent."""
    server, wire = served(ecr, client, timeout=0.5)
    try:
        with raw(wire) as sock:
            sock.sendall(head(wire, "PATCH", wire.session(), 100))
            sent = 0
            while not answered(sock):
                assert sent < 50, "still not answered"
                sock.sendall(b"x")
                sent += 1
                time.sleep(0.05)
            status_line, _, body = read_answer(sock)
        assert status_line == "HTTP/1.1 408 Request Timeout"
        message = TOO_SLOW.format(timeout=0.5)
        assert json.loads(body) == {"errors": [{"code": "RequestTimeout", "message": message}]}
    finally:
        wire.close()
        server.stop()


@pytest.mark.parametrize("cut", ["timeout", "disconnect"])
def test_a_monolithic_upload_cut_short_leaves_no_upload(ecr, client, cut, capsys):
    """``POST ?digest=`` whose body never comes whole: the upload it opened (whose id no
    client was given) is closed, its bytes freed, and the call logged with the cut; a
    client gone is nothing to report (no traceback on the console)."""
    server, wire = served(ecr, client, timeout=0.3)
    name = wire.name()
    path = f"/v2/{name}/blobs/uploads/?digest={sha256(b'x' * 100)}"
    try:
        sock = raw(wire)
        sock.sendall(head(wire, "POST", path, 100) + b"x" * 50)
        if cut == "timeout":
            assert read_answer(sock)[0] == "HTTP/1.1 408 Request Timeout"
        sock.close()
        outcome = "RequestTimeout" if cut == "timeout" else "ClientDisconnected"
        call = wait_for(
            lambda: (
                ecr.calls and ecr.calls[-1].operation == "InitiateLayerUpload" and ecr.calls[-1]
            ),
            "the cut to be logged",
        )
        assert (call.params, call.outcome) == ({"repositoryName": "app"}, outcome)
        assert ecr.repositories["app"].uploads == {}
        assert ecr._state.registry.uploads == {}
        assert capsys.readouterr().err == ""
    finally:
        wire.close()
        server.stop()


def test_a_chunk_cut_by_its_client_is_logged_as_such_and_keeps_the_session(ecr, client, capsys):
    """A PATCH whose client goes mid-body: logged ``ClientDisconnected``; the session the
    client was given stays open, without the part that never came whole."""
    server, wire = served(ecr, client, timeout=5)
    location = wire.session()
    try:
        with raw(wire) as sock:
            sock.sendall(head(wire, "PATCH", location, 100) + b"x" * 10)
        call = wait_for(
            lambda: ecr.calls[-1].operation == "UploadLayerPart" and ecr.calls[-1],
            "the cut to be logged",
        )
        upload_id = location.rsplit("/", 1)[1]
        assert (call.params, call.outcome) == (
            {"repositoryName": "app", "uploadId": upload_id},
            "ClientDisconnected",
        )
        assert ecr.repositories["app"].uploads[upload_id].received == 0
        assert capsys.readouterr().err == ""
    finally:
        wire.close()
        server.stop()
