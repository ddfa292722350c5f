"""The domain's tests' fixtures: a registry with default settings, and its ``app``."""

from __future__ import annotations

import pytest

from ecrpublic_mock._core.repositories import create_repository
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._core.state import Registry


@pytest.fixture
def registry():
    return Registry(Settings())


@pytest.fixture
def repo(registry):
    return create_repository(registry, "app")
