"""Repositories as the registry endpoint names them, and who may reach which
(docs/aws-behaviour.md, sections "Registry protocol" and "Premium repositories")."""

from __future__ import annotations

import pytest

from ecrpublic_mock._core.errors import CredentialRefused, ServiceError
from ecrpublic_mock._core.paths import RepositoryPath, check_access, repository_at
from ecrpublic_mock._core.premium import create_premium, set_state
from ecrpublic_mock._core.repositories import create_repository
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._core.state import Registry
from ecrpublic_mock._core.tokens import Grant

PUSH, PULL = Grant(push=True, expires=0), Grant(push=False, expires=0)


@pytest.mark.parametrize(
    ("path", "section", "alias", "name", "kind"),
    [
        ("acme/app", "", "acme", "app", "FREE"),
        ("acme/team/app", "", "acme", "team/app", "FREE"),
        ("premium/acme/app", "premium", "acme", "app", "PREMIUM"),
        ("entitled/acme/team/app", "entitled", "acme", "team/app", "PREMIUM"),
        ("premium", "", "premium", "", "FREE"),  # no alias after it: an alias named so
        ("acme", "", "acme", "", "FREE"),
    ],
)
def test_a_path_is_section_alias_and_name(path, section, alias, name, kind):
    parsed = RepositoryPath.parse(path)
    assert (parsed.section, parsed.alias, parsed.name, parsed.kind) == (
        section,
        alias,
        name,
        kind,
    )
    assert parsed.whole == path


@pytest.fixture
def registry():
    registry = Registry(Settings(registry_verified=True, registry_alias="acme"))
    create_repository(registry, "app")
    create_premium(registry, ["p-1"], "paid", (), {}, None)
    return registry


def test_a_path_finds_its_repository(registry):
    repo = repository_at(registry, RepositoryPath.parse("acme/app"), pushing=False)
    assert (repo.name, repo.kind) == ("app", "FREE")
    premium = repository_at(registry, RepositoryPath.parse("premium/acme/paid"), pushing=True)
    assert (premium.name, premium.kind) == ("paid", "PREMIUM")


@pytest.mark.parametrize(
    ("path", "pushing", "named", "owner"),
    [
        ("acme/nope", False, "nope", "acme"),  # a pull names the registry by its alias
        ("acme/nope", True, "nope", "123456789012"),  # a push by its account
        ("other/app", False, "app", "other"),
        ("acme", False, "acme", "acme"),
    ],
)
def test_a_path_to_no_repository_is_repository_not_found(registry, path, pushing, named, owner):
    with pytest.raises(ServiceError) as refused:
        repository_at(registry, RepositoryPath.parse(path), pushing=pushing)
    assert refused.value.code == "RepositoryNotFoundException"
    assert f"'{named}'" in refused.value.message
    assert f"'{owner}'" in refused.value.message


@pytest.mark.parametrize(
    ("path", "grant", "pushing", "allowed"),
    [
        ("acme/app", PULL, False, True),
        ("acme/app", PULL, True, False),
        ("acme/app", PUSH, True, True),
        ("premium/acme/paid", PULL, False, False),  # the publisher's path needs credentials
        ("premium/acme/paid", PUSH, True, True),
        ("entitled/acme/paid", PUSH, True, False),  # the buyer's path is pull-only
        ("entitled/acme/paid", PUSH, False, False),  # DRAFT: no buyer sees it yet
    ],
)
def test_who_may_reach_a_path(registry, path, grant, pushing, allowed):
    parsed = RepositoryPath.parse(path)
    if allowed:
        check_access(registry, parsed, grant, pushing=pushing)
    else:
        with pytest.raises(CredentialRefused):
            check_access(registry, parsed, grant, pushing=pushing)


@pytest.mark.parametrize(
    ("state", "entitled", "allowed"),
    [
        ("AVAILABLE", True, True),
        ("HIDDEN", True, True),
        ("AVAILABLE", False, False),
    ],
)
def test_a_buyer_pulls_while_entitled_and_buyable(registry, state, entitled, allowed):
    for step in ("AVAILABLE", state):  # HIDDEN is reached from AVAILABLE
        set_state(registry.premium.get("paid"), step)
    if entitled:
        registry.entitlements["p-1"] = None
    path = RepositoryPath.parse("entitled/acme/paid")
    if allowed:
        check_access(registry, path, PUSH, pushing=False)
    else:
        with pytest.raises(CredentialRefused):
            check_access(registry, path, PUSH, pushing=False)
