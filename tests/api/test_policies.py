"""SetRepositoryPolicy, GetRepositoryPolicy and DeleteRepositoryPolicy.

Sources: ``docs/aws-behaviour.md`` (sections "Repositories" and "Policies":
RepositoryNotFound and RepositoryPolicyNotFound real texts; "SetRepositoryPolicy checks
the document: text that is not JSON, or JSON that is not shaped like an IAM policy, is
InvalidParameterException"; sections "Service" and "Regions"); the invalid-policy text
``Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository
policy provided'`` is real ECR output quoted in
github.com/terraform-aws-modules/terraform-aws-ecr/issues/19 and
kislyuk/aegea/issues/16; botocore's model for the 10240-character limit. Where AWS
leaves a point undocumented (the lockout check, which shapes count as valid), the mock
chooses.
"""

import json

import boto3
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

POLICY_MAX = (
    MODEL.operation_model("SetRepositoryPolicy").input_shape.members["policyText"].metadata["max"]
)
INVALID_POLICY = (
    "Invalid parameter at 'PolicyText' failed to satisfy constraint: "
    "'Invalid repository policy provided'"
)
LOCKOUT = (
    "Invalid parameter at 'PolicyText' failed to satisfy constraint: "
    "'The policy would prevent setting another policy in the future; "
    "set force to true to set it anyway'"
)
PRINCIPAL_ARN = f"arn:aws:iam::{ACCOUNT}:root"


@pytest.fixture
def repositories():
    return ("app",)


def no_policy_message(name, account=ACCOUNT):
    return (
        f"Repository policy does not exist for the repository with name '{name}' "
        f"in the registry with id '{account}'"
    )


def policy(*statements, version="2012-10-17", single=False):
    doc = {"Version": version, "Statement": statements[0] if single else list(statements)}
    return json.dumps(doc)


def allow(**extra):
    statement = {
        "Sid": "AllowPull",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["ecr-public:BatchCheckLayerAvailability", "ecr-public:PutImage"],
    }
    statement.update(extra)
    return statement


VALID_POLICY = policy(allow())


def rendered(text):
    """How the service answers a stored policy (AWS CLI ``get-repository-policy`` example;
    docs/aws-behaviour.md, section "Renderings"): Jackson's default pretty printer, objects
    one member a line indented two spaces a level, arrays on one line; None stays None."""
    if text is None:
        return None

    def out(value, indent):
        if isinstance(value, dict) and value:
            pad = "\n" + "  " * (indent + 1)
            items = [
                json.dumps(k, ensure_ascii=False) + " : " + out(v, indent + 1)
                for k, v in value.items()
            ]
            return "{" + pad + ("," + pad).join(items) + "\n" + "  " * indent + "}"
        if isinstance(value, list) and value:
            return "[ " + ", ".join(out(v, indent) for v in value) + " ]"
        if value == {}:
            return "{ }"
        if value == []:
            return "[ ]"
        return json.dumps(value, ensure_ascii=False)

    return out(json.loads(text), 0)


def expected(text, name="app", account=ACCOUNT):
    return {"registryId": account, "repositoryName": name, "policyText": rendered(text)}


def current_policy(client, name="app"):
    """The stored policy text, or None when there is none."""
    try:
        return client.get_repository_policy(repositoryName=name)["policyText"]
    except client.exceptions.RepositoryPolicyNotFoundException:
        return None


# --------------------------------------------------------------------------------------
# Set / Get / Delete: the happy path
# --------------------------------------------------------------------------------------


def test_set_get_delete_cycle(client):
    """AWS leaves this undocumented; the mock chooses: all three answer registryId,
    repositoryName and policyText; Delete answers the deleted policy, after which Get is
    RepositoryPolicyNotFound (real text)."""
    set_response = client.set_repository_policy(repositoryName="app", policyText=VALID_POLICY)
    assert set_response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert body(set_response) == expected(VALID_POLICY)
    assert body(client.get_repository_policy(repositoryName="app")) == expected(VALID_POLICY)
    assert body(client.delete_repository_policy(repositoryName="app")) == expected(VALID_POLICY)
    with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException) as excinfo:
        client.get_repository_policy(repositoryName="app")
    assert_error(excinfo, "RepositoryPolicyNotFoundException", no_policy_message("app"))


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
@pytest.mark.parametrize("name", ["app", "team/sub/app"])
def test_responses_carry_account_and_name(account, name):
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName=name)
        want = expected(VALID_POLICY, name, account)
        assert body(client.set_repository_policy(repositoryName=name, policyText=VALID_POLICY)) == (
            want
        )
        assert body(client.get_repository_policy(repositoryName=name)) == want
        assert body(client.delete_repository_policy(repositoryName=name)) == want
        with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException) as excinfo:
            client.get_repository_policy(repositoryName=name)
        assert_error(excinfo, "RepositoryPolicyNotFoundException", no_policy_message(name, account))


