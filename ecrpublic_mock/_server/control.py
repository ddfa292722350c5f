"""The server's backend (the one registry it answers from) and its control plane.

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
Nothing here imports uvicorn: the app and its control plane are plain ASGI.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._harness.calls import CallRing
from .._harness.faults import Fault
from .._harness.service import Service

if TYPE_CHECKING:
    from .._core.settings import Settings

PREFIX = "/_ecrpublic_mock/"
_FAULT_MEMBERS = frozenset({"code", "operation", "times", "message", "status"})


class Backend:
    """The service a server answers from, and what its control plane does to it.

    ``call_log_size`` None keeps the service's own call log (the in-process served mode
    shares the activation's, unbounded like any activation's); a number bounds it.
    """

    def __init__(self, service: Service, call_log_size: int | None = None) -> None:
        self.service = service
        self.call_log_size = call_log_size
        if call_log_size is not None:
            service.calls = CallRing(call_log_size)

    def serve_at(self, address: str) -> str:
        """While served at ``address`` (``host:port``), URIs name it (unless the mock
        keeps AWS's form); the host they named before, for ``stop_serving``."""
        registry = self.service.registry
        previous = registry.host
        if not registry.settings.public_uris:
            registry.host = address
        return previous

    def stop_serving(self, previous: str) -> None:
        self.service.registry.host = previous

    @classmethod
    def fresh(cls, settings: Settings, call_log_size: int | None) -> Backend:
        return cls(Service(settings), call_log_size)

    def reset(self) -> None:
        self.service.reset()


class ControlError(Exception):
    """A control-plane request that cannot be served: answered with ``status``."""

    def __init__(self, status: int, code: str, message: str, allow: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.allow = allow  # the Allow header of a 405


def control(backend: Backend, method: str, path: str, body: bytes) -> tuple[int, Any]:
    """Serve one control-plane request: (status, JSON-able answer), or raise ControlError."""
    routes = {
        "reset": {"POST": _reset},
        "calls": {"GET": _calls},
        "faults": {"GET": _faults, "POST": _inject},
        "state": {"GET": _state},
    }
    methods = routes.get(path.removeprefix(PREFIX))
    if methods is None:
        raise ControlError(404, "NotFound", f"No control endpoint at {path!r}; see the README")
    handler = methods.get(method)
    if handler is None:
        allow = ", ".join(methods)
        raise ControlError(405, "MethodNotAllowed", f"{path} accepts {allow}, not {method}", allow)
    return handler(backend, body)


def _reset(backend: Backend, body: bytes) -> tuple[int, Any]:
    backend.reset()
    return 200, {"reset": True}


def _calls(backend: Backend, body: bytes) -> tuple[int, Any]:
    service = backend.service
    with service.lock:
        calls = [dataclasses.asdict(call) for call in service.calls]
    return 200, {"calls": calls, "size": backend.call_log_size}


def _fault_json(fault: Fault) -> dict[str, Any]:
    return {
        "code": fault.code,
        "operation": fault.operation,
        "times": fault.remaining,
        "message": fault.message,
        "status": fault.status,
    }


def _faults(backend: Backend, body: bytes) -> tuple[int, Any]:
    with backend.service.lock:
        return 200, {"faults": [_fault_json(fault) for fault in backend.service.faults]}


def _inject(backend: Backend, body: bytes) -> tuple[int, Any]:
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
    with backend.service.lock:
        backend.service.faults.append(fault)
    return 201, {"fault": _fault_json(fault)}


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, RecursionError):
        raise ControlError(400, "InvalidRequest", "the body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise ControlError(400, "InvalidRequest", "the body must be a JSON object")
    return parsed


def _state(backend: Backend, body: bytes) -> tuple[int, Any]:
    from .._helpers import views

    registry = backend.service.registry
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
