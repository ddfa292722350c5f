"""Fault injection (``EcrPublicMock.inject_fault``) and botocore's retries of injected faults.

Source: ``EcrPublicMock.inject_fault``'s docstring and ``ecrpublic_mock/_faults.py`` (the
next ``times`` calls of an operation fail with the code; status 500 for server errors, 503
for unavailability, else 400; the default messages), ``ecrpublic_mock/_hook.py`` (botocore
decides to retry as it would with AWS, then its back-off sleep is skipped) and the README
("no waiting"). botocore's retry rules (legacy: 5 attempts in all, throttling codes and
5xx retried; standard/adaptive: ``max_attempts`` in ``Config.retries`` counts retries, so
the total is N + 1) are botocore's own: the mock must make botocore behave as against AWS.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries import bucket

from ecrpublic_mock import mock_ecr_public
from ecrpublic_mock._activation import hook as _hook

# A client that never retries: one attempt, so the first answer is what the caller sees.
NO_RETRY = Config(retries={"total_max_attempts": 1})
LEGACY_MAX_RETRIES = 4  # legacy mode: 5 attempts in all (newer botocores default to standard)
MODES = {
    "legacy": (Config(retries={"mode": "legacy"}), LEGACY_MAX_RETRIES),
    "standard": (Config(retries={"mode": "standard", "max_attempts": 3}), 3),
    "adaptive": (Config(retries={"mode": "adaptive", "max_attempts": 3}), 3),
}
RETRYABLE = (
    "ThrottlingException",
    "ServerException",
    "InternalFailure",
    "InternalServerError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
)
# Calls that succeed on a fresh, empty mock: (API name, boto3 method, parameters).
CALLS = {
    "DescribeRepositories": ("describe_repositories", {}),
    "DescribeRegistries": ("describe_registries", {}),
    "GetRegistryCatalogData": ("get_registry_catalog_data", {}),
    "GetAuthorizationToken": ("get_authorization_token", {}),
    "CreateRepository": ("create_repository", {"repositoryName": "app"}),
}


def make_client(config: Config | None = None):
    return boto3.client("ecr-public", region_name="us-east-1", config=config)


@pytest.fixture
def once(ecr):
    """A client of the mock that makes one attempt per call."""
    return make_client(NO_RETRY)


def call(client, api_name: str):
    method, params = CALLS[api_name]
    return getattr(client, method)(**params)


def outcomes(ecr) -> list[str]:
    return [c.outcome for c in ecr.calls]


def repository_names(client) -> list[str]:
    return [r["repositoryName"] for r in client.describe_repositories()["repositories"]]


class SleepRecorder:
    """Stands in for ``time.sleep``: records every sleep of the test's thread, and raises
    there if ``forbid`` (other threads, such as xdist's, sleep for real)."""

    def __init__(self, real, forbid: bool) -> None:
        self.real = real
        self.forbid = forbid
        self.thread = threading.get_ident()
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        if threading.get_ident() != self.thread:
            self.real(seconds)
            return
        self.seconds.append(seconds)
        if self.forbid:
            raise AssertionError(f"time.sleep({seconds!r}) was called")


@pytest.fixture
def no_sleep(monkeypatch):
    """``time.sleep`` (the real module function) raises if the test's thread calls it."""
    recorder = SleepRecorder(time.sleep, forbid=True)
    monkeypatch.setattr(time, "sleep", recorder)
    return recorder


@pytest.fixture
def sleeps(monkeypatch):
    """``time.sleep`` records the test thread's sleeps and returns at once."""
    recorder = SleepRecorder(time.sleep, forbid=False)
    monkeypatch.setattr(time, "sleep", recorder)
    return recorder


@pytest.fixture
def token_bucket_waits(monkeypatch):
    """Adaptive mode's client-side rate limiter blocks on a condition variable (not
    ``time.sleep``) when its token bucket is empty. Record every wait it computes and make
    it zero, so tests of adaptive retries don't each wait seconds for real."""
    waits: list[float] = []
    original = bucket.TokenBucket._sleep_amount

    def recorded(self, amount):
        seconds = original(self, amount)
        waits.append(seconds)
        return 0

    monkeypatch.setattr(bucket.TokenBucket, "_sleep_amount", recorded)
    return waits


# --- what a fault answers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("ServerException", 500),
        ("InternalFailure", 500),
        ("InternalServerError", 500),
        ("ServiceUnavailable", 503),
        ("ServiceUnavailableException", 503),
        ("ThrottlingException", 400),
        ("RepositoryNotFoundException", 400),
        ("LimitExceededException", 400),
        ("SomethingMadeUp", 400),
    ],
)
def test_default_status(ecr, once, code, status):
    """inject_fault docstring: 500 for server errors, 503 for unavailability, else 400."""
    ecr.inject_fault(code)
    with pytest.raises(ClientError) as excinfo:
        once.describe_repositories()
    response = excinfo.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ThrottlingException", "Rate exceeded"),
        ("ServerException", "Internal Server Error"),
        ("InternalFailure", "Injected InternalFailure"),
        ("ServiceUnavailable", "Injected ServiceUnavailable"),
        ("RepositoryNotFoundException", "Injected RepositoryNotFoundException"),
        ("SomethingMadeUp", "Injected SomethingMadeUp"),
    ],
)
def test_default_message(ecr, once, code, message):
    """_faults._MESSAGES: AWS's texts for throttling and server errors, else a marker."""
    ecr.inject_fault(code)
    with pytest.raises(ClientError) as excinfo:
        once.describe_repositories()
    assert excinfo.value.response["Error"]["Message"] == message


