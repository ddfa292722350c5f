"""botocore's ecr-public service model: the one source of the wire contract, and the
conversion and validation of requests derived from it (``validation``), which the API
front end and the helpers share."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from botocore.loaders import create_loader
from botocore.model import ServiceModel

if TYPE_CHECKING:
    from botocore.model import OperationModel

SERVICE_NAME = "ecr-public"


@cache
def service_model() -> ServiceModel:
    """Loaded once per process; botocore's loader reads JSON from disk, so never per call.

    From the loader, not a session: a session reads the AWS configuration first, and a
    profile there that does not exist (``AWS_PROFILE``) would stop the server."""
    return ServiceModel(create_loader().load_service_model(SERVICE_NAME, "service-2"), SERVICE_NAME)


@cache
def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)


@cache
def model_operations() -> frozenset[str]:
    """The names of the installed model's operations."""
    return frozenset(service_model().operation_names)
