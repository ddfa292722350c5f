"""The region rules, in one place: which endpoint URL or SigV4 scope names which region,
and which regions ECR Public serves (docs/aws-behaviour.md, section "Regions")."""

from __future__ import annotations

import pytest

from ecrpublic_mock._api import regions as _regions

SIGV4 = "AWS4-HMAC-SHA256"


@pytest.mark.parametrize(
    ("authorization", "region"),
    [
        (None, "us-east-1"),
        ("", "us-east-1"),
        (f"{SIGV4} Credential=AK/20240101/us-west-2/ecr-public/aws4_request", "us-west-2"),
        (f"{SIGV4} Credential=AK/20240101/eu-west-1/ecr-public/aws4_request, S=1", "eu-west-1"),
        ("Bearer token", "us-east-1"),
    ],
)
def test_scope_region(authorization, region):
    assert _regions.scope_region(authorization) == region


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://api.ecr-public.us-east-1.amazonaws.com/", "us-east-1"),
        ("https://api.ecr-public.us-west-2.amazonaws.com", "us-west-2"),
        ("https://api.ecr-public-fips.us-east-1.amazonaws.com/", "us-east-1"),
        ("https://ecr-public.us-east-1.api.aws/", "us-east-1"),
        ("https://api.ecr-public.eu-west-1.amazonaws.com/", "eu-west-1"),
        ("https://api.ecr-public.US-EAST-1.amazonaws.com/", "US-EAST-1"),
        ("https://api.ecr-public.us-gov-west-1.amazonaws.com/", "us-gov-west-1"),
        # Other partitions: ECR Public has no endpoint there at all.
        ("https://api.ecr-public.cn-north-1.amazonaws.com.cn/", None),
        ("https://api.ecr-public.us-east-1.amazonaws.com.cn/", None),
        ("https://api.ecr-public.us-iso-east-1.c2s.ic.gov/", None),
        ("https://api.ecr-public.us-isob-east-1.sc2s.sgov.gov/", None),
        # Custom endpoints are served as the home region.
        ("http://localhost:4566", "us-east-1"),
        ("http://127.0.0.1:5000/", "us-east-1"),
        ("http://ecr-public.example.test:5000/", "us-east-1"),
    ],
)
def test_endpoint_region(url, region):
    assert _regions.endpoint_region(url) == region


@pytest.mark.parametrize(
    ("region", "served"),
    [("us-east-1", True), ("us-west-2", True), ("eu-west-1", False), (None, False)],
)
def test_served(region, served):
    assert _regions.served(region) is served
