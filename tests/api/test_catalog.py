"""Get/PutRepositoryCatalogData and CreateRepository's catalogData.

Sources: ``docs/aws-behaviour.md`` (sections "Repositories": CreateRepository without
catalog answers ``{}``; "Catalog data": a logo comes back as a ``logoUrl`` of the form
``https://d3g9o9u8re44ak.cloudfront.net/logo/<uuid>/<uuid>.png``; "Service",
"Validation" and "Regions"), botocore's model for the limits, and, where AWS leaves a
point undocumented, the mock's choice (said so per test).
"""

import re

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
    invalid,
    repo_not_found,
)

from ecrpublic_mock import mock_ecr_public

INPUT = MODEL.shape_for("RepositoryCatalogDataInput").members
OUTPUT_FIELDS = set(MODEL.shape_for("RepositoryCatalogData").members)
DESCRIPTION_MAX = INPUT["description"].metadata["max"]
ABOUT_MAX = INPUT["aboutText"].metadata["max"]
USAGE_MAX = INPUT["usageText"].metadata["max"]
LIST_MAX = INPUT["architectures"].metadata["max"]
ITEM_MAX = INPUT["architectures"].member.metadata["max"]
LOGO_MAX = INPUT["logoImageBlob"].metadata["max"]
LOGO_URL_RE = re.compile(
    r"^https://d3g9o9u8re44ak\.cloudfront\.net/logo/[0-9a-f-]{36}/[0-9a-f-]{36}\.png$"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))

FULL_INPUT = {
    "description": "A tiny web server",
    "architectures": ["x86-64", "ARM 64"],
    "operatingSystems": ["Linux"],
    "aboutText": "# About\n\nIt serves **files**.",
    "usageText": "```\ndocker run public.ecr.aws/x/app\n```",
    "logoImageBlob": PNG_BYTES,
}


def catalog_of(client, name="app"):
    return body(client.get_repository_catalog_data(repositoryName=name))


def expected_output(catalog_input, logo_url=None):
    """The output catalog for an input one: the logo blob becomes logoUrl."""
    out = {key: value for key, value in catalog_input.items() if key != "logoImageBlob"}
    if logo_url is not None:
        out["logoUrl"] = logo_url
    return out


def logo_url_for(logo, account=ACCOUNT, name="app"):
    """The logoUrl a fresh mock gives ``logo`` in repository ``name``."""
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName=name)
        put = client.put_repository_catalog_data(
            repositoryName=name, catalogData={"logoImageBlob": logo}
        )
        return put["catalogData"]["logoUrl"]


# --------------------------------------------------------------------------------------
# GetRepositoryCatalogData
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["app", "team/app", "a.b-c_d/e"])
def test_get_catalog_of_repository_created_without_catalog(client, name):
    """Repositories section: a repository created without catalog data still returns an
    empty catalog (inferred; docs/aws-behaviour.md, section "Catalog data")."""
    created = client.create_repository(repositoryName=name)
    assert created["catalogData"] == {}
    response = client.get_repository_catalog_data(repositoryName=name)
    assert body(response) == {"catalogData": {}}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_get_catalog_with_explicit_registry_id(client):
    client.create_repository(repositoryName="app")
    response = client.get_repository_catalog_data(registryId=ACCOUNT, repositoryName="app")
    assert body(response) == {"catalogData": {}}


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
@pytest.mark.parametrize("name", ["missing", "team/missing"])
def test_get_catalog_unknown_repository(account, name):
    """RepositoryNotFound (real): ``The repository with name '<r>' does not exist in the
    registry with id '<id>'``."""
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
            client.get_repository_catalog_data(repositoryName=name)
        assert_error(excinfo, "RepositoryNotFoundException", repo_not_found(name, account))


# --------------------------------------------------------------------------------------
# PutRepositoryCatalogData
# --------------------------------------------------------------------------------------


def test_put_full_catalog(client):
    """docs/aws-behaviour.md, section "Catalog data": the logo blob comes back as a
    logoUrl on the CloudFront host; AWS leaves the rest undocumented, and the mock
    chooses no logoImageBlob and no marketplaceCertified in the output."""
    client.create_repository(repositoryName="app")
    put = client.put_repository_catalog_data(repositoryName="app", catalogData=FULL_INPUT)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(body(put)) == {"catalogData"}
    catalog = put["catalogData"]
    assert set(catalog) == {
        "description",
        "architectures",
        "operatingSystems",
        "aboutText",
        "usageText",
        "logoUrl",
    }
    assert set(catalog) <= OUTPUT_FIELDS
    assert LOGO_URL_RE.match(catalog["logoUrl"]), catalog["logoUrl"]
    assert catalog == expected_output(FULL_INPUT, catalog["logoUrl"])
    assert catalog_of(client) == {"catalogData": catalog}


