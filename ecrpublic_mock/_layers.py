"""The layer upload state machine and BatchCheckLayerAvailability."""

from __future__ import annotations

import uuid

from ._errors import ServiceError
from ._manifests import DIGEST
from ._operations import Params, operation, repository
from ._state import Blob, Layer, Registry, Repository, Upload

# What the service reports for a layer no manifest has described yet.
UPLOADED_LAYER_TYPE = "application/vnd.docker.container.image.rootfs.diff+x-gtar"
_MIB = 1024 * 1024


def _where(repo: Repository) -> str:
    return f"the repository with name '{repo.name}' in registry with id '{repo.registry_id}'"


def _upload(registry: Registry, repo: Repository, upload_id: str) -> Upload:
    """An open upload of this repository; any other id is unknown to it."""
    upload = registry.uploads.get(upload_id)
    if upload is None or upload.repository is not repo:
        raise ServiceError(
            "UploadNotFoundException",
            f"The upload with id '{upload_id}' does not exist in the repository with name "
            f"'{repo.name}' in registry with id '{repo.registry_id}'",
        )
    return upload


@operation("InitiateLayerUpload")
def initiate_layer_upload(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "InitiateLayerUpload", params)
    upload_id = str(uuid.uuid4())
    registry.uploads[upload_id] = Upload(repo)
    repo.uploads[upload_id] = None
    return {"uploadId": upload_id, "partSize": registry.settings.max_layer_part_size}


@operation("UploadLayerPart")
def upload_layer_part(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "UploadLayerPart", params)
    upload_id = params["uploadId"]
    upload = _upload(registry, repo, upload_id)
    settings = registry.settings
    first, last = params["partFirstByte"], params["partLastByte"]

    def invalid(message: str) -> ServiceError:
        return ServiceError(
            "InvalidLayerPartException",
            message,
            registryId=repo.registry_id,
            repositoryName=repo.name,
            uploadId=upload_id,
            lastValidByteReceived=upload.received - 1,
        )

    if first != upload.received:
        raise invalid(f"First byte of the layer part is {first} instead of {upload.received}")
    data: bytes = params["layerPartBlob"]  # decoded by the API layer
    if not data:
        # AWS leaves this undocumented; the mock chooses to refuse a part with no bytes
        # rather than count it as a part.
        raise invalid(f"The layer part starting at byte {first} is empty")
    if last != first + len(data) - 1:
        raise invalid(f"Last byte of the layer part is {last} instead of {first + len(data) - 1}")
    if len(data) > settings.max_layer_part_size:
        raise invalid(
            f"The layer part size {len(data)} exceeds the maximum layer part size "
            f"{settings.max_layer_part_size}"
        )
    if len(upload.part_sizes) >= settings.max_layer_parts:
        raise ServiceError(
            "LimitExceededException",
            f"The upload with id '{upload_id}' has exceeded the limit of "
            f"{settings.max_layer_parts} layer parts",
        )
    if upload.received + len(data) > settings.max_layer_size:
        raise ServiceError(
            "LimitExceededException",
            f"The layer exceeds the maximum layer size of {settings.max_layer_size} bytes",
        )
    # Hash as parts arrive and keep them as they are: completion never re-reads or copies.
    upload.hasher.update(data)
    upload.chunks.append(data)
    upload.part_sizes.append(len(data))
    upload.received += len(data)
    return {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "uploadId": upload_id,
        "lastByteReceived": upload.received - 1,
    }


def _size_text(size: int) -> str:
    return f"{size // _MIB}MB" if size % _MIB == 0 else f"{size} bytes"


@operation("CompleteLayerUpload")
def complete_layer_upload(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "CompleteLayerUpload", params)
    upload_id = params["uploadId"]
    upload = _upload(registry, repo, upload_id)
    # From here on the upload is over, whether it completes or fails (reference page).
    del registry.uploads[upload_id]
    del repo.uploads[upload_id]
    if not upload.part_sizes:
        raise ServiceError(
            "EmptyUploadException",
            f"The upload with id '{upload_id}' in {_where(repo)} cannot be completed because "
            "it does not have any parts",
        )
    minimum = registry.settings.min_layer_part_size
    if any(size < minimum for size in upload.part_sizes[:-1]):
        raise ServiceError(
            "LayerPartTooSmallException",
            f"All layer parts except the last part should be at least {_size_text(minimum)}",
        )
    digest = f"sha256:{upload.hasher.hexdigest()}"
    if digest not in params["layerDigests"]:
        raise ServiceError(
            "InvalidLayerException",
            "None of the provided layer digests match the calculated layer digest",
        )
    if digest in repo.layers:
        raise ServiceError(
            "LayerAlreadyExistsException",
            f"Layer with digest '{digest}' already exists in the repository with name "
            f"'{repo.name}' in registry with id '{repo.registry_id}'",
        )
    add_layer(registry, repo, Blob(digest, upload.received, tuple(upload.chunks)))
    return {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "uploadId": upload_id,
        "layerDigest": digest,
    }


def add_layer(registry: Registry, repo: Repository, blob: Blob) -> None:
    """Record ``blob`` as a layer of ``repo``, keeping one copy of its bytes per digest."""
    stored = registry.blobs.setdefault(blob.digest, blob)
    repo.layers[blob.digest] = Layer(stored, UPLOADED_LAYER_TYPE)


@operation("BatchCheckLayerAvailability")
def batch_check_layer_availability(registry: Registry, params: Params) -> Params:
    repo = repository(registry, "BatchCheckLayerAvailability", params)
    layers: list[Params] = []
    failures: list[Params] = []
    for digest in params["layerDigests"]:
        if not digest:
            failures.append(
                {
                    "layerDigest": digest,
                    "failureCode": "MissingLayerDigest",
                    "failureReason": "Missing layer digest",
                }
            )
        elif not DIGEST.fullmatch(digest):
            failures.append(
                {
                    "layerDigest": digest,
                    "failureCode": "InvalidLayerDigest",
                    "failureReason": "Invalid layer digest",
                }
            )
        elif (layer := repo.layers.get(digest)) is None:
            layers.append({"layerDigest": digest, "layerAvailability": "UNAVAILABLE"})
        else:
            layers.append(
                {
                    "layerDigest": digest,
                    "layerAvailability": "AVAILABLE",
                    "layerSize": layer.blob.size,
                    "mediaType": layer.media_type,
                }
            )
    return {"layers": layers, "failures": failures}
