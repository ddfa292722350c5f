"""The handler of every operation of the API, by name: the table is built here from each
module's own, so it is complete once this module is imported (a test checks it covers
every operation of the installed model; it holds the newest model's, whatever is installed)."""

from __future__ import annotations

from . import catalog, images, layers, policies, premium, registry, repositories, tags
from .request import Handler, Request

HANDLERS: dict[str, Handler] = {
    **repositories.HANDLERS,
    **images.HANDLERS,
    **layers.HANDLERS,
    **catalog.HANDLERS,
    **policies.HANDLERS,
    **tags.HANDLERS,
    **registry.HANDLERS,
    **premium.HANDLERS,
}

__all__ = ["HANDLERS", "Request"]
