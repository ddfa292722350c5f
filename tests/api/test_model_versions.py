"""Answers carry only the installed model's members.

The handlers answer for the newest model (botocore 1.44.18's ``repositoryType``,
``imageStatus``, ``premiumStatus``, ...). Under an older botocore, whose model lacks some
of their operations, each answer is trimmed to the installed model's output shape, as the
service that model describes never sent those members (docs/aws-behaviour.md, section
"Premium repositories"). A model with every operation the handlers serve is as new as
theirs (models only gain members): its answers are sent as they are.
"""

from __future__ import annotations

import json

import boto3
import pytest

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._api import dispatch, shapes
from ecrpublic_mock._api import operations as _operations


def test_trim_keeps_the_models_members_at_any_depth():
    registry = {
        "registryId": "123456789012",
        "aliases": [{"name": "ab12", "status": "ACTIVE", "fromTheFuture": 1}],
        "fromTheFuture": {"x": 1},
    }
    answer = {"registries": [registry], "nextToken": "t", "fromTheFuture": []}
    kept = {"registryId": "123456789012", "aliases": [{"name": "ab12", "status": "ACTIVE"}]}
    assert shapes.trim("DescribeRegistries", answer) == {"registries": [kept], "nextToken": "t"}


def test_a_list_of_scalars_is_left_as_it_is():
    detail = {"imageDigest": "sha256:ab", "imageTags": ["v1", "latest"], "fromTheFuture": 1}
    answer = {"imageDetails": [detail], "repositoryName": "app"}
    assert shapes.trim("DescribeImages", answer) == {
        "imageDetails": [{"imageDigest": "sha256:ab", "imageTags": ["v1", "latest"]}]
    }
    tags = {"tags": [{"Key": "k", "Value": "v"}]}
    assert shapes.trim("ListTagsForResource", tags) == tags


@pytest.mark.parametrize(("drop", "older"), [(False, False), (True, True)])
def test_older_model_means_one_of_the_handlers_operations_is_missing(monkeypatch, drop, older):
    operations = set(_operations.HANDLERS)
    if drop:
        operations.discard("DescribeRegistries")
    monkeypatch.setattr(dispatch, "model_operations", lambda: frozenset(operations))
    assert dispatch.older_model.__wrapped__() is older


@pytest.mark.parametrize("older", [False, True])
def test_an_older_models_answer_lacks_what_it_does_not_define(monkeypatch, older):
    """A member the installed model does not define reaches the wire only from a model as
    new as the handlers' (here a handler made to answer one, to stand for a member an older
    model lacks)."""
    real = _operations.HANDLERS["DescribeRegistries"]

    def with_a_newer_member(request):
        answer = real(request)
        answer["registries"][0]["fromTheFuture"] = True
        return answer

    monkeypatch.setitem(_operations.HANDLERS, "DescribeRegistries", with_a_newer_member)
    monkeypatch.setattr(dispatch, "older_model", lambda: older)
    bodies = []
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.meta.events.register(
            "after-call.ecr-public.DescribeRegistries",
            lambda http_response, **kwargs: bodies.append(json.loads(http_response.content)),
        )
        client.describe_registries()
    (registry,) = bodies[0]["registries"]
    assert ("fromTheFuture" in registry) is not older
    assert registry["registryId"] == "123456789012"
