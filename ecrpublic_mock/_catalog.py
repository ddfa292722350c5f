"""Repository catalog data: what CreateRepository and PutRepositoryCatalogData store."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._operations import Params
    from ._state import Repository

_TEXT_FIELDS = ("description", "architectures", "operatingSystems", "aboutText", "usageText")
_LOGO_HOST = "https://d3g9o9u8re44ak.cloudfront.net/logo"


def store_catalog(repo: Repository, catalog: Params) -> None:
    """Replace the repository's catalog; the logo becomes a stable URL, as AWS serves it."""
    stored: Params = {key: catalog[key] for key in _TEXT_FIELDS if key in catalog}
    logo = catalog.get("logoImageBlob")
    if logo:
        digest = hashlib.sha256(base64.b64decode(logo)).hexdigest()
        folder = uuid.uuid5(uuid.NAMESPACE_URL, repo.arn)
        stored["logoUrl"] = f"{_LOGO_HOST}/{folder}/{uuid.uuid5(folder, digest)}.png"
    repo.catalog = stored


def catalog_output(repo: Repository) -> Params:
    return dict(repo.catalog)
