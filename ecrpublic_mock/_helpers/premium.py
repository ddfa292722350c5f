"""The handle's premium helpers: what AWS Marketplace (entitlements), Amazon Inspector
(scan findings), the Gallery (badges) and the reporting pipeline (publisher reports)
decide outside the API, set by a test. Errors for a repository or an image that is not
there are the ClientErrors the API would raise."""

from __future__ import annotations

import datetime
import urllib.parse
from typing import TYPE_CHECKING, Any

from .._core.images import image as find_image
from .._core.reports import PATH, add_report
from .._core.reports import download as read_report
from .._core.repositories import find_repository
from .._core.scans import SEVERITIES
from .._core.state import FREE, PREMIUM
from .._model.validation import validate
from .push import as_client_error

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .._core.state import Registry

BADGES = ("FIPS", "STIG", "SIGNED", "SBOM", "CIS")
SCAN_STATUSES = (
    "FAILED",
    "UNSUPPORTED_IMAGE",
    "ACTIVE",
    "COMPLETE",
    "PENDING",
    "SCAN_ELIGIBILITY_EXPIRED",
    "FINDINGS_UNAVAILABLE",
)


def entitle(registry: Registry, product_id: str, *, held: bool) -> None:
    if not isinstance(product_id, str) or not product_id:
        raise TypeError(f"product_id must be a non-empty str, got {product_id!r}")
    with registry.lock:
        if held:
            registry.entitlements[product_id] = None
        else:
            registry.entitlements.pop(product_id, None)


def set_scan_findings(
    registry: Registry,
    repository: str,
    image: str,
    findings: Iterable[Mapping[str, Any]],
    status: str,
    description: str | None,
) -> None:
    from .._core.manifests import image_id
    from .._core.scans import set_findings

    if status not in SCAN_STATUSES:
        raise ValueError(f"status must be one of {', '.join(SCAN_STATUSES)}, got {status!r}")
    given = [dict(finding) for finding in findings]
    for finding in given:
        severity = finding.get("severity", "UNDEFINED")
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got {severity!r}")

    def run() -> None:
        with registry.lock:
            validate("InitiateLayerUpload", {"repositoryName": repository})
            repo = find_repository(registry, repository, PREMIUM)
            found = find_image(repo, *image_id(image))
            set_findings(repo, found, given, status, description)

    as_client_error("DescribeImageScanFindings", run)


def set_badges(registry: Registry, repository: str, badges: tuple[str, ...], premium: bool) -> None:
    unknown = [badge for badge in badges if badge not in BADGES]
    if unknown or len(set(badges)) != len(badges):
        raise ValueError(f"badges are distinct ones of {', '.join(BADGES)}, got {list(badges)}")

    def run() -> None:
        with registry.lock:
            repo = find_repository(registry, repository, PREMIUM if premium else FREE)
            repo.badges = badges

    as_client_error("GetRepositoryCatalogData", run)


def add_publisher_report(
    registry: Registry,
    start_date: datetime.date | str,
    csv: bytes,
    report_type: str,
    granularity: str,
) -> str:
    start = datetime.date.fromisoformat(start_date) if isinstance(start_date, str) else start_date
    if not isinstance(csv, bytes):
        raise TypeError(f"csv must be bytes, not {type(csv).__name__}")
    with registry.lock:
        return add_report(registry, report_type, granularity, start, csv).report_id


def download(registry: Registry, url: str) -> bytes:
    """The report behind a download URL; LookupError for a link that is expired, forged
    or not a report's (as the served mock answers 403 or 404)."""
    parsed = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parsed.query))
    report_id = parsed.path.removeprefix(PATH) if parsed.path.startswith(PATH) else ""
    with registry.lock:
        content = read_report(
            registry, report_id, query.get("expires", ""), query.get("signature", "")
        )
    if content is None:
        raise LookupError(f"{url!r} is not a valid publisher report link (expired or forged)")
    return content
