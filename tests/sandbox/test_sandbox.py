"""The sandbox from Python: what a command sees in it, ``run()``'s contract, and that
stopping leaves nothing behind.

These make real namespaces (root, or unprivileged user namespaces); where the machine
allows neither they skip, unless ``ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1`` (CI) makes that a
failure. The real clients' evidence (docker, skopeo, the AWS CLI, the SDKs) is in
test_clients.py; the command line in test_cli.py.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _sandboxes import left_after_a_while, processes_with, sandbox_or_skip

from ecrpublic_mock import Sandbox, SandboxUnavailable, mock_ecr_public
from ecrpublic_mock._sandbox import files, privileges
from ecrpublic_mock._sandbox import sandbox as sandbox_module

pytestmark = pytest.mark.slow

PY = sys.executable


@pytest.fixture
def sandbox():
    with mock_ecr_public() as mock, sandbox_or_skip(mock) as started:
        yield started


def output(sandbox: Sandbox, args: str | list[str], **options: object) -> str:
    done = sandbox.run(args, capture_output=True, text=True, check=True, **options)
    return done.stdout


def test_aws_hosts_resolve_to_the_mock_through_the_sandbox_hosts_file(sandbox):
    """The three hosts (the registry endpoint, the API in us-east-1 and us-west-2) are
    127.0.0.1 in the namespace, through the hosts file bind-mounted over /etc/hosts."""
    assert output(sandbox, ["cat", "/etc/hosts"]) == files.hosts_file()
    looked_up = output(sandbox, ["getent", "hosts", *files.HOSTS])
    assert {line.split()[0] for line in looked_up.splitlines()} == {"127.0.0.1"}
    assert files.HOSTS == (
        "public.ecr.aws",
        "api.ecr-public.us-east-1.amazonaws.com",
        "api.ecr-public.us-west-2.amazonaws.com",
    )


FETCH = """
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1])
except urllib.error.HTTPError as error:
    print(error.code, error.headers["WWW-Authenticate"], error.read().decode(), end="")
"""


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_the_registry_answers_as_public_ecr_aws_over_https_and_http(sandbox, scheme):
    """``/v2/`` without a token: ECR Public's 401 and challenge, whose realm names the
    scheme and host the client used (docs/aws-behaviour.md, "Registry protocol"); over
    HTTPS the certificate verifies against the sandbox's CA (SSL_CERT_FILE)."""
    answer = output(sandbox, [PY, "-c", FETCH, f"{scheme}://public.ecr.aws/v2/"])
    assert answer == (
        f'401 Bearer realm="{scheme}://public.ecr.aws/token/",service="public.ecr.aws",'
        'scope="aws" {"errors":[{"code":"DENIED","message":"Not Authorized"}]}\n'
    )


def test_clients_find_the_sandbox_ca_where_they_look_for_one(sandbox):
    """Each variable names the CA, and docker's and containers' certs.d hold a copy."""
    ca = (sandbox.root / "ca.pem").read_text()
    names = " ".join(f"${name}" for name in files.CA_VARIABLES)
    assert output(sandbox, f"echo {names}").split() == [str(sandbox.root / "ca.pem")] * 5
    for folder in files.CERT_DIRS:
        assert output(sandbox, ["cat", f"{folder}/ca.crt"]) == ca
    assert files.CERT_DIRS == (
        "/etc/docker/certs.d/public.ecr.aws",
        "/etc/containers/certs.d/public.ecr.aws",
    )


def test_writes_to_etc_stay_in_the_sandbox(sandbox, tmp_path):
    """/etc is an overlay in the namespace: a command's writes there (the CA's copies
    included) never reach the machine's /etc, and later commands still see them."""
    marker = f"/etc/ecrpm-sandbox-test-{os.getpid()}"
    sandbox.run(["touch", marker], check=True)
    assert output(sandbox, ["ls", marker]) == f"{marker}\n"
    assert not Path(marker).exists()
    assert not Path("/etc/containers/certs.d/public.ecr.aws/ca.crt").exists()


