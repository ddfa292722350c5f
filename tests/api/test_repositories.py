"""CreateRepository, DescribeRepositories and DeleteRepository against the mock.

Behaviours, messages and identifiers come from ``docs/aws-behaviour.md`` (sections
"Identifiers", "Repositories", "Describe and pagination" and "Quotas"); constraints come
from botocore's own model.
"""

import datetime as dt
import re

import boto3
import botocore.exceptions
import botocore.session
import pytest
from _support import ACCOUNT, MODEL, assert_error, invalid, repo_not_found
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrpublic_mock import EcrPublicMock, mock_ecr_public

NAME_SHAPE = MODEL.operation_model("CreateRepository").input_shape.members["repositoryName"]
NAME_PATTERN = NAME_SHAPE.metadata["pattern"]
NAME_MAX = NAME_SHAPE.metadata["max"]
ALIAS_RE = re.compile(r"^[a-z][0-9][a-z][0-9][a-z][0-9][a-z][0-9]$")
# The Repository output shape's members. The mock always renders the five of botocore
# 1.29's model (API_Repository.html: ARN, registry id, name, URI, creation time); later
# models add optional ones, such as ``associatedRepositories``, which the mock renders
# only for a repository that has an association.
REPOSITORY_FIELDS = set(MODEL.shape_for("Repository").members)
REPOSITORY_ALWAYS = {"repositoryArn", "registryId", "repositoryName", "repositoryUri", "createdAt"}


def all_repositories(client):
    """Every repository in the registry, walked with the paginator, sorted by name."""
    items = []
    for page in client.get_paginator("describe_repositories").paginate():
        items.extend(page["repositories"])
    return sorted(items, key=lambda r: r["repositoryName"])


def names_of(repositories):
    return [r["repositoryName"] for r in repositories]


def assert_repository_fields(repo):
    """A Repository renders the members it always has, and only members of the model."""
    assert REPOSITORY_ALWAYS <= REPOSITORY_FIELDS
    assert set(repo) >= REPOSITORY_ALWAYS, sorted(REPOSITORY_ALWAYS - set(repo))
    assert set(repo) <= REPOSITORY_FIELDS, sorted(set(repo) - REPOSITORY_FIELDS)


def names_on_later_pages(client, page_size, token):
    """Repository names on the pages from ``token`` on, following nextToken to the end."""
    names = []
    while token is not None:
        response = client.describe_repositories(maxResults=page_size, nextToken=token)
        names.extend(names_of(response["repositories"]))
        token = response.get("nextToken")
    return names


# --------------------------------------------------------------------------------------
# CreateRepository: response shape and identifiers
# --------------------------------------------------------------------------------------


def test_create_returns_repository_shape(ecr, client):
    """Identifiers section: ARN with an empty region field, URI on the registry's default
    alias, registryId = account; CreateRepository without catalog data answers
    ``"catalogData": {}``; createdAt is the creation instant."""
    with freeze_time("2024-01-02 03:04:05"):
        response = client.create_repository(repositoryName="app")
    repo = response["repository"]
    assert_repository_fields(repo)
    assert repo["registryId"] == ACCOUNT
    assert repo["repositoryName"] == "app"
    assert repo["repositoryArn"] == f"arn:aws:ecr-public::{ACCOUNT}:repository/app"
    assert repo["repositoryUri"] == f"public.ecr.aws/{ecr.registry_alias}/app"
    assert isinstance(repo["createdAt"], dt.datetime)
    assert repo["createdAt"] == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert response["catalogData"] == {}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_handle_type(ecr):
    assert isinstance(ecr, EcrPublicMock)


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333", "000000000001"])
def test_registry_alias_format(account):
    """Identifiers: the default alias is 8 characters alternating letter and digit
    (seen: ``l4w8c3b8``, ``p8v8e7e5``, ``k5n6o2s4``)."""
    with mock_ecr_public(account_id=account) as ecr:
        assert ALIAS_RE.match(ecr.registry_alias), ecr.registry_alias


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
def test_registry_alias_is_deterministic_per_account(account):
    """Identifiers: the mock derives the alias from the account id, so URIs are stable
    from run to run (two separate mocks, same account, same alias and URI)."""
    with mock_ecr_public(account_id=account) as first:
        client = boto3.client("ecr-public", region_name="us-east-1")
        uri_first = client.create_repository(repositoryName="app")["repository"]["repositoryUri"]
        alias_first = first.registry_alias
    with mock_ecr_public(account_id=account) as second:
        client = boto3.client("ecr-public", region_name="us-east-1")
        uri_second = client.create_repository(repositoryName="app")["repository"]["repositoryUri"]
        alias_second = second.registry_alias
    assert alias_first == alias_second
    assert uri_first == uri_second == f"public.ecr.aws/{alias_first}/app"


