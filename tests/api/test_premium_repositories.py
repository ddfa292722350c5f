"""Premium repositories: CreatePremiumRepository, DescribePremiumRepositories,
DeletePremiumRepository, SetRepositoryState, PutPremiumRepositoryProducts, the premium
policies and catalog data, Associate/DisassociateRepositories, DescribeRegistries and
PutRegistryCatalogData with the registry options, resource tags on premium ARNs, pushes
with ``repositoryType`` and BatchDeleteImage in premium repositories.

Sources: botocore 1.44.18's model (the operations' documentation, quoted per test), and
where AWS leaves a point undocumented (every text: the model documents the codes but
quotes no message), the mock's choice (docs/aws-behaviour.md, section "Premium
repositories"; the texts in ecrpublic_mock/_core/messages.py,
copied here as literals).
"""

from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest
from _manifests import (
    HELM_CONFIG,
    OCI_CONFIG,
    OCI_LAYER,
    OCI_MANIFEST,
    config_blob,
    descriptor,
    upload,
)
from _support import (
    ACCOUNT,
    MODEL,
    PREMIUM_MODEL,
    PREMIUM_MODULE,
    assert_error,
    body,
    invalid,
    repo_not_found,
)
from botocore.config import Config
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public

pytestmark = PREMIUM_MODULE
# The four combinations of the publisher's prerequisites, each a mock of its own.
OPTION_COMBINATIONS = [
    pytest.param(
        verified,
        alias,
        marks=pytest.mark.ecr_public(registry_verified=verified, registry_alias=alias),
        id=name,
    )
    for verified, alias, name in (
        (False, None, "defaults"),
        (True, None, "verified"),
        (False, "acme", "alias"),
        (True, "acme", "verified-alias"),
    )
]

ALIAS = "acme"
PREMIUM = {"repositoryType": "PREMIUM"}
FREE = {"repositoryType": "FREE"}
UTC = dt.timezone.utc
NO_RETRY = Config(retries={"total_max_attempts": 1})

PREMIUM_NOT_ENABLED = (
    "The registry must be verified and have an approved custom registry alias to create "
    "premium repositories"
)
DUPLICATE_PRODUCTS = invalid("marketplaceProducts", "must not contain duplicates")
MUST_BE_PREMIUM = invalid("repositoryType", "must be PREMIUM")
TYPES_MUST_DIFFER = invalid("associatedRepositoryType", "must differ from repositoryType")
STATES = ("DRAFT", "AVAILABLE", "HIDDEN")
ALLOWED_MOVES = {("DRAFT", "AVAILABLE"), ("AVAILABLE", "HIDDEN"), ("HIDDEN", "AVAILABLE")}
# How to reach each state from DRAFT with allowed moves.
PATH_TO = {"DRAFT": (), "AVAILABLE": ("AVAILABLE",), "HIDDEN": ("AVAILABLE", "HIDDEN")}
# Read only where the model has premium repositories (an older one skips the module).
PREMIUM_REPOSITORY_MEMBERS = (
    set(MODEL.shape_for("PremiumRepository").members) if PREMIUM_MODEL else set()
)


def default_alias(account: str = ACCOUNT) -> str:
    """The registry's generated alias, as a mock without a custom alias shows it."""
    with mock_ecr_public(account_id=account) as plain:
        return plain.registry_alias


def premium_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:ecr-public::{account}:premium-repository/{name}"


def already_exists(name: str) -> str:
    return f"The repository with name '{name}' already exists in the registry with id '{ACCOUNT}'"


def not_empty(name: str) -> str:
    return (
        f"The repository with name '{name}' in registry with id '{ACCOUNT}' "
        "cannot be deleted because it still contains images"
    )


def state_change(old: str, new: str) -> str:
    return invalid("state", f"cannot change from {old} to {new}")


def products_removed(*missing: str) -> str:
    return invalid(
        "marketplaceProducts",
        "products can only be removed while the repository is DRAFT: missing "
        f"[{', '.join(missing)}]",
    )


def catalog_not_found(name: str) -> str:
    return (
        f"The catalog data for the repository with name '{name}' in the registry with id "
        f"'{ACCOUNT}' does not exist"
    )


def association_exists(name: str, kind: str) -> str:
    return (
        f"The repository with name '{name}' of type {kind} is already associated with a repository"
    )


def association_not_found(name: str, kind: str, other: str, other_kind: str) -> str:
    return f"The repositories '{name}' ({kind}) and '{other}' ({other_kind}) are not associated"


def deletion_not_allowed(name: str) -> str:
    return (
        f"The images in the repository with name '{name}' can't be deleted directly because "
        "the premium repository is no longer in the DRAFT state; deprecate them with "
        "SetImageStatus"
    )


def no_policy(name: str) -> str:
    return (
        f"Repository policy does not exist for the repository with name '{name}' in the "
        f"registry with id '{ACCOUNT}'"
    )


def create(client, name: str = "app", products=("prod-1",), **extra) -> dict:
    return client.create_premium_repository(
        repositoryName=name, marketplaceProducts=list(products), **extra
    )


def move_to_state(client, name: str, state: str) -> None:
    for step in PATH_TO[state]:
        client.set_repository_state(repositoryName=name, repositoryType="PREMIUM", state=step)


def described(client, name: str = "app") -> dict:
    [repo] = client.describe_premium_repositories(repositoryNames=[name])["repositories"]
    return repo


def free_described(client, name: str) -> dict:
    [repo] = client.describe_repositories(repositoryNames=[name])["repositories"]
    return repo


def premium_digests(client, name: str = "app") -> list[str]:
    details = client.describe_images(repositoryName=name, repositoryType="PREMIUM")
    return [d["imageDigest"] for d in details["imageDetails"]]


def allow_policy() -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AllowPull",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["ecr-public:BatchCheckLayerAvailability"],
                }
            ],
        }
    )


# --------------------------------------------------------------------------------------
# CreatePremiumRepository: the publisher's prerequisites
# --------------------------------------------------------------------------------------


def test_prerequisites_are_off_by_default(ecr):
    """botocore 1.44.18's model: CreatePremiumRepository "Your registry must be verified
    and have an approved custom registry alias; otherwise, the request fails with
    ValidationException". The mock's options default to a new account's registry: not
    verified, no custom alias (the text is the mock's choice)."""
    with mock_ecr_public() as plain:
        client = boto3.client("ecr-public", region_name="us-east-1")
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            create(client)
        assert_error(excinfo, "ValidationException", PREMIUM_NOT_ENABLED)
        assert client.describe_premium_repositories()["repositories"] == []
        assert dict(plain.premium_repositories) == {}


@pytest.mark.parametrize(("verified", "alias"), OPTION_COMBINATIONS)
def test_prerequisite_combinations(ecr, client, verified, alias):
    """botocore 1.44.18's model: CreatePremiumRepository needs both a verified registry
    and an approved custom alias (ValidationException otherwise); the repository starts
    in DRAFT. The mock's options ``registry_verified`` and ``registry_alias``."""
    if not (verified and alias):
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            create(client)
        assert_error(excinfo, "ValidationException", PREMIUM_NOT_ENABLED)
        assert client.describe_premium_repositories()["repositories"] == []
        return
    created = create(client)["premiumRepository"]
    assert created["state"] == "DRAFT"
    assert created["repositoryUri"] == f"public.ecr.aws/premium/{alias}/app"
    assert [
        r["repositoryName"] for r in client.describe_premium_repositories()["repositories"]
    ] == ["app"]


# --------------------------------------------------------------------------------------
# CreatePremiumRepository: the request and the answer
# --------------------------------------------------------------------------------------


