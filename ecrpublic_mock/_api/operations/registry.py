"""The registry itself: DescribeRegistries, its catalog data, and authorization tokens."""

from __future__ import annotations

from ..._core.catalog import merge_registry_catalog
from ..._core.ordered import OrderedIndex
from ..._core.tokens import authorization_token
from .request import Params, Request, table


def describe_registries(request: Request) -> Params:
    registry = request.registry
    # The caller sees one registry, its own: a one-item listing, paged like any other.
    own: OrderedIndex[str] = OrderedIndex()
    own.add(registry.account_id, registry.account_id)
    listed, extra = request.page(own, "registries")
    output = {
        "registryId": registry.account_id,
        "registryArn": registry.arn,
        "registryUri": registry.uri,
        "verified": registry.settings.registry_verified,
        "aliases": [
            {
                "name": alias,
                "status": "ACTIVE",
                "primaryRegistryAlias": alias == registry.alias,
                "defaultRegistryAlias": alias == registry.default_alias,
            }
            for alias in registry.aliases
        ],
        "premiumStatus": "ENABLED" if registry.premium_enabled else "DISABLED",
    }
    if registry.premium_enabled:
        output["premiumRegistryUri"] = registry.premium_uri
    return {"registries": [output for _ in listed], **extra}


def get_registry_catalog_data(request: Request) -> Params:
    return {"registryCatalogData": dict(request.registry.catalog)}


def put_registry_catalog_data(request: Request) -> Params:
    params = request.params
    merge_registry_catalog(request.registry, params, params.get("logoImageBlob"))
    return {"registryCatalogData": dict(request.registry.catalog)}


def get_authorization_token(request: Request) -> Params:
    token, expires = authorization_token(request.registry)
    return {"authorizationData": {"authorizationToken": token, "expiresAt": expires.timestamp()}}


HANDLERS = table(
    describe_registries,
    get_registry_catalog_data,
    put_registry_catalog_data,
    get_authorization_token,
)