@pytest.mark.parametrize(
    ("code", "message", "status"),
    [
        ("ThrottlingException", "Slow down", 429),
        ("ServerException", "Boom", 502),
        ("RepositoryNotFoundException", "gone", 404),
    ],
)
def test_explicit_message_and_status(ecr, once, code, message, status):
    """``message`` and ``status`` replace the defaults."""
    ecr.inject_fault(code, message=message, status=status)
    with pytest.raises(ClientError) as excinfo:
        once.describe_repositories()
    response = excinfo.value.response
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (code, message)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


@pytest.mark.parametrize(
    "code",
    [
        "RepositoryNotFoundException",
        "RepositoryAlreadyExistsException",
        "LimitExceededException",
        "InvalidParameterException",
        "ServerException",
        "ImageNotFoundException",
    ],
)
def test_modeled_code_raises_the_modeled_exception_class(ecr, once, code):
    """Errors are botocore's own parse of the answer: a modeled code is the client's class."""
    ecr.inject_fault(code)
    modeled = getattr(once.exceptions, code)
    with pytest.raises(modeled) as excinfo:
        once.describe_repositories()
    assert type(excinfo.value) is modeled


@pytest.mark.parametrize("code", ["ThrottlingException", "InternalFailure", "SomethingMadeUp"])
def test_unmodeled_code_is_a_plain_client_error(ecr, once, code):
    ecr.inject_fault(code)
    with pytest.raises(ClientError) as excinfo:
        once.describe_repositories()
    assert type(excinfo.value) is ClientError


# --- which calls a fault hits -----------------------------------------------------------


@pytest.mark.parametrize("api_name", sorted(CALLS))
@pytest.mark.parametrize("spelling", ["api", "boto3"])
def test_operation_by_api_or_boto3_name(ecr, once, api_name, spelling):
    """``operation`` is the API name (``PutImage``) or the boto3 method (``put_image``)."""
    name = api_name if spelling == "api" else CALLS[api_name][0]
    ecr.inject_fault("ServerException", operation=name)
    with pytest.raises(once.exceptions.ServerException):
        call(once, api_name)
    call(once, api_name)
    assert outcomes(ecr) == ["ServerException", "success"]


@pytest.mark.parametrize("api_name", sorted(CALLS))
def test_no_operation_means_any_operation(ecr, once, api_name):
    ecr.inject_fault("ServerException")
    with pytest.raises(once.exceptions.ServerException):
        call(once, api_name)
    assert [(c.operation, c.outcome) for c in ecr.calls] == [(api_name, "ServerException")]


@pytest.mark.parametrize("times", [1, 2, 3, 7])
def test_times_calls_fail_then_calls_succeed(ecr, once, times):
    ecr.inject_fault("RepositoryNotFoundException", operation="DescribeRepositories", times=times)
    for _ in range(times):
        with pytest.raises(once.exceptions.RepositoryNotFoundException):
            once.describe_repositories()
    assert once.describe_repositories()["repositories"] == []
    assert outcomes(ecr) == ["RepositoryNotFoundException"] * times + ["success"]


