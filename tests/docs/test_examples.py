"""Every ```python example of README.md and docs/**/*.md, run as printed.

A block that defines tests (``test_*`` functions, ``Test*`` classes) is a pytest module: it
runs in a throw-away pytest session (``pytester``, in a subprocess) in its own order, in
reverse order, and under pytest-randomly with several seeds, and must pass each time with
no failure or error and at least one passed test (so shared state must not depend on the
order). Any other block is a script: ``python example.py`` must exit 0.

An example is complete (its imports included, nothing taken from an earlier block). One
that uses premium repositories is skipped where the installed botocore's model has none
(botocore before 1.44.18), as the other premium tests are. One that runs a registry client
(docker, skopeo, podman, oras-py) gets a private environment (and docker a private
dockerd); a missing client skips it, unless ``ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1`` (CI) makes
that a failure, as in tests/registry/test_registry_clients.py. One that runs the sandbox
(``.sandbox(``, the ``ecr_public_sandbox`` fixture) is skipped, with the same exception,
where the machine cannot run it (``SandboxUnavailable``: not Linux, no nsenter, neither
root nor unprivileged user namespaces; with ``docker=True``, not root, or no docker or
dockerd). One that imports a package outside the test extra (aiobotocore, awscli: each
has its own tox env) is skipped where that package is missing.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import _clients
import pytest
from _clients import dockerd  # noqa: F401 - the session's private dockerd, a fixture
from _support import PREMIUM_MODEL

from ecrpublic_mock import SandboxUnavailable
from ecrpublic_mock._sandbox import privileges

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
# Seeds for pytest-randomly (besides the file's order and its reverse).
SEEDS = (1, 2, 3)
TIMEOUT = 300
# Registry clients an example may run as a program (an argument list starting with it).
PROGRAMS = ("docker", "skopeo", "podman")
# Packages outside the test extra, run by their own tox envs (aio, cli).
OPTIONAL = ("aiobotocore", "awscli")
REVERSE = "def pytest_collection_modifyitems(items):\n    items.reverse()\n"


def examples() -> list[pytest.param]:
    found = []
    for page in PAGES:
        text = page.read_text()
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            name = f"{page.relative_to(ROOT).as_posix()}:{line}"
            found.append(pytest.param(match.group(1), id=name))
    return found


def defines_tests(code: str) -> bool:
    tree = ast.parse(code)
    return any(
        (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"))
        or (isinstance(node, ast.ClassDef) and node.name.startswith("Test"))
        for node in tree.body
    )


def imported(code: str) -> set[str]:
    """The top-level packages ``code`` imports."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.partition(".")[0])
    return names


def uses_premium(code: str) -> bool:
    return re.search(r"premium|entitle", code, flags=re.I) is not None


def programs(code: str) -> list[str]:
    return [name for name in PROGRAMS if re.search(rf'\[\s*"{name}"', code)]


def prepare_clients(code: str, request, monkeypatch, tmp_path: Path) -> None:
    """A private environment for the registry clients ``code`` runs, or a skip (a failure
    under ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1) when one is missing."""
    wanted = programs(code)
    if "oras" in imported(code):
        _clients.oras_client_class()
        wanted.append("oras")
    if not wanted:
        return
    for name in wanted:
        if name != "oras":
            _clients.find(name)
    env = _clients.private_env(tmp_path / "clients")
    for key, value in env.items():
        if key not in ("PATH", "LANG"):
            monkeypatch.setenv(key, value)
    if "docker" in wanted:
        monkeypatch.setenv("DOCKER_HOST", request.getfixturevalue("dockerd").host)


def prepare_sandbox(code: str) -> None:
    """Skip (fail under ECRPUBLIC_MOCK_REQUIRE_CLIENTS=1) a sandbox example where the
    sandbox would raise ``SandboxUnavailable``, or where docker=True lacks docker."""
    if re.search(r"\.sandbox\(|ecr_public_sandbox", code) is None:
        return
    docker = "docker=True" in code
    try:
        privileges.mode(docker)
    except SandboxUnavailable as error:
        _clients.missing(f"the sandbox cannot run here: {error}")
    if docker:
        for name in ("docker", "dockerd"):
            _clients.find(name)


def test_every_page_is_found():
    assert {page.relative_to(ROOT).as_posix() for page in PAGES} >= {
        "README.md",
        "docs/index.md",
        "docs/aws-behaviour.md",
    }


def test_the_examples_are_collected():
    collected = examples()
    assert len(collected) >= 20
    assert any(param.id.startswith("README.md:") for param in collected)


@pytest.mark.parametrize("code", examples())
def test_example(code, pytester, request, monkeypatch, tmp_path):
    if uses_premium(code) and not PREMIUM_MODEL:
        pytest.skip("this botocore's ecr-public model has no premium repositories")
    for package in sorted(imported(code) & set(OPTIONAL)):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed (its own tox env runs this example)")
    prepare_clients(code, request, monkeypatch, tmp_path)
    prepare_sandbox(code)

    if not defines_tests(code):
        script = tmp_path / "example.py"
        script.write_text(code)
        done = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return

    pytester.makepyfile(test_example=code)
    common = ("-p", "no:cacheprovider", "-q")
    runs = [("-p", "no:randomly"), ("-p", "no:randomly", "--reverse")]
    runs += [("-p", "randomly", f"--randomly-seed={seed}") for seed in SEEDS]
    for args in runs:
        if "--reverse" in args:
            args = tuple(arg for arg in args if arg != "--reverse")
            pytester.makeconftest(REVERSE)
        else:
            (pytester.path / "conftest.py").unlink(missing_ok=True)
        result = pytester.runpytest_subprocess(*common, *args, timeout=TIMEOUT)
        outcomes = result.parseoutcomes()
        shown = "\n".join(result.outlines + result.errlines)
        assert outcomes.get("failed", 0) == 0, (args, shown)
        assert outcomes.get("errors", outcomes.get("error", 0)) == 0, (args, shown)
        assert outcomes.get("passed", 0) >= 1, (args, shown)
