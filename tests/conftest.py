"""Fixtures shared by the test modules: the active mock and a client of it.

``ecr`` is the plugin's own ``ecr_public`` fixture, so the suite runs on what it ships:
its options come from every ``@pytest.mark.ecr_public(...)`` marker that applies, the
module's (``pytestmark``) first, then the class's, then the test's, each updating the
ones before. A module has ``client`` create repositories by overriding the
``repositories`` fixture. Every test runs under the ``network`` recorder.
"""

import boto3
import pytest
from _network import Recorder


@pytest.fixture(autouse=True)
def network(monkeypatch):
    """Every test runs with a recorder of outbound connections: any attempt to reach a
    non-loopback address (AWS, the instance-metadata state, DNS) is refused, and one
    made while a mock serves fails the test, even if the code under test swallowed the
    error."""
    recorder = Recorder().install(monkeypatch)
    yield recorder
    assert recorder.attempts == [], f"a test reached for the network: {recorder.attempts}"


@pytest.fixture
def ecr(ecr_public):
    """The active mock: the plugin's ``ecr_public``, configured by the markers."""
    return ecr_public


@pytest.fixture
def repositories():
    """Names of the repositories ``client`` creates (none)."""
    return ()


@pytest.fixture
def client(ecr, repositories):
    """A us-east-1 client of the mock, after creating ``repositories`` in order."""
    c = boto3.client("ecr-public", region_name="us-east-1")
    for name in repositories:
        c.create_repository(repositoryName=name)
    return c