def test_placeholder_credentials_and_region_unless_the_caller_set_them(monkeypatch):
    """AWS's documented example keys and us-east-1 (ECR Public's home) by default."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    env = files.environment(os.environ, Path("/s"), None)
    assert [env[name] for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")] == [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]
    assert (env["AWS_REGION"], env["AWS_DEFAULT_REGION"]) == ("us-east-1", "us-east-1")
    mine = {"AWS_ACCESS_KEY_ID": "AKIAMINE", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"}
    env = files.environment({**mine, "AWS_DEFAULT_REGION": "us-west-2"}, Path("/s"), None)
    assert {name: env[name] for name in mine} == mine
    assert (env["AWS_REGION"], env["AWS_DEFAULT_REGION"]) == ("us-west-2", "us-west-2")


def test_a_session_token_without_keys_is_dropped_with_the_placeholders():
    """A lone session token would be sent with the placeholder keys: it goes."""
    env = files.environment({"AWS_SESSION_TOKEN": "t"}, Path("/s"), None)
    assert "AWS_SESSION_TOKEN" not in env


def test_no_proxy_no_endpoint_override_and_private_credential_stores():
    """Proxies would be unreachable (and tried first), an endpoint override (LocalStack's,
    say) would lead away from AWS's hosts; logins go to the sandbox's own
    files, never the machine's docker, containers or helm configuration; DOCKER_HOST
    names the sandbox's dockerd, or nothing."""
    base = {
        "HTTPS_PROXY": "http://10.9.9.9:3128",
        "no_proxy": "x",
        "DOCKER_HOST": "tcp://h:1",
        "AWS_ENDPOINT_URL": "http://localhost:4566",
        "AWS_ENDPOINT_URL_ECR_PUBLIC": "http://localhost:4566",
    }
    env = files.environment(base, Path("/s"), None)
    assert not set(env) & {*files.PROXY_VARIABLES, *files.ENDPOINT_VARIABLES, "DOCKER_HOST"}
    assert (env["DOCKER_CONFIG"], env["REGISTRY_AUTH_FILE"], env["HELM_REGISTRY_CONFIG"]) == (
        "/s/docker-config",
        "/s/containers-auth.json",
        "/s/helm-registry.json",
    )
    assert files.environment(base, Path("/s"), "unix:///s/d.sock")["DOCKER_HOST"] == (
        "unix:///s/d.sock"
    )


def test_the_daemon_docker_host_names_is_hidden_inside(monkeypatch, tmp_path):
    """A daemon outside would push from the machine's network: its socket (here the one
    DOCKER_HOST names) is /dev/null in the namespace, and DOCKER_HOST is unset."""
    path = tmp_path / "outside.sock"
    with socket.socket(socket.AF_UNIX) as outside:
        outside.bind(str(path))
        outside.listen()
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        with mock_ecr_public() as mock, sandbox_or_skip(mock) as sandbox:
            probe = f"import socket; socket.socket(socket.AF_UNIX).connect({str(path)!r})"
            done = sandbox.run([PY, "-c", probe], capture_output=True, text=True)
            assert "ConnectionRefusedError" in done.stderr
            assert output(sandbox, "echo ${DOCKER_HOST-unset}") == "unset\n"
    assert str(path) in files.hidden_sockets({"DOCKER_HOST": f"unix://{path}"})


def test_run_is_subprocess_run(sandbox, tmp_path):
    """``run()`` keeps subprocess.run's contract: the args as given, the exit status,
    input, capture, cwd, check; ``env`` adds to the sandbox's variables."""
    done = sandbox.run(
        "read line; echo $line $EXTRA $(pwd); exit 3",
        input="hello\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"EXTRA": "more"},
    )
    assert (done.args, done.returncode, done.stdout, done.stderr) == (
        "read line; echo $line $EXTRA $(pwd); exit 3",
        3,
        f"hello more {tmp_path}\n",
        "",
    )
    with pytest.raises(subprocess.CalledProcessError) as raised:
        sandbox.run(["false"], check=True)
    assert (raised.value.cmd, raised.value.returncode) == (["false"], 1)


def test_a_command_killed_by_a_signal_reports_it(sandbox):
    assert sandbox.run(["sh", "-c", "kill -KILL $$"]).returncode == -9


@pytest.mark.parametrize("program", ["ecrpm-no-such-command", "./no-such-script"])
def test_a_program_not_found_raises_file_not_found_as_subprocess_does(sandbox, program):
    with pytest.raises(FileNotFoundError) as raised:
        sandbox.run([program])
    assert (raised.value.errno, raised.value.filename) == (errno.ENOENT, program)


def test_a_program_named_by_its_path_runs_from_cwd(sandbox, tmp_path):
    script = tmp_path / "ci.sh"
    script.write_text("#!/bin/sh\necho from the script\n")
    script.chmod(0o755)
    assert output(sandbox, ["./ci.sh"], cwd=tmp_path) == "from the script\n"