@pytest.mark.parametrize("method", ["get_repository_policy", "delete_repository_policy"])
def test_get_or_delete_without_policy(client, method):
    with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException) as excinfo:
        getattr(client, method)(repositoryName="app")
    assert_error(excinfo, "RepositoryPolicyNotFoundException", no_policy_message("app"))


def test_delete_twice(client):
    client.set_repository_policy(repositoryName="app", policyText=VALID_POLICY)
    client.delete_repository_policy(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException) as excinfo:
        client.delete_repository_policy(repositoryName="app")
    assert_error(excinfo, "RepositoryPolicyNotFoundException", no_policy_message("app"))


def test_policy_text_is_answered_as_the_service_renders_it(client):
    """AWS CLI ``set-repository-policy`` example: the answer is the service's rendering of
    the document, whatever the caller's whitespace; key order kept, escapes resolved,
    non-ASCII characters unescaped."""
    text = (
        '{\n  "Statement" : [ {\n\t"Action": "ecr-public:*",  "Principal":"*",'
        '"Effect" : "Allow", "Sid": "caf\\u00e9 ünï"\n} ],\r\n "Version":"2012-10-17"   }\n'
    )
    want = (
        '{\n  "Statement" : [ {\n    "Action" : "ecr-public:*",\n    "Principal" : "*",\n'
        '    "Effect" : "Allow",\n    "Sid" : "café ünï"\n  } ],\n  "Version" : "2012-10-17"\n}'
    )
    assert body(client.set_repository_policy(repositoryName="app", policyText=text)) == {
        "registryId": ACCOUNT,
        "repositoryName": "app",
        "policyText": want,
    }
    assert client.get_repository_policy(repositoryName="app")["policyText"] == want
    assert client.delete_repository_policy(repositoryName="app")["policyText"] == want


def test_set_overwrites(client):
    first = policy(allow(Sid="First"))
    second = policy(allow(Sid="Second"))
    client.set_repository_policy(repositoryName="app", policyText=first)
    assert body(client.set_repository_policy(repositoryName="app", policyText=second)) == (
        expected(second)
    )
    assert current_policy(client) == rendered(second)


def test_policies_are_per_repository(client):
    client.create_repository(repositoryName="other")
    client.set_repository_policy(repositoryName="app", policyText=VALID_POLICY)
    assert current_policy(client, "other") is None
    assert current_policy(client, "app") == rendered(VALID_POLICY)


def test_deleted_and_recreated_repository_has_no_policy(client):
    """AWS leaves this undocumented; the mock chooses: a re-created repository is a new
    repository."""
    client.set_repository_policy(repositoryName="app", policyText=VALID_POLICY)
    client.delete_repository(repositoryName="app")
    client.create_repository(repositoryName="app")
    assert current_policy(client) is None


def test_explicit_registry_id(client):
    response = client.set_repository_policy(
        registryId=ACCOUNT, repositoryName="app", policyText=VALID_POLICY
    )
    assert body(response) == expected(VALID_POLICY)
    got = client.get_repository_policy(registryId=ACCOUNT, repositoryName="app")
    assert body(got) == expected(VALID_POLICY)


# --------------------------------------------------------------------------------------
# Valid documents
# --------------------------------------------------------------------------------------

