"""In-memory state of one activation: the caller's registry, repositories, images, layers."""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ._clock import now
from ._ordered import OrderedIndex

if TYPE_CHECKING:
    import datetime

    from ._faults import Call, Fault
    from ._settings import Mutability, Settings

PUBLIC_HOST = "public.ecr.aws"

V = TypeVar("V")


def now_in_seconds() -> datetime.datetime:
    """Image push and tag times: whole seconds, as the AWS CLI's ``describe-images`` and
    ``describe-image-tags`` examples show them (``2024-07-23T11:32:49-05:00``)."""
    return now().replace(microsecond=0)


def now_in_milliseconds() -> datetime.datetime:
    """Repository creation times: whole milliseconds, as the AWS CLI's
    ``create-repository`` example shows them (``2024-07-07T00:07:56.526000-05:00``)."""
    moment = now()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


class Listing(OrderedIndex[V]):
    """An index that pagination tokens can name.

    ``identity`` tells this listing from any other (a repository deleted and created again
    gets a new one); ``issued`` is the highest position the index has ever assigned, so a
    token naming a later position cannot have come from it.
    """

    __slots__ = ("identity", "issued")

    def __init__(self) -> None:
        super().__init__()
        self.identity = secrets.token_hex(8)
        self.issued = -1

    def add(self, key: str, value: V) -> None:
        super().add(key, value)
        self.issued += 1  # OrderedIndex positions are 0, 1, 2, ... in order of addition


def default_alias(account_id: str) -> str:
    """The registry's default alias: 8 characters, letter and digit alternating.

    AWS assigns one at random (seen: ``l4w8c3b8``); deriving it from the account id keeps
    URIs stable from run to run.
    """
    digest = hashlib.sha256(f"ecr-public-alias:{account_id}".encode()).digest()
    return "".join(
        chr(ord("a") + digest[i] % 26) if i % 2 == 0 else str(digest[i] % 10) for i in range(8)
    )


@dataclass(eq=False, repr=False)
class Blob:
    """Layer bytes, stored once per digest however many repositories use them.

    Kept as the uploaded parts: joining them would copy the whole layer again.
    """

    digest: str
    size: int
    chunks: tuple[bytes, ...]

    def read(self) -> bytes:
        return b"".join(self.chunks)


@dataclass(eq=False, repr=False)
class Layer:
    """A blob's presence in one repository."""

    blob: Blob
    media_type: str


@dataclass(eq=False, repr=False)
class Upload:
    repository: Repository
    chunks: list[bytes] = field(default_factory=list)
    part_sizes: list[int] = field(default_factory=list)
    received: int = 0  # bytes so far; the next part must start here
    hasher: Any = field(default_factory=hashlib.sha256)


@dataclass(eq=False, repr=False)
class Image:
    digest: str
    manifest: str
    media_type: str
    artifact_media_type: str | None
    size: int
    config_digest: str | None
    references: tuple[str, ...]  # images a manifest list/index names
    pushed_at: datetime.datetime = field(default_factory=now_in_seconds)
    tags: dict[str, None] = field(default_factory=dict)  # ordered set, push order


@dataclass(eq=False, repr=False)
class TagRecord:
    tag: str
    digest: str
    created_at: datetime.datetime = field(default_factory=now_in_seconds)


@dataclass(eq=False, repr=False)
class Repository:
    name: str
    registry_id: str
    uri: str
    mutability: Mutability
    created_at: datetime.datetime = field(default_factory=now_in_milliseconds)
    catalog: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)  # resource tags
    policy: str | None = None
    images: Listing[Image] = field(default_factory=Listing)
    image_tags: Listing[TagRecord] = field(default_factory=Listing)
    layers: dict[str, Layer] = field(default_factory=dict)
    # image digest -> the manifest lists/indexes in this repository that reference it
    referrers: dict[str, dict[str, None]] = field(default_factory=dict)
    # ids of this repository's open layer uploads: they go when the repository goes
    uploads: dict[str, None] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        # The region field is empty: ECR Public repositories are global.
        return f"arn:aws:ecr-public::{self.registry_id}:repository/{self.name}"


class Registry:
    """Everything one activation stores; every operation runs under ``lock``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.account_id = settings.account_id
        self.alias = default_alias(settings.account_id)
        self.uri = f"{PUBLIC_HOST}/{self.alias}"
        self.repositories: Listing[Repository] = Listing()
        # DescribeRegistries lists one registry, this one: its account id.
        self.registries: Listing[str] = Listing()
        self.registries.add(self.account_id, self.account_id)
        # Signs pagination tokens: a token from another registry (activation) never verifies.
        self.token_key = secrets.token_bytes(32)
        self.blobs: dict[str, Blob] = {}
        self.uploads: dict[str, Upload] = {}
        self.catalog: dict[str, Any] = {}  # the registry's own catalog data (displayName)
        self.faults: list[Fault] = []
        self.calls: list[Call] = []
        self.lock = threading.RLock()

    def new_repository(self, name: str) -> Repository:
        return Repository(
            name=name,
            registry_id=self.account_id,
            uri=f"{self.uri}/{name}",
            mutability=self.settings.image_tag_mutability,
        )
