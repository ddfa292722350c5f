"""In-memory state of one activation: the caller's registry and its repositories."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._clock import now
from ._ordered import OrderedIndex

if TYPE_CHECKING:
    import datetime

    from ._settings import Mutability, Settings

PUBLIC_HOST = "public.ecr.aws"


def default_alias(account_id: str) -> str:
    """The registry's default alias: 8 characters, letter and digit alternating.

    AWS assigns one at random (seen: ``l4w8c3b8``); deriving it from the account id keeps
    URIs stable from run to run.
    """
    digest = hashlib.sha256(f"ecr-public-alias:{account_id}".encode()).digest()
    return "".join(
        chr(ord("a") + digest[i] % 26) if i % 2 == 0 else str(digest[i] % 10) for i in range(8)
    )


@dataclass(eq=False)
class Repository:
    name: str
    registry_id: str
    uri: str
    mutability: Mutability
    created_at: datetime.datetime = field(default_factory=now)
    catalog: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    policy: str | None = None
    images: OrderedIndex[Any] = field(default_factory=OrderedIndex)

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
        self.repositories: OrderedIndex[Repository] = OrderedIndex()
        self.lock = threading.RLock()

    def new_repository(self, name: str) -> Repository:
        return Repository(
            name=name,
            registry_id=self.account_id,
            uri=f"{self.uri}/{name}",
            mutability=self.settings.image_tag_mutability,
        )