def test_faults_are_used_up_in_the_order_injected(ecr, once):
    ecr.inject_fault("ServerException", times=2)
    ecr.inject_fault("RepositoryNotFoundException")
    ecr.inject_fault("ThrottlingException")
    codes = []
    for _ in range(4):
        with pytest.raises(ClientError) as excinfo:
            once.describe_registries()
        codes.append(excinfo.value.response["Error"]["Code"])
    assert codes == [
        "ServerException",
        "ServerException",
        "RepositoryNotFoundException",
        "ThrottlingException",
    ]
    once.describe_registries()
    assert outcomes(ecr)[-1] == "success"


def test_a_fault_for_another_operation_is_not_used(ecr, once):
    """A fault waits for its own operation; other calls pass and don't consume it."""
    ecr.inject_fault("ServerException", operation="put_image")
    once.create_repository(repositoryName="app")
    once.describe_repositories()
    once.describe_images(repositoryName="app")
    assert outcomes(ecr) == ["success"] * 3
    with pytest.raises(once.exceptions.ServerException):
        once.put_image(repositoryName="app", imageManifest="{}", imageTag="v1")
    assert [(c.operation, c.outcome) for c in ecr.calls][-1] == ("PutImage", "ServerException")


def test_a_later_fault_for_this_operation_applies_past_one_for_another(ecr, once):
    """The first pending fault that applies is used, not simply the first one injected."""
    ecr.inject_fault("RepositoryNotFoundException", operation="DescribeImages")
    ecr.inject_fault("ServerException", operation="DescribeRepositories")
    with pytest.raises(once.exceptions.ServerException):
        once.describe_repositories()
    once.describe_repositories()
    with pytest.raises(once.exceptions.RepositoryNotFoundException):
        once.describe_images(repositoryName="app")
    assert outcomes(ecr) == ["ServerException", "success", "RepositoryNotFoundException"]


def test_faults_belong_to_one_activation():
    """Faults are state: a fresh activation starts with none."""
    once = make_client(NO_RETRY)
    handle = mock_ecr_public()
    with handle:
        handle.inject_fault("ServerException", times=3)
    with handle:
        assert once.describe_repositories()["repositories"] == []


# --- a failed call changes nothing ------------------------------------------------------


def _setup_repo(client) -> None:
    client.create_repository(repositoryName="app", tags=[{"Key": "team", "Value": "a"}])


def _state(client) -> dict:
    repos = client.describe_repositories()["repositories"]
    state: dict = {"repos": [r["repositoryName"] for r in repos]}
    if "app" in state["repos"]:
        arn = repos[0]["repositoryArn"]
        state["tags"] = client.list_tags_for_resource(resourceArn=arn)["tags"]
        state["catalog"] = client.get_repository_catalog_data(repositoryName="app")["catalogData"]
        state["images"] = client.describe_images(repositoryName="app")["imageDetails"]
        try:
            state["policy"] = client.get_repository_policy(repositoryName="app")["policyText"]
        except client.exceptions.RepositoryPolicyNotFoundException:
            state["policy"] = None
    state["registry"] = client.get_registry_catalog_data()["registryCatalogData"]
    return state


ARN = "arn:aws:ecr-public::123456789012:repository/app"
POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow",'
    '"Principal":"*","Action":["ecr-public:BatchCheckLayerAvailability"]}]}'
)
CHANGES = {
    "CreateRepository": ("create_repository", {"repositoryName": "other"}),
    "DeleteRepository": ("delete_repository", {"repositoryName": "app"}),
    "TagResource": ("tag_resource", {"resourceArn": ARN, "tags": [{"Key": "k", "Value": "v"}]}),
    "UntagResource": ("untag_resource", {"resourceArn": ARN, "tagKeys": ["team"]}),
    "PutRepositoryCatalogData": (
        "put_repository_catalog_data",
        {"repositoryName": "app", "catalogData": {"description": "new"}},
    ),
    "PutRegistryCatalogData": ("put_registry_catalog_data", {"displayName": "mine"}),
    "SetRepositoryPolicy": (
        "set_repository_policy",
        {"repositoryName": "app", "policyText": POLICY},
    ),
}


