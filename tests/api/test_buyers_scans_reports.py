"""The buyer's side (DescribeEntitledRepositories, DescribeEntitledImages,
DescribeEntitledImageTags with the handle's ``entitle``/``revoke_entitlement``), image scans
of premium repositories (DescribeImageScanFindings, the handle's ``set_scan_findings``,
botocore's ``image_scan_complete`` waiter) and publisher reports (ListPublisherReports,
GetDownloadUrlForPublisherReport, the handle's ``add_publisher_report`` and ``download``).

Sources: botocore 1.44.18's model (the operations' documentation, quoted per test; its
paginators and waiters), and where AWS leaves a point undocumented (every text: the model
names the codes only), the mock's choice (docs/aws-behaviour.md, section "Premium
repositories"; the texts in ecrpublic_mock/_core/messages.py,
copied here as literals).
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import urllib.parse

import boto3
import pytest
from _support import (
    ACCOUNT,
    MODEL,
    PREMIUM_MODEL,
    PREMIUM_MODULE,
    assert_error,
    body,
    invalid,
    make_premium,
    repo_not_found,
)
from botocore.exceptions import WaiterError
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public

pytestmark = PREMIUM_MODULE

ALIAS = "acme"
UTC = dt.timezone.utc
PREMIUM = {"repositoryType": "PREMIUM"}
T0 = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
DAY = dt.timedelta(days=1)
SCAN_NOT_PREMIUM = "Image scanning is supported only for images in PREMIUM repositories"
LIST_NOT_SCANNED = (
    "Manifest lists and image indexes are not scanned; describe a platform image's findings"
)
INVALID_TOKEN = invalid("nextToken", "must be a valid pagination token")
# Read only where the model has premium repositories (an older one skips the module).
ENTITLED_IMAGE_MEMBERS = (
    set(MODEL.shape_for("EntitledImageDetail").members) if PREMIUM_MODEL else set()
)


def entitlement_not_found(name: str, alias: str = ALIAS) -> str:
    return (
        f"You don't have an active entitlement for the premium repository '{name}' in the "
        f"registry with alias '{alias}'"
    )


def report_not_found(report_id: str) -> str:
    return f"The publisher report with id '{report_id}' does not exist"


def image_not_found(digest: str | None, tag: str | None, name: str = "app") -> str:
    def quoted(value):
        return f"'{value}'" if value is not None else "'null'"

    return (
        f"The image with imageId {{imageDigest:{quoted(digest)}, imageTag:{quoted(tag)}}} does "
        f"not exist within the repository with name '{name}' in the registry with id '{ACCOUNT}'"
    )


def push(ecr, tag: str | None, name: str = "app", salt: str | None = None) -> str:
    layer = f"layer {salt or tag}".encode()
    return ecr.push_image(name, tag, layers=[layer], repository_type="PREMIUM")


def entitled(name: str, product: str, state: str = "AVAILABLE", display: str = "") -> dict:
    return {
        "registryAlias": ALIAS,
        "repositoryName": name,
        "repositoryArn": f"arn:aws:ecr-public:::entitled-repository/{ALIAS}/{name}",
        "repositoryUri": f"public.ecr.aws/entitled/{ALIAS}/{name}",
        "state": state,
        "entitledViaProductId": product,
        "registryDisplayName": display,
    }


def scan_findings(client, image_id: dict, name: str = "app", **extra):
    return client.describe_image_scan_findings(
        repositoryName=name, imageId=image_id, **PREMIUM, **extra
    )


# --------------------------------------------------------------------------------------
# DescribeEntitledRepositories
# --------------------------------------------------------------------------------------


def test_no_entitlement_lists_nothing(ecr, client):
    """botocore 1.44.18's model: DescribeEntitledRepositories "Returns the premium
    repositories that you're entitled to through your active Amazon Web Services
    Marketplace purchases": none without an agreement (``repositories`` is required)."""
    make_premium(client)
    ecr.entitle("another-product")
    assert body(client.describe_entitled_repositories()) == {"repositories": []}


def test_one_entry_per_entitled_product(ecr, client):
    """botocore 1.44.18's model: EntitledRepository has entitledViaProductId, "The ID of
    the Amazon Web Services Marketplace product that gives you access"; the mock lists a
    repository once per entitled product of its list, in the list's order, with the
    buyer's ARN and URI (docs/aws-behaviour.md, section "Premium repositories")."""
    make_premium(client, products=("p1", "p2", "p3"))
    for product in ("p3", "p1"):
        ecr.entitle(product)
    answer = client.describe_entitled_repositories()
    assert body(answer) == {"repositories": [entitled("app", "p1"), entitled("app", "p3")]}


def test_display_name_is_the_registrys(ecr, client):
    """botocore 1.44.18's model, registryDisplayName: "The display name of the publisher's
    registry. This value can be empty." (the registry catalog's displayName)."""
    make_premium(client)
    ecr.entitle("prod-1")
    client.put_registry_catalog_data(displayName="Acme Corp")
    [entry] = client.describe_entitled_repositories()["repositories"]
    assert entry == entitled("app", "prod-1", display="Acme Corp")


@pytest.mark.parametrize(
    ("state", "listed"), [("DRAFT", False), ("AVAILABLE", True), ("HIDDEN", True)]
)
def test_states_a_buyer_sees(ecr, client, state, listed):
    """botocore 1.44.18's model, EntitledRepository.state: AVAILABLE ("you can pull from
    it") and HIDDEN ("because you have an active entitlement, you can still pull from
    it"); a DRAFT repository "is only accessible to you" (the publisher)."""
    make_premium(client, state=state)
    ecr.entitle("prod-1")
    want = [entitled("app", "prod-1", state)] if listed else []
    assert client.describe_entitled_repositories()["repositories"] == want


