"""The operations botocore 1.44.18 added: premium repositories, their products, state,
policies and catalog data; associations; image status; scan findings; the buyer's view
of entitled repositories; publisher reports."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from ..._core import messages
from ..._core.catalog import catalog_view, merge_catalog
from ..._core.deprecation import check_settable, set_status
from ..._core.images import image
from ..._core.policies import delete_policy, get_policy, set_policy
from ..._core.premium import (
    associate,
    create_premium,
    disassociate,
    entitled_products,
    entitled_repository,
    put_products,
    require_premium,
    set_state,
)
from ..._core.reports import download_link, find_report, listed
from ..._core.repositories import delete_repository as delete
from ..._core.state import PREMIUM
from ..encoded import kept_each
from .images import named_images, summary, tag_details
from .repositories import creation, entries, listing, repository_output
from .request import Params, Request, table

if TYPE_CHECKING:
    from ..._core.state import Image, Repository


def _premium_output(repo: Repository) -> Params:
    return {
        **repository_output(repo),
        "marketplaceProducts": list(repo.products),
        "state": repo.state,
    }


def _premium(request: Request) -> Repository:
    return request.repository(PREMIUM)


def _named(repo: Repository, **members: object) -> Params:
    return {"registryId": repo.registry_id, "repositoryName": repo.name, **members}


def create_premium_repository(request: Request) -> Params:
    products = request.params["marketplaceProducts"]
    repo = create_premium(request.registry, products, *creation(request))
    return {"premiumRepository": _premium_output(repo), "catalogData": catalog_view(repo)}


def describe_premium_repositories(request: Request) -> Params:
    repos, extra = listing(request, PREMIUM)
    return {"repositories": entries(request, repos, _premium_output, _sold), **extra}


def _sold(repo: Repository) -> tuple[str | None, tuple[str, ...]]:
    """What a premium repository's entry reads besides what every repository's does."""
    return repo.state, tuple(repo.products)


def delete_premium_repository(request: Request) -> Params:
    repo = _premium(request)
    output = repository_output(repo)
    output.pop("associatedRepositories", None)  # the answer has only these five members
    delete(request.registry, repo, force=False)
    return {"premiumRepository": output}


def set_repository_state(request: Request) -> Params:
    require_premium(request.kind)
    repo = request.repository()
    set_state(repo, request.params["state"])
    return _named(repo, repositoryType=repo.kind, state=repo.state)


def put_premium_repository_products(request: Request) -> Params:
    repo = _premium(request)
    put_products(repo, request.params["marketplaceProducts"])
    return _named(repo, marketplaceProducts=list(repo.products))


def get_premium_repository_catalog_data(request: Request) -> Params:
    repo = _premium(request)
    if not repo.catalog:
        raise messages.error(messages.CATALOG_DATA_NOT_FOUND, repo=repo)
    return _named(repo, catalogData=catalog_view(repo))


def put_premium_repository_catalog_data(request: Request) -> Params:
    repo = _premium(request)
    catalog = request.params["catalogData"]
    merge_catalog(repo, catalog, catalog.get("logoImageBlob"))
    return _named(repo, catalogData=catalog_view(repo))


def set_premium_repository_policy(request: Request) -> Params:
    repo = _premium(request)
    text = set_policy(repo, request.params["policyText"], force=bool(request.params.get("force")))
    return _named(repo, policyText=text)


def get_premium_repository_policy(request: Request) -> Params:
    repo = _premium(request)
    return _named(repo, policyText=get_policy(repo))


def delete_premium_repository_policy(request: Request) -> Params:
    repo = _premium(request)
    return _named(repo, policyText=delete_policy(repo))


def _pair(request: Request) -> tuple[tuple[str, str], tuple[str, str]]:
    params = request.params
    request.registry_id(params["repositoryName"])
    return (
        (params["repositoryName"], params["repositoryType"]),
        (params["associatedRepositoryName"], params["associatedRepositoryType"]),
    )


def _pair_output(request: Request) -> Params:
    members = (
        "repositoryName",
        "repositoryType",
        "associatedRepositoryName",
        "associatedRepositoryType",
    )
    return {"registryId": request.registry.account_id, **{m: request.params[m] for m in members}}


def associate_repositories(request: Request) -> Params:
    associate(request.registry, *_pair(request))
    return _pair_output(request)


def disassociate_repositories(request: Request) -> Params:
    disassociate(request.registry, *_pair(request))
    return _pair_output(request)


def _image_id(request: Request, found: Image) -> Params:
    """The request's imageId with the digest it resolved to."""
    return {**request.params["imageId"], "imageDigest": found.digest}


def set_image_status(request: Request) -> Params:
    params = request.params
    require_premium(request.kind)
    repo = request.repository()
    status, days = params["status"], params.get("deprecationPeriodDays")
    check_settable(repo, status, days)
    image_id = params["imageId"]
    found = image(repo, image_id.get("imageDigest"), image_id.get("imageTag"))
    set_status(repo, found, status, days)
    output: Params = {
        "repositoryName": repo.name,
        "repositoryType": repo.kind,
        "imageId": _image_id(request, found),
        "status": found.status,
    }
    if found.deletion_at is not None:
        output["scheduledDeletionAt"] = found.deletion_at.timestamp()
    return output


