"""Images and image tags: PutImage's rules, look-ups, untagging and deletion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import messages
from .clock import now_in_seconds
from .digests import DIGEST, digest_of
from .errors import ServiceError
from .manifests import Manifest, image_id, parse
from .media_types import HELM_CONFIG
from .scans import scan
from .state import Image, TagRecord
from .uploads import expire, release_layers, use_layers

if TYPE_CHECKING:
    from .state import Registry, Repository


def put_image(
    registry: Registry,
    repo: Repository,
    manifest_text: str,
    tag: str | None = None,
    *,
    digest: str | None = None,
    media_type: str | None = None,
) -> Image:
    """Store a manifest under an optional tag, with every rule PutImage has, in its order:
    the manifest, the digest, layers present, referenced images present (and not
    deprecated), already there, tag immutability, then the quotas. A failure changes
    nothing."""
    settings = registry.settings
    manifest = parse(manifest_text, media_type, settings.max_layers_per_image)
    expire(registry)  # a layer unused past its deadline is not there
    computed = digest_of(manifest_text.encode())
    if digest is not None and digest != computed:
        raise messages.error(messages.IMAGE_DIGEST_MISMATCH, digest=digest, repo=repo)
    layers, images = repo.layers, repo.images
    missing = [d for d in manifest.required_blobs if d not in layers]
    if missing:
        raise messages.error(messages.LAYERS_NOT_FOUND, digests=messages.listed(missing), repo=repo)
    if manifest.referenced:
        _check_referenced(repo, manifest.referenced)
    image = images.get(computed)
    if image is not None and (tag is None or tag in image.tags):
        raise messages.error(
            messages.IMAGE_ALREADY_EXISTS, digest=computed, tag=tag or "null", repo=repo
        )
    holder = repo.image_tags.get(tag) if tag is not None else None
    if holder is not None and repo.mutability == "IMMUTABLE":
        raise messages.error(messages.IMAGE_TAG_ALREADY_EXISTS, tag=holder.tag, repo=repo)
    if image is None and len(repo.images) >= settings.max_images_per_repository:
        raise messages.error(
            messages.IMAGE_LIMIT, quota=settings.max_images_per_repository, repo=repo
        )
    if image is not None and len(image.tags) >= settings.max_tags_per_image:
        raise messages.error(
            messages.TAGS_PER_IMAGE_LIMIT, digest=computed, quota=settings.max_tags_per_image
        )
    # Every check passed: only now does anything change.
    pushed = image is None
    if image is None:
        image = _store(repo, computed, manifest_text, manifest)
    if tag is not None:
        if holder is not None:
            untag(repo, holder)
        image.tags[tag] = None
        image.changed()
        # A tag pushed with its image carries the image's push time (AWS CLI examples).
        record = TagRecord(tag, computed, image, image.pushed_at if pushed else now_in_seconds())
        repo.image_tags.add(tag, record)
    return image


def _check_referenced(repo: Repository, referenced: tuple[str, ...]) -> None:
    """The images a list names are there, and (a list is deleted before the images it
    names) none of them is deprecated."""
    absent = [d for d in referenced if d not in repo.images]
    if absent:
        raise messages.error(
            messages.REFERENCED_IMAGES_NOT_FOUND, digests=messages.listed(absent), repo=repo
        )
    deprecated = [d for d in referenced if repo.images[d].deletion_at is not None]
    if deprecated:
        raise messages.error(messages.LIST_OVER_DEPRECATED, digests=messages.listed(deprecated))


def push_manifest(
    registry: Registry, repo: Repository, manifest_text: str, reference: str, media_type: str | None
) -> Image:
    """A manifest pushed through the registry endpoint, by digest or by tag: PutImage with
    its rules, except that pushing what is already there succeeds (clients push again
    without asking), unless it would re-tag in an immutable repository."""
    digest, tag = image_id(reference)
    try:
        return put_image(registry, repo, manifest_text, tag, digest=digest, media_type=media_type)
    except ServiceError as error:
        if error.code != messages.IMAGE_ALREADY_EXISTS.code:
            raise
    if tag is None:  # already there under the digest it was pushed by
        return repo.images[reference]
    if repo.mutability == "IMMUTABLE":
        raise messages.error(messages.IMAGE_TAG_ALREADY_EXISTS, tag=tag, repo=repo)
    return repo.images[repo.image_tags[tag].digest]  # already there under this tag


def _store(repo: Repository, digest: str, text: str, manifest: Manifest) -> Image:
    references = manifest.referenced
    # A list's size is its largest image's; an image's, the sum of its layers.
    size = max(repo.images[d].size for d in references) if references else manifest.size
    config = manifest.config
    image = Image(
        digest=digest,
        manifest=text,
        media_type=manifest.media_type,
        artifact_media_type=config.media_type if config is not None else None,
        size=size,
        config_digest=config.digest if config is not None else None,
        references=references,
        layers=tuple(manifest.required_blobs),
        subject=manifest.subject.digest if manifest.subject is not None else None,
    )
    repo.images.add(digest, image)
    use_layers(repo, image.layers)
    if image.artifact_media_type == HELM_CONFIG:
        repo.helm_images += 1
    else:
        repo.other_images += 1
    if repo.premium:
        scan(repo, image)
    for child in references:
        repo.referrers.setdefault(child, {})[digest] = None
    if image.subject is not None:
        repo.referring.setdefault(image.subject, {})[digest] = None
    # A layer is reported with the media type the manifests describe it with.
    for descriptor in (config, *manifest.layers):
        if descriptor is not None and descriptor.media_type is not None:
            layer = repo.layers.get(descriptor.digest)
            if layer is not None:
                layer.media_type = descriptor.media_type
    return image


def untag(repo: Repository, record: TagRecord) -> None:
    """Take a tag off its image; the image stays, untagged if that was its last tag."""
    repo.image_tags.remove(record.tag)
    image = record.image
    del image.tags[record.tag]
    image.changed()


def delete_image(repo: Repository, image: Image) -> None:
    """Remove an image, its tags, its place in the lists that named it, and the layers
    only it named."""
    repo.images.remove(image.digest)
    release_layers(repo, image.layers)
    repo.deprecated.pop(image.digest, None)
    if image.artifact_media_type == HELM_CONFIG:
        repo.helm_images -= 1
    else:
        repo.other_images -= 1
    for tag in image.tags:
        repo.image_tags.remove(tag)
    for child in image.references:
        lists = repo.referrers[child]
        del lists[image.digest]
        if not lists:
            del repo.referrers[child]
    # Its referrers stay when a subject goes; a referrer going leaves its subject's list.
    if image.subject is not None:
        referring = repo.referring[image.subject]
        del referring[image.digest]
        if not referring:
            del repo.referring[image.subject]


def tag_names(repo: Repository) -> list[str]:
    """The repository's tags in lexical order. The list is never changed in place (a
    change to the tags makes a new one), so it may be read after the lock is let go."""
    return repo.image_tags.sorted_keys()


def find_image(repo: Repository, digest: str | None, tag: str | None) -> Image | None:
    """The image a digest, a tag, or both (agreeing) name."""
    if tag is not None:
        record = repo.image_tags.get(tag)
        if record is None or (digest is not None and record.digest != digest):
            return None
        digest = record.digest
    return repo.images.get(digest) if digest is not None else None


def image(repo: Repository, digest: str | None, tag: str | None) -> Image:
    found = find_image(repo, digest, tag)
    if found is None:
        raise messages.error(
            messages.IMAGE_NOT_FOUND,
            digest=messages.quoted(digest),
            tag=messages.quoted(tag),
            repo=repo,
        )
    return found


@dataclass(frozen=True)
class Removed:
    """What deleting one image id did: the (digest, tag) pairs it removed, or why not."""

    removed: tuple[tuple[str, str | None], ...] = ()
    failure: tuple[str, str] | None = None


def remove(repo: Repository, digest: str | None, tag: str | None) -> Removed:
    """BatchDeleteImage's rules for one image id: by tag, the tag goes (and the image with
    its last tag); by digest, the image goes with all its tags; never an image that a
    manifest list in the repository still names."""
    if digest is None and tag is None:
        return Removed(failure=messages.MISSING_DIGEST_AND_TAG)
    if digest is not None and not DIGEST.fullmatch(digest):
        return Removed(failure=messages.INVALID_IMAGE_DIGEST)
    record = repo.image_tags.get(tag) if tag is not None else None
    if record is not None and digest is not None and record.digest != digest:
        return Removed(failure=messages.TAG_DOES_NOT_MATCH_DIGEST)
    found = find_image(repo, digest, tag)
    if found is None:
        return Removed(failure=messages.IMAGE_NOT_FOUND_FAILURE)
    if record is not None and len(found.tags) > 1:
        untag(repo, record)
        return Removed(((found.digest, record.tag),))
    lists = repo.referrers.get(found.digest)
    if lists:
        return Removed(
            failure=(
                messages.REFERENCED_BY_MANIFEST_LIST,
                messages.REFERENCED_BY_MANIFEST_LIST_REASON.format(lists=messages.listed(lists)),
            )
        )
    removed = tuple((found.digest, t) for t in found.tags) or ((found.digest, None),)
    delete_image(repo, found)
    return Removed(removed)
