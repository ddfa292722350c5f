"""The pytest plugin, run in throw-away pytest sessions (``pytester``).

No inner session has a conftest.py: the fixtures and marker must come from the
``pytest11`` entry point alone.
"""

from __future__ import annotations

import importlib.resources
import importlib.util

import pytest

pytest_plugins = ["pytester"]

NO_RANDOM = ("-p", "no:randomly")

HELPERS = """
import boto3
import pytest
from ecrpublic_mock import EcrPublicMock


def names(ecr):
    return sorted(r["repositoryName"] for r in ecr.describe_repositories()["repositories"])
"""


@pytest.fixture(autouse=True)
def _not_an_xdist_worker(monkeypatch):
    """Under ``pytest -n``, hide the worker's variables: inner sessions are not workers."""
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)


def make_tests(pytester: pytest.Pytester, body: str, name: str = "test_inner") -> None:
    pytester.makepyfile(**{name: HELPERS + body})


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*NO_RANDOM, *args)


def test_plugin_module_is_typed():
    package = importlib.resources.files("pytest_ecrpublic_mock")
    assert package.joinpath("py.typed").is_file()


def test_fixtures_come_from_the_entry_point_without_conftest(pytester):
    make_tests(
        pytester,
        """
def test_handle(ecr_public):
    assert isinstance(ecr_public, EcrPublicMock)
    assert ecr_public.active
    assert ecr_public.account_id == "123456789012"


def test_client(ecr_public_client, ecr_public):
    repo = ecr_public_client.create_repository(repositoryName="repo")["repository"]
    assert repo["registryId"] == ecr_public.account_id
    assert names(ecr_public_client) == ["repo"]
""",
    )
    assert not list(pytester.path.glob("conftest.py"))
    # A fresh interpreter: nothing imported by this session helps the inner one.
    result = pytester.runpytest_subprocess(*NO_RANDOM, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*plugins:*ecrpublic*"])


def test_without_the_plugin_the_fixtures_are_missing(pytester):
    """Control for the test above: it is the plugin that provides the fixtures."""
    make_tests(pytester, "\ndef test_handle(ecr_public):\n    pass\n")
    result = run(pytester, "-p", "no:ecrpublic_mock")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'ecr_public' not found*"])


def test_each_test_gets_fresh_state(pytester):
    make_tests(
        pytester,
        """
def test_first(ecr_public_client):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


def test_second(ecr_public_client):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


@pytest.mark.parametrize("n", range(3))
def test_parametrized(ecr_public_client, n):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


class TestInClass:
    def test_method(self, ecr_public_client):
        assert names(ecr_public_client) == []
        ecr_public_client.create_repository(repositoryName="same")
""",
    )
    run(pytester).assert_outcomes(passed=6)


def test_handle_is_stopped_after_the_test_even_when_it_fails(pytester):
    make_tests(
        pytester,
        """
handles = []


def test_fails(ecr_public):
    handles.append(ecr_public)
    assert False, "deliberate"


def test_passes(ecr_public):
    handles.append(ecr_public)


def test_after():
    assert len(handles) == 2
    assert handles[0] is not handles[1]
    assert not any(handle.active for handle in handles)
""",
    )
    run(pytester).assert_outcomes(passed=2, failed=1)


def test_marker_passes_options(pytester):
    make_tests(
        pytester,
        """
import pytest_ecrpublic_mock
from botocore.exceptions import ClientError


@pytest.fixture
def spy(monkeypatch):
    # records the options the plugin hands to mock_ecr_public
    seen = []
    original = pytest_ecrpublic_mock.mock_ecr_public

    def recording(*args, **options):
        seen.append(options)
        return original(*args, **options)

    monkeypatch.setattr(pytest_ecrpublic_mock, "mock_ecr_public", recording)
    return seen


@pytest.mark.ecr_public(account_id="111122223333", image_tag_mutability="IMMUTABLE")
def test_options(spy, ecr_public, ecr_public_client):
    assert spy == [{"account_id": "111122223333", "image_tag_mutability": "IMMUTABLE"}]
    assert ecr_public.account_id == "111122223333"
    repo = ecr_public_client.create_repository(repositoryName="repo")["repository"]
    assert repo["registryId"] == "111122223333"
    assert ":111122223333:" in repo["repositoryArn"]
    ecr_public.push_image("repo", "v1", layers=[b"one"])
    # The handle's helpers raise plain ClientErrors carrying the API's error code.
    with pytest.raises(ClientError) as excinfo:
        ecr_public.push_image("repo", "v1", layers=[b"two"])
    assert excinfo.value.response["Error"]["Code"] == "ImageTagAlreadyExistsException"


@pytest.mark.ecr_public(max_repositories=1)
def test_quota(spy, ecr_public_client):
    assert spy == [{"max_repositories": 1}]
    ecr_public_client.create_repository(repositoryName="one")
    with pytest.raises(ecr_public_client.exceptions.LimitExceededException):
        ecr_public_client.create_repository(repositoryName="two")


def test_no_marker_no_options(spy, ecr_public, ecr_public_client):
    assert spy == [{}]
    assert ecr_public.account_id == "123456789012"
    ecr_public_client.create_repository(repositoryName="repo")
    ecr_public.push_image("repo", "v1", layers=[b"one"])
    ecr_public.push_image("repo", "v1", layers=[b"two"])  # MUTABLE: the tag moves
""",
    )
    run(pytester).assert_outcomes(passed=3)


def test_closest_marker_wins(pytester):
    make_tests(
        pytester,
        """
pytestmark = pytest.mark.ecr_public(account_id="999999999999")


def test_module_marker(ecr_public):
    assert ecr_public.account_id == "999999999999"


@pytest.mark.ecr_public(account_id="222222222222")
class TestClass:
    def test_class_marker(self, ecr_public):
        assert ecr_public.account_id == "222222222222"

    @pytest.mark.ecr_public(account_id="333333333333")
    def test_function_marker(self, ecr_public):
        assert ecr_public.account_id == "333333333333"

    @pytest.mark.parametrize(
        "n", [pytest.param(1, marks=pytest.mark.ecr_public(account_id="444444444444"))]
    )
    def test_param_marker(self, ecr_public, n):
        assert ecr_public.account_id == "444444444444"
""",
    )
    run(pytester).assert_outcomes(passed=4)


def test_marker_is_registered(pytester):
    make_tests(
        pytester,
        """
@pytest.mark.ecr_public(account_id="111122223333")
def test_marked(ecr_public):
    assert ecr_public.account_id == "111122223333"
""",
    )
    result = run(pytester, "--strict-markers", "-W", "error")
    result.assert_outcomes(passed=1)
    assert "warnings" not in result.parseoutcomes()


def test_unregistered_marker_fails_under_strict_markers(pytester):
    """Control for the test above: --strict-markers does reject a marker nobody registered."""
    make_tests(
        pytester,
        """
@pytest.mark.ecr_publik(account_id="111122223333")
def test_marked(ecr_public):
    pass
""",
    )
    result = run(pytester, "--strict-markers")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*'ecr_publik' not found in `markers` configuration option*"])


def test_markers_option_lists_the_marker(pytester):
    result = run(pytester, "--markers")
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.ecr_public(**options): options for the ecr_public fixture "
            "(account_id, image_tag_mutability, quotas)"
        ]
    )