def test_default_account_alias_equals_explicit_default():
    with mock_ecr_public() as implicit:
        alias_implicit = implicit.registry_alias
    with mock_ecr_public(account_id=ACCOUNT) as explicit:
        alias_explicit = explicit.registry_alias
    assert alias_implicit == alias_explicit


@pytest.mark.parametrize("account", ["111122223333", "999999999999", "000000000001"])
def test_other_account_changes_alias_and_identifiers(account):
    """Registry id = the account id; the alias differs from the default account's."""
    with mock_ecr_public() as default:
        default_alias = default.registry_alias
    with mock_ecr_public(account_id=account) as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        repo = client.create_repository(repositoryName="team/app")["repository"]
        assert ecr.registry_alias != default_alias
        assert ALIAS_RE.match(ecr.registry_alias)
        assert repo["registryId"] == account
        assert repo["repositoryArn"] == f"arn:aws:ecr-public::{account}:repository/team/app"
        assert repo["repositoryUri"] == f"public.ecr.aws/{ecr.registry_alias}/team/app"


# --------------------------------------------------------------------------------------
# CreateRepository: names
# --------------------------------------------------------------------------------------

# Names whose verdict is the installed model's pattern. botocore 1.29's
# ``(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`` allows one separator
# between components; later models' ``[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/...)*`` also
# allow ``__`` and runs of ``-``. Each is accepted or refused as the installed model's
# pattern says.
MODEL_DEPENDENT_NAMES = ["a--b", "a__b", "a---b", "team/a__b-c", "a__b--c/d"]
ACCEPTED_BY_MODEL = [name for name in MODEL_DEPENDENT_NAMES if re.fullmatch(NAME_PATTERN, name)]
REFUSED_BY_MODEL = [name for name in MODEL_DEPENDENT_NAMES if not re.fullmatch(NAME_PATTERN, name)]

VALID_NAMES = [
    "ab",
    "a1",
    "0a",
    "app",
    "team/app",
    "team/sub/app",
    "my.app",
    "my-app",
    "my_app",
    "a.b-c_d/e-f.g_h",
    "v1.2.3",
    "a" * NAME_MAX,
    ("team/" * 40) + "a" * (NAME_MAX - 200),
    *ACCEPTED_BY_MODEL,
]


@pytest.mark.parametrize("name", VALID_NAMES, ids=lambda n: n if len(n) < 30 else f"len{len(n)}")
def test_create_accepts_valid_names(ecr, client, name):
    assert re.fullmatch(NAME_PATTERN, name)  # the case is valid
    assert 2 <= len(name) <= NAME_MAX
    repo = client.create_repository(repositoryName=name)["repository"]
    assert repo["repositoryName"] == name
    assert repo["repositoryArn"] == f"arn:aws:ecr-public::{ACCOUNT}:repository/{name}"
    assert repo["repositoryUri"] == f"public.ecr.aws/{ecr.registry_alias}/{name}"
    assert names_of(all_repositories(client)) == [name]


def test_create_one_char_name_is_rejected_by_botocore(client):
    """The model's ``min: 2`` is checked client-side by botocore (docs/aws-behaviour.md,
    section "Validation": botocore validates required members, types and minimums)."""
    with pytest.raises(botocore.exceptions.ParamValidationError):
        client.create_repository(repositoryName="a")
    assert all_repositories(client) == []


def assert_name_rejected(client, name, constraint):
    """CreateRepository ``name`` is InvalidParameterException at 'repositoryName' failing
    ``constraint``, and the registry is unchanged."""
    client.create_repository(repositoryName="keep")
    before = all_repositories(client)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_repository(repositoryName=name)
    assert_error(excinfo, "InvalidParameterException", invalid("repositoryName", constraint))
    assert all_repositories(client) == before


