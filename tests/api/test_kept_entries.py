"""A listing's entries are built once and kept (``_api/encoded.py``): an image's until the
image changes, a repository's until what it reads changes. Never stale: after every kind
of change each describe call answers exactly what it answers with nothing kept, and the
bytes are the ones ``json.dumps`` gives for the same answer.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from _support import PREMIUM_MODULE, make_premium
from freezegun import freeze_time

from ecrpublic_mock._api import dispatch
from ecrpublic_mock._api.encoded import Encoded, decoded, dump

pytestmark = PREMIUM_MODULE

UTC = dt.timezone.utc
T0 = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
PREMIUM = {"repositoryType": "PREMIUM"}


def forget(ecr) -> None:
    """Drop every kept entry, as if none had ever been built."""
    registry = ecr._state.registry
    for namespace in (registry.repositories, registry.premium):
        for repo in namespace.page(-1, len(namespace))[0]:
            repo.derived = None
            for image in repo.images.page(-1, len(repo.images))[0]:
                image.changed()


def raw(client, method: str, **params) -> bytes:
    """The answer's bytes as the mock sent them."""
    bodies: list[bytes] = []

    def grab(http_response, **kwargs):
        bodies.append(bytes(http_response.content))

    event = "after-call.ecr-public"
    client.meta.events.register(event, grab)
    try:
        getattr(client, method)(**params)
    finally:
        client.meta.events.unregister(event, grab)
    return bodies[-1]


def assert_fresh(ecr, client, method: str, **params) -> dict:
    """``method`` answers the same bytes with the entries kept so far as with none kept;
    the parsed answer. Every listing's entries are kept again after: the next change
    must find them."""
    kept = raw(client, method, **params)
    forget(ecr)
    assert kept == raw(client, method, **params) == raw(client, method, **params)
    keep_all(client)
    return json.loads(kept)


LISTINGS = (
    ("describe_images", {"repositoryName": "app"}),
    ("describe_images", {"repositoryName": "app", "repositoryType": "FREE"}),
    ("describe_image_tags", {"repositoryName": "app"}),
    ("describe_images", {"repositoryName": "prem", **PREMIUM}),
    ("describe_image_tags", {"repositoryName": "prem", **PREMIUM}),
    ("describe_entitled_images", {"registryAlias": "acme", "repositoryName": "prem"}),
    ("describe_entitled_image_tags", {"registryAlias": "acme", "repositoryName": "prem"}),
    ("describe_repositories", {}),
    ("describe_premium_repositories", {}),
)


def keep_all(client) -> None:
    for method, params in LISTINGS:
        raw(client, method, **params)


def assert_all_fresh(ecr, client) -> None:
    for method, params in LISTINGS:
        assert_fresh(ecr, client, method, **params)


@pytest.fixture
def frozen():
    with freeze_time(T0) as clock:
        yield clock


@pytest.fixture
def world(ecr, client, frozen):
    """A free and a premium repository (available, entitled), each with two images."""
    client.create_repository(repositoryName="app")
    make_premium(client, "prem")
    ecr.entitle("prod-1")
    ecr.push_image("app", "v1", [b"one"])
    ecr.push_image("app", None, [b"two"])
    ecr.push_image("prem", "v1", [b"one"], repository_type="PREMIUM")
    ecr.push_image("prem", "v2", [b"two"], repository_type="PREMIUM")
    assert_all_fresh(ecr, client)
    return ecr


def details(ecr, client, repo: str = "app", **params) -> dict[str, dict]:
    answer = assert_fresh(ecr, client, "describe_images", repositoryName=repo, **params)
    return {detail["imageDigest"]: detail for detail in answer["imageDetails"]}


def test_a_tag_added_moved_or_removed_shows_at_once(world, client):
    one = client.describe_image_tags(repositoryName="app")["imageTagDetails"][0]
    digest = one["imageDetail"]["imageDigest"]
    text = world.repositories["app"].images[digest].manifest
    client.put_image(repositoryName="app", imageManifest=text, imageTag="latest")
    assert details(world, client)[digest]["imageTags"] == ["v1", "latest"]
    assert_all_fresh(world, client)
    # The tag moves to another image: both images change.
    other = world.push_image("app", "latest", [b"three"])
    assert details(world, client)[digest]["imageTags"] == ["v1"]
    assert details(world, client)[other]["imageTags"] == ["latest"]
    assert_all_fresh(world, client)
    client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])
    assert digest not in details(world, client)
    assert_all_fresh(world, client)


def test_a_tag_taken_off_an_image_that_keeps_others(world, client):
    digest = world.push_image("app", "a", [b"four"])
    world.push_image("app", "b", [b"four"])
    assert details(world, client)[digest]["imageTags"] == ["a", "b"]
    client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "a"}])
    assert details(world, client)[digest]["imageTags"] == ["b"]
    tags = assert_fresh(world, client, "describe_image_tags", repositoryName="app")
    assert "a" not in {detail["imageTag"] for detail in tags["imageTagDetails"]}