@pytest.mark.parametrize(
    ("marker_args", "expected"),
    [
        pytest.param('account_id="12345"', "*ValueError*account_id*", id="account_id"),
        pytest.param(
            'image_tag_mutability="SOMETIMES"',
            "*ValueError*image_tag_mutability*",
            id="image_tag_mutability",
        ),
        pytest.param("max_repositories=0", "*ValueError*max_repositories*", id="quota-zero"),
        pytest.param('max_layer_size="big"', "*TypeError*max_layer_size*", id="quota-type"),
        pytest.param("bogus=1", "*TypeError*bogus*", id="unknown"),
        pytest.param('"111122223333"', "*TypeError*keyword options only*", id="positional"),
    ],
)
def test_bad_marker_option_errors_the_test_naming_it(pytester, marker_args, expected):
    make_tests(
        pytester,
        f"""
@pytest.mark.ecr_public({marker_args})
def test_bad(ecr_public):
    raise AssertionError("the body must not run")


def test_bad_client_only(request):
    request.applymarker(pytest.mark.ecr_public({marker_args}))
    request.getfixturevalue("ecr_public_client")


def test_unaffected(ecr_public):
    assert ecr_public.active
""",
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1, failed=1)
    result.stdout.fnmatch_lines([expected])
    result.stdout.no_fnmatch_line("*the body must not run*")


