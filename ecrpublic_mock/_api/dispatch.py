"""One request in, one wire answer out: region rules, validation, the operation, errors.

The same path serves the in-process hook and the HTTP server. Parsing, conversion and
validation touch no state, so they run before the lock is taken; the injected faults,
the operation and the call log run under it, so the log's order is the order of state.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import TYPE_CHECKING, Any

from .._core import messages
from .._core.errors import EcrPublicMockBug, ServiceError
from .._harness.calls import Call, logged
from .._harness.faults import take_fault
from .._model import model_operations
from .._model.validation import convert, validate
from .encoded import decoded, dump
from .operations import HANDLERS, Request
from .regions import HOME_REGION
from .shapes import trim

if TYPE_CHECKING:
    from .._harness.state import MockState

CONTENT_TYPE = "application/x-amz-json-1.1"
Answer = tuple[int, dict[str, str], bytes]


def answer(state: MockState, operation: str, region: str, body: bytes | str | None) -> Answer:
    """Serve one request: (status, headers, body), as the service would send them."""
    params: dict[str, Any] = {}
    converted: Any = None
    first: ServiceError | None = None  # answered even before an injected fault
    later: ServiceError | None = None  # answered after an injected fault
    size = len(body) if body is not None else 0
    try:
        parsed = _parse(body)
        params = parsed if isinstance(parsed, dict) else params
        if not served(operation):
            raise messages.error(messages.NOT_SERVED, operation=operation)
        if region != HOME_REGION:
            raise messages.error(
                messages.UNSUPPORTED_COMMAND, operation=operation, home=HOME_REGION
            )
    except ServiceError as error:
        first = error
    else:
        try:
            converted = convert(operation, parsed)
            validate(operation, converted)
        except ServiceError as error:
            later = error
    with state.lock:
        try:
            if first is not None:
                raise first
            if state.faults:
                take_fault(state.faults, operation)
            if later is not None:
                raise later
            output = _run(state, operation, converted)
            if older_model():
                output = trim(operation, decoded(output))
            status, payload, outcome = 200, output, "success"
        except ServiceError as error:
            status, payload, outcome = error.status, error_payload(error), error.code
        except EcrPublicMockBug:
            state.calls.append(Call(operation, logged(operation, params, size), "InternalFailure"))
            raise
        state.calls.append(Call(operation, logged(operation, params, size), outcome))
    return encode(status, payload)


@cache
def older_model() -> bool:
    """Is the installed model older than the one the handlers answer for (it lacks one of
    their operations)? Only then can an answer hold a member it does not define: models
    only ever gain members, so a model with every operation has every member too."""
    return not set(HANDLERS) <= model_operations()


def served(operation: str) -> bool:
    """Does the mock serve ``operation``: a handler, and the installed model's shapes?
    A newer botocore's client can send one it does not know yet. (Not cached per name:
    a server's callers can send any name.)"""
    return operation in HANDLERS and operation in model_operations()


def error_payload(error: ServiceError) -> dict[str, Any]:
    """The JSON 1.1 error body: ``__type``, ``message`` and any extra members."""
    return {"__type": error.code, "message": error.message, **error.fields}


def error_body(code: str, message: str) -> bytes:
    """The bytes of a JSON 1.1 error body without extra members (the server's own errors)."""
    return dump({"__type": code, "message": message})


def encode(status: int, payload: Any) -> Answer:
    """An answer as the wire carries it, with AWS's headers."""
    data = dump(payload)
    headers = {
        "x-amzn-RequestId": request_id(),
        "Content-Type": CONTENT_TYPE,
        "Content-Length": str(len(data)),
    }
    return status, headers, data


# The version-4 UUID's variant digit (8, 9, a or b) for any random hex digit.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def request_id() -> str:
    """A random version-4 UUID, as AWS's request ids are: spelled from random bytes, at a
    third of the cost of ``str(uuid.uuid4())`` (which builds an object to print)."""
    hexed = os.urandom(16).hex()
    variant = _VARIANT[hexed[16]]
    return f"{hexed[:8]}-{hexed[8:12]}-4{hexed[13:16]}-{variant}{hexed[17:20]}-{hexed[20:]}"


def _parse(body: bytes | str | None) -> Any:
    """The body's JSON. Bytes must be UTF-8 without a byte-order mark, as a JSON 1.1
    service reads them (``json.loads`` alone would also accept UTF-16 and UTF-32)."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        return json.loads(text) if text else {}
    except (ValueError, RecursionError):  # UnicodeDecodeError and a BOM are ValueErrors
        raise messages.error(messages.BODY_NOT_JSON) from None


def _run(state: MockState, operation: str, params: Any) -> Any:
    """The operation's handler on converted, validated ``params`` (under the lock)."""
    handler = HANDLERS[operation]  # answer() has checked it is served
    try:
        return handler(Request(state, operation, params))
    except ServiceError:
        raise
    except Exception as exc:
        raise EcrPublicMockBug(
            f"ecrpublic_mock failed while serving {operation}; this is a bug in the mock"
        ) from exc
