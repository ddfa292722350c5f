"""``python -m ecrpublic_mock sandbox [options] -- COMMAND...``, run as a user runs it: the
command's exit status, the summary on stderr, ``--report``, the failure paths, and that
Ctrl-C and SIGTERM leave no process behind.

Each run gets its own TMPDIR, so the processes a run leaves (the holder, dockerd, the
command) are found by that path whatever else runs on the machine."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from _clients import find
from _sandboxes import left_after_a_while, processes_with, sandbox_or_skip

from ecrpublic_mock import __main__ as cli_main
from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._sandbox import privileges

pytestmark = pytest.mark.slow

PY = sys.executable
PREFIX = "ecrpublic_mock sandbox"
TESTS = str(Path(__file__).parents[1])
# A boto3 script with no endpoint: it reaches the mock through AWS's own host, and pushes
# one image (a config and a layer, each checked, then uploaded in one part) tagged 1.0.
SCRIPT = """
import boto3, sys
sys.path.insert(0, sys.argv[1])
import _manifests
client = boto3.client("ecr-public")
client.create_repository(repositoryName="app")
_manifests.push(client, "app", "1.0")
try:
    client.describe_images(repositoryName="nope")
except client.exceptions.RepositoryNotFoundException:
    pass
sys.exit(3)
"""


@pytest.fixture(autouse=True)
def _can_sandbox():
    """Skip where the machine cannot make the namespaces (fail under CI)."""
    with mock_ecr_public() as mock, sandbox_or_skip(mock):
        pass


def sandbox(
    tmp_path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line, with ``env`` added to this process's variables."""
    variables = {**os.environ, **(env or {}), "TMPDIR": str(tmp_path)}
    command = [PY, "-m", "ecrpublic_mock", "sandbox", *args]
    return subprocess.run(command, capture_output=True, text=True, env=variables, check=False)


def left_behind(tmp_path) -> list[int]:
    return processes_with(str(tmp_path))


def test_the_exit_status_is_the_command_s_and_the_summary_says_what_it_left(tmp_path):
    done = sandbox(tmp_path, "--", PY, "-c", SCRIPT, TESTS)
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines() == [
        f"{PREFIX}: the command exited with status 3",
        f"{PREFIX}: left 1 repository: app (1 image: 1.0)",
        f"{PREFIX}: 11 calls (1 failed): BatchCheckLayerAvailability 2, CompleteLayerUpload 2, "
        "CreateRepository 1, DescribeImages 1, InitiateLayerUpload 2, PutImage 1, "
        "UploadLayerPart 2",
    ]
    assert left_after_a_while(str(tmp_path)) == []
    assert list(tmp_path.iterdir()) == []


def test_report_writes_the_call_log_and_the_final_state(tmp_path):
    """Mock options are flags, as serve's: the report shows the account and alias."""
    report = tmp_path / "report.json"
    options = ["--report", str(report), "--account-id", "111122223333"]
    done = sandbox(tmp_path, *options, "--registry-alias", "myteam", "--", PY, "-c", SCRIPT, TESTS)
    assert done.returncode == 3, done.stderr
    document = json.loads(report.read_text())
    assert sorted(document) == ["calls", "command", "exitStatus", "state"]
    assert (document["command"], document["exitStatus"]) == ([PY, "-c", SCRIPT, TESTS], 3)
    upload = ["InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"]
    pushed = ["CreateRepository", *(["BatchCheckLayerAvailability", *upload] * 2), "PutImage"]
    assert [(call["operation"], call["outcome"]) for call in document["calls"]] == [
        *((operation, "success") for operation in pushed),
        ("DescribeImages", "RepositoryNotFoundException"),
    ]
    state = document["state"]
    assert (state["registryId"], state["registryAlias"]) == ("111122223333", "myteam")
    [repository] = state["repositories"]
    assert (repository["name"], repository["uri"]) == ("app", "public.ecr.aws/myteam/app")
    assert list(repository["tags"]) == ["1.0"]


def test_a_profile_that_does_not_exist_does_not_stop_the_mock(tmp_path):
    """The mock reads botocore's model without the AWS configuration: an AWS_PROFILE the
    machine has no profile for is the command's business."""
    env = {"AWS_PROFILE": "ecrpm-no-such-profile", "AWS_CONFIG_FILE": os.devnull}
    done = sandbox(tmp_path, "--", "sh", "-c", "echo $AWS_PROFILE", env=env)
    assert (done.returncode, done.stdout) == (0, "ecrpm-no-such-profile\n"), done.stderr


