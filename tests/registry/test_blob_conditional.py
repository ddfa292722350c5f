"""Conditional GET and HEAD of a blob (RFC 9110, section 13): ``If-Match``,
``If-None-Match`` and ``If-Range`` against the blob's ETag, ``"<digest>"``, as the CNCF
distribution registry answers them through Go's ``http.ServeContent``. AWS leaves this
undocumented for public.ecr.aws (docs/aws-behaviour.md, "Conditional requests on blobs").

Every answer is checked whole over raw HTTP. Each test walks its table through one served
mock and one kept-alive connection, so a 304 or 412 that left bytes behind would garble the
next answer.
"""

from __future__ import annotations

import pytest
from _manifests import sha256
from test_registry_protocol import (
    API_VERSION,
    Answer,
    assert_error,
    blob_headers,
    challenge,
)

pytestmark = pytest.mark.slow

DATA = bytes(range(100))
DIGEST = sha256(DATA)
ETAG = f'"{DIGEST}"'
OTHER = f'"{sha256(b"other bytes")}"'
DATE = "Sat, 29 Oct 1994 19:43:31 GMT"
METHODS = pytest.mark.parametrize("method", ["GET", "HEAD"])


@pytest.fixture
def repositories():
    return ("app",)


def path(wire, digest: str = DIGEST) -> str:
    return f"/v2/{wire.name()}/blobs/{digest}"


def whole(method: str) -> Answer:
    """The blob, as an unconditional request gets it."""
    return Answer(200, blob_headers(DIGEST, len(DATA)), DATA if method == "GET" else b"")


def first_ten(method: str) -> Answer:
    """``Range: bytes=0-9`` served."""
    headers = blob_headers(DIGEST, 10, content_range=f"bytes 0-9/{len(DATA)}")
    return Answer(206, headers, DATA[:10] if method == "GET" else b"")


def not_modified(digest: str = DIGEST) -> Answer:
    """304: the validators, no content and no Content-Length (8.6 lets it leave it out)."""
    headers = {**API_VERSION, "docker-content-digest": digest, "etag": f'"{digest}"'}
    return Answer(304, headers, b"")


def precondition_failed() -> Answer:
    """412: the validators and no content."""
    headers = {
        **API_VERSION,
        "docker-content-digest": DIGEST,
        "etag": ETAG,
        "content-length": "0",
    }
    return Answer(412, headers, b"")


def walk(wire, method: str, cases, digest: str = DIGEST) -> None:
    """Each case is (request headers, the exact answer expected)."""
    for headers, expected in cases:
        answer = wire.request(method, path(wire, digest), headers=headers)
        assert answer == expected, headers


@METHODS
def test_if_none_match(wire, method):
    """RFC 9110 13.1.2: "*" or a tag that weakly matches the ETag (8.8.3.2: "regardless
    of either or both being tagged as 'weak'") is false, so GET and HEAD are 304 Not
    Modified (15.4.5: the ETag, and no representation metadata such as Content-Type);
    a tag that does not match, or a value that is no ``#entity-tag`` list (5.6.1), is
    true: the blob as usual."""
    assert wire.upload(DATA) == DIGEST
    matched = [
        ETAG,
        f"W/{ETAG}",
        "*",
        f'"x", {ETAG}',
        f'"x",W/{ETAG}',
        f", ,{ETAG},",  # empty list elements are accepted (5.6.1)
        f'"a,b", {ETAG}',  # a comma inside an opaque-tag is no separator
        '"x", ' * 2000 + ETAG,
    ]
    unmatched = [
        OTHER,
        '"x"',
        f'"{DIGEST.upper()}"',  # compared character by character
        DIGEST,  # unquoted: no entity-tag
        f'"a,{DIGEST}"',
        f"{ETAG} {ETAG}",  # no comma between the tags
        f"*, {ETAG}",  # "*" is the whole value or nothing
        f"w/{ETAG}",  # "W/" is case-sensitive
        ETAG[:-1],  # unterminated
        '"caf\xe9"',  # obs-text in an opaque-tag
        "",
    ]
    walk(
        wire,
        method,
        [({"If-None-Match": value}, not_modified()) for value in matched]
        + [({"If-None-Match": value}, whole(method)) for value in unmatched],
    )


@METHODS
def test_if_none_match_on_an_empty_blob(wire, method):
    """RFC 9110 15.4.5 and 8.6: a 304's Content-Length, if sent, is the 200's: 0 here."""
    empty = wire.upload(b"")
    answer = wire.request(method, path(wire, empty), headers={"If-None-Match": f'"{empty}"'})
    assert answer == not_modified(empty)


@METHODS
def test_repeated_field_lines_are_one_list(wire, method):
    """RFC 9110 5.3: field lines of one name are one list, their values joined by commas;
    If-Range is no list (13.1.5: ``entity-tag / HTTP-date``), so two of them match
    nothing and the Range is ignored."""
    wire.upload(DATA)
    auth = ("Authorization", f"Bearer {wire.push}")
    answer = wire.send(
        method, path(wire), [("If-None-Match", '"x"'), ("If-None-Match", ETAG), auth]
    )
    assert answer == not_modified()
    answer = wire.send(method, path(wire), [("If-Match", '"x"'), ("If-Match", ETAG), auth])
    assert answer == whole(method)
    pairs = [("Range", "bytes=0-9"), ("If-Range", ETAG), ("If-Range", ETAG), auth]
    assert wire.send(method, path(wire), pairs) == whole(method)


