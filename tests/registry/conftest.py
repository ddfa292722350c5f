"""The registry tests' raw HTTP client: ``wire``, a ``Wire`` on the test's served mock."""

from __future__ import annotations

import pytest
from test_registry_protocol import Wire


@pytest.fixture
def wire(ecr_public_server, client):
    w = Wire(ecr_public_server, client)
    yield w
    w.close()
