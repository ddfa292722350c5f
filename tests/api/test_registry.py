"""DescribeRegistries, Get/PutRegistryCatalogData and GetAuthorizationToken.

Sources: ``docs/aws-behaviour.md`` (sections "Identifiers", "Regions", "Authorization
token", "Describe and pagination" and "Service"), botocore's model for the constraints,
and, where AWS leaves a point undocumented, the mock's choice (said so per test).
"""

import base64
import datetime as dt
import json
import re

import boto3
import botocore.exceptions
import botocore.session
import pytest
from _support import ACCOUNT, MODEL, assert_error, assert_unsupported_in_us_west_2, body, invalid
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public

DISPLAY_NAME_MAX = MODEL.shape_for("RegistryCatalogData").members["displayName"].metadata["max"]
TOKEN_PATTERN = (
    MODEL.shape_for("AuthorizationData").members["authorizationToken"].metadata["pattern"]
)
UTC = dt.timezone.utc


# premiumStatus and premiumRegistryUri came with the model of botocore 1.44.18; an older
# model's Registry lacks them, and the service it describes never sent them.
REGISTRY_MEMBERS = MODEL.shape_for("Registry").members


def alias_entry(name, *, primary, default):
    return {
        "name": name,
        "status": "ACTIVE",
        "primaryRegistryAlias": primary,
        "defaultRegistryAlias": default,
    }


def expected_registry(account, alias, *, verified=False, custom=None, premium=False):
    """The registry's entry, with the members the installed model's Registry defines.

    ``alias`` is the generated default alias; a ``custom`` one is the primary alias, listed
    first, and every URI uses it. ``premium``: premiumStatus ENABLED and a
    premiumRegistryUri ``public.ecr.aws/premium/<primary alias>`` (docs/aws-behaviour.md,
    "Premium repositories").
    """
    if custom is None:
        aliases = [alias_entry(alias, primary=True, default=True)]
    else:
        aliases = [
            alias_entry(custom, primary=True, default=False),
            alias_entry(alias, primary=False, default=True),
        ]
    primary = custom or alias
    registry = {
        "registryId": account,
        "registryArn": f"arn:aws:ecr-public::{account}:registry/{account}",
        "registryUri": f"public.ecr.aws/{primary}",
        "verified": verified,
        "aliases": aliases,
    }
    if "premiumStatus" in REGISTRY_MEMBERS:
        registry["premiumStatus"] = "ENABLED" if premium else "DISABLED"
    if premium and "premiumRegistryUri" in REGISTRY_MEMBERS:
        registry["premiumRegistryUri"] = f"public.ecr.aws/premium/{primary}"
    return registry


# --------------------------------------------------------------------------------------
# DescribeRegistries
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333", "000000000001"])
def test_describe_registries_exact(account):
    """Identifiers: registry id = account, ARN ``arn:aws:ecr-public::<a>:registry/<a>``,
    URI ``public.ecr.aws/<alias>``, and the real entry's shape (verified false, one
    ACTIVE alias that is primary and default)."""
    with mock_ecr_public(account_id=account) as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        response = client.describe_registries()
        assert body(response) == {"registries": [expected_registry(account, ecr.registry_alias)]}
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize(
    ("verified", "custom", "premium"),
    [
        (True, None, False),
        (False, "acme", False),
        (True, "acme", True),
        (True, "my-org.io_x", True),
    ],
)
def test_describe_registries_verified_and_custom_alias(verified, custom, premium):
    """docs/aws-behaviour.md, "Premium repositories": ``registry_verified`` is
    Registry.verified; a custom alias is the primary alias, listed first (ACTIVE, primary,
    not default), then the generated default one (not primary, default); premiumStatus is
    ENABLED only when the registry is verified AND has a custom alias, and only then is
    premiumRegistryUri answered."""
    with mock_ecr_public() as plain:
        default = plain.registry_alias
    options = {"registry_verified": verified, "registry_alias": custom}
    with mock_ecr_public(**options):
        client = boto3.client("ecr-public", region_name="us-east-1")
        response = client.describe_registries()
        expected = expected_registry(
            ACCOUNT, default, verified=verified, custom=custom, premium=premium
        )
        assert body(response) == {"registries": [expected]}
        uri = client.create_repository(repositoryName="app")["repository"]["repositoryUri"]
        assert uri == f"public.ecr.aws/{custom or default}/app"


