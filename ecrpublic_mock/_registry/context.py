"""What every handler of the registry protocol takes and gives: one request's context,
and the answer, streamed or whole."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from .._core.paths import RepositoryPath, repository_at

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable

    from .._core.state import Registry, Repository
    from .._core.tokens import Grant
    from .._harness.state import MockState

    # A handler that reads the request's body is a generator: each ``yield`` asks for the
    # next part (``b""`` at the end), which the server sends in once it has arrived whole.
    # No thread waits for a body's bytes: the server runs each step when its part is there.
    T = TypeVar("T")
    Body = Generator[None, bytes, T]

# The registry endpoint's service name, in its challenge (docs/aws-behaviour.md).
SERVICE = "public.ecr.aws"
API_VERSION = {"Docker-Distribution-API-Version": "registry/2.0"}
JSON = "application/json; charset=utf-8"


@dataclass
class Request:
    """What the protocol reads of an HTTP request."""

    method: str
    path: str  # percent-decoded
    query: dict[str, str]  # the first value of each parameter
    headers: dict[str, str]  # lower-case names; a repeated header's values joined by ", "
    base: str  # "http://host:port", as the client addressed the server
    client: str = ""  # the address the request came from


@dataclass
class Response:
    """``body``, or ``length`` bytes from ``stream`` (chunks sent as they come)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    stream: Iterable[bytes] | None = None
    length: int | None = None


class BodyCut(Exception):
    """The request's body will not come whole: its client went (``ClientDisconnected``)
    or was too slow (``RequestTimeout``, answered 408). Thrown into a handler reading the
    body, so that it ends what it began; ``code`` is what the call log records."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Context:
    """One request as its route's handler sees it: the mock's state, the request, and the
    repository path and reference the route matched. ``pushing`` says whether the request
    changes it. A handler reads the body by yielding (``Body``)."""

    state: MockState
    request: Request
    name: str = ""
    ref: str = ""
    pushing: bool = False
    grant: Grant | None = None  # what the request's token allows (none at /token/)

    @property
    def registry(self) -> Registry:
        return self.state.registry

    @property
    def path(self) -> RepositoryPath:
        return RepositoryPath.parse(self.name)

    def repository(self) -> Repository:
        """The repository the request names; the caller holds the lock."""
        return repository_at(self.state.registry, self.path, pushing=self.pushing)

    def url(self, tail: str) -> str:
        """Where ``tail`` of this repository is, as the client addressed the server."""
        return f"{self.request.base}/v2/{self.name}/{tail}"


# Past 18 digits a number is larger than anything the registry holds (and int() refuses
# strings of more than 4,300 digits).
_DIGITS = 18
_BEYOND = 10**_DIGITS


def number(digits: str) -> int:
    """A decimal number a request gives (a range, an offset): however many digits, never
    an error of ours; one too large to mean anything reads as larger than any size."""
    return int(digits) if len(digits) <= _DIGITS else _BEYOND


def ok(status: int, headers: dict[str, str], body: bytes = b"") -> Response:
    return Response(status, {**API_VERSION, **headers}, body)


def error_answer(status: int, code: str, message: str, headers: dict[str, str]) -> Response:
    """The distribution-spec's error answer: ``{"errors": [{"code", "message"}]}``."""
    # Compact and ending in a newline, as public.ecr.aws sends it: its 401 body is 58 bytes
    # (fluxcd/flux#3492, lablup/backend.ai#2549), the 57 of the JSON and a newline.
    body = json.dumps({"errors": [{"code": code, "message": message}]}, separators=(",", ":"))
    return Response(status, {**API_VERSION, "Content-Type": JSON, **headers}, f"{body}\n".encode())


def challenge(base: str) -> str:
    """ECR Public's challenge, with this server's token endpoint as the realm."""
    return f'Bearer realm="{base}/token/",service="{SERVICE}",scope="aws"'
