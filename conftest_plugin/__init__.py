"""pytest plugin for ecrpublic-mock: the ``ecr_public`` fixtures and marker.

``ecr_public_server`` serves the same mock over HTTP, for clients outside Python.
Registered through the ``pytest11`` entry point, so installing the package is enough: no
conftest.py, no ``-p`` option. Importing this module imports :mod:`ecrpublic_mock`, which
installs its botocore hook before any test creates a client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest

from ecrpublic_mock import EcrPublicMock, mock_ecr_public

if TYPE_CHECKING:
    from collections.abc import Iterator

    from types_boto3_ecr_public import ECRPublicClient

    from ecrpublic_mock._server.runner import BackgroundServer

__all__ = ["ecr_public", "ecr_public_client", "ecr_public_server"]

MARKER = "ecr_public"
REGION = "us-east-1"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker so ``--strict-markers`` accepts it and ``--markers`` lists it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): options for the ecr_public fixture "
        "(account_id, image_tag_mutability, quotas)",
    )


def _marker_options(node: pytest.Item) -> dict[str, Any]:
    """Options of the closest ``ecr_public`` marker: a function's mark beats its class's."""
    marker = node.get_closest_marker(MARKER)
    if marker is None:
        return {}
    if marker.args:
        # Options are named so a typo is caught by name; a bare value has no name to check.
        raise TypeError(
            f"@pytest.mark.{MARKER} takes keyword options only "
            f"(e.g. account_id='111122223333'), got positional arguments {marker.args!r}"
        )
    return dict(marker.kwargs)


@pytest.fixture
def ecr_public(request: pytest.FixtureRequest) -> Iterator[EcrPublicMock]:
    """An active mock with fresh state for this test, configured by ``@pytest.mark.ecr_public``.

    It is stopped after the test, even when the test fails.
    """
    # Options are checked here, so a bad one makes this test error, naming the option.
    handle = mock_ecr_public(**_marker_options(request.node))
    with handle:
        yield handle


@pytest.fixture
def ecr_public_client(ecr_public: EcrPublicMock) -> ECRPublicClient:
    """A boto3 ``ecr-public`` client served by the ``ecr_public`` mock.

    us-east-1 is ECR Public's home region (registries and repositories live there). The
    ``ecr_public`` argument is unused: depending on it is what makes the client served.
    """
    client: ECRPublicClient = boto3.client("ecr-public", region_name=REGION)
    return client


@pytest.fixture
def ecr_public_server(ecr_public: EcrPublicMock) -> Iterator[BackgroundServer]:
    """The ``ecr_public`` mock served over HTTP on a free loopback port for this test.

    Its ``.url`` is an ``--endpoint-url`` for the AWS CLI, other SDKs and ``curl``; they
    see the same state as ``ecr_public`` and in-process clients. Needs the ``server``
    extra (uvicorn). Stopped after the test: the thread ends and the port is freed.
    """
    with ecr_public.serve() as server:
        yield server
