"""The server's control plane: what a test outside Python does to the mock's state.

The control plane lives under one reserved path prefix, ``/_ecrpublic_mock/``, which no
AWS SDK ever requests (the service's API is ``POST /``). It is what a test outside Python
uses instead of the handle's methods::

    POST /_ecrpublic_mock/reset    fresh, empty state (the call log and faults too)
    GET  /_ecrpublic_mock/calls    the call log, oldest first
    GET  /_ecrpublic_mock/faults   the faults still pending
    POST /_ecrpublic_mock/faults   inject a fault: {"code", "operation", "times", "message",
                                   "status"}, as ``EcrPublicMock.inject_fault``
    GET  /_ecrpublic_mock/state    every repository with its images, tags and layers

Answers are JSON; a bad request is a 400 ``{"__type": "InvalidRequest", "message": ...}``.
``ROUTES`` is the table (path, method, operation) the server's router mounts; nothing here
knows HTTP beyond it.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .._harness.faults import Fault

if TYPE_CHECKING:
    from .._harness.state import MockState

PREFIX = "/_ecrpublic_mock/"
_FAULT_MEMBERS = frozenset({"code", "operation", "times", "message", "status"})


class ControlError(Exception):
    """A control-plane request that cannot be served: answered with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _reset(state: MockState, body: bytes) -> tuple[int, Any]:
    state.reset()
    return 200, {"reset": True}


def _calls(state: MockState, body: bytes) -> tuple[int, Any]:
    with state.lock:
        calls = [dataclasses.asdict(call) for call in state.calls]
    return 200, {"calls": calls, "size": state.call_log_size}


def _fault_json(fault: Fault) -> dict[str, Any]:
    return {
        "code": fault.code,
        "operation": fault.operation,
        "times": fault.remaining,
        "message": fault.message,
        "status": fault.status,
    }


def _faults(state: MockState, body: bytes) -> tuple[int, Any]:
    with state.lock:
        return 200, {"faults": [_fault_json(fault) for fault in state.faults]}


def _inject(state: MockState, body: bytes) -> tuple[int, Any]:
    request = _json_object(body)
    unknown = sorted(set(request) - _FAULT_MEMBERS)
    if unknown:
        members = sorted(_FAULT_MEMBERS)
        raise ControlError(400, "InvalidRequest", f"unknown {unknown}; a fault has {members}")
    code: Any = request.get("code")  # checked by Fault.make, as inject_fault checks it
    try:
        fault = Fault.make(
            code,
            request.get("operation"),
            request.get("times", 1),
            request.get("message"),
            request.get("status"),
        )
    except (TypeError, ValueError) as error:
        raise ControlError(400, "InvalidRequest", str(error)) from None
    with state.lock:
        state.faults.append(fault)
    return 201, {"fault": _fault_json(fault)}


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, RecursionError):
        raise ControlError(400, "InvalidRequest", "the body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise ControlError(400, "InvalidRequest", "the body must be a JSON object")
    return parsed


def _state(state: MockState, body: bytes) -> tuple[int, Any]:
    from .._helpers import views

    registry = state.registry
    repositories = views.repositories(registry)
    premium = views.repositories(registry, "PREMIUM")
    return 200, {
        "registryId": registry.account_id,
        "registryAlias": registry.alias,
        "repositories": [_plain(view) for view in repositories.values()],
        "premiumRepositories": [_plain(view) for view in premium.values()],
        "entitlements": list(registry.entitlements),
    }


def _plain(value: Any) -> Any:
    """A view as JSON: dataclasses and mappings as objects, times in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


Operation = Callable[["MockState", bytes], "tuple[int, Any]"]
# Each path under PREFIX, its methods and what each does: (status, JSON-able answer), or
# ControlError.
ROUTES: Mapping[str, Mapping[str, Operation]] = {
    "reset": {"POST": _reset},
    "calls": {"GET": _calls},
    "faults": {"GET": _faults, "POST": _inject},
    "state": {"GET": _state},
}
