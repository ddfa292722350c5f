"""Premium repositories: the publisher's prerequisites, the state machine, Marketplace
products, associations with free repositories, and what entitled buyers may see (the
model's documentation of the operations botocore 1.44.18 added; docs/aws-behaviour.md,
section "Premium repositories")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import messages
from .repositories import create_repository, find_repository
from .state import PREMIUM

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from .state import Registry, Repository

DRAFT, AVAILABLE, HIDDEN = "DRAFT", "AVAILABLE", "HIDDEN"
# The only moves SetRepositoryState makes; setting the current state changes nothing.
_MOVES = frozenset({(DRAFT, AVAILABLE), (AVAILABLE, HIDDEN), (HIDDEN, AVAILABLE)})
# The states in which buyers with an entitlement see and pull a repository.
BUYABLE = frozenset({AVAILABLE, HIDDEN})


def _check_products(products: Sequence[str]) -> None:
    if len(set(products)) != len(products):
        raise messages.invalid(messages.DUPLICATE_PRODUCTS)


def create_premium(
    registry: Registry,
    products: Sequence[str],
    name: str,
    tags: Sequence[tuple[str, str]],
    catalog: Mapping[str, Any],
    logo: bytes | None,
) -> Repository:
    """A premium repository in DRAFT, once the registry may have one."""
    if not registry.premium_enabled:
        raise messages.error(messages.PREMIUM_NOT_ENABLED)
    _check_products(products)
    repo = create_repository(registry, name, tags, catalog, logo, kind=PREMIUM)
    repo.state = DRAFT
    repo.products = list(products)
    return repo


def require_premium(kind: str) -> None:
    """SetRepositoryState and SetImageStatus act on premium repositories only."""
    if kind != PREMIUM:
        raise messages.invalid(messages.MUST_BE_PREMIUM)


def set_state(repo: Repository, state: str) -> None:
    current = repo.state or DRAFT
    if state != current and (current, state) not in _MOVES:
        raise messages.state_change(current, state)
    repo.state = state


def put_products(repo: Repository, products: Sequence[str]) -> None:
    """Replace the product list; after DRAFT a product can be added, never removed."""
    _check_products(products)
    if repo.state != DRAFT:
        missing = [product for product in repo.products if product not in products]
        if missing:
            raise messages.products_removed(missing)
    repo.products = list(products)


def check_deletable(repo: Repository) -> None:
    """Images leave a premium repository past DRAFT only by deprecation."""
    if repo.premium and repo.state != DRAFT:
        raise messages.error(messages.DELETION_NOT_ALLOWED, repo=repo)


def associate(registry: Registry, first: tuple[str, str], second: tuple[str, str]) -> None:
    """Pair a FREE and a PREMIUM repository, each ``(name, type)``; one pair each."""
    if first[1] == second[1]:
        raise messages.invalid(messages.TYPES_MUST_DIFFER)
    one, other = (find_repository(registry, name, kind) for name, kind in (first, second))
    for repo in (one, other):
        if repo.associated is not None:
            raise messages.error(messages.ASSOCIATION_EXISTS, repo=repo)
    one.associated, other.associated = other, one


def disassociate(registry: Registry, first: tuple[str, str], second: tuple[str, str]) -> None:
    if first[1] == second[1]:
        raise messages.invalid(messages.TYPES_MUST_DIFFER)
    one, other = (find_repository(registry, name, kind) for name, kind in (first, second))
    if one.associated is not other:
        raise messages.error(messages.ASSOCIATION_NOT_FOUND, repo=one, other=other)
    one.associated = other.associated = None


def entitled_products(registry: Registry, repo: Repository) -> list[str]:
    """The repository's products the account is entitled to, while buyers may see it."""
    if repo.state not in BUYABLE:
        return []
    return [product for product in repo.products if product in registry.entitlements]


def entitled_repository(registry: Registry, alias: str, name: str) -> Repository:
    """A premium repository as a buyer names it: by the publisher's alias and its name.
    EntitlementNotFoundException covers every way it is out of reach, as AWS documents."""
    repo = registry.premium.get(name) if alias in registry.aliases else None
    if repo is None or not entitled_products(registry, repo):
        raise messages.error(messages.ENTITLEMENT_NOT_FOUND, name=name, alias=alias)
    return find_repository(registry, name, PREMIUM)  # its expired images gone