@pytest.mark.parametrize(
    "field",
    ["description", "architectures", "operatingSystems", "aboutText", "usageText"],
)
def test_put_single_field(client, field):
    client.create_repository(repositoryName="app")
    catalog = {field: FULL_INPUT[field]}
    put = client.put_repository_catalog_data(repositoryName="app", catalogData=catalog)
    assert body(put) == {"catalogData": catalog}
    assert catalog_of(client) == {"catalogData": catalog}


def test_put_logo_only(client):
    client.create_repository(repositoryName="app")
    put = client.put_repository_catalog_data(
        repositoryName="app", catalogData={"logoImageBlob": PNG_BYTES}
    )
    assert set(put["catalogData"]) == {"logoUrl"}
    assert LOGO_URL_RE.match(put["catalogData"]["logoUrl"])
    assert catalog_of(client) == body(put)


def test_put_empty_catalog_clears(client):
    """AWS leaves this undocumented; the mock chooses: put replaces the whole catalog,
    so an empty one clears it."""
    client.create_repository(repositoryName="app", catalogData=FULL_INPUT)
    put = client.put_repository_catalog_data(repositoryName="app", catalogData={})
    assert body(put) == {"catalogData": {}}
    assert catalog_of(client) == {"catalogData": {}}


def test_put_replaces_whole_catalog(client):
    """AWS leaves this undocumented; the mock chooses: PutRepositoryCatalogData replaces
    the catalog; a field left out of the second put is gone."""
    client.create_repository(repositoryName="app")
    client.put_repository_catalog_data(
        repositoryName="app",
        catalogData={"description": "one", "architectures": ["ARM 64"], "logoImageBlob": b"L"},
    )
    put = client.put_repository_catalog_data(
        repositoryName="app", catalogData={"description": "two"}
    )
    assert body(put) == {"catalogData": {"description": "two"}}
    assert catalog_of(client) == {"catalogData": {"description": "two"}}


@pytest.mark.parametrize(
    "values",
    [
        ["ARM 64"],
        ["x86-64"],
        ["ARM", "ARM 64", "x86", "x86-64"],
        ["RISC-V"],
        ["anything at all", "ünïcødé"],
        ["a" * ITEM_MAX],
        [f"arch-{i}" for i in range(LIST_MAX)],
    ],
    ids=["arm64", "x86-64", "badges", "risc-v", "free", "item-max", "list-max"],
)
@pytest.mark.parametrize("field", ["architectures", "operatingSystems"])
def test_architectures_and_operating_systems_are_free_strings(client, field, values):
    """AWS docs (API reference, RepositoryCatalogDataInput): unsupported values are
    stored and returned, only not shown as badges; the model allows up to 50 items of
    1-50 characters."""
    client.create_repository(repositoryName="app")
    put = client.put_repository_catalog_data(repositoryName="app", catalogData={field: values})
    assert body(put) == {"catalogData": {field: values}}
    assert catalog_of(client) == {"catalogData": {field: values}}


def test_operating_systems_common_values(client):
    client.create_repository(repositoryName="app")
    catalog = {"operatingSystems": ["Linux", "Windows"], "architectures": ["RISC-V"]}
    client.put_repository_catalog_data(repositoryName="app", catalogData=catalog)
    assert catalog_of(client) == {"catalogData": catalog}


@pytest.mark.parametrize(
    ("field", "length"),
    [("description", DESCRIPTION_MAX), ("aboutText", ABOUT_MAX), ("usageText", USAGE_MAX)],
)
def test_text_fields_at_maximum(client, field, length):
    client.create_repository(repositoryName="app")
    catalog = {field: "x" * length}
    put = client.put_repository_catalog_data(repositoryName="app", catalogData=catalog)
    assert body(put) == {"catalogData": catalog}
    assert catalog_of(client) == {"catalogData": catalog}


def test_text_fields_keep_unicode_and_whitespace(client):
    client.create_repository(repositoryName="app")
    catalog = {
        "description": "  leading and trailing  ",
        "aboutText": "Ünïcødé 組織 🚀\n\ttabbed\r\n",
        "usageText": "",
    }
    put = client.put_repository_catalog_data(repositoryName="app", catalogData=catalog)
    assert body(put) == {"catalogData": catalog}
    assert catalog_of(client) == {"catalogData": catalog}


@pytest.mark.parametrize(
    "logo",
    [b"not a png at all", b"\x00" * 10, b"GIF89a....", b"x" * LOGO_MAX],
    ids=["text", "zeros", "gif", "max-size"],
)
def test_logo_is_not_checked_to_be_png(client, logo):
    """AWS leaves this undocumented; the mock chooses: no public evidence that the API
    checks the image format (the console asks for PNG); any bytes up to the model's
    512000 are accepted."""
    client.create_repository(repositoryName="app")
    put = client.put_repository_catalog_data(
        repositoryName="app", catalogData={"logoImageBlob": logo}
    )
    assert LOGO_URL_RE.match(put["catalogData"]["logoUrl"])
    assert catalog_of(client) == body(put)


