"""One request in, one wire answer out: region rules, validation, the operation, errors."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from ._errors import EcrPublicMockBug, ServiceError
from ._faults import Call, logged, take_fault
from ._model import service_model
from ._operations import HANDLERS
from ._regions import HOME_REGION, TOKEN_OPERATION, TOKEN_REGION
from ._validation import convert, validate

if TYPE_CHECKING:
    from ._state import Registry

_CONTENT_TYPE = "application/x-amz-json-1.1"


def answer(
    registry: Registry, operation: str, region: str, body: bytes | str | None
) -> tuple[int, dict[str, str], bytes]:
    """Serve one request: (status, headers, body), as the service would send them."""
    params: dict[str, Any] = {}
    # Served and logged under one lock: the call log's order is the order of service.
    with registry.lock:
        try:
            parsed = _parse(body)
            params = parsed if isinstance(parsed, dict) else params
            if region == TOKEN_REGION and operation != TOKEN_OPERATION:
                raise ServiceError(
                    "UnsupportedCommandException",
                    f"{operation} command is only supported in {HOME_REGION}.",
                )
            status, payload, outcome = 200, _serve(registry, operation, parsed), "success"
        except ServiceError as error:
            status, payload = error.status, {"__type": error.code, "message": error.message}
            payload.update(error.fields)
            outcome = error.code
        except EcrPublicMockBug:
            registry.calls.append(Call(operation, logged(operation, params), "EcrPublicMockBug"))
            raise
        registry.calls.append(Call(operation, logged(operation, params), outcome))
    data = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "x-amzn-RequestId": str(uuid.uuid4()),
        "Content-Type": _CONTENT_TYPE,
        "Content-Length": str(len(data)),
    }
    return status, headers, data


def _parse(body: bytes | str | None) -> Any:
    """The body's JSON. Bytes must be UTF-8 without a byte-order mark, as a JSON 1.1
    service reads them (``json.loads`` alone would also accept UTF-16 and UTF-32)."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        return json.loads(text) if text else {}
    except (ValueError, RecursionError):  # UnicodeDecodeError and a BOM are ValueErrors
        raise ServiceError("SerializationException", "The request body is not valid JSON") from None


def _serve(registry: Registry, operation: str, params: Any) -> Any:
    """Run under ``registry.lock`` (held by ``answer``)."""
    take_fault(registry.faults, operation)
    return _handle(registry, operation, convert(operation, params))


def _handle(registry: Registry, operation: str, params: Any) -> Any:
    """Validate converted ``params`` and run the operation's handler on them."""
    validate(operation, params)
    handler = HANDLERS[operation]  # botocore only sends operations of its model
    try:
        return handler(registry, params)
    except ServiceError:
        raise
    except Exception as exc:
        raise EcrPublicMockBug(
            f"ecrpublic_mock failed while serving {operation}; this is a bug in the mock"
        ) from exc


def call(registry: Registry, operation: str, params: dict[str, Any]) -> Any:
    """Serve an operation for the handle's helpers: same checks, same errors as a client's.

    ``params`` are already converted (blobs are ``bytes``, no ``None`` members), so a
    helper's layer bytes are never base64-encoded only to be decoded again. Errors are
    raised as the modeled exception classes of boto3's default session, so
    ``except client.exceptions.ImageTagAlreadyExistsException`` catches them for any client
    made with ``boto3.client(...)``.
    """
    try:
        with registry.lock:
            return _handle(registry, operation, params)
    except ServiceError as error:
        raise _exceptions().from_code(error.code)(
            {"Error": {"Code": error.code, "Message": error.message}}, operation
        ) from None


def _exceptions() -> Any:
    import boto3

    # The session boto3.client() uses (typed Any: stub versions disagree on its internals).
    session: Any = boto3._get_default_session()._session
    # The factory clients are built with (it caches one class per error code).
    factory = session._get_internal_component("exceptions_factory")
    return factory.create_client_exceptions(service_model())