@pytest.mark.parametrize(
    "name",
    ["a" * (NAME_MAX + 1), ("team/" * 41) + "a", "a" * 300],
    ids=["206-a", "206-slashes", "300-a"],
)
def test_create_too_long_name(client, name):
    """docs/aws-behaviour.md, section "Validation": ``Invalid parameter at
    'repositoryName' failed to satisfy constraint: 'must have length less than or equal
    to 205'``."""
    assert_name_rejected(client, name, f"must have length less than or equal to {NAME_MAX}")


INVALID_PATTERN_NAMES = [
    "App",
    "UPPER",
    "team/App",
    "-lead",
    "trail-",
    ".dot",
    "dot.",
    "_under",
    "under_",
    "a..b",
    "a._b",
    "a___b",
    "a_-b",
    "a-_b",
    "a__",
    "__a",
    "a//b",
    "/ab",
    "ab/",
    "a b",
    "a@b",
    "a:b",
    "ab\u00e9",
    "team/-app",
    *REFUSED_BY_MODEL,
]


@pytest.mark.parametrize("name", INVALID_PATTERN_NAMES)
def test_create_name_violating_pattern(client, name):
    """docs/aws-behaviour.md, section "Validation": ``... 'must satisfy regular
    expression '<pattern>''`` with the model's own pattern."""
    assert re.fullmatch(NAME_PATTERN, name) is None  # the case really violates the pattern
    assert_name_rejected(client, name, f"must satisfy regular expression '{NAME_PATTERN}'")


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.from_regex(NAME_PATTERN, fullmatch=True).filter(lambda n: 2 <= len(n) <= NAME_MAX))
def test_every_name_matching_the_model_is_accepted(name):
    """Any name the model's pattern and lengths allow is created and found again."""
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        repo = client.create_repository(repositoryName=name)["repository"]
        assert repo["repositoryUri"] == f"public.ecr.aws/{ecr.registry_alias}/{name}"
        found = client.describe_repositories(repositoryNames=[name])["repositories"]
        assert found == [repo]


# --------------------------------------------------------------------------------------
# CreateRepository: conflicts, quota, optional members
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
@pytest.mark.parametrize("name", ["app", "team/app"])
def test_create_existing_repository(account, name):
    """docs/aws-behaviour.md, section "Repositories" (real text): ``The repository with
    name '<r>' already exists in the registry with id '<id>'``; the first repository is
    left as it was."""
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        with freeze_time("2024-01-02 03:04:05"):
            client.create_repository(repositoryName=name)
        before = all_repositories(client)
        with (
            freeze_time("2025-06-07 08:09:10"),
            pytest.raises(client.exceptions.RepositoryAlreadyExistsException) as excinfo,
        ):
            client.create_repository(repositoryName=name, catalogData={"description": "new"})
        assert_error(
            excinfo,
            "RepositoryAlreadyExistsException",
            f"The repository with name '{name}' already exists in the registry with id '{account}'",
        )
        assert all_repositories(client) == before
        assert before[0]["createdAt"] == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_create_beyond_repository_quota(limit):
    """Quotas: repositories per registry (a setting, ``max_repositories``); reaching it is
    ``LimitExceededException`` and creates nothing."""
    with mock_ecr_public(max_repositories=limit):
        client = boto3.client("ecr-public", region_name="us-east-1")
        for i in range(limit):
            client.create_repository(repositoryName=f"repo-{i}")
        before = all_repositories(client)
        with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
            client.create_repository(repositoryName="one-too-many")
        assert_error(excinfo, "LimitExceededException")
        assert all_repositories(client) == before
        assert len(before) == limit


def test_repository_quota_counts_current_repositories():
    """The quota bounds the repositories that exist: deleting one frees a slot."""
    with mock_ecr_public(max_repositories=2):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="one")
        client.create_repository(repositoryName="two")
        with pytest.raises(client.exceptions.LimitExceededException):
            client.create_repository(repositoryName="three")
        client.delete_repository(repositoryName="one")
        client.create_repository(repositoryName="three")
        assert names_of(all_repositories(client)) == ["three", "two"]