def test_client_fixture_is_us_east_1_and_served(pytester):
    make_tests(
        pytester,
        """
@pytest.mark.ecr_public(account_id="111122223333")
def test_client(ecr_public_client, ecr_public):
    assert ecr_public_client.meta.region_name == "us-east-1"
    assert ecr_public_client.meta.service_model.service_name == "ecr-public"
    repo = ecr_public_client.create_repository(repositoryName="repo")["repository"]
    assert repo["registryId"] == ecr_public.account_id == "111122223333"
    assert repo["repositoryUri"].endswith("/repo")
    assert names(ecr_public_client) == ["repo"]
    ecr_public_client.delete_repository(repositoryName="repo")
    assert names(ecr_public_client) == []


def test_other_clients_see_the_same_state(ecr_public_client):
    ecr_public_client.create_repository(repositoryName="shared")
    other = boto3.client("ecr-public", region_name="us-east-1")
    assert names(other) == ["shared"]
""",
    )
    run(pytester).assert_outcomes(passed=2)


def test_fixture_and_decorator_together(pytester):
    """An inner ``with`` inside a fixture-served test serves, then hands back."""
    make_tests(
        pytester,
        """
from ecrpublic_mock import mock_ecr_public


def test_nested(ecr_public_client):
    ecr_public_client.create_repository(repositoryName="outer")
    with mock_ecr_public():
        assert names(ecr_public_client) == []
    assert names(ecr_public_client) == ["outer"]
""",
    )
    run(pytester).assert_outcomes(passed=1)


@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="needs pytest-xdist")
def test_works_under_xdist(pytester):
    make_tests(
        pytester,
        """
@pytest.mark.parametrize("n", range(8))
def test_fresh(ecr_public_client, n):
    assert names(ecr_public_client) == []
    ecr_public_client.create_repository(repositoryName="same")


@pytest.mark.ecr_public(account_id="111122223333")
@pytest.mark.parametrize("n", range(4))
def test_marked(ecr_public, n):
    assert ecr_public.account_id == "111122223333"
""",
    )
    # pytest-benchmark, when installed, warns that xdist disables it: not ours to judge;
    # nor is old botocore's import of the deprecated cgi module (tox -e oldest).
    result = pytester.runpytest_subprocess(
        *NO_RANDOM,
        *("-p", "no:benchmark", "-n", "2", "--strict-markers", "-W", "error"),
        *("-W", "ignore:'cgi' is deprecated:DeprecationWarning"),
    )
    result.assert_outcomes(passed=12)
    result.stdout.fnmatch_lines(["*2 workers*"])


def test_ecr_public_server_serves_the_tests_mock_over_http(pytester):
    """``ecr_public_server``: the test's own mock on a loopback URL, stopped afterwards."""
    make_tests(
        pytester,
        """
import json
import threading
import urllib.request

TARGET = "SpencerFrontendService."
THREADS = []


def post(url, operation, body=b"{}"):
    request = urllib.request.Request(
        url, data=body, headers={"X-Amz-Target": TARGET + operation}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_served(ecr_public_server, ecr_public, ecr_public_client):
    THREADS.append(threading.active_count())
    assert ecr_public_server.url.startswith("http://127.0.0.1:")
    ecr_public_client.create_repository(repositoryName="app")
    answer = post(ecr_public_server.url, "DescribeRepositories")
    assert [r["repositoryName"] for r in answer["repositories"]] == ["app"]
    post(ecr_public_server.url, "CreateRepository", b'{"repositoryName": "web"}')
    assert names(ecr_public_client) == ["app", "web"]
    assert list(ecr_public.repositories) == ["app", "web"]


def test_fresh_each_time(ecr_public_server):
    answer = post(ecr_public_server.url, "DescribeRepositories")
    assert answer["repositories"] == []


def test_no_server_thread_left():
    # The two tests above each had one server thread more than this one has.
    assert threading.active_count() < THREADS[0]
""",
    )
    run(pytester).assert_outcomes(passed=3)
