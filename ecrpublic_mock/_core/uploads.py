"""Blob uploads and layers: bytes hashed as they arrive, stored once per digest.

Any chunk size is accepted here; the ECR API adds its own part rules (first and last byte,
part sizes, part count) on top, the registry protocol its own. The layer-size quota and
the digest check apply to every front end.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from . import messages
from .state import Blob, Layer, Upload

if TYPE_CHECKING:
    from .state import Registry, Repository

# What the service reports for a layer no manifest has described yet.
UPLOADED_LAYER_TYPE = "application/vnd.docker.container.image.rootfs.diff+x-gtar"


def start_upload(registry: Registry, repo: Repository) -> Upload:
    upload = Upload(str(uuid.uuid4()), repo)
    registry.uploads[upload.upload_id] = upload
    repo.uploads[upload.upload_id] = None
    return upload


def find_upload(registry: Registry, repo: Repository, upload_id: str) -> Upload:
    """An open upload of this repository; any other id is unknown to it."""
    upload = registry.uploads.get(upload_id)
    if upload is None or upload.repository is not repo:
        raise messages.error(messages.UPLOAD_NOT_FOUND, upload_id=upload_id, repo=repo)
    return upload


def append(registry: Registry, upload: Upload, data: bytes) -> None:
    """Add ``data`` at the end: hashed now and kept as it is (completion never re-reads)."""
    quota = registry.settings.max_layer_size
    if upload.received + len(data) > quota:
        raise messages.error(messages.LAYER_SIZE_LIMIT, quota=quota)
    upload.hasher.update(data)
    upload.chunks.append(data)
    upload.received += len(data)


def end_upload(registry: Registry, upload: Upload) -> str:
    """Close the upload (whether it then completes or fails); the digest of its bytes."""
    del registry.uploads[upload.upload_id]
    del upload.repository.uploads[upload.upload_id]
    return f"sha256:{upload.hasher.hexdigest()}"


def add_layer(registry: Registry, repo: Repository, blob: Blob) -> Blob:
    """Record ``blob`` as a layer of ``repo``, keeping one copy of its bytes per digest."""
    stored = registry.blobs.setdefault(blob.digest, blob)
    repo.layers[blob.digest] = Layer(stored, UPLOADED_LAYER_TYPE)
    return stored


def store_upload(registry: Registry, upload: Upload, digest: str) -> Blob:
    """The closed upload's bytes become a layer of its repository."""
    blob = Blob(digest, upload.received, tuple(upload.chunks))
    return add_layer(registry, upload.repository, blob)
