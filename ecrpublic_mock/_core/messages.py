"""Every error the core answers, as a table of AWS's texts in one place, to be read side by
side with them (docs/aws-behaviour.md; where a text is the mock's own choice, its section
"Where the mock chooses" says so). A text is a ``str.format`` template over named values;
``error(TEXT, **values)`` makes the ServiceError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .state import Repository

_MIB = 1024 * 1024


class Text(NamedTuple):
    code: str
    template: str


def error(text: Text, /, **values: Any) -> ServiceError:
    return ServiceError(text.code, text.template.format(**values))


def listed(items: Iterable[str]) -> str:
    """How ECR prints a list of digests in a message: ``[d1, d2]``."""
    return f"[{', '.join(items)}]"


def quoted(value: str | None) -> str:
    """How ECR's messages print an optional member: quoted, or 'null' when absent."""
    return f"'{value if value is not None else 'null'}'"


_IN_REPOSITORY = "repository with name '{repo.name}' in the registry with id '{repo.registry_id}'"
_IN_REGISTRY = "the repository with name '{repo.name}' in registry with id '{repo.registry_id}'"

# -- requests (sections "Service", "Validation" and "Regions") -----------------------------

UNSUPPORTED_COMMAND = Text(
    "UnsupportedCommandException", "{operation} command is only supported in {home}."
)
BODY_NOT_JSON = Text("SerializationException", "The request body is not valid JSON")
UNEXPECTED_TYPE = Text(
    "SerializationException", "Unexpected value type in payload at '{path}': expected {expected}"
)
# AWS leaves this text undocumented; the mock chooses it.
INVALID_BASE64 = Text("SerializationException", "Invalid base64 value in payload at '{path}'")
INVALID_PARAMETER = Text(
    "InvalidParameterException",
    "Invalid parameter at '{path}' failed to satisfy constraint: '{constraint}'",
)


def invalid_parameter(path: str, constraint: str) -> ServiceError:
    """The server-side validation error, in ECR's own wording (section "Validation")."""
    return error(INVALID_PARAMETER, path=path, constraint=constraint)


# InvalidParameterExceptions of the service's own checks: (member path, constraint).
Constraint = tuple[str, str]
INVALID_MANIFEST: Constraint = ("ImageManifest", "Invalid JSON syntax")
MANIFEST_MEDIA_TYPE_MISMATCH: Constraint = (
    "imageManifestMediaType",
    "must match the mediaType of the manifest",
)
UNKNOWN_MANIFEST_MEDIA_TYPE: Constraint = ("imageManifestMediaType", "Invalid manifest media type")
TOO_MANY_LAYERS: Constraint = ("ImageManifest", "Limit on number of layers per image exceeded")
TAG_KEY_MISSING: Constraint = ("tags", "must satisfy constraint: [Key must not be null]")
FOREIGN_RESOURCE: Constraint = ("resourceArn", "must be a repository ARN of the caller's registry")
INVALID_TOKEN: Constraint = ("nextToken", "must be a valid pagination token")
# Real ECR's one message for every malformed policy (section "Policies").
INVALID_POLICY: Constraint = ("PolicyText", "Invalid repository policy provided")
POLICY_LOCKOUT: Constraint = (
    "PolicyText",
    "The policy would prevent setting another policy in the future; "
    "set force to true to set it anyway",
)


def invalid(constraint: Constraint) -> ServiceError:
    return invalid_parameter(*constraint)


def image_too_large(maximum: int) -> ServiceError:
    # imageSizeInBytes is a Long. AWS leaves the text undocumented; the mock chooses it.
    return invalid_parameter(
        "ImageManifest", f"Sum of layer sizes must be less than or equal to {maximum}"
    )


def exclusive(member: str, listed: str) -> ServiceError:
    return invalid_parameter(member, f"cannot be used together with {listed}")


# -- registries and repositories (sections "Identifiers" and "Repositories") ---------------

REGISTRY_NOT_FOUND = Text(
    "RegistryNotFoundException", "The registry with id '{registry_id}' does not exist"
)
REPOSITORY_NOT_FOUND = Text(
    "RepositoryNotFoundException",
    "The repository with name '{name}' does not exist in the registry with id '{registry_id}'",
)
REPOSITORY_ALREADY_EXISTS = Text(
    "RepositoryAlreadyExistsException",
    "The repository with name '{name}' already exists in the registry with id '{registry_id}'",
)
REPOSITORY_LIMIT = Text(
    "LimitExceededException",
    "The operation did not succeed because it would have exceeded a service limit "
    "for your account: repositories per registry ({quota})",
)
REPOSITORY_NOT_EMPTY = Text(
    "RepositoryNotEmptyException",
    "The repository with name '{repo.name}' in registry with id '{repo.registry_id}' "
    "cannot be deleted because it still contains images",
)