def test_revoke_entitlement(ecr, client):
    """The handle's ``revoke_entitlement``: the agreement has ended, the repository is
    no longer listed; revoking one never held is no error."""
    make_premium(client, products=("p1", "p2"))
    ecr.entitle("p1")
    ecr.entitle("p2")
    ecr.revoke_entitlement("p1")
    ecr.revoke_entitlement("never-held")
    assert client.describe_entitled_repositories()["repositories"] == [entitled("app", "p2")]
    ecr.revoke_entitlement("p2")
    assert client.describe_entitled_repositories()["repositories"] == []


@pytest.mark.parametrize("product", ["", None, 5])
def test_entitle_needs_a_product_id(ecr, product):
    """The handle's ``entitle``: a non-empty str product id (TypeError otherwise)."""
    with pytest.raises(TypeError, match="product_id must be a non-empty str"):
        ecr.entitle(product)


# (repository, entitled products); a repository with none is DRAFT (never listed).
ENTITLED_PLAN = [("r0", 2), ("r1", 1), ("r2", 0), ("r3", 3), ("r4", 2), ("r5", 1), ("r6", 2)]


def _entitled_pages(client, **kwargs):
    pages = []
    while True:
        page = client.describe_entitled_repositories(**kwargs)
        pages.append(
            [(e["repositoryName"], e["entitledViaProductId"]) for e in page["repositories"]]
        )
        if "nextToken" not in page:
            return pages
        kwargs["nextToken"] = page["nextToken"]


@pytest.mark.parametrize("max_results", [1, 2, 3, 5, 11, 1000])
def test_pages_never_exceed_max_results(ecr, client, max_results):
    """botocore 1.44.18's model, maxResults: "The maximum number of results"; "A page can
    contain fewer than maxResults results, or none, and still return a nextToken. Keep
    sending requests until nextToken is null." The mock's page looks at no more than
    maxResults repositories and holds no more than maxResults entries, a repository's
    entries running over two pages where they must (docs/aws-behaviour.md, section
    "Premium repositories"); every entry comes once, in order."""
    for name, count in ENTITLED_PLAN:
        products = [f"{name}-p{i}" for i in range(3)]
        make_premium(client, name, products=products, state="AVAILABLE" if count else "DRAFT")
        for product in products[:count]:
            ecr.entitle(product)
    pages = _entitled_pages(client, maxResults=max_results)
    expected = [(name, f"{name}-p{i}") for name, count in ENTITLED_PLAN for i in range(count)]
    assert [entry for page in pages for entry in page] == expected
    assert all(len(page) <= max_results for page in pages)
    if max_results == 1:
        # One repository looked at a page: the DRAFT one gives an empty page.
        assert pages.count([]) == 1
    if max_results >= len(ENTITLED_PLAN):
        assert pages == [expected]
    full = (
        client.get_paginator("describe_entitled_repositories")
        .paginate(PaginationConfig={"PageSize": max_results})
        .build_full_result()
    )
    got = [(e["repositoryName"], e["entitledViaProductId"]) for e in full["repositories"]]
    assert got == expected


def test_a_repositorys_entries_run_over_two_pages(ecr, client):
    """With maxResults=2, a repository entitled through three products gives two entries
    on one page and the third on the next."""
    make_premium(client, "one", products=("a", "b", "c"))
    for product in "abc":
        ecr.entitle(product)
    first = client.describe_entitled_repositories(maxResults=2)
    assert first["repositories"] == [entitled("one", "a"), entitled("one", "b")]
    rest = client.describe_entitled_repositories(maxResults=2, nextToken=first["nextToken"])
    assert rest["repositories"] == [entitled("one", "c")]
    assert "nextToken" not in rest


def test_default_page_holds_a_hundred(ecr, client):
    """botocore 1.44.18's model, maxResults: "If you don't use this parameter,
    DescribeEntitledRepositories returns up to 100 results"."""
    names = [f"repo-{i:03}" for i in range(101)]
    for name in names:
        make_premium(client, name, products=(f"{name}-p",))
        ecr.entitle(f"{name}-p")
    first = client.describe_entitled_repositories()
    assert [e["repositoryName"] for e in first["repositories"]] == names[:100]
    rest = client.describe_entitled_repositories(nextToken=first["nextToken"])
    assert [e["repositoryName"] for e in rest["repositories"]] == names[100:]
    assert "nextToken" not in rest


def test_deleted_repository_is_not_listed(ecr, client):
    """A deleted premium repository is no longer entitled to anyone."""
    make_premium(client, "one")
    make_premium(client, "two")
    ecr.entitle("prod-1")
    client.delete_premium_repository(repositoryName="one")
    assert client.describe_entitled_repositories()["repositories"] == [entitled("two", "prod-1")]


def test_an_empty_page_can_carry_a_next_token(ecr, client):
    """With maxResults=1 each page looks at one repository: a DRAFT one gives an empty
    page with a nextToken, as the model warns."""
    make_premium(client, "one", products=("a",))
    make_premium(client, "two", products=("c",), state="DRAFT")
    make_premium(client, "six", products=("d",), state="HIDDEN")
    for product in "acd":
        ecr.entitle(product)
    first = client.describe_entitled_repositories(maxResults=1)
    assert first["repositories"] == [entitled("one", "a")]
    second = client.describe_entitled_repositories(maxResults=1, nextToken=first["nextToken"])
    assert second["repositories"] == []
    assert "nextToken" in second
    third = client.describe_entitled_repositories(maxResults=1, nextToken=second["nextToken"])
    assert third["repositories"] == [entitled("six", "d", "HIDDEN")]
    assert "nextToken" not in third


def test_paginator_gathers_every_entry(ecr, client):
    """botocore 1.44.18's paginators: DescribeEntitledRepositories (result key
    ``repositories``) follows nextToken through short and empty pages to the end."""
    want = []
    for index in range(12):
        name = f"repo-{index:02}"
        draft = index % 4 == 1
        products = [f"{name}-a", f"{name}-b"]
        make_premium(client, name, products=products, state="DRAFT" if draft else "AVAILABLE")
        for product in products:
            ecr.entitle(product)
        if not draft:
            want += [entitled(name, product) for product in products]
    paginator = client.get_paginator("describe_entitled_repositories")
    full = paginator.paginate(PaginationConfig={"PageSize": 5}).build_full_result()
    assert full["repositories"] == want
    assert paginator.paginate().build_full_result()["repositories"] == want


