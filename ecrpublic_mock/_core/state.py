"""In-memory state of one registry: its repositories, images, tags, layers and uploads."""

from __future__ import annotations

import hashlib
import secrets
import threading
import weakref
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from .clock import now_in_milliseconds, now_in_seconds
from .digests import hasher
from .ordered import OrderedIndex

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator

    from .settings import Mutability, Settings

PUBLIC_HOST = "public.ecr.aws"
FREE, PREMIUM = "FREE", "PREMIUM"
# The registry endpoint's paths for premium repositories (docs/aws-behaviour.md, section
# "Premium repositories"): the publisher's, and the one entitled buyers pull from.
PREMIUM_PATH, ENTITLED_PATH = "premium", "entitled"


@cache
def default_alias(account_id: str) -> str:
    """The registry's default alias: 8 characters, letter and digit alternating.

    AWS assigns one at random (seen: ``l4w8c3b8``); deriving it from the account id keeps
    URIs stable from run to run (docs/aws-behaviour.md, section "Where the mock chooses").
    """
    digest = hashlib.sha256(f"ecr-public-alias:{account_id}".encode()).digest()
    return "".join(
        chr(ord("a") + digest[i] % 26) if i % 2 == 0 else str(digest[i] % 10) for i in range(8)
    )


@dataclass(eq=False, repr=False)
class Blob:
    """Layer bytes, stored once per digest however many repositories use them.

    Kept as the uploaded chunks: joining them would copy the whole layer again.
    """

    digest: str
    size: int
    chunks: tuple[bytes, ...]

    def read(self) -> bytes:
        return b"".join(self.chunks)

    def iter_range(self, start: int, stop: int) -> Iterator[bytes]:
        """The bytes from ``start`` up to ``stop``, chunk by chunk: never joined, and only
        the chunks at the ends are sliced (copied)."""
        offset = 0
        for chunk in self.chunks:
            end = offset + len(chunk)
            if end > start and offset < stop:
                yield (
                    chunk
                    if start <= offset and end <= stop
                    else chunk[max(start - offset, 0) : stop - offset]
                )
            offset = end
            if offset >= stop:
                return


@dataclass(eq=False, repr=False)
class Layer:
    """A blob's presence in one repository."""

    blob: Blob
    media_type: str
    # How many of the repository's images name it (as a layer or as their config): it goes
    # with the last of them (docs/aws-behaviour.md, "Layers and uploads that nobody uses").
    images: int = 0


@dataclass(eq=False, repr=False)
class Upload:
    """An open upload: chunks kept as they came, hashed as they arrive."""

    upload_id: str
    repository: Repository
    # When it expires unless a part arrives first (Settings.upload_expiry).
    expires_at: datetime.datetime
    chunks: list[bytes] = field(default_factory=list)
    received: int = 0  # bytes so far; the next chunk starts here
    # The size of each part: the bytes one request brought (an UploadLayerPart, a PATCH).
    parts: list[int] = field(default_factory=list)
    hasher: Any = field(default_factory=hasher)


@dataclass(eq=False, repr=False)
class Scan:
    """An image's scan (premium repositories only): its status and what it found."""

    status: str
    description: str | None
    completed_at: datetime.datetime
    findings: OrderedIndex[dict[str, Any]] = field(default_factory=OrderedIndex)
    severities: dict[str, int] = field(default_factory=dict)


@dataclass(eq=False, repr=False, slots=True)
class Image:
    digest: str
    manifest: str
    media_type: str
    artifact_media_type: str | None
    size: int
    config_digest: str | None
    references: tuple[str, ...]  # images a manifest list/index names
    layers: tuple[str, ...] = ()  # the layers and config it names, each once
    subject: str | None = None  # the digest of the manifest named as its OCI 1.1 subject
    pushed_at: datetime.datetime = field(default_factory=now_in_seconds)
    tags: dict[str, None] = field(default_factory=dict)  # ordered set, push order
    # Premium images: deprecated ones are deleted when the mock's clock reaches the time.
    deletion_at: datetime.datetime | None = None
    scan: Scan | None = None
    # What front ends derive from the image (an answer's entry, say), by their own keys:
    # kept until the image next changes, so a listing builds each entry once, not per call.
    derived: dict[Any, Any] | None = None

    @property
    def status(self) -> str:
        return "ACTIVE" if self.deletion_at is None else "DEPRECATED"

    def changed(self) -> None:
        """Forget what was derived from the image. Every change to a stored image (its
        tags, status, scan) calls this; the rest of an image never changes once stored."""
        self.derived = None


@dataclass(eq=False, repr=False, slots=True)
class TagRecord:
    tag: str
    digest: str
    image: Image  # the image ``digest`` names (a tag moved to another is a new record)
    created_at: datetime.datetime = field(default_factory=now_in_seconds)


