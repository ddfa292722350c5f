"""No call escapes while a mock is active, whatever the order of imports, sessions and
clients (docs/aws-behaviour.md, section "Regions", for what "no endpoint" looks like).

Every test here also runs under the suite's ``network`` recorder (tests/conftest.py): an
attempt to reach a non-loopback address while a mock serves fails the test.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import boto3
import botocore.exceptions
import botocore.handlers
import botocore.session
import pytest
from _network import SUBPROCESS_PRELUDE
from botocore.config import Config

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook


@pytest.fixture
def session_made_before_import(monkeypatch):
    """A botocore session exactly as one made before ``ecrpublic_mock`` was imported: its
    emitter has none of the package's handlers."""
    ours = {handler for _, handler in _hook.HANDLERS}
    monkeypatch.setattr(
        botocore.handlers,
        "BUILTIN_HANDLERS",
        [spec for spec in botocore.handlers.BUILTIN_HANDLERS if spec[1] not in ours],
    )
    session = botocore.session.get_session()
    assert not _hook.hooked(session.get_component("event_emitter"))
    return session


def names(client) -> list[str]:
    return [r["repositoryName"] for r in client.describe_repositories()["repositories"]]


@pytest.mark.parametrize("wrap", ["botocore", "boto3"])
def test_clients_made_inside_a_mock_from_a_pre_import_session_are_served(
    session_made_before_import, monkeypatch, wrap
):
    """No credentials anywhere: served means unsigned, answered from memory."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    with mock_ecr_public():
        if wrap == "boto3":
            session = boto3.Session(botocore_session=session_made_before_import)
            client = session.client("ecr-public", region_name="us-east-1")
        else:
            client = session_made_before_import.create_client("ecr-public", region_name="us-east-1")
        client.create_repository(repositoryName="app")
        assert names(client) == ["app"]


def test_a_client_made_before_import_and_used_inside_a_mock_is_served(
    session_made_before_import,
):
    """The send stage is the last line: the request is answered there, and the client is
    hooked so its next calls take the ordinary (unsigned) path."""
    client = session_made_before_import.create_client(
        "ecr-public", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with mock_ecr_public() as ecr:
        client.create_repository(repositoryName="app")
        assert _hook.hooked(client.meta.events)
        assert names(client) == ["app"]
    assert [call.operation for call in ecr.calls] == ["CreateRepository", "DescribeRepositories"]


def test_a_pre_import_client_without_credentials_is_refused_before_any_socket(
    session_made_before_import, monkeypatch
):
    """Signing comes before sending: with no credentials botocore refuses the call itself."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = session_made_before_import.create_client("ecr-public", region_name="us-east-1")
    with mock_ecr_public(), pytest.raises(botocore.exceptions.NoCredentialsError):
        client.describe_repositories()


def test_the_send_stage_leaves_other_services_alone(session_made_before_import, monkeypatch):
    """Another JSON service's request passes the send stage untouched: the guard, installed
    on activation, hands it to the ``_send`` it found (here the test's own, which sends
    nothing)."""
    import botocore.endpoint
    from _support import CannedBody
    from botocore.awsrequest import AWSResponse

    sent = []

    def send(self, request):
        sent.append(request.headers["X-Amz-Target"])
        return AWSResponse(request.url, 200, {}, CannedBody(b'{"logGroups": []}'))

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", send)
    client = session_made_before_import.create_client(
        "logs", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with mock_ecr_public():
        assert botocore.endpoint.Endpoint._send.__wrapped__ is send
        assert client.describe_log_groups()["logGroups"] == []
    assert botocore.endpoint.Endpoint._send is send
    assert [bytes(target) if isinstance(target, bytes) else target.encode() for target in sent] == [
        b"Logs_20140328.DescribeLogGroups"
    ]


@pytest.mark.parametrize(
    "region",
    [
        "cn-north-1",
        "us-iso-east-1",
        "us-isob-east-1",
        "eusc-de-east-1",
        "us-gov-west-1",
        "eu-west-1",
        "US-EAST-1",
        "Us-East-1",
        "useast1",
    ],
)
def test_regions_with_no_endpoint_fail_as_no_endpoint_does(region):
    """Other partitions and malformed names are not us-east-1: EndpointConnectionError at
    once (no retry), as for any region without an ECR Public endpoint."""
    with mock_ecr_public() as ecr:
        client = boto3.client("ecr-public", region_name=region)
        with pytest.raises(botocore.exceptions.EndpointConnectionError):
            client.describe_repositories()
    assert ecr.calls == ()


@pytest.mark.parametrize("region", ["cn-north-1", "US-EAST-1"])
def test_the_send_stage_applies_the_region_rules_too(session_made_before_import, region):
    client = session_made_before_import.create_client(
        "ecr-public", region_name=region, aws_access_key_id="a", aws_secret_access_key="b"
    )
    with mock_ecr_public() as ecr, pytest.raises(botocore.exceptions.EndpointConnectionError):
        client.describe_repositories()
    assert ecr.calls == ()


@pytest.mark.parametrize(
    "config", [Config(use_fips_endpoint=True), Config(use_dualstack_endpoint=True)]
)
def test_fips_and_dual_stack_us_east_1_are_served(config):
    with mock_ecr_public():
        client = boto3.client("ecr-public", region_name="us-east-1", config=config)
        assert names(client) == []


def test_a_custom_endpoint_is_served_as_us_east_1():
    with mock_ecr_public():
        client = boto3.client(
            "ecr-public", region_name="eu-west-1", endpoint_url="http://localhost:4566"
        )
        client.create_repository(repositoryName="app")
        assert names(client) == ["app"]


@pytest.mark.parametrize("how", ["config", "environment"])
def test_defaults_mode_auto_makes_no_connection(monkeypatch, network, how):
    """defaults_mode "auto" asks the instance-metadata service for the region when the
    environment does not name one; inside a mock it is not asked."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
    config = None
    if how == "config":
        config = Config(defaults_mode="auto")
    else:
        monkeypatch.setenv("AWS_DEFAULTS_MODE", "auto")
    with mock_ecr_public():
        client = boto3.Session().client("ecr-public", region_name="us-east-1", config=config)
        assert names(client) == []
    assert network.attempts == []


@pytest.mark.slow
def test_nothing_escapes_in_a_fresh_interpreter_whatever_the_order():
    """Sessions and a client made before the import, clients made inside the mock: every
    call is served, and the script's own recorder sees no attempt to reach the network
    (no credentials are configured at all)."""
    script = SUBPROCESS_PRELUDE + textwrap.dedent(
        """
        import boto3, botocore.session
        from botocore.config import Config
        early_boto3 = boto3.Session(region_name="us-east-1")
        early_botocore = botocore.session.get_session()
        boto3.setup_default_session(region_name="us-east-1")
        import ecrpublic_mock
        with ecrpublic_mock.mock_ecr_public():
            clients = [
                early_boto3.client("ecr-public"),
                early_botocore.create_client("ecr-public", region_name="us-east-1"),
                boto3.client("ecr-public"),
                boto3.client("ecr-public", config=Config(defaults_mode="auto")),
            ]
            clients[0].create_repository(repositoryName="app")
            print([len(c.describe_repositories()["repositories"]) for c in clients])
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_DEFAULTS_MODE": "auto",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert "NETWORK-ATTEMPT" not in done.stderr, done.stderr
    assert (done.returncode, done.stdout.strip()) == (0, "[1, 1, 1, 1]"), done.stderr
