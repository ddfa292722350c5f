"""Publisher reports: compressed CSVs of a week or a month, and their download links.

AWS documents a report's members and that its download URL lasts "up to one hour", and
leaves the rest undocumented (id form, URL form, CSV columns, compression): the mock
chooses gzip, 32 hex digits of id, and a link to its own server signed with the
registry's key (docs/aws-behaviour.md, section "Premium repositories").
"""

from __future__ import annotations

import calendar
import datetime
import gzip
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from . import messages
from .clock import now, now_in_seconds
from .state import Report

if TYPE_CHECKING:
    from .state import Registry

REPORT_TYPES = ("SUMMARY", "TRENDS")
GRANULARITIES = ("WEEKLY", "MONTHLY")
KEPT = datetime.timedelta(days=365)  # ListPublisherReports covers the last 365 days
LINK_LIFETIME = datetime.timedelta(hours=1)
PATH = "/_ecrpublic_mock/reports/"


def add_report(
    registry: Registry, report_type: str, granularity: str, start: datetime.date, csv: bytes
) -> Report:
    """A report of the period that starts on ``start`` (a Monday for WEEKLY, the first of
    a month for MONTHLY), created now."""
    if report_type not in REPORT_TYPES:
        raise ValueError(
            f"report_type must be one of {', '.join(REPORT_TYPES)}, got {report_type!r}"
        )
    if granularity == "WEEKLY":
        if start.weekday() != 0:
            raise ValueError(f"a WEEKLY report starts on a Monday, got {start.isoformat()}")
        end = start + datetime.timedelta(days=6)
    elif granularity == "MONTHLY":
        if start.day != 1:
            raise ValueError(f"a MONTHLY report starts on the 1st, got {start.isoformat()}")
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    else:
        raise ValueError(
            f"granularity must be one of {', '.join(GRANULARITIES)}, got {granularity!r}"
        )
    report = Report(
        report_id=secrets.token_hex(16),
        report_type=report_type,
        granularity=granularity,
        start=start,
        end=end,
        content=gzip.compress(csv, mtime=0),
        created_at=now_in_seconds(),
    )
    registry.reports.add(report.report_id, report)
    return report


def listed(report: Report) -> bool:
    """Still listed: created in the last 365 days."""
    return report.created_at > now() - KEPT


def find_report(registry: Registry, report_id: str) -> Report:
    report = registry.reports.get(report_id)
    if report is None or not listed(report):
        raise messages.error(messages.REPORT_NOT_FOUND, report_id=report_id)
    return report


def _signature(registry: Registry, report_id: str, expires: int) -> str:
    payload = f"report:{report_id}:{expires}".encode()
    return hmac.new(registry.key, payload, hashlib.sha256).hexdigest()


def download_link(registry: Registry, report: Report) -> str:
    """A link good for one hour on the mock's clock: to the server while served."""
    expires = int((now() + LINK_LIFETIME).timestamp())
    scheme = "https" if registry.host == "public.ecr.aws" else "http"
    signature = _signature(registry, report.report_id, expires)
    return (
        f"{scheme}://{registry.host}{PATH}{report.report_id}"
        f"?expires={expires}&signature={signature}"
    )


def download(registry: Registry, report_id: str, expires: str, signature: str) -> bytes | None:
    """The compressed report a link names, while it is valid; None for a link that
    is forged, expired or names no report."""
    report = registry.reports.get(report_id)
    # Epoch seconds: ASCII digits, few enough for int() (which refuses 4,300 and more).
    if report is None or not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
        return None
    good = hmac.compare_digest(signature, _signature(registry, report_id, int(expires)))
    if not good or int(expires) <= now().timestamp():
        return None
    return report.content