def test_orphans_are_reaped_by_the_namespace_s_first_process(sandbox):
    """The holder is the PID namespace's init: a command's orphans that end are reaped,
    no zombie stays (ps inside lists no process in state Z)."""
    sandbox.run("(sleep 0.1 &) ; sleep 0.1", check=True)
    deadline = time.monotonic() + 10
    while (
        "Z" in (states := output(sandbox, ["ps", "-eo", "stat="])) and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert "Z" not in states


def test_a_timeout_kills_the_command_inside(sandbox):
    """subprocess.run's timeout, and the command inside the PID namespace dies with it."""
    with pytest.raises(subprocess.TimeoutExpired):
        sandbox.run(["sleep", "987"], timeout=0.5)
    assert left_after_a_while("sleep 987") == []


def test_stop_ends_every_process_inside_and_removes_the_files():
    """A command's detached children die with the namespace; nothing is left running,
    and the sandbox's files are gone."""
    with mock_ecr_public() as mock, sandbox_or_skip(mock) as sandbox:
        # (the shell's own command line names no "sleep 986", only what it starts)
        sandbox.run("n=986; setsid sleep $n </dev/null >/dev/null 2>&1 &", check=True)
        deadline = time.monotonic() + 10  # the background child may not have run it yet
        while not processes_with("sleep 986") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(processes_with("sleep 986")) == 1
        root, holder = sandbox.root, sandbox._holder
    assert left_after_a_while("sleep 986") == []
    assert holder is not None
    assert holder.returncode == 0
    assert not root.exists()
    assert repr(sandbox) == "<Sandbox stopped>"


def test_stopping_the_mock_stops_its_sandbox():
    mock = mock_ecr_public().start()
    sandbox = sandbox_or_skip(mock)
    assert repr(sandbox) == "<Sandbox running>"
    mock.stop()
    assert repr(sandbox) == "<Sandbox stopped>"
    with pytest.raises(RuntimeError, match=r"^run\(\) needs a started sandbox$"):
        sandbox.run(["true"])


def test_a_sandbox_starts_once(sandbox):
    with pytest.raises(RuntimeError, match=r"^this sandbox is already started$"):
        sandbox.start()
    assert sandbox.__enter__() is sandbox


def test_sandbox_needs_an_active_mock():
    with pytest.raises(RuntimeError, match=r"^sandbox\(\) needs an active mock"):
        mock_ecr_public().sandbox()


def test_stop_is_idempotent(sandbox):
    sandbox.stop()
    sandbox.stop()
    assert repr(sandbox) == "<Sandbox stopped>"


def test_without_the_sandbox_extra_the_import_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ecrpublic_mock._sandbox.sandbox", None)
    with mock_ecr_public() as mock, pytest.raises(ImportError) as raised:
        mock.sandbox()
    assert str(raised.value).startswith("EcrPublicMock.sandbox() needs the sandbox extra (")
    assert str(raised.value).endswith("): pip install 'ecrpublic-mock[sandbox]'")


def test_in_a_user_namespace_the_caller_is_root_inside(monkeypatch):
    """Without root the namespaces live in a user namespace mapping the caller to root
    (forced here, as root: the same path an unprivileged user takes)."""
    monkeypatch.setattr(privileges, "mode", lambda docker: "user")
    with mock_ecr_public() as mock, sandbox_or_skip(mock) as sandbox:
        uid = os.getuid()
        assert output(sandbox, ["cat", "/proc/self/uid_map"]).split() == ["0", str(uid), "1"]
        assert output(sandbox, ["id", "-u"]) == "0\n"
        assert sandbox.command(["x"], "/w")[5:8] == ["--user", "--preserve-credentials", "--wd=/w"]


def test_a_failed_step_of_the_set_up_is_one_line(monkeypatch):
    """Hiding a daemon's socket that is a folder: the bind mount of /dev/null fails."""
    monkeypatch.setattr(files, "HIDDEN_SOCKETS", ("/etc/ssl",))
    with mock_ecr_public() as mock, pytest.raises(SandboxUnavailable) as raised:
        sandbox_or_skip(mock)
    assert str(raised.value) == "cannot set up the sandbox: mounting /etc/ssl: Not a directory"


def test_a_failed_system_call_of_the_set_up_is_one_line_naming_the_file(monkeypatch):
    """dockerd's log cannot be opened (its folder is gone): the OSError, as one line."""
    monkeypatch.setattr(privileges, "mode", lambda docker: "root")
    monkeypatch.setattr(
        sandbox_module, "_dockerd", lambda root, sockets: (shutil.rmtree(root), ["true"])[1]
    )
    with mock_ecr_public() as mock, pytest.raises(SandboxUnavailable) as raised:
        sandbox_or_skip(mock, docker=True)
    assert re.fullmatch(
        r"cannot set up the sandbox: /\S+/docker/dockerd\.log: No such file or directory",
        str(raised.value),
    ), raised.value


def test_a_holder_that_dies_is_reported_with_its_output(monkeypatch, tmp_path):
    script = tmp_path / "holder.py"
    script.write_text("import sys\nprint('holder broke')\nsys.exit(3)\n")
    monkeypatch.setattr(sandbox_module.holder, "__file__", str(script))
    with mock_ecr_public() as mock, pytest.raises(RuntimeError) as raised:
        sandbox_or_skip(mock)
    assert str(raised.value) == "the sandbox's holder ended: holder broke"


def test_a_holder_that_never_answers_times_out(monkeypatch, tmp_path):
    script = tmp_path / "holder.py"
    script.write_text("import time\ntime.sleep(30)\n")
    monkeypatch.setattr(sandbox_module.holder, "__file__", str(script))
    monkeypatch.setattr(sandbox_module, "SETUP_TIMEOUT", 0.2)
    with mock_ecr_public() as mock, pytest.raises(SandboxUnavailable) as raised:
        sandbox_or_skip(mock)
    assert str(raised.value) == "the sandbox's set-up timed out"


# A dockerd stand-in: answers /_ping on the socket given, and ignores SIGTERM when asked.
FAKE_DOCKERD = """
import os, signal, socket, sys
if sys.argv[2] == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen()
while True:
    client, _ = server.accept()
    client.recv(100)
    client.sendall(b"HTTP/1.0 200 OK\\r\\n\\r\\nOK")
    client.close()
    if sys.argv[2] == "fleeting":
        break
"""


@pytest.mark.parametrize("mood", ["obliging", "stubborn", "fleeting"])
def test_dockerd_is_stopped_with_the_sandbox_even_one_ignoring_sigterm(monkeypatch, mood):
    """The holder waits for dockerd's ``/_ping``, and at the end sends SIGTERM, then
    SIGKILL after ``DOCKERD_STOP`` seconds (to a dockerd still running)."""
    monkeypatch.setattr(sandbox_module, "DOCKERD_STOP", 0.3)
    monkeypatch.setattr(
        sandbox_module,
        "_dockerd",
        lambda root, sockets: [PY, "-c", FAKE_DOCKERD, str(sockets / "docker.sock"), mood],
    )
    monkeypatch.setattr(privileges, "mode", lambda docker: "root")
    with mock_ecr_public() as mock, sandbox_or_skip(mock, docker=True) as sandbox:
        host = sandbox.env["DOCKER_HOST"]
        assert host.startswith("unix:///run/ecrpm-")
        assert output(sandbox, "echo $DOCKER_HOST") == f"{host}\n"
        marker = f"{host.removeprefix('unix://')} {mood}"
        if mood != "fleeting":  # that one ends after its first answer
            assert len(processes_with(marker)) == 1
        # An orphan ends while dockerd runs: reaped, dockerd's status left for the holder.
        sandbox.run("(sleep 0.1 &) ; sleep 0.3", check=True)
    assert left_after_a_while(marker) == []


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["false"], "dockerd did not start (exit status 1): "),
        (["sleep", "30"], "dockerd did not start (exit status -9): "),
    ],
)
def test_a_dockerd_that_fails_or_never_answers_is_one_line(monkeypatch, command, message):
    monkeypatch.setattr(sandbox_module, "DOCKERD_TIMEOUT", 0.5)
    monkeypatch.setattr(sandbox_module, "_dockerd", lambda root, sock: command)
    monkeypatch.setattr(privileges, "mode", lambda docker: "root")
    with mock_ecr_public() as mock, pytest.raises(SandboxUnavailable) as raised:
        sandbox_or_skip(mock, docker=True)
    assert str(raised.value) == f"cannot set up the sandbox: {message}"


def test_the_holder_config_names_everything_it_needs(sandbox):
    """The holder has no access to the package: its settings come whole in one file."""
    config = json.loads((sandbox.root / "holder.json").read_text())
    assert sorted(config) == [
        "docker_socket",
        "dockerd",
        "dockerd_log",
        "dockerd_stop",
        "dockerd_timeout",
        "etc",
        "folders",
        "hidden",
        "hidden_folders",
        "hosts",
        "layer",
        "user_namespace",
    ]
