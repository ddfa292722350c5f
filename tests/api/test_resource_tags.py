"""TagResource, UntagResource, ListTagsForResource and CreateRepository's tags.

Sources: ``docs/aws-behaviour.md`` (sections "Identifiers" — repository ARN
``arn:aws:ecr-public::<account>:repository/<name>`` with an empty region field; "Quotas"
— 50 resource tags per repository, TooManyTagsException; "Resource tags" — keys 1-128,
values 0-256, the reserved ``aws:`` prefix (InvalidTagParameterException), the ARN must
be a repository ARN of this registry, else InvalidParameterException or
RepositoryNotFoundException; "Service"; "Regions"), botocore's model; where AWS leaves
the exact texts undocumented, the mock chooses them.
"""

import boto3
import botocore.exceptions
import botocore.session
import pytest
from _support import (
    ACCOUNT,
    MODEL,
    assert_error,
    assert_unsupported_in_us_west_2,
    body,
    repo_not_found,
)

from ecrpublic_mock import mock_ecr_public

TAG_SHAPE = MODEL.shape_for("Tag").members
KEY_MAX = TAG_SHAPE["Key"].metadata["max"]
VALUE_MAX = TAG_SHAPE["Value"].metadata["max"]
TAG_LIST_MAX = MODEL.shape_for("TagList").metadata["max"]
QUOTA = 50
BAD_ARN = (
    "Invalid parameter at 'resourceArn' failed to satisfy constraint: "
    "'must be a repository ARN of the caller's registry'"
)

pytestmark = pytest.mark.ecr_public(max_resource_tags=QUOTA)


@pytest.fixture
def arn(client):
    return client.create_repository(repositoryName="app")["repository"]["repositoryArn"]


def repo_arn(name, account=ACCOUNT):
    return f"arn:aws:ecr-public::{account}:repository/{name}"


def reserved_message(key):
    return f"The tag key '{key}' is invalid: the 'aws:' prefix is reserved for AWS use"


def tags(*pairs):
    return [{"Key": key, "Value": value} for key, value in pairs]


def numbered(count, prefix="k"):
    return [{"Key": f"{prefix}{i}", "Value": f"v{i}"} for i in range(count)]


def listed(client, arn):
    return client.list_tags_for_resource(resourceArn=arn)["tags"]


def repository_names(client):
    return sorted(r["repositoryName"] for r in client.describe_repositories()["repositories"])


# --------------------------------------------------------------------------------------
# ARN and the happy path
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
@pytest.mark.parametrize("name", ["app", "team/sub/app"])
def test_repository_arn_format(account, name):
    """Identifiers: ``arn:aws:ecr-public::<account>:repository/<name>``; it is the
    resource ARN that the tag operations take."""
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        arn = client.create_repository(repositoryName=name)["repository"]["repositoryArn"]
        assert arn == repo_arn(name, account)
        assert body(client.tag_resource(resourceArn=arn, tags=tags(("team", "web")))) == {}
        assert listed(client, arn) == tags(("team", "web"))


def test_untagged_repository_lists_no_tags(client, arn):
    response = client.list_tags_for_resource(resourceArn=arn)
    assert body(response) == {"tags": []}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_tag_resource_answers_empty_and_lists_in_insertion_order(client, arn):
    """AWS leaves this undocumented; the mock chooses: TagResource answers {};
    ListTagsForResource answers the tags in insertion order."""
    response = client.tag_resource(resourceArn=arn, tags=tags(("zeta", "1"), ("alpha", "2")))
    assert body(response) == {}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    client.tag_resource(resourceArn=arn, tags=tags(("mid", "3")))
    assert body(client.list_tags_for_resource(resourceArn=arn)) == {
        "tags": tags(("zeta", "1"), ("alpha", "2"), ("mid", "3"))
    }


def test_tag_resource_overwrites_values(client, arn):
    client.tag_resource(resourceArn=arn, tags=tags(("a", "1"), ("b", "2")))
    client.tag_resource(resourceArn=arn, tags=tags(("b", "20"), ("c", "3")))
    got = listed(client, arn)
    assert len(got) == 3
    assert {t["Key"]: t["Value"] for t in got} == {"a": "1", "b": "20", "c": "3"}
    keys = [t["Key"] for t in got]
    assert keys[0] == "a"
    assert keys[-1] == "c"


