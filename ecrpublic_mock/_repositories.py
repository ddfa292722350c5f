"""CreateRepository, DescribeRepositories and DeleteRepository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._catalog import catalog_output, store_catalog
from ._clock import epoch
from ._errors import ServiceError, repository_not_found
from ._operations import Params, exclusive, operation, page, registry_id, repository
from ._tags import apply_tags

if TYPE_CHECKING:
    from ._state import Registry, Repository


def repository_output(repo: Repository) -> Params:
    return {
        "repositoryArn": repo.arn,
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "repositoryUri": repo.uri,
        "createdAt": epoch(repo.created_at),
    }


@operation("CreateRepository")
def create_repository(registry: Registry, params: Params) -> Params:
    name = params["repositoryName"]
    if name in registry.repositories:
        raise ServiceError(
            "RepositoryAlreadyExistsException",
            f"The repository with name '{name}' already exists in the registry with id "
            f"'{registry.account_id}'",
        )
    quota = registry.settings.max_repositories
    if len(registry.repositories) >= quota:
        raise ServiceError(
            "LimitExceededException",
            f"The operation did not succeed because it would have exceeded a service limit "
            f"for your account: repositories per registry ({quota})",
        )
    repo = registry.new_repository(name)
    # Both checks raise before anything is stored: a failed call changes nothing.
    apply_tags(registry, repo, params.get("tags") or [])
    store_catalog(repo, params.get("catalogData") or {})
    registry.repositories.add(name, repo)
    return {"repository": repository_output(repo), "catalogData": catalog_output(repo)}


@operation("DescribeRepositories")
def describe_repositories(registry: Registry, params: Params) -> Params:
    exclusive(params, "repositoryNames")
    names = params.get("repositoryNames")
    account = registry_id(registry, "DescribeRepositories", params, (names or [""])[0])
    if names is not None:
        found = []
        for name in dict.fromkeys(names):
            repo = registry.repositories.get(name)
            if repo is None:
                raise repository_not_found(name, account)
            found.append(repository_output(repo))
        return {"repositories": found}
    repos, extra = page(registry, registry.repositories, "repositories", params)
    return {"repositories": [repository_output(repo) for repo in repos], **extra}


@operation("DeleteRepository")
def delete_repository(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "DeleteRepository", params)
    if len(repo.images) and not params.get("force"):
        raise ServiceError(
            "RepositoryNotEmptyException",
            f"The repository with name '{repo.name}' in registry with id "
            f"'{repo.registry_id}' cannot be deleted because it still contains images",
        )
    registry.repositories.remove(repo.name)
    # Its open uploads die with it (their bytes are freed): O(its uploads), not O(all).
    for upload_id in repo.uploads:
        del registry.uploads[upload_id]
    return {"repository": repository_output(repo)}