@METHODS
def test_if_match(wire, method):
    """RFC 9110 13.1.1: "*" matches the blob, which exists; otherwise a listed tag must be a
    strong match (8.8.3.2: "both are not weak"), so a weak tag never matches. False is 412
    Precondition Failed; so is a value that is no list of entity tags ("Otherwise, the
    condition is false"), an empty list included."""
    wire.upload(DATA)
    holds = [ETAG, "*", f'"x", {ETAG}', f" , {ETAG} ,"]
    fails = [f"W/{ETAG}", '"x"', OTHER, DIGEST, f"*, {ETAG}", f"{ETAG} {ETAG}", "", "garbage"]
    walk(
        wire,
        method,
        [({"If-Match": value}, whole(method)) for value in holds]
        + [({"If-Match": value}, precondition_failed()) for value in fails],
    )


@METHODS
def test_the_order_of_evaluation(wire, method):
    """RFC 9110 13.2.2: If-Match (step 1) before If-None-Match (step 3), both before the
    Range (step 5): a matching If-None-Match is 304 even with a Range, satisfiable or not.
    If-Unmodified-Since and If-Modified-Since (steps 2 and 4) are ignored: a blob has no
    Last-Modified, and 13.1.3 and 13.1.4 say a recipient "MUST ignore" them "if the
    resource does not have a modification date available"."""
    wire.upload(DATA)
    walk(
        wire,
        method,
        [
            ({"If-Match": '"x"', "If-None-Match": ETAG}, precondition_failed()),
            ({"If-Match": "*", "If-None-Match": "*"}, not_modified()),
            ({"If-Match": ETAG, "If-None-Match": OTHER}, whole(method)),
            ({"If-None-Match": ETAG, "Range": "bytes=0-9"}, not_modified()),
            ({"If-None-Match": ETAG, "Range": "bytes=500-"}, not_modified()),
            ({"If-Match": '"x"', "Range": "bytes=500-"}, precondition_failed()),
            ({"If-Match": ETAG, "Range": "bytes=0-9"}, first_ten(method)),
            ({"If-None-Match": OTHER, "Range": "bytes=0-9"}, first_ten(method)),
            ({"If-Unmodified-Since": DATE}, whole(method)),
            ({"If-Unmodified-Since": "garbage"}, whole(method)),
            ({"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, whole(method)),
            ({"If-Modified-Since": DATE, "Range": "bytes=0-9"}, first_ten(method)),
        ],
    )


@METHODS
def test_if_range(wire, method):
    """RFC 9110 13.1.5: with a Range, If-Range lets it apply only if it is a strong match of
    the ETag; a weak tag never is, and an HTTP-date never is (a blob has no Last-Modified);
    otherwise "the server MUST ignore the Range header field" and sends the whole blob,
    200. Without a Range, If-Range is ignored. A Range that If-Range lets through is
    answered as ever: 206, 416, or ignored if this server does not serve it."""
    wire.upload(DATA)
    refused = f"the range 'bytes=500-' is not satisfiable: the blob has {len(DATA)} bytes"
    cases = [
        (ETAG, "bytes=0-9", first_ten(method)),
        (f" {ETAG} ", "bytes=0-9", first_ten(method)),
        (f"W/{ETAG}", "bytes=0-9", whole(method)),
        (OTHER, "bytes=0-9", whole(method)),
        (DATE, "bytes=0-9", whole(method)),
        ("*", "bytes=0-9", whole(method)),
        (f"{ETAG}, {ETAG}", "bytes=0-9", whole(method)),
        ("garbage", "bytes=0-9", whole(method)),
        ("", "bytes=0-9", whole(method)),
        (OTHER, "bytes=500-", whole(method)),  # the Range ignored, its 416 too
        (ETAG, "bytes=0-1,5-6", whole(method)),
        (ETAG, None, whole(method)),
        (OTHER, None, whole(method)),
    ]
    for if_range, wanted, expected in cases:
        headers = {"If-Range": if_range, **({} if wanted is None else {"Range": wanted})}
        answer = wire.request(method, path(wire), headers=headers)
        assert answer == expected, headers
    answer = wire.request(method, path(wire), headers={"If-Range": ETAG, "Range": "bytes=500-"})
    head = method == "HEAD"
    assert_error(
        answer, 416, "RANGE_NOT_SATISFIABLE", refused, head=head, content_range="bytes */100"
    )


@METHODS
@pytest.mark.parametrize(
    ("conditions", "served"),
    [
        ({"If-Match": "*"}, whole),
        ({"If-None-Match": "*"}, lambda method: not_modified()),
        ({"If-Match": '"x"', "If-Range": ETAG}, lambda method: precondition_failed()),
    ],
    ids=["if-match-star", "if-none-match-star", "if-match-fails"],
)
def test_preconditions_do_not_change_an_error(wire, method, conditions, served):
    """RFC 9110 13.2.1: "A server MUST ignore all received preconditions if its response to
    the same request without those conditions [...] would have been a status code other
    than a 2xx (Successful) or 412": an unknown blob stays 404 (13.1.1: "*" needs a current
    representation), a malformed digest 400, an anonymous HEAD 401; an anonymous GET is
    served, its preconditions evaluated."""
    wire.upload(DATA)
    head = method == "HEAD"
    unknown = path(wire, f"sha256:{'0' * 64}")
    answer = wire.request(method, unknown, headers=conditions)
    assert_error(answer, 404, "BLOB_UNKNOWN", "blob unknown to registry", head=head)
    answer = wire.request(method, path(wire, "sha256:xyz"), headers=conditions)
    assert_error(answer, 400, "DIGEST_INVALID", "invalid digest 'sha256:xyz'", head=head)
    answer = wire.request(method, path(wire), headers=conditions, token=wire.pull)
    if head:
        realm = challenge(f"http://127.0.0.1:{wire.port}")
        assert_error(answer, 401, "DENIED", "Not Authorized", head=True, www_authenticate=realm)
    else:
        assert answer == served(method)