# --------------------------------------------------------------------------------------
# DescribeEntitledImages and DescribeEntitledImageTags
# --------------------------------------------------------------------------------------


ENTITLED_CALLS = ["describe_entitled_images", "describe_entitled_image_tags"]


def no_entitlement(ecr, client):
    make_premium(client)


def unknown_repository(ecr, client):
    make_premium(client, "other")
    ecr.entitle("prod-1")


def draft_repository(ecr, client):
    make_premium(client, state="DRAFT")
    ecr.entitle("prod-1")


def revoked(ecr, client):
    make_premium(client)
    ecr.entitle("prod-1")
    ecr.revoke_entitlement("prod-1")


def free_repository_only(ecr, client):
    client.create_repository(repositoryName="app")
    ecr.entitle("prod-1")


@pytest.mark.parametrize("method", ENTITLED_CALLS)
@pytest.mark.parametrize(
    "setup",
    [no_entitlement, unknown_repository, draft_repository, revoked, free_repository_only],
)
def test_entitlement_not_found(ecr, client, method, setup):
    """botocore 1.44.18's model, EntitlementNotFoundException: "You don't have an active
    Amazon Web Services Marketplace entitlement for the specified premium repository, the
    repository doesn't exist, or the repository isn't available yet" (the text is the
    mock's choice)."""
    setup(ecr, client)
    with pytest.raises(client.exceptions.EntitlementNotFoundException) as excinfo:
        getattr(client, method)(repositoryName="app", registryAlias=ALIAS)
    assert_error(excinfo, "EntitlementNotFoundException", entitlement_not_found("app"))


@pytest.mark.parametrize("method", ENTITLED_CALLS)
@pytest.mark.parametrize("alias", ["other", "acme2", "public"])
def test_wrong_alias(ecr, client, method, alias):
    """botocore 1.44.18's model, registryAlias: "The registry alias of the publisher that
    owns the premium repository"; an alias the registry does not have is
    EntitlementNotFoundException, naming it."""
    make_premium(client)
    ecr.entitle("prod-1")
    with pytest.raises(client.exceptions.EntitlementNotFoundException) as excinfo:
        getattr(client, method)(repositoryName="app", registryAlias=alias)
    assert_error(excinfo, "EntitlementNotFoundException", entitlement_not_found("app", alias))


@pytest.mark.parametrize("state", ["AVAILABLE", "HIDDEN"])
def test_entitled_images(ecr, client, state):
    """botocore 1.44.18's model: DescribeEntitledImages "Returns metadata about the
    images in a premium repository that you're entitled to"; EntitledImageDetail is the
    publisher's ImageDetail without registryId, repositoryType or subject; the answer
    echoes repositoryName and registryAlias."""
    make_premium(client, state=state)
    ecr.entitle("prod-1")
    first = push(ecr, "v1")
    second = push(ecr, None, salt="untagged")
    answer = client.describe_entitled_images(repositoryName="app", registryAlias=ALIAS)
    publisher = client.describe_images(repositoryName="app", **PREMIUM)["imageDetails"]
    want = [
        {k: v for k, v in d.items() if k not in ("registryId", "repositoryType")} for d in publisher
    ]
    assert body(answer) == {"repositoryName": "app", "registryAlias": ALIAS, "imageDetails": want}
    assert [d["imageDigest"] for d in answer["imageDetails"]] == [first, second]
    assert answer["imageDetails"][0]["imageTags"] == ["v1"]
    assert "imageTags" not in answer["imageDetails"][1]
    assert all(set(d) <= ENTITLED_IMAGE_MEMBERS for d in answer["imageDetails"])
    assert {d["imageStatus"] for d in answer["imageDetails"]} == {"ACTIVE"}


