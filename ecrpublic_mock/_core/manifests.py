"""Parsing the manifest formats PutImage accepts, into what the service checks and reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import messages
from .digests import DIGEST
from .media_types import (
    DOCKER_LIST,
    DOCKER_MANIFEST,
    DOCKER_V1,
    DOCKER_V1_SIGNED,
    OCI_INDEX,
    OCI_MANIFEST,
)

IMAGE_TYPES = frozenset({DOCKER_MANIFEST, OCI_MANIFEST})
LIST_TYPES = frozenset({DOCKER_LIST, OCI_INDEX})
V1_TYPES = frozenset({DOCKER_V1_SIGNED, DOCKER_V1})
KNOWN_TYPES = IMAGE_TYPES | LIST_TYPES | V1_TYPES

# Layers that live elsewhere (they carry ``urls``): never uploaded, never required.
FOREIGN_LAYER_TYPES = frozenset(
    {
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    }
)


def image_id(reference: str) -> tuple[str | None, str | None]:
    """A registry reference (a digest, or else a tag) as an image id: (digest, tag)."""
    return (reference, None) if DIGEST.fullmatch(reference) else (None, reference)


# The largest size the model's Long (imageSizeInBytes, layerSize) can carry.
MAX_SIZE = 2**63 - 1


# Parse results, made on every PutImage: slotted and not frozen, as they are made faster
# so (nothing changes them once made).
@dataclass(slots=True)
class Descriptor:
    digest: str
    media_type: str | None
    size: int


@dataclass(slots=True)
class Manifest:
    media_type: str
    config: Descriptor | None
    layers: tuple[Descriptor, ...]  # every layer, foreign ones included
    references: tuple[Descriptor, ...]  # the images a list/index names
    subject: Descriptor | None = None  # OCI 1.1: the manifest this one refers to
    # Digests that must be layers of the repository, in manifest order, once each.
    required_blobs: tuple[str, ...] = field(init=False)
    # The digests of the images a list/index names, in order, once each.
    referenced: tuple[str, ...] = field(init=False)
    size: int = field(init=False)  # the sum of its layers' sizes

    def __post_init__(self) -> None:
        config, references = self.config, self.references
        digests = [config.digest] if config is not None else []
        size = 0
        for layer in self.layers:
            size += layer.size
            if layer.media_type not in FOREIGN_LAYER_TYPES:
                digests.append(layer.digest)
        self.required_blobs = tuple(dict.fromkeys(digests))
        self.referenced = tuple(dict.fromkeys([r.digest for r in references])) if references else ()
        self.size = size


# json.loads without its checks of what it is given (a str here, always).
_decode = json.JSONDecoder().decode


class _Malformed(Exception):
    """The manifest's JSON does not have the shape of its media type."""


def parse(text: str, given_media_type: str | None, max_layers: int) -> Manifest:
    """Parse ``text`` as the service does; any problem is the ServiceError it answers."""
    try:
        text.encode()  # a lone surrogate is no UTF-8 text: there is no digest to compute
        document = _decode(text)
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        raise messages.invalid(messages.INVALID_MANIFEST) from None
    if not isinstance(document, dict):
        raise messages.invalid(messages.INVALID_MANIFEST)
    media_type = document.get("mediaType", given_media_type)
    if not isinstance(media_type, str):
        raise messages.invalid(messages.INVALID_MANIFEST)
    if given_media_type is not None and given_media_type != media_type:
        raise messages.invalid(messages.MANIFEST_MEDIA_TYPE_MISMATCH)
    if media_type not in KNOWN_TYPES:
        raise messages.invalid(messages.UNKNOWN_MANIFEST_MEDIA_TYPE)
    try:
        manifest = _read(document, media_type)
    except _Malformed:
        raise messages.invalid(messages.INVALID_MANIFEST) from None
    if len(manifest.layers) > max_layers:
        raise messages.invalid(messages.TOO_MANY_LAYERS)
    if manifest.size > MAX_SIZE:
        raise messages.image_too_large(MAX_SIZE)
    return manifest


def _read(document: dict[str, Any], media_type: str) -> Manifest:
    subject = _descriptor(document["subject"]) if document.get("subject") is not None else None
    if media_type in LIST_TYPES:
        references = tuple([_descriptor(item) for item in _list(document, "manifests")])
        return Manifest(media_type, None, (), references, subject)
    if media_type in V1_TYPES:
        layers = tuple(
            Descriptor(_digest(_object(item).get("blobSum")), None, 0)
            for item in _list(document, "fsLayers")
        )
        return Manifest(media_type, None, layers, ())
    config = _descriptor(document.get("config"))
    layers = tuple([_descriptor(item) for item in _list(document, "layers")])
    return Manifest(media_type, config, layers, (), subject)


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed
    return value


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list):
        raise _Malformed
    return value


def _digest(value: Any) -> str:
    if not isinstance(value, str) or not DIGEST.fullmatch(value):
        raise _Malformed
    return value


def _descriptor(value: Any) -> Descriptor:
    # The checks of _object and _digest written out: every PutImage reads descriptors.
    if not isinstance(value, dict):
        raise _Malformed
    media_type = value.get("mediaType")
    size = value.get("size", 0)
    digest = value.get("digest")
    if media_type is not None and not isinstance(media_type, str):
        raise _Malformed
    # A size is a non-negative 64-bit count of bytes (imageSizeInBytes is a Long); JSON's
    # integers are ints exactly (a bool is not one).
    if type(size) is not int or not 0 <= size <= MAX_SIZE:
        raise _Malformed
    if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
        raise _Malformed
    return Descriptor(digest, media_type, size)