def test_logo_url_is_stable_across_mocks():
    """docs/aws-behaviour.md, section "Where the mock chooses" (logo URLs): the same
    logo bytes in the same repository give the same URL in two separate mocks."""
    first = logo_url_for(PNG_BYTES)
    second = logo_url_for(PNG_BYTES)
    assert LOGO_URL_RE.match(first)
    assert first == second


def test_logo_url_is_stable_within_a_mock(client):
    client.create_repository(repositoryName="app")
    first = client.put_repository_catalog_data(
        repositoryName="app", catalogData={"logoImageBlob": PNG_BYTES}
    )["catalogData"]["logoUrl"]
    second = client.put_repository_catalog_data(
        repositoryName="app", catalogData={"logoImageBlob": PNG_BYTES, "description": "d"}
    )["catalogData"]["logoUrl"]
    assert first == second


@pytest.mark.parametrize("other", [PNG_BYTES + b"\x00", b"another logo", PNG_BYTES[:-1]])
def test_logo_url_differs_for_different_bytes(other):
    """docs/aws-behaviour.md, section "Where the mock chooses" (logo URLs): different
    logo bytes give a different URL."""
    assert logo_url_for(PNG_BYTES) != logo_url_for(other)


# --------------------------------------------------------------------------------------
# PutRepositoryCatalogData: limits (model) and failures
# --------------------------------------------------------------------------------------

TOO_LONG_LIST = [f"v{i}" for i in range(LIST_MAX + 1)]

INVALID_CATALOGS = [
    pytest.param(
        {"description": "x" * (DESCRIPTION_MAX + 1)},
        invalid(
            "catalogData.description",
            f"must have length less than or equal to {DESCRIPTION_MAX}",
        ),
        id="description",
    ),
    pytest.param(
        {"aboutText": "x" * (ABOUT_MAX + 1)},
        invalid("catalogData.aboutText", f"must have length less than or equal to {ABOUT_MAX}"),
        id="aboutText",
    ),
    pytest.param(
        {"usageText": "x" * (USAGE_MAX + 1)},
        invalid("catalogData.usageText", f"must have length less than or equal to {USAGE_MAX}"),
        id="usageText",
    ),
    pytest.param(
        {"architectures": ["ARM 64", "a" * (ITEM_MAX + 1)]},
        invalid(
            "catalogData.architectures",
            f"must satisfy constraint: [must have length less than or equal to {ITEM_MAX}]",
        ),
        id="architectures-item",
    ),
    pytest.param(
        {"architectures": TOO_LONG_LIST},
        invalid(
            "catalogData.architectures",
            f"Member must have length less than or equal to {LIST_MAX}",
        ),
        id="architectures-list",
    ),
    pytest.param(
        {"operatingSystems": ["b" * (ITEM_MAX + 1)]},
        invalid(
            "catalogData.operatingSystems",
            f"must satisfy constraint: [must have length less than or equal to {ITEM_MAX}]",
        ),
        id="operatingSystems-item",
    ),
    pytest.param(
        {"operatingSystems": TOO_LONG_LIST},
        invalid(
            "catalogData.operatingSystems",
            f"Member must have length less than or equal to {LIST_MAX}",
        ),
        id="operatingSystems-list",
    ),
    pytest.param(
        {"logoImageBlob": b"x" * (LOGO_MAX + 1)},
        invalid("catalogData.logoImageBlob", f"must have length less than or equal to {LOGO_MAX}"),
        id="logo",
    ),
    pytest.param(
        {"description": "fine", "logoImageBlob": PNG_BYTES * 8000},
        invalid("catalogData.logoImageBlob", f"must have length less than or equal to {LOGO_MAX}"),
        id="logo-with-valid-description",
    ),
]


@pytest.mark.parametrize("previous", [None, FULL_INPUT], ids=["no-previous", "previous"])
@pytest.mark.parametrize(("catalog", "message"), INVALID_CATALOGS)
def test_put_invalid_catalog(client, catalog, message, previous):
    """Service: maximums reach the server and answer InvalidParameterException in ECR's
    wording; AWS leaves the exact texts for these members undocumented, and the mock
    chooses them. A failed put changes nothing."""
    if previous is None:
        client.create_repository(repositoryName="app")
    else:
        client.create_repository(repositoryName="app", catalogData=previous)
    before = catalog_of(client)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.put_repository_catalog_data(repositoryName="app", catalogData=catalog)
    assert_error(excinfo, "InvalidParameterException", message)
    assert catalog_of(client) == before