def repository_not_found(name: str, registry_id: str) -> ServiceError:
    return error(REPOSITORY_NOT_FOUND, name=name, registry_id=registry_id)


# -- layer uploads (section "Layer upload") ------------------------------------------------

UPLOAD_NOT_FOUND = Text(
    "UploadNotFoundException", "The upload with id '{upload_id}' does not exist in " + _IN_REGISTRY
)
PART_LIMIT = Text(
    "LimitExceededException",
    "The upload with id '{upload_id}' has exceeded the limit of {quota} layer parts",
)
LAYER_SIZE_LIMIT = Text(
    "LimitExceededException", "The layer exceeds the maximum layer size of {quota} bytes"
)
EMPTY_UPLOAD = Text(
    "EmptyUploadException",
    "The upload with id '{upload_id}' in " + _IN_REGISTRY + " cannot be completed because "
    "it does not have any parts",
)
# Real text, seen in CloudTrail.
LAYER_PART_TOO_SMALL = Text(
    "LayerPartTooSmallException",
    "All layer parts except the last part should be at least {size}",
)
INVALID_LAYER = Text(
    "InvalidLayerException", "None of the provided layer digests match the calculated layer digest"
)
LAYER_ALREADY_EXISTS = Text(
    "LayerAlreadyExistsException",
    "Layer with digest '{digest}' already exists in the repository with name '{repo.name}' in "
    "registry with id '{repo.registry_id}'",
)

# InvalidLayerPartException's texts (real: "First byte of the layer part is 0 instead of
# 11304960"); the exception also carries the upload's ids and lastValidByteReceived.
PART_FIRST_BYTE = "First byte of the layer part is {first} instead of {expected}"
PART_LAST_BYTE = "Last byte of the layer part is {last} instead of {expected}"
# AWS leaves this one undocumented; the mock chooses to refuse a part with no bytes.
PART_EMPTY = "The layer part starting at byte {first} is empty"
PART_TOO_LARGE = "The layer part size {size} exceeds the maximum layer part size {maximum}"


def invalid_layer_part(
    template: str, repo: Repository, upload_id: str, received: int, **values: int
) -> ServiceError:
    return ServiceError(
        "InvalidLayerPartException",
        template.format(**values),
        registryId=repo.registry_id,
        repositoryName=repo.name,
        uploadId=upload_id,
        lastValidByteReceived=received - 1,
    )


def size_text(size: int) -> str:
    """A part size as LayerPartTooSmallException prints it: ``5MB``."""
    return f"{size // _MIB}MB" if size % _MIB == 0 else f"{size} bytes"


# -- images (sections "Manifests and PutImage" and "Describe and pagination") ---------------

