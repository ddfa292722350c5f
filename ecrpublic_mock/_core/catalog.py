"""Catalog data: a repository's (description, logo, ...) and the registry's display name."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .state import Repository

# The text fields of a repository's catalog, in the order AWS lists them.
TEXT_FIELDS = ("description", "architectures", "operatingSystems", "aboutText", "usageText")
_LOGO_HOST = "https://d3g9o9u8re44ak.cloudfront.net/logo"


def store_catalog(repo: Repository, fields: Mapping[str, Any], logo: bytes | None) -> None:
    """Replace the repository's catalog; the logo becomes a stable URL, as AWS serves it.

    Lists are copied: the caller's objects (kept in a call log) never share with state.
    """
    stored: dict[str, Any] = {
        key: list(value) if isinstance(value, (list, tuple)) else value
        for key in TEXT_FIELDS
        if (value := fields.get(key)) is not None
    }
    if logo:
        folder = _stable_uuid4(repo.arn.encode())
        image = _stable_uuid4(folder.bytes + hashlib.sha256(logo).digest())
        stored["logoUrl"] = f"{_LOGO_HOST}/{folder}/{image}.png"
    repo.catalog = stored


def _stable_uuid4(seed: bytes) -> uuid.UUID:
    """A version-4 UUID, as every logo URL in the AWS CLI's examples has, derived from
    ``seed`` so that URLs are the same from run to run."""
    return uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4)