VALID_DOCUMENTS = [
    pytest.param(policy(allow(), single=True), id="statement-object"),
    pytest.param(policy(allow()), id="statement-list"),
    pytest.param(policy(allow(), allow(Sid="Two")), id="two-statements"),
    pytest.param(policy(allow(), version="2008-10-17"), id="version-2008"),
    pytest.param(json.dumps({"Statement": [allow()]}), id="no-version"),
    pytest.param(policy(allow(Principal="*")), id="principal-star"),
    pytest.param(policy(allow(Principal={"AWS": PRINCIPAL_ARN})), id="principal-aws"),
    pytest.param(
        policy(allow(Principal={"AWS": [PRINCIPAL_ARN, "arn:aws:iam::111122223333:root"]})),
        id="principal-aws-list",
    ),
    pytest.param(policy(allow(Action="ecr-public:*")), id="action-wildcard"),
    pytest.param(policy(allow(Action="ecr-public:PutImage")), id="action-string"),
    pytest.param(
        policy(allow(Action=["ecr-public:PutImage", "ecr-public:InitiateLayerUpload"])),
        id="action-list",
    ),
    pytest.param(
        policy(
            allow(Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}),
        ),
        id="condition",
    ),
    pytest.param(
        policy({"Effect": "Allow", "Principal": "*", "Action": "ecr-public:*"}), id="no-sid"
    ),
    pytest.param(
        policy(
            {
                "Sid": "NotAction",
                "Effect": "Allow",
                "Principal": {"AWS": PRINCIPAL_ARN},
                "NotAction": "ecr-public:DeleteRepository",
            }
        ),
        id="not-action",
    ),
    pytest.param(
        policy(
            {
                "Sid": "NotPrincipal",
                "Effect": "Deny",
                "NotPrincipal": {"AWS": PRINCIPAL_ARN},
                "Action": "ecr-public:DeleteRepository",
            }
        ),
        id="not-principal-deny",
    ),
    pytest.param(
        policy(
            {
                "Sid": "DenyDeleteForAll",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "ecr-public:DeleteRepository",
            }
        ),
        id="deny-other-action-for-all",
    ),
    pytest.param(
        policy(
            {
                "Sid": "DenyPolicyForOne",
                "Effect": "Deny",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "ecr-public:SetRepositoryPolicy",
            }
        ),
        id="deny-set-policy-for-one-principal",
    ),
    pytest.param(
        json.dumps({"Version": "2012-10-17", "Statement": [allow()]}, indent=4, sort_keys=True),
        id="pretty-printed",
    ),
    pytest.param(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Id": "policy-1",
                "Statement": [
                    allow(
                        Resource=["arn:aws:ecr-public::123456789012:repository/app"],
                        Condition={
                            "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                            "Bool": {"aws:SecureTransport": True},
                            "StringLike": {"aws:PrincipalArn": ["arn:aws:iam::*:root", "x"]},
                        },
                    )
                ],
            }
        ),
        id="resource-and-conditions",
    ),
]


@pytest.mark.parametrize("text", VALID_DOCUMENTS)
def test_valid_documents_are_accepted(client, text):
    """AWS leaves the accepted IAM shapes undocumented; the mock chooses: Statement as
    an object or a list, Principal "*" or {"AWS": arn or [arns]}, Action string or list,
    Sid and Condition."""
    assert body(client.set_repository_policy(repositoryName="app", policyText=text)) == (
        expected(text)
    )
    assert current_policy(client) == rendered(text)


# --------------------------------------------------------------------------------------
# Invalid documents
# --------------------------------------------------------------------------------------


def doc(**top):
    return json.dumps(top)


def stmt(**fields):
    """A one-statement policy whose statement is exactly ``fields``."""
    return policy(fields)


BASE = {"Effect": "Allow", "Principal": "*", "Action": "ecr-public:*"}


def without(key):
    return {k: v for k, v in BASE.items() if k != key}