def test_tag_resource_with_no_tags(client, arn):
    """Model: the tag list may be empty (min 0); nothing changes."""
    client.tag_resource(resourceArn=arn, tags=tags(("a", "1")))
    assert body(client.tag_resource(resourceArn=arn, tags=[])) == {}
    assert listed(client, arn) == tags(("a", "1"))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("k", ""),
        ("k" * KEY_MAX, "v"),
        ("k", "v" * VALUE_MAX),
        ("Env Name+-=._:/@", "Ünïcødé 組織"),
        ("awsome", "not reserved"),
        ("my:aws:key", "not a prefix"),
        ("aws", "no colon"),
    ],
    ids=["empty-value", "key-max", "value-max", "punctuation", "awsome", "infix", "aws-no-colon"],
)
def test_valid_tags(client, arn, key, value):
    """docs/aws-behaviour.md, section "Resource tags": keys 1-128, values 0-256; only
    the ``aws:`` prefix is reserved."""
    client.tag_resource(resourceArn=arn, tags=tags((key, value)))
    assert listed(client, arn) == tags((key, value))


def test_tags_are_per_repository(client, arn):
    other = client.create_repository(repositoryName="other")["repository"]["repositoryArn"]
    client.tag_resource(resourceArn=arn, tags=tags(("a", "1")))
    assert listed(client, other) == []
    assert listed(client, arn) == tags(("a", "1"))


# --------------------------------------------------------------------------------------
# UntagResource
# --------------------------------------------------------------------------------------


def test_untag_removes_keys(client, arn):
    client.tag_resource(resourceArn=arn, tags=tags(("a", "1"), ("b", "2"), ("c", "3")))
    response = client.untag_resource(resourceArn=arn, tagKeys=["b"])
    assert body(response) == {}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert listed(client, arn) == tags(("a", "1"), ("c", "3"))


@pytest.mark.parametrize(
    "keys",
    [["missing"], ["a", "missing"], [], ["A"], ["a", "a"]],
    ids=["absent", "mixed", "none", "case-differs", "duplicate"],
)
def test_untag_ignores_absent_keys(client, arn, keys):
    """AWS leaves this undocumented; the mock chooses: absent keys are ignored (keys are
    case-sensitive)."""
    client.tag_resource(resourceArn=arn, tags=tags(("a", "1"), ("b", "2")))
    assert body(client.untag_resource(resourceArn=arn, tagKeys=keys)) == {}
    assert listed(client, arn) == [t for t in tags(("a", "1"), ("b", "2")) if t["Key"] not in keys]


def test_untag_everything_then_retag(client, arn):
    client.tag_resource(resourceArn=arn, tags=tags(("a", "1"), ("b", "2")))
    client.untag_resource(resourceArn=arn, tagKeys=["a", "b"])
    assert listed(client, arn) == []
    client.tag_resource(resourceArn=arn, tags=tags(("b", "new")))
    assert listed(client, arn) == tags(("b", "new"))


# --------------------------------------------------------------------------------------
# The quota: 50 tags per repository
# --------------------------------------------------------------------------------------


def assert_too_many(excinfo, name="app", quota=QUOTA):
    """AWS leaves the text undocumented; the mock's text names the repository and the
    limit."""
    assert_error(excinfo, "TooManyTagsException")
    message = excinfo.value.response["Error"]["Message"]
    assert name in message
    assert str(quota) in message


def test_exactly_quota_tags_in_one_call(client, arn):
    client.tag_resource(resourceArn=arn, tags=numbered(QUOTA))
    assert listed(client, arn) == numbered(QUOTA)


@pytest.mark.parametrize(
    ("existing", "new"),
    [(0, QUOTA + 1), (QUOTA, 1), (QUOTA - 1, 2), (10, QUOTA), (0, TAG_LIST_MAX)],
    ids=["51-at-once", "50-plus-1", "49-plus-2", "10-plus-50", "200-at-once"],
)
def test_too_many_tags(client, arn, existing, new):
    """Quotas: 50 resource tags per repository, TooManyTagsException; nothing changes."""
    client.tag_resource(resourceArn=arn, tags=numbered(existing, "old"))
    before = listed(client, arn)
    with pytest.raises(client.exceptions.TooManyTagsException) as excinfo:
        client.tag_resource(resourceArn=arn, tags=numbered(new, "new"))
    assert_too_many(excinfo)
    assert listed(client, arn) == before


