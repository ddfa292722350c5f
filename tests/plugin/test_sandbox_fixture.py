"""The ``ecr_public_sandbox`` fixture and its marker, in throw-away pytest sessions.

The inner sessions have no conftest.py: the fixture comes from the ``pytest11`` entry
point alone. They make real namespaces: where this machine cannot, they skip (CI fails)."""

from __future__ import annotations

import pytest
from _sandboxes import sandbox_or_skip

from ecrpublic_mock import mock_ecr_public

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _can_sandbox():
    with mock_ecr_public() as mock, sandbox_or_skip(mock):
        pass


INNER = """
import sys

import pytest

SCRIPT = "import boto3; boto3.client('ecr-public').create_repository(repositoryName='app')"
SEEN = []


def test_a_command_changes_the_tests_mock(ecr_public_sandbox, ecr_public):
    assert ecr_public_sandbox.mock is ecr_public
    ecr_public_sandbox.run([sys.executable, "-c", SCRIPT], check=True)
    assert list(ecr_public.repositories) == ["app"]
    assert ecr_public.repositories["app"].uri.startswith("public.ecr.aws/")
    SEEN.append(ecr_public_sandbox)


@pytest.mark.ecr_public(registry_alias="myteam")
def test_the_mock_marker_applies(ecr_public_sandbox):
    ecr_public_sandbox.run([sys.executable, "-c", SCRIPT], check=True)
    assert ecr_public_sandbox.mock.repositories["app"].uri == "public.ecr.aws/myteam/app"
    assert "DOCKER_HOST" not in ecr_public_sandbox.env
    SEEN.append(ecr_public_sandbox)


@pytest.mark.ecr_public_sandbox(docker=True)
def test_the_sandbox_marker_starts_dockerd(ecr_public_sandbox):
    assert ecr_public_sandbox.docker
    done = ecr_public_sandbox.run(["docker", "version", "--format", "{{.Server.Os}}"],
                                  capture_output=True, text=True, check=True)
    assert done.stdout == "linux\\n"
    SEEN.append(ecr_public_sandbox)


def test_each_was_stopped_after_its_test():
    assert [repr(sandbox) for sandbox in SEEN] == [
        "<Sandbox stopped>", "<Sandbox stopped>", "<Sandbox stopped with dockerd>"
    ]
"""


def test_the_fixture_runs_commands_against_the_tests_own_mock(pytester):
    """``ecr_public_sandbox``: the ``ecr_public`` mock (its marker's options apply) served
    where AWS's hosts are; ``@pytest.mark.ecr_public_sandbox(docker=True)`` adds a
    dockerd; each sandbox stops after its test."""
    from _clients import find

    find("dockerd")
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest("-p", "no:randomly", "--strict-markers")
    result.assert_outcomes(passed=4)


def test_the_markers_are_registered(pytester):
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.ecr_public_sandbox(docker=False): options for the "
            "ecr_public_sandbox fixture (docker=True: a private dockerd in the sandbox)"
        ]
    )
