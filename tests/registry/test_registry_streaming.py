"""Registry uploads and downloads are streamed: a layer's bytes are held once, never twice.

The server runs in this process (the in-process served mode), so ``tracemalloc`` sees
every allocation the upload makes on the server's side: the parts gathered from the
request body, the stored blob, anything that would join or copy them. The client sends
from a generator of small pieces and reads the answer piece by piece, so it holds almost
nothing itself.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import tracemalloc
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow

MIB = 1024 * 1024
SIZE = 48 * MIB
PIECE = 256 * 1024


def push_token(ecr_public_client, url):
    data = ecr_public_client.get_authorization_token()["authorizationData"]
    basic = base64.b64decode(data["authorizationToken"])
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=60)
    connection.request(
        "GET", "/token/", headers={"Authorization": "Basic " + base64.b64encode(basic).decode()}
    )
    token = json.loads(connection.getresponse().read())["token"]
    connection.close()
    return token


def pieces(seed: bytes):
    """SIZE pseudo-random bytes, PIECE at a time (one piece alive at a time)."""
    block = hashlib.sha256(seed).digest() * (PIECE // 32)
    for index in range(SIZE // PIECE):
        yield index.to_bytes(8, "big") + block[8:]


def digest_of(seed: bytes) -> str:
    hasher = hashlib.sha256()
    for piece in pieces(seed):
        hasher.update(piece)
    return f"sha256:{hasher.hexdigest()}"


def test_a_layer_is_held_once_on_the_way_in_and_streamed_out(ecr_public_server, ecr_public_client):
    name = ecr_public_client.create_repository(repositoryName="big")["repository"]["repositoryUri"]
    name = name.split("/", 1)[1]
    headers = {"Authorization": f"Bearer {push_token(ecr_public_client, ecr_public_server.url)}"}
    connection = http.client.HTTPConnection(urlsplit(ecr_public_server.url).netloc, timeout=120)
    connection.request("POST", f"/v2/{name}/blobs/uploads/", headers=headers)
    answer = connection.getresponse()
    answer.read()
    location = urlsplit(answer.headers["Location"]).path
    digest = digest_of(b"seed")

    tracemalloc.start()
    try:
        connection.request("PATCH", location, body=pieces(b"seed"), headers=headers)  # chunked
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 202
        assert answer.headers["Range"] == f"0-{SIZE - 1}"
        connection.request("PUT", f"{location}?digest={digest}", headers=headers)
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 201
        stored, peak = tracemalloc.get_traced_memory()
        # The blob is SIZE bytes; a join or a copy of it would double that.
        assert SIZE <= stored < SIZE + 4 * MIB
        assert peak < SIZE + 4 * MIB

        tracemalloc.reset_peak()
        connection.request("GET", f"/v2/{name}/blobs/{digest}", headers=headers)
        answer = connection.getresponse()
        assert answer.status == 200
        assert int(answer.headers["Content-Length"]) == SIZE
        hasher = hashlib.sha256()
        while piece := answer.read(PIECE):
            hasher.update(piece)
        assert f"sha256:{hasher.hexdigest()}" == digest
        _, peak = tracemalloc.get_traced_memory()
        # Sent as stored, part by part: nothing near a second copy of the layer.
        assert peak < stored + 4 * MIB
    finally:
        tracemalloc.stop()
        connection.close()

    (layer,) = ecr_public_client.batch_check_layer_availability(
        repositoryName="big", layerDigests=[digest]
    )["layers"]
    assert layer["layerAvailability"] == "AVAILABLE"
    assert layer["layerSize"] == SIZE
