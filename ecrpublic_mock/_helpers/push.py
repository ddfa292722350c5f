"""The handle's helpers: seed a repository with real images in one line.

They run the core's operations directly (no JSON, no base64 round trip), with the API's
validation of their names and tags, and raise the ``ClientError`` the API would: a helper
is the shortcut a test takes, not a different set of rules.
"""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .._core import images, uploads
from .._core.digests import digest_of
from .._core.errors import ServiceError
from .._core.manifests import LIST_TYPES
from .._core.media_types import DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST
from .._core.repositories import find_repository
from .._core.state import FREE, PREMIUM
from .._model.validation import validate

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from .._core.state import Registry, Repository

T = TypeVar("T")

_CONFIG_TYPES = {
    DOCKER_MANIFEST: "application/vnd.docker.container.image.v1+json",
    OCI_MANIFEST: "application/vnd.oci.image.config.v1+json",
}
_LAYER_TYPES = {
    DOCKER_MANIFEST: "application/vnd.docker.image.rootfs.diff.tar.gzip",
    OCI_MANIFEST: "application/vnd.oci.image.layer.v1.tar+gzip",
}


def _diff_id(layer: bytes) -> str:
    """A layer's id in an image config: the digest of its uncompressed tar, which docker
    and podman check on pull (a gzip layer is hashed decompressed)."""
    return digest_of(gzip.decompress(layer) if layer[:2] == b"\x1f\x8b" else layer)


def as_client_error(operation: str, work: Callable[[], T]) -> T:
    """Run ``work``; a ServiceError becomes the modeled exception a client would raise."""
    try:
        return work()
    except ServiceError as error:
        raise _exceptions().from_code(error.code)(
            {"Error": {"Code": error.code, "Message": error.message}}, operation
        ) from None


_cached: list[Any] = [None, None]  # boto3's default session, and its ecr-public exceptions


def _exceptions() -> Any:
    """The modeled exception classes of boto3's default session (cached per session), so
    ``except client.exceptions.ImageTagAlreadyExistsException`` catches a helper's error
    for any client made with ``boto3.client(...)``. The client that carries them is made
    unsigned: it looks up no credentials."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    session = boto3.DEFAULT_SESSION
    if session is None or _cached[0] is not session:
        client = boto3.client(
            "ecr-public", region_name="us-east-1", config=Config(signature_version=UNSIGNED)
        )
        _cached[:] = [boto3.DEFAULT_SESSION, client.exceptions]
    return _cached[1]


class Target(NamedTuple):
    """The repository a helper pushes to: its name and its type (FREE or PREMIUM)."""

    name: str
    kind: str


def _repository(registry: Registry, target: Target) -> Repository:
    # The API checks a repository name the same way in every operation; this one's input
    # is the name alone (its type is checked against the model's enum where it has one).
    if target.kind not in (FREE, PREMIUM):
        raise ValueError(f"repository_type must be 'FREE' or 'PREMIUM', not {target.kind!r}")
    validate("InitiateLayerUpload", {"repositoryName": target.name})
    return find_repository(registry, target.name, target.kind)


def upload_blob(registry: Registry, repo: Repository, data: bytes) -> str:
    """Store ``data`` as a layer of ``repo`` through the core's upload; its digest.

    A blob the repository already has stays as it is, as for any front end's upload.
    """
    return uploads.upload_layer(registry, repo, data)


def _put(registry: Registry, repo: Repository, manifest: dict[str, Any], tag: str | None) -> str:
    text = json.dumps(manifest, indent=3)
    members = {"imageManifest": text} if tag is None else {"imageManifest": text, "imageTag": tag}
    validate("PutImage", {"repositoryName": repo.name, **members})
    return images.put_image(registry, repo, text, tag).digest


def push_image(
    registry: Registry,
    repository: Target,
    tag: str | None,
    layers: Iterable[bytes],
    media_type: str,
    platform: tuple[str, str],
    config: bytes | None,
    config_media_type: str | None = None,
) -> str:
    if media_type not in _CONFIG_TYPES:
        raise ValueError(
            f"media_type must be one of {', '.join(_CONFIG_TYPES)}, not {media_type!r}"
        )
    blobs = list(layers)
    if config is None:
        os_name, architecture = platform
        config = json.dumps(
            {
                "architecture": architecture,
                "os": os_name,
                "rootfs": {"type": "layers", "diff_ids": [_diff_id(layer) for layer in blobs]},
            }
        ).encode()
    config_blob = config

    def push() -> str:
        with registry.lock:
            repo = _repository(registry, repository)
            manifest = {
                "schemaVersion": 2,
                "mediaType": media_type,
                "config": {
                    "mediaType": config_media_type or _CONFIG_TYPES[media_type],
                    "size": len(config_blob),
                    "digest": upload_blob(registry, repo, config_blob),
                },
                "layers": [
                    {
                        "mediaType": _LAYER_TYPES[media_type],
                        "size": len(layer),
                        "digest": upload_blob(registry, repo, layer),
                    }
                    for layer in blobs
                ],
            }
            return _put(registry, repo, manifest, tag)

    return as_client_error("PutImage", push)


def push_index(
    registry: Registry,
    repository: Target,
    tag: str | None,
    digests: Sequence[str],
    media_type: str | None,
) -> str:
    """A manifest list (or OCI index) over images already in the repository."""
    if media_type is not None and media_type not in LIST_TYPES:
        raise ValueError(f"media_type must be one of {', '.join(sorted(LIST_TYPES))}")

    def push() -> str:
        with registry.lock:
            repo = _repository(registry, repository)
            entries = []
            child_types = set()
            for digest in digests:
                image = repo.images.get(digest)
                if image is None:  # PutImage answers ReferencedImagesNotFoundException
                    entries.append({"mediaType": DOCKER_MANIFEST, "size": 0, "digest": digest})
                    continue
                child_types.add(image.media_type)
                entries.append(
                    {
                        "mediaType": image.media_type,
                        "size": len(image.manifest.encode()),
                        "digest": digest,
                        "platform": _platform(registry, image.config_digest),
                    }
                )
            chosen = media_type or (OCI_INDEX if child_types == {OCI_MANIFEST} else DOCKER_LIST)
            manifest = {"schemaVersion": 2, "mediaType": chosen, "manifests": entries}
            return _put(registry, repo, manifest, tag)

    return as_client_error("PutImage", push)


def _platform(registry: Registry, config_digest: str | None) -> dict[str, str]:
    """The platform an image's config declares, as a manifest list entry names it."""
    blob = registry.blobs.get(config_digest) if config_digest is not None else None
    try:
        config = json.loads(blob.read()) if blob is not None else {}
        return {"architecture": str(config["architecture"]), "os": str(config["os"])}
    except (ValueError, KeyError, TypeError):
        return {"architecture": "unknown", "os": "unknown"}