@pytest.mark.parametrize(
    "tags",
    [
        [{"Key": "k", "Value": "v"}],
        [{"Key": "team", "Value": "a"}, {"Key": "env", "Value": ""}],
        [],
    ],
    ids=["one", "two", "none"],
)
def test_create_with_tags(client, tags):
    """CreateRepository accepts resource tags; they are the repository's tags."""
    repo = client.create_repository(repositoryName="tagged", tags=tags)["repository"]
    assert repo["repositoryName"] == "tagged"
    assert names_of(all_repositories(client)) == ["tagged"]
    listed = client.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]
    assert sorted(listed, key=lambda t: t["Key"]) == sorted(tags, key=lambda t: t["Key"])


@pytest.mark.parametrize(
    "catalog",
    [
        {"description": "d"},
        {"description": "d", "architectures": ["x86-64", "ARM 64"], "operatingSystems": ["Linux"]},
        {"aboutText": "# About", "usageText": "docker pull ..."},
    ],
    ids=["description", "platforms", "texts"],
)
def test_create_with_catalog_data(client, catalog):
    response = client.create_repository(repositoryName="cataloged", catalogData=catalog)
    assert isinstance(response["catalogData"], dict)
    assert response["repository"]["repositoryName"] == "cataloged"
    assert names_of(all_repositories(client)) == ["cataloged"]


# --------------------------------------------------------------------------------------
# DescribeRepositories
# --------------------------------------------------------------------------------------


def test_describe_empty_registry(client):
    response = client.describe_repositories()
    assert response["repositories"] == []
    assert "nextToken" not in response


def test_describe_all_equals_created(client):
    """Each entry of DescribeRepositories is the repository CreateRepository returned."""
    created = [
        client.create_repository(repositoryName=name)["repository"]
        for name in ["zeta", "alpha", "team/mid", "beta.app"]
    ]
    response = client.describe_repositories()
    assert "nextToken" not in response
    assert sorted(response["repositories"], key=lambda r: r["repositoryName"]) == sorted(
        created, key=lambda r: r["repositoryName"]
    )


@pytest.mark.parametrize(
    "wanted",
    [["alpha"], ["gamma", "alpha"], ["team/app", "beta", "gamma", "alpha"]],
    ids=["one", "two", "all"],
)
def test_describe_by_names(client, wanted):
    created = {
        name: client.create_repository(repositoryName=name)["repository"]
        for name in ["alpha", "beta", "gamma", "team/app"]
    }
    found = client.describe_repositories(repositoryNames=wanted)["repositories"]
    assert len(found) == len(wanted)
    assert {r["repositoryName"] for r in found} == set(wanted)
    for repo in found:
        assert repo == created[repo["repositoryName"]]


@pytest.mark.parametrize("position", [0, 1, 2])
def test_describe_by_names_with_unknown(client, position):
    """docs/aws-behaviour.md, section "Describe and pagination": DescribeRepositories
    with ``repositoryNames``, one unknown: ``RepositoryNotFoundException`` (real
    text)."""
    client.create_repository(repositoryName="alpha")
    client.create_repository(repositoryName="beta")
    wanted = ["alpha", "beta"]
    wanted.insert(position, "missing")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.describe_repositories(repositoryNames=wanted)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("missing"))
    assert names_of(all_repositories(client)) == ["alpha", "beta"]


def test_describe_by_name_in_empty_registry(client):
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.describe_repositories(repositoryNames=["team/app"])
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("team/app"))


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
def test_describe_with_own_registry_id(account):
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        repo = client.create_repository(repositoryName="app")["repository"]
        assert client.describe_repositories(registryId=account)["repositories"] == [repo]
        found = client.describe_repositories(registryId=account, repositoryNames=["app"])
        assert found["repositories"] == [repo]


def test_describe_unknown_name_with_custom_account():
    with mock_ecr_public(account_id="111122223333"):
        client = boto3.client("ecr-public", region_name="us-east-1")
        with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
            client.describe_repositories(repositoryNames=["nope"])
        assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("nope", "111122223333"))


def make_repositories(client, count):
    names = [f"repo-{i:03d}" for i in range(count)]
    for name in names:
        client.create_repository(repositoryName=name)
    return names


def pages_of(client, **kwargs):
    """Follow nextToken by hand; return the list of pages (each a list of names)."""
    pages = []
    token = None
    while True:
        call = dict(kwargs)
        if token is not None:
            call["nextToken"] = token
        response = client.describe_repositories(**call)
        pages.append(names_of(response["repositories"]))
        token = response.get("nextToken")
        if token is None:
            return pages
        assert isinstance(token, str)
        assert token
        assert len(pages) < 1000, "pagination does not end"


