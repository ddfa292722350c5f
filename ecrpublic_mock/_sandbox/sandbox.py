"""A sandbox: commands run where AWS's hosts are the mock and nothing else is reachable.

``Sandbox.start()`` has ``holder.py`` make the namespaces, then serves the mock's state
(HTTPS on 443, with a CA made for the run, and HTTP on 80) on the two sockets the holder
made inside them. ``run()`` enters the namespaces with ``nsenter``; ``stop()`` stops the
servers and closes the holder's control socket, upon which the holder stops dockerd and
the kernel ends every process left in the namespaces.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._server.runner import DEFAULT_REQUEST_TIMEOUT, BackgroundServer
from . import files, holder, privileges

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from typing_extensions import Self

    from .._activation.mock import EcrPublicMock
    from .._harness.state import MockState

# The holder runs as a file, under its module's name (which tracebacks and coverage show):
# ``-m`` would import the package first, botocore with it.
LAUNCH = (
    "import runpy, sys; "
    "sys.exit(runpy.run_path(sys.argv[1], run_name='ecrpublic_mock._sandbox.holder')['launch']())"
)
# Where dockerd's sockets go (--docker runs as root): a short path, in memory.
SOCKETS = "/run" if os.path.isdir("/run") else None
# How long dockerd may take to answer (its first start on a machine lays out its data).
DOCKERD_TIMEOUT = 60.0
# The holder's own set-up, beyond dockerd's.
SETUP_TIMEOUT = 30.0
# How long dockerd has to stop before the holder kills it (and the namespaces end).
DOCKERD_STOP = 15.0


class _InsideServer(BackgroundServer):
    """A server on a socket made inside the namespaces; the URIs keep AWS's host, which
    is the mock there."""

    advertise = False

    def __init__(self, state: MockState, sock: socket.socket, tls: tuple[str, str] | None) -> None:
        super().__init__(state)
        self._adopted, self.tls = sock, tls

    def _listen(self) -> socket.socket:
        return self._adopted


class Sandbox:
    """Run commands where ``public.ecr.aws`` and the ECR Public API are this mock.

    Made by ``EcrPublicMock.sandbox()`` (started) or the ``ecr_public_sandbox`` fixture.
    ``run()`` a command as ``subprocess.run`` would, then look at ``mock``: the same
    state the command changed. ``stop()`` (or leaving ``with``) ends the namespaces and
    every process left in them.
    """

    def __init__(
        self,
        mock: EcrPublicMock,
        state: MockState,
        *,
        docker: bool = False,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    ) -> None:
        self.mock, self._state = mock, state
        self.docker = docker
        self._request_timeout = request_timeout
        self._holder: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._servers: list[BackgroundServer] = []
        self._pid = 0
        self._user_namespace = False
        self.root = Path()
        self._folders: list[Path] = []
        self.env: dict[str, str] = {}

    def start(self) -> Self:
        """Make the namespaces and serve the mock in them; raises ``SandboxUnavailable``
        (one line: what is missing, how to get it) where this machine cannot."""
        if self._holder is not None:
            raise RuntimeError("this sandbox is already started")
        self._user_namespace = privileges.mode(self.docker) == "user"
        self.root = Path(tempfile.mkdtemp(prefix="ecrpm-sandbox-"))
        self._folders = [self.root]
        self.mock._sandboxed(self, running=True)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        root = self.root
        ca, certificate, key = files.write_tls(root)
        (root / "hosts").write_text(files.hosts_file())
        (root / "layer").mkdir()
        for folder in files.CERT_DIRS:  # the /etc layer of the sandbox's own files
            copy = root / "etc" / folder.removeprefix("/etc/")
            copy.mkdir(parents=True)
            (copy / "ca.crt").write_bytes(ca.read_bytes())
        (root / "docker-config").mkdir()
        (root / "docker").mkdir()
        # Unix socket paths have 107 bytes at most: dockerd's and containerd's go under a
        # short folder, whatever TMPDIR is.
        run = root
        if self.docker:
            run = Path(tempfile.mkdtemp(prefix="ecrpm-", dir=SOCKETS))
            self._folders.append(run)
        docker_socket = run / "docker.sock"
        docker_host = f"unix://{docker_socket}" if self.docker else None
        self.env = files.environment(os.environ, root, docker_host)
        config = {
            "folders": [str(folder) for folder in self._folders],
            "user_namespace": self._user_namespace,
            "layer": str(root / "layer"),
            "etc": str(root / "etc"),
            "hosts": str(root / "hosts"),
            "hidden": files.hidden_sockets(os.environ),
            "hidden_folders": files.HIDDEN_FOLDERS,
            "dockerd": _dockerd(root / "docker", run) if self.docker else [],
            "docker_socket": str(docker_socket),
            "dockerd_log": str(root / "docker" / "dockerd.log"),
            "dockerd_timeout": DOCKERD_TIMEOUT,
            "dockerd_stop": DOCKERD_STOP,
        }
        (root / "holder.json").write_text(json.dumps(config))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._control = ours
        with theirs, (root / "holder.log").open("wb") as log:
            self._holder = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    LAUNCH,
                    holder.__file__,
                    str(root / "holder.json"),
                    str(theirs.fileno()),
                ],
                pass_fds=[theirs.fileno()],
                start_new_session=True,  # the terminal's Ctrl-C reaches the command, not it
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        sockets = self._await_holder()
        for sock, tls in zip(sockets, ((str(certificate), str(key)), None), strict=True):
            self._servers.append(_InsideServer(self._state, sock, tls).start())

    def _await_holder(self) -> list[socket.socket]:
        """The holder's messages until it is ready (the sockets, and the namespaces'
        first process: the two come from two processes, in either order) or has failed."""
        assert self._control is not None
        self._control.settimeout(SETUP_TIMEOUT + (DOCKERD_TIMEOUT if self.docker else 0))
        sockets: list[socket.socket] = []
        while not (sockets and self._pid):
            try:
                data, fds, _, _ = socket.recv_fds(self._control, 4096, 2)
            except TimeoutError:
                raise privileges.SandboxUnavailable("the sandbox's set-up timed out") from None
            sockets += [socket.socket(fileno=fd) for fd in fds]
            if not data:
                log = (self.root / "holder.log").read_text(errors="replace").strip()
                raise RuntimeError(f"the sandbox's holder ended: {log[-2000:]}")
            message = json.loads(data)
            if "error" in message:
                raise self._refusal(message["error"])
            self._pid = message.get("pid", self._pid)
        return sockets

    def _refusal(self, line: str) -> Exception:
        if line.startswith("creating the namespaces"):
            return privileges.refused(line, "user" if self._user_namespace else "root")
        return privileges.SandboxUnavailable(f"cannot set up the sandbox: {line}")

    def command(self, argv: Sequence[str], cwd: str) -> list[str]:
        """``argv`` as run inside the namespaces, from ``cwd``."""
        enter = ["nsenter", f"--target={self._pid}", "--net", "--mount", "--pid"]
        if self._user_namespace:
            enter += ["--user", "--preserve-credentials"]
        return [*enter, f"--wd={cwd}", "--", *argv]

    def run(
        self,
        args: str | Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        input: str | bytes | None = None,
        timeout: float | None = None,
        check: bool = False,
        capture_output: bool = False,
        **popen: Any,
    ) -> subprocess.CompletedProcess[Any]:
        """Run ``args`` in the sandbox and wait for it, as ``subprocess.run`` does.

        A string is a shell line (``sh -c``, for pipes such as ``get-login-password |
        docker login``); a sequence is the program and its arguments. ``env`` adds to (or
        overrides) the sandbox's variables. Other keywords (``capture_output``, ``text``,
        ``stdout``, ...) are ``subprocess.run``'s. The completed process names ``args``
        as given; a program not found raises ``FileNotFoundError``, as subprocess does.
        """
        if self._holder is None:
            raise RuntimeError("run() needs a started sandbox")
        argv = ["/bin/sh", "-c", args] if isinstance(args, str) else list(args)
        where = os.fspath(cwd) if cwd is not None else os.getcwd()
        variables = {**self.env, **(env or {})}
        _find(argv[0], variables.get("PATH", os.defpath), where)
        if input is not None:
            popen["stdin"] = subprocess.PIPE
        if capture_output:
            popen["stdout"] = popen["stderr"] = subprocess.PIPE
        with subprocess.Popen(self.command(argv, where), env=variables, **popen) as process:
            try:
                output, errors = process.communicate(input, timeout)
            except BaseException:
                _kill(process)
                raise
        done = subprocess.CompletedProcess(args, process.returncode, output, errors)
        if check:
            done.check_returncode()
        return done

    def stop(self) -> None:
        """Stop serving, end the namespaces and all in them, remove the files (idempotent)."""
        for server in self._servers:
            server._ask_to_stop()
        for server in self._servers:
            server.stop()
        self._servers = []
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._holder is not None:
            try:
                self._holder.wait(DOCKERD_STOP + 5)
            except subprocess.TimeoutExpired:  # pragma: no cover - a dockerd that hangs
                if self._pid:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self._pid, signal.SIGKILL)
                self._holder.kill()
                self._holder.wait()
            self._holder = None
        for folder in self._folders:
            shutil.rmtree(folder, ignore_errors=True)
        self._folders, self.root = [], Path()
        self.mock._sandboxed(self, running=False)

    def __enter__(self) -> Self:
        return self if self._holder is not None else self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._holder is not None else "stopped"
        return f"<{type(self).__name__} {state}{' with dockerd' if self.docker else ''}>"


def _dockerd(root: Path, sockets: Path) -> list[str]:
    """A dockerd of the sandbox's: its own data, state and socket, no bridge, no iptables
    (the namespace has no network to give containers), its own (empty) configuration."""
    (root / "daemon.json").write_text("{}")
    return [
        "dockerd",
        f"--config-file={root / 'daemon.json'}",
        f"--data-root={root / 'data'}",
        f"--exec-root={sockets / 'exec'}",
        f"--pidfile={sockets / 'dockerd.pid'}",
        f"--host=unix://{sockets / 'docker.sock'}",
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
        "--ip-forward=false",
        "--ip-masq=false",
        "--log-level=warn",
    ]


def _find(program: str, path: str, cwd: str) -> None:
    """Raise FileNotFoundError, as subprocess would, for a program not found."""
    if os.sep in program:
        found = os.access(os.path.join(cwd, program), os.X_OK)
    else:
        found = shutil.which(program, path=path) is not None
    if not found:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), program)


def _kill(process: subprocess.Popen[Any]) -> None:
    """Kill a command given up on (timeout, Ctrl-C): the program nsenter started inside
    the PID namespace, then nsenter."""
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
        for child in children.split():
            os.kill(int(child), signal.SIGKILL)
    process.kill()
    process.wait()
