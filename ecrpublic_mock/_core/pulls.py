"""ECR Public's pull rate quotas, counted when a test asks for them
(``Settings.pull_rate_limits``).

AWS's quota page: "Rate of unauthenticated image pulls: 1 per second" and "Rate of
authenticated image pulls: 10 per second", neither adjustable for unauthenticated pulls
(https://docs.aws.amazon.com/AmazonECR/latest/public/public-service-quotas.html); "an
unauthenticated (guest) pull [...] [is counted] per source IP address", an authenticated one
"per account" (the page's earlier text, awsdocs/amazon-ecr-public-user-guide). AWS leaves
undocumented which requests count as a pull; the mock counts each manifest GET (HEAD
asks about a manifest without pulling it, and blobs follow the manifest they belong to).
Counts go by the mock's clock, in whole seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .clock import now

if TYPE_CHECKING:
    from .state import Registry

UNAUTHENTICATED_PER_SECOND = 1
AUTHENTICATED_PER_SECOND = 10


def take_pull(registry: Registry, address: str, *, authenticated: bool) -> bool:
    """Count one pull; False when it is over its quota this second (nothing is counted
    while the registry's settings leave the quotas off)."""
    if not registry.settings.pull_rate_limits:
        return True
    key = f"account {registry.account_id}" if authenticated else f"address {address}"
    limit = AUTHENTICATED_PER_SECOND if authenticated else UNAUTHENTICATED_PER_SECOND
    second = int(now().timestamp())
    window, count = registry.pulls.get(key, (second, 0))
    if window != second:
        count = 0
    if count >= limit:
        return False
    registry.pulls[key] = (second, count + 1)
    return True
