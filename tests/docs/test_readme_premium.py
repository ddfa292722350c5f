"""The README's "Premium repositories" example, run as printed in a throw-away pytest
session (``pytester``): the README cannot drift from what works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _support import needs_premium

pytest_plugins = ["pytester"]
pytestmark = [
    pytest.mark.slow,
    needs_premium,
]

README = Path(__file__).parents[2] / "README.md"


def readme_example() -> str:
    section = README.read_text().split("## Premium repositories\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return code


def test_the_readme_premium_example_passes(pytester):
    pytester.makepyfile(test_readme=readme_example())
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
