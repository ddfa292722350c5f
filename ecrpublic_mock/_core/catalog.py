"""Catalog data: a repository's (description, logo, categories, ...) and the registry's
(display name, description, logo)."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from . import messages

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .state import Registry, Repository

# The members of a repository's catalog a caller sets, in the order AWS lists them.
TEXT_FIELDS = (
    "description",
    "architectures",
    "operatingSystems",
    "aboutText",
    "usageText",
    "categories",
)
_LOGO_HOST = "https://d3g9o9u8re44ak.cloudfront.net/logo"


def store_catalog(repo: Repository, fields: Mapping[str, Any], logo: bytes | None) -> None:
    """Replace the repository's catalog; the logo becomes a stable URL, as AWS serves it.

    Lists are copied: the caller's objects (kept in a call log) never share with state.
    """
    repo.catalog = _merged({}, fields, repo.arn, logo or None)


def merge_catalog(repo: Repository, fields: Mapping[str, Any], logo: bytes | None) -> None:
    """Members present replace the stored ones, absent ones stay; an empty logo removes
    the logo (PutPremiumRepositoryCatalogData's documented merge)."""
    repo.catalog = _merged(repo.catalog, fields, repo.arn, logo)


def _merged(
    current: Mapping[str, Any], fields: Mapping[str, Any], arn: str, logo: bytes | None
) -> dict[str, Any]:
    """``current`` updated with ``fields``, checked first: a refused update changes nothing."""
    categories = fields.get("categories") or ()
    if len(set(categories)) != len(categories):  # "each category at most once" (the model)
        raise messages.invalid(messages.DUPLICATE_CATEGORIES)
    stored = dict(current)
    for key in TEXT_FIELDS:
        value = fields.get(key)
        if value is not None:
            stored[key] = list(value) if isinstance(value, (list, tuple)) else value
    _set_logo(stored, arn, logo)
    # AWS's order: the text members, then the logo.
    return {key: stored[key] for key in (*TEXT_FIELDS, "logoUrl") if key in stored}


def merge_registry_catalog(
    registry: Registry, fields: Mapping[str, Any], logo: bytes | None
) -> None:
    """PutRegistryCatalogData: members present replace, absent ones stay (AWS leaves
    this undocumented; the mock chooses the premium catalog's merge)."""
    stored = dict(registry.catalog)
    for key in ("displayName", "description"):
        if key in fields:
            stored[key] = fields[key]
    _set_logo(stored, registry.arn, logo)
    registry.catalog = {
        key: stored[key] for key in ("displayName", "description", "logoUrl") if key in stored
    }


def _set_logo(stored: dict[str, Any], arn: str, logo: bytes | None) -> None:
    if logo is None:
        return
    if not logo:
        stored.pop("logoUrl", None)
        return
    folder = _stable_uuid4(arn.encode())
    image = _stable_uuid4(folder.bytes + hashlib.sha256(logo).digest())
    stored["logoUrl"] = f"{_LOGO_HOST}/{folder}/{image}.png"


def artifact_types(repo: Repository) -> list[str]:
    """What the repository holds, from its images' configs (AWS leaves the rule
    undocumented; the mock derives it): IMAGE, HELM, or both."""
    return [
        kind for kind, count in (("IMAGE", repo.other_images), ("HELM", repo.helm_images)) if count
    ]


def catalog_view(repo: Repository) -> dict[str, Any]:
    """The catalog as the service answers it: what was set, then what it derives."""
    view: dict[str, Any] = {
        key: list(value) if isinstance(value, list) else value
        for key, value in repo.catalog.items()
    }
    if repo.badges:
        view["badges"] = list(repo.badges)
    kinds = artifact_types(repo)
    if kinds:
        view["artifactTypes"] = kinds
    return view


def _stable_uuid4(seed: bytes) -> uuid.UUID:
    """A version-4 UUID, as every logo URL in the AWS CLI's examples has, derived from
    ``seed`` so that URLs are the same from run to run."""
    return uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4)