def test_create_answer_shape(ecr, client):
    """botocore 1.44.18's model: the answer is premiumRepository and catalogData; the
    repository "starts in the DRAFT state". The mock answers the products as sent, a
    createdAt to the millisecond (as CreateRepository), the premium ARN and URI
    (docs/aws-behaviour.md, section "Premium repositories")."""
    with freeze_time("2024-05-06 07:08:09.123456"):
        response = create(client, products=("prod-b", "prod-a"))
    assert body(response) == {
        "premiumRepository": {
            "repositoryArn": premium_arn("app"),
            "registryId": ACCOUNT,
            "repositoryName": "app",
            "repositoryUri": "public.ecr.aws/premium/acme/app",
            "createdAt": dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC),
            "marketplaceProducts": ["prod-b", "prod-a"],
            "state": "DRAFT",
        },
        "catalogData": {},
    }
    assert set(response["premiumRepository"]) <= PREMIUM_REPOSITORY_MEMBERS
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize("name", ["app", "team/app", "a" * 205, "team/sub/web-app_1.2"])
def test_arn_and_uri_forms(ecr, client, name):
    """botocore 1.44.18's model, PremiumRepository.repositoryArn: "The ARN has the format
    arn:aws:ecr-public::012345678910:premium-repository/repository-name"; the URI
    ``public.ecr.aws/premium/<alias>/<name>`` is the mock's choice (docs/aws-behaviour.md,
    section "Premium repositories"), matching DescribeRegistries' premiumRegistryUri."""
    created = create(client, name)["premiumRepository"]
    assert created["repositoryArn"] == premium_arn(name)
    assert created["repositoryUri"] == f"public.ecr.aws/premium/acme/{name}"
    registry = client.describe_registries()["registries"][0]
    assert created["repositoryUri"] == f"{registry['premiumRegistryUri']}/{name}"
    assert described(client, name) == created
    view = ecr.premium_repositories[name]
    assert (view.arn, view.uri) == (created["repositoryArn"], created["repositoryUri"])
    assert view.repository_type == "PREMIUM"


@pytest.mark.ecr_public(account_id="111122223333")
def test_arn_names_the_account(ecr, client):
    """botocore 1.44.18's model: the premium ARN carries the account id."""
    created = create(client)["premiumRepository"]
    assert created["repositoryArn"] == premium_arn("app", "111122223333")
    assert created["registryId"] == "111122223333"


@pytest.mark.parametrize(
    "products",
    [("p1", "p1"), ("p1", "p2", "p1"), ("a", "b", "c", "d", "d")],
)
def test_create_with_duplicate_products(ecr, client, products):
    """botocore 1.44.18's model, marketplaceProducts: "You can't specify the same product
    ID more than once." The text is the mock's choice."""
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        create(client, products=products)
    assert_error(excinfo, "InvalidParameterException", DUPLICATE_PRODUCTS)
    assert client.describe_premium_repositories()["repositories"] == []


def test_create_name_taken(ecr, client):
    """botocore 1.44.18's model declares RepositoryAlreadyExistsException; the mock uses
    CreateRepository's text. The first repository is unchanged."""
    first = create(client, products=("p1",))["premiumRepository"]
    with pytest.raises(client.exceptions.RepositoryAlreadyExistsException) as excinfo:
        create(client, products=("p2",))
    assert_error(excinfo, "RepositoryAlreadyExistsException", already_exists("app"))
    assert client.describe_premium_repositories()["repositories"] == [first]


def test_same_name_as_a_free_repository(ecr, client):
    """botocore 1.44.18's model, repositoryName: "You can give a premium repository the
    same name as a free repository in the same registry." Two namespaces: each listing
    shows its own kind."""
    free = client.create_repository(repositoryName="app")["repository"]
    premium = create(client)["premiumRepository"]
    assert free["repositoryArn"] == f"arn:aws:ecr-public::{ACCOUNT}:repository/app"
    assert premium["repositoryArn"] == premium_arn("app")
    assert client.describe_repositories()["repositories"] == [free]
    assert client.describe_premium_repositories()["repositories"] == [premium]
    # And the other way round: a free repository of a premium one's name.
    create(client, "web")
    client.create_repository(repositoryName="web")
    assert [r["repositoryName"] for r in client.describe_repositories()["repositories"]] == [
        "app",
        "web",
    ]


def test_create_with_tags(ecr, client):
    """botocore 1.44.18's model: CreatePremiumRepository takes tags; ListTagsForResource
    accepts the premium ARN (docs/aws-behaviour.md, section "Premium repositories")."""
    tags = [{"Key": "team", "Value": "core"}, {"Key": "env", "Value": ""}]
    create(client, tags=tags)
    answer = client.list_tags_for_resource(resourceArn=premium_arn("app"))
    assert answer["tags"] == tags
    assert dict(ecr.premium_repositories["app"].resource_tags) == {"team": "core", "env": ""}


def test_create_with_too_many_tags(ecr, client):
    """docs/aws-behaviour.md, section "Quotas": 50 resource tags per repository,
    TooManyTagsException, as CreateRepository; nothing is created."""
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    with pytest.raises(client.exceptions.TooManyTagsException) as excinfo:
        create(client, tags=tags)
    assert_error(
        excinfo,
        "TooManyTagsException",
        "The repository 'app' would have 51 tags; the maximum is 50",
    )
    assert client.describe_premium_repositories()["repositories"] == []
    create(client, tags=tags[:50])
    assert len(client.list_tags_for_resource(resourceArn=premium_arn("app"))["tags"]) == 50


def test_create_with_a_reserved_tag_key(ecr, client):
    """docs/aws-behaviour.md, section "Resource tags": the ``aws:`` prefix is reserved
    (InvalidTagParameterException), as CreateRepository; nothing is created."""
    with pytest.raises(client.exceptions.InvalidTagParameterException) as excinfo:
        create(client, tags=[{"Key": "aws:owner", "Value": "x"}])
    assert_error(
        excinfo,
        "InvalidTagParameterException",
        "The tag key 'aws:owner' is invalid: the 'aws:' prefix is reserved for AWS use",
    )
    assert client.describe_premium_repositories()["repositories"] == []


def test_create_with_catalog_data(ecr, client):
    """botocore 1.44.18's model: catalogData is a RepositoryCatalogDataInput, which gained
    ``categories``; the answer's catalogData is what was stored (a logo as its URL), and
    GetPremiumRepositoryCatalogData answers the same."""
    catalog = {
        "description": "An app",
        "architectures": ["x86-64", "ARM 64"],
        "operatingSystems": ["Linux"],
        "aboutText": "# About",
        "usageText": "docker pull",
        "categories": ["SECURITY", "DATABASES"],
        "logoImageBlob": b"\x89PNG logo",
    }
    answer = create(client, catalogData=catalog)["catalogData"]
    logo_url = answer.pop("logoUrl")
    assert logo_url.startswith("https://d3g9o9u8re44ak.cloudfront.net/logo/")
    assert logo_url.endswith(".png")
    assert answer == {k: v for k, v in catalog.items() if k != "logoImageBlob"}
    got = client.get_premium_repository_catalog_data(repositoryName="app")
    assert body(got) == {
        "registryId": ACCOUNT,
        "repositoryName": "app",
        "catalogData": {**answer, "logoUrl": logo_url},
    }


@pytest.mark.parametrize(
    "operation",
    [
        "create_repository",
        "create_premium_repository",
        "put_repository_catalog_data",
        "put_premium_repository_catalog_data",
    ],
)
def test_a_repeated_category_is_refused(ecr, client, operation):
    """botocore 1.44.18's model, RepositoryCatalogDataInput.categories: up to 3, "Each
    category can be specified at most once". AWS quotes no text: the mock answers
    InvalidParameterException with its own (docs/aws-behaviour.md, section "Premium
    repositories"), and stores nothing."""
    catalog = {"description": "kept", "categories": ["AI_ML", "DATABASES", "AI_ML"]}
    if operation.startswith("put_"):
        premium = "premium" in operation
        if premium:
            create(client, catalogData={"description": "before"})
        else:
            client.create_repository(repositoryName="app", catalogData={"description": "before"})
    else:
        premium = operation == "create_premium_repository"
    extra = {"marketplaceProducts": ["prod-1"]} if operation == "create_premium_repository" else {}
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        getattr(client, operation)(repositoryName="app", catalogData=catalog, **extra)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("catalogData.categories", "must not contain duplicates"),
    )
    views = ecr.premium_repositories if premium else ecr.repositories
    if operation.startswith("put_"):
        assert dict(views["app"].catalog_data) == {"description": "before"}
    else:
        assert "app" not in views