def test_describe_registries_alias_shape(ecr, client):
    """Identifiers: the default alias is 8 characters, letter and digit alternating."""
    registry = client.describe_registries()["registries"][0]
    alias = registry["aliases"][0]["name"]
    assert re.fullmatch(r"[a-z][0-9][a-z][0-9][a-z][0-9][a-z][0-9]", alias)
    assert alias == ecr.registry_alias


def test_describe_registries_does_not_depend_on_repositories(ecr, client):
    """AWS leaves this undocumented; the mock chooses: the registry exists (and is
    described the same way) whether or not it holds repositories."""
    before = body(client.describe_registries())
    client.create_repository(repositoryName="app")
    assert body(client.describe_registries()) == before


@pytest.mark.parametrize("max_results", [1, 2, 100, 1000])
def test_describe_registries_max_results(ecr, client, max_results):
    """Pagination: maxResults 1-1000; one registry fits any page, so no nextToken."""
    response = client.describe_registries(maxResults=max_results)
    assert body(response) == {"registries": [expected_registry(ACCOUNT, ecr.registry_alias)]}
    assert "nextToken" not in response


def test_describe_registries_paginator(ecr, client):
    pages = list(client.get_paginator("describe_registries").paginate())
    assert [body(page) for page in pages] == [
        {"registries": [expected_registry(ACCOUNT, ecr.registry_alias)]}
    ]


@pytest.mark.parametrize(
    ("member", "value", "constraint"),
    [
        *(
            pytest.param(
                "maxResults", v, "Member must have value less than or equal to 1000", id=f"max-{v}"
            )
            for v in [1001, 5000, 2**31 - 1]
        ),
        *(
            pytest.param("nextToken", v, "must be a valid pagination token", id=f"token-{v}")
            for v in ["garbage", "AAAA", "!!!!not base64!!!!", "eyJ9", "bm90OmEtdG9rZW4="]
        ),
    ],
)
def test_describe_registries_invalid_parameter(client, member, value, constraint):
    """Service: maximums reach the server: InvalidParameterException in ECR's wording.
    Pagination: nextToken is opaque; an invalid one is InvalidParameterException (AWS
    leaves the text undocumented; the mock chooses ``must be a valid pagination
    token``)."""
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_registries(**{member: value})
    assert_error(excinfo, "InvalidParameterException", invalid(member, constraint))


@pytest.mark.parametrize("max_results", [0, -1])
def test_describe_registries_max_results_below_minimum_is_client_side(client, max_results):
    """Service: botocore checks minimums itself; the request never leaves the client."""
    with pytest.raises(botocore.exceptions.ParamValidationError):
        client.describe_registries(maxResults=max_results)


def test_describe_registries_rejects_a_describe_repositories_token(client):
    """AWS leaves this undocumented; the mock chooses: a token belongs to its listing;
    one minted by DescribeRepositories is not a valid DescribeRegistries token."""
    for name in ("aa", "bb", "cc"):
        client.create_repository(repositoryName=name)
    token = client.describe_repositories(maxResults=1)["nextToken"]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_registries(nextToken=token)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("nextToken", "must be a valid pagination token"),
    )


@pytest.mark.parametrize("names", [["app"], ["team/app", "a1", "x.y-z_w/q"]])
def test_repository_uris_start_with_registry_uri(ecr, client, names):
    """Identifiers: repositoryUri = ``public.ecr.aws/<alias>/<name>`` where the
    registryUri is ``public.ecr.aws/<alias>``."""
    for name in names:
        client.create_repository(repositoryName=name)
    registry_uri = client.describe_registries()["registries"][0]["registryUri"]
    repositories = client.describe_repositories()["repositories"]
    assert len(repositories) == len(names)
    for repo in repositories:
        assert repo["repositoryUri"].startswith(registry_uri + "/")
        assert repo["repositoryUri"] == f"{registry_uri}/{repo['repositoryName']}"