def test_entitled_images_through_the_default_alias(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": registryAlias may be any of
    the registry's aliases (the generated default one too); the answer echoes it."""
    make_premium(client)
    ecr.entitle("prod-1")
    push(ecr, "v1")
    registry = client.describe_registries()["registries"][0]
    [default] = [a["name"] for a in registry["aliases"] if a["defaultRegistryAlias"]]
    assert default != ALIAS
    answer = client.describe_entitled_images(repositoryName="app", registryAlias=default)
    assert answer["registryAlias"] == default
    assert len(answer["imageDetails"]) == 1


def test_entitled_images_show_deprecation(ecr, client):
    """botocore 1.44.18's model: EntitledImageDetail has imageStatus and
    scheduledDeletionAt ("Entitled buyers can still pull it until it's deleted"); a
    deprecated image is gone for buyers once the mock's clock reaches its time."""
    make_premium(client)
    ecr.entitle("prod-1")
    with freeze_time(T0) as frozen:
        digest = push(ecr, "v1")
        kept = push(ecr, "v2")
        client.set_image_status(
            repositoryName="app",
            repositoryType="PREMIUM",
            imageId={"imageTag": "v1"},
            status="DEPRECATED",
            deprecationPeriodDays=90,
        )
        [detail] = client.describe_entitled_images(
            repositoryName="app", registryAlias=ALIAS, imageIds=[{"imageDigest": digest}]
        )["imageDetails"]
        assert detail["imageStatus"] == "DEPRECATED"
        assert detail["scheduledDeletionAt"] == T0 + 90 * DAY
        [tag] = [
            t
            for t in client.describe_entitled_image_tags(repositoryName="app", registryAlias=ALIAS)[
                "imageTagDetails"
            ]
            if t["imageTag"] == "v1"
        ]
        assert tag["imageDetail"]["scheduledDeletionAt"] == T0 + 90 * DAY
        frozen.move_to(T0 + 90 * DAY)
        answer = client.describe_entitled_images(repositoryName="app", registryAlias=ALIAS)
        assert [d["imageDigest"] for d in answer["imageDetails"]] == [kept]


def test_entitled_images_by_id(ecr, client):
    """botocore 1.44.18's model, imageIds: "The list of image IDs for the requested
    premium repository" (as DescribeImages: by tag or digest, each image once)."""
    make_premium(client)
    ecr.entitle("prod-1")
    first = push(ecr, "v1")
    second = push(ecr, "v2")
    push(ecr, "v3")
    answer = client.describe_entitled_images(
        repositoryName="app",
        registryAlias=ALIAS,
        imageIds=[{"imageTag": "v2"}, {"imageDigest": first}, {"imageDigest": second}],
    )
    assert [d["imageDigest"] for d in answer["imageDetails"]] == [second, first]
    assert "nextToken" not in answer


def test_entitled_images_missing_id(ecr, client):
    """botocore 1.44.18's model declares ImageNotFoundException for
    DescribeEntitledImages (the usual text)."""
    make_premium(client)
    ecr.entitle("prod-1")
    push(ecr, "v1")
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        client.describe_entitled_images(
            repositoryName="app", registryAlias=ALIAS, imageIds=[{"imageTag": "v9"}]
        )
    assert_error(excinfo, "ImageNotFoundException", image_not_found(None, "v9"))


@pytest.mark.parametrize(
    ("extra", "member"),
    [({"maxResults": 1}, "maxResults"), ({"nextToken": "abc"}, "nextToken")],
)
def test_entitled_image_ids_exclude_paging(ecr, client, extra, member):
    """botocore 1.44.18's model, imageIds: "If you specify images with imageIds, you
    can't use maxResults or nextToken" (the text of DescribeImages)."""
    make_premium(client)
    ecr.entitle("prod-1")
    push(ecr, "v1")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_entitled_images(
            repositoryName="app", registryAlias=ALIAS, imageIds=[{"imageTag": "v1"}], **extra
        )
    assert_error(
        excinfo,
        "InvalidParameterException",
        invalid(member, "cannot be used together with imageIds"),
    )


@pytest.mark.parametrize(
    ("method", "result_key", "key"),
    [
        ("describe_entitled_images", "imageDetails", "imageDigest"),
        ("describe_entitled_image_tags", "imageTagDetails", "imageTag"),
    ],
)
def test_entitled_paging(ecr, client, method, result_key, key):
    """botocore 1.44.18's model and paginators: maxResults/nextToken pages, and the
    paginator (non-aggregate keys repositoryName and registryAlias) gathers them all."""
    make_premium(client)
    ecr.entitle("prod-1")
    digests = [push(ecr, f"v{i}") for i in range(5)]
    want = digests if key == "imageDigest" else [f"v{i}" for i in range(5)]
    first = getattr(client, method)(repositoryName="app", registryAlias=ALIAS, maxResults=2)
    assert [d[key] for d in first[result_key]] == want[:2]
    assert (first["repositoryName"], first["registryAlias"]) == ("app", ALIAS)
    rest = getattr(client, method)(
        repositoryName="app", registryAlias=ALIAS, maxResults=3, nextToken=first["nextToken"]
    )
    assert [d[key] for d in rest[result_key]] == want[2:]
    assert "nextToken" not in rest
    full = (
        client.get_paginator(method)
        .paginate(repositoryName="app", registryAlias=ALIAS, PaginationConfig={"PageSize": 2})
        .build_full_result()
    )
    assert [d[key] for d in full[result_key]] == want
    assert (full["repositoryName"], full["registryAlias"]) == ("app", ALIAS)


def test_entitled_image_tags(ecr, client):
    """botocore 1.44.18's model: DescribeEntitledImageTags "Returns the image tag details
    for a premium repository that you're entitled to"; each detail is the publisher's
    DescribeImageTags one; the answer echoes repositoryName and registryAlias."""
    make_premium(client)
    ecr.entitle("prod-1")
    push(ecr, "v1")
    push(ecr, "v2")
    answer = client.describe_entitled_image_tags(repositoryName="app", registryAlias=ALIAS)
    publisher = client.describe_image_tags(repositoryName="app", **PREMIUM)["imageTagDetails"]
    assert body(answer) == {
        "repositoryName": "app",
        "registryAlias": ALIAS,
        "imageTagDetails": publisher,
    }
    assert [t["imageTag"] for t in answer["imageTagDetails"]] == ["v1", "v2"]


# --------------------------------------------------------------------------------------
# DescribeImageScanFindings
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [{}, {"repositoryType": "FREE"}], ids=["absent", "FREE"])
@pytest.mark.parametrize("free_exists", [False, True])
def test_scan_of_a_free_repository(ecr, client, kind, free_exists):
    """botocore 1.44.18's model, repositoryType: "image scanning is supported only for
    premium repositories, so you must specify PREMIUM. If you don't specify a type, Amazon
    ECR uses FREE, and the request fails with ValidationException" (the mock's text),
    whether or not a free repository holds the image."""
    if free_exists:
        client.create_repository(repositoryName="app")
        ecr.push_image("app", "v1")
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.describe_image_scan_findings(
            repositoryName="app", imageId={"imageTag": "v1"}, **kind
        )
    assert_error(excinfo, "ValidationException", SCAN_NOT_PREMIUM)


@pytest.mark.parametrize("by", ["tag", "digest"])
def test_default_scan_is_complete_without_findings(ecr, client, by):
    """botocore 1.44.18's model: "Images in premium repositories are scanned automatically
    when they're pushed"; the mock's scan is COMPLETE at once with no findings unless a
    test sets some (docs/aws-behaviour.md, section "Premium repositories"). The answer
    names the image as asked, with its digest."""
    make_premium(client, state="DRAFT")
    with freeze_time(T0):
        digest = push(ecr, "v1")
    image_id = {"imageTag": "v1"} if by == "tag" else {"imageDigest": digest}
    answer = scan_findings(client, image_id)
    assert body(answer) == {
        "registryId": ACCOUNT,
        "repositoryName": "app",
        "imageId": {**image_id, "imageDigest": digest},
        "imageScanStatus": {"status": "COMPLETE"},
        "imageScanFindings": {
            "imageScanCompletedAt": T0,
            "vulnerabilitySourceUpdatedAt": T0,
            "findingSeverityCounts": {},
            "findings": [],
        },
    }