def test_quota_counts_free_and_premium_together():
    """docs/aws-behaviour.md, section "Premium repositories": free and premium
    repositories count against one ``max_repositories`` quota (LimitExceededException,
    the free text)."""
    with mock_ecr_public(registry_verified=True, registry_alias="acme", max_repositories=2):
        client = boto3.client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="free")
        create(client, "one")
        message = (
            "The operation did not succeed because it would have exceeded a service limit "
            "for your account: repositories per registry (2)"
        )
        with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
            create(client, "two")
        assert_error(excinfo, "LimitExceededException", message)
        with pytest.raises(client.exceptions.LimitExceededException) as excinfo:
            client.create_repository(repositoryName="two")
        assert_error(excinfo, "LimitExceededException", message)


# --------------------------------------------------------------------------------------
# DescribePremiumRepositories
# --------------------------------------------------------------------------------------


def test_describe_empty_registry(ecr, client):
    """botocore 1.44.18's model: ``repositories`` is required in the answer."""
    assert body(client.describe_premium_repositories()) == {"repositories": []}


def test_describe_lists_every_state_in_creation_order(ecr, client):
    """botocore 1.44.18's model: "Repositories in the DRAFT, AVAILABLE, and HIDDEN states
    are returned"; in creation order (the mock's choice, as DescribeRepositories). Free
    repositories are not listed."""
    client.create_repository(repositoryName="free")
    for name, state in (("zeta", "HIDDEN"), ("alpha", "DRAFT"), ("mid", "AVAILABLE")):
        create(client, name)
        move_to_state(client, name, state)
    listed = client.describe_premium_repositories()["repositories"]
    assert [(r["repositoryName"], r["state"]) for r in listed] == [
        ("zeta", "HIDDEN"),
        ("alpha", "DRAFT"),
        ("mid", "AVAILABLE"),
    ]


def test_describe_pages_through_the_paginator(ecr, client):
    """botocore 1.44.18's paginators: DescribePremiumRepositories pages on
    nextToken/maxResults; every repository once, in creation order, pages of PageSize."""
    names = [f"repo-{i}" for i in range(7)]
    for name in names:
        create(client, name)
    paginator = client.get_paginator("describe_premium_repositories")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 3}))
    assert [len(page["repositories"]) for page in pages] == [3, 3, 1]
    assert [r["repositoryName"] for page in pages for r in page["repositories"]] == names
    assert all("nextToken" in page for page in pages[:-1])
    assert "nextToken" not in pages[-1]
    full = paginator.paginate().build_full_result()
    assert [r["repositoryName"] for r in full["repositories"]] == names


def test_describe_default_page(ecr, client):
    """botocore 1.44.18's model, maxResults: without it, DescribePremiumRepositories
    returns up to 100 results (with a nextToken when more follow)."""
    names = [f"repo-{i:03}" for i in range(101)]
    for name in names:
        create(client, name)
    first = client.describe_premium_repositories()
    assert [r["repositoryName"] for r in first["repositories"]] == names[:100]
    rest = client.describe_premium_repositories(nextToken=first["nextToken"])
    assert [r["repositoryName"] for r in rest["repositories"]] == names[100:]
    assert "nextToken" not in rest


def test_describe_max_results_and_next_token(ecr, client):
    """botocore 1.44.18's model, maxResults/nextToken: a page of maxResults with a
    nextToken; the last page has none."""
    for name in ("a1", "b2", "c3"):
        create(client, name)
    first = client.describe_premium_repositories(maxResults=2)
    assert [r["repositoryName"] for r in first["repositories"]] == ["a1", "b2"]
    second = client.describe_premium_repositories(maxResults=2, nextToken=first["nextToken"])
    assert [r["repositoryName"] for r in second["repositories"]] == ["c3"]
    assert "nextToken" not in second


def test_describe_rejects_another_listings_token(ecr, client):
    """AWS documents nextToken as opaque; the mock's tokens name their listing
    (docs/aws-behaviour.md, section "Where the mock chooses"): DescribeRepositories'
    token is refused with the invalid-token text."""
    for name in ("a1", "b2"):
        client.create_repository(repositoryName=name)
        create(client, name)
    token = client.describe_repositories(maxResults=1)["nextToken"]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_premium_repositories(maxResults=1, nextToken=token)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("nextToken", "must be a valid pagination token"),
    )


@pytest.mark.parametrize(
    ("extra", "member"),
    [({"maxResults": 1}, "maxResults"), ({"nextToken": "abc"}, "nextToken")],
)
def test_describe_names_exclude_paging(ecr, client, extra, member):
    """botocore 1.44.18's model, repositoryNames: "If you specify repository names, you
    can't use maxResults or nextToken" (InvalidParameterException, the text of
    DescribeRepositories)."""
    create(client)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_premium_repositories(repositoryNames=["app"], **extra)
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid(member, "cannot be used together with repositoryNames"),
    )


def test_describe_by_names(ecr, client):
    """botocore 1.44.18's model: repositoryNames describes those repositories (in the
    order asked, each once: the mock's choice, as DescribeRepositories)."""
    first = create(client, "one")["premiumRepository"]
    second = create(client, "two")["premiumRepository"]
    answer = client.describe_premium_repositories(repositoryNames=["two", "one", "two"])
    assert body(answer) == {"repositories": [second, first]}


@pytest.mark.parametrize("free_exists", [False, True])
def test_describe_unknown_name(ecr, client, free_exists):
    """botocore 1.44.18's model declares RepositoryNotFoundException; a free repository
    of that name does not count (the usual text)."""
    create(client, "one")
    if free_exists:
        client.create_repository(repositoryName="missing")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.describe_premium_repositories(repositoryNames=["one", "missing"])
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("missing"))


# --------------------------------------------------------------------------------------
# DeletePremiumRepository
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_delete_not_empty(ecr, client, state):
    """botocore 1.44.18's model: "The repository must be empty before you can delete it"
    (RepositoryNotEmptyException, the free text), in any state; nothing changes."""
    create(client)
    ecr.push_image("app", "v1", repository_type="PREMIUM")
    move_to_state(client, "app", state)
    before = described(client)
    with pytest.raises(client.exceptions.RepositoryNotEmptyException) as excinfo:
        client.delete_premium_repository(repositoryName="app")
    assert_error(excinfo, "RepositoryNotEmptyException", not_empty("app"))
    assert described(client) == before
    assert len(premium_digests(client)) == 1


@pytest.mark.parametrize("state", STATES)
def test_delete_answer(ecr, client, state):
    """botocore 1.44.18's model: DeletePremiumRepository answers a PremiumRepository; the
    mock gives the five identity members only (docs/aws-behaviour.md, section "Premium
    repositories"), in any state. The repository is gone afterwards."""
    with freeze_time("2024-01-02 03:04:05.678"):
        created = create(client, products=("p1", "p2"))["premiumRepository"]
    move_to_state(client, "app", state)
    answer = client.delete_premium_repository(repositoryName="app")
    assert body(answer) == {
        "premiumRepository": {
            "repositoryArn": premium_arn("app"),
            "registryId": ACCOUNT,
            "repositoryName": "app",
            "repositoryUri": "public.ecr.aws/premium/acme/app",
            "createdAt": created["createdAt"],
        }
    }
    assert client.describe_premium_repositories()["repositories"] == []
    assert dict(ecr.premium_repositories) == {}


def test_delete_unknown(ecr, client):
    """botocore 1.44.18's model declares RepositoryNotFoundException; a free repository
    of the name is not deleted by it."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.delete_premium_repository(repositoryName="app")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))
    assert len(client.describe_repositories()["repositories"]) == 1


def test_delete_removes_the_association(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": deleting either side
    removes the association from the other; the delete answer has no
    associatedRepositories."""
    client.create_repository(repositoryName="web")
    create(client)
    client.associate_repositories(
        repositoryName="web",
        repositoryType="FREE",
        associatedRepositoryName="app",
        associatedRepositoryType="PREMIUM",
    )
    answer = client.delete_premium_repository(repositoryName="app")["premiumRepository"]
    assert "associatedRepositories" not in answer
    assert "associatedRepositories" not in free_described(client, "web")
    assert ecr.repositories["web"].associated_repository is None
    # A new premium repository of the same name is not associated either.
    create(client)
    assert "associatedRepositories" not in described(client)


