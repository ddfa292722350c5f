"""The options of a mock: account, default tag mutability and the service quotas."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Literal

Mutability = Literal["MUTABLE", "IMMUTABLE"]
MUTABILITIES: tuple[Mutability, ...] = ("MUTABLE", "IMMUTABLE")
_ACCOUNT = re.compile(r"[0-9]{12}")
# The model's RegistryAlias (DescribeEntitledImages' registryAlias): 2 to 50 characters.
_ALIAS = re.compile(r"[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*")
# The first path component of the registry endpoint's premium and buyer paths: no alias.
RESERVED_ALIASES = frozenset({"premium", "entitled"})


@dataclasses.dataclass(frozen=True)
class Settings:
    """Defaults are the real service's values (docs/aws-behaviour.md, section "Quotas")."""

    account_id: str = "123456789012"
    image_tag_mutability: Mutability = "MUTABLE"
    max_repositories: int = 10_000
    max_images_per_repository: int = 100_000
    max_tags_per_image: int = 1_000
    max_resource_tags: int = 50
    max_layer_parts: int = 1_000
    min_layer_part_size: int = 5 * 1024 * 1024
    max_layer_part_size: int = 10 * 1024 * 1024
    max_layer_size: int = 10_000 * 1024 * 1024
    # Not on ECR Public's quota page; private ECR documents 4,200 layers per image.
    max_layers_per_image: int = 4_200
    # Seconds an open upload is kept with no part arriving, and a layer uploaded is kept
    # with no image naming it. AWS leaves both undocumented; the mock chooses an hour
    # (docs/aws-behaviour.md, "Layers and uploads that nobody uses").
    upload_expiry: int = 3_600
    # While served, repository and registry URIs name the server (so that what a test
    # pushes to lands in the mock); True keeps AWS's ``public.ecr.aws`` form.
    public_uris: bool = False
    # The publisher's prerequisites for premium repositories, off as in a new account: a
    # verified AWS Marketplace vendor (Registry.verified) with a custom, approved alias
    # (None: only the generated default alias).
    registry_verified: bool = False
    registry_alias: str | None = None
    # ECR Public's pull rate quotas, off unless a test asks for them: 1 unauthenticated
    # image pull a second per source address, 10 authenticated a second per account.
    pull_rate_limits: bool = False

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Settings:
        """Check every option now, so a typo fails at decoration time, not mid-test."""
        known = {field.name: field for field in dataclasses.fields(cls)}
        for name, value in options.items():
            if name not in known:
                raise TypeError(
                    f"mock_ecr_public() got an unexpected option {name!r}; "
                    f"options are: {', '.join(known)}"
                )
            check_option(name, value)
        settings = cls(**options)
        if settings.min_layer_part_size > settings.max_layer_part_size:
            raise ValueError(
                f"min_layer_part_size ({settings.min_layer_part_size}) must not exceed "
                f"max_layer_part_size ({settings.max_layer_part_size})"
            )
        return settings


def check_option(name: str, value: Any) -> None:
    if name == "account_id":
        if not isinstance(value, str):
            raise TypeError(f"account_id must be a str, not {type(value).__name__}")
        if not _ACCOUNT.fullmatch(value):
            raise ValueError(f"account_id must be 12 digits, got {value!r}")
    elif name == "image_tag_mutability":
        check_mutability(value)
    elif name in ("public_uris", "registry_verified", "pull_rate_limits"):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    elif name == "registry_alias":
        check_alias(value)
    else:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")


def check_alias(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"registry_alias must be None or a str, not {type(value).__name__}")
    if not (2 <= len(value) <= 50 and _ALIAS.fullmatch(value)) or value in RESERVED_ALIASES:
        raise ValueError(
            f"registry_alias must be 2-50 characters of the form {_ALIAS.pattern} and not "
            f"{' or '.join(sorted(RESERVED_ALIASES))} (the mock's registry paths), got {value!r}"
        )


def check_mutability(value: Any) -> Mutability:
    if value not in MUTABILITIES:
        raise ValueError(f"image_tag_mutability must be 'MUTABLE' or 'IMMUTABLE', got {value!r}")
    return value  # type: ignore[no-any-return]
