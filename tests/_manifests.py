"""Helpers shared by the image-push tests: manifests, blob uploads, state snapshots.

Manifest formats follow the Docker image manifest v2 schema 2 / manifest list, the OCI
image manifest / index and Docker v2 schema 1 (signed) specifications, the five formats
``docs/aws-behaviour.md``, section "Manifests and PutImage", says ECR Public accepts.

Every helper drives the mock through a real boto3 client (the explicit
InitiateLayerUpload / UploadLayerPart / CompleteLayerUpload API), never through the
mock's own ``push_image`` handle, so that the PutImage tests do not depend on it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Re-exported for modules that import them from here; defined in _support.
from _support import ACCOUNT as ACCOUNT
from _support import assert_error as assert_error
from _support import registry_not_found as registry_not_found
from _support import repo_not_found as repo_not_found

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"
DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"

DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
# A helm chart's config: the catalog lists its repository's artifact type as HELM.
HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_NONDISTRIBUTABLE = (
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
)
# AWS leaves this undocumented; the mock chooses this type for an uploaded layer that no
# manifest references yet.
UPLOADED_LAYER_MEDIA_TYPE = "application/vnd.docker.container.image.rootfs.diff+x-gtar"


def sha256(data: bytes | str) -> str:
    """``sha256:<hex>`` of bytes, or of a str's UTF-8 bytes (how ECR digests manifests)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()


def config_blob(os_name: str = "linux", arch: str = "amd64", salt: str = "") -> bytes:
    """A minimal image configuration (``salt`` makes distinct configs)."""
    doc = {
        "architecture": arch,
        "os": os_name,
        "rootfs": {"type": "layers", "diff_ids": []},
        "config": {"Labels": {"salt": salt}},
    }
    return json.dumps(doc, sort_keys=True).encode()


def descriptor(data_or_digest: bytes | str, media_type: str, size: int | None = None) -> dict:
    """A content descriptor for a blob (bytes) or for a digest with an explicit size."""
    if isinstance(data_or_digest, bytes):
        return {
            "mediaType": media_type,
            "size": len(data_or_digest),
            "digest": sha256(data_or_digest),
        }
    assert size is not None
    return {"mediaType": media_type, "size": size, "digest": data_or_digest}


def dump(doc: dict, indent: int | None = 3) -> str:
    """Serialise a manifest; indent 3 gives the whitespace Docker clients send."""
    return json.dumps(doc, indent=indent)


def image_manifest(
    config: dict,
    layers: list[dict],
    media_type: str | None = DOCKER_MANIFEST,
    annotations: dict | None = None,
    indent: int | None = 3,
) -> str:
    """A Docker v2 schema 2 or OCI image manifest; ``media_type=None`` omits the member."""
    doc: dict[str, Any] = {"schemaVersion": 2}
    if media_type is not None:
        doc["mediaType"] = media_type
    doc["config"] = config
    doc["layers"] = layers
    if annotations is not None:
        doc["annotations"] = annotations
    return dump(doc, indent)


def manifest_list(
    refs: list[tuple[str, int]],
    media_type: str | None = DOCKER_LIST,
    child_media_type: str = DOCKER_MANIFEST,
    indent: int | None = 3,
) -> str:
    """A Docker manifest list or OCI index referencing ``(digest, size)`` manifests."""
    doc: dict[str, Any] = {"schemaVersion": 2}
    if media_type is not None:
        doc["mediaType"] = media_type
    doc["manifests"] = [
        {
            "mediaType": child_media_type,
            "size": size,
            "digest": digest,
            "platform": {"architecture": f"arch{i}", "os": "linux"},
        }
        for i, (digest, size) in enumerate(refs)
    ]
    return dump(doc, indent)


def schema1_manifest(blob_sums: list[str], name: str = "app", tag: str = "v1") -> str:
    """A Docker v2 schema 1 signed manifest (it has no ``mediaType`` member)."""
    doc = {
        "schemaVersion": 1,
        "name": name,
        "tag": tag,
        "architecture": "amd64",
        "fsLayers": [{"blobSum": d} for d in blob_sums],
        "history": [{"v1Compatibility": json.dumps({"id": str(i)})} for i in range(len(blob_sums))],
        "signatures": [
            {
                "header": {
                    "jwk": {"crv": "P-256", "kty": "EC", "x": "x", "y": "y"},
                    "alg": "ES256",
                },
                "signature": "c2lnbmF0dXJl",
                "protected": "cHJvdGVjdGVk",
            }
        ],
    }
    return dump(doc)


# -- talking to the mock through boto3 ----------------------------------------------------


