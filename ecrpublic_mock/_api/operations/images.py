"""PutImage, DescribeImages, DescribeImageTags and BatchDeleteImage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core.images import image, remove
from ..._core.images import put_image as put
from ..._core.premium import check_deletable
from ..encoded import Encoded, kept, kept_each
from .request import Params, Request, table

if TYPE_CHECKING:
    from ..._core.state import Image, Repository, TagRecord


def put_image(request: Request) -> Params:
    params = request.params
    repo = request.repository()
    tag = params.get("imageTag")
    stored = put(
        request.registry,
        repo,
        params["imageManifest"],
        tag,
        digest=params.get("imageDigest"),
        media_type=params.get("imageManifestMediaType"),
    )
    image_id = {"imageDigest": stored.digest}
    if tag is not None:
        image_id["imageTag"] = tag
    output = request.typed(repo, {"registryId": repo.registry_id, "repositoryName": repo.name})
    output.update(
        imageId=image_id,
        imageManifest=stored.manifest,
        # The stored image's: the same bytes pushed again under another
        # imageManifestMediaType are still the image DescribeImages reports.
        imageManifestMediaType=stored.media_type,
    )
    if stored.subject is not None:
        output["subjectManifestDigest"] = stored.subject
    return {"image": output}


def summary(repo: Repository, found: Image) -> Params:
    """What DescribeImages, DescribeImageTags and the buyer's calls all report of an
    image; its status only in a premium repository (the only kind that has one)."""
    output: Params = {
        "imageDigest": found.digest,
        "imageSizeInBytes": found.size,
        "imagePushedAt": found.pushed_at.timestamp(),
        "imageManifestMediaType": found.media_type,
    }
    if found.artifact_media_type is not None:
        output["artifactMediaType"] = found.artifact_media_type
    if repo.premium:
        output["imageStatus"] = found.status
        if found.deletion_at is not None:
            output["scheduledDeletionAt"] = found.deletion_at.timestamp()
    return output


def _detail(repo: Repository, typed: bool, found: Image) -> Params:
    detail: Params = {"registryId": repo.registry_id, "repositoryName": repo.name}
    if typed:
        detail["repositoryType"] = repo.kind
    detail.update(summary(repo, found))
    if found.tags:
        detail["imageTags"] = list(found.tags)
    if found.subject is not None:
        detail["subjectManifestDigest"] = found.subject
    return detail


def named_images(request: Request, repo: Repository, kind: str) -> tuple[list[Image], Params]:
    """The images a describe call asks for: those its ``imageIds`` name (each image once,
    in the order first named), or a page of them all."""
    request.exclusive("imageIds")
    image_ids = request.params.get("imageIds")
    if image_ids is None:
        return request.page(repo.images, kind)
    found: dict[str, Image] = {}
    for image_id in image_ids:
        match = image(repo, image_id.get("imageDigest"), image_id.get("imageTag"))
        found[match.digest] = match
    return list(found.values()), {}


def describe_images(request: Request) -> Params:
    repo = request.repository()
    images, extra = named_images(request, repo, "images")
    # Each image's entry is built once per change of the image (see encoded), in the two
    # forms an answer can take: with repositoryType, or without.
    typed = request.types(repo)
    key = "typed detail" if typed else "detail"
    return {"imageDetails": kept_each(images, key, _detail, repo, typed), **extra}


def _tag_detail(repo: Repository, record: TagRecord, found: Image) -> Params:
    return {
        "imageTag": record.tag,
        "createdAt": record.created_at.timestamp(),
        "imageDetail": summary(repo, found),
    }


def tag_details(request: Request, repo: Repository, kind: str) -> tuple[Encoded, Params]:
    """A page of the repository's tags, each with its image's summary (kept on the image,
    by tag record: a tag moved or pushed again is a new record, and changes the images)."""
    records, extra = request.page(repo.image_tags, kind)
    details = Encoded()
    for record in records:
        found = record.image
        derived = found.derived  # (kept's look-up, without a call per tag)
        text = None if derived is None else derived.get(record)
        details.append(
            kept(found, record, _tag_detail, repo, record, found) if text is None else text
        )
    return details, extra


def describe_image_tags(request: Request) -> Params:
    details, extra = tag_details(request, request.repository(), "tags")
    return {"imageTagDetails": details, **extra}


def batch_delete_image(request: Request) -> Params:
    repo = request.repository()
    check_deletable(repo)
    deleted: list[Params] = []
    failures: list[Params] = []
    for image_id in request.params["imageIds"]:
        outcome = remove(repo, image_id.get("imageDigest"), image_id.get("imageTag"))
        if outcome.failure is not None:
            code, reason = outcome.failure
            failures.append({"imageId": image_id, "failureCode": code, "failureReason": reason})
            continue
        for digest, tag in outcome.removed:
            deleted.append(
                {"imageDigest": digest} if tag is None else {"imageDigest": digest, "imageTag": tag}
            )
    return {"imageIds": deleted, "failures": failures}


HANDLERS = table(put_image, describe_images, describe_image_tags, batch_delete_image)
