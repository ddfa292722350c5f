"""Repository catalog data: what CreateRepository and PutRepositoryCatalogData store."""

from __future__ import annotations

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
    logo: bytes | None = catalog.get("logoImageBlob")  # decoded by the API layer
    if logo:
        folder = _stable_uuid4(repo.arn.encode())
        image = _stable_uuid4(folder.bytes + hashlib.sha256(logo).digest())
        stored["logoUrl"] = f"{_LOGO_HOST}/{folder}/{image}.png"
    repo.catalog = stored


def _stable_uuid4(seed: bytes) -> uuid.UUID:
    """A version-4 UUID, as every logo URL in the AWS CLI's examples has, derived from
    ``seed`` so that URLs are the same from run to run."""
    return uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4)


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
