"""The package, the handle and the pytest fixtures are typed for a user's ``mypy --strict``.

mypy runs through its API, twice per test session whatever the number of xdist workers
(the first worker to need a run does it, the others read its result): once on the typed
example module tests/typing_example/example_typed.py with the plugin, which must pass;
once on snippets that misuse the API, which must fail with the errors they announce
(proving the types are real, not ``Any``) and reveal ``ECRPublicClient`` for the client.

Needs mypy and types-boto3[ecr-public] (types_boto3_ecr_public); skipped without them.
A cold mypy run takes some 30 seconds.
"""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path
from typing import TypeVar

import pytest

mypy_api = pytest.importorskip(
    "mypy.api", reason="mypy is not installed (pip install mypy 'types-boto3[ecr-public]')"
)
pytest.importorskip(
    "types_boto3_ecr_public",
    reason="types-boto3[ecr-public] is not installed (pip install 'types-boto3[ecr-public]')",
)

pytest_plugins = ["pytester"]

# Most tests here run mypy (a cold run takes some 30 seconds) or a pytester session.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "typing_example" / "example_typed.py"
PLUGIN = ROOT / "conftest_plugin" / "__init__.py"

# Every line of MISUSE marked "# eN" must fail as EXPECTED_ERRORS["eN"] says: mypy reports
# an error with that code whose message contains that text, on that line; no other line
# has an error.
MISUSE = """
from __future__ import annotations

from typing import TYPE_CHECKING

from ecrpublic_mock import EcrPublicMock, mock_ecr_public

if TYPE_CHECKING:
    from types_boto3_ecr_public import ECRPublicClient


def test_misuse(ecr_public_client: ECRPublicClient, ecr_public: EcrPublicMock) -> None:
    ecr_public.push_image(123)  # e1
    count: int = ecr_public_client.create_repository(repositoryName="app")  # e2
    digest: int = ecr_public.push_image("app")  # e3
    ecr_public_client.create_repository(repositoryName=1)  # e4
    ecr_public_client.describe_repositorys()  # e5
    mock_ecr_public(account_id=5)  # e6
    mock_ecr_public(acount_id="111122223333")  # e7
    mock_ecr_public(image_tag_mutability="FROZEN")  # e8
    with mock_ecr_public() as ecr:
        ecr.push_index("app", images=[ecr.push_image("app")], media_type=1)  # e9
        ecr.set_image_tag_mutability("app", "mutable")  # e10
    ready: str = ecr.active  # e11


@mock_ecr_public
def decorated(n: int) -> str:
    return str(n)


def test_the_decorator_keeps_the_signature() -> None:
    decorated("one")  # e12
    length: int = decorated(1)  # e13
"""

EXPECTED_ERRORS = {
    "e1": (
        "arg-type",
        'Argument 1 to "push_image" of "EcrPublicMock" has incompatible type "int"; expected "str"',
    ),
    "e2": (
        "assignment",
        '(expression has type "CreateRepositoryResponseTypeDef", variable has type "int")',
    ),
    "e3": ("assignment", '(expression has type "str", variable has type "int")'),
    "e4": (
        "arg-type",
        'Argument "repositoryName" to "create_repository" of "ECRPublicClient" '
        'has incompatible type "int"; expected "str"',
    ),
    "e5": ("attr-defined", '"ECRPublicClient" has no attribute "describe_repositorys"'),
    "e6": ("call-overload", 'No overload variant of "mock_ecr_public" matches argument type "int"'),
    "e7": ("call-overload", 'Unexpected keyword argument "acount_id"'),
    "e8": ("call-overload", 'No overload variant of "mock_ecr_public" matches argument type "str"'),
    "e9": (
        "arg-type",
        'Argument "media_type" to "push_index" of "EcrPublicMock" '
        'has incompatible type "int"; expected "str | None"',
    ),
    "e10": (
        "arg-type",
        'Argument 2 to "set_image_tag_mutability" of "EcrPublicMock" '
        "has incompatible type \"Literal['mutable']\"",
    ),
    "e11": ("assignment", '(expression has type "bool", variable has type "str")'),
    "e12": ("arg-type", 'Argument 1 to "decorated" has incompatible type "str"; expected "int"'),
    "e13": ("assignment", '(expression has type "str", variable has type "int")'),
}

# Every line of REVEAL marked "# rN" must make mypy reveal exactly REVEALED["rN"].
REVEAL = """
from __future__ import annotations

from typing import TYPE_CHECKING

import boto3

from ecrpublic_mock import EcrPublicMock, mock_ecr_public

if TYPE_CHECKING:
    from types_boto3_ecr_public import ECRPublicClient


def test_reveal(ecr_public_client: ECRPublicClient, ecr_public: EcrPublicMock) -> None:
    reveal_type(ecr_public_client)  # r1
    reveal_type(ecr_public)  # r2
    reveal_type(boto3.client("ecr-public", region_name="us-east-1"))  # r3
    reveal_type(ecr_public.push_image("app"))  # r4
    with mock_ecr_public() as ecr:
        reveal_type(ecr)  # r5
    reveal_type(mock_ecr_public(account_id="111122223333"))  # r6
"""

REVEALED = {
    "r1": "types_boto3_ecr_public.client.ECRPublicClient",
    "r2": "ecrpublic_mock._activation.mock.EcrPublicMock",
    "r3": "types_boto3_ecr_public.client.ECRPublicClient",
    "r4": "str",
    "r5": "ecrpublic_mock._activation.mock.EcrPublicMock",
    "r6": "ecrpublic_mock._activation.mock.EcrPublicMock",
}


T = TypeVar("T")