@dataclass(eq=False, repr=False)
class Repository:
    name: str
    registry: Registry
    mutability: Mutability
    kind: str = FREE  # the model's RepositoryType: FREE or PREMIUM
    created_at: datetime.datetime = field(default_factory=now_in_milliseconds)
    catalog: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)  # resource tags
    policy: str | None = None
    images: OrderedIndex[Image] = field(default_factory=OrderedIndex)
    image_tags: OrderedIndex[TagRecord] = field(default_factory=OrderedIndex)
    layers: dict[str, Layer] = field(default_factory=dict)
    # image digest -> the manifest lists/indexes in this repository that reference it
    referrers: dict[str, dict[str, None]] = field(default_factory=dict)
    # OCI 1.1: subject digest -> the images in this repository naming it as their subject
    # (push order); kept when the subject goes (docs/aws-behaviour.md, "OCI 1.1 referrers")
    referring: dict[str, dict[str, None]] = field(default_factory=dict)
    # ids of this repository's open uploads: they go when the repository goes
    uploads: dict[str, None] = field(default_factory=dict)
    # The other side of its association (a FREE repository with a PREMIUM one), if any.
    associated: Repository | None = None
    # Catalog badges, set from the handle (the API has no input for them).
    badges: tuple[str, ...] = ()
    # How many stored images are helm charts, and how many are anything else: the
    # catalog's artifactTypes, kept as images come and go.
    helm_images: int = 0
    other_images: int = 0
    # Premium repositories only: their state, products and deprecated images.
    state: str | None = None
    products: list[str] = field(default_factory=list)
    # deprecated images: digest -> scheduled deletion (the image's deletion_at)
    deprecated: dict[str, datetime.datetime] = field(default_factory=dict)
    # What front ends derive from the repository, each with what else it was derived
    # from (the registry's host, say): theirs to check before use.
    derived: dict[Any, Any] | None = None

    @property
    def registry_id(self) -> str:
        return self.registry.account_id

    @property
    def premium(self) -> bool:
        return self.kind == PREMIUM

    @property
    def uri(self) -> str:
        if self.premium:
            return f"{self.registry.premium_uri}/{self.name}"
        return f"{self.registry.uri}/{self.name}"

    @property
    def arn(self) -> str:
        # The region field is empty: ECR Public repositories are global.
        kind = "premium-repository" if self.premium else "repository"
        return f"arn:aws:ecr-public::{self.registry_id}:{kind}/{self.name}"

    @property
    def entitled_uri(self) -> str:
        """Where an entitled buyer pulls from (pull only)."""
        return f"{self.registry.host}/{ENTITLED_PATH}/{self.registry.alias}/{self.name}"

    @property
    def entitled_arn(self) -> str:
        """The buyer's ARN of a premium repository: no account id."""
        return f"arn:aws:ecr-public:::entitled-repository/{self.registry.alias}/{self.name}"


@dataclass(eq=False, repr=False)
class Report:
    """A publisher report: a compressed CSV of one period."""

    report_id: str
    report_type: str
    granularity: str
    start: datetime.date
    end: datetime.date
    content: bytes  # gzip-compressed
    created_at: datetime.datetime


class Registry:
    """Everything one registry stores; every operation runs under ``lock``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.account_id = settings.account_id
        self.default_alias = default_alias(settings.account_id)
        # The primary alias, which URIs use: the custom one where the registry has it.
        self.alias = settings.registry_alias or self.default_alias
        # Where the registry is reached: AWS's host, or the server serving it (host:port).
        self.host = PUBLIC_HOST
        self._key: bytes | None = None
        self.repositories: OrderedIndex[Repository] = OrderedIndex()  # FREE
        self.premium: OrderedIndex[Repository] = OrderedIndex()  # PREMIUM, by name too
        # Each blob once, however many repositories have it as a layer; a blob no layer
        # holds any more is released with its last layer.
        self.blobs: weakref.WeakValueDictionary[str, Blob] = weakref.WeakValueDictionary()
        # Open uploads, the one idle longest first (each part moves its upload last).
        self.uploads: dict[str, Upload] = {}
        # Layers uploaded that no image names yet, with their repository and when they
        # expire unless an image names them first; the oldest first.
        self.unused: dict[Layer, tuple[Repository, datetime.datetime]] = {}
        # the registry's own catalog data (displayName, description, logoUrl)
        self.catalog: dict[str, Any] = {}
        # Marketplace products the account holds an active agreement for (as a buyer).
        self.entitlements: dict[str, None] = {}
        self.reports: OrderedIndex[Report] = OrderedIndex()
        # Pulls counted this second, by caller (only with Settings.pull_rate_limits).
        self.pulls: dict[str, tuple[int, int]] = {}
        self.lock = threading.RLock()

    def namespace(self, kind: str) -> OrderedIndex[Repository]:
        """The repositories of one type: FREE and PREMIUM names are apart."""
        return self.premium if kind == PREMIUM else self.repositories

    @property
    def premium_enabled(self) -> bool:
        """Premium repositories need a verified registry with a custom alias."""
        return self.settings.registry_verified and self.settings.registry_alias is not None

    @property
    def premium_uri(self) -> str:
        return f"{self.host}/{PREMIUM_PATH}/{self.alias}"

    @property
    def key(self) -> bytes:
        """Signs what this registry hands out (pagination tokens, passwords, registry
        tokens): nothing from another registry verifies here. Drawn on first use."""
        if self._key is None:
            self._key = secrets.token_bytes(32)
        return self._key

    @property
    def arn(self) -> str:
        return f"arn:aws:ecr-public::{self.account_id}:registry/{self.account_id}"

    def names(self, registry_id: str, *, alias_allowed: bool) -> bool:
        """Does ``registry_id`` name this registry (its account id, or its alias where the
        operation accepts one)?"""
        return registry_id == self.account_id or (alias_allowed and registry_id in self.aliases)

    @property
    def uri(self) -> str:
        return f"{self.host}/{self.alias}"

    @property
    def aliases(self) -> tuple[str, ...]:
        """Every alias of the registry, the primary one first."""
        if self.alias == self.default_alias:
            return (self.alias,)
        return (self.alias, self.default_alias)
