"""The installed distribution: its version, licence, package list and what the tests import.

tox's test envs install the wheel they build; an editable install (the README's
``pip install -e``) maps the source tree instead, and the checks that only mean something
for a real install say so and skip.
"""

from __future__ import annotations

import json
import site
import sys
from importlib import metadata
from pathlib import Path

import pytest
import pytest_ecrpublic_mock

import ecrpublic_mock

ROOT = Path(__file__).resolve().parents[2]
# The installed distribution, in site-packages: not a stray ``*.egg-info`` of the source
# tree, which ``python -m`` can put first on sys.path.
(DISTRIBUTION,) = metadata.distributions(name="ecrpublic-mock", path=site.getsitepackages())


def editable() -> bool:
    """Whether pip installed the project in editable mode (PEP 660, ``direct_url.json``)."""
    direct_url = DISTRIBUTION.read_text("direct_url.json")
    return bool(direct_url and json.loads(direct_url).get("dir_info", {}).get("editable"))


def test_the_installed_version_is_the_package_version():
    """One version source: pyproject's version is read from ``ecrpublic_mock.__version__``."""
    assert metadata.version("ecrpublic-mock") == ecrpublic_mock.__version__
    assert DISTRIBUTION.version == ecrpublic_mock.__version__


def test_the_version_is_dynamic_in_pyproject():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]
    assert dynamic["version"] == {"attr": "ecrpublic_mock.__version__"}


def test_the_licence_is_mit_and_shipped():
    meta = DISTRIBUTION.metadata
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License\n")
    assert "Copyright (c) 2026 ecrpublic-mock developers" in licence


def test_the_plugin_entry_point_names_the_plugin_module():
    (entry_point,) = DISTRIBUTION.entry_points.select(group="pytest11")
    assert (entry_point.name, entry_point.value) == ("ecrpublic_mock", "pytest_ecrpublic_mock")


def test_every_package_of_the_source_tree_is_in_the_wheel():
    """setuptools ships only the packages pyproject lists: a new subpackage must be listed."""
    tomllib = pytest.importorskip("tomllib")
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    in_tree = {
        ".".join(directory.relative_to(ROOT).parts)
        for directory in [ROOT / "ecrpublic_mock", *(ROOT / "ecrpublic_mock").rglob("*")]
        if directory.is_dir() and any(directory.glob("*.py"))
    }
    assert in_tree | {"pytest_ecrpublic_mock"} == set(listed["packages"])


@pytest.mark.skipif(editable(), reason="an editable install imports the source tree")
@pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="no PYTHONSAFEPATH before 3.11: `python -m` puts the source tree first",
)
def test_the_tests_import_the_installed_wheel():
    """In tox's envs the package and the plugin are the installed copies, not the tree's."""
    for module in (ecrpublic_mock, pytest_ecrpublic_mock):
        installed = Path(str(DISTRIBUTION.locate_file(f"{module.__name__}/__init__.py")))
        assert Path(module.__file__).resolve() == installed.resolve()
        for tree in (ROOT / "ecrpublic_mock", ROOT / "conftest_plugin"):
            assert tree not in Path(module.__file__).resolve().parents
    for data in ("ecrpublic_mock/py.typed", "pytest_ecrpublic_mock/py.typed"):
        assert Path(str(DISTRIBUTION.locate_file(data))).is_file()
