"""What every operation's handler is given: the request, with the look-ups they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from ..._core import messages
from ..._core.repositories import find_repository
from ..._core.state import FREE
from ..._model import operation_model
from ..paging import page, page_entries

if TYPE_CHECKING:
    from ..._core.ordered import OrderedIndex
    from ..._core.state import Registry, Repository
    from ..._harness.state import MockState

V = TypeVar("V")
E = TypeVar("E")
Params = dict[str, Any]


@dataclass(slots=True)
class Request:
    """One call of ``operation``, its converted and validated ``params``. (Not frozen:
    one is made per call, and a frozen dataclass is three times as slow to make.)"""

    state: MockState
    operation: str
    params: Params

    @property
    def registry(self) -> Registry:
        return self.state.registry

    def registry_id(self, repository_name: str = "") -> str:
        """Check ``registryId`` names the caller's registry (its account id, or its alias
        where the operation's model allows one). An unknown registry is
        ``RegistryNotFoundException`` where the operation declares it, else
        ``RepositoryNotFoundException`` (docs/aws-behaviour.md, section "Identifiers")."""
        registry = self.registry
        given = self.params.get("registryId")
        if given is None or registry.names(given, alias_allowed=_takes_alias(self.operation)):
            return registry.account_id
        if _declares(self.operation, "RegistryNotFoundException"):
            raise messages.error(messages.REGISTRY_NOT_FOUND, registry_id=given)
        raise messages.repository_not_found(repository_name, given)

    @property
    def kind(self) -> str:
        """The repository type the request names (``repositoryType``; absent is FREE)."""
        kind: str = self.params.get("repositoryType", FREE)
        return kind

    def repository(self, kind: str | None = None) -> Repository:
        """The repository the request names, of the type it names, in its registry."""
        name = self.params["repositoryName"]
        self.registry_id(name)
        return find_repository(self.registry, name, self.kind if kind is None else kind)

    def types(self, repo: Repository) -> bool:
        """Does the answer carry ``repositoryType``? When the request named a type, or the
        repository is premium (docs/aws-behaviour.md, section "Premium repositories")."""
        return "repositoryType" in self.params or repo.premium

    def typed(self, repo: Repository, output: Params) -> Params:
        """``output`` with ``repositoryType`` where the answer carries it (``types``)."""
        if self.types(repo):
            output["repositoryType"] = repo.kind
        return output

    def page(
        self, index: OrderedIndex[V], kind: str, limit: int | None = None
    ) -> tuple[list[V], Params]:
        """A page of ``index``: ``maxResults`` items, or ``limit`` where given."""
        params = self.params if limit is None else {**self.params, "maxResults": limit}
        return page(self.registry.key, index, kind, params)

    def page_entries(
        self, index: OrderedIndex[V], kind: str, entries_of: Callable[[V], list[E]]
    ) -> tuple[list[E], Params]:
        """A page of the entries each item of ``index`` stands for (see paging)."""
        return page_entries(self.registry.key, index, kind, self.params, entries_of)

    def exclusive(self, listed: str) -> None:
        """``maxResults``/``nextToken`` cannot be combined with an explicit list."""
        if self.params.get(listed) is None:
            return
        for member in ("maxResults", "nextToken"):
            if member in self.params:
                raise messages.exclusive(member, listed)


Handler = Callable[[Request], Params]


def table(*handlers: Handler) -> dict[str, Handler]:
    """Handlers by operation name, the name spelled from the function's
    (``create_repository`` serves ``CreateRepository``)."""
    return {
        "".join(part.title() for part in handler.__name__.split("_")): handler
        for handler in handlers
    }


@cache
def _declares(operation: str, error_code: str) -> bool:
    return any(shape.name == error_code for shape in operation_model(operation).error_shapes)


@cache
def _takes_alias(operation: str) -> bool:
    """Does the model type the operation's ``registryId`` as RegistryIdOrAlias?"""
    shape = operation_model(operation).input_shape
    member = shape.members.get("registryId") if shape is not None else None
    return member is not None and member.name == "RegistryIdOrAlias"
