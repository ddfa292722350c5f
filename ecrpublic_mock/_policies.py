"""Repository policies: Set (with AWS's structural checks), Get and Delete."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ._errors import ServiceError, invalid_parameter
from ._operations import Params, operation, repository

if TYPE_CHECKING:
    from ._state import Registry, Repository

_VERSIONS = ("2012-10-17", "2008-10-17")
_TOP_KEYS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_KINDS = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})
_ACTION = re.compile(r"\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+")
_SET_POLICY = "ecr-public:SetRepositoryPolicy"


class _Invalid(Exception):
    pass


def _strings(value: Any, pattern: re.Pattern[str] | None = None) -> list[str]:
    """A policy element that is a string or a non-empty list of strings."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise _Invalid
    for item in items:
        if not isinstance(item, str) or (pattern is not None and not pattern.fullmatch(item)):
            raise _Invalid
    return items


def _check_principal(principal: Any) -> None:
    if principal == "*":
        return
    if not isinstance(principal, dict) or not principal:
        raise _Invalid
    for kind, value in principal.items():
        if kind not in _PRINCIPAL_KINDS:
            raise _Invalid
        _strings(value)


def _statements(text: str) -> list[dict[str, Any]]:
    """The statements of a structurally valid IAM resource policy; else _Invalid."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):  # deeply nested arrays exhaust the parser
        raise _Invalid from None
    if not isinstance(document, dict) or not set(document) <= _TOP_KEYS:
        raise _Invalid
    if "Version" in document and document["Version"] not in _VERSIONS:
        raise _Invalid
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise _Invalid
    for statement in statements:
        if not isinstance(statement, dict) or not set(statement) <= _STATEMENT_KEYS:
            raise _Invalid
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise _Invalid
        principals = [statement[k] for k in ("Principal", "NotPrincipal") if k in statement]
        actions = [statement[k] for k in ("Action", "NotAction") if k in statement]
        if len(principals) != 1 or len(actions) != 1:
            raise _Invalid
        _check_principal(principals[0])
        _strings(actions[0], _ACTION)
        if "Condition" in statement and not isinstance(statement["Condition"], dict):
            raise _Invalid
    return statements


def _covers(pattern: str, action: str = _SET_POLICY) -> bool:
    """IAM action matching: ``*`` and ``?`` wildcards, case-insensitive."""
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, action, re.IGNORECASE) is not None


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    aws = principal.get("AWS") if isinstance(principal, dict) else None
    return aws == "*" or (isinstance(aws, list) and "*" in aws)


def _locks_out(statements: list[dict[str, Any]]) -> bool:
    """Would this policy deny everyone SetRepositoryPolicy? Then AWS wants ``force``."""
    for statement in statements:
        if statement["Effect"] != "Deny" or not _everyone(statement.get("Principal")):
            continue
        if "Action" in statement and any(map(_covers, _strings(statement["Action"]))):
            return True
        if "NotAction" in statement and not any(map(_covers, _strings(statement["NotAction"]))):
            return True
    return False


def _policy_output(repo: Repository, text: str) -> Params:
    return {"registryId": repo.registry_id, "repositoryName": repo.name, "policyText": text}


@operation("SetRepositoryPolicy")
def set_repository_policy(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "SetRepositoryPolicy", params)
    text = params["policyText"]
    try:
        statements = _statements(text)
    except _Invalid:
        # Real ECR's one message for every malformed policy.
        raise invalid_parameter("PolicyText", "Invalid repository policy provided") from None
    if not params.get("force") and _locks_out(statements):
        raise invalid_parameter(
            "PolicyText",
            "The policy would prevent setting another policy in the future; "
            "set force to true to set it anyway",
        )
    repo.policy = text
    return _policy_output(repo, text)


def _policy(repo: Repository) -> str:
    if repo.policy is None:
        raise ServiceError(
            "RepositoryPolicyNotFoundException",
            f"Repository policy does not exist for the repository with name '{repo.name}' "
            f"in the registry with id '{repo.registry_id}'",
        )
    return repo.policy


@operation("GetRepositoryPolicy")
def get_repository_policy(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "GetRepositoryPolicy", params)
    return _policy_output(repo, _policy(repo))


@operation("DeleteRepositoryPolicy")
def delete_repository_policy(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "DeleteRepositoryPolicy", params)
    text = _policy(repo)
    repo.policy = None
    return _policy_output(repo, text)
