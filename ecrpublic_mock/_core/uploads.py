"""Blob uploads and layers: bytes hashed as they arrive, stored once per digest.

An upload is a session every front end drives the same way: open, receive (any number of
times), close, then finish (keep the bytes as a layer) or not (cancelled, or refused).

Any chunk size is accepted here; the ECR API adds its own part rules (first and last byte,
part sizes, part count) on top, the registry protocol its own. The layer-size quota and
the digest check apply to every front end.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from . import messages
from .digests import spelled
from .state import Blob, Layer, Upload

if TYPE_CHECKING:
    from .state import Registry, Repository

# What the service reports for a layer no manifest has described yet.
UPLOADED_LAYER_TYPE = "application/vnd.docker.container.image.rootfs.diff+x-gtar"


def open_upload(registry: Registry, repo: Repository) -> Upload:
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


def is_open(registry: Registry, upload: Upload) -> bool:
    """False once the upload is closed (cancelled, finished, its repository deleted, the
    registry reset): from then on its id is unknown."""
    return registry.uploads.get(upload.upload_id) is upload


def receive(registry: Registry, upload: Upload, data: bytes) -> None:
    """Add ``data`` at the end of an open upload (found, or checked ``is_open``, under the
    lock): hashed now and kept as it is (completion never re-reads)."""
    quota = registry.settings.max_layer_size
    if upload.received + len(data) > quota:
        raise messages.error(messages.LAYER_SIZE_LIMIT, quota=quota)
    upload.hasher.update(data)
    upload.chunks.append(data)
    upload.received += len(data)


def end_part(upload: Upload, size: int) -> None:
    """The request that brought the last ``size`` bytes is over: they were one part."""
    if size:
        upload.parts.append(size)


def check_parts(registry: Registry, upload: Upload) -> None:
    """Every part but the last is at least the minimum part size, for every front end: the
    API's CompleteLayerUpload answers LayerPartTooSmallException, and ECR refuses chunked
    registry uploads that break it (dotnet/sdk#33019: ECR "require[s] all chunked uploads
    to be at least 5MB in size, except the last chunk")."""
    minimum = registry.settings.min_layer_part_size
    if any(size < minimum for size in upload.parts[:-1]):
        raise messages.error(messages.LAYER_PART_TOO_SMALL, size=messages.size_text(minimum))


def close_upload(registry: Registry, upload: Upload) -> str:
    """End the upload, to finish or to cancel it (after this its id is unknown, whether it
    then completes or fails); the digest of its bytes."""
    del registry.uploads[upload.upload_id]
    del upload.repository.uploads[upload.upload_id]
    return spelled(upload.hasher)


def finish_upload(registry: Registry, upload: Upload, digest: str) -> bool:
    """The closed upload's bytes become the layer ``digest`` of its repository, unless the
    repository has that layer already: its layer is then kept and these bytes dropped.
    Whether the layer is new, which each front end answers in its terms (the API refuses
    a layer pushed again, the registry protocol and the helpers take it)."""
    repo = upload.repository
    if digest in repo.layers:
        return False
    add_layer(registry, repo, Blob(digest, upload.received, tuple(upload.chunks)))
    return True


def upload_layer(registry: Registry, repo: Repository, data: bytes) -> str:
    """``data`` as a layer of ``repo`` in one go, through a whole upload; its digest."""
    upload = open_upload(registry, repo)
    receive(registry, upload, data)
    end_part(upload, len(data))
    digest = close_upload(registry, upload)
    finish_upload(registry, upload, digest)
    return digest


def find_layer(repo: Repository, digest: str) -> Blob | None:
    layer = repo.layers.get(digest)
    return None if layer is None else layer.blob


def add_layer(registry: Registry, repo: Repository, blob: Blob) -> Blob:
    """Record ``blob`` as a layer of ``repo``, keeping one copy of its bytes per digest."""
    stored = registry.blobs.setdefault(blob.digest, blob)
    repo.layers[blob.digest] = Layer(stored, UPLOADED_LAYER_TYPE)
    return stored
