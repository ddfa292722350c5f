"""The handle's helpers: seed a repository with real images in one line."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from ._dispatch import call
from ._manifests import (
    DOCKER_LIST,
    DOCKER_MANIFEST,
    LIST_TYPES,
    OCI_INDEX,
    OCI_MANIFEST,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ._state import Registry

_CONFIG_TYPES = {
    DOCKER_MANIFEST: "application/vnd.docker.container.image.v1+json",
    OCI_MANIFEST: "application/vnd.oci.image.config.v1+json",
}
_LAYER_TYPES = {
    DOCKER_MANIFEST: "application/vnd.docker.image.rootfs.diff.tar.gzip",
    OCI_MANIFEST: "application/vnd.oci.image.layer.v1.tar+gzip",
}


def _sha256(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def upload_blob(registry: Registry, repository: str, data: bytes) -> str:
    """Upload ``data`` through InitiateLayerUpload/UploadLayerPart/CompleteLayerUpload.

    A blob the repository already has is skipped, as ``docker push`` skips it.
    """
    digest = _sha256(data)
    names = {"repositoryName": repository}
    check = call(registry, "BatchCheckLayerAvailability", {**names, "layerDigests": [digest]})
    if check["layers"][0]["layerAvailability"] == "AVAILABLE":
        return digest
    upload_id = call(registry, "InitiateLayerUpload", names)["uploadId"]
    part = registry.settings.max_layer_part_size
    for first in range(0, len(data), part):
        chunk = data[first : first + part]
        call(
            registry,
            "UploadLayerPart",
            {
                **names,
                "uploadId": upload_id,
                "partFirstByte": first,
                "partLastByte": first + len(chunk) - 1,
                "layerPartBlob": chunk,  # bytes: call() takes converted params
            },
        )
    call(
        registry, "CompleteLayerUpload", {**names, "uploadId": upload_id, "layerDigests": [digest]}
    )
    return digest


def _put(registry: Registry, repository: str, manifest: dict[str, Any], tag: str | None) -> str:
    params: dict[str, Any] = {
        "repositoryName": repository,
        "imageManifest": json.dumps(manifest, indent=3),
    }
    if tag is not None:
        params["imageTag"] = tag
    return call(registry, "PutImage", params)["image"]["imageId"]["imageDigest"]  # type: ignore[no-any-return]


def push_image(
    registry: Registry,
    repository: str,
    tag: str | None,
    layers: Iterable[bytes],
    media_type: str,
    platform: tuple[str, str],
    config: bytes | None,
) -> str:
    if media_type not in _CONFIG_TYPES:
        raise ValueError(
            f"media_type must be one of {', '.join(_CONFIG_TYPES)}, not {media_type!r}"
        )
    layers = list(layers)
    if config is None:
        os_name, architecture = platform
        config = json.dumps(
            {
                "architecture": architecture,
                "os": os_name,
                "rootfs": {"type": "layers", "diff_ids": [_sha256(layer) for layer in layers]},
            }
        ).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": {
            "mediaType": _CONFIG_TYPES[media_type],
            "size": len(config),
            "digest": upload_blob(registry, repository, config),
        },
        "layers": [
            {
                "mediaType": _LAYER_TYPES[media_type],
                "size": len(layer),
                "digest": upload_blob(registry, repository, layer),
            }
            for layer in layers
        ],
    }
    return _put(registry, repository, manifest, tag)


def push_index(
    registry: Registry,
    repository: str,
    tag: str | None,
    images: Sequence[str],
    media_type: str | None,
) -> str:
    """A manifest list (or OCI index) over images already in the repository."""
    with registry.lock:
        repo = registry.repositories.get(repository)
        stored = [repo.images.get(d) if repo is not None else None for d in images]
    entries = []
    child_types = set()
    for digest, image in zip(images, stored, strict=False):
        if image is None:  # PutImage will answer ReferencedImagesNotFoundException
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
    if media_type is None:
        media_type = OCI_INDEX if child_types == {OCI_MANIFEST} else DOCKER_LIST
    if media_type not in LIST_TYPES:
        raise ValueError(f"media_type must be one of {', '.join(sorted(LIST_TYPES))}")
    manifest = {"schemaVersion": 2, "mediaType": media_type, "manifests": entries}
    return _put(registry, repository, manifest, tag)


def _platform(registry: Registry, config_digest: str | None) -> dict[str, str]:
    """The platform an image's config declares, as a manifest list entry names it."""
    blob = registry.blobs.get(config_digest) if config_digest is not None else None
    try:
        config = json.loads(blob.read()) if blob is not None else {}
        return {"architecture": str(config["architecture"]), "os": str(config["os"])}
    except (ValueError, KeyError, TypeError):
        return {"architecture": "unknown", "os": "unknown"}
