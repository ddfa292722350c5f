"""``python -m ecrpublic_mock demo``: an in-process scenario that prints what it did."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3

from ._mock import mock_ecr_public

if TYPE_CHECKING:
    from collections.abc import Callable


def run(say: Callable[[str], object] = print) -> None:
    """Drive a real boto3 client against the mock; no network, no credentials."""
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name="us-east-1")
        say(f"mock active: account {ecr.account_id}, registry alias {ecr.registry_alias}")
        for name in ("demo/web", "demo/worker"):
            repo = client.create_repository(repositoryName=name)["repository"]
            say(f"created {repo['repositoryName']}: {repo['repositoryUri']}")
        names = [r["repositoryName"] for r in client.describe_repositories()["repositories"]]
        say(f"describe_repositories -> {names}")
        try:
            client.create_repository(repositoryName="demo/web")
        except client.exceptions.RepositoryAlreadyExistsException as error:
            say(f"caught {error.response['Error']['Code']}: {error.response['Error']['Message']}")
        deleted = client.delete_repository(repositoryName="demo/worker")["repository"]
        say(f"deleted {deleted['repositoryName']}")
    say("mock stopped: nothing was sent to the network")
