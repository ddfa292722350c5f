"""PutImage, DescribeImages, DescribeImageTags and BatchDeleteImage."""

from __future__ import annotations

import hashlib

from ._clock import epoch
from ._errors import ServiceError
from ._manifests import DIGEST, Manifest, parse
from ._operations import Params, exclusive, operation, page, repository
from ._state import Image, Registry, Repository, TagRecord


def _digest_list(digests: list[str]) -> str:
    return f"[{', '.join(digests)}]"


def _quoted(value: str | None) -> str:
    """How ECR's messages print an optional member: quoted, or 'null' when absent."""
    return f"'{value if value is not None else 'null'}'"


def _in_repository(repo: Repository) -> str:
    return f"repository with name '{repo.name}' in the registry with id '{repo.registry_id}'"


@operation("PutImage")
def put_image(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "PutImage", params)
    text: str = params["imageManifest"]
    tag: str | None = params.get("imageTag")
    settings = registry.settings
    manifest = parse(text, params.get("imageManifestMediaType"), settings.max_layers_per_image)
    digest = f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"
    given = params.get("imageDigest")
    if given is not None and given != digest:
        raise ServiceError(
            "ImageDigestDoesNotMatchException",
            f"The image with digest '{given}' in repository '{repo.name}' and registry ID "
            f"'{repo.registry_id}' does not match the image digest that Amazon ECR has "
            "calculated.",
        )
    missing = [d for d in manifest.required_blobs if d not in repo.layers]
    if missing:
        raise ServiceError(
            "LayersNotFoundException",
            f"Layers with digests '{_digest_list(missing)}' required for pushing image into "
            f"{_in_repository(repo)} do not exist",
        )
    absent = [
        d for d in dict.fromkeys(r.digest for r in manifest.references) if d not in repo.images
    ]
    if absent:
        raise ServiceError(
            "ReferencedImagesNotFoundException",
            f"Images with digests '{_digest_list(absent)}' required for pushing image into "
            f"{_in_repository(repo)} do not exist",
        )
    image = repo.images.get(digest)
    if image is not None and (tag is None or tag in image.tags):
        raise ServiceError(
            "ImageAlreadyExistsException",
            f"Image with digest '{digest}' and tag '{tag or 'null'}' already exists in the "
            f"repository with name '{repo.name}' in registry with id '{repo.registry_id}'",
        )
    holder = repo.image_tags.get(tag) if tag is not None else None
    if holder is not None and repo.mutability == "IMMUTABLE":
        raise ServiceError(
            "ImageTagAlreadyExistsException",
            f"The image tag '{tag}' already exists in the '{repo.name}' repository and cannot "
            "be overwritten because the repository is immutable.",
        )
    if image is None and len(repo.images) >= settings.max_images_per_repository:
        raise ServiceError(
            "LimitExceededException",
            f"The maximum number of images ({settings.max_images_per_repository}) in the "
            f"repository with name '{repo.name}' has been reached",
        )
    if image is not None and len(image.tags) >= settings.max_tags_per_image:
        raise ServiceError(
            "LimitExceededException",
            f"The image with digest '{digest}' cannot have more than "
            f"{settings.max_tags_per_image} tags",
        )
    # Every check passed: only now does anything change.
    pushed = image is None
    if image is None:
        image = _store(repo, digest, text, manifest)
    if tag is not None:
        if holder is not None:
            _untag(repo, holder)
        image.tags[tag] = None
        # A tag pushed with its image carries the image's push time (AWS CLI examples).
        record = TagRecord(tag, digest, image.pushed_at) if pushed else TagRecord(tag, digest)
        repo.image_tags.add(tag, record)
    image_id = {"imageDigest": digest}
    if tag is not None:
        image_id["imageTag"] = tag
    return {
        "image": {
            "registryId": repo.registry_id,
            "repositoryName": repo.name,
            "imageId": image_id,
            "imageManifest": text,
            # The stored image's: the same bytes pushed again under another
            # imageManifestMediaType are still the image DescribeImages reports.
            "imageManifestMediaType": image.media_type,
        }
    }


def _store(repo: Repository, digest: str, text: str, manifest: Manifest) -> Image:
    references = tuple(dict.fromkeys(r.digest for r in manifest.references))
    # A list's size is its largest image's; an image's, the sum of its layers.
    sizes = [repo.images[d].size for d in references]
    size = max(sizes) if sizes else manifest.size
    config = manifest.config
    image = Image(
        digest=digest,
        manifest=text,
        media_type=manifest.media_type,
        artifact_media_type=config.media_type if config is not None else None,
        size=size,
        config_digest=config.digest if config is not None else None,
        references=references,
    )
    repo.images.add(digest, image)
    for child in references:
        repo.referrers.setdefault(child, {})[digest] = None
    # A layer is reported with the media type the manifests describe it with.
    for descriptor in (config, *manifest.layers):
        if descriptor is not None and descriptor.media_type is not None:
            layer = repo.layers.get(descriptor.digest)
            if layer is not None:
                layer.media_type = descriptor.media_type
    return image


