"""Starting sandboxes in tests, and looking for the processes they leave.

A machine that cannot make the sandbox's namespaces (neither root nor unprivileged user
namespaces) skips these tests, unless ``ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1`` (CI), as a
missing registry client does (``_clients.missing``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from _clients import missing

from ecrpublic_mock import SandboxUnavailable

if TYPE_CHECKING:
    from ecrpublic_mock import EcrPublicMock, Sandbox


def sandbox_or_skip(mock: EcrPublicMock, *, docker: bool = False) -> Sandbox:
    """``mock.sandbox(docker=docker)``, started; a machine that cannot run it skips the
    test (fails it under CI), but for set-up failures a test provokes on purpose."""
    try:
        return mock.sandbox(docker=docker)
    except SandboxUnavailable as error:
        if str(error).startswith(("cannot set up the sandbox", "the sandbox's set-up")):
            raise
        missing(f"the sandbox cannot run here: {error}")
        raise


def processes_with(text: str) -> list[int]:
    """The processes of this machine whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in command:
                found.append(int(entry.name))
    return found


def left_after_a_while(text: str, seconds: float = 10) -> list[int]:
    """``processes_with(text)`` once it is empty, or after ``seconds``: a process killed a
    moment ago may still be on its way out."""
    deadline = time.monotonic() + seconds
    while (found := processes_with(text)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return found
