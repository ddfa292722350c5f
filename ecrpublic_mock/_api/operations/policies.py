"""SetRepositoryPolicy, GetRepositoryPolicy and DeleteRepositoryPolicy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core.policies import delete_policy, get_policy, set_policy
from .request import Params, Request, table

if TYPE_CHECKING:
    from ..._core.state import Repository


def _policy_output(repo: Repository, text: str) -> Params:
    # AWS answers with its own rendering of the stored document (section "Renderings").
    return {"registryId": repo.registry_id, "repositoryName": repo.name, "policyText": text}


def set_repository_policy(request: Request) -> Params:
    repo = request.repository()
    text = set_policy(repo, request.params["policyText"], force=bool(request.params.get("force")))
    return _policy_output(repo, text)


def get_repository_policy(request: Request) -> Params:
    repo = request.repository()
    return _policy_output(repo, get_policy(repo))


def delete_repository_policy(request: Request) -> Params:
    repo = request.repository()
    return _policy_output(repo, delete_policy(repo))


HANDLERS = table(set_repository_policy, get_repository_policy, delete_repository_policy)
