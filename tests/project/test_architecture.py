"""The shape of the package, checked: the core depends on nothing else of the package's and
on nothing of botocore's or HTTP's; the model on the core only; the harness (the mock's
state, faults, call log) on the core and the model only; the three front ends (the API,
the registry protocol, the helpers and views) never on each other, nor on the activation
or the server; no module over 400 lines; no import cycle; the operation table is complete
by construction; each option is declared once (``Settings``) and every mirror of it
(``MockOptions`` for type checkers, the CLI, the options page) agrees."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import ecrpublic_mock
from ecrpublic_mock import MockOptions
from ecrpublic_mock._core.settings import Settings

PACKAGE = Path(ecrpublic_mock.__file__).parent
OPTIONS_PAGE = Path(__file__).parents[2] / "docs" / "user-guide" / "options.md"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> set[str]:
    """Modules imported when ``path`` runs (not those under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text())
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = package
                for _ in range(child.level - 1):
                    base = base.rpartition(".")[0]
                target = (
                    (f"{base}.{child.module}" if child.module else base)
                    if child.level
                    else child.module
                )
                found.add(target)
                for alias in child.names:  # "from . import x" imports a module x
                    found.add(f"{target}.{alias.name}")
            visit(child)

    visit(tree)
    return found


MODULES = {module_name(path): runtime_imports(path) for path in PACKAGE.rglob("*.py")}


def ours(imports: set[str]) -> set[str]:
    return {name for name in imports if name in MODULES}


# The package's layers, bottom up, and what each may import of the package besides itself:
# the core is the domain; the model (botocore's, and the validation derived from it) sits on
# it; the harness (the mock's state, faults, call log) on both; the three front ends (the
# API, the registry protocol, the helpers and views) side by side over those, never over
# each other; the control plane over the harness and the views, never the API front end
# nor the registry protocol. The activation and the server sit on top, and the sandbox
# over them.
LAYERS = (
    "_core",
    "_model",
    "_harness",
    "_api",
    "_registry",
    "_helpers",
    "_server",
    "_activation",
    "_sandbox",
)
BELOW_FRONT_ENDS = {"_core", "_model", "_harness"}
ALLOWED = {
    "_core": set(),
    "_model": {"_core"},
    "_harness": {"_core", "_model"},
    "_api": BELOW_FRONT_ENDS,
    "_registry": BELOW_FRONT_ENDS,
    "_helpers": BELOW_FRONT_ENDS,
    "_server.control": BELOW_FRONT_ENDS | {"_helpers"},
    # The holder runs as a script in the namespaces it makes: the standard library only.
    "_sandbox.holder": set(),
}
# What else a layer must not import: the core knows no botocore or HTTP; the registry
# protocol is HTTP semantics only, with no server engine and no router.
FOREIGN = {
    "_core": ("botocore", "boto3", "http"),
    "_registry": ("uvicorn", "h11", "starlette"),
    "_sandbox.holder": ("ecrpublic_mock",),
}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_depend_only_downwards(layer):
    own = layer.split(".")[0]
    forbidden = tuple(
        f"ecrpublic_mock.{other}"
        for other in LAYERS
        if other != own and other not in ALLOWED[layer]
    ) + FOREIGN.get(layer, ())
    package = f"ecrpublic_mock.{layer}"
    for name, imports in MODULES.items():
        if name == package or name.startswith(package + "."):
            bad = {i for i in imports if i.startswith(forbidden)}
            assert not bad, f"{name} imports {sorted(bad)}"


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_module_is_over_400_lines(path):
    """A module that grows past 400 lines holds more than one concept: split it by concept."""
    assert len(path.read_text().splitlines()) <= 400


def test_no_import_cycle():
    graph = {name: ours(imports) - {name} for name, imports in MODULES.items()}
    # A package imports its parent package implicitly; those edges are not cycles.
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = (*path[path.index(name) :], name)
            if not all(
                b.startswith(a + ".") or a.startswith(b + ".") for a, b in itertools.pairwise(cycle)
            ):
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            return
        if name in done:
            return
        for target in graph[name]:
            if not name.startswith(target + "."):
                visit(target, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())


