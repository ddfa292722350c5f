"""Content digests: how the mock spells one, and which strings the service takes for one.

Everything the mock stores it names by the SHA-256 of its bytes, as ``sha256:<hex>`` (the
OCI image-spec's form, the one ECR Public reports); what it accepts from a caller is the
model's ``LayerDigest`` pattern, which lets other algorithms through.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

ALGORITHM = "sha256"
# The model's LayerDigest pattern: what the service accepts as a digest.
DIGEST = re.compile(r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+")


def hasher() -> Any:
    """A hash to feed bytes as they arrive; ``spelled`` names the result."""
    return hashlib.sha256()


def spelled(hashed: Any) -> str:
    return f"{ALGORITHM}:{hashed.hexdigest()}"


def digest_of(data: bytes) -> str:
    return spelled(hashlib.sha256(data))