def test_overwriting_at_the_quota_is_fine(client, arn):
    """Overwriting existing keys does not add tags: at 50 tags it succeeds."""
    client.tag_resource(resourceArn=arn, tags=numbered(QUOTA))
    overwrite = [{"Key": f"k{i}", "Value": "changed"} for i in range(0, QUOTA, 2)]
    assert body(client.tag_resource(resourceArn=arn, tags=overwrite)) == {}
    got = {t["Key"]: t["Value"] for t in listed(client, arn)}
    assert len(got) == QUOTA
    assert got == {f"k{i}": ("changed" if i % 2 == 0 else f"v{i}") for i in range(QUOTA)}


def test_untag_frees_room(client, arn):
    client.tag_resource(resourceArn=arn, tags=numbered(QUOTA))
    client.untag_resource(resourceArn=arn, tagKeys=["k0"])
    client.tag_resource(resourceArn=arn, tags=tags(("extra", "x")))
    assert len(listed(client, arn)) == QUOTA


@pytest.mark.parametrize("quota", [1, 3, 7])
def test_quota_is_the_max_resource_tags_setting(quota):
    """Quotas: the limits are settings a test can change (max_resource_tags)."""
    with mock_ecr_public(max_resource_tags=quota):
        client = boto3.client("ecr-public", region_name="us-east-1")
        arn = client.create_repository(repositoryName="team/app")["repository"]["repositoryArn"]
        client.tag_resource(resourceArn=arn, tags=numbered(quota))
        with pytest.raises(client.exceptions.TooManyTagsException) as excinfo:
            client.tag_resource(resourceArn=arn, tags=tags(("one", "more")))
        assert_too_many(excinfo, "team/app", quota)
        assert listed(client, arn) == numbered(quota)


# --------------------------------------------------------------------------------------
# The reserved aws: prefix
# --------------------------------------------------------------------------------------

RESERVED_KEYS = ["aws:x", "AWS:x", "Aws:Name", "aWs:created-by", "aws:", "aws:" + "k" * 124]


@pytest.mark.parametrize("key", RESERVED_KEYS)
def test_reserved_prefix_on_tag_resource(client, arn, key):
    """docs/aws-behaviour.md, section "Resource tags": keys starting ``aws:`` are
    reserved (InvalidTagParameterException); the mock's choice: any case, the text names
    the key as sent; nothing changes, not even the valid tags of the same call."""
    client.tag_resource(resourceArn=arn, tags=tags(("keep", "1")))
    with pytest.raises(client.exceptions.InvalidTagParameterException) as excinfo:
        client.tag_resource(resourceArn=arn, tags=tags(("fine", "2"), (key, "v")))
    assert_error(excinfo, "InvalidTagParameterException", reserved_message(key))
    assert listed(client, arn) == tags(("keep", "1"))


@pytest.mark.parametrize("key", ["aws:x", "AWS:x"])
def test_reserved_prefix_on_untag_resource(client, arn, key):
    """AWS leaves this undocumented; the mock chooses: UntagResource of an aws: key is
    the same exception; nothing is removed."""
    client.tag_resource(resourceArn=arn, tags=tags(("keep", "1"), ("other", "2")))
    with pytest.raises(client.exceptions.InvalidTagParameterException) as excinfo:
        client.untag_resource(resourceArn=arn, tagKeys=["keep", key])
    assert_error(excinfo, "InvalidTagParameterException", reserved_message(key))
    assert listed(client, arn) == tags(("keep", "1"), ("other", "2"))


# --------------------------------------------------------------------------------------
# Model limits on keys, values and lists (server-side)
# --------------------------------------------------------------------------------------


def invalid(path, constraint):
    return f"Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'"


KEY_TOO_LONG = invalid(
    "tags", f"must satisfy constraint: [must have length less than or equal to {KEY_MAX}]"
)
VALUE_TOO_LONG = invalid(
    "tags", f"must satisfy constraint: [must have length less than or equal to {VALUE_MAX}]"
)
LIST_TOO_LONG = invalid("tags", f"Member must have length less than or equal to {TAG_LIST_MAX}")

INVALID_TAG_LISTS = [
    pytest.param(tags(("k" * (KEY_MAX + 1), "v")), KEY_TOO_LONG, id="key-129"),
    pytest.param(tags(("ok", "v"), ("k" * 300, "v")), KEY_TOO_LONG, id="key-300-second"),
    pytest.param(tags(("k", "v" * (VALUE_MAX + 1))), VALUE_TOO_LONG, id="value-257"),
    pytest.param(numbered(TAG_LIST_MAX + 1), LIST_TOO_LONG, id="list-201"),
]