def test_deleting_the_free_side_removes_the_association(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": "Deleting either side
    removes it"."""
    client.create_repository(repositoryName="web")
    create(client)
    client.associate_repositories(
        repositoryName="app",
        repositoryType="PREMIUM",
        associatedRepositoryName="web",
        associatedRepositoryType="FREE",
    )
    client.delete_repository(repositoryName="web")
    assert "associatedRepositories" not in described(client)
    assert ecr.premium_repositories["app"].associated_repository is None


# --------------------------------------------------------------------------------------
# SetRepositoryState
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("free_exists", [False, True])
@pytest.mark.parametrize("state", STATES)
def test_set_state_of_a_free_repository(ecr, client, free_exists, state):
    """botocore 1.44.18's model, repositoryType: "FREE isn't supported, and the request
    fails with InvalidParameterException", whether or not a free repository of the name
    exists (the text is the mock's choice)."""
    if free_exists:
        client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_state(repositoryName="app", repositoryType="FREE", state=state)
    assert_error(excinfo, "InvalidParameterException", MUST_BE_PREMIUM)


@pytest.mark.parametrize("target", STATES)
@pytest.mark.parametrize("current", STATES)
def test_state_transitions(ecr, client, current, target):
    """botocore 1.44.18's model, state: "A repository can move from DRAFT to AVAILABLE,
    and between AVAILABLE and HIDDEN. It can't return to DRAFT. Other changes fail with
    InvalidParameterException. If you specify the current state, the request succeeds and
    nothing changes." The answer: registryId, repositoryName, repositoryType, state."""
    create(client)
    move_to_state(client, "app", current)
    before = described(client)
    assert before["state"] == current
    if current == target or (current, target) in ALLOWED_MOVES:
        answer = client.set_repository_state(
            repositoryName="app", repositoryType="PREMIUM", state=target
        )
        assert body(answer) == {
            "registryId": ACCOUNT,
            "repositoryName": "app",
            "repositoryType": "PREMIUM",
            "state": target,
        }
        assert described(client) == {**before, "state": target}
        assert ecr.premium_repositories["app"].state == target
        return
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state=target)
    assert_error(excinfo, "InvalidParameterException", state_change(current, target))
    assert described(client) == before


def test_set_state_unknown_repository(ecr, client):
    """botocore 1.44.18's model declares RepositoryNotFoundException (the usual text); a
    free repository of the name does not count."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state="HIDDEN")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))


# --------------------------------------------------------------------------------------
# PutPremiumRepositoryProducts
# --------------------------------------------------------------------------------------


def test_put_products_replaces_in_draft(ecr, client):
    """botocore 1.44.18's model: "Replaces the list of Amazon Web Services Marketplace
    products ... You can remove a product only while the repository is in the DRAFT
    state." The answer: registryId, repositoryName, marketplaceProducts (as sent)."""
    create(client, products=("p1", "p2", "p3"))
    answer = client.put_premium_repository_products(
        repositoryName="app", marketplaceProducts=["p4", "p2"]
    )
    assert body(answer) == {
        "registryId": ACCOUNT,
        "repositoryName": "app",
        "marketplaceProducts": ["p4", "p2"],
    }
    assert described(client)["marketplaceProducts"] == ["p4", "p2"]
    assert ecr.premium_repositories["app"].marketplace_products == ("p4", "p2")


@pytest.mark.parametrize("state", STATES)
def test_put_products_duplicates(ecr, client, state):
    """botocore 1.44.18's model: "You can't specify the same product ID more than once";
    the list is unchanged."""
    create(client, products=("p1",))
    move_to_state(client, "app", state)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.put_premium_repository_products(
            repositoryName="app", marketplaceProducts=["p1", "p2", "p2"]
        )
    assert_error(excinfo, "InvalidParameterException", DUPLICATE_PRODUCTS)
    assert described(client)["marketplaceProducts"] == ["p1"]


@pytest.mark.parametrize("state", ["AVAILABLE", "HIDDEN"])
def test_put_products_adds_past_draft(ecr, client, state):
    """botocore 1.44.18's model: "After the repository leaves the DRAFT state, you can
    only add products" (in any order)."""
    create(client, products=("p1", "p2"))
    move_to_state(client, "app", state)
    answer = client.put_premium_repository_products(
        repositoryName="app", marketplaceProducts=["p3", "p2", "p1"]
    )
    assert answer["marketplaceProducts"] == ["p3", "p2", "p1"]
    assert described(client)["marketplaceProducts"] == ["p3", "p2", "p1"]


@pytest.mark.parametrize("state", ["AVAILABLE", "HIDDEN"])
@pytest.mark.parametrize(
    ("sent", "missing"),
    [(["p2"], ["p1", "p3"]), (["p1", "p4"], ["p2", "p3"]), (["p9", "p2", "p1"], ["p3"])],
)
def test_put_products_removal_past_draft(ecr, client, state, sent, missing):
    """botocore 1.44.18's model: "A request that leaves out an existing product fails with
    InvalidParameterException"; the text (the mock's) lists the missing products in the
    stored order. Nothing changes."""
    create(client, products=("p1", "p2", "p3"))
    move_to_state(client, "app", state)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.put_premium_repository_products(repositoryName="app", marketplaceProducts=sent)
    assert_error(excinfo, "InvalidParameterException", products_removed(*missing))
    assert described(client)["marketplaceProducts"] == ["p1", "p2", "p3"]


def test_put_products_unknown_repository(ecr, client):
    """botocore 1.44.18's model declares RepositoryNotFoundException."""
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.put_premium_repository_products(repositoryName="app", marketplaceProducts=["p"])
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))


# --------------------------------------------------------------------------------------
# Premium repository policies
# --------------------------------------------------------------------------------------


def test_policy_set_get_delete(ecr, client):
    """botocore 1.44.18's model: Set/Get/DeletePremiumRepositoryPolicy answer registryId,
    repositoryName and policyText; the rules and texts are the free calls'
    (docs/aws-behaviour.md, section "Premium repositories"): the same rendering of the
    stored text, RepositoryPolicyNotFoundException once deleted."""
    client.create_repository(repositoryName="free")
    create(client)
    text = allow_policy()
    rendered = client.set_repository_policy(repositoryName="free", policyText=text)["policyText"]
    want = {"registryId": ACCOUNT, "repositoryName": "app", "policyText": rendered}
    answer = client.set_premium_repository_policy(repositoryName="app", policyText=text)
    assert body(answer) == want
    assert body(client.get_premium_repository_policy(repositoryName="app")) == want
    assert ecr.premium_repositories["app"].policy == rendered
    assert body(client.delete_premium_repository_policy(repositoryName="app")) == want
    for call in (client.get_premium_repository_policy, client.delete_premium_repository_policy):
        with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException) as excinfo:
            call(repositoryName="app")
        assert_error(excinfo, "RepositoryPolicyNotFoundException", no_policy("app"))


def test_policy_never_set(ecr, client):
    """The free calls' text: RepositoryPolicyNotFoundException before any policy."""
    create(client)
    with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException) as excinfo:
        client.get_premium_repository_policy(repositoryName="app")
    assert_error(excinfo, "RepositoryPolicyNotFoundException", no_policy("app"))


def test_policy_is_the_premium_repositorys_own(ecr, client):
    """Two namespaces: a premium repository's policy is not its free namesake's."""
    client.create_repository(repositoryName="app")
    create(client)
    client.set_premium_repository_policy(repositoryName="app", policyText=allow_policy())
    with pytest.raises(client.exceptions.RepositoryPolicyNotFoundException):
        client.get_repository_policy(repositoryName="app")
    assert ecr.repositories["app"].policy is None


def test_policy_invalid_text(ecr, client):
    """The free calls' rule and real text: a malformed policy is InvalidParameterException
    ``Invalid repository policy provided``; nothing is stored."""
    create(client)
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.set_premium_repository_policy(repositoryName="app", policyText="{not json")
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid("PolicyText", "Invalid repository policy provided"),
    )
    assert ecr.premium_repositories["app"].policy is None