def test_describe_registries_same_in_two_mocks():
    """Identifiers: the alias is derived from the account id, stable from run to run."""
    answers = []
    for _ in range(2):
        with mock_ecr_public():
            client = boto3.client("ecr-public", region_name="us-east-1")
            answers.append(body(client.describe_registries()))
    assert answers[0] == answers[1]


# --------------------------------------------------------------------------------------
# Get/PutRegistryCatalogData
# --------------------------------------------------------------------------------------


def test_registry_catalog_initially_empty(client):
    """Model: registryCatalogData is required in the output; AWS leaves its first value
    undocumented, and the mock chooses an empty structure until something is put."""
    response = client.get_registry_catalog_data()
    assert body(response) == {"registryCatalogData": {}}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize(
    "display_name",
    ["My Org", "", "x", "x" * DISPLAY_NAME_MAX, "Ünïcødé 組織 🚀", "  spaced  "],
    ids=["my-org", "empty", "one", "max", "unicode", "spaces"],
)
def test_put_registry_catalog_round_trip(client, display_name):
    """Model: displayName is 0-100 characters; put answers the stored catalog and get
    answers the same (AWS leaves this undocumented; the mock chooses it)."""
    put = client.put_registry_catalog_data(displayName=display_name)
    assert body(put) == {"registryCatalogData": {"displayName": display_name}}
    get = client.get_registry_catalog_data()
    assert body(get) == {"registryCatalogData": {"displayName": display_name}}


def test_put_registry_catalog_overwrites(client):
    client.put_registry_catalog_data(displayName="First")
    client.put_registry_catalog_data(displayName="Second")
    assert body(client.get_registry_catalog_data()) == {
        "registryCatalogData": {"displayName": "Second"}
    }


@pytest.mark.parametrize("previous", [None, "My Org"])
@pytest.mark.parametrize("length", [DISPLAY_NAME_MAX + 1, 500])
def test_put_registry_catalog_too_long(client, previous, length):
    """Service: the model's max 100 is checked by the server; nothing changes."""
    if previous is not None:
        client.put_registry_catalog_data(displayName=previous)
    before = body(client.get_registry_catalog_data())
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.put_registry_catalog_data(displayName="x" * length)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("displayName", f"must have length less than or equal to {DISPLAY_NAME_MAX}"),
    )
    assert body(client.get_registry_catalog_data()) == before


def test_registry_catalog_is_fresh_in_each_mock():
    """Every activation begins with fresh, empty state (the mock's contract)."""
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.put_registry_catalog_data(displayName="My Org")
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1")
        assert body(client.get_registry_catalog_data()) == {"registryCatalogData": {}}


# --------------------------------------------------------------------------------------
# GetAuthorizationToken
# --------------------------------------------------------------------------------------


def decode_token(token):
    """(user, password document) from an authorizationToken."""
    decoded = base64.b64decode(token, validate=True).decode()
    user, sep, password = decoded.partition(":")
    assert sep == ":"
    document = json.loads(base64.b64decode(password, validate=True))
    return user, document


def check_token_response(response, expected_expiry):
    assert set(body(response)) == {"authorizationData"}
    data = response["authorizationData"]
    assert set(data) == {"authorizationToken", "expiresAt"}
    token = data["authorizationToken"]
    assert isinstance(token, str)
    assert re.fullmatch(TOKEN_PATTERN.strip("^$"), token)
    assert isinstance(data["expiresAt"], dt.datetime)
    assert data["expiresAt"] == expected_expiry
    user, document = decode_token(token)
    assert user == "AWS"
    assert set(document) == {"payload", "datakey", "version", "type", "expiration"}
    assert document["version"] == "3"
    assert document["type"] == "DATA_KEY"
    assert isinstance(document["payload"], str)
    assert document["payload"]
    assert isinstance(document["datakey"], str)
    assert document["datakey"]
    assert type(document["expiration"]) is int
    assert document["expiration"] == int(expected_expiry.timestamp())