@pytest.mark.parametrize("api_name", sorted(CHANGES))
@pytest.mark.parametrize("code", ["ServerException", "RepositoryNotFoundException"])
def test_a_failed_injected_call_changes_no_state(ecr, once, api_name, code):
    """README: a failed call never changes the state; an injected failure included. The
    same call without the fault does change it (the control)."""
    _setup_repo(once)
    before = _state(once)
    method, params = CHANGES[api_name]
    ecr.inject_fault(code, operation=api_name)
    with pytest.raises(ClientError):
        getattr(once, method)(**params)
    assert _state(once) == before
    getattr(once, method)(**params)
    assert _state(once) != before


def test_a_failed_injected_put_image_stores_no_image(ecr, once):
    once.create_repository(repositoryName="app")
    digest = ecr.push_image("app", tag="v1")
    manifest = ecr.repositories["app"].images[digest].manifest
    ecr.inject_fault("ServerException", operation="PutImage")
    with pytest.raises(once.exceptions.ServerException):
        once.put_image(repositoryName="app", imageManifest=manifest, imageTag="v2")
    assert dict(ecr.repositories["app"].tags) == {"v1": digest}


# --- bad injections ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation", ["Putimage", "PUT_IMAGE", "put-image", "putImage", "", "NoSuchOperation"]
)
def test_unknown_operation_is_refused_at_inject_time(ecr, once, operation):
    with pytest.raises(ValueError, match="is not an ecr-public operation"):
        ecr.inject_fault("ServerException", operation=operation)
    once.describe_repositories()
    assert outcomes(ecr) == ["success"]


@pytest.mark.parametrize(
    ("times", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (True, TypeError),
        (False, TypeError),
        (1.0, TypeError),
        (2.5, TypeError),
        ("2", TypeError),
        (None, TypeError),
    ],
)
def test_times_must_be_a_positive_int(ecr, once, times, error):
    """bool is an int subclass but not a count: refused too. A wrong type is a TypeError,
    a wrong value a ValueError."""
    with pytest.raises(error, match="times must be a positive int"):
        ecr.inject_fault("ServerException", times=times)
    once.describe_repositories()
    assert outcomes(ecr) == ["success"]


def test_inject_fault_takes_keywords_only(ecr):
    with pytest.raises(TypeError):
        ecr.inject_fault("ServerException", "PutImage")  # type: ignore[misc]


# --- retries ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("code", RETRYABLE)
def test_retried_fault_then_success(ecr, no_sleep, token_bucket_waits, mode, code):
    """Two injected retryable failures: botocore retries as against AWS, the call succeeds
    on the third attempt, and no back-off sleep happens."""
    client = make_client(MODES[mode][0])
    ecr.inject_fault(code, operation="DescribeRepositories", times=2)
    response = client.describe_repositories()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert [(c.operation, c.outcome) for c in ecr.calls] == [
        ("DescribeRepositories", code),
        ("DescribeRepositories", code),
        ("DescribeRepositories", "success"),
    ]
    assert no_sleep.seconds == []
    assert _hook._skip_sleep.get() is False


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("code", ["ThrottlingException", "ServerException"])
def test_more_faults_than_attempts_surface_the_error(
    ecr, once, no_sleep, token_bucket_waits, mode, code
):
    """Every attempt fails: the error surfaces with RetryAttempts at the mode's maximum,
    each attempt used up one fault, and the rest are still pending."""
    config, max_retries = MODES[mode]
    client = make_client(config)
    injected = 10
    ecr.inject_fault(code, operation="DescribeRepositories", times=injected)
    with pytest.raises(ClientError) as excinfo:
        client.describe_repositories()
    error = excinfo.value.response
    assert error["Error"]["Code"] == code
    assert error["ResponseMetadata"]["RetryAttempts"] == max_retries
    assert outcomes(ecr) == [code] * (max_retries + 1)
    assert _hook._skip_sleep.get() is False
    # The faults left over fail one-attempt calls until used up.
    left = injected - (max_retries + 1)
    for _ in range(left):
        with pytest.raises(ClientError):
            once.describe_repositories()
    assert once.describe_repositories()["ResponseMetadata"]["RetryAttempts"] == 0
    assert no_sleep.seconds == []