def test_scan_unknown_image_and_repository(ecr, client):
    """botocore 1.44.18's model declares ImageNotFoundException and
    RepositoryNotFoundException (the usual texts)."""
    make_premium(client)
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        scan_findings(client, {"imageTag": "v1"})
    assert_error(excinfo, "ImageNotFoundException", image_not_found(None, "v1"))
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        scan_findings(client, {"imageTag": "v1"}, name="other")
    assert_error(excinfo, "RepositoryNotFoundException", repo_not_found("other"))


def test_scan_findings_and_severity_counts(ecr, client):
    """botocore 1.44.18's model: ImageScanFindings has findingSeverityCounts and findings
    (ImageScanFinding). The handle's ``set_scan_findings`` sets what the scan found; the
    mock fills findingId, awsAccountId, the times (now), status ACTIVE, type
    PACKAGE_VULNERABILITY and severity UNDEFINED where a finding leaves them out, and
    counts the severities."""
    make_premium(client)
    digest = push(ecr, "v1")
    given = [
        {"severity": "HIGH", "title": "CVE-1", "description": "bad"},
        {"severity": "CRITICAL", "title": "CVE-2", "score": 9.8},
        {"severity": "HIGH", "title": "CVE-3", "status": "SUPPRESSED"},
        {"title": "CVE-4", "type": "CODE_VULNERABILITY"},
        {"severity": "LOW", "title": "CVE-5", "findingId": "custom-id"},
    ]
    with freeze_time(T0):
        ecr.set_scan_findings("app", "v1", given)
    answer = scan_findings(client, {"imageDigest": digest})
    assert answer["imageScanStatus"] == {"status": "COMPLETE"}
    scan = answer["imageScanFindings"]
    assert scan["findingSeverityCounts"] == {"HIGH": 2, "CRITICAL": 1, "UNDEFINED": 1, "LOW": 1}
    assert scan["imageScanCompletedAt"] == T0
    findings = scan["findings"]
    assert [f["title"] for f in findings] == ["CVE-1", "CVE-2", "CVE-3", "CVE-4", "CVE-5"]
    for finding, sent in zip(findings, given, strict=True):
        filled = {
            "awsAccountId": ACCOUNT,
            "firstObservedAt": T0,
            "lastObservedAt": T0,
            "updatedAt": T0,
            "status": "ACTIVE",
            "type": "PACKAGE_VULNERABILITY",
            "severity": "UNDEFINED",
        }
        rest = {k: v for k, v in finding.items() if k != "findingId"}
        assert rest == {**filled, **{k: v for k, v in sent.items() if k != "findingId"}}
    assert findings[4]["findingId"] == "custom-id"
    ids = [f["findingId"] for f in findings[:4]]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(set(ids)) == 4


def test_scan_status_and_description_from_the_handle(ecr, client):
    """The handle's ``set_scan_findings`` also sets the scan's status and description
    (imageScanStatus)."""
    make_premium(client)
    push(ecr, "v1")
    ecr.set_scan_findings("app", "v1", status="FAILED", description="scanner error")
    answer = scan_findings(client, {"imageTag": "v1"})
    assert answer["imageScanStatus"] == {"status": "FAILED", "description": "scanner error"}
    assert answer["imageScanFindings"]["findings"] == []


def test_scan_findings_are_per_image(ecr, client):
    """Findings set for one image are not another's."""
    make_premium(client)
    push(ecr, "v1")
    push(ecr, "v2")
    ecr.set_scan_findings("app", "v1", [{"severity": "MEDIUM"}])
    assert scan_findings(client, {"imageTag": "v2"})["imageScanFindings"]["findings"] == []
    counts = scan_findings(client, {"imageTag": "v1"})["imageScanFindings"]["findingSeverityCounts"]
    assert counts == {"MEDIUM": 1}


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"findings": [{"severity": "SEVERE"}]}, ValueError, "severity must be one of"),
        ({"status": "DONE"}, ValueError, "status must be one of"),
    ],
)
def test_set_scan_findings_checks_its_values(ecr, client, arguments, error, match):
    """The handle's ``set_scan_findings`` takes the model's ScanStatus and a finding's
    severity among INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNDEFINED (ValueError)."""
    make_premium(client)
    push(ecr, "v1")
    with pytest.raises(error, match=match):
        ecr.set_scan_findings("app", "v1", **arguments)


def test_set_scan_findings_of_a_missing_image(ecr, client):
    """The handle's helpers raise the ClientError the API would (the usual texts)."""
    make_premium(client)
    with pytest.raises(client.exceptions.ImageNotFoundException) as excinfo:
        ecr.set_scan_findings("app", "v1", [])
    assert excinfo.value.response["Error"] == {
        "Code": "ImageNotFoundException",
        "Message": image_not_found(None, "v1"),
    }
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        ecr.set_scan_findings("other", "v1", [])
    assert excinfo.value.response["Error"] == {
        "Code": "RepositoryNotFoundException",
        "Message": repo_not_found("other"),
    }