@pytest.mark.parametrize(("tag_list", "message"), INVALID_TAG_LISTS)
def test_tag_resource_model_limits(client, arn, tag_list, message):
    """Service: maximums reach the server; for a structure inside a list the reported
    path is the list's name, the constraint wrapped (as real ECR does:
    github.com/aws-actions/amazon-ecr-login/issues/225). Nothing changes."""
    client.tag_resource(resourceArn=arn, tags=tags(("keep", "1")))
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.tag_resource(resourceArn=arn, tags=tag_list)
    assert_error(excinfo, "InvalidParameterException", message)
    assert listed(client, arn) == tags(("keep", "1"))


@pytest.mark.parametrize(("tag_list", "message"), INVALID_TAG_LISTS)
def test_create_repository_model_limits(client, tag_list, message):
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_repository(repositoryName="app", tags=tag_list)
    assert_error(excinfo, "InvalidParameterException", message)
    assert repository_names(client) == []


def test_untag_key_too_long(client, arn):
    """Service: a list of strings reports the list's name with the wrapped constraint,
    as for catalogData.architectures (as real ECR does:
    github.com/aws-actions/amazon-ecr-login/issues/225)."""
    client.tag_resource(resourceArn=arn, tags=tags(("keep", "1")))
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.untag_resource(resourceArn=arn, tagKeys=["keep", "k" * (KEY_MAX + 1)])
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid(
            "tagKeys",
            f"must satisfy constraint: [must have length less than or equal to {KEY_MAX}]",
        ),
    )
    assert listed(client, arn) == tags(("keep", "1"))


def test_empty_key_is_rejected_by_botocore(client, arn):
    """Service: botocore checks minimums (keys are at least 1 character) itself."""
    with pytest.raises(botocore.exceptions.ParamValidationError):
        client.tag_resource(resourceArn=arn, tags=tags(("", "v")))
    assert listed(client, arn) == []


# --------------------------------------------------------------------------------------
# Resource ARNs
# --------------------------------------------------------------------------------------

MALFORMED_ARNS = [
    "not-an-arn",
    "arn:aws:ecr-public:us-east-1:123456789012:repository/app",
    "arn:aws:ecr-public::123456789012:registry/123456789012",
    "arn:aws:ecr:us-east-1:123456789012:repository/app",
    "arn:aws:ecr-public::111122223333:repository/app",
    "arn:aws:ecr-public::123456789012:repository/",
    "arn:aws:ecr-public::123456789012:app",
    "arn:aws-cn:ecr-public::123456789012:repository/app",
    "arn:aws:s3:::bucket",
]


def arn_calls(arn):
    return [
        ("tag_resource", {"resourceArn": arn, "tags": tags(("a", "1"))}),
        ("untag_resource", {"resourceArn": arn, "tagKeys": ["keep"]}),
        ("list_tags_for_resource", {"resourceArn": arn}),
    ]


@pytest.mark.parametrize("method", ["tag_resource", "untag_resource", "list_tags_for_resource"])
@pytest.mark.parametrize("bad_arn", MALFORMED_ARNS)
def test_malformed_or_foreign_arn(client, arn, method, bad_arn):
    """docs/aws-behaviour.md, section "Resource tags": the resource ARN must be a
    repository ARN of this registry, else InvalidParameterException (AWS leaves the text
    undocumented; the mock chooses it). Nothing changes."""
    client.tag_resource(resourceArn=arn, tags=tags(("keep", "1")))
    params = dict(arn_calls(bad_arn))[method]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        getattr(client, method)(**params)
    assert_error(excinfo, "InvalidParameterException", BAD_ARN)
    assert listed(client, arn) == tags(("keep", "1"))


@pytest.mark.parametrize("method", ["tag_resource", "untag_resource", "list_tags_for_resource"])
@pytest.mark.parametrize("name", ["missing", "team/missing"])
def test_arn_of_missing_repository(client, arn, method, name):
    """docs/aws-behaviour.md, section "Resource tags": a well-formed ARN of this
    registry naming no repository is RepositoryNotFoundException (real text); nothing is
    created."""
    params = dict(arn_calls(repo_arn(name)))[method]
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        getattr(client, method)(**params)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found(name))
    assert repository_names(client) == ["app"]