def test_authorization_token_exact(ecr):
    """GetAuthorizationToken section: token = base64 ``AWS:<password>``, the password a
    base64 JSON document (payload, datakey, version "3", type "DATA_KEY", expiration in
    epoch seconds); expiresAt = now + 12 hours."""
    client = boto3.client("ecr-public", region_name="us-east-1")
    with freeze_time("2024-05-01 10:00:00"):
        response = client.get_authorization_token()
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    check_token_response(response, dt.datetime(2024, 5, 1, 22, 0, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("frozen", "expiry"),
    [
        ("2024-05-01 10:00:00", dt.datetime(2024, 5, 1, 22, 0, 0, tzinfo=UTC)),
        ("2024-12-31 18:30:15", dt.datetime(2025, 1, 1, 6, 30, 15, tzinfo=UTC)),
        ("2020-02-28 23:59:59", dt.datetime(2020, 2, 29, 11, 59, 59, tzinfo=UTC)),
    ],
)
def test_authorization_token_expiry_is_twelve_hours(client, frozen, expiry):
    with freeze_time(frozen):
        response = client.get_authorization_token()
    check_token_response(response, expiry)


def test_authorization_token_later_call_later_expiry_move_to(client):
    """expiresAt follows the clock: a later call gives a later expiry."""
    with freeze_time("2024-05-01 10:00:00") as frozen:
        first = client.get_authorization_token()
        frozen.move_to("2024-05-01 11:30:00")
        second = client.get_authorization_token()
    check_token_response(first, dt.datetime(2024, 5, 1, 22, 0, 0, tzinfo=UTC))
    check_token_response(second, dt.datetime(2024, 5, 1, 23, 30, 0, tzinfo=UTC))
    assert second["authorizationData"]["expiresAt"] > first["authorizationData"]["expiresAt"]


def test_authorization_token_later_call_later_expiry_ticking(client):
    with freeze_time("2024-05-01 10:00:00", tick=True) as frozen:
        first = client.get_authorization_token()["authorizationData"]["expiresAt"]
        frozen.move_to("2024-05-01 10:05:00")
        second = client.get_authorization_token()["authorizationData"]["expiresAt"]
    start = dt.datetime(2024, 5, 1, 22, 0, 0, tzinfo=UTC)
    assert start <= first < start + dt.timedelta(minutes=1)
    assert start + dt.timedelta(minutes=5) <= second < start + dt.timedelta(minutes=6)
    assert second > first


def test_authorization_token_unfrozen_is_about_now_plus_twelve_hours(client):
    before = dt.datetime.now(UTC)
    response = client.get_authorization_token()
    after = dt.datetime.now(UTC)
    expires = response["authorizationData"]["expiresAt"]
    twelve = dt.timedelta(hours=12)
    assert before + twelve - dt.timedelta(seconds=1) <= expires <= after + twelve
    _, document = decode_token(response["authorizationData"]["authorizationToken"])
    assert document["expiration"] == int(expires.timestamp())


def test_authorization_token_needs_no_repository_and_changes_nothing(client):
    """AWS leaves this undocumented; the mock chooses: the token is a registry-level
    answer; it does not touch state."""
    client.get_authorization_token()
    assert client.describe_repositories()["repositories"] == []
    assert body(client.get_registry_catalog_data()) == {"registryCatalogData": {}}


# --------------------------------------------------------------------------------------
# Region: us-west-2 serves nothing
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "method", "params"),
    [
        ("DescribeRegistries", "describe_registries", {}),
        ("GetRegistryCatalogData", "get_registry_catalog_data", {}),
        ("PutRegistryCatalogData", "put_registry_catalog_data", {"displayName": "My Org"}),
    ],
)
def test_registry_operations_unsupported_in_us_west_2(ecr, operation, method, params):
    """Region section (real text): ``<Operation> command is only supported in us-east-1.``;
    the failed put changes nothing."""
    assert_unsupported_in_us_west_2(operation, method, **params)
    east = boto3.client("ecr-public", region_name="us-east-1")
    assert body(east.get_registry_catalog_data()) == {"registryCatalogData": {}}
