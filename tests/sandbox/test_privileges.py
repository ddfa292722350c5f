"""What the sandbox needs of the machine: each refusal is one line saying what is missing
and how to get it, checked before anything starts (simulated here: this machine has it
all)."""

from __future__ import annotations

import shutil
import sys

import pytest

from ecrpublic_mock import SandboxUnavailable
from ecrpublic_mock._sandbox import privileges


@pytest.fixture
def linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")


@pytest.fixture
def unprivileged(linux, monkeypatch, tmp_path):
    """A user other than root, on a kernel whose switches are the files of ``switches``."""
    monkeypatch.setattr(privileges.os, "geteuid", lambda: 1000)
    switches = tuple(
        (str(tmp_path / f"switch{index}"), forbidding, sysctl)
        for index, (_, forbidding, sysctl) in enumerate(privileges.SWITCHES)
    )
    monkeypatch.setattr(privileges, "SWITCHES", switches)
    return {tmp_path / f"switch{index}": switch[1] for index, switch in enumerate(switches)}


def refusal(docker: bool = False) -> str:
    with pytest.raises(SandboxUnavailable) as raised:
        privileges.mode(docker)
    return str(raised.value)


@pytest.mark.parametrize("docker", [False, True])
def test_root_makes_the_namespaces_itself(linux, monkeypatch, docker):
    monkeypatch.setattr(privileges.os, "geteuid", lambda: 0)
    assert privileges.mode(docker) == "root"


def test_another_user_needs_user_namespaces(unprivileged):
    """No switch file (a kernel without them) or each at its allowing value: allowed."""
    assert privileges.mode(False) == "user"
    for path, forbidding in unprivileged.items():
        path.write_text("1\n" if forbidding == "0" else "0\n")
    assert privileges.mode(False) == "user"


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (
            0,
            "unprivileged user namespaces are disabled ({path} is 0): run as root, or allow "
            "them with: sysctl -w kernel.unprivileged_userns_clone=1",
        ),
        (
            1,
            "unprivileged user namespaces are disabled ({path} is 0): run as root, or allow "
            "them with: sysctl -w user.max_user_namespaces=15000",
        ),
        (
            2,
            "unprivileged user namespaces are disabled ({path} is 1): run as root, or allow "
            "them with: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
        ),
    ],
)
def test_each_kernel_switch_that_forbids_them_is_named_with_its_sysctl(
    unprivileged, index, message
):
    path = list(unprivileged)[index]
    path.write_text(f"{unprivileged[path]}\n")
    assert refusal() == message.format(path=path)


def test_docker_needs_root(unprivileged):
    assert refusal(docker=True) == (
        "--docker needs root: dockerd does not run in an unprivileged user namespace "
        "(run the sandbox as root, or without --docker and with podman)"
    )


def test_nsenter_is_needed(linux, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert refusal() == ("the sandbox needs nsenter, from util-linux (apt-get install util-linux)")


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_linux_is_needed(monkeypatch, platform):
    monkeypatch.setattr(sys, "platform", platform)
    assert refusal() == (
        f"the sandbox needs Linux namespaces; this is {platform} "
        "(use serve, or run the sandbox in a Linux VM or container)"
    )


@pytest.mark.parametrize(
    ("mode", "how"),
    [
        ("root", "root needs CAP_SYS_ADMIN for them (a container: run it with --privileged)"),
        ("user", "the kernel or a security module refuses user namespaces here: run it as root"),
    ],
)
def test_namespaces_refused_by_the_kernel_say_how_to_get_them(mode, how):
    """The kernel's refusal (EPERM from unshare) comes late, from the holder: as root
    without CAP_SYS_ADMIN (a container's default), or where a policy the switches do not
    show forbids user namespaces. test_cli.py provokes the first for real."""
    step = "creating the namespaces (unshare): Operation not permitted"
    assert (
        str(privileges.refused(step, mode))
        == f"cannot make the sandbox's namespaces ({step}): {how}"
    )