@pytest.mark.parametrize(("page_size", "sizes"), [(3, [3, 3, 1]), (7, [7]), (1, [1] * 7)])
def test_scan_findings_paging(ecr, client, page_size, sizes):
    """botocore 1.44.18's model: maxResults (1-100) and nextToken page the findings; its
    paginator's result key is imageScanFindings.findings, with the other members
    non-aggregate."""
    make_premium(client)
    digest = push(ecr, "v1")
    ecr.set_scan_findings("app", "v1", [{"title": f"F{i}"} for i in range(7)])
    pages = []
    kwargs = {"maxResults": page_size}
    while True:
        page = scan_findings(client, {"imageDigest": digest}, **kwargs)
        pages.append([f["title"] for f in page["imageScanFindings"]["findings"]])
        assert page["imageScanFindings"]["findingSeverityCounts"] == {"UNDEFINED": 7}
        if "nextToken" not in page:
            break
        kwargs["nextToken"] = page["nextToken"]
    assert [len(page) for page in pages] == sizes
    assert [title for page in pages for title in page] == [f"F{i}" for i in range(7)]
    full = (
        client.get_paginator("describe_image_scan_findings")
        .paginate(
            repositoryName="app",
            repositoryType="PREMIUM",
            imageId={"imageDigest": digest},
            PaginationConfig={"PageSize": page_size},
        )
        .build_full_result()
    )
    assert [f["title"] for f in full["imageScanFindings"]["findings"]] == [
        f"F{i}" for i in range(7)
    ]
    assert full["imageScanStatus"] == {"status": "COMPLETE"}


def test_scan_findings_default_page(ecr, client):
    """docs/aws-behaviour.md, section "Premium repositories": findings are paged, 100 by
    default (the model's maximum maxResults for DescribeImageScanFindings is 100)."""
    make_premium(client)
    push(ecr, "v1")
    ecr.set_scan_findings("app", "v1", [{"title": f"F{i}"} for i in range(150)])
    first = scan_findings(client, {"imageTag": "v1"})
    assert len(first["imageScanFindings"]["findings"]) == 100
    rest = scan_findings(client, {"imageTag": "v1"}, nextToken=first["nextToken"])
    titles = [f["title"] for f in rest["imageScanFindings"]["findings"]]
    assert titles == [f"F{i}" for i in range(100, 150)]
    assert "nextToken" not in rest


def test_scan_token_of_another_image(ecr, client):
    """AWS documents nextToken as opaque; the mock's tokens name their listing: a token
    of one image's findings is refused for another's (the invalid-token text)."""
    make_premium(client)
    push(ecr, "v1")
    push(ecr, "v2")
    for tag in ("v1", "v2"):
        ecr.set_scan_findings("app", tag, [{"title": "a"}, {"title": "b"}])
    token = scan_findings(client, {"imageTag": "v1"}, maxResults=1)["nextToken"]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        scan_findings(client, {"imageTag": "v2"}, maxResults=1, nextToken=token)
    assert_error(excinfo, "InvalidParameterException", INVALID_TOKEN)


def test_manifest_list_is_not_scanned(ecr, client):
    """botocore 1.44.18's model: ScanStatus has UNSUPPORTED_IMAGE; the mock does not scan
    manifest lists and image indexes (its description text), their platform images are
    scanned (docs/aws-behaviour.md, section "Premium repositories")."""
    make_premium(client)
    amd = ecr.push_image("app", "amd", layers=[b"a"], repository_type="PREMIUM")
    arm = ecr.push_image(
        "app", "arm", layers=[b"b"], platform=("linux", "arm64"), repository_type="PREMIUM"
    )
    ecr.push_index("app", "multi", [amd, arm], repository_type="PREMIUM")
    answer = scan_findings(client, {"imageTag": "multi"})
    assert answer["imageScanStatus"] == {
        "status": "UNSUPPORTED_IMAGE",
        "description": LIST_NOT_SCANNED,
    }
    assert answer["imageScanFindings"]["findings"] == []
    assert scan_findings(client, {"imageDigest": amd})["imageScanStatus"] == {"status": "COMPLETE"}


def test_waiter_returns_at_once(ecr, client):
    """botocore 1.44.18's waiters: ImageScanComplete polls DescribeImageScanFindings every
    10 seconds until the status is COMPLETE (or ACTIVE); the mock's scan is complete when
    the image is stored, so the waiter returns after one call, without sleeping."""
    make_premium(client)
    push(ecr, "v1")
    client.get_waiter("image_scan_complete").wait(
        repositoryName="app", repositoryType="PREMIUM", imageId={"imageTag": "v1"}
    )
    assert [c.operation for c in ecr.calls].count("DescribeImageScanFindings") == 1


def test_waiter_fails_for_a_manifest_list(ecr, client):
    """botocore 1.44.18's waiters: UNSUPPORTED_IMAGE is a failure state of
    ImageScanComplete: the waiter fails after one call."""
    make_premium(client)
    digest = push(ecr, "v1")
    ecr.push_index("app", "multi", [digest], repository_type="PREMIUM")
    waiter = client.get_waiter("image_scan_complete")
    with pytest.raises(WaiterError, match="terminal failure state"):
        waiter.wait(repositoryName="app", repositoryType="PREMIUM", imageId={"imageTag": "multi"})
    assert [c.operation for c in ecr.calls].count("DescribeImageScanFindings") == 1


# --------------------------------------------------------------------------------------
# ListPublisherReports
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("granularity", "start", "end"),
    [
        ("MONTHLY", "2024-02-01", "2024-02-29"),
        ("MONTHLY", "2023-02-01", "2023-02-28"),
        ("MONTHLY", "2024-12-01", "2024-12-31"),
        ("MONTHLY", "2024-04-01", "2024-04-30"),
        ("WEEKLY", "2024-01-01", "2024-01-07"),
        ("WEEKLY", "2024-12-30", "2025-01-05"),
    ],
)
@pytest.mark.parametrize("report_type", ["SUMMARY", "TRENDS"])
def test_report_entry(ecr, client, report_type, granularity, start, end):
    """botocore 1.44.18's model: a PublisherReport has reportId, reportType, granularity,
    period {startDate, endDate}, sizeInBytes, createdAt; "WEEKLY: Each report covers one
    week, from Monday to Sunday. MONTHLY: Each report covers one calendar month." The
    mock's id is 32 lowercase hex digits and sizeInBytes the compressed size
    (docs/aws-behaviour.md, section "Premium repositories")."""
    csv = b"image,pulls\napp:v1,42\n"
    with freeze_time(T0) as frozen:
        report_id = ecr.add_publisher_report(
            start, csv, report_type=report_type, granularity=granularity
        )
        url = client.get_download_url_for_publisher_report(reportId=report_id)["downloadUrl"]
        compressed = ecr.download(url)
        frozen.move_to(T0 + DAY)
        answer = client.list_publisher_reports()
    assert re.fullmatch(r"[0-9a-f]{32}", report_id)
    assert gzip.decompress(compressed) == csv
    assert body(answer) == {
        "reports": [
            {
                "reportId": report_id,
                "reportType": report_type,
                "granularity": granularity,
                "period": {"startDate": start, "endDate": end},
                "sizeInBytes": len(compressed),
                "createdAt": T0,
            }
        ]
    }


