"""Answers rendered as AWS renders them.

Sources: the AWS CLI's published ``aws ecr-public`` examples (``set-repository-policy``,
``get-repository-policy``, ``create-repository``, ``describe-images``,
``describe-image-tags``, ``get-login-password``, ``put-repository-catalog-data``) and
docs/aws-behaviour.md, section "Renderings": the service's re-rendering of a stored policy
(the layout of Jackson's DefaultPrettyPrinter), the precision of each timestamp, the
compact JSON inside the authorization token, version-4 UUIDs in logo URLs, and the service
framework's wording for list sizes and number ranges.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import boto3
import pytest
from _support import ACCOUNT, assert_error, invalid
from botocore.config import Config
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public

UTC = dt.timezone.utc


@pytest.fixture
def repositories():
    return ("app",)


# -- policyText --------------------------------------------------------------------------

# The AWS CLI example's document, as sent and as the service answers it.
CLI_POLICY = (
    '{"Version":"2008-10-17","Statement":[{"Sid":"allow public pull","Effect":"Allow",'
    '"Principal":"*","Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage",'
    '"ecr:GetDownloadUrlForLayer"]}]}'
)
CLI_RENDERED = json.loads(
    r'"{\n  \"Version\" : \"2008-10-17\",\n  \"Statement\" : [ {\n    \"Sid\" : \"allow public '
    r"pull\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : \"*\",\n    \"Action\" : [ "
    r"\"ecr:BatchCheckLayerAvailability\", \"ecr:BatchGetImage\", "
    r'\"ecr:GetDownloadUrlForLayer\" ]\n  } ]\n}"'
)


def policy_texts(client, text, **extra):
    """policyText of the Set, Get and Delete answers for ``text``."""
    set_answer = client.set_repository_policy(repositoryName="app", policyText=text, **extra)
    got = client.get_repository_policy(repositoryName="app")
    deleted = client.delete_repository_policy(repositoryName="app")
    return [set_answer["policyText"], got["policyText"], deleted["policyText"]]


def test_policy_text_is_the_cli_examples_rendering(ecr, client):
    """AWS CLI ``set-repository-policy`` / ``get-repository-policy`` example, byte for byte,
    in all three answers; the state view holds the same text."""
    client.set_repository_policy(repositoryName="app", policyText=CLI_POLICY)
    assert ecr.repositories["app"].policy == CLI_RENDERED
    assert policy_texts(client, CLI_POLICY) == [CLI_RENDERED] * 3


def test_whitespace_formatted_input_gives_the_same_rendering(client):
    """Whatever the caller's layout, the answer is the service's own."""
    for text in (
        json.dumps(json.loads(CLI_POLICY), indent=4),
        json.dumps(json.loads(CLI_POLICY), indent="\t", separators=(" ,", " :  ")),
        "\r\n  " + json.dumps(json.loads(CLI_POLICY)) + "\n\n",
    ):
        assert policy_texts(client, text) == [CLI_RENDERED] * 3


def test_nested_principal_object_is_indented_one_more_level(client):
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "111122223333"]},
                    "Action": "ecr-public:*",
                },
                {
                    "Sid": "two",
                    "Effect": "Deny",
                    "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                    "Action": ["ecr-public:DeleteRepository"],
                },
            ],
        }
    )
    want = (
        "{\n"
        '  "Version" : "2012-10-17",\n'
        '  "Statement" : [ {\n'
        '    "Effect" : "Allow",\n'
        '    "Principal" : {\n'
        '      "AWS" : [ "arn:aws:iam::111122223333:root", "111122223333" ]\n'
        "    },\n"
        '    "Action" : "ecr-public:*"\n'
        "  }, {\n"
        '    "Sid" : "two",\n'
        '    "Effect" : "Deny",\n'
        '    "Principal" : {\n'
        '      "AWS" : "arn:aws:iam::444455556666:root"\n'
        "    },\n"
        '    "Action" : [ "ecr-public:DeleteRepository" ]\n'
        "  } ]\n"
        "}"
    )
    assert policy_texts(client, text) == [want] * 3


def test_condition_objects_empty_containers_numbers_and_booleans(client):
    """Nested condition blocks; ``{ }`` and ``[ ]`` when empty (the printer's defaults);
    numbers as written (AWS leaves their rendering undocumented; the mock keeps them);
    a single Statement object stays an object."""
    text = (
        '{"Id":"p","Statement":{"Effect":"Allow","Principal":"*","Action":"ecr-public:*",'
        '"Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600,"x":1.50},'
        '"Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:x":[]},"Null":{}}}}'
    )
    want = (
        "{\n"
        '  "Id" : "p",\n'
        '  "Statement" : {\n'
        '    "Effect" : "Allow",\n'
        '    "Principal" : "*",\n'
        '    "Action" : "ecr-public:*",\n'
        '    "Condition" : {\n'
        '      "NumericLessThan" : {\n'
        '        "aws:MultiFactorAuthAge" : 3600,\n'
        '        "x" : 1.50\n'
        "      },\n"
        '      "Bool" : {\n'
        '        "aws:SecureTransport" : true\n'
        "      },\n"
        '      "StringEquals" : {\n'
        '        "aws:x" : [ ]\n'
        "      },\n"
        '      "Null" : { }\n'
        "    }\n"
        "  }\n"
        "}"
    )
    assert policy_texts(client, text) == [want] * 3


def test_strings_are_escaped_as_json_and_non_ascii_is_left_as_is(client):
    text = json.dumps(
        {
            "Statement": [
                {
                    "Sid": 'caf\u00e9 \u65e5\u672c "q" \\ / \t\n\u0001',
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "ecr-public:*",
                }
            ]
        }
    )
    assert "\\u00e9" in text  # sent escaped
    want = (
        '{\n  "Statement" : [ {\n    "Sid" : "café 日本 \\"q\\" \\\\ / \\t\\n\\u0001",\n'
        '    "Effect" : "Allow",\n    "Principal" : "*",\n    "Action" : "ecr-public:*"\n'
        "  } ]\n}"
    )
    assert policy_texts(client, text) == [want] * 3


def test_members_keep_the_callers_order(client):
    text = '{"Statement":[{"Action":"ecr-public:*","Principal":"*","Effect":"Allow"}]}'
    want = (
        '{\n  "Statement" : [ {\n    "Action" : "ecr-public:*",\n    "Principal" : "*",\n'
        '    "Effect" : "Allow"\n  } ]\n}'
    )
    assert policy_texts(client, text) == [want] * 3


# -- timestamps --------------------------------------------------------------------------


def test_repository_created_at_has_milliseconds():
    """AWS CLI ``create-repository`` example: ``2024-07-07T00:07:56.526000-05:00``, a whole
    number of milliseconds; truncated, and the state view agrees."""
    with freeze_time("2024-07-07 05:07:56.526999"), mock_ecr_public() as ecr:
        c = boto3.client("ecr-public", region_name="us-east-1")
        want = dt.datetime(2024, 7, 7, 5, 7, 56, 526000, tzinfo=UTC)
        created = c.create_repository(repositoryName="app")["repository"]["createdAt"]
        [listed] = c.describe_repositories()["repositories"]
        assert created == listed["createdAt"] == want
        assert ecr.repositories["app"].created_at == want


def test_pushes_in_the_same_second_tie():
    """AWS CLI ``describe-images`` / ``describe-image-tags`` examples: whole seconds
    (``2024-07-23T11:32:49-05:00``); the tag's createdAt equals its image's imagePushedAt."""
    with freeze_time("2024-07-23 16:32:49.100000") as frozen, mock_ecr_public() as ecr:
        c = boto3.client("ecr-public", region_name="us-east-1")
        c.create_repository(repositoryName="app")
        first = ecr.push_image("app", tag="one", layers=[b"1"])
        frozen.move_to("2024-07-23 16:32:49.900000")
        second = ecr.push_image("app", tag="two", layers=[b"2"])
        want = dt.datetime(2024, 7, 23, 16, 32, 49, tzinfo=UTC)
        images = c.describe_images(repositoryName="app")["imageDetails"]
        assert [(i["imageDigest"], i["imagePushedAt"]) for i in images] == [
            (first, want),
            (second, want),
        ]
        tags = c.describe_image_tags(repositoryName="app")["imageTagDetails"]
        assert [(t["createdAt"], t["imageDetail"]["imagePushedAt"]) for t in tags] == [
            (want, want)
        ] * 2
        assert [i.pushed_at for i in ecr.repositories["app"].images.values()] == [want] * 2


def test_a_tag_pushed_with_its_image_has_the_image_push_time():
    """Even when the clock moves between the two reads."""
    with freeze_time("2024-07-23 16:32:49.999999", auto_tick_seconds=1), mock_ecr_public() as ecr:
        c = boto3.client("ecr-public", region_name="us-east-1")
        c.create_repository(repositoryName="app")
        ecr.push_image("app", tag="v1")
        [tag] = c.describe_image_tags(repositoryName="app")["imageTagDetails"]
        assert tag["createdAt"] == tag["imageDetail"]["imagePushedAt"]
        assert tag["createdAt"].microsecond == 0


# -- authorization token -----------------------------------------------------------------


def test_authorization_token_password_is_compact_json(client):
    """AWS CLI ``get-login-password``: the decoded password ends
    ``","version":"3","type":"DATA_KEY","expiration":1721957762}`` (no spaces)."""
    answer = client.get_authorization_token()["authorizationData"]
    user, _, password = base64.b64decode(answer["authorizationToken"]).decode().partition(":")
    assert user == "AWS"
    document = base64.b64decode(password).decode()
    parsed = json.loads(document)
    assert document == json.dumps(parsed, separators=(",", ":"))
    assert document.endswith(
        f'","version":"3","type":"DATA_KEY","expiration":{int(answer["expiresAt"].timestamp())}}}'
    )


# -- logo URLs ---------------------------------------------------------------------------

LOGO = b"\x89PNG\r\n\x1a\n-logo"


def logo_url(name="app", logo=LOGO, account=ACCOUNT):
    with mock_ecr_public(account_id=account):
        c = boto3.client("ecr-public", region_name="us-east-1")
        answer = c.create_repository(repositoryName=name, catalogData={"logoImageBlob": logo})
        return answer["catalogData"]["logoUrl"]


def test_logo_urls_carry_version_4_uuids_stable_from_run_to_run():
    """AWS CLI ``put-repository-catalog-data`` example:
    ``https://d3g9o9u8re44ak.cloudfront.net/logo/<uuid>/<uuid>.png``, both version 4."""
    url = logo_url()
    prefix, folder, file = url.rsplit("/", 2)
    assert prefix == "https://d3g9o9u8re44ak.cloudfront.net/logo"
    assert file.endswith(".png")
    for text in (folder, file[: -len(".png")]):
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
    assert logo_url() == url  # another activation, the same URL
    other_logo = logo_url(logo=LOGO + b"!")
    assert other_logo.rsplit("/", 2)[1] == folder
    assert other_logo != url
    assert logo_url(name="other").rsplit("/", 2)[1] != folder
    assert logo_url(account="111122223333").rsplit("/", 2)[1] != folder


# -- validation wording of the service framework -----------------------------------------


@pytest.fixture
def raw_client(ecr):
    """A client that leaves minimums to the state, as another SDK could."""
    return boto3.client(
        "ecr-public", region_name="us-east-1", config=Config(parameter_validation=False)
    )


def test_list_length_maximum_uses_member_wording(client):
    ids = [{"imageTag": f"t{i}"} for i in range(101)]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.batch_delete_image(repositoryName="app", imageIds=ids)
    assert_error(
        excinfo,
        "InvalidParameterException",
        "Invalid parameter at 'imageIds' failed to satisfy constraint: "
        "'Member must have length less than or equal to 100'",
    )


def test_list_length_minimum_uses_member_wording(raw_client):
    raw_client.create_repository(repositoryName="app")
    with pytest.raises(raw_client.exceptions.InvalidParameterException) as excinfo:
        raw_client.batch_check_layer_availability(repositoryName="app", layerDigests=[])
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("layerDigests", "Member must have length greater than or equal to 1"),
    )


def test_number_maximum_uses_member_wording(client):
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_images(repositoryName="app", maxResults=1001)
    assert_error(
        excinfo,
        "InvalidParameterException",
        "Invalid parameter at 'maxResults' failed to satisfy constraint: "
        "'Member must have value less than or equal to 1000'",
    )


def test_number_minimum_uses_member_wording(raw_client):
    with pytest.raises(raw_client.exceptions.InvalidParameterException) as excinfo:
        raw_client.describe_repositories(maxResults=0)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("maxResults", "Member must have value greater than or equal to 1"),
    )


def test_strings_keep_their_wording(client):
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_repository(repositoryName="a" * 206)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("repositoryName", "must have length less than or equal to 205"),
    )
