"""Image status in premium repositories: deprecation, its cancellation, and deletion when
the deprecation period ends, with the manifest-list ordering rules (the model's
SetImageStatus documentation; docs/aws-behaviour.md, section "Premium repositories").

AWS deletes a deprecated image "within 24 hours" after its scheduled time; the mock
deletes it the moment its clock (freezegun's, in a test) reaches that time, when the
repository is next looked up.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from . import messages
from .clock import now_in_seconds
from .images import delete_image

if TYPE_CHECKING:
    from .state import Image, Repository

ACTIVE, DEPRECATED = "ACTIVE", "DEPRECATED"


def check_settable(repo: Repository, status: str, days: int | None) -> None:
    """The rules of the request itself: a period exactly when deprecating, and a
    (premium) repository past DRAFT."""
    if status == DEPRECATED and days is None:
        raise messages.invalid(messages.PERIOD_MISSING)
    if status == ACTIVE and days is not None:
        raise messages.invalid(messages.PERIOD_UNEXPECTED)
    if repo.state == "DRAFT":
        raise messages.error(messages.STATUS_IN_DRAFT, repo=repo)


def set_status(repo: Repository, image: Image, status: str, days: int | None) -> None:
    """Deprecate ``image`` for ``days`` (a new period replaces an earlier one), or make
    it ACTIVE again; a failed rule changes nothing."""
    if status == ACTIVE:
        deprecated = [
            child
            for child in image.references
            if (found := repo.images.get(child)) is not None and found.deletion_at is not None
        ]
        if deprecated:
            raise messages.error(messages.LIST_REFERENCES_DEPRECATED, list=image.digest)
        image.deletion_at = None
        image.changed()
        repo.deprecated.pop(image.digest, None)
        return
    when = now_in_seconds() + datetime.timedelta(days=days or 0)
    # Every list that names the image goes first: deprecated, and deleted earlier.
    for digest in repo.referrers.get(image.digest, {}):
        holder = repo.images[digest]
        if holder.deletion_at is None or holder.deletion_at >= when:
            raise messages.error(
                messages.LIST_NOT_DEPRECATED_FIRST, digest=image.digest, list=digest
            )
    # A list goes before every deprecated image it names.
    for child in image.references:
        found = repo.images.get(child)
        if found is not None and found.deletion_at is not None and found.deletion_at <= when:
            raise messages.error(messages.LIST_DELETED_AFTER_IMAGE, list=image.digest, digest=child)
    image.deletion_at = when
    image.changed()
    repo.deprecated[image.digest] = when


def purge(repo: Repository, moment: datetime.datetime) -> None:
    """Delete the deprecated images whose time has come, earliest first (a list is
    always scheduled before the images it names, so it goes first)."""
    due = sorted(
        (when, not repo.images[digest].references, digest)
        for digest, when in repo.deprecated.items()
        if when <= moment
    )
    for _, _, digest in due:
        delete_image(repo, repo.images[digest])
