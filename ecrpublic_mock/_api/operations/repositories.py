"""CreateRepository, DescribeRepositories and DeleteRepository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core import messages
from ..._core.catalog import catalog_view
from ..._core.repositories import create_repository as create
from ..._core.repositories import delete_repository as delete
from ..._core.state import FREE
from ..encoded import Encoded, kept_while
from .request import Params, Request, table
from .tags import tag_pairs

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from ..._core.state import Repository


def repository_output(repo: Repository) -> Params:
    """A Repository (or the first members of a PremiumRepository); the association,
    when there is one."""
    output: Params = {
        "repositoryArn": repo.arn,
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "repositoryUri": repo.uri,
        "createdAt": repo.created_at.timestamp(),
    }
    other = repo.associated
    if other is not None:
        output["associatedRepositories"] = [
            {"repositoryName": other.name, "repositoryType": other.kind}
        ]
    return output


def creation(request: Request) -> tuple[str, list[tuple[str, str]], Params, bytes | None]:
    """What CreateRepository and CreatePremiumRepository both take: the name, the resource
    tags, the catalog data and its logo."""
    params = request.params
    catalog = params.get("catalogData") or {}
    tags = tag_pairs(params.get("tags") or [])
    return params["repositoryName"], tags, catalog, catalog.get("logoImageBlob")


def create_repository(request: Request) -> Params:
    repo = create(request.registry, *creation(request))
    return {"repository": repository_output(repo), "catalogData": catalog_view(repo)}


def listing(request: Request, kind: str) -> tuple[list[Repository], Params]:
    """The repositories of ``kind`` a describe call asks for: those ``repositoryNames``
    names (each once, in its order), or a page."""
    request.exclusive("repositoryNames")
    names = request.params.get("repositoryNames")
    account = request.registry_id((names or [""])[0])
    repositories = request.registry.namespace(kind)
    if names is None:
        return request.page(repositories, "repositories" if kind == FREE else "premium")
    found = []
    for name in dict.fromkeys(names):
        repo = repositories.get(name)
        if repo is None:
            raise messages.repository_not_found(name, account)
        found.append(repo)
    return found, {}


def entries(
    request: Request,
    repos: list[Repository],
    build: Callable[[Repository], Params],
    inputs_of: Callable[[Repository], Hashable] | None = None,
) -> Encoded:
    """The repositories' entries, each kept until what it reads changes: the registry's
    host and alias (its URI), its association, and what ``inputs_of`` gives."""
    registry = request.registry
    shared = (registry.host, registry.alias)
    listed = Encoded()
    for repo in repos:
        known = (shared, repo.associated, None if inputs_of is None else inputs_of(repo))
        derived = repo.derived
        last = None if derived is None else derived.get(build)
        if last is not None and last[0] == known:
            listed.append(last[1])
        else:
            listed.append(kept_while(repo, build, known, build, repo))
    return listed


def describe_repositories(request: Request) -> Params:
    repos, extra = listing(request, FREE)
    return {"repositories": entries(request, repos, repository_output), **extra}


def delete_repository(request: Request) -> Params:
    repo = request.repository()
    output = repository_output(repo)  # as it was, its association included
    delete(request.registry, repo, force=bool(request.params.get("force")))
    return {"repository": output}


HANDLERS = table(create_repository, describe_repositories, delete_repository)
