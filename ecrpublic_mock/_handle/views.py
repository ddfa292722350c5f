"""Read-only snapshots of a mock's state, for assertions without another API call."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping

    from .._core.settings import Mutability
    from .._core.state import Image, Layer, Registry, Repository


@dataclass(frozen=True)
class LayerView:
    digest: str
    size: int
    media_type: str


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


def _image(image: Image) -> ImageView:
    return ImageView(
        digest=image.digest,
        tags=tuple(image.tags),
        manifest=image.manifest,
        media_type=image.media_type,
        artifact_media_type=image.artifact_media_type,
        size=image.size,
        pushed_at=image.pushed_at,
        references=image.references,
    )


def _layer(digest: str, layer: Layer) -> LayerView:
    return LayerView(digest=digest, size=layer.blob.size, media_type=layer.media_type)


def _repository(repo: Repository) -> RepositoryView:
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
        images=MappingProxyType({image.digest: _image(image) for image in images}),
        tags=MappingProxyType({record.tag: record.digest for record in records}),
        layers=MappingProxyType({d: _layer(d, layer) for d, layer in repo.layers.items()}),
    )


def repositories(registry: Registry) -> Mapping[str, RepositoryView]:
    """Every repository, in creation order, as it is now (later changes don't show)."""
    with registry.lock:
        repos, _ = registry.repositories.page(-1, len(registry.repositories))
        return MappingProxyType({repo.name: _repository(repo) for repo in repos})
