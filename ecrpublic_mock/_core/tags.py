"""Resource tags on repositories: the quota and the reserved ``aws:`` prefix."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import messages
from .state import FREE, PREMIUM

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .state import Registry, Repository

_REPOSITORY_ARN = re.compile(
    r"arn:aws:ecr-public::([0-9]{12}):(repository|premium-repository)/(.+)"
)


def _check_key(key: str) -> None:
    if key.lower().startswith("aws:"):
        raise messages.error(messages.RESERVED_TAG_KEY, key=key)


def apply_tags(registry: Registry, repo: Repository, tags: Sequence[tuple[str, str]]) -> None:
    """Add or overwrite ``tags``; all checks pass before anything changes."""
    merged = dict(repo.tags)
    for key, value in tags:
        _check_key(key)
        merged[key] = value
    quota = registry.settings.max_resource_tags
    if len(merged) > quota:
        raise messages.error(messages.TOO_MANY_TAGS, repo=repo, count=len(merged), quota=quota)
    repo.tags = merged


def remove_tags(repo: Repository, keys: Iterable[str]) -> None:
    keys = list(keys)
    for key in keys:
        _check_key(key)
    for key in keys:
        repo.tags.pop(key, None)


def tagged_repository(registry: Registry, arn: str) -> Repository:
    """The repository a resource ARN names; only repositories of this registry are taggable."""
    match = _REPOSITORY_ARN.fullmatch(arn)
    if match is None or match.group(1) != registry.account_id:
        raise messages.invalid(messages.FOREIGN_RESOURCE)
    kind = PREMIUM if match.group(2) == "premium-repository" else FREE
    repo = registry.namespace(kind).get(match.group(3))
    if repo is None:
        raise messages.repository_not_found(match.group(3), registry.account_id)
    return repo