INVALID_DOCUMENTS = [
    pytest.param("", id="empty-string"),
    pytest.param("not json", id="not-json"),
    pytest.param('{"Version": "2012-10-17", "Statement": [', id="truncated-json"),
    pytest.param("{'Version': '2012-10-17'}", id="single-quotes"),
    pytest.param("[]", id="json-list"),
    pytest.param("[" + policy(allow()) + "]", id="policy-in-list"),
    pytest.param('"a string"', id="json-string"),
    pytest.param("42", id="json-number"),
    pytest.param("null", id="json-null"),
    pytest.param("{}", id="empty-object"),
    pytest.param(doc(Version="2012-10-17"), id="no-statement"),
    pytest.param(doc(Version="2012-10-17", Statement=[]), id="empty-statement-list"),
    pytest.param(doc(Version="2012-10-17", Statement="Allow"), id="statement-string"),
    pytest.param(doc(Version="2012-10-17", Statement=42), id="statement-number"),
    pytest.param(doc(Version="2012-10-17", Statement=None), id="statement-null"),
    pytest.param(doc(Version="2012-10-17", Statement=["Allow"]), id="statement-item-string"),
    pytest.param(stmt(**without("Effect")), id="no-effect"),
    pytest.param(stmt(**{**BASE, "Effect": "Permit"}), id="effect-permit"),
    pytest.param(stmt(**{**BASE, "Effect": "allow"}), id="effect-lowercase"),
    pytest.param(stmt(**{**BASE, "Effect": ""}), id="effect-empty"),
    pytest.param(stmt(**{**BASE, "Effect": ["Allow"]}), id="effect-list"),
    pytest.param(stmt(**without("Principal")), id="no-principal"),
    pytest.param(stmt(**without("Action")), id="no-action"),
    pytest.param(stmt(**{**BASE, "Action": 42}), id="action-number"),
    pytest.param(stmt(**{**BASE, "Action": {"ecr-public": "*"}}), id="action-object"),
    pytest.param(stmt(**{**BASE, "Action": ["ecr-public:PutImage", 7]}), id="action-list-number"),
    pytest.param(stmt(**{**BASE, "Action": None}), id="action-null"),
    pytest.param(
        json.dumps({"Version": "2012-10-17", "Statement": [BASE], "Foo": "bar"}),
        id="unknown-top-level-key",
    ),
    pytest.param(stmt(**{**BASE, "Foo": "bar"}), id="unknown-statement-key"),
    pytest.param(policy(allow(), version="2012-10-18"), id="version-wrong-date"),
    pytest.param(policy(allow(), version="2020-01-01"), id="version-2020"),
    pytest.param(policy(allow(), version=""), id="version-empty"),
    pytest.param(policy(allow(), version="latest"), id="version-word"),
    pytest.param(policy(BASE, {"Effect": "Allow", "Principal": "*"}), id="second-statement-bad"),
    pytest.param(stmt(**{**BASE, "Principal": {}}), id="principal-empty-object"),
    pytest.param(stmt(**{**BASE, "Principal": ["*"]}), id="principal-list"),
    pytest.param(stmt(**{**BASE, "Principal": {"Someone": "*"}}), id="principal-unknown-kind"),
    pytest.param(stmt(**{**BASE, "Principal": {"AWS": 7}}), id="principal-number"),
    pytest.param(stmt(**{**BASE, "Condition": "always"}), id="condition-string"),
    pytest.param(stmt(**{**BASE, "Condition": {"StringEquals": "x"}}), id="condition-block-string"),
    pytest.param(
        stmt(**{**BASE, "Condition": {"StringEquals": {"aws:x": {"y": "z"}}}}),
        id="condition-value-object",
    ),
    pytest.param(
        stmt(**{**BASE, "Condition": {"StringEquals": {"aws:x": [["z"]]}}}),
        id="condition-value-nested-list",
    ),
    pytest.param(
        stmt(**{**BASE, "Condition": {"StringEquals": {"aws:x": None}}}), id="condition-value-null"
    ),
    pytest.param(
        policy({**BASE, "Condition": {"NumericLessThan": {"aws:x": float("nan")}}}),
        id="condition-value-nan",
    ),
    pytest.param(stmt(**{**BASE, "Resource": 7}), id="resource-number"),
    pytest.param(stmt(**{**BASE, "NotResource": [["arn"]]}), id="not-resource-nested-list"),
    pytest.param(stmt(**{**BASE, "Sid": 7}), id="sid-number"),
    pytest.param(
        json.dumps({"Version": "2012-10-17", "Id": ["x"], "Statement": [BASE]}), id="id-list"
    ),
]


@pytest.mark.parametrize("previous", [None, VALID_POLICY], ids=["no-previous", "previous"])
@pytest.mark.parametrize("text", INVALID_DOCUMENTS)
def test_invalid_documents_are_rejected(client, text, previous):
    """docs/aws-behaviour.md, section "Policies": not JSON or not an IAM policy shape is
    InvalidParameterException; the text is real ECR output (terraform-aws-ecr#19,
    aegea#16); the kinds of invalid shapes are the mock's choice (AWS leaves them
    undocumented). Nothing changes."""
    if previous is not None:
        client.set_repository_policy(repositoryName="app", policyText=previous)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_policy(repositoryName="app", policyText=text)
    assert_error(excinfo, "InvalidParameterException", INVALID_POLICY)
    assert current_policy(client) == rendered(previous)


