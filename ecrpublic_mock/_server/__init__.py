"""Server mode: the mock over HTTP, for clients outside Python (``--endpoint-url``).

``app`` is the ASGI application (the service's JSON protocol on ``POST /``), ``control``
its control plane under ``/_ecrpublic_mock/`` and the backend it answers from, ``runner``
uvicorn in the foreground (``python -m ecrpublic_mock serve``) or in a background thread
(``EcrPublicMock.serve()``). uvicorn is the optional extra ``ecrpublic-mock[server]``;
only ``runner`` imports it, and nothing imports ``runner`` unless serving.
"""

from __future__ import annotations

from .app import region_of

__all__ = ["region_of"]
