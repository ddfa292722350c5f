"""``python -m ecrpublic_mock sandbox [options] -- COMMAND...``: one command in a sandbox,
then a summary of what it left on stderr (and, with ``--report``, everything as JSON).

The exit status is the command's; 128 + N when signal N killed it (as shells report it);
127 when it is not found; 125 when the sandbox itself could not run (``env`` and
``timeout`` use these); 130 after Ctrl-C, 143 after SIGTERM, once all is cleaned up.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import signal
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from .._activation.mock import EcrPublicMock
from .._server import control
from .privileges import SandboxUnavailable
from .sandbox import Sandbox

if TYPE_CHECKING:
    from types import FrameType

    from .._core.settings import Settings

PREFIX = "ecrpublic_mock sandbox"
NOT_FOUND, UNAVAILABLE = 127, 125


class _Signalled(BaseException):
    """SIGTERM or SIGHUP reached the sandbox: clean up, then exit 128 + its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> NoReturn:
    raise _Signalled(signum)


def run(
    command: list[str],
    settings: Settings,
    *,
    docker: bool,
    request_timeout: float,
    report: str | None,
) -> int:
    """Run ``command`` in a sandbox serving a mock of ``settings``; its exit status."""
    handlers = {signum: signal.signal(signum, _raise) for signum in (signal.SIGTERM, signal.SIGHUP)}
    mock = EcrPublicMock._from_settings(settings).start()
    sandbox = Sandbox(mock, mock._state, docker=docker, request_timeout=request_timeout)
    try:
        sandbox.start()
        status = _exit_status(sandbox.run(command).returncode)
    except SandboxUnavailable as error:
        print(f"{PREFIX}: {error}", file=sys.stderr)
        return UNAVAILABLE
    except FileNotFoundError as error:
        print(f"{PREFIX}: {error.filename}: command not found", file=sys.stderr)
        status = NOT_FOUND
    except KeyboardInterrupt:
        status = 128 + signal.SIGINT
    except _Signalled as stop:
        status = 128 + stop.signum
    finally:
        mock.stop()  # and its sandbox
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    print(summary(mock, status), file=sys.stderr)
    if report is not None:
        _write_report(report, mock, command, status)
    return status


def _exit_status(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def summary(mock: EcrPublicMock, status: int) -> str:
    """Three lines: the exit status, what the command left, the calls it made."""
    lines = [f"{PREFIX}: the command exited with status {status}"]
    left = []
    for name, repository in {**mock.repositories, **mock.premium_repositories}.items():
        tags = ", ".join(repository.tags) or "no tags"
        left.append(f"{name} ({_count(len(repository.images), 'image')}: {tags})")
    lines.append(f"{PREFIX}: left {_count(len(left), 'repository', 'repositories')}")
    if left:
        lines[-1] += ": " + "; ".join(left)
    calls = mock.calls
    failed = sum(not call.succeeded for call in calls)
    made = collections.Counter(call.operation for call in calls)
    line = f"{PREFIX}: {_count(len(calls), 'call')} ({failed} failed)"
    if made:
        line += ": " + ", ".join(f"{name} {count}" for name, count in sorted(made.items()))
    lines.append(line)
    return "\n".join(lines)


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _write_report(path: str, mock: EcrPublicMock, command: list[str], status: int) -> None:
    """The command, its exit status, the call log and the final state, as JSON (the
    control plane's ``calls`` and ``state``, field for field)."""
    state: Any = control.ROUTES["state"]["GET"](mock._state, b"")[1]
    document = {
        "command": command,
        "exitStatus": status,
        "calls": [dataclasses.asdict(call) for call in mock.calls],
        "state": state,
    }
    with open(path, "w") as file:
        json.dump(document, file, indent=2, default=str)
        file.write("\n")
