"""The handle's premium helpers refuse wrong arguments at once, naming the argument, and
the served mock answers a publisher report's download link (GetDownloadUrlForPublisherReport)
over HTTP as the handle's ``download`` reads it."""

from __future__ import annotations

import datetime as dt
import gzip
import urllib.error
import urllib.request

import boto3
import pytest
from _support import needs_premium
from freezegun import freeze_time

from ecrpublic_mock import mock_ecr_public

pytestmark = needs_premium


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"registry_alias": 5}, TypeError, "registry_alias must be None or a str, not int"),
        ({"registry_alias": "A"}, ValueError, "registry_alias must be 2-50 characters"),
        ({"registry_alias": "premium"}, ValueError, "and not entitled or premium"),
        ({"registry_alias": "entitled"}, ValueError, "and not entitled or premium"),
        ({"registry_verified": "yes"}, TypeError, "registry_verified must be a bool, not str"),
    ],
)
def test_the_premium_options_are_checked(options, error, match):
    """A wrong option fails when the mock is made, not mid-test; ``premium`` and
    ``entitled`` are the mock's registry paths (docs/aws-behaviour.md, section "Premium
    repositories")."""
    with pytest.raises(error, match=match):
        mock_ecr_public(**options)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda ecr: ecr.push_image("app", repository_type="GOLD"), ValueError,
         "repository_type must be 'FREE' or 'PREMIUM', not 'GOLD'"),
        (lambda ecr: ecr.add_publisher_report("2024-01-01", b"x", report_type="DAILY"),
         ValueError, "report_type must be one of SUMMARY, TRENDS, got 'DAILY'"),
        (lambda ecr: ecr.add_publisher_report("2024-01-01", "text"), TypeError,
         "csv must be bytes, not str"),
        (lambda ecr: ecr.set_badges("app", ["GOLD"]), ValueError,
         r"badges are distinct ones of FIPS, STIG, SIGNED, SBOM, CIS, got \['GOLD'\]"),
        (lambda ecr: ecr.set_badges("app", ["FIPS", "FIPS"]), ValueError,
         "badges are distinct ones of"),
        (lambda ecr: ecr.set_scan_findings("app", "v1", status="DONE"), ValueError,
         "status must be one of FAILED, UNSUPPORTED_IMAGE"),
        (lambda ecr: ecr.set_scan_findings("app", "v1", [{"severity": "BAD"}]), ValueError,
         "severity must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNDEFINED"),
        (lambda ecr: ecr.download("https://public.ecr.aws/elsewhere"), LookupError,
         "is not a valid publisher report link"),
    ],
)  # fmt: skip
def test_the_helpers_check_their_arguments(call, error, match):
    with (
        mock_ecr_public(registry_verified=True, registry_alias="acme") as ecr,
        pytest.raises(error, match=match),
    ):
        call(ecr)


def _get(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_served_mock_answers_a_report_link():
    """botocore 1.44.18's model: the URL is valid "for up to one hour"; the mock's link
    leads to its own server, which answers the gzip-compressed CSV while it is good and
    403 once it has expired or was forged (the mock's choice: docs/aws-behaviour.md,
    section "Premium repositories"); only GET and HEAD are served there. The expired link
    is made on a frozen clock before the server starts (no server runs under freezegun)."""
    with mock_ecr_public(registry_verified=True, registry_alias="acme") as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        report_id = ecr.add_publisher_report("2024-04-01", b"image,pulls\napp,3\n")
        with freeze_time(dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc)):
            old = client.get_download_url_for_publisher_report(reportId=report_id)["downloadUrl"]
        assert old.startswith(f"https://public.ecr.aws/_ecrpublic_mock/reports/{report_id}?")
        with ecr.serve() as srv:
            url = client.get_download_url_for_publisher_report(reportId=report_id)["downloadUrl"]
            assert url.startswith(f"{srv.url}/_ecrpublic_mock/reports/{report_id}?expires=")
            status, content = _get(url)
            assert (status, gzip.decompress(content)) == (200, b"image,pulls\napp,3\n")
            assert _get(url.replace("signature=", "signature=0"))[0] == 403
            assert _get(url, "POST")[0] == 405
            status, body = _get(old.replace("https://public.ecr.aws", srv.url))
    assert status == 403
    assert body == (
        b'{"__type":"AccessDenied","message":'
        b'"The link is expired, or it is not a publisher report\'s link"}'
    )