def _untag(repo: Repository, record: TagRecord) -> None:
    """Take a tag off its image; the image stays, untagged if that was its last tag."""
    repo.image_tags.remove(record.tag)
    del repo.images[record.digest].tags[record.tag]


def _delete(repo: Repository, image: Image) -> None:
    repo.images.remove(image.digest)
    for tag in image.tags:
        repo.image_tags.remove(tag)
    for child in image.references:
        lists = repo.referrers[child]
        del lists[image.digest]
        if not lists:
            del repo.referrers[child]


def _summary(image: Image) -> Params:
    """What DescribeImages and DescribeImageTags both report of an image."""
    summary: Params = {
        "imageDigest": image.digest,
        "imageSizeInBytes": image.size,
        "imagePushedAt": epoch(image.pushed_at),
        "imageManifestMediaType": image.media_type,
    }
    if image.artifact_media_type is not None:
        summary["artifactMediaType"] = image.artifact_media_type
    return summary


def image_detail(repo: Repository, image: Image) -> Params:
    detail: Params = {"registryId": repo.registry_id, "repositoryName": repo.name}
    detail.update(_summary(image))
    if image.tags:
        detail["imageTags"] = list(image.tags)
    return detail


def _find(repo: Repository, image_id: Params) -> Image | None:
    digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
    if tag is not None:
        record = repo.image_tags.get(tag)
        if record is None or (digest is not None and record.digest != digest):
            return None
        digest = record.digest
    return repo.images.get(digest) if digest is not None else None


@operation("DescribeImages")
def describe_images(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "DescribeImages", params)
    exclusive(params, "imageIds")
    image_ids = params.get("imageIds")
    if image_ids is not None:
        found: dict[str, Image] = {}
        for image_id in image_ids:
            image = _find(repo, image_id)
            if image is None:
                raise ServiceError(
                    "ImageNotFoundException",
                    f"The image with imageId {{imageDigest:{_quoted(image_id.get('imageDigest'))}, "
                    f"imageTag:{_quoted(image_id.get('imageTag'))}}} does not exist within the "
                    f"{_in_repository(repo)}",
                )
            found[image.digest] = image
        return {"imageDetails": [image_detail(repo, image) for image in found.values()]}
    images, extra = page(registry, repo.images, "images", params)
    return {"imageDetails": [image_detail(repo, image) for image in images], **extra}


@operation("DescribeImageTags")
def describe_image_tags(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "DescribeImageTags", params)
    records, extra = page(registry, repo.image_tags, "tags", params)
    details = []
    for record in records:
        image = repo.images.get(record.digest)
        assert image is not None  # a tag always names a stored image
        details.append(
            {
                "imageTag": record.tag,
                "createdAt": epoch(record.created_at),
                "imageDetail": _summary(image),
            }
        )
    return {"imageTagDetails": details, **extra}


def _failure(image_id: Params, code: str, reason: str) -> Params:
    return {"imageId": image_id, "failureCode": code, "failureReason": reason}


@operation("BatchDeleteImage")
def batch_delete_image(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "BatchDeleteImage", params)
    deleted: list[Params] = []
    failures: list[Params] = []
    for image_id in params["imageIds"]:
        digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
        if digest is None and tag is None:
            failures.append(
                _failure(
                    image_id,
                    "MissingDigestAndTag",
                    "Invalid request parameters: both tag and digest cannot be null",
                )
            )
            continue
        if digest is not None and not DIGEST.fullmatch(digest):
            failures.append(
                _failure(
                    image_id,
                    "InvalidImageDigest",
                    "Invalid request parameters: image digest should satisfy the regex "
                    "'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
                )
            )
            continue
        record = repo.image_tags.get(tag) if tag is not None else None
        if record is not None and digest is not None and record.digest != digest:
            failures.append(
                _failure(
                    image_id,
                    "ImageTagDoesNotMatchDigest",
                    "Invalid request parameters: given tag does not map to the given digest",
                )
            )
            continue
        image = _find(repo, image_id)
        if image is None:
            failures.append(_failure(image_id, "ImageNotFound", "Requested image not found"))
            continue
        if record is not None and len(image.tags) > 1:
            _untag(repo, record)
            deleted.append({"imageDigest": image.digest, "imageTag": record.tag})
            continue
        # The image itself goes: refused while a manifest list in the repository names it.
        lists = repo.referrers.get(image.digest)
        if lists:
            failures.append(
                _failure(
                    image_id,
                    "ImageReferencedByManifestList",
                    f"Requested image referenced by manifest list: {_digest_list(list(lists))}",
                )
            )
            continue
        if image.tags:
            deleted.extend({"imageDigest": image.digest, "imageTag": t} for t in image.tags)
        else:
            deleted.append({"imageDigest": image.digest})
        _delete(repo, image)
    return {"imageIds": deleted, "failures": failures}
