"""Every error the core answers, built in one place to be read side by side with AWS's
texts (docs/aws-behaviour.md; where a text is the mock's own choice, the section "Where
the mock chooses" says so)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .state import Repository

_MIB = 1024 * 1024


def _digests(digests: Iterable[str]) -> str:
    return f"[{', '.join(digests)}]"


def _quoted(value: str | None) -> str:
    """How ECR's messages print an optional member: quoted, or 'null' when absent."""
    return f"'{value if value is not None else 'null'}'"


def _in_repository(repo: Repository) -> str:
    return f"repository with name '{repo.name}' in the registry with id '{repo.registry_id}'"


def _where(repo: Repository) -> str:
    return f"the repository with name '{repo.name}' in registry with id '{repo.registry_id}'"


# -- validation -----------------------------------------------------------------------------


def invalid_parameter(path: str, constraint: str) -> ServiceError:
    """The server-side validation error, in ECR's own wording (section "Validation")."""
    return ServiceError(
        "InvalidParameterException",
        f"Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'",
    )


def body_not_json() -> ServiceError:
    return ServiceError("SerializationException", "The request body is not valid JSON")


def unexpected_type(path: str, expected: str) -> ServiceError:
    """A JSON type the model does not allow: the service cannot even deserialize it."""
    return ServiceError(
        "SerializationException",
        f"Unexpected value type in payload at '{path}': expected {expected}",
    )


def invalid_base64(path: str) -> ServiceError:
    # AWS leaves the text undocumented; the mock chooses this one.
    return ServiceError("SerializationException", f"Invalid base64 value in payload at '{path}'")


def unsupported_command(operation: str, home: str) -> ServiceError:
    """Real text (section "Regions")."""
    return ServiceError(
        "UnsupportedCommandException", f"{operation} command is only supported in {home}."
    )


# -- registries and repositories ------------------------------------------------------------


def registry_not_found(registry_id: str) -> ServiceError:
    return ServiceError(
        "RegistryNotFoundException", f"The registry with id '{registry_id}' does not exist"
    )


def repository_not_found(name: str, registry_id: str) -> ServiceError:
    return ServiceError(
        "RepositoryNotFoundException",
        f"The repository with name '{name}' does not exist in the registry with id '{registry_id}'",
    )


def repository_already_exists(name: str, registry_id: str) -> ServiceError:
    return ServiceError(
        "RepositoryAlreadyExistsException",
        f"The repository with name '{name}' already exists in the registry with id '{registry_id}'",
    )


def repository_limit(quota: int) -> ServiceError:
    return ServiceError(
        "LimitExceededException",
        "The operation did not succeed because it would have exceeded a service limit "
        f"for your account: repositories per registry ({quota})",
    )


def repository_not_empty(repo: Repository) -> ServiceError:
    return ServiceError(
        "RepositoryNotEmptyException",
        f"The repository with name '{repo.name}' in registry with id "
        f"'{repo.registry_id}' cannot be deleted because it still contains images",
    )


# -- layer uploads --------------------------------------------------------------------------


def upload_not_found(upload_id: str, repo: Repository) -> ServiceError:
    return ServiceError(
        "UploadNotFoundException",
        f"The upload with id '{upload_id}' does not exist in {_where(repo)}",
    )


def invalid_layer_part(
    message: str, repo: Repository, upload_id: str, received: int
) -> ServiceError:
    return ServiceError(
        "InvalidLayerPartException",
        message,
        registryId=repo.registry_id,
        repositoryName=repo.name,
        uploadId=upload_id,
        lastValidByteReceived=received - 1,
    )


def part_first_byte(first: int, expected: int) -> str:
    return f"First byte of the layer part is {first} instead of {expected}"


def part_last_byte(last: int, expected: int) -> str:
    return f"Last byte of the layer part is {last} instead of {expected}"