@pytest.mark.parametrize(
    ("granularity", "start", "match"),
    [
        ("WEEKLY", "2024-01-02", "a WEEKLY report starts on a Monday"),
        ("MONTHLY", "2024-01-15", "a MONTHLY report starts on the 1st"),
        ("DAILY", "2024-01-01", "granularity must be one of WEEKLY, MONTHLY"),
    ],
)
def test_add_publisher_report_checks_the_period(ecr, granularity, start, match):
    """The handle's ``add_publisher_report``: a week starts on a Monday, a month on the
    1st, granularity is the model's (ValueError)."""
    with pytest.raises(ValueError, match=match):
        ecr.add_publisher_report(start, b"x", granularity=granularity)


def test_reports_in_creation_order_with_filters(ecr, client):
    """botocore 1.44.18's model: "If you don't specify a type, reports of all types are
    listed", likewise granularity; the mock lists in creation order."""
    made = []
    for report_type, granularity, start in [
        ("TRENDS", "WEEKLY", "2024-01-08"),
        ("SUMMARY", "MONTHLY", "2024-01-01"),
        ("SUMMARY", "WEEKLY", "2024-01-01"),
        ("TRENDS", "MONTHLY", "2023-12-01"),
    ]:
        report_id = ecr.add_publisher_report(
            start, b"csv", report_type=report_type, granularity=granularity
        )
        made.append((report_id, report_type, granularity))

    def listed(**filters):
        return [r["reportId"] for r in client.list_publisher_reports(**filters)["reports"]]

    def wanted(report_type=None, granularity=None):
        return [i for i, t, g in made if report_type in (None, t) and granularity in (None, g)]

    assert listed() == wanted()
    for report_type in ("SUMMARY", "TRENDS"):
        assert listed(reportType=report_type) == wanted(report_type)
        for granularity in ("WEEKLY", "MONTHLY"):
            assert listed(granularity=granularity) == wanted(None, granularity)
            assert listed(reportType=report_type, granularity=granularity) == wanted(
                report_type, granularity
            )


def test_report_paging(ecr, client):
    """botocore 1.44.18's model and paginators: maxResults/nextToken page the reports;
    the paginator gathers them all, in creation order."""
    ids = [ecr.add_publisher_report(f"2024-{m:02}-01", b"csv") for m in range(1, 6)]
    first = client.list_publisher_reports(maxResults=2)
    assert [r["reportId"] for r in first["reports"]] == ids[:2]
    rest = client.list_publisher_reports(maxResults=5, nextToken=first["nextToken"])
    assert [r["reportId"] for r in rest["reports"]] == ids[2:]
    assert "nextToken" not in rest
    full = (
        client.get_paginator("list_publisher_reports")
        .paginate(PaginationConfig={"PageSize": 2})
        .build_full_result()
    )
    assert [r["reportId"] for r in full["reports"]] == ids


@pytest.mark.parametrize(
    "filters",
    [{"reportType": "SUMMARY"}, {"granularity": "WEEKLY"}, {"reportType": "TRENDS"}],
)
def test_filtered_pages_may_be_short(ecr, client, filters):
    """botocore 1.44.18's model, maxResults: "A page can contain fewer than maxResults
    reports, so use nextToken to check for more." The mock's page looks at maxResults
    reports and leaves out those the filters exclude (docs/aws-behaviour.md, section
    "Premium repositories"); the paginator gathers exactly the matching ones."""
    plan = [
        ("SUMMARY", "MONTHLY", "2024-01-01"),
        ("TRENDS", "WEEKLY", "2024-01-01"),
        ("TRENDS", "MONTHLY", "2024-02-01"),
        ("SUMMARY", "WEEKLY", "2024-01-08"),
        ("TRENDS", "WEEKLY", "2024-01-15"),
        ("SUMMARY", "MONTHLY", "2024-03-01"),
        ("SUMMARY", "WEEKLY", "2024-01-22"),
    ]
    matching, every = [], []
    for report_type, granularity, start in plan:
        report_id = ecr.add_publisher_report(
            start, b"csv", report_type=report_type, granularity=granularity
        )
        every.append(report_id)
        if all(
            {"reportType": report_type, "granularity": granularity}[k] == v
            for k, v in filters.items()
        ):
            matching.append(report_id)
    assert len(matching) >= 3
    first = client.list_publisher_reports(maxResults=2, **filters)
    # The first two reports, those of them that match.
    assert [r["reportId"] for r in first["reports"]] == [i for i in every[:2] if i in matching]
    assert "nextToken" in first
    full = (
        client.get_paginator("list_publisher_reports")
        .paginate(PaginationConfig={"PageSize": 2}, **filters)
        .build_full_result()
    )
    assert [r["reportId"] for r in full["reports"]] == matching