@pytest.mark.parametrize("force", [True, False])
def test_force_does_not_make_an_invalid_document_valid(client, force):
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_policy(repositoryName="app", policyText="not json", force=force)
    assert_error(excinfo, "InvalidParameterException", INVALID_POLICY)
    assert current_policy(client) is None


# --------------------------------------------------------------------------------------
# Lockout: a policy that would deny SetRepositoryPolicy to everyone
# --------------------------------------------------------------------------------------


def deny_all(action):
    return policy({"Sid": "Lockout", "Effect": "Deny", "Principal": "*", "Action": action})


LOCKOUT_ACTIONS = [
    pytest.param("ecr-public:*", id="service-wildcard"),
    pytest.param("*", id="wildcard"),
    pytest.param("ecr-public:SetRepositoryPolicy", id="exact"),
    pytest.param(["ecr-public:SetRepositoryPolicy"], id="exact-in-list"),
    pytest.param(["ecr-public:PutImage", "ecr-public:*"], id="wildcard-in-list"),
    pytest.param("ecr-public:Set*", id="prefix-wildcard"),
    pytest.param("ecr-public:SetRepo*", id="longer-prefix-wildcard"),
    pytest.param("ecr-public:S*", id="short-prefix-wildcard"),
    pytest.param("ecr-public:*Policy", id="suffix-wildcard"),
    pytest.param("ecr-public:*RepositoryPolicy", id="longer-suffix-wildcard"),
    pytest.param("ecr-public:Set?epositoryPolicy", id="question-mark-wildcard"),
    pytest.param("ECR-PUBLIC:setrepositorypolicy", id="case-insensitive"),
]


@pytest.mark.parametrize("previous", [None, VALID_POLICY], ids=["no-previous", "previous"])
@pytest.mark.parametrize("action", LOCKOUT_ACTIONS)
def test_lockout_without_force_is_rejected(client, action, previous):
    """AWS leaves this undocumented; the mock chooses: a Deny for Principal "*" covering
    ecr-public:SetRepositoryPolicy needs force=True; the text names the force flag.
    Nothing changes."""
    if previous is not None:
        client.set_repository_policy(repositoryName="app", policyText=previous)
    text = deny_all(action)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_policy(repositoryName="app", policyText=text)
    assert_error(excinfo, "InvalidParameterException", LOCKOUT)
    assert current_policy(client) == rendered(previous)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_policy(repositoryName="app", policyText=text, force=False)
    assert_error(excinfo, "InvalidParameterException", LOCKOUT)
    assert current_policy(client) == rendered(previous)


@pytest.mark.parametrize("action", LOCKOUT_ACTIONS)
def test_lockout_with_force_is_accepted(client, action):
    text = deny_all(action)
    response = client.set_repository_policy(repositoryName="app", policyText=text, force=True)
    assert body(response) == expected(text)
    assert current_policy(client) == rendered(text)


def deny_everything_to(principal):
    return policy({"Effect": "Deny", "Principal": principal, "Action": "ecr-public:*"})


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(deny_everything_to("*"), id="principal-star"),
        pytest.param(deny_everything_to({"AWS": "*"}), id="principal-aws-star"),
        pytest.param(deny_everything_to({"AWS": ["*"]}), id="principal-aws-star-list"),
        pytest.param(
            policy(
                allow(),
                {"Effect": "Deny", "Principal": "*", "Action": "ecr-public:SetRepositoryPolicy"},
            ),
            id="statement-among-others",
        ),
    ],
)
def test_lockout_refused_then_forced(client, text):
    """IAM: ``"*"``, ``{"AWS": "*"}`` and ``{"AWS": ["*"]}`` all name everyone (the mock
    extends its lockout rule to these equivalent forms); a locking-out statement
    among others locks out too. Refused without force, accepted with it."""
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_policy(repositoryName="app", policyText=text)
    assert_error(excinfo, "InvalidParameterException", LOCKOUT)
    assert current_policy(client) is None
    client.set_repository_policy(repositoryName="app", policyText=text, force=True)
    assert current_policy(client) == rendered(text)


def test_lockout_single_statement_object(client):
    text = policy({"Effect": "Deny", "Principal": "*", "Action": "ecr-public:*"}, single=True)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_policy(repositoryName="app", policyText=text)
    assert_error(excinfo, "InvalidParameterException", LOCKOUT)