@pytest.mark.parametrize(
    "method",
    [
        "get_premium_repository_policy",
        "delete_premium_repository_policy",
        "get_premium_repository_catalog_data",
    ],
)
def test_policy_and_catalog_unknown_repository(ecr, client, method):
    """botocore 1.44.18's model declares RepositoryNotFoundException (the usual text);
    a free repository of the name does not count."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        getattr(client, method)(repositoryName="app")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))


# --------------------------------------------------------------------------------------
# Premium catalog data
# --------------------------------------------------------------------------------------


def test_catalog_never_set(ecr, client):
    """botocore 1.44.18's model declares RepositoryCatalogDataNotFoundException for
    GetPremiumRepositoryCatalogData: a repository with no stored catalog member (the text
    is the mock's choice)."""
    create(client)
    with pytest.raises(client.exceptions.RepositoryCatalogDataNotFoundException) as excinfo:
        client.get_premium_repository_catalog_data(repositoryName="app")
    assert_error(excinfo, "RepositoryCatalogDataNotFoundException", catalog_not_found("app"))


def test_catalog_put_merges(ecr, client):
    """botocore 1.44.18's model, PutPremiumRepositoryCatalogData: "Fields that you
    include replace the stored values, and fields that you leave out aren't changed." The
    answer: registryId, repositoryName and the whole catalog."""
    create(client, catalogData={"description": "old", "aboutText": "about"})
    answer = client.put_premium_repository_catalog_data(
        repositoryName="app",
        catalogData={"description": "new", "usageText": "usage", "categories": ["AI_ML"]},
    )
    want = {
        "description": "new",
        "aboutText": "about",
        "usageText": "usage",
        "categories": ["AI_ML"],
    }
    assert body(answer) == {"registryId": ACCOUNT, "repositoryName": "app", "catalogData": want}
    assert client.get_premium_repository_catalog_data(repositoryName="app")["catalogData"] == want
    # A second put of one member keeps every other.
    client.put_premium_repository_catalog_data(
        repositoryName="app", catalogData={"architectures": ["ARM"]}
    )
    got = client.get_premium_repository_catalog_data(repositoryName="app")["catalogData"]
    assert got == {**want, "architectures": ["ARM"]}


def test_catalog_put_on_a_repository_without_catalog(ecr, client):
    """PutPremiumRepositoryCatalogData creates the catalog of a repository that had
    none; Get answers it afterwards."""
    create(client)
    client.put_premium_repository_catalog_data(
        repositoryName="app", catalogData={"description": "d"}
    )
    got = client.get_premium_repository_catalog_data(repositoryName="app")
    assert got["catalogData"] == {"description": "d"}


def test_catalog_empty_logo_removes_the_logo(ecr, client):
    """botocore 1.44.18's model, catalogData: "To remove the logo, specify an empty
    logoImageBlob"; a non-empty one sets it, an absent one keeps it."""
    create(client, catalogData={"description": "d", "logoImageBlob": b"logo-1"})
    first = client.get_premium_repository_catalog_data(repositoryName="app")["catalogData"]
    assert set(first) == {"description", "logoUrl"}
    kept = client.put_premium_repository_catalog_data(
        repositoryName="app", catalogData={"aboutText": "a"}
    )["catalogData"]
    assert kept["logoUrl"] == first["logoUrl"]
    replaced = client.put_premium_repository_catalog_data(
        repositoryName="app", catalogData={"logoImageBlob": b"logo-2"}
    )["catalogData"]
    assert replaced["logoUrl"] != first["logoUrl"]
    removed = client.put_premium_repository_catalog_data(
        repositoryName="app", catalogData={"logoImageBlob": b""}
    )["catalogData"]
    assert removed == {"description": "d", "aboutText": "a"}


def test_catalog_is_the_premium_repositorys_own(ecr, client):
    """Two namespaces: a premium catalog is not its free namesake's."""
    client.create_repository(repositoryName="app", catalogData={"description": "free"})
    create(client, catalogData={"description": "premium"})
    client.put_premium_repository_catalog_data(
        repositoryName="app", catalogData={"aboutText": "paid"}
    )
    assert client.get_repository_catalog_data(repositoryName="app")["catalogData"] == {
        "description": "free"
    }


# --------------------------------------------------------------------------------------
# Associations
# --------------------------------------------------------------------------------------


def pair(first, first_type, second, second_type) -> dict:
    return {
        "repositoryName": first,
        "repositoryType": first_type,
        "associatedRepositoryName": second,
        "associatedRepositoryType": second_type,
    }


@pytest.mark.parametrize(
    "request_pair",
    [pair("web", "FREE", "app", "PREMIUM"), pair("app", "PREMIUM", "web", "FREE")],
    ids=["from-free", "from-premium"],
)
def test_associate_shows_on_both_sides(ecr, client, request_pair):
    """botocore 1.44.18's model: AssociateRepositories pairs a FREE and a PREMIUM
    repository "so that the Amazon ECR Public Gallery shows them side by side"; both
    Repository and PremiumRepository gained associatedRepositories. The answer echoes the
    request with registryId."""
    client.create_repository(repositoryName="web")
    create(client)
    answer = client.associate_repositories(**request_pair)
    assert body(answer) == {"registryId": ACCOUNT, **request_pair}
    assert free_described(client, "web")["associatedRepositories"] == [
        {"repositoryName": "app", "repositoryType": "PREMIUM"}
    ]
    assert described(client)["associatedRepositories"] == [
        {"repositoryName": "web", "repositoryType": "FREE"}
    ]
    assert client.describe_premium_repositories()["repositories"][0]["associatedRepositories"] == [
        {"repositoryName": "web", "repositoryType": "FREE"}
    ]
    assert ecr.repositories["web"].associated_repository == ("app", "PREMIUM")
    assert ecr.premium_repositories["app"].associated_repository == ("web", "FREE")


def test_associate_same_names(ecr, client):
    """A free and a premium repository of the same name can be associated."""
    client.create_repository(repositoryName="app")
    create(client)
    client.associate_repositories(**pair("app", "FREE", "app", "PREMIUM"))
    assert free_described(client, "app")["associatedRepositories"] == [
        {"repositoryName": "app", "repositoryType": "PREMIUM"}
    ]


def test_no_association_no_member(ecr, client):
    """The member is absent when there is no association (docs/aws-behaviour.md, section
    "Premium repositories")."""
    client.create_repository(repositoryName="web")
    create(client)
    assert "associatedRepositories" not in free_described(client, "web")
    assert "associatedRepositories" not in described(client)


@pytest.mark.parametrize("method", ["associate_repositories", "disassociate_repositories"])
@pytest.mark.parametrize("kind", ["FREE", "PREMIUM"])
def test_associate_equal_types(ecr, client, method, kind):
    """botocore 1.44.18's model, associatedRepositoryType: "This must be different from
    the type of the source repository" (InvalidParameterException; the text is the
    mock's), checked before the repositories are looked up."""
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        getattr(client, method)(**pair("one", kind, "two", kind))
    assert_error(excinfo, "InvalidParameterException", TYPES_MUST_DIFFER)


@pytest.mark.parametrize("method", ["associate_repositories", "disassociate_repositories"])
@pytest.mark.parametrize(
    ("free_exists", "premium_exists", "request_pair", "missing"),
    [
        (False, True, pair("web", "FREE", "app", "PREMIUM"), "web"),
        (True, False, pair("web", "FREE", "app", "PREMIUM"), "app"),
        (False, False, pair("web", "FREE", "app", "PREMIUM"), "web"),
        (False, False, pair("app", "PREMIUM", "web", "FREE"), "app"),
        (True, False, pair("app", "PREMIUM", "web", "FREE"), "app"),
    ],
)
def test_associate_missing_repository(
    ecr, client, method, free_exists, premium_exists, request_pair, missing
):
    """botocore 1.44.18's model: "Both repositories must already exist"
    (RepositoryNotFoundException, the usual text, naming the first missing one in request
    order)."""
    if free_exists:
        client.create_repository(repositoryName="web")
    if premium_exists:
        create(client)
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        getattr(client, method)(**request_pair)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found(missing))


def test_associate_type_picks_the_namespace(ecr, client):
    """A free repository named like the premium side does not stand in for it."""
    client.create_repository(repositoryName="web")
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.associate_repositories(**pair("web", "FREE", "app", "PREMIUM"))
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))


