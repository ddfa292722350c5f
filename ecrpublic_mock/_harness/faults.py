"""Fault injection: the next calls fail as AWS would fail them (a test's setting)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .._core.errors import ServiceError

# Status codes of the errors a test is likely to inject; everything else is a client error.
_FAULT_STATUS = {
    "ServerException": 500,
    "InternalFailure": 500,
    "InternalServerError": 500,
    "ServiceUnavailable": 503,
    "ServiceUnavailableException": 503,
    "TOOMANYREQUESTS": 429,
}
_MESSAGES = {
    "ThrottlingException": "Rate exceeded",
    "TOOMANYREQUESTS": "Rate exceeded",  # the registry endpoint's throttle, as docker prints it
    "ServerException": "Internal Server Error",
}


class InjectedFault(ServiceError):
    """A fault a test injected: an AWS error of the test's choosing. ``status_given``: the
    test named its status, which the registry endpoint then answers too (else the status
    the endpoint's code has)."""

    def __init__(self, code: str, message: str, status: int, status_given: bool) -> None:
        super().__init__(code, message, status)
        self.status_given = status_given


@dataclass
class Fault:
    """The next ``remaining`` calls (of ``operation``, or of any) fail with ``code``."""

    code: str
    operation: str | None
    remaining: int
    message: str
    status: int
    status_given: bool = False  # the test named the status: every surface answers it

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
            status=status if status is not None else _FAULT_STATUS.get(code, 400),
            status_given=status is not None,
        )


def _is_int(value: object) -> bool:
    """An int that is not a bool (bool is an int subclass, but not a count or a status)."""
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def _operation_names() -> dict[str, str]:
    """Every accepted spelling of an operation: its API name and its boto3 method name."""
    from botocore import xform_name

    from .._model import service_model

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
            raise InjectedFault(fault.code, fault.message, fault.status, fault.status_given)
