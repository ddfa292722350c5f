"""Blob uploads and layers: bytes hashed as they arrive, stored once per digest.

An upload is a session every front end drives the same way: open, receive (any number of
times), close, then finish (keep the bytes as a layer) or not (cancelled, or refused).

Any chunk size is accepted here; the ECR API adds its own part rules (first and last byte,
part sizes, part count) on top, the registry protocol its own. The layer-size quota and
the digest check apply to every front end.

Nothing is kept that nobody uses (docs/aws-behaviour.md, "Layers and uploads that nobody
uses"): an upload no part reaches for ``Settings.upload_expiry`` seconds expires, and so
does a layer uploaded that no image names within as long; a layer goes with the last
image that names it. ``expire`` applies the deadlines, lazily: every look-up of an upload
or a layer, and every new one, runs it first, at a cost of what expired.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from . import messages
from .clock import now
from .digests import spelled
from .state import Blob, Layer, Upload

if TYPE_CHECKING:
    from .state import Registry, Repository

# What the service reports for a layer no manifest has described yet.
UPLOADED_LAYER_TYPE = "application/vnd.docker.container.image.rootfs.diff+x-gtar"


def expire(registry: Registry) -> None:
    """Close the uploads and drop the unused layers whose deadline has passed (oldest
    first: stops at the first one still good)."""
    uploads, unused = registry.uploads, registry.unused
    if not uploads and not unused:  # the usual case: no clock to read
        return
    moment = now()
    while uploads:
        upload = next(iter(uploads.values()))
        if upload.expires_at > moment:
            break
        close_upload(registry, upload)
    while unused:
        layer, (repo, deadline) = next(iter(unused.items()))
        if deadline > moment:
            break
        del unused[layer]
        del repo.layers[layer.blob.digest]


def _deadline(registry: Registry) -> datetime.datetime:
    return now() + datetime.timedelta(seconds=registry.settings.upload_expiry)


def open_upload(registry: Registry, repo: Repository) -> Upload:
    expire(registry)
    upload = Upload(str(uuid.uuid4()), repo, _deadline(registry))
    registry.uploads[upload.upload_id] = upload
    repo.uploads[upload.upload_id] = None
    return upload


def find_upload(registry: Registry, repo: Repository, upload_id: str) -> Upload:
    """An open upload of this repository; any other id is unknown to it."""
    expire(registry)
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
    # Active again: its deadline moves, and it goes last of the uploads in expiry order.
    upload.expires_at = _deadline(registry)
    registry.uploads[upload.upload_id] = registry.uploads.pop(upload.upload_id)


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
    layer = repo.layers.get(digest)
    if layer is not None:
        if layer in registry.unused:  # pushed again, still unused: its deadline moves
            del registry.unused[layer]
            registry.unused[layer] = (repo, _deadline(registry))
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


def layer_of(repo: Repository, digest: str) -> Layer | None:
    """A layer of the repository, unless it has expired unused."""
    expire(repo.registry)
    return repo.layers.get(digest)


def find_layer(repo: Repository, digest: str) -> Blob | None:
    """The bytes of a layer of the repository, unless it has expired unused."""
    layer = layer_of(repo, digest)
    return None if layer is None else layer.blob


def add_layer(registry: Registry, repo: Repository, blob: Blob) -> Blob:
    """Record ``blob`` as a layer of ``repo``, unused until an image names it, keeping one
    copy of its bytes per digest."""
    expire(registry)
    stored = registry.blobs.setdefault(blob.digest, blob)
    layer = repo.layers[blob.digest] = Layer(stored, UPLOADED_LAYER_TYPE)
    registry.unused[layer] = (repo, _deadline(registry))
    return stored


def use_layers(repo: Repository, digests: tuple[str, ...]) -> None:
    """An image of the repository names these layers (each once): they are in use."""
    unused = repo.registry.unused
    for digest in digests:
        layer = repo.layers[digest]
        layer.images += 1
        unused.pop(layer, None)


def release_layers(repo: Repository, digests: tuple[str, ...]) -> None:
    """An image that named these layers is gone: a layer no other image names goes too."""
    for digest in digests:
        layer = repo.layers[digest]
        layer.images -= 1
        if not layer.images:
            del repo.layers[digest]


def drop_layers(registry: Registry, repo: Repository) -> None:
    """The repository is gone: so are its layers (whoever still holds the repository), and
    none waits to expire."""
    for layer in repo.layers.values():
        registry.unused.pop(layer, None)
    repo.layers.clear()