def test_deprecation_and_its_cancellation_show_at_once(world, client, frozen):
    digest = client.describe_image_tags(repositoryName="prem", **PREMIUM)["imageTagDetails"][0][
        "imageDetail"
    ]["imageDigest"]
    image_id = {"imageDigest": digest}
    assert details(world, client, "prem", **PREMIUM)[digest]["imageStatus"] == "ACTIVE"
    client.set_image_status(
        repositoryName="prem",
        imageId=image_id,
        status="DEPRECATED",
        deprecationPeriodDays=90,
        **PREMIUM,
    )
    detail = details(world, client, "prem", **PREMIUM)[digest]
    assert detail["imageStatus"] == "DEPRECATED"
    assert detail["scheduledDeletionAt"] == (T0 + dt.timedelta(days=90)).timestamp()
    assert_all_fresh(world, client)
    client.set_image_status(repositoryName="prem", imageId=image_id, status="ACTIVE", **PREMIUM)
    assert "scheduledDeletionAt" not in details(world, client, "prem", **PREMIUM)[digest]
    assert_all_fresh(world, client)
    client.set_image_status(
        repositoryName="prem",
        imageId=image_id,
        status="DEPRECATED",
        deprecationPeriodDays=90,
        **PREMIUM,
    )
    frozen.tick(dt.timedelta(days=90))
    assert digest not in details(world, client, "prem", **PREMIUM)
    assert_all_fresh(world, client)


def test_a_scan_set_by_the_handle_changes_the_image(world, client):
    digest = next(iter(details(world, client, "prem", **PREMIUM)))
    world.set_scan_findings("prem", digest, [{"name": "CVE-1", "severity": "HIGH"}])
    assert world._state.registry.premium["prem"].images[digest].derived is None
    assert_all_fresh(world, client)


def test_times_are_the_push_times_under_any_clock(world, client, frozen):
    """A kept entry carries the push time it was built with, whatever the clock says when
    it is described again."""
    before = details(world, client)
    frozen.tick(dt.timedelta(days=3))
    assert details(world, client) == before
    pushed = world.push_image("app", None, [b"later"])
    assert (
        details(world, client)[pushed]["imagePushedAt"] == (T0 + dt.timedelta(days=3)).timestamp()
    )


def test_a_repository_entry_follows_its_association_state_products_and_host(world, client):
    pair = {
        "repositoryName": "app",
        "repositoryType": "FREE",
        "associatedRepositoryName": "prem",
        "associatedRepositoryType": "PREMIUM",
    }
    client.associate_repositories(**pair)
    (app,) = assert_fresh(world, client, "describe_repositories")["repositories"]
    assert app["associatedRepositories"] == [
        {"repositoryName": "prem", "repositoryType": "PREMIUM"}
    ]
    assert_all_fresh(world, client)
    client.disassociate_repositories(**pair)
    (app,) = assert_fresh(world, client, "describe_repositories")["repositories"]
    assert "associatedRepositories" not in app
    client.set_repository_state(repositoryName="prem", state="HIDDEN", **PREMIUM)
    (prem,) = assert_fresh(world, client, "describe_premium_repositories")["repositories"]
    assert prem["state"] == "HIDDEN"
    client.put_premium_repository_products(
        repositoryName="prem", marketplaceProducts=["prod-1", "prod-2"]
    )
    (prem,) = assert_fresh(world, client, "describe_premium_repositories")["repositories"]
    assert prem["marketplaceProducts"] == ["prod-1", "prod-2"]
    # Served, URIs name the server: a kept entry follows the registry's host.
    world._state.registry.host = "127.0.0.1:5000"
    (app,) = assert_fresh(world, client, "describe_repositories")["repositories"]
    assert app["repositoryUri"].startswith("127.0.0.1:5000/")


ENTRIES = [{"a": 1.5, "b": 'é"x'}, {"c": [1, None]}, {"d": {}}]


@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize(
    "members",
    [["items"], ["items", "nextToken"], ["registryAlias", "items", "nextToken"]],
    ids=["alone", "first", "between"],
)
def test_answers_are_the_bytes_json_dumps_gives(members, count):
    """However many entries, wherever the list stands among the answer's members."""
    entries = ENTRIES[:count]
    plain = {name: entries if name == "items" else f"<{name}>" for name in members}
    answer = {**plain, "items": Encoded(dump(entry) for entry in entries)}
    assert list(answer) == members
    assert dump(answer) == json.dumps(plain, separators=(",", ":")).encode() == dump(plain)
    assert decoded(answer) == plain


@pytest.mark.parametrize("older", [False, True])
def test_an_older_model_trims_kept_entries_too(world, client, monkeypatch, older):
    monkeypatch.setattr(dispatch, "older_model", lambda: older)
    monkeypatch.setattr(dispatch, "trim", lambda operation, output: {"trimmed": output})
    answer = json.loads(raw(client, "describe_images", repositoryName="app"))
    if older:
        assert answer["trimmed"]["imageDetails"][0]["repositoryName"] == "app"
    else:
        assert answer["imageDetails"][0]["repositoryName"] == "app"
