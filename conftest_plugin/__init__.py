"""pytest plugin for ecrpublic-mock: the ``ecr_public`` fixtures and marker.

``ecr_public_server`` serves the same mock over HTTP, for clients outside Python;
``ecr_public_sandbox`` runs commands where AWS's own hosts are that mock.
Registered through the ``pytest11`` entry point, so installing the package is enough: no
conftest.py, no ``-p`` option. Importing this module imports :mod:`ecrpublic_mock`, which
installs its botocore hook before any test creates a client.

Fixtures:

* ``ecr_public``: a fresh mock for one test, configured by the ``ecr_public`` markers.
* ``ecr_public_client``: a us-east-1 client served by ``ecr_public``.
* ``class_ecr_public``, ``module_ecr_public``, ``package_ecr_public``, ``session_ecr_public``:
  one mock (default options, markers do not apply) for every test of the class, module,
  package or session that requests it; those tests share its state.

A test marked ``@pytest.mark.ecr_public(...)`` gets the ``ecr_public`` fixture even if it
does not request it: the marker is never ignored. A test that uses a scoped mock and
``ecr_public`` (by name or through the marker) is served by ``ecr_public``, the innermost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest

from ecrpublic_mock import EcrPublicMock, mock_ecr_public

if TYPE_CHECKING:
    from collections.abc import Iterator

    from types_boto3_ecr_public import ECRPublicClient

    from ecrpublic_mock import Sandbox
    from ecrpublic_mock._server.runner import BackgroundServer

__all__ = [
    "class_ecr_public",
    "ecr_public",
    "ecr_public_client",
    "ecr_public_sandbox",
    "ecr_public_server",
    "module_ecr_public",
    "package_ecr_public",
    "session_ecr_public",
]

MARKER = "ecr_public"
FIXTURE = "ecr_public"
SANDBOX_MARKER = "ecr_public_sandbox"
REGION = "us-east-1"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker so ``--strict-markers`` accepts it and ``--markers`` lists it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): options for the ecr_public fixture "
        "(account_id, image_tag_mutability, quotas)",
    )
    config.addinivalue_line(
        "markers",
        f"{SANDBOX_MARKER}(docker=False): options for the ecr_public_sandbox fixture "
        "(docker=True: a private dockerd in the sandbox)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every test marked ``ecr_public`` the ``ecr_public`` fixture.

    Done once, at collection: no autouse fixture runs for the tests that are not marked.
    The fixture goes before the test's first function-scoped fixture, so its other
    function-scoped fixtures (a client, repositories) run inside the mock, and after the
    wider-scoped ones, so a scoped mock set up for this test does not shadow it.
    """
    for item in items:
        if (
            isinstance(item, pytest.Function)
            and FIXTURE not in item.fixturenames
            and item.get_closest_marker(MARKER) is not None
        ):
            item.fixturenames.insert(_first_function_scoped(item), FIXTURE)


def _first_function_scoped(item: pytest.Function) -> int:
    """Index in ``item.fixturenames`` of its first function-scoped fixture (else the end).

    pytest orders that list widest scope first and sets fixtures up in its order.
    """
    definitions = item._fixtureinfo.name2fixturedefs
    for index, name in enumerate(item.fixturenames):
        found = definitions.get(name)
        if found and found[-1].scope == "function":
            return index
    return len(item.fixturenames)


def _marker_options(node: pytest.Item) -> dict[str, Any]:
    """The options of every ``ecr_public`` marker on ``node``, merged.

    Outermost first (the module's ``pytestmark``, then the class's, then the test's), each
    updating the ones before: a module sets defaults and a test overrides one of them.
    """
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(MARKER))):
        if marker.args:
            # Options are named so a typo is caught by name; a bare value has no name to check.
            raise TypeError(
                f"@pytest.mark.{MARKER} takes keyword options only "
                f"(e.g. account_id='111122223333'), got positional arguments {marker.args!r}"
            )
        options.update(marker.kwargs)
    return options


def _activate(options: dict[str, Any]) -> Iterator[EcrPublicMock]:
    # Options are checked here, so a bad one makes the requesting test error, naming it.
    handle = mock_ecr_public(**options)
    with handle:
        yield handle


@pytest.fixture
def ecr_public(request: pytest.FixtureRequest) -> Iterator[EcrPublicMock]:
    """An active mock with fresh state for this test, configured by ``@pytest.mark.ecr_public``.

    Every marker that applies counts, the module's first, then the class's, then the
    test's, each overriding the ones before. It is stopped after the test, even when the
    test fails. A marked test gets this fixture without requesting it.
    """
    yield from _activate(_marker_options(request.node))


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


@pytest.fixture
def ecr_public_sandbox(
    ecr_public: EcrPublicMock, request: pytest.FixtureRequest
) -> Iterator[Sandbox]:
    """A sandbox where ``public.ecr.aws`` and the ECR Public API are the ``ecr_public``
    mock: ``run()`` the project's own commands unmodified, then assert on
    ``ecr_public_sandbox.mock`` (or ``ecr_public``, the same). Linux, as root or with
    unprivileged user namespaces; the ``sandbox`` extra. ``@pytest.mark.ecr_public_sandbox
    (docker=True)`` starts a private dockerd in it. Stopped after the test, with every
    process left in it.
    """
    marker = request.node.get_closest_marker(SANDBOX_MARKER)
    options = dict(marker.kwargs) if marker is not None else {}
    with ecr_public.sandbox(**options) as sandbox:
        yield sandbox


def _scoped(scope: str, shared_by: str, stopped: str) -> Any:
    """The ``<scope>_ecr_public`` fixture: one mock for the tests of a ``scope`` that
    request it (as pytest-mock's ``class_mocker`` and its siblings)."""

    def scoped() -> Iterator[EcrPublicMock]:
        yield from _activate({})

    scoped.__doc__ = (
        f"One mock for the tests of {shared_by} that request it: they share its state.\n\n"
        f"    Default options (markers configure ``ecr_public`` only); stopped {stopped}.\n"
    )
    return pytest.fixture(scope=scope, name=f"{scope}_ecr_public")(scoped)  # type: ignore[call-overload]


class_ecr_public = _scoped("class", "a class", "after the class")
module_ecr_public = _scoped("module", "a module", "after the module")
package_ecr_public = _scoped("package", "a package", "after the package")
session_ecr_public = _scoped(
    "session", "the session (of each xdist worker)", "at the end of the session"
)
