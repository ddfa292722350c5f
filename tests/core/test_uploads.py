"""The core's upload session, driven as every front end drives it: open, receive, close,
then finish or not. The rule for a layer pushed again lives here once
(docs/aws-behaviour.md, sections "Layer upload" and "Registry protocol")."""

from __future__ import annotations

import hashlib

import pytest

from ecrpublic_mock._core.digests import DIGEST, digest_of
from ecrpublic_mock._core.errors import ServiceError
from ecrpublic_mock._core.repositories import create_repository, delete_repository
from ecrpublic_mock._core.settings import Settings
from ecrpublic_mock._core.state import Registry
from ecrpublic_mock._core.uploads import (
    UPLOADED_LAYER_TYPE,
    close_upload,
    find_layer,
    find_upload,
    finish_upload,
    is_open,
    open_upload,
    receive,
    upload_layer,
)


def test_a_digest_is_the_sha256_of_the_bytes_spelled_as_oci_spells_it():
    assert digest_of(b"abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()
    assert DIGEST.fullmatch(digest_of(b"abc"))


@pytest.mark.parametrize("parts", [[b"abc"], [b"a", b"b", b"c"], [b"", b"abc", b""]])
def test_the_bytes_received_in_any_parts_become_one_layer(registry, repo, parts):
    upload = open_upload(registry, repo)
    for part in parts:
        receive(registry, upload, part)
    digest = close_upload(registry, upload)
    assert digest == digest_of(b"abc")
    assert finish_upload(registry, upload, digest) is True
    blob = find_layer(repo, digest)
    assert (blob.size, blob.read()) == (3, b"abc")
    assert repo.layers[digest].media_type == UPLOADED_LAYER_TYPE


def test_a_layer_pushed_again_keeps_the_repositorys_and_says_so(registry, repo):
    first = upload_layer(registry, repo, b"abc")
    kept = find_layer(repo, first)
    upload = open_upload(registry, repo)
    receive(registry, upload, b"abc")
    digest = close_upload(registry, upload)
    assert finish_upload(registry, upload, digest) is False
    assert find_layer(repo, digest) is kept
    assert registry.uploads == {}


def test_one_copy_of_the_bytes_per_digest_across_repositories(registry, repo):
    other = create_repository(registry, "other")
    digest = upload_layer(registry, repo, b"shared")
    assert upload_layer(registry, other, b"shared") == digest
    assert find_layer(other, digest) is find_layer(repo, digest)


def test_a_closed_upload_is_unknown(registry, repo):
    upload = open_upload(registry, repo)
    assert is_open(registry, upload)
    assert find_upload(registry, repo, upload.upload_id) is upload
    close_upload(registry, upload)
    assert not is_open(registry, upload)
    with pytest.raises(ServiceError) as refused:
        find_upload(registry, repo, upload.upload_id)
    assert refused.value.code == "UploadNotFoundException"


def test_an_upload_is_unknown_to_another_repository(registry, repo):
    other = create_repository(registry, "other")
    upload = open_upload(registry, repo)
    with pytest.raises(ServiceError) as refused:
        find_upload(registry, other, upload.upload_id)
    assert refused.value.code == "UploadNotFoundException"


def test_deleting_the_repository_closes_its_uploads(registry, repo):
    upload = open_upload(registry, repo)
    delete_repository(registry, repo, force=True)
    assert not is_open(registry, upload)


def test_the_layer_size_quota_refuses_the_part_that_passes_it(repo):
    registry = Registry(Settings(max_layer_size=4))
    repo = create_repository(registry, "app")
    upload = open_upload(registry, repo)
    receive(registry, upload, b"abcd")
    with pytest.raises(ServiceError) as refused:
        receive(registry, upload, b"e")
    assert refused.value.code == "LimitExceededException"
    assert upload.received == 4


def test_an_absent_layer_is_none(repo):
    assert find_layer(repo, digest_of(b"nothing")) is None
