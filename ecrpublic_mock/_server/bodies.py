"""Request bodies as the server receives them: on the event loop, a part at a time, with
the limits every request has (a largest size, a slowest pace).

No worker thread waits for a client's bytes: a part goes to the registry (or the API's
body is complete) only once it has arrived whole.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import TYPE_CHECKING, Any

from .._model import service_model

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping

    Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]

# Room for everything in a request besides its largest member (names, ids, numbers, JSON).
_ENVELOPE = 64 * 1024
# A part: what must arrive within request_timeout seconds, and what is handed on at once.
# Big enough that the hand-over to a worker thread costs nothing next to hashing it.
PART = 1024 * 1024


@cache
def max_body_size() -> int:
    """The largest request body the service's model allows, in bytes on the wire.

    The largest member of any request is a blob (UploadLayerPart's ``layerPartBlob``,
    20 MiB in the model), sent as base64: 4 characters per 3 bytes. Every other member is
    far smaller (PutImage's manifest, the largest string, is 4 MiB), so the blob in base64
    and an envelope for the rest bound every valid request.
    """
    largest = 0
    model = service_model()
    for name in model.operation_names:
        shape: Any = model.operation_model(name).input_shape
        members = list(shape.members.values()) if shape is not None else []
        nested = [m for s in members if s.type_name == "structure" for m in s.members.values()]
        for member in members + nested:
            if member.type_name == "blob":
                largest = max(largest, member.metadata.get("max", 0))
    return 4 * -(-largest // 3) + _ENVELOPE


class EarlyAnswer(Exception):
    """A request answered with an error before (or instead of) reading all of its body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Disconnected(Exception):
    """The client went away before its request was read: there is no one to answer."""


def too_large(size: int, limit: int) -> EarlyAnswer:
    return EarlyAnswer(
        413,
        "PayloadTooLarge",
        f"The request body ({size} bytes or more) is larger than any request of the "
        f"service ({limit} bytes)",
    )


class BodyReader:
    """A request's body as it arrives, a part at a time: ``PART`` bytes, or what is left.
    Each part must arrive whole within ``timeout`` seconds of being asked for, so a body
    comes at ``PART`` bytes per ``timeout`` at least (100 KiB/s with the defaults): a
    client sending a byte now and then is cut (408), not only a silent one. A body past
    ``limit`` bytes (a chunked one, which declares no length) is refused (413)."""

    def __init__(self, receive: Receive, timeout: float, limit: int | None = None) -> None:
        self.receive, self.timeout, self.limit = receive, timeout, limit
        self.more = True
        self.size = 0  # bytes so far

    async def part(self) -> bytes:
        """The next part; ``b""`` once the body is over."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        chunks: list[bytes] = []
        size = 0
        while self.more and size < PART:
            try:
                message = await asyncio.wait_for(self.receive(), deadline - loop.time())
            except asyncio.TimeoutError:
                raise EarlyAnswer(408, "RequestTimeout", self._too_slow()) from None
            if message["type"] == "http.disconnect":
                raise Disconnected("The client closed the connection before its body was sent")
            chunk = message.get("body", b"")
            self.more = message.get("more_body", False)
            chunks.append(chunk)
            size += len(chunk)
            if self.limit is not None and self.size + size > self.limit:
                raise too_large(self.size + size, self.limit)
        self.size += size
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)  # one chunk: no copy

    def _too_slow(self) -> str:
        return (
            f"The request body came too slowly: each {PART // 1024 // 1024} MiB of it, "
            f"or all of a shorter body, must arrive within {self.timeout:g} s"
        )