@pytest.mark.parametrize(
    ("request_pair", "named", "named_type"),
    [
        (pair("web", "FREE", "app", "PREMIUM"), "web", "FREE"),
        (pair("app", "PREMIUM", "web", "FREE"), "app", "PREMIUM"),
        (pair("other", "FREE", "app", "PREMIUM"), "app", "PREMIUM"),
        (pair("web", "FREE", "paid", "PREMIUM"), "web", "FREE"),
        (pair("paid", "PREMIUM", "web", "FREE"), "web", "FREE"),
    ],
    ids=["same-pair", "same-pair-reversed", "premium-taken", "free-taken", "free-taken-second"],
)
def test_associate_already_associated(ecr, client, request_pair, named, named_type):
    """botocore 1.44.18's model: "each repository can have at most one associated
    repository" (AssociationAlreadyExistsException, the same pair included); the text
    (the mock's) names the first already-associated side in request order. Nothing
    changes."""
    client.create_repository(repositoryName="web")
    client.create_repository(repositoryName="other")
    create(client)
    create(client, "paid")
    client.associate_repositories(**pair("web", "FREE", "app", "PREMIUM"))
    with pytest.raises(client.exceptions.AssociationAlreadyExistsException) as excinfo:
        client.associate_repositories(**request_pair)
    assert_error(
        excinfo, "AssociationAlreadyExistsException", association_exists(named, named_type)
    )
    assert ecr.repositories["web"].associated_repository == ("app", "PREMIUM")
    assert ecr.repositories["other"].associated_repository is None
    assert ecr.premium_repositories["paid"].associated_repository is None


@pytest.mark.parametrize(
    "request_pair",
    [pair("web", "FREE", "app", "PREMIUM"), pair("app", "PREMIUM", "web", "FREE")],
    ids=["from-free", "from-premium"],
)
def test_disassociate(ecr, client, request_pair):
    """botocore 1.44.18's model: DisassociateRepositories "Removes the association"; the
    answer echoes the request with registryId; both sides lose the member, and the pair
    can be associated again."""
    client.create_repository(repositoryName="web")
    create(client)
    client.associate_repositories(**pair("web", "FREE", "app", "PREMIUM"))
    answer = client.disassociate_repositories(**request_pair)
    assert body(answer) == {"registryId": ACCOUNT, **request_pair}
    assert "associatedRepositories" not in free_described(client, "web")
    assert "associatedRepositories" not in described(client)
    client.associate_repositories(**request_pair)
    assert ecr.repositories["web"].associated_repository == ("app", "PREMIUM")


@pytest.mark.parametrize("associated_elsewhere", [False, True])
def test_disassociate_not_associated(ecr, client, associated_elsewhere):
    """botocore 1.44.18's model declares AssociationNotFoundException; the text (the
    mock's) names both repositories in request order. An association with another
    repository is kept."""
    client.create_repository(repositoryName="web")
    client.create_repository(repositoryName="other")
    create(client)
    if associated_elsewhere:
        client.associate_repositories(**pair("other", "FREE", "app", "PREMIUM"))
    with pytest.raises(client.exceptions.AssociationNotFoundException) as excinfo:
        client.disassociate_repositories(**pair("app", "PREMIUM", "web", "FREE"))
    assert_error(
        excinfo,
        "AssociationNotFoundException",
        association_not_found("app", "PREMIUM", "web", "FREE"),
    )
    expected = ("other", "FREE") if associated_elsewhere else None
    assert ecr.premium_repositories["app"].associated_repository == expected


# --------------------------------------------------------------------------------------
# DescribeRegistries and PutRegistryCatalogData with the registry options
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("verified", "alias"), OPTION_COMBINATIONS)
def test_describe_registries_with_the_options(ecr, client, verified, alias):
    """botocore 1.44.18's model: Registry gained premiumStatus ("Indicates whether the
    registry is enabled for premium repositories") and premiumRegistryUri; RegistryAlias
    has primaryRegistryAlias/defaultRegistryAlias. The mock: a custom alias is the primary
    one and listed first, the generated default second; ENABLED only when verified with
    a custom alias (docs/aws-behaviour.md, section "Premium repositories")."""
    generated = default_alias()
    primary = alias or generated
    aliases = [
        {
            "name": generated,
            "status": "ACTIVE",
            "primaryRegistryAlias": True,
            "defaultRegistryAlias": True,
        }
    ]
    if alias is not None:
        aliases = [
            {
                "name": alias,
                "status": "ACTIVE",
                "primaryRegistryAlias": True,
                "defaultRegistryAlias": False,
            },
            {**aliases[0], "primaryRegistryAlias": False},
        ]
    want = {
        "registryId": ACCOUNT,
        "registryArn": f"arn:aws:ecr-public::{ACCOUNT}:registry/{ACCOUNT}",
        "registryUri": f"public.ecr.aws/{primary}",
        "verified": verified,
        "aliases": aliases,
        "premiumStatus": "ENABLED" if verified and alias else "DISABLED",
    }
    if verified and alias:
        want["premiumRegistryUri"] = f"public.ecr.aws/premium/{alias}"
    assert body(client.describe_registries()) == {"registries": [want]}
    assert ecr.registry_alias == primary


@pytest.mark.ecr_public(registry_verified=False, registry_alias="acme")
def test_custom_alias_names_free_uris(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": with a custom alias, every
    URI uses it (``public.ecr.aws/<custom>/<name>``)."""
    created = client.create_repository(repositoryName="web")["repository"]
    assert created["repositoryUri"] == "public.ecr.aws/acme/web"


@pytest.mark.parametrize("alias", ["premium", "entitled", "A", "a", "-ab", "x" * 51])
def test_unusable_registry_alias(alias):
    """docs/aws-behaviour.md, section "Premium repositories": ``registry_alias`` follows
    the model's RegistryAliasName (2-50 characters, its pattern); ``premium`` and
    ``entitled`` are reserved by the mock (ValueError)."""
    with pytest.raises(ValueError, match="registry_alias must be 2-50 characters"):
        mock_ecr_public(registry_alias=alias)


def test_put_registry_catalog_data_merges(ecr, client):
    """botocore 1.44.18's model: PutRegistryCatalogData "Create or update the catalog
    data"; AWS leaves the merge undocumented, the mock chooses the premium catalog's:
    displayName and description replace when present, a non-empty logo sets logoUrl, an
    empty one removes it, absent members stay (docs/aws-behaviour.md, section "Premium
    repositories")."""
    first = client.put_registry_catalog_data(displayName="Acme", description="Tools")
    assert body(first) == {"registryCatalogData": {"displayName": "Acme", "description": "Tools"}}
    second = client.put_registry_catalog_data(description="Better tools", logoImageBlob=b"logo")
    data = second["registryCatalogData"]
    logo_url = data.pop("logoUrl")
    assert logo_url.startswith("https://d3g9o9u8re44ak.cloudfront.net/logo/")
    assert data == {"displayName": "Acme", "description": "Better tools"}
    third = client.put_registry_catalog_data(displayName="Acme Inc")
    assert third["registryCatalogData"] == {
        "displayName": "Acme Inc",
        "description": "Better tools",
        "logoUrl": logo_url,
    }
    fourth = client.put_registry_catalog_data(logoImageBlob=b"")
    assert fourth["registryCatalogData"] == {
        "displayName": "Acme Inc",
        "description": "Better tools",
    }
    assert body(client.get_registry_catalog_data()) == body(fourth)


# --------------------------------------------------------------------------------------
# Resource tags on a premium ARN
# --------------------------------------------------------------------------------------


def test_tag_resource_on_a_premium_arn(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": TagResource, UntagResource
    and ListTagsForResource accept premium-repository ARNs; the free namesake's tags are
    its own."""
    client.create_repository(repositoryName="app")
    create(client)
    arn = premium_arn("app")
    assert body(client.tag_resource(resourceArn=arn, tags=[{"Key": "k", "Value": "v"}])) == {}
    client.tag_resource(resourceArn=arn, tags=[{"Key": "k2", "Value": "v2"}])
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"Key": "k", "Value": "v"},
        {"Key": "k2", "Value": "v2"},
    ]
    free_arn = f"arn:aws:ecr-public::{ACCOUNT}:repository/app"
    assert client.list_tags_for_resource(resourceArn=free_arn)["tags"] == []
    client.untag_resource(resourceArn=arn, tagKeys=["k"])
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "k2", "Value": "v2"}]


def test_tag_resource_on_a_missing_premium_arn(ecr, client):
    """The usual RepositoryNotFoundException for a premium ARN naming no repository; a
    free repository of the name does not count."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.list_tags_for_resource(resourceArn=premium_arn("app"))
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))


# --------------------------------------------------------------------------------------
# Pushing with repositoryType
# --------------------------------------------------------------------------------------


def api_push(client, name: str, tag: str, kind: dict, salt: str = "") -> dict:
    """Push an OCI image through the explicit upload API and PutImage with ``kind``'s
    members (``repositoryType`` or none); the PutImage answer."""
    config = config_blob(salt=salt)
    layer = f"layer {salt}".encode()
    for blob in (config, layer):
        upload(client, name, blob, **kind)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": descriptor(config, OCI_CONFIG),
            "layers": [descriptor(layer, OCI_LAYER)],
        }
    )
    return client.put_image(repositoryName=name, imageManifest=manifest, imageTag=tag, **kind)