def test_a_command_not_found_is_127(tmp_path):
    done = sandbox(tmp_path, "--", "ecrpm-no-such-command")
    assert done.returncode == 127
    assert done.stderr.splitlines() == [
        f"{PREFIX}: ecrpm-no-such-command: command not found",
        f"{PREFIX}: the command exited with status 127",
        f"{PREFIX}: left 0 repositories",
        f"{PREFIX}: 0 calls (0 failed)",
    ]


def test_a_command_killed_by_a_signal_is_128_plus_its_number(tmp_path):
    done = sandbox(tmp_path, "--", "sh", "-c", "kill -TERM $$")
    assert done.returncode == 128 + signal.SIGTERM
    assert done.stderr.splitlines()[0] == f"{PREFIX}: the command exited with status 143"


def test_without_a_command_it_is_a_usage_error(tmp_path):
    done = sandbox(tmp_path, "--docker")
    assert (done.returncode, done.stderr) == (
        2,
        "python -m ecrpublic_mock sandbox: error: no COMMAND given: sandbox [options] -- "
        "COMMAND [ARGUMENT ...] (see --help)\n",
    )


def test_a_machine_that_cannot_is_one_line_and_125(monkeypatch, capsys):
    """Simulated: a user without root on a kernel without unprivileged user namespaces."""

    def refuse(docker: bool) -> privileges.Mode:
        raise privileges.SandboxUnavailable("unprivileged user namespaces are disabled (...)")

    monkeypatch.setattr(privileges, "mode", refuse)
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    assert cli_main.main(["sandbox", "--", "true"]) == 125
    assert capsys.readouterr().err == (
        f"{PREFIX}: unprivileged user namespaces are disabled (...)\n"
    )
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == handlers


def test_without_the_sandbox_extra_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ecrpublic_mock._sandbox.cli", None)
    # ``from ._sandbox import cli`` takes the package's attribute when it has one.
    monkeypatch.delattr(importlib.import_module("ecrpublic_mock._sandbox"), "cli", raising=False)
    with pytest.raises(SystemExit) as raised:
        cli_main.main(["sandbox", "--", "true"])
    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("python -m ecrpublic_mock sandbox: error: import of ")
    assert error.endswith(
        "; the sandbox needs: pip install 'ecrpublic-mock[sandbox]' (see --help)\n"
    )


def test_root_without_cap_sys_admin_is_refused_by_the_kernel_in_one_line(tmp_path):
    """A container's root without --privileged: unshare fails with EPERM in the holder."""
    setpriv = find("setpriv")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    drop = [setpriv, "--inh-caps=-sys_admin", "--bounding-set=-sys_admin"]
    if os.geteuid() != 0:
        pytest.skip("dropping CAP_SYS_ADMIN simulates a container's root")
    done = subprocess.run(
        [*drop, PY, "-m", "ecrpublic_mock", "sandbox", "--", "true"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stderr) == (
        125,
        f"{PREFIX}: cannot make the sandbox's namespaces (creating the namespaces (unshare): "
        "Operation not permitted): root needs CAP_SYS_ADMIN for them (a container: run it "
        "with --privileged)\n",
    )
    assert left_after_a_while(str(tmp_path)) == []


def start(tmp_path, *args: str) -> subprocess.Popen[str]:
    """The sandbox in a session of its own, as a terminal's foreground job; returns once
    the command inside has said it runs."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    waiting = "import time; print('running', flush=True); time.sleep(985)"
    # The command names tmp_path too, so that left_behind() finds it.
    command = [PY, "-m", "ecrpublic_mock", "sandbox", *args, "--", PY, "-c", waiting, str(tmp_path)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "running\n"
    return process


@pytest.mark.parametrize("docker", [False, True], ids=["plain", "docker"])
def test_ctrl_c_stops_the_mock_dockerd_and_the_namespaces(tmp_path, docker):
    """Ctrl-C reaches the terminal's foreground process group: the sandbox and the
    command. The sandbox ends the namespaces (dockerd with them), prints its summary and
    exits 130; no process of the run is left."""
    process = start(tmp_path, *(["--docker"] if docker else []))
    running = left_behind(tmp_path)
    assert len(running) >= (4 if docker else 3), running  # holder x2, command (+ dockerd)
    os.killpg(process.pid, signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert errors.splitlines()[-3] == f"{PREFIX}: the command exited with status 130"
    assert_nothing_left(tmp_path)


def test_sigterm_stops_everything_too(tmp_path):
    """SIGTERM to the sandbox alone (a CI runner cancelling a job): the command inside
    is ended with the namespaces; exit status 143."""
    process = start(tmp_path)
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 143, errors
    assert_nothing_left(tmp_path)


def assert_nothing_left(tmp_path) -> None:
    assert left_after_a_while(str(tmp_path)) == []
    assert list(tmp_path.iterdir()) == []