@pytest.mark.parametrize(
    ("count", "page_size", "expected_sizes"),
    [
        (25, 10, [10, 10, 5]),
        (25, 1, [1] * 25),
        (25, 7, [7, 7, 7, 4]),
        (25, 25, [25]),
        (25, 1000, [25]),
        (20, 10, [10, 10]),
    ],
)
def test_describe_pagination(client, count, page_size, expected_sizes):
    """docs/aws-behaviour.md, section "Describe and pagination": ``maxResults`` 1-1000,
    ``nextToken`` opaque, absent on the last page; no item lost or repeated."""
    names = make_repositories(client, count)
    pages = pages_of(client, maxResults=page_size)
    # A last page may legitimately be followed by no token; an extra empty page is wrong.
    assert [len(p) for p in pages] == expected_sizes
    flat = [n for p in pages for n in p]
    assert len(flat) == len(set(flat))
    assert set(flat) == set(names)


def test_describe_default_page_is_100(client):
    """docs/aws-behaviour.md, section "Describe and pagination": default page 100."""
    names = make_repositories(client, 101)
    first = client.describe_repositories()
    assert len(first["repositories"]) == 100
    assert first["nextToken"]
    second = client.describe_repositories(nextToken=first["nextToken"])
    assert len(second["repositories"]) == 1
    assert "nextToken" not in second
    assert set(names_of(first["repositories"] + second["repositories"])) == set(names)


