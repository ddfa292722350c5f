"""Image scans of premium repositories: every image is scanned when it is stored.

AWS scans premium images with Amazon Inspector on push and says nothing of how long a scan
takes; the mock's scan is complete at once, with the findings a test set for the image
(none by default). Manifest lists and indexes are not scanned (docs/aws-behaviour.md,
section "Premium repositories").
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any

from . import messages
from .clock import now_in_seconds
from .manifests import LIST_TYPES
from .ordered import OrderedIndex
from .state import Scan

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .state import Image, Repository

COMPLETE, UNSUPPORTED_IMAGE = "COMPLETE", "UNSUPPORTED_IMAGE"
SEVERITIES = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL", "UNDEFINED")


def scan(repo: Repository, image: Image) -> None:
    """The scan a push starts: complete, with no findings (a test sets its own)."""
    if image.media_type in LIST_TYPES:
        image.scan = Scan(UNSUPPORTED_IMAGE, messages.LIST_NOT_SCANNED, now_in_seconds())
    else:
        image.scan = Scan(COMPLETE, None, now_in_seconds())
    image.changed()


def set_findings(
    repo: Repository,
    image: Image,
    findings: Iterable[Mapping[str, Any]],
    status: str,
    description: str | None,
) -> None:
    """Replace an image's scan with one that found ``findings``: each a dict of the
    model's ImageScanFinding members; what a finding leaves out gets Inspector's usual
    value (an id, the account, now, ``ACTIVE``, ``PACKAGE_VULNERABILITY``)."""
    moment = now_in_seconds()
    index: OrderedIndex[dict[str, Any]] = OrderedIndex()
    for number, given in enumerate(findings):
        finding = {
            "findingId": str(uuid.uuid4()),
            "awsAccountId": repo.registry_id,
            "firstObservedAt": moment,
            "lastObservedAt": moment,
            "updatedAt": moment,
            "status": "ACTIVE",
            "type": "PACKAGE_VULNERABILITY",
            "severity": "UNDEFINED",
            **given,
        }
        index.add(str(number), finding)
    counts = Counter(finding["severity"] for finding in index.page(-1, len(index))[0])
    image.scan = Scan(status, description, moment, index, dict(counts))
    image.changed()
