"""ecr-public inside moto's ``mock_aws`` with no ecrpublic_mock mock active.

Source: ``ecrpublic_mock/_moto.py`` (moto answers ecr-public "Not yet implemented"; with
this package installed ecr-public is served from state kept per moto account id,
``MOTO_ACCOUNT_ID`` else moto's default, dropped whenever moto resets its backends;
``ECRPUBLIC_MOCK_WITH_MOTO=0`` leaves moto alone), ``_hook.current`` (the innermost
ecrpublic_mock mock first, then moto's ``mock_aws``, else nothing) and the README ("inside
moto's ``mock_aws()`` ecr-public is served by this package and every other service by
moto").

"Served" is shown by state (a repository created, then described back); "not served" by a
probe on the client's ``before-send`` registered last, whose canned answer carries a marker
header: botocore calls every ``before-send`` handler and uses the first answer that is not
None, so the marker in the response means nobody answered before the probe.
"""

from __future__ import annotations

import boto3
import pytest
from _support import answered_by_probe, assert_not_served, probed_client
from botocore.config import Config
from botocore.exceptions import ClientError

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook
from ecrpublic_mock._activation import moto as _moto

moto = pytest.importorskip("moto")
mock_aws = moto.mock_aws
from moto.core.base_backend import BackendDict  # noqa: E402

MOTO_DEFAULT_ACCOUNT = "123456789012"
OTHER_ACCOUNT = "111122223333"
NO_RETRY = Config(retries={"total_max_attempts": 1})


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """Each test decides the switches itself, whatever the environment running pytest."""
    monkeypatch.delenv(_moto.SWITCH, raising=False)
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)


def client():
    return boto3.client("ecr-public", region_name="us-east-1", config=NO_RETRY)


def names(ecr=None) -> list[str]:
    ecr = ecr or client()
    return [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]


# --- served inside mock_aws -------------------------------------------------------------


def test_served_with_the_context_manager():
    with mock_aws():
        repo = client().create_repository(repositoryName="app")["repository"]
        assert repo["repositoryArn"] == f"arn:aws:ecr-public::{MOTO_DEFAULT_ACCOUNT}:repository/app"
        assert names() == ["app"]


@mock_aws
def test_served_with_the_decorator():
    ecr = client()
    ecr.create_repository(repositoryName="decorated")
    assert names(ecr) == ["decorated"]
    assert ecr.describe_registries()["registries"][0]["registryId"] == MOTO_DEFAULT_ACCOUNT


def test_served_answers_come_before_the_probe():
    """Control for the probe: inside mock_aws the package answers, the probe doesn't."""
    with mock_aws():
        ecr, consulted = probed_client()
        ecr.create_repository(repositoryName="seen")
        response = ecr.describe_repositories()
        assert consulted, "the probe is registered and reached"
        assert not answered_by_probe(response)
        assert [r["repositoryName"] for r in response["repositories"]] == ["seen"]


def test_served_errors_are_the_services():
    with mock_aws():
        ecr = client()
        with pytest.raises(ecr.exceptions.RepositoryNotFoundException) as excinfo:
            ecr.describe_images(repositoryName="missing")
        assert excinfo.value.response["Error"]["Message"] == (
            "The repository with name 'missing' does not exist in the registry with id "
            f"'{MOTO_DEFAULT_ACCOUNT}'"
        )


@pytest.mark.parametrize("account", [OTHER_ACCOUNT, "000000000001"])
def test_moto_account_id_is_used(monkeypatch, account):
    monkeypatch.setenv("MOTO_ACCOUNT_ID", account)
    with mock_aws():
        ecr = client()
        repo = ecr.create_repository(repositoryName="app")["repository"]
        assert repo["registryId"] == account
        assert repo["repositoryArn"] == f"arn:aws:ecr-public::{account}:repository/app"
        assert ecr.describe_registries()["registries"][0]["registryId"] == account
        sts = boto3.client("sts", region_name="us-east-1")
        assert sts.get_caller_identity()["Account"] == account


def test_state_is_kept_per_moto_account(monkeypatch):
    with mock_aws():
        client().create_repository(repositoryName="default-repo")
        monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)
        assert names() == []
        client().create_repository(repositoryName="other-repo")
        monkeypatch.delenv("MOTO_ACCOUNT_ID")
        assert names() == ["default-repo"]
        monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)
        assert names() == ["other-repo"]


def test_other_services_still_go_to_moto():
    with mock_aws():
        client().create_repository(repositoryName="app")
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="moto-bucket")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["moto-bucket"]
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="q")["QueueUrl"]
        assert sqs.list_queues()["QueueUrls"] == [url]
        assert names() == ["app"]


# --- resets -----------------------------------------------------------------------------


def test_a_second_block_starts_empty():
    with mock_aws():
        client().create_repository(repositoryName="first")
        assert names() == ["first"]
    with mock_aws():
        assert names() == []
        client().create_repository(repositoryName="first")
        assert names() == ["first"]


def _reset_backend_dict(_mock) -> None:
    BackendDict.reset()


def _reset_mock_instance(mock) -> None:
    mock.reset()


