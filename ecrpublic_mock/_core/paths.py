"""Repositories as the registry endpoint names them: the path of their URIs.

A free repository is ``<alias>/<name>``; a premium one ``premium/<alias>/<name>`` to its
publisher and ``entitled/<alias>/<name>`` to a buyer (docs/aws-behaviour.md, section
"Premium repositories"). Who may reach which is the domain's rule, answered here for every
front end that takes such a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import messages
from .errors import CredentialRefused
from .premium import entitled_products
from .repositories import find_repository
from .state import ENTITLED_PATH, FREE, PREMIUM, PREMIUM_PATH

if TYPE_CHECKING:
    from .state import Registry, Repository
    from .tokens import Grant


@dataclass(frozen=True)
class RepositoryPath:
    """``section`` is ``premium`` or ``entitled`` for the premium paths, else empty."""

    section: str
    alias: str
    name: str
    whole: str  # as the request spelled it

    @classmethod
    def parse(cls, path: str) -> RepositoryPath:
        first, _, rest = path.partition("/")
        section = first if first in (PREMIUM_PATH, ENTITLED_PATH) and rest else ""
        alias, _, name = (rest if section else path).partition("/")
        return cls(section, alias, name, path)

    @property
    def kind(self) -> str:
        return PREMIUM if self.section else FREE


def check_access(registry: Registry, path: RepositoryPath, grant: Grant, *, pushing: bool) -> None:
    """Pushing needs the account's credentials; so does the publisher's premium path. The
    buyer's path is pull-only and needs an entitlement to the repository (while AVAILABLE
    or HIDDEN). A refusal is a credential that does not reach the repository."""
    if pushing and not grant.push:
        raise CredentialRefused(expired=False)
    if not path.section:
        return
    if not grant.push or (path.section == ENTITLED_PATH and pushing):
        raise CredentialRefused(expired=False)
    if path.section == ENTITLED_PATH:
        repo = registry.premium.get(path.name) if path.alias in registry.aliases else None
        if repo is None or not entitled_products(registry, repo):
            raise CredentialRefused(expired=False)


def repository_at(registry: Registry, path: RepositoryPath, *, pushing: bool) -> Repository:
    """The repository the path names. Not found, the error names the registry by its
    alias to a pull (as pulls from public.ecr.aws print it) and by its account to a push."""
    if path.alias not in registry.aliases or not path.name:
        raise messages.repository_not_found(
            path.name or path.whole, path.alias if path.name else registry.alias
        )
    if path.name not in registry.namespace(path.kind):
        owner = registry.account_id if pushing else registry.alias
        raise messages.repository_not_found(path.name, owner)
    return find_repository(registry, path.name, path.kind)  # its expired images gone
