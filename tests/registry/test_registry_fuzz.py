"""Property-based robustness of the registry protocol: any request gets a protocol answer.

Requests are built by Hypothesis over what a client can vary: the method, a path made of
the routes' parts (the registry's alias, other names, manifests, blobs, uploads, tags,
digests, tags, free text), the query (``digest``, ``n``, ``last``, ``mount``), the headers
(the push and pull tokens, garbage credentials, ``Range``, ``Content-Range``,
``Content-Length``, ``Accept``, ``Content-Type``) and a body in parts. They go straight
to ``routes.exchange``, driven as the server's app drives it: each part sent in as asked.

The property: the exchange returns (never raises), with a status the protocol answers (2xx,
or one of its 4xx; never a 5xx, which only a bug or an injected fault gives), a body that
is the distribution-spec's error JSON on every 4xx, and a failed request leaves the
registry's state (repositories, images, tags, layers, open uploads) as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from _manifests import build_image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._registry.context import Request, Response
from ecrpublic_mock._registry.routes import exchange

pytestmark = pytest.mark.slow

METHODS = ("GET", "GET", "HEAD", "POST", "PUT", "PUT", "PATCH", "DELETE", "OPTIONS", "get")
STATUSES = {200, 201, 202, 204, 206, 401, 403, 404, 405, 409, 416, 400}


def handle(state, request: Request, read) -> Response:
    """The exchange, each part of the body ``read()`` as it asks for one."""
    steps = exchange(state, request)
    part = None
    try:
        while True:
            steps.send(part)
            part = read()
    except StopIteration as done:
        return done.value


def digest_of(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


@pytest.fixture(scope="module")
def world():
    """A mock with a repository, an image, an open upload and the two kinds of token."""
    with mock_ecr_public() as ecr:
        import boto3

        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        manifest = build_image(client, "app")
        digest = client.put_image(repositoryName="app", imageManifest=manifest, imageTag="v1")[
            "image"
        ]["imageId"]["imageDigest"]
        state = ecr._state
        alias = state.registry.alias
        data = client.get_authorization_token()["authorizationData"]["authorizationToken"]
        base = "http://127.0.0.1:5000"

        def token(headers):
            request = Request("GET", "/token/", {}, headers, base)
            return json.loads(handle(state, request, lambda: b"").body)["token"]

        push = token(
            {"authorization": "Basic " + base64.b64encode(base64.b64decode(data)).decode()}
        )
        pull = token({})
        session = (
            handle(
                state,
                Request(
                    "POST",
                    f"/v2/{alias}/app/blobs/uploads/",
                    {},
                    {"authorization": f"Bearer {push}"},
                    base,
                ),
                lambda: b"",
            )
            .headers["Location"]
            .rsplit("/", 1)[1]
        )
        yield {
            "ecr": ecr,
            "service": state,
            "alias": alias,
            "digest": digest,
            "manifest": manifest,
            "push": push,
            "pull": pull,
            "session": session,
            "base": base,
        }


def snapshot(state):
    registry = state.registry
    return (
        [
            (r.name, list(r.image_tags.sorted_keys()), len(r.images), sorted(r.layers))
            for r in (registry.repositories.get(n) for n in ("app", "other"))
            if r is not None
        ],
        {u: (x.received, x.repository.name) for u, x in registry.uploads.items()},
    )


def requests(world):
    alias = world["alias"]
    names = st.sampled_from(
        [f"{alias}/app", f"{alias}/other", alias, "other/app", f"{alias}/app/x", ""]
    )
    refs = st.sampled_from(
        [
            "v1",
            "v2",
            world["digest"],
            digest_of(b"nothing"),
            "sha256:zz",
            "bad tag",
            "-x",
            "",
        ]
    )
    tails = st.one_of(
        st.builds(lambda r: f"/manifests/{r}", refs),
        st.builds(lambda r: f"/blobs/{r}", refs),
        st.just("/blobs/uploads/"),
        st.builds(lambda s: f"/blobs/uploads/{s}", st.sampled_from([world["session"], "nope", ""])),
        st.just("/tags/list"),
        st.text(max_size=12).map(lambda t: "/" + t),
    )
    tails = st.one_of(tails, tails.filter(lambda t: not t.startswith("/") or "/" in t[1:]))
    paths = st.one_of(
        st.builds(lambda n, t: f"/v2/{n}{t}", names, tails),
        st.sampled_from(["/v2", "/v2/", "/token", "/token/", "/v2//", "/v2/_catalog"]),
    )
    query = st.dictionaries(
        st.sampled_from(["digest", "n", "last", "mount", "from"]),
        st.one_of(refs, st.text(max_size=8), st.sampled_from(["0", "1", "²", "-1", "10"])),
        max_size=3,
    )
    auth = st.sampled_from(
        [f"Bearer {world['push']}"] * 8
        + [
            None,
            f"Bearer {world['pull']}",
            "Bearer garbage",
            "Bearer ",
            "Basic !!!",
            "Basic " + base64.b64encode(b"AWS:nope").decode(),
            "Digest x",
        ]
    )
    header_values = st.one_of(
        st.text(max_size=20),
        st.sampled_from(["bytes=0-3", "bytes=-2", "0-0", "0-99", "5-2", "bytes=9-"]),
    )
    headers = st.dictionaries(
        st.sampled_from(["range", "content-range", "accept", "content-type", "content-length"]),
        header_values,
        max_size=3,
    )
    bodies = st.lists(st.binary(max_size=64), max_size=3)
    return st.tuples(st.sampled_from(METHODS), paths, query, auth, headers, bodies)


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_request_gets_a_protocol_answer(world, data):
    method, path, query, auth, headers, body = data.draw(requests(world))
    state = world["service"]
    if auth is not None:
        headers = {**headers, "authorization": auth}
    parts = iter([*body, b""])
    before = snapshot(state)
    request = Request(method, path, query, headers, world["base"])
    answer = handle(state, request, lambda: next(parts, b""))
    assert answer.status in STATUSES, (request, answer)
    if answer.status >= 400:
        errors = json.loads(answer.body)["errors"]
        assert [sorted(e) for e in errors] == [["code", "message"]]
        assert snapshot(state) == before, (request, answer)