def test_arn_of_other_account_in_other_mock():
    """An ARN is a repository ARN of the caller's registry only for its own account."""
    with mock_ecr_public(account_id="111122223333"):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
            client.list_tags_for_resource(resourceArn=repo_arn("app", ACCOUNT))
        assert_error(excinfo, "InvalidParameterException", BAD_ARN)
        assert listed(client, repo_arn("app", "111122223333")) == []


def test_deleted_and_recreated_repository_has_no_tags(client, arn):
    """AWS leaves this undocumented; the mock chooses: deleting a repository drops its
    tags; a re-created one is new."""
    client.tag_resource(resourceArn=arn, tags=tags(("a", "1")))
    client.delete_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.list_tags_for_resource(resourceArn=arn)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))
    recreated = client.create_repository(repositoryName="app")["repository"]["repositoryArn"]
    assert recreated == arn
    assert listed(client, arn) == []


# --------------------------------------------------------------------------------------
# CreateRepository(tags=...)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag_list",
    [
        tags(("team", "web"), ("env", "prod")),
        tags(("b", ""), ("a", "x")),
        numbered(QUOTA),
        [],
    ],
    ids=["two", "empty-value", "quota", "none"],
)
def test_create_repository_with_tags(client, tag_list):
    """AWS leaves this undocumented; the mock chooses: CreateRepository's tags follow
    TagResource's rules and list in insertion order."""
    repo = client.create_repository(repositoryName="app", tags=tag_list)["repository"]
    assert listed(client, repo["repositoryArn"]) == tag_list


def test_create_repository_tags_then_tag_resource(client):
    arn = client.create_repository(repositoryName="app", tags=tags(("a", "1")))["repository"][
        "repositoryArn"
    ]
    client.tag_resource(resourceArn=arn, tags=tags(("a", "2"), ("b", "3")))
    assert {t["Key"]: t["Value"] for t in listed(client, arn)} == {"a": "2", "b": "3"}


def test_create_repository_at_quota_then_one_more(client):
    arn = client.create_repository(repositoryName="app", tags=numbered(QUOTA))["repository"][
        "repositoryArn"
    ]
    with pytest.raises(client.exceptions.TooManyTagsException) as excinfo:
        client.tag_resource(resourceArn=arn, tags=tags(("extra", "x")))
    assert_too_many(excinfo)
    assert listed(client, arn) == numbered(QUOTA)


@pytest.mark.parametrize("count", [QUOTA + 1, TAG_LIST_MAX])
def test_create_repository_too_many_tags_creates_nothing(client, count):
    """Quotas: TooManyTagsException; a failed create creates nothing."""
    with pytest.raises(client.exceptions.TooManyTagsException) as excinfo:
        client.create_repository(repositoryName="app", tags=numbered(count))
    assert_too_many(excinfo)
    assert repository_names(client) == []
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.list_tags_for_resource(resourceArn=repo_arn("app"))


@pytest.mark.parametrize("key", RESERVED_KEYS)
def test_create_repository_reserved_prefix_creates_nothing(client, key):
    with pytest.raises(client.exceptions.InvalidTagParameterException) as excinfo:
        client.create_repository(repositoryName="app", tags=tags(("fine", "1"), (key, "v")))
    assert_error(excinfo, "InvalidTagParameterException", reserved_message(key))
    assert repository_names(client) == []
    # The name is free: a correct create now succeeds with only its own tags.
    arn = client.create_repository(repositoryName="app")["repository"]["repositoryArn"]
    assert listed(client, arn) == []


def test_create_repository_failure_leaves_other_repositories_alone(client, arn):
    client.tag_resource(resourceArn=arn, tags=tags(("keep", "1")))
    with pytest.raises(client.exceptions.TooManyTagsException):
        client.create_repository(repositoryName="other", tags=numbered(QUOTA + 1))
    assert repository_names(client) == ["app"]
    assert listed(client, arn) == tags(("keep", "1"))


# --------------------------------------------------------------------------------------
# Region
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "method"),
    [
        ("TagResource", "tag_resource"),
        ("UntagResource", "untag_resource"),
        ("ListTagsForResource", "list_tags_for_resource"),
    ],
)
def test_tag_operations_unsupported_in_us_west_2(client, arn, operation, method):
    """Region section (real text); nothing changes in us-east-1."""
    client.tag_resource(resourceArn=arn, tags=tags(("keep", "1")))
    params = dict(arn_calls(arn))[method]
    assert_unsupported_in_us_west_2(operation, method, **params)
    assert listed(client, arn) == tags(("keep", "1"))
