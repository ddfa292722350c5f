"""The README's "docker push in a test" example, run as printed, against a real dockerd.

The example is taken from the README itself, so the README cannot drift from what works;
it runs in a throw-away pytest session (``pytester``) whose docker CLI talks to the suite's
private dockerd (``DOCKER_HOST``) with a private ``DOCKER_CONFIG``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _clients import dockerd  # noqa: F401 - the session's private dockerd, a fixture

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow

README = Path(__file__).parents[2] / "README.md"


def readme_example() -> str:
    section = README.read_text().split("## docker push in a test\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return code


def test_the_readme_section_has_one_example_with_a_test():
    code = readme_example()
    assert "def test_release_pushes_the_image(" in code
    assert 'docker("push"' in code


def test_the_readme_docker_push_example_passes(pytester, dockerd, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("DOCKER_HOST", dockerd.host)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    pytester.makepyfile(test_readme=readme_example())
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
