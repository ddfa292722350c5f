"""In-process mock of Amazon ECR Public for Python test suites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import (  # noqa: F401 - importing them registers their operations
    _catalog,
    _hook,
    _images,
    _layers,
    _policies,
    _registry,
    _repositories,
    _tags,
)
from ._errors import EcrPublicMockBug
from ._faults import Call
from ._mock import EcrPublicMock, MockOptions, mock_ecr_public

if TYPE_CHECKING:
    from ._views import ImageView, LayerView, RepositoryView

__all__ = [
    "Call",
    "EcrPublicMock",
    "EcrPublicMockBug",
    "ImageView",
    "LayerView",
    "MockOptions",
    "RepositoryView",
    "mock_ecr_public",
]
__version__ = "0.1.0"

_VIEWS = frozenset({"ImageView", "LayerView", "RepositoryView"})


def __getattr__(name: str) -> Any:
    """The view classes load on first use: most test runs never need them at import."""
    if name in _VIEWS:
        from . import _views

        return getattr(_views, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_hook.install()
