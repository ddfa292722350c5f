"""Repository catalog data: what CreateRepository and PutRepositoryCatalogData store."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import TYPE_CHECKING

from ._operations import Params, operation, repository

if TYPE_CHECKING:
    from ._state import Registry, Repository

_TEXT_FIELDS = ("description", "architectures", "operatingSystems", "aboutText", "usageText")
_LOGO_HOST = "https://d3g9o9u8re44ak.cloudfront.net/logo"


def store_catalog(repo: Repository, catalog: Params) -> None:
    """Replace the repository's catalog; the logo becomes a stable URL, as AWS serves it."""
    # Lists are copied: the request (kept in the call log) must not share them with state.
    stored: Params = {
        key: list(value) if isinstance(value, list) else value
        for key in _TEXT_FIELDS
        if (value := catalog.get(key)) is not None
    }
    logo = catalog.get("logoImageBlob")
    if logo:
        digest = hashlib.sha256(base64.b64decode(logo)).hexdigest()
        folder = uuid.uuid5(uuid.NAMESPACE_URL, repo.arn)
        stored["logoUrl"] = f"{_LOGO_HOST}/{folder}/{uuid.uuid5(folder, digest)}.png"
    repo.catalog = stored


def catalog_output(repo: Repository) -> Params:
    return {key: list(v) if isinstance(v, list) else v for key, v in repo.catalog.items()}


@operation("GetRepositoryCatalogData")
def get_repository_catalog_data(registry: Registry, params: Params) -> Params:
    # A repository created without catalog data answers an empty catalog, not
    # RepositoryCatalogDataNotFoundException (reference page: observed behaviour).
    return {"catalogData": catalog_output(repository(registry, "GetRepositoryCatalogData", params))}


@operation("PutRepositoryCatalogData")
def put_repository_catalog_data(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "PutRepositoryCatalogData", params)
    store_catalog(repo, params["catalogData"])
    return {"catalogData": catalog_output(repo)}
