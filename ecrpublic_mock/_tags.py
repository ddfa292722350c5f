"""Resource tags on repositories: the quota and the reserved ``aws:`` prefix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._errors import ServiceError

if TYPE_CHECKING:
    from ._operations import Params
    from ._state import Registry, Repository


def apply_tags(registry: Registry, repo: Repository, tags: list[Params]) -> None:
    """Add or overwrite ``tags``; all checks pass before anything changes."""
    merged = dict(repo.tags)
    for tag in tags:
        key = tag["Key"]
        if key.lower().startswith("aws:"):
            raise ServiceError(
                "InvalidTagParameterException",
                f"The tag key '{key}' is invalid: the 'aws:' prefix is reserved for AWS use",
            )
        merged[key] = tag.get("Value", "")
    quota = registry.settings.max_resource_tags
    if len(merged) > quota:
        raise ServiceError(
            "TooManyTagsException",
            f"The repository '{repo.name}' would have {len(merged)} tags; "
            f"the maximum is {quota}",
        )
    repo.tags = merged
