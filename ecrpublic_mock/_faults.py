"""Fault injection and the call log: what a test sets up and reads back on the handle."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ._errors import ServiceError
from ._validation import blob_length

# Status codes of the errors a test is likely to inject; everything else is a client error.
_STATUS = {
    "ServerException": 500,
    "InternalFailure": 500,
    "InternalServerError": 500,
    "ServiceUnavailable": 503,
    "ServiceUnavailableException": 503,
}
_MESSAGES = {"ThrottlingException": "Rate exceeded", "ServerException": "Internal Server Error"}


@dataclass
class Fault:
    """The next ``remaining`` calls (of ``operation``, or of any) fail with ``code``."""

    code: str
    operation: str | None
    remaining: int
    message: str
    status: int

    @classmethod
    def make(
        cls, code: str, operation: str | None, times: int, message: str | None, status: int | None
    ) -> Fault:
        """Check ``inject_fault``'s arguments when it is called, not when the fault fires:
        TypeError for a wrong type, ValueError for a wrong value, naming the argument."""
        if not isinstance(code, str):
            raise TypeError(f"code must be a str, got {code!r}")
        if not code:
            raise ValueError("code must be a non-empty str, got ''")
        if operation is not None:
            if not isinstance(operation, str):
                raise TypeError(f"operation must be None or a str, got {operation!r}")
            operation = _operation_name(operation)
        if not _is_int(times):
            raise TypeError(f"times must be a positive int, got {times!r}")
        if times < 1:
            raise ValueError(f"times must be a positive int, got {times!r}")
        if message is not None and not isinstance(message, str):
            raise TypeError(f"message must be None or a str, got {message!r}")
        if status is not None:
            if not _is_int(status):
                raise TypeError(f"status must be None or an int, got {status!r}")
            if not 400 <= status <= 599:
                raise ValueError(f"status must be an HTTP error status (400-599), got {status!r}")
        return cls(
            code=code,
            operation=operation,
            remaining=times,
            message=message if message is not None else _MESSAGES.get(code, f"Injected {code}"),
            status=status if status is not None else _STATUS.get(code, 400),
        )


def _is_int(value: object) -> bool:
    """An int that is not a bool (bool is an int subclass, but not a count or a status)."""
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def _operation_names() -> dict[str, str]:
    """Every accepted spelling of an operation: its API name and its boto3 method name."""
    from botocore import xform_name

    from ._model import service_model

    names = {xform_name(op): op for op in service_model().operation_names}
    names.update({op: op for op in names.values()})
    return names


def _operation_name(name: str) -> str:
    """Accept the API name (``PutImage``) or the boto3 method name (``put_image``)."""
    found = _operation_names().get(name)
    if found is None:
        raise ValueError(f"operation {name!r} is not an ecr-public operation")
    return found


def take_fault(faults: list[Fault], operation: str) -> None:
    """Raise the first pending fault that applies to ``operation``, using it up once."""
    for fault in faults:
        if fault.operation in (None, operation):
            fault.remaining -= 1
            if fault.remaining == 0:
                faults.remove(fault)
            raise ServiceError(fault.code, fault.message, fault.status)


def logged(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters as the call log keeps them: blobs become ``"<N bytes>"``.

    A layer part is up to 20 MiB of base64; keeping every one would make the log hold
    every layer ever uploaded a second time.
    """
    paths = _blob_paths(operation)
    if not paths:
        return params
    kept = dict(params)
    for parent, member in paths:
        holder = kept if parent is None else kept.get(parent)
        if isinstance(holder, dict) and isinstance(holder.get(member), str):
            if parent is not None:
                holder = kept[parent] = dict(holder)
            holder[member] = f"<{blob_length(holder[member])} bytes>"
    return kept


@cache
def _blob_paths(operation: str) -> tuple[tuple[str | None, str], ...]:
    """Blob members of an operation's input, top-level or one structure down."""
    from ._model import operation_model

    shape: Any = operation_model(operation).input_shape
    found: list[tuple[str | None, str]] = []
    for name, member in shape.members.items():
        if member.type_name == "blob":
            found.append((None, name))
        elif member.type_name == "structure":
            found += [(name, inner) for inner, m in member.members.items() if m.type_name == "blob"]
    return tuple(found)


@dataclass(frozen=True)
class Call:
    """One call the mock served: what was asked and how it ended."""

    operation: str
    params: dict[str, Any]
    outcome: str  # "success", or the error code answered

    @property
    def succeeded(self) -> bool:
        return self.outcome == "success"
