"""How the hook attaches to botocore: every session made after import, and boto3's default
session if it already exists; once only; and the credential lookups it keeps off the
network while a mock is active."""

import subprocess
import sys
import textwrap

import boto3
import botocore.credentials
import botocore.endpoint
import botocore.handlers
import botocore.utils
import pytest

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook


def ours(specs):
    handlers = {handler for _, handler in _hook.HANDLERS}
    return [spec for spec in specs if spec[1] in handlers]


def test_install_is_idempotent():
    before = list(botocore.handlers.BUILTIN_HANDLERS)
    _hook.install()
    assert before == botocore.handlers.BUILTIN_HANDLERS
    assert len(ours(before)) == len(_hook.HANDLERS)


def test_handlers_are_registered_first_or_last():
    """The answering handlers go first, ahead of any other handler of the same event
    (moto's included); the retry observer goes last, after botocore has decided."""
    kinds = {spec[1]: spec[-1] for spec in ours(botocore.handlers.BUILTIN_HANDLERS)}
    assert {kinds[handler] for _, handler in _hook._FIRST} == {botocore.handlers.REGISTER_FIRST}
    assert {kinds[handler] for _, handler in _hook._LAST} == {botocore.handlers.REGISTER_LAST}


def test_a_default_session_made_before_install_is_served(monkeypatch):
    others = [
        spec
        for spec in botocore.handlers.BUILTIN_HANDLERS
        if spec not in ours(botocore.handlers.BUILTIN_HANDLERS)
    ]
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS", others)
    for provider in (
        botocore.credentials.InstanceMetadataProvider,
        botocore.credentials.ContainerProvider,
    ):
        monkeypatch.setattr(provider, "load", provider.load)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", boto3.Session(region_name="us-east-1"))
    _hook.install()
    with mock_ecr_public():
        client = boto3.client("ecr-public")
        client.create_repository(repositoryName="app")
        assert [r["repositoryName"] for r in client.describe_repositories()["repositories"]] == [
            "app"
        ]


@pytest.mark.slow
def test_default_session_before_import_in_a_fresh_interpreter():
    """The real order of events in a user's process, without any patching."""
    script = textwrap.dedent(
        """
        import boto3
        boto3.setup_default_session(region_name="us-east-1")
        import ecrpublic_mock
        with ecrpublic_mock.mock_ecr_public():
            client = boto3.client("ecr-public")
            client.create_repository(repositoryName="app")
            print(client.describe_repositories()["repositories"][0]["repositoryName"])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "app"), done.stderr


class RecordingFetcher:
    """Stands in for botocore's IMDS fetcher: records that a network lookup was attempted."""

    def __init__(self):
        self.calls = 0

    def retrieve_iam_role_credentials(self):
        self.calls += 1
        return {}


def test_metadata_credentials_are_not_fetched_while_active():
    """No network while active: the instance-metadata provider answers nothing without
    asking; outside a mock it runs as botocore wrote it."""
    fetcher = RecordingFetcher()
    provider = botocore.credentials.InstanceMetadataProvider(iam_role_fetcher=fetcher)
    with mock_ecr_public():
        assert provider.load() is None
    assert fetcher.calls == 0
    assert provider.load() is None
    assert fetcher.calls == 1


GUARDED = (
    (botocore.credentials.InstanceMetadataProvider, "load"),
    (botocore.credentials.ContainerProvider, "load"),
    (botocore.utils.IMDSRegionProvider, "provide"),
)


def test_metadata_lookups_are_guarded_only_while_a_mock_is_active():
    """Patched on the first activation, the originals back after the last stop."""
    originals = {(owner, name): vars(owner)[name] for owner, name in GUARDED}
    with mock_ecr_public(), mock_ecr_public():
        for owner, name in GUARDED:
            guarded = getattr(owner, name)
            assert guarded.__wrapped__ is originals[owner, name]
    assert {(owner, name): vars(owner)[name] for owner, name in GUARDED} == originals


def test_the_endpoint_clock_stands_in_for_time_while_active():
    """botocore.endpoint's ``time`` is the mock's stand-in while a mock is active;
    everything but sleep is time's. Afterwards it is ``time`` itself again."""
    import time

    with mock_ecr_public():
        clock = botocore.endpoint.time
        assert isinstance(clock, _hook._Clock)
        assert clock.monotonic is time.monotonic
    assert botocore.endpoint.time is time