@pytest.mark.slow
def test_importing_the_package_completes_the_operation_table():
    """No module is imported for its side effect: the table is whole right after import.

    Every operation of the installed botocore's model has a handler. The table may name
    more: it holds the handlers of the newest model's operations (42 in botocore 1.44.18)
    whichever botocore is installed; under an older one (23 operations in 1.29.0) the
    others are never reached (its clients do not send them, and the server answers
    UnknownOperationException for an operation outside the installed model)."""
    from ecrpublic_mock._api.operations import HANDLERS
    from ecrpublic_mock._model import service_model

    script = (
        "import ecrpublic_mock, sys\n"
        "from ecrpublic_mock._api.operations import HANDLERS\n"
        "from ecrpublic_mock._model import service_model\n"
        "missing = set(service_model().operation_names) - set(HANDLERS)\n"
        "assert not missing, sorted(missing)\n"
        "print(len(HANDLERS), len(service_model().operation_names))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    counts = f"{len(HANDLERS)} {len(service_model().operation_names)}"
    print(f"handlers, operations of the installed model: {done.stdout.strip()}")
    assert (done.returncode, done.stdout.strip()) == (0, counts), done.stderr


def test_the_package_init_imports_nothing_for_side_effects():
    source = (PACKAGE / "__init__.py").read_text()
    assert "noqa: F401" not in source


def test_mock_options_mirror_settings_exactly():
    """``MockOptions`` exists for type checkers; it must name every option, typed alike."""
    hints = typing.get_type_hints(MockOptions)
    settings = typing.get_type_hints(Settings)
    assert hints == settings


def test_the_docs_options_table_lists_every_option_with_its_default():
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", OPTIONS_PAGE.read_text(), flags=re.M))
    fields = {field.name: field.default for field in dataclasses.fields(Settings)}
    assert set(rows) == set(fields)
    for name, default in fields.items():
        shown = rows[name].strip().strip('`"')
        if isinstance(default, bool):
            assert shown == str(default), (name, shown)
        elif isinstance(default, int):
            mib = default / (1024 * 1024)
            assert shown in (f"{default:,}", f"{mib:,.0f} MiB"), (name, shown)
        elif default is None:
            assert shown == "None", (name, shown)
        else:
            assert shown == default, (name, shown)


def test_every_option_is_a_serve_flag(capsys):
    from ecrpublic_mock.__main__ import main

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    shown = capsys.readouterr().out
    for field in dataclasses.fields(Settings):
        assert "--" + field.name.replace("_", "-") in shown


def test_every_public_name_resolves():
    """``__all__`` is the public surface: each name is there (the views and the server's
    class load on first use)."""
    for name in ecrpublic_mock.__all__:
        assert getattr(ecrpublic_mock, name) is not None, name
    assert typing.get_args(ecrpublic_mock.Mutability) == ("MUTABLE", "IMMUTABLE")
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        ecrpublic_mock.Nope  # noqa: B018


@pytest.mark.slow
def test_what_serve_returns_is_exported():
    """``EcrPublicMock.serve()`` returns the exported ``BackgroundServer``."""
    with ecrpublic_mock.mock_ecr_public() as ecr, ecr.serve() as server:
        assert type(server) is ecrpublic_mock.BackgroundServer


def test_the_core_speaks_in_aws_exceptions_and_the_registry_in_its_codes():
    """One error table per surface: the core's texts carry AWS's exception names; the
    distribution-spec's codes, with their statuses, live with the registry protocol."""
    from ecrpublic_mock._core import messages
    from ecrpublic_mock._registry import errors

    texts = [value for value in vars(messages).values() if isinstance(value, messages.Text)]
    assert texts
    assert all(text.code.endswith("Exception") for text in texts), texts
    codes = [value for value in vars(errors).values() if isinstance(value, errors.Code)]
    assert all(code.value.isupper() and 400 <= code.status < 500 for code in codes), codes
