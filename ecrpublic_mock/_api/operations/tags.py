"""TagResource, UntagResource and ListTagsForResource."""

from __future__ import annotations

from ..._core import messages
from ..._core.tags import apply_tags, remove_tags, tagged_repository
from .request import Params, Request, table


def tag_pairs(tags: list[Params]) -> list[tuple[str, str]]:
    """The API's ``[{"Key", "Value"}]`` as (key, value) pairs; a tag needs its key."""
    pairs = []
    for tag in tags:
        key = tag.get("Key")
        if key is None:  # optional in the model, yet a tag is nothing without it
            raise messages.invalid(messages.TAG_KEY_MISSING)
        pairs.append((key, tag.get("Value", "")))
    return pairs


def tag_resource(request: Request) -> Params:
    repo = tagged_repository(request.registry, request.params["resourceArn"])
    apply_tags(request.registry, repo, tag_pairs(request.params["tags"]))
    return {}


def untag_resource(request: Request) -> Params:
    remove_tags(
        tagged_repository(request.registry, request.params["resourceArn"]),
        request.params["tagKeys"],
    )
    return {}


def list_tags_for_resource(request: Request) -> Params:
    repo = tagged_repository(request.registry, request.params["resourceArn"])
    return {"tags": [{"Key": key, "Value": value} for key, value in repo.tags.items()]}


HANDLERS = table(tag_resource, untag_resource, list_tags_for_resource)