def upload(client, repo: str, data: bytes, part_size: int | None = None, **extra) -> str:
    """Upload ``data`` as one layer with the explicit three-call API; return its digest.

    ``part_size`` splits the bytes into parts of that size (the last one may be smaller).
    ``extra`` (e.g. ``registryId``) is passed to every call.
    """
    upload_id = client.initiate_layer_upload(repositoryName=repo, **extra)["uploadId"]
    size = part_size or max(len(data), 1)
    first = 0
    for start in range(0, len(data), size):
        part = data[start : start + size]
        client.upload_layer_part(
            repositoryName=repo,
            uploadId=upload_id,
            partFirstByte=first,
            partLastByte=first + len(part) - 1,
            layerPartBlob=part,
            **extra,
        )
        first += len(part)
    digest = sha256(data)
    answer = client.complete_layer_upload(
        repositoryName=repo, uploadId=upload_id, layerDigests=[digest], **extra
    )
    assert answer["layerDigest"] == digest
    return digest


def ensure_uploaded(client, repo: str, data: bytes) -> str:
    """Upload ``data`` unless the repository already has that layer; return its digest."""
    digest = sha256(data)
    layers = client.batch_check_layer_availability(repositoryName=repo, layerDigests=[digest])
    if layers["layers"][0]["layerAvailability"] != "AVAILABLE":
        upload(client, repo, data)
    return digest


def build_image(
    client,
    repo: str,
    layers: tuple[bytes, ...] = (b"layer-one",),
    media_type: str | None = DOCKER_MANIFEST,
    salt: str = "",
    config_media_type: str | None = None,
    layer_media_type: str | None = None,
    indent: int | None = 3,
) -> str:
    """Upload a config and ``layers`` to ``repo`` and return a manifest (not yet put)."""
    oci = media_type == OCI_MANIFEST or media_type is None
    config = config_blob(salt=salt)
    ensure_uploaded(client, repo, config)
    for layer in layers:
        ensure_uploaded(client, repo, layer)
    cfg_type = config_media_type or (OCI_CONFIG if oci else DOCKER_CONFIG)
    lay_type = layer_media_type or (OCI_LAYER if oci else DOCKER_LAYER)
    return image_manifest(
        descriptor(config, cfg_type),
        [descriptor(layer, lay_type) for layer in layers],
        media_type=media_type,
        indent=indent,
    )


def put(client, repo: str, manifest: str, tag: str | None = None, **extra) -> str:
    """PutImage ``manifest`` (with ``tag`` if given); return the image digest."""
    kwargs: dict[str, Any] = {"repositoryName": repo, "imageManifest": manifest, **extra}
    if tag is not None:
        kwargs["imageTag"] = tag
    return client.put_image(**kwargs)["image"]["imageId"]["imageDigest"]


def push(client, repo: str, tag: str | None = None, salt: str = "", **build) -> str:
    """Build (uploading blobs) and put one image; return its digest."""
    return put(client, repo, build_image(client, repo, salt=salt, **build), tag)


def _all_items(client, operation: str, key: str, repo: str) -> list[dict]:
    """Every ``key`` item that ``operation`` lists for ``repo``, page by page."""
    found: list[dict] = []
    kwargs: dict[str, Any] = {"repositoryName": repo}
    while True:
        page = getattr(client, operation)(**kwargs)
        found.extend(page[key])
        if "nextToken" not in page:
            return found
        kwargs["nextToken"] = page["nextToken"]


def all_images(client, repo: str) -> list[dict]:
    """Every DescribeImages detail of ``repo``, page by page."""
    return _all_items(client, "describe_images", "imageDetails", repo)


def all_tags(client, repo: str) -> list[dict]:
    """Every DescribeImageTags detail of ``repo``, page by page."""
    return _all_items(client, "describe_image_tags", "imageTagDetails", repo)


def tags_of(client, repo: str) -> dict[str, list[str]]:
    """digest -> sorted tags, for every image of ``repo``."""
    return {d["imageDigest"]: sorted(d.get("imageTags", [])) for d in all_images(client, repo)}


def snapshot(client, repos: tuple[str, ...] | str, digests: tuple[str, ...] = ()) -> dict:
    """What a failed call must leave unchanged: images, tags and layer availability."""
    if isinstance(repos, str):
        repos = (repos,)
    state = {}
    for repo in repos:
        layers: list[dict] = []
        if digests:
            layers = client.batch_check_layer_availability(
                repositoryName=repo, layerDigests=list(digests)
            )["layers"]
        state[repo] = {
            "images": sorted(all_images(client, repo), key=lambda d: d["imageDigest"]),
            "tags": sorted(all_tags(client, repo), key=lambda d: d["imageTag"]),
            "layers": layers,
        }
    return state
