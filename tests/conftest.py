"""Fixtures shared by the test modules: the active mock and a client of it.

The mock's options come from every ``@pytest.mark.ecr_public(...)`` marker that applies,
the module's (``pytestmark``) first, then the class's, then the test's, each updating the
ones before: a module sets its defaults and a test changes or extends them. (The plugin's
own ``ecr_public`` fixture uses only the closest marker.) A module has ``client`` create
repositories by overriding the ``repositories`` fixture. Every test runs under the
``network`` recorder.
"""

import boto3
import pytest
from _network import Recorder

from ecrpublic_mock import mock_ecr_public


@pytest.fixture(autouse=True)
def network(monkeypatch):
    """Every test runs with a recorder of outbound connections: any attempt to reach a
    non-loopback address (AWS, the instance-metadata service, DNS) is refused, and one
    made while a mock serves fails the test, even if the code under test swallowed the
    error."""
    recorder = Recorder().install(monkeypatch)
    yield recorder
    assert recorder.attempts == [], f"a test reached for the network: {recorder.attempts}"


@pytest.fixture
def ecr(request):
    """The active mock, with the options of the ``ecr_public`` markers (outermost first)."""
    options = {}
    for marker in reversed(list(request.node.iter_markers("ecr_public"))):
        options.update(marker.kwargs)
    with mock_ecr_public(**options) as handle:
        yield handle


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