IMAGE_DIGEST_MISMATCH = Text(
    "ImageDigestDoesNotMatchException",
    "The image with digest '{digest}' in repository '{repo.name}' and registry ID "
    "'{repo.registry_id}' does not match the image digest that Amazon ECR has calculated.",
)
LAYERS_NOT_FOUND = Text(
    "LayersNotFoundException",
    "Layers with digests '{digests}' required for pushing image into "
    + _IN_REPOSITORY
    + " do not exist",
)
# Real text.
REFERENCED_IMAGES_NOT_FOUND = Text(
    "ReferencedImagesNotFoundException",
    "Images with digests '{digests}' required for pushing image into "
    + _IN_REPOSITORY
    + " do not exist",
)
IMAGE_ALREADY_EXISTS = Text(
    "ImageAlreadyExistsException",
    "Image with digest '{digest}' and tag '{tag}' already exists in the repository with name "
    "'{repo.name}' in registry with id '{repo.registry_id}'",
)
IMAGE_TAG_ALREADY_EXISTS = Text(
    "ImageTagAlreadyExistsException",
    "The image tag '{tag}' already exists in the '{repo.name}' repository and cannot be "
    "overwritten because the repository is immutable.",
)
IMAGE_LIMIT = Text(
    "LimitExceededException",
    "The maximum number of images ({quota}) in the repository with name '{repo.name}' "
    "has been reached",
)
TAGS_PER_IMAGE_LIMIT = Text(
    "LimitExceededException", "The image with digest '{digest}' cannot have more than {quota} tags"
)
IMAGE_NOT_FOUND = Text(
    "ImageNotFoundException",
    "The image with imageId {{imageDigest:{digest}, imageTag:{tag}}} does not exist within "
    "the " + _IN_REPOSITORY,
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
IMAGE_NOT_FOUND_FAILURE = ("ImageNotFound", "Requested image not found")
REFERENCED_BY_MANIFEST_LIST = "ImageReferencedByManifestList"
REFERENCED_BY_MANIFEST_LIST_REASON = "Requested image referenced by manifest list: {lists}"

# BatchCheckLayerAvailability's failures[] entries.
MISSING_LAYER_DIGEST = ("MissingLayerDigest", "Missing layer digest")
INVALID_LAYER_DIGEST = ("InvalidLayerDigest", "Invalid layer digest")

# -- policies and tags (sections "Policies" and "Resource tags") ---------------------------

# Real text.
POLICY_NOT_FOUND = Text(
    "RepositoryPolicyNotFoundException",
    "Repository policy does not exist for the repository with name '{repo.name}' in the "
    "registry with id '{repo.registry_id}'",
)
RESERVED_TAG_KEY = Text(
    "InvalidTagParameterException",
    "The tag key '{key}' is invalid: the 'aws:' prefix is reserved for AWS use",
)
TOO_MANY_TAGS = Text(
    "TooManyTagsException",
    "The repository '{repo.name}' would have {count} tags; the maximum is {quota}",
)

# -- premium repositories (section "Premium repositories") ---------------------------------
# AWS documents the codes (the model) but quotes none of these texts; the mock chooses them.

PREMIUM_NOT_ENABLED = Text(
    "ValidationException",
    "The registry must be verified and have an approved custom registry alias to create "
    "premium repositories",
)
DUPLICATE_PRODUCTS: Constraint = ("marketplaceProducts", "must not contain duplicates")
DUPLICATE_CATEGORIES: Constraint = ("catalogData.categories", "must not contain duplicates")
MUST_BE_PREMIUM: Constraint = ("repositoryType", "must be PREMIUM")


def state_change(old: str, new: str) -> ServiceError:
    return invalid_parameter("state", f"cannot change from {old} to {new}")


TYPES_MUST_DIFFER: Constraint = ("associatedRepositoryType", "must differ from repositoryType")
# SetImageStatus: a deprecation has a period; an image made ACTIVE again has none.
PERIOD_MISSING: Constraint = ("deprecationPeriodDays", "must not be null when status is DEPRECATED")
PERIOD_UNEXPECTED: Constraint = ("deprecationPeriodDays", "must be null when status is ACTIVE")


def products_removed(missing: Iterable[str]) -> ServiceError:
    return invalid_parameter(
        "marketplaceProducts",
        "products can only be removed while the repository is DRAFT: missing " + listed(missing),
    )


CATALOG_DATA_NOT_FOUND = Text(
    "RepositoryCatalogDataNotFoundException",
    "The catalog data for the repository with name '{repo.name}' in the registry with id "
    "'{repo.registry_id}' does not exist",
)
ASSOCIATION_EXISTS = Text(
    "AssociationAlreadyExistsException",
    "The repository with name '{repo.name}' of type {repo.kind} is already associated with a "
    "repository",
)
ASSOCIATION_NOT_FOUND = Text(
    "AssociationNotFoundException",
    "The repositories '{repo.name}' ({repo.kind}) and '{other.name}' ({other.kind}) are not "
    "associated",
)
STATUS_IN_DRAFT = Text(
    "ValidationException",
    "The image status can't be set while the repository with name '{repo.name}' is in the "
    "DRAFT state",
)
LIST_NOT_DEPRECATED_FIRST = Text(
    "ValidationException",
    "The image '{digest}' is referenced by manifest list '{list}', which must be deprecated "
    "with an earlier deletion time first",
)
LIST_DELETED_AFTER_IMAGE = Text(
    "ValidationException",
    "The manifest list '{list}' must be deleted before the image '{digest}' it references",
)
LIST_REFERENCES_DEPRECATED = Text(
    "ValidationException",
    "The manifest list '{list}' references deprecated images and can't be set to ACTIVE",
)
LIST_OVER_DEPRECATED = Text(
    "ValidationException",
    "A manifest list can't reference the deprecated images '{digests}': a list is deleted "
    "before the images it references",
)
DELETION_NOT_ALLOWED = Text(
    "DeletionNotAllowedException",
    "The images in the repository with name '{repo.name}' can't be deleted directly because "
    "the premium repository is no longer in the DRAFT state; deprecate them with "
    "SetImageStatus",
)
SCAN_NOT_PREMIUM = Text(
    "ValidationException", "Image scanning is supported only for images in PREMIUM repositories"
)
LIST_NOT_SCANNED = (
    "Manifest lists and image indexes are not scanned; describe a platform image's findings"
)
ENTITLEMENT_NOT_FOUND = Text(
    "EntitlementNotFoundException",
    "You don't have an active entitlement for the premium repository '{name}' in the "
    "registry with alias '{alias}'",
)
REPORT_NOT_FOUND = Text(
    "PublisherReportNotFoundException", "The publisher report with id '{report_id}' does not exist"
)
# An operation of the installed model that the mock does not serve (a newer botocore).
NOT_SERVED = Text(
    "UnknownOperationException", "ecrpublic-mock does not serve the operation {operation} yet"
)