@pytest.mark.parametrize(
    ("first_filters", "then_filters"),
    [
        ({}, {"reportType": "SUMMARY"}),
        ({}, {"granularity": "MONTHLY"}),
        ({"reportType": "SUMMARY"}, {}),
        ({"reportType": "SUMMARY"}, {"reportType": "TRENDS"}),
        ({"granularity": "MONTHLY"}, {"reportType": "SUMMARY", "granularity": "MONTHLY"}),
    ],
)
def test_report_token_with_other_filters(ecr, client, first_filters, then_filters):
    """botocore 1.44.18's model, nextToken: "You must specify the same reportType and
    granularity values as the request that returned the token; otherwise, the request
    fails with InvalidParameterException" (the usual invalid-token text)."""
    for month in range(1, 5):
        ecr.add_publisher_report(f"2024-{month:02}-01", b"csv", report_type="SUMMARY")
    token = client.list_publisher_reports(maxResults=1, **first_filters)["nextToken"]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.list_publisher_reports(maxResults=1, nextToken=token, **then_filters)
    assert_error(excinfo, "InvalidParameterException", INVALID_TOKEN)
    again = client.list_publisher_reports(maxResults=1, nextToken=token, **first_filters)
    assert len(again["reports"]) == 1


def test_reports_older_than_365_days_are_not_listed(ecr, client):
    """botocore 1.44.18's model: ListPublisherReports "Lists the publisher reports for
    your public registry that were created in the last 365 days"."""
    with freeze_time(T0) as frozen:
        old = ecr.add_publisher_report("2024-04-01", b"old")
        frozen.move_to(T0 + 200 * DAY)
        new = ecr.add_publisher_report("2024-10-01", b"new")
        frozen.move_to(T0 + 364 * DAY)
        assert [r["reportId"] for r in client.list_publisher_reports()["reports"]] == [old, new]
        frozen.move_to(T0 + 366 * DAY)
        assert [r["reportId"] for r in client.list_publisher_reports()["reports"]] == [new]
        frozen.move_to(T0 + 566 * DAY)
        assert client.list_publisher_reports()["reports"] == []


# --------------------------------------------------------------------------------------
# GetDownloadUrlForPublisherReport
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("report_id", ["0" * 32, "abc", "a" * 64])
def test_unknown_report(ecr, client, report_id):
    """botocore 1.44.18's model declares PublisherReportNotFoundException, "The specified
    publisher report can't be found" (the text is the mock's choice)."""
    ecr.add_publisher_report("2024-01-01", b"csv")
    with pytest.raises(client.exceptions.PublisherReportNotFoundException) as excinfo:
        client.get_download_url_for_publisher_report(reportId=report_id)
    assert_error(excinfo, "PublisherReportNotFoundException", report_not_found(report_id))


def test_download_url(ecr, client):
    """botocore 1.44.18's model: GetDownloadUrlForPublisherReport "Returns a URL that you
    can use to download a publisher report as a compressed CSV file"; the answer is
    reportId and downloadUrl. The mock's URL (not served: https on public.ecr.aws) is
    signed and expires an hour from now; ``ecr.download`` reads the gzip bytes."""
    csv = b"image,pulls,version_checks\napp:v1,10,3\napp:v2,7,1\n"
    report_id = ecr.add_publisher_report("2024-03-04", csv, granularity="WEEKLY")
    with freeze_time(T0):
        answer = client.get_download_url_for_publisher_report(reportId=report_id)
    assert set(body(answer)) == {"reportId", "downloadUrl"}
    assert answer["reportId"] == report_id
    url = answer["downloadUrl"]
    parsed = urllib.parse.urlsplit(url)
    assert (parsed.scheme, parsed.netloc) == ("https", "public.ecr.aws")
    assert parsed.path == f"/_ecrpublic_mock/reports/{report_id}"
    query = urllib.parse.parse_qs(parsed.query)
    assert query["expires"] == [str(int((T0 + dt.timedelta(hours=1)).timestamp()))]
    assert re.fullmatch(r"[0-9a-f]{64}", query["signature"][0])
    with freeze_time(T0 + dt.timedelta(minutes=5)):
        assert gzip.decompress(ecr.download(url)) == csv


def test_download_url_expires_after_an_hour(ecr, client):
    """botocore 1.44.18's model leaves the lifetime unsaid; the mock's link is valid one
    hour on its clock (LookupError from ``ecr.download`` afterwards, as the served mock
    answers 403)."""
    report_id = ecr.add_publisher_report("2024-01-01", b"csv")
    with freeze_time(T0) as frozen:
        url = client.get_download_url_for_publisher_report(reportId=report_id)["downloadUrl"]
        frozen.move_to(T0 + dt.timedelta(minutes=59, seconds=59))
        assert gzip.decompress(ecr.download(url)) == b"csv"
        frozen.move_to(T0 + dt.timedelta(hours=1, seconds=1))
        with pytest.raises(LookupError, match="not a valid publisher report link"):
            ecr.download(url)
        fresh = client.get_download_url_for_publisher_report(reportId=report_id)["downloadUrl"]
        assert gzip.decompress(ecr.download(fresh)) == b"csv"


@pytest.mark.parametrize(
    "forge",
    [
        lambda url: url.replace("signature=", "signature=0"),
        lambda url: re.sub(r"expires=(\d+)", lambda m: f"expires={int(m[1]) + 3600}", url),
        lambda url: url.replace("/reports/", "/reports/0"),
        lambda url: url.split("?")[0],
    ],
    ids=["signature", "expires", "report-id", "no-query"],
)
def test_forged_download_url(ecr, client, forge):
    """The mock's link is signed: an edited one is refused (LookupError)."""
    report_id = ecr.add_publisher_report("2024-01-01", b"csv")
    url = client.get_download_url_for_publisher_report(reportId=report_id)["downloadUrl"]
    with pytest.raises(LookupError, match="not a valid publisher report link"):
        ecr.download(forge(url))


def test_reports_are_per_mock(ecr, client):
    """Every activation starts with fresh state: another mock has no report of this one."""
    report_id = ecr.add_publisher_report("2024-01-01", b"csv")
    with mock_ecr_public(registry_verified=True, registry_alias="acme"):
        other = boto3.client("ecr-public", region_name="us-east-1")
        assert other.list_publisher_reports()["reports"] == []
        with pytest.raises(other.exceptions.PublisherReportNotFoundException):
            other.get_download_url_for_publisher_report(reportId=report_id)
    assert len(client.list_publisher_reports()["reports"]) == 1
