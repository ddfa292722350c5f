"""How long layers, blobs and uploads live: nothing is kept that nobody uses.

AWS leaves undocumented when a layer no image names stops being available and how long an
idle upload lives; the mock's choices are in docs/aws-behaviour.md, "Layers and uploads
that nobody uses": a layer goes with the last image naming it, a layer uploaded that no
image names within ``Settings.upload_expiry`` seconds expires, as does an upload no part
reaches for as long, and a blob goes with the last layer holding it.
"""

from __future__ import annotations

import datetime
import json
import weakref

import pytest
from freezegun import freeze_time

from ecrpublic_mock._core.digests import digest_of
from ecrpublic_mock._core.errors import ServiceError
from ecrpublic_mock._core.images import put_image, remove
from ecrpublic_mock._core.media_types import OCI_MANIFEST
from ecrpublic_mock._core.repositories import create_repository, delete_repository
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._core.state import Registry
from ecrpublic_mock._core.uploads import (
    find_layer,
    find_upload,
    layer_of,
    open_upload,
    receive,
    upload_layer,
)

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
EXPIRY = 3_600  # the default Settings.upload_expiry


def manifest(*layers: bytes, config: bytes = b"{}") -> str:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "size": len(config),
                "digest": digest_of(config),
            },
            "layers": [
                {"mediaType": "application/octet-stream", "size": len(b), "digest": digest_of(b)}
                for b in layers
            ],
        }
    )


def push(registry, repo, *layers: bytes, tag: str | None = None) -> str:
    for data in (b"{}", *layers):
        if digest_of(data) not in repo.layers:
            upload_layer(registry, repo, data)
    return put_image(registry, repo, manifest(*layers), tag).digest


def test_the_default_expiry_is_an_hour():
    assert Settings().upload_expiry == EXPIRY


def test_a_layer_goes_with_the_last_image_naming_it(registry, repo):
    first = push(registry, repo, b"shared", b"only-first")
    second = push(registry, repo, b"shared", b"only-second")
    counts = {d: layer.images for d, layer in repo.layers.items()}
    assert counts == {
        digest_of(b"{}"): 2,
        digest_of(b"shared"): 2,
        digest_of(b"only-first"): 1,
        digest_of(b"only-second"): 1,
    }
    assert registry.unused == {}
    remove(repo, first, None)
    assert set(repo.layers) == {digest_of(b"{}"), digest_of(b"shared"), digest_of(b"only-second")}
    remove(repo, second, None)
    assert repo.layers == {}
    assert find_layer(repo, digest_of(b"shared")) is None


def test_a_layer_named_twice_by_one_image_is_counted_once(registry, repo):
    digest = push(registry, repo, b"twice", b"twice")
    assert repo.layers[digest_of(b"twice")].images == 1
    remove(repo, digest, None)
    assert repo.layers == {}


def test_a_tag_moving_off_an_image_keeps_its_layers_while_the_image_stays(registry, repo):
    push(registry, repo, b"a", tag="v1")
    push(registry, repo, b"b", tag="v1")  # v1 moves; the first image stays, untagged
    assert {digest_of(b"a"), digest_of(b"b")} <= set(repo.layers)


@pytest.mark.parametrize(("elapsed", "kept"), [(EXPIRY - 1, True), (EXPIRY, False)])
def test_a_layer_no_image_names_expires(registry, repo, elapsed, kept):
    with freeze_time(T0) as clock:
        digest = upload_layer(registry, repo, b"unused")
        assert registry.unused[repo.layers[digest]] == (repo, T0 + datetime.timedelta(0, EXPIRY))
        clock.tick(elapsed)
        assert (find_layer(repo, digest) is not None) is kept
        assert (digest in repo.layers) is kept
        assert bool(registry.unused) is kept


def test_a_layer_pushed_again_while_unused_gets_a_new_deadline(registry, repo):
    with freeze_time(T0) as clock:
        digest = upload_layer(registry, repo, b"again")
        clock.tick(EXPIRY - 10)
        upload_layer(registry, repo, b"again")
        clock.tick(EXPIRY - 10)
        assert layer_of(repo, digest) is not None
        clock.tick(10)
        assert layer_of(repo, digest) is None


def test_an_image_naming_a_layer_in_time_keeps_it_past_the_deadline(registry, repo):
    with freeze_time(T0) as clock:
        push(registry, repo, b"kept")
        clock.tick(10 * EXPIRY)
        assert find_layer(repo, digest_of(b"kept")) is not None
        assert registry.unused == {}


def test_a_push_naming_an_expired_layer_is_refused(registry, repo):
    with freeze_time(T0) as clock:
        upload_layer(registry, repo, b"{}")
        upload_layer(registry, repo, b"late")
        clock.tick(EXPIRY)
        with pytest.raises(ServiceError) as raised:
            put_image(registry, repo, manifest(b"late"))
    assert raised.value.code == "LayersNotFoundException"


@pytest.mark.parametrize(("elapsed", "kept"), [(EXPIRY - 1, True), (EXPIRY, False)])
def test_an_upload_no_part_reaches_expires(registry, repo, elapsed, kept):
    with freeze_time(T0) as clock:
        upload = open_upload(registry, repo)
        assert upload.expires_at == T0 + datetime.timedelta(seconds=EXPIRY)
        receive(registry, upload, b"part")
        clock.tick(EXPIRY - 1)
        receive(registry, upload, b"part")  # active again: the deadline moves
        clock.tick(elapsed)
        if kept:
            assert find_upload(registry, repo, upload.upload_id) is upload
        else:
            with pytest.raises(ServiceError) as raised:
                find_upload(registry, repo, upload.upload_id)
            assert raised.value.code == "UploadNotFoundException"
            assert registry.uploads == {}
            assert repo.uploads == {}


def test_expiry_stops_at_the_first_upload_still_good(registry, repo):
    """Uploads expire oldest-idle first; a part moves its upload to the back."""
    with freeze_time(T0) as clock:
        older, newer = open_upload(registry, repo), open_upload(registry, repo)
        clock.tick(10)
        receive(registry, older, b"x")
        assert list(registry.uploads) == [newer.upload_id, older.upload_id]
        clock.tick(EXPIRY - 10)
        open_upload(registry, repo)  # expires what is due
        assert newer.upload_id not in registry.uploads
        assert older.upload_id in registry.uploads


def test_a_configured_expiry_is_used(repo):
    registry = Registry(Settings(upload_expiry=5))
    other = create_repository(registry, "app")
    with freeze_time(T0) as clock:
        upload = open_upload(registry, other)
        clock.tick(5)
        with pytest.raises(ServiceError):
            find_upload(registry, other, upload.upload_id)


def test_a_blob_goes_with_the_last_layer_holding_it(registry, repo):
    """One copy per digest across repositories, released with the last of them."""
    other = create_repository(registry, "other")
    digest = upload_layer(registry, repo, b"blob")
    upload_layer(registry, other, b"blob")
    held = weakref.ref(registry.blobs[digest])
    delete_repository(registry, repo, force=True)
    assert held() is not None
    delete_repository(registry, other, force=True)
    assert held() is None
    assert digest not in registry.blobs
    assert registry.unused == {}


def test_a_deleted_repository_leaves_nothing_waiting_to_expire(registry, repo):
    upload_layer(registry, repo, b"unused")
    open_upload(registry, repo)
    delete_repository(registry, repo, force=True)
    assert (registry.unused, registry.uploads) == ({}, {})