@pytest.mark.parametrize(
    ("not_action", "locks_out"),
    [
        ("ecr-public:PutImage", True),
        (["ecr-public:PutImage", "ecr-public:Get*"], True),
        ("ecr-public:SetRepositoryPolicy", False),
        (["ecr-public:PutImage", "ecr-public:Set*"], False),
    ],
)
def test_lockout_through_not_action(client, not_action, locks_out):
    """IAM: a Deny with NotAction denies every action it does not name, so denying
    everyone all but PutImage also denies SetRepositoryPolicy (the mock's choice: a
    lockout)."""
    text = policy({"Effect": "Deny", "Principal": "*", "NotAction": not_action})
    if locks_out:
        with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
            client.set_repository_policy(repositoryName="app", policyText=text)
        assert_error(excinfo, "InvalidParameterException", LOCKOUT)
        assert current_policy(client) is None
    else:
        client.set_repository_policy(repositoryName="app", policyText=text)
        assert current_policy(client) == rendered(text)


@pytest.mark.parametrize(
    "action",
    ["ecr-public:GetRepositoryPolicy", "ecr-public:DeleteRepositoryPolicy", "ecr-public:Put*"],
)
def test_deny_for_all_not_covering_set_policy_needs_no_force(client, action):
    """AWS leaves this undocumented; the mock chooses: only a Deny covering
    SetRepositoryPolicy is a lockout."""
    text = deny_all(action)
    assert body(client.set_repository_policy(repositoryName="app", policyText=text)) == (
        expected(text)
    )


def test_allow_all_needs_no_force(client):
    text = policy({"Effect": "Allow", "Principal": "*", "Action": "*"})
    assert body(client.set_repository_policy(repositoryName="app", policyText=text)) == (
        expected(text)
    )


# --------------------------------------------------------------------------------------
# Length, unknown repositories, region
# --------------------------------------------------------------------------------------


def padded_policy(length):
    """A valid policy document of exactly ``length`` characters (trailing whitespace)."""
    text = VALID_POLICY
    assert len(text) <= length
    return text + " " * (length - len(text))


def test_policy_at_maximum_length(client):
    text = padded_policy(POLICY_MAX)
    assert len(text) == POLICY_MAX
    assert body(client.set_repository_policy(repositoryName="app", policyText=text)) == (
        expected(text)
    )
    assert current_policy(client) == rendered(text)


@pytest.mark.parametrize("previous", [None, VALID_POLICY], ids=["no-previous", "previous"])
@pytest.mark.parametrize("length", [POLICY_MAX + 1, 3 * POLICY_MAX])
def test_policy_too_long(client, length, previous):
    """Service: the model's max 10240 is checked by the server, in ECR's wording."""
    if previous is not None:
        client.set_repository_policy(repositoryName="app", policyText=previous)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_policy(repositoryName="app", policyText=padded_policy(length))
    assert_error(
        excinfo,
        "InvalidParameterException",
        "Invalid parameter at 'policyText' failed to satisfy constraint: "
        f"'must have length less than or equal to {POLICY_MAX}'",
    )
    assert current_policy(client) == rendered(previous)


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("set_repository_policy", {"policyText": VALID_POLICY}),
        ("get_repository_policy", {}),
        ("delete_repository_policy", {}),
    ],
)
@pytest.mark.parametrize("name", ["missing", "team/missing"])
def test_unknown_repository(client, method, params, name):
    """RepositoryNotFound (real text); a failed set creates nothing."""
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        getattr(client, method)(repositoryName=name, **params)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found(name))
    assert [r["repositoryName"] for r in client.describe_repositories()["repositories"]] == ["app"]


@pytest.mark.parametrize(
    ("operation", "method", "params"),
    [
        ("SetRepositoryPolicy", "set_repository_policy", {"policyText": VALID_POLICY}),
        ("GetRepositoryPolicy", "get_repository_policy", {}),
        ("DeleteRepositoryPolicy", "delete_repository_policy", {}),
    ],
)
def test_policy_operations_unsupported_in_us_west_2(client, operation, method, params):
    """Region section (real text); nothing changes in us-east-1."""
    client.set_repository_policy(repositoryName="app", policyText=policy(allow(Sid="East")))
    assert_unsupported_in_us_west_2(operation, method, repositoryName="app", **params)
    assert current_policy(client) == rendered(policy(allow(Sid="East")))
