"""Which regions ECR Public serves, and the region a request is addressed to.

The service has one home, us-east-1; us-west-2 has an endpoint that serves no operation
(each is UnsupportedCommandException, GetAuthorizationToken included); nowhere else has an
endpoint at all (docs/aws-behaviour.md, section "Regions").
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

HOME_REGION = "us-east-1"
# Reachable, but it serves nothing: "GetAuthorizationToken command is only supported in
# us-east-1." (codeship-library/aws-utilities#117, aws/aws-cdk#24244).
SECOND_REGION = "us-west-2"
SERVED_REGIONS = frozenset({HOME_REGION, SECOND_REGION})

# botocore's endpoint forms: api.ecr-public.<region>.<suffix>, ecr-public-fips.<region>...,
# and the dual-stack ecr-public.<region>.<dual-stack suffix>.
_ENDPOINT = re.compile(r"https?://(?:api\.)?ecr-public(?:-fips)?\.([^./:]+)\.([^:/]+)(?:[:/]|$)")
# SigV4: Credential=AKID/20240101/us-east-1/ecr-public/aws4_request
_SCOPE = re.compile(r"Credential=[^/,\s]+/[0-9]{8}/([^/,\s]+)/")


@cache
def _partition_suffixes() -> dict[str, str]:
    """DNS suffix -> partition id, from botocore's own partition data (read once)."""
    import botocore.loaders

    suffixes: dict[str, str] = {}
    for partition in botocore.loaders.create_loader().load_data("partitions")["partitions"]:
        outputs = partition["outputs"]
        for key in ("dnsSuffix", "dualStackDnsSuffix"):
            suffixes.setdefault(outputs[key], partition["id"])
    return suffixes


@lru_cache(maxsize=256)
def endpoint_region(url: str) -> str | None:
    """The region an AWS endpoint URL belongs to, as served by the mock.

    None for an endpoint of another partition (aws-cn, aws-iso, aws-eusc, ...): ECR Public
    has none there. A custom endpoint (``endpoint_url``) is served as the home region.
    Regions are compared exactly: ``US-EAST-1`` has no endpoint either.
    """
    match = _ENDPOINT.match(url)
    if match is None:
        return HOME_REGION
    partition = _partition_suffixes().get(match.group(2))
    if partition is None:
        return HOME_REGION
    return match.group(1) if partition == "aws" else None


def scope_region(authorization: str | None) -> str:
    """The region of a SigV4 credential scope; the home region when the request is unsigned."""
    match = _SCOPE.search(authorization or "")
    return match.group(1) if match else HOME_REGION


def served(region: str | None) -> bool:
    return region in SERVED_REGIONS
