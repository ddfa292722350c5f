"""The registry itself: DescribeRegistries, its catalog data, and authorization tokens."""

from __future__ import annotations

import base64
import datetime
import json
import os
from typing import TYPE_CHECKING

from ._clock import epoch, now
from ._operations import Params, operation, page

if TYPE_CHECKING:
    from ._state import Registry

TOKEN_LIFETIME = datetime.timedelta(hours=12)


def _registry_output(registry: Registry) -> Params:
    account = registry.account_id
    return {
        "registryId": account,
        "registryArn": f"arn:aws:ecr-public::{account}:registry/{account}",
        "registryUri": registry.uri,
        "verified": False,
        "aliases": [
            {
                "name": registry.alias,
                "status": "ACTIVE",
                "primaryRegistryAlias": True,
                "defaultRegistryAlias": True,
            }
        ],
    }


@operation("DescribeRegistries")
def describe_registries(registry: Registry, params: Params) -> Params:
    # The caller sees one registry, its own: a one-item listing.
    listed, extra = page(registry, registry.registries, "registries", params)
    return {"registries": [_registry_output(registry) for _ in listed], **extra}


@operation("GetRegistryCatalogData")
def get_registry_catalog_data(registry: Registry, params: Params) -> Params:
    return {"registryCatalogData": dict(registry.catalog)}


@operation("PutRegistryCatalogData")
def put_registry_catalog_data(registry: Registry, params: Params) -> Params:
    if "displayName" in params:
        registry.catalog["displayName"] = params["displayName"]
    return {"registryCatalogData": dict(registry.catalog)}


@operation("GetAuthorizationToken")
def get_authorization_token(registry: Registry, params: Params) -> Params:
    """A token of the real form: base64 of ``AWS:<password>``, valid for twelve hours."""
    expires = now() + TOKEN_LIFETIME
    password = json.dumps(
        {
            "payload": base64.b64encode(os.urandom(96)).decode(),
            "datakey": base64.b64encode(os.urandom(48)).decode(),
            "version": "3",
            "type": "DATA_KEY",
            "expiration": int(epoch(expires)),
        },
        # Compact, as the AWS CLI's get-login-password example decodes to.
        separators=(",", ":"),
    )
    token = f"AWS:{base64.b64encode(password.encode()).decode()}"
    return {
        "authorizationData": {
            "authorizationToken": base64.b64encode(token.encode()).decode(),
            "expiresAt": epoch(expires),
        }
    }
