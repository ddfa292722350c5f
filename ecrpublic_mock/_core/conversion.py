"""Image manifest conversion: a manifest pulled by tag, in the format the client understands.

AWS documents it (https://docs.aws.amazon.com/AmazonECR/latest/public/image-manifest-formats.html,
https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-manifest-formats.html): a pull
by tag answers the stored format if the client understands it; if not, a Docker image
manifest v2 schema 2 is translated to an OCI image manifest and back; schema 1 has "No
translation available", and neither has a pull by digest.

AWS leaves the rest undocumented; the mock chooses: the converted manifest is the stored
document with its ``mediaType`` members switched (the manifest's, its config's, its
layers'), every other member kept, serialized as Docker clients send a manifest (JSON
indented by 3). A manifest with a config or layer of a type that has no counterpart (an
artifact's config, a zstd layer, a descriptor without a media type) is not converted, and
neither are manifest lists and OCI indexes: the images they name would still be pulled by
digest, unconverted.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .media_types import DOCKER_MANIFEST, OCI_MANIFEST

if TYPE_CHECKING:
    from collections.abc import Mapping

_OCI_PREFIX = "application/vnd.oci.image"
# The Docker types and their OCI counterparts (OCI image-spec, media-types.md,
# "Compatibility Matrix").
_DOCKER_TO_OCI = {
    DOCKER_MANIFEST: OCI_MANIFEST,
    "application/vnd.docker.container.image.v1+json": f"{_OCI_PREFIX}.config.v1+json",
    "application/vnd.docker.image.rootfs.diff.tar.gzip": f"{_OCI_PREFIX}.layer.v1.tar+gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip": (
        f"{_OCI_PREFIX}.layer.nondistributable.v1.tar+gzip"
    ),
}
_OCI_TO_DOCKER = {oci: docker for docker, oci in _DOCKER_TO_OCI.items()}
# The stored type -> the type it converts to, and the table for its descriptors.
_CONVERSIONS: dict[str, tuple[str, Mapping[str, str]]] = {
    DOCKER_MANIFEST: (OCI_MANIFEST, _DOCKER_TO_OCI),
    OCI_MANIFEST: (DOCKER_MANIFEST, _OCI_TO_DOCKER),
}


def convert(text: str, media_type: str, accepted: frozenset[str]) -> tuple[str, str] | None:
    """The stored manifest ``text`` of ``media_type`` converted to a type in ``accepted``:
    (its text, its media type), or None where there is no conversion."""
    conversion = _CONVERSIONS.get(media_type)
    if conversion is None or conversion[0] not in accepted:
        return None
    target, table = conversion
    document: dict[str, Any] = json.loads(text)
    try:
        config = _switched(document["config"], table)
        layers = [_switched(layer, table) for layer in document["layers"]]
    except KeyError:
        return None
    # The media type where the document has it, else after its schemaVersion.
    head = {"schemaVersion": document["schemaVersion"]} if "schemaVersion" in document else {}
    converted = {**head, "mediaType": target}
    converted.update(document)
    converted.update(mediaType=target, config=config, layers=layers)
    return json.dumps(converted, indent=3), target


def _switched(descriptor: dict[str, Any], table: Mapping[str, str]) -> dict[str, Any]:
    """The descriptor with its media type switched (KeyError: it has no counterpart)."""
    return {**descriptor, "mediaType": table[descriptor.get("mediaType", "")]}
