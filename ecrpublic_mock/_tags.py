"""Resource tags on repositories: the quota and the reserved ``aws:`` prefix."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._errors import ServiceError, invalid_parameter, repository_not_found
from ._operations import Params, operation

if TYPE_CHECKING:
    from ._state import Registry, Repository


def _check_key(key: str) -> None:
    if key.lower().startswith("aws:"):
        raise ServiceError(
            "InvalidTagParameterException",
            f"The tag key '{key}' is invalid: the 'aws:' prefix is reserved for AWS use",
        )


def apply_tags(registry: Registry, repo: Repository, tags: list[Params]) -> None:
    """Add or overwrite ``tags``; all checks pass before anything changes."""
    merged = dict(repo.tags)
    for tag in tags:
        key = tag.get("Key")
        if key is None:  # optional in the model, yet a tag is nothing without it
            raise invalid_parameter("tags", "must satisfy constraint: [Key must not be null]")
        _check_key(key)
        merged[key] = tag.get("Value", "")
    quota = registry.settings.max_resource_tags
    if len(merged) > quota:
        raise ServiceError(
            "TooManyTagsException",
            f"The repository '{repo.name}' would have {len(merged)} tags; the maximum is {quota}",
        )
    repo.tags = merged


_REPOSITORY_ARN = re.compile(r"arn:aws:ecr-public::([0-9]{12}):repository/(.+)")


def _tagged_repository(registry: Registry, arn: str) -> Repository:
    """The repository a resource ARN names; only repositories of this registry are taggable."""
    match = _REPOSITORY_ARN.fullmatch(arn)
    if match is None or match.group(1) != registry.account_id:
        raise invalid_parameter("resourceArn", "must be a repository ARN of the caller's registry")
    repo = registry.repositories.get(match.group(2))
    if repo is None:
        raise repository_not_found(match.group(2), registry.account_id)
    return repo


@operation("TagResource")
def tag_resource(registry: Registry, params: Params) -> Params:
    apply_tags(registry, _tagged_repository(registry, params["resourceArn"]), params["tags"])
    return {}


@operation("UntagResource")
def untag_resource(registry: Registry, params: Params) -> Params:
    repo = _tagged_repository(registry, params["resourceArn"])
    keys = params["tagKeys"]
    for key in keys:
        _check_key(key)
    for key in keys:
        repo.tags.pop(key, None)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(registry: Registry, params: Params) -> Params:
    repo = _tagged_repository(registry, params["resourceArn"])
    return {"tags": [{"Key": key, "Value": value} for key, value in repo.tags.items()]}
