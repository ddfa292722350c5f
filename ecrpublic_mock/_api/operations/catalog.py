"""GetRepositoryCatalogData and PutRepositoryCatalogData."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core.catalog import store_catalog
from .request import Params, Request, table

if TYPE_CHECKING:
    from ..._core.state import Repository


def catalog_output(repo: Repository) -> Params:
    return {key: list(v) if isinstance(v, list) else v for key, v in repo.catalog.items()}


def get_repository_catalog_data(request: Request) -> Params:
    # A repository created without catalog data answers an empty catalog, not
    # RepositoryCatalogDataNotFoundException (docs/aws-behaviour.md, "Catalog data").
    return {"catalogData": catalog_output(request.repository())}


def put_repository_catalog_data(request: Request) -> Params:
    repo = request.repository()
    catalog = request.params["catalogData"]
    store_catalog(repo, catalog, catalog.get("logoImageBlob"))
    return {"catalogData": catalog_output(repo)}


HANDLERS = table(get_repository_catalog_data, put_repository_catalog_data)