def test_api_push_lands_in_the_premium_repository(ecr, client):
    """botocore 1.44.18's model: the layer and image operations gained repositoryType
    ("If you don't specify a type, Amazon ECR uses FREE"); with PREMIUM the image lands
    in the premium repository, not the free one of the same name."""
    client.create_repository(repositoryName="app")
    create(client)
    answer = api_push(client, "app", "v1", PREMIUM)
    digest = answer["image"]["imageId"]["imageDigest"]
    assert answer["image"]["repositoryType"] == "PREMIUM"
    assert premium_digests(client) == [digest]
    assert client.describe_images(repositoryName="app")["imageDetails"] == []
    assert list(ecr.premium_repositories["app"].images) == [digest]
    assert dict(ecr.repositories["app"].images) == {}
    assert dict(ecr.premium_repositories["app"].tags) == {"v1": digest}
    layers = client.batch_check_layer_availability(
        repositoryName="app", layerDigests=list(ecr.premium_repositories["app"].layers), **PREMIUM
    )["layers"]
    assert {layer["layerAvailability"] for layer in layers} == {"AVAILABLE"}
    free_layers = client.batch_check_layer_availability(
        repositoryName="app", layerDigests=list(ecr.premium_repositories["app"].layers)
    )
    assert [layer["layerAvailability"] for layer in free_layers["layers"]] == [
        "UNAVAILABLE",
        "UNAVAILABLE",
    ]
    # Every image stored in a premium repository is scanned (docs/aws-behaviour.md,
    # "Premium repositories").
    scan = client.describe_image_scan_findings(
        repositoryName="app", imageId={"imageDigest": digest}, **PREMIUM
    )
    assert scan["imageScanStatus"] == {"status": "COMPLETE"}


@pytest.mark.parametrize(
    ("repository", "kind", "echoed"),
    [("premium", PREMIUM, "PREMIUM"), ("free", FREE, "FREE"), ("free", {}, None)],
    ids=["premium", "free-named", "free-unnamed"],
)
def test_push_answers_echo_the_type(ecr, client, repository, kind, echoed):
    """docs/aws-behaviour.md, section "Premium repositories": answers carry
    repositoryType when the request named it or the repository is PREMIUM
    (UploadLayerPart, CompleteLayerUpload and PutImage's image have the member in
    botocore 1.44.18's model)."""
    if repository == "premium":
        create(client)
    else:
        client.create_repository(repositoryName="app")
    data = b"layer bytes"
    upload_id = client.initiate_layer_upload(repositoryName="app", **kind)["uploadId"]
    part = client.upload_layer_part(
        repositoryName="app",
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
        **kind,
    )
    done = client.complete_layer_upload(
        repositoryName="app",
        uploadId=upload_id,
        layerDigests=[descriptor(data, OCI_LAYER)["digest"]],
        **kind,
    )
    image = api_push(client, "app", "v1", kind)["image"]
    for answer in (part, done, image):
        assert answer.get("repositoryType") == echoed
        assert answer["repositoryName"] == "app"
        assert answer["registryId"] == ACCOUNT
    detail = client.describe_images(repositoryName="app", **kind)["imageDetails"][0]
    assert detail.get("repositoryType") == echoed


def test_push_to_a_missing_premium_repository(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": a premium name that does
    not exist is RepositoryNotFoundException with the usual text, even when a free
    repository has the name."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.initiate_layer_upload(repositoryName="app", **PREMIUM)
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("app"))


@pytest.mark.parametrize("state", ["AVAILABLE", "HIDDEN"])
def test_push_past_draft(ecr, client, state):
    """docs/aws-behaviour.md, section "Premium repositories": PutImage into a premium
    repository past DRAFT is allowed (publishers push new versions)."""
    create(client)
    api_push(client, "app", "v1", PREMIUM, salt="1")
    move_to_state(client, "app", state)
    api_push(client, "app", "v2", PREMIUM, salt="2")
    assert len(premium_digests(client)) == 2


def test_subject_manifest_digest(ecr, client):
    """botocore 1.44.18's model: Image and ImageDetail gained subjectManifestDigest, "The
    digest of the manifest that this image refers to as its subject" (an OCI 1.1
    ``subject``): PutImage and DescribeImages answer it, the view keeps it; an image
    without a subject has no member."""
    create(client)
    base = api_push(client, "app", "v1", PREMIUM)["image"]
    base_digest = base["imageId"]["imageDigest"]
    config = b"{}"
    upload(client, "app", config, **PREMIUM)
    referrer = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": "application/vnd.example.sbom",
            "config": descriptor(config, "application/vnd.oci.empty.v1+json"),
            "layers": [descriptor(config, "application/vnd.oci.empty.v1+json")],
            "subject": descriptor(base_digest, OCI_MANIFEST, len(base["imageManifest"])),
        }
    )
    answer = client.put_image(repositoryName="app", imageManifest=referrer, **PREMIUM)["image"]
    assert answer["subjectManifestDigest"] == base_digest
    assert "subjectManifestDigest" not in base
    details = {
        d["imageDigest"]: d
        for d in client.describe_images(repositoryName="app", **PREMIUM)["imageDetails"]
    }
    digest = answer["imageId"]["imageDigest"]
    assert details[digest]["subjectManifestDigest"] == base_digest
    assert "subjectManifestDigest" not in details[base_digest]
    assert ecr.premium_repositories["app"].images[digest].subject == base_digest


# --------------------------------------------------------------------------------------
# BatchDeleteImage in premium repositories
# --------------------------------------------------------------------------------------


def test_batch_delete_in_draft(ecr, client):
    """botocore 1.44.18's model, DeletePremiumRepository: "While the repository is in the
    DRAFT state, you can remove images with BatchDeleteImage"; the rules are the free
    ones."""
    create(client)
    keep = ecr.push_image("app", "keep", layers=[b"keep"], repository_type="PREMIUM")
    gone = ecr.push_image("app", "gone", layers=[b"gone"], repository_type="PREMIUM")
    answer = client.batch_delete_image(
        repositoryName="app",
        imageIds=[{"imageTag": "gone"}, {"imageTag": "missing"}],
        **PREMIUM,
    )
    assert body(answer) == {
        "imageIds": [{"imageDigest": gone, "imageTag": "gone"}],
        "failures": [
            {
                "imageId": {"imageTag": "missing"},
                "failureCode": "ImageNotFound",
                "failureReason": "Requested image not found",
            }
        ],
    }
    assert premium_digests(client) == [keep]


@pytest.mark.parametrize("state", ["AVAILABLE", "HIDDEN"])
@pytest.mark.parametrize(
    "image_ids",
    [
        [{"imageTag": "v1"}],
        [{"imageTag": "missing"}],
        [{"imageTag": "v2"}, {"imageTag": "v1"}],
    ],
    ids=["one", "missing-only", "two"],
)
def test_batch_delete_past_draft(ecr, client, state, image_ids):
    """botocore 1.44.18's model: DeletionNotAllowedException "You can't delete this image
    directly because the premium repository is no longer in the DRAFT state. To remove
    the image, use SetImageStatus to deprecate it." The mock refuses the whole call
    (its text); nothing is deleted."""
    create(client)
    ecr.push_image("app", "v1", layers=[b"one"], repository_type="PREMIUM")
    ecr.push_image("app", "v2", layers=[b"two"], repository_type="PREMIUM")
    move_to_state(client, "app", state)
    before = client.describe_images(repositoryName="app", **PREMIUM)["imageDetails"]
    with pytest.raises(client.exceptions.DeletionNotAllowedException) as excinfo:
        client.batch_delete_image(repositoryName="app", imageIds=image_ids, **PREMIUM)
    assert_error(excinfo, "DeletionNotAllowedException", deletion_not_allowed("app"))
    assert client.describe_images(repositoryName="app", **PREMIUM)["imageDetails"] == before