OUTPUT_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): (?P<kind>error|note): (?P<text>.*)$")


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every xdist worker of this session sees (this session's alone)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's directory, above the workers' own
    shared = base / "typing-mypy"
    shared.mkdir(exist_ok=True)
    return shared


def _run_mypy_once(
    shared: Path, name: str, targets: list[Path], sources: dict[Path, str] | None = None
) -> tuple[int, str, str]:
    """Run ``mypy --strict`` on ``targets`` once for all workers; (status, stdout, stderr).

    ``sources`` are files to write first (by the worker that runs mypy, under the lock).
    """
    result_file = shared / f"{name}.json"
    with (shared / f"{name}.lock").open("w") as lock:
        try:
            import fcntl
        except ImportError:  # Windows: each worker runs mypy itself
            fcntl = None
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not result_file.exists():
            for path, text in (sources or {}).items():
                path.write_text(text)
            config = shared / "mypy.ini"
            # mypy_path: the package as in this checkout, whether it is installed editable
            # (an import hook mypy cannot follow), as a wheel, or not at all.
            config.write_text(f"[mypy]\npython_version = 3.10\nstrict = True\nmypy_path = {ROOT}\n")
            args = [
                "--strict",
                "--config-file",
                str(config),
                "--cache-dir",
                str(shared / "cache"),
                "--show-error-codes",
                "--no-pretty",
                "--no-color-output",
                *map(str, targets),
            ]
            stdout, stderr, status = mypy_api.run(args)
            result_file.write_text(json.dumps([status, stdout, stderr]))
    status, stdout, stderr = json.loads(result_file.read_text())
    return status, stdout, stderr


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return _shared_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def example_run(shared):
    return _run_mypy_once(shared, "example", [EXAMPLE, PLUGIN])


@pytest.fixture(scope="module")
def snippets_run(shared, example_run):
    # After the example's run: its cache makes this one fast, and they never share it at once.
    snippets = {name: shared / f"typing_{name}.py" for name in ("misuse", "reveal")}
    sources = {snippets["misuse"]: MISUSE.lstrip(), snippets["reveal"]: REVEAL.lstrip()}
    status, stdout, stderr = _run_mypy_once(shared, "snippets", list(sources), sources)
    messages: dict[str, list[tuple[int, str, str]]] = {name: [] for name in snippets}
    stems = {path.name: name for name, path in snippets.items()}
    for line in stdout.splitlines():
        match = OUTPUT_LINE.match(line)
        if match is None:
            continue
        name = stems.get(Path(match["file"]).name)
        assert name is not None, f"mypy reported on another file: {line}"
        messages[name].append((int(match["line"]), match["kind"], match["text"]))
    return status, stdout, stderr, messages


def _marked(text: str, marks: dict[str, T]) -> dict[int, T]:
    """Line number in the snippet -> the entry of ``marks`` its ``# key`` comment names."""
    found = {}
    for number, line in enumerate(text.lstrip().splitlines(), start=1):
        match = re.search(r"  # ([er]\d+)$", line)
        if match is not None:
            found[number] = marks[match[1]]
    assert len(found) == len(marks)
    return found


# -- the typed example passes ---------------------------------------------------------------


def test_typed_example_passes_mypy_strict(example_run):
    status, stdout, stderr = example_run
    assert status == 0, stdout + stderr
    assert "Success: no issues found in 2 source files" in stdout, stdout + stderr


def test_typed_example_is_a_working_test_module(pytester, monkeypatch):
    # Under ``pytest -n`` the inner session must not think it is a worker.
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_example_typed=EXAMPLE.read_text())
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=9)


def test_example_is_not_collected_by_the_suite():
    assert not EXAMPLE.name.startswith("test_")
    assert not EXAMPLE.name.endswith("_test.py")


def test_plugin_annotates_the_client_fixture_with_types_boto3():
    """``ecr_public_client`` returns ``ECRPublicClient`` of types_boto3_ecr_public.

    (pytest's ``@fixture`` erases the type of the fixture object itself, so this is read
    from the source; mypy checks the annotation against ``boto3.client`` above.)
    """
    tree = ast.parse(PLUGIN.read_text())
    imports = {
        alias.asname or alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    [fixture] = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "ecr_public_client"
    ]
    assert fixture.returns is not None
    assert ast.unparse(fixture.returns) == "ECRPublicClient"
    assert imports["ECRPublicClient"] == "types_boto3_ecr_public"


# -- misuse fails, and the types are what they should be ---------------------------------------


def test_misuse_fails_with_the_expected_errors(snippets_run):
    status, stdout, stderr, messages = snippets_run
    assert status == 1, stdout + stderr
    errors: dict[int, list[str]] = {}
    for line, kind, text in messages["misuse"]:
        if kind == "error":
            errors.setdefault(line, []).append(text)
    expected = _marked(MISUSE, EXPECTED_ERRORS)
    assert sorted(errors) == sorted(expected), stdout
    for line, (code, fragment) in expected.items():
        assert any(fragment in text and text.endswith(f"[{code}]") for text in errors[line]), (
            f"line {line}: expected [{code}] {fragment!r}, got {errors[line]}"
        )


def test_reveal_type_shows_the_real_types(snippets_run):
    *_, messages = snippets_run
    revealed = {
        line: text
        for line, kind, text in messages["reveal"]
        if kind == "note" and text.startswith("Revealed type is")
    }
    expected = _marked(REVEAL, REVEALED)
    assert revealed == {line: f'Revealed type is "{t}"' for line, t in expected.items()}
    assert not [m for m in messages["reveal"] if m[1] == "error"]