def part_empty(first: int) -> str:
    # AWS leaves this undocumented; the mock chooses to refuse a part with no bytes.
    return f"The layer part starting at byte {first} is empty"


def part_too_large(size: int, maximum: int) -> str:
    return f"The layer part size {size} exceeds the maximum layer part size {maximum}"


def part_limit(upload_id: str, quota: int) -> ServiceError:
    return ServiceError(
        "LimitExceededException",
        f"The upload with id '{upload_id}' has exceeded the limit of {quota} layer parts",
    )


def layer_size_limit(quota: int) -> ServiceError:
    return ServiceError(
        "LimitExceededException", f"The layer exceeds the maximum layer size of {quota} bytes"
    )


def empty_upload(upload_id: str, repo: Repository) -> ServiceError:
    """Real text (section "Layer upload")."""
    return ServiceError(
        "EmptyUploadException",
        f"The upload with id '{upload_id}' in {_where(repo)} cannot be completed because "
        "it does not have any parts",
    )


def _size_text(size: int) -> str:
    return f"{size // _MIB}MB" if size % _MIB == 0 else f"{size} bytes"


def layer_part_too_small(minimum: int) -> ServiceError:
    """Real text, seen in CloudTrail (section "Layer upload")."""
    return ServiceError(
        "LayerPartTooSmallException",
        f"All layer parts except the last part should be at least {_size_text(minimum)}",
    )


def invalid_layer() -> ServiceError:
    return ServiceError(
        "InvalidLayerException",
        "None of the provided layer digests match the calculated layer digest",
    )


def layer_already_exists(digest: str, repo: Repository) -> ServiceError:
    return ServiceError(
        "LayerAlreadyExistsException",
        f"Layer with digest '{digest}' already exists in the repository with name "
        f"'{repo.name}' in registry with id '{repo.registry_id}'",
    )


# -- images ---------------------------------------------------------------------------------


def invalid_manifest() -> ServiceError:
    return invalid_parameter("ImageManifest", "Invalid JSON syntax")


def manifest_media_type_mismatch() -> ServiceError:
    return invalid_parameter("imageManifestMediaType", "must match the mediaType of the manifest")


def unknown_manifest_media_type() -> ServiceError:
    return invalid_parameter("imageManifestMediaType", "Invalid manifest media type")


def too_many_layers() -> ServiceError:
    return invalid_parameter("ImageManifest", "Limit on number of layers per image exceeded")


def image_too_large(maximum: int) -> ServiceError:
    # imageSizeInBytes is a Long. AWS leaves the message undocumented; the mock chooses it.
    return invalid_parameter(
        "ImageManifest", f"Sum of layer sizes must be less than or equal to {maximum}"
    )


def image_digest_mismatch(given: str, repo: Repository) -> ServiceError:
    return ServiceError(
        "ImageDigestDoesNotMatchException",
        f"The image with digest '{given}' in repository '{repo.name}' and registry ID "
        f"'{repo.registry_id}' does not match the image digest that Amazon ECR has calculated.",
    )


def layers_not_found(digests: Iterable[str], repo: Repository) -> ServiceError:
    return ServiceError(
        "LayersNotFoundException",
        f"Layers with digests '{_digests(digests)}' required for pushing image into "
        f"{_in_repository(repo)} do not exist",
    )


def referenced_images_not_found(digests: Iterable[str], repo: Repository) -> ServiceError:
    """Real text (section "Manifests and PutImage")."""
    return ServiceError(
        "ReferencedImagesNotFoundException",
        f"Images with digests '{_digests(digests)}' required for pushing image into "
        f"{_in_repository(repo)} do not exist",
    )


def image_already_exists(digest: str, tag: str | None, repo: Repository) -> ServiceError:
    return ServiceError(
        "ImageAlreadyExistsException",
        f"Image with digest '{digest}' and tag '{tag or 'null'}' already exists in the "
        f"repository with name '{repo.name}' in registry with id '{repo.registry_id}'",
    )


