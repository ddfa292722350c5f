"""The sandbox's namespaces, made and held; run as a file by ``_sandbox.sandbox``.

Standard library only, and never importing the package: it starts in tens of
milliseconds (importing the package, botocore with it, would take 0.2 s). It unshares a
network, a mount and a PID namespace (and first a user namespace, where it is not root),
then forks the first process of the new PID namespace, which:

- brings up loopback, the namespace's only interface: no route leads off the machine;
- lays a private overlay over ``/etc``: the sandbox's own files (the CA in docker's and
  containers' ``certs.d``) over the machine's, and writes going to a tmpfs of its own, so
  that nothing written there reaches the machine's ``/etc``; then bind-mounts the
  sandbox's hosts file over ``/etc/hosts``;
- hides the daemons outside: docker's socket under ``/dev/null``, containerd's, podman's
  and buildkit's folders under an empty tmpfs (a daemon outside would push from outside
  the namespace);
- mounts a ``/proc`` of the new PID namespace;
- listens on 127.0.0.1 ports 443 and 80 and hands both sockets to the parent, which
  serves the mock on them (SCM_RIGHTS: the sockets stay in the namespace's network);
- starts a private dockerd when asked, and waits until it answers;
- then holds all this until the parent closes the control socket (or dies): it stops
  dockerd and exits, and the kernel kills every process still in the PID namespace.

The control socket is a SOCK_SEQPACKET pair, one JSON object a message: ``{"pid"}`` (the
namespace's first process, as the parent's PID namespace numbers it), then ``{"ready"}``
with the two sockets, or ``{"error"}`` at any step, a line the parent shows as it is.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x2, 0x4, 0x8
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
# The ports the mock answers on inside: HTTPS, and HTTP as the served mock has it.
PORTS = (443, 80)

_libc = ctypes.CDLL(None, use_errno=True)


class Failed(Exception):
    """A step of the set-up failed: its message is the line the parent shows."""


def _call(what: str, result: int) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise Failed(f"{what}: {os.strerror(code)}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str = "") -> None:
    _call(
        f"mounting {target}",
        _libc.mount(
            source and source.encode(),
            target.encode(),
            kind and kind.encode(),
            ctypes.c_ulong(flags),
            data.encode() or None,
        ),
    )


def _write(path: str, text: str) -> None:
    with open(path, "w") as file:
        file.write(text)


def unshare(config: dict[str, Any]) -> None:
    """The namespaces; as another user than root, in a user namespace where that user is
    root (one id mapped: the caller's)."""
    flags = CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID
    if config["user_namespace"]:
        uid, gid = os.getuid(), os.getgid()
        _call("creating the namespaces (unshare)", _libc.unshare(flags | CLONE_NEWUSER))
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    else:
        _call("creating the namespaces (unshare)", _libc.unshare(flags))


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(probe, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(probe, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def lay_mounts(config: dict[str, Any]) -> None:
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    layer = config["layer"]
    _mount("tmpfs", layer, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
    for part in ("upper", "work"):
        os.mkdir(f"{layer}/{part}")
    # The sandbox's own files (the CA in certs.d) over the machine's /etc, as a lower
    # layer: made by the parent, they need no writing through /etc, which a user
    # namespace's root may not do in folders the machine's root owns (/etc/docker).
    layers = f"lowerdir={config['etc']}:/etc,upperdir={layer}/upper,workdir={layer}/work"
    _mount("overlay", "/etc", "overlay", 0, layers)
    os.close(os.open("/etc/hosts", os.O_CREAT | os.O_RDONLY))  # a mount point, however /etc is
    _mount(config["hosts"], "/etc/hosts", None, MS_BIND)
    for path in config["hidden"]:
        if os.path.exists(path):
            _mount("/dev/null", path, None, MS_BIND)
    for folder in config["hidden_folders"]:
        if os.path.isdir(folder):
            _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0711")
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def listen() -> list[socket.socket]:
    return [socket.create_server(("127.0.0.1", port), backlog=2048) for port in PORTS]


def start_dockerd(config: dict[str, Any]) -> subprocess.Popen[bytes]:
    """dockerd, answering on its socket; its output goes to its log file."""
    with open(config["dockerd_log"], "wb") as log:
        daemon = subprocess.Popen(config["dockerd"], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + config["dockerd_timeout"]
    while not _answers(config["docker_socket"]):
        if daemon.poll() is not None or time.monotonic() > deadline:
            if daemon.poll() is None:
                daemon.kill()
                daemon.wait()
            with open(config["dockerd_log"], errors="replace") as log:
                tail = " | ".join(log.read().strip().splitlines()[-3:])
            raise Failed(f"dockerd did not start (exit status {daemon.returncode}): {tail}")
        time.sleep(0.02)
    return daemon


def _answers(path: str) -> bool:
    """Whether dockerd answers ``GET /_ping`` on its socket."""
    try:
        with socket.socket(socket.AF_UNIX) as probe:
            probe.settimeout(5)
            probe.connect(path)
            probe.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
            return probe.recv(64).startswith(b"HTTP/1.0 200")
    except OSError:
        return False


def _stop(daemon: subprocess.Popen[bytes], patience: float) -> None:
    """SIGTERM, then SIGKILL after ``patience`` seconds."""
    if daemon.poll() is None:
        daemon.terminate()
        try:
            daemon.wait(patience)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def hold(control: socket.socket, config: dict[str, Any]) -> None:
    """The PID namespace's first process: set up, report, then reap orphans (it is their
    init) until the parent closes the control socket; then stop dockerd."""
    loopback_up()
    lay_mounts(config)
    sockets = listen()
    daemon = start_dockerd(config) if config["dockerd"] else None
    socket.send_fds(control, [b'{"ready": true}'], [sock.fileno() for sock in sockets])
    for sock in sockets:
        sock.close()
    # Orphans of the namespace become this process's children: reap each as it ends.
    signal.signal(signal.SIGCHLD, _reap)
    control.recv(1)  # until the parent closes the socket (or dies)
    if daemon is not None:
        _stop(daemon, config["dockerd_stop"])


def _reap(signum: int, frame: object) -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def main(config: dict[str, Any], control: socket.socket) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        unshare(config)
        child = os.fork()
    except (Failed, OSError) as error:
        _fail(control, error)
        return 1
    if child:
        control.send(json.dumps({"pid": child}).encode())
        control.close()
        status = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
        # The sandbox's files, also when the parent died before it could remove them.
        for folder in config["folders"]:
            shutil.rmtree(folder, ignore_errors=True)
        return status
    try:
        hold(control, config)
    except (Failed, OSError) as error:
        _fail(control, error)
        return 1
    return 0


def _fail(control: socket.socket, error: BaseException) -> None:
    """The failed step as one line: a system call's error as ``file: reason``."""
    if isinstance(error, OSError):
        message = ": ".join(str(part) for part in (error.filename, error.strerror) if part)
    else:
        message = str(error)
    control.send(json.dumps({"error": message}).encode())


def launch() -> int:
    """``python -c LAUNCH holder.py CONFIG FD`` (``sandbox.LAUNCH``): the settings file,
    the control socket's descriptor."""
    with open(sys.argv[2]) as settings:
        return main(json.load(settings), socket.socket(fileno=int(sys.argv[3])))
