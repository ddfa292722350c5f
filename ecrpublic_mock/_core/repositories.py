"""Repositories: create, find, delete, with the registry's quota."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import messages
from .catalog import store_catalog
from .clock import now
from .state import FREE, Repository
from .tags import apply_tags
from .uploads import drop_layers

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from .state import Registry


def create_repository(
    registry: Registry,
    name: str,
    tags: Sequence[tuple[str, str]] = (),
    catalog: Mapping[str, Any] | None = None,
    logo: bytes | None = None,
    kind: str = FREE,
) -> Repository:
    """A new repository of ``kind``; free and premium ones count against one quota
    (docs/aws-behaviour.md, section "Premium repositories")."""
    namespace = registry.namespace(kind)
    if name in namespace:
        raise messages.error(
            messages.REPOSITORY_ALREADY_EXISTS, name=name, registry_id=registry.account_id
        )
    quota = registry.settings.max_repositories
    if len(registry.repositories) + len(registry.premium) >= quota:
        raise messages.error(messages.REPOSITORY_LIMIT, quota=quota)
    repo = Repository(
        name=name,
        registry=registry,
        mutability=registry.settings.image_tag_mutability,
        kind=kind,
    )
    # Both raise before anything is stored: a failed call changes nothing.
    apply_tags(registry, repo, tags)
    store_catalog(repo, catalog or {}, logo)
    namespace.add(name, repo)
    return repo


def find_repository(registry: Registry, name: str, kind: str = FREE) -> Repository:
    """The repository ``name`` of ``kind``, its deprecated images past their time gone."""
    found = registry.namespace(kind).get(name)
    if found is None:
        raise messages.repository_not_found(name, registry.account_id)
    if found.deprecated:
        from .deprecation import purge  # only premium repositories ever deprecate

        purge(found, now())
    return found


def delete_repository(registry: Registry, repo: Repository, *, force: bool) -> None:
    if len(repo.images) and not force:
        raise messages.error(messages.REPOSITORY_NOT_EMPTY, repo=repo)
    registry.namespace(repo.kind).remove(repo.name)
    # An association goes with either side (docs/aws-behaviour.md, "Premium repositories").
    if repo.associated is not None:
        repo.associated.associated = None
        repo.associated = None
    # Its open uploads die with it (their bytes are freed): O(its uploads), not O(all).
    for upload_id in repo.uploads:
        del registry.uploads[upload_id]
    drop_layers(registry, repo)
