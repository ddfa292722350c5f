"""The registry endpoint's errors in one table: each distribution-spec code with its HTTP
status (as distribution's ``registry/api/errcode`` declares them), the endpoint's texts
under their codes, and how the API's errors (PutImage's, BatchDeleteImage's, ...) map onto
the codes (docs/aws-behaviour.md, section "Registry protocol")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .._core import messages
from .._core.errors import CredentialRefused
from .._harness.faults import InjectedFault

if TYPE_CHECKING:
    from .._core.errors import ServiceError


@dataclass(frozen=True)
class Code:
    """A distribution-spec error code and the HTTP status it is answered with."""

    value: str
    status: int


UNAUTHORIZED = Code("UNAUTHORIZED", 401)
DENIED = Code("DENIED", 403)
NAME_UNKNOWN = Code("NAME_UNKNOWN", 404)
MANIFEST_UNKNOWN = Code("MANIFEST_UNKNOWN", 404)
BLOB_UNKNOWN = Code("BLOB_UNKNOWN", 404)
BLOB_UPLOAD_UNKNOWN = Code("BLOB_UPLOAD_UNKNOWN", 404)
UNSUPPORTED = Code("UNSUPPORTED", 405)
RANGE_NOT_SATISFIABLE = Code("RANGE_NOT_SATISFIABLE", 416)
BLOB_UPLOAD_INVALID = Code("BLOB_UPLOAD_INVALID", 416)
DIGEST_INVALID = Code("DIGEST_INVALID", 400)
TAG_INVALID = Code("TAG_INVALID", 400)
MANIFEST_INVALID = Code("MANIFEST_INVALID", 400)
MANIFEST_BLOB_UNKNOWN = Code("MANIFEST_BLOB_UNKNOWN", 400)
PAGINATION_NUMBER_INVALID = Code("PAGINATION_NUMBER_INVALID", 400)
TOOMANYREQUESTS = Code("TOOMANYREQUESTS", 429)
_BY_VALUE = {
    code.value: code
    for code in (
        UNAUTHORIZED,
        DENIED,
        NAME_UNKNOWN,
        MANIFEST_UNKNOWN,
        BLOB_UNKNOWN,
        BLOB_UPLOAD_UNKNOWN,
        UNSUPPORTED,
        RANGE_NOT_SATISFIABLE,
        BLOB_UPLOAD_INVALID,
        DIGEST_INVALID,
        TAG_INVALID,
        MANIFEST_INVALID,
        MANIFEST_BLOB_UNKNOWN,
        PAGINATION_NUMBER_INVALID,
        TOOMANYREQUESTS,
    )
}


class Text(NamedTuple):
    code: Code
    template: str


# Real text: "Get https://public.ecr.aws/v2/: denied: Not Authorized" (docker/login-action#38).
NOT_AUTHORIZED = Text(DENIED, "Not Authorized")
# Real text, as docker prints it: "denied: Your authorization token has expired.
# Reauthenticate and try again." (aws/aws-cli#6580, amazon-ecr-credential-helper#286).
TOKEN_EXPIRED = Text(DENIED, "Your authorization token has expired. Reauthenticate and try again.")
# Real answers of public.ecr.aws. Without credentials, 401 with the challenge and
# {"errors":[{"code":"DENIED","message":"Not Authorized"}]} (58 bytes: fluxcd/flux#3492,
# helm/helm#11698). A bearer token it did not issue or that expired, and Basic credentials
# sent to /v2/, 400 and no challenge (oras-project/oras-go#1227,
# kreuzwerker/terraform-provider-docker#666, aws/containers-roadmap#2835).
NO_TOKEN = Text(Code(DENIED.value, 401), "Not Authorized")
TOKEN_INVALID = Text(Code(DENIED.value, 400), "Your Authorization Token is invalid.")
# Real text: "manifest unknown: Requested image not found".
IMAGE_NOT_FOUND = Text(MANIFEST_UNKNOWN, "Requested image not found")
# The distribution-spec's texts for its codes (AWS leaves its own undocumented).
BLOB_NOT_FOUND = Text(BLOB_UNKNOWN, "blob unknown to registry")
UPLOAD_NOT_FOUND = Text(BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry")
DIGEST_MISMATCH = Text(DIGEST_INVALID, "provided digest did not match uploaded content")
# AWS leaves these undocumented; the mock chooses them.
DIGEST_MALFORMED = Text(DIGEST_INVALID, "invalid digest '{digest}'")
CONTENT_RANGE_INVALID = Text(
    BLOB_UPLOAD_INVALID, "invalid content range '{range}': the upload has {received} bytes"
)
TAG_MALFORMED = Text(TAG_INVALID, "invalid tag '{tag}'")
MANIFEST_TOO_LARGE = Text(
    MANIFEST_INVALID, "the manifest is larger than the service's {limit} bytes"
)
MANIFEST_NOT_UTF8 = Text(MANIFEST_INVALID, "the manifest is not UTF-8 text")
NOT_ACCEPTED = Text(MANIFEST_UNKNOWN, "{kind} found, but accept header does not support {kinds}")
RANGE_REFUSED = Text(
    RANGE_NOT_SATISFIABLE, "the range '{range}' is not satisfiable: the blob has {size} bytes"
)
COUNT_INVALID = Text(PAGINATION_NUMBER_INVALID, "invalid number of results requested: '{n}'")
OPERATION_UNSUPPORTED = Text(UNSUPPORTED, "The operation is unsupported.")
# AWS leaves undocumented whether public.ecr.aws takes other digest algorithms than sha256
# (the API's documents speak of "the sha256 digest"); the mock refuses them and says why.
DIGEST_ALGORITHM = Text(
    DIGEST_INVALID, "unsupported digest algorithm '{algorithm}': the registry stores sha256"
)
# "toomanyrequests: Rate exceeded", as docker prints ECR Public's throttled pulls
# (mitogen-hq/mitogen#790, aws/aws-cdk#23923).
RATE_EXCEEDED = Text(TOOMANYREQUESTS, "Rate exceeded")
NO_ROUTE = Text(Code(UNSUPPORTED.value, 404), OPERATION_UNSUPPORTED.template)

# The API's errors under the codes a registry client knows.
_FROM_API = {
    "RepositoryNotFoundException": NAME_UNKNOWN,
    "UploadNotFoundException": BLOB_UPLOAD_UNKNOWN,
    "LayersNotFoundException": MANIFEST_BLOB_UNKNOWN,
    "ReferencedImagesNotFoundException": MANIFEST_BLOB_UNKNOWN,
    # ECR answers a manifest PutImage refuses with 405 UNSUPPORTED and PutImage's text, e.g.
    # "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON
    # syntax'" (opcr-io/policy#149, oras-project/oras#1133, chainguard-dev/apko#450: private
    # ECR; AWS leaves public.ecr.aws's answer undocumented, and the mock answers the same).
    "InvalidParameterException": Code(UNSUPPORTED.value, 405),
    "ImageDigestDoesNotMatchException": DIGEST_INVALID,
    "ImageTagAlreadyExistsException": TAG_INVALID,
    "LimitExceededException": DENIED,
    "DeletionNotAllowedException": DENIED,
    # "toomanyrequests: Rate exceeded", as docker prints ECR's 429 (mitogen-hq/mitogen#790).
    "ThrottlingException": TOOMANYREQUESTS,
    # ECR refuses a chunked upload whose chunks but the last are under 5 MiB with
    # BLOB_UPLOAD_INVALID, a 400 (dotnet/sdk-container-builds#472, dotnet/sdk#33019).
    "LayerPartTooSmallException": Code(BLOB_UPLOAD_INVALID.value, 400),
}
# A manifest DELETE reports BatchDeleteImage's failures under these codes and statuses.
_FAILURES = {
    messages.IMAGE_NOT_FOUND_FAILURE[0]: MANIFEST_UNKNOWN,
    messages.REFERENCED_BY_MANIFEST_LIST: Code(DENIED.value, 409),
}


class RegistryError(Exception):
    """An answer of the registry endpoint's: a code, its text, and headers of its own."""

    def __init__(self, code: Code, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.headers = code, message, headers or {}


def error(text: Text, /, headers: dict[str, str] | None = None, **values: Any) -> RegistryError:
    return RegistryError(text.code, text.template.format(**values), headers)


def answer_for(refusal: ServiceError | CredentialRefused | RegistryError) -> RegistryError:
    """How the endpoint answers a refusal: its own errors as they are, a credential that
    does not reach the repository (or expired) as DENIED, the API's errors mapped."""
    if isinstance(refusal, RegistryError):
        return refusal
    if isinstance(refusal, CredentialRefused):
        return error(TOKEN_EXPIRED if refusal.expired else NOT_AUTHORIZED)
    return from_service(refusal)


def from_service(error: ServiceError) -> RegistryError:
    """An API error as the registry answers it, under the code a registry client knows; an
    injected fault keeps a code of its own, and the status the test gave it."""
    code = _FROM_API.get(error.code) or _BY_VALUE.get(error.code)
    if code is None:
        code = Code(error.code, error.status)
    elif isinstance(error, InjectedFault) and error.status_given:
        code = Code(code.value, error.status)
    return RegistryError(code, error.message)


def from_failure(failure_code: str, reason: str) -> RegistryError:
    """A BatchDeleteImage failure entry (``failureCode``, ``failureReason``)."""
    return RegistryError(_FAILURES[failure_code], reason)
