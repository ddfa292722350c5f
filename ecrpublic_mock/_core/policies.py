"""Repository policies: AWS's structural checks, the lockout guard, and its rendering."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from . import messages

if TYPE_CHECKING:
    from .state import Repository

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


class _Number:
    """A JSON number as the caller wrote it: AWS leaves its rendering of numbers
    undocumented; the mock chooses to keep their text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _no_constant(name: str) -> Any:
    raise _Invalid  # NaN and Infinity are no JSON


def _parse(text: str) -> dict[str, Any]:
    try:
        document = json.loads(
            text, parse_int=_Number, parse_float=_Number, parse_constant=_no_constant
        )
    except (ValueError, RecursionError):  # deeply nested arrays exhaust the parser
        raise _Invalid from None
    if not isinstance(document, dict):
        raise _Invalid
    return document


def _condition(condition: Any) -> None:
    """``{operator: {key: value or [values]}}``, values scalars (IAM's condition block)."""
    if not isinstance(condition, dict):
        raise _Invalid
    for block in condition.values():
        if not isinstance(block, dict):
            raise _Invalid
        for value in block.values():
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, (str, bool, _Number)):
                    raise _Invalid


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of a structurally valid IAM resource policy; else _Invalid."""
    if not set(document) <= _TOP_KEYS:
        raise _Invalid
    if "Version" in document and document["Version"] not in _VERSIONS:
        raise _Invalid
    if "Id" in document and not isinstance(document["Id"], str):
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
        for key in ("Resource", "NotResource"):
            if key in statement:
                _strings(statement[key])
        if "Sid" in statement and not isinstance(statement["Sid"], str):
            raise _Invalid
        if "Condition" in statement:
            _condition(statement["Condition"])
    return statements


def render(value: Any, level: int = 0) -> str:
    """``value`` laid out as AWS answers a stored policy (AWS CLI ``get-repository-policy``
    example; docs/aws-behaviour.md, section "Renderings").

    That is the layout of Jackson's DefaultPrettyPrinter: an object's members one per line,
    indented two spaces per level of object nesting, ``"key" : value``; arrays on one line,
    ``[ a, b ]``, adding no nesting; ``{ }`` and ``[ ]`` when empty; strings escaped as
    JSON, non-ASCII characters as they are.
    """
    if isinstance(value, dict):
        if not value:
            return "{ }"
        inner = "\n" + "  " * (level + 1)
        members = (f"{_string(key)} : {render(item, level + 1)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(members) + "\n" + "  " * level + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[ " + ", ".join(render(item, level) for item in value) + " ]"
    if isinstance(value, _Number):
        return value.text
    if isinstance(value, str):
        return _string(value)
    return json.dumps(value)  # true, false, null


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


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


def set_policy(repo: Repository, text: str, *, force: bool) -> str:
    """Store the policy as AWS renders it, and return that rendering."""
    try:
        document = _parse(text)
        statements = _statements(document)
    except _Invalid:
        raise messages.invalid(messages.INVALID_POLICY) from None
    if not force and _locks_out(statements):
        raise messages.invalid(messages.POLICY_LOCKOUT)
    repo.policy = render(document)
    return repo.policy


def get_policy(repo: Repository) -> str:
    if repo.policy is None:
        raise messages.error(messages.POLICY_NOT_FOUND, repo=repo)
    return repo.policy


def delete_policy(repo: Repository) -> str:
    text = get_policy(repo)
    repo.policy = None
    return text
