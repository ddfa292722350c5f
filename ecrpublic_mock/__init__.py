"""In-process mock of Amazon ECR Public for Python test suites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._activation import hook
from ._activation.mock import EcrPublicMock, MockOptions, mock_ecr_public
from ._core.errors import EcrPublicMockBug
from ._core.settings import Mutability
from ._harness.calls import Call
from ._sandbox.privileges import SandboxUnavailable

if TYPE_CHECKING:
    from ._helpers.views import ImageView, LayerView, RepositoryView, UploadView
    from ._sandbox.sandbox import Sandbox
    from ._server.runner import BackgroundServer

__all__ = [
    "BackgroundServer",
    "Call",
    "EcrPublicMock",
    "EcrPublicMockBug",
    "ImageView",
    "LayerView",
    "MockOptions",
    "Mutability",
    "RepositoryView",
    "Sandbox",
    "SandboxUnavailable",
    "UploadView",
    "mock_ecr_public",
]
__version__ = "0.1.0"

_VIEWS = frozenset({"ImageView", "LayerView", "RepositoryView", "UploadView"})


def __getattr__(name: str) -> Any:
    """The view classes load on first use: most test runs never need them at import; the
    server's class (what ``EcrPublicMock.serve()`` returns) needs the ``server`` extra, the
    sandbox's (``EcrPublicMock.sandbox()``) the ``sandbox`` extra."""
    if name in _VIEWS:
        from ._helpers import views

        return getattr(views, name)
    if name == "BackgroundServer":
        from ._server.runner import BackgroundServer

        return BackgroundServer
    if name == "Sandbox":  # the sandbox extra's
        from ._sandbox.sandbox import Sandbox

        return Sandbox
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Sessions created from now on carry the handlers (see hook.install for why this one
# registration is process-wide); everything else waits for the first activation.
hook.install()
