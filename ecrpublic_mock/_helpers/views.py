"""Read-only snapshots of a mock's state, for assertions without another API call."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._core.repositories import find_repository
from .._core.state import FREE
from .._core.uploads import expire

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping

    from .._core.settings import Mutability
    from .._core.state import Image, Layer, Registry, Repository, Upload


@dataclass(frozen=True)
class LayerView:
    digest: str
    size: int
    media_type: str
    # How many images of the repository name it; 0: uploaded, no image names it yet (it
    # expires unless one does within Settings.upload_expiry seconds).
    images: int
    expires_at: datetime.datetime | None  # when, for a layer no image names


@dataclass(frozen=True)
class UploadView:
    """An open upload session (InitiateLayerUpload, or a registry client's POST)."""

    upload_id: str
    received: int  # bytes so far
    expires_at: datetime.datetime  # unless a part arrives first


@dataclass(frozen=True)
class ImageView:
    digest: str
    tags: tuple[str, ...]
    manifest: str
    media_type: str
    artifact_media_type: str | None
    size: int
    pushed_at: datetime.datetime
    references: tuple[str, ...]  # the images a manifest list/index names
    subject: str | None  # the digest of its OCI 1.1 subject
    status: str | None  # ACTIVE or DEPRECATED (premium images); None in a free repository
    scheduled_deletion_at: datetime.datetime | None


@dataclass(frozen=True)
class RepositoryView:
    name: str
    arn: str
    uri: str
    created_at: datetime.datetime
    image_tag_mutability: Mutability
    catalog_data: Mapping[str, Any]
    resource_tags: Mapping[str, str]
    policy: str | None
    images: Mapping[str, ImageView]  # by digest, in push order
    tags: Mapping[str, str]  # image tag -> digest
    layers: Mapping[str, LayerView]  # by digest
    uploads: Mapping[str, UploadView]  # open upload sessions, by id
    repository_type: str  # FREE or PREMIUM
    state: str | None  # premium: DRAFT, AVAILABLE or HIDDEN
    marketplace_products: tuple[str, ...]  # premium
    associated_repository: tuple[str, str] | None  # (name, type) of the other side


def _image(repo: Repository, image: Image) -> ImageView:
    return ImageView(
        digest=image.digest,
        tags=tuple(image.tags),
        manifest=image.manifest,
        media_type=image.media_type,
        artifact_media_type=image.artifact_media_type,
        size=image.size,
        pushed_at=image.pushed_at,
        references=image.references,
        subject=image.subject,
        status=image.status if repo.premium else None,
        scheduled_deletion_at=image.deletion_at,
    )


def _layer(registry: Registry, digest: str, layer: Layer) -> LayerView:
    unused = registry.unused.get(layer)
    return LayerView(
        digest=digest,
        size=layer.blob.size,
        media_type=layer.media_type,
        images=layer.images,
        expires_at=unused[1] if unused is not None else None,
    )


def _upload(upload: Upload) -> UploadView:
    return UploadView(upload.upload_id, upload.received, upload.expires_at)


def _repository(repo: Repository) -> RepositoryView:
    other = repo.associated
    images, _ = repo.images.page(-1, len(repo.images))
    records, _ = repo.image_tags.page(-1, len(repo.image_tags))
    return RepositoryView(
        name=repo.name,
        arn=repo.arn,
        uri=repo.uri,
        created_at=repo.created_at,
        image_tag_mutability=repo.mutability,
        catalog_data=MappingProxyType(
            {k: tuple(v) if isinstance(v, list) else v for k, v in repo.catalog.items()}
        ),
        resource_tags=MappingProxyType(dict(repo.tags)),
        policy=repo.policy,
        images=MappingProxyType({image.digest: _image(repo, image) for image in images}),
        tags=MappingProxyType({record.tag: record.digest for record in records}),
        layers=MappingProxyType(
            {d: _layer(repo.registry, d, layer) for d, layer in repo.layers.items()}
        ),
        uploads=MappingProxyType({u: _upload(repo.registry.uploads[u]) for u in repo.uploads}),
        repository_type=repo.kind,
        state=repo.state,
        marketplace_products=tuple(repo.products),
        associated_repository=(other.name, other.kind) if other is not None else None,
    )


def repositories(registry: Registry, kind: str = FREE) -> Mapping[str, RepositoryView]:
    """Every repository of ``kind``, in creation order, as it is now (later changes don't
    show); deprecated images whose time has come are gone."""
    with registry.lock:
        expire(registry)
        index = registry.namespace(kind)
        names = [repo.name for repo in index.page(-1, len(index))[0]]
        repos = [find_repository(registry, name, kind) for name in names]
        return MappingProxyType({repo.name: _repository(repo) for repo in repos})