@pytest.mark.parametrize("field", ["architectures", "operatingSystems"])
def test_empty_list_item_is_rejected_by_botocore(client, field):
    """Service: botocore checks minimums (items are 1-50 characters) itself."""
    client.create_repository(repositoryName="app")
    with pytest.raises(botocore.exceptions.ParamValidationError):
        client.put_repository_catalog_data(repositoryName="app", catalogData={field: [""]})
    assert catalog_of(client) == {"catalogData": {}}


@pytest.mark.parametrize("name", ["missing", "team/missing"])
def test_put_catalog_unknown_repository(client, name):
    """RepositoryNotFound (real text); nothing is created."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.put_repository_catalog_data(repositoryName=name, catalogData=FULL_INPUT)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found(name))
    assert [r["repositoryName"] for r in client.describe_repositories()["repositories"]] == ["app"]
    assert catalog_of(client) == {"catalogData": {}}


def test_catalogs_are_per_repository(client):
    client.create_repository(repositoryName="one")
    client.create_repository(repositoryName="two")
    client.put_repository_catalog_data(repositoryName="one", catalogData={"description": "1"})
    assert catalog_of(client, "one") == {"catalogData": {"description": "1"}}
    assert catalog_of(client, "two") == {"catalogData": {}}


def test_deleted_and_recreated_repository_has_empty_catalog(client):
    """AWS leaves this undocumented; the mock chooses: a re-created repository is a new
    repository."""
    client.create_repository(repositoryName="app", catalogData=FULL_INPUT)
    client.delete_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.get_repository_catalog_data(repositoryName="app")
    client.create_repository(repositoryName="app")
    assert catalog_of(client) == {"catalogData": {}}


# --------------------------------------------------------------------------------------
# CreateRepository(catalogData=...)
# --------------------------------------------------------------------------------------

CREATE_CATALOGS = [
    pytest.param(FULL_INPUT, id="full"),
    pytest.param({"description": "only a description"}, id="description"),
    pytest.param({"architectures": ["RISC-V"], "operatingSystems": ["Windows"]}, id="lists"),
    pytest.param({"logoImageBlob": b"no png check"}, id="logo"),
    pytest.param({}, id="empty"),
]


@pytest.mark.parametrize("catalog", CREATE_CATALOGS)
def test_create_with_catalog_matches_get(client, catalog):
    """AWS leaves this undocumented; the mock chooses: CreateRepository's catalogData
    goes through the same code as PutRepositoryCatalogData; its response equals what Get
    then answers."""
    created = client.create_repository(repositoryName="app", catalogData=catalog)
    out = created["catalogData"]
    if "logoImageBlob" in catalog:
        assert LOGO_URL_RE.match(out["logoUrl"])
        assert out == expected_output(catalog, out["logoUrl"])
    else:
        assert out == catalog
    assert "logoImageBlob" not in out
    assert "marketplaceCertified" not in out
    assert catalog_of(client) == {"catalogData": out}


def test_create_and_put_give_the_same_logo_url():
    """AWS leaves this undocumented; the mock chooses: one code path, so one URL for the
    same bytes in the same repository, whether the logo came with CreateRepository or a
    later put."""
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1")
        created = client.create_repository(
            repositoryName="app", catalogData={"logoImageBlob": PNG_BYTES}
        )
    assert created["catalogData"]["logoUrl"] == logo_url_for(PNG_BYTES)


def test_put_after_create_replaces_create_catalog(client):
    client.create_repository(repositoryName="app", catalogData=FULL_INPUT)
    put = client.put_repository_catalog_data(
        repositoryName="app", catalogData={"usageText": "run it"}
    )
    assert body(put) == {"catalogData": {"usageText": "run it"}}
    assert catalog_of(client) == {"catalogData": {"usageText": "run it"}}


@pytest.mark.parametrize(("catalog", "message"), INVALID_CATALOGS)
def test_create_with_invalid_catalog_creates_nothing(client, catalog, message):
    """Service: the same limits on CreateRepository; a failed create creates nothing."""
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_repository(repositoryName="app", catalogData=catalog)
    assert_error(excinfo, "InvalidParameterException", message)
    assert client.describe_repositories()["repositories"] == []
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.get_repository_catalog_data(repositoryName="app")


# --------------------------------------------------------------------------------------
# Region
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "method", "params"),
    [
        ("GetRepositoryCatalogData", "get_repository_catalog_data", {"repositoryName": "app"}),
        (
            "PutRepositoryCatalogData",
            "put_repository_catalog_data",
            {"repositoryName": "app", "catalogData": {"description": "west"}},
        ),
    ],
)
def test_catalog_operations_unsupported_in_us_west_2(client, operation, method, params):
    """Region section (real text); the failed put changes nothing."""
    client.create_repository(repositoryName="app", catalogData={"description": "east"})
    assert_unsupported_in_us_west_2(operation, method, **params)
    assert catalog_of(client) == {"catalogData": {"description": "east"}}