MUTATIONS = {
    "create-first": ("create", "000-new"),
    "create-middle": ("create", "repo-012a"),
    "create-last": ("create", "zzz-new"),
    "delete-seen": ("delete", "repo-003"),
    "delete-unseen": ("delete", "repo-020"),
    "delete-boundary": ("delete", "repo-009"),
    "delete-next": ("delete", "repo-010"),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("page_size", [10, 3])
def test_describe_pagination_survives_changes(client, mutation, page_size):
    """docs/aws-behaviour.md, section "Describe and pagination": a page boundary never
    loses or repeats an item, even if the collection changes between pages."""
    names = make_repositories(client, 25)
    action, target = MUTATIONS[mutation]
    first = client.describe_repositories(maxResults=page_size)
    seen = names_of(first["repositories"])
    if action == "create":
        client.create_repository(repositoryName=target)
        throughout = set(names)
    else:
        client.delete_repository(repositoryName=target)
        throughout = set(names) - {target}
    seen.extend(names_on_later_pages(client, page_size, first["nextToken"]))
    assert len(seen) == len(set(seen)), "a repository was repeated"
    assert throughout <= set(seen), f"lost: {sorted(throughout - set(seen))}"


@pytest.mark.parametrize("page_size", [10, 1, 100])
def test_describe_pagination_survives_mass_changes(client, page_size):
    """Same rule with many deletions and creations between two pages (enough to make any
    internal index rebuild itself)."""
    names = make_repositories(client, 200)
    first = client.describe_repositories(maxResults=page_size)
    seen = names_of(first["repositories"])
    deleted = {name for i, name in enumerate(names) if i % 4 != 0}
    for name in sorted(deleted):
        client.delete_repository(repositoryName=name)
    for i in range(5):
        client.create_repository(repositoryName=f"late-{i}")
    seen.extend(names_on_later_pages(client, page_size, first["nextToken"]))
    assert len(seen) == len(set(seen)), "a repository was repeated"
    throughout = set(names) - deleted
    assert throughout <= set(seen), f"lost: {sorted(throughout - set(seen))}"
    assert set(seen) <= set(names) | {f"late-{i}" for i in range(5)}


@pytest.mark.parametrize("extra", ["maxResults", "nextToken"])
def test_describe_page_parameters_with_names(client, extra):
    """docs/aws-behaviour.md, section "Describe and pagination": ``maxResults`` or
    ``nextToken`` together with ``repositoryNames`` is an
    ``InvalidParameterException``."""
    make_repositories(client, 3)
    before = all_repositories(client)
    if extra == "maxResults":
        kwargs = {"maxResults": 1}
    else:
        kwargs = {"nextToken": client.describe_repositories(maxResults=1)["nextToken"]}
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_repositories(repositoryNames=["repo-000"], **kwargs)
    assert_error(excinfo, "InvalidParameterException")
    assert all_repositories(client) == before


@pytest.mark.parametrize("value", [1001, 5000, 2**31 - 1])
def test_describe_max_results_above_1000(client, value):
    make_repositories(client, 2)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_repositories(maxResults=value)
    assert_error(
        excinfo,
        "InvalidParameterException",
        "Invalid parameter at 'maxResults' failed to satisfy constraint: "
        "'Member must have value less than or equal to 1000'",
    )


def test_describe_max_results_zero_is_rejected_by_botocore(client):
    with pytest.raises(botocore.exceptions.ParamValidationError):
        client.describe_repositories(maxResults=0)


@pytest.mark.parametrize(
    ("page_size", "expected_sizes"), [(10, [10, 10, 5]), (25, [25]), (4, [4] * 6 + [1])]
)
def test_paginator_page_size(client, page_size, expected_sizes):
    names = make_repositories(client, 25)
    pages = list(
        client.get_paginator("describe_repositories").paginate(
            PaginationConfig={"PageSize": page_size}
        )
    )
    assert [len(p["repositories"]) for p in pages] == expected_sizes
    flat = [r["repositoryName"] for p in pages for r in p["repositories"]]
    assert sorted(flat) == names


def test_paginator_max_items_and_resume(client):
    names = make_repositories(client, 25)
    paginator = client.get_paginator("describe_repositories")
    first = paginator.paginate(
        PaginationConfig={"PageSize": 10, "MaxItems": 15}
    ).build_full_result()
    assert len(first["repositories"]) == 15
    rest = paginator.paginate(
        PaginationConfig={"PageSize": 10, "StartingToken": first["NextToken"]}
    ).build_full_result()
    flat = names_of(first["repositories"]) + names_of(rest["repositories"])
    assert len(flat) == len(set(flat)) == 25
    assert sorted(flat) == names


# --------------------------------------------------------------------------------------
# DeleteRepository
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["app", "team/app", "a.b-c_d"])
def test_delete_returns_deleted_repository(client, name):
    created = client.create_repository(repositoryName=name)["repository"]
    client.create_repository(repositoryName="other")
    response = client.delete_repository(repositoryName=name)
    assert response["repository"] == created
    assert_repository_fields(response["repository"])
    assert names_of(all_repositories(client)) == ["other"]
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.describe_repositories(repositoryNames=[name])


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
def test_delete_with_registry_id_and_force(account):
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="one")
        client.create_repository(repositoryName="two")
        deleted = client.delete_repository(repositoryName="one", registryId=account)
        assert deleted["repository"]["repositoryName"] == "one"
        assert deleted["repository"]["registryId"] == account
        client.delete_repository(repositoryName="two", force=True)
        assert all_repositories(client) == []


@pytest.mark.parametrize("account", [ACCOUNT, "111122223333"])
@pytest.mark.parametrize("name", ["missing", "team/missing"])
def test_delete_unknown_repository(account, name):
    """docs/aws-behaviour.md, section "Repositories" (real text):
    RepositoryNotFoundException."""
    with mock_ecr_public(account_id=account):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="keep")
        before = all_repositories(client)
        with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
            client.delete_repository(repositoryName=name)
        assert_error(excinfo, "RepositoryNotFoundException", repo_not_found(name, account))
        assert all_repositories(client) == before


def test_delete_twice(client):
    client.create_repository(repositoryName="app")
    client.delete_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.delete_repository(repositoryName="app")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))
    assert all_repositories(client) == []


def test_name_reusable_after_delete(client):
    """A deleted name can be created again; the new repository is a new one (its own
    creation time)."""
    with freeze_time("2024-01-02 03:04:05"):
        client.create_repository(repositoryName="app", catalogData={"description": "old"})
    client.delete_repository(repositoryName="app")
    with freeze_time("2024-05-06 07:08:09"):
        again = client.create_repository(repositoryName="app")
    assert again["repository"]["createdAt"] == dt.datetime(
        2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc
    )
    assert again["catalogData"] == {}
    assert all_repositories(client) == [again["repository"]]


def test_state_is_fresh_per_mock():
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1")
        assert client.describe_repositories()["repositories"] == []