def image_tag_already_exists(tag: str, repo: Repository) -> ServiceError:
    return ServiceError(
        "ImageTagAlreadyExistsException",
        f"The image tag '{tag}' already exists in the '{repo.name}' repository and cannot "
        "be overwritten because the repository is immutable.",
    )


def image_limit(quota: int, repo: Repository) -> ServiceError:
    return ServiceError(
        "LimitExceededException",
        f"The maximum number of images ({quota}) in the repository with name '{repo.name}' "
        "has been reached",
    )


def tags_per_image_limit(digest: str, quota: int) -> ServiceError:
    return ServiceError(
        "LimitExceededException",
        f"The image with digest '{digest}' cannot have more than {quota} tags",
    )


def image_not_found(digest: str | None, tag: str | None, repo: Repository) -> ServiceError:
    return ServiceError(
        "ImageNotFoundException",
        f"The image with imageId {{imageDigest:{_quoted(digest)}, imageTag:{_quoted(tag)}}} "
        f"does not exist within the {_in_repository(repo)}",
    )


# BatchDeleteImage reports these as failures[] entries: (failureCode, failureReason).
MISSING_DIGEST_AND_TAG = (
    "MissingDigestAndTag",
    "Invalid request parameters: both tag and digest cannot be null",
)
INVALID_IMAGE_DIGEST = (
    "InvalidImageDigest",
    "Invalid request parameters: image digest should satisfy the regex "
    "'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
)
TAG_DOES_NOT_MATCH_DIGEST = (
    "ImageTagDoesNotMatchDigest",
    "Invalid request parameters: given tag does not map to the given digest",
)
IMAGE_NOT_FOUND = ("ImageNotFound", "Requested image not found")


def referenced_by_manifest_list(lists: Iterable[str]) -> tuple[str, str]:
    return (
        "ImageReferencedByManifestList",
        f"Requested image referenced by manifest list: {_digests(lists)}",
    )


# BatchCheckLayerAvailability's failures[] entries.
MISSING_LAYER_DIGEST = ("MissingLayerDigest", "Missing layer digest")
INVALID_LAYER_DIGEST = ("InvalidLayerDigest", "Invalid layer digest")


# -- policies and tags ----------------------------------------------------------------------


def invalid_policy() -> ServiceError:
    """Real ECR's one message for every malformed policy (section "Policies")."""
    return invalid_parameter("PolicyText", "Invalid repository policy provided")


def policy_lockout() -> ServiceError:
    return invalid_parameter(
        "PolicyText",
        "The policy would prevent setting another policy in the future; "
        "set force to true to set it anyway",
    )


def policy_not_found(repo: Repository) -> ServiceError:
    """Real text (section "Repositories")."""
    return ServiceError(
        "RepositoryPolicyNotFoundException",
        f"Repository policy does not exist for the repository with name '{repo.name}' "
        f"in the registry with id '{repo.registry_id}'",
    )


def reserved_tag_key(key: str) -> ServiceError:
    return ServiceError(
        "InvalidTagParameterException",
        f"The tag key '{key}' is invalid: the 'aws:' prefix is reserved for AWS use",
    )


def too_many_tags(repo: Repository, count: int, quota: int) -> ServiceError:
    return ServiceError(
        "TooManyTagsException",
        f"The repository '{repo.name}' would have {count} tags; the maximum is {quota}",
    )


def tag_key_missing() -> ServiceError:
    return invalid_parameter("tags", "must satisfy constraint: [Key must not be null]")


def foreign_resource() -> ServiceError:
    return invalid_parameter("resourceArn", "must be a repository ARN of the caller's registry")


def invalid_token() -> ServiceError:
    return invalid_parameter("nextToken", "must be a valid pagination token")


def exclusive(member: str, listed: str) -> ServiceError:
    return invalid_parameter(member, f"cannot be used together with {listed}")