def describe_image_scan_findings(request: Request) -> Params:
    if request.kind != PREMIUM:
        raise messages.error(messages.SCAN_NOT_PREMIUM)
    repo = request.repository()
    image_id = request.params["imageId"]
    found = image(repo, image_id.get("imageDigest"), image_id.get("imageTag"))
    scan = found.scan
    assert scan is not None  # every image of a premium repository is scanned when stored
    findings, extra = request.page(scan.findings, f"findings:{found.digest}")
    status: Params = {"status": scan.status}
    if scan.description is not None:
        status["description"] = scan.description
    output = _named(repo, imageId=_image_id(request, found), imageScanStatus=status)
    output["imageScanFindings"] = {
        "imageScanCompletedAt": scan.completed_at.timestamp(),
        "vulnerabilitySourceUpdatedAt": scan.completed_at.timestamp(),
        "findingSeverityCounts": dict(scan.severities),
        "findings": [_finding(finding) for finding in findings],
    }
    return {**output, **extra}


def _finding(value: Any) -> Any:
    """A finding on the wire: its times (at any depth) as epoch seconds."""
    if isinstance(value, dict):
        return {key: _finding(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finding(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return value


# -- the buyer's side -------------------------------------------------------------------


def describe_entitled_repositories(request: Request) -> Params:
    registry = request.registry
    display = registry.catalog.get("displayName", "")

    def entries(repo: Repository) -> list[Params]:
        """One entry per product of the repository the account is entitled to."""
        return [
            {
                "registryAlias": registry.alias,
                "repositoryName": repo.name,
                "repositoryArn": repo.entitled_arn,
                "repositoryUri": repo.entitled_uri,
                "state": repo.state,
                "entitledViaProductId": product,
                "registryDisplayName": display,
            }
            for product in entitled_products(registry, repo)
        ]

    found, extra = request.page_entries(registry.premium, "entitled", entries)
    return {"repositories": found, **extra}


def _entitled(request: Request) -> Repository:
    params = request.params
    return entitled_repository(request.registry, params["registryAlias"], params["repositoryName"])


def _entitled_detail(repo: Repository, found: Image) -> Params:
    detail: Params = {"repositoryName": repo.name, **summary(repo, found)}
    if found.tags:
        detail["imageTags"] = list(found.tags)
    return detail


def describe_entitled_images(request: Request) -> Params:
    repo = _entitled(request)
    images, extra = named_images(request, repo, "entitled-images")
    details = kept_each(images, "entitled", _entitled_detail, repo)
    return {**_entitled_echo(request, repo), "imageDetails": details, **extra}


def describe_entitled_image_tags(request: Request) -> Params:
    repo = _entitled(request)
    details, extra = tag_details(request, repo, "entitled-tags")
    return {**_entitled_echo(request, repo), "imageTagDetails": details, **extra}


def _entitled_echo(request: Request, repo: Repository) -> Params:
    return {"repositoryName": repo.name, "registryAlias": request.params["registryAlias"]}


# -- publisher reports ------------------------------------------------------------------


def list_publisher_reports(request: Request) -> Params:
    params = request.params
    report_type, granularity = params.get("reportType"), params.get("granularity")
    # A token is good only with the filters it was issued for (the model's nextToken).
    reports, extra = request.page(request.registry.reports, f"reports:{report_type}:{granularity}")
    return {
        "reports": [
            {
                "reportId": report.report_id,
                "reportType": report.report_type,
                "granularity": report.granularity,
                "period": {
                    "startDate": report.start.isoformat(),
                    "endDate": report.end.isoformat(),
                },
                "sizeInBytes": len(report.content),
                "createdAt": report.created_at.timestamp(),
            }
            for report in reports
            if listed(report)
            and report_type in (None, report.report_type)
            and granularity in (None, report.granularity)
        ],
        **extra,
    }


def get_download_url_for_publisher_report(request: Request) -> Params:
    report = find_report(request.registry, request.params["reportId"])
    return {"reportId": report.report_id, "downloadUrl": download_link(request.registry, report)}


HANDLERS = table(
    create_premium_repository,
    describe_premium_repositories,
    delete_premium_repository,
    set_repository_state,
    put_premium_repository_products,
    get_premium_repository_catalog_data,
    put_premium_repository_catalog_data,
    set_premium_repository_policy,
    get_premium_repository_policy,
    delete_premium_repository_policy,
    associate_repositories,
    disassociate_repositories,
    set_image_status,
    describe_image_scan_findings,
    describe_entitled_repositories,
    describe_entitled_images,
    describe_entitled_image_tags,
    list_publisher_reports,
    get_download_url_for_publisher_report,
)