@pytest.mark.parametrize("reset", [_reset_backend_dict, _reset_mock_instance])
def test_moto_reset_empties_the_state(reset):
    """moto's reset (``BackendDict.reset``, which ``MockAWS.reset`` and the reset API call)
    forgets ecr-public state too; s3 is reset alongside, as a control."""
    mock = mock_aws()
    mock.start()
    try:
        client().create_repository(repositoryName="before")
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="before")
        reset(mock)
        assert names() == []
        assert s3.list_buckets()["Buckets"] == []
        client().create_repository(repositoryName="after")
        assert names() == ["after"]
        reset(mock)
        assert names() == [], "a second reset also empties it"
    finally:
        mock.stop()


def test_reset_forgets_every_account(monkeypatch):
    with mock_aws():
        client().create_repository(repositoryName="default-repo")
        monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)
        client().create_repository(repositoryName="other-repo")
        BackendDict.reset()
        assert names() == []
        monkeypatch.delenv("MOTO_ACCOUNT_ID")
        assert names() == []


@mock_aws
class TestDecoratedClass:
    """A class decorated with ``@mock_aws``: every test method starts from empty state, in
    any order (each asserts it is alone)."""

    def test_one(self):
        assert names() == []
        client().create_repository(repositoryName="app")
        assert names() == ["app"]

    def test_two(self):
        assert names() == []
        client().create_repository(repositoryName="app")
        assert names() == ["app"]


@mock_aws
class TestDecoratedClassWithSetup:
    def setup_method(self, method):
        self.ecr = client()
        self.ecr.create_repository(repositoryName="from-setup")

    def test_setup_state_is_seen(self):
        assert names(self.ecr) == ["from-setup"]


# --- switched off -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "false", "off", "no", "FALSE", " Off "])
def test_switch_off_leaves_ecr_public_to_moto(monkeypatch, value):
    """Switched off, moto answers ecr-public itself: its "Not yet implemented" 404 (moto
    5.x), and no state is kept."""
    monkeypatch.setenv(_moto.SWITCH, value)
    with mock_aws():
        with pytest.raises(ClientError) as excinfo:
            client().create_repository(repositoryName="app")
        response = excinfo.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert response["Error"]["Message"] == "Not yet implemented"
        assert _hook.current() is None
        monkeypatch.delenv(_moto.SWITCH)
        assert names() == [], "nothing was stored while switched off"


@pytest.mark.parametrize("value", ["1", "", "true", "on", "yes"])
def test_other_switch_values_leave_it_on(monkeypatch, value):
    monkeypatch.setenv(_moto.SWITCH, value)
    with mock_aws():
        client().create_repository(repositoryName="app")
        assert names() == ["app"]


def test_switch_off_does_not_touch_an_explicit_mock(monkeypatch):
    """The switch is about moto only: an explicit mock serves either way."""
    monkeypatch.setenv(_moto.SWITCH, "0")
    with mock_aws(), mock_ecr_public():
        client().create_repository(repositoryName="app")
        assert names() == ["app"]


# --- with an explicit mock --------------------------------------------------------------


def test_explicit_mock_inside_mock_aws_takes_precedence():
    with mock_aws():
        client().create_repository(repositoryName="moto-repo")
        with mock_ecr_public(account_id=OTHER_ACCOUNT) as ours:
            assert names() == []
            repo = client().create_repository(repositoryName="ours-repo")["repository"]
            assert repo["registryId"] == OTHER_ACCOUNT
            assert names() == ["ours-repo"]
            assert list(ours.repositories) == ["ours-repo"]
        ecr = client()
        (repo,) = ecr.describe_repositories()["repositories"]
        assert (repo["repositoryName"], repo["registryId"]) == ("moto-repo", MOTO_DEFAULT_ACCOUNT)
    assert [c.operation for c in ours.calls] == [
        "DescribeRepositories",
        "CreateRepository",
        "DescribeRepositories",
    ]


def test_mock_aws_inside_an_explicit_mock_leaves_it_serving():
    with mock_ecr_public() as ours:
        client().create_repository(repositoryName="ours")
        with mock_aws():
            assert names() == ["ours"]
        assert names() == ["ours"]
    assert [c.operation for c in ours.calls].count("DescribeRepositories") == 2


# --- moto not active --------------------------------------------------------------------


def test_nothing_is_served_without_mock_aws():
    assert _hook.current() is None
    assert_not_served()


def test_nothing_is_served_after_mock_aws_ends():
    with mock_aws():
        client().create_repository(repositoryName="app")
    assert _hook.current() is None
    assert_not_served()
    with mock_aws():
        assert names() == []


@mock_aws
def _decorated_work():
    client().create_repository(repositoryName="app")
    return names()


def test_nothing_is_served_after_a_decorated_function():
    assert _decorated_work() == ["app"]
    assert_not_served()
    assert _decorated_work() == ["app"], "the second call starts empty again"


def test_a_call_served_through_moto_holds_the_patches_only_while_it_runs():
    """moto's ``mock_aws`` can end without resetting (a decorated class keeps its state):
    nothing of ours may stay installed past the call. During the call the patches are
    on, so its retry back-off is skipped; afterwards botocore is as it was."""
    import time

    import botocore.endpoint

    seen = []

    def probe(**kwargs):
        seen.append(botocore.endpoint.time is not time)

    with mock_aws():
        c = client()
        c.meta.events.register("needs-retry.ecr-public", probe)  # where back-off sleeps
        c.create_repository(repositoryName="app")
        assert seen == [True]
        assert _hook.PATCHES._count == 0
        assert botocore.endpoint.time is time
