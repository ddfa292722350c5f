"""The API's layer upload (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) and
BatchCheckLayerAvailability: the API's part rules over the core's uploads."""

from __future__ import annotations

from ..._core import messages
from ..._core.digests import DIGEST
from ..._core.uploads import (
    check_parts,
    close_upload,
    end_part,
    find_upload,
    finish_upload,
    layer_of,
    open_upload,
    receive,
)
from .request import Params, Request, table


def initiate_layer_upload(request: Request) -> Params:
    upload = open_upload(request.registry, request.repository())
    return {"uploadId": upload.upload_id, "partSize": request.registry.settings.max_layer_part_size}


def upload_layer_part(request: Request) -> Params:
    params, registry = request.params, request.registry
    repo = request.repository()
    upload_id = params["uploadId"]
    upload = find_upload(registry, repo, upload_id)
    settings = registry.settings
    first, last = params["partFirstByte"], params["partLastByte"]
    data: bytes = params["layerPartBlob"]

    def invalid(template: str, **values: int) -> Exception:
        return messages.invalid_layer_part(template, repo, upload_id, upload.received, **values)

    if first != upload.received:
        raise invalid(messages.PART_FIRST_BYTE, first=first, expected=upload.received)
    if not data:
        raise invalid(messages.PART_EMPTY, first=first)
    if last != first + len(data) - 1:
        raise invalid(messages.PART_LAST_BYTE, last=last, expected=first + len(data) - 1)
    if len(data) > settings.max_layer_part_size:
        raise invalid(messages.PART_TOO_LARGE, size=len(data), maximum=settings.max_layer_part_size)
    if len(upload.parts) >= settings.max_layer_parts:
        raise messages.error(
            messages.PART_LIMIT, upload_id=upload_id, quota=settings.max_layer_parts
        )
    receive(registry, upload, data)
    end_part(upload, len(data))
    output = request.typed(repo, {"registryId": repo.registry_id, "repositoryName": repo.name})
    return {**output, "uploadId": upload_id, "lastByteReceived": upload.received - 1}


def complete_layer_upload(request: Request) -> Params:
    params, registry = request.params, request.registry
    repo = request.repository()
    upload_id = params["uploadId"]
    upload = find_upload(registry, repo, upload_id)
    # From here on the upload is over, whether it completes or fails (section "Layer upload").
    digest = close_upload(registry, upload)
    if not upload.parts:
        raise messages.error(messages.EMPTY_UPLOAD, upload_id=upload_id, repo=repo)
    check_parts(registry, upload)
    if digest not in params["layerDigests"]:
        raise messages.error(messages.INVALID_LAYER)
    if not finish_upload(registry, upload, digest):
        raise messages.error(messages.LAYER_ALREADY_EXISTS, digest=digest, repo=repo)
    output = request.typed(repo, {"registryId": repo.registry_id, "repositoryName": repo.name})
    return {**output, "uploadId": upload_id, "layerDigest": digest}


def batch_check_layer_availability(request: Request) -> Params:
    repo = request.repository()
    layers: list[Params] = []
    failures: list[Params] = []
    for digest in request.params["layerDigests"]:
        if not digest or not DIGEST.fullmatch(digest):
            code, reason = (
                messages.INVALID_LAYER_DIGEST if digest else messages.MISSING_LAYER_DIGEST
            )
            failures.append({"layerDigest": digest, "failureCode": code, "failureReason": reason})
        elif (layer := layer_of(repo, digest)) is None:
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


HANDLERS = table(
    initiate_layer_upload, upload_layer_part, complete_layer_upload, batch_check_layer_availability
)
