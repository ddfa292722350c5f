"""GetRepositoryCatalogData and PutRepositoryCatalogData."""

from __future__ import annotations

from ..._core.catalog import catalog_view, store_catalog
from .request import Params, Request, table


def get_repository_catalog_data(request: Request) -> Params:
    # A repository created without catalog data answers an empty catalog, not
    # RepositoryCatalogDataNotFoundException (docs/aws-behaviour.md, "Catalog data").
    return {"catalogData": catalog_view(request.repository())}


def put_repository_catalog_data(request: Request) -> Params:
    repo = request.repository()
    catalog = request.params["catalogData"]
    store_catalog(repo, catalog, catalog.get("logoImageBlob"))
    return {"catalogData": catalog_view(repo)}


HANDLERS = table(get_repository_catalog_data, put_repository_catalog_data)