@pytest.mark.parametrize("max_attempts", [1, 2, 5])
def test_standard_mode_max_attempts_counts_retries(ecr, no_sleep, max_attempts):
    """botocore's ``max_attempts`` key is the legacy count of retries: N + 1 attempts."""
    client = make_client(Config(retries={"mode": "standard", "max_attempts": max_attempts}))
    ecr.inject_fault("ThrottlingException", times=20)
    with pytest.raises(ClientError) as excinfo:
        client.describe_registries()
    assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == max_attempts
    assert len(ecr.calls) == max_attempts + 1


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize(
    "code", ["RepositoryNotFoundException", "InvalidParameterException", "SomethingMadeUp"]
)
def test_non_retryable_error_is_not_retried(ecr, no_sleep, token_bucket_waits, mode, code):
    client = make_client(MODES[mode][0])
    ecr.inject_fault(code, times=3)
    with pytest.raises(ClientError) as excinfo:
        client.describe_repositories()
    assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert outcomes(ecr) == [code]
    assert _hook._skip_sleep.get() is False


@pytest.mark.parametrize("mode", sorted(MODES))
def test_no_pending_skip_after_retries_then_a_non_retried_error(
    ecr, sleeps, token_bucket_waits, mode
):
    """No call leaves a "skip the next sleep" behind: a later unrelated sleep in
    botocore.endpoint (another service's retry, say) still sleeps."""
    client = make_client(MODES[mode][0])
    ecr.inject_fault("ThrottlingException", operation="DescribeRepositories", times=2)
    ecr.inject_fault("RepositoryNotFoundException", operation="DescribeImages")
    assert client.describe_repositories()["ResponseMetadata"]["RetryAttempts"] == 2
    assert _hook._skip_sleep.get() is False
    with pytest.raises(client.exceptions.RepositoryNotFoundException):
        client.describe_images(repositoryName="app")
    assert _hook._skip_sleep.get() is False
    client.describe_registries()
    assert _hook._skip_sleep.get() is False
    assert sleeps.seconds == []
    botocore.endpoint.time.sleep(0)
    assert sleeps.seconds == [0]


@pytest.mark.parametrize("mode", sorted(MODES))
def test_no_pending_skip_after_retries_are_exhausted(ecr, sleeps, token_bucket_waits, mode):
    client = make_client(MODES[mode][0])
    ecr.inject_fault("ServerException", times=50)
    with pytest.raises(client.exceptions.ServerException):
        client.describe_repositories()
    assert _hook._skip_sleep.get() is False
    botocore.endpoint.time.sleep(0)
    assert sleeps.seconds == [0]


def test_retry_sleeping_is_untouched_after_the_mock_stops(sleeps):
    """Out of a mock, botocore.endpoint's sleep is the real ``time.sleep`` (looked up at
    call time, so the recorder sees it)."""
    with mock_ecr_public() as handle:
        handle.inject_fault("ThrottlingException", times=2)
        assert make_client().describe_registries()["ResponseMetadata"]["RetryAttempts"] == 2
    assert sleeps.seconds == []
    assert _hook._skip_sleep.get() is False
    botocore.endpoint.time.sleep(0)
    botocore.endpoint.time.sleep(0.25)
    assert sleeps.seconds == [0, 0.25]


def test_sleep_skipping_is_per_thread(ecr, sleeps):
    """The skip flag is a context variable: a retry in one thread cannot swallow another
    thread's sleep."""
    ecr.inject_fault("ThrottlingException", times=2)
    seen = []

    def other_thread():
        _hook._skip_sleep.set(True)  # a mocked call in progress, in this thread only
        seen.append(_hook._skip_sleep.get())

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen == [True]
    assert _hook._skip_sleep.get() is False
    botocore.endpoint.time.sleep(0)
    assert sleeps.seconds == [0]


def test_adaptive_mode_retries_do_not_wait(ecr, no_sleep, token_bucket_waits):
    client = make_client(MODES["adaptive"][0])
    ecr.inject_fault("ThrottlingException", times=2)
    assert client.describe_registries()["ResponseMetadata"]["RetryAttempts"] == 2
    assert [wait for wait in token_bucket_waits if wait > 0] == []


def test_fault_dataclass_fields():
    """The defaults above are computed once, at inject time (Fault.make)."""
    from ecrpublic_mock._harness.faults import Fault

    fault = Fault.make("ThrottlingException", "put_image", 3, None, None)
    assert dataclasses.astuple(fault) == (
        "ThrottlingException",
        "PutImage",
        3,
        "Rate exceeded",
        400,
        False,  # no status given: the registry endpoint answers its code's status
    )
    given = Fault.make("ThrottlingException", None, 1, None, 503)
    assert (given.status, given.status_given) == (503, True)