def test_batch_delete_free_namesake_is_unaffected(ecr, client):
    """A free repository's BatchDeleteImage is not refused because a premium one of the
    same name is past DRAFT."""
    client.create_repository(repositoryName="app")
    create(client)
    move_to_state(client, "app", "AVAILABLE")
    digest = ecr.push_image("app", "v1")
    answer = client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])
    assert answer["imageIds"] == [{"imageDigest": digest, "imageTag": "v1"}]


# --------------------------------------------------------------------------------------
# Catalog artifactTypes and badges
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pushed", "want"),
    [
        ((None,), ["IMAGE"]),
        ((HELM_CONFIG,), ["HELM"]),
        ((HELM_CONFIG, None), ["IMAGE", "HELM"]),
        ((None, HELM_CONFIG), ["IMAGE", "HELM"]),
    ],
    ids=["image", "helm", "helm-then-image", "image-then-helm"],
)
@pytest.mark.parametrize("kind", ["FREE", "PREMIUM"])
def test_artifact_types(ecr, client, kind, pushed, want):
    """botocore 1.44.18's model: RepositoryCatalogData gained artifactTypes, "The types
    of artifacts that the repository contains, such as IMAGE or HELM"; AWS leaves the rule
    undocumented, the mock derives it from the stored images' configs, IMAGE first
    (docs/aws-behaviour.md, section "Premium repositories")."""
    if kind == "PREMIUM":
        create(client, catalogData={"description": "d"})
    else:
        client.create_repository(repositoryName="app", catalogData={"description": "d"})
    for number, config_type in enumerate(pushed):
        ecr.push_image(
            "app",
            f"v{number}",
            layers=[f"layer {number}".encode()],
            config_media_type=config_type,
            repository_type=kind,
        )
    if kind == "PREMIUM":
        catalog = client.get_premium_repository_catalog_data(repositoryName="app")["catalogData"]
    else:
        catalog = client.get_repository_catalog_data(repositoryName="app")["catalogData"]
    assert catalog == {"description": "d", "artifactTypes": want}


def test_artifact_types_follow_deletions(ecr, client):
    """The derived artifactTypes follow the images: deleting the only helm chart drops
    HELM, deleting every image drops the member."""
    create(client, catalogData={"description": "d"})
    ecr.push_image("app", "img", layers=[b"img"], repository_type="PREMIUM")
    ecr.push_image(
        "app", "chart", layers=[b"chart"], config_media_type=HELM_CONFIG, repository_type="PREMIUM"
    )

    def types():
        catalog = client.get_premium_repository_catalog_data(repositoryName="app")["catalogData"]
        return catalog.get("artifactTypes")

    assert types() == ["IMAGE", "HELM"]
    client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "chart"}], **PREMIUM)
    assert types() == ["IMAGE"]
    client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "img"}], **PREMIUM)
    assert types() is None


@pytest.mark.parametrize("premium", [False, True])
def test_badges(ecr, client, premium):
    """botocore 1.44.18's model: RepositoryCatalogData gained badges ("such as FIPS or
    SBOM"); the API has no input for them, the handle's ``set_badges`` sets them, for the
    repository of the kind named only."""
    client.create_repository(repositoryName="app", catalogData={"description": "free"})
    create(client, catalogData={"description": "premium"})
    ecr.set_badges("app", ["SBOM", "FIPS"], premium=premium)
    free = client.get_repository_catalog_data(repositoryName="app")["catalogData"]
    paid = client.get_premium_repository_catalog_data(repositoryName="app")["catalogData"]
    badged, plain = (paid, free) if premium else (free, paid)
    assert badged["badges"] == ["SBOM", "FIPS"]
    assert "badges" not in plain


def test_badges_on_a_missing_repository(ecr, client):
    """The handle's helpers raise the ClientError the API would: the usual
    RepositoryNotFoundException (a free namesake does not count)."""
    client.create_repository(repositoryName="app")
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        ecr.set_badges("app", ["FIPS"], premium=True)
    assert excinfo.value.response["Error"] == {
        "Code": "RepositoryNotFoundException",
        "Message": repo_not_found("app"),
    }


@pytest.mark.parametrize("badges", [["FIPS", "FIPS"], ["GOLD"], ["fips"]])
def test_badges_must_be_distinct_known_ones(ecr, client, badges):
    """``set_badges`` takes distinct badges of FIPS, STIG, SIGNED, SBOM, CIS (ValueError)."""
    create(client)
    with pytest.raises(ValueError, match="badges are distinct ones of FIPS, STIG, SIGNED"):
        ecr.set_badges("app", badges, premium=True)


# --------------------------------------------------------------------------------------
# The call log, faults and regions reach the new operations
# --------------------------------------------------------------------------------------


def test_call_log_records_new_operations(ecr, client):
    """``EcrPublicMock.calls``: every call served, in order, with its parameters as sent
    and its outcome (success or the error code)."""
    create(client, products=("p1",))
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.set_repository_state(repositoryName="app", repositoryType="PREMIUM", state="HIDDEN")
    client.describe_premium_repositories()
    assert [(c.operation, c.params, c.outcome) for c in ecr.calls] == [
        (
            "CreatePremiumRepository",
            {"repositoryName": "app", "marketplaceProducts": ["p1"]},
            "success",
        ),
        (
            "SetRepositoryState",
            {"repositoryName": "app", "repositoryType": "PREMIUM", "state": "HIDDEN"},
            "InvalidParameterException",
        ),
        ("DescribePremiumRepositories", {}, "success"),
    ]


@pytest.mark.parametrize("operation", ["CreatePremiumRepository", "create_premium_repository"])
def test_inject_fault_reaches_a_new_operation(ecr, operation):
    """``EcrPublicMock.inject_fault``: the next call of the operation (named by its API or
    boto3 name) fails with the code (ServerException: 500, "Internal Server Error");
    nothing is created; other operations are not affected; the next call succeeds."""
    client = boto3.client("ecr-public", region_name="us-east-1", config=NO_RETRY)
    ecr.inject_fault("ServerException", operation=operation)
    client.describe_premium_repositories()
    with pytest.raises(client.exceptions.ServerException) as excinfo:
        create(client)
    error = excinfo.value.response
    assert error["Error"] == {"Code": "ServerException", "Message": "Internal Server Error"}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert client.describe_premium_repositories()["repositories"] == []
    create(client)
    assert [c.outcome for c in ecr.calls] == [
        "success",
        "ServerException",
        "success",
        "success",
    ]


@pytest.mark.parametrize(
    ("operation", "method", "params"),
    [
        ("CreatePremiumRepository", "create_premium_repository", {"repositoryName": "app"}),
        ("DescribePremiumRepositories", "describe_premium_repositories", {}),
        ("DescribeEntitledRepositories", "describe_entitled_repositories", {}),
        ("ListPublisherReports", "list_publisher_reports", {}),
    ],
)
def test_new_operations_only_in_us_east_1(ecr, operation, method, params):
    """docs/aws-behaviour.md, section "Regions" (real text): outside us-east-1 every
    operation but GetAuthorizationToken answers UnsupportedCommandException, which
    botocore 1.44.18's model declares for these."""
    if method == "create_premium_repository":
        params = {**params, "marketplaceProducts": ["p1"]}
    west = boto3.client("ecr-public", region_name="us-west-2")
    with pytest.raises(west.exceptions.UnsupportedCommandException) as excinfo:
        getattr(west, method)(**params)
    assert_error(
        excinfo,
        "UnsupportedCommandException",
        f"{operation} command is only supported in us-east-1.",
    )
