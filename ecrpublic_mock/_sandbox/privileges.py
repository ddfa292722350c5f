"""What the sandbox needs of the machine, checked before anything starts.

Linux namespaces (network, mount, PID), made as root, or as any user where the kernel
allows unprivileged user namespaces; ``nsenter`` (util-linux) to run commands in them;
for ``--docker``, root (dockerd does not run in an unprivileged user namespace without
rootlesskit's set-up). Each refusal is one line saying what is missing and how to get it.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Literal

Mode = Literal["root", "user"]

# The kernel's switches for unprivileged user namespaces: (file, the value that forbids
# them, the sysctl that allows them). Debian's and Ubuntu's own switch; the general count;
# Ubuntu 23.10 on, AppArmor's restriction.
SWITCHES = (
    ("/proc/sys/kernel/unprivileged_userns_clone", "0", "kernel.unprivileged_userns_clone=1"),
    ("/proc/sys/user/max_user_namespaces", "0", "user.max_user_namespaces=15000"),
    (
        "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
        "1",
        "kernel.apparmor_restrict_unprivileged_userns=0",
    ),
)
# What to do when the kernel refuses the namespaces, by mode.
HOW = {
    "root": "root needs CAP_SYS_ADMIN for them (a container: run it with --privileged)",
    "user": "the kernel or a security module refuses user namespaces here: run it as root",
}


class SandboxUnavailable(RuntimeError):
    """This machine cannot run the sandbox; the message says what is missing."""


def mode(docker: bool) -> Mode:
    """How the sandbox makes its namespaces here: as root, or in a user namespace."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(
            f"the sandbox needs Linux namespaces; this is {sys.platform} "
            "(use serve, or run the sandbox in a Linux VM or container)"
        )
    if shutil.which("nsenter") is None:
        raise SandboxUnavailable(
            "the sandbox needs nsenter, from util-linux (apt-get install util-linux)"
        )
    if os.geteuid() == 0:
        return "root"
    if docker:
        raise SandboxUnavailable(
            "--docker needs root: dockerd does not run in an unprivileged user namespace "
            "(run the sandbox as root, or without --docker and with podman)"
        )
    for path, forbidding, sysctl in SWITCHES:
        if _read(path) == forbidding:
            raise SandboxUnavailable(
                f"unprivileged user namespaces are disabled ({path} is {forbidding}): "
                f"run as root, or allow them with: sysctl -w {sysctl}"
            )
    return "user"


def refused(step: str, mode: Mode) -> SandboxUnavailable:
    """The namespaces could not be made (``step``: the holder's line): what to do."""
    return SandboxUnavailable(f"cannot make the sandbox's namespaces ({step}): {HOW[mode]}")


def _read(path: str) -> str | None:
    try:
        with open(path) as file:
            return file.read().strip()
    except OSError:
        return None
